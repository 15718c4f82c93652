"""The scheduled and background work of events: reminders (once per person), removal of personal
data after the event (dietary needs first, counts kept), and the organiser's mass e-mails."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from polyfon.core.audit import audit_log

from ..models import ACTIVE_STATES, Event, EventMessage, EventStatus, Registration, RegistrationStatus
from .events import message_recipients
from .registrations import email_registration


def due_reminder_events(now: datetime):
    """Published events that start within their reminder time and have not started yet."""
    candidates = Event.objects.filter(
        status=EventStatus.PUBLISHED, reminder_hours__gt=0, starts_at__gt=now, starts_at__lte=now + timedelta(days=31)
    )
    return [e for e in candidates if e.starts_at - timedelta(hours=e.reminder_hours) <= now]


def registrations_send_reminders(*, now: datetime | None = None) -> int:
    """Send the reminder to everyone with a place, once (Registration.reminded_at).

    People who got their place after the reminder time (their confirmation is fresh) are not
    reminded. Any number of workers may run this at once: the conditional update decides who
    sends each reminder."""
    now = now or timezone.now()
    sent = 0
    for event in due_reminder_events(now):
        remind_from = event.starts_at - timedelta(hours=event.reminder_hours)
        pending = event.registrations.filter(
            status=RegistrationStatus.CONFIRMED,
            reminded_at__isnull=True,
            anonymised_at__isnull=True,
            confirmed_at__lte=remind_from,
        )
        count = 0
        for registration in pending.select_related("event"):
            with transaction.atomic():
                claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now)
                if claimed:
                    email_registration(registration, "reminder", with_ics=True)
                    count += 1
        if count or event.reminders_sent_at is None:
            with transaction.atomic():
                Event.objects.filter(pk=event.pk).update(reminders_sent_at=now)
                if count:
                    audit_log(obj=event, action="polyfon.events.event.reminders_sent", actor=None, payload={"count": count})
        sent += count
    return sent


def registrations_remove_personal_data(*, now: datetime | None = None) -> dict:
    """Some days after each event: first the dietary needs, later names, e-mail addresses, roles,
    answers and the personal link. Status, attendance and organisation stay, so the counts hold."""
    now = now or timezone.now()
    dietary = 0
    with_diet = Event.objects.filter(ends_at__lt=now, registrations__dietary_needs__gt="").distinct()
    for event in with_diet:
        if event.dietary_deleted_after() <= now:
            dietary += event.registrations.exclude(dietary_needs="").update(dietary_needs="", updated_at=now)
    anonymised = 0
    with_people = Event.objects.filter(ends_at__lt=now, registrations__anonymised_at__isnull=True).distinct()
    for event in with_people:
        if event.personal_data_deleted_after() > now:
            continue
        with transaction.atomic():
            count = event.registrations.filter(anonymised_at__isnull=True).update(
                name="",
                email="",
                role="",
                dietary_needs="",
                answers={},
                secret=None,
                registered_by=None,
                anonymised_at=now,
                updated_at=now,
            )
            Event.objects.filter(pk=event.pk).update(personal_data_removed_at=now)
            audit_log(obj=event, action="polyfon.events.event.personal_data_removed", actor=None, payload={"count": count})
        anonymised += count
    return {"dietary_needs_removed": dietary, "registrations_anonymised": anonymised}


def notify_event_cancelled(event_id: int) -> int:
    """Tell everyone registered or waiting that the event is cancelled (run by the worker)."""
    event = Event.objects.get(pk=event_id)
    count = 0
    for registration in event.registrations.filter(status__in=ACTIVE_STATES, anonymised_at__isnull=True).select_related("event"):
        email_registration(registration, "event_cancelled")
        count += 1
    return count


def deliver_event_message(message_id: int) -> int:
    """Send an organiser's message to each recipient, in their language (run by the worker)."""
    message = EventMessage.objects.select_related("event").get(pk=message_id)
    if message.sent_at:
        return 0
    count = 0
    for registration in message_recipients(message.event, message.recipients).select_related("event"):
        email_registration(registration, "event_message", context={"message": message})
        count += 1
    EventMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), recipient_count=count)
    return count
