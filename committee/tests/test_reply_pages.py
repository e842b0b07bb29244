"""The signed link of an invitation (/committee/reply/<token>/): the meeting in the invitee's language without an
account, the reply, the documents; forged, altered and expired links."""

from __future__ import annotations

import json
import time

import pytest
from django.core import signing
from django.core.files.base import ContentFile

from committee.models import AgendaDocument, AgendaItem, Invitation
from committee.tokens import invitation_token

from .conftest import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(seats, make_meeting):
    meeting = make_meeting()
    AgendaItem.objects.create(meeting=meeting, position=1, title_nl="Welkom", title_fr="Bienvenue", title_en="Welcome")
    return Invitation.objects.create(
        meeting=meeting, term=seats["contact"], name="Contact Holder", email=seats["contact"].email, language="fr"
    )


def test_it_shows_the_meeting_in_the_invitees_language(client, invitation):
    response = client.get(f"/committee/reply/{invitation_token(invitation)}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bienvenue" in html and "Welcome" not in html
    assert response["Referrer-Policy"] == "same-origin"


def test_it_saves_the_reply(client, invitation):
    url = f"/committee/reply/{invitation_token(invitation)}/"
    response = client.post(url, {"reply": "yes"})
    assert response.status_code == 302 and response["Location"] == f"{url}?saved=1"
    invitation.refresh_from_db()
    assert invitation.reply == "yes"
    assert client.post(url, {"reply": "sometimes"}).status_code == 200
    invitation.refresh_from_db()
    assert invitation.reply == "yes"


def test_a_forged_link_is_refused(client, invitation):
    client.cookies["binplp_language"] = "en"
    token = invitation_token(invitation)
    payload, stamp, signature = token.split(":")
    other = signing.b64_encode(json.dumps({"i": invitation.pk + 1, "b": "x"}, separators=(",", ":")).encode()).decode()
    resigned = signing.TimestampSigner(salt="another salt").sign_object({"i": invitation.pk, "b": "x"})
    for bad in (token[:-2] + "xx", "nonsense", f"{other}:{stamp}:{signature}", resigned):
        response = client.post(f"/committee/reply/{bad}/", {"reply": "yes"})
        assert response.status_code == 404 and "not valid" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_a_link_to_a_replaced_invitation_is_refused(client, invitation):
    token = invitation_token(invitation)
    meeting, term = invitation.meeting, invitation.term
    invitation.delete()
    again = Invitation.objects.create(meeting=meeting, term=term, name="x", email="x@example.test", language="en")
    assert client.get(f"/committee/reply/{token}/").status_code == 404
    assert client.get(f"/committee/reply/{invitation_token(again)}/").status_code == 200


def test_an_expired_link_is_refused(client, invitation, monkeypatch):
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 200 * 24 * 3600)
    token = invitation_token(invitation)
    monkeypatch.setattr(time, "time", real)
    client.cookies["binplp_language"] = "en"
    response = client.get(f"/committee/reply/{token}/")
    assert response.status_code == 404 and "expired" in response.content.decode()


def test_documents_through_the_link(client, invitation, media, make_meeting):
    item = invitation.meeting.items.get()
    document = AgendaDocument(item=item, kind="pdf", title="Report", original_name="report.pdf")
    document.file.save("x.pdf", ContentFile(pdf_bytes()), save=True)
    token = invitation_token(invitation)
    response = client.get(f"/committee/reply/{token}/documents/{document.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    other_item = AgendaItem.objects.create(meeting=make_meeting(), position=1, title_en="Other")
    other = AgendaDocument(item=other_item, kind="pdf", title="Other", original_name="o.pdf")
    other.file.save("o.pdf", ContentFile(pdf_bytes()), save=True)
    assert client.get(f"/committee/reply/{token}/documents/{other.pk}/").status_code == 404
