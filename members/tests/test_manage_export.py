"""Export of the member list for the communication plan: current members only, the list's filters, every column,
values neutralised against formula injection, an attachment, and a row in the audit trail."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from members.choices import MembershipStatus
from members.models import Member, Membership

from . import factories
from .manage_helpers import sign_in, view_events

pytestmark = pytest.mark.django_db


def _url(network, file_format: str = "csv") -> str:
    return reverse("members_manage:member_export", args=[network.code, file_format])


def _rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_csv_holds_the_current_members_with_their_choices(client, personas):
    personas.coordinator.language = "en"
    personas.coordinator.save(update_fields=["language"])
    member = Member.objects.get(user=personas.member)
    Member.objects.filter(pk=member.pk).update(
        muted_types=["newsletter"],
        quiet_from=datetime.time(22, 0),
        quiet_until=datetime.time(7, 0),
        paused_from=datetime.date(2026, 7, 1),
        paused_until=datetime.date(2026, 7, 15),
    )
    suspended = factories.member(personas.network_a, last_name="Geschorst", status=MembershipStatus.SUSPENDED)
    factories.member(personas.network_a, last_name="Vertrokken", status=MembershipStatus.LEFT)
    factories.member(personas.network_b, last_name="Bruxellois")
    sign_in(client, personas.coordinator)
    response = client.get(_url(personas.network_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="binplp-members-BIN-11002-1-')
    assert response["Cache-Control"] == "private, no-store"
    header, *rows = _rows(response)
    assert header == [
        "Last name",
        "First name",
        "E-mail address",
        "Mobile number",
        "Address",
        "Channels",
        "Language",
        "Message types switched off",
        "Quiet hours",
        "Holiday pause",
        "Status",
        "Member since",
    ]
    assert [row[0] for row in rows] == ["Geschorst", "Lambert"]
    lambert = rows[1]
    assert lambert[:3] == ["Lambert", "Mo", "member@test.binplp.be"]
    assert lambert[3] == "'+32470123456"  # a leading + would start a formula in a spreadsheet
    assert lambert[4] == "Meir 12, 2000"
    assert lambert[5] == "e-mail, SMS, web inbox" and lambert[6] == "French"
    assert lambert[7:] == ["newsletter", "22:00–07:00", "2026-07-01 – 2026-07-15", "active", "2024-01-15"]
    assert rows[0][10] == "suspended"
    [event] = view_events("export")
    assert event.changes["members"] == sorted([member.pk, suspended.pk]) and event.actor == personas.coordinator
    assert event.object_id == str(personas.network_a.pk)


def test_the_export_follows_the_lists_filters_but_never_former_members(client, personas):
    factories.member(personas.network_a, last_name="Peeters")
    factories.member(personas.network_a, last_name="Weg", status=MembershipStatus.LEFT)
    sign_in(client, personas.zone_officer)
    _header, *rows = _rows(client.get(_url(personas.network_a), {"q": "peeters"}))
    assert [row[0] for row in rows] == ["Peeters"]
    _header, *rows = _rows(client.get(_url(personas.network_a), {"status": "left"}))
    assert rows == []
    assert len(view_events("export")) == 1  # the second export showed nobody: nothing to record


def test_values_that_would_run_as_formulas_are_neutralised(client, personas):
    factories.member(
        personas.network_a,
        first_name="@SUM(A1:A9)",
        last_name='=HYPERLINK("http://evil.example","x")',
        street="-2+3",
        house_number="1",
    )
    sign_in(client, personas.coordinator)
    _header, *rows = _rows(client.get(_url(personas.network_a)))
    evil = next(row for row in rows if "HYPERLINK" in row[0])
    assert evil[0] == '\'=HYPERLINK("http://evil.example","x")'
    assert evil[1] == "'@SUM(A1:A9)" and evil[4].startswith("'-2+3")


def test_the_xlsx_holds_the_same_rows_as_text(client, personas):
    import python_calamine

    factories.member(personas.network_a, last_name="=1+1")
    sign_in(client, personas.coordinator)
    response = client.get(_url(personas.network_a, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert [row[0] for row in rows[1:]] == ["=1+1", "Lambert"]  # a string cell, never a formula
    assert rows[2][3] == "+32470123456"
    assert len(view_events("export")) == 1


def test_bad_filters_and_formats_are_refused(client, personas):
    sign_in(client, personas.coordinator)
    assert client.get(_url(personas.network_a), {"joined_since": "yesterday"}).status_code == 400
    assert client.get(_url(personas.network_a, "pdf")).status_code == 404
    assert not view_events("export").exists()


def test_erased_memberships_never_reach_an_export(client, personas):
    erased = factories.member(personas.network_a, last_name="Gewist")
    Membership.objects.filter(member=erased).update(member=None, status=MembershipStatus.ERASED)
    sign_in(client, personas.coordinator)
    _header, *rows = _rows(client.get(_url(personas.network_a)))
    assert [row[0] for row in rows] == ["Lambert"]
