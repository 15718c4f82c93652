"""The money side's main flows in a real browser, with an axe-core scan of every page visited:
the annual invoice run, an invoice's life (PDF, payment, credit note), a bank statement imported
and followed up, a contact's own invoices, the economy for the steering group, a fee schedule."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from polyfon.billing import services
from polyfon.billing.models import CreditNote, FeeSchedule, Invoice, InvoiceStatus, PaymentImport
from polyfon.billing.tests.factories import FeeScheduleFactory
from polyfon.core.dates import local_today
from polyfon.members.models import ContactRole
from polyfon.members.tests.factories import (
    MemberFactory,
    OrganisationFactory,
    ParticipantContactFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _outbox(settings, tmp_path):
    settings.BILLING_EHF_OUTBOX = str(tmp_path / "ehf-outbox")


def log_in(page, live_server, user):
    """A session for `user` and English pages (the catalogues may lag behind new text)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
        {"name": "polyfon_language", "value": "en", "url": live_server.url},
    ])


def coordinator():
    return UserFactory(email="koord@example.no", full_name="Kari Koordinator", is_coordinator=True)


def test_coordinator_previews_and_executes_the_annual_run(page, axe, live_server):
    FeeScheduleFactory()
    MemberFactory(name="Bergen kommune")
    MemberFactory(name="Trondheim kommune", member_since=date(local_today().year, 1, 1))
    MemberFactory(name="Askøy kommune", organisation=OrganisationFactory(name="Askøy kommune", buyer_reference=""))
    log_in(page, live_server, coordinator())
    page.goto("/kontor/")
    page.get_by_role("navigation", name="Office menu").get_by_role("link", name="Invoice runs").click()
    axe(page, context="invoice runs")
    page.get_by_role("button", name="Show the preview").click()
    page.wait_for_url(re.compile(r".*/kontor/fakturering/\d{4}/.*"))
    axe(page, context="run preview")
    assert page.get_by_test_id("planned-count").inner_text() == "2"
    assert page.get_by_text("receives EHF but has no buyer reference").is_visible()
    page.get_by_role("button", name="Issue 2 invoices").click()
    page.wait_for_url(re.compile(r".*/kontor/fakturering/kjoringer/\d+/$"))
    axe(page, context="executed run")
    assert Invoice.objects.count() == 2
    trondheim = Invoice.objects.get(participant__name="Trondheim kommune")
    assert trondheim.net_amount == Decimal("75000.00")  # first year, half price
    assert trondheim.dispatches.get().outcome == "sent"  # EHF in the outbox
    page.get_by_role("link", name=trondheim.display_number, exact=True).click()
    axe(page, context="invoice page")
    assert page.get_by_role("heading", name=f"Invoice {trondheim.display_number}").is_visible()


def test_an_invoice_is_paid_downloaded_and_credited(page, axe, live_server):
    FeeScheduleFactory()
    member = MemberFactory(name="Bergen kommune")
    user = coordinator()
    invoice = services.invoice_issue(
        actor=user, buyer=member.organisations.get(), participant=member, year=local_today().year,
        lines=[services.LineInput("Fagdag", Decimal("1"), Decimal("10000"))], send=False,
    )
    log_in(page, live_server, user)
    page.goto(invoice.get_absolute_url())
    axe(page, context="invoice page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Invoice as PDF").click()
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    with page.expect_download() as download:
        page.get_by_role("link", name="Invoice as EHF (XML)").click()
    assert b"urn:fdc:peppol.eu:2017:poacc:billing:01:1.0" in open(download.value.path(), "rb").read()
    page.get_by_role("link", name="Register a payment").click()
    axe(page, context="payment form")
    page.get_by_label("Amount", exact=True).fill("4 000,00")
    page.get_by_label("Paid on").fill(local_today().isoformat())
    page.get_by_role("button", name="Register a payment").click()
    page.wait_for_url(f"**{invoice.get_absolute_url()}")
    assert page.get_by_test_id("outstanding").inner_text().replace("\xa0", " ") == "NOK 6,000"
    page.get_by_role("link", name="Issue a credit note").click()
    axe(page, context="credit form")
    page.get_by_label("Part of the amount").check()
    page.get_by_label("Amount to credit (excl. VAT)").fill("6000")
    page.get_by_label("Reason").fill("Rabatt avtalt i telefon")
    page.get_by_role("button", name="Issue a credit note").click()
    page.wait_for_url(f"**{invoice.get_absolute_url()}")
    axe(page, context="invoice page after credit")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.outstanding == 0
    credit_note = CreditNote.objects.get()
    with translation.override("en"):  # the page is in English (language cookie)
        link_name = str(credit_note)
    page.get_by_role("link", name=link_name).click()
    axe(page, context="credit note page")


