from django.utils.translation import gettext_lazy as _

from polyfon.core.audit import register_action_labels

register_action_labels(
    {
        "polyfon.content.work_area.created": _("Work area created"),
        "polyfon.content.work_area.changed": _("Work area changed"),
        "polyfon.content.knowledge.saved": _("Knowledge description version saved"),
        "polyfon.content.knowledge.published": _("Knowledge description version published"),
        "polyfon.content.knowledge.withdrawn": _("Knowledge description version withdrawn"),
        "polyfon.content.news.created": _("News article created"),
        "polyfon.content.news.changed": _("News article changed"),
        "polyfon.content.news.published": _("News article published"),
        "polyfon.content.news.withdrawn": _("News article withdrawn"),
        "polyfon.content.news.deleted": _("News article deleted"),
        "polyfon.content.issue.created": _("Newsletter issue created"),
        "polyfon.content.issue.changed": _("Newsletter issue changed"),
        "polyfon.content.issue.test_sent": _("Test copy sent"),
        "polyfon.content.issue.sending_started": _("Sending started"),
        "polyfon.content.issue.sent": _("Sending finished"),
        "polyfon.content.issue.cancelled": _("Sending stopped"),
        "polyfon.content.subscriber.created": _("Subscription started (awaiting confirmation)"),
        "polyfon.content.subscriber.resubscribed": _("New confirmation link sent"),
        "polyfon.content.subscriber.confirmed": _("Subscription confirmed"),
        "polyfon.content.subscriber.unsubscribed": _("Unsubscribed"),
        "polyfon.content.subscriber.deleted": _("Subscriber deleted"),
    }
)
