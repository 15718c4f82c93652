"""The newsletter (POLYFON-nytt): subscribers with double opt-in, issues, sending in batches.

Sending: `newsletter_issue_send` locks the issue, takes everyone subscribed at that moment,
splits them into batches (each remembers its subscribers' ids) and after commit enqueues one
background task per batch, so the coordinator's request does little work however long the list.
Each task (`newsletter_batch_send`) sends its batch itself, over one connection to the mail
server, in each recipient's language, with a personal one-click unsubscribe link and the RFC
8058 headers; it writes one delivery row per recipient with what the server answered (unique per
issue, so nobody gets an issue twice) and the batch's counts, and the last batch marks the
issue sent.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log, field_changes
from polyfon.core.email import compose_email, deliver, send_templated_email
from polyfon.core.errors import DomainError
from polyfon.core.richtext import render_markdown, sanitise_html

from .. import lifecycle
from ..models import (
    DeliveryStatus,
    IssueStatus,
    NewsArticle,
    NewsletterBatch,
    NewsletterDelivery,
    NewsletterIssue,
    Subscriber,
    SubscriberStatus,
    SubscriptionSource,
)
from ..related import Teaser
from ..tokens import confirm_token, unsubscribe_token

# A new confirmation link is sent at most this often to one address.
RESEND_AFTER = timedelta(minutes=10)
# Pending subscriptions that were never confirmed are deleted after this long.
PENDING_KEPT_FOR = timedelta(days=14)


def batch_size() -> int:
    return getattr(settings, "NEWSLETTER_BATCH_SIZE", 100)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- Subscribers ------------------------------------------------------------------------------------------


def _send_confirmation(subscriber: Subscriber) -> None:
    subscriber.confirmation_sent_at = timezone.now()
    subscriber.save(update_fields=["confirmation_sent_at"])
    send_templated_email(
        to=subscriber.email,
        template="content/email/newsletter_confirm",
        context={
            "subscriber": subscriber,
            "confirm_url": settings.SITE_URL + reverse("content:newsletter_confirm", args=[confirm_token(subscriber)]),
        },
        language=subscriber.language,
    )


def subscriber_subscribe(
    *, email: str, name: str = "", language: str = "nb", source: str = SubscriptionSource.WEB, actor=None
) -> Subscriber:
    """Start a subscription: a link to confirm it is sent to the address (double opt-in).

    The answer is the same whoever asks, so the form tells nobody whether an address is on the
    list: a confirmed subscriber is left as they are, a pending one gets the link again (at most
    every ten minutes), an unsubscribed one is asked to confirm anew.
    """
    email = email.strip().lower()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber is None:
            subscriber = Subscriber.objects.create(
                email=email, name=name.strip(), language=language, source=source, status=SubscriberStatus.PENDING
            )
            audit_log(obj=subscriber, action="polyfon.content.subscriber.created", actor=actor, payload={"source": source})
            _send_confirmation(subscriber)
        elif subscriber.status == SubscriberStatus.CONFIRMED:
            return subscriber
        else:
            recently = subscriber.confirmation_sent_at and timezone.now() - subscriber.confirmation_sent_at < RESEND_AFTER
            if subscriber.status == SubscriberStatus.PENDING and recently:
                return subscriber
            previous = subscriber.status
            subscriber.status, subscriber.language = SubscriberStatus.PENDING, language
            subscriber.name = name.strip() or subscriber.name
            subscriber.save(update_fields=["status", "language", "name"])
            audit_log(
                obj=subscriber, action="polyfon.content.subscriber.resubscribed", actor=actor, payload={"from": previous}
            )
            _send_confirmation(subscriber)
    return subscriber


def subscriber_confirm(*, subscriber: Subscriber, actor=None) -> Subscriber:
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == SubscriberStatus.CONFIRMED:
            return subscriber
        if not lifecycle.SUBSCRIBER_MOVES.allows(subscriber.status, "confirm"):
            raise DomainError(_("This subscription has been ended. Subscribe again to get the newsletter."))
        subscriber.status, subscriber.confirmed_at, subscriber.unsubscribed_at = SubscriberStatus.CONFIRMED, timezone.now(), None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
        audit_log(obj=subscriber, action="polyfon.content.subscriber.confirmed", actor=actor)
    return subscriber


def subscriber_unsubscribe(*, subscriber: Subscriber, actor=None) -> Subscriber:
    """One click: no more issues. Unsubscribing twice is no error."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if not lifecycle.SUBSCRIBER_MOVES.allows(subscriber.status, "unsubscribe"):
            return subscriber
        subscriber.status, subscriber.unsubscribed_at = SubscriberStatus.UNSUBSCRIBED, timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
        audit_log(obj=subscriber, action="polyfon.content.subscriber.unsubscribed", actor=actor)
    return subscriber


