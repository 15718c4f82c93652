"""Demo money side: the fee schedules of the seed letters, an invoice run for every year since
2019, payments imported from Nets OCR files and a bank statement, a credit note with its
corrected invoice, an invoice by hand, and an overdue invoice that got a reminder. Built
through the services so timelines and logs read like real use."""

import datetime
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from polyfon.core.dates import local_today
from polyfon.core.errors import DomainError
from polyfon.members.models import FeeCategory

from . import services
from .models import ImportFormat, Invoice, InvoiceStatus, VatCategory

BANK_ACCOUNT = "52051234561"  # a valid Norwegian account number (MOD11), made up for the demo
OCR_AGREEMENT = "001234567"


def _schedules(coordinator, uib):
    supplier = {
        "supplier_name": uib.name,
        "supplier_org_number": uib.org_number,
        "supplier_address": uib.postal_address,
        "supplier_postal_code": uib.postal_code,
        "supplier_postal_place": uib.postal_place,
        "supplier_bank_account": BANK_ACCOUNT,
        "supplier_vat_registered": True,
        "supplier_in_business_register": False,
        "supplier_email": "polyfon@uib.no",
        "supplier_phone": "+4797169746",
        "supplier_contact": "Kari Koordinator",
        "vat_category": VatCategory.NOT_SUBJECT,
        "vat_rate": Decimal("0"),
        "vat_exemption_reason": "Deltakeravgift til kunnskapsklynge, utenfor merverdiavgiftsloven",
        "payment_terms_days": 30,
        "return_share": Decimal("50"),
        "invoice_text": "Deltakeravgift POLYFON",
    }
    # The 2018 letter: 150 000 kr per participant, 200 000 kr for the largest and for groups.
    letter_2018 = {FeeCategory.ORDINARY: Decimal("150000"), FeeCategory.LARGE: Decimal("200000"),
                   FeeCategory.GROUP: Decimal("200000")}
    services.fee_schedule_save(
        actor=coordinator, rates=letter_2018, year=2019, decided_on=date(2018, 10, 24),
        decision_reference="Styringsgruppesak 14/2018", first_year_discount=Decimal("0"), **supplier,
    )
    services.fee_schedule_save(
        actor=coordinator, rates=letter_2018, year=2020, decided_on=date(2019, 10, 30),
        decision_reference="Styringsgruppesak 11/2019", first_year_discount=Decimal("0"), **supplier,
    )
    # The 2020 letter: 150 000 kr ordinary, 280 000 kr for sub-groups and large participants, half price the first year.
    services.fee_schedule_save(
        actor=coordinator,
        rates={FeeCategory.ORDINARY: Decimal("150000"), FeeCategory.LARGE: Decimal("280000"),
               FeeCategory.GROUP: Decimal("280000")},
        year=2021, decided_on=date(2020, 9, 15), decision_reference="Styringsgruppesak 9/2020",
        first_year_discount=Decimal("50"), **supplier,
    )


def _ocr_file(transactions: list[tuple[Invoice, Decimal, date]], *, number: int, kid_override: dict | None = None) -> bytes:
    """A Nets OCR giro file with the given payments, as Nets would send it (built with netsgiro)."""
    import netsgiro

    nets_date = max(paid for _invoice, _amount, paid in transactions)
    transmission = netsgiro.Transmission(
        number=f"{number:07d}", data_transmitter="00008080", data_recipient="00012345", date=nets_date
    )
    assignment = transmission.add_assignment(
        service_code=netsgiro.ServiceCode.OCR_GIRO,
        assignment_type=netsgiro.AssignmentType.TRANSACTIONS,
        agreement_id=OCR_AGREEMENT,
        number=f"{number:07d}",
        account=BANK_ACCOUNT,
        date=nets_date,
    )
    for index, (invoice, amount, paid_on) in enumerate(transactions, start=1):
        kid = (kid_override or {}).get(index, invoice.kid if invoice else "")
        assignment.transactions.append(
            netsgiro.Transaction(
                service_code=netsgiro.ServiceCode.OCR_GIRO,
                type=netsgiro.TransactionType.FROM_GIRO_DEBITED_ACCOUNT,
                number=index,
                date=paid_on,
                amount=amount,
                kid=kid,
                reference=f"{(number * 1000 + index) % 10**9:09d}",
                text=None,
                centre_id="13",
                day_code=paid_on.day,
                partial_settlement_number=1,
                partial_settlement_serial_number="01464",
                sign="0",
                form_number="9636827194",
                bank_date=paid_on,
                debit_account="99990512341",
                filler="0000000",
            )
        )
    return transmission.to_ocr().encode("ascii")


def _import(coordinator, content: bytes, name: str, fmt: str):
    return services.payment_import(uploaded=SimpleUploadedFile(name, content), fmt=fmt, actor=coordinator)


