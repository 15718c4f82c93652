"""Money and numbers in the user's language: `150 000 kr` in Norwegian, `NOK 150,000` in English."""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal
from django.utils import translation

BABEL_LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}


def _locale() -> str:
    return BABEL_LOCALES.get((translation.get_language() or "nb")[:2], "nb_NO")


def to_decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("Money is never a float.")
    return Decimal(value)


def format_nok(value, *, decimals: bool | None = None) -> str:
    """150000 -> '150 000 kr'; 1234.5 -> '1 234,50 kr' (spaces are non-breaking).

    Whole kroner show no øre unless `decimals` asks for them. English: 'NOK 150,000'.
    """
    if value is None or value == "":
        return ""
    amount = to_decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    show_decimals = decimals if decimals is not None else amount != amount.to_integral_value()
    number = format_number(amount, decimals=2 if show_decimals else 0)
    return f"NOK\xa0{number}" if _locale() == "en_GB" else f"{number}\xa0kr"


def format_number(value, *, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(to_decimal(value), format=pattern, locale=_locale()).replace("\u202f", "\xa0")


def format_percent(value, *, decimals: int = 0) -> str:
    if value is None:
        return ""
    return format_number(value, decimals=decimals) + "\xa0%"
