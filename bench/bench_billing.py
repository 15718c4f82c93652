"""Billing at scale: the annual invoice run for (at least) 1 000 participants, preview and
execution, the PDF of an invoice (rendered separately, in the worker), the EHF file, and the
office pages over 50 000 invoices.

`python -m bench.run --sizes small,large --only billing`
"""

import random
from datetime import date, timedelta
from decimal import Decimal

ORDER = 30
RUN_YEAR = 2026
RUN_PARTICIPANTS = 1_000  # at least this many members in the run year
HISTORY_INVOICES = 50_000


def _top_up_members(ctx, needed: int) -> None:
    """Single members (with an organisation and an agreement) so the run year has `needed`."""
    from polyfon.core.demo import org_number
    from polyfon.members.models import (
        Agreement,
        FeeCategory,
        Organisation,
        Participant,
        ParticipantKind,
        ParticipantOrganisation,
        ParticipantStatus,
    )

    rng = random.Random(7)
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Ekstra organisasjon {i:05d}", org_number=org_number(700_000 + i), postal_address=f"Postboks {i}",
                         postal_code="5020", postal_place="Bergen", receives_ehf=True, buyer_reference=f"X-{i}")
            for i in range(needed)
        ],
        batch_size=2000,
    )
    participants = Participant.objects.bulk_create(
        [
            Participant(name=f"Ekstra deltaker {i:05d}", kind=ParticipantKind.SINGLE, status=ParticipantStatus.MEMBER,
                        fee_category=rng.choice([FeeCategory.ORDINARY, FeeCategory.LARGE]),
                        member_since=date(rng.randint(2019, RUN_YEAR), 1, 1))
            for i in range(needed)
        ],
        batch_size=2000,
    )
    ParticipantOrganisation.objects.bulk_create(
        [ParticipantOrganisation(participant=p, organisation=o, is_lead=True) for p, o in zip(participants, orgs, strict=True)],
        batch_size=5000,
    )
    Agreement.objects.bulk_create(
        [Agreement(participant=p, signed_on=p.member_since, start_date=p.member_since) for p in participants], batch_size=5000
    )
    ctx["participants"] = list(ctx["participants"]) + participants


def _history(ctx, schedule) -> None:
    """50 000 issued invoices of earlier years (with lines and some payments), as bulk rows."""
    from polyfon.billing import money
    from polyfon.billing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus, NumberSeries, Payment
    from polyfon.billing.services.issuing import _supplier_fields

    rng = random.Random(11)
    series = NumberSeries.objects.get(key=NumberSeries.INVOICE)
    organisations = ctx["organisations"]
    participants = ctx["participants"]
    supplier = _supplier_fields(schedule)
    invoices = []
    for number in range(1, HISTORY_INVOICES + 1):
        organisation = organisations[number % len(organisations)]
        participant = participants[number % len(participants)]
        year = 2015 + number % 11
        issue_date = date(year, 1, 20) + timedelta(days=number % 300)
        net = Decimal(rng.choice(["75000", "150000", "140000", "280000", "1500"]))
        status = rng.choice([InvoiceStatus.PAID] * 8 + [InvoiceStatus.OVERDUE, InvoiceStatus.PARTLY_PAID])
        paid = net if status == InvoiceStatus.PAID else (net / 2 if status == InvoiceStatus.PARTLY_PAID else Decimal("0"))
        invoices.append(Invoice(
            series=series, number=number, kid=money.kid_for(number), year=year, kind=InvoiceKind.MANUAL,
            participant=participant, buyer=organisation, buyer_name=organisation.name, buyer_org_number=organisation.org_number,
            buyer_address=organisation.postal_address, buyer_postal_code=organisation.postal_code,
            buyer_postal_place=organisation.postal_place, buyer_reference=organisation.buyer_reference or "REF",
            channel="ehf", issue_date=issue_date, due_date=issue_date + timedelta(days=30), net_amount=net,
            vat_amount=Decimal("0"), total_amount=net, status=status, paid_amount=paid,
            fee_category=participant.fee_category, **supplier,
        ))
    invoices = Invoice.objects.bulk_create(invoices, batch_size=2000)
    InvoiceLine.objects.bulk_create(
        [InvoiceLine(invoice=i, position=1, description=f"Deltakeravgift {i.year}", quantity=Decimal("1"),
                     unit_price=i.net_amount, net_amount=i.net_amount) for i in invoices],
        batch_size=5000,
    )
    Payment.objects.bulk_create(
        [Payment(invoice=i, amount=i.paid_amount, paid_on=i.due_date - timedelta(days=3), source="ocr")
         for i in invoices if i.paid_amount],
        batch_size=5000,
    )
    NumberSeries.objects.filter(pk=series.pk).update(next_number=HISTORY_INVOICES + 1)


