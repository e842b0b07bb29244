"""Forms of member management: they parse input; services/management.py checks it and decides."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.choices import MEMBER_MEASURES, SanctionMeasure

from .validation import mobile_normalise


def _date_widget(**attrs) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person receives this reason by e-mail."),
    )


class InPersonForm(forms.Form):
    """The fields of a join request, entered by the coordinator or the mandated officer for a person they met."""

    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The person confirms this address before becoming a member.")
    )
    mobile = forms.CharField(
        label=_("Mobile number"), max_length=32, required=False, help_text=_("For SMS messages, e.g. 0470 12 34 56.")
    )
    street = forms.CharField(label=_("Street"), max_length=120)
    house_number = forms.CharField(label=_("House number"), max_length=12)
    box = forms.CharField(label=_("Box"), max_length=12, required=False)
    postal_code = forms.RegexField(
        label=_("Postal code"),
        regex=r"^[1-9][0-9]{3}$",
        error_messages={"invalid": _("A Belgian postal code has four digits, e.g. 2000.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 5}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    by_email = forms.BooleanField(label=_("Messages by e-mail"), required=False, initial=True)
    by_sms = forms.BooleanField(label=_("Messages by SMS"), required=False)
    works_in_area = forms.BooleanField(label=_("Works (rather than lives) in the area"), required=False)
    adult_confirmed = forms.BooleanField(
        label=_("I confirmed that this person is 18 or older"),
        error_messages={"required": _("Confirm that the person is 18 or older: members must be adults.")},
    )

    FIELDSETS = (
        (_("Person"), ("first_name", "last_name", "language")),
        (_("Contact"), ("email", "mobile")),
        (_("Address"), ("street", "house_number", "box", "postal_code", "works_in_area")),
        (_("How the person wants to be reached"), ("by_email", "by_sms")),
        (_("Confirmation"), ("adult_confirmed",)),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autocomplete = {
            "first_name": "off",
            "last_name": "off",
            "email": "off",
            "mobile": "off",
            "street": "off",
            "house_number": "off",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["mobile"].widget.attrs["inputmode"] = "tel"

    def clean_mobile(self) -> str:
        return mobile_normalise(self.cleaned_data.get("mobile", ""))

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("by_sms") and not cleaned.get("mobile") and "mobile" not in self.errors:
            self.add_error("mobile", _("Messages by SMS need a mobile number."))
        if not cleaned.get("by_email") and not cleaned.get("by_sms"):
            self.add_error("by_email", _("Choose at least one way to be reached: e-mail or SMS."))
        return cleaned

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]


class MemberSanctionForm(forms.Form):
    measure = forms.ChoiceField(
        label=_("Measure"),
        choices=[(value, label) for value, label in SanctionMeasure.choices if value in MEMBER_MEASURES],
        widget=forms.RadioSelect,
        help_text=_(
            "A temporary suspension stops messages until its end date; a permanent suspension removes the person "
            "from the network."
        ),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=_date_widget())
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=160,
        help_text=_("For example: the coordinator and the mandated officer."),
    )
    ends_on = forms.DateField(
        label=_("Suspended until"), required=False, widget=_date_widget(), help_text=_("For a temporary suspension.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Recorded in the network's sanctions register, which names the member by number only."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["decided_on"].widget.attrs["max"] = today.isoformat()
        self.fields["decided_on"].initial = today
