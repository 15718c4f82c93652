"""Background work shared by every app: sending e-mail, housekeeping."""

import base64
import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task(queue_name="email")
def send_email(message: dict) -> int:
    """Send one rendered message (see polyfon.core.email). Returns the number sent (0 or 1)."""
    mail = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        to=message["to"],
        reply_to=message.get("reply_to") or None,
        headers=message.get("headers") or None,
    )
    if message.get("html"):
        mail.attach_alternative(message["html"], "text/html")
    for attachment in message.get("attachments", []):
        mail.attach(attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    return mail.send()


@task()
def prune_finished_task_results(days: int = 30) -> int:
    """Delete finished background-task rows older than `days` (they hold e-mail bodies)."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    logger.info("pruned %s finished task results", deleted)
    return deleted
