"""Every write of the money side, split by sub-domain; import from here.

Functions take keyword arguments only, run in one transaction, lock what they change, raise
DomainError with a message for the user when a rule says no, and send mail and enqueue
background work only after commit.
"""

from .issuing import (
    LineInput,
    TamperedDocumentError,
    document_pdf,
    invoice_credit,
    invoice_issue,
    invoice_run_execute,
    invoices_mark_overdue,
    pdf_filename,
)
from .payments import payment_import, payment_line_resolve, payment_register
from .schedules import billing_settings_update, fee_schedule_save, number_series_update, take_numbers
from .sending import (
    document_deliver,
    document_send_again,
    invoice_remind,
    reminder_recipients,
    send_due_reminders,
)

__all__ = [
    "LineInput",
    "TamperedDocumentError",
    "billing_settings_update",
    "document_deliver",
    "document_pdf",
    "document_send_again",
    "fee_schedule_save",
    "invoice_credit",
    "invoice_issue",
    "invoice_remind",
    "invoice_run_execute",
    "invoices_mark_overdue",
    "number_series_update",
    "payment_import",
    "payment_line_resolve",
    "payment_register",
    "pdf_filename",
    "reminder_recipients",
    "send_due_reminders",
    "take_numbers",
]
