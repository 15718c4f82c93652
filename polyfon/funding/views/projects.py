"""The office (/kontor/) for grants as projects: period, payments, students, outputs and reports."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polyfon.core.audit import entries_for
from polyfon.core.errors import DomainError
from polyfon.core.listing import Column, ListPage
from polyfon.core.pages import errors_on, form_page, list_response
from polyfon.core.permissions import authenticated, ensure, requires

from .. import lifecycle, selectors, services
from .. import permissions as perms
from ..filters import GrantFilter, ReportFilter
from ..forms import (
    CancelForm,
    GrantForm,
    OutputForm,
    PaymentForm,
    PaymentMadeForm,
    ReportAssessForm,
    StudentForm,
)
from ..models import Grant, GrantOutput, GrantPayment, GrantReport, GrantStatus, GrantStudent

GRANT_COLUMNS = [
    Column("title", gettext_lazy("Project"), lambda g: g.title, sort="title", link=True),
    Column("call", gettext_lazy("Call"), lambda g: g.application.call.code, sort="application__call__deadline"),
    Column("leader", gettext_lazy("Project leader"), lambda g: g.leader.name, sort="leader__name"),
    Column("lead", gettext_lazy("Lead participant"), lambda g: g.application.lead_participant or ""),
    Column("period", gettext_lazy("Period"), lambda g: f"{g.start_date:%d.%m.%Y}–{g.end_date:%d.%m.%Y}", sort="start_date"),
    Column("status", gettext_lazy("Status"), lambda g: g.get_status_display(), sort="status"),
    Column("amount", gettext_lazy("Granted (NOK)"), lambda g: g.amount, sort="amount", numeric=True),
    Column("paid", gettext_lazy("Paid (NOK)"), lambda g: g.paid, sort="paid", numeric=True),
    Column("students", gettext_lazy("Students"), lambda g: g.student_count, numeric=True),
    Column("outputs", gettext_lazy("Results"), lambda g: g.output_count, numeric=True),
    Column("external_won", gettext_lazy("External funding won (NOK)"), lambda g: g.external_won, sort="external_won", numeric=True),
    Column("open_reports", gettext_lazy("Reports outstanding"), lambda g: g.open_reports, numeric=True),
    Column("decided_on", gettext_lazy("Decided"), lambda g: g.decision.decided_on, export_only=True),
    Column("meeting", gettext_lazy("Meeting"), lambda g: g.decision.meeting_reference, export_only=True),
    Column("participants", gettext_lazy("Participants"), lambda g: ", ".join(p.name for p in g.participants.all()), export_only=True),
]


@requires(perms.can_read_funding)
def grant_list(request):
    page = ListPage(request, queryset=selectors.grant_list(), columns=GRANT_COLUMNS, filterset_class=GrantFilter, default_sort="-start_date")
    return list_response(request, page, title=_("Projects"), filename="prosjekter")


def _grant(request, pk) -> Grant:
    try:
        grant = selectors.grant_detail(pk=pk)
    except Grant.DoesNotExist:
        raise Http404 from None
    ensure(request.user, perms.can_view_grant, grant)
    return grant


@requires(perms.can_read_funding)
def grant_detail(request, pk):
    grant = _grant(request, pk)
    return render(
        request,
        "funding/office/grant_detail.html",
        {
            "grant": grant,
            "can_manage": perms.can_manage_funding(request.user),
            "timeline": entries_for(grant)[:100],
            "planned_total": sum((p.amount for p in grant.payments.all()), 0),
        },
    )


@requires(perms.can_manage_funding)
def grant_edit(request, pk):
    grant = get_object_or_404(Grant, pk=pk)
    form = GrantForm(request.POST or None, instance=Grant.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        participants = list(data.pop("participants"))
        with errors_on(form):
            services.grant_update(grant=grant, actor=request.user, participants=participants, **data)
            messages.success(request, _("The project is saved."))
            return redirect(grant.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Edit %(project)s") % {"project": grant},
        intro=_("A new period moves the reports that are not yet sent."),
        submit=_("Save"),
        cancel_url=grant.get_absolute_url(),
    )


@requires(perms.can_manage_funding)
def grant_cancel(request, pk):
    grant = get_object_or_404(Grant, pk=pk)
    if grant.status != GrantStatus.ACTIVE:
        raise Http404
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.grant_cancel(grant=grant, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The project is cancelled."))
            return redirect(grant.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Cancel %(project)s") % {"project": grant},
        intro=_("Payments not yet made and reports not yet sent are removed. The grant no longer counts as returned to the participants."),
        submit=_("Cancel the project"),
        cancel_url=grant.get_absolute_url(),
        danger=True,
    )


@requires(perms.can_manage_funding)
def payment_add(request, pk):
    grant = get_object_or_404(Grant, pk=pk)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.grant_plan_payment(grant=grant, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The payment is planned."))
            return redirect(grant.get_absolute_url())
    return form_page(request, form, title=_("Plan a payment of %(project)s") % {"project": grant}, submit=_("Save"), cancel_url=grant.get_absolute_url())


@requires(perms.can_manage_funding)
def payment_made(request, pk):
    payment = get_object_or_404(GrantPayment.objects.select_related("grant"), pk=pk)
    form = PaymentMadeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.grant_register_payment(payment=payment, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The payment is registered as made."))
            return redirect(payment.grant.get_absolute_url())
    return form_page(
        request, form, title=_("Register payment of %(project)s") % {"project": payment.grant}, submit=_("Save"),
        cancel_url=payment.grant.get_absolute_url(),
    )


@require_POST
@requires(perms.can_manage_funding)
def payment_remove(request, pk):
    payment = get_object_or_404(GrantPayment.objects.select_related("grant"), pk=pk)
    try:
        services.grant_remove_payment(payment=payment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The planned payment is removed."))
    return redirect(payment.grant.get_absolute_url())


@requires(perms.can_manage_funding)
def student_add(request, pk):
    grant = get_object_or_404(Grant, pk=pk)
    form = StudentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.grant_add_student(grant=grant, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The student is added."))
            return redirect(grant.get_absolute_url())
    return form_page(
        request, form, title=_("Add a student to %(project)s") % {"project": grant},
        intro=_("The student is registered in the register if the e-mail address is new."),
        submit=_("Add"), cancel_url=grant.get_absolute_url(),
    )


@require_POST
@requires(perms.can_manage_funding)
def student_remove(request, pk):
    student = get_object_or_404(GrantStudent.objects.select_related("grant", "person"), pk=pk)
    services.grant_remove_student(student=student, actor=request.user)
    messages.success(request, _("The student is removed from the project."))
    return redirect(student.grant.get_absolute_url())


@requires(perms.can_manage_funding)
def output_add(request, pk):
    grant = get_object_or_404(Grant, pk=pk)
    form = OutputForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.grant_add_output(grant=grant, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The result is registered."))
            return redirect(grant.get_absolute_url())
    return form_page(request, form, title=_("Register a result of %(project)s") % {"project": grant}, submit=_("Register"), cancel_url=grant.get_absolute_url())


@require_POST
@requires(authenticated)
def output_remove(request, pk):
    output = get_object_or_404(GrantOutput.objects.select_related("grant__leader", "grant__application"), pk=pk)
    ensure(request.user, perms.can_report_on_grant, output.grant)
    services.grant_remove_output(output=output, actor=request.user)
    messages.success(request, _("The result is removed."))
    if perms.can_manage_funding(request.user):
        return redirect(output.grant.get_absolute_url())
    return redirect(output.grant.get_mine_url())


REPORT_COLUMNS = [
    Column("project", gettext_lazy("Project"), lambda r: r.grant.title, sort="grant__title", link=True),
    Column("kind", gettext_lazy("Kind"), lambda r: r.get_kind_display(), sort="kind"),
    Column("due_on", gettext_lazy("Due"), lambda r: r.due_on, sort="due_on"),
    Column("status", gettext_lazy("Status"), lambda r: r.get_status_display(), sort="status"),
    Column("overdue", gettext_lazy("Overdue"), lambda r: r.is_overdue),
    Column("leader", gettext_lazy("Project leader"), lambda r: r.grant.leader.name, sort="grant__leader__name"),
    Column("call", gettext_lazy("Call"), lambda r: r.grant.application.call.code),
    Column("submitted_at", gettext_lazy("Submitted"), lambda r: r.submitted_at, sort="submitted_at"),
]


@requires(perms.can_read_funding)
def report_list(request):
    page = ListPage(request, queryset=selectors.report_list(), columns=REPORT_COLUMNS, filterset_class=ReportFilter, default_sort="due_on")
    return list_response(request, page, title=_("Project reports"), filename="prosjektrapporter")


@requires(perms.can_read_funding)
def report_detail(request, pk):
    report = get_object_or_404(
        GrantReport.objects.select_related("grant__leader", "grant__application__call", "submitted_by", "reviewed_by"), pk=pk
    )
    can_assess = perms.can_manage_funding(request.user) and any(
        m.name in {"approve", "return"} for m in lifecycle.REPORT_MOVES.moves_from(report.status)
    )
    form = ReportAssessForm(request.POST or None) if can_assess else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            with errors_on(form):
                if form.cleaned_data["verdict"] == "approve":
                    services.report_approve(report=report, actor=request.user, note=form.cleaned_data["note"])
                    messages.success(request, _("The report is approved."))
                else:
                    services.report_return(report=report, actor=request.user, note=form.cleaned_data["note"])
                    messages.success(request, _("The report is returned to the project leader."))
                return redirect(report.grant.get_absolute_url())
    return render(request, "funding/office/report_detail.html", {"report": report, "form": form, "grant": report.grant})


