"""Services of part "enrol" (training/services/enrolments.py): trainees, enrolling, the waiting list and its order,
cancelling and promotion, the public request with its confirmation and the zone's decision, reminders — the
database, the audit rows and the e-mails received by the real SMTP server (with their .ics invitations)."""

from __future__ import annotations

import datetime
import time
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from core.models import AuditEvent
from geography.models import PoliceZone
from training import tokens
from training.choices import EnrolmentSource, EnrolmentStatus
from training.models import Enrolment, Trainee
from training.services import enrolments as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service and run what it queued on commit (the e-mail tasks)."""

    def call(service, /, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


def ics_of(message) -> Calendar | None:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    return None


def audits(obj, action=None):
    rows = AuditEvent.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
    return list(rows.filter(action=action) if action else rows)


def antwerp():
    return PoliceZone.objects.current().get(code=5345)


def brussels():
    return PoliceZone.objects.current().get(code=5339)


# --- trainee_upsert --------------------------------------------------------------------------------------------


def test_a_zone_officer_creates_a_trainee_of_their_zone(personas):
    trainee = services.trainee_upsert(
        actor=personas.zone_officer,
        zone=antwerp(),
        first_name=" Jan ",
        last_name="Smet",
        email="Jan.Smet@Police.test",
        function="inspecteur",
        language="nl",
    )
    assert (trainee.first_name, trainee.email, trainee.zone.code) == ("Jan", "jan.smet@police.test", 5345)
    assert len(audits(trainee, "create")) == 1


def test_the_same_address_finds_the_same_trainee_and_updates_it(personas, make_trainee):
    trainee = make_trainee(email="known@police.test", function="", language="nl")
    again = services.trainee_upsert(
        actor=personas.zone_officer,
        zone=antwerp(),
        first_name=trainee.first_name,
        last_name=trainee.last_name,
        email="KNOWN@police.test",
        function="hoofdinspecteur",
    )
    assert again.pk == trainee.pk and Trainee.objects.count() == 1
    assert again.function == "hoofdinspecteur"
    assert audits(trainee, "update")[0].changes == {"fields": ["function"]}


def test_a_trainee_of_another_zone_is_refused_to_a_zone_officer(personas, make_trainee):
    make_trainee(zone=brussels(), email="other@police.test")
    with pytest.raises(ValidationError) as error:
        services.trainee_upsert(
            actor=personas.zone_officer, zone=antwerp(), first_name="A", last_name="B", email="other@police.test"
        )
    assert "another police zone" in str(error.value)
    assert Trainee.objects.get(email="other@police.test").zone.code == 5339


@pytest.mark.parametrize(
    "field, values, message",
    [
        ("first_name", {"first_name": ""}, "Enter the first name."),
        ("last_name", {"last_name": " "}, "Enter the last name."),
        ("email", {"email": "not-an-address"}, "Enter a valid professional e-mail address"),
        ("language", {"language": "xx"}, "Choose one of the offered languages."),
    ],
)
def test_bad_person_details_are_refused_and_nothing_is_saved(personas, field, values, message):
    data = {"first_name": "Jan", "last_name": "Smet", "email": "jan@police.test", "language": "nl", **values}
    with pytest.raises(ValidationError) as error:
        services.trainee_upsert(actor=personas.zone_officer, zone=antwerp(), **data)
    assert message in " ".join(error.value.message_dict[field])
    assert not Trainee.objects.exists()


def test_people_without_a_role_create_no_trainee(personas):
    with pytest.raises(PermissionDenied):
        services.trainee_upsert(
            actor=personas.coordinator, zone=antwerp(), first_name="A", last_name="B", email="a@police.test"
        )


# --- enrolment_create ------------------------------------------------------------------------------------------


def test_enrolling_gives_a_seat_with_the_invitation(personas, make_session, make_trainee, smtp_server, run):
    session = make_session(capacity=2)
    trainee = make_trainee(email="seat@police.test", language="fr")
    enrolment = run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=trainee)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED and enrolment.enrolled_at is not None
    assert enrolment.source == EnrolmentSource.ZONE and enrolment.requested_by == personas.zone_officer
    assert audits(enrolment, "create")[0].changes == {"status": [None, "enrolled"], "source": "zone"}
    [message] = smtp_server.to("seat@police.test")
    assert message["Content-Language"] == "fr"
    calendar = ics_of(message)
    assert calendar["method"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]).startswith(f"training-session-{session.pk}@")
    assert "mailto:seat@police.test" in str(event["attendee"])
    assert "/training/p/" in smtp_server.body(message)


def test_a_full_session_puts_people_on_the_waiting_list_in_order(
    personas, make_session, make_trainee, smtp_server, run
):
    session = make_session(capacity=1)
    first, second, third = (make_trainee(email=f"w{n}@police.test") for n in range(3))
    for trainee in (first, second, third):
        run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=trainee)
    statuses = dict(Enrolment.objects.filter(session=session).values_list("trainee__email", "status"))
    assert statuses == {"w0@police.test": "enrolled", "w1@police.test": "waiting", "w2@police.test": "waiting"}
    [waiting_mail] = smtp_server.to("w2@police.test")
    assert ics_of(waiting_mail) is None
    assert "waiting list, in place 2" in smtp_server.body(waiting_mail)


def test_enrolling_twice_is_refused_and_changes_nothing(personas, make_session, make_trainee, run):
    session = make_session(capacity=1)
    trainee, other = make_trainee(), make_trainee()
    run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=trainee)
    run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=other)
    for person, message in ((trainee, "is already enrolled"), (other, "already on the waiting list")):
        before = list(Enrolment.objects.values_list("pk", "status", "updated_at"))
        with pytest.raises(ValidationError) as error:
            services.enrolment_create(actor=personas.zone_officer, session=session, trainee=person)
        assert message in error.value.messages[0] and person.full_name in error.value.messages[0]
        assert list(Enrolment.objects.values_list("pk", "status", "updated_at")) == before


def test_the_database_refuses_a_second_row_for_the_same_person(personas, make_session, make_trainee):
    session = make_session()
    trainee = make_trainee()
    services.enrolment_create(actor=personas.zone_officer, session=session, trainee=trainee)
    # As if another request inserted the row between our check and our insert: the constraint answers the same.
    with mock.patch.object(Enrolment.objects, "select_for_update") as locked:
        locked.return_value.select_related.return_value.filter.return_value.first.return_value = None
        with pytest.raises(ValidationError) as error:
            services.enrolment_create(actor=personas.zone_officer, session=session, trainee=trainee)
    assert "already enrolled" in error.value.messages[0]
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"status": "draft"}, "not published"),
        ({"status": "closed", "days": -3}, "is closed"),
        ({"status": "cancelled"}, "has been cancelled"),
        ({"days": -1}, "already started"),
    ],
)
def test_sessions_not_open_refuse_enrolments(personas, make_session, make_trainee, fields, message):
    session = make_session(**fields)
    with pytest.raises(ValidationError) as error:
        services.enrolment_create(actor=personas.zone_officer, session=session, trainee=make_trainee())
    assert message in error.value.messages[0]
    assert not Enrolment.objects.exists()


def test_a_session_that_started_an_hour_ago_refuses(personas, make_session, make_trainee):
    now = timezone.now()
    session = make_session(starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=5))
    with pytest.raises(ValidationError, match="already started"):
        services.enrolment_create(actor=personas.zone_officer, session=session, trainee=make_trainee())


def test_a_zone_officer_cannot_enrol_staff_of_another_zone(personas, make_session, make_trainee):
    session = make_session()
    stranger = make_trainee(zone=brussels(), first_name="Jeanne", last_name="Autre")
    with pytest.raises(ValidationError) as error:
        services.enrolment_create(actor=personas.zone_officer, session=session, trainee=stranger)
    assert error.value.messages == ["Jeanne Autre belongs to another police zone: only their own zone enrols them."]
    assert not Enrolment.objects.exists()


def test_a_trainer_enrols_anyone_in_their_academys_sessions_only(personas, make_session, make_trainee):
    from geography.models import Academy

    session = make_session()
    stranger = make_trainee(zone=brussels())
    enrolment = services.enrolment_create(
        actor=personas.trainer, session=session, trainee=stranger, source=EnrolmentSource.ACADEMY
    )
    assert enrolment.source == "academy"
    other_academy = Academy.objects.exclude(code="vesta").first()
    elsewhere = make_session(academy=other_academy)
    with pytest.raises(PermissionDenied):
        services.enrolment_create(
            actor=personas.trainer, session=elsewhere, trainee=stranger, source=EnrolmentSource.ACADEMY
        )
    for outsider in (personas.outsider, personas.coordinator):
        with pytest.raises(PermissionDenied):
            services.enrolment_create(actor=outsider, session=session, trainee=make_trainee())


def test_enrolling_again_after_a_cancellation_reuses_the_row(personas, make_session, make_trainee, run):
    session = make_session()
    trainee = make_trainee()
    enrolment = run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=trainee)
    run(services.enrolment_cancel, actor=personas.zone_officer, enrolment=enrolment, reason="ziek")
    again = run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=trainee)
    assert again.pk == enrolment.pk and again.status == EnrolmentStatus.ENROLLED
    assert again.reason == "" and again.cancelled_at is None
    assert audits(again, "update")[-1].changes["status"] == ["cancelled", "enrolled"]


# --- cancelling and the waiting list ---------------------------------------------------------------------------


def test_cancelling_frees_the_seat_for_the_first_waiting(personas, make_session, make_trainee, smtp_server, run):
    session = make_session(capacity=1)
    holder = make_trainee(email="holder@police.test")
    first = make_trainee(email="first@police.test")
    second = make_trainee(email="second@police.test")
    seat = run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=holder)
    run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=first)
    run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=second)
    # The second waited longer in the database's eyes only if its timestamp is older: make the order explicit.
    Enrolment.objects.filter(trainee=second).update(waiting_since=timezone.now() - datetime.timedelta(days=1))
    smtp_server.clear()
    run(services.enrolment_cancel, actor=personas.trainer, enrolment=seat, reason="Verhinderd")

    statuses = dict(Enrolment.objects.filter(session=session).values_list("trainee__email", "status"))
    assert statuses == {
        "holder@police.test": "cancelled",
        "second@police.test": "enrolled",
        "first@police.test": "waiting",
    }
    [cancelled] = smtp_server.to("holder@police.test")
    assert ics_of(cancelled)["method"] == "CANCEL" and "Verhinderd" in smtp_server.body(cancelled)
    [promoted] = smtp_server.to("second@police.test")
    assert ics_of(promoted)["method"] == "REQUEST" and "A seat became free" in promoted["Subject"]
    assert smtp_server.to("first@police.test") == []
    moved = Enrolment.objects.get(trainee=second)
    assert audits(moved, "update")[-1].changes == {"status": ["waiting", "enrolled"], "from_waiting_list": True}
    assert audits(seat, "cancel")[0].changes == {"status": ["enrolled", "cancelled"], "by": "staff"}


def test_leaving_the_waiting_list_promotes_nobody(personas, make_session, make_trainee, smtp_server, run):
    session = make_session(capacity=1)
    run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=make_trainee())
    waiting = run(
        services.enrolment_create,
        actor=personas.zone_officer,
        session=session,
        trainee=make_trainee(email="leaver@police.test"),
    )
    smtp_server.clear()
    run(services.enrolment_cancel, actor=personas.zone_officer, enrolment=waiting)
    [message] = smtp_server.messages
    assert ics_of(message) is None and "waiting list" in smtp_server.body(message)
    assert Enrolment.objects.filter(status="enrolled").count() == 1


def test_cancelling_twice_or_after_the_start_is_refused(personas, make_session, make_trainee, run):
    session = make_session()
    enrolment = run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=make_trainee())
    run(services.enrolment_cancel, actor=personas.zone_officer, enrolment=enrolment)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.enrolment_cancel(actor=personas.zone_officer, enrolment=enrolment)
    started = make_session(days=-1)
    held = Enrolment.objects.create(session=started, trainee=make_trainee(), status="enrolled", source="zone")
    with pytest.raises(ValidationError, match="record the absence"):
        services.enrolment_cancel(actor=personas.zone_officer, enrolment=held)
    assert Enrolment.objects.get(pk=held.pk).status == "enrolled"


def test_only_the_zone_the_academy_or_the_person_cancel(personas, make_session, make_trainee):
    enrolment = services.enrolment_create(actor=personas.zone_officer, session=make_session(), trainee=make_trainee())
    for user in (personas.other_zone_officer, personas.outsider, personas.coordinator):
        with pytest.raises(PermissionDenied):
            services.enrolment_cancel(actor=user, enrolment=enrolment)
    with pytest.raises(PermissionDenied):
        services.enrolment_cancel(actor=None, enrolment=enrolment, participant=make_trainee())
    services.enrolment_cancel(actor=None, enrolment=enrolment, participant=enrolment.trainee)
    assert Enrolment.objects.get(pk=enrolment.pk).status == "cancelled"


def test_a_trainer_promotes_a_waiting_person_when_a_seat_is_free(
    personas, make_session, make_trainee, smtp_server, run
):
    session = make_session(capacity=1)
    run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=make_trainee())
    waiting = run(
        services.enrolment_create,
        actor=personas.zone_officer,
        session=session,
        trainee=make_trainee(email="next@police.test"),
    )
    with pytest.raises(ValidationError, match="No seat is free"):
        services.enrolment_promote(actor=personas.trainer, enrolment=waiting)
    with pytest.raises(PermissionDenied):
        services.enrolment_promote(actor=personas.zone_officer, enrolment=waiting)
    session.capacity = 2
    session.save(update_fields=["capacity"])
    smtp_server.clear()
    run(services.enrolment_promote, actor=personas.trainer, enrolment=waiting)
    waiting.refresh_from_db()
    assert waiting.status == "enrolled"
    [message] = smtp_server.to("next@police.test")
    assert ics_of(message)["method"] == "REQUEST"
    with pytest.raises(ValidationError, match="Only someone on the waiting list"):
        services.enrolment_promote(actor=personas.trainer, enrolment=waiting)


def test_seats_added_to_a_session_go_to_the_waiting_list(personas, make_session, make_trainee, run):
    session = make_session(capacity=1)
    for _n in range(3):
        run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=make_trainee())
    session.capacity = 2
    session.save(update_fields=["capacity"])
    promoted = run(services.enrolment_fill_seats, actor=personas.trainer, session=session)
    assert len(promoted) == 1
    assert Enrolment.objects.filter(status="enrolled").count() == 2


# --- the public request ----------------------------------------------------------------------------------------


def request_values(**overrides):
    values = {
        "zone": antwerp(),
        "first_name": "Nora",
        "last_name": "Nieuw",
        "email": "nora@police.test",
        "function": "inspecteur",
        "language": "en",
    }
    values.update(overrides)
    return values


def confirm_path(message) -> str:
    import re

    match = re.search(r"https?://[^\s]+(/training/requests/[^/\s]+/)", smtp_server_body(message))
    assert match, smtp_server_body(message)
    return match.group(1)


def smtp_server_body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def token_of(message) -> str:
    return confirm_path(message).rstrip("/").rsplit("/", 1)[1]


def test_a_request_waits_for_the_email_confirmation(personas, make_session, smtp_server, run):
    session = make_session()
    enrolment = run(services.enrolment_request_submit, session=session, **request_values())
    assert enrolment.status == EnrolmentStatus.UNCONFIRMED and enrolment.source == EnrolmentSource.SELF
    assert enrolment.trainee.email == "nora@police.test" and enrolment.trainee.zone.code == 5345
    assert audits(enrolment, "create")[0].actor_label == "system"
    [message] = smtp_server.to("nora@police.test")
    assert "Confirm your request" in message["Subject"]
    assert ics_of(message) is None


def test_confirming_tells_the_zones_officers_and_approving_gives_a_seat(personas, make_session, smtp_server, run):
    session = make_session()
    personas.zone_officer.language = "en"  # the notice is written in the officer's language
    personas.zone_officer.save(update_fields=["language"])
    enrolment = run(services.enrolment_request_submit, session=session, **request_values())
    token = token_of(smtp_server.to("nora@police.test")[0])
    smtp_server.clear()
    confirmed = run(services.enrolment_request_confirm, token=token)
    assert confirmed.status == EnrolmentStatus.REQUESTED and confirmed.confirmed_at is not None
    [notice] = smtp_server.to(personas.zone_officer.email)
    assert "waits for your approval" in notice["Subject"] and "/training/zone/" in smtp_server.body(notice)
    assert smtp_server.to(personas.other_zone_officer.email) == []
    with pytest.raises(services.RequestAlreadyConfirmed):
        services.enrolment_request_confirm(token=token)

    with pytest.raises(PermissionDenied):
        services.enrolment_approve(actor=personas.other_zone_officer, enrolment=enrolment)
    smtp_server.clear()
    approved = run(services.enrolment_approve, actor=personas.zone_officer, enrolment=enrolment)
    assert approved.status == EnrolmentStatus.ENROLLED and approved.decided_by == personas.zone_officer
    [seat] = smtp_server.to("nora@police.test")
    assert ics_of(seat)["method"] == "REQUEST"
    with pytest.raises(ValidationError, match="already been dealt with"):
        services.enrolment_approve(actor=personas.zone_officer, enrolment=enrolment)


def test_approving_a_request_for_a_full_session_puts_it_on_the_waiting_list(
    personas, make_session, make_trainee, smtp_server, run
):
    session = make_session(capacity=1)
    run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=make_trainee())
    enrolment = run(services.enrolment_request_submit, session=session, **request_values())
    run(services.enrolment_request_confirm, token=token_of(smtp_server.to("nora@police.test")[0]))
    approved = run(services.enrolment_approve, actor=personas.zone_officer, enrolment=enrolment)
    assert approved.status == EnrolmentStatus.WAITING


def test_declining_needs_a_reason_and_tells_it(personas, make_session, smtp_server, run):
    session = make_session()
    enrolment = run(services.enrolment_request_submit, session=session, **request_values())
    with pytest.raises(ValidationError, match="not confirmed by e-mail yet"):
        services.enrolment_decline(actor=personas.zone_officer, enrolment=enrolment, reason="Nee")
    run(services.enrolment_request_confirm, token=token_of(smtp_server.to("nora@police.test")[0]))
    with pytest.raises(ValidationError) as error:
        services.enrolment_decline(actor=personas.zone_officer, enrolment=enrolment, reason="  ")
    assert error.value.message_dict == {"reason": ["Give a reason: the person is told it."]}
    assert Enrolment.objects.get(pk=enrolment.pk).status == "requested"
    smtp_server.clear()
    run(services.enrolment_decline, actor=personas.zone_officer, enrolment=enrolment, reason="Eerst de basisopleiding")
    assert Enrolment.objects.get(pk=enrolment.pk).status == "declined"
    [message] = smtp_server.to("nora@police.test")
    assert "declined" in message["Subject"] and "Eerst de basisopleiding" in smtp_server.body(message)


def test_someone_already_enrolled_asking_again_is_told_by_email_without_a_second_row(
    personas, make_session, make_trainee, smtp_server, run
):
    session = make_session()
    trainee = make_trainee(email="known@police.test", first_name="Kim")
    enrolment = run(services.enrolment_create, actor=personas.zone_officer, session=session, trainee=trainee)
    smtp_server.clear()
    again = run(
        services.enrolment_request_submit, session=session, **request_values(email="Known@police.test", first_name="X")
    )
    assert again.pk == enrolment.pk and Enrolment.objects.count() == 1
    assert Trainee.objects.get(pk=trainee.pk).first_name == "Kim"  # an unconfirmed request changes nobody
    [message] = smtp_server.to("known@police.test")
    assert "already enrolled" in smtp_server.body(message)
    smtp_server.clear()
    run(services.enrolment_request_submit, session=session, **request_values(email="known@police.test"))
    assert smtp_server.messages == []  # at most one such e-mail every ten minutes


def test_a_repeated_unconfirmed_request_resends_at_most_every_ten_minutes(personas, make_session, smtp_server, run):
    from django.core.cache import cache

    session = make_session()
    first = run(services.enrolment_request_submit, session=session, **request_values())
    again = run(services.enrolment_request_submit, session=session, **request_values())
    assert again.pk == first.pk and len(smtp_server.to("nora@police.test")) == 1
    cache.delete(f"training:request-confirm:{first.pk}")
    run(services.enrolment_request_submit, session=session, **request_values())
    assert len(smtp_server.to("nora@police.test")) == 2


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"first_name": ""}, "first_name", "Enter the first name."),
        ({"email": "nope"}, "email", "Enter a valid professional e-mail address"),
        ({"zone": None}, "zone", "Choose your police zone."),
    ],
)
def test_bad_requests_store_nothing(personas, make_session, smtp_server, values, field, message):
    with pytest.raises(ValidationError) as error:
        services.enrolment_request_submit(session=make_session(), **request_values(**values))
    assert message in " ".join(error.value.message_dict[field])
    assert not Enrolment.objects.exists() and not Trainee.objects.exists()


def test_a_request_for_a_closed_session_is_refused(personas, make_session):
    with pytest.raises(ValidationError, match="already started"):
        services.enrolment_request_submit(session=make_session(days=-2), **request_values())
    assert not Trainee.objects.exists()


def test_confirmation_links_expire_and_forged_ones_are_refused(personas, make_session, smtp_server, run):
    session = make_session()
    run(services.enrolment_request_submit, session=session, **request_values())
    token = token_of(smtp_server.to("nora@police.test")[0])
    with pytest.raises(services.RequestLinkInvalid):
        services.enrolment_request_confirm(token=token[:-2] + "xx")
    later = time.time() + 49 * 3600  # the link works 48 hours
    with mock.patch("django.core.signing.time.time", return_value=later), pytest.raises(services.RequestLinkExpired):
        services.enrolment_request_confirm(token=token)
    with (
        override_settings(BINPLP_TRAINING_REQUEST_HOURS=50),
        mock.patch("django.core.signing.time.time", return_value=later),
    ):
        assert services.enrolment_request_from_token(token).status == "unconfirmed"
    assert Enrolment.objects.get().status == "unconfirmed"


def test_a_participant_link_is_not_a_confirmation_link(personas, make_session, make_trainee):
    trainee = make_trainee()
    with pytest.raises(services.RequestLinkInvalid):
        services.enrolment_request_confirm(token=tokens.participant_token(trainee))


def test_confirming_moves_a_known_trainee_to_the_zone_they_chose(
    personas, make_session, make_trainee, smtp_server, run
):
    trainee = make_trainee(zone=brussels(), email="moved@police.test")
    session = make_session()
    run(services.enrolment_request_submit, session=session, **request_values(email="moved@police.test"))
    assert Trainee.objects.get(pk=trainee.pk).zone.code == 5339
    run(services.enrolment_request_confirm, token=token_of(smtp_server.to("moved@police.test")[0]))
    assert Trainee.objects.get(pk=trainee.pk).zone.code == 5345
    assert smtp_server.to(personas.zone_officer.email)


# --- reminders -------------------------------------------------------------------------------------------------


def test_reminders_go_once_with_the_invitation(personas, make_session, make_trainee, smtp_server, run):
    from training.tasks_enrolments import send_reminders_task

    soon = make_session(days=2)
    later = make_session(days=10)
    near = run(
        services.enrolment_create,
        actor=personas.zone_officer,
        session=soon,
        trainee=make_trainee(email="soon@police.test"),
    )
    run(services.enrolment_create, actor=personas.zone_officer, session=later, trainee=make_trainee())
    smtp_server.clear()
    assert services.reminders_due() == [near.pk]
    send_reminders_task.enqueue()
    [message] = smtp_server.messages
    assert message["To"] == "soon@police.test" and "Reminder" in message["Subject"]
    assert ics_of(message)["method"] == "REQUEST"
    assert Enrolment.objects.get(pk=near.pk).reminded_at is not None
    send_reminders_task.enqueue()
    assert services.enrolment_send_reminder(enrolment_id=near.pk) is False
    assert len(smtp_server.messages) == 1


def test_a_failed_reminder_is_not_marked(personas, make_session, make_trainee, settings):
    enrolment = services.enrolment_create(
        actor=personas.zone_officer, session=make_session(days=1), trainee=make_trainee()
    )
    settings.EMAIL_PORT = 1  # nothing listens there
    with pytest.raises(OSError):
        services.enrolment_send_reminder(enrolment_id=enrolment.pk)
    assert Enrolment.objects.get(pk=enrolment.pk).reminded_at is None


# --- tasks are idempotent --------------------------------------------------------------------------------------


def test_a_seat_email_goes_once_and_not_after_a_change(personas, make_session, make_trainee, smtp_server):
    enrolment = services.enrolment_create(actor=personas.zone_officer, session=make_session(), trainee=make_trainee())
    stamp = enrolment.enrolled_at.isoformat()
    assert services.enrolment_send_seat(enrolment_id=enrolment.pk, stamp=stamp) is True
    assert services.enrolment_send_seat(enrolment_id=enrolment.pk, stamp=stamp) is False
    services.enrolment_cancel(actor=personas.zone_officer, enrolment=enrolment)
    assert services.enrolment_send_seat(enrolment_id=enrolment.pk, stamp=stamp) is False
    assert len(smtp_server.messages) == 1
