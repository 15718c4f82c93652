"""The minutes of a meeting as PDF (WeasyPrint), from the same data as the pages."""

from django.template.loader import render_to_string


def minutes_pdf(meeting, *, public: bool) -> bytes:
    """`public` leaves out items exempt from publication and unpublished papers."""
    html = render_to_string(
        "governance/pdf/minutes.html",
        {"meeting": meeting, "items": list(meeting.items.all()), "public": public,
         "attendance": list(meeting.attendance.all())},
    )
    from weasyprint import HTML  # imported when needed: loading it takes a moment

    return HTML(string=html).write_pdf()