def load(ctx):
    coordinator = ctx["users"]["Coordinator"]
    organisations = ctx["organisations"]
    participants = ctx["participants"]
    today = local_today()
    _schedules(coordinator, organisations["Universitetet i Bergen"])

    # One run a year, in January; the years before this one are paid.
    for year in range(2019, today.year + 1):
        issue_date = min(date(year, 1, 20), today)
        current = year == today.year
        try:
            run = services.invoice_run_execute(year=year, actor=coordinator, issue_date=issue_date, send=current)
        except DomainError:
            continue
        invoices = list(run.invoices.select_related("series").order_by("number"))
        if current:
            _this_year(coordinator, invoices, run.due_date, participants, today)
            continue
        if year == today.year - 1:
            invoices = _correction(coordinator, invoices, participants)
        paid_on = run.due_date - datetime.timedelta(days=6)
        _import(coordinator, _ocr_file([(i, i.total_amount, paid_on) for i in invoices], number=year * 10),
                f"OCR.D{paid_on:%d%m%y}.{year}.txt", ImportFormat.OCR)
    services.invoices_mark_overdue(today=today)


def _this_year(coordinator, invoices, due_date, participants, today):
    """Most have paid through Nets; one paid part, one by bank transfer, one not at all and was
    reminded; one payment came with a KID the bank mistyped and waits for the coordinator."""
    by_participant = {invoice.participant_id: invoice for invoice in invoices}
    askoy = by_participant.get(participants["askoy"].pk)
    korus = by_participant.get(participants["korus"].pk)
    haraldsplass = by_participant.get(participants["haraldsplass"].pk)
    paid_on = min(due_date - datetime.timedelta(days=3), today)
    regular = [i for i in invoices if i not in (askoy, korus, haraldsplass) and i.channel == "ehf"]
    transactions = [(i, i.total_amount, paid_on) for i in regular]
    if korus:
        transactions.append((korus, Decimal("50000"), paid_on))  # a partial payment
    if askoy:
        transactions.append((askoy, Decimal("12500"), paid_on))  # the KID was mistyped: unknown
    content = _ocr_file(transactions, number=today.year * 10 + 1,
                        kid_override={len(transactions): "0000009991"} if askoy else None)
    if transactions:
        _import(coordinator, content, f"OCR.D{paid_on:%d%m%y}.001.txt", ImportFormat.OCR)
    # The others pay by bank transfer with the KID in the text: a CSV statement from the bank.
    rows = ["Dato;Forklaring;KID;Arkivref;Inn på konto;Ut fra konto"]
    for index, invoice in enumerate(i for i in invoices if i.channel == "email" and i not in (haraldsplass, korus)):
        amount = f"{invoice.total_amount:.2f}".replace(".", ",")
        rows.append(f"{paid_on:%d.%m.%Y};Innbetaling {invoice.buyer_name};{invoice.kid};{97000000 + index};{amount};")
    rows.append(f"{paid_on:%d.%m.%Y};Husleie Griegakademiet;;96999999;;12 500,00")
    if len(rows) > 2:
        _import(coordinator, ("\n".join(rows) + "\n").encode("utf-8"), f"kontoutskrift-{today:%Y-%m}.csv", ImportFormat.CSV)
    services.invoices_mark_overdue(today=today)
    if haraldsplass:
        haraldsplass.refresh_from_db()
        if haraldsplass.status == InvoiceStatus.OVERDUE:
            try:
                services.invoice_remind(invoice=haraldsplass, actor=coordinator, today=today)
            except DomainError:
                pass
    # An invoice by hand: a seminar for the staff of a member.
    bergen = participants["bergen"]
    lead = bergen.memberships.get(is_lead=True).organisation
    services.invoice_issue(
        actor=coordinator,
        buyer=lead,
        participant=bergen,
        year=today.year,
        issue_date=today,
        lines=[services.LineInput("Fagdag: Musikk i eldreomsorgen, 12 deltakere", Decimal("12"), Decimal("1500"))],
        note="Fagdagen ble holdt i Griegakademiet.",
        send=False,
    )


def _correction(coordinator, invoices, participants) -> list[Invoice]:
    """Last year NORCE's invoice went out without the buyer reference their invoice reception
    needs: it was credited and a corrected invoice issued, which NORCE paid."""
    norce = next((i for i in invoices if i.participant_id == participants["norce"].pk), None)
    if norce is None:
        return invoices
    services.invoice_credit(invoice=norce, actor=coordinator, reason="Feil bestillerreferanse", send=False)
    lines = [services.LineInput(line.description, line.quantity, line.unit_price, line.period_start, line.period_end)
             for line in norce.lines.all()]
    buyer = norce.buyer
    corrected = services.invoice_issue(
        actor=coordinator, buyer=buyer, participant=norce.participant, lines=lines, year=norce.year,
        issue_date=norce.issue_date + datetime.timedelta(days=10), buyer_reference="NORCE-4410", corrects=norce,
        send=False,
    )
    return [corrected if invoice == norce else invoice for invoice in invoices]
