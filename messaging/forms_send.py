"""Forms of part "send": composing a message (checked by services.targets.draft_build, like the API), the tips library
and the filters of the sent-message list (one FilterSet for the page and the API)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import add_service_errors
from core.roles import Role, is_national, scope_ids
from networks.models import Network

from . import permissions
from .choices import MessageStatus, MessageType, Sender, TargetKind
from .models import Message
from .services import targets
from .services.sending import BODY_MAX, LANGUAGES, TITLE_MAX
from .services.tips import tip_zones
from .sms import sms_length

BRUSSELS = ZoneInfo("Europe/Brussels")
# The SMS field holds a little more than the limit, so that an over-long text gets the clear error of the service
# rather than being cut by the browser.
SMS_FIELD_MAX = 1000
SEND_NOW, SEND_LATER = "now", "later"


def language_names() -> dict[str, str]:
    return dict(settings.LANGUAGES)


class BrusselsDateTimeField(forms.DateTimeField):
    """A date and time read and shown in Europe/Brussels, whatever the active time zone."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        super().__init__(**kwargs)

    def to_python(self, value):
        with timezone.override(BRUSSELS):
            return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value, BRUSSELS)
        return value


class NetworkCodesField(forms.MultipleChoiceField):
    """Network codes: the choices are the networks the sender may reach, but any code is accepted here so that the
    target check can say precisely what is wrong with one (unknown, ended, out of scope)."""

    def valid_value(self, value) -> bool:
        return True


# What the SMS counter says; static/messaging/compose.js fills the same texts in as the sender types.
COUNTER_TEMPLATE = _("%(characters)s characters · %(segments)s SMS · %(encoding)s (%(per_segment)s characters per SMS)")
COUNTER_TOO_LONG = _("Too long: at most %(max)s SMS.")
COUNTER_UCS2 = _(
    "A character outside the GSM alphabet (such as an emoji, ç or ê) makes each SMS hold fewer characters."
)


