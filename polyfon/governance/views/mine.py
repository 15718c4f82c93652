"""The participant's and the seat holder's own pages (/min-side/styring/): seats, meeting papers,
calendar entries, votes, and the participant's proposals of its representatives."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyfon.core.dates import local_today
from polyfon.core.downloads import attachment_response
from polyfon.core.errors import DomainError
from polyfon.core.ical import CONTENT_TYPE as ICAL_CONTENT_TYPE
from polyfon.core.pages import errors_on, form_page, posted
from polyfon.core.permissions import authenticated, ensure, requires
from polyfon.members import selectors as member_selectors
from polyfon.members.models import Participant

from .. import permissions as perms
from .. import selectors, services
from ..forms import BallotForm, ProposalForm
from ..ical import meeting_ics
from ..models import Body, Meeting, MeetingStatus, Poll, RepresentationProposal
from .common import MINE


@requires(authenticated)
def mine_home(request):
    person = selectors.person_of(request.user)
    polls = []
    for poll in selectors.open_polls_for(person):
        options = services.voter_options(poll, request.user)
        if options:
            polls.append({"poll": poll, "options": options, "open": [o for o in options if not o.has_voted]})
    participants = list(member_selectors.participants_of_contact(request.user))
    representation = [
        {"participant": p, "bodies": selectors.representation_for_participant(p)} for p in participants if p.is_member
    ]
    return render(
        request,
        "governance/mine/home.html",
        {
            "seats": selectors.seats_of(person),
            "upcoming": selectors.upcoming_meetings_for(person),
            "recent": selectors.recent_meetings_for(person),
            "polls": polls,
            "representation": [r for r in representation if r["bodies"]],
        },
    )


def _meeting_for_member(request, pk) -> Meeting:
    try:
        meeting = selectors.meeting_detail(pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    ensure(request.user, perms.can_view_meeting_papers, meeting)
    return meeting


@requires(authenticated)
def mine_meeting(request, pk):
    meeting = _meeting_for_member(request, pk)
    person = selectors.person_of(request.user)
    polls = []
    for poll in meeting.polls.filter(status="open").select_related("election", "motion"):
        if services.voter_options(poll, request.user):
            polls.append(poll)
    return render(
        request,
        "governance/mine/meeting.html",
        {
            "meeting": meeting,
            "items": list(meeting.items.all()),
            "polls": polls,
            "person": person,
            "show_minutes": meeting.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED),
        },
    )


@requires(authenticated)
def meeting_ics_download(request, pk):
    meeting = _meeting_for_member(request, pk)
    person = selectors.person_of(request.user)
    body = meeting_ics(
        meeting, list(meeting.items.all()), method="PUBLISH", attendee=(person.name, person.email) if person else None
    )
    return attachment_response(body, filename=f"mote-{meeting.pk}.ics", content_type=ICAL_CONTENT_TYPE)


@requires(authenticated)
def mine_propose(request, pk, body_pk):
    participant = get_object_or_404(Participant, pk=pk)
    ensure(request.user, perms.can_propose_representation, participant)
    body = get_object_or_404(Body, pk=body_pk, is_active=True, represents_participants=True)
    form = ProposalForm(
        posted(request), persons=services.participant_persons(participant), initial={"start_date": local_today()}
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.representation_propose(participant=participant, body=body, proposed_by=request.user, **form.cleaned_data)
            messages.success(request, _("Thank you. The coordinator will look at the proposal, and you get an e-mail when it is decided."))
            return redirect("governance:mine_home")
    return form_page(
        request,
        form,
        title=_("Representatives of %(participant)s in %(body)s") % {"participant": participant, "body": body},
        intro=_(
            "Propose who represents %(participant)s, and who is the deputy when the representative cannot come. "
            "Choose among your organisation's people, or give the name and e-mail address of someone new. "
            "The coordinator approves the proposal, and the seats then replace the current ones."
        ) % {"participant": participant},
        submit=_("Send the proposal"),
        cancel_url=reverse("governance:mine_home"),
        layout=MINE,
    )


@require_POST
@requires(authenticated)
def mine_proposal_withdraw(request, pk):
    proposal = get_object_or_404(RepresentationProposal.objects.select_related("participant"), pk=pk)
    ensure(request.user, perms.can_withdraw_proposal, proposal)
    try:
        services.representation_proposal_withdraw(proposal=proposal, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The proposal is withdrawn."))
    return redirect("governance:mine_home")


def _posted_voter(request) -> int | None:
    """The voter row a POSTed ballot is for (each ballot's fields are prefixed "v<id>-")."""
    for key in request.POST:
        match = re.fullmatch(r"v(\d+)-voter", key)
        if match:
            return int(match.group(1))
    return None


@requires(authenticated)
def mine_vote(request, pk):
    """The ballot(s) the viewer may cast in a poll: their own participant's, as deputy, or by proxy.

    A cast goes straight to the service, which checks the right to cast it; the page (and the
    viewer's options) is only built to show it, or to show why a ballot was refused."""
    poll = get_object_or_404(Poll.objects.select_related("meeting__body", "election", "motion"), pk=pk)
    failed = None
    voter_id = _posted_voter(request) if request.method == "POST" else None
    if voter_id is not None:
        form = BallotForm(posted(request), poll=poll, voter_id=voter_id, label="")
        if form.is_valid():
            with errors_on(form):
                services.vote_cast(poll=poll, user=request.user, voter_id=voter_id, **form.vote())
                messages.success(request, _("Your vote is cast."))
                return redirect("governance:mine_vote", pk=poll.pk)
        failed = form
    options = services.voter_options(poll, request.user)
    if not options:
        raise PermissionDenied
    # Each ballot is its own form, prefixed by its voter row.
    rows = []
    for option in options:
        form = None
        if not option.has_voted:
            form = BallotForm(
                failed.data if failed is not None and option.voter.pk == voter_id else None,
                poll=poll, voter_id=option.voter.pk, label=option.label,
            )
            if failed is not None and option.voter.pk == voter_id:
                form.is_valid()
                for error in failed.non_field_errors():
                    if error not in form.non_field_errors():
                        form.add_error(None, error)
        rows.append({"option": option, "form": form})
    if failed is not None and voter_id not in {o.voter.pk for o in options if not o.has_voted}:
        messages.error(request, " ".join(failed.non_field_errors()) or _("You have no vote to cast here."))
    return render(
        request,
        "governance/mine/vote.html",
        {
            "poll": poll,
            "subject": poll.subject,
            "rows": rows,
            "candidates": list(poll.candidates.select_related("person", "participant").order_by("person__name")) if poll.election_id else [],
        },
    )
