"""Scheduled jobs of the funding app (see polyfon.core.scheduler)."""

JOBS = {
    "funding.end_reopenings": {
        "task": "polyfon.funding.tasks.end_reopenings",
        "cron": {"minute": "5"},  # hourly: a reopening usually ends at a set hour
    },
    "funding.report_reminders": {
        "task": "polyfon.funding.tasks.send_report_reminders",
        "cron": {"hour": "7", "minute": "30"},
    },
    "funding.review_reminders": {
        "task": "polyfon.funding.tasks.send_review_reminders",
        "cron": {"hour": "7", "minute": "45"},
    },
}
