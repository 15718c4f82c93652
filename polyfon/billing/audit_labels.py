from django.utils.translation import gettext_lazy as _

from polyfon.core.audit import register_action_labels

register_action_labels(
    {
        "polyfon.billing.fee_schedule.created": _("Fee schedule registered"),
        "polyfon.billing.fee_schedule.changed": _("Fee schedule changed"),
        "polyfon.billing.settings.changed": _("Billing settings changed"),
        "polyfon.billing.number_series.changed": _("Number series changed"),
        "polyfon.billing.invoice_run.executed": _("Invoice run executed"),
        "polyfon.billing.invoice.issued": _("Invoice issued"),
        "polyfon.billing.invoice.credited": _("Credit note issued for the invoice"),
        "polyfon.billing.invoice.payment_registered": _("Payment registered"),
        "polyfon.billing.invoice.overdue": _("Invoice overdue"),
        "polyfon.billing.invoice.reminded": _("Reminder sent"),
        "polyfon.billing.credit_note.issued": _("Credit note issued"),
        "polyfon.billing.document.sent": _("Sent"),
        "polyfon.billing.document.send_failed": _("Sending failed"),
        "polyfon.billing.payment_import.imported": _("Payment file imported"),
        "polyfon.billing.payment_import.line_resolved": _("Imported payment followed up"),
    }
)
