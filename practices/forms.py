"""Forms of the practices work pages: the structured template, the translation, the moderation messages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from geography.models import Region
from networks.choices import NetworkKind
from networks.models import Network

from .choices import EvidenceLevel, Theme
from .models import REQUIRED_TEXT_FIELDS, TEXT_FIELDS, Practice
from .services.attachments import MAX_ATTACHMENTS, attachment_check
from .services.practice import submission_errors

# More networks in sight than this (national roles): a field of network codes instead of a list of checkboxes.
MAX_NETWORK_OPTIONS = 200

# What to write in each part of the template (shown under each field).
HELP_TEXTS = {
    "title": _("A short name another coordinator will recognise, e.g. “Door-to-door visits after a burglary wave”."),
    "summary": _("Two or three sentences: what you did, for whom, and what came of it."),
    "problem": _("The situation before: what was going wrong, where, since when, and who noticed it."),
    "actions": _("What was done, step by step, and by whom (network, police, municipality, volunteers)."),
    "duration": _("How long it took to prepare and to run; whether it still runs."),
    "worked": _("What you would do again: the choices that made the difference."),
    "difficulties": _("What went wrong or took longer than expected, and how you dealt with it."),
    "costs": _("What it cost (money, hours of volunteers) and who paid for it."),
    "results": _("What changed, with figures if you kept any (before and after), and how you know."),
    "contact": _("Who can tell more: a function or a public e-mail address rather than a private number."),
}
MARKDOWN_NOTE = _("You can use simple Markdown: **bold**, *italics*, lists with “- ”, links. No images or HTML.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _label(field: str):
    return capfirst(Practice._meta.get_field(field).verbose_name)


def _text_field(field: str, *, required: bool = False) -> forms.CharField:
    help_text = HELP_TEXTS.get(field, "")
    label = _label(field)
    if field in REQUIRED_TEXT_FIELDS:
        help_text = format_lazy_join(help_text, _("Needed to submit."))
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=format_lazy_join(help_text, MARKDOWN_NOTE),
    )


def format_lazy_join(*parts):
    from django.utils.text import format_lazy

    return format_lazy("{} {}", *parts)


class NetworkCodesField(forms.CharField):
    """For people who see hundreds of networks: their codes, separated by commas or spaces."""

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(getattr(item, "code", str(item)) for item in value)
        return value

    def clean(self, value):
        value = super().clean(value)
        codes = sorted({code.strip().upper() for code in (value or "").replace(",", " ").split() if code.strip()})
        if not codes:
            return []
        networks = list(self.queryset.filter(code__in=codes))
        unknown = sorted(set(codes) - {network.code for network in networks})
        if unknown:
            raise forms.ValidationError(
                _("No network you can see has the code %(codes)s."),
                code="unknown_network",
                params={"codes": ", ".join(unknown)},
            )
        return networks


class PracticeForm(forms.Form):
    """The structured template of a practice (DESIGN §3). Saving a draft needs only the title; submitting needs
    the required parts and a theme (checked before anything is stored)."""

    title = forms.CharField(label=_label("title"), max_length=200, help_text=HELP_TEXTS["title"])

    def __init__(self, *args, user, practice: Practice | None = None, submitting: bool = False, **kwargs):
        if practice is not None and "initial" not in kwargs:
            kwargs["initial"] = practice_initial(practice)
        super().__init__(*args, **kwargs)
        self.user = user
        self.practice = practice
        self.submitting = submitting
        for field in TEXT_FIELDS:
            self.fields[field] = _text_field(field)
        self.fields["evidence_level"] = forms.ChoiceField(
            label=_label("evidence_level"),
            choices=EvidenceLevel.choices,
            initial=EvidenceLevel.ANECDOTAL,
            widget=forms.RadioSelect,
            help_text=_(
                "Anecdotal: what the people involved saw. Monitored: you counted before and after (incidents, "
                "members, calls). Evaluated: someone compared the results with a situation without the practice."
            ),
        )
        self.fields["themes"] = forms.MultipleChoiceField(
            label=_("Themes"),
            choices=Theme.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("At least one, to submit."),
        )
        self.fields["kinds"] = forms.MultipleChoiceField(
            label=_("Kinds of network"),
            choices=NetworkKind.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("The kinds of network this practice suits."),
        )
        self.fields["region"] = forms.ModelChoiceField(
            label=_label("region"),
            queryset=Region.objects.order_by("refnis"),
            required=False,
            empty_label=_("Several regions or the whole country"),
        )
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the text"),
            choices=settings.LANGUAGES,
            initial=(get_language() or settings.LANGUAGE_CODE)[:2],
        )
        networks = Network.objects.for_user(user, "view").order_by("name")
        if networks.count() > MAX_NETWORK_OPTIONS:
            self.fields["networks"] = NetworkCodesField(
                queryset=networks,
                label=_("Networks it comes from"),
                required=False,
                help_text=_("Network codes such as BIN-11002-1, separated by commas. Leave empty if none."),
            )
        else:
            self.fields["networks"] = forms.ModelMultipleChoiceField(
                label=_("Networks it comes from"),
                queryset=networks,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        self.fields["attachments"] = MultipleFileField(
            label=_("Attachments"),
            required=False,
            help_text=_("PDF documents, JPEG or PNG images; at most 10 MB each and 10 per practice."),
        )
        self.fields["attachment_description"] = forms.CharField(
            label=_("Description of the attachments"),
            max_length=200,
            required=False,
            help_text=_("E.g. “Leaflet handed out door to door”."),
        )

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        existing = self.practice.attachments.count() if self.practice is not None else 0
        if existing + len(uploads) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("A practice can have at most %(count)s attachments."),
                code="too_many",
                params={"count": MAX_ATTACHMENTS},
            )
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(attachment_check(upload))
            except forms.ValidationError as error:
                errors.append(error)
        if errors:
            raise forms.ValidationError(errors)
        self.checked_files = checked
        return uploads

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for field, errors in submission_errors(cleaned, cleaned.get("themes") or []).items():
                if field not in self.errors:
                    self.add_error(field, errors)
        return cleaned

    def service_data(self) -> dict:
        data = {field: self.cleaned_data.get(field, "") for field in ("title", *TEXT_FIELDS)}
        data["evidence_level"] = self.cleaned_data["evidence_level"]
        data["region"] = self.cleaned_data.get("region")
        data["language"] = self.cleaned_data["language"]
        return data


def practice_initial(practice: Practice) -> dict:
    initial = {field: getattr(practice, field) for field in ("title", *TEXT_FIELDS, "evidence_level", "language")}
    initial["region"] = practice.region_id
    initial["themes"] = [tag.value for tag in practice.tags.all() if tag.facet == "theme"]
    initial["kinds"] = [tag.value for tag in practice.tags.all() if tag.facet == "kind"]
    initial["networks"] = list(practice.networks.all())
    return initial


class TranslationForm(forms.Form):
    """A translation: the language and the translated text; the rest is the original's."""

    def __init__(self, *args, original: Practice, **kwargs):
        kwargs.setdefault("initial", {field: getattr(original, field) for field in ("title", *TEXT_FIELDS)})
        super().__init__(*args, **kwargs)
        taken = {original.language, *original.translations.values_list("language", flat=True)}
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of the translation"),
            choices=[(code, name) for code, name in settings.LANGUAGES if code not in taken],
        )
        self.fields["title"] = forms.CharField(label=_label("title"), max_length=200)
        for field in TEXT_FIELDS:
            self.fields[field] = _text_field(field, required=field in REQUIRED_TEXT_FIELDS)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ChangeRequestForm(forms.Form):
    body = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("The author receives this text by e-mail."),
    )
