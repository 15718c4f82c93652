"""Payments: registered by hand, or imported from Nets OCR giro files and bank statements and
matched on KID. Nothing in a file is dropped: what cannot be matched, or is matched but not
as expected (partial, over, duplicate, reversal), is listed for the coordinator to resolve."""

import hashlib
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log
from polyfon.core.errors import DomainError

from .. import imports, lifecycle
from ..models import (
    ATTENTION_OUTCOMES,
    REGISTERED_OUTCOMES,
    FeeSchedule,
    ImportFormat,
    Invoice,
    LineOutcome,
    Payment,
    PaymentImport,
    PaymentImportLine,
    PaymentSource,
)
from .issuing import _refresh_status


def _register(*, invoice: Invoice, amount: Decimal, paid_on: date, source: str, actor, reference: str = "",
              note: str = "", import_line: PaymentImportLine | None = None) -> Payment:
    """Book a payment on a locked invoice and move its status. Inside the caller's transaction."""
    if not lifecycle.ACTIONS.allows(invoice.status, "register_payment"):
        raise DomainError(_("Payments cannot be registered on this invoice."))
    payment = Payment.objects.create(
        invoice=invoice,
        amount=amount,
        paid_on=paid_on,
        source=source,
        reference=reference,
        note=note,
        import_line=import_line,
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    invoice.paid_amount += amount
    before, after = _refresh_status(invoice)
    invoice.save(update_fields=["paid_amount", "status"])
    audit_log(
        obj=invoice,
        action="polyfon.billing.invoice.payment_registered",
        actor=actor,
        payload={"amount": amount, "paid_on": paid_on, "source": source, "reference": reference, "note": note,
                 "status": [before, after], "balance": invoice.balance},
    )
    return payment


def payment_register(
    *, invoice: Invoice, amount: Decimal, paid_on: date, actor, reference: str = "", note: str = ""
) -> Payment:
    """Register money received for an invoice by hand (a negative amount is a refund)."""
    if amount == 0:
        raise DomainError(_("The amount cannot be 0."), field="amount")
    if amount < 0 and not note.strip():
        raise DomainError(_("Say why money is paid back (a refund or a reversal)."), field="note")
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("series").get(pk=invoice.pk)
        if amount < 0 and invoice.paid_amount + amount < 0:
            raise DomainError(_("More cannot be paid back than was paid."), field="amount")
        return _register(invoice=invoice, amount=amount, paid_on=paid_on, source=PaymentSource.MANUAL, actor=actor,
                         reference=reference, note=note)


def _parse(fmt: str, raw: bytes) -> imports.ParsedFile:
    if fmt == ImportFormat.OCR:
        parsed = imports.parse_ocr(raw)
        known = set(FeeSchedule.objects.values_list("supplier_bank_account", flat=True))
        foreign = parsed.accounts - known
        if foreign:
            raise DomainError(
                _("The OCR file is for account %(accounts)s, which is not the cluster's account.")
                % {"accounts": ", ".join(sorted(foreign))}
            )
        return parsed
    return imports.parse_csv(raw)


def payment_import(*, uploaded, fmt: str, actor) -> PaymentImport:
    """Import a payment file and match each payment to an invoice by its KID.

    The same file twice is refused as a whole; a payment already imported from another file
    (overlapping bank statements) is listed as a duplicate and not registered again.
    """
    if uploaded.size > settings.MAX_IMPORT_UPLOAD_BYTES:
        raise DomainError(_("The file is too large."))
    raw = uploaded.read()
    digest = hashlib.sha256(raw).hexdigest()
    earlier = PaymentImport.objects.filter(sha256=digest).select_related("imported_by").first()
    if earlier:
        raise DomainError(
            _("This file was imported %(when)s; nothing was registered again.")
            % {"when": formats.date_format(timezone.localtime(earlier.imported_at), "SHORT_DATETIME_FORMAT")}
        )
    parsed = _parse(fmt, raw)
    source = PaymentSource.OCR if fmt == ImportFormat.OCR else PaymentSource.CSV
    with transaction.atomic():
        record = PaymentImport(format=fmt, original_name=uploaded.name[:255], sha256=digest, imported_by=actor
                               if getattr(actor, "is_authenticated", False) else None)
        record.file.save("import", ContentFile(raw), save=False)
        record.save()
        registered = attention = 0
        for parsed_payment in parsed.payments:
            line = _import_line(record, parsed_payment, source=source, actor=actor)
            registered += line.outcome in REGISTERED_OUTCOMES
            attention += line.outcome in ATTENTION_OUTCOMES
        record.line_count = len(parsed.payments)
        record.registered_count = registered
        record.attention_count = attention
        record.total_amount = sum((p.amount for p in parsed.payments), Decimal("0"))
        record.save(update_fields=["line_count", "registered_count", "attention_count", "total_amount"])
        audit_log(
            obj=record,
            action="polyfon.billing.payment_import.imported",
            actor=actor,
            payload={"file": record.original_name, "format": fmt, "payments": record.line_count,
                     "registered": registered, "to_follow_up": attention, "skipped_outgoing": parsed.skipped_outgoing,
                     "sha256": digest},
        )
    record.skipped_outgoing = parsed.skipped_outgoing
    return record


def _import_line(record: PaymentImport, parsed: imports.ParsedPayment, *, source: str, actor) -> PaymentImportLine:
    line = PaymentImportLine(
        payment_import=record,
        line_number=parsed.line_number,
        fingerprint=parsed.fingerprint,
        kid=parsed.kid,
        amount=parsed.amount,
        paid_on=parsed.paid_on,
        reference=parsed.reference,
        text=parsed.text,
    )
    invoice = Invoice.objects.select_for_update().filter(kid=parsed.kid).first() if parsed.kid else None
    line.invoice = invoice
    if PaymentImportLine.objects.filter(fingerprint=parsed.fingerprint).exclude(outcome=LineOutcome.DUPLICATE).exists():
        line.outcome = LineOutcome.DUPLICATE
    elif parsed.is_reversal:
        line.outcome = LineOutcome.REVERSAL
    elif not parsed.kid:
        line.outcome = LineOutcome.NO_KID
    elif invoice is None:
        line.outcome = LineOutcome.UNKNOWN_KID
    else:
        outstanding = invoice.balance
        if parsed.amount == outstanding:
            line.outcome = LineOutcome.PAID
        elif parsed.amount < outstanding:
            line.outcome = LineOutcome.PARTIAL
        else:
            line.outcome = LineOutcome.OVERPAID
    line.save()
    if line.outcome in REGISTERED_OUTCOMES:
        _register(invoice=invoice, amount=parsed.amount, paid_on=parsed.paid_on, source=source, actor=actor,
                  reference=parsed.reference, import_line=line)
    return line


def payment_line_resolve(
    *, line: PaymentImportLine, actor, note: str, invoice: Invoice | None = None
) -> PaymentImportLine:
    """Close an imported payment the coordinator has followed up: book an unmatched payment on
    the right invoice, or record what was done (refunded, a duplicate checked, ...)."""
    if not note.strip():
        raise DomainError(_("Write what was done, for the record."), field="note")
    with transaction.atomic():
        line = PaymentImportLine.objects.select_for_update().select_related("payment_import").get(pk=line.pk)
        if line.resolved:
            raise DomainError(_("This payment is already resolved."))
        if invoice is not None:
            if line.outcome not in (LineOutcome.UNKNOWN_KID, LineOutcome.NO_KID) or hasattr(line, "payment"):
                raise DomainError(_("Only a payment that was not matched can be booked on an invoice."), field="invoice")
            invoice = Invoice.objects.select_for_update().select_related("series").get(pk=invoice.pk)
            source = PaymentSource.OCR if line.payment_import.format == ImportFormat.OCR else PaymentSource.CSV
            _register(invoice=invoice, amount=line.amount, paid_on=line.paid_on, source=source, actor=actor,
                      reference=line.reference, note=note, import_line=line)
            line.invoice = invoice
        line.resolved = True
        line.resolution_note = note.strip()
        line.resolved_by = actor if getattr(actor, "is_authenticated", False) else None
        line.resolved_at = timezone.now()
        line.save(update_fields=["invoice", "resolved", "resolution_note", "resolved_by", "resolved_at"])
        audit_log(
            obj=line.payment_import,
            action="polyfon.billing.payment_import.line_resolved",
            actor=actor,
            payload={"line": line.line_number, "outcome": line.outcome, "amount": line.amount,
                     "invoice": invoice.display_number if invoice else None, "note": note},
        )
    return line
