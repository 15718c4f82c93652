"""The life cycles of the content, declared once.

Knowledge-description versions and news articles:

    draft ──publish──▶ published ──withdraw──▶ withdrawn
                           ▲                        │
                           └────────publish─────────┘

Newsletter issues:   draft ──send──▶ being sent ──(the worker, last batch)──▶ sent
                                          └──stop──▶ sending stopped

Subscribers:   pending ──confirm──▶ subscribed ──unsubscribe──▶ unsubscribed
                  ▲ └──────────────unsubscribe──────────────────────┘  │
                  └────────────────subscribe again─────────────────────┘

Pages draw their buttons from these tables; services refuse any move that is not listed here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from polyfon.core import lifecycle

from .models import IssueStatus, PublicationStatus, SubscriberStatus


@dataclass(frozen=True, kw_only=True)
class Move(lifecycle.Move):
    service: str  # dotted path of the service performing it
    by_coordinator: bool = True  # False: the system or the subscriber makes this move


P, ISSUE, S = PublicationStatus, IssueStatus, SubscriberStatus

KNOWLEDGE_MOVES = lifecycle.Lifecycle(
    Move(
        name="publish",
        sources={P.DRAFT, P.WITHDRAWN},
        target=P.PUBLISHED,
        label=_("Publish this version"),
        explanation=_("The public page of the work area shows this version from now on."),
        service="polyfon.content.services.knowledge_description_publish",
    ),
    Move(
        name="withdraw",
        sources={P.PUBLISHED},
        target=P.WITHDRAWN,
        label=_("Withdraw this version"),
        explanation=_("The public page shows the latest other published version, or none."),
        service="polyfon.content.services.knowledge_description_withdraw",
        danger=True,
    ),
)

NEWS_MOVES = lifecycle.Lifecycle(
    Move(
        name="publish",
        sources={P.DRAFT, P.WITHDRAWN},
        target=P.PUBLISHED,
        label=_("Publish"),
        explanation=_("The article appears on the news pages and in the feeds at its publication time."),
        service="polyfon.content.services.news_article_publish",
    ),
    Move(
        name="withdraw",
        sources={P.PUBLISHED},
        target=P.WITHDRAWN,
        label=_("Withdraw"),
        explanation=_("The article disappears from the public pages and the feeds; it can be published again."),
        service="polyfon.content.services.news_article_withdraw",
        danger=True,
    ),
)

ISSUE_MOVES = lifecycle.Lifecycle(
    Move(
        name="send",
        sources={ISSUE.DRAFT},
        target=ISSUE.SENDING,
        label=_("Send to all subscribers"),
        explanation=_("The issue is locked and sent by the background worker in batches to everyone subscribed now."),
        service="polyfon.content.services.newsletter_issue_send",
    ),
    Move(
        name="finish",
        sources={ISSUE.SENDING},
        target=ISSUE.SENT,
        label=_("Sending finished"),
        explanation=_("The worker has handled the last batch."),
        service="polyfon.content.services.newsletter_batch_send",
        by_coordinator=False,
    ),
    Move(
        name="cancel",
        sources={ISSUE.SENDING},
        target=ISSUE.CANCELLED,
        label=_("Stop the sending"),
        explanation=_("Batches that have not been sent yet are skipped. Messages already sent cannot be recalled."),
        service="polyfon.content.services.newsletter_issue_cancel",
        danger=True,
    ),
)

# An issue can be changed only while it is a draft: what was sent stays as it was sent.
ISSUE_EDITABLE = frozenset({ISSUE.DRAFT})

SUBSCRIBER_MOVES = lifecycle.Lifecycle(
    Move(
        name="confirm",
        sources={S.PENDING},
        target=S.CONFIRMED,
        label=_("Confirm the subscription"),
        explanation=_("The subscriber opened the signed link sent to the address."),
        service="polyfon.content.services.subscriber_confirm",
        by_coordinator=False,
    ),
    Move(
        name="unsubscribe",
        sources={S.PENDING, S.CONFIRMED},
        target=S.UNSUBSCRIBED,
        label=_("Unsubscribe"),
        explanation=_("No more issues are sent to the address."),
        service="polyfon.content.services.subscriber_unsubscribe",
        danger=True,
    ),
    Move(
        name="subscribe",
        sources={S.PENDING, S.UNSUBSCRIBED},
        target=S.PENDING,
        label=_("Send a new confirmation link"),
        explanation=_("A new link to confirm the subscription is sent to the address."),
        service="polyfon.content.services.subscriber_subscribe",
        by_coordinator=False,
    ),
)
