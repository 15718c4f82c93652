"""Background work of the content: sending the newsletter, reminders, clean-up."""

from django_tasks import task

from . import services


@task()
def send_newsletter_batch(batch_id: int) -> int:
    """Send one batch of a newsletter issue; returns how many messages were sent."""
    batch = services.newsletter_batch_send(batch_id=batch_id)
    return batch.sent_count if batch else 0


@task()
def remind_knowledge_reviews() -> int:
    """Weekly: tell the coordinators which knowledge descriptions are due for review."""
    return services.remind_knowledge_reviews()


@task()
def purge_unconfirmed_subscribers() -> int:
    """Daily: delete subscriptions that were never confirmed (data minimisation)."""
    return services.purge_unconfirmed_subscribers()
