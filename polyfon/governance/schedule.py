"""Scheduled jobs of governance (see polyfon.core.scheduler)."""

JOBS = {
    "governance.close_due_polls": {
        "task": "polyfon.governance.tasks.close_due_polls",
        "cron": {"minute": "*/5"},
    },
    "governance.meeting_reminders": {
        "task": "polyfon.governance.tasks.send_meeting_reminders",
        "cron": {"hour": "7", "minute": "0"},
    },
    "governance.sync_steering_roles": {
        "task": "polyfon.governance.tasks.sync_steering_roles",
        "cron": {"hour": "2", "minute": "30"},
    },
}
