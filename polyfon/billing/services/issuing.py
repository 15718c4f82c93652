"""Issuing: invoice runs, invoices by hand, credit notes, and the settlement status that
payments and credit notes move. Every document gets its number from a locked series row in
the transaction that creates it, so numbers are gapless; issued documents never change."""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log
from polyfon.core.dates import local_today, year_bounds
from polyfon.core.errors import DomainError
from polyfon.members.models import Organisation, Participant

from .. import lifecycle, money, selectors
from ..models import (
    ZERO,
    CreditNote,
    CreditNoteLine,
    FeeSchedule,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceRun,
    InvoiceStatus,
    NumberSeries,
    VatCategory,
)
from .schedules import take_numbers


@dataclass(frozen=True)
class LineInput:
    """A line for an invoice issued by hand."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    period_start: date | None = None
    period_end: date | None = None


def _supplier_fields(schedule: FeeSchedule) -> dict:
    return {
        "supplier_name": schedule.supplier_name,
        "supplier_org_number": schedule.supplier_org_number,
        "supplier_address": schedule.supplier_address,
        "supplier_postal_code": schedule.supplier_postal_code,
        "supplier_postal_place": schedule.supplier_postal_place,
        "supplier_bank_account": schedule.supplier_bank_account,
        "supplier_vat_number": schedule.supplier_vat_number,
        "supplier_in_business_register": schedule.supplier_in_business_register,
        "supplier_email": schedule.supplier_email,
        "supplier_phone": schedule.supplier_phone,
        "supplier_contact": schedule.supplier_contact,
        "vat_category": schedule.vat_category,
        "vat_rate": schedule.vat_rate if schedule.vat_category == VatCategory.STANDARD else ZERO,
        "vat_exemption_reason": schedule.vat_exemption_reason if schedule.vat_category != VatCategory.STANDARD else "",
    }


def _buyer_fields(organisation: Organisation, *, channel: str, email: str, buyer_reference: str) -> dict:
    if organisation.invoice_address:
        address = (organisation.invoice_address, organisation.invoice_postal_code, organisation.invoice_postal_place)
    else:
        address = (organisation.postal_address, organisation.postal_code, organisation.postal_place)
    return {
        "buyer": organisation,
        "buyer_name": organisation.name,
        "buyer_org_number": organisation.org_number,
        "buyer_address": address[0],
        "buyer_postal_code": address[1],
        "buyer_postal_place": address[2],
        "buyer_reference": buyer_reference,
        "buyer_email": email,
        "channel": channel,
    }


def _schedule_or_refuse(year: int) -> FeeSchedule:
    schedule = selectors.schedule_for_year(year)
    if schedule is None:
        raise DomainError(
            _("There is no fee schedule for %(year)s or earlier; register the steering group's decision first.")
            % {"year": year}
        )
    return schedule


def _enqueue_delivery(model_name: str, pks: list[int]) -> None:
    from .. import tasks

    task = tasks.deliver_invoice if model_name == "invoice" else tasks.deliver_credit_note
    transaction.on_commit(lambda: [task.enqueue(pk) for pk in pks])


# --- The annual invoice run --------------------------------------------------------------------------------


def invoice_run_execute(
    *, year: int, actor, issue_date: date | None = None, fingerprint: str | None = None, send: bool = True
) -> InvoiceRun:
    """Issue the year's participation fees as the preview showed them.

    Idempotent: a participant (or, for a sub-group split by shares, each organisation) gets one
    annual-fee invoice per year, however often the year is run and however many runs start at
    once. The schedule row is locked while the run issues, so a second run waits and then finds
    everything issued; the unique annual-fee key makes the database refuse a double anyway.
    """
    issue_date = issue_date or local_today()
    with transaction.atomic():
        schedule = selectors.schedule_for_year(year)
        if schedule is None:
            _schedule_or_refuse(year)
        FeeSchedule.objects.select_for_update().get(pk=schedule.pk)
        plan = selectors.invoice_run_plan(year=year, issue_date=issue_date)
        if fingerprint is not None and fingerprint != plan.fingerprint:
            raise DomainError(
                _("The register or the invoices have changed since the preview. Look through the new preview before issuing.")
            )
        if not plan.invoices:
            raise DomainError(_("There is nothing to invoice for %(year)s.") % {"year": year})
        run = InvoiceRun.objects.create(
            year=year,
            issue_date=issue_date,
            due_date=plan.due_date,
            schedule=plan.schedule,
            plan_fingerprint=plan.fingerprint,
            invoice_count=len(plan.invoices),
            total_amount=plan.total,
            problems=[
                {"participant": n.participant.name, "participant_id": n.participant.pk,
                 "organisation": str(n.organisation or ""), "code": n.code, "reason": str(n.reason)}
                for n in plan.problems
            ],
            executed_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        series, numbers = take_numbers(NumberSeries.INVOICE, len(plan.invoices), issue_date=issue_date)
        supplier = _supplier_fields(plan.schedule)
        start, end = year_bounds(year)
        invoices = []
        for planned, number in zip(plan.invoices, numbers, strict=True):
            invoices.append(
                Invoice(
                    series=series,
                    number=number,
                    kid=money.kid_for(number),
                    year=year,
                    kind=InvoiceKind.ANNUAL_FEE,
                    run=run,
                    schedule=plan.schedule,
                    annual_fee_key=planned.key,
                    participant=planned.participant,
                    fee_category=planned.fee_category,
                    issue_date=issue_date,
                    due_date=plan.due_date,
                    net_amount=planned.net_amount,
                    vat_amount=planned.vat_amount,
                    total_amount=planned.total_amount,
                    issued_by=run.executed_by,
                    **_buyer_fields(
                        planned.organisation,
                        channel=planned.channel,
                        email=planned.email,
                        buyer_reference=planned.buyer_reference,
                    ),
                    **supplier,
                )
            )
        try:
            with transaction.atomic():
                invoices = Invoice.objects.bulk_create(invoices)
        except IntegrityError:
            raise DomainError(_("Another invoice run for %(year)s issued these invoices at the same time.") % {"year": year}) from None
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(
                    invoice=invoice,
                    position=1,
                    description=planned.description,
                    quantity=Decimal("1"),
                    unit_price=planned.net_amount,
                    net_amount=planned.net_amount,
                    period_start=start,
                    period_end=end,
                )
                for invoice, planned in zip(invoices, plan.invoices, strict=True)
            ]
        )
        for invoice in invoices:
            audit_log(
                obj=invoice,
                action="polyfon.billing.invoice.issued",
                actor=actor,
                payload={"number": invoice.display_number, "total": invoice.total_amount, "run": run.pk,
                         "buyer": invoice.buyer_name, "channel": invoice.channel},
            )
        audit_log(
            obj=run,
            action="polyfon.billing.invoice_run.executed",
            actor=actor,
            payload={"year": year, "invoices": len(invoices), "total": plan.total, "not_invoiced": len(plan.problems),
                     "numbers": [numbers[0], numbers[-1]]},
        )
        if send:
            _enqueue_delivery("invoice", [i.pk for i in invoices])
    return run


# --- Invoices by hand --------------------------------------------------------------------------------------------


def invoice_issue(
    *,
    actor,
    buyer: Organisation,
    lines: list[LineInput],
    year: int,
    participant: Participant | None = None,
    issue_date: date | None = None,
    due_date: date | None = None,
    buyer_reference: str | None = None,
    note: str = "",
    corrects: Invoice | None = None,
    send: bool = True,
) -> Invoice:
    """Issue one invoice by hand (an extra service, or the corrected invoice after a credit note)."""
    issue_date = issue_date or local_today()
    if not lines:
        raise DomainError(_("An invoice needs at least one line."))
    prepared = []
    for line in lines:
        if not line.description.strip():
            raise DomainError(_("Every line needs a description."))
        if line.quantity <= 0:
            raise DomainError(_("The quantity of a line must be above 0."))
        if line.unit_price < 0:
            raise DomainError(_("The unit price cannot be negative; credit the amount with a credit note instead."))
        prepared.append((line, money.round_money(line.quantity * line.unit_price)))
    net = sum((amount for _line, amount in prepared), ZERO)
    if net <= 0:
        raise DomainError(_("The invoice total must be above 0."))
    schedule = _schedule_or_refuse(year)
    due_date = due_date or issue_date + timedelta(days=schedule.payment_terms_days)
    if due_date < issue_date:
        raise DomainError(_("The due date cannot be before the invoice date."), field="due_date")
    if participant is not None and not participant.memberships.filter(organisation=buyer).exists():
        raise DomainError(_("%(organisation)s is not part of %(participant)s.") % {"organisation": buyer, "participant": participant},
                          field="buyer")
    channel, email = selectors.delivery_for(buyer, participant)
    if buyer_reference is None:
        reference = selectors.buyer_reference_for(buyer, participant, channel)
    else:
        reference = buyer_reference.strip()
    problem = selectors.organisation_problem(buyer, email, buyer_reference=reference)
    if problem:
        raise DomainError(problem[1])
    with transaction.atomic():
        if corrects is not None:
            corrects = Invoice.objects.select_for_update().get(pk=corrects.pk)
            if corrects.credited_amount <= 0:
                raise DomainError(_("Credit the invoice first; then issue the corrected invoice."))
        series, (number,) = take_numbers(NumberSeries.INVOICE, issue_date=issue_date)
        vat = money.vat_amount(net, schedule.vat_category, schedule.vat_rate)
        invoice = Invoice.objects.create(
            series=series,
            number=number,
            kid=money.kid_for(number),
            year=year,
            kind=InvoiceKind.MANUAL,
            schedule=schedule,
            participant=participant,
            # A corrected annual fee stays in its fee category; other invoices are "other income".
            fee_category=corrects.fee_category if corrects else "",
            corrects=corrects,
            issue_date=issue_date,
            due_date=due_date,
            net_amount=net,
            vat_amount=vat,
            total_amount=net + vat,
            note=note,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            **_buyer_fields(buyer, channel=channel, email=email, buyer_reference=reference),
            **_supplier_fields(schedule),
        )
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(
                    invoice=invoice,
                    position=position,
                    description=line.description.strip(),
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    net_amount=amount,
                    period_start=line.period_start,
                    period_end=line.period_end,
                )
                for position, (line, amount) in enumerate(prepared, start=1)
            ]
        )
        audit_log(
            obj=invoice,
            action="polyfon.billing.invoice.issued",
            actor=actor,
            payload={"number": invoice.display_number, "total": invoice.total_amount, "buyer": invoice.buyer_name,
                     "channel": invoice.channel, "corrects": corrects.display_number if corrects else None},
        )
        if send:
            _enqueue_delivery("invoice", [invoice.pk])
    return invoice


# --- Credit notes --------------------------------------------------------------------------------------------------


def invoice_credit(
    *,
    invoice: Invoice,
    actor,
    reason: str,
    amount: Decimal | None = None,
    issue_date: date | None = None,
    send: bool = True,
) -> CreditNote:
    """Credit all that is not yet credited of `invoice` (amount None), or `amount` excl. VAT.

    The credit note copies the invoice's buyer, supplier and VAT treatment; the invoice itself
    does not change except for what is credited and its status."""
    issue_date = issue_date or local_today()
    if not reason.strip():
        raise DomainError(_("Give the reason for the credit note."), field="reason")
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("series").get(pk=invoice.pk)
        _refresh_status(invoice, today=issue_date)
        if not lifecycle.ACTIONS.allows(invoice.status, "credit"):
            raise DomainError(_("The invoice is already credited in full."))
        already = list(invoice.credit_notes.values_list("net_amount", "vat_amount"))
        credited_net = sum((n for n, _v in already), ZERO)
        credited_vat = sum((v for _n, v in already), ZERO)
        creditable = invoice.net_amount - credited_net
        if amount is None or amount == creditable:
            net, vat = creditable, invoice.vat_amount - credited_vat
        else:
            amount = money.round_money(amount)
            if amount <= 0:
                raise DomainError(_("The amount to credit must be above 0."), field="amount")
            if amount > creditable:
                raise DomainError(
                    _("At most %(amount)s excl. VAT is left to credit on this invoice.") % {"amount": creditable},
                    field="amount",
                )
            net, vat = amount, money.vat_amount(amount, invoice.vat_category, invoice.vat_rate)
        series, (number,) = take_numbers(NumberSeries.CREDIT_NOTE, issue_date=issue_date)
        copied = {f: getattr(invoice, f) for f in _COPIED_FIELDS}
        credit_note = CreditNote.objects.create(
            series=series,
            number=number,
            invoice=invoice,
            reason=reason.strip(),
            issue_date=issue_date,
            net_amount=net,
            vat_amount=vat,
            total_amount=net + vat,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            **copied,
        )
        whole = not already and net == invoice.net_amount
        if whole:
            lines = [
                CreditNoteLine(
                    credit_note=credit_note, position=line.position, description=line.description, quantity=line.quantity,
                    unit_price=line.unit_price, net_amount=line.net_amount, period_start=line.period_start,
                    period_end=line.period_end,
                )
                for line in invoice.lines.all()
            ]
        else:
            first = invoice.lines.first()
            lines = [
                CreditNoteLine(
                    credit_note=credit_note, position=1,
                    description=_credit_line_text(invoice, reason),
                    quantity=Decimal("1"), unit_price=net, net_amount=net,
                    period_start=first.period_start if first else None, period_end=first.period_end if first else None,
                )
            ]
        CreditNoteLine.objects.bulk_create(lines)
        invoice.credited_amount += credit_note.total_amount
        before, after = _refresh_status(invoice, today=issue_date)
        invoice.save(update_fields=["credited_amount", "status"])
        audit_log(
            obj=invoice,
            action="polyfon.billing.invoice.credited",
            actor=actor,
            payload={"credit_note": credit_note.display_number, "amount": credit_note.total_amount, "note": reason,
                     "status": [before, after]},
        )
        audit_log(
            obj=credit_note,
            action="polyfon.billing.credit_note.issued",
            actor=actor,
            payload={"number": credit_note.display_number, "invoice": invoice.display_number,
                     "total": credit_note.total_amount, "note": reason},
        )
        if send:
            _enqueue_delivery("credit_note", [credit_note.pk])
    return credit_note


_COPIED_FIELDS = [
    "year", "participant", "buyer", "fee_category", "buyer_name", "buyer_org_number", "buyer_address",
    "buyer_postal_code", "buyer_postal_place", "buyer_reference", "buyer_email", "channel", "supplier_name",
    "supplier_org_number", "supplier_address", "supplier_postal_code", "supplier_postal_place", "supplier_bank_account",
    "supplier_vat_number", "supplier_in_business_register", "supplier_email", "supplier_phone", "supplier_contact",
    "currency", "vat_category", "vat_rate", "vat_exemption_reason",
]


def _credit_line_text(invoice: Invoice, reason: str) -> str:
    from django.utils import translation

    with translation.override("nb"):
        return _("Credit of invoice %(number)s: %(reason)s") % {"number": invoice.display_number, "reason": reason.strip()}


# --- Settlement ------------------------------------------------------------------------------------------------------


def _refresh_status(invoice: Invoice, *, today: date | None = None) -> tuple[str, str]:
    """Move the invoice to the status its money and due date give, as the life cycle allows.
    Returns (before, after); the caller saves `status` with the change that caused it."""
    before = invoice.status
    after = lifecycle.status_for(invoice, today or local_today())
    if not lifecycle.can_move(before, after):
        raise DomainError(
            _("The invoice cannot go from “%(before)s” to “%(after)s”.")
            % {"before": InvoiceStatus(before).label, "after": InvoiceStatus(after).label}
        )
    invoice.status = after
    return before, after


def invoices_mark_overdue(*, today: date | None = None) -> int:
    """Invoices whose due date has passed with money outstanding become overdue (daily job)."""
    today = today or local_today()
    count = 0
    for pk in selectors.overdue_invoices(today).exclude(status=InvoiceStatus.OVERDUE).values_list("pk", flat=True):
        with transaction.atomic():
            invoice = Invoice.objects.select_for_update().get(pk=pk)
            before, after = _refresh_status(invoice, today=today)
            if before != after:
                invoice.save(update_fields=["status"])
                audit_log(obj=invoice, action="polyfon.billing.invoice.overdue", actor=None,
                          payload={"due_date": invoice.due_date, "status": [before, after]})
                count += 1
    return count


# --- The PDF, rendered once and kept -----------------------------------------------------------------------------------


class TamperedDocumentError(Exception):
    """The stored PDF is not the one that was rendered when the document was issued."""


def document_pdf(document: Invoice | CreditNote) -> bytes:
    """The document's PDF: rendered and stored the first time, then always the same file
    (checked against its SHA-256, so a changed file is noticed rather than sent)."""
    from ..pdf import render_pdf

    model = type(document)
    document = model.objects.select_related("series").get(pk=document.pk)
    if document.pdf:
        return _read_checked(document)
    content = render_pdf(document)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=document.pk)
        if locked.pdf:  # rendered by someone else meanwhile: theirs is the one
            return _read_checked(locked)
        locked.pdf.save(f"{document.display_number}.pdf", ContentFile(content), save=False)
        locked.pdf_sha256 = hashlib.sha256(content).hexdigest()
        locked.save(update_fields=["pdf", "pdf_sha256"])
    return content


def _read_checked(document) -> bytes:
    with document.pdf.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != document.pdf_sha256:
        raise TamperedDocumentError(f"The stored PDF of {document} does not match its checksum.")
    return content


def pdf_filename(document: Invoice | CreditNote) -> str:
    kind = "faktura" if isinstance(document, Invoice) else "kreditnota"
    return f"{kind}-{document.display_number}.pdf"
