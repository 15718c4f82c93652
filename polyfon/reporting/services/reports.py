"""Annual reports: created with sections (last year's text, or one section per topic), edited
while they are drafts or their figures are frozen, frozen (every figure copied), published on
the public site (the PDF is rendered by the worker) and withdrawn."""

import hashlib
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.errors import DomainError
from polyfon.core.lifecycle import finish_move
from polyfon.core.richtext import render_markdown

from .. import lifecycle
from ..models import (
    AnnualReport,
    Indicator,
    IndicatorValue,
    ReportSection,
    ReportStatus,
    SectionIndicator,
    Topic,
)

REPORT_FIELDS = ["title", "language", "summary", "comparison_years"]
# Changing these changes what the frozen figures are (their years, their language).
FIGURE_FIELDS = ("language", "comparison_years")
LONG_TEXT = 200


def render_section_text(source: str) -> str:
    """Markdown to sanitised HTML (as the content app does it), with the text's headings one
    level below the section's own <h2>."""
    html = render_markdown(source)
    return re.sub(r"<(/?)h([2-5])>", lambda m: f"<{m[1]}h{int(m[2]) + 1}>", html)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# What a new report starts with, in the two languages a report is written in (stored as data,
# so they do not depend on the state of the translation catalogues).
DEFAULT_TITLE = {"nb": "Årsmelding {year}", "nn": "Årsmelding {year}"}
DEFAULT_HEADINGS = {
    None: ("Innledning", "Innleiing"),
    Topic.PARTICIPANTS: ("Deltakerne", "Deltakarane"),
    Topic.ECONOMY: ("Økonomi", "Økonomi"),
    Topic.FUNDING: ("Utlysninger og tildelinger", "Utlysingar og tildelingar"),
    Topic.PROJECTS: ("Prosjekter og resultater", "Prosjekt og resultat"),
    Topic.EVENTS: ("Arrangementer", "Arrangement"),
    Topic.SERVICES: ("Musikkterapi hos deltakerne", "Musikkterapi hos deltakarane"),
    Topic.HEALTH: ("Musikkterapi i helsetjenesten", "Musikkterapi i helsetenesta"),
}


def _default_title(year: int, language: str) -> str:
    return DEFAULT_TITLE.get(language, DEFAULT_TITLE["nb"]).format(year=year)


def _default_sections(report: AnnualReport) -> None:
    """An introduction, then one section per topic with the topic's active indicators."""
    indicators = list(Indicator.objects.filter(is_active=True).order_by("position", "code"))
    position = 0
    for topic in [None, *Topic.values]:
        chosen = [i for i in indicators if i.topic == topic] if topic else []
        if topic and not chosen:
            continue
        heading = DEFAULT_HEADINGS[topic][1 if report.language == "nn" else 0]
        section = ReportSection.objects.create(report=report, position=position, heading=heading)
        SectionIndicator.objects.bulk_create(
            [SectionIndicator(section=section, indicator=i, position=n) for n, i in enumerate(chosen)]
        )
        position += 1


def _copy_sections(report: AnnualReport, previous: AnnualReport) -> None:
    """Last year's sections, text and indicators (inactive indicators left out), to write over."""
    for section in previous.sections.order_by("position", "pk").prefetch_related("section_indicators__indicator"):
        copy = ReportSection.objects.create(
            report=report,
            position=section.position,
            heading=section.heading,
            body_source=section.body_source,
            body_html=section.body_html,
        )
        SectionIndicator.objects.bulk_create(
            [
                SectionIndicator(section=copy, indicator=si.indicator, position=si.position)
                for si in section.section_indicators.all()
                if si.indicator.is_active
            ]
        )


def annual_report_create(
    *, actor, year: int, language: str = "nb", title: str = "", summary: str = "", comparison_years: int = 4,
    copy_previous: bool = True,
) -> AnnualReport:
    """A draft report for `year`, starting from the latest earlier report's sections when there is one."""
    with transaction.atomic():
        if AnnualReport.objects.filter(year=year).exists():
            raise DomainError(_("There is already an annual report for %(year)s.") % {"year": year}, field="year")
        report = AnnualReport.objects.create(
            year=year,
            language=language,
            title=title or _default_title(year, language),
            summary=summary,
            comparison_years=comparison_years,
            created_by=_user(actor),
        )
        previous = AnnualReport.objects.filter(year__lt=year).order_by("-year").first() if copy_previous else None
        if previous is not None:
            _copy_sections(report, previous)
        else:
            _default_sections(report)
        audit_log(
            obj=report,
            action="polyfon.reporting.annual_report.created",
            actor=actor,
            payload={"year": year, "copied_from": previous.year if previous else None},
        )
    return report


