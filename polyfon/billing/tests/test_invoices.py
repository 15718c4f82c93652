"""Invoices by hand, gapless numbers, KIDs, immutability, credit notes and corrections, the
status life cycle, and the PDF rendered once."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from polyfon.billing import lifecycle, money, services
from polyfon.billing.models import (
    CreditNote,
    DeliveryChannel,
    ImmutableDocumentError,
    Invoice,
    InvoiceStatus,
    NumberSeries,
)
from polyfon.billing.pdf import render_html
from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.members.tests.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


# --- Issuing by hand ----------------------------------------------------------------------------------------------


def test_an_invoice_by_hand_gets_the_next_number_a_kid_and_totals(issue, schedule, coordinator):
    invoice = issue(amount="1500", lines=[services.LineInput("Fagdag", Decimal("12"), Decimal("1500"))])
    assert invoice.number == 1 and invoice.display_number == "1"
    assert invoice.kid == "0000000018" and money.is_valid_kid(invoice.kid)
    assert (invoice.net_amount, invoice.vat_amount, invoice.total_amount) == (Decimal("18000.00"), Decimal("0"),
                                                                               Decimal("18000.00"))
    assert invoice.due_date == date(2026, 3, 31)  # 30 days of payment terms
    assert invoice.status == InvoiceStatus.OPEN and invoice.issued_by == coordinator
    assert AuditEntry.objects.filter(action="polyfon.billing.invoice.issued", object_id=str(invoice.pk)).exists()


def test_a_later_number_never_has_an_earlier_date(issue, coordinator):
    first = issue(issue_date=date(2026, 3, 10))
    with pytest.raises(DomainError, match="10.03.2026") as error:
        issue(issue_date=date(2026, 3, 9))
    assert error.value.field == "issue_date"
    assert issue(issue_date=date(2026, 3, 10)).number == first.number + 1  # the same day is fine
    services.invoice_credit(invoice=first, actor=coordinator, reason="Feil", send=False, issue_date=date(2026, 3, 12))
    with pytest.raises(DomainError):
        services.invoice_credit(invoice=first.__class__.objects.get(number=first.number + 1), actor=coordinator,
                                reason="Feil", send=False, issue_date=date(2026, 3, 11))


def test_invoice_lines_are_rounded_to_ore(issue):
    invoice = issue(lines=[services.LineInput("Kopier", Decimal("3"), Decimal("10.555"))])
    assert invoice.net_amount == Decimal("31.67")


def test_an_invoice_needs_lines_and_a_positive_total(issue):
    with pytest.raises(DomainError):
        issue(lines=[services.LineInput("Gratis", Decimal("1"), Decimal("0"))])
    with pytest.raises(DomainError):
        issue(lines=[services.LineInput("", Decimal("1"), Decimal("10"))])


def test_the_buyer_must_belong_to_the_participant(issue):
    with pytest.raises(DomainError) as error:
        issue(buyer=OrganisationFactory())
    assert error.value.field == "buyer"


def test_an_ehf_buyer_needs_a_buyer_reference(issue):
    member = MemberFactory(organisation=OrganisationFactory(receives_ehf=True, buyer_reference=""))
    with pytest.raises(DomainError):
        issue(member)
    invoice = issue(member, buyer_reference="PROSJEKT-77")
    assert invoice.buyer_reference == "PROSJEKT-77" and invoice.channel == DeliveryChannel.EHF


def test_an_email_buyer_is_invoiced_at_its_invoice_address(issue, email_buyer):
    member = MemberFactory(organisation=email_buyer)
    invoice = issue(member)
    assert (invoice.channel, invoice.buyer_email) == (DeliveryChannel.EMAIL, "faktura@kommune.example.no")
    # Without a registered reference, the main contact is "Deres ref.", so the EHF copy is valid too.
    from polyfon.billing import ehf
    from polyfon.members.models import ContactRole

    assert invoice.buyer_reference == member.contacts.get(role=ContactRole.MAIN).person.name
    assert ehf.document_xml(invoice).startswith(b"<?xml")


def test_the_buyer_is_copied_as_it_was(issue):
    member = MemberFactory()
    organisation = member.organisations.get()
    organisation.invoice_address, organisation.invoice_postal_code, organisation.invoice_postal_place = (
        "Fakturamottak, Postboks 55", "5804", "Bergen")
    organisation.save()
    invoice = issue(member)
    organisation.name = "Nytt navn"
    organisation.save()
    invoice.refresh_from_db()
    assert invoice.buyer_name == member.name
    assert invoice.buyer_address_lines == ["Fakturamottak, Postboks 55", "5804 Bergen"]


def test_no_schedule_no_invoice(issue):
    with pytest.raises(DomainError):
        issue(year=2020)  # the schedule starts in 2021


# --- Numbers and immutability ---------------------------------------------------------------------------------------


def test_numbers_are_gapless_when_an_issue_fails_or_rolls_back(issue):
    assert issue().number == 1
    with pytest.raises(DomainError):
        issue(buyer=OrganisationFactory())  # refused before a number is taken
    with pytest.raises(RuntimeError), transaction.atomic():
        issue()
        raise RuntimeError("rollback")
    assert issue().number == 2
    assert NumberSeries.objects.get(key=NumberSeries.INVOICE).next_number == 3


def test_credit_notes_have_their_own_series(issue, coordinator):
    invoice = issue()
    credit_note = services.invoice_credit(invoice=invoice, actor=coordinator, reason="Avlyst", send=False)
    assert credit_note.display_number == "K1"
    assert issue().number == 2


def test_kid_is_mod10_and_unique():
    assert money.kid_for(1) == "0000000018"
    assert money.is_valid_kid(money.kid_for(123456))
    assert not money.is_valid_kid("0000000019")
    assert len({money.kid_for(n) for n in range(1, 2000)}) == 1999


def test_an_issued_invoice_never_changes(issue):
    invoice = issue()
    invoice.total_amount = Decimal("1")
    with pytest.raises(ImmutableDocumentError):
        invoice.save()
    with pytest.raises(ImmutableDocumentError):
        invoice.save(update_fields=["buyer_name"])
    line = invoice.lines.get()
    line.unit_price = Decimal("1")
    with pytest.raises(ImmutableDocumentError):
        line.save()
    invoice.refresh_from_db()
    invoice.save(update_fields=["status"])  # the settlement may move


def test_settlement_leaves_what_the_invoice_says_untouched(issue, coordinator):
    invoice = issue(amount="10000")
    fields = [f.name for f in Invoice._meta.concrete_fields if f.name not in Invoice.MUTABLE_FIELDS]
    before = {name: getattr(invoice, name) for name in fields}
    services.payment_register(invoice=invoice, amount=Decimal("4000"), paid_on=date(2026, 3, 5), actor=coordinator)
    services.invoice_credit(invoice=invoice, actor=coordinator, reason="Rabatt", amount=Decimal("1000"), send=False)
    services.document_pdf(invoice)
    invoice.refresh_from_db()
    assert {name: getattr(invoice, name) for name in fields} == before


# --- Credit notes and corrections ---------------------------------------------------------------------------------


def test_crediting_the_whole_invoice_copies_its_lines(issue, coordinator):
    invoice = issue(lines=[services.LineInput("A", Decimal("1"), Decimal("100")),
                           services.LineInput("B", Decimal("2"), Decimal("50"))])
    credit_note = services.invoice_credit(invoice=invoice, actor=coordinator, reason="Feil mottaker", send=False)
    assert [(line.description, line.net_amount) for line in credit_note.lines.all()] == [
        ("A", Decimal("100.00")), ("B", Decimal("100.00"))]
    assert credit_note.total_amount == invoice.total_amount and credit_note.invoice == invoice
    assert credit_note.buyer_name == invoice.buyer_name and credit_note.year == invoice.year
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CREDITED and invoice.credited_amount == invoice.total_amount
    assert AuditEntry.objects.filter(action="polyfon.billing.credit_note.issued").exists()


def test_partial_credit_then_the_rest(issue, coordinator):
    from .factories import standard_vat

    standard_vat(year=2025)
    invoice = issue(amount="1000", year=2025)  # 1 000 + 25 % VAT
    first = services.invoice_credit(invoice=invoice, actor=coordinator, reason="Rabatt", amount=Decimal("333.33"),
                                    send=False)
    assert (first.net_amount, first.vat_amount) == (Decimal("333.33"), Decimal("83.33"))
    with pytest.raises(DomainError):
        services.invoice_credit(invoice=invoice, actor=coordinator, reason="For mye", amount=Decimal("700"), send=False)
    rest = services.invoice_credit(invoice=invoice, actor=coordinator, reason="Resten", send=False)
    assert (rest.net_amount, rest.vat_amount) == (Decimal("666.67"), Decimal("166.67"))
    invoice.refresh_from_db()
    assert invoice.credited_amount == invoice.total_amount == Decimal("1250.00")
    with pytest.raises(DomainError):
        services.invoice_credit(invoice=invoice, actor=coordinator, reason="Igjen", send=False)


def test_a_credit_note_needs_a_reason(issue, coordinator):
    with pytest.raises(DomainError):
        services.invoice_credit(invoice=issue(), actor=coordinator, reason=" ", send=False)


def test_a_correction_references_the_credited_invoice(issue, coordinator):
    invoice = issue()
    with pytest.raises(DomainError):
        issue(invoice.participant, corrects=invoice)  # credit it first
    services.invoice_credit(invoice=invoice, actor=coordinator, reason="Feil beløp", send=False)
    correction = issue(invoice.participant, amount="900", corrects=invoice)
    assert correction.corrects == invoice and list(invoice.corrections.all()) == [correction]


# --- The life cycle ---------------------------------------------------------------------------------------------------


class Money:
    def __init__(self, total, paid=0, credited=0, due=date(2026, 3, 31)):
        self.total_amount, self.paid_amount, self.credited_amount = Decimal(total), Decimal(paid), Decimal(credited)
        self.due_date = due

    @property
    def balance(self):
        return self.total_amount - self.credited_amount - self.paid_amount


@pytest.mark.parametrize(
    "money_state,today,status",
    [
        (Money(100), date(2026, 3, 1), InvoiceStatus.OPEN),
        (Money(100, paid=40), date(2026, 3, 1), InvoiceStatus.PARTLY_PAID),
        (Money(100, paid=100), date(2026, 3, 1), InvoiceStatus.PAID),
        (Money(100, paid=130), date(2026, 3, 1), InvoiceStatus.PAID),
        (Money(100), date(2026, 4, 1), InvoiceStatus.OVERDUE),
        (Money(100, paid=40), date(2026, 4, 1), InvoiceStatus.OVERDUE),
        (Money(100, credited=100), date(2026, 4, 1), InvoiceStatus.CREDITED),
        (Money(100, paid=60, credited=40), date(2026, 4, 1), InvoiceStatus.PAID),
        (Money(100, credited=30), date(2026, 3, 1), InvoiceStatus.OPEN),
    ],
)
def test_status_follows_the_money_and_the_calendar(money_state, today, status):
    assert lifecycle.status_for(money_state, today) == status


def test_the_life_cycle_table_refuses_impossible_moves():
    assert lifecycle.can_move(InvoiceStatus.OPEN, InvoiceStatus.PAID)
    assert lifecycle.can_move(InvoiceStatus.PAID, InvoiceStatus.OVERDUE)  # a payment reversed after the due date
    assert not lifecycle.can_move(InvoiceStatus.OVERDUE, InvoiceStatus.OPEN)
    assert not lifecycle.can_move(InvoiceStatus.CREDITED, InvoiceStatus.PAID)
    assert [a.name for a in lifecycle.ACTIONS.moves_from(InvoiceStatus.CREDITED)] == ["register_payment", "send"]
    assert lifecycle.ACTIONS.allows(InvoiceStatus.OVERDUE, "remind") and not lifecycle.ACTIONS.allows(InvoiceStatus.OPEN, "remind")


def test_a_credited_invoice_stays_credited_when_money_comes_in(issue, coordinator):
    invoice = issue()
    services.invoice_credit(invoice=invoice, actor=coordinator, reason="Avlyst", send=False)
    services.payment_register(invoice=invoice, amount=Decimal("1000"), paid_on=date(2026, 3, 5), actor=coordinator)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CREDITED and invoice.overpaid == Decimal("1000")


def test_the_nightly_job_marks_overdue_invoices(issue, travel_to):
    invoice = issue(issue_date=date(2026, 3, 1))
    paid = issue(issue_date=date(2026, 3, 1))
    services.payment_register(invoice=paid, amount=paid.total_amount, paid_on=date(2026, 3, 2), actor=None)
    assert services.invoices_mark_overdue(today=date(2026, 3, 31)) == 0
    assert services.invoices_mark_overdue(today=date(2026, 4, 1)) == 1
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OVERDUE
    assert AuditEntry.objects.filter(action="polyfon.billing.invoice.overdue").count() == 1
    assert services.invoices_mark_overdue(today=date(2026, 4, 2)) == 0


# --- The PDF ------------------------------------------------------------------------------------------------------------


def test_the_pdf_is_rendered_once_and_kept(issue):
    invoice = issue()
    first = services.document_pdf(invoice)
    assert first.startswith(b"%PDF-")
    invoice.refresh_from_db()
    assert invoice.pdf.name.endswith(".pdf") and len(invoice.pdf_sha256) == 64
    assert re.fullmatch(r"billing/invoice/2026/[0-9a-f]{32}\.pdf", invoice.pdf.name)  # no number or name in the path
    assert services.document_pdf(invoice) == first


def test_a_changed_pdf_file_is_noticed(issue):
    invoice = issue()
    services.document_pdf(invoice)
    invoice.refresh_from_db()
    with open(invoice.pdf.path, "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(services.TamperedDocumentError):
        services.document_pdf(invoice)


def test_the_pdf_holds_what_the_buyer_needs_to_pay(issue):
    invoice = issue(amount="150000", note="Gjelder 2026")
    html = render_html(invoice, language="en")
    for text in ["Invoice", invoice.kid, "5205 12 34561", "150,000.00", invoice.buyer_name, "REF-1", "31.03.2026",
                 "Gjelder 2026", "NO5352051234561"]:
        assert text in html, text


def test_the_credit_note_pdf_says_what_it_credits(issue, coordinator):
    invoice = issue()
    credit_note = services.invoice_credit(invoice=invoice, actor=coordinator, reason="Avlyst fagdag", send=False)
    html = render_html(credit_note, language="en")
    assert "Credit note" in html and "Avlyst fagdag" in html and f"Credits invoice {invoice.display_number}" in html
    assert services.document_pdf(credit_note).startswith(b"%PDF-")
    assert CreditNote.objects.get().pdf_sha256


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF's streams decompressed, to look inside its (compressed) objects."""
    import zlib

    parts = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        try:
            parts.append(zlib.decompress(pdf[match.end():end]))
        except zlib.error:
            parts.append(pdf[match.end():end])
    return pdf + b"".join(parts)


def test_the_pdf_is_pdf_a_for_the_archive_and_tagged_for_screen_readers(issue):
    content = _pdf_objects(services.document_pdf(issue()))
    assert b'pdfaid:part="3"' in content and b'pdfaid:conformance="U"' in content
    assert b"/StructTreeRoot" in content and b"/Lang" in content
