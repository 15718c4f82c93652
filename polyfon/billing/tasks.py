"""Background work of the money side: sending documents (PDF rendering included), the daily
overdue marking and reminders."""

from django.contrib.auth import get_user_model
from django_tasks import task

from . import services
from .models import CreditNote, Invoice


def _actor(actor_id):
    return get_user_model().objects.filter(pk=actor_id).first() if actor_id else None


@task()
def deliver_invoice(invoice_id: int, actor_id: int | None = None) -> str:
    """Render the invoice's PDF if needed and send it (EHF outbox or e-mail); returns the outcome."""
    invoice = Invoice.objects.select_related("series").get(pk=invoice_id)
    return services.document_deliver(document=invoice, actor=_actor(actor_id)).outcome


@task()
def deliver_credit_note(credit_note_id: int, actor_id: int | None = None) -> str:
    credit_note = CreditNote.objects.select_related("series", "invoice__series").get(pk=credit_note_id)
    return services.document_deliver(document=credit_note, actor=_actor(actor_id)).outcome


@task()
def mark_overdue_invoices() -> int:
    """Daily: invoices past their due date with money outstanding become overdue."""
    return services.invoices_mark_overdue()


@task()
def send_due_reminders() -> int:
    """Daily: reminders for overdue invoices, when the coordinator has turned them on."""
    return len(services.send_due_reminders())
