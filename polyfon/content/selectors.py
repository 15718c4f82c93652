"""Reads of the content that pages, feeds, the newsletter and other apps share, with their joins."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from polyfon.core.models import AuditEntry

from . import related
from .models import (
    DeliveryStatus,
    IssueStatus,
    KnowledgeDescription,
    NewsArticle,
    NewsletterDelivery,
    NewsletterIssue,
    PublicationStatus,
    Subscriber,
    SubscriberStatus,
    WorkArea,
)

NEWS_PER_PAGE = 12


# --- Work areas and knowledge descriptions ----------------------------------------------------------------


def _newest_published_pk():
    return (
        KnowledgeDescription.objects.filter(work_area=OuterRef("pk"), status=PublicationStatus.PUBLISHED)
        .order_by("-version")
        .values("pk")[:1]
    )


def public_work_areas() -> QuerySet[WorkArea]:
    """Active work areas with the id of their current knowledge description (or None)."""
    return WorkArea.objects.filter(is_active=True).annotate(current_description_id=Subquery(_newest_published_pk()))


def published_description(work_area: WorkArea) -> KnowledgeDescription | None:
    """The version the public sees: the newest published one."""
    return (
        work_area.knowledge_descriptions.filter(status=PublicationStatus.PUBLISHED)
        .select_related("created_by", "published_by")
        .order_by("-version")
        .first()
    )


def current_descriptions() -> QuerySet[KnowledgeDescription]:
    """The published version of every work area that has one."""
    newest = (
        KnowledgeDescription.objects.filter(work_area=OuterRef("work_area"), status=PublicationStatus.PUBLISHED)
        .order_by("-version")
        .values("pk")[:1]
    )
    return KnowledgeDescription.objects.filter(pk=Subquery(newest)).select_related("work_area")


def knowledge_reviews_due(*, today: date, within_days: int = 30) -> QuerySet[KnowledgeDescription]:
    """Published descriptions whose review date has passed or comes within `within_days`."""
    return current_descriptions().filter(review_due__lte=today + timedelta(days=within_days)).order_by("review_due")


def office_work_areas() -> QuerySet[WorkArea]:
    """All work areas for the office list, with their current and newest version numbers."""
    current = (
        KnowledgeDescription.objects.filter(work_area=OuterRef("pk"), status=PublicationStatus.PUBLISHED)
        .order_by("-version")
    )
    return WorkArea.objects.annotate(
        published_version=Subquery(current.values("version")[:1]),
        review_due=Subquery(current.values("review_due")[:1]),
        newest_version=Subquery(
            KnowledgeDescription.objects.filter(work_area=OuterRef("pk")).order_by("-version").values("version")[:1]
        ),
        article_count=Count("news_articles", distinct=True),
    )


def knowledge_versions(work_area: WorkArea) -> QuerySet[KnowledgeDescription]:
    return work_area.knowledge_descriptions.select_related("created_by", "published_by").order_by("-version")


def knowledge_timeline(versions) -> QuerySet[AuditEntry]:
    content_type = ContentType.objects.get_for_model(KnowledgeDescription)
    return AuditEntry.objects.filter(
        content_type=content_type, object_id__in=[str(v.pk) for v in versions]
    ).select_related("actor")


def member_participants_in(work_area: WorkArea):
    """Members that name this work area among their interests (public information)."""
    from polyfon.members.selectors import current_members

    return current_members().filter(work_areas=work_area).order_by("name").only("pk", "name")


def work_area_page(work_area: WorkArea) -> dict:
    """Everything the public page of a work area shows."""
    return {
        "work_area": work_area,
        "description": published_description(work_area),
        "working_groups": related.working_groups(work_area),
        "projects": related.projects(work_area=work_area),
        "events": related.upcoming_events(limit=5, work_area=work_area),
        "calls": related.open_calls(limit=5, work_area=work_area),
        "news": list(public_news(work_area=work_area)[:4]),
        "participants": list(member_participants_in(work_area)),
    }


# --- News ------------------------------------------------------------------------------------------------


def public_news(*, work_area: WorkArea | None = None, now=None) -> QuerySet[NewsArticle]:
    articles = NewsArticle.objects.public(now).prefetch_related(
        Prefetch("work_areas", queryset=WorkArea.objects.only("pk", "name", "name_nn", "name_en", "slug"))
    )
    if work_area is not None:
        articles = articles.filter(work_areas=work_area)
    return articles.order_by("-published_at", "-id")


def news_for_viewer(slug: str, *, can_preview: bool) -> NewsArticle | None:
    """An article by its address: public ones for everyone, drafts too for those who may preview."""
    articles = NewsArticle.objects.prefetch_related("work_areas")
    article = articles.filter(slug=slug).first()
    if article is None or (not article.is_public and not can_preview):
        return None
    return article


def related_news(article: NewsArticle, limit: int = 3) -> list[NewsArticle]:
    areas = [area.pk for area in article.work_areas.all()]
    if not areas:
        return []
    return list(public_news().filter(work_areas__in=areas).exclude(pk=article.pk).distinct()[:limit])


def office_news() -> QuerySet[NewsArticle]:
    return NewsArticle.objects.select_related("created_by").prefetch_related("work_areas")


# --- Public pages ----------------------------------------------------------------------------------------


def front_page() -> dict:
    return {
        "work_areas": list(public_work_areas()),
        "news": list(public_news()[:3]),
        "events": related.upcoming_events(limit=3),
        "calls": related.open_calls(limit=3),
    }


# The participants on the about page are read through the register's selector, which loads every
# member with its organisations; kept for ten minutes per language, the page stays quick at scale.
ABOUT_PARTICIPANTS_SECONDS = 600


def _participant_names_by_kind() -> list[tuple[str, list[str]]]:
    from polyfon.members.selectors import public_members_by_kind

    return [(label, [participant.name for participant in participants]) for label, participants in public_members_by_kind()]


def about_page() -> dict:
    key = f"content:about:participants:{get_language() or settings.LANGUAGE_CODE}"
    groups = cache.get_or_set(key, _participant_names_by_kind, ABOUT_PARTICIPANTS_SECONDS)
    return {
        "cluster": settings.CLUSTER,
        "participant_groups": groups,
        "participant_count": sum(len(names) for _, names in groups),
        "bodies": related.governance_bodies(),
        "work_areas": list(public_work_areas()),
    }


# --- Newsletter ----------------------------------------------------------------------------------------------


def subscriber_list() -> QuerySet[Subscriber]:
    """Subscribers for the office list and its export, with the number of issues each received
    (a subquery per row shown, not a join over every delivery)."""
    received = (
        NewsletterDelivery.objects.filter(subscriber=OuterRef("pk"), status=DeliveryStatus.SENT)
        .order_by()
        .values("subscriber")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subscriber.objects.annotate(received=Coalesce(Subquery(received), 0))


def subscriber_counts() -> dict[str, int]:
    counts = dict(Subscriber.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in SubscriberStatus.values}


def office_issues() -> QuerySet[NewsletterIssue]:
    return NewsletterIssue.objects.select_related("created_by", "sent_by").annotate(
        article_count=Count("articles", distinct=True),
        sent_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT), distinct=True),
    )


def sent_issues() -> QuerySet[NewsletterIssue]:
    """The archive: issues whose sending has finished."""
    return NewsletterIssue.objects.filter(status=IssueStatus.SENT).order_by("-sent_at", "-id")


def issue_delivery_totals(issue: NewsletterIssue) -> dict[str, int]:
    """Sent, skipped, failed and still waiting, from the batches' counts."""
    sums = issue.batches.aggregate(sent=Sum("sent_count"), skipped=Sum("skipped_count"), failed=Sum("failed_count"))
    totals = {status: sums.get(status) or 0 for status in ("sent", "skipped", "failed")}
    return {"waiting": max(issue.recipient_count - sum(totals.values()), 0), **totals}


def articles_for_newsletter(issue: NewsletterIssue | None = None) -> QuerySet[NewsArticle]:
    """What the composer offers: news published in the last 120 days, and what the issue has."""
    since = timezone.now() - timedelta(days=120)
    chosen = Q(pk__in=issue.articles.values("pk")) if issue and issue.pk else Q(pk__in=[])
    return (
        NewsArticle.objects.public()
        .filter(Q(published_at__gte=since) | chosen)
        .order_by("-published_at", "-id")
    )
