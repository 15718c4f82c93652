"""Fee schedules: what the steering group decided, the join page's fee table, the VAT treatment."""

from datetime import date
from decimal import Decimal

import pytest

from polyfon.billing import selectors, services
from polyfon.billing.models import FeeSchedule, VatCategory
from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.members.models import FeeCategory

from .factories import BANK_ACCOUNT, FeeScheduleFactory

pytestmark = pytest.mark.django_db

SUPPLIER = {
    "decided_on": date(2020, 9, 15),
    "decision_reference": "SG 9/2020",
    "first_year_discount": Decimal("50"),
    "vat_category": VatCategory.NOT_SUBJECT,
    "vat_rate": Decimal("0"),
    "vat_exemption_reason": "Utenfor merverdiavgiftsloven",
    "payment_terms_days": 30,
    "return_share": Decimal("50"),
    "invoice_text": "Deltakeravgift POLYFON",
    "supplier_name": "Universitetet i Bergen",
    "supplier_org_number": "910630075",
    "supplier_address": "Postboks 7800",
    "supplier_postal_code": "5020",
    "supplier_postal_place": "Bergen",
    "supplier_bank_account": BANK_ACCOUNT,
    "supplier_vat_registered": True,
    "supplier_email": "polyfon@uib.no",
}
RATES = {FeeCategory.ORDINARY: Decimal("150000"), FeeCategory.LARGE: Decimal("280000"), FeeCategory.GROUP: Decimal("280000")}


def test_schedule_is_saved_with_rates_and_audited(coordinator):
    schedule = services.fee_schedule_save(actor=coordinator, rates=RATES, year=2021, **SUPPLIER)
    assert {r.category: r.amount for r in schedule.rates.all()} == RATES
    entry = AuditEntry.objects.get(action="polyfon.billing.fee_schedule.created")
    assert entry.actor == coordinator and entry.payload["decision"] == "SG 9/2020"


def test_one_schedule_per_year(coordinator):
    services.fee_schedule_save(actor=coordinator, rates=RATES, year=2021, **SUPPLIER)
    with pytest.raises(DomainError) as error:
        services.fee_schedule_save(actor=coordinator, rates=RATES, year=2021, **SUPPLIER)
    assert error.value.field == "year"


def test_rate_change_is_audited_with_old_and_new(coordinator):
    schedule = services.fee_schedule_save(actor=coordinator, rates=RATES, year=2021, **SUPPLIER)
    services.fee_schedule_save(
        actor=coordinator, schedule=schedule, rates={**RATES, FeeCategory.ORDINARY: Decimal("160000")}, **SUPPLIER
    )
    entry = AuditEntry.objects.get(action="polyfon.billing.fee_schedule.changed")
    assert entry.payload["rates"]["ordinary"] == ["150000.00", "160000"]


def test_a_schedule_needs_a_rate(coordinator):
    with pytest.raises(DomainError):
        services.fee_schedule_save(actor=coordinator, rates={}, year=2021, **SUPPLIER)


@pytest.mark.parametrize(
    "vat,field",
    [
        ({"vat_category": VatCategory.STANDARD, "vat_rate": Decimal("0"), "vat_exemption_reason": ""}, "vat_rate"),
        ({"vat_category": VatCategory.STANDARD, "vat_rate": Decimal("25"), "vat_exemption_reason": "x"}, "vat_exemption_reason"),
        ({"vat_category": VatCategory.NOT_SUBJECT, "vat_rate": Decimal("25")}, "vat_rate"),
        ({"vat_category": VatCategory.EXEMPT, "vat_exemption_reason": ""}, "vat_exemption_reason"),
        ({"vat_category": VatCategory.EXEMPT, "supplier_vat_registered": False}, "vat_category"),
        ({"vat_category": VatCategory.STANDARD, "vat_rate": Decimal("25"), "vat_exemption_reason": "",
          "supplier_vat_registered": False}, "supplier_vat_registered"),
    ],
)
def test_vat_treatment_must_make_valid_ehf(coordinator, vat, field):
    with pytest.raises(DomainError) as error:
        services.fee_schedule_save(actor=coordinator, rates=RATES, year=2021, **{**SUPPLIER, **vat})
    assert error.value.field == field


def test_schedule_in_force_is_the_latest_up_to_the_year():
    FeeScheduleFactory(year=2019, rates={FeeCategory.ORDINARY: Decimal("150000"), FeeCategory.LARGE: Decimal("200000")})
    FeeScheduleFactory(year=2021)
    assert selectors.schedule_for_year(2018) is None
    assert selectors.schedule_for_year(2020).year == 2019
    assert selectors.schedule_for_year(2026).year == 2021


def test_fee_table_for_the_join_page():
    FeeScheduleFactory(year=2021)
    rows = selectors.fee_table_for_year(2026)
    assert [(r["category"], r["amount"], r["first_year_amount"], r["year"]) for r in rows] == [
        ("ordinary", Decimal("150000"), Decimal("75000.00"), 2021),
        ("large", Decimal("280000"), Decimal("140000.00"), 2021),
        ("group", Decimal("280000"), Decimal("140000.00"), 2021),
    ]
    assert selectors.fee_table_for_year(2020) == []


def test_fee_table_label_can_be_set_per_rate():
    schedule = FeeScheduleFactory(year=2021)
    schedule.rates.filter(category=FeeCategory.GROUP).update(label="Undergrupper og store enkeltdeltakere")
    labels = [str(r["label"]) for r in selectors.fee_table_for_year(2021)]
    assert "Undergrupper og store enkeltdeltakere" in labels


def test_supplier_vat_number_form():
    schedule = FeeScheduleFactory(supplier_org_number="910630075")
    assert schedule.supplier_vat_number == "NO910630075MVA"
    assert FeeScheduleFactory(year=2030, supplier_vat_registered=False).supplier_vat_number == ""


def test_database_refuses_a_standard_rate_of_zero():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        FeeScheduleFactory(vat_category=VatCategory.STANDARD, vat_rate=Decimal("0"))
    assert not FeeSchedule.objects.exists()


def test_number_series_can_only_change_before_the_first_document(coordinator, issue):
    from polyfon.billing.models import NumberSeries

    series = NumberSeries.objects.get(key=NumberSeries.INVOICE)
    services.number_series_update(series_row=series, actor=coordinator, prefix="", next_number=10001)
    assert issue().number == 10001
    with pytest.raises(DomainError):
        services.number_series_update(series_row=series, actor=coordinator, prefix="", next_number=20001)
    with pytest.raises(DomainError):
        services.number_series_update(series_row=NumberSeries.objects.get(key=NumberSeries.CREDIT_NOTE),
                                      actor=coordinator, prefix="", next_number=1)  # the same prefix as invoices


def test_billing_settings_are_audited(coordinator):
    services.billing_settings_update(actor=coordinator, reminder_interval_days=21)
    assert selectors.billing_settings().reminder_interval_days == 21
    assert AuditEntry.objects.filter(action="polyfon.billing.settings.changed").exists()
