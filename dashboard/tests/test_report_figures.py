"""The annual report's figures (dashboard.report_selectors.compute_report_figures) for a dataset whose numbers are
counted by hand in the docstring of `report_dataset`: every expected value below is a literal, not recomputed."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from dashboard.report_selectors import SECTIONS, check_report_year, compute_report_figures
from geography.models import Academy, Municipality, PoliceZone
from messaging.models import Delivery, Message
from networks.models import Charter, CharterReview, Network
from training.models import Course, CourseVersion, Enrolment, Session, Trainee
from training.tests.coverage_support import certify

from .test_opendata_support import BOOM, GENT, HEMIKSEM, RUPEL, memberships, network, practice

pytestmark = pytest.mark.django_db

BRUSSEL, BRUSSELS_ZONE = "21004", 5339
DESTELBERGEN, DESTELBERGEN_ZONE = "44013", 5418
GENT_ZONE = 5415
ANTWERPEN, OOST_VLAANDEREN, BRUSSELS_REGION = "10000", "40000", "04000"
FLANDERS, WALLONIA = "02000", "03000"
TODAY = datetime.date(2025, 6, 1)  # the report of 2024 compared with 2023; 2025 is the current year
# Reference data: every municipality and police zone of the country, valid on both year ends.
MUNICIPALITIES, ZONES = 565, 176


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_threshold(settings):
    settings.BINPLP_OPEN_DATA_MIN_COUNT = 1


def utc(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


def sent_message(kind: str, sent: str, *, sender: str = "police", due_hours=None, feedback_hours=None, zone=RUPEL):
    moment = utc(sent)
    place = PoliceZone.objects.current().get(code=zone)
    return Message.objects.create(
        type=kind,
        sender=sender,
        zone=place,
        target_kind="zone",
        target_zone=place,
        status="sent",
        sent_at=moment,
        feedback_due_at=moment + datetime.timedelta(hours=due_hours) if due_hours is not None else None,
        feedback_sent_at=moment + datetime.timedelta(hours=feedback_hours) if feedback_hours is not None else None,
        texts={"nl": {"title": "Bericht", "body": "Tekst", "sms": "Tekst"}},
    )


def delivery(message: Message, channel: str, status: str, sent: str | None) -> Delivery:
    return Delivery.objects.create(
        message=message,
        member=None,
        channel=channel,
        status=status,
        not_before=message.sent_at,
        sent_at=utc(sent) if sent else None,
        failed_at=utc(sent) if status == "failed" and sent else None,
        attempts=1 if sent else 0,
    )


def charter(target: Network, version: int, status: str, submitted: str | None, decided=None, decision=None):
    created = Charter.objects.create(
        network=target, version=version, status=status, submitted_at=utc(submitted) if submitted else None
    )
    if decision is not None:  # "" : a review started, not decided
        CharterReview.objects.create(
            charter=created,
            started_at=utc(submitted),
            decided_at=utc(decided) if decided else None,
            decision=decision,
        )
    return created


def _training() -> None:
    course = Course.objects.create(code="bin-course", title_nl="BIN-opleiding", title_fr="Formation PLP")
    version = CourseVersion.objects.create(course=course, number=1, status="current")
    zone = PoliceZone.objects.current().get(code=RUPEL)

    def session(academy: str, starts: str, status: str, capacity: int) -> Session:
        start = datetime.datetime.fromisoformat(starts).replace(tzinfo=datetime.UTC)
        return Session.objects.create(
            version=version,
            academy=Academy.objects.get(code=academy),
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=7),
            place="Campus",
            language="nl",
            capacity=capacity,
            status=status,
        )

    def trainee(n: int) -> Trainee:
        return Trainee.objects.create(zone=zone, first_name=f"Agent{n}", last_name="T", email=f"agent{n}@police.test")

    s1 = session("vesta", "2024-04-10T07:00:00", "closed", 10)
    certify(trainee(1), session=s1)
    certify(trainee(2), session=s1)
    certify(trainee(3), session=s1, result="failed")
    Enrolment.objects.create(session=s1, trainee=trainee(4), status="cancelled", source="zone")
    session("vesta", "2024-05-10T07:00:00", "cancelled", 8)
    session("vesta", "2024-06-10T07:00:00", "draft", 30)
    certify(trainee(5), session=session("paulo", "2023-10-10T07:00:00", "closed", 6))


@pytest.fixture
def report_dataset(reference_data):
    """Seven networks (2024 against 2023; Belgian year ends):

    N1 Boom residential, founded and active 2022-03-01 ............................ active 2023, 2024
    N2 Boom self-employed, active 2023-05-01, dissolved 2024-06-30 ................ active 2023
    N3 Gent residential (area also Destelbergen), in preparation 2023-10, charter 2023-12, active 2024-02-01
    N4 Gent sectoral, active 2023-01-15, merged into N3 2024-09-01 ................ active 2023
    N5 Brussel residential, active 2024-04-01, dormant 2024-10-01 ................. active neither
    N6 Hemiksem residential, active 2021-06-01, dormant 2023-03-01, active 2024-03-01: active 2024
    N7 Destelbergen (zone 5418) residential, active 2024-07-01 ..................... active 2024
    Active 2024: 4 (2023: 3); founded 3 (2); dissolved 1 (0); merged 1 (0). Growth 2021–2024 active 1, 2, 3, 4.
    Covered: 2024 Boom, Hemiksem, Gent, Destelbergen in zones 5347, 5415, 5418; 2023 Boom, Gent in 5347, 5415.

    Charters (UTC): C1 N3 v1 submitted 2023-12-01, changes needed 2024-01-10 (40 days); C2 N3 v2 2024-01-20, conform
    2024-02-01 (12 d); C3 N7 2024-06-01 10:00, conform 2024-06-21 22:00 (20.5 d); C4 N5 2024-12-15, review started;
    C5 N4 2022-12-20, conform 2023-01-09 (20 d); C6 N2 2023-04-01, conform 2023-04-11 (10 d); C7 N1 draft; C8 N6
    2024-11-01 no review; C9 N1 v2 2024-12-31 23:30 UTC = 2025 in Brussels. Submitted 2024: 4 (2023: 2); decided 3
    (2): conform 2 (2), changes 1 (0); lead median 20.5 (15), mean 24.2 (15), p90 40 (20); waiting 2 (1).

    Memberships: N1 5 from 2022; N1 2 from 2023-02 left 2024-05; N2 1 from 2023-06 left 2024-06; N6 3 from 2023-06;
    N3 4 from 2024-03; N7 1 removed without end date (counts nowhere). Current 12 (11), joined 4 (6), ended 3 (0).

    Messages (UTC): 2023 alert 04-01 (feedback after 6 h, due 48 h), newsletter; 2024: alert 2023-12-31 23:30 (= 2024
    in Brussels; feedback 1 h), alerts 03-01 (24 h), 05-01 (72 h: late), 07-01 (none), 08-01 (12 h), a coordinator's
    alert (not counted in feedback), 2 prevention tips, a feedback message; a newsletter at 2024-12-31 23:30 (2025)
    and a scheduled one. Alerts 5 (1), answered 4 (1), in time 3 (1), median hours 18 (6).
    Deliveries 2024: e-mail 3 (1 failed), SMS 2 (1 failed), web 1; 2023: e-mail 1, SMS 1 failed (and one handed over
    at 23:30 Brussels on 31 December 2022, and one queued, and one handed over in 2025 in Brussels: not counted).

    Training: Vesta 2024 closed (10 seats; 2 passed, 1 failed; 1 cancelled enrolment), cancelled (8 seats), draft;
    PAULO 2023 closed (6 seats, 1 passed). Practices published: 2023 1, 2024 2 (and a draft)."""
    n1 = network(BOOM, RUPEL, "Boom Centrum", "residential", "2022-03-01", [("active", "2022-03-01")])
    n2 = network(BOOM, RUPEL, "Boom Handel", "self_employed", "2023-05-01", [
        ("active", "2023-05-01"), ("dissolved", "2024-06-30"),
    ])  # fmt: skip
    n3 = network(GENT, GENT_ZONE, "Gent Zuid", "residential", "2024-02-01", [
        ("in_preparation", "2023-10-01"), ("charter_submitted", "2023-12-01"), ("active", "2024-02-01"),
    ])  # fmt: skip
    n3.municipalities.add(Municipality.objects.current().get(refnis=DESTELBERGEN))
    n4 = network(GENT, GENT_ZONE, "Gent Apothekers", "sectoral", "2023-01-15", [
        ("active", "2023-01-15"), ("merged", "2024-09-01"),
    ])  # fmt: skip
    Network.objects.filter(pk=n4.pk).update(status="merged", merged_into=n3)
    n5 = network(BRUSSEL, BRUSSELS_ZONE, "Brussel Noord", "residential", "2024-04-01", [
        ("active", "2024-04-01"), ("dormant", "2024-10-01"),
    ])  # fmt: skip
    n6 = network(HEMIKSEM, RUPEL, "Hemiksem Dorp", "residential", "2021-06-01", [
        ("active", "2021-06-01"), ("dormant", "2023-03-01"), ("active", "2024-03-01"),
    ])  # fmt: skip
    n7 = network(DESTELBERGEN, DESTELBERGEN_ZONE, "Destelbergen", "residential", "2024-07-01", [
        ("active", "2024-07-01"),
    ])  # fmt: skip

    charter(n3, 1, "changes_needed", "2023-12-01T10:00", "2024-01-10T10:00", "changes_needed")
    charter(n3, 2, "conform", "2024-01-20T10:00", "2024-02-01T10:00", "conform")
    charter(n7, 1, "conform", "2024-06-01T10:00", "2024-06-21T22:00", "conform")
    charter(n5, 1, "submitted", "2024-12-15T10:00", decision="")
    charter(n4, 1, "conform", "2022-12-20T10:00", "2023-01-09T10:00", "conform")
    charter(n2, 1, "conform", "2023-04-01T10:00", "2023-04-11T10:00", "conform")
    charter(n1, 1, "draft", None)
    charter(n6, 1, "submitted", "2024-11-01T10:00")
    charter(n1, 2, "submitted", "2024-12-31T23:30")

    memberships(n1, 5, joined="2022-04-01")
    memberships(n1, 2, joined="2023-02-01", status="left", ended="2024-05-01")
    memberships(n2, 1, joined="2023-06-01", status="left", ended="2024-06-30")
    memberships(n6, 3, joined="2023-06-01")
    memberships(n3, 4, joined="2024-03-01")
    memberships(n7, 1, joined="2024-08-01", status="removed")

    alert_2023 = sent_message("urgent_alert", "2023-04-01T10:00", due_hours=48, feedback_hours=6)
    sent_message("newsletter", "2023-06-01T10:00")
    sent_message("urgent_alert", "2023-12-31T23:30", due_hours=48, feedback_hours=1)
    alert_2024 = sent_message("urgent_alert", "2024-03-01T10:00", due_hours=48, feedback_hours=24)
    sent_message("urgent_alert", "2024-05-01T10:00", due_hours=48, feedback_hours=72, zone=GENT_ZONE)
    sent_message("urgent_alert", "2024-07-01T10:00", due_hours=48)
    sent_message("urgent_alert", "2024-08-01T10:00", due_hours=48, feedback_hours=12)
    sent_message("urgent_alert", "2024-09-01T10:00", sender="coordinator", due_hours=48)
    sent_message("prevention_tip", "2024-02-01T10:00")
    sent_message("prevention_tip", "2024-10-01T10:00", zone=GENT_ZONE)
    sent_message("feedback", "2024-03-02T10:00")
    sent_message("newsletter", "2024-12-31T23:30", zone=GENT_ZONE)
    scheduled = sent_message("newsletter", "2024-11-01T10:00")
    Message.objects.filter(pk=scheduled.pk).update(status="scheduled", sent_at=None, send_at=utc("2030-01-01T10:00"))

    delivery(alert_2024, "email", "sent", "2024-03-01T10:01")
    delivery(alert_2024, "email", "delivered", "2024-03-01T10:02")
    delivery(alert_2024, "email", "failed", "2024-03-01T10:03")
    delivery(alert_2024, "email", "queued", None)
    delivery(alert_2024, "sms", "delivered", "2024-05-01T10:00")
    delivery(alert_2024, "sms", "failed", "2024-05-01T10:00")
    delivery(alert_2024, "sms", "sent", "2024-12-31T23:30")
    delivery(alert_2024, "web", "delivered", "2024-07-01T10:00")
    delivery(alert_2023, "email", "sent", "2023-04-01T10:01")
    delivery(alert_2023, "sms", "failed", "2023-04-01T10:01")
    delivery(alert_2023, "email", "delivered", "2022-12-31T22:30")

    _training()

    practice("2023-03-01T10:00:00")
    practice("2024-02-01T10:00:00")
    practice("2024-11-01T10:00:00")
    practice(None)
    return {"n1": n1, "n3": n3}


def pair(value, previous) -> dict:
    return {"value": value, "previous": previous}


def values(rows: list[dict], key: str, *figures: str) -> dict:
    return {row[key]: {figure: row[figure] for figure in figures} for row in rows}


# --- the report of 2024 ------------------------------------------------------------------------------------------


def test_the_header_and_sections(report_dataset):
    figures = compute_report_figures(2024, today=TODAY)
    assert (figures["year"], figures["previous_year"]) == (2024, 2023)
    assert figures["as_of"] == "2024-12-31" and figures["complete_year"] is True
    assert figures["version"] == 1
    assert set(SECTIONS) <= set(figures)


def test_networks(report_dataset):
    networks = compute_report_figures(2024, today=TODAY)["networks"]
    assert networks["total"] == {
        "active": pair(4, 3),
        "founded": pair(3, 2),
        "dissolved": pair(1, 0),
        "merged": pair(1, 0),
    }
    by_kind = values(networks["by_kind"], "kind", "active", "founded", "dissolved", "merged")
    assert by_kind == {
        "residential": {"active": pair(4, 1), "founded": pair(3, 0), "dissolved": pair(0, 0), "merged": pair(0, 0)},
        "self_employed": {"active": pair(0, 1), "founded": pair(0, 1), "dissolved": pair(1, 0), "merged": pair(0, 0)},
        "sectoral": {"active": pair(0, 1), "founded": pair(0, 1), "dissolved": pair(0, 0), "merged": pair(1, 0)},
    }


def test_provinces_and_regions(report_dataset, no_threshold):
    figures = compute_report_figures(2024, today=TODAY)
    provinces = {row["code"]: row for row in figures["provinces"]}
    assert len(provinces) == 11  # ten provinces and the Brussels-Capital Region
    antwerpen, oost, brussels = provinces[ANTWERPEN], provinces[OOST_VLAANDEREN], provinces[BRUSSELS_REGION]
    assert antwerpen["region"] == FLANDERS and brussels["region"] == BRUSSELS_REGION
    assert antwerpen["names"][0] == "Provincie Antwerpen"
    assert (antwerpen["active"], antwerpen["founded"], antwerpen["dissolved"], antwerpen["merged"]) == (
        pair(2, 2),
        pair(0, 1),
        pair(1, 0),
        pair(0, 0),
    )
    assert (oost["active"], oost["founded"], oost["dissolved"], oost["merged"]) == (
        pair(2, 1),
        pair(2, 1),
        pair(0, 0),
        pair(1, 0),
    )
    assert (brussels["active"], brussels["founded"]) == (pair(0, 0), pair(1, 0))
    assert (antwerpen["members"], oost["members"], brussels["members"]) == (pair(8, 11), pair(4, 0), pair(0, 0))
    assert provinces["60000"]["active"] == pair(0, 0)  # Liège: no network
    regions = {row["code"]: row for row in figures["regions"]}
    assert list(regions) == [FLANDERS, WALLONIA, BRUSSELS_REGION]
    assert (regions[FLANDERS]["active"], regions[FLANDERS]["founded"]) == (pair(4, 3), pair(2, 2))
    assert (regions[FLANDERS]["dissolved"], regions[FLANDERS]["merged"]) == (pair(1, 0), pair(1, 0))
    assert (regions[WALLONIA]["active"], regions[WALLONIA]["founded"]) == (pair(0, 0), pair(0, 0))
    assert (regions[BRUSSELS_REGION]["active"], regions[BRUSSELS_REGION]["founded"]) == (pair(0, 0), pair(1, 0))


def test_member_counts_per_province_below_the_threshold_are_withheld(report_dataset, settings):
    settings.BINPLP_OPEN_DATA_MIN_COUNT = 10
    figures = compute_report_figures(2024, today=TODAY)
    provinces = {row["code"]: row for row in figures["provinces"]}
    assert provinces[ANTWERPEN]["members"]["value"] is None  # 8 members: withheld
    assert provinces[OOST_VLAANDEREN]["members"]["value"] is None  # 4
    assert provinces[BRUSSELS_REGION]["members"] == pair(0, 0)  # zeros identify nobody
    assert figures["members"]["current"] == pair(12, 11)  # the country's total is shown


def test_growth(report_dataset):
    assert compute_report_figures(2024, today=TODAY)["growth"] == [
        {"year": 2021, "active": 1, "founded": 1, "ended": 0},
        {"year": 2022, "active": 2, "founded": 1, "ended": 0},
        {"year": 2023, "active": 3, "founded": 2, "ended": 0},
        {"year": 2024, "active": 4, "founded": 3, "ended": 2},
    ]


def test_coverage(report_dataset):
    assert compute_report_figures(2024, today=TODAY)["coverage"] == {
        "value": {"municipalities": MUNICIPALITIES, "municipalities_covered": 4, "zones": ZONES, "zones_covered": 3},
        "previous": {"municipalities": MUNICIPALITIES, "municipalities_covered": 2, "zones": ZONES, "zones_covered": 2},
    }


def test_charters(report_dataset):
    assert compute_report_figures(2024, today=TODAY)["charters"] == {
        "submitted": pair(4, 2),
        "reviewed": pair(3, 2),
        "conform": pair(2, 2),
        "changes_needed": pair(1, 0),
        "lead_days_median": pair(20.5, 15.0),
        "lead_days_mean": pair(24.2, 15.0),
        "lead_days_p90": pair(40.0, 20.0),
        "waiting_at_year_end": pair(2, 1),
    }


def test_members(report_dataset):
    assert compute_report_figures(2024, today=TODAY)["members"] == {
        "current": pair(12, 11),
        "joined": pair(4, 6),
        "ended": pair(3, 0),
    }


def test_messages_and_deliveries(report_dataset):
    messages = compute_report_figures(2024, today=TODAY)["messages"]
    assert messages["total"] == pair(9, 2)
    assert {row["type"]: pair(row["value"], row["previous"]) for row in messages["by_type"]} == {
        "urgent_alert": pair(6, 1),
        "feedback": pair(1, 0),
        "prevention_tip": pair(2, 0),
        "newsletter": pair(0, 1),
        "missing_person": pair(0, 0),
        "crisis": pair(0, 0),
    }
    assert messages["by_channel"] == [
        {"channel": "email", "handed_over": pair(3, 1), "failed": pair(1, 0)},
        {"channel": "sms", "handed_over": pair(2, 1), "failed": pair(1, 1)},
        {"channel": "web", "handed_over": pair(1, 0), "failed": pair(0, 0)},
    ]


def test_feedback(report_dataset):
    assert compute_report_figures(2024, today=TODAY)["feedback"] == {
        "alerts": pair(5, 1),
        "answered": pair(4, 1),
        "in_time": pair(3, 1),
        "median_hours": pair(18.0, 6.0),
    }


def test_training(report_dataset):
    training = compute_report_figures(2024, today=TODAY)["training"]
    assert training["totals"] == {
        "sessions_held": pair(1, 1),
        "sessions_cancelled": pair(1, 0),
        "seats_offered": pair(10, 6),
        "seats_filled": pair(3, 1),
        "attended": pair(3, 1),
        "passed": pair(2, 1),
        "certificates": pair(2, 1),
    }
    assert [row["code"] for row in training["academies"]] == ["vesta"]
    vesta = training["academies"][0]
    assert (vesta["sessions_held"], vesta["seats_filled"], vesta["passed"], vesta["certificates"]) == (1, 3, 2, 2)
    assert vesta["attendance_rate"] == 1.0 and vesta["pass_rate"] == pytest.approx(2 / 3)


def test_practices(report_dataset):
    assert compute_report_figures(2024, today=TODAY)["practices"] == {"published": pair(2, 1)}


def test_the_figures_are_json_ready(report_dataset):
    import json

    figures = compute_report_figures(2024, today=TODAY)
    assert json.loads(json.dumps(figures)) == figures


# --- other years -------------------------------------------------------------------------------------------------


def test_the_current_year_is_read_up_to_today(report_dataset):
    figures = compute_report_figures(2025, today=TODAY)
    assert (figures["year"], figures["previous_year"]) == (2025, 2024)
    assert figures["as_of"] == "2025-06-01" and figures["complete_year"] is False
    assert figures["networks"]["total"]["active"] == pair(4, 4)
    assert figures["messages"]["total"] == pair(1, 9)  # the newsletter of 31 December 23:30 UTC
    assert figures["charters"]["submitted"] == pair(1, 4)
    assert figures["charters"]["waiting_at_year_end"] == pair(3, 2)
    assert figures["messages"]["by_channel"][1] == {"channel": "sms", "handed_over": pair(1, 2), "failed": pair(0, 1)}


def _previous_values(node) -> list:
    if isinstance(node, dict):
        found = [node["previous"]] if "previous" in node and "value" in node else []
        return found + [each for key, child in node.items() if key != "previous" for each in _previous_values(child)]
    if isinstance(node, list):
        return [each for child in node for each in _previous_values(child)]
    return []


def test_the_first_year_has_no_previous_values(report_dataset):
    figures = compute_report_figures(2021, today=TODAY)
    assert figures["previous_year"] is None
    assert figures["networks"]["total"]["active"] == pair(1, None)
    assert figures["growth"] == [{"year": 2021, "active": 1, "founded": 1, "ended": 0}]
    assert figures["coverage"]["previous"] is None
    assert figures["charters"]["submitted"] == pair(0, None)
    assert figures["charters"]["waiting_at_year_end"] == pair(0, None)
    assert figures["feedback"]["alerts"] == pair(0, None)
    assert figures["training"]["totals"]["seats_offered"] == pair(0, None)
    previous = _previous_values(figures)
    assert len(previous) > 50 and set(previous) == {None}


def test_a_year_without_data_is_refused(report_dataset):
    with pytest.raises(ValidationError) as error:
        compute_report_figures(2020, today=TODAY)
    assert error.value.code == "no_data_for_year"
    assert "2021 to 2025" in error.value.messages[0]


def test_a_future_year_is_refused(report_dataset):
    with pytest.raises(ValidationError) as error:
        compute_report_figures(2026, today=TODAY)
    assert error.value.code == "future_year"
    with pytest.raises(ValidationError) as error:
        check_report_year(datetime.date.today().year + 1)
    assert error.value.code == "future_year"


def test_an_empty_register_has_no_year(reference_data):
    with pytest.raises(ValidationError) as error:
        compute_report_figures(2024, today=TODAY)
    assert error.value.code == "no_data"