def test_a_bank_statement_is_imported_and_an_unknown_kid_followed_up(page, axe, live_server, tmp_path):
    FeeScheduleFactory()
    member = MemberFactory(name="Bergen kommune")
    user = coordinator()
    invoice = services.invoice_issue(
        actor=user, buyer=member.organisations.get(), participant=member, year=local_today().year,
        lines=[services.LineInput("Fagdag", Decimal("1"), Decimal("1500"))], send=False,
    )
    statement = tmp_path / "kontoutskrift.csv"
    today = local_today().strftime("%d.%m.%Y")
    statement.write_text(
        "Dato;Forklaring;KID;Arkivref;Inn på konto;Ut fra konto\n"
        f"{today};Innbetaling;0000009991;812;1 500,00;\n{today};Husleie;;813;;9 000,00\n",
        encoding="utf-8",
    )
    log_in(page, live_server, user)
    page.goto("/kontor/innbetalinger/")
    axe(page, context="payment list")
    page.get_by_role("link", name="Import a payment file").click()
    axe(page, context="import page")
    page.get_by_label("Bank statement (CSV)").check()
    page.get_by_label("File", exact=True).set_input_files(str(statement))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r".*/kontor/innbetalinger/import/\d+/$"))
    axe(page, context="import report")
    assert page.get_by_test_id("registered-count").inner_text() == "0"
    page.get_by_role("link", name="Follow up line 2").click()
    axe(page, context="follow-up form")
    page.get_by_label("Book on invoice number").fill(invoice.display_number)
    page.get_by_label("What was done").fill("Feil KID; gjelder fagdagen")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/kontor/innbetalinger/import/\d+/$"))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and PaymentImport.objects.get().lines.get().resolved


def test_a_contact_downloads_their_invoice(page, axe, live_server):
    FeeScheduleFactory()
    member = MemberFactory(name="Bergen kommune")
    other = MemberFactory(name="Askøy kommune")
    user = UserFactory(email="kontakt@example.no", full_name="Kristin Kontakt")
    ParticipantContactFactory(participant=member, person=PersonFactory(email=user.email, user=user), role=ContactRole.INVOICE)
    run = services.invoice_run_execute(year=local_today().year, actor=None, issue_date=local_today(), send=False)
    own = run.invoices.get(participant=member)
    log_in(page, live_server, user)
    page.goto("/min-side/")
    axe(page, context="my pages")
    page.get_by_role("navigation", name="My pages").get_by_role("link", name="Invoices").click()
    axe(page, context="my invoices")
    assert page.get_by_role("cell", name=own.display_number, exact=True).is_visible()
    assert page.get_by_text(str(other)).count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name=f"PDF of invoice {own.display_number}").click()
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"


def test_the_steering_group_reads_the_economy(page, axe, live_server):
    FeeScheduleFactory()
    member = MemberFactory(name="Bergen kommune")
    user = UserFactory(email="styre@example.no", full_name="Sigurd Styre")
    ParticipantContactFactory(participant=member, person=PersonFactory(email=user.email, user=user),
                              role=ContactRole.STEERING_REP)
    run = services.invoice_run_execute(year=local_today().year, actor=None, issue_date=local_today() - timedelta(days=1),
                                       send=False)
    services.payment_register(invoice=run.invoices.get(), amount=Decimal("50000"), paid_on=local_today(), actor=None)
    log_in(page, live_server, user)
    page.goto("/kontor/")
    page.get_by_role("navigation", name="Office menu").get_by_role("link", name="Economy").click()
    axe(page, context="economy")
    assert page.get_by_test_id("outstanding-total").inner_text().replace("\xa0", " ") == "NOK 100,000"
    assert page.get_by_test_id("return-target").inner_text().replace("\xa0", " ") == "NOK 75,000"
    page.get_by_role("navigation", name="Office menu").get_by_role("link", name="Fee schedules").click()
    axe(page, context="fee schedules")
    assert page.get_by_role("link", name="New fee schedule").count() == 0


def test_the_coordinator_registers_next_years_fees(page, axe, live_server):
    FeeScheduleFactory()
    log_in(page, live_server, coordinator())
    page.goto("/kontor/avgifter/")
    axe(page, context="fee schedules")
    page.get_by_role("link", name="New fee schedule").click()
    axe(page, context="new fee schedule")
    page.get_by_label("In force from year").fill("2027")
    page.get_by_label("Decision reference").fill("Styringsgruppesak 4/2026")
    page.get_by_label("Fee: ordinary participant").fill("160 000")
    page.get_by_label("Bank account number").fill("5205 12 34564")  # wrong check digit
    page.get_by_role("button", name="Register").click()
    assert page.locator("#id_supplier_bank_account_error").is_visible()
    axe(page, context="fee schedule form with errors")
    page.get_by_label("Bank account number").fill("5205 12 34561")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r".*/kontor/avgifter/\d+/$"))
    axe(page, context="fee schedule page")
    schedule = FeeSchedule.objects.get(year=2027)
    assert {r.category: r.amount for r in schedule.rates.all()}["ordinary"] == Decimal("160000")
