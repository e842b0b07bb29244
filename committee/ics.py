"""Calendar invitations (.ics, RFC 5545 with iTIP methods) for committee meetings: one event per meeting (UID
stable, SEQUENCE = `Meeting.sequence`), REQUEST when invited or changed, CANCEL when cancelled."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Invitation, Meeting

PRODID = "-//binplp//BIN steering committee//EN"


def meeting_uid(meeting: Meeting) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "binplp"
    return f"committee-meeting-{meeting.pk}@{host}"


def meeting_ics(meeting: Meeting, *, invitation: Invitation | None = None, cancel: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    event.add("location", vText(meeting.place or meeting.video_url))
    if meeting.video_url:
        event.add("url", meeting.video_url)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.rsplit('<', 1)[-1].rstrip('>')}")
    organizer.params["cn"] = vText("ADVP")
    event["organizer"] = organizer
    if invitation is not None:
        attendee = vCalAddress(f"mailto:{invitation.email}")
        attendee.params["cn"] = vText(invitation.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
