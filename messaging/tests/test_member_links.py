"""The signed links of a message's e-mail: one-click rating, reply, unsubscribe (also the mail client's one-click
POST without a CSRF token); expired, forged and wrong-salt links; erased members and members who left."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from core.models import AuditEvent
from members.models import Member, Membership
from messaging import tokens
from messaging.models import Delivery, Rating, Reply
from messaging.services import feedback, outbox

from . import member_support
from .member_support import emailed_links, links, send

pytestmark = pytest.mark.django_db

ADDRESS = "member@test.binplp.be"

# Fixtures shared by part "member"'s tests.
english = member_support.english
member = member_support.member


def _past_token(message_id: int, member_id: int, days: int) -> str:
    """A link signed `days` ago, as the e-mail of an old message carries it."""

    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 86400)

    return PastSigner(salt=tokens.MEMBER_LINK_SALT).sign_object([message_id, member_id], compress=False)


# --- rating --------------------------------------------------------------------------------------------------------


def test_it_rates_from_the_emailed_link_in_one_click_and_idempotently(client, english, member, smtp_server):
    message = send(english)
    outbox.outbox_dispatch(channel="email")
    mailed = emailed_links(smtp_server, ADDRESS)

    response = client.get(mailed["useful"])
    assert response.status_code == 200
    content = response.content.decode()
    assert "You rated this message as useful." in content and "Burglary Meir" in content
    assert mailed["reply"] in content and mailed["not_useful"] in content  # reply, and change the rating
    assert "no-store" in response["Cache-Control"]
    rating = Rating.objects.get(message=message, member=member)
    assert rating.useful is True

    again = client.get(mailed["useful"])
    assert "This was already your rating: nothing changed." in again.content.decode()
    assert Rating.objects.filter(message=message, member=member).count() == 1

    changed = client.get(mailed["not_useful"])
    assert "Your earlier rating was changed." in changed.content.decode()
    assert list(Rating.objects.filter(message=message).values_list("useful", flat=True)) == [False]


def test_the_link_pages_speak_the_language_of_the_member(client, personas, member):
    message = send(personas)  # the member persona reads French
    response = client.get(links(message, member)["useful"])
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode() and "Cambriolage Meir" in response.content.decode()
    chosen = client.get(links(message, member)["useful"], headers={"cookie": "binplp_language=en"})
    assert chosen["Content-Language"] == "en"  # a language chosen on the site wins


def test_an_unknown_verdict_is_not_found(client, english, member):
    message = send(english)
    path = links(message, member)["useful"].replace("/useful/", "/brilliant/")
    assert client.get(path).status_code == 404
    assert not Rating.objects.exists()


def test_rating_by_post_is_not_allowed(client, english, member):
    message = send(english)
    assert client.post(links(message, member)["useful"]).status_code == 405


# --- links that cannot be used -------------------------------------------------------------------------------------


def test_an_expired_link_says_so_and_points_to_the_portal(client, english, member):
    message = send(english)
    token = _past_token(message.pk, member.pk, days=61)  # BINPLP_MESSAGE_LINK_DAYS is 60
    for path in (
        f"/messages/m/{token}/rate/useful/",
        f"/messages/m/{token}/reply/",
        f"/messages/m/{token}/unsubscribe/",
    ):
        response = client.get(path)
        assert response.status_code == 410, path
        assert "This link has expired" in response.content.decode()
        assert "/me/sign-in/" in response.content.decode()
    assert client.post(f"/messages/m/{token}/unsubscribe/").status_code == 410
    assert not Rating.objects.exists() and Member.objects.get(pk=member.pk).muted_types == []


def test_links_expire_after_the_configured_days(client, english, member, settings):
    message = send(english)
    token = _past_token(message.pk, member.pk, days=3)
    assert client.get(f"/messages/m/{token}/rate/useful/").status_code == 200
    settings.BINPLP_MESSAGE_LINK_DAYS = 2
    assert client.get(f"/messages/m/{token}/rate/useful/").status_code == 410


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda token, m, mb: token[:-2] + ("AA" if not token.endswith("AA") else "BB"), id="tampered"),
        pytest.param(
            lambda token, m, mb: signing.TimestampSigner(salt=tokens.DLR_SALT).sign_object([m, mb], compress=False),
            id="wrong-salt",
        ),
        pytest.param(lambda token, m, mb: tokens.dlr_token(m), id="delivery-report-token"),
        pytest.param(
            lambda token, m, mb: signing.TimestampSigner(salt=tokens.MEMBER_LINK_SALT).sign_object({"m": m}),
            id="wrong-shape",
        ),
        pytest.param(lambda token, m, mb: tokens.member_link_token(message_id=m + 1000, member_id=mb), id="no-message"),
        pytest.param(lambda token, m, mb: "nothing-signed-here", id="garbage"),
    ],
)
def test_a_forged_or_foreign_link_is_not_valid(client, english, member, forge):
    message = send(english)
    good = tokens.member_link_token(message_id=message.pk, member_id=member.pk)
    token = forge(good, message.pk, member.pk)
    for method, path in (
        ("get", f"/messages/m/{token}/rate/useful/"),
        ("get", f"/messages/m/{token}/reply/"),
        ("post", f"/messages/m/{token}/reply/"),
        ("post", f"/messages/m/{token}/unsubscribe/"),
    ):
        response = getattr(client, method)(path, {"body": "Hello"} if method == "post" else None)
        assert response.status_code == 404, (method, path)
        assert "This link is not valid" in response.content.decode()
    assert not Rating.objects.exists() and not Reply.objects.exists()
    assert Member.objects.get(pk=member.pk).muted_types == []


def test_a_link_of_an_erased_member_stores_nothing(client, english, member):
    from members.services.portal import member_erase

    message = send(english)
    paths = links(message, member)
    member_erase(actor=member.user, member=member)
    for path in (paths["useful"], paths["reply"], paths["unsubscribe"]):
        response = client.get(path)
        assert response.status_code == 410
        assert "This account no longer exists" in response.content.decode()
    assert client.post(paths["reply"], {"body": "Still here?"}).status_code == 410
    assert client.post(paths["unsubscribe"]).status_code == 410
    assert not Rating.objects.exists() and not Reply.objects.exists()


def test_a_member_who_left_the_network_gets_a_clear_page_and_nothing_is_stored(client, english, member):
    message = send(english)
    paths = links(message, member)
    Membership.objects.filter(member=member).update(status="left", ended_on=timezone.localdate())
    events = AuditEvent.objects.count()
    for method, path in (
        ("get", paths["useful"]),
        ("get", paths["reply"]),
        ("post", paths["reply"]),
        ("post", paths["unsubscribe"]),
    ):
        response = getattr(client, method)(path, {"body": "Hello"} if method == "post" else None)
        assert response.status_code == 403, (method, path)
        assert "You are no longer a member" in response.content.decode()
    assert not Rating.objects.exists() and not Reply.objects.exists()
    assert Member.objects.get(pk=member.pk).muted_types == [] and AuditEvent.objects.count() == events


def test_a_member_of_another_of_the_message_networks_may_still_respond(client, english, member, make_members):
    message = send(english)
    other = make_members(english.network_a, 1, language="en")[0]
    assert client.get(links(message, other)["useful"]).status_code == 200
    assert Rating.objects.get(member=other).useful is True


# --- reply ---------------------------------------------------------------------------------------------------------


def test_a_member_replies_through_the_link_and_a_repeated_reply_is_stored_once(english, member, smtp_server):
    message = send(english)
    outbox.outbox_dispatch(channel="email")
    path = emailed_links(smtp_server, ADDRESS)["reply"]
    client = Client(enforce_csrf_checks=True)

    page = client.get(path)
    assert page.status_code == 200
    assert "Suspicious people seen on the Meir." in page.content.decode()
    csrf = client.cookies["csrftoken"].value
    body = "I saw them too, at 22:15, near number 40."

    response = client.post(path, {"body": body, "csrfmiddlewaretoken": csrf}, follow=True)
    assert response.redirect_chain[-1][0] == path
    assert "your reply was sent to the sender" in response.content.decode()
    assert body in response.content.decode()  # the member's replies to this message
    reply = Reply.objects.get()
    assert (reply.message, reply.member, reply.body, reply.read_at) == (message, member, body, None)

    again = client.post(path, {"body": body + "\r\n", "csrfmiddlewaretoken": csrf}, follow=True)
    assert "You had just sent this same reply: it was kept once." in again.content.decode()
    assert Reply.objects.count() == 1
    client.post(path, {"body": "Another thought.", "csrfmiddlewaretoken": csrf})
    assert Reply.objects.count() == 2


def test_the_same_reply_after_ten_minutes_is_a_new_reply(english, member):
    message = send(english)
    first = feedback.reply_create(member=member, message=message, body="Seen again")
    soon = feedback.reply_create(
        member=member, message=message, body="Seen again", now=first.reply.created_at + datetime.timedelta(minutes=9)
    )
    later = feedback.reply_create(
        member=member, message=message, body="Seen again", now=first.reply.created_at + datetime.timedelta(minutes=11)
    )
    assert first.created and not soon.created and soon.reply == first.reply and later.created
    assert Reply.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "error"),
    [("   ", "This field is required."), ("x" * 2001, "Ensure this value has at most 2000 characters")],
)
def test_an_empty_or_too_long_reply_is_refused(client, english, member, body, error):
    message = send(english)
    response = client.post(links(message, member)["reply"], {"body": body})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Reply.objects.exists()


def test_the_reply_service_refuses_what_the_form_would(english, member):
    from django.core.exceptions import ValidationError

    message = send(english)
    with pytest.raises(ValidationError) as empty:
        feedback.reply_create(member=member, message=message, body=" \n ")
    with pytest.raises(ValidationError) as long:
        feedback.reply_create(member=member, message=message, body="x" * 2001)
    assert empty.value.error_dict["body"][0].code == "required"
    assert long.value.error_dict["body"][0].code == "max_length"
    assert not Reply.objects.exists()


# --- unsubscribe ---------------------------------------------------------------------------------------------------


def test_unsubscribing_from_the_page_mutes_the_type_with_an_audited_change(client, english, member, smtp_server):
    send(english)
    outbox.outbox_dispatch(channel="email")
    path = emailed_links(smtp_server, ADDRESS)["unsubscribe"]

    page = client.get(path)
    assert page.status_code == 200
    content = page.content.decode()
    assert "You will no longer receive messages of the type “prevention tip” by e-mail or SMS" in content
    assert Member.objects.get(pk=member.pk).muted_types == []  # GET changes nothing

    done = client.post(path)
    assert done.status_code == 200
    assert "You no longer receive messages of the type “prevention tip”" in done.content.decode()
    assert Member.objects.get(pk=member.pk).muted_types == ["prevention_tip"]
    event = AuditEvent.objects.get(action="update", object_id=str(member.pk), content_type__model="member")
    assert event.changes == {"fields": ["muted_types"]} and event.actor == member.user

    assert "You already switched off messages of the type" in client.get(path).content.decode()
    client.post(path)  # again: nothing changes, nothing more audited
    assert AuditEvent.objects.filter(action="update", content_type__model="member").count() == 1

    # The next prevention tip reaches only the member's web inbox.
    later = send(english)
    channels = set(Delivery.objects.filter(message=later, member=member).values_list("channel", flat=True))
    assert channels == {"web"}


def test_the_mail_clients_one_click_unsubscribe_needs_no_csrf_token(english, member, smtp_server):
    send(english, message_type="newsletter")
    outbox.outbox_dispatch(channel="email")
    mailed = emailed_links(smtp_server, ADDRESS)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        mailed["list_unsubscribe"],
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Member.objects.get(pk=member.pk).muted_types == ["newsletter"]


def test_the_reply_form_still_needs_its_csrf_token(english, member):
    message = send(english)
    client = Client(enforce_csrf_checks=True)
    assert client.post(links(message, member)["reply"], {"body": "Hi"}).status_code == 403
    assert not Reply.objects.exists()


def test_an_urgent_type_cannot_be_muted_so_email_is_switched_off(client, english, member):
    message = send(english, message_type="urgent_alert")
    path = links(message, member)["unsubscribe"]
    page = client.get(path).content.decode()
    assert "cannot be switched off while you are a member" in page and "Stop all e-mail" in page

    assert client.post(path).status_code == 200
    member.refresh_from_db()
    assert member.by_email is False and member.by_sms is True and member.muted_types == []
    event = AuditEvent.objects.get(action="update", content_type__model="member", object_id=str(member.pk))
    assert event.changes == {"fields": ["by_email"]}
    assert "You already receive no messages by e-mail." in client.get(path).content.decode()


def test_an_empty_post_to_the_reply_link_is_an_error(client, english, member):
    message = send(english)
    response = client.post(links(message, member)["reply"])
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    assert not Reply.objects.exists()
