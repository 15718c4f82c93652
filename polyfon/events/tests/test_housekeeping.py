"""The scheduled work: reminders once, removal of personal data with the counts kept, the jobs."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from polyfon.core.models import AuditEntry
from polyfon.core.scheduler import enqueue_if_due, scheduled_jobs
from polyfon.events import selectors, services
from polyfon.events.models import Registration, RegistrationStatus
from polyfon.events.tokens import token_for

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
R = RegistrationStatus


def remind(django_capture_on_commit_callbacks, now=None) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return services.registrations_send_reminders(now=now)


# --- Reminders --------------------------------------------------------------------------------------------------


def test_the_reminder_goes_out_24_hours_before_and_only_once(webinar, register, travel_to, django_capture_on_commit_callbacks):
    people = [register(webinar, language="en") for _ in range(4)]  # three places, one waiting
    services.registration_cancel(registration=people[0])
    mail.outbox.clear()
    travel_to(webinar.starts_at - timedelta(hours=25))
    assert remind(django_capture_on_commit_callbacks) == 0
    travel_to(webinar.starts_at - timedelta(hours=23, minutes=50))
    assert remind(django_capture_on_commit_callbacks) == 3  # the promoted one too; not the cancelled
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[1:])
    assert all(webinar.online_url in m.body and m.attachments for m in mail.outbox)
    assert all(token_for(Registration.objects.get(email=m.to[0])) in m.body for m in mail.outbox)
    travel_to(webinar.starts_at - timedelta(hours=23, minutes=35))
    assert remind(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 3
    webinar.refresh_from_db()
    assert webinar.reminders_sent_at is not None
    assert AuditEntry.objects.get(action="polyfon.events.event.reminders_sent").payload == {"count": 3}


def test_no_reminder_for_the_waiting_list_nor_for_fresh_places(webinar, register, travel_to, django_capture_on_commit_callbacks):
    for _ in range(3):
        register(webinar)
    waiting = register(webinar)
    travel_to(webinar.starts_at - timedelta(hours=2))
    late = RegistrationFactory(event=webinar, status=R.CONFIRMED)  # got the place after the reminder time
    mail.outbox.clear()
    assert remind(django_capture_on_commit_callbacks) == 3
    assert waiting.email not in [m.to[0] for m in mail.outbox]
    assert late.email not in [m.to[0] for m in mail.outbox]


def test_the_reminder_time_is_set_per_event(register, travel_to, django_capture_on_commit_callbacks):
    early = EventFactory(reminder_hours=72)
    silent = EventFactory(reminder_hours=0)
    register(early)
    register(silent)
    mail.outbox.clear()
    travel_to(early.starts_at - timedelta(hours=71))
    assert remind(django_capture_on_commit_callbacks) == 1
    travel_to(silent.starts_at - timedelta(hours=1))
    assert remind(django_capture_on_commit_callbacks) == 0


def test_no_reminder_once_started_or_for_cancelled_events(webinar, register, travel_to, coordinator, django_capture_on_commit_callbacks):
    register(webinar)
    travel_to(webinar.starts_at + timedelta(minutes=1))
    assert remind(django_capture_on_commit_callbacks) == 0
    other = EventFactory()
    register(other)
    services.event_cancel(event=other, actor=coordinator, reason="Avlyst")
    travel_to(other.starts_at - timedelta(hours=1))
    assert remind(django_capture_on_commit_callbacks) == 0


# --- Removal of personal data ---------------------------------------------------------------------------------------


@pytest.fixture
def seminar(db, register):
    """A seminar with dietary needs, three attendees from two kinds of organisation."""
    from polyfon.members.tests.factories import OrganisationFactory

    event = EventFactory(location="Griegakademiet, Bergen", ask_dietary_needs=True, keep_dietary_days=7, keep_personal_data_days=30)
    trust = OrganisationFactory(name="Helse Bergen HF", kind="health_trust")
    people = [
        register(event, dietary_needs="Vegetar", organisation=trust),
        register(event, dietary_needs="Glutenfri"),
        register(event, answers={}),
    ]
    Registration.objects.filter(pk=people[0].pk).update(attended=True)
    return event, people


def test_dietary_needs_go_first_and_the_rest_later_keeping_the_counts(seminar, travel_to):
    event, people = seminar
    counts = selectors.registration_counts(event)
    by_kind = selectors.counts_by_organisation_kind(event)
    token = token_for(people[0])
    travel_to(event.ends_at + timedelta(days=6))
    assert services.registrations_remove_personal_data() == {"dietary_needs_removed": 0, "registrations_anonymised": 0}
    travel_to(event.ends_at + timedelta(days=8))
    assert services.registrations_remove_personal_data() == {"dietary_needs_removed": 2, "registrations_anonymised": 0}
    assert not Registration.objects.exclude(dietary_needs="").exists()
    assert Registration.objects.filter(name=people[0].name).exists()
    travel_to(event.ends_at + timedelta(days=31))
    assert services.registrations_remove_personal_data() == {"dietary_needs_removed": 0, "registrations_anonymised": 3}
    for registration in Registration.objects.filter(event=event):
        assert (registration.name, registration.email, registration.role, registration.answers) == ("", "", "", {})
        assert registration.secret is None and registration.anonymised_at is not None
    assert selectors.registration_counts(event) == counts
    assert selectors.counts_by_organisation_kind(event) == by_kind
    assert selectors.registration_for_token(token) is None
    event.refresh_from_db()
    assert event.personal_data_removed_at is not None
    assert AuditEntry.objects.get(action="polyfon.events.event.personal_data_removed").payload == {"count": 3}
    # Run again: nothing left to do.
    assert services.registrations_remove_personal_data() == {"dietary_needs_removed": 0, "registrations_anonymised": 0}


def test_upcoming_events_keep_their_data(seminar):
    event, _ = seminar
    assert services.registrations_remove_personal_data() == {"dietary_needs_removed": 0, "registrations_anonymised": 0}
    assert not Registration.objects.filter(anonymised_at__isnull=False).exists()


def test_the_audit_log_holds_no_personal_data_of_registrations(seminar, travel_to):
    event, people = seminar
    services.registration_update(registration=people[1], name="Endret Navn")
    services.registration_cancel(registration=people[2])
    for entry in AuditEntry.objects.filter(action__startswith="polyfon.events.registration."):
        text = f"{entry.object_repr} {entry.payload}"
        for person in people:
            assert person.name not in text and person.email not in text
        assert "Endret Navn" not in text


# --- The scheduled jobs --------------------------------------------------------------------------------------------


def test_the_jobs_are_scheduled_and_run_their_tasks(webinar, register, travel_to, django_capture_on_commit_callbacks):
    jobs = scheduled_jobs()
    assert jobs["events.send_reminders"]["task"] == "polyfon.events.tasks.send_event_reminders"
    assert jobs["events.remove_personal_data"]["task"] == "polyfon.events.tasks.remove_personal_data"
    register(webinar)
    mail.outbox.clear()
    travel_to(webinar.starts_at - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_if_due("events.send_reminders", fire_time=timezone.now())
        assert not enqueue_if_due("events.send_reminders", fire_time=timezone.now())  # never twice per firing
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_if_due("events.remove_personal_data", fire_time=timezone.now())
