"""Forms of part "enrol": a zone enrolling its staff, the public request to enrol, declining a request, the
participant's evaluation form and asking for a fresh participant link."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from geography.models import PoliceZone

from .choices import QuestionKind

HONEYPOT_FIELD = "website"
SCALE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class PersonFields(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=80, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=80, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("Professional e-mail address"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Enter a valid professional e-mail address, e.g. name@police.belgium.eu.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    function = forms.CharField(label=_("Rank or function (optional)"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES, initial="nl")

    person_required = {
        "first_name": _("Enter the first name."),
        "last_name": _("Enter the last name."),
        "email": _("Enter the professional e-mail address."),
    }

    def person_values(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key, "") for key in ("first_name", "last_name", "email", "function", "language")}


class EnrolForm(PersonFields):
    """Whom to enrol: mandated officers of the zone's networks (listed first), existing trainees of the zone, and/or
    one new person. A trainer (no zone) enrols a new person and names their zone."""

    people = forms.MultipleChoiceField(
        label=_("Staff of your zone"), required=False, widget=forms.CheckboxSelectMultiple
    )
    zone = forms.ModelChoiceField(
        label=_("Police zone of the new person"),
        queryset=PoliceZone.objects.none(),
        required=False,
        empty_label=_("Choose a police zone"),
    )

    def __init__(self, *args, people_choices=(), zone_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = list(people_choices)
        if zone_choices is None:
            del self.fields["zone"]
        else:
            self.fields["zone"].queryset = zone_choices

    @property
    def has_new_person(self) -> bool:
        data = self.cleaned_data
        return any(data.get(name) for name in ("first_name", "last_name", "email", "function"))

    def clean(self):
        cleaned = super().clean()
        if self.has_new_person:
            for name, message in self.person_required.items():
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
            if "zone" in self.fields and not cleaned.get("zone"):
                self.add_error("zone", _("Choose the police zone of the new person."))
        elif not cleaned.get("people") and not self.errors:
            raise ValidationError(
                _("Choose at least one person of your staff, or fill in a new person."), code="nobody"
            )
        return cleaned


class RequestForm(PersonFields):
    """A participant asks to enrol in a session (no account needed)."""

    zone = forms.ModelChoiceField(
        label=_("Your police zone"),
        queryset=PoliceZone.objects.none(),
        empty_label=_("Choose your police zone"),
        error_messages={"required": _("Choose your police zone.")},
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    field_order = ["first_name", "last_name", "email", "zone", "function", "language", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = PoliceZone.objects.current().order_by("name")
        self.fields["email"].help_text = _("We send a link to this address: you confirm your request by opening it.")
        self.fields["language"].label = _("Your language")
        for name, message in self.person_required.items():
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
        self.order_fields(self.field_order)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the person)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason: the person is told it.")},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Professional e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter the e-mail address you were enrolled with."),
            "invalid": _("Enter a valid e-mail address, e.g. name@police.belgium.eu."),
        },
    )


class EvaluationForm(forms.Form):
    """One field per question of the version's evaluation form: a score from 1 to 5 (radios) or free text."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.SCALE:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=SCALE_CHOICES,
                    required=question.required,
                    widget=forms.RadioSelect,
                    help_text=_("1 = not at all, 5 = very much"),
                    error_messages={"required": _("Answer this question.")},
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=question.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={"required": _("Answer this question.")},
                )

    def answers(self) -> dict:
        return {str(q.pk): self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
