"""Forms of the public join flow and of publishing the privacy notice and internal rules."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import APPLICANT_FIELDS
from .services.documents import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, VERSION_MAX_LENGTH
from .validation import mobile_normalise, postal_code_check

HONEYPOT_FIELD = "website"


class JoinForm(forms.Form):
    """What a visitor gives to join a network. The versions of the rules and the privacy notice they were shown are
    sent back with the form, so acceptance records exactly those."""

    first_name = forms.CharField(
        label=_("First name"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to this address: you confirm your request by opening it."),
        error_messages={"invalid": _("Enter a valid e-mail address, e.g. name@example.be.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=32,
        required=False,
        help_text=_("Needed to receive messages by SMS, e.g. 0470 12 34 56."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    street = forms.CharField(
        label=_("Street"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "address-line1"})
    )
    house_number = forms.CharField(label=_("House number"), max_length=12)
    box = forms.CharField(label=_("Box (optional)"), max_length=12, required=False)
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=4,
        error_messages={"max_length": _("Enter a Belgian postal code: four digits, e.g. 2000.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": 6}),
    )
    works_in_area = forms.BooleanField(
        label=_("I work rather than live at this address (e.g. a shop or a business)"), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the messages you receive"),
        choices=settings.LANGUAGES,
    )
    by_email = forms.BooleanField(label=_("By e-mail"), required=False, initial=True)
    by_sms = forms.BooleanField(label=_("By SMS"), required=False)
    adult_confirmed = forms.BooleanField(
        label=_("I am 18 or older"),
        error_messages={"required": _("Members must be 18 or older: confirm that you are.")},
    )
    accept_rules = forms.BooleanField(
        label=_("I accept the internal rules of the network"),
        error_messages={"required": _("Accept the internal rules of the network to join it.")},
    )
    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my data is used for the network"),
        error_messages={"required": _("Accept the privacy notice to join.")},
    )
    rules_document = forms.IntegerField(required=False, widget=forms.HiddenInput)
    privacy_document = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A field people never see: automated submitters fill it in, and are answered as if they succeeded.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    required_messages = {
        "first_name": _("Enter your first name."),
        "last_name": _("Enter your last name."),
        "email": _("Enter your e-mail address."),
        "street": _("Enter your street."),
        "house_number": _("Enter your house number."),
        "postal_code": _("Enter your postal code."),
        "language": _("Choose a language."),
    }

    def __init__(self, *args, rules=None, privacy_notice=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.required_messages.items():
            self.fields[name].error_messages["required"] = message
        if not self.is_bound:
            language = (get_language() or settings.LANGUAGE_CODE)[:2]
            self.initial.setdefault("language", language if language in dict(settings.LANGUAGES) else "nl")
            if rules is not None:
                self.initial["rules_document"] = rules.pk
            if privacy_notice is not None:
                self.initial["privacy_document"] = privacy_notice.pk

    def clean_mobile(self) -> str:
        return mobile_normalise(self.cleaned_data.get("mobile", ""))

    def clean_postal_code(self) -> str:
        return postal_code_check(self.cleaned_data.get("postal_code", ""))

    def clean(self):
        data = super().clean()
        if not (data.get("by_email") or data.get("by_sms")):
            self.add_error("by_email", _("Choose at least one way to receive messages: e-mail or SMS."))
        elif data.get("by_sms") and not data.get("mobile") and "mobile" not in self.errors:
            self.add_error("mobile", _("Enter a mobile number to receive messages by SMS."))
        return data

    def service_values(self, *, rules, privacy_notice) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in APPLICANT_FIELDS}
        values["rules_accepted"] = data["accept_rules"]
        values["privacy_accepted"] = data["accept_privacy"]
        # The versions shown; when another version is in force by now, the service says so on the checkbox.
        values["rules"] = rules if rules is not None and data["rules_document"] == rules.pk else None
        values["privacy_notice"] = (
            privacy_notice if privacy_notice is not None and data["privacy_document"] == privacy_notice.pk else None
        )
        return values

    @property
    def address_fields(self):
        return [self[name] for name in ("street", "house_number", "box", "postal_code")]

    @property
    def person_fields(self):
        return [self[name] for name in ("first_name", "last_name", "email", "mobile")]


class DocumentPublishForm(forms.Form):
    """A new version of a document, with a title and a Markdown text in each of the four languages."""

    version = forms.CharField(
        label=_("Version"),
        max_length=VERSION_MAX_LENGTH,
        help_text=_("A short name for this version, e.g. 2026-2. Each version keeps its name for good."),
    )
    published_on = forms.DateField(
        label=_("In force from"),
        help_text=_("Today or later. Members accept the version in force when they join."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, _name in settings.LANGUAGES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title"), max_length=TITLE_MAX_LENGTH, required=False
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Text"),
                max_length=BODY_MAX_LENGTH,
                required=False,
                help_text=_("Markdown: ## for a heading, - for a list item, **bold**, [text](link)."),
                widget=forms.Textarea(attrs={"rows": 16, "lang": code}),
            )
            self.fields[f"title_{code}"].widget.attrs["lang"] = code
        if not self.is_bound:
            self.initial.setdefault("published_on", timezone.localdate())
            if current is not None:
                for code, _name in settings.LANGUAGES:
                    text = current.texts.get(code) or {}
                    self.initial.setdefault(f"title_{code}", text.get("title", ""))
                    self.initial.setdefault(f"body_{code}", text.get("body", ""))

    @property
    def languages(self) -> list[dict]:
        """One group of fields per language, for a fieldset each."""
        return [
            {"code": code, "name": name, "title": self[f"title_{code}"], "body": self[f"body_{code}"]}
            for code, name in settings.LANGUAGES
        ]

    def texts(self) -> dict:
        data = self.cleaned_data
        return {
            code: {"title": data.get(f"title_{code}", ""), "body": data.get(f"body_{code}", "")}
            for code, _name in settings.LANGUAGES
        }


def field_errors_summary(form: forms.Form) -> list[dict]:
    """The form's errors in field order, each with the id of the field it points at (for the error summary)."""
    summary = []
    for message in form.non_field_errors():
        summary.append({"id": "", "message": message})
    for name, field in form.fields.items():
        if name in form.errors and not field.widget.is_hidden:
            for message in form.errors[name]:
                summary.append({"id": form[name].id_for_label, "message": message})
    for name, field in form.fields.items():
        if name in form.errors and field.widget.is_hidden:
            for message in form.errors[name]:
                summary.append({"id": "", "message": message})
    return summary
