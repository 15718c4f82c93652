"""Validators for Norwegian numbers and for uploaded files.

Organisation and account numbers are checked with python-stdnum (MOD11); phone numbers with
phonenumbers. Each validator normalises nothing: forms call the matching `clean_*` helper.
"""

import hashlib

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.no import kontonr, mva, orgnr


def clean_org_number(value: str) -> str:
    """Return the 9 digits of a valid organisation number, or raise ValidationError."""
    compact = orgnr.compact(value or "")
    if not compact.isdigit() or len(compact) != 9:
        raise ValidationError(_("An organisation number has exactly 9 digits."), code="org_number_length")
    try:
        return orgnr.validate(compact)
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("%(value)s is not a valid organisation number (the check digit does not match)."),
            params={"value": compact},
            code="org_number_checksum",
        ) from None


def validate_org_number(value: str) -> None:
    clean_org_number(value)


def clean_account_number(value: str) -> str:
    """Return the 11 digits of a valid Norwegian bank account number (MOD11)."""
    try:
        return kontonr.validate(value or "")
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("%(value)s is not a valid Norwegian account number (11 digits, MOD11)."),
            params={"value": value},
            code="account_number",
        ) from None


def validate_account_number(value: str) -> None:
    clean_account_number(value)


def clean_mva_number(value: str) -> str:
    """Return a VAT number in the form NO999999999MVA."""
    try:
        return "NO" + mva.compact(mva.validate(value or ""))
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("%(value)s is not a valid VAT number (NO + organisation number + MVA)."),
            params={"value": value},
            code="mva_number",
        ) from None


def clean_phone(value: str) -> str:
    """Return a phone number in E.164 form (+4797169746); Norwegian numbers need no prefix."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "NO")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Enter a valid phone number, e.g. 971 69 746 or +47 971 69 746."), code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number, e.g. 971 69 746 or +47 971 69 746."), code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    clean_phone(value)


def format_phone(value: str) -> str:
    """Show an E.164 number the Norwegian way: +47 971 69 746."""
    if not value:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(value, "NO"), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return value


PDF_MAGIC = b"%PDF-"


def validate_pdf_upload(uploaded, *, max_bytes: int | None = None) -> None:
    """Refuse anything that is not a PDF by content (not by name) or is too large."""
    max_bytes = max_bytes or settings.MAX_DOCUMENT_UPLOAD_BYTES
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
            params={"size": round(uploaded.size / 1_048_576, 1), "limit": round(max_bytes / 1_048_576, 1)},
            code="file_too_large",
        )
    head = uploaded.read(1024)
    uploaded.seek(0)
    if not head.startswith(PDF_MAGIC) or not uploaded.name.lower().endswith(".pdf"):
        raise ValidationError(_("Only PDF files can be uploaded here."), code="not_pdf")


def sha256_of(uploaded) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()
