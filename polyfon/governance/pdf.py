"""The minutes of a meeting as PDF (WeasyPrint), from the same data as the pages."""

from django.template.loader import render_to_string

from polyfon.core.pdf import html_to_pdf


def minutes_pdf(meeting, *, public: bool) -> bytes:
    """`public` leaves out items exempt from publication and unpublished papers."""
    html = render_to_string(
        "governance/pdf/minutes.html",
        {"meeting": meeting, "items": list(meeting.items.all()), "public": public,
         "attendance": list(meeting.attendance.all())},
    )
    return html_to_pdf(html)