def _lock(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().get(pk=report.pk)


def _check_editable(report: AnnualReport, *, figures: bool = False) -> None:
    if report.status == ReportStatus.PUBLISHED:
        raise DomainError(_("The report is published; withdraw it from the public site to change it."))
    if figures and report.status == ReportStatus.FROZEN:
        raise DomainError(_("The figures are frozen; unfreeze them to change which figures the report shows."))


def annual_report_update(*, report: AnnualReport, actor, **values) -> AnnualReport:
    values = {k: v for k, v in values.items() if k in REPORT_FIELDS}
    with transaction.atomic():
        report = _lock(report)
        changes_figures = any(f in values and values[f] != getattr(report, f) for f in FIGURE_FIELDS)
        _check_editable(report, figures=changes_figures)
        update_with_audit(report, values, actor=actor, action="polyfon.reporting.annual_report.changed")
    return report


def _set_indicators(section: ReportSection, indicators) -> bool:
    wanted = [i.pk for i in indicators]
    current = list(section.section_indicators.order_by("position", "pk").values_list("indicator_id", flat=True))
    if current == wanted:
        return False
    section.section_indicators.all().delete()
    SectionIndicator.objects.bulk_create(
        [SectionIndicator(section=section, indicator_id=pk, position=n) for n, pk in enumerate(wanted)]
    )
    return True


def section_create(*, report: AnnualReport, actor, heading: str, body_source: str = "", indicators=()) -> ReportSection:
    with transaction.atomic():
        report = _lock(report)
        _check_editable(report, figures=bool(indicators))
        position = (report.sections.aggregate(m=Max("position"))["m"] or 0) + 1
        section = ReportSection.objects.create(
            report=report, position=position, heading=heading, body_source=body_source, body_html=render_section_text(body_source)
        )
        _set_indicators(section, indicators)
        audit_log(obj=report, action="polyfon.reporting.annual_report.section_added", actor=actor, payload={"heading": heading})
    return section


def section_update(
    *, section: ReportSection, actor, heading: str, body_source: str, indicators=None
) -> ReportSection:
    with transaction.atomic():
        report = _lock(section.report)
        section = ReportSection.objects.select_for_update().get(pk=section.pk)
        current = list(section.section_indicators.order_by("position", "pk").values_list("indicator_id", flat=True))
        changes_figures = indicators is not None and [i.pk for i in indicators] != current
        _check_editable(report, figures=changes_figures)
        changes = {}
        if heading != section.heading:
            changes["heading"] = [section.heading, heading]
        if body_source != section.body_source:
            changes["text"] = [section.body_source[:LONG_TEXT], body_source[:LONG_TEXT]]
        section.heading, section.body_source, section.body_html = heading, body_source, render_section_text(body_source)
        section.save(update_fields=["heading", "body_source", "body_html"])
        if indicators is not None and _set_indicators(section, indicators):
            codes = {i.pk: i.code for i in Indicator.objects.filter(pk__in=current)}
            changes["indicators"] = [", ".join(codes[pk] for pk in current), ", ".join(i.code for i in indicators)]
        if changes:
            audit_log(
                obj=report,
                action="polyfon.reporting.annual_report.section_changed",
                actor=actor,
                payload={"section": heading, "changes": changes},
            )
    return section


def section_delete(*, section: ReportSection, actor) -> None:
    with transaction.atomic():
        report = _lock(section.report)
        _check_editable(report, figures=section.section_indicators.exists())
        heading = section.heading
        section.delete()
        audit_log(obj=report, action="polyfon.reporting.annual_report.section_removed", actor=actor, payload={"heading": heading})


def section_move(*, section: ReportSection, actor, direction: str) -> ReportSection:
    """Move a section one place up or down."""
    with transaction.atomic():
        report = _lock(section.report)
        _check_editable(report)
        sections = list(report.sections.order_by("position", "pk"))
        index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(sections):
            return section
        sections[index], sections[other] = sections[other], sections[index]
        for position, item in enumerate(sections):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        audit_log(
            obj=report,
            action="polyfon.reporting.annual_report.section_moved",
            actor=actor,
            payload={"section": section.heading, "direction": direction},
        )
    return sections[other]


# --- Freezing and publishing -------------------------------------------------------------------------------------------


def _begin(report: AnnualReport, move: str) -> AnnualReport:
    locked = _lock(report)
    if not lifecycle.REPORT_MOVES.allows(locked.status, move):
        raise DomainError(
            _("This cannot be done while the report is “%(status)s”.") % {"status": locked.get_status_display()}
        )
    return locked


def _finish(report: AnnualReport, move: str, *, actor, fields=(), payload=None) -> None:
    finish_move(
        report,
        lifecycle.REPORT_MOVES[move],
        action=f"polyfon.reporting.annual_report.{move}",
        actor=actor,
        previous=report.status,
        payload=payload,
        fields=fields,
    )


def _copy_figures(report: AnnualReport) -> int:
    """Store every figure the report shows now: the indicators' definitions as they read in the
    report's language, every total and every row of every table, for every year shown."""
    from ..presentation import report_view

    view = report_view(report, frozen=False)
    IndicatorValue.objects.filter(report=report).delete()
    values, seen, frozen = [], set(), []
    for section_view in view.sections:
        for si, figure in zip(section_view.section.section_indicators.all(), section_view.figures, strict=True):
            si.frozen = figure.meta.as_frozen()
            frozen.append(si)
            if figure.meta.indicator_id in seen:
                continue
            seen.add(figure.meta.indicator_id)
            for year, total in zip(figure.years, figure.totals, strict=True):
                if total is not None:
                    values.append(IndicatorValue(indicator_id=figure.meta.indicator_id, year=year, value=total, report=report))
            for table in figure.tables:
                for position, row in enumerate(table.rows):
                    for year, value in zip(figure.years, row.values, strict=True):
                        if value is not None:
                            values.append(
                                IndicatorValue(
                                    indicator_id=figure.meta.indicator_id, year=year, breakdown=table.code, key=row.key,
                                    label=row.label[:200], position=position, value=value, report=report,
                                )
                            )
    SectionIndicator.objects.bulk_update(frozen, ["frozen"], batch_size=500)
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    return len(values)


def annual_report_freeze(*, report: AnnualReport, actor) -> AnnualReport:
    with transaction.atomic():
        report = _begin(report, "freeze")
        count = _copy_figures(report)
        report.frozen_at, report.frozen_by = timezone.now(), _user(actor)
        _finish(report, "freeze", actor=actor, fields=["frozen_at", "frozen_by"], payload={"values": count})
    return report


def annual_report_unfreeze(*, report: AnnualReport, actor) -> AnnualReport:
    with transaction.atomic():
        report = _begin(report, "unfreeze")
        IndicatorValue.objects.filter(report=report).delete()
        SectionIndicator.objects.filter(section__report=report).update(frozen={})
        report.frozen_at, report.frozen_by = None, None
        _finish(report, "unfreeze", actor=actor, fields=["frozen_at", "frozen_by"])
    return report


def annual_report_publish(*, report: AnnualReport, actor) -> AnnualReport:
    """Publish on the public site (freezing the figures first if they are live); the worker
    renders the PDF once the publication is committed."""
    with transaction.atomic():
        report = _begin(report, "publish")
        if not report.sections.exists():
            raise DomainError(_("The report has no sections; write at least one before publishing."))
        payload = {}
        if report.status == ReportStatus.DRAFT:
            payload["values"] = _copy_figures(report)
            report.frozen_at, report.frozen_by = timezone.now(), _user(actor)
        report.published_at, report.published_by = timezone.now(), _user(actor)
        old_pdf = report.pdf.name
        report.pdf, report.pdf_sha256 = "", ""
        _finish(
            report, "publish", actor=actor,
            fields=["frozen_at", "frozen_by", "published_at", "published_by", "pdf", "pdf_sha256"], payload=payload,
        )
        from ..tasks import render_report_pdf

        pk = report.pk
        transaction.on_commit(lambda: render_report_pdf.enqueue(pk))
        if old_pdf:  # an earlier publication's PDF: the new one is rendered from the new text
            transaction.on_commit(lambda: default_storage.delete(old_pdf))
    return report


def annual_report_withdraw(*, report: AnnualReport, actor) -> AnnualReport:
    with transaction.atomic():
        report = _begin(report, "withdraw")
        _finish(report, "withdraw", actor=actor)
    return report


def annual_report_store_pdf(*, report: AnnualReport) -> AnnualReport | None:
    """Render the published report's PDF and keep it (the worker does this after publishing).
    Returns None when the report is no longer published."""
    from ..pdf import report_pdf

    report = AnnualReport.objects.get(pk=report.pk)
    if not report.is_published:
        return None
    content = report_pdf(report)
    with transaction.atomic():
        locked = _lock(report)
        if not locked.is_published or locked.published_at != report.published_at:
            return None  # withdrawn or published again meanwhile: that publication renders its own
        locked.pdf.save("report.pdf", ContentFile(content), save=False)
        locked.pdf_sha256 = hashlib.sha256(content).hexdigest()
        locked.save(update_fields=["pdf", "pdf_sha256"])
    return locked
