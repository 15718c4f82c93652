"""Background work shared by every app: sending e-mail, housekeeping."""

import logging
from datetime import timedelta

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .email import deliver

logger = logging.getLogger(__name__)


@task(queue_name="email")
def send_email(message: dict) -> int:
    """Send one rendered message (see polyfon.core.email). Returns the number sent (0 or 1).

    When the message names an `on_outcome` function, it is told how the sending went; a
    failure is then raised again, so the task shows as failed too."""
    outcome = message.get("on_outcome")
    try:
        sent = deliver(message)
    except Exception as error:
        if not outcome:
            raise
        import_string(outcome[0])(outcome[1], f"{type(error).__name__}: {error}")
        raise
    if outcome:
        import_string(outcome[0])(outcome[1], "")
    return sent


@task()
def prune_finished_task_results(days: int = 30) -> int:
    """Delete finished background-task rows older than `days` (they hold e-mail bodies)."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    logger.info("pruned %s finished task results", deleted)
    return deleted
