"""Scheduled jobs of the register (see polyfon.core.scheduler)."""

JOBS = {
    "members.end_expired_memberships": {
        "task": "polyfon.members.tasks.end_expired_memberships",
        "cron": {"hour": "2", "minute": "15"},
    },
}
