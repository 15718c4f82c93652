"""iCalendar (RFC 5545) files with the icalendar library: the feed of public events, one
event's file, and a registered person's file (which alone carries the online link).

Times are written in UTC, which every calendar program shows in its own time zone.
"""

from datetime import UTC

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event as VEvent

from polyfon.core import ical

from .models import Event, Registration


def _vevent(event: Event, registration: Registration | None = None) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", ical.uid("event", event.pk))
    vevent.add("dtstamp", timezone.now().astimezone(UTC))
    vevent.add("dtstart", event.starts_at.astimezone(UTC))
    vevent.add("dtend", event.ends_at.astimezone(UTC))
    vevent.add("summary", event.title)
    # SEQUENCE grows with every change, so calendar programs replace the old copy.
    vevent.add("sequence", max(int((event.updated_at - event.created_at).total_seconds()), 0))
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    url = settings.SITE_URL + event.public_url
    vevent.add("url", url)
    show_online = bool(
        registration is not None and registration.is_confirmed and event.online_url and not event.is_cancelled
    )
    if event.location:
        vevent.add("location", event.location)
    elif show_online:
        vevent.add("location", event.online_url)
    else:
        vevent.add("location", _("Online"))
    lines = [event.description.strip()] if event.description.strip() else []
    if show_online:
        lines.append(_("Online link: %(url)s") % {"url": event.online_url})
        if event.online_details:
            lines.append(event.online_details)
    lines.append(url)
    vevent.add("description", "\n\n".join(lines))
    return vevent


def event_ical(event: Event, *, registration: Registration | None = None) -> bytes:
    calendar = ical.calendar(product="events")
    calendar.add_component(_vevent(event, registration))
    return calendar.to_ical()


def feed_ical(events) -> bytes:
    calendar = ical.calendar(product="events", name=_("Events of %(cluster)s") % {"cluster": settings.CLUSTER["name"]})
    for event in events:
        calendar.add_component(_vevent(event))
    return calendar.to_ical()
