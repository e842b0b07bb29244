"""Who sees and does what on the steering committee.

- ADVP chairs the committee: it edits the composition (categories, seats, terms) and prepares meetings.
- The Knowledge Centre reads the composition and prepares meetings with ADVP (agenda, invitations, minutes,
  decisions, action items).
- Committee members (signed-in users holding a current seat) read the composition, the meetings with their agenda,
  documents and published minutes, and the follow-up list. Contacts without an account read their meeting through
  the signed link of their invitation (committee.tokens).
- Nobody else knows the committee's pages exist: 404.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from core.roles import Role, has_role

from .models import ActionItem, AgendaDocument, AgendaItem, Decision, Invitation, Meeting, SeatCategory, SeatTerm

_HOLDER_ATTR = "_binplp_committee_holder"


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_seat_holder(user) -> bool:
    """Whether the user holds a current seat (read once per request, cached on the user object)."""
    if not _authenticated(user):
        return False
    cached = getattr(user, _HOLDER_ATTR, None)
    if cached is None:
        cached = SeatTerm.objects.current().filter(user=user).exists()
        setattr(user, _HOLDER_ATTR, cached)
    return cached


def can_edit_seats(user) -> bool:
    return has_role(user, Role.ADVP)


def can_prepare(user) -> bool:
    """ADVP and the Knowledge Centre prepare meetings and follow the actions up."""
    return has_role(user, Role.ADVP, Role.KNOWLEDGE_CENTRE)


def is_committee_reader(user) -> bool:
    return can_prepare(user) or is_seat_holder(user)


def require_reader(user) -> None:
    """404 for anyone outside the committee: its pages do not exist for them."""
    if not is_committee_reader(user):
        raise Http404


def _reader_rule(change):
    def rule(user, action: str) -> Q | None:
        if action == "view":
            return Q() if is_committee_reader(user) else None
        if action == "change":
            return Q() if change(user) else None
        return None

    return rule


scope_rule_seats = _reader_rule(can_edit_seats)
scope_rule_meetings = _reader_rule(can_prepare)


def _register() -> None:
    from core.scoping import scope_rule

    for model in (SeatCategory, SeatTerm):
        scope_rule(model)(scope_rule_seats)
    for model in (Meeting, AgendaItem, AgendaDocument, Decision, ActionItem):
        scope_rule(model)(scope_rule_meetings)
    scope_rule(Invitation)(invitation_rule)


def invitation_rule(user, action: str) -> Q | None:
    """Replies are seen by those preparing the meeting; a member sees their own invitations."""
    if not _authenticated(user):
        return None
    if can_prepare(user):
        return Q()
    if action == "view":
        return Q(term__user=user)
    return None


_register()
