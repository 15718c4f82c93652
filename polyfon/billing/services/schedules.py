"""Fee schedules, number series and the coordinator's billing settings."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.errors import DomainError
from polyfon.members.models import FeeCategory

from ..models import BillingSettings, CreditNote, FeeRate, FeeSchedule, Invoice, NumberSeries, VatCategory

SCHEDULE_FIELDS = [
    "year",
    "decided_on",
    "decision_reference",
    "first_year_discount",
    "vat_category",
    "vat_rate",
    "vat_exemption_reason",
    "payment_terms_days",
    "return_share",
    "invoice_text",
    "supplier_name",
    "supplier_org_number",
    "supplier_address",
    "supplier_postal_code",
    "supplier_postal_place",
    "supplier_bank_account",
    "supplier_vat_registered",
    "supplier_in_business_register",
    "supplier_email",
    "supplier_phone",
    "supplier_contact",
]
SETTINGS_FIELDS = ["reminder_interval_days", "reminder_deadline_days", "max_reminders", "automatic_reminders"]


def _check_vat(values: dict) -> None:
    """The VAT treatment must give EHF invoices that the VAT rules accept."""
    category = values.get("vat_category")
    rate = values.get("vat_rate") or Decimal("0")
    reason = (values.get("vat_exemption_reason") or "").strip()
    registered = values.get("supplier_vat_registered")
    if category == VatCategory.STANDARD:
        if rate <= 0:
            raise DomainError(_("VAT at a rate needs a rate above 0 %."), field="vat_rate")  # BR-S-05
        if reason:
            raise DomainError(_("An exemption reason is only for invoices without VAT."), field="vat_exemption_reason")
        if not registered:
            raise DomainError(
                _("Only a supplier registered for VAT can charge VAT."), field="supplier_vat_registered"
            )  # BR-S-02
    else:
        if rate != 0:
            raise DomainError(_("Without VAT the rate must be 0 %."), field="vat_rate")  # BR-E-05
        if not reason:
            raise DomainError(
                _("Give the reason why no VAT is charged; it is printed on the invoice."), field="vat_exemption_reason"
            )  # BR-E-10, BR-O-10
        if category == VatCategory.EXEMPT and not registered:
            raise DomainError(
                _("An exemption from VAT applies to a supplier registered for VAT; otherwise choose “outside the scope”."),
                field="vat_category",
            )  # BR-E-02


def _set_rates(schedule: FeeSchedule, rates: dict[str, Decimal]) -> dict:
    """Replace the schedule's rates; returns {category: [old, new]} for what changed."""
    before = {r.category: r.amount for r in schedule.rates.all()}
    changes = {}
    for category in FeeCategory.values:
        amount = rates.get(category)
        if before.get(category) == amount:
            continue
        changes[category] = [str(before[category]) if category in before else None, str(amount) if amount is not None else None]
        if amount is None:
            schedule.rates.filter(category=category).delete()
        else:
            FeeRate.objects.update_or_create(schedule=schedule, category=category, defaults={"amount": amount})
    return changes


