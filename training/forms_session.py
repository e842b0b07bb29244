"""Forms of the session and certificate pages: planning a session, the list filters, cancelling, attendance and
results, verifying and revoking a certificate. They parse input; the services check and save."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from geography.models import Academy

from .choices import Attendance, CourseLanguage, Result, VersionStatus
from .forms_course import model_field
from .models import CourseVersion, Session
from .services.sessions import academy_trainers

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
SESSION_FIELDS = ("version", "starts_at", "ends_at", "place", "online_url", "language", "capacity", "trainer", "note")


class TrainerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.email


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class SessionForm(forms.Form):
    """Plan or change a session. The academy is chosen only by trainers of several academies; the course version is
    the current one unless the course has several."""

    version = VersionChoiceField(label=_("Course version"), queryset=CourseVersion.objects.none(), empty_label=None)
    academy = forms.ModelChoiceField(label=_("Academy"), queryset=Academy.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Date and time (Belgian time)."),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Date and time (Belgian time)."),
    )
    place = model_field(Session, "place")
    online_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    language = forms.ChoiceField(label=_("Language"), choices=CourseLanguage.choices)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500)
    trainer = TrainerChoiceField(label=_("Trainer"), queryset=None, required=False, empty_label=_("Not yet known"))
    note = forms.CharField(label=_("Practical information"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, academies, session: Session | None = None, **kwargs):
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(session, name)
                for name in (
                    "version",
                    "academy",
                    "starts_at",
                    "ends_at",
                    "place",
                    "online_url",
                    "language",
                    "capacity",
                    "note",
                )
            }
            kwargs["initial"]["trainer"] = session.trainer_id
        super().__init__(*args, **kwargs)
        self.session = session
        academies = list(academies)
        versions = CourseVersion.objects.filter(status=VersionStatus.CURRENT)
        if session is not None:
            versions = versions | CourseVersion.objects.filter(pk=session.version_id)
        self.fields["version"].queryset = versions.select_related("course").order_by("course__code", "-number")
        if session is None and "version" not in self.initial:
            self.initial["version"] = self.fields["version"].queryset.first()
        self.fields["academy"].queryset = Academy.objects.filter(pk__in=[a.pk for a in academies])
        if session is not None or len(academies) == 1:
            del self.fields["academy"]
            self.fixed_academy = session.academy if session is not None else academies[0]
        else:
            self.fixed_academy = None
        from accounts.models import User

        trainers = User.objects.none()
        for academy in academies if session is None else [session.academy]:
            trainers = trainers | academy_trainers(academy)
        self.fields["trainer"].queryset = trainers.distinct().order_by("last_name", "first_name", "email")
        self.fields["place"].help_text = _("Address and room.")

    def chosen_academy(self):
        return self.fixed_academy or self.cleaned_data.get("academy")

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "version",
                "starts_at",
                "ends_at",
                "place",
                "online_url",
                "language",
                "capacity",
                "trainer",
                "note",
            )
        }


class SessionFilterForm(forms.Form):
    academy = forms.ModelChoiceField(
        label=_("Academy"), queryset=Academy.objects.filter(is_active=True), required=False, empty_label=_("All")
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("All")), *CourseLanguage.choices], required=False)
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Enter a month as YYYY-MM.")},
    )
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("", _("To come")), ("past", _("Past"))],
        required=False,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class AttendanceForm(forms.Form):
    """One attendance and one result field per enrolment holding a seat: `attendance_<id>`, `result_<id>`."""

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        attendance_choices = [("", _("not recorded")), *Attendance.choices]
        result_choices = [("", _("no result")), *Result.choices]
        for enrolment in enrolments:
            name = enrolment.trainee.full_name
            self.fields[f"attendance_{enrolment.pk}"] = forms.ChoiceField(
                label=_("Attendance of %(name)s") % {"name": name},
                choices=attendance_choices,
                required=False,
                initial=enrolment.attendance,
                widget=forms.RadioSelect,
            )
            self.fields[f"result_{enrolment.pk}"] = forms.ChoiceField(
                label=_("Result of %(name)s") % {"name": name},
                choices=result_choices,
                required=False,
                initial=enrolment.result,
                widget=forms.RadioSelect,
            )
            self.rows.append(enrolment)

    def bound_rows(self) -> list[dict]:
        return [
            {"enrolment": e, "attendance": self[f"attendance_{e.pk}"], "result": self[f"result_{e.pk}"]}
            for e in self.rows
        ]

    def marks(self) -> dict[int, tuple[str, str]]:
        return {e.pk: (self.cleaned_data[f"attendance_{e.pk}"], self.cleaned_data[f"result_{e.pk}"]) for e in self.rows}


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed on the certificate, for example 7KQ4-M2XD-9TPA-F."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )


def month_start(value: datetime.date | None) -> datetime.date | None:
    return value.replace(day=1) if value else None
