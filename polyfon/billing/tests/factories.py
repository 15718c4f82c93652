"""factory_boy factories for the money side. Numbers (organisation, account) are valid."""

from datetime import date
from decimal import Decimal

import factory

from polyfon.core.demo import org_number
from polyfon.members.models import FeeCategory

from ..models import FeeRate, FeeSchedule, VatCategory

BANK_ACCOUNT = "52051234561"  # valid MOD11 (stdnum.no.kontonr)
RATES = {FeeCategory.ORDINARY: Decimal("150000"), FeeCategory.LARGE: Decimal("280000"), FeeCategory.GROUP: Decimal("280000")}


class FeeScheduleFactory(factory.django.DjangoModelFactory):
    """The 2021 schedule of the seeds: 150 000 / 280 000, half price the first year, no VAT."""

    class Meta:
        model = FeeSchedule
        skip_postgeneration_save = True

    year = 2021
    decided_on = date(2020, 9, 22)
    decision_reference = "SG 7/2020"
    first_year_discount = Decimal("50")
    vat_category = VatCategory.NOT_SUBJECT
    vat_rate = Decimal("0")
    vat_exemption_reason = "Utenfor merverdiavgiftsloven"
    payment_terms_days = 30
    return_share = Decimal("50")
    invoice_text = "Deltakeravgift POLYFON"
    supplier_name = "Universitetet i Bergen"
    supplier_org_number = factory.LazyFunction(lambda: org_number(9001))
    supplier_address = "Postboks 7800"
    supplier_postal_code = "5020"
    supplier_postal_place = "Bergen"
    supplier_bank_account = BANK_ACCOUNT
    supplier_vat_registered = True
    supplier_email = "polyfon@uib.no"
    supplier_phone = "+4797169746"
    supplier_contact = "Kari Koordinator"

    @factory.post_generation
    def rates(obj, create, extracted, **kwargs):
        if create:
            for category, amount in (extracted if extracted is not None else RATES).items():
                FeeRate.objects.create(schedule=obj, category=category, amount=amount)


def standard_vat(**kwargs) -> FeeSchedule:
    """A schedule charging 25 % VAT."""
    return FeeScheduleFactory(vat_category=VatCategory.STANDARD, vat_rate=Decimal("25"), vat_exemption_reason="", **kwargs)
