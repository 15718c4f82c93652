"""Who may open each URL of the money side (see polyfon.core.testing)."""

from polyfon.core.testing import COORDINATORS, LOGGED_IN, OWN_PARTICIPANT, POST_ONLY, REGISTER_READERS

MATRIX = {
    "billing:mine_invoices": ({}, LOGGED_IN),
    "billing:invoice_pdf": ({"pk": "invoice"}, OWN_PARTICIPANT),
    "billing:invoice_ehf": ({"pk": "invoice"}, OWN_PARTICIPANT),
    "billing:credit_note_pdf": ({"pk": "credit_note"}, OWN_PARTICIPANT),
    "billing:credit_note_ehf": ({"pk": "credit_note"}, OWN_PARTICIPANT),
    "billing:invoice_list": ({}, COORDINATORS),
    "billing:invoice_create": ({}, COORDINATORS),
    "billing:invoice_detail": ({"pk": "invoice"}, COORDINATORS),
    "billing:invoice_credit": ({"pk": "invoice"}, COORDINATORS),
    "billing:invoice_payment": ({"pk": "invoice"}, COORDINATORS),
    "billing:invoice_remind": ({"pk": "invoice"}, COORDINATORS),
    "billing:invoice_send": ({"pk": "invoice"}, POST_ONLY),
    "billing:credit_note_list": ({}, COORDINATORS),
    "billing:credit_note_detail": ({"pk": "credit_note"}, COORDINATORS),
    "billing:credit_note_send": ({"pk": "credit_note"}, POST_ONLY),
    "billing:invoice_run_list": ({}, COORDINATORS),
    "billing:invoice_run_preview": ({"year": '"2026"'}, COORDINATORS),
    "billing:invoice_run_detail": ({"pk": "run"}, COORDINATORS),
    "billing:fee_schedule_list": ({}, REGISTER_READERS),
    "billing:fee_schedule_create": ({}, COORDINATORS),
    "billing:fee_schedule_detail": ({"pk": "fee_schedule"}, REGISTER_READERS),
    "billing:fee_schedule_edit": ({"pk": "fee_schedule"}, COORDINATORS),
    "billing:payment_list": ({}, COORDINATORS),
    "billing:payment_import": ({}, COORDINATORS),
    "billing:payment_import_detail": ({"pk": "payment_import"}, COORDINATORS),
    "billing:payment_line_resolve": ({"pk": "import_line"}, COORDINATORS),
    "billing:reminder_list": ({}, COORDINATORS),
    "billing:dispatch_list": ({}, COORDINATORS),
    "billing:economy": ({}, REGISTER_READERS),
    "billing:billing_settings": ({}, COORDINATORS),
}


def world(base):
    """An overdue annual-fee invoice of `member` (from base) in a run, a credit note of a second
    invoice, and an imported payment with an unknown KID still to follow up."""
    from datetime import date
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from polyfon.billing import services
    from polyfon.members.models import Participant

    from .factories import FeeScheduleFactory

    schedule = FeeScheduleFactory()
    member = Participant.objects.get(pk=base["member"])
    run = services.invoice_run_execute(year=2025, actor=None, issue_date=date(2025, 1, 20), send=False)
    invoice = run.invoices.get(participant=member)
    second = services.invoice_issue(
        actor=None, buyer=member.organisations.get(), participant=member, year=2025, issue_date=date(2025, 3, 1),
        lines=[services.LineInput("Fagdag", Decimal("1"), Decimal("1500"))], send=False,
    )
    credit_note = services.invoice_credit(invoice=second, actor=None, reason="Avlyst", send=False)
    statement = "Dato;Forklaring;KID;Inn på konto\n02.03.2025;Ukjent;0000009991;1 000,00\n".encode()
    record = services.payment_import(uploaded=SimpleUploadedFile("bank.csv", statement), fmt="csv", actor=None)
    return {
        "invoice": invoice.pk,
        "credit_note": credit_note.pk,
        "run": run.pk,
        "fee_schedule": schedule.pk,
        "payment_import": record.pk,
        "import_line": record.lines.get().pk,
    }
