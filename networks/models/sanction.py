"""The sanctions register of networks.

Members may get a written reprimand, a temporary suspension (with an end date) or a permanent
suspension. Coordinators may get a talk, a written reprimand by the chief of police, a temporary
removal, or a permanent removal by the administrative authority (the mayor), with a copy to ADVP and
a three-week appeal window that is shown and tracked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedManager

from ..choices import (
    COORDINATOR_MEASURES,
    MEMBER_MEASURES,
    TEMPORARY_MEASURES,
    AppealOutcome,
    SanctionMeasure,
    SanctionTarget,
)
from .network import Network, Partner


class Sanction(models.Model):
    """A sanction against a member or a coordinator of a network. Member sanctions name the member
    (`member_ref`) until members are in the platform; coordinator sanctions point at the partner."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="sanctions", verbose_name=_("network"))
    target = models.CharField(_("sanctioned"), max_length=12, choices=SanctionTarget.choices)
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
        verbose_name=_("coordinator"),
    )
    member_ref = models.CharField(_("member"), max_length=160, blank=True)
    measure = models.CharField(_("measure"), max_length=32, choices=SanctionMeasure.choices)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.CharField(_("decided by (authority)"), max_length=160)
    reason = models.TextField(_("reason"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    copy_to_advp_on = models.DateField(_("copy sent to ADVP on"), null=True, blank=True)
    appeal_deadline = models.DateField(_("appeal deadline"), null=True, blank=True)
    appeal_lodged_on = models.DateField(_("appeal lodged on"), null=True, blank=True)
    appeal_outcome = models.CharField(
        _("outcome of the appeal"), max_length=16, choices=AppealOutcome.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-decided_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target=SanctionTarget.MEMBER) & Q(measure__in=sorted(MEMBER_MEASURES)))
                | (Q(target=SanctionTarget.COORDINATOR) & Q(measure__in=sorted(COORDINATOR_MEASURES))),
                name="sanction_measure_matches_target",
                violation_error_message=_("This measure does not apply to this kind of person."),
            ),
            models.CheckConstraint(
                condition=(Q(target=SanctionTarget.MEMBER) & ~Q(member_ref="") & Q(partner__isnull=True))
                | (Q(target=SanctionTarget.COORDINATOR) & Q(partner__isnull=False)),
                name="sanction_names_the_person",
                violation_error_message=_("A member sanction names the member; a coordinator sanction the partner."),
            ),
            models.CheckConstraint(
                condition=~Q(measure__in=sorted(TEMPORARY_MEASURES)) | Q(ends_on__isnull=False),
                name="sanction_temporary_has_end",
                violation_error_message=_("A temporary measure needs an end date."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("decided_on")),
                name="sanction_ends_after_decision",
                violation_error_message=_("The end date must come after the decision."),
            ),
            models.CheckConstraint(
                condition=~Q(measure=SanctionMeasure.PERMANENT_REMOVAL)
                | Q(copy_to_advp_on__isnull=False, appeal_deadline__isnull=False),
                name="sanction_removal_copy_and_appeal",
                violation_error_message=_(
                    "A permanent removal needs the date of the copy to ADVP and the appeal deadline."
                ),
            ),
            models.CheckConstraint(
                condition=Q(appeal_outcome="") | Q(appeal_lodged_on__isnull=False),
                name="sanction_outcome_needs_appeal",
                violation_error_message=_("An appeal outcome needs the date the appeal was lodged."),
            ),
        ]
        indexes = [models.Index(fields=["network", "decided_on"], name="sanction_network_idx")]

    def __str__(self) -> str:
        return f"{self.network.code} – {self.get_measure_display()} ({self.decided_on})"

    @property
    def appeal_open(self) -> bool:
        return bool(self.appeal_deadline and not self.appeal_lodged_on and self.appeal_deadline >= timezone.localdate())
