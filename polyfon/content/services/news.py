"""News articles: written as drafts, published from a time (now or ahead), withdrawn, deleted
while they have never been out."""

from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log, field_changes
from polyfon.core.errors import DomainError
from polyfon.core.richtext import render_markdown

from .. import lifecycle
from ..images import normalise_image
from ..models import NewsArticle, PublicationStatus, WorkArea

NEWS_FIELDS = ["title", "slug", "lead", "body_source", "language", "byline", "image_alt", "image_caption", "published_at"]
# Paths below /nyheter/ that are not articles.
RESERVED_SLUGS = {"rss", "atom", "bilder"}
LONG_TEXT = 200  # longer texts are shortened in the audit log's record of a change


def _unique_slug(wanted: str, title: str, exclude_pk=None) -> str:
    base = slugify(wanted or title)[:190] or "nyhet"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or NewsArticle.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check(values: dict, *, has_image: bool) -> None:
    if has_image and not values.get("image_alt", "").strip():
        raise DomainError(_("Describe the image in the text alternative; an image cannot be published without one."), field="image_alt")


def _shorten(changes: dict) -> dict:
    return {
        field: [v[:LONG_TEXT] + "…" if isinstance(v, str) and len(v) > LONG_TEXT else v for v in pair]
        for field, pair in changes.items()
    }


def _store_image(article: NewsArticle, uploaded) -> str | None:
    """Re-encode and attach the uploaded image; returns the old file's name to delete after commit."""
    old = article.image.name if article.image else None
    image = normalise_image(uploaded)
    article.image_format, article.image_width, article.image_height = image.format, image.width, image.height
    article.image.save(f"image.{image.format}", image.file, save=False)
    return old


def _delete_file_after_commit(name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def news_article_create(
    *,
    actor,
    title: str,
    lead: str,
    body_source: str = "",
    slug: str = "",
    language: str = "nb",
    byline: str = "",
    work_areas: list[WorkArea] | None = None,
    image=None,
    image_alt: str = "",
    image_caption: str = "",
    published_at: datetime | None = None,
    publish: bool = False,
) -> NewsArticle:
    values = {
        "title": title.strip(),
        "lead": lead.strip(),
        "body_source": body_source,
        "language": language,
        "byline": byline.strip(),
        "image_alt": image_alt.strip(),
        "image_caption": image_caption.strip(),
        "published_at": published_at,
    }
    _check(values, has_image=image is not None)
    with transaction.atomic():
        article = NewsArticle(
            slug=_unique_slug(slug, values["title"]),
            body_html=render_markdown(body_source),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **values,
        )
        if image is not None:
            _store_image(article, image)
        article.save()
        article.work_areas.set(work_areas or [])
        audit_log(obj=article, action="polyfon.content.news.created", actor=actor, payload={"slug": article.slug})
        if publish:
            article = news_article_publish(article=article, actor=actor, published_at=published_at)
    return article


def news_article_update(
    *,
    article: NewsArticle,
    actor,
    work_areas: list[WorkArea] | None = None,
    image=None,
    remove_image: bool = False,
    **values,
) -> NewsArticle:
    values = {k: (v.strip() if isinstance(v, str) and k != "body_source" else v) for k, v in values.items() if k in NEWS_FIELDS}
    with transaction.atomic():
        article = NewsArticle.objects.select_for_update().get(pk=article.pk)
        if "slug" in values:
            values["slug"] = _unique_slug(values["slug"], values.get("title", article.title), exclude_pk=article.pk)
        if article.status == PublicationStatus.PUBLISHED and "published_at" in values and values["published_at"] is None:
            values.pop("published_at")  # a published article keeps its time unless a new one is given
        will_have_image = image is not None or (bool(article.image) and not remove_image)
        _check({"image_alt": values.get("image_alt", article.image_alt)}, has_image=will_have_image)
        changes = field_changes(article, values.keys(), values)
        old_file = None
        if "body_source" in changes:
            article.body_html = render_markdown(article.body_source)
        if image is not None:
            old_file = _store_image(article, image)
            changes["image"] = ["", article.image.name.rsplit("/", 1)[-1]]
        elif remove_image and article.image:
            old_file = article.image.name
            article.image, article.image_format, article.image_width, article.image_height = "", "", None, None
            changes["image"] = [old_file.rsplit("/", 1)[-1], ""]
        if work_areas is not None:
            before = set(article.work_areas.values_list("pk", flat=True))
            if before != {w.pk for w in work_areas}:
                article.work_areas.set(work_areas)
                changes["work_areas"] = [None, sorted(w.slug for w in work_areas)]
        if changes:
            article.save()
            audit_log(obj=article, action="polyfon.content.news.changed", actor=actor, payload={"changes": _shorten(changes)})
        _delete_file_after_commit(old_file)
    return article


def _begin(article: NewsArticle, move: str) -> NewsArticle:
    article = NewsArticle.objects.select_for_update().get(pk=article.pk)
    if not lifecycle.NEWS_MOVES.allows(article.status, move):
        raise DomainError(
            _("The article is %(status)s; this cannot be done now.") % {"status": article.get_status_display().lower()}
        )
    return article


def news_article_publish(*, article: NewsArticle, actor, published_at: datetime | None = None) -> NewsArticle:
    """Publish now, or from `published_at` (the article then appears by itself at that time)."""
    with transaction.atomic():
        article = _begin(article, "publish")
        if article.image and not article.image_alt:
            raise DomainError(_("Describe the image in the text alternative; an image cannot be published without one."))
        article.status = PublicationStatus.PUBLISHED
        article.published_at = published_at or article.published_at or timezone.now()
        article.save(update_fields=["status", "published_at", "updated_at"])
        audit_log(
            obj=article,
            action="polyfon.content.news.published",
            actor=actor,
            payload={"published_at": article.published_at},
        )
    return article


def news_article_withdraw(*, article: NewsArticle, actor, note: str = "") -> NewsArticle:
    with transaction.atomic():
        article = _begin(article, "withdraw")
        article.status = PublicationStatus.WITHDRAWN
        article.save(update_fields=["status", "updated_at"])
        audit_log(obj=article, action="polyfon.content.news.withdrawn", actor=actor, payload={"note": note})
    return article


def news_article_delete(*, article: NewsArticle, actor) -> None:
    """Only a draft that has never been published or put in a newsletter can be deleted;
    anything that has been out is withdrawn instead, so its history stays."""
    with transaction.atomic():
        article = NewsArticle.objects.select_for_update().get(pk=article.pk)
        if article.status != PublicationStatus.DRAFT or article.newsletter_issues.exists():
            raise DomainError(_("Only a draft that has never been out can be deleted; withdraw the article instead."))
        old_file = article.image.name if article.image else None
        audit_log(obj=article, action="polyfon.content.news.deleted", actor=actor, payload={"title": article.title})
        article.delete()
        _delete_file_after_commit(old_file)
