"""The demo data (committee/demo.py): seats filled with some vacant and one rotation coming, a past meeting with
minutes, decisions and actions (one overdue), a coming meeting with an agenda; seeding twice adds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from committee.demo import seed_committee
from committee.models import ActionItem, Meeting, SeatTerm
from committee.selectors import composition

pytestmark = pytest.mark.django_db


def test_it_seeds_the_committee_once(personas):
    first = seed_committee()
    assert first.created and first.terms == 14 and first.vacant == 3
    assert seed_committee().created is False
    assert SeatTerm.objects.count() == 15 and Meeting.objects.count() == 2
    view = composition(user=personas.advp_admin)
    assert len(view.rotations) == 1 and len(view.history) == 1
    assert sum(row.vacant for row in view.categories) == 3
    past, coming = Meeting.objects.order_by("starts_at")
    assert past.minutes_published_at and past.decisions.count() == 2
    assert coming.starts_at > timezone.now() and coming.items.count() == 4
    overdue = [a for a in ActionItem.objects.all() if a.is_overdue]
    assert len(overdue) == 1
