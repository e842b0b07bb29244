"""Fixtures of the committee tests: the seat categories (from the data migration), seat terms held by personas and
contacts, and meetings. Rows are written directly (a known state); the services are what the tests exercise."""

from __future__ import annotations

import datetime
import io
import itertools

import pytest
from django.utils import timezone

_counter = itertools.count(1)


def at(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=timezone.get_current_timezone())


def pdf_bytes(title: str = "Agenda") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def ics_of(message):
    from icalendar import Calendar

    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    return None


@pytest.fixture(autouse=True)
def _seat_categories(request):
    """The categories come from a data migration; a transactional test elsewhere may have flushed them."""
    if not ({"db", "transactional_db", "live_server", "personas"} & set(request.fixturenames)):
        yield
        return
    request.getfixturevalue("reference_data")
    import importlib

    from django.apps import apps

    from committee.models import SeatCategory

    if not SeatCategory.objects.exists():
        importlib.import_module("committee.migrations.0002_seed_categories").seed(apps, None)
    yield


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def english(personas):
    from accounts.models import User

    User.objects.update(language="en")
    for person in personas.all().values():
        person.language = "en"
    return personas


@pytest.fixture
def make_term():
    """make_term(category="coordinators", seat=1, user=None, days_ago=30, **fields) -> SeatTerm (a contact with a
    unique address writing English unless `user` is given)."""
    from committee.models import SeatCategory, SeatTerm

    def make(category: str = "coordinators", seat: int = 1, *, user=None, days_ago: int = 30, **fields):
        n = next(_counter)
        values = {
            "category": SeatCategory.objects.get(code=category),
            "seat_number": seat,
            "user": user,
            "starts_on": timezone.localdate() - datetime.timedelta(days=days_ago),
        }
        if user is None:
            values.update(first_name=f"Contact{n}", last_name="Holder", email=f"holder{n}@example.test", language="en")
        values.update(fields)
        return SeatTerm.objects.create(**values)

    return make


@pytest.fixture
def seats(english, make_term):
    """The member persona holds coordinators seat 1; a contact holds police-zones seat 1; a contact without an
    e-mail address holds federal-police seat 1."""
    member_term = make_term("coordinators", 1, user=english.member)
    contact = make_term("police-zones", 1, organisation="PZ Antwerpen")
    no_email = make_term("federal-police", 1, email="", first_name="Noemail", last_name="Person")
    return {"member": member_term, "contact": contact, "no_email": no_email}


@pytest.fixture
def make_meeting(english):
    """make_meeting(days=30, **fields) -> a planned Meeting from 10:00 to 12:00 `days` from today."""
    from committee.models import Meeting

    def make(*, days: int = 30, **fields):
        values = {
            "title": "Steering committee 2027",
            "starts_at": at(days, 10),
            "ends_at": at(days, 12),
            "place": "FOD Binnenlandse Zaken, Brussel",
            "created_by": english.advp_admin,
        }
        values.update(fields)
        return Meeting.objects.create(**values)

    return make
