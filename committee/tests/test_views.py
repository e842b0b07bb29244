"""Committee pages: the permission matrix of every page (anonymous → sign in, outsiders → 404, members of the
committee where they may only read → 403, allowed → 2xx), the lists with a bounded number of queries, and the forms
end to end (errors shown, nothing saved)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from committee.models import ActionItem, AgendaDocument, AgendaItem, Decision, Meeting, SeatCategory, SeatTerm
from core.testing.matrix import assert_permission_matrix

from .conftest import at, pdf_bytes

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    client.force_login(user)
    client.cookies["binplp_language"] = "en"
    return client


def hidden(p):
    """People outside the committee: no national role and no current seat."""
    return [p.outsider, p.zone_officer, p.coordinator, p.trainer, p.municipality_official]


@pytest.fixture
def world(english, seats, make_meeting, media):
    meeting = make_meeting()
    item = AgendaItem.objects.create(meeting=meeting, position=1, title_en="Welcome")
    document = AgendaDocument(item=item, kind="pdf", title="Report", original_name="report.pdf")
    document.file.save("x.pdf", ContentFile(pdf_bytes()), save=True)
    action = ActionItem.objects.create(meeting=meeting, title="Draft", owner_text="KC", due_on=timezone.localdate())
    return {"meeting": meeting, "item": item, "document": document, "action": action, **seats}


@pytest.mark.parametrize(
    "url",
    [
        "/committee/",
        "/committee/meetings/",
        "/committee/actions/",
        "MEETING",
        "DOCUMENT",
    ],
)
def test_committee_reads(client, english, world, url):
    url = url.replace("MEETING", f"/committee/meetings/{world['meeting'].pk}/").replace(
        "DOCUMENT", f"/committee/documents/{world['document'].pk}/"
    )
    assert_permission_matrix(
        client,
        url,
        allowed=[english.advp_admin, english.knowledge_centre, english.member],
        hidden=hidden(english),
    )


@pytest.mark.parametrize("url", ["/committee/categories/new/", "/committee/terms/new/", "CATEGORY", "TERM"])
def test_advp_edits_the_composition(client, english, world, url):
    category = SeatCategory.objects.get(code="vclp")
    url = url.replace("CATEGORY", f"/committee/categories/{category.pk}/edit/").replace(
        "TERM", f"/committee/terms/{world['contact'].pk}/end/"
    )
    assert_permission_matrix(
        client,
        url,
        allowed=[english.advp_admin],
        in_scope_wrong_role=[english.knowledge_centre, english.member],
        hidden=hidden(english),
    )


@pytest.mark.parametrize(
    ("path", "method", "data"),
    [
        ("new/", "get", None),
        ("{m}/edit/", "get", None),
        ("{m}/cancel/", "get", None),
        ("{m}/invite/", "get", None),
        ("{m}/minutes/", "get", None),
        ("{m}/agenda/{i}/documents/", "get", None),
        ("{m}/agenda/", "post", {"title_en": ""}),
        ("{m}/decisions/", "post", {"text": ""}),
        ("{m}/actions/", "post", {"title": ""}),
    ],
)
def test_advp_and_the_knowledge_centre_prepare_meetings(client, english, world, path, method, data):
    url = "/committee/meetings/" + path.format(m=world["meeting"].pk, i=world["item"].pk)
    assert_permission_matrix(
        client,
        url,
        method=method,
        data=data,
        allowed=[english.advp_admin, english.knowledge_centre],
        in_scope_wrong_role=[english.member],
        hidden=hidden(english),
        allowed_status=(200, 302, 400),
    )


def test_action_status_matrix(client, english, world):
    assert_permission_matrix(
        client,
        f"/committee/actions/{world['action'].pk}/status/",
        method="post",
        data={"status": "in_progress"},
        allowed=[english.advp_admin, english.knowledge_centre],
        in_scope_wrong_role=[english.member],
        hidden=hidden(english),
        allowed_status=(302,),
    )
    assert ActionItem.objects.get().status == "in_progress"


def test_composition_shows_holders_vacancies_rotations_and_history(client, english, world, make_term):
    today = timezone.localdate()
    make_term("provinces", 1, ends_on=today + datetime.timedelta(days=40), first_name="Rotating")
    make_term("provinces", 2, days_ago=800, ends_on=today - datetime.timedelta(days=100), first_name="Former")
    html = sign_in(client, english.knowledge_centre).get("/committee/").content.decode()
    assert world["contact"].holder_name in html and world["contact"].email in html
    assert "vacant" in html and "Rotating" in html and "Former" in html
    member_html = sign_in(client, english.member).get("/committee/").content.decode()
    assert world["contact"].holder_name in member_html and world["contact"].email not in member_html


def test_members_see_published_minutes_only(client, english, world):
    meeting = world["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(minutes_en="**Secret draft**")
    Decision.objects.create(meeting=meeting, text="A decision")
    sign_in(client, english.member)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Secret draft" not in html and "A decision" not in html
    Meeting.objects.filter(pk=meeting.pk).update(minutes_published_at=timezone.now())
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "<strong>Secret draft</strong>" in html and "A decision" in html


def test_lists_make_a_bounded_number_of_queries(client, english, world, make_meeting, django_assert_max_num_queries):
    sign_in(client, english.advp_admin)
    urls = ["/committee/", "/committee/meetings/", "/committee/actions/"]
    counts = {}
    for url in urls:
        client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts[url] = len(few)
    for n in range(8):
        meeting = make_meeting(days=40 + n)
        AgendaItem.objects.create(meeting=meeting, position=1, title_en="x")
        ActionItem.objects.create(meeting=meeting, title=f"A{n}", owner_term=world["contact"], due_on=at(5).date())
    SeatTerm.objects.create(
        category=SeatCategory.objects.get(code="vclp"),
        seat_number=1,
        first_name="V",
        last_name="C",
        starts_on=timezone.localdate(),
    )
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_planning_a_meeting_in_the_past_shows_the_error(client, english, world):
    sign_in(client, english.advp_admin)
    response = client.post(
        "/committee/meetings/new/",
        {"title": "Late", "starts_at": "2020-01-01T10:00", "ends_at": "2020-01-01T12:00", "place": "Brussel"},
    )
    assert response.status_code == 200 and "cannot start in the past" in response.content.decode()
    assert not Meeting.objects.filter(title="Late").exists()


def test_overlapping_term_form_shows_the_error(client, english, world):
    sign_in(client, english.advp_admin)
    term = world["contact"]
    response = client.post(
        "/committee/terms/new/",
        {
            "category": term.category_id,
            "seat_number": term.seat_number,
            "first_name": "Other",
            "last_name": "Person",
            "language": "nl",
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200 and "cannot overlap" in response.content.decode()
    assert SeatTerm.objects.filter(category=term.category, seat_number=term.seat_number).count() == 1


def test_invite_page_lists_those_without_an_address(client, english, world, smtp_server):
    sign_in(client, english.advp_admin)
    url = f"/committee/meetings/{world['meeting'].pk}/invite/"
    html = client.get(url).content.decode()
    assert "Noemail Person" in html and "no e-mail address" in html
    response = client.post(url, follow=True)
    text = response.content.decode()
    assert "Not invited, no e-mail address known: Noemail Person." in text
    assert "on their way to 2 seat holders" in text


def test_a_disguised_upload_shows_the_error(client, english, world):
    sign_in(client, english.knowledge_centre)
    url = f"/committee/meetings/{world['meeting'].pk}/agenda/{world['item'].pk}/documents/"
    response = client.post(url, {"title": "x", "file": SimpleUploadedFile("a.pdf", b"<html>hi</html>")})
    assert response.status_code == 200 and "web page" in response.content.decode()
    assert AgendaDocument.objects.count() == 1


def test_the_home_page_shows_the_next_meeting_and_open_actions(client, english, world):
    html = sign_in(client, english.member).get("/").content.decode()
    assert "Steering committee" in html and world["meeting"].title in html and "Draft" in html
    html = sign_in(client, english.outsider).get("/").content.decode()
    assert world["meeting"].title not in html
