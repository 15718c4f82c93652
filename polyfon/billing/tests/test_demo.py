"""The demo's money side loads on top of the register's demo and shows every feature."""

import pytest
from stdnum.no import kontonr

from polyfon.billing import selectors
from polyfon.billing.models import (
    CreditNote,
    FeeSchedule,
    Invoice,
    InvoiceKind,
    LineOutcome,
    PaymentImportLine,
)
from polyfon.core.dates import local_today
from polyfon.core.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_the_demo_shows_the_seed_letters_fees_and_a_year_of_invoicing():
    from polyfon.billing import demo as billing_demo
    from polyfon.members import demo as members_demo

    ctx = DemoContext()
    members_demo.load(ctx)
    billing_demo.load(ctx)
    rates = {s.year: {r.category: int(r.amount) for r in s.rates.all()} for s in FeeSchedule.objects.all()}
    assert rates[2019] == rates[2020] == {"ordinary": 150000, "large": 200000, "group": 200000}
    assert rates[2021] == {"ordinary": 150000, "large": 280000, "group": 280000}
    assert FeeSchedule.objects.get(year=2021).first_year_discount == 50
    assert all(kontonr.is_valid(s.supplier_bank_account) for s in FeeSchedule.objects.all())
    uib = ctx["organisations"]["Universitetet i Bergen"]
    assert FeeSchedule.objects.get(year=2021).supplier_org_number == uib.org_number
    assert not Invoice.objects.filter(buyer=uib).exists()  # the supplier does not invoice itself
    years = set(Invoice.objects.values_list("year", flat=True))
    assert years == set(range(2019, local_today().year + 1))
    assert Invoice.objects.filter(kind=InvoiceKind.MANUAL, corrects__isnull=True).exists()
    assert CreditNote.objects.exists() and Invoice.objects.filter(corrects__isnull=False).exists()
    assert PaymentImportLine.objects.filter(outcome=LineOutcome.UNKNOWN_KID, resolved=False).exists()
    assert PaymentImportLine.objects.filter(outcome=LineOutcome.PARTIAL).exists()
    shares = Invoice.objects.filter(year=local_today().year, participant=ctx["participants"]["sunnhordland"])
    assert shares.count() == 3
    economy = selectors.economy(local_today().year)
    assert economy.totals.paid > 0 and economy.totals.outstanding > 0
