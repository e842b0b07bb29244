"""The member portal's web inbox (/me/messages/): the member's own messages, unread marked, read when opened, in
their language, rated and answered with the same services as the e-mailed links."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.testing.matrix import assert_permission_matrix
from members.models import Membership
from messaging.models import Delivery, Rating, Reply

from . import member_support
from .member_support import TEXTS, send

pytestmark = pytest.mark.django_db

english = member_support.english
member = member_support.member

INBOX = reverse("messaging_portal:inbox")


def _message_url(message) -> str:
    return reverse("messaging_portal:inbox_message", args=[message.pk])


# --- who may open what ---------------------------------------------------------------------------------------------


def test_the_inbox_pages_answer_members_only(client, english, member, make_members):
    other = make_members(english.network_a, 1)[0].user
    message = send(english)
    hidden = send(english, networks=[english.network_b], actor=english.other_zone_officer)
    for url in (INBOX, reverse("messaging_portal:report_list"), reverse("messaging_portal:report_new")):
        assert_permission_matrix(client, url, allowed=[english.member, other])
    assert_permission_matrix(client, _message_url(message), allowed=[english.member, other])
    # A message that never reached the member's inbox does not exist for them.
    assert_permission_matrix(client, _message_url(hidden), hidden=[english.member, other])
    # Someone signed in without a member profile learns what the portal is for.
    client.force_login(english.outsider)
    response = client.get(INBOX)
    assert response.status_code == 200 and "The member portal is for members" in response.content.decode()
    assert client.get(_message_url(message)).status_code == 200  # the same explanation, never the message
    assert "Burglary Meir" not in client.get(_message_url(message)).content.decode()


def test_rating_and_replying_need_a_post(client, english, member):
    message = send(english)
    client.force_login(english.member)
    for name in ("messaging_portal:inbox_rate", "messaging_portal:inbox_reply"):
        assert client.get(reverse(name, args=[message.pk])).status_code == 405
    client.logout()
    response = client.post(reverse("messaging_portal:inbox_rate", args=[message.pk]), {"verdict": "useful"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Rating.objects.exists()


# --- the inbox -----------------------------------------------------------------------------------------------------


def test_the_inbox_lists_the_members_messages_newest_first_with_unread_and_urgent_marked(client, english, member):
    tip = send(english)
    alert = send(english, message_type="urgent_alert", texts={"en": {"title": "Fire on the Meir", "body": "Stay in."}})
    foreign = send(english, networks=[english.network_b], actor=english.other_zone_officer)
    Delivery.objects.filter(message=tip, member=member, channel="web").update(read_at=timezone.now())
    client.force_login(english.member)

    content = client.get(INBOX).content.decode()
    assert content.index("Fire on the Meir") < content.index("Burglary Meir")  # newest first
    assert "1 unread message." in content
    assert '<span class="badge badge--urgent">Urgent alert</span>' in content
    assert '<li class="is-unread is-urgent">' in content and '<li class=" ' not in content
    assert _message_url(alert) in content and _message_url(tip) in content
    assert _message_url(foreign) not in content


def test_the_inbox_is_paginated(client, english, member):
    for number in range(22):
        send(english, texts={"en": {"title": f"Tip {number:02d}", "body": "Lock your door."}})
    client.force_login(english.member)
    first = client.get(INBOX).content.decode()
    assert "Tip 21" in first and "Tip 02" in first and "Tip 01" not in first and "Page 1 of 2" in first
    second = client.get(INBOX, {"page": 2}).content.decode()
    assert "Tip 01" in second and "Tip 00" in second and "Tip 21" not in second


def test_the_inbox_takes_the_same_queries_for_one_or_many_messages(client, english, member):
    send(english)
    client.force_login(english.member)
    client.get(INBOX)
    with CaptureQueriesContext(connection) as one:
        assert client.get(INBOX).status_code == 200
    for _number in range(6):
        message = send(english)
        Rating.objects.create(message=message, member=member, useful=True)
    with CaptureQueriesContext(connection) as many:
        assert client.get(INBOX).status_code == 200
    assert len(many.captured_queries) == len(one.captured_queries)


# --- one message ---------------------------------------------------------------------------------------------------


def test_opening_a_message_shows_it_in_the_members_language_and_marks_it_read(client, personas, member):
    message = send(personas)  # the member persona reads French
    client.force_login(personas.member)
    response = client.get(_message_url(message))
    assert response.status_code == 200
    content = response.content.decode()
    assert TEXTS["fr"]["title"] in content and TEXTS["fr"]["body"] in content
    read_at = Delivery.objects.get(message=message, member=member, channel="web").read_at
    assert read_at is not None
    client.get(_message_url(message))
    assert Delivery.objects.get(message=message, member=member, channel="web").read_at == read_at  # the first time


def test_the_body_is_markdown_rendered_safely(client, english, member):
    message = send(
        english,
        texts={"en": {"title": "Tip", "body": "Lock **both** doors <script>alert(1)</script> [x](javascript:y)"}},
    )
    client.force_login(english.member)
    content = client.get(_message_url(message)).content.decode()
    assert "<strong>both</strong>" in content
    assert "<script>alert(1)" not in content and 'href="javascript:' not in content


def test_a_member_rates_and_changes_the_rating_in_the_portal(client, english, member):
    message = send(english)
    client.force_login(english.member)
    rate = reverse("messaging_portal:inbox_rate", args=[message.pk])

    response = client.post(rate, {"verdict": "useful"}, follow=True)
    assert response.redirect_chain[-1][0] == _message_url(message)
    assert "Thank you for your rating." in response.content.decode()
    assert "Your rating: useful" in response.content.decode()
    client.post(rate, {"verdict": "useful"})
    client.post(rate, {"verdict": "not-useful"})
    assert list(Rating.objects.values_list("useful", flat=True)) == [False]
    client.post(rate, {"verdict": "brilliant"})
    assert list(Rating.objects.values_list("useful", flat=True)) == [False]


def test_a_member_replies_in_the_portal_once(client, english, member):
    message = send(english)
    client.force_login(english.member)
    reply = reverse("messaging_portal:inbox_reply", args=[message.pk])
    response = client.post(reply, {"body": "Thanks, I locked the shed."}, follow=True)
    assert "your reply was sent to the sender" in response.content.decode()
    assert "Thanks, I locked the shed." in response.content.decode()
    client.post(reply, {"body": "Thanks, I locked the shed."})
    assert Reply.objects.get().member == member

    empty = client.post(reply, {"body": ""})
    assert empty.status_code == 400 and "error-summary" in empty.content.decode()
    assert Reply.objects.count() == 1


def test_a_former_member_reads_but_cannot_rate_or_reply(client, english, member):
    message = send(english)
    Membership.objects.filter(member=member).update(status="left", ended_on=timezone.localdate())
    client.force_login(english.member)
    content = client.get(_message_url(message)).content.decode()
    assert "Burglary Meir" in content and "no longer a member of a network this message was sent to" in content
    assert reverse("messaging_portal:inbox_reply", args=[message.pk]) not in content

    response = client.post(
        reverse("messaging_portal:inbox_rate", args=[message.pk]), {"verdict": "useful"}, follow=True
    )
    assert "you cannot respond to it" in response.content.decode()
    client.post(reverse("messaging_portal:inbox_reply", args=[message.pk]), {"body": "Hello"})
    assert not Rating.objects.exists() and not Reply.objects.exists()


def test_the_portal_home_links_the_inbox_and_the_reports(client, english, member):
    client.force_login(english.member)
    content = client.get(reverse("members_portal:home")).content.decode()
    assert INBOX in content and reverse("messaging_portal:report_list") in content
