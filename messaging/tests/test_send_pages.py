"""The sent-message list (/messages/) and detail with tracking (/messages/<pk>/), the tracking panel, cancelling, and
the navigation: who sees what, what the pages show, and a constant number of queries on the list."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.navigation import nav_for
from core.testing.matrix import assert_permission_matrix
from messaging.choices import DeliveryStatus
from messaging.models import Delivery, Message, Rating, Reply

from . import send_support
from .send_support import network, send, sign_in

pytestmark = pytest.mark.django_db

english = send_support.english
LIST = "/messages/"


def _page(response) -> str:
    return response.content.decode()


# --- list --------------------------------------------------------------------------------------------------------


def test_the_list_answers_those_who_follow_messages(client, english):
    assert_permission_matrix(
        client,
        LIST,
        allowed=[english.zone_officer, english.coordinator, english.municipality_official, english.other_zone_officer],
        in_scope_wrong_role=[
            english.advp_admin,
            english.knowledge_centre,
            english.member,
            english.trainer,
            english.outsider,
        ],
    )


def test_the_list_holds_only_messages_in_scope(client, english):
    ours = send(english)
    theirs = send(english, actor=english.other_zone_officer, networks=[english.network_b])
    for user, expected in (
        (english.zone_officer, [ours]),
        (english.coordinator, [ours]),
        (english.municipality_official, [ours]),
        (english.other_zone_officer, [theirs]),
    ):
        page = _page(sign_in(client, user).get(LIST))
        for message in (ours, theirs):
            assert (f'href="/messages/{message.pk}/"' in page) == (message in expected), user


def test_the_list_filters_by_type_status_and_network(client, english):
    other = network(code="BIN-11002-2", name="BIN Zuid")
    tip = send(english)
    alert = send(english, message_type="urgent_alert", networks=[other])
    scheduled = send(english, message_type="newsletter", send_at=timezone.now() + datetime.timedelta(days=1))
    client = sign_in(client, english.zone_officer)

    def listed(**params) -> set[int]:
        page = _page(client.get(LIST, params))
        return {m.pk for m in (tip, alert, scheduled) if f'href="/messages/{m.pk}/"' in page}

    assert listed() == {tip.pk, alert.pk, scheduled.pk}
    assert listed(type="urgent_alert") == {alert.pk}
    assert listed(status="scheduled") == {scheduled.pk}
    assert listed(network="BIN-11002-2") == {alert.pk}
    response = client.get(LIST, {"type": "urgent_alert"}, headers={"HX-Request": "true"})
    assert "<html" not in _page(response) and f'href="/messages/{alert.pk}/"' in _page(response)


def test_the_list_takes_the_same_queries_for_few_or_many_messages(client, english, django_assert_num_queries):
    send(english)
    client = sign_in(client, english.zone_officer)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    other = network(code="BIN-11002-2", name="BIN Zuid")
    for index in range(12):
        send(english, networks=[english.network_a, other] if index % 2 else [other])
    with django_assert_num_queries(len(few)):
        assert client.get(LIST).status_code == 200


# --- detail and tracking -----------------------------------------------------------------------------------------


def test_the_detail_answers_those_who_see_the_message(client, english):
    message = send(english)
    assert_permission_matrix(
        client,
        f"/messages/{message.pk}/",
        allowed=[english.zone_officer, english.coordinator, english.municipality_official],
        hidden=[
            english.other_zone_officer,
            english.advp_admin,
            english.knowledge_centre,
            english.member,
            english.trainer,
            english.outsider,
        ],
    )
    assert sign_in(client, english.zone_officer).get("/messages/999999/").status_code == 404


def test_the_detail_shows_texts_targets_and_tracking(client, english, make_members):
    members = make_members(english.network_a, 3, by_sms=True)
    message = send(english, message_type="urgent_alert")
    sent_at = message.sent_at
    email = Delivery.objects.filter(message=message, channel="email").order_by("pk")
    Delivery.objects.filter(pk=email[0].pk).update(status="sent", sent_at=sent_at + datetime.timedelta(seconds=4))
    Delivery.objects.filter(pk=email[1].pk).update(status="delivered", sent_at=sent_at + datetime.timedelta(seconds=75))
    Delivery.objects.filter(pk=email[2].pk).update(
        status="failed", error="550 5.1.1 <m1.1@members.test>: mailbox unavailable", failed_at=sent_at
    )
    Delivery.objects.filter(pk=email[3].pk).update(
        status="failed", error="550 5.1.1 <m2.1@members.test>: mailbox unavailable", failed_at=sent_at
    )
    Rating.objects.create(message=message, member=members[0], useful=True)
    Rating.objects.create(message=message, member=members[1], useful=True)
    Rating.objects.create(message=message, member=members[2], useful=False)
    Reply.objects.create(message=message, member=members[0], body="Dank u")
    page = _page(sign_in(client, english.zone_officer).get(f"/messages/{message.pk}/"))
    assert "Burglary Meir" in page and "Verdachte personen <strong>gezien</strong> aan de Meir." in page
    assert '<tr><th scope="row">E-mail</th><td>0</td><td>0</td><td>1</td><td>1</td><td>2</td><td>4</td></tr>' in page
    assert '<tr><th scope="row">Web inbox</th><td>0</td><td>0</td><td>0</td><td>4</td><td>0</td><td>4</td></tr>' in page
    assert "<dt>First hand-over after sending</dt><dd>4 s</dd>" in page
    assert "<dt>Last hand-over after sending</dt><dd>1 min 15 s</dd>" in page
    assert "550 5.1.1 &lt;…&gt;: mailbox unavailable</th><td>2</td>" in page  # grouped, without the addresses
    assert "members.test" not in page
    assert "2 useful, 1 not useful" in page
    assert "<dt>Replies</dt>" in page and ">1</" in page.split("<dt>Replies</dt>")[1][:200]
    assert 'hx-trigger="every 5s"' in page  # SMS are still queued
    assert "Send the feedback" in page


def test_the_tracking_panel_reloads_alone_and_stops_when_all_is_handed_over(client, english):
    message = send(english)
    client = sign_in(client, english.zone_officer)
    url = f"/messages/{message.pk}/tracking/"
    partial = _page(client.get(url, headers={"HX-Request": "true"}))
    assert partial.startswith('<section id="tracking"') and 'hx-trigger="every 5s"' in partial
    Delivery.objects.filter(message=message, status=DeliveryStatus.QUEUED).update(status="sent", sent_at=timezone.now())
    partial = _page(client.get(url, headers={"HX-Request": "true"}))
    assert "hx-trigger" not in partial and "2 of 2 e-mails and SMS handed over" in partial
    assert client.get(url).status_code == 302  # without HTMX: the page
    assert_permission_matrix(
        client,
        url,
        allowed=[english.zone_officer],
        allowed_status=(302,),
        hidden=[english.other_zone_officer, english.outsider],
    )


def test_cancel_is_for_those_who_may_change_the_message(client, english):
    message = send(english, send_at=timezone.now() + datetime.timedelta(days=1))
    url = f"/messages/{message.pk}/cancel/"
    assert_permission_matrix(
        client,
        url,
        method="post",
        data={},
        allowed=[],
        in_scope_wrong_role=[english.coordinator, english.municipality_official],
        hidden=[english.other_zone_officer, english.outsider, english.advp_admin],
    )
    assert Message.objects.get(pk=message.pk).status == "scheduled"
    assert sign_in(client, english.zone_officer).get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert Message.objects.get(pk=message.pk).status == "cancelled"


# --- navigation --------------------------------------------------------------------------------------------------


def test_the_messages_entry_shows_for_officers_coordinators_and_municipalities(rf, english):
    for user, visible in (
        (english.zone_officer, True),
        (english.coordinator, True),
        (english.municipality_official, True),
        (english.advp_admin, False),
        (english.member, False),
        (english.outsider, False),
    ):
        request = rf.get("/")
        request.user = user
        assert any(str(entry["label"]) == "Messages" for entry in nav_for(request)) == visible, user


def test_the_sub_navigation_links_the_pages_each_user_may_open(client, english):
    officer = _page(sign_in(client, english.zone_officer).get(LIST))
    nav = officer.split('class="portal-nav messaging-nav"')[1].split("</nav>")[0]
    assert '<a href="/messages/" aria-current="page">Sent messages</a>' in nav
    assert 'href="/messages/new/"' in nav and 'href="/messages/tips/"' in nav
    municipality = _page(sign_in(client, english.municipality_official).get(LIST))
    nav = municipality.split('class="portal-nav messaging-nav"')[1].split("</nav>")[0]
    assert 'href="/messages/new/"' not in nav and 'href="/messages/tips/"' not in nav


def test_the_home_page_offers_messages_to_composers_and_tips_to_national_roles(client, english):
    officer = _page(sign_in(client, english.zone_officer).get("/"))
    assert 'href="/messages/new/"' in officer and "The library of prevention tips" in officer
    advp = _page(sign_in(client, english.advp_admin).get("/"))
    assert "The library of prevention tips" in advp and "Send a message to your networks" not in advp


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ("550 5.1.1 <m1.1@members.test>: mailbox unavailable", "550 5.1.1 <…>: mailbox unavailable"),
        ("number +32 470 12 34 56 unknown to the SMSC", "number … unknown to the SMSC"),
        ("no SMS gateway configured", "no SMS gateway configured"),
        ("", "no reason given"),
    ],
)
def test_failure_reasons_lose_addresses_and_numbers(error, reason):
    from messaging.selectors_send import failure_reason

    assert failure_reason(error) == reason