def subscriber_delete(*, subscriber: Subscriber, actor=None, reason: str = "") -> None:
    """Delete the address and everything about the subscriber (on request). The sending log keeps
    its counts; the audit log keeps only that subscriber number so-and-so was deleted."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber.pk).first()
        if subscriber is None:
            return
        audit_log(obj=subscriber, action="polyfon.content.subscriber.deleted", actor=actor, payload={"note": reason})
        subscriber.delete()


def purge_unconfirmed_subscribers(*, now=None) -> int:
    """Delete subscriptions never confirmed within PENDING_KEPT_FOR (daily job)."""
    cutoff = (now or timezone.now()) - PENDING_KEPT_FOR
    stale = Subscriber.objects.filter(status=SubscriberStatus.PENDING).filter(
        Q(confirmation_sent_at__lt=cutoff) | Q(confirmation_sent_at__isnull=True, created_at__lt=cutoff)
    )
    deleted = 0
    for subscriber in stale.iterator():
        subscriber_delete(subscriber=subscriber, actor=None, reason="never confirmed")
        deleted += 1
    return deleted


# --- Issues -----------------------------------------------------------------------------------------------


def newsletter_issue_save(
    *,
    actor,
    issue: NewsletterIssue | None = None,
    subject: str,
    intro_source: str = "",
    language: str = "nb",
    articles: list[NewsArticle] | None = None,
    events: list[Teaser] | None = None,
) -> NewsletterIssue:
    """Compose or change a draft issue from an introduction, chosen news and chosen events."""
    values = {
        "subject": subject.strip(),
        "intro_source": intro_source,
        "language": language,
        "events": [event.snapshot() for event in (events or [])],
    }
    articles = list(articles or [])
    if any(not article.is_public for article in articles):
        raise DomainError(_("Only published news can go in the newsletter."), field="articles")
    with transaction.atomic():
        if issue is None:
            issue = NewsletterIssue.objects.create(
                intro_html=render_markdown(intro_source), created_by=_user(actor), **values
            )
            issue.articles.set(articles)
            audit_log(obj=issue, action="polyfon.content.issue.created", actor=actor)
            return issue
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.status not in lifecycle.ISSUE_EDITABLE:
            raise DomainError(_("An issue that has been sent cannot be changed."))
        changes = field_changes(issue, values.keys(), values)
        if "intro_source" in changes:
            issue.intro_html = render_markdown(issue.intro_source)
            changes["intro_source"] = ["…", "…"]
        if set(issue.articles.values_list("pk", flat=True)) != {a.pk for a in articles}:
            issue.articles.set(articles)
            changes["articles"] = [None, [a.title for a in articles]]
        if "events" in changes:
            changes["events"] = [None, [e["title"] for e in values["events"]]]
        if changes:
            issue.save()
            audit_log(obj=issue, action="polyfon.content.issue.changed", actor=actor, payload={"changes": changes})
    return issue


def _has_content(issue: NewsletterIssue) -> bool:
    return bool(issue.intro_source.strip() or issue.events or issue.articles.exists())


def newsletter_issue_send(*, issue: NewsletterIssue, actor) -> NewsletterIssue:
    """Lock the issue and hand it to the worker: one task per batch of recipients."""
    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        if not lifecycle.ISSUE_MOVES.allows(issue.status, "send"):
            raise DomainError(_("This issue has already been sent."))
        if not _has_content(issue):
            raise DomainError(_("The issue is empty: write an introduction or choose news or events."))
        recipients = list(
            Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED).order_by("pk").values_list("pk", flat=True)
        )
        if not recipients:
            raise DomainError(_("Nobody subscribes to the newsletter yet."))
        size = batch_size()
        chunks = [recipients[i : i + size] for i in range(0, len(recipients), size)]
        NewsletterBatch.objects.bulk_create(
            [
                NewsletterBatch(issue=issue, number=n, size=len(chunk), recipients=chunk)
                for n, chunk in enumerate(chunks, start=1)
            ]
        )
        batch_ids = list(issue.batches.order_by("number").values_list("pk", flat=True))
        issue.status, issue.send_started_at, issue.sent_by = IssueStatus.SENDING, timezone.now(), _user(actor)
        issue.recipient_count = len(recipients)
        issue.save(update_fields=["status", "send_started_at", "sent_by", "recipient_count", "updated_at"])
        audit_log(
            obj=issue,
            action="polyfon.content.issue.sending_started",
            actor=actor,
            payload={"recipients": len(recipients), "batches": len(batch_ids)},
        )
        transaction.on_commit(lambda: _enqueue_batches(batch_ids))
    return issue


def _enqueue_batches(batch_ids: list[int]) -> None:
    from ..tasks import send_newsletter_batch

    for batch_id in batch_ids:
        send_newsletter_batch.enqueue(batch_id)


def _list_id() -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{settings.CLUSTER['name']} <newsletter.{host}>"


def issue_context(issue: NewsletterIssue) -> dict:
    """What the issue's e-mail and web pages show: introduction, news and event snapshots."""
    return {
        "issue": issue,
        "intro_html_absolute": sanitise_html(issue.intro_html, base_url=settings.SITE_URL + "/"),
        "articles": list(issue.articles.order_by("-published_at", "-id")),
        "events": [Teaser.from_snapshot(data) for data in issue.events],
        "SITE_URL": settings.SITE_URL,
    }


