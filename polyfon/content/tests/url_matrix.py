"""Who may open each URL of the content (see polyfon.core.testing)."""

from polyfon.core.testing import COORDINATORS, POST_ONLY, PUBLIC

MATRIX = {
    # Public
    "content:public_work_areas": ({}, PUBLIC),
    "content:work_area_page": ({"slug": "work_area_slug"}, PUBLIC),
    "content:news_list": ({}, PUBLIC),
    "content:news_rss": ({}, PUBLIC),
    "content:news_atom": ({}, PUBLIC),
    "content:news_image": ({"pk": "news"}, PUBLIC),
    "content:news_detail": ({"slug": "news_slug"}, PUBLIC),
    "content:about": ({}, PUBLIC),
    "content:newsletter_subscribe": ({}, PUBLIC),
    "content:newsletter_pending": ({}, PUBLIC),
    "content:newsletter_confirm": ({"token": "confirm_token"}, PUBLIC),
    "content:newsletter_unsubscribe": ({"token": "unsubscribe_token"}, PUBLIC),
    "content:newsletter_archive_issue": ({"pk": "sent_issue"}, PUBLIC),
    # The office (content:work_area_list, _create and _edit are in tests/test_url_matrix.py)
    "content:knowledge_history": ({"pk": "work_area"}, COORDINATORS),
    "content:knowledge_create": ({"pk": "work_area"}, COORDINATORS),
    "content:knowledge_compare": ({"pk": "knowledge_area"}, COORDINATORS),
    "content:knowledge_detail": ({"pk": "knowledge"}, COORDINATORS),
    "content:knowledge_move": ({"pk": "knowledge", "move": '"withdraw"'}, POST_ONLY),
    "content:markdown_preview": ({}, POST_ONLY),
    "content:news_office_list": ({}, COORDINATORS),
    "content:news_create": ({}, COORDINATORS),
    "content:news_edit": ({"pk": "news"}, COORDINATORS),
    "content:news_delete": ({"pk": "news"}, POST_ONLY),
    "content:news_move": ({"pk": "news", "move": '"withdraw"'}, POST_ONLY),
    "content:issue_list": ({}, COORDINATORS),
    "content:issue_create": ({}, COORDINATORS),
    "content:issue_detail": ({"pk": "sent_issue"}, COORDINATORS),
    "content:issue_edit": ({"pk": "draft_issue"}, COORDINATORS),
    "content:issue_send_test": ({"pk": "draft_issue"}, POST_ONLY),
    "content:issue_move": ({"pk": "draft_issue", "move": '"send"'}, POST_ONLY),
    "content:subscriber_list": ({}, COORDINATORS),
    "content:subscriber_add": ({}, COORDINATORS),
    "content:subscriber_detail": ({"pk": "subscriber"}, COORDINATORS),
    "content:subscriber_delete": ({"pk": "subscriber"}, COORDINATORS),
    "content:subscriber_unsubscribe": ({"pk": "subscriber"}, POST_ONLY),
}


def world(base):
    """A work area with two versions of its description, a published article with an image,
    a sent and a draft issue, and a subscriber with its signed links."""
    from django.utils import timezone

    from polyfon.content import services, tokens
    from polyfon.content.models import IssueStatus, WorkArea

    from .factories import (
        KnowledgeDescriptionFactory,
        NewsletterIssueFactory,
        SubscriberFactory,
        image_upload,
    )

    area = WorkArea.objects.get(pk=base["work_area"])
    KnowledgeDescriptionFactory(work_area=area)
    knowledge = KnowledgeDescriptionFactory(work_area=area)
    article = services.news_article_create(
        actor=None, title="Ny kunnskapsbeskrivelse", lead="Ingress.", image=image_upload(), image_alt="Et bilde",
        work_areas=[area], publish=True,
    )
    subscriber = SubscriberFactory()
    sent = NewsletterIssueFactory(status=IssueStatus.SENT, sent_at=timezone.now())
    draft = NewsletterIssueFactory()
    return {
        "work_area_slug": area.slug,
        "knowledge_area": area.pk,
        "knowledge": knowledge.pk,
        "news": article.pk,
        "news_slug": article.slug,
        "subscriber": subscriber.pk,
        "confirm_token": tokens.confirm_token(subscriber),
        "unsubscribe_token": tokens.unsubscribe_token(subscriber),
        "sent_issue": sent.pk,
        "draft_issue": draft.pk,
    }
