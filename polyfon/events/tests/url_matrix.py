"""Who may open each URL of events (see polyfon.core.testing)."""

from polyfon.core.testing import COORDINATORS, LOGGED_IN, POST_ONLY, PUBLIC

# A participant's contact persons (the steering-group member of the test world is one too).
CONTACTS = [302, 403, 200, 200, 403]

MATRIX = {
    "events:event_list": ({}, PUBLIC),
    "events:event_calendar": ({}, PUBLIC),
    "events:event_feed": ({}, PUBLIC),
    "events:organisation_suggestions": ({}, PUBLIC),
    "events:event_detail": ({"slug": "event_slug"}, PUBLIC),
    "events:event_ics": ({"slug": "event_slug"}, PUBLIC),
    "events:registration_resend": ({"slug": "event_slug"}, PUBLIC),
    # The registered person's pages: whoever holds the signed link.
    "events:registration_detail": ({"token": "registration_token"}, PUBLIC),
    "events:registration_edit": ({"token": "registration_token"}, PUBLIC),
    "events:registration_cancel": ({"token": "registration_token"}, PUBLIC),
    "events:registration_ics": ({"token": "registration_token"}, PUBLIC),
    "events:registration_certificate": ({"token": "attended_token"}, PUBLIC),
    "events:mine_events": ({}, LOGGED_IN),
    "events:mine_event_colleagues": ({"slug": "event_slug"}, CONTACTS),
    "events:office_event_list": ({}, COORDINATORS),
    "events:event_create": ({}, COORDINATORS),
    "events:office_event_detail": ({"pk": "event"}, COORDINATORS),
    "events:event_edit": ({"pk": "event"}, COORDINATORS),
    "events:event_copy": ({"pk": "event"}, COORDINATORS),
    "events:event_questions": ({"pk": "event"}, COORDINATORS),
    "events:event_registrations": ({"pk": "event"}, COORDINATORS),
    "events:event_registration_add": ({"pk": "event"}, COORDINATORS),
    "events:event_checkin": ({"pk": "event"}, COORDINATORS),
    "events:event_message": ({"pk": "event"}, COORDINATORS),
    "events:event_move": ({"pk": "event", "move": '"cancel"'}, COORDINATORS),
    "events:office_registration_edit": ({"pk": "registration"}, COORDINATORS),
    "events:office_registration_cancel": ({"pk": "registration"}, POST_ONLY),
    "events:registration_checkin": ({"pk": "registration"}, POST_ONLY),
    "events:office_registration_certificate": ({"pk": "attended_registration"}, COORDINATORS),
}


def world(base):
    """An open public webinar with one registration, and a past one with an attendee."""
    from datetime import timedelta

    from django.utils import timezone

    from polyfon.events.models import Audience
    from polyfon.events.tests.factories import EventFactory, RegistrationFactory
    from polyfon.events.tokens import token_for

    event = EventFactory(title="Webinar for kommuner", audiences=[Audience.MUNICIPALITIES])
    registration = RegistrationFactory(event=event)
    past = EventFactory(
        title="Webinar i fjor",
        starts_at=timezone.now() - timedelta(days=20),
        ends_at=timezone.now() - timedelta(days=20) + timedelta(hours=1),
    )
    attended = RegistrationFactory(event=past, attended=True)
    return {
        "event": event.pk,
        "event_slug": event.slug,
        "registration": registration.pk,
        "registration_token": token_for(registration),
        "attended_registration": attended.pk,
        "attended_token": token_for(attended),
    }