def sms_counter(value: str) -> dict:
    """The figures the counter shows for `value`, as the compose script computes them."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    length = sms_length(text)
    figures = {
        "characters": length.characters,
        "segments": length.segments,
        "encoding": length.encoding,
        "per_segment": length.per_segment,
    }
    maximum = settings.BINPLP_SMS_MAX_SEGMENTS
    return {
        **figures,
        "max": maximum,
        "too_long": length.segments > maximum,
        "text": COUNTER_TEMPLATE % figures,
        "too_long_text": COUNTER_TOO_LONG % {"max": maximum},
        "ucs2_text": COUNTER_UCS2,
        "template": COUNTER_TEMPLATE,
        "too_long_template": COUNTER_TOO_LONG,
    }


def composable_types(user) -> list[str]:
    """The message types offered to `user`: every type for mandated officers; for coordinators, those the
    communication plan of one of their networks lets coordinators send (checked again for the chosen networks)."""
    if scope_ids(user, Role.ZONE_OFFICER):
        from training.selectors_coverage import urgent_types_blocked

        from .choices import URGENT_TYPES

        if urgent_types_blocked(user):  # ADVP's training policy: urgent types need the BIN course certificate
            return [t for t in MessageType.values if t not in URGENT_TYPES]
        return list(MessageType.values)
    allowed: set[str] = set()
    for network_id in permissions.coordinator_networks(user).values_list("pk", flat=True):
        allowed |= set(permissions.coordinator_types(network_id))
    return [t for t in MessageType.values if t in allowed]


class ComposeForm(forms.Form):
    """A new message: type, targets, texts per language, and when to send it."""

    type = forms.ChoiceField(label=_("Type of message"), choices=MessageType.choices, widget=forms.RadioSelect)
    target_kind = forms.ChoiceField(
        label=_("Send to"), choices=TargetKind.choices, widget=forms.RadioSelect, initial=TargetKind.NETWORKS
    )
    networks = NetworkCodesField(
        label=_("Networks"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more networks."),
    )
    target_zone = forms.IntegerField(label=_("Police zone"), required=False, widget=forms.Select)
    target_municipality = forms.IntegerField(label=_("Municipality"), required=False, widget=forms.Select)
    target_area = forms.CharField(
        label=_("The area as GeoJSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "Filled in when you draw on the map. Without the map, paste a GeoJSON polygon in longitude, latitude "
            "(WGS84)."
        ),
    )
    when = forms.ChoiceField(
        label=pgettext_lazy("sending time", "When"),
        choices=[(SEND_NOW, _("Send now")), (SEND_LATER, _("Schedule for later"))],
        widget=forms.RadioSelect,
        initial=SEND_NOW,
    )
    send_at = BrusselsDateTimeField(
        label=_("Date and time (Brussels time)"),
        required=False,
        help_text=_("For example 2026-05-04 08:30."),
    )
    feedback_for = forms.IntegerField(required=False, widget=forms.HiddenInput)
    plate_acknowledged = forms.BooleanField(
        label=_("I checked the texts: they name no number plate and describe no recognisable person. Send anyway."),
        required=False,
    )

    def __init__(self, *args, user, language: str = "nl", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.language = (language or "nl")[:2]
        self.draft: targets.Draft | None = None
        self.offered_types = composable_types(user)
        # Every type is accepted by the field, so that a type the communication plan does not allow gets its own
        # error from the service; only the allowed ones are offered.
        self.fields["type"].widget.choices = [(t, MessageType(t).label) for t in self.offered_types]
        kinds = targets.target_kinds(user)
        self.fields["target_kind"].widget.choices = [(k, TargetKind(k).label) for k in kinds]
        self.network_choices = [
            (code, f"{name} ({code})")
            for code, name in targets.sendable_networks(user).order_by("name", "code").values_list("code", "name")
        ]
        self.fields["networks"].choices = self.network_choices
        if TargetKind.ZONE in kinds:
            self.fields["target_zone"].widget.choices = [(z.pk, str(z)) for z in targets.officer_zones(user)]
            self.fields["target_municipality"].widget.choices = [("", _("Choose a municipality"))] + [
                (m.pk, m.name) for m in targets.officer_municipalities(user)
            ]
        else:
            del self.fields["target_zone"]
            del self.fields["target_municipality"]
        names = language_names()
        for code in LANGUAGES:
            name = names[code]
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                required=False,
                strip=True,
                widget=forms.TextInput(attrs={"maxlength": TITLE_MAX, "lang": code, "size": 60}),
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": name},
                required=False,
                strip=True,
                help_text=_("Markdown: *italic*, **bold**, lists with -, links as [text](https://…)."),
                widget=forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX, "lang": code}),
            )
            self.fields[f"sms_{code}"] = forms.CharField(
                label=_("SMS text (%(language)s)") % {"language": name},
                required=False,
                strip=False,
                max_length=SMS_FIELD_MAX,
                help_text=_("Short text for members who chose SMS; without it they get the title."),
                widget=forms.Textarea(
                    attrs={
                        "rows": 3,
                        "lang": code,
                        "data-sms-counter": f"sms-counter-{code}",
                        "aria-describedby": f"id_sms_{code}_helptext sms-counter-{code}",
                    }
                ),
            )

    # --- layout helpers for the template -------------------------------------------------------------------------

    def language_sections(self) -> list[dict]:
        names = language_names()
        sections = []
        for code in LANGUAGES:
            fields = [self[f"title_{code}"], self[f"body_{code}"], self[f"sms_{code}"]]
            filled = any(str(f.value() or "").strip() for f in fields)
            sections.append(
                {
                    "code": code,
                    "name": names[code],
                    "title": fields[0],
                    "body": fields[1],
                    "sms": fields[2],
                    "counter": sms_counter(str(fields[2].value() or "")),
                    "open": filled or code == self.language or any(f.errors for f in fields),
                }
            )
        return sections

    @property
    def can_choose_zone(self) -> bool:
        return "target_zone" in self.fields

    # --- checks ----------------------------------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        send_at = None
        if data.get("when") == SEND_LATER:
            send_at = data.get("send_at")
            if send_at is None:
                self.add_error("send_at", _("Choose when to send the message."))
                return data
        try:
            self.draft = targets.draft_build(
                actor=self.user,
                message_type=data.get("type"),
                target_kind=data.get("target_kind"),
                texts=targets.texts_from_fields(data),
                network_codes=data.get("networks") or [],
                zone_id=data.get("target_zone"),
                municipality_id=data.get("target_municipality"),
                area=data.get("target_area"),
                send_at=send_at,
                feedback_for_id=data.get("feedback_for"),
            )
        except ValidationError as error:
            add_service_errors(self, error, field_map={"texts": NON_FIELD_ERRORS})
        return data

    def require_acknowledgement(self) -> None:
        self.add_error(
            "plate_acknowledged",
            _("The texts seem to contain a number plate: tick the box to confirm you checked them, or change them."),
        )


# --- tips ----------------------------------------------------------------------------------------------------------

NATIONAL = "national"


class TipForm(forms.Form):
    library = forms.ChoiceField(label=_("Library"))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=150)
    body = forms.CharField(
        label=_("Text"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: *italic*, **bold**, lists with -, links as [text](https://…)."),
    )
    sms = forms.CharField(
        label=_("SMS text"),
        max_length=SMS_FIELD_MAX,
        required=False,
        strip=False,
        help_text=_("Optional short text for members who chose SMS."),
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "data-sms-counter": "sms-counter-tip",
                "aria-describedby": "id_sms_helptext sms-counter-tip",
            }
        ),
    )

    def __init__(self, *args, user, tip=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if tip is not None:
            del self.fields["library"]
            return
        choices = [(NATIONAL, _("National tips"))] if is_national(user) else []
        choices += [(str(zone.pk), str(zone)) for zone in tip_zones(user)]
        self.fields["library"].choices = choices
        if len(choices) == 1:
            self.fields["library"].initial = choices[0][0]

    def sms_counter(self) -> dict:
        return sms_counter(str(self["sms"].value() or ""))

    def zone(self):
        from geography.models import PoliceZone

        value = self.cleaned_data.get("library")
        return None if value in (None, NATIONAL) else PoliceZone.objects.get(pk=int(value))


class TipFilterForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("all languages")), *settings.LANGUAGES]


# --- the list of sent messages -------------------------------------------------------------------------------------


class MessageFilterSet(django_filters.FilterSet):
    """Filters of the sent-message list, on the page and in the API."""

    type = django_filters.ChoiceFilter(choices=MessageType.choices, label=_("Type"), empty_label=_("any type"))
    status = django_filters.ChoiceFilter(choices=MessageStatus.choices, label=_("Status"), empty_label=_("any status"))
    sender = django_filters.ChoiceFilter(choices=Sender.choices, label=_("Sent as"), empty_label=_("anyone"))
    network = django_filters.ModelChoiceFilter(
        field_name="networks",
        to_field_name="code",
        queryset=Network.objects.none(),
        label=_("Network"),
        empty_label=_("any network"),
    )

    class Meta:
        model = Message
        fields = ["type", "status", "sender", "network"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = user if user is not None else getattr(self.request, "user", None)
        condition = permissions.message_networks_condition(user) if user is not None else None
        networks = Network.objects.filter(condition) if condition is not None else Network.objects.none()
        if user is not None and user.is_authenticated:
            authored = Message.networks.through.objects.filter(message__author=user).values("network_id")
            networks = Network.objects.filter(Q(pk__in=networks.values("pk")) | Q(pk__in=authored))
        self.filters["network"].queryset = networks.order_by("name", "code").only("pk", "code", "name")
