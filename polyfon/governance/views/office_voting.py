"""The office (/kontor/styring/): proxies, elections with candidates, motions, and their polls."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyfon.core.audit import entries_for
from polyfon.core.dates import local_today
from polyfon.core.pages import errors_on, form_page, post_service, posted
from polyfon.core.permissions import requires

from .. import lifecycle, selectors, services
from .. import permissions as perms
from ..forms import CandidateForm, ElectionForm, MotionForm, ProxyForm, RecordConsentForm
from ..models import AgendaItem, Candidate, Election, Meeting, Motion, Proxy, SeatRole
from .common import move_page


@requires(perms.can_manage_governance)
def proxies(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    form = ProxyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.proxy_register(meeting=meeting, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The proxy is recorded."))
            return redirect("governance:proxies", pk=meeting.pk)
    return render(
        request,
        "governance/office/proxies.html",
        {
            "meeting": meeting,
            "form": form,
            "proxies": Proxy.objects.filter(meeting=meeting).select_related("giver", "holder", "registered_by"),
        },
    )


@require_POST
@requires(perms.can_manage_governance)
def proxy_revoke(request, pk):
    proxy = get_object_or_404(Proxy, pk=pk)
    return post_service(
        request,
        lambda: services.proxy_revoke(proxy=proxy, actor=request.user),
        success=_("The proxy is revoked."),
        redirect_to=reverse("governance:proxies", args=[proxy.meeting_id]),
    )


# --- Elections ------------------------------------------------------------------------------------------------


@requires(perms.can_manage_governance)
def election_create(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    steering = selectors.steering_group()
    form = ElectionForm(
        posted(request),
        initial={
            "title": item.title,
            "seat_body": steering.pk if steering else None,
            "seat_role": SeatRole.CHAIR,
            "seats": 1,
            "term_start": local_today(),
            "is_secret": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            election = services.election_create(item=item, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The election is prepared. Add the candidates."))
            return redirect(election.get_absolute_url())
    return form_page(
        request, form, title=_("New election under %(item)s") % {"item": item}, submit=_("Create"),
        cancel_url=item.get_absolute_url(),
    )


@requires(perms.can_view_governance)
def election_detail(request, pk):
    election = _election(pk)
    can_manage = perms.can_manage_governance(request.user)
    polls = list(election.polls.all())
    candidates = list(election.candidates.all())
    names = {c.pk: c for c in candidates}
    rounds = []
    for poll in polls:
        votes = poll.results.get("candidates", {})
        outcome = poll.results.get("outcome", {})
        rounds.append(
            {
                "poll": poll,
                "rows": sorted(
                    (
                        {
                            "candidate": names.get(int(pk)),
                            "votes": n,
                            "elected": int(pk) in outcome.get("elected", []),
                            "tied": int(pk) in outcome.get("tied", []),
                        }
                        for pk, n in votes.items()
                        if int(pk) in names
                    ),
                    key=lambda row: -row["votes"],
                ),
                "abstain": poll.results.get("choices", {}).get("abstain", 0),
                "outcome": outcome,
                "by_capacity": services.voters_summary(poll) if poll.is_open else {},
            }
        )
    return render(
        request,
        "governance/office/election_detail.html",
        {
            "election": election,
            "candidates": candidates,
            "rounds": rounds,
            "moves": lifecycle.ELECTION_MOVES.moves_from(election.status, on_page=True) if can_manage else [],
            "can_manage": can_manage,
            "can_nominate": can_manage and election.status in ("draft", "nomination"),
            "timeline": entries_for(election)[:100],
        },
    )


def _election(pk):
    try:
        return selectors.election_detail(pk)
    except Election.DoesNotExist:
        raise Http404 from None


@requires(perms.can_manage_governance)
def election_move(request, pk, move):
    election = get_object_or_404(Election, pk=pk)
    today = local_today()
    initial = {"nomination_opens_on": today, "nomination_closes_on": today} if move == "open_nomination" else {}
    return move_page(request, election, table="election", move=move, cancel_url=election.get_absolute_url(), initial=initial)


@requires(perms.can_manage_governance)
def candidate_add(request, pk):
    election = get_object_or_404(Election, pk=pk)
    form = CandidateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.candidate_add(election=election, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The candidate is added."))
            return redirect(election.get_absolute_url())
    return form_page(
        request, form, title=_("Nominate a candidate: %(election)s") % {"election": election}, submit=_("Nominate"),
        cancel_url=election.get_absolute_url(),
    )


@requires(perms.can_manage_governance)
def candidate_consent_record(request, pk):
    candidate = get_object_or_404(Candidate.objects.select_related("election", "person"), pk=pk)
    form = RecordConsentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.candidate_record_consent(candidate=candidate, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The answer is recorded."))
            return redirect(candidate.election.get_absolute_url())
    return form_page(
        request, form, title=_("Consent of %(person)s") % {"person": candidate.person},
        intro=_("Record an answer the candidate gave in another way (in person, by e-mail)."),
        submit=_("Record"), cancel_url=candidate.election.get_absolute_url(),
    )


@require_POST
@requires(perms.can_manage_governance)
def candidate_remove(request, pk):
    candidate = get_object_or_404(Candidate.objects.select_related("election"), pk=pk)
    return post_service(
        request,
        lambda: services.candidate_remove(candidate=candidate, actor=request.user),
        success=_("The candidate is removed."),
        redirect_to=candidate.election.get_absolute_url(),
    )


# --- Motions -----------------------------------------------------------------------------------------------------


@requires(perms.can_manage_governance)
def motion_create(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    form = MotionForm(posted(request), initial={"title": item.title, "text": item.proposed_decision})
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            motion = services.motion_create(item=item, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The motion is ready to be voted on."))
            return redirect(motion.get_absolute_url())
    return form_page(
        request, form, title=_("New motion under %(item)s") % {"item": item}, submit=_("Create"), cancel_url=item.get_absolute_url()
    )


@requires(perms.can_view_governance)
def motion_detail(request, pk):
    motion = get_object_or_404(Motion.objects.select_related("item__meeting__body", "decision"), pk=pk)
    can_manage = perms.can_manage_governance(request.user)
    poll = motion.polls.order_by("-round").first()
    return render(
        request,
        "governance/office/motion_detail.html",
        {
            "motion": motion,
            "poll": poll,
            "by_capacity": services.voters_summary(poll) if poll and poll.is_open else {},
            "moves": lifecycle.MOTION_MOVES.moves_from(motion.status, on_page=True) if can_manage else [],
            "timeline": entries_for(motion)[:50],
        },
    )


@requires(perms.can_manage_governance)
def motion_move(request, pk, move):
    motion = get_object_or_404(Motion, pk=pk)
    return move_page(request, motion, table="motion", move=move, cancel_url=motion.get_absolute_url())
