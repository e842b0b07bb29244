"""Calendar invitations (.ics, RFC 5545 with iTIP methods) for course sessions, built with `icalendar`.

One event per session (UID stable for the session, SEQUENCE = `Session.sequence`): REQUEST when a participant gets
a seat or the session changes, CANCEL when the session is cancelled or the participant's seat is. Calendar programs
then add, move or remove the same event."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Session, Trainee

PRODID = "-//binplp//BIN course//EN"


def session_uid(session: Session) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "binplp"
    return f"training-session-{session.pk}@{host}"


def session_ics(session: Session, *, trainee: Trainee | None = None, cancel: bool = False) -> bytes:
    """The invitation for `session` (addressed to `trainee` when given), or its cancellation."""
    language = trainee.language if trainee is not None else session.language
    with translation.override(language):
        summary = session.version.course.title
        academy = session.academy.name
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", session_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{summary} – {academy}")
    event.add("location", vText(session.place))
    description = [session.note] if session.note else []
    if session.online_url:
        description.append(session.online_url)
        event.add("url", session.online_url)
    description.append(f"{settings.SITE_URL}{session.get_absolute_url()}")
    event.add("description", "\n\n".join(description))
    event.add("status", "CANCELLED" if cancel or session.status == "cancelled" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.rsplit('<', 1)[-1].rstrip('>')}")
    organizer.params["cn"] = vText(academy)
    event["organizer"] = organizer
    if trainee is not None:
        attendee = vCalAddress(f"mailto:{trainee.email}")
        attendee.params["cn"] = vText(trainee.full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
