"""Calendar files (iCalendar, RFC 5545, with the icalendar library): the frame every app's
entries go in, and their stable UIDs.

A UID stays the same for the life of the thing it describes, so an updated copy (higher
SEQUENCE) replaces the entry in the recipient's calendar and a cancellation removes it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar

CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid(kind: str, pk) -> str:
    """`meeting-12@polyfon.example.no`: unique across the site and its deployments."""
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'polyfon.local'}"


def calendar(*, product: str, method: str = "PUBLISH", name: str | None = None) -> Calendar:
    """An empty calendar of the cluster; `product` names the app that made it."""
    cal = Calendar()
    cal.add("prodid", f"-//{settings.CLUSTER['name']}//polyfon {product}//NO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal
