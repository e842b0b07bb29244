"""Forms of the member portal. They parse input and show errors; the services in members.services.portal decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from networks.choices import MessageType

from .models import MUTABLE_MESSAGE_TYPES
from .validation import mobile_normalise, postal_code_check


class SignInLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter the e-mail address you gave when you joined."),
            "invalid": _("Enter a valid e-mail address, like name@example.be."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class MemberDataForm(forms.Form):
    """The member's name, mobile number and address ("My data")."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        error_messages={"required": _("Enter your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": _("Enter your last name.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=32,
        required=False,
        help_text=_("For messages by SMS. Belgian numbers may start with 04; others with + and the country code."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    street = forms.CharField(
        label=_("Street"),
        max_length=120,
        error_messages={"required": _("Enter your street.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    house_number = forms.CharField(
        label=_("House number"), max_length=12, error_messages={"required": _("Enter your house number.")}
    )
    box = forms.CharField(label=_("Box"), max_length=12, required=False)
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=4,
        error_messages={"required": _("Enter your postal code.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )

    def clean_mobile(self) -> str:
        return mobile_normalise(self.cleaned_data.get("mobile", ""))

    def clean_postal_code(self) -> str:
        return postal_code_check(self.cleaned_data.get("postal_code", ""))


def _type_choices():
    return [(value, label) for value, label in MessageType.choices if value in MUTABLE_MESSAGE_TYPES]


class MemberChoicesForm(forms.Form):
    """Channels, language, message types, quiet hours and holiday pause ("My choices"). Cross-field rules (SMS needs
    a mobile number, both ends of quiet hours, pause dates) are the service's: its errors land on these fields."""

    by_email = forms.BooleanField(label=_("By e-mail"), required=False)
    by_sms = forms.BooleanField(
        label=_("By SMS"), required=False, help_text=_("Needs a mobile number (see “My data”).")
    )
    urgent_by_sms = forms.BooleanField(
        label=_("Urgent alerts also by SMS, even during my quiet hours"),
        required=False,
        help_text=_("Only when you gave a mobile number."),
    )
    language = forms.ChoiceField(
        label=_("Language of messages and of this site"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Choose one of the offered languages.")},
    )
    wanted_types = forms.MultipleChoiceField(
        label=_("Other messages I want to receive"),
        required=False,
        choices=_type_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose among the offered message types.")},
    )
    quiet_from = forms.TimeField(
        label=_("Quiet from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time, like 22:00.")},
    )
    quiet_until = forms.TimeField(
        label=_("Quiet until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time, like 07:00.")},
    )
    paused_from = forms.DateField(
        label=_("First day of the pause"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, like 2026-07-01.")},
    )
    paused_until = forms.DateField(
        label=_("Last day of the pause"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, like 2026-07-31.")},
    )

    @classmethod
    def initial_for(cls, member) -> dict:
        muted = set(member.muted_types or [])
        return {
            "by_email": member.by_email,
            "by_sms": member.by_sms,
            "urgent_by_sms": member.urgent_by_sms,
            "language": member.user.language or settings.LANGUAGE_CODE,
            "wanted_types": [value for value in MUTABLE_MESSAGE_TYPES if value not in muted],
            "quiet_from": member.quiet_from,
            "quiet_until": member.quiet_until,
            "paused_from": member.paused_from,
            "paused_until": member.paused_until,
        }

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        wanted = set(data["wanted_types"])
        return {
            "by_email": data["by_email"],
            "by_sms": data["by_sms"],
            "urgent_by_sms": data["urgent_by_sms"],
            "language": data["language"],
            # Urgent alerts are not offered here, so they are never muted through this form.
            "muted_types": [value for value in MUTABLE_MESSAGE_TYPES if value not in wanted],
            "quiet_from": data["quiet_from"],
            "quiet_until": data["quiet_until"],
            "paused_from": data["paused_from"],
            "paused_until": data["paused_until"],
        }


class EraseForm(forms.Form):
    """Confirming an erasure by typing the account's e-mail address."""

    email = forms.CharField(
        label=_("Type your e-mail address to confirm"),
        max_length=254,
        error_messages={"required": _("Type your e-mail address to confirm that you want your account deleted.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        value = self.cleaned_data["email"].strip()
        if value.lower() != self.user.email.lower():
            raise ValidationError(
                _("This is not the e-mail address of your account. Type it exactly as shown above."),
                code="email_mismatch",
            )
        return value
