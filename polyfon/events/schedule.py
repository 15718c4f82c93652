"""Scheduled jobs of events (see polyfon.core.scheduler)."""

JOBS = {
    "events.send_reminders": {
        "task": "polyfon.events.tasks.send_event_reminders",
        "cron": {"minute": "*/15"},
    },
    "events.remove_personal_data": {
        "task": "polyfon.events.tasks.remove_personal_data",
        "cron": {"hour": "3", "minute": "10"},
    },
}
