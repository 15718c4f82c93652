"""Reading payment files: Nets OCR giro (with netsgiro) and bank statements as CSV.

Both give a list of `ParsedPayment`; matching them to invoices is billing.services.payments'
business. Each payment carries a fingerprint that identifies the bank transaction, so the
same payment in a second file (or in the same file imported twice) is recognised.

The CSV bank statement
----------------------
What Norwegian online banks export: one row per transaction, a header row, semicolons
between columns (commas and tabs are recognised too), decimal commas, dates as 31.12.2026
(or 2026-12-31), UTF-8 or Windows-1252. The columns are found by their header, in any order
and case; the names banks use are accepted:

    date            Dato, Bokført, Bokføringsdato, Bokført dato, Date
    incoming amount Inn, Inn på konto, Innskudd, Beløp inn, Beløp, Amount
    outgoing amount Ut, Ut fra konto, Uttak, Beløp ut                     (rows with only this are skipped)
    KID             KID, KID-nummer, KID nr                              (else "KID 123…" in the text)
    reference       Arkivref, Arkivreferanse, Referanse, Reference, Ref
    text            Forklaring, Tekst, Beskrivelse, Melding, Description, Betaler

Only date and an amount column are required. Example:

    Dato;Forklaring;KID;Arkivref;Inn på konto;Ut fra konto
    02.03.2026;Bergen kommune;0000000018;8123456;150 000,00;
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from polyfon.core.errors import DomainError

from .money import round_money


@dataclass(frozen=True)
class ParsedPayment:
    line_number: int
    fingerprint: str
    kid: str
    amount: Decimal
    paid_on: date
    reference: str = ""
    text: str = ""
    is_reversal: bool = False
    account: str = ""


@dataclass(frozen=True)
class ParsedFile:
    payments: list[ParsedPayment]
    skipped_outgoing: int = 0
    accounts: frozenset = frozenset()


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_("The file is not text in UTF-8 or Windows-1252."))


# --- Nets OCR giro -----------------------------------------------------------------------------------------------


def parse_ocr(raw: bytes) -> ParsedFile:
    """Every OCR giro transaction of a Nets file. Reversals are marked, never applied."""
    import netsgiro

    text = decode(raw).strip()
    try:
        transmission = netsgiro.parse(text)
    except (ValueError, AssertionError, TypeError) as error:
        raise DomainError(_("This is not a valid Nets OCR giro file: %(error)s") % {"error": error}) from None
    payments, accounts = [], set()
    line_number = 0
    for assignment in transmission.assignments:
        if assignment.service_code != netsgiro.ServiceCode.OCR_GIRO:
            continue
        accounts.add(assignment.account)
        for transaction in assignment.transactions:
            line_number += 1
            kid = (transaction.kid or "").strip()
            reversal = transaction.type in (
                netsgiro.TransactionType.REVERSING_WITH_KID,
                netsgiro.TransactionType.REVERSING_WITH_TEXT,
            )
            payments.append(
                ParsedPayment(
                    line_number=line_number,
                    fingerprint=(
                        f"ocr:{assignment.agreement_id or ''}:{assignment.number}:{transaction.number}:"
                        f"{transaction.date.isoformat()}:{kid}:{transaction.amount}"
                    ),
                    kid=kid,
                    amount=round_money(transaction.amount),
                    paid_on=transaction.date,
                    reference=(transaction.reference or "").strip(),
                    text=(transaction.text or "").strip(),
                    is_reversal=reversal,
                    account=assignment.account,
                )
            )
    if not payments:
        raise DomainError(_("The OCR file holds no OCR giro payments."))
    return ParsedFile(payments=payments, accounts=frozenset(accounts))


# --- CSV bank statements -------------------------------------------------------------------------------------------

COLUMNS = {
    "date": ["dato", "bokført", "bokføringsdato", "bokført dato", "date", "booking date"],
    "amount_in": ["inn", "inn på konto", "innskudd", "beløp inn", "beløp", "amount", "credit"],
    "amount_out": ["ut", "ut fra konto", "uttak", "beløp ut", "debit"],
    "kid": ["kid", "kid-nummer", "kid nr", "kid nummer", "kidnr"],
    "reference": ["arkivref", "arkivreferanse", "referanse", "reference", "ref", "arkivref."],
    "text": ["forklaring", "tekst", "beskrivelse", "melding", "description", "betaler", "text"],
}
KID_IN_TEXT = re.compile(r"\bKID\b[\s.:#-]*(\d{2,25})", re.IGNORECASE)


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    normalised = [h.strip().strip('"').lower() for h in header]
    for key, names in COLUMNS.items():
        for index, name in enumerate(normalised):
            if name in names and key not in found:
                found[key] = index
    return found


def parse_amount(text: str) -> Decimal | None:
    """'150 000,00', '150.000,00', '-1 234,5', '150000.00' -> Decimal; '' -> None."""
    value = (text or "").strip().replace("\xa0", "").replace("\u202f", "").replace(" ", "").replace("kr", "")
    if not value:
        return None
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif value.count(".") > 1 or re.search(r"\.\d{3}$", value):
        value = value.replace(".", "")
    try:
        return round_money(Decimal(value))
    except InvalidOperation:
        raise ValueError(text) from None


def parse_date(text: str) -> date:
    value = (text or "").strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_csv(raw: bytes) -> ParsedFile:
    """Incoming payments of a bank statement exported as CSV (see the module's description)."""
    text = decode(raw)
    lines = text.splitlines()
    if not lines:
        raise DomainError(_("The file is empty."))
    first = lines[0]
    delimiter = max([";", ",", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    columns = _columns(header)
    if "date" not in columns or not ({"amount_in"} & columns.keys()):
        raise DomainError(
            _("The bank statement needs a header row with at least a date column (Dato) and an amount column "
              "(Inn på konto, Inn or Beløp). Found: %(header)s") % {"header": ", ".join(h.strip() for h in header)}
        )
    payments, skipped, seen = [], 0, {}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key, row=row):
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        try:
            paid_on = parse_date(cell("date"))
            amount = parse_amount(cell("amount_in"))
            out = parse_amount(cell("amount_out")) if "amount_out" in columns else None
        except ValueError as error:
            raise DomainError(_("Line %(line)s: cannot read “%(value)s”.") % {"line": number, "value": error}) from None
        if amount is None or amount <= 0:
            if (out is not None and out != 0) or (amount is not None and amount < 0):
                skipped += 1  # money going out of the account is not a payment to us
                continue
            raise DomainError(_("Line %(line)s has no amount.") % {"line": number})
        description = cell("text")
        kid = re.sub(r"\s", "", cell("kid"))
        if not kid:
            match = KID_IN_TEXT.search(description)
            kid = match.group(1) if match else ""
        reference = cell("reference")
        if reference:
            fingerprint = f"csv:{paid_on.isoformat()}:{reference}:{amount}"
        else:
            # Without the bank's reference, identical lines are told apart by their order.
            base = f"csv:{paid_on.isoformat()}:{kid}:{amount}:{description}"
            seen[base] = seen.get(base, 0) + 1
            fingerprint = f"{base}:{seen[base]}"
        payments.append(
            ParsedPayment(
                line_number=number,
                fingerprint=fingerprint[:200],
                kid=kid,
                amount=amount,
                paid_on=paid_on,
                reference=reference[:100],
                text=description[:200],
            )
        )
    if not payments:
        raise DomainError(_("The bank statement holds no incoming payments."))
    return ParsedFile(payments=payments, skipped_outgoing=skipped)
