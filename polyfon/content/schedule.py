"""Scheduled jobs of the content (see polyfon.core.scheduler)."""

JOBS = {
    "content.remind_knowledge_reviews": {
        "task": "polyfon.content.tasks.remind_knowledge_reviews",
        "cron": {"day_of_week": "mon", "hour": "7", "minute": "30"},
    },
    "content.purge_unconfirmed_subscribers": {
        "task": "polyfon.content.tasks.purge_unconfirmed_subscribers",
        "cron": {"hour": "4", "minute": "10"},
    },
}
