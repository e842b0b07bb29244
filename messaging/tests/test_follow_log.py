"""A network's log (/messages/networks/<code>/log/, its CSV and XLSX exports, /api/v1/networks/<code>/message-log/):
who keeps it, what each row counts, the filters, formula-safe exports and a constant number of queries."""

from __future__ import annotations

import csv
import io

import pytest
import python_calamine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from core.testing.matrix import ANONYMOUS_DENIED, assert_permission_matrix
from messaging.models import Rating, Reply

from . import follow_support
from .follow_support import DAY, HOUR, feedback, mark, send, url_or_none

pytestmark = pytest.mark.django_db

# Fixtures of follow_support.
dataset = follow_support.dataset
english = follow_support.english

LOG = "/messages/networks/BIN-11002-1/log/"
API = "/api/v1/networks/BIN-11002-1/message-log/"


@pytest.fixture
def log(personas, dataset):
    """The dataset with counts on the first alert: e-mails 4 sent and 1 failed, the SMS delivered, two ratings
    (useful, not useful) and a reply."""
    from members.models import Membership

    alert = dataset.antwerp_alerts[0]
    mark(alert, "email", "sent", count=4)
    mark(alert, "email", "failed", error="550 5.1.1 no such user")
    mark(alert, "sms", "delivered")
    members = list(Membership.objects.filter(network=personas.network_a).values_list("member_id", flat=True)[:2])
    Rating.objects.create(message=alert, member_id=members[0], useful=True)
    Rating.objects.create(message=alert, member_id=members[1], useful=False)
    Reply.objects.create(message=alert, member_id=members[0], body="I saw them too, around 22:00.")
    return dataset


def _row(html: str, message_id: int) -> str:
    return html.split(f'data-message="{message_id}"', 1)[1].split("</tr>", 1)[0]


def test_the_log_lists_every_message_to_the_network_with_its_counts(client, english, log):
    client.force_login(english.coordinator)
    response = client.get(LOG)
    assert response.status_code == 200
    html = response.content.decode()
    alert = log.antwerp_alerts[0]
    # The network's 12 messages (5 alerts, 3 feedback, a tip, a newsletter, the old alert and its feedback), not B's.
    assert "12 messages" in html
    assert "Alerte Rue Neuve" not in html
    row = _row(html, alert.pk)
    assert "Alert one" in row and "Zoë Peeters" in row and "Police" in row
    assert "E-mail: 4/5" in row and "1 failed" in row and "SMS: 1/1" in row and "Web inbox: 5" in row
    assert "1 useful, 1 not useful" in row
    assert "Feedback: Alert one" in row and "after 3" in row
    assert "overdue" in _row(html, log.antwerp_alerts[3].pk)
    assert "owed" in _row(html, log.antwerp_alerts[4].pk)
    # Counts only: no member's name or address.
    assert "Lambert" not in html and "Member1" not in html and "member@test.binplp.be" not in html
    assert not AuditEvent.objects.filter(action="view").exists()
    compose = url_or_none("messaging:compose")
    assert f"{compose}?feedback_for={log.antwerp_alerts[3].pk}" not in html  # coordinators do not give the feedback
    assert "/messages/networks/BIN-11002-1/problems/" in html


def test_the_officer_gets_the_send_feedback_link(client, english, log):
    compose = url_or_none("messaging:compose")
    if compose is None:
        pytest.skip("part send (messaging:compose) is not installed in this checkout")
    client.force_login(english.zone_officer)
    html = client.get(LOG).content.decode()
    assert f"{compose}?feedback_for={log.antwerp_alerts[3].pk}" in _row(html, log.antwerp_alerts[3].pk)


def test_the_log_filters_by_year_and_type(client, english, log):
    client.force_login(english.zone_officer)
    year = log.now.year
    html = client.get(LOG, {"type": "feedback"}).content.decode()
    assert "4 messages" in html and "Feedback: Alert one" in html and "Lock your doors" not in html
    old_year = log.old_alert.sent_at.year
    html = client.get(LOG, {"year": old_year, "type": "urgent_alert"}).content.decode()
    assert "Old alert" in html and "1 message" in html and "Alert one" not in html
    html = client.get(LOG, {"year": year}).content.decode()
    assert "Old alert" not in html  # 400 days ago: another year
    assert f'<option value="{old_year}"' in html
    assert client.get(LOG, {"type": "gossip"}).status_code == 400


