"""Certificates of attendance (kursbevis) as PDF, made with WeasyPrint from an HTML template,
in the attendee's language. The hours come from Event.hours (set, or computed from the times)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from polyfon.core.pdf import html_to_pdf

from .models import Registration


def certificate_html(registration: Registration) -> str:
    event = registration.event
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        return render_to_string(
            "events/certificate.html",
            {
                "registration": registration,
                "event": event,
                "hours": event.hours,
                "starts": timezone.localtime(event.starts_at),
                "ends": timezone.localtime(event.ends_at),
                "issued": timezone.localdate(),
                "CLUSTER": settings.CLUSTER,
                "language": registration.language,
            },
        )


def certificate_pdf(registration: Registration) -> bytes:
    return html_to_pdf(certificate_html(registration))
