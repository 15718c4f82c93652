"""Scheduled jobs of the money side (see polyfon.core.scheduler)."""

JOBS = {
    "billing.mark_overdue_invoices": {
        "task": "polyfon.billing.tasks.mark_overdue_invoices",
        "cron": {"hour": "1", "minute": "5"},
    },
    # Weekday mornings, after the night's overdue marking, when people are at work to answer.
    "billing.send_due_reminders": {
        "task": "polyfon.billing.tasks.send_due_reminders",
        "cron": {"day_of_week": "mon-fri", "hour": "8", "minute": "0"},
    },
}
