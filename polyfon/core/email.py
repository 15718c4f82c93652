"""E-mail: rendered in the recipient's language, sent by the background worker after commit.

`send_templated_email` renders `<template>_subject.txt`, `<template>_message.txt` and, if
present, `<template>_message.html` (allauth's naming) with the recipient's language active, then enqueues the task that sends it
through Django's mail framework. Call it inside the transaction that caused it: the task is
enqueued only when that transaction commits.
"""

import base64
from dataclasses import dataclass

from django.conf import settings
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


def send_templated_email(
    *,
    to: list[str] | str,
    template: str,
    context: dict | None = None,
    language: str | None = None,
    attachments: list[Attachment] | None = None,
    headers: dict | None = None,
    reply_to: list[str] | None = None,
) -> None:
    recipients = [to] if isinstance(to, str) else [r for r in to if r]
    if not recipients:
        return
    subject, body, html = render_email(template, context or {}, language or settings.LANGUAGE_CODE)
    message = {
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
    from .tasks import send_email

    transaction.on_commit(lambda: send_email.using(queue_name="email").enqueue(message))
