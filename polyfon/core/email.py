"""E-mail: rendered in the recipient's language, sent by the background worker after commit.

`send_templated_email` renders `<template>_subject.txt`, `<template>_message.txt` and, if
present, `<template>_message.html` (allauth's naming) with the recipient's language active, then
enqueues the task that sends it through Django's mail framework. Call it inside the transaction
that caused it: the task is enqueued only when that transaction commits. Where the sending must
be logged with its real outcome, `on_outcome` names a function the task calls after sending.

Work that already runs in the worker and sends many messages (a newsletter batch) composes
them with `compose_email` and sends them itself with `deliver`, over one connection.
"""

import base64
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def render_email(template: str, context: dict, language: str) -> tuple[str, str, str | None]:
    with translation.override(language or settings.LANGUAGE_CODE):
        ctx = {"CLUSTER": settings.CLUSTER, "SITE_URL": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = render_to_string(f"{template}_message.txt", ctx)
        try:
            html = render_to_string(f"{template}_message.html", ctx)
        except TemplateDoesNotExist:
            html = None
    return subject, body, html


def compose_email(
    *,
    to: list[str] | str,
    template: str,
    context: dict | None = None,
    language: str | None = None,
    attachments: list[Attachment] | None = None,
    headers: dict | None = None,
    reply_to: list[str] | None = None,
) -> dict | None:
    """The rendered message as plain data (what the task queue stores), or None without recipients."""
    recipients = [to] if isinstance(to, str) else [r for r in to if r]
    if not recipients:
        return None
    subject, body, html = render_email(template, context or {}, language or settings.LANGUAGE_CODE)
    return {
        "subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        "body": body,
        "html": html,
        "to": recipients,
        "reply_to": reply_to or [],
        "headers": headers or {},
        "attachments": [
            {"filename": a.filename, "content": base64.b64encode(a.content).decode(), "mimetype": a.mimetype}
            for a in (attachments or [])
        ],
    }


def send_templated_email(*, on_outcome: tuple[str, int] | None = None, **message_args) -> None:
    """Compose the message now and send it from the worker once the transaction commits.

    `on_outcome`: (dotted path of a function, id) that the task calls as `function(id, error)`
    after sending, with `error` empty when the message went out."""
    message = compose_email(**message_args)
    if message is None:
        return
    if on_outcome:
        message["on_outcome"] = list(on_outcome)
    from .tasks import send_email

    transaction.on_commit(lambda: send_email.using(queue_name="email").enqueue(message))


def deliver(message: dict, *, connection=None) -> int:
    """Send a composed message now through Django's mail framework (returns 1 when sent)."""
    mail = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        to=message["to"],
        reply_to=message.get("reply_to") or None,
        headers=message.get("headers") or None,
        connection=connection,
    )
    if message.get("html"):
        mail.attach_alternative(message["html"], "text/html")
    for attachment in message.get("attachments", []):
        mail.attach(attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    return mail.send()
