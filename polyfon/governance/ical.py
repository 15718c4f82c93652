"""Calendar entries (.ics, RFC 5545) for meetings, made with icalendar.

One UID per meeting, so an updated invitation (higher SEQUENCE) replaces the entry in the
recipient's calendar, and a cancellation (METHOD:CANCEL) removes it.
"""

from datetime import UTC, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Event, vCalAddress, vText

from polyfon.core import ical


def meeting_uid(meeting) -> str:
    return ical.uid("meeting", meeting.pk)


def meeting_ics(meeting, items=(), *, method: str = "REQUEST", attendee: tuple[str, str] | None = None) -> bytes:
    """The meeting as a calendar with one event. `attendee` is (name, e-mail) of the recipient."""
    calendar = ical.calendar(product="governance", method=method)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", (meeting.ends_at or meeting.starts_at + timedelta(hours=2)).astimezone(UTC))
    event.add("summary", f"{meeting.title} ({meeting.body.name})")
    location = meeting.location or meeting.online_link
    if location:
        event.add("location", location)
    lines = [f"{item.reference} {item.title}" for item in items if not item.is_withdrawn]
    if meeting.online_link:
        lines += ["", meeting.online_link]
    lines += ["", settings.SITE_URL + reverse("governance:mine_meeting", args=[meeting.pk])]
    event.add("description", "\n".join(lines))
    event.add("url", settings.SITE_URL + reverse("governance:mine_meeting", args=[meeting.pk]))
    event.add("sequence", max(meeting.invitation_sequence - 1, 0) + (1 if method == "CANCEL" else 0))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.CLUSTER['email']}")
    organizer.params["cn"] = vText(settings.CLUSTER["name"])
    event["organizer"] = organizer
    if attendee:
        name, email = attendee
        address = vCalAddress(f"mailto:{email}")
        address.params["cn"] = vText(name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