def GENERATE(size: str, ctx: dict) -> None:
    from polyfon.billing.models import FeeRate, FeeSchedule, VatCategory
    from polyfon.core.demo import org_number
    from polyfon.members.models import FeeCategory, Organisation
    from polyfon.members.selectors import members_in_year

    # Organisations that do not take EHF take e-mail, so the run can invoice everyone.
    Organisation.objects.filter(receives_ehf=False, invoice_email="").update(invoice_email="faktura@bench.example.no")
    schedule = FeeSchedule.objects.create(
        year=2021, decided_on=date(2020, 9, 15), decision_reference="SG 9/2020", vat_category=VatCategory.NOT_SUBJECT,
        vat_exemption_reason="Utenfor merverdiavgiftsloven", invoice_text="Deltakeravgift POLYFON",
        supplier_name="Universitetet i Bergen", supplier_org_number=org_number(999_001), supplier_address="Postboks 7800",
        supplier_postal_code="5020", supplier_postal_place="Bergen", supplier_bank_account="52051234561",
        supplier_email="polyfon@uib.no",
    )
    FeeRate.objects.bulk_create([
        FeeRate(schedule=schedule, category=FeeCategory.ORDINARY, amount=Decimal("150000")),
        FeeRate(schedule=schedule, category=FeeCategory.LARGE, amount=Decimal("280000")),
        FeeRate(schedule=schedule, category=FeeCategory.GROUP, amount=Decimal("280000")),
    ])
    missing = RUN_PARTICIPANTS - members_in_year(RUN_YEAR).count()
    if missing > 0:
        _top_up_members(ctx, missing)
    _history(ctx, schedule)
    ctx["billing_schedule"] = schedule


def bench_billing(ctx: dict, repeat: int) -> list[dict]:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from bench.run import measure, page
    from polyfon.billing import ehf, selectors, services
    from polyfon.billing.models import Invoice
    from polyfon.billing.pdf import render_pdf

    coordinator = ctx["coordinator"]
    issue_date = date(RUN_YEAR, 1, 20)
    plan = selectors.invoice_run_plan(year=RUN_YEAR, issue_date=issue_date)
    count = len(plan.invoices)

    def preview():
        return selectors.invoice_run_plan(year=RUN_YEAR, issue_date=issue_date).fingerprint

    def execute():
        with transaction.atomic():
            run = services.invoice_run_execute(year=RUN_YEAR, actor=coordinator, issue_date=issue_date, send=False)
            assert run.invoice_count == count
            transaction.set_rollback(True)  # the next repetition issues the same run again

    invoice = Invoice.objects.select_related("series").prefetch_related("lines").order_by("-number").first()

    def pdf():
        render_pdf(invoice)

    def ehf_file():
        ehf.document_xml(invoice)

    client = Client()
    client.force_login(coordinator)
    invoices_url = reverse("billing:invoice_list")
    heavy = max(3, min(repeat, 5))
    rows = [
        measure(f"run preview ({count} invoices)", preview, repeat=heavy),
        measure(f"run execution ({count} invoices, rolled back)", execute, repeat=heavy),
        measure("invoice PDF, one (WeasyPrint, in the worker)", pdf, repeat=max(5, min(repeat, 10))),
        measure("invoice EHF file, one (build + rules)", ehf_file, repeat=repeat),
        measure(f"invoice list ({Invoice.objects.count()} invoices, 50 a page)", page(client, invoices_url), repeat=repeat),
        measure("invoice list, overdue, by outstanding", page(client, invoices_url + "?status=overdue&sort=-outstanding"),
                repeat=repeat),
        measure("invoice list, search by KID", page(client, invoices_url + f"?q={invoice.kid}"), repeat=repeat),
        measure("invoice list, last page", page(client, invoices_url + "?page=last"), repeat=repeat),
        measure("invoice list as XLSX (one year)", page(client, invoices_url + "?year=2020&format=xlsx"), repeat=heavy),
        measure("economy page (a year of the history)", page(client, reverse("billing:economy") + "?year=2020"),
                repeat=repeat),
    ]
    return rows


BENCHMARKS = {"billing": bench_billing}
