"""Services of the composition (committee/services/seats.py): categories and terms, the audit rows, and the refusals
(overlapping terms, seats taken away below those held, KC or members changing it)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from committee.models import SeatCategory, SeatTerm
from committee.services import seats as services
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_it_seeds_the_categories_of_the_agreement():
    seats = dict(SeatCategory.objects.values_list("code", "seats"))
    assert seats == {
        "chair": 1,
        "police-zones": 3,
        "coordinators": 3,
        "self-employed": 2,
        "vclp": 1,
        "federal-police": 3,
        "knowledge-centre": 2,
        "provinces": 2,
    }


def test_it_adds_a_category_with_an_audit_row(english):
    category = services.category_create(
        actor=english.advp_admin, code="regions", name_nl="Gewesten", name_fr="Régions", seats=3
    )
    assert SeatCategory.objects.get(code="regions").seats == 3
    event = AuditEvent.objects.get(object_id=str(category.pk), action="create")
    assert event.actor == english.advp_admin and event.changes["seats"] == 3


def test_only_advp_changes_the_composition(english):
    category = SeatCategory.objects.get(code="vclp")
    for actor in (english.knowledge_centre, english.member, english.outsider):
        with pytest.raises(PermissionDenied):
            services.category_update(actor=actor, category=category, seats=2)
        with pytest.raises(PermissionDenied):
            services.term_create(
                actor=actor, category=category, seat_number=1, starts_on=TODAY(), first_name="A", last_name="B"
            )


def test_it_gives_a_seat_for_a_term(english):
    category = SeatCategory.objects.get(code="vclp")
    term = services.term_create(
        actor=english.advp_admin,
        category=category,
        seat_number=1,
        starts_on=TODAY(),
        first_name="Els",
        last_name="Peeters",
        email="els@vclp.test",
        organisation="VCLP",
        language="nl",
    )
    assert term.is_current() and term.holder_name == "Els Peeters"
    assert AuditEvent.objects.filter(object_id=str(term.pk), action="create", actor=english.advp_admin).exists()


def test_it_refuses_overlapping_terms_and_saves_nothing(english, make_term):
    held = make_term("vclp", 1, days_ago=100, ends_on=TODAY() + datetime.timedelta(days=20))
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.term_create(
            actor=english.advp_admin,
            category=held.category,
            seat_number=1,
            starts_on=TODAY() + datetime.timedelta(days=10),
            first_name="New",
            last_name="Holder",
        )
    message = error.value.message_dict["starts_on"][0]
    assert "cannot overlap" in message and held.holder_name in message
    assert SeatTerm.objects.filter(category=held.category).count() == 1
    assert AuditEvent.objects.count() == before
    # After the end of the held term the seat is free.
    services.term_create(
        actor=english.advp_admin,
        category=held.category,
        seat_number=1,
        starts_on=TODAY() + datetime.timedelta(days=21),
        first_name="New",
        last_name="Holder",
    )


def test_an_open_ended_term_overlaps_everything_after_it(english, make_term):
    held = make_term("vclp", 1, days_ago=10)
    with pytest.raises(ValidationError):
        services.term_create(
            actor=english.advp_admin,
            category=held.category,
            seat_number=1,
            starts_on=TODAY() + datetime.timedelta(days=400),
            first_name="X",
            last_name="Y",
        )


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"seat_number": 2}, "seat_number", "has 1 seats"),
        ({"first_name": "", "last_name": ""}, "last_name", "platform user"),
        ({"ends_on": datetime.date(2000, 1, 1)}, "__all__", "cannot end before it starts"),
    ],
)
def test_it_refuses_bad_terms(english, fields, field, text):
    values = {
        "actor": english.advp_admin,
        "category": SeatCategory.objects.get(code="vclp"),
        "seat_number": 1,
        "starts_on": TODAY(),
        "first_name": "A",
        "last_name": "B",
        **fields,
    }
    with pytest.raises(ValidationError) as error:
        services.term_create(**values)
    assert text in " ".join(error.value.message_dict[field])
    assert not SeatTerm.objects.exists()


def test_seats_cannot_go_below_those_held(english, make_term):
    make_term("police-zones", 3)
    category = SeatCategory.objects.get(code="police-zones")
    with pytest.raises(ValidationError) as error:
        services.category_update(actor=english.advp_admin, category=category, seats=2)
    assert "at least 3 seats" in error.value.message_dict["seats"][0]
    assert SeatCategory.objects.get(code="police-zones").seats == 3
    services.category_update(actor=english.advp_admin, category=category, seats=4)
    assert AuditEvent.objects.get(object_id=str(category.pk), action="update").changes == {"seats": [3, 4]}


def test_it_ends_a_term(english, make_term):
    term = make_term("vclp", 1, days_ago=100)
    services.term_end(actor=english.advp_admin, term=term, ends_on=TODAY())
    term.refresh_from_db()
    assert term.ends_on == TODAY()
    assert AuditEvent.objects.filter(object_id=str(term.pk), action="update").exists()