def fee_schedule_save(
    *, actor, rates: dict[str, Decimal], schedule: FeeSchedule | None = None, **values
) -> FeeSchedule:
    """Create or change the fee schedule of a year, as the steering group decided it."""
    values = {k: v for k, v in values.items() if k in SCHEDULE_FIELDS}
    rates = {k: v for k, v in rates.items() if v is not None}
    if not rates:
        raise DomainError(_("Give the fee of at least one fee category."))
    if any(amount < 0 for amount in rates.values()):
        raise DomainError(_("A fee cannot be negative."))
    with transaction.atomic():
        if schedule is None:
            _check_vat(values)
            if FeeSchedule.objects.filter(year=values["year"]).exists():
                raise DomainError(_("There is already a fee schedule for %(year)s.") % {"year": values["year"]}, field="year")
            schedule = FeeSchedule.objects.create(**values)
            _set_rates(schedule, rates)
            audit_log(
                obj=schedule,
                action="polyfon.billing.fee_schedule.created",
                actor=actor,
                payload={"year": schedule.year, "rates": {k: str(v) for k, v in rates.items()},
                         "decision": schedule.decision_reference},
            )
            return schedule
        schedule = FeeSchedule.objects.select_for_update().get(pk=schedule.pk)
        _check_vat({**{f: getattr(schedule, f) for f in SCHEDULE_FIELDS}, **values})
        if "year" in values and FeeSchedule.objects.filter(year=values["year"]).exclude(pk=schedule.pk).exists():
            raise DomainError(_("There is already a fee schedule for %(year)s.") % {"year": values["year"]}, field="year")
        rate_changes = _set_rates(schedule, rates)
        changes = update_with_audit(
            schedule, values, actor=actor, action="polyfon.billing.fee_schedule.changed",
            extra={"rates": rate_changes} if rate_changes else None,
        )
        if rate_changes and not changes:
            schedule.save(update_fields=["updated_at"])
            audit_log(obj=schedule, action="polyfon.billing.fee_schedule.changed", actor=actor, payload={"rates": rate_changes})
    return schedule


def billing_settings_update(*, actor, **values) -> BillingSettings:
    values = {k: v for k, v in values.items() if k in SETTINGS_FIELDS}
    with transaction.atomic():
        BillingSettings.objects.get_or_create(pk=1)
        settings_row = BillingSettings.objects.select_for_update().get(pk=1)
        update_with_audit(settings_row, values, actor=actor, action="polyfon.billing.settings.changed")
    return settings_row


def series(key: str) -> NumberSeries:
    return NumberSeries.objects.get_or_create(key=key, defaults={"prefix": "K" if key == NumberSeries.CREDIT_NOTE else ""})[0]


def number_series_update(*, series_row: NumberSeries, actor, prefix: str, next_number: int) -> NumberSeries:
    """Set a series' prefix and first number, e.g. to continue the numbers of an earlier system.
    Once a document is issued in the series neither can change: that would leave a gap."""
    with transaction.atomic():
        series_row = NumberSeries.objects.select_for_update().get(pk=series_row.pk)
        model = Invoice if series_row.key == NumberSeries.INVOICE else CreditNote
        used = model.objects.filter(series=series_row).aggregate(m=Max("number"))["m"]
        if used is not None and (next_number != series_row.next_number or prefix != series_row.prefix):
            raise DomainError(
                _("Documents have been issued in this series, so its numbers can no longer change (they must be gapless).")
            )
        if NumberSeries.objects.exclude(pk=series_row.pk).filter(prefix=prefix).exists():
            raise DomainError(_("Invoices and credit notes need different prefixes."), field="prefix")
        update_with_audit(
            series_row, {"prefix": prefix, "next_number": next_number}, actor=actor,
            action="polyfon.billing.number_series.changed",
        )
    return series_row


def take_numbers(key: str, count: int = 1, *, issue_date) -> tuple[NumberSeries, list[int]]:
    """Reserve `count` consecutive numbers of a series for documents dated `issue_date`. Call
    inside the transaction that issues the documents: the series row stays locked until it
    commits, so numbers are gapless and never handed out twice, however many processes issue at
    once, and a higher number never carries an earlier date than the documents before it."""
    series(key)  # created on first use
    row = NumberSeries.objects.select_for_update().get(key=key)
    model = CreditNote if key == NumberSeries.CREDIT_NOTE else Invoice
    latest = model.objects.filter(series=row).aggregate(latest=Max("issue_date"))["latest"]
    if latest and issue_date < latest:
        raise DomainError(
            _("The last document in this number series is dated %(date)s; a later number cannot have an earlier date.")
            % {"date": latest.strftime("%d.%m.%Y")},
            field="issue_date",
        )
    first = row.next_number
    row.next_number = first + count
    row.save(update_fields=["next_number"])
    return row, list(range(first, first + count))
