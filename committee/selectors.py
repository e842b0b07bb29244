"""Reads of the committee: the composition (seats with their current holder, coming rotations, history), meetings
and the follow-up list, each from `Model.objects.for_user(user, "view")`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .choices import ActionStatus, MeetingStatus
from .models import ActionItem, AgendaDocument, AgendaItem, Invitation, Meeting, SeatCategory, SeatTerm

ROTATION_DAYS = 90


@dataclass
class Seat:
    number: int
    holder: SeatTerm | None = None
    next_term: SeatTerm | None = None


@dataclass
class CategoryRow:
    category: SeatCategory
    seats: list[Seat] = field(default_factory=list)

    @property
    def vacant(self) -> int:
        return sum(1 for seat in self.seats if seat.holder is None)


@dataclass
class Composition:
    categories: list[CategoryRow]
    rotations: list[SeatTerm]
    history: list[SeatTerm]


def composition(*, user, today: datetime.date | None = None) -> Composition:
    """Every seat with its current holder (or vacant), the terms ending within 90 days, and past terms. Two queries."""
    today = today or timezone.localdate()
    categories = list(SeatCategory.objects.for_user(user, "view").order_by("order", "code"))
    terms = list(SeatTerm.objects.for_user(user, "view").select_related("user", "category").order_by("starts_on"))
    rows = []
    for category in categories:
        seats = {number: Seat(number=number) for number in range(1, category.seats + 1)}
        for term in terms:
            if term.category_id != category.pk or term.seat_number not in seats:
                continue
            if term.is_current(today):
                seats[term.seat_number].holder = term
            elif term.starts_on > today and seats[term.seat_number].next_term is None:
                seats[term.seat_number].next_term = term
        rows.append(CategoryRow(category=category, seats=list(seats.values())))
    horizon = today + datetime.timedelta(days=ROTATION_DAYS)
    rotations = [t for t in terms if t.ends_on and today <= t.ends_on <= horizon]
    history = sorted((t for t in terms if t.ends_on and t.ends_on < today), key=lambda t: t.ends_on, reverse=True)
    return Composition(categories=rows, rotations=rotations, history=history)


def meeting_list(*, user):
    return (
        Meeting.objects.for_user(user, "view")
        .annotate(
            item_count=Count("items", distinct=True),
            invited_count=Count("invitations", distinct=True),
            yes_count=Count("invitations", filter=Q(invitations__reply="yes"), distinct=True),
        )
        .order_by("-starts_at")
    )


def meeting_detail(meeting: Meeting) -> Meeting:
    """The meeting with its agenda (owners, documents), invitations, decisions and actions prefetched."""
    return (
        Meeting.objects.filter(pk=meeting.pk)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related("owner_term__user").prefetch_related(
                    Prefetch("documents", queryset=AgendaDocument.objects.order_by("pk"))
                ),
            ),
            Prefetch("invitations", queryset=Invitation.objects.order_by("name")),
            "decisions",
            Prefetch("actions", queryset=ActionItem.objects.select_related("owner_term__user")),
        )
        .get()
    )


def action_list(*, user, show_done: bool = False):
    queryset = ActionItem.objects.for_user(user, "view").select_related("meeting", "owner_term__user")
    if not show_done:
        queryset = queryset.exclude(status=ActionStatus.DONE)
    return queryset.order_by("due_on", "pk")


def next_meeting(*, user) -> Meeting | None:
    return (
        Meeting.objects.for_user(user, "view")
        .filter(status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )


def home(*, user) -> dict:
    actions = list(action_list(user=user)[:5])
    return {
        "next_meeting": next_meeting(user=user),
        "open_actions": actions,
        "open_count": ActionItem.objects.for_user(user, "view").exclude(status=ActionStatus.DONE).count(),
    }
