"""Services of meetings (committee/services/meetings.py): planning, the agenda and its documents, invitations with
their .ics (METHOD, SEQUENCE) received by the real SMTP server, updates and the cancellation, replies, minutes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from committee.choices import MeetingStatus
from committee.models import AgendaDocument, AgendaItem, Invitation, Meeting
from committee.services import meetings as services
from committee.tasks import send_invitation_task
from committee.text import minutes_html
from core.models import AuditEvent

from .conftest import at, ics_of, pdf_bytes

pytestmark = pytest.mark.django_db


def plan(personas, **overrides):
    values = {
        "actor": personas.advp_admin,
        "title": "Steering committee 2027",
        "starts_at": at(30, 10),
        "ends_at": at(30, 12),
        "place": "Brussel",
    }
    values.update(overrides)
    return services.meeting_create(**values)


def test_it_plans_a_meeting(english):
    meeting = plan(english, actor=english.knowledge_centre, video_url="https://meet.example.test/bin")
    assert meeting.status == MeetingStatus.PLANNED and meeting.sequence == 0
    assert AuditEvent.objects.filter(
        object_id=str(meeting.pk), action="create", actor=english.knowledge_centre
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"starts_at": at(-1, 10), "ends_at": at(-1, 12)}, "starts_at", "cannot start in the past"),
        ({"ends_at": at(30, 9)}, "ends_at", "must end after it starts"),
        ({"place": "", "video_url": ""}, "place", "place, a video link"),
    ],
)
def test_it_refuses_bad_plans(english, overrides, field, text):
    with pytest.raises(ValidationError) as error:
        plan(english, **overrides)
    assert text in error.value.message_dict[field][0]
    assert not Meeting.objects.exists()


def test_members_do_not_plan(english, seats):
    with pytest.raises(PermissionDenied):
        plan(english, actor=english.member)


def test_it_builds_the_agenda(english, seats, make_meeting):
    meeting = make_meeting()
    first = services.agenda_item_add(
        actor=english.advp_admin, meeting=meeting, title_nl="Welkom", title_en="Welcome", minutes=10
    )
    second = services.agenda_item_add(
        actor=english.knowledge_centre, meeting=meeting, title_fr="Bilan", owner_term=seats["contact"], minutes=30
    )
    assert (first.position, second.position) == (1, 2)
    assert second.owner == seats["contact"].holder_name
    assert AuditEvent.objects.filter(object_id=str(second.pk), action="create").exists()
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=english.advp_admin, meeting=meeting)
    assert AgendaItem.objects.count() == 2


def test_it_attaches_a_pdf_and_a_link(english, make_meeting, media):
    item = AgendaItem.objects.create(meeting=make_meeting(), position=1, title_en="Figures")
    document = services.document_add(
        actor=english.advp_admin,
        item=item,
        title="Report",
        upload=SimpleUploadedFile("report.pdf", pdf_bytes(), "application/pdf"),
    )
    assert document.kind == "pdf" and document.file.read().startswith(b"%PDF-")
    link = services.document_add(actor=english.advp_admin, item=item, title="Circular", url="https://example.test/c")
    assert link.kind == "link"
    assert AuditEvent.objects.filter(object_id=str(document.pk), action="create").exists()


@pytest.mark.parametrize(
    ("name", "content", "text"),
    [
        ("agenda.pdf", b"<html><script>alert(1)</script></html>", "web page"),
        ("agenda.pdf", b"MZ\x90\x00 this is an executable", "named like a PDF"),
        ("agenda.pdf", b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (x) >> >>\nstartxref\n0\n%%EOF", "scripts"),
    ],
)
def test_it_refuses_disguised_uploads(english, make_meeting, media, name, content, text):
    item = AgendaItem.objects.create(meeting=make_meeting(), position=1, title_en="Figures")
    with pytest.raises(ValidationError) as error:
        services.document_add(actor=english.advp_admin, item=item, title="x", upload=SimpleUploadedFile(name, content))
    assert text in " ".join(error.value.messages)
    assert not AgendaDocument.objects.exists() and not list(media.rglob("*.pdf"))


def test_it_refuses_an_image_as_agenda_document(english, make_meeting, media):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="PNG")
    item = AgendaItem.objects.create(meeting=make_meeting(), position=1, title_en="Figures")
    with pytest.raises(ValidationError) as error:
        services.document_add(
            actor=english.advp_admin, item=item, title="x", upload=SimpleUploadedFile("a.png", buffer.getvalue())
        )
    assert "not a PDF document" in error.value.messages[0]


def test_it_invites_every_current_holder_with_an_address(
    english, seats, make_meeting, make_term, smtp_server, django_capture_on_commit_callbacks
):
    make_term("vclp", 1, days_ago=400, ends_on=at(-30).date())  # a past holder: not invited
    meeting = make_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.meeting_invite(actor=english.knowledge_centre, meeting=meeting)
    assert [term.pk for term in result.skipped] == [seats["no_email"].pk]
    assert sorted(inv.term_id for inv in result.invited) == sorted([seats["member"].pk, seats["contact"].pk])
    messages = smtp_server.messages
    assert sorted(m["To"] for m in messages) == sorted([english.member.email, seats["contact"].email])
    for message in messages:
        calendar = ics_of(message)
        assert calendar["METHOD"] == "REQUEST"
        event = calendar.walk("VEVENT")[0]
        assert int(event["SEQUENCE"]) == 0 and str(event["SUMMARY"]) == meeting.title
        assert message["Subject"] == "Invitation: Steering committee 2027"
        assert "/committee/reply/" in smtp_server.body(message)
    assert Invitation.objects.filter(sent_sequence=0, sent_at__isnull=False).count() == 2
    event = AuditEvent.objects.get(object_id=str(meeting.pk), action="invite")
    assert event.changes["skipped_without_email"] == [seats["no_email"].pk]
    # Sending again (a task run twice, or the button pressed twice) sends nothing more.
    invitation = Invitation.objects.first()
    assert send_invitation_task.call(invitation_id=invitation.pk, sequence=0) is False
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=english.advp_admin, meeting=meeting)
    assert len(smtp_server.messages) == 2


def test_it_refuses_to_invite_when_nobody_has_an_address(english, make_term, make_meeting):
    make_term("vclp", 1, email="")
    meeting = make_meeting()
    with pytest.raises(ValidationError) as error:
        services.meeting_invite(actor=english.advp_admin, meeting=meeting)
    assert "No current seat holder has an e-mail address" in error.value.messages[0]
    assert not Invitation.objects.exists() and Meeting.objects.get().invited_at is None


def test_an_update_raises_the_sequence_and_resends(
    english, seats, make_meeting, smtp_server, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=english.advp_admin, meeting=meeting)
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(actor=english.advp_admin, meeting=meeting, place="Campus Vesta")
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert len(smtp_server.messages) == 2
    for message in smtp_server.messages:
        assert message["Subject"].startswith("Changed:")
        calendar = ics_of(message)
        assert calendar["METHOD"] == "REQUEST" and int(calendar.walk("VEVENT")[0]["SEQUENCE"]) == 1
    assert set(Invitation.objects.values_list("sent_sequence", flat=True)) == {1}
    # The old revision's task, if it runs late, sends nothing.
    assert services.invitation_send(invitation_id=Invitation.objects.first().pk, sequence=0) is False


def test_cancelling_sends_cancel(english, seats, make_meeting, smtp_server, django_capture_on_commit_callbacks):
    meeting = make_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=english.advp_admin, meeting=meeting)
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=english.advp_admin, meeting=meeting)
    assert len(smtp_server.messages) == 2
    for message in smtp_server.messages:
        calendar = ics_of(message)
        event = calendar.walk("VEVENT")[0]
        assert calendar["METHOD"] == "CANCEL" and int(event["SEQUENCE"]) == 1 and event["STATUS"] == "CANCELLED"
    assert AuditEvent.objects.filter(object_id=str(meeting.pk), action="cancel").exists()
    with pytest.raises(ValidationError):
        services.meeting_update(actor=english.advp_admin, meeting=meeting, place="x")


def test_a_reply_is_saved_with_an_audit_row(english, seats, make_meeting):
    meeting = make_meeting()
    invitation = Invitation.objects.create(
        meeting=meeting, term=seats["contact"], name="C", email="c@example.test", language="en"
    )
    services.invitation_reply(invitation=invitation, reply="maybe")
    invitation.refresh_from_db()
    assert invitation.reply == "maybe" and invitation.replied_at is not None
    assert AuditEvent.objects.get(object_id=str(invitation.pk)).changes == {"reply": ["", "maybe"]}
    with pytest.raises(ValidationError):
        services.invitation_reply(invitation=invitation, reply="perhaps")


def test_minutes_are_saved_published_and_sanitised(english, make_meeting):
    meeting = make_meeting(days=-10, ends_at=at(-10, 12))
    with pytest.raises(ValidationError):
        services.minutes_save(actor=english.advp_admin, meeting=meeting, publish=True)
    meeting = services.minutes_save(
        actor=english.knowledge_centre,
        meeting=meeting,
        minutes_en="## Figures\n\n**Agreed** <script>alert(1)</script> [x](javascript:alert(1))",
        publish=True,
    )
    assert meeting.minutes_published_at is not None
    html = minutes_html(meeting.minutes("en"))
    assert "<strong>Agreed</strong>" in html and "<script>" not in html and "javascript:" not in html
    assert AuditEvent.objects.filter(object_id=str(meeting.pk), action="update").exists()


def test_decisions_are_recorded(english, make_meeting):
    meeting = make_meeting()
    decision = services.decision_add(actor=english.advp_admin, meeting=meeting, text="Adopt the charter template.")
    assert AuditEvent.objects.filter(object_id=str(decision.pk), action="create").exists()
    with pytest.raises(ValidationError):
        services.decision_add(actor=english.advp_admin, meeting=meeting, text="  ")


def test_plain_text_e_mails_are_not_html_escaped(english, seats, make_meeting, smtp_server):
    meeting = make_meeting(title="Comité d'accompagnement & co")
    invitation = Invitation.objects.create(
        meeting=meeting, term=seats["contact"], name="O'Neill", email="o@example.test", language="en"
    )
    assert services.invitation_send(invitation_id=invitation.pk, sequence=0) is True
    (message,) = smtp_server.messages
    assert message["Subject"] == "Invitation: Comité d'accompagnement & co"
    assert "Dear O'Neill," in smtp_server.body(message)
