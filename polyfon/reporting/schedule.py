"""Scheduled jobs of reporting (see polyfon.core.scheduler)."""

JOBS = {
    "reporting.round_reminders": {
        "task": "polyfon.reporting.tasks.send_round_reminders",
        "cron": {"hour": "8", "minute": "10"},
    },
}
