"""Every write to the content: one function per change, one transaction each, audited.

Functions take keyword arguments only, lock what they change, raise DomainError with a
message for the user when a rule says no, and send e-mail only after commit. They are split
by sub-domain; import them from here (`from polyfon.content.services import ...`).
"""

from .knowledge import (
    knowledge_description_publish,
    knowledge_description_save,
    knowledge_description_withdraw,
    remind_knowledge_reviews,
)
from .news import (
    news_article_create,
    news_article_delete,
    news_article_publish,
    news_article_update,
    news_article_withdraw,
)
from .newsletter import (
    newsletter_batch_send,
    newsletter_issue_cancel,
    newsletter_issue_save,
    newsletter_issue_send,
    newsletter_issue_send_test,
    purge_unconfirmed_subscribers,
    subscriber_confirm,
    subscriber_delete,
    subscriber_subscribe,
    subscriber_unsubscribe,
)
from .work_areas import WORK_AREA_FIELDS, work_area_save

__all__ = [
    "WORK_AREA_FIELDS",
    "knowledge_description_publish",
    "knowledge_description_save",
    "knowledge_description_withdraw",
    "news_article_create",
    "news_article_delete",
    "news_article_publish",
    "news_article_update",
    "news_article_withdraw",
    "newsletter_batch_send",
    "newsletter_issue_cancel",
    "newsletter_issue_save",
    "newsletter_issue_send",
    "newsletter_issue_send_test",
    "purge_unconfirmed_subscribers",
    "remind_knowledge_reviews",
    "subscriber_confirm",
    "subscriber_delete",
    "subscriber_subscribe",
    "subscriber_unsubscribe",
    "work_area_save",
]
