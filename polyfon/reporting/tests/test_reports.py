"""Annual reports: sections, freezing, publishing, and what the page, the PDF, the XLSX and the
charts show."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.members.models import Participant
from polyfon.reporting import charts, presentation, services
from polyfon.reporting.exports import report_xlsx
from polyfon.reporting.models import (
    AnnualReport,
    IndicatorValue,
    ReportSection,
    ReportStatus,
    SectionIndicator,
    Topic,
)
from polyfon.reporting.pdf import report_html, report_pdf

from .factories import indicator, member

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def members_2025(db):
    return [member("Bergen kommune"), member("Helse Bergen", organisation_kind="health_trust"), member("Ny", start=date(2025, 2, 1))]


@pytest.fixture
def report(coordinator, members_2025):
    return services.annual_report_create(actor=coordinator, year=2025, language="nb", comparison_years=2)


def _figure(view, code):
    return next(f for f in view.figures if f.meta.code == code)


# --- Creating and writing -------------------------------------------------------------------------------------------------


def test_a_first_report_gets_an_introduction_and_a_section_per_topic(report):
    sections = list(report.sections.order_by("position"))
    assert sections[0].heading == "Innledning"
    assert not sections[0].section_indicators.exists()
    participants = next(s for s in sections if s.section_indicators.filter(indicator__code="participants").exists())
    assert set(participants.section_indicators.values_list("indicator__topic", flat=True)) == {Topic.PARTICIPANTS}
    assert report.title == "Årsmelding 2025"
    assert [s.heading for s in sections][1] == "Deltakerne"
    assert AuditEntry.objects.filter(action="polyfon.reporting.annual_report.created").exists()


def test_one_report_per_year(report, coordinator):
    with pytest.raises(DomainError):
        services.annual_report_create(actor=coordinator, year=2025)


def test_the_next_report_starts_from_the_latest_earlier_one(report, coordinator):
    first = report.sections.order_by("position").first()
    services.section_update(section=first, actor=coordinator, heading="Leiar", body_source="Eit godt år.")
    indicator("participants_new").__class__.objects.filter(code="participants_new").update(is_active=False)
    following = services.annual_report_create(actor=coordinator, year=2026, language="nn")
    copied = list(following.sections.order_by("position"))
    assert copied[0].heading == "Leiar" and copied[0].body_source == "Eit godt år."
    assert not SectionIndicator.objects.filter(section__report=following, indicator__code="participants_new").exists()
    assert SectionIndicator.objects.filter(section__report=following, indicator__code="participants").exists()


def test_section_text_is_sanitised_and_its_headings_come_below_the_section(report, coordinator):
    section = services.section_create(
        report=report, actor=coordinator, heading="Året",
        body_source="# Hovedpunkt\n\nTekst <script>alert(1)</script> [lenke](javascript:alert(2))\n\n## Under",
    )
    assert "<script" not in section.body_html and "javascript:" not in section.body_html
    assert "<h3>Hovedpunkt</h3>" in section.body_html and "<h4>Under</h4>" in section.body_html


def test_sections_move_up_and_down(report, coordinator):
    sections = list(report.sections.order_by("position"))
    services.section_move(section=sections[1], actor=coordinator, direction="up")
    assert list(report.sections.order_by("position"))[0] == sections[1]
    services.section_move(section=sections[1], actor=coordinator, direction="up")  # already first: nothing happens
    assert list(report.sections.order_by("position"))[0] == sections[1]


# --- Freezing ----------------------------------------------------------------------------------------------------------------


def test_frozen_figures_do_not_change_when_the_register_does(report, coordinator):
    live = presentation.report_view(report)
    assert _figure(live, "participants").current == 3
    services.annual_report_freeze(report=report, actor=coordinator)
    report.refresh_from_db()
    assert report.status == ReportStatus.FROZEN and report.frozen_at
    member("Sent innmeldt", start=date(2025, 12, 1))
    Participant.objects.filter(name="Bergen kommune").update(kind="group")
    frozen = presentation.report_view(report)
    participants = _figure(frozen, "participants")
    assert participants.current == 3
    kinds = next(t for t in participants.tables if t.code == "participant_kind")
    assert {r.key: r.values[-1] for r in kinds.rows} == {"single": 3, "group": 0}
    assert _figure(presentation.report_view(report, frozen=False), "participants").current == 4


def test_frozen_labels_and_names_stay_as_they_were(report, coordinator):
    from polyfon.members.models import County

    report = services.annual_report_freeze(report=report, actor=coordinator)
    County.objects.filter(number="46").update(name="Nytt navn")
    indicator("participants").__class__.objects.filter(code="participants").update(name="Omdøpt")
    participants = _figure(presentation.report_view(report), "participants")
    assert participants.meta.name == "Deltakere"
    counties = next(t for t in participants.tables if t.code == "county")
    assert [r.label for r in counties.rows] == ["Vestland"]


def test_unfreezing_brings_back_live_figures(report, coordinator):
    services.annual_report_freeze(report=report, actor=coordinator)
    services.annual_report_unfreeze(report=report, actor=coordinator)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not IndicatorValue.objects.filter(report=report).exists()
    assert not SectionIndicator.objects.filter(section__report=report).exclude(frozen={}).exists()


def test_frozen_figures_cannot_change_but_the_text_can(report, coordinator):
    services.annual_report_freeze(report=report, actor=coordinator)
    section = report.sections.order_by("position").first()
    services.section_update(section=section, actor=coordinator, heading="Forord", body_source="Ny tekst.")
    with pytest.raises(DomainError):
        services.section_update(section=section, actor=coordinator, heading="Forord", body_source="x",
                                indicators=[indicator("participants")])
    with pytest.raises(DomainError):
        services.annual_report_update(report=report, actor=coordinator, comparison_years=5)
    services.annual_report_update(report=report, actor=coordinator, title="Årsmelding for 2025")


def test_an_indicator_shown_twice_is_frozen_once(report, coordinator):
    services.section_create(report=report, actor=coordinator, heading="Igjen", indicators=[indicator("participants")])
    services.annual_report_freeze(report=report, actor=coordinator)
    assert IndicatorValue.objects.filter(report=report, indicator__code="participants", year=2025, breakdown="").count() == 1


# --- Publishing -------------------------------------------------------------------------------------------------------------


def test_publishing_a_draft_freezes_it_and_renders_the_pdf(report, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.annual_report_publish(report=report, actor=coordinator)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.frozen_at and report.published_at
    assert IndicatorValue.objects.filter(report=report).exists()
    assert report.pdf and len(report.pdf_sha256) == 64
    assert report.pdf.open("rb").read(5) == b"%PDF-"


def test_a_published_report_cannot_be_edited_until_withdrawn(report, coordinator):
    services.annual_report_publish(report=report, actor=coordinator)
    section = report.sections.first()
    with pytest.raises(DomainError):
        services.section_update(section=section, actor=coordinator, heading="x", body_source="")
    with pytest.raises(DomainError):
        services.annual_report_update(report=report, actor=coordinator, title="x")
    with pytest.raises(DomainError):
        services.section_delete(section=section, actor=coordinator)
    with pytest.raises(DomainError):
        services.annual_report_unfreeze(report=report, actor=coordinator)
    services.annual_report_withdraw(report=report, actor=coordinator)
    report.refresh_from_db()
    assert report.status == ReportStatus.FROZEN
    services.section_update(section=section, actor=coordinator, heading="x", body_source="")


def test_a_report_without_sections_is_not_published(report, coordinator):
    ReportSection.objects.filter(report=report).delete()
    with pytest.raises(DomainError):
        services.annual_report_publish(report=report, actor=coordinator)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not IndicatorValue.objects.filter(report=report).exists()


def test_the_pdf_of_a_withdrawn_report_is_not_kept(report, coordinator):
    services.annual_report_publish(report=report, actor=coordinator)
    services.annual_report_withdraw(report=report, actor=coordinator)
    assert services.annual_report_store_pdf(report=report) is None


# --- What is shown -----------------------------------------------------------------------------------------------------------


def test_a_figure_compares_with_the_year_before(report):
    view = presentation.report_view(report)
    figure = _figure(view, "participants")
    assert figure.years == [2023, 2024, 2025]
    assert figure.totals == [D(2), D(2), D(3)]
    assert figure.change["direction"] == "up" and figure.change["delta"].startswith("+")
    assert "50" in figure.change["percent"]


def test_reported_indicators_without_reports_show_no_figures(report):
    figure = _figure(presentation.report_view(report), "mt_fte")
    assert not figure.has_data and figure.chart == ""


def test_the_report_is_built_in_its_own_language(coordinator, members_2025):
    report = services.annual_report_create(actor=coordinator, year=2025, language="nn", comparison_years=1)
    with translation.override("en"):
        view = presentation.report_view(report)
    assert _figure(view, "participants").meta.name == "Deltakarar"
    html = report_html(report, view)
    assert '<html lang="nn">' in html


def test_charts_are_images_with_a_text_alternative(report):
    figure = _figure(presentation.report_view(report), "participants")
    svg = str(figure.chart)
    assert 'role="img"' in svg and f'aria-labelledby="{figure.chart_id}-title {figure.chart_id}-desc"' in svg
    assert "<title" in svg and "<desc" in svg and "2025: 3" in svg
    students = _figure(presentation.report_view(report), "students")
    assert students.meta.chart == "breakdown"


def test_chart_text_is_escaped():
    svg = str(charts.column_chart(chart_id="c", title="<b>x</b>", description="", categories=["<i>"],
                                  series=[charts.Series("s", [D(1)])], fmt=str))
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "<i>" not in svg


def test_nice_scales():
    assert charts._nice_scale(D(7)) == (D(8), D(2))
    assert charts._nice_scale(D(1085000))[0] >= D(1085000)
    assert charts._nice_scale(D(0)) == (D(1), D("0.25"))


def test_the_xlsx_holds_the_totals_and_every_group(report):
    view = presentation.report_view(report)
    workbook = load_workbook(BytesIO(report_xlsx(report, view)))
    totals = list(workbook.worksheets[0].values)
    assert totals[0][-3:] == (2023, 2024, 2025) or totals[0][-3:] == ("2023", "2024", "2025")
    participants = next(row for row in totals if row[1] == "participants")
    assert participants[-1] == 3
    groups = list(workbook.worksheets[1].values)
    assert any(row[1] == "participants" and row[3] == "Vestland" for row in groups)


def test_the_pdf_is_a_pdf_with_the_charts(report):
    html = report_html(report)
    assert "<svg" in html and "target-counter" in html
    assert report_pdf(report).startswith(b"%PDF-")


def test_publishing_again_replaces_the_pdf(report, coordinator, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    with django_capture_on_commit_callbacks(execute=True):
        services.annual_report_publish(report=report, actor=coordinator)
    first = AnnualReport.objects.get(pk=report.pk).pdf.name
    services.annual_report_withdraw(report=report, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.annual_report_publish(report=report, actor=coordinator)
    second = AnnualReport.objects.get(pk=report.pk).pdf.name
    assert second and second != first
    assert not default_storage.exists(first) and default_storage.exists(second)
