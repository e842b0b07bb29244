"""Members' reports: the portal's form (bad input writes nothing), the zone's inbox and a report's page (permission
matrix, filters, audited views), the status transitions, and the answer e-mailed to the member in their language."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from core.models import AuditEvent
from core.testing.matrix import assert_permission_matrix
from members.models import Membership
from messaging.models import Report
from messaging.services import reports
from messaging.tasks_member import send_report_answer_task

from . import member_support
from .member_support import make_report

pytestmark = pytest.mark.django_db

english = member_support.english
member = member_support.member

NEW = reverse("messaging_portal:report_new")
MY_REPORTS = reverse("messaging_portal:report_list")
INBOX = reverse("messaging:report_list")


def _form(personas, **values) -> dict:
    when = timezone.localtime() - datetime.timedelta(hours=3)
    data = {
        "network": personas.network_a.code,
        "category": "burglary",
        "happened_on": when.date().isoformat(),
        "happened_time": when.strftime("%H:%M"),
        "place": "Groenplaats 3",
        "description": "Two people went from door to door trying the handles, then left on foot towards the Meir.",
        "vehicle_type": "",
    }
    data.update(values)
    return data


def _detail(report) -> str:
    return reverse("messaging:report_detail", args=[report.pk])


# --- the portal's form ---------------------------------------------------------------------------------------------


def test_the_form_reminds_that_urgent_matters_go_to_101_or_112(client, english, member):
    client.force_login(english.member)
    content = client.get(NEW).content.decode()
    assert "Is it urgent? Do not report it here." in content
    assert 'href="tel:101"' in content and 'href="tel:112"' in content
    assert content.index("tel:112") < content.index('name="description"')  # at the top, before the form
    assert "Do not describe anyone&#x27;s appearance" in content or "Do not describe anyone's appearance" in content
    assert 'type="file"' not in content
    assert f'<option value="{english.network_a.code}"' in content


def test_a_member_files_a_report_that_reaches_the_zone(client, english, member):
    client.force_login(english.member)
    response = client.post(NEW, _form(english, vehicle_type="grey van"), follow=True)
    assert response.redirect_chain[-1][0] == MY_REPORTS
    assert "your report was sent to the police" in response.content.decode()
    report = Report.objects.get()
    assert (report.member, report.network, report.zone, report.status) == (
        member,
        english.network_a,
        english.network_a.zone,
        "new",
    )
    assert report.category == "burglary" and report.vehicle_type == "grey van" and report.language == "en"
    event = AuditEvent.objects.get(action="create", content_type__model="report")
    assert event.actor == english.member and event.object_id == str(report.pk)
    assert event.changes == {"network": "BIN-11002-1", "category": "burglary", "status": "new"}  # no text copied
    assert "Groenplaats 3" in response.content.decode() and "Not yet seen by the police." in response.content.decode()


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"happened_on": "2999-01-01"}, "happened_on", "cannot be in the future"),
        ("in_an_hour", "happened_on", "cannot be in the future"),
        ({"happened_on": "2020-01-01"}, "happened_on", "Reports are for the last 30 days"),
        (
            {"description": "The car 1-ABC-234 drove slowly past every house."},
            "description",
            "looks like a number plate",
        ),
        ({"description": "Van with plate 1abc234 seen"}, "description", "looks like a number plate"),
        ({"vehicle_type": "white van AB-123-CD"}, "vehicle_type", "looks like a number plate"),
        ({"place": "in front of ABC-123"}, "place", "looks like a number plate"),
        ({"description": "   "}, "description", "This field is required."),
        ({"place": ""}, "place", "This field is required."),
        ({"happened_time": ""}, "happened_time", "This field is required."),
        ({"network": "BIN-21004-1"}, "network", "Select a valid choice"),
        ({"category": "murder"}, "category", "Select a valid choice"),
        ({"description": "x" * 3001}, "description", "at most 3000 characters"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(client, english, member, change, field, error):
    client.force_login(english.member)
    if change == "in_an_hour":
        soon = timezone.localtime() + datetime.timedelta(hours=1)
        if soon.date() != timezone.localdate():
            pytest.skip("an hour from now is tomorrow: covered by the other future date")
        change = {"happened_on": soon.date().isoformat(), "happened_time": soon.strftime("%H:%M")}
    events = AuditEvent.objects.count()
    response = client.post(NEW, _form(english, **change))
    assert response.status_code == 400
    content = response.content.decode()
    assert error in content
    assert f'href="#id_{field}"' in content  # the error summary links to the field
    assert not Report.objects.exists() and AuditEvent.objects.count() == events


def test_the_form_shows_a_plate_together_with_the_other_errors(client, english, member):
    client.force_login(english.member)
    response = client.post(NEW, _form(english, place="", description="The car 2-XYZ-987 stopped twice."))
    content = response.content.decode()
    assert response.status_code == 400
    assert "“2-XYZ-987” looks like a number plate" in content and 'href="#id_place"' in content
    assert not Report.objects.exists()


@pytest.mark.parametrize("field", ["place", "description", "vehicle_type"])
def test_the_service_refuses_number_plates_itself(english, member, field):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        make_report(english, member, **{field: "near 1-ABC-234"})
    assert refused.value.error_dict[field][0].code == "plate"
    assert not Report.objects.exists() and AuditEvent.objects.count() == events


def test_ordinary_descriptions_are_not_taken_for_plates():
    for text in ("grey BMW 320", "bus 123 at 22:15", "Meir 12, 2000 Antwerpen", "N-VA poster", "E40 exit 17"):
        assert reports.contains_plate(text) == "", text


def test_the_service_refuses_a_network_the_member_is_not_active_in(english, member):
    Membership.objects.filter(member=member).update(status="suspended")
    with pytest.raises(ValidationError) as refused:
        make_report(english, member)
    assert refused.value.error_dict["network"][0].code == "not_member"
    with pytest.raises(ValidationError) as other:
        make_report(english, member, network=english.network_b)
    assert other.value.error_dict["network"][0].code == "not_member"
    with pytest.raises(PermissionDenied):
        reports.report_create(
            actor=english.outsider,
            member=member,
            network=english.network_a,
            category="theft",
            happened_at=timezone.now(),
            place="Meir",
            description="A bike was taken.",
        )
    assert not Report.objects.exists()


def test_a_member_without_an_active_membership_cannot_report(client, english, member):
    Membership.objects.filter(member=member).update(status="left", ended_on=timezone.localdate())
    client.force_login(english.member)
    page = client.get(NEW)
    assert "You can report something only as an active member of a network." in page.content.decode()
    assert 'name="description"' not in page.content.decode()
    client.post(NEW, _form(english))
    assert not Report.objects.exists()


def test_the_member_sees_their_reports_with_status_and_answer(client, english, member, make_members):
    answered = make_report(english, member, place="Meir 1")
    reports.report_answer(actor=english.zone_officer, report=answered, answer="We sent a patrol; thank you.")
    make_report(english, member, place="Meir 2", status="closed")
    someone_else = make_members(english.network_a, 1, language="en")[0]
    make_report(english, someone_else, place="Not mine 9")
    client.force_login(english.member)
    content = client.get(MY_REPORTS).content.decode()
    assert "Meir 1" in content and "Meir 2" in content and "Not mine 9" not in content
    assert "We sent a patrol; thank you." in content and "Closed" in content and "Acknowledged" in content


# --- the zone's inbox ----------------------------------------------------------------------------------------------


def test_the_reports_inbox_answers_zone_officers_only(client, english, member):
    make_report(english, member)
    assert_permission_matrix(
        client,
        INBOX,
        allowed=[english.zone_officer, english.other_zone_officer],
        in_scope_wrong_role=[
            english.member,
            english.coordinator,
            english.municipality_official,
            english.advp_admin,
            english.knowledge_centre,
            english.trainer,
            english.outsider,
        ],
    )
    client.force_login(english.other_zone_officer)
    assert "Meir 20" not in client.get(INBOX).content.decode()  # only the reports of their own zone
    client.force_login(english.zone_officer)
    assert "Meir 20" in client.get(INBOX).content.decode()


def test_a_report_answers_the_officers_of_its_zone_only(client, english, member):
    report = make_report(english, member)
    assert_permission_matrix(
        client,
        _detail(report),
        allowed=[english.zone_officer],
        in_scope_wrong_role=[english.member],  # the author sees it in the portal, not here
        hidden=[
            english.other_zone_officer,
            english.coordinator,
            english.municipality_official,
            english.advp_admin,
            english.outsider,
        ],
    )
    for name in ("messaging:report_acknowledge", "messaging:report_close"):
        assert_permission_matrix(
            client,
            reverse(name, args=[report.pk]),
            method="post",
            in_scope_wrong_role=[english.member],
            hidden=[english.other_zone_officer, english.coordinator, english.outsider],
        )
    assert_permission_matrix(
        client,
        reverse("messaging:report_answer", args=[report.pk]),
        method="post",
        data={"answer": "Thanks"},
        in_scope_wrong_role=[english.member],
        hidden=[english.other_zone_officer, english.coordinator, english.outsider],
    )
    report.refresh_from_db()
    assert report.status == "new" and report.answer == ""
    client.force_login(english.zone_officer)
    assert client.get(reverse("messaging:report_acknowledge", args=[report.pk])).status_code == 405


def test_the_inbox_puts_new_reports_first_and_filters(client, english, member):
    closed = make_report(english, member, place="Closed place", status="closed")
    acknowledged = make_report(english, member, place="Acknowledged place", status="acknowledged")
    new = make_report(english, member, place="New place")
    client.force_login(english.zone_officer)
    content = client.get(INBOX).content.decode()
    assert content.index("New place") < content.index("Acknowledged place") < content.index("Closed place")
    assert "1 new report is waiting for you." in content

    only_closed = client.get(INBOX, {"status": "closed"}).content.decode()
    assert "Closed place" in only_closed and "New place" not in only_closed
    by_network = client.get(INBOX, {"network": english.network_a.code}).content.decode()
    assert "New place" in by_network
    unknown = client.get(INBOX, {"network": english.network_b.code})  # not a network of the officer's zone
    assert unknown.status_code == 200 and "Select a valid choice" in unknown.content.decode()
    fragment = client.get(INBOX, {"status": "new"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "New place" in fragment and "Closed place" not in fragment
    assert {closed.pk, acknowledged.pk, new.pk} == set(Report.objects.values_list("pk", flat=True))


def test_the_inbox_takes_the_same_queries_for_few_or_many_reports(client, english, member):
    make_report(english, member)
    client.force_login(english.zone_officer)
    client.get(INBOX)
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    for number in range(8):
        make_report(english, member, place=f"Place {number}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(INBOX).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_report_page_shows_the_member_and_records_the_view(client, english, member):
    report = make_report(english, member)
    client.force_login(english.zone_officer)
    content = client.get(_detail(report)).content.decode()
    assert "Mo Lambert" in content and "member@test.binplp.be" in content and "+32470123456" in content
    assert "Someone tried the door handles" in content
    event = AuditEvent.objects.get(action="view")
    assert event.actor == english.zone_officer and event.object_id == str(report.pk)
    assert event.changes == {"members": [member.pk], "context": "report detail"}


# --- handling a report ---------------------------------------------------------------------------------------------


def test_the_officer_acknowledges_answers_and_closes_from_the_page(
    client, english, member, django_capture_on_commit_callbacks, smtp_server
):
    report = make_report(english, member)
    client.force_login(english.zone_officer)

    response = client.post(reverse("messaging:report_acknowledge", args=[report.pk]), follow=True)
    assert "The report is acknowledged." in response.content.decode()
    again = client.post(reverse("messaging:report_acknowledge", args=[report.pk]), follow=True)
    assert "This report was already acknowledged." in again.content.decode()

    empty = client.post(reverse("messaging:report_answer", args=[report.pk]), {"answer": "  "})
    assert empty.status_code == 400 and "error-summary" in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(
            reverse("messaging:report_answer", args=[report.pk]), {"answer": "A patrol passed by."}, follow=True
        )
    assert "Your answer was sent to the member by e-mail" in answered.content.decode()
    assert len(smtp_server.to("member@test.binplp.be")) == 1

    closed = client.post(reverse("messaging:report_close", args=[report.pk]), follow=True)
    assert "The report is closed." in closed.content.decode()
    late = client.post(reverse("messaging:report_answer", args=[report.pk]), {"answer": "One more thing"}, follow=True)
    assert "This report is closed: it cannot be answered any more" in late.content.decode()
    report.refresh_from_db()
    assert report.status == "closed" and report.answer == "A patrol passed by."
    statuses = [
        event.changes.get("status")
        for event in AuditEvent.objects.filter(action="update", content_type__model="report").order_by("pk")
    ]
    assert statuses == [["new", "acknowledged"], None, ["acknowledged", "closed"]]


def test_status_transitions_only_go_forward(english, member):
    officer = english.zone_officer
    report = make_report(english, member)
    report = reports.report_answer(actor=officer, report=report, answer="Seen, thank you.")  # new → acknowledged
    assert report.status == "acknowledged" and report.acknowledged_at == report.answered_at
    with pytest.raises(ValidationError) as twice:
        reports.report_acknowledge(actor=officer, report=report)
    assert twice.value.code == "already_acknowledged"
    report = reports.report_answer(actor=officer, report=report, answer="Corrected answer.", close=True)
    assert report.status == "closed" and report.closed_at is not None and report.answer == "Corrected answer."
    for action, kwargs in (
        (reports.report_acknowledge, {}),
        (reports.report_answer, {"answer": "Reopen?"}),
        (reports.report_close, {}),
    ):
        with pytest.raises(ValidationError) as refused:
            action(actor=officer, report=report, **kwargs)
        assert refused.value.code == "closed"
    stored = Report.objects.get(pk=report.pk)
    assert stored.status == "closed" and stored.answer == "Corrected answer."
    with pytest.raises(PermissionDenied):
        reports.report_close(actor=english.other_zone_officer, report=make_report(english, member))
    with pytest.raises(ValidationError) as long:
        reports.report_answer(actor=officer, report=make_report(english, member), answer="x" * 3001)
    assert long.value.error_dict["answer"][0].code == "max_length"


# --- the answer by e-mail ------------------------------------------------------------------------------------------


def test_the_answer_reaches_the_member_by_email_in_their_language(
    personas, member, smtp_server, django_capture_on_commit_callbacks
):
    report = make_report(personas, member, happened_at=timezone.now() - datetime.timedelta(days=1))  # reads French
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_answer(actor=personas.zone_officer, report=report, answer="Une patrouille est passée.")
    [mail] = smtp_server.to("member@test.binplp.be")
    assert mail["Content-Language"] == "fr"
    body = smtp_server.body(mail)
    assert "Une patrouille est passée." in body
    with translation.override("fr"):
        french_date = date_format(timezone.localtime(report.happened_at), "DATETIME_FORMAT")
    assert french_date in body  # dates in the member's language
    assert "/me/reports/" in body
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="fr">' in html and "Une patrouille est passée." in html
    sent = AuditEvent.objects.get(action="send", content_type__model="report")
    assert sent.changes["context"] == "report_answer_email" and sent.changes["members"] == [member.pk]


def test_the_answer_email_goes_once_and_only_for_the_latest_answer(personas, member, smtp_server):
    report = make_report(personas, member)
    first = reports.report_answer(actor=personas.zone_officer, report=report, answer="First.")
    first_at = first.answered_at
    assert send_report_answer_task.call(report.pk, first_at.isoformat()) is True
    assert send_report_answer_task.call(report.pk, first_at.isoformat()) is False  # safe to run twice
    reports.report_answer(actor=personas.zone_officer, report=report, answer="Second.")
    assert send_report_answer_task.call(report.pk, first_at.isoformat()) is False  # replaced since
    assert [re.sub(r"\s+", " ", smtp_server.body(m)).count("First.") for m in smtp_server.messages] == [1]


def test_the_answer_email_is_retried_while_the_smtp_server_fails(
    personas, member, smtp_server, settings, django_capture_on_commit_callbacks
):
    report = make_report(personas, member)
    settings.EMAIL_PORT = 1  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.report_answer(actor=personas.zone_officer, report=report, answer="Retried.")
    assert smtp_server.messages == [] and not AuditEvent.objects.filter(action="send").exists()
    settings.EMAIL_PORT = smtp_server.port
    send_report_answer_task.enqueue(report.pk, report.answered_at.isoformat())  # the retry that comes later
    assert len(smtp_server.to("member@test.binplp.be")) == 1


def test_no_email_when_the_member_deleted_their_account(personas, member, smtp_server):
    from members.services.portal import member_erase

    report = make_report(personas, member)
    member_erase(actor=member.user, member=member)
    report.refresh_from_db()
    answered = reports.report_answer(actor=personas.zone_officer, report=report, answer="Anyone there?")
    assert reports.report_answer_send(report_id=report.pk, answered_at=answered.answered_at) is False
    assert smtp_server.messages == []
