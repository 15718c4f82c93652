"""Payments by hand and from files: Nets OCR giro (test files built with netsgiro) and CSV bank
statements, matched on KID; partial, over, unknown, duplicate; nothing registered twice."""

import datetime
from datetime import date
from decimal import Decimal

import netsgiro
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from polyfon.billing import imports, services
from polyfon.billing.models import (
    ImportFormat,
    InvoiceStatus,
    LineOutcome,
    Payment,
    PaymentImport,
    PaymentImportLine,
    PaymentSource,
)
from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry

from .factories import BANK_ACCOUNT

pytestmark = pytest.mark.django_db
PAID = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _on_the_payment_day(travel_to):
    """The invoices (issued 1 March, due 31 March) are not yet due when the money comes in."""
    travel_to(PAID)


def ocr_file(payments, *, account=BANK_ACCOUNT, number=1, reversal_at=None) -> bytes:
    """A Nets OCR giro file with (kid, amount) payments, made with netsgiro as Nets would."""
    transmission = netsgiro.Transmission(number=f"{number:07d}", data_transmitter="00008080", data_recipient="00012345",
                                         date=PAID)
    assignment = transmission.add_assignment(
        service_code=netsgiro.ServiceCode.OCR_GIRO, assignment_type=netsgiro.AssignmentType.TRANSACTIONS,
        agreement_id="001234567", number=f"{number:07d}", account=account, date=PAID,
    )
    for index, (kid, amount) in enumerate(payments, start=1):
        kind = (netsgiro.TransactionType.REVERSING_WITH_KID if index == reversal_at
                else netsgiro.TransactionType.FROM_GIRO_DEBITED_ACCOUNT)
        assignment.transactions.append(netsgiro.Transaction(
            service_code=netsgiro.ServiceCode.OCR_GIRO, type=kind, number=index, date=PAID, amount=Decimal(amount),
            kid=kid, reference=f"{number:04d}{index:05d}", text=None, centre_id="13", day_code=10,
            partial_settlement_number=1, partial_settlement_serial_number="01464", sign="0", form_number="9636827194",
            bank_date=PAID, debit_account="99990512341", filler="0000000",
        ))
    return transmission.to_ocr().encode("ascii")


def upload(content: bytes, name="OCR.D100326.txt", fmt=ImportFormat.OCR, actor=None):
    return services.payment_import(uploaded=SimpleUploadedFile(name, content), fmt=fmt, actor=actor)


def outcomes(record):
    return [line.outcome for line in record.lines.order_by("line_number")]


# --- By hand ----------------------------------------------------------------------------------------------------------


def test_a_full_payment_settles_the_invoice(issue, coordinator):
    invoice = issue(amount="1000")
    services.payment_register(invoice=invoice, amount=Decimal("1000"), paid_on=PAID, actor=coordinator, reference="123")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_amount, invoice.outstanding) == (InvoiceStatus.PAID, Decimal("1000"), Decimal("0"))
    entry = AuditEntry.objects.get(action="polyfon.billing.invoice.payment_registered")
    assert entry.payload["status"] == ["open", "paid"] and entry.actor == coordinator


def test_a_part_payment_leaves_the_rest_outstanding(issue, coordinator):
    invoice = issue(amount="1000")
    services.payment_register(invoice=invoice, amount=Decimal("400"), paid_on=PAID, actor=coordinator)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PARTLY_PAID and invoice.outstanding == Decimal("600")


def test_a_refund_needs_a_reason_and_cannot_exceed_what_was_paid(issue, coordinator):
    invoice = issue(amount="1000")
    services.payment_register(invoice=invoice, amount=Decimal("1200"), paid_on=PAID, actor=coordinator)
    invoice.refresh_from_db()
    assert invoice.overpaid == Decimal("200")
    with pytest.raises(DomainError):
        services.payment_register(invoice=invoice, amount=Decimal("-200"), paid_on=PAID, actor=coordinator)
    with pytest.raises(DomainError):
        services.payment_register(invoice=invoice, amount=Decimal("-1300"), paid_on=PAID, actor=coordinator, note="x")
    services.payment_register(invoice=invoice, amount=Decimal("-200"), paid_on=PAID, actor=coordinator,
                              note="Tilbakebetalt")
    invoice.refresh_from_db()
    assert invoice.balance == 0 and invoice.status == InvoiceStatus.PAID


def test_a_zero_payment_is_refused(issue, coordinator):
    with pytest.raises(DomainError):
        services.payment_register(invoice=issue(), amount=Decimal("0"), paid_on=PAID, actor=coordinator)


