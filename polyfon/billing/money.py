"""Money arithmetic of invoices (Decimal, rounded to øre half up) and the KID (MOD10)."""

from decimal import ROUND_HALF_UP, Decimal

from stdnum import luhn

from .models import ZERO, VatCategory

CENT = Decimal("0.01")
KID_LENGTH = 10  # 9 digits of the invoice number and a MOD10 check digit


def round_money(value: Decimal) -> Decimal:
    if isinstance(value, float):
        raise TypeError("Money is never a float.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_amount(net: Decimal, category: str, rate: Decimal) -> Decimal:
    """VAT category tax amount = taxable amount × rate / 100, rounded to two decimals (BR-CO-17)."""
    if category != VatCategory.STANDARD:
        return ZERO
    return round_money(net * rate / Decimal("100"))


def discounted(amount: Decimal, discount_percent: Decimal) -> Decimal:
    """The first-year fee: `amount` less `discount_percent` %."""
    return round_money(amount * (Decimal("100") - discount_percent) / Decimal("100"))


def split_by_shares(amount: Decimal, shares: list[Decimal], lead_index: int = 0) -> list[Decimal]:
    """Split `amount` by percentages that add up to 100; the rounding remainder goes to the lead,
    so the parts always add up to the amount exactly."""
    parts = [round_money(amount * share / Decimal("100")) for share in shares]
    parts[lead_index] += amount - sum(parts)
    return parts


def kid_for(number: int) -> str:
    """The KID of invoice `number`: the number padded to 9 digits and a MOD10 (Luhn) check digit."""
    body = f"{number:0{KID_LENGTH - 1}d}"
    if len(body) != KID_LENGTH - 1:
        raise ValueError(f"Invoice number {number} is too large for a {KID_LENGTH}-digit KID.")
    return body + luhn.calc_check_digit(body)


def is_valid_kid(kid: str) -> bool:
    return kid.isdigit() and 2 <= len(kid) <= 25 and luhn.is_valid(kid)
