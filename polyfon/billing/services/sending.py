"""Sending invoices and credit notes (EHF to the outbox, or e-mail with the PDF) and
reminders of overdue invoices. Every attempt is logged as a Dispatch with its outcome."""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log
from polyfon.core.dates import local_today
from polyfon.core.email import Attachment, send_templated_email
from polyfon.core.errors import DomainError
from polyfon.members.models import ContactRole, ParticipantContact

from .. import ehf, lifecycle, selectors
from ..models import (
    CreditNote,
    DeliveryChannel,
    Dispatch,
    DispatchKind,
    DispatchOutcome,
    Invoice,
    Reminder,
)
from ..outbox import get_sender
from .issuing import _refresh_status, document_pdf, pdf_filename

logger = logging.getLogger(__name__)

# Invoices are for the buyer's accounts department, which reads Norwegian.
INVOICE_LANGUAGE = "nb"


def _kind(document) -> str:
    return DispatchKind.INVOICE if isinstance(document, Invoice) else DispatchKind.CREDIT_NOTE


def _dispatch(document, *, kind: str, channel: str, recipient: str, outcome: str, detail: str = "", actor=None) -> Dispatch:
    """A row of the sending log."""
    return Dispatch.objects.create(
        kind=kind,
        invoice=document if isinstance(document, Invoice) else None,
        credit_note=document if isinstance(document, CreditNote) else None,
        channel=channel,
        recipient=recipient[:254],
        outcome=outcome,
        detail=detail[:500],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _log(document, *, kind: str, channel: str, recipient: str, outcome: str, detail: str = "", actor=None) -> Dispatch:
    """A row of the sending log, and the document's history."""
    with transaction.atomic():
        dispatch = _dispatch(document, kind=kind, channel=channel, recipient=recipient, outcome=outcome, detail=detail,
                             actor=actor)
        audit_log(
            obj=document,
            action="polyfon.billing.document.sent" if outcome != DispatchOutcome.FAILED else "polyfon.billing.document.send_failed",
            actor=actor,
            payload={"kind": kind, "channel": channel, "recipient": recipient, "outcome": outcome, "note": detail},
        )
    return dispatch


def document_deliver(*, document: Invoice | CreditNote, actor=None) -> Dispatch:
    """Send an issued invoice or credit note by its channel and log the outcome.

    EHF: the UBL document (with the PDF inside) is checked against the EHF rules and handed to
    the outbox sender. E-mail: the PDF goes to the buyer's invoice address. A failure is logged,
    not raised, so a batch goes on and the coordinator sees what to send again."""
    kind = _kind(document)
    if document.channel == DeliveryChannel.EHF:
        recipient = f"0192:{document.buyer_org_number}"
        try:
            pdf = document_pdf(document)
            content = ehf.document_xml(document, pdf=pdf)
            reference = get_sender().send(filename=ehf.filename(document), content=content, document=document)
        except ehf.EhfRuleError as error:
            return _log(document, kind=kind, channel=document.channel, recipient=recipient,
                        outcome=DispatchOutcome.FAILED, detail=str(error), actor=actor)
        except Exception as error:  # the outbox is outside our control: log it and go on
            logger.exception("EHF sending of %s failed", document.pk)
            return _log(document, kind=kind, channel=document.channel, recipient=recipient,
                        outcome=DispatchOutcome.FAILED, detail=f"{type(error).__name__}: {error}", actor=actor)
        return _log(document, kind=kind, channel=document.channel, recipient=recipient, outcome=DispatchOutcome.SENT,
                    detail=reference, actor=actor)
    recipient = document.buyer_email
    if not recipient:
        return _log(document, kind=kind, channel=document.channel, recipient="-", outcome=DispatchOutcome.FAILED,
                    detail=_("No invoice e-mail address."), actor=actor)
    try:
        pdf = document_pdf(document)
    except Exception as error:
        logger.exception("PDF of %s failed", document.pk)
        return _log(document, kind=kind, channel=document.channel, recipient=recipient, outcome=DispatchOutcome.FAILED,
                    detail=f"{type(error).__name__}: {error}", actor=actor)
    with transaction.atomic():
        dispatch = _log(document, kind=kind, channel=document.channel, recipient=recipient,
                        outcome=DispatchOutcome.QUEUED, actor=actor)
        send_templated_email(
            to=recipient,
            template="billing/email/invoice" if kind == DispatchKind.INVOICE else "billing/email/credit_note",
            context={"document": document},
            language=INVOICE_LANGUAGE,
            attachments=[Attachment(pdf_filename(document), pdf, "application/pdf")],
            reply_to=[document.supplier_email],
            on_outcome=(EMAIL_OUTCOME, dispatch.pk),
        )
        return dispatch


EMAIL_OUTCOME = "polyfon.billing.services.sending.dispatch_email_outcome"


def dispatch_email_outcome(dispatch_id: int, error: str) -> None:
    """Told by the e-mail task how a queued e-mail went: the log then says sent, or failed and why."""
    outcome = DispatchOutcome.FAILED if error else DispatchOutcome.EMAILED
    Dispatch.objects.filter(pk=dispatch_id, outcome=DispatchOutcome.QUEUED).update(outcome=outcome, detail=error[:500])


def document_send_again(*, document: Invoice | CreditNote, actor) -> None:
    """The coordinator sends a document again: the sending happens in the background."""
    from .. import tasks

    if isinstance(document, Invoice):
        invoice = Invoice.objects.get(pk=document.pk)
        if not lifecycle.ACTIONS.allows(invoice.status, "send"):
            raise DomainError(_("This invoice cannot be sent."))
        transaction.on_commit(lambda: tasks.deliver_invoice.enqueue(invoice.pk, actor.pk if actor else None))
    else:
        transaction.on_commit(lambda: tasks.deliver_credit_note.enqueue(document.pk, actor.pk if actor else None))


# --- Reminders --------------------------------------------------------------------------------------------------------


def reminder_recipients(invoice: Invoice) -> list[tuple[str, str]]:
    """(address, language): the invoice e-mail, else the participant's invoice contacts, else
    its main contact. EHF invoices have no reminder message in EHF, so they are reminded here too."""
    if invoice.buyer_email:
        return [(invoice.buyer_email, INVOICE_LANGUAGE)]
    if invoice.participant_id is None:
        return []
    contacts = list(
        ParticipantContact.objects.filter(participant_id=invoice.participant_id, role__in=[ContactRole.INVOICE, ContactRole.MAIN])
        .select_related("person")
        .order_by("role")
    )
    invoice_contacts = [c for c in contacts if c.role == ContactRole.INVOICE] or [c for c in contacts if c.role == ContactRole.MAIN]
    return [(c.person.email, c.person.language) for c in invoice_contacts]


def invoice_remind(*, invoice: Invoice, actor, new_due_date: date | None = None, today: date | None = None) -> Reminder:
    """Remind the buyer of an overdue invoice by e-mail, with a new deadline of at least 14 days
    and no fee. At most as often as the billing settings allow, and not before the deadline of
    the last reminder has passed."""
    today = today or local_today()
    policy = selectors.billing_settings()
    new_due_date = new_due_date or today + timedelta(days=policy.reminder_deadline_days)
    pdf = document_pdf(invoice)  # rendered before the row is locked: it can take a moment
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("series").get(pk=invoice.pk)
        before, after = _refresh_status(invoice, today=today)
        if not lifecycle.ACTIONS.allows(invoice.status, "remind"):
            raise DomainError(_("Only an overdue invoice can be reminded."))
        if new_due_date < today + timedelta(days=14):
            raise DomainError(_("The new deadline must be at least 14 days from today."), field="new_due_date")
        if invoice.reminder_due_date and invoice.reminder_due_date >= today:
            raise DomainError(
                _("The deadline in the last reminder (%(date)s) has not passed yet.") % {"date": invoice.reminder_due_date}
            )
        if invoice.last_reminded_on and (today - invoice.last_reminded_on).days < policy.reminder_interval_days:
            raise DomainError(
                _("The last reminder was sent %(date)s; reminders go at most every %(days)s days.")
                % {"date": invoice.last_reminded_on, "days": policy.reminder_interval_days}
            )
        recipients = reminder_recipients(invoice)
        if not recipients:
            raise DomainError(_("Neither the buyer nor the participant has an e-mail address for the reminder."))
        reminder = Reminder.objects.create(
            invoice=invoice,
            sent_on=today,
            new_due_date=new_due_date,
            outstanding=invoice.outstanding,
            recipient=", ".join(address for address, _language in recipients),
            sent_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        invoice.reminder_count += 1
        invoice.last_reminded_on = today
        invoice.reminder_due_date = new_due_date
        invoice.save(update_fields=["status", "reminder_count", "last_reminded_on", "reminder_due_date"])
        for address, language in recipients:
            # The reminder's own history entry follows; the log gets one row per address.
            dispatch = _dispatch(invoice, kind=DispatchKind.REMINDER, channel=DeliveryChannel.EMAIL, recipient=address,
                                 outcome=DispatchOutcome.QUEUED, actor=actor)
            send_templated_email(
                to=address,
                template="billing/email/reminder",
                context={"invoice": invoice, "reminder": reminder},
                language=language,
                attachments=[Attachment(pdf_filename(invoice), pdf, "application/pdf")],
                reply_to=[invoice.supplier_email],
                on_outcome=(EMAIL_OUTCOME, dispatch.pk),
            )
        audit_log(
            obj=invoice,
            action="polyfon.billing.invoice.reminded",
            actor=actor,
            payload={"number": reminder.pk, "new_due_date": new_due_date, "outstanding": reminder.outstanding,
                     "recipients": reminder.recipient, "status": [before, invoice.status]},
        )
    return reminder


def send_due_reminders(*, today: date | None = None) -> list[Reminder]:
    """The daily job: every overdue invoice that is due a reminder gets one, when the
    coordinator has turned automatic reminders on. Failures are logged for the coordinator."""
    today = today or local_today()
    policy = selectors.billing_settings()
    if not policy.automatic_reminders:
        return []
    sent = []
    for invoice in selectors.reminders_due(today, policy):
        try:
            sent.append(invoice_remind(invoice=invoice, actor=None, today=today))
        except DomainError as error:
            _log(invoice, kind=DispatchKind.REMINDER, channel=DeliveryChannel.EMAIL, recipient="-",
                 outcome=DispatchOutcome.FAILED, detail=str(error))
    return sent

