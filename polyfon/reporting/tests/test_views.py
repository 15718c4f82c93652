"""Reporting's pages through the real URLs with the real permissions."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from polyfon.reporting import services
from polyfon.reporting.models import (
    AnnualReport,
    ImportStatus,
    Indicator,
    IndicatorImport,
    IndicatorValue,
    ParticipantReport,
    ReportCorrection,
    ReportingRound,
    ReportSection,
    ReportStatus,
    RoundReminder,
    RoundStatus,
    Source,
    SubmissionStatus,
)

from .factories import NPR_CSV, areas, contact_for, csv_file, full_answers, indicator, member, open_round

pytestmark = pytest.mark.django_db
D = Decimal


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


# --- Indicators ----------------------------------------------------------------------------------------------


def test_the_coordinator_adds_a_reported_indicator(english, coordinator):
    english.force_login(coordinator)
    response = english.post(
        reverse("reporting:indicator_create"),
        {"code": "music_groups", "source": Source.REPORTED, "topic": "services", "name": "Musikkgrupper",
         "unit": "count", "decimals": 0, "breakdowns": ["work_area"], "chart": "years", "position": 67, "is_active": "on"},
    )
    created = Indicator.objects.get(code="music_groups")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.per_work_area
    page = english.get(created.get_absolute_url()).content.decode()
    assert "Musikkgrupper" in page and "No figures for these years." in page


def test_a_duplicate_code_is_refused_at_the_field(english, coordinator):
    english.force_login(coordinator)
    response = english.post(
        reverse("reporting:indicator_create"),
        {"code": "mt_fte", "source": Source.REPORTED, "topic": "services", "name": "X", "unit": "count", "decimals": 0,
         "chart": "years", "position": 1},
    )
    assert response.status_code == 200 and 'id="id_code_error"' in response.content.decode()


def test_a_computed_indicator_keeps_its_unit_and_breakdowns(english, coordinator):
    english.force_login(coordinator)
    participants = indicator("participants")
    page = english.get(reverse("reporting:indicator_edit", args=[participants.pk])).content.decode()
    assert 'name="unit"' not in page and 'name="breakdowns"' not in page
    english.post(
        reverse("reporting:indicator_edit", args=[participants.pk]),
        {"name": "Klyngedeltakere", "decimals": 0, "chart": "years", "position": 10, "is_active": "on", "unit": "nok"},
    )
    participants.refresh_from_db()
    assert participants.name == "Klyngedeltakere" and participants.unit == "count"


def test_the_indicator_page_shows_the_live_figures_with_chart_and_table(english, coordinator):
    member("Bergen kommune")
    english.force_login(coordinator)
    html = english.get(reverse("reporting:indicator_detail", args=[indicator("participants").pk])).content.decode()
    assert 'role="img"' in html and "<caption>" in html and 'scope="row"' in html


# --- Rounds -------------------------------------------------------------------------------------------------------


def test_the_coordinator_prepares_and_opens_a_round(english, coordinator, travel_to, django_capture_on_commit_callbacks):
    travel_to(date(2026, 1, 5))
    bergen = member("Bergen kommune")
    english.force_login(coordinator)
    chosen = [indicator("mt_positions").pk, indicator("services_offered").pk]
    response = english.post(
        reverse("reporting:round_create"),
        {"year": 2025, "deadline": "2026-02-15", "intro": "Hei!", "indicators": chosen, "reminder_days": "14, 3",
         "remind_after_deadline": "on"},
    )
    reporting_round = ReportingRound.objects.get(year=2025)
    assert response.status_code == 302
    assert reporting_round.reminder_days == [14, 3] and reporting_round.indicators.count() == 2
    confirm = english.get(reverse("reporting:round_move", args=[reporting_round.pk, "open"]))
    assert confirm.status_code == 200 and "Open the round" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        english.post(reverse("reporting:round_move", args=[reporting_round.pk, "open"]))
    reporting_round.refresh_from_db()
    assert reporting_round.status == RoundStatus.OPEN
    assert mail.outbox[0].to == [bergen.contacts.get(role="main").person.email]
    page = english.get(reporting_round.get_absolute_url()).content.decode()
    assert "Bergen kommune" in page and "Not started" in page


def test_an_unknown_or_disallowed_move_is_not_found(client, coordinator):
    reporting_round = open_round()
    client.force_login(coordinator)
    assert client.get(reverse("reporting:round_move", args=[reporting_round.pk, "open"])).status_code == 404
    assert client.get(reverse("reporting:round_move", args=[reporting_round.pk, "fly"])).status_code == 404


def test_the_round_list_filters_by_report_status_and_exports(english, coordinator, travel_to):
    travel_to(date(2026, 1, 5))
    bergen, alver = member("Bergen kommune"), member("Alver kommune")
    reporting_round = open_round()
    services.report_submit(reporting_round=reporting_round, participant=bergen, actor=coordinator, answers=full_answers(reporting_round))
    english.force_login(coordinator)
    url = reporting_round.get_absolute_url()
    submitted = english.get(url, {"report_status": "submitted"}).content.decode()
    assert "Bergen kommune" in submitted and "Alver kommune" not in submitted
    missing = english.get(url, {"report_status": "not_started"}).content.decode()
    assert "Alver kommune" in missing and "Bergen kommune" not in missing
    xlsx = english.get(url, {"format": "xlsx"})
    rows = list(load_workbook(BytesIO(xlsx.content)).active.values)
    assert len(rows) == 3
    answers = english.get(reverse("reporting:round_answers", args=[reporting_round.pk]), {"format": "csv"})
    body = answers.content.decode("utf-8-sig")
    assert "Bergen kommune" in body and "Alver kommune" not in body
    assert alver.pk


def test_the_round_page_costs_the_same_whatever_the_number_of_participants(client, coordinator, travel_to):
    travel_to(date(2026, 1, 5))
    for i in range(3):
        member(f"Kommune {i}")
    reporting_round = open_round()
    client.force_login(coordinator)
    url = reporting_round.get_absolute_url()
    few = _queries(client, url)
    for i in range(25):
        participant = member(f"Flere {i}")
        if i % 2:
            services.report_submit(reporting_round=reporting_round, participant=participant, actor=coordinator,
                                   answers=full_answers(reporting_round))
        elif i % 3:
            services.round_remind(reporting_round=reporting_round, actor=coordinator, participants=[participant])
    assert _queries(client, url) == few


@pytest.mark.parametrize(
    "url_name", ["reporting:indicator_list", "reporting:round_list", "reporting:report_list", "reporting:import_list"]
)
def test_list_pages_use_a_constant_number_of_queries(client, coordinator, url_name):
    client.force_login(coordinator)
    url = reverse(url_name)
    few = _queries(client, url)
    for year in range(2010, 2016):
        services.round_create(actor=coordinator, year=year, deadline=date(year + 1, 2, 1))
        services.annual_report_create(actor=coordinator, year=year)
        services.import_upload(uploaded=csv_file(f"År;Antall\n{year};1\n", f"{year}.csv"), actor=coordinator)
        services.indicator_create(actor=coordinator, code=f"ekstra_{year}", source=Source.IMPORTED, topic="health",
                                  name=f"Ekstra {year}", unit="count")
    assert _queries(client, url) == few


def test_the_coordinator_reminds_one_participant_from_the_list(client, coordinator, travel_to, django_capture_on_commit_callbacks):
    travel_to(date(2026, 1, 5))
    bergen = member("Bergen kommune")
    member("Alver kommune")
    reporting_round = open_round()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:round_remind", args=[reporting_round.pk]), {"participant": bergen.pk})
    assert RoundReminder.objects.get().participant == bergen and len(mail.outbox) == 1


# --- The participant's form --------------------------------------------------------------------------------------


@pytest.fixture
def reporting(travel_to):
    travel_to(date(2026, 1, 5))
    bergen = member("Bergen kommune")
    reporting_round = open_round(indicators=[indicator("mt_fte"), indicator("services_offered")])
    return {"round": reporting_round, "bergen": bergen, "user": contact_for(bergen)}


def _form_data(reporting_round, *, fte="1,5", areas_value="2", action="submit", **extra):
    data = {"action": action, "comment": "Takk", **extra}
    for item in reporting_round.indicators.all():
        if item.per_work_area:
            for area in areas():
                data[f"i{item.pk}_a{area.pk}"] = areas_value
        else:
            data[f"i{item.pk}"] = fte
    return data


def test_my_pages_list_the_rounds_of_my_participants(english, reporting):
    english.force_login(reporting["user"])
    page = english.get(reverse("reporting:mine_reports")).content.decode()
    assert "Bergen kommune" in page and "Fill in" in page


def test_a_contact_saves_a_draft_then_submits(english, reporting, django_capture_on_commit_callbacks):
    r, bergen, user = reporting["round"], reporting["bergen"], reporting["user"]
    english.force_login(user)
    url = reverse("reporting:mine_report", args=[r.pk, bergen.pk])
    response = english.post(url, _form_data(r, fte="", areas_value="", action="save"))
    assert response.status_code == 302
    report = ParticipantReport.objects.get()
    assert report.status == SubmissionStatus.DRAFT and report.comment == "Takk"
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(url, _form_data(r, fte="1,5"))
    report.refresh_from_db()
    assert report.status == SubmissionStatus.SUBMITTED
    assert report.values.get(indicator__code="mt_fte").value == D("1.5")
    assert mail.outbox[-1].to == [user.email]
    page = english.get(url).content.decode()
    assert "Submitted" in page and "Correct the report" in page


def test_a_missing_answer_is_explained_and_nothing_typed_is_lost(english, reporting):
    r, bergen, user = reporting["round"], reporting["bergen"], reporting["user"]
    english.force_login(user)
    response = english.post(reverse("reporting:mine_report", args=[r.pk, bergen.pk]), _form_data(r, fte=""))
    html = response.content.decode()
    assert response.status_code == 200 and "Give a value for every question" in html
    assert 'value="2"' in html
    assert not ParticipantReport.objects.filter(status=SubmissionStatus.SUBMITTED).exists()


def test_a_number_that_is_not_a_number_is_shown_at_its_field(english, reporting):
    r, bergen, user = reporting["round"], reporting["bergen"], reporting["user"]
    english.force_login(user)
    fte = indicator("mt_fte")
    response = english.post(reverse("reporting:mine_report", args=[r.pk, bergen.pk]), _form_data(r, fte="halvannen"))
    assert f'id="id_i{fte.pk}_error"' in response.content.decode()


def test_a_contact_corrects_with_a_reason(english, reporting):
    r, bergen, user = reporting["round"], reporting["bergen"], reporting["user"]
    report = services.report_submit(reporting_round=r, participant=bergen, actor=user, answers=full_answers(r))
    english.force_login(user)
    url = reverse("reporting:mine_report_correct", args=[r.pk, bergen.pk])
    data = _form_data(r, fte="3", comment="")
    data.pop("action")
    response = english.post(url, data)
    assert response.status_code == 200 and 'id="id_reason_error"' in response.content.decode()
    data["reason"] = "Feil i årsverk"
    assert english.post(url, data).status_code == 302
    correction = ReportCorrection.objects.get(report=report)
    assert correction.reason == "Feil i årsverk"
    page = english.get(reverse("reporting:mine_report", args=[r.pk, bergen.pk])).content.decode()
    assert "Feil i årsverk" in page


def test_after_closing_the_contact_cannot_correct_but_the_coordinator_can(english, reporting, coordinator):
    r, bergen, user = reporting["round"], reporting["bergen"], reporting["user"]
    report = services.report_submit(reporting_round=r, participant=bergen, actor=user, answers=full_answers(r))
    services.round_close(reporting_round=r, actor=coordinator)
    english.force_login(user)
    response = english.get(reverse("reporting:mine_report_correct", args=[r.pk, bergen.pk]))
    assert response.status_code == 302
    english.force_login(coordinator)
    data = _form_data(r, fte="4", reason="Meldt på e-post")
    data.pop("action")
    assert english.post(reverse("reporting:submission_correct", args=[report.pk]), data).status_code == 302
    assert ReportCorrection.objects.get().actor == coordinator


def test_a_contact_of_another_participant_gets_no_form(client, reporting):
    other = member("Alver kommune")
    stranger = contact_for(other)
    client.force_login(stranger)
    r, bergen = reporting["round"], reporting["bergen"]
    assert client.get(reverse("reporting:mine_report", args=[r.pk, bergen.pk])).status_code == 403


def test_a_participant_that_does_not_report_in_the_round_is_not_found(client, reporting):
    newcomer = member("Ny kommune", start=date(2026, 1, 1))
    client.force_login(contact_for(newcomer))
    assert client.get(reverse("reporting:mine_report", args=[reporting["round"].pk, newcomer.pk])).status_code == 404


def test_a_round_being_prepared_is_not_shown_to_contacts(client, reporting, coordinator):
    draft = services.round_create(actor=coordinator, year=2024, deadline=date(2026, 3, 1))
    client.force_login(reporting["user"])
    assert client.get(reverse("reporting:mine_report", args=[draft.pk, reporting["bergen"].pk])).status_code == 404


# --- Imports ------------------------------------------------------------------------------------------------------


def test_the_coordinator_uploads_checks_and_imports_a_file(english, coordinator):
    english.force_login(coordinator)
    response = english.post(reverse("reporting:import_list"), {"file": csv_file(NPR_CSV), "source_name": "NPR"})
    source_import = IndicatorImport.objects.get()
    assert response.status_code == 302 and response["Location"] == source_import.get_absolute_url()
    page = english.get(source_import.get_absolute_url()).content.decode()
    assert 'name="column_npr_contacts"' in page and '<option value="År" selected>' in page
    mapping = {"year_column": "År", "key_column": "Helseregion", "column_npr_contacts": "Kontakter"}
    check = english.post(source_import.get_absolute_url(), {**mapping, "action": "check"}).content.decode()
    assert "What importing would do" in check and "6 values would be imported" in check
    assert not IndicatorValue.objects.exists()
    english.post(source_import.get_absolute_url(), {**mapping, "action": "import"})
    source_import.refresh_from_db()
    assert source_import.status == ImportStatus.IMPORTED and IndicatorValue.objects.count() == 6
    page = english.get(source_import.get_absolute_url(), {"outcome": "imported"}).content.decode()
    assert "Helse Vest RHF" in page


def test_a_file_that_fails_everywhere_shows_every_reason(english, coordinator):
    english.force_login(coordinator)
    english.post(reverse("reporting:import_list"), {"file": csv_file("År;Helseregion;Kontakter\n2024;Atlantis;1\n")})
    source_import = IndicatorImport.objects.get()
    html = english.post(
        source_import.get_absolute_url(),
        {"year_column": "År", "key_column": "Helseregion", "column_npr_contacts": "Kontakter", "action": "import"},
    ).content.decode()
    assert "Nothing in the file can be imported" in html and "Atlantis" in html


def test_a_wrong_file_is_refused_at_the_field(english, coordinator):
    english.force_login(coordinator)
    response = english.post(reverse("reporting:import_list"), {"file": csv_file(NPR_CSV, name="npr.pdf")})
    assert response.status_code == 200 and 'id="id_file_error"' in response.content.decode()


# --- Annual reports -----------------------------------------------------------------------------------------------------


@pytest.fixture
def report(coordinator):
    member("Bergen kommune")
    return services.annual_report_create(actor=coordinator, year=2025, comparison_years=1)


def test_the_coordinator_creates_a_report(english, coordinator):
    english.force_login(coordinator)
    response = english.post(reverse("reporting:report_create"), {"year": 2025, "language": "nn", "comparison_years": 3})
    report = AnnualReport.objects.get()
    assert response.status_code == 302 and report.title == "Årsmelding 2025" and report.language == "nn"
    assert report.sections.get(position=0).heading == "Innleiing"


def test_the_coordinator_writes_a_section(english, coordinator, report):
    english.force_login(coordinator)
    response = english.post(
        reverse("reporting:section_create", args=[report.pk]),
        {"heading": "Styringsgruppa", "body_source": "Ho møttest **fire** gonger.", "indicators": [indicator("grants").pk]},
    )
    assert response.status_code == 302
    section = ReportSection.objects.get(heading="Styringsgruppa")
    assert "<strong>fire</strong>" in section.body_html
    assert list(section.section_indicators.values_list("indicator__code", flat=True)) == ["grants"]
    page = english.get(reverse("reporting:section_edit", args=[section.pk])).content.decode()
    assert "Show preview" in page
    english.post(reverse("reporting:section_move", args=[section.pk]), {"direction": "up"})
    english.post(reverse("reporting:section_delete", args=[section.pk]))
    assert not ReportSection.objects.filter(heading="Styringsgruppa").exists()


def test_the_preview_pdf_and_xlsx_of_a_draft(english, coordinator, report):
    english.force_login(coordinator)
    preview = english.get(reverse("reporting:report_preview", args=[report.pk])).content.decode()
    assert 'lang="nb"' in preview and "Preview with live figures" in preview and 'role="img"' in preview
    pdf = english.get(reverse("reporting:report_pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    xlsx = english.get(reverse("reporting:report_xlsx", args=[report.pk]))
    workbook = load_workbook(BytesIO(xlsx.content))  # in the report's language, whatever the reader's
    assert len(workbook.sheetnames) == 3
    assert any(row[1] == "participants" for row in workbook.worksheets[0].values)


def test_a_draft_is_not_public(client, report):
    assert client.get(reverse("reporting:public_report", args=[2025])).status_code == 404
    assert client.get(reverse("reporting:public_report_pdf", args=[2025])).status_code == 404
    assert "Årsmelding 2025" not in client.get(reverse("reporting:public_report_list")).content.decode()


def test_publishing_puts_the_report_on_the_public_site(english, coordinator, report, django_capture_on_commit_callbacks):
    english.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        english.post(reverse("reporting:report_move", args=[report.pk, "publish"]))
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.pdf
    english.logout()
    listing = english.get(reverse("reporting:public_report_list")).content.decode()
    assert report.get_public_url() in listing
    page = english.get(report.get_public_url()).content.decode()
    assert '<article class="report-article" lang="nb">' in page and "Deltakere" in page
    pdf = english.get(reverse("reporting:public_report_pdf", args=[2025]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert english.get(reverse("reporting:public_report_xlsx", args=[2025])).status_code == 200
    # Editing a published report's sections leads back to the report with an explanation.
    english.force_login(coordinator)
    section = report.sections.first()
    assert english.get(reverse("reporting:section_edit", args=[section.pk])).status_code == 302


def test_a_refused_move_is_explained(english, coordinator, report):
    english.force_login(coordinator)
    ReportSection.objects.filter(report=report).delete()
    response = english.post(reverse("reporting:report_move", args=[report.pk, "publish"]), follow=True)
    assert "no sections" in response.content.decode()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_pages_render_in_every_language(client, coordinator, report, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    services.annual_report_publish(report=report, actor=coordinator)
    reporting_round = open_round(year=2025)
    client.force_login(coordinator)
    for url in [
        reverse("reporting:report_detail", args=[report.pk]),
        reverse("reporting:report_preview", args=[report.pk]),
        reverse("reporting:round_detail", args=[reporting_round.pk]),
        reverse("reporting:indicator_list"),
        reverse("reporting:import_list"),
        report.get_public_url(),
        reverse("reporting:public_report_list"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in response.content.decode()