# --- Nets OCR giro ---------------------------------------------------------------------------------------------------


def test_an_ocr_file_is_matched_on_kid(issue, coordinator):
    exact, part, over = issue(amount="1000"), issue(amount="1000"), issue(amount="1000")
    record = upload(ocr_file([(exact.kid, "1000"), (part.kid, "250"), (over.kid, "1500"), ("0000009991", "75")]),
                    actor=coordinator)
    assert outcomes(record) == [LineOutcome.PAID, LineOutcome.PARTIAL, LineOutcome.OVERPAID, LineOutcome.UNKNOWN_KID]
    assert (record.line_count, record.registered_count, record.attention_count) == (4, 3, 3)
    assert record.total_amount == Decimal("2825.00")
    for invoice, status in [(exact, InvoiceStatus.PAID), (part, InvoiceStatus.PARTLY_PAID), (over, InvoiceStatus.PAID)]:
        invoice.refresh_from_db()
        assert invoice.status == status
    payment = exact.payments.get()
    assert (payment.source, payment.paid_on, payment.reference) == (PaymentSource.OCR, PAID, "000100001")
    unknown = record.lines.get(outcome=LineOutcome.UNKNOWN_KID)
    assert unknown.needs_attention and not hasattr(unknown, "payment")  # listed, never dropped


def test_the_same_file_twice_registers_nothing_twice(issue):
    invoice = issue(amount="1000")
    content = ocr_file([(invoice.kid, "1000")])
    upload(content)
    with pytest.raises(DomainError):
        upload(content, name="kopi.txt")
    assert Payment.objects.count() == 1 and PaymentImport.objects.count() == 1


def test_a_payment_in_two_files_is_registered_once(issue):
    invoice = issue(amount="1000")
    other = issue(amount="500")
    upload(ocr_file([(invoice.kid, "1000")]))
    # Nets sends the transaction again in a corrected file with one more payment.
    record = upload(ocr_file([(invoice.kid, "1000"), (other.kid, "500")]) + b"\n")
    assert outcomes(record) == [LineOutcome.DUPLICATE, LineOutcome.PAID]
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("1000")


def test_reversals_are_listed_not_applied(issue):
    invoice = issue(amount="1000")
    record = upload(ocr_file([(invoice.kid, "1000"), (invoice.kid, "1000")], reversal_at=2))
    assert outcomes(record) == [LineOutcome.PAID, LineOutcome.REVERSAL]
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("1000")


def test_an_ocr_file_for_another_account_is_refused(issue, schedule):
    with pytest.raises(DomainError):
        upload(ocr_file([(issue().kid, "1000")], account="12345678903"))
    assert not PaymentImport.objects.exists()


def test_a_broken_ocr_file_is_refused_with_the_reason(schedule):
    with pytest.raises(DomainError) as error:
        upload(b"NY000010 this is not a Nets file\n")
    assert "OCR" in str(error.value)


# --- CSV bank statements ------------------------------------------------------------------------------------------------

STATEMENT = """Dato;Forklaring;KID;Arkivref;Inn på konto;Ut fra konto
10.03.2026;Bergen kommune;{kid};8123456;1 000,00;
11.03.2026;Husleie;;8123457;;12 500,00
12.03.2026;Innbetaling KID: {kid2} fra Askøy;;8123458;250,50;
"""


def test_a_bank_statement_is_matched_on_kid(issue, coordinator):
    first, second = issue(amount="1000"), issue(amount="1000")
    record = upload(STATEMENT.format(kid=first.kid, kid2=second.kid).encode(), name="konto.csv", fmt=ImportFormat.CSV)
    assert outcomes(record) == [LineOutcome.PAID, LineOutcome.PARTIAL]  # the outgoing rent is skipped
    line = record.lines.get(outcome=LineOutcome.PARTIAL)
    assert (line.kid, line.amount, line.paid_on, line.reference) == (second.kid, Decimal("250.50"), date(2026, 3, 12),
                                                                     "8123458")
    assert AuditEntry.objects.get(action="polyfon.billing.payment_import.imported").payload["skipped_outgoing"] == 1


def test_overlapping_bank_statements_register_each_payment_once(issue):
    invoice = issue(amount="1000")
    upload(STATEMENT.format(kid=invoice.kid, kid2="0000009991").encode(), name="mars.csv", fmt=ImportFormat.CSV)
    overlapping = STATEMENT.format(kid=invoice.kid, kid2="0000009991") + "20.03.2026;Ny;;8123499;5,00;\n"
    record = upload(overlapping.encode(), name="mars-april.csv", fmt=ImportFormat.CSV)
    assert outcomes(record) == [LineOutcome.DUPLICATE, LineOutcome.DUPLICATE, LineOutcome.NO_KID]
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("1000")


