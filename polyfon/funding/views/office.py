"""The office (/kontor/) for calls, applications, review, ranking and decisions.
Thin: rule, form, service, page. Steering-group members read; coordinators act."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polyfon.core.audit import entries_for
from polyfon.core.errors import DomainError
from polyfon.core.listing import Column, ListPage
from polyfon.core.pages import errors_on, form_page, list_response
from polyfon.core.permissions import ensure, requires
from polyfon.members.models import Person

from .. import lifecycle, selectors, services
from .. import permissions as perms
from ..filters import ApplicationFilter, CallFilter
from ..forms import (
    AssignReviewerForm,
    CallForm,
    CriterionFormSet,
    DecisionForm,
    DecisionRowFormSet,
    MeetingForm,
    NoteForm,
    ProposalForm,
    ReopenForm,
    ReviewerAddForm,
)
from ..models import Application, ApplicationStatus, Call, Outcome, Review

# --- Calls ---------------------------------------------------------------------------------------------------


CALL_COLUMNS = [
    Column("code", gettext_lazy("Code"), lambda c: c.code, sort="code"),
    Column("title", gettext_lazy("Title"), lambda c: c.display_title, sort="title", link=True),
    Column("kind", gettext_lazy("Kind"), lambda c: c.get_kind_display(), sort="kind"),
    Column("deadline", gettext_lazy("Deadline"), lambda c: c.deadline, sort="deadline"),
    Column("published", gettext_lazy("Published"), lambda c: c.is_published),
    Column("applications", gettext_lazy("Applications"), lambda c: c.submitted_count, sort="submitted_count", numeric=True),
    Column("drafts", gettext_lazy("Drafts"), lambda c: c.draft_count, numeric=True),
    Column("budget", gettext_lazy("Budget (NOK)"), lambda c: c.total_budget, sort="total_budget", numeric=True),
    Column("granted", gettext_lazy("Granted (NOK)"), lambda c: c.granted_sum, sort="granted_sum", numeric=True),
    Column("opens_at", gettext_lazy("Opens"), lambda c: c.opens_at, export_only=True),
    Column("work_areas", gettext_lazy("Work areas"), lambda c: ", ".join(str(w) for w in c.work_areas.all()), export_only=True),
]


@requires(perms.can_read_funding)
def call_list(request):
    page = ListPage(request, queryset=selectors.call_list(), columns=CALL_COLUMNS, filterset_class=CallFilter, default_sort="-deadline")
    actions = [{"label": _("New call"), "url": reverse("funding:call_create")}] if perms.can_manage_funding(request.user) else []
    return list_response(request, page, title=_("Calls"), filename="utlysninger", actions=actions)


def _call_values(form) -> tuple[dict, list]:
    data = dict(form.cleaned_data)
    work_areas = list(data.pop("work_areas"))
    return data, work_areas


@requires(perms.can_manage_funding)
def call_create(request):
    form = CallForm(request.POST or None, initial={"contact_email": "", "final_report_months": 3})
    if request.method == "POST" and form.is_valid():
        data, work_areas = _call_values(form)
        with errors_on(form):
            call = services.call_create(actor=request.user, work_areas=work_areas, **data)
            messages.success(request, _("The call is created. Add its evaluation criteria, then publish it."))
            return redirect("funding:call_criteria", pk=call.pk)
    return form_page(request, form, title=_("New call"), submit=_("Create"), cancel_url=reverse("funding:call_list"))


@requires(perms.can_read_funding)
def call_detail(request, pk):
    call = get_object_or_404(Call.objects.prefetch_related("work_areas", "criteria", "reviewers__user"), pk=pk)
    return render(
        request,
        "funding/office/call_detail.html",
        {
            "call": call,
            "totals": selectors.call_totals(call),
            "follow_up": selectors.follow_up_funding(call=call),
            "can_manage": perms.can_manage_funding(request.user),
            "timeline": entries_for(call)[:50],
        },
    )


@requires(perms.can_manage_funding)
def call_edit(request, pk):
    call = get_object_or_404(Call, pk=pk)
    form = CallForm(request.POST or None, instance=Call.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data, work_areas = _call_values(form)
        with errors_on(form):
            services.call_update(call=call, actor=request.user, work_areas=work_areas, **data)
            messages.success(request, _("The call is saved."))
            return redirect(call.get_absolute_url())
    return form_page(request, form, title=_("Edit %(call)s") % {"call": call}, submit=_("Save"), cancel_url=call.get_absolute_url())


@requires(perms.can_manage_funding)
def call_criteria(request, pk):
    call = get_object_or_404(Call, pk=pk)
    initial = [
        {"name": c.name, "name_nn": c.name_nn, "name_en": c.name_en, "description": c.description, "weight": c.weight}
        for c in call.criteria.all()
    ]
    formset = CriterionFormSet(request.POST or None, initial=initial, prefix="criterion")
    if request.method == "POST" and formset.is_valid():
        entries = [
            services.CriterionEntry(
                name=f.cleaned_data["name"],
                weight=f.cleaned_data["weight"],
                description=f.cleaned_data.get("description", ""),
                name_nn=f.cleaned_data.get("name_nn", ""),
                name_en=f.cleaned_data.get("name_en", ""),
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.call_set_criteria(call=call, actor=request.user, criteria=entries)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The criteria are saved."))
            return redirect(call.get_absolute_url())
    return render(
        request,
        "funding/formset_page.html",
        {
            "layout": "layouts/office.html",
            "title": _("Evaluation criteria: %(call)s") % {"call": call},
            "intro": _(
                "Reviewers score each criterion from 1 to %(max)s; the weighted score is Σ(weight × score) / Σ(weight)."
            )
            % {"max": call.score_max},
            "formset": formset,
            "legend": _("Criterion"),
            "cancel_url": call.get_absolute_url(),
        },
    )


@requires(perms.can_manage_funding)
def call_reviewers(request, pk):
    call = get_object_or_404(Call.objects.prefetch_related("reviewers__user", "reviewers__affiliations__organisation"), pk=pk)
    form = ReviewerAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.call_add_reviewer(call=call, person=form.person, actor=request.user)
            messages.success(request, _("%(name)s is a reviewer of the call.") % {"name": form.person})
            return redirect("funding:call_reviewers", pk=call.pk)
    return render(request, "funding/office/call_reviewers.html", {"call": call, "form": form})


@require_POST
@requires(perms.can_manage_funding)
def call_reviewer_remove(request, pk, person_pk):
    call = get_object_or_404(Call, pk=pk)
    person = get_object_or_404(Person, pk=person_pk)
    try:
        services.call_remove_reviewer(call=call, person=person, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is no longer a reviewer of the call.") % {"name": person})
    return redirect("funding:call_reviewers", pk=call.pk)


@require_POST
@requires(perms.can_manage_funding)
def call_publish(request, pk):
    call = get_object_or_404(Call, pk=pk)
    try:
        if call.is_published:
            services.call_unpublish(call=call, actor=request.user)
            messages.success(request, _("The call is taken off the public pages."))
        else:
            services.call_publish(call=call, actor=request.user)
            messages.success(request, _("The call is published."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(call.get_absolute_url())


@requires(perms.can_read_funding)
def call_ranking(request, pk):
    call = get_object_or_404(Call.objects.prefetch_related("criteria"), pk=pk)
    result = selectors.ranking(call)
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        from polyfon.core.exports import table_response

        headers = [
            _("Rank"), _("Number"), _("Title"), _("Lead participant"), _("Status"),
            *[c.display_name for c in result.criteria],
            _("Weighted score"), _("Reviews"), _("Requested (NOK)"), _("Cumulative (NOK)"), _("Within budget"),
            _("Proposal"), _("Proposed amount (NOK)"),
        ]
        rows = (
            [
                row.rank, row.application.reference, row.application.title, row.application.lead_participant or "",
                row.application.get_status_display(), *row.criterion_means, row.application.mean_score,
                row.application.reviews_done, row.application.requested, row.cumulative, row.within_budget,
                row.application.get_proposed_outcome_display() if row.application.proposed_outcome else "",
                row.application.proposed_amount,
            ]
            for row in result.rows
        )
        return table_response(filename=f"rangering-{call.code}", headers=headers, rows=rows, fmt=fmt)
    detail_url, proposal_url = _url_maker("funding:application_detail"), _url_maker("funding:application_proposal")
    for row in result.rows:
        row.detail_url, row.proposal_url = detail_url(row.application.pk), proposal_url(row.application.pk)
    return render(
        request,
        "funding/office/ranking.html",
        {"call": call, "ranking": result, "can_manage": perms.can_manage_funding(request.user),
         "left_top_down": call.total_budget - result.funded_top_down, "left_proposed": call.total_budget - result.proposed_total},
    )


def _url_maker(name: str):
    """reverse() once for a list of hundreds of rows: the URL with a stand-in number, then
    the row's primary key put in its place."""
    sentinel = 987654321
    template = reverse(name, args=[sentinel])
    return lambda pk: template.replace(str(sentinel), str(pk))


