"""Background work of events, run by the worker (`manage.py db_worker`)."""

from django_tasks import task

from . import services


@task()
def send_event_reminders() -> int:
    """Every quarter of an hour: reminders for events that start within their reminder time."""
    return services.registrations_send_reminders()


@task()
def remove_personal_data() -> dict:
    """Nightly: dietary needs, then the other personal data, of registrations for past events."""
    return services.registrations_remove_personal_data()


@task()
def notify_event_cancelled(event_id: int) -> int:
    """Tell everyone registered or waiting that an event is cancelled."""
    return services.notify_event_cancelled(event_id)


@task()
def send_event_message(message_id: int) -> int:
    """Send an organiser's message to each of its recipients."""
    return services.deliver_event_message(message_id)