def test_identical_lines_without_a_bank_reference_are_two_payments(issue):
    invoice = issue(amount="1000")
    content = f"Dato;KID;Beløp\n10.03.2026;{invoice.kid};500,00\n10.03.2026;{invoice.kid};500,00\n".encode()
    record = upload(content, name="konto.csv", fmt=ImportFormat.CSV)
    assert outcomes(record) == [LineOutcome.PARTIAL, LineOutcome.PAID]


def test_windows_1252_and_english_headers_are_read(issue):
    invoice = issue(amount="1000")
    content = f"Date,Description,KID,Amount\n2026-03-10,Bømlo kommune,{invoice.kid},1000.00\n".encode("cp1252")
    record = upload(content, name="statement.csv", fmt=ImportFormat.CSV)
    assert outcomes(record) == [LineOutcome.PAID]
    assert record.lines.get().text == "Bømlo kommune"


def test_a_statement_without_the_needed_columns_is_refused(schedule):
    with pytest.raises(DomainError) as error:
        upload(b"Tekst;Noe\nx;y\n", name="feil.csv", fmt=ImportFormat.CSV)
    assert "Dato" in str(error.value)


def test_an_unreadable_line_is_named(schedule):
    with pytest.raises(DomainError) as error:
        upload(b"Dato;Inn\n10.03.2026;tusen\n", name="feil.csv", fmt=ImportFormat.CSV)
    assert "2" in str(error.value) and "tusen" in str(error.value)


@pytest.mark.parametrize(
    "text,value",
    [("150 000,00", "150000.00"), ("150.000,00", "150000.00"), ("1\xa0234,5", "1234.50"), ("150000.00", "150000.00"),
     ("-12 500,00", "-12500.00"), ("1.234.567", "1234567.00"), ("kr 99,90", "99.90"), ("", None)],
)
def test_norwegian_amounts_are_read(text, value):
    assert imports.parse_amount(text) == (Decimal(value) if value else None)


# --- Following up ----------------------------------------------------------------------------------------------------------


def test_an_unknown_kid_is_booked_on_the_right_invoice(issue, coordinator):
    invoice = issue(amount="1000")
    record = upload(ocr_file([("0000009991", "1000")]))
    line = record.lines.get()
    with pytest.raises(DomainError):
        services.payment_line_resolve(line=line, actor=coordinator, note=" ", invoice=invoice)
    services.payment_line_resolve(line=line, actor=coordinator, note="Feil KID, rett faktura", invoice=invoice)
    line.refresh_from_db()
    invoice.refresh_from_db()
    assert line.resolved and line.resolved_by == coordinator and line.payment.invoice == invoice
    assert invoice.status == InvoiceStatus.PAID and invoice.payments.get().source == PaymentSource.OCR
    with pytest.raises(DomainError):
        services.payment_line_resolve(line=line, actor=coordinator, note="igjen")


def test_a_matched_payment_is_not_booked_again_when_followed_up(issue, coordinator):
    invoice = issue(amount="1000")
    record = upload(ocr_file([(invoice.kid, "1500")]))
    line = record.lines.get()
    with pytest.raises(DomainError):
        services.payment_line_resolve(line=line, actor=coordinator, note="x", invoice=issue())
    services.payment_line_resolve(line=line, actor=coordinator, note="500 kr betalt tilbake 20.03.")
    assert PaymentImportLine.objects.get().resolved and Payment.objects.count() == 1


def test_nothing_to_follow_up_when_all_is_resolved(issue, coordinator):
    from polyfon.billing import selectors

    upload(ocr_file([("0000009991", "10")]))
    assert selectors.open_import_lines().count() == 1
    services.payment_line_resolve(line=PaymentImportLine.objects.get(), actor=coordinator, note="Returnert til betaler")
    assert selectors.open_import_lines().count() == 0


def test_the_file_is_kept_as_it_came(issue):
    content = ocr_file([(issue().kid, "1000")])
    record = upload(content)
    with record.file.open("rb") as handle:
        assert handle.read() == content
    assert "OCR" not in record.file.name  # no original name (or personal data) in the stored path
    assert record.original_name == "OCR.D100326.txt"


def test_dates_are_nets_processing_dates():
    parsed = imports.parse_ocr(ocr_file([("0000000018", "10")]))
    assert parsed.payments[0].paid_on == PAID and parsed.accounts == {BANK_ACCOUNT}
    assert isinstance(parsed.payments[0].paid_on, datetime.date)
