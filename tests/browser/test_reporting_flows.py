"""Reporting's main flows in a real browser, with an axe-core scan of every page visited: a
participant's contact reports (saves, submits, corrects); the coordinator runs the round and
reminds; imports a file from the national patient register; writes, publishes and the public
reads the annual report with its charts."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from polyfon.members.tests.factories import UserFactory
from polyfon.reporting import services
from polyfon.reporting.models import (
    AnnualReport,
    ImportStatus,
    IndicatorImport,
    IndicatorValue,
    ParticipantReport,
    ReportCorrection,
    ReportingRound,
    ReportStatus,
    RoundReminder,
    RoundStatus,
    SubmissionStatus,
)
from polyfon.reporting.tests.factories import NPR_CSV, areas, contact_for, full_answers, indicator, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _english(page, live_server):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])


def _log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}]
    )


def _coordinator():
    return UserFactory(email="koord@example.no", full_name="Kari Koordinator", is_coordinator=True)


def test_a_contact_saves_submits_and_corrects_the_indicator_report(page, axe, live_server):
    bergen = member("Bergen kommune")
    user = contact_for(bergen, name="Kristin Kontakt")
    reporting_round = services.round_create(
        actor=None, year=2025, deadline=date(2099, 2, 1), indicators=[indicator("mt_fte"), indicator("services_offered")],
        intro="Tallene brukes i årsmeldingen.",
    )
    services.round_open(reporting_round=reporting_round, actor=_coordinator())
    first, second = areas()[:2]
    _english(page, live_server)
    _log_in(page, live_server, user)
    page.goto("/min-side/rapportering/")
    axe(page, context="my reports")
    page.get_by_role("link", name=re.compile(r"Fill in")).click()
    page.wait_for_url(re.compile(r".*/min-side/rapportering/\d+/\d+/$"))
    axe(page, context="report form")
    page.get_by_label(first.name_en).first.fill("3")
    page.get_by_role("button", name="Save without submitting").click()
    assert page.get_by_text("The answers are saved").is_visible()
    assert ParticipantReport.objects.get().status == SubmissionStatus.DRAFT
    page.get_by_role("button", name="Submit", exact=True).click()
    # The missing answer is explained, the summary takes focus, and nothing typed is lost.
    assert page.get_by_text("Give a value for every question").is_visible()
    assert page.get_by_label(first.name_en).first.input_value() == "3"
    axe(page, context="report form with an error")
    page.get_by_label("Music-therapy full-time equivalents").fill("1,5")
    page.get_by_label(second.name_en).first.fill("2")
    page.get_by_role("button", name="Submit", exact=True).click()
    assert page.get_by_text("The report is submitted").is_visible()
    axe(page, context="submitted report")
    report = ParticipantReport.objects.get()
    assert report.status == SubmissionStatus.SUBMITTED
    assert report.values.get(indicator__code="mt_fte").value == Decimal("1.5")
    assert any(m.to == [user.email] for m in mail.outbox)

    page.get_by_role("link", name="Correct the report").click()
    axe(page, context="correction form")
    page.get_by_label("Music-therapy full-time equivalents").fill("2")
    page.get_by_label("Why is the report corrected?").fill("En stilling var glemt.")
    page.get_by_role("button", name="Save the correction").click()
    assert page.get_by_text("En stilling var glemt.").is_visible()
    axe(page, context="corrected report")
    assert ReportCorrection.objects.get().changes[0]["new"] == "2"


def test_the_coordinator_opens_a_round_sees_who_is_missing_and_reminds_them(page, axe, live_server):
    coordinator = _coordinator()
    bergen, alver = member("Bergen kommune"), member("Alver kommune")
    _english(page, live_server)
    _log_in(page, live_server, coordinator)
    page.goto("/kontor/rapportering/")
    axe(page, context="rounds")
    page.get_by_role("link", name="New reporting round").click()
    axe(page, context="new round")
    page.get_by_label("Year reported on").fill("2025")
    page.get_by_label("Deadline", exact=True).fill("2099-02-15")
    page.get_by_label("Message to the participants").fill("Tallene brukes i årsmeldingen for 2025.")
    page.get_by_role("button", name="Prepare the round").click()
    page.wait_for_url(re.compile(r".*/kontor/rapportering/\d+/$"))
    axe(page, context="round being prepared")
    page.get_by_role("link", name="Open the round").click()
    axe(page, context="confirm opening")
    page.get_by_role("button", name="Open the round").click()
    assert page.get_by_text("Done: Open the round.").is_visible()
    reporting_round = ReportingRound.objects.get(year=2025)
    assert reporting_round.status == RoundStatus.OPEN
    invited = {m.to[0] for m in mail.outbox}
    assert {p.contacts.get(role="main").person.email for p in (bergen, alver)} <= invited

    services.report_submit(reporting_round=reporting_round, participant=bergen, actor=coordinator,
                           answers=full_answers(reporting_round))
    page.reload()
    axe(page, context="round with one submission")
    page.get_by_role("link", name=re.compile("not started")).click()
    assert page.get_by_role("cell", name="Alver kommune", exact=True).is_visible()
    assert page.get_by_role("cell", name="Bergen kommune", exact=True).count() == 0
    page.get_by_role("button", name=re.compile(r"Remind the 1 participant")).click()
    assert page.get_by_text("Reminders are on their way to 1 participants").is_visible()
    assert RoundReminder.objects.get().participant == alver
    page.get_by_role("link", name="Bergen kommune").click()
    axe(page, context="a submission")
    assert page.get_by_role("heading", name=re.compile("Bergen kommune: indicator data for 2025")).is_visible()


def test_the_coordinator_imports_the_patient_registers_counts(page, axe, live_server):
    coordinator = _coordinator()
    _english(page, live_server)
    _log_in(page, live_server, coordinator)
    page.goto("/kontor/import/indikatorer/")
    axe(page, context="imports")
    bad = NPR_CSV + "2024;Helse Atlantis;12\n"
    page.get_by_label("CSV file").set_input_files(files=[{"name": "npr.csv", "mimeType": "text/csv", "buffer": bad.encode()}])
    page.get_by_label("Source").fill("Norsk pasientregister")
    page.get_by_role("button", name="Upload and read the columns").click()
    page.wait_for_url(re.compile(r".*/kontor/import/indikatorer/\d+/$"))
    axe(page, context="mapping")
    assert page.get_by_label("Column with the year").input_value() == "År"
    page.get_by_label(re.compile("Column with: Music-therapy contacts")).select_option("Kontakter")
    page.get_by_role("button", name="Check every row").click()
    assert page.get_by_text("Helse Atlantis").first.is_visible()
    axe(page, context="checked rows")
    page.get_by_role("button", name="Import", exact=True).click()
    assert page.get_by_text("The values are imported.").is_visible()
    axe(page, context="imported file")
    source_import = IndicatorImport.objects.get()
    assert source_import.status == ImportStatus.IMPORTED and source_import.failed_count == 1
    assert IndicatorValue.objects.filter(source_import=source_import).count() == 6
    page.get_by_role("link", name="Not imported").click()
    assert page.get_by_role("cell", name=re.compile("Helse Atlantis")).first.is_visible()


def test_the_coordinator_writes_and_publishes_the_annual_report_and_the_public_reads_it(page, axe, live_server):
    coordinator = _coordinator()
    for name in ["Bergen kommune", "Helse Bergen HF", "Alver kommune"]:
        member(name)
    reporting_round = services.round_create(actor=None, year=2025, deadline=date(2099, 2, 1), indicators=[indicator("mt_fte")])
    services.round_open(reporting_round=reporting_round, actor=coordinator)
    bergen = member("Stord kommune")
    services.report_submit(reporting_round=reporting_round, participant=bergen, actor=coordinator,
                           answers=full_answers(reporting_round, Decimal("2.5")))
    _english(page, live_server)
    _log_in(page, live_server, coordinator)
    page.goto("/kontor/arsmeldinger/")
    axe(page, context="annual reports")
    page.get_by_role("link", name="New annual report").click()
    page.get_by_label("Year", exact=True).fill("2025")
    page.get_by_label("Norwegian Nynorsk").check()
    page.get_by_label("Earlier years to compare with").fill("2")
    axe(page, context="new annual report")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r".*/kontor/arsmeldinger/\d+/$"))
    axe(page, context="annual report")
    report = AnnualReport.objects.get()
    assert report.language == "nn"
    page.get_by_role("link", name="Innleiing").click()
    page.get_by_label(re.compile(r"^Text")).fill("## Eit godt år\n\nKlynga **voks**. <script>alert(1)</script>")
    page.get_by_role("button", name="Show preview").click()
    page.locator("#preview-id_body_source strong").wait_for()
    axe(page, context="section form with preview")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/kontor/arsmeldinger/\d+/$"))
    page.get_by_role("link", name="Read the whole report").click()
    axe(page, context="preview of the report")
    assert page.locator("article svg[role=img]").count() > 3
    page.go_back()
    page.get_by_role("link", name="Publish").click()
    axe(page, context="confirm publishing")
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_text("Done: Publish.").is_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED

    page.context.clear_cookies()
    _english(page, live_server)
    page.goto("/")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Annual reports").click()
    axe(page, context="public list of annual reports")
    page.get_by_role("link", name="Årsmelding 2025").click()
    axe(page, context="public annual report")
    article = page.locator("article[lang=nn]")
    assert article.get_by_role("heading", name="Eit godt år").is_visible()
    assert article.locator("script").count() == 0
    chart = article.locator("svg[role=img]").first
    assert chart.locator("title").count() == 1 and chart.locator("desc").count() == 1
    assert article.get_by_role("table").count() > 3
    with page.expect_download() as download:
        page.get_by_role("link", name="The report as PDF").click()
    assert download.value.suggested_filename == "polyfon-arsmelding-2025.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
