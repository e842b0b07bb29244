"""Forms of the committee's pages. They parse input; the services check and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .choices import ActionStatus, Language, Reply
from .models import SeatCategory, SeatTerm

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime(label):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Date and time (Belgian time)."),
    )


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))


class CategoryForm(forms.Form):
    code = forms.SlugField(label=_("Short name"), max_length=40)
    name_nl = forms.CharField(label=_("Name (Dutch)"), max_length=200)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200)
    name_de = forms.CharField(label=_("Name (German)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    seats = forms.IntegerField(label=_("Number of seats"), min_value=1, max_value=50)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, initial=100)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, category: SeatCategory | None = None, **kwargs):
        if category is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(category, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        if category is not None:
            del self.fields["code"]


class HolderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_full_name() or obj.email} ({obj.email})"


class TermForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=SeatCategory.objects.none())
    seat_number = forms.IntegerField(label=_("Seat"), min_value=1, max_value=50)
    user = HolderChoiceField(
        label=_("Platform user"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Not a platform user: give the contact below"),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    starts_on = _date(_("From"))
    ends_on = _date(_("Until"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = SeatCategory.objects.order_by("order", "code")
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("last_name", "first_name")


class TermEndForm(forms.Form):
    ends_on = _date(_("Last day of the term"))


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = _datetime(_("Starts"))
    ends_at = _datetime(_("Ends"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")


class AgendaItemForm(forms.Form):
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=200, required=False)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200, required=False)
    title_de = forms.CharField(label=_("Title (German)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    owner_term = forms.ModelChoiceField(
        label=_("Owner (seat holder)"), queryset=SeatTerm.objects.none(), required=False, empty_label=_("Nobody")
    )
    owner_text = forms.CharField(label=_("Owner (someone else)"), max_length=200, required=False)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=480, initial=15)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_term"].queryset = (
            SeatTerm.objects.current().select_related("user", "category").order_by("category__order", "seat_number")
        )
        self.fields["owner_term"].label_from_instance = lambda term: f"{term.holder_name} ({term.category.name})"


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("PDF document"), required=False)
    url = forms.URLField(label=_("Or a link"), required=False, assume_scheme="https")


class MinutesForm(forms.Form):
    minutes_nl = forms.CharField(label=_("Minutes (Dutch)"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    minutes_fr = forms.CharField(label=_("Minutes (French)"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    minutes_de = forms.CharField(label=_("Minutes (German)"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    minutes_en = forms.CharField(label=_("Minutes (English)"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    publish = forms.BooleanField(label=_("Publish to the committee's members"), required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner_term = forms.ModelChoiceField(
        label=_("Owner (seat holder)"), queryset=SeatTerm.objects.none(), required=False, empty_label=_("Nobody")
    )
    owner_text = forms.CharField(label=_("Owner (someone else)"), max_length=200, required=False)
    due_on = _date(_("Due"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_term"].queryset = (
            SeatTerm.objects.current().select_related("user", "category").order_by("category__order", "seat_number")
        )
        self.fields["owner_term"].label_from_instance = lambda term: f"{term.holder_name} ({term.category.name})"


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(label=_("Your reply"), choices=Reply.choices, widget=forms.RadioSelect)