@requires(perms.can_manage_funding)
def call_decisions(request, pk):
    """Record one steering-group meeting's decisions on the call's applications."""
    call = get_object_or_404(Call, pk=pk)
    candidates = selectors.decision_candidates(call)
    by_pk = {a.pk: a for a in candidates}
    initial = [
        {
            "application": a.pk,
            "outcome": {"grant": Outcome.GRANTED, "decline": Outcome.DECLINED}.get(a.proposed_outcome, ""),
            "amount": a.proposed_amount,
        }
        for a in candidates
    ]
    meeting = MeetingForm(request.POST or None, prefix="meeting", initial={"decided_on": timezone.localdate()})
    formset = DecisionRowFormSet(request.POST or None, initial=initial, prefix="row")
    error = None
    if request.method == "POST" and meeting.is_valid() and formset.is_valid():
        entries = []
        for form in formset.forms:
            application = by_pk.get(form.cleaned_data.get("application"))
            if application and form.cleaned_data.get("outcome"):
                entries.append(
                    services.DecisionEntry(
                        application=application,
                        outcome=form.cleaned_data["outcome"],
                        amount=form.cleaned_data.get("amount") if form.cleaned_data["outcome"] == Outcome.GRANTED else None,
                    )
                )
        try:
            decisions = services.call_record_decisions(
                call=call,
                actor=request.user,
                meeting_reference=meeting.cleaned_data["meeting_reference"],
                decided_on=meeting.cleaned_data["decided_on"],
                entries=entries,
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("%(n)s decisions are recorded and the applicants are told by e-mail.") % {"n": len(decisions)},
            )
            return redirect(call.get_absolute_url())
    rows = [(form, by_pk.get(form.initial.get("application") or _int(form["application"].value()))) for form in formset.forms]
    return render(
        request,
        "funding/office/call_decisions.html",
        {"call": call, "meeting": meeting, "formset": formset, "rows": rows, "error": error},
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- Applications ---------------------------------------------------------------------------------------------------


APPLICATION_COLUMNS = [
    Column("number", gettext_lazy("Number"), lambda a: a.reference, sort="number"),
    Column("title", gettext_lazy("Title"), lambda a: a.title, sort="title", link=True),
    Column("call", gettext_lazy("Call"), lambda a: a.call.code, sort="call__deadline"),
    Column("leader", gettext_lazy("Project leader"), lambda a: a.leader.name, sort="leader__name"),
    Column("lead_participant", gettext_lazy("Lead participant"), lambda a: a.lead_participant or "", sort="lead_participant__name"),
    Column("status", gettext_lazy("Status"), lambda a: a.get_status_display(), sort="status"),
    Column("requested", gettext_lazy("Requested (NOK)"), lambda a: a.requested, sort="requested", numeric=True),
    Column("reviews", gettext_lazy("Reviews done"), lambda a: f"{a.reviews_done}/{a.reviews_done + a.reviews_open}"),
    Column("score", gettext_lazy("Score"), lambda a: selectors.score(a.mean_score), sort="mean_score", numeric=True),
    Column("submitted_at", gettext_lazy("Submitted"), lambda a: a.submitted_at, sort="submitted_at"),
    Column("work_area", gettext_lazy("Work area"), lambda a: a.work_area or "", export_only=True),
    Column("own_contribution", gettext_lazy("Own contribution (NOK)"), lambda a: a.own_contribution, export_only=True),
    Column("granted", gettext_lazy("Granted (NOK)"), lambda a: a.decision.amount if hasattr(a, "decision") else None, export_only=True),
]


@requires(perms.can_read_funding)
def application_list(request):
    page = ListPage(
        request,
        queryset=selectors.application_list(viewer=request.user),
        columns=APPLICATION_COLUMNS,
        filterset_class=ApplicationFilter,
        default_sort="-submitted_at",
    )
    return list_response(request, page, title=_("Applications"), filename="soknader")


def _application(request, pk) -> Application:
    try:
        application = selectors.application_detail(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None
    ensure(request.user, perms.can_view_application, application)
    return application


@requires(perms.can_read_funding)
def application_detail(request, pk):
    application = _application(request, pk)
    can_manage = perms.can_manage_funding(request.user)
    moves = lifecycle.APPLICATION_MOVES.moves_from(application.status, who=lifecycle.COORDINATOR) if can_manage else []
    return render(
        request,
        "funding/office/application_detail.html",
        {
            "application": application,
            "totals": selectors.budget_totals(application),
            "matrix": selectors.score_matrix(application),
            "eligibility": services.application_problems(application) if application.status != ApplicationStatus.WITHDRAWN else [],
            "earlier_grants": services.earlier_grants(application),
            "can_manage": can_manage,
            "can_reopen": any(m.name == "reopen" for m in moves),
            "can_decide": any(m.name in {"grant", "decline"} for m in moves),
            "timeline": entries_for(application)[:100],
            "show_downloads": True,
        },
    )


@requires(perms.can_manage_funding)
def application_assign(request, pk):
    application = _application(request, pk)
    pool = list(application.call.reviewers.select_related("user").prefetch_related("affiliations__organisation").order_by("name"))
    assigned = {r.reviewer_id for r in application.reviews.all()}
    reasons = services.conflicts_for_candidates(application, pool)
    candidates = [p for p in pool if p.pk not in assigned]
    form = AssignReviewerForm(
        request.POST or None, candidates=Person.objects.filter(pk__in=[p.pk for p in candidates])
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.review_assign(application=application, person=form.cleaned_data["person"], actor=request.user)
            messages.success(request, _("%(name)s is assigned and told by e-mail.") % {"name": form.cleaned_data["person"]})
            return redirect("funding:application_assign", pk=application.pk)
    return render(
        request,
        "funding/office/application_assign.html",
        {
            "application": application,
            "form": form,
            "pool": [(p, reasons.get(p.pk, []), p.pk in assigned) for p in pool],
            "reviews": application.reviews.all(),
            "open_to_review": application.status == ApplicationStatus.SUBMITTED,
        },
    )


@require_POST
@requires(perms.can_manage_funding)
def review_unassign(request, pk):
    review = get_object_or_404(Review.objects.select_related("reviewer"), pk=pk)
    try:
        services.review_unassign(review=review, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is removed from the application.") % {"name": review.reviewer})
    return redirect("funding:application_assign", pk=review.application_id)


@requires(perms.can_manage_funding)
def review_return(request, pk):
    review = get_object_or_404(Review.objects.select_related("reviewer", "application__call"), pk=pk)
    move = lifecycle.REVIEW_MOVES["return"]
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.review_return(review=review, actor=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("The review is returned to %(name)s.") % {"name": review.reviewer})
            return redirect(review.application.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Return the review by %(name)s") % {"name": review.reviewer},
        intro=move.explanation,
        submit=move.label,
        cancel_url=review.application.get_absolute_url(),
    )


@requires(perms.can_manage_funding)
def application_reopen(request, pk):
    application = _application(request, pk)
    move = lifecycle.APPLICATION_MOVES["reopen"]
    if not lifecycle.APPLICATION_MOVES.allows(application.status, "reopen"):
        raise Http404
    default_until = timezone.localtime() + timedelta(days=3)
    form = ReopenForm(request.POST or None, initial={"until": default_until.replace(second=0, microsecond=0, tzinfo=None)})
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.application_reopen(
                application=application, actor=request.user, reason=form.cleaned_data["reason"], until=form.cleaned_data["until"]
            )
            messages.success(request, _("The application is reopened and the applicant is told."))
            return redirect(application.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Reopen %(reference)s") % {"reference": application.reference},
        intro=move.explanation,
        submit=move.label,
        cancel_url=application.get_absolute_url(),
    )


@requires(perms.can_manage_funding)
def application_proposal(request, pk):
    application = _application(request, pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise Http404
    form = ProposalForm(
        request.POST or None,
        initial={"outcome": application.proposed_outcome, "amount": application.proposed_amount, "note": application.proposal_note},
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.application_set_proposal(
                application=application,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The proposal is saved."))
            return redirect(reverse("funding:call_ranking", args=[application.call_id]))
    return form_page(
        request,
        form,
        title=_("Proposal for %(reference)s") % {"reference": application.reference},
        intro=_("The steering group decides; the proposals are listed on the ranking page and prefill the decision meeting."),
        submit=_("Save"),
        cancel_url=application.get_absolute_url(),
    )


@requires(perms.can_manage_funding)
def application_decide(request, pk):
    application = _application(request, pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise Http404
    form = DecisionForm(
        request.POST or None,
        initial={
            "outcome": {"grant": Outcome.GRANTED, "decline": Outcome.DECLINED}.get(application.proposed_outcome, ""),
            "amount": application.proposed_amount,
            "decided_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form):
            services.application_decide(
                application=application,
                actor=request.user,
                outcome=data["outcome"],
                amount=data["amount"] if data["outcome"] == Outcome.GRANTED else None,
                meeting_reference=data["meeting_reference"],
                decided_on=data["decided_on"],
                note=data["note"],
            )
            messages.success(request, _("The decision is recorded and the applicant is told by e-mail."))
            return redirect(application.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Record the decision on %(reference)s") % {"reference": application.reference},
        intro=_("Record what the steering group decided, in which meeting and on what date."),
        submit=_("Record the decision"),
        cancel_url=application.get_absolute_url(),
    )