def _send_issue_to(subscriber: Subscriber, base_context: dict, connection=None) -> None:
    """Send the issue to one subscriber now (the batch runs in the worker), so the delivery log
    records what the mail server answered."""
    unsubscribe_url = settings.SITE_URL + reverse("content:newsletter_unsubscribe", args=[unsubscribe_token(subscriber)])
    message = compose_email(
        to=subscriber.email,
        template="content/email/newsletter_issue",
        context={**base_context, "subscriber": subscriber, "unsubscribe_url": unsubscribe_url},
        language=subscriber.language,
        headers={
            # RFC 2369 and RFC 8058: mail programs offer an unsubscribe button that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": _list_id(),
        },
    )
    deliver(message, connection=connection)


def newsletter_batch_send(*, batch_id: int) -> NewsletterBatch | None:
    """Send one batch (the worker's task).

    No transaction is held while the mail server is talked to: each recipient's delivery row is
    written as soon as the server has answered. So a batch cut off half-way resumes where it
    stopped when run again, nobody gets an issue twice (one delivery per issue and subscriber),
    and a finished batch is left alone."""
    with transaction.atomic():
        batch = NewsletterBatch.objects.select_for_update().filter(pk=batch_id).select_related("issue").first()
        if batch is None or batch.finished_at is not None:
            return batch
        if batch.started_at is None:
            batch.started_at = timezone.now()
            batch.save(update_fields=["started_at"])
    issue = batch.issue
    subscribers = Subscriber.objects.in_bulk(batch.recipients)
    done = set(
        NewsletterDelivery.objects.filter(issue=issue, subscriber_id__in=batch.recipients).values_list("subscriber_id", flat=True)
    )
    base_context = issue_context(issue) if issue.status == IssueStatus.SENDING else {}
    with get_connection() as connection:  # one connection to the mail server for the whole batch
        for pk in batch.recipients:
            subscriber = subscribers.get(pk)
            if subscriber is None or pk in done:  # deleted since the start (only counted), or done before
                continue
            delivery = NewsletterDelivery(issue=issue, batch=batch, subscriber=subscriber)
            if issue.status != IssueStatus.SENDING:
                delivery.status, delivery.error = DeliveryStatus.SKIPPED, "sending stopped"
            elif subscriber.status != SubscriberStatus.CONFIRMED:
                delivery.status, delivery.error = DeliveryStatus.SKIPPED, "no longer subscribed"
            else:
                try:
                    _send_issue_to(subscriber, base_context, connection)
                except Exception as error:  # one refused address or broken template must not stop the batch
                    delivery.status, delivery.error = DeliveryStatus.FAILED, type(error).__name__[:200]
                else:
                    delivery.status, delivery.sent_at = DeliveryStatus.SENT, timezone.now()
            delivery.save()
    with transaction.atomic():
        batch = NewsletterBatch.objects.select_for_update().get(pk=batch_id)
        if batch.finished_at is not None:
            return batch
        counts = dict(batch.deliveries.values_list("status").annotate(n=Count("pk")).order_by())
        unwritten = len(batch.recipients) - sum(counts.values())  # subscribers deleted before their turn
        batch.sent_count = counts.get(DeliveryStatus.SENT, 0)
        batch.skipped_count = counts.get(DeliveryStatus.SKIPPED, 0) + unwritten
        batch.failed_count = counts.get(DeliveryStatus.FAILED, 0)
        batch.finished_at, batch.recipients = timezone.now(), []
        batch.save(update_fields=["finished_at", "sent_count", "skipped_count", "failed_count", "recipients"])
        _finish_issue_if_done(issue.pk)
    return batch


