"""Forms of part "member": a member's reply and rating, the report form of the portal, the zone's handling of a
report, and the filters of the reports inbox (shared by the page and the API)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Network

from . import permissions
from .choices import ReportCategory, ReportStatus
from .models import Report
from .services import reports as report_services
from .services.feedback import REPLY_MAX

VERDICTS = {"useful": True, "not-useful": False}


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("At most 2,000 characters. Your reply reaches the sender of the message, with your name."),
    )


class RatingForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Was this message useful?"),
        choices=[("useful", _("Yes, useful")), ("not-useful", _("No, not useful"))],
    )

    @property
    def useful(self) -> bool:
        return VERDICTS[self.cleaned_data["verdict"]]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class ReportForm(forms.Form):
    """The structured report of the portal. The checks (not in the future, the last 30 days, no number plate, a
    network of the member) are the service's; the form only reads the values."""

    network = forms.ModelChoiceField(
        label=_("Network"), queryset=Network.objects.none(), empty_label=None, to_field_name="code"
    )
    category = forms.ChoiceField(label=_("What happened?"), choices=ReportCategory.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DateInput())
    happened_time = forms.TimeField(label=_("Time (about)"), widget=TimeInput())
    place = forms.CharField(
        label=_("Where?"),
        max_length=report_services.PLACE_MAX,
        help_text=_("A street and house number, a crossroads or a landmark."),
    )
    description = forms.CharField(
        label=_("Description of the behaviour"),
        max_length=report_services.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Describe what happened and the behaviour you saw: what was done, how, for how long, in which direction. "
            "Do not describe anyone's appearance (skin colour, origin, clothing, age) and do not name anyone."
        ),
    )
    vehicle_type = forms.CharField(
        label=_("Vehicle type (optional)"),
        required=False,
        max_length=report_services.VEHICLE_MAX,
        help_text=_("For example “grey van” or “red scooter”. Never a number plate."),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = report_services.member_report_networks(member=member)
        today = timezone.localdate()
        self.fields["happened_on"].widget.attrs.update(
            {"max": today.isoformat(), "min": (today - report_services.REPORT_MAX_AGE).isoformat()}
        )

    def clean(self):
        # The service refuses number plates too; checked here as well so the member sees every error at once.
        cleaned = super().clean()
        for name in ("place", "description", "vehicle_type"):
            error = report_services.plate_error(cleaned.get(name, ""))
            if error is not None:
                self.add_error(name, error)
        return cleaned

    def happened_at(self) -> datetime.datetime | None:
        day, time = self.cleaned_data.get("happened_on"), self.cleaned_data.get("happened_time")
        if day is None or time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, time))

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "network": data["network"],
            "category": data["category"],
            "happened_at": self.happened_at(),
            "place": data["place"],
            "description": data["description"],
            "vehicle_type": data.get("vehicle_type", ""),
        }


# Where the service's error keys show on the report form.
REPORT_FIELD_MAP = {"happened_at": "happened_on"}


class ReportAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the member"),
        max_length=report_services.ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The member receives it by e-mail in their language and sees it in their member portal."),
    )
    close = forms.BooleanField(label=_("Close the report as well"), required=False)


def _report_networks(request):
    if request is None:
        return Network.objects.none()
    return permissions.police_networks(request.user).order_by("name")


class ReportFilterSet(django_filters.FilterSet):
    """Filters of the zone's reports inbox, shared by the page and the API."""

    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"), empty_label=_("any"))
    network = django_filters.ModelChoiceFilter(
        queryset=_report_networks, to_field_name="code", label=_("Network"), empty_label=_("any")
    )

    class Meta:
        model = Report
        fields = ["status", "network"]