def test_the_log_answers_htmx_with_the_table_only(client, english, log):
    client.force_login(english.zone_officer)
    response = client.get(LOG, {"type": "newsletter"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Spring newsletter" in html and "format=csv" in html and "type=newsletter" in html


def test_the_csv_export_is_the_log_and_formula_safe(client, english, log, personas):
    send(personas, at=log.now - 2 * HOUR, message_type="newsletter", title='=HYPERLINK("http://evil")')
    client.force_login(english.municipality_official)
    response = client.get(LOG, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Sent", "Type", "Sent by", "Author", "Title"]
    assert len(body) == 13
    by_title = {row[4]: dict(zip(header, row, strict=True)) for row in body}
    assert '\'=HYPERLINK("http://evil")' in by_title
    first = by_title["Alert one"]
    assert (first["E-mails"], first["E-mails failed"], first["SMS"], first["Web inbox"]) == ("5", "1", "1", "5")
    assert (first["Useful"], first["Not useful"], first["Replies"]) == ("1", "1", "1")
    assert first["Feedback"] == "Feedback: Alert one" and first["Feedback delay (hours)"] == "3.0"
    assert first["Feedback status"] == "sent" and first["Recipients"] == "5"
    assert by_title["Alert four"]["Feedback status"] == "overdue"
    assert by_title["Spring newsletter"]["Feedback status"] == ""
    assert "Lambert" not in text


def test_the_xlsx_export_follows_the_filters_and_holds_no_formula(client, english, log, personas):
    import zipfile

    send(personas, at=log.now - 2 * HOUR, message_type="urgent_alert", title="=1+1")
    client.force_login(english.zone_officer)
    response = client.get(LOG, {"format": "xlsx", "type": "urgent_alert"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = workbook.get_sheet_by_index(0).to_python()
    header, body = rows[0], rows[1:]
    assert header[4] == "Title" and len(body) == 7  # six alerts of the network and the new one
    titles = [row[4] for row in body]
    assert "=1+1" in titles and "Alerte Rue Neuve" not in titles
    first = dict(zip(header, body[titles.index("Alert one")], strict=True))
    assert first["E-mails failed"] == 1 and first["Useful"] == 1 and first["Feedback delay (hours)"] == 3.0
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet


def test_an_unknown_export_format_or_filter_is_refused(client, english, log):
    client.force_login(english.zone_officer)
    assert client.get(LOG, {"format": "pdf"}).status_code == 400
    response = client.get(LOG, {"format": "csv", "year": "soon"})
    assert response.status_code == 400 and "year" in response.content.decode()


def test_the_api_gives_the_log_with_the_same_counts(client, personas, log):
    client.force_login(personas.municipality_official)
    response = client.get(API)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 12
    entries = {entry["id"]: entry for entry in data["results"]}
    alert = entries[log.antwerp_alerts[0].pk]
    assert alert["type"] == "urgent_alert" and alert["sender"] == "police" and alert["author"] == "Zoë Peeters"
    assert alert["deliveries"]["email"] == {"total": 5, "handed_over": 4, "failed": 1, "pending": 0}
    assert alert["deliveries"]["sms"]["handed_over"] == 1 and alert["deliveries"]["web"]["total"] == 5
    assert (alert["useful"], alert["not_useful"], alert["replies"], alert["networks"]) == (1, 1, 1, 1)
    assert alert["feedback"]["state"] == "sent" and alert["feedback"]["delay_hours"] == 3.0
    assert alert["feedback"]["message"] == log.antwerp_feedback[0].pk
    assert entries[log.antwerp_alerts[3].pk]["feedback"]["state"] == "overdue"
    assert entries[log.others[0].pk]["feedback"] is None
    filtered = client.get(API, {"type": "newsletter"}).json()
    assert [entry["title"] for entry in filtered["results"]] == ["Spring newsletter"]
    assert client.get(API, {"year": log.old_alert.sent_at.year, "type": "urgent_alert"}).json()["count"] >= 1


@pytest.mark.parametrize("path", [LOG, f"{LOG}?format=csv", f"{LOG}?format=xlsx"])
def test_permission_matrix_of_the_log(client, personas, path):
    assert_permission_matrix(
        client,
        path,
        allowed=[personas.zone_officer, personas.coordinator, personas.municipality_official],
        hidden=[
            personas.other_zone_officer,
            personas.advp_admin,
            personas.knowledge_centre,
            personas.member,
            personas.trainer,
            personas.outsider,
        ],
    )


def test_permission_matrix_of_the_log_api(client, personas):
    assert_permission_matrix(
        client,
        API,
        allowed=[personas.zone_officer, personas.coordinator, personas.municipality_official],
        hidden=[
            personas.other_zone_officer,
            personas.advp_admin,
            personas.knowledge_centre,
            personas.member,
            personas.trainer,
            personas.outsider,
        ],
        anonymous=ANONYMOUS_DENIED,
    )


def test_an_unknown_network_answers_404(client, personas):
    client.force_login(personas.zone_officer)
    assert client.get("/messages/networks/BIN-99999-9/log/").status_code == 404
    assert client.get("/api/v1/networks/BIN-99999-9/message-log/").status_code == 404


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_log_takes_the_same_queries_for_few_or_many_messages(client, personas, log):
    client.force_login(personas.zone_officer)
    _queries(client, LOG)
    counts = {path: _queries(client, path) for path in (LOG, API, f"{LOG}?format=csv")}
    for day in range(30):
        alert = send(personas, at=log.now - (day + 50) * DAY, title=f"Alert {day}")
        feedback(personas, alert, at=alert.sent_at + 4 * HOUR)
        mark(alert, "email", "failed", count=1)
    for path, count in counts.items():
        assert _queries(client, path) == count, path
