"""The coordinator's office (/kontor/) for indicators, reporting rounds, imports and annual
reports. Thin: rule, form, service, page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polyfon.content.models import WorkArea
from polyfon.core.audit import entries_for
from polyfon.core.dates import local_today
from polyfon.core.downloads import attachment_response
from polyfon.core.errors import DomainError
from polyfon.core.exports import table_response
from polyfon.core.listing import Column, ListPage
from polyfon.core.pages import errors_on, form_page, list_response, post_move
from polyfon.core.permissions import requires
from polyfon.members.models import Participant

from .. import lifecycle, presentation, selectors, services
from .. import permissions as perms
from ..exports import XLSX_TYPE, report_xlsx, round_answer_table
from ..filters import IndicatorFilter, RoundParticipantFilter
from ..forms import (
    AnnualReportForm,
    ImportMappingForm,
    ImportUploadForm,
    IndicatorForm,
    RoundForm,
    SectionForm,
)
from ..models import (
    AnnualReport,
    ImportStatus,
    Indicator,
    IndicatorImport,
    ParticipantReport,
    ReportingRound,
    ReportSection,
    RowOutcome,
    Source,
    SubmissionStatus,
)
from ..pdf import pdf_filename, report_pdf
from .common import correction_page

INDICATOR_YEARS = 6  # the office's indicator page shows this many years


# --- Indicators ---------------------------------------------------------------------------------------------


INDICATOR_COLUMNS = [
    Column("name", gettext_lazy("Name"), lambda i: i.display_name, sort="name", link=True),
    Column("code", gettext_lazy("Code"), lambda i: i.code, sort="code"),
    Column("source", gettext_lazy("Source"), lambda i: i.get_source_display(), sort="source"),
    Column("topic", gettext_lazy("Topic"), lambda i: i.get_topic_display(), sort="topic"),
    Column("unit", gettext_lazy("Unit"), lambda i: i.get_unit_display(), sort="unit"),
    Column("breakdowns", gettext_lazy("Break-downs"), lambda i: ", ".join(_breakdown_labels(i))),
    Column("is_active", gettext_lazy("Active"), lambda i: i.is_active, sort="is_active"),
    Column("position", gettext_lazy("Position"), lambda i: i.position, sort="position", numeric=True, export_only=True),
    Column("description", gettext_lazy("Description"), lambda i: i.display_description, export_only=True),
]


def _breakdown_labels(indicator):
    from .. import breakdowns as bd

    return [bd.label_of(code) for code in indicator.breakdowns or []]



@requires(perms.can_view_reporting)
def indicator_list(request):
    page = ListPage(
        request, queryset=selectors.indicator_list(), columns=INDICATOR_COLUMNS, filterset_class=IndicatorFilter,
        default_sort="position",
    )
    actions = (
        [{"label": _("New indicator"), "url": reverse("reporting:indicator_create")}]
        if perms.can_manage_reporting(request.user)
        else []
    )
    return list_response(request, page, title=_("Indicators"), filename="indikatorer", actions=actions)


@requires(perms.can_manage_reporting)
def indicator_create(request):
    form = IndicatorForm(request.POST or None, initial={"source": Source.REPORTED, "position": 100})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with errors_on(form):
            indicator = services.indicator_create(actor=request.user, code=data.pop("code"), source=data.pop("source"), **data)
            messages.success(request, _("The indicator is created."))
            return redirect(indicator.get_absolute_url())
    return form_page(
        request, form, title=_("New indicator"), submit=_("Create"), cancel_url=reverse("reporting:indicator_list"),
        intro=_("Computed indicators are part of the system; here you add indicators the participants report or that are imported."),
    )


@requires(perms.can_view_reporting)
def indicator_detail(request, pk):
    indicator = get_object_or_404(Indicator, pk=pk)
    year = local_today().year
    years = list(range(year - INDICATOR_YEARS + 1, year + 1))
    return render(
        request,
        "reporting/office/indicator_detail.html",
        {
            "indicator": indicator,
            "figure": presentation.indicator_figure(indicator, years),
            "breakdowns": _breakdown_labels(indicator),
            "can_manage": perms.can_manage_reporting(request.user),
            "timeline": entries_for(indicator)[:50],
        },
    )


@requires(perms.can_manage_reporting)
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator, pk=pk)
    form = IndicatorForm(request.POST or None, instance=Indicator.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.indicator_update(indicator=indicator, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The indicator is saved."))
            return redirect(indicator.get_absolute_url())
    intro = _("A computed indicator's unit and break-downs are set by the system.") if indicator.is_computed else ""
    return form_page(
        request, form, title=_("Edit %(name)s") % {"name": indicator}, submit=_("Save"), cancel_url=indicator.get_absolute_url(),
        intro=intro,
    )


# --- Reporting rounds -----------------------------------------------------------------------------------------


@requires(perms.can_view_reporting)
def round_list(request):
    return render(
        request,
        "reporting/office/round_list.html",
        {"rounds": selectors.round_list(), "can_manage": perms.can_manage_reporting(request.user)},
    )


@requires(perms.can_manage_reporting)
def round_create(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            reporting_round = services.round_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The round is prepared. Open it when it is ready; then the participants are invited."))
            return redirect(reporting_round.get_absolute_url())
    return form_page(
        request, form, title=_("New reporting round"), submit=_("Prepare the round"),
        cancel_url=reverse("reporting:round_list"),
        intro=_("Every participant that was a member during the year reports. Nobody is told anything before you open the round."),
    )


@requires(perms.can_manage_reporting)
def round_edit(request, pk):
    reporting_round = get_object_or_404(ReportingRound, pk=pk)
    form = RoundForm(request.POST or None, instance=ReportingRound.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with errors_on(form):
            services.round_update(
                reporting_round=reporting_round, actor=request.user, indicators=list(data.pop("indicators")), **data
            )
            messages.success(request, _("The round is saved."))
            return redirect(reporting_round.get_absolute_url())
    return form_page(
        request, form, title=_("Edit %(name)s") % {"name": reporting_round}, submit=_("Save"),
        cancel_url=reporting_round.get_absolute_url(),
    )


def _status_label(code):
    return SubmissionStatus(code).label


ROUND_COLUMNS = [
    Column("name", gettext_lazy("Participant"), lambda p: p.name, sort="name"),
    Column("kind", gettext_lazy("Kind"), lambda p: p.get_kind_display(), sort="kind", export_only=True),
    Column(
        "county",
        gettext_lazy("Region (county)"),
        lambda p: p.lead_memberships[0].organisation.county or "" if p.lead_memberships else "",
    ),
    Column("report_status", gettext_lazy("Report"), lambda p: _status_label(p.report_status), sort="report_status"),
    Column("submitted", gettext_lazy("Submitted"), lambda p: p.report_submitted_at, sort="report_submitted_at"),
    Column("updated", gettext_lazy("Last saved"), lambda p: p.report_updated_at, sort="report_updated_at", export_only=True),
    Column("last_reminded", gettext_lazy("Last reminded"), lambda p: p.last_reminded, sort="last_reminded"),
    Column("reminders", gettext_lazy("Reminders"), lambda p: p.reminder_count, sort="reminder_count", numeric=True),
]


@requires(perms.can_view_reporting)
def round_detail(request, pk):
    reporting_round = get_object_or_404(ReportingRound.objects.prefetch_related("indicators"), pk=pk)
    page = ListPage(
        request, queryset=selectors.round_rows(reporting_round), columns=ROUND_COLUMNS,
        filterset_class=RoundParticipantFilter, default_sort="name",
    )
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        return page.export(fmt, filename=f"rapportering-{reporting_round.year}")
    can_manage = perms.can_manage_reporting(request.user)
    return render(
        request,
        "reporting/office/round_detail.html",
        {
            "round": reporting_round,
            "list": page,
            "page_obj": page.page(),
            "counts": selectors.round_counts(reporting_round),
            "indicators": selectors.round_indicators(reporting_round),
            "moves": lifecycle.ROUND_MOVES.moves_from(reporting_round.status) if can_manage else [],
            "can_manage": can_manage,
            "timeline": entries_for(reporting_round)[:50],
            "today": local_today(),
        },
    )


@requires(perms.can_manage_reporting)
def round_move(request, pk, move):
    reporting_round = get_object_or_404(ReportingRound, pk=pk)
    spec = lifecycle.ROUND_MOVES.get(move)
    if spec is None or reporting_round.status not in spec.sources:
        raise Http404
    if request.method == "POST":
        return post_move(request, reporting_round, spec, object_arg="reporting_round", redirect_to=reporting_round.get_absolute_url())
    return render(request, "reporting/office/confirm_move.html", {"object": reporting_round, "move": spec})


@require_POST
@requires(perms.can_manage_reporting)
def round_remind(request, pk):
    reporting_round = get_object_or_404(ReportingRound, pk=pk)
    participants = None
    if request.POST.get("participant"):
        participants = list(Participant.objects.filter(pk=request.POST["participant"]))
    try:
        count = services.round_remind(reporting_round=reporting_round, actor=request.user, participants=participants)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Reminders are on their way to %(count)s participants.") % {"count": count})
    return redirect(reporting_round.get_absolute_url())


@requires(perms.can_view_reporting)
def round_answers(request, pk):
    """Every report of the round as a table to download (CSV or XLSX)."""
    reporting_round = get_object_or_404(ReportingRound, pk=pk)
    reports = (
        ParticipantReport.objects.filter(round=reporting_round)
        .select_related("participant")
        .prefetch_related("values")
        .order_by("participant__name")
    )
    headers, rows = round_answer_table(
        reporting_round, selectors.round_indicators(reporting_round), WorkArea.objects.filter(is_active=True), reports
    )
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return table_response(filename=f"indikatordata-{reporting_round.year}", headers=headers, rows=rows, fmt=fmt)


def _submission(pk) -> ParticipantReport:
    try:
        return selectors.submission_detail(pk=pk)
    except ParticipantReport.DoesNotExist:
        raise Http404 from None


@requires(perms.can_view_reporting)
def submission_detail(request, pk):
    report = _submission(pk)
    indicators = selectors.round_indicators(report.round)
    answers = selectors.answers_of(report)
    work_areas = list(WorkArea.objects.filter(is_active=True))
    return render(
        request,
        "reporting/office/submission_detail.html",
        {
            "report": report,
            "rows": selectors.answer_rows(indicators, work_areas, answers),
            "can_manage": perms.can_manage_reporting(request.user),
            "timeline": entries_for(report)[:50],
        },
    )


@requires(perms.can_manage_reporting)
def submission_correct(request, pk):
    """The coordinator corrects a submitted report (also after the round is closed)."""
    report = _submission(pk)
    if not report.is_submitted:
        raise Http404
    return correction_page(
        request,
        report,
        reporting_round=report.round,
        participant=report.participant,
        success=_("The correction is saved and logged."),
        done_url=report.get_absolute_url(),
        cancel_url=report.get_absolute_url(),
        layout="layouts/office.html",
    )


# --- Imports -------------------------------------------------------------------------------------------------------


@requires(perms.can_manage_reporting)
def import_list(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            source_import = services.import_upload(
                uploaded=form.cleaned_data["file"], actor=request.user, source_name=form.cleaned_data["source_name"]
            )
            messages.success(request, _("The file is read. Map its columns, check, and import."))
            return redirect(source_import.get_absolute_url())
    return render(
        request,
        "reporting/office/import_list.html",
        {
            "form": form,
            "imports": selectors.import_list()[:100],
            "indicators": selectors.active_indicators(source=Source.IMPORTED),
        },
    )


@requires(perms.can_manage_reporting)
def import_detail(request, pk):
    source_import = get_object_or_404(IndicatorImport.objects.select_related("uploaded_by", "imported_by"), pk=pk)
    indicators = list(selectors.active_indicators(source=Source.IMPORTED))
    plan = None
    form = None
    if source_import.status == ImportStatus.UPLOADED:
        form = ImportMappingForm(
            request.POST or None, headers=source_import.headers, indicators=indicators, mapping=source_import.mapping
        )
        if request.method == "POST" and form.is_valid():
            mapping = form.mapping()
            try:
                if request.POST.get("action") == "import":
                    services.import_execute(source_import=source_import, mapping=mapping, actor=request.user)
                    messages.success(request, _("The values are imported."))
                    return redirect(source_import.get_absolute_url())
                plan = services.import_plan(source_import=source_import, mapping=mapping)
            except DomainError as error:
                form.add_domain_error(error)
                try:
                    plan = services.import_plan(source_import=source_import, mapping=mapping)
                except DomainError:
                    plan = None
    rows = source_import.rows.all() if source_import.status != ImportStatus.UPLOADED else []
    outcome = request.GET.get("outcome", "")
    if outcome in RowOutcome.values and rows:
        rows = rows.filter(outcome=outcome)
    return render(
        request,
        "reporting/office/import_detail.html",
        {
            "source_import": source_import,
            "form": form,
            "plan": plan,
            "rows": rows,
            "outcome": outcome,
            "outcomes": RowOutcome.choices,
            "moves": [m for m in lifecycle.IMPORT_MOVES.moves_from(source_import.status) if m.name != "import"],
            "timeline": entries_for(source_import)[:30],
        },
    )


@require_POST
@requires(perms.can_manage_reporting)
def import_move(request, pk, move):
    source_import = get_object_or_404(IndicatorImport, pk=pk)
    spec = lifecycle.IMPORT_MOVES.get(move)
    if spec is None or move == "import":
        raise Http404
    return post_move(request, source_import, spec, object_arg="source_import", redirect_to=source_import.get_absolute_url())


# --- Annual reports ---------------------------------------------------------------------------------------------------


@requires(perms.can_view_reporting)
def report_list(request):
    return render(
        request,
        "reporting/office/report_list.html",
        {"reports": selectors.report_list(), "can_manage": perms.can_manage_reporting(request.user)},
    )


@requires(perms.can_manage_reporting)
def report_create(request):
    form = AnnualReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            report = services.annual_report_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The report is created with the sections of the latest earlier report, or one per topic."))
            return redirect(report.get_absolute_url())
    return form_page(
        request, form, title=_("New annual report"), submit=_("Create"), cancel_url=reverse("reporting:report_list"),
        intro=_("The report starts from the text and the indicators of the latest earlier report, or with one section per topic."),
    )


@requires(perms.can_view_reporting)
def report_detail(request, pk):
    report = get_object_or_404(AnnualReport.objects.select_related("frozen_by", "published_by"), pk=pk)
    can_manage = perms.can_manage_reporting(request.user)
    return render(
        request,
        "reporting/office/report_detail.html",
        {
            "report": report,
            "sections": selectors.report_with_sections(report),
            "moves": lifecycle.REPORT_MOVES.moves_from(report.status) if can_manage else [],
            "can_manage": can_manage,
            "editable": can_manage and not report.is_published,
            "timeline": entries_for(report)[:50],
        },
    )


@requires(perms.can_manage_reporting)
def report_edit(request, pk):
    report = get_object_or_404(AnnualReport, pk=pk)
    form = AnnualReportForm(request.POST or None, instance=AnnualReport.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.annual_report_update(report=report, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The report is saved."))
            return redirect(report.get_absolute_url())
    return form_page(request, form, title=_("Edit %(name)s") % {"name": report}, submit=_("Save"), cancel_url=report.get_absolute_url())


@requires(perms.can_view_reporting)
def report_preview(request, pk):
    """The whole report as the public will see it (live figures while it is a draft)."""
    report = get_object_or_404(AnnualReport, pk=pk)
    return render(
        request,
        "reporting/office/report_preview.html",
        {"report": report, "view": presentation.report_view(report)},
    )


@requires(perms.can_view_reporting)
def report_pdf_download(request, pk):
    report = get_object_or_404(AnnualReport, pk=pk)
    return attachment_response(report_pdf(report), filename=pdf_filename(report))


@requires(perms.can_view_reporting)
def report_xlsx_download(request, pk):
    report = get_object_or_404(AnnualReport, pk=pk)
    return attachment_response(
        report_xlsx(report, presentation.report_view(report)),
        filename=f"arsmelding-{report.year}-data.xlsx",
        content_type=XLSX_TYPE,
    )


@requires(perms.can_manage_reporting)
def report_move(request, pk, move):
    report = get_object_or_404(AnnualReport, pk=pk)
    spec = lifecycle.REPORT_MOVES.get(move)
    if spec is None or report.status not in spec.sources:
        raise Http404
    if request.method == "POST":
        return post_move(request, report, spec, object_arg="report", redirect_to=report.get_absolute_url())
    return render(request, "reporting/office/confirm_move.html", {"object": report, "move": spec})


@requires(perms.can_manage_reporting)
def section_create(request, pk):
    report = get_object_or_404(AnnualReport, pk=pk)
    if report.is_published:
        messages.error(request, _("The report is published; withdraw it from the public site to change it."))
        return redirect(report.get_absolute_url())
    form = SectionForm(request.POST or None, figures_locked=report.is_frozen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form):
            services.section_create(
                report=report, actor=request.user, heading=data["heading"], body_source=data["body_source"],
                indicators=[] if report.is_frozen else list(data["indicators"]),
            )
            messages.success(request, _("The section is added."))
            return redirect(report.get_absolute_url())
    return render(
        request, "reporting/office/section_form.html",
        {"form": form, "report": report, "title": _("New section"), "cancel_url": report.get_absolute_url()},
    )


@requires(perms.can_manage_reporting)
def section_edit(request, pk):
    section = get_object_or_404(ReportSection.objects.select_related("report"), pk=pk)
    report = section.report
    if report.is_published:
        messages.error(request, _("The report is published; withdraw it from the public site to change it."))
        return redirect(report.get_absolute_url())
    form = SectionForm(request.POST or None, section=section, figures_locked=report.is_frozen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form):
            services.section_update(
                section=section, actor=request.user, heading=data["heading"], body_source=data["body_source"],
                indicators=None if report.is_frozen else list(data["indicators"]),
            )
            messages.success(request, _("The section is saved."))
            return redirect(report.get_absolute_url())
    return render(
        request, "reporting/office/section_form.html",
        {"form": form, "report": report, "section": section, "title": section.heading, "cancel_url": report.get_absolute_url()},
    )


@require_POST
@requires(perms.can_manage_reporting)
def section_delete(request, pk):
    section = get_object_or_404(ReportSection.objects.select_related("report"), pk=pk)
    try:
        services.section_delete(section=section, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The section is removed."))
    return redirect(section.report.get_absolute_url())


@require_POST
@requires(perms.can_manage_reporting)
def section_move(request, pk):
    section = get_object_or_404(ReportSection.objects.select_related("report"), pk=pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    try:
        services.section_move(section=section, actor=request.user, direction=direction)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(section.report.get_absolute_url() + f"#section-{section.pk}")
