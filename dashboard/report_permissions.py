"""Who reads and writes the annual report: ADVP writes and freezes it; ADVP and the Knowledge Centre read drafts;
a frozen report is public (anybody, signed in or not)."""

from __future__ import annotations

from core.roles import Role, has_role

from .models import AnnualReport


def can_write_reports(user) -> bool:
    return has_role(user, Role.ADVP)


def can_read_drafts(user) -> bool:
    return has_role(user, Role.ADVP, Role.KNOWLEDGE_CENTRE)


def can_read(user, report: AnnualReport) -> bool:
    return report.is_frozen or can_read_drafts(user)
