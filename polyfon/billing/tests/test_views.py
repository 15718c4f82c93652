"""The money side's pages through their real URLs and permissions: lists with constant queries,
the run preview and execution, forms that call the services, downloads, the economy, /min-side/."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from polyfon.billing import services
from polyfon.billing.models import CreditNote, FeeSchedule, Invoice, InvoiceRun, InvoiceStatus, PaymentImport
from polyfon.members.models import FeeCategory
from polyfon.members.tests.factories import (
    MemberFactory,
    OrganisationFactory,
)

from .factories import BANK_ACCOUNT

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


# --- Lists -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["billing:invoice_list", "billing:credit_note_list", "billing:payment_list", "billing:dispatch_list",
                 "billing:reminder_list", "billing:economy"],
)
def test_list_pages_use_a_constant_number_of_queries(client, coordinator, issue, url_name, travel_to, fast_pdf):
    travel_to(date(2026, 5, 1))  # everything issued below is overdue

    def more(n):
        for _ in range(n):
            invoice = issue(amount="1000")
            services.payment_register(invoice=invoice, amount=Decimal("100"), paid_on=date(2026, 3, 2), actor=coordinator)
            services.invoice_credit(invoice=invoice, actor=coordinator, reason="Rabatt", amount=Decimal("10"), send=False)
            services.document_deliver(document=invoice)

    client.force_login(coordinator)
    url = reverse(url_name)
    more(2)
    few = queries(client, url)
    more(8)
    assert queries(client, url) == few


def test_my_invoices_use_a_constant_number_of_queries(client, contact_user, member, issue, coordinator):
    client.force_login(contact_user)
    url = reverse("billing:mine_invoices")
    for _ in range(2):
        services.invoice_credit(invoice=issue(member), actor=coordinator, reason="Rabatt", amount=Decimal("10"), send=False)
    few = queries(client, url)
    for _ in range(8):
        services.invoice_credit(invoice=issue(member), actor=coordinator, reason="Rabatt", amount=Decimal("10"), send=False)
    assert queries(client, url) == few
    assert client.get(url).content.decode().count("/dokumenter/fakturaer/") == 20  # PDF and EHF of each


def test_invoice_list_filters_by_status_and_exports(client, coordinator, issue, travel_to):
    travel_to(date(2026, 4, 15))
    overdue = issue(issue_date=date(2026, 3, 1))  # due 31 March, not yet marked by the nightly job
    open_invoice = issue(issue_date=date(2026, 4, 1))  # due 1 May
    client.force_login(coordinator)
    html = client.get(reverse("billing:invoice_list"), {"status": "overdue"}).content.decode()
    assert f">{overdue.display_number}<" in html and f">{open_invoice.display_number}<" not in html
    response = client.get(reverse("billing:invoice_list"), {"format": "xlsx", "sort": "number"})
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert len(rows) == 3 and rows[1][0] == overdue.display_number and rows[1][6] == Decimal("1000")
    csv = client.get(reverse("billing:invoice_list"), {"format": "csv", "q": overdue.kid}).content.decode("utf-8-sig")
    assert overdue.kid in csv and open_invoice.kid not in csv
    # The accountant's period: by invoice date, whatever year the fee is for.
    html = client.get(reverse("billing:invoice_list"), {"issued_from": "2026-03-15", "issued_to": "2026-04-30"}).content.decode()
    assert f">{open_invoice.display_number}<" in html and f">{overdue.display_number}<" not in html


def test_invoice_list_search_finds_the_number(client, coordinator, issue):
    first, second = issue(), issue()
    client.force_login(coordinator)
    html = client.get(reverse("billing:invoice_list"), {"q": str(second.number)}).content.decode()
    assert f'href="{second.get_absolute_url()}"' in html and f'href="{first.get_absolute_url()}"' not in html


# --- The invoice run ----------------------------------------------------------------------------------------------------


def test_the_preview_lists_invoices_and_problems_then_issues(english, coordinator, schedule):
    good = MemberFactory(name="Bergen kommune")
    MemberFactory(name="Askøy kommune", organisation=OrganisationFactory(receives_ehf=True, buyer_reference=""))
    english.force_login(coordinator)
    response = english.get(reverse("billing:invoice_run_list"), {"year": "2026", "issue_date": "2026-01-20"})
    assert response.status_code == 302
    preview = english.get(response["Location"])
    html = preview.content.decode()
    assert "Bergen kommune" in html and "no buyer reference" in html and 'data-testid="planned-count">1<' in html
    fingerprint = preview.context["plan"].fingerprint
    response = english.post(reverse("billing:invoice_run_preview", args=[2026]),
                            {"fingerprint": fingerprint, "issue_date": "2026-01-20"})
    run = InvoiceRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert [i.participant for i in Invoice.objects.all()] == [good]
    detail = english.get(run.get_absolute_url()).content.decode()
    assert "no buyer reference" in detail


def test_a_stale_preview_is_not_issued(english, coordinator, schedule):
    MemberFactory()
    english.force_login(coordinator)
    response = english.post(reverse("billing:invoice_run_preview", args=[2026]),
                            {"fingerprint": "0" * 64, "issue_date": "2026-01-20"}, follow=True)
    assert not Invoice.objects.exists()
    assert "changed since the preview" in response.content.decode()


def test_the_preview_without_a_schedule_says_what_to_do(english, coordinator):
    english.force_login(coordinator)
    html = english.get(reverse("billing:invoice_run_preview", args=[2026])).content.decode()
    assert "no fee schedule" in html and reverse("billing:fee_schedule_create") in html


# --- Invoices, credit notes, payments ----------------------------------------------------------------------------------------


def test_an_invoice_is_issued_by_hand_through_the_form(client, coordinator, schedule):
    member = MemberFactory()
    client.force_login(coordinator)
    response = client.post(reverse("billing:invoice_create"), {
        "buyer": member.organisations.get().pk, "participant": member.pk, "year": "2026", "issue_date": "2026-03-01",
        "due_date": "", "buyer_reference": "", "note": "Fagdag",
        "line-TOTAL_FORMS": "3", "line-INITIAL_FORMS": "0", "line-MIN_NUM_FORMS": "0", "line-MAX_NUM_FORMS": "20",
        "line-0-description": "Fagdag 12. mars", "line-0-quantity": "12", "line-0-unit_price": "1 500,00",
        "line-1-description": "Lunsj", "line-1-quantity": "12", "line-1-unit_price": "150",
    })
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response["Location"] == invoice.get_absolute_url()
    assert invoice.net_amount == Decimal("19800.00") and invoice.lines.count() == 2 and invoice.note == "Fagdag"


def test_a_domain_error_is_shown_on_the_invoice_form(english, coordinator, schedule):
    member = MemberFactory()
    english.force_login(coordinator)
    response = english.post(reverse("billing:invoice_create"), {
        "buyer": OrganisationFactory().pk, "participant": member.pk, "year": "2026", "issue_date": "2026-03-01",
        "line-TOTAL_FORMS": "1", "line-INITIAL_FORMS": "0", "line-MIN_NUM_FORMS": "0", "line-MAX_NUM_FORMS": "20",
        "line-0-description": "X", "line-0-quantity": "1", "line-0-unit_price": "10",
    })
    assert response.status_code == 200 and "is not part of" in response.content.decode()
    assert not Invoice.objects.exists()


def test_credit_and_correct(client, coordinator, issue):
    invoice = issue(amount="1000")
    client.force_login(coordinator)
    response = client.post(reverse("billing:invoice_credit", args=[invoice.pk]),
                           {"scope": "whole", "reason": "Feil beløp", "correct": "on"})
    assert response.status_code == 302 and response["Location"].endswith(f"?corrects={invoice.pk}")
    form = client.get(response["Location"])
    assert form.context["formset"].initial[0]["unit_price"] == Decimal("1000.00")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CREDITED
    assert client.get(reverse("billing:invoice_credit", args=[invoice.pk])).status_code == 404  # nothing left


def test_part_credit_needs_the_amount(english, coordinator, issue):
    invoice = issue(amount="1000")
    english.force_login(coordinator)
    response = english.post(reverse("billing:invoice_credit", args=[invoice.pk]), {"scope": "part", "reason": "Rabatt"})
    assert response.status_code == 200 and not CreditNote.objects.exists()
    english.post(reverse("billing:invoice_credit", args=[invoice.pk]), {"scope": "part", "amount": "250", "reason": "Rabatt"})
    assert CreditNote.objects.get().net_amount == Decimal("250")


def test_a_payment_is_registered_through_the_form(client, coordinator, issue):
    invoice = issue(amount="1000")
    client.force_login(coordinator)
    page = client.get(reverse("billing:invoice_payment", args=[invoice.pk]))
    assert page.context["form"].initial["amount"] == Decimal("1000.00")
    client.post(reverse("billing:invoice_payment", args=[invoice.pk]),
                {"amount": "1 000,00", "paid_on": "2026-03-05", "reference": "99", "note": ""})
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("1000")


def test_the_invoice_page_offers_what_its_status_allows(client, coordinator, issue, travel_to):
    travel_to(date(2026, 3, 10))
    invoice = issue()
    client.force_login(coordinator)
    html = client.get(invoice.get_absolute_url()).content.decode()
    assert reverse("billing:invoice_credit", args=[invoice.pk]) in html
    assert reverse("billing:invoice_remind", args=[invoice.pk]) not in html  # not overdue
    assert client.get(reverse("billing:invoice_remind", args=[invoice.pk])).status_code == 404
    travel_to(date(2026, 4, 10))
    client.force_login(coordinator)  # a month later: a new session
    html = client.get(invoice.get_absolute_url()).content.decode()
    assert reverse("billing:invoice_remind", args=[invoice.pk]) in html


def test_a_reminder_is_sent_through_the_form(client, coordinator, issue, travel_to):
    invoice = issue()
    travel_to(date(2026, 4, 10))
    client.force_login(coordinator)
    response = client.post(reverse("billing:invoice_remind", args=[invoice.pk]), {"new_due_date": "2026-04-30"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.reminder_due_date == date(2026, 4, 30)
    short = client.post(reverse("billing:invoice_remind", args=[invoice.pk]), {"new_due_date": "2026-04-15"})
    assert short.status_code == 200


def test_the_reminder_page_sends_what_is_due(client, coordinator, issue, travel_to):
    invoice = issue()
    travel_to(date(2026, 4, 10))
    client.force_login(coordinator)
    assert invoice.display_number in client.get(reverse("billing:reminder_list")).content.decode()
    client.post(reverse("billing:reminder_list"))
    invoice.refresh_from_db()
    assert invoice.reminder_count == 1


def test_sending_again_from_the_invoice_page(client, coordinator, issue, django_capture_on_commit_callbacks):
    invoice = issue()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("billing:invoice_send", args=[invoice.pk]))
    assert invoice.dispatches.get().actor == coordinator


# --- Payment files -------------------------------------------------------------------------------------------------------------


def test_a_payment_file_is_imported_and_followed_up(english, coordinator, issue, travel_to):
    travel_to(date(2026, 3, 12))
    invoice = issue(amount="1000")
    statement = f"Dato;Forklaring;KID;Inn på konto\n10.03.2026;Bergen;{invoice.kid};1 000,00\n11.03.2026;?;0000009991;50,00\n"
    english.force_login(coordinator)
    response = english.post(reverse("billing:payment_import"),
                            {"format": "csv", "file": SimpleUploadedFile("konto.csv", statement.encode())})
    record = PaymentImport.objects.get()
    assert response["Location"] == record.get_absolute_url()
    html = english.get(record.get_absolute_url()).content.decode()
    assert 'data-testid="registered-count">1<' in html and "Unknown KID" in html
    line = record.lines.get(kid="0000009991")
    english.post(reverse("billing:payment_line_resolve", args=[line.pk]), {"invoice": "", "note": "Betalt tilbake"})
    line.refresh_from_db()
    assert line.resolved and english.get(reverse("billing:payment_line_resolve", args=[line.pk])).status_code == 404
    again = english.post(reverse("billing:payment_import"),
                         {"format": "csv", "file": SimpleUploadedFile("igjen.csv", statement.encode())})
    assert again.status_code == 200 and "was imported" in again.content.decode()


def test_the_import_form_checks_the_kind_of_file(english, coordinator, schedule):
    english.force_login(coordinator)
    response = english.post(reverse("billing:payment_import"),
                            {"format": "ocr", "file": SimpleUploadedFile("konto.csv", b"Dato;Inn\n")})
    assert "not an OCR giro file" in response.content.decode()
    response = english.post(reverse("billing:payment_import"),
                            {"format": "csv", "file": SimpleUploadedFile("bilde.csv", b"\x89PNG\x00\x00")})
    assert "not a text file" in response.content.decode()
    assert not PaymentImport.objects.exists()


def test_an_unknown_kid_is_booked_by_invoice_number(client, coordinator, issue, travel_to):
    travel_to(date(2026, 3, 12))
    invoice = issue(amount="50")
    record = services.payment_import(
        uploaded=SimpleUploadedFile("k.csv", b"Dato;KID;Inn\n10.03.2026;0000009991;50,00\n"), fmt="csv", actor=coordinator)
    client.force_login(coordinator)
    client.post(reverse("billing:payment_line_resolve", args=[record.lines.get().pk]),
                {"invoice": invoice.display_number, "note": "Feil KID"})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


# --- Fee schedules and settings -----------------------------------------------------------------------------------------------


def test_a_fee_schedule_is_registered_through_the_form(english, coordinator, schedule):
    english.force_login(coordinator)
    page = english.get(reverse("billing:fee_schedule_create"))
    initial = page.context["form"].initial
    assert initial["year"] == 2022 and initial["rate_group"] == Decimal("280000")
    data = {k: v for k, v in initial.items() if v is not None}
    data.update(year="2027", decided_on="2026-10-01", decision_reference="SG 4/2026", rate_ordinary="160 000",
                rate_large="290000", rate_group="290000", supplier_bank_account="5205 12 34561",
                supplier_vat_registered="on")
    data.pop("supplier_in_business_register", None)
    response = english.post(reverse("billing:fee_schedule_create"), data)
    created = FeeSchedule.objects.get(year=2027)
    assert response.status_code == 302 and created.supplier_bank_account == BANK_ACCOUNT
    assert {r.category: r.amount for r in created.rates.all()}[FeeCategory.ORDINARY] == Decimal("160000")


def test_a_wrong_bank_account_is_explained(english, coordinator, schedule):
    english.force_login(coordinator)
    data = {**english.get(reverse("billing:fee_schedule_create")).context["form"].initial}
    data = {k: v for k, v in data.items() if v is not None}
    data.update(year="2027", decided_on="2026-10-01", decision_reference="SG", supplier_bank_account="5205 12 34564")
    response = english.post(reverse("billing:fee_schedule_create"), data)
    assert response.status_code == 200 and "not a valid Norwegian account number" in response.content.decode()


def test_steering_members_read_fee_schedules_but_do_not_change_them(client, steering_user, schedule):
    client.force_login(steering_user)
    html = client.get(reverse("billing:fee_schedule_list")).content.decode()
    assert schedule.get_absolute_url() in html and reverse("billing:fee_schedule_create") not in html


def test_settings_and_number_series(english, coordinator, issue):
    english.force_login(coordinator)
    english.post(reverse("billing:billing_settings"), {
        "settings": "1", "settings-reminder_interval_days": "21", "settings-reminder_deadline_days": "14",
        "settings-max_reminders": "3", "settings-automatic_reminders": "on"})
    from polyfon.billing.selectors import billing_settings

    assert billing_settings().reminder_interval_days == 21
    english.post(reverse("billing:billing_settings"), {"invoice": "1", "invoice-prefix": "", "invoice-next_number": "5001"})
    assert issue().number == 5001
    response = english.post(reverse("billing:billing_settings"),
                            {"invoice": "1", "invoice-prefix": "", "invoice-next_number": "9001"})
    assert "can no longer change" in response.content.decode()


def test_the_join_page_shows_the_fee_schedule_in_force(english, schedule):
    html = english.get(reverse("members:join")).content.decode()
    assert "Annual fee 2021" in html and "NOK\xa0280,000" in html and "NOK\xa075,000" in html


# --- The economy ---------------------------------------------------------------------------------------------------------------


def test_the_economy_of_a_year(english, steering_user, coordinator, schedule, travel_to):
    travel_to(date(2026, 3, 1))
    ordinary = MemberFactory()
    MemberFactory(fee_category=FeeCategory.LARGE, member_since=date(2026, 1, 1))
    run = services.invoice_run_execute(year=2026, actor=coordinator, issue_date=date(2026, 1, 20), send=False)
    paid = run.invoices.get(participant=ordinary)
    services.payment_register(invoice=paid, amount=Decimal("150000"), paid_on=date(2026, 2, 1), actor=coordinator)
    other = services.invoice_issue(actor=coordinator, buyer=ordinary.organisations.get(), participant=ordinary, year=2026,
                                   lines=[services.LineInput("Fagdag", Decimal("1"), Decimal("10000"))], send=False)
    services.invoice_credit(invoice=other, actor=coordinator, reason="Avlyst", send=False)
    english.force_login(steering_user)
    response = english.get(reverse("billing:economy"), {"year": "2026"})
    economy = response.context["economy"]
    # The steering member's own participant (an ordinary member) is invoiced too.
    assert (economy.totals.invoiced, economy.totals.credited, economy.totals.paid, economy.totals.outstanding) == (
        Decimal("450000.00"), Decimal("10000.00"), Decimal("150000.00"), Decimal("290000.00"))
    assert economy.income == Decimal("440000.00") and economy.return_target == Decimal("220000.00")
    assert [(r.label, r.invoiced) for r in economy.by_category] == [
        ("Ordinary", Decimal("300000.00")), ("Large participant", Decimal("140000.00")), ("Other", Decimal("10000.00"))]
    assert economy.granted == Decimal("0")  # the funding app's grants of the year
    assert 'data-testid="return-target">NOK\xa0220,000<' in response.content.decode()
    workbook = load_workbook(BytesIO(english.get(reverse("billing:economy"), {"year": "2026", "format": "xlsx"}).content))
    assert workbook.sheetnames == ["Summary", "By fee category", "By participant"]
    assert list(workbook["By participant"].values)[-1][2] == 450000


def test_granted_funds_count_against_the_target(coordinator, schedule, monkeypatch):
    from polyfon.billing import selectors

    MemberFactory()
    services.invoice_run_execute(year=2026, actor=coordinator, issue_date=date(2026, 1, 20), send=False)
    monkeypatch.setattr(selectors, "granted_total", lambda year: Decimal("100000"))
    economy = selectors.economy(2026)
    assert economy.return_target == Decimal("75000.00") and economy.beyond_target == Decimal("25000")
    assert economy.granted_share == Decimal("66.67") and economy.remaining_to_return == 0


# --- The participant's own pages and the documents --------------------------------------------------------------------------------


def test_a_contact_sees_their_own_invoices_and_nobody_elses(client, contact_user, member, issue, coordinator):
    own = issue(member)
    other = issue()
    credit_note = services.invoice_credit(invoice=own, actor=coordinator, reason="Avlyst", send=False)
    client.force_login(contact_user)
    html = client.get(reverse("billing:mine_invoices")).content.decode()
    assert reverse("billing:invoice_pdf", args=[own.pk]) in html
    assert reverse("billing:credit_note_ehf", args=[credit_note.pk]) in html
    assert reverse("billing:invoice_pdf", args=[other.pk]) not in html
    assert client.get(reverse("billing:invoice_pdf", args=[other.pk])).status_code == 403
    pdf = client.get(reverse("billing:invoice_pdf", args=[own.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"] == f'attachment; filename="faktura-{own.display_number}.pdf"'
    ehf_file = client.get(reverse("billing:invoice_ehf", args=[own.pk]))
    assert ehf_file["Content-Type"].startswith("application/xml") and b"<Invoice" in ehf_file.content


def test_the_invoices_menu_is_for_contacts(client, contact_user, registered_user):
    client.force_login(contact_user)
    assert reverse("billing:mine_invoices") in client.get(reverse("members:mine_home")).content.decode()
    client.force_login(registered_user)
    assert reverse("billing:mine_invoices") not in client.get(reverse("members:mine_home")).content.decode()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_pages_render_in_every_language(client, coordinator, issue, language, settings):
    invoice = issue()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(coordinator)
    for url in [invoice.get_absolute_url(), reverse("billing:invoice_list"), reverse("billing:economy"),
                reverse("billing:invoice_run_preview", args=[2026]), reverse("billing:fee_schedule_list")]:
        response = client.get(url)
        assert response.status_code == 200 and f'lang="{language}"' in response.content.decode()


def test_an_ehf_file_breaking_a_rule_is_not_handed_out(english, contact_user, member, issue, coordinator):
    invoice = issue(member)
    Invoice.objects.filter(pk=invoice.pk).update(buyer_reference="")
    english.force_login(contact_user)
    response = english.get(reverse("billing:invoice_ehf", args=[invoice.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("billing:mine_invoices")
    assert "PEPPOL-EN16931-R003" in response.content.decode()
    english.force_login(coordinator)
    response = english.get(reverse("billing:invoice_ehf", args=[invoice.pk]))
    assert response["Location"] == invoice.get_absolute_url()
