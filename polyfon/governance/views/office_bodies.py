"""The office (/kontor/styring/): bodies, seats, representation and the general assembly."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polyfon.core.audit import entries_for
from polyfon.core.dates import local_today
from polyfon.core.exports import table_response
from polyfon.core.pages import errors_on, form_page, posted
from polyfon.core.permissions import requires

from .. import permissions as perms
from .. import selectors, services
from ..forms import (
    AdoptRegisterForm,
    BodyForm,
    GeneralAssemblyForm,
    ProposalApproveForm,
    ProposalRejectForm,
    SeatEditForm,
    SeatEndForm,
    SeatForm,
)
from ..models import Body, MeetingStatus, Poll, PollStatus, ProposalStatus, RepresentationProposal, Seat


@requires(perms.can_view_governance)
def overview(request):
    now = timezone.now()
    steering = selectors.steering_group()
    return render(
        request,
        "governance/office/overview.html",
        {
            "bodies": selectors.body_list().order_by("position", "name"),
            "steering": steering,
            "gaps": selectors.representation_status(steering).missing if steering and steering.represents_participants else [],
            "assembly": selectors.general_assembly(),
            "pending_proposals": selectors.pending_proposals().count(),
            "upcoming": selectors.meeting_list()
            .filter(starts_at__gte=now)
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("starts_at")[:8],
            "open_polls": Poll.objects.filter(status=PollStatus.OPEN).select_related("election", "motion", "meeting__body"),
            "can_manage": perms.can_manage_governance(request.user),
        },
    )


@requires(perms.can_manage_governance)
def body_create(request):
    form = BodyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            body = services.body_save(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The body is created."))
            return redirect(body.get_absolute_url())
    return form_page(request, form, title=_("New body"), submit=_("Create"), cancel_url=reverse("governance:overview"))


@requires(perms.can_manage_governance)
def body_edit(request, pk):
    body = get_object_or_404(Body, pk=pk)
    form = BodyForm(posted(request), instance=Body.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.body_save(actor=request.user, body=body, **form.cleaned_data)
            messages.success(request, _("The body is saved."))
            return redirect(body.get_absolute_url())
    return form_page(request, form, title=_("Edit %(name)s") % {"name": body}, submit=_("Save"), cancel_url=body.get_absolute_url())


# Large bodies (a general assembly of hundreds) show their problems on the page and the whole
# list as a download.
PAGE_ROWS = 150

SEAT_EXPORT_HEADERS = [
    gettext_lazy("Name"), gettext_lazy("E-mail address"), gettext_lazy("Role"), gettext_lazy("Represents"),
    gettext_lazy("Work area"), gettext_lazy("Term starts"), gettext_lazy("Term ends"), gettext_lazy("How"),
]


@requires(perms.can_view_governance)
def body_detail(request, pk):
    body = get_object_or_404(Body.objects.select_related("work_area"), pk=pk)
    today = local_today()
    seats = selectors.current_seats(body, today)
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        rows = (
            [s.person.name, s.person.email, s.get_role_display(), s.participant or "", s.work_area or "", s.start_date,
             s.end_date, s.get_source_display()]
            for s in seats.iterator(chunk_size=2000)
        )
        return table_response(filename=f"seter-{body.slug}", headers=[str(h) for h in SEAT_EXPORT_HEADERS], rows=rows, fmt=fmt)
    representation = selectors.representation_status(body, today) if body.represents_participants else None
    representation_rows = None
    if representation is not None:
        representation_rows = representation.rows
        if len(representation_rows) > PAGE_ROWS:
            representation_rows = [r for r in representation_rows if r.representative is None or (body.is_steering_group and r.register_differs)]
    return render(
        request,
        "governance/office/body_detail.html",
        {
            "body": body,
            "seats": seats[:PAGE_ROWS],
            "seat_total": seats.count(),
            "history": selectors.seat_history(body, today)[:PAGE_ROWS],
            "representation": representation,
            "representation_rows": representation_rows,
            "representation_shortened": representation is not None and len(representation_rows) != len(representation.rows),
            "meetings": selectors.meeting_list().filter(body=body).order_by("-starts_at")[:20],
            "decision_count": body.decisions.count(),
            "timeline": entries_for(body)[:50],
            "can_manage": perms.can_manage_governance(request.user),
            "today": today,
        },
    )


@requires(perms.can_manage_governance)
def seat_create(request, pk):
    body = get_object_or_404(Body, pk=pk)
    initial = {"start_date": local_today()}
    participant_id = request.GET.get("participant")
    if participant_id and participant_id.isdigit():
        initial["participant"] = int(participant_id)
    form = SeatForm(posted(request), body=body, initial=initial)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.seat_appoint(body=body, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The seat is added."))
            return redirect(body.get_absolute_url())
    return form_page(
        request, form, title=_("New seat in %(body)s") % {"body": body}, submit=_("Add"), cancel_url=body.get_absolute_url()
    )


@requires(perms.can_manage_governance)
def seat_edit(request, pk):
    seat = get_object_or_404(Seat.objects.select_related("body", "person"), pk=pk)
    form = SeatEditForm(posted(request), initial={"end_date": seat.end_date, "note": seat.note})
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.seat_update(seat=seat, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The seat is saved."))
            return redirect(seat.body.get_absolute_url())
    return form_page(
        request, form, title=_("Term of %(seat)s") % {"seat": seat}, submit=_("Save"), cancel_url=seat.body.get_absolute_url()
    )


@requires(perms.can_manage_governance)
def seat_end(request, pk):
    seat = get_object_or_404(Seat.objects.select_related("body", "person"), pk=pk)
    form = SeatEndForm(posted(request), initial={"end_date": local_today()})
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.seat_end(seat=seat, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The seat is ended; it stays in the body's history."))
            return redirect(seat.body.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("End the seat of %(seat)s") % {"seat": seat},
        intro=_("The seat is kept in the history. In the steering group the register's representative role follows."),
        submit=_("End the seat"),
        cancel_url=seat.body.get_absolute_url(),
        danger=True,
    )


@requires(perms.can_manage_governance)
def adopt_register(request, pk):
    body = get_object_or_404(Body, pk=pk)
    if not ((body.is_steering_group or body.is_general_assembly) and body.represents_participants):
        raise Http404
    form = AdoptRegisterForm(posted(request), initial={"start_date": local_today()})
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            count = services.body_adopt_register(body=body, actor=request.user, **form.cleaned_data)
            messages.success(request, _("%(count)s seats were created from the register.") % {"count": count})
            return redirect(body.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Take the representatives over from the register"),
        intro=_(
            "Every member participant whose representative or deputy in the register has no seat in the steering "
            "group gets one from the date below. Seats already there are not changed."
        ) if body.is_steering_group else _(
            "Every member participant whose representative or deputy in the register has no seat in the general "
            "assembly gets one from the date below, as its delegate or deputy. Seats already there are not changed."
        ),
        submit=_("Create the seats"),
        cancel_url=body.get_absolute_url(),
    )


@requires(perms.can_manage_governance)
def general_assembly(request):
    existing = selectors.general_assembly()
    if existing is not None:
        return redirect(existing.get_absolute_url())
    form = GeneralAssemblyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            body = services.general_assembly_enable(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The general assembly is turned on."))
            return redirect(body.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Turn on the general assembly"),
        intro=_(
            "Each member participant gets one vote in the general assembly, cast by its representative there (the "
            "deputy when the representative is not present), or by another participant holding its proxy. The "
            "participants' contacts propose their representatives on their own pages. The general assembly can "
            "then elect the steering group and its chair."
        ),
        submit=_("Turn on"),
        cancel_url=reverse("governance:overview"),
    )


@requires(perms.can_view_governance)
def proposal_list(request):
    proposals = RepresentationProposal.objects.select_related("participant", "body", "representative", "deputy", "proposed_by")
    return render(
        request,
        "governance/office/proposal_list.html",
        {
            "pending": proposals.filter(status=ProposalStatus.PENDING).order_by("proposed_at"),
            "decided": proposals.exclude(status=ProposalStatus.PENDING)[:50],
            "can_manage": perms.can_manage_governance(request.user),
        },
    )


@requires(perms.can_manage_governance)
def proposal_decide(request, pk):
    proposal = get_object_or_404(
        RepresentationProposal.objects.select_related("participant", "body", "representative", "deputy", "proposed_by"), pk=pk
    )
    approve = ProposalApproveForm(
        request.POST if request.POST.get("action") == "approve" else None, prefix="approve",
        initial={"start_date": proposal.start_date},
    )
    reject = ProposalRejectForm(request.POST if request.POST.get("action") == "reject" else None, prefix="reject")
    if request.method == "POST" and proposal.status == ProposalStatus.PENDING:
        form = approve if request.POST.get("action") == "approve" else reject
        if form.is_valid():
            with errors_on(form):
                if form is approve:
                    services.representation_proposal_approve(proposal=proposal, actor=request.user, **form.cleaned_data)
                else:
                    services.representation_proposal_reject(proposal=proposal, actor=request.user, **form.cleaned_data)
                messages.success(request, _("The proposal is decided and the proposer is told."))
                return redirect("governance:proposal_list")
    current = [
        row for row in selectors.representation_for_participant(proposal.participant) if row["body"].pk == proposal.body_id
    ]
    return render(
        request,
        "governance/office/proposal_decide.html",
        {
            "proposal": proposal,
            "approve_form": approve,
            "reject_form": reject,
            "current": current[0] if current else None,
            "timeline": entries_for(proposal),
        },
    )
