"""The life cycle of an invoice, declared once.

               part payment                 the due date passes
    open ─────────────────────▶ partly paid ───────────────────▶ overdue ──reminder──┐
     │  └──── the due date passes ─────────────────────────────────▲  ▲  └───────────┘
     │                                                               │  │
     ├──── full payment ───▶ paid ──── payment reversed/refunded ────┘  │ (or back to open /
     │                        │                                          │  partly paid before
     └──── credit note for what is left ───▶ credited (final) ◀─────────┘  the due date)

The status follows from the money and the calendar (`status_for`); `TRANSITIONS` says which
changes are possible at all, and services refuse any other. `ACTIONS` are what the coordinator
can do to an invoice in each status: the invoice page draws its buttons from it, and the
services refuse an action from a status that is not listed.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from polyfon.core import lifecycle

from .models import ZERO
from .models import InvoiceStatus as S

TRANSITIONS: dict[str, frozenset] = {
    S.OPEN: frozenset({S.PARTLY_PAID, S.PAID, S.OVERDUE, S.CREDITED}),
    S.PARTLY_PAID: frozenset({S.OPEN, S.PAID, S.OVERDUE, S.CREDITED}),
    S.OVERDUE: frozenset({S.PAID, S.CREDITED}),
    S.PAID: frozenset({S.OPEN, S.PARTLY_PAID, S.OVERDUE, S.CREDITED}),
    S.CREDITED: frozenset(),
}

# Statuses in which money is still expected.
UNSETTLED = frozenset({S.OPEN, S.PARTLY_PAID, S.OVERDUE})


def status_for(invoice, today: date) -> str:
    """The status the invoice's money and due date give on `today`."""
    if invoice.credited_amount >= invoice.total_amount:
        return S.CREDITED
    if invoice.balance <= ZERO:
        return S.PAID
    if today > invoice.due_date:
        return S.OVERDUE
    if invoice.paid_amount > ZERO:
        return S.PARTLY_PAID
    return S.OPEN


def can_move(source: str, target: str) -> bool:
    return source == target or target in TRANSITIONS[source]


@dataclass(frozen=True, kw_only=True)
class Action(lifecycle.Move):
    """What the coordinator can do to an invoice; the status it leaves follows from `status_for`."""

    url_name: str  # the page (or POST endpoint) of the action
    post_only: bool = False


ACTIONS = lifecycle.Lifecycle(
    Action(
        name="register_payment",
        sources={S.OPEN, S.PARTLY_PAID, S.OVERDUE, S.PAID, S.CREDITED},
        label=_("Register a payment"),
        explanation=_("Money received outside the payment files, or a refund (a negative amount)."),
        url_name="billing:invoice_payment",
    ),
    Action(
        name="remind",
        sources={S.OVERDUE},
        label=_("Send a reminder"),
        explanation=_("An e-mail with the outstanding amount and a new deadline of at least 14 days. No fee is charged."),
        url_name="billing:invoice_remind",
    ),
    Action(
        name="credit",
        sources={S.OPEN, S.PARTLY_PAID, S.OVERDUE, S.PAID},
        label=_("Issue a credit note"),
        explanation=_(
            "Credits all or part of the invoice. The invoice itself never changes; to correct it, credit it "
            "and issue a new invoice."
        ),
        url_name="billing:invoice_credit",
        danger=True,
    ),
    Action(
        name="send",
        sources={S.OPEN, S.PARTLY_PAID, S.OVERDUE, S.PAID, S.CREDITED},
        label=_("Send again"),
        explanation=_("Sends the invoice again by the same channel (EHF or e-mail); the sending is logged."),
        url_name="billing:invoice_send",
        post_only=True,
    ),
)
