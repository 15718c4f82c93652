"""Knowledge descriptions: every save is a new version; one version at a time is what the public sees."""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log
from polyfon.core.dates import local_today
from polyfon.core.email import send_templated_email
from polyfon.core.errors import DomainError
from polyfon.core.richtext import render_markdown

from .. import lifecycle
from ..models import KnowledgeDescription, PublicationStatus, WorkArea

# What makes two versions different (the compare page shows the same fields).
CONTENT_FIELDS = ["title", "language", "summary", "body_source", "authors", "references", "guidelines", "review_due"]


def _clean_references(items) -> list[dict]:
    cleaned = []
    for item in items or []:
        text, url = str(item.get("text", "")).strip(), str(item.get("url", "")).strip()
        if text:
            cleaned.append({"text": text, "url": url})
    return cleaned


def _clean_guidelines(items) -> list[dict]:
    cleaned = []
    for item in items or []:
        title, url = str(item.get("title", "")).strip(), str(item.get("url", "")).strip()
        if title:
            cleaned.append({"title": title, "url": url})
    return cleaned


def knowledge_description_save(
    *,
    work_area: WorkArea,
    actor,
    title: str,
    body_source: str,
    authors: str,
    review_due: date,
    summary: str = "",
    language: str = "nb",
    references=(),
    guidelines=(),
    change_note: str = "",
    publish: bool = False,
) -> KnowledgeDescription:
    """Save a new version of the work area's knowledge description (as a draft, or published)."""
    values = {
        "title": title.strip(),
        "language": language,
        "summary": summary.strip(),
        "body_source": body_source.strip(),
        "authors": authors.strip(),
        "references": _clean_references(references),
        "guidelines": _clean_guidelines(guidelines),
        "review_due": review_due,
    }
    if not values["body_source"]:
        raise DomainError(_("Write the text of the knowledge description."), field="body_source")
    if review_due <= local_today():
        raise DomainError(_("The review date must lie ahead."), field="review_due")
    with transaction.atomic():
        # The lock on the work area serialises version numbers.
        work_area = WorkArea.objects.select_for_update().get(pk=work_area.pk)
        last = work_area.knowledge_descriptions.order_by("-version").first()
        if last is not None and all(getattr(last, f) == values[f] for f in CONTENT_FIELDS):
            raise DomainError(_("Nothing has changed since version %(version)s.") % {"version": last.version})
        description = KnowledgeDescription.objects.create(
            work_area=work_area,
            version=(last.version if last else 0) + 1,
            body_html=render_markdown(values["body_source"]),
            change_note=change_note.strip(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **values,
        )
        audit_log(
            obj=description,
            action="polyfon.content.knowledge.saved",
            actor=actor,
            payload={"work_area": work_area.slug, "version": description.version, "note": description.change_note},
        )
        if publish:
            description = knowledge_description_publish(description=description, actor=actor)
    return description


def _begin(description: KnowledgeDescription, move: str) -> KnowledgeDescription:
    WorkArea.objects.select_for_update().get(pk=description.work_area_id)
    description = KnowledgeDescription.objects.select_for_update().select_related("work_area").get(pk=description.pk)
    if not lifecycle.KNOWLEDGE_MOVES.allows(description.status, move):
        raise DomainError(
            _("Version %(version)s is %(status)s; this cannot be done now.")
            % {"version": description.version, "status": description.get_status_display().lower()}
        )
    return description


def knowledge_description_publish(*, description: KnowledgeDescription, actor) -> KnowledgeDescription:
    """Make this version the one the public sees. An older version than the one published now
    cannot be published: the public always sees the newest published version."""
    with transaction.atomic():
        description = _begin(description, "publish")
        newest = (
            KnowledgeDescription.objects.filter(work_area_id=description.work_area_id, status=PublicationStatus.PUBLISHED)
            .aggregate(newest=Max("version"))["newest"]
        )
        if newest and newest > description.version:
            raise DomainError(
                _("Version %(newer)s is published and newer; withdraw it first or save a new version.")
                % {"newer": newest}
            )
        description.status = PublicationStatus.PUBLISHED
        description.published_at = timezone.now()
        description.published_by = actor if getattr(actor, "is_authenticated", False) else None
        description.save(update_fields=["status", "published_at", "published_by"])
        audit_log(
            obj=description,
            action="polyfon.content.knowledge.published",
            actor=actor,
            payload={"work_area": description.work_area.slug, "version": description.version},
        )
    return description


def knowledge_description_withdraw(*, description: KnowledgeDescription, actor, note: str = "") -> KnowledgeDescription:
    with transaction.atomic():
        description = _begin(description, "withdraw")
        description.status = PublicationStatus.WITHDRAWN
        description.save(update_fields=["status"])
        audit_log(
            obj=description,
            action="polyfon.content.knowledge.withdrawn",
            actor=actor,
            payload={"work_area": description.work_area.slug, "version": description.version, "note": note},
        )
    return description


def remind_knowledge_reviews(*, today: date | None = None, within_days: int = 30) -> int:
    """E-mail the coordinators the published descriptions whose review date is near or past.
    Returns the number of descriptions named (0: nothing is sent)."""
    from polyfon.members.services import coordinator_recipients

    from ..selectors import knowledge_reviews_due

    today = today or local_today()
    due = list(knowledge_reviews_due(today=today, within_days=within_days))
    if not due:
        return 0
    with transaction.atomic():
        for email, language in coordinator_recipients():
            send_templated_email(
                to=email,
                template="content/email/knowledge_review",
                context={"descriptions": due, "today": today},
                language=language,
            )
    return len(due)
