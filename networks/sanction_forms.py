"""Forms of the sanctions register: they parse input; services/sanction.py checks it."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import COORDINATOR_MEASURES, MEMBER_MEASURES, AppealOutcome, SanctionMeasure


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


def _measures(allowed) -> list[tuple[str, str]]:
    return [(value, label) for value, label in SanctionMeasure.choices if value in allowed]


class _SanctionForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=_date_widget())
    decided_by = forms.CharField(
        label=_("Decided by (authority)"),
        max_length=160,
        help_text=_("For example: the coordinator and the mandated officer, the chief of police, the mayor."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=_date_widget(), help_text=_("For a temporary measure only.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class MemberSanctionForm(_SanctionForm):
    member_ref = forms.CharField(
        label=_("Member"), max_length=160, help_text=_("The member's name or member reference.")
    )
    measure = forms.ChoiceField(label=_("Measure"), choices=_measures(MEMBER_MEASURES), widget=forms.RadioSelect)
    field_order = ["member_ref", "measure", "decided_on", "decided_by", "ends_on", "reason"]


class CoordinatorSanctionForm(_SanctionForm):
    partner = forms.ModelChoiceField(label=_("Coordinator"), queryset=None, empty_label=None)
    measure = forms.ChoiceField(label=_("Measure"), choices=_measures(COORDINATOR_MEASURES), widget=forms.RadioSelect)
    copy_to_advp_on = forms.DateField(
        label=_("Copy of the decision sent to ADVP on"),
        required=False,
        widget=_date_widget(),
        help_text=_(
            "For a permanent removal only. The coordinator may appeal within three weeks of the decision: "
            "the deadline is computed for you."
        ),
    )
    field_order = ["partner", "measure", "decided_on", "decided_by", "ends_on", "copy_to_advp_on", "reason"]

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["partner"].label_from_instance = lambda partner: str(partner)


class AppealForm(forms.Form):
    appeal_lodged_on = forms.DateField(label=_("Appeal lodged on"), widget=_date_widget())
    appeal_outcome = forms.ChoiceField(
        label=_("Outcome of the appeal"),
        choices=[("", _("not known yet")), *AppealOutcome.choices],
        required=False,
    )