def _finish_issue_if_done(issue_pk: int) -> None:
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue_pk)
    if issue.status != IssueStatus.SENDING or issue.batches.filter(finished_at__isnull=True).exists():
        return
    totals = issue.batches.aggregate(sent=Sum("sent_count"), skipped=Sum("skipped_count"), failed=Sum("failed_count"))
    issue.status, issue.sent_at = IssueStatus.SENT, timezone.now()
    issue.save(update_fields=["status", "sent_at", "updated_at"])
    audit_log(obj=issue, action="polyfon.content.issue.sent", actor=None, payload=totals)


def newsletter_issue_cancel(*, issue: NewsletterIssue, actor, note: str = "") -> NewsletterIssue:
    """Stop a sending: batches not yet sent are skipped (their tasks find the issue stopped)."""
    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        if not lifecycle.ISSUE_MOVES.allows(issue.status, "cancel"):
            raise DomainError(_("Only an issue that is being sent can be stopped."))
        # A batch being sent right now is locked by its task: it finishes by itself (skip it here,
        # so the two never wait for each other). The others are closed unsent.
        skipped = 0
        for batch in issue.batches.select_for_update(skip_locked=True).filter(finished_at__isnull=True):
            batch.skipped_count, batch.finished_at, batch.recipients = batch.size, timezone.now(), []
            batch.save(update_fields=["skipped_count", "finished_at", "recipients"])
            skipped += batch.size
        issue.status, issue.sent_at = IssueStatus.CANCELLED, timezone.now()
        issue.save(update_fields=["status", "sent_at", "updated_at"])
        audit_log(obj=issue, action="polyfon.content.issue.cancelled", actor=actor, payload={"skipped": skipped, "note": note})
    return issue


def newsletter_issue_send_test(*, issue: NewsletterIssue, actor, email: str, language: str | None = None) -> None:
    """Send one copy to `email` (the coordinator's own address) to check how the issue looks."""
    with transaction.atomic():
        if not _has_content(issue):
            raise DomainError(_("The issue is empty: write an introduction or choose news or events."))
        send_templated_email(
            to=email,
            template="content/email/newsletter_issue",
            context={
                **issue_context(issue),
                "is_test": True,
                "unsubscribe_url": settings.SITE_URL + reverse("content:newsletter_subscribe"),
            },
            language=language or getattr(actor, "language", None) or settings.LANGUAGE_CODE,
        )
        audit_log(obj=issue, action="polyfon.content.issue.test_sent", actor=actor)
