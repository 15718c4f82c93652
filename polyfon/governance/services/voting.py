"""Proxies, elections, motions and the polls that count their votes.

Who has a vote is fixed when a poll opens (`PollVoter`): one per member participant where
participants vote (cast by its representative, by its deputy when the representative is not
recorded present, or by the holder of its proxy), otherwise one per voting seat holder.

Casting a vote is one transaction: a shared lock on the poll row (so closing waits for votes
in flight, and no vote gets in after it), a row lock on the voter, a compare-and-set of
`voted_at`, and the ballot. A secret ballot has a random id, no time and no voter; the voter
row proves that the vote was cast, not how.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log
from polyfon.core.dates import local_today
from polyfon.core.errors import DomainError
from polyfon.core.lifecycle import finish_move
from polyfon.members.models import MEMBER_STATES, Participant, Person

from .. import lifecycle
from ..models import (
    REPRESENTATIVE_ROLES,
    SINGLE_ROLES,
    VOTING_ROLES,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Ballot,
    BallotChoice,
    Body,
    Candidate,
    CastAs,
    ConsentStatus,
    Election,
    ElectionStatus,
    Meeting,
    Motion,
    MotionMethod,
    MotionResult,
    Poll,
    PollStatus,
    PollVoter,
    Proxy,
    Seat,
    SeatRole,
    SeatSource,
)
from .bodies import seat_appoint
from .meetings import IN_SESSION, OPEN_AGENDA, _lock_meeting, _record_decision

__all__ = [
    "VoterOption",
    "proxy_register",
    "proxy_revoke",
    "electorate",
    "voter_options",
    "vote_cast",
    "poll_close",
    "close_due_polls",
    "election_create",
    "election_open_nomination",
    "election_open_voting",
    "election_close_voting",
    "election_new_round",
    "election_record_result",
    "election_cancel",
    "election_outcome",
    "candidate_add",
    "candidate_record_consent",
    "candidate_remove",
    "motion_create",
    "motion_open_voting",
    "motion_close_voting",
    "motion_record_count",
    "motion_withdraw",
    "voters_summary",
]


# --- Proxies -------------------------------------------------------------------------------------------------


def proxy_register(*, meeting: Meeting, giver: Participant, holder: Participant, actor, note: str = "") -> Proxy:
    """Record that `giver` lets `holder` vote for it at `meeting`, within the body's limit."""
    with transaction.atomic():
        meeting = _lock_meeting(meeting, OPEN_AGENDA, _("Proxies are recorded for a meeting that has not been closed."))
        body = Body.objects.select_for_update().get(pk=meeting.body_id)  # serialises the limit check
        if not body.represents_participants:
            raise DomainError(_("Participants do not vote in this body, so there are no proxies."))
        if giver.pk == holder.pk:
            raise DomainError(_("A participant cannot give its proxy to itself."), field="holder")
        for participant in (giver, holder):
            if participant.status not in MEMBER_STATES:
                raise DomainError(_("%(participant)s is not a member.") % {"participant": participant})
        active = Proxy.objects.filter(meeting=meeting, revoked_at__isnull=True)
        if active.filter(giver=giver).exists():
            raise DomainError(_("%(participant)s has already given its proxy for this meeting.") % {"participant": giver}, field="giver")
        if active.filter(holder=giver).exists():
            raise DomainError(
                _("%(participant)s holds proxies itself and cannot pass its vote on.") % {"participant": giver}, field="giver"
            )
        if active.filter(giver=holder).exists():
            raise DomainError(
                _("%(participant)s has given its own proxy away and cannot hold one.") % {"participant": holder}, field="holder"
            )
        if active.filter(holder=holder).count() >= body.max_proxies:
            raise DomainError(
                _("%(participant)s already holds %(count)s proxies, the most one participant may hold.")
                % {"participant": holder, "count": body.max_proxies},
                field="holder",
            )
        proxy = Proxy.objects.create(
            meeting=meeting, giver=giver, holder=holder, note=note,
            registered_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_log(
            obj=meeting,
            action="polyfon.governance.meeting.proxy_registered",
            actor=actor,
            payload={"giver": str(giver), "holder": str(holder), "note": note},
        )
    return proxy


def proxy_revoke(*, proxy: Proxy, actor) -> Proxy:
    with transaction.atomic():
        proxy = Proxy.objects.select_for_update(of=("self",)).select_related("meeting", "giver", "holder").get(pk=proxy.pk)
        if proxy.revoked_at is not None:
            raise DomainError(_("The proxy is already revoked."))
        proxy.revoked_at = timezone.now()
        proxy.save(update_fields=["revoked_at"])
        audit_log(
            obj=proxy.meeting,
            action="polyfon.governance.meeting.proxy_revoked",
            actor=actor,
            payload={"giver": str(proxy.giver), "holder": str(proxy.holder)},
        )
    return proxy


# --- Who votes ------------------------------------------------------------------------------------------------


def electorate(body: Body, on: date) -> tuple[bool, list[int]]:
    """(by_participant, ids): the member participants with a vote in `body` on `on` (all members in
    the general assembly, the represented ones elsewhere), or the voting seat holders' person ids."""
    current = Seat.objects.current(on).filter(body=body)
    if body.represents_participants:
        members = Participant.objects.filter(status__in=MEMBER_STATES)
        if not body.is_general_assembly:
            members = members.filter(pk__in=current.filter(participant__isnull=False).values("participant_id"))
        return True, list(members.order_by("name").values_list("pk", flat=True))
    persons = current.filter(role__in=VOTING_ROLES).values_list("person_id", flat=True).distinct()
    return False, sorted(set(persons))


@dataclass(frozen=True)
class VoterOption:
    """A vote `user` may cast in a poll: for whom (the voter row) and in what capacity."""

    voter: PollVoter
    cast_as: str

    @property
    def label(self) -> str:
        return str(self.voter.participant or self.voter.person)

    @property
    def cast_as_label(self) -> str:
        return str(CastAs(self.cast_as).label)

    @property
    def has_voted(self) -> bool:
        return self.voter.voted_at is not None


def voter_options(poll: Poll, user) -> list[VoterOption]:
    """The votes `user` may cast in `poll`, voted or not (a constant number of queries)."""
    person = Person.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None
    if person is None:
        return []
    meeting = poll.meeting
    on = meeting.local_date
    voters = PollVoter.objects.filter(poll=poll).select_related("participant", "person")
    if not poll.by_participant:
        return [VoterOption(v, CastAs.MEMBER) for v in voters.filter(person=person)]
    seats = list(
        Seat.objects.current(on)
        .filter(body_id=meeting.body_id, person=person, participant__isnull=False)
        .filter(role__in=[*REPRESENTATIVE_ROLES, SeatRole.DEPUTY_MEMBER])
    )
    if not seats:
        return []
    acting = {}  # participant id -> capacity
    deputy_for = [s.participant_id for s in seats if s.role == SeatRole.DEPUTY_MEMBER]
    present_reps = set()
    if deputy_for:
        reps = Seat.objects.current(on).filter(
            body_id=meeting.body_id, participant_id__in=deputy_for, role__in=REPRESENTATIVE_ROLES
        )
        present = set(
            Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT).values_list("person_id", flat=True)
        )
        present_reps = {s.participant_id for s in reps if s.person_id in present}
    for seat in seats:
        if seat.role in REPRESENTATIVE_ROLES:
            acting[seat.participant_id] = CastAs.REPRESENTATIVE
        elif seat.participant_id not in present_reps:
            acting.setdefault(seat.participant_id, CastAs.DEPUTY)
    proxies = list(Proxy.objects.filter(meeting=meeting, revoked_at__isnull=True).values_list("giver_id", "holder_id"))
    given = {giver for giver, _holder in proxies}
    units = {pid: cap for pid, cap in acting.items() if pid not in given}
    for giver, holder in proxies:
        if holder in acting:
            units.setdefault(giver, CastAs.PROXY)
    rows = {v.participant_id: v for v in voters.filter(participant_id__in=units)}
    return [VoterOption(rows[pid], units[pid]) for pid in sorted(rows, key=lambda pid: (units[pid] == CastAs.PROXY, rows[pid].participant.name))]


# --- Polls -----------------------------------------------------------------------------------------------------


def _open_poll(*, meeting: Meeting, actor, is_secret: bool, seats: int = 1, candidates=(), closes_at: datetime | None = None,
               election: Election | None = None, motion: Motion | None = None, round: int = 1) -> Poll:
    if meeting.status not in IN_SESSION:
        raise DomainError(_("Votes are taken at the meeting: send the invitation first."))
    if closes_at is not None and closes_at <= timezone.now():
        raise DomainError(_("The closing time must be in the future."), field="closes_at")
    body = meeting.body
    by_participant, ids = electorate(body, meeting.local_date)
    if not ids:
        raise DomainError(_("Nobody has a vote in this body on the day of the meeting."))
    poll = Poll.objects.create(
        election=election,
        motion=motion,
        meeting=meeting,
        round=round,
        is_secret=is_secret,
        by_participant=by_participant,
        seats=seats,
        opened_at=timezone.now(),
        closes_at=closes_at,
        eligible_count=len(ids),
        quorum_required=math.ceil(len(ids) * body.quorum_percent / 100),
    )
    if candidates:
        poll.candidates.set(candidates)
    PollVoter.objects.bulk_create(
        [PollVoter(poll=poll, participant_id=i) if by_participant else PollVoter(poll=poll, person_id=i) for i in ids],
        batch_size=1000,
    )
    audit_log(
        obj=poll.subject,
        action="polyfon.governance.poll.opened",
        actor=actor,
        payload={"round": round, "eligible": len(ids), "secret": is_secret, "closes_at": closes_at},
    )
    from ..tasks import notify_poll_opened

    transaction.on_commit(lambda: notify_poll_opened.enqueue(poll.pk))
    return poll


def _lock_poll_for_voting(poll_id: int) -> Poll:
    """Share-lock the poll row: many votes go in at once, while closing (FOR UPDATE) waits for them
    and every vote after it sees the poll closed. SQLite serialises writers by itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {Poll._meta.db_table} WHERE id = %s FOR SHARE", [poll_id])
        return Poll.objects.select_related("meeting__body").get(pk=poll_id)
    return Poll.objects.select_for_update(of=("self",)).select_related("meeting__body").get(pk=poll_id)


def vote_cast(*, poll: Poll, user, voter_id: int, choice: str, candidate_ids=()) -> None:
    """Cast the vote of voter row `voter_id` as `user`. Refused when the poll is closed, when
    `user` may not cast that vote, or when it has been cast already (also concurrently)."""
    candidate_ids = sorted({int(c) for c in candidate_ids})
    with transaction.atomic():
        poll = _lock_poll_for_voting(poll.pk)
        if poll.status != PollStatus.OPEN or (poll.closes_at and poll.closes_at <= timezone.now()):
            raise DomainError(_("The ballot is closed."))
        option = next((o for o in voter_options(poll, user) if o.voter.pk == voter_id), None)
        if option is None:
            raise DomainError(_("You have no vote to cast here."))
        voter = PollVoter.objects.select_for_update().get(pk=voter_id)
        if voter.voted_at is not None:
            raise DomainError(_("The vote of %(voter)s has already been cast.") % {"voter": option.label})
        if poll.election_id:
            if choice == BallotChoice.ABSTAIN:
                candidate_ids = []
            else:
                choice = BallotChoice.CANDIDATES
                allowed = set(poll.candidates.values_list("pk", flat=True))
                if not candidate_ids or not set(candidate_ids) <= allowed:
                    raise DomainError(_("Choose candidates from the ballot, or abstain."))
                if len(candidate_ids) > poll.seats:
                    raise DomainError(
                        _("Choose at most %(seats)s candidates.") % {"seats": poll.seats}
                    )
        else:
            if choice not in (BallotChoice.FOR, BallotChoice.AGAINST, BallotChoice.ABSTAIN):
                raise DomainError(_("Vote for, against or abstain."))
            candidate_ids = []
        updated = PollVoter.objects.filter(pk=voter.pk, voted_at__isnull=True).update(
            voted_at=timezone.now(), cast_by=user, cast_as=option.cast_as
        )
        if updated != 1:
            raise DomainError(_("The vote of %(voter)s has already been cast.") % {"voter": option.label})
        Ballot.objects.create(
            poll=poll,
            choice=choice,
            candidate_ids=candidate_ids,
            participant_id=None if poll.is_secret else voter.participant_id,
            person_id=None if poll.is_secret else voter.person_id,
        )


def poll_close(*, poll: Poll, actor, count: bool = True) -> Poll:
    """Close a poll (waiting for votes in flight), check the quorum and count. The ballots must
    match the voters who voted, one for one."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.status != PollStatus.OPEN:
        raise DomainError(_("The ballot is already closed."))
    poll.status, poll.closed_at = PollStatus.CLOSED, timezone.now()
    voted = poll.voters.filter(voted_at__isnull=False).count()
    ballots = list(poll.ballots.values_list("choice", "candidate_ids"))
    if len(ballots) != voted:
        raise RuntimeError(f"poll {poll.pk}: {len(ballots)} ballots for {voted} votes")
    poll.voted_count = voted
    poll.quorum_reached = voted >= poll.quorum_required
    results = {"ballots": len(ballots), "cancelled": not count}
    if count:
        choices = {c: 0 for c in BallotChoice.values}
        per_candidate = {str(pk): 0 for pk in poll.candidates.values_list("pk", flat=True)}
        for choice, candidate_ids in ballots:
            choices[choice] += 1
            for pk in candidate_ids:
                per_candidate[str(pk)] = per_candidate.get(str(pk), 0) + 1
        results.update({"choices": choices, "candidates": per_candidate})
    poll.results = results
    poll.save(update_fields=["status", "closed_at", "voted_count", "quorum_reached", "results"])
    audit_log(
        obj=poll.subject,
        action="polyfon.governance.poll.closed",
        actor=actor,
        payload={"round": poll.round, "voted": voted, "eligible": poll.eligible_count, "quorum": poll.quorum_reached},
    )
    return poll


def close_due_polls(*, now: datetime | None = None) -> list[Poll]:
    """Polls whose closing time has passed are closed and counted (scheduled job)."""
    now = now or timezone.now()
    closed = []
    for poll in Poll.objects.filter(status=PollStatus.OPEN, closes_at__lte=now).select_related("election", "motion"):
        try:
            if poll.election_id:
                election_close_voting(election=poll.election, actor=None)
            else:
                motion_close_voting(motion=poll.motion, actor=None)
        except DomainError:
            continue
        closed.append(poll)
    return closed


# --- Elections ---------------------------------------------------------------------------------------------------


def _begin(obj, table: str, move: str):
    model = type(obj)
    locked = model.objects.select_for_update().get(pk=obj.pk)
    if not lifecycle.TABLES[table].allows(locked.status, move):
        raise DomainError(
            _("This cannot be done while the status is “%(status)s”.") % {"status": locked.get_status_display()}
        )
    return locked


def _finish(obj, table: str, move: str, *, actor, previous: str, payload: dict | None = None, fields=()) -> None:
    finish_move(
        obj,
        lifecycle.TABLES[table][move],
        action=f"polyfon.governance.{table}.{move}",
        actor=actor,
        previous=previous,
        payload=payload,
        fields=fields,
    )


def election_create(
    *,
    item: AgendaItem,
    actor,
    title: str,
    seat_body: Body,
    seat_role: str,
    seats: int,
    term_start: date,
    term_end: date | None = None,
    is_secret: bool = True,
    description: str = "",
) -> Election:
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting__body").get(pk=item.pk)
        _lock_meeting(item.meeting, OPEN_AGENDA, _("Elections are held at a meeting that has not been closed."))
        if not item.meeting.body.represents_participants and not Seat.objects.current(item.meeting.local_date).filter(
            body=item.meeting.body, role__in=VOTING_ROLES
        ).exists():
            raise DomainError(_("Nobody has a vote in this body yet."))
        if seats < 1:
            raise DomainError(_("At least one seat is to be filled."), field="seats")
        if seat_role in SINGLE_ROLES and seats != 1:
            raise DomainError(_("A body has one chair and one deputy chair; elect one at a time."), field="seats")
        if term_end is not None and term_end < term_start:
            raise DomainError(_("The term cannot end before it starts."), field="term_end")
        election = Election.objects.create(
            item=item,
            title=title,
            seat_body=seat_body,
            seat_role=seat_role,
            seats=seats,
            term_start=term_start,
            term_end=term_end,
            is_secret=is_secret,
            description=description,
        )
        audit_log(obj=election, action="polyfon.governance.election.created", actor=actor, payload={"item": item.reference})
    return election


def election_open_nomination(*, election: Election, actor, nomination_opens_on: date, nomination_closes_on: date) -> Election:
    if nomination_closes_on < nomination_opens_on:
        raise DomainError(_("The nomination cannot close before it opens."), field="nomination_closes_on")
    with transaction.atomic():
        election = _begin(election, "election", "open_nomination")
        previous = election.status
        election.nomination_opens_on, election.nomination_closes_on = nomination_opens_on, nomination_closes_on
        _finish(
            election, "election", "open_nomination", actor=actor, previous=previous,
            payload={"opens": nomination_opens_on, "closes": nomination_closes_on},
            fields=["nomination_opens_on", "nomination_closes_on"],
        )
    return election


def _consent_email(candidate: Candidate) -> None:
    from django.urls import reverse

    from polyfon.core.email import send_templated_email

    from ..tokens import consent_token

    if not candidate.person.email:
        return
    send_templated_email(
        to=candidate.person.email,
        template="governance/email/consent_request",
        context={
            "candidate": candidate,
            "election": candidate.election,
            "url": settings.SITE_URL + reverse("governance:candidate_consent", args=[consent_token(candidate)]),
        },
        language=candidate.person.language,
    )


def candidate_add(
    *,
    election: Election,
    person: Person,
    actor,
    participant: Participant | None = None,
    presentation: str = "",
    nominated_by: str = "",
    consent_given: bool = False,
) -> Candidate:
    """Nominate `person`; they are asked for consent by e-mail unless it is recorded here."""
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.status not in (ElectionStatus.DRAFT, ElectionStatus.NOMINATION):
            raise DomainError(_("Candidates are nominated before the ballot opens."))
        if election.nomination_closes_on and local_today() > election.nomination_closes_on:
            raise DomainError(
                _("The nomination closed on %(date)s.") % {"date": election.nomination_closes_on.strftime("%d.%m.%Y")}
            )
        if election.candidates.filter(person=person).exists():
            raise DomainError(_("%(person)s is already a candidate.") % {"person": person}, field="person")
        candidate = Candidate.objects.create(
            election=election,
            person=person,
            participant=participant,
            presentation=presentation,
            nominated_by=nominated_by,
            consent=ConsentStatus.GIVEN if consent_given else ConsentStatus.PENDING,
            consent_at=timezone.now() if consent_given else None,
        )
        audit_log(
            obj=election,
            action="polyfon.governance.election.candidate_added",
            actor=actor,
            payload={"person": str(person), "consent": candidate.consent},
        )
        if not consent_given:
            _consent_email(candidate)
    return candidate


def candidate_record_consent(*, candidate: Candidate, consent: str, actor=None) -> Candidate:
    """Record the candidate's answer (from the e-mailed link, or by the coordinator)."""
    if consent not in (ConsentStatus.GIVEN, ConsentStatus.DECLINED):
        raise DomainError(_("Answer yes or no."))
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update(of=("self",)).select_related("election", "person").get(pk=candidate.pk)
        if candidate.election.status not in (ElectionStatus.DRAFT, ElectionStatus.NOMINATION):
            raise DomainError(_("The ballot has opened; the list of candidates can no longer change."))
        candidate.consent, candidate.consent_at = consent, timezone.now()
        candidate.save(update_fields=["consent", "consent_at"])
        audit_log(
            obj=candidate.election,
            action="polyfon.governance.election.consent_recorded",
            actor=actor,
            payload={"person": str(candidate.person), "consent": consent},
        )
    return candidate


def candidate_remove(*, candidate: Candidate, actor) -> None:
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update(of=("self",)).select_related("election", "person").get(pk=candidate.pk)
        if candidate.election.status not in (ElectionStatus.DRAFT, ElectionStatus.NOMINATION):
            raise DomainError(_("The ballot has opened; the list of candidates can no longer change."))
        candidate.delete()
        audit_log(
            obj=candidate.election,
            action="polyfon.governance.election.candidate_removed",
            actor=actor,
            payload={"person": str(candidate.person)},
        )


def election_open_voting(*, election: Election, actor, closes_at: datetime | None = None) -> Election:
    with transaction.atomic():
        election = _begin(election, "election", "open_voting")
        previous = election.status
        if election.nomination_closes_on and local_today() <= election.nomination_closes_on:
            raise DomainError(
                _("The nomination is open until %(date)s.") % {"date": election.nomination_closes_on.strftime("%d.%m.%Y")}
            )
        candidates = list(election.candidates.filter(consent=ConsentStatus.GIVEN))
        if not candidates:
            raise DomainError(_("No candidate has consented yet."))
        meeting = Meeting.objects.select_related("body").get(pk=election.item.meeting_id)
        poll = _open_poll(
            meeting=meeting, actor=actor, is_secret=election.is_secret, seats=election.seats, candidates=candidates,
            closes_at=closes_at, election=election,
        )
        _finish(election, "election", "open_voting", actor=actor, previous=previous, payload={"poll": poll.pk})
    return election


def election_outcome(poll: Poll, open_seats: int) -> dict:
    """Who a counted round elects: the `open_seats` candidates with the most votes. Candidates
    tied for the last of those seats are a tie (none of them is elected); nobody with no votes
    is elected; without quorum nobody is."""
    votes = {int(pk): n for pk, n in poll.results.get("candidates", {}).items()}
    if not poll.quorum_reached:
        return {"elected": [], "tied": [], "open_seats": open_seats, "quorum": False, "votes": votes}
    ranking = sorted(((n, pk) for pk, n in votes.items() if n > 0), reverse=True)
    elected, tied = [], []
    if len(ranking) > open_seats:
        boundary = ranking[open_seats - 1][0]
        if ranking[open_seats][0] == boundary:
            elected = [pk for n, pk in ranking if n > boundary]
            tied = [pk for n, pk in ranking if n == boundary]
        else:
            elected = [pk for _n, pk in ranking[:open_seats]]
    else:
        elected = [pk for _n, pk in ranking]
    return {
        "elected": elected,
        "tied": tied,
        "open_seats": open_seats - len(elected),
        "quorum": True,
        "votes": votes,
    }


def _open_seats(election: Election) -> int:
    return election.seats - election.candidates.filter(is_elected=True).count()


def election_close_voting(*, election: Election, actor) -> Election:
    with transaction.atomic():
        election = _begin(election, "election", "close_voting")
        previous = election.status
        poll = election.polls.get(status=PollStatus.OPEN)
        poll = poll_close(poll=poll, actor=actor)
        outcome = election_outcome(poll, _open_seats(election))
        poll.results = {**poll.results, "outcome": outcome}
        poll.save(update_fields=["results"])
        if outcome["elected"]:
            Candidate.objects.filter(pk__in=outcome["elected"]).update(is_elected=True)
        _finish(
            election, "election", "close_voting", actor=actor, previous=previous,
            payload={"round": poll.round, "elected": outcome["elected"], "tied": outcome["tied"], "quorum": outcome["quorum"]},
        )
    return election


def election_new_round(*, election: Election, actor, closes_at: datetime | None = None) -> Election:
    with transaction.atomic():
        election = _begin(election, "election", "new_round")
        previous = election.status
        last = election.polls.order_by("-round").first()
        outcome = last.results.get("outcome", {}) if last else {}
        open_seats = _open_seats(election)
        if open_seats < 1:
            raise DomainError(_("Every seat is filled; record the result."))
        tied = outcome.get("tied") or []
        pool = election.candidates.filter(consent=ConsentStatus.GIVEN, is_elected=False)
        candidates = list(pool.filter(pk__in=tied)) if tied else list(pool)
        if not candidates:
            raise DomainError(_("No candidate is left for the open seats."))
        meeting = Meeting.objects.select_related("body").get(pk=election.item.meeting_id)
        poll = _open_poll(
            meeting=meeting, actor=actor, is_secret=election.is_secret, seats=open_seats, candidates=candidates,
            closes_at=closes_at, election=election, round=(last.round + 1 if last else 1),
        )
        _finish(election, "election", "new_round", actor=actor, previous=previous, payload={"round": poll.round})
    return election


def _election_text(election: Election, polls: list[Poll], elected: list[Candidate]) -> tuple[str, str]:
    """The decision's text and vote line, in the cluster's language (they are part of the record)."""
    votes = {}
    for poll in polls:
        for pk, n in poll.results.get("candidates", {}).items():
            votes[int(pk)] = n  # the last round a candidate stood in counts
    last = polls[-1]
    term = election.term_start.strftime("%d.%m.%Y") + (
        "–" + election.term_end.strftime("%d.%m.%Y") if election.term_end else ""
    )
    with translation.override(settings.LANGUAGE_CODE):
        role = SeatRole(election.seat_role).label
        lines = [
            _("Elected as %(role)s of %(body)s for the term %(term)s:")
            % {"role": str(role).lower(), "body": election.seat_body.name, "term": term}
        ]
        lines += [
            _("%(person)s (%(votes)s votes)") % {"person": c.person.name, "votes": votes.get(c.pk, 0)} for c in elected
        ]
        outcome = last.results.get("outcome", {})
        if outcome.get("tied"):
            names = ", ".join(c.person.name for c in election.candidates.filter(pk__in=outcome["tied"]).select_related("person"))
            lines.append(
                _("Tie between %(names)s; %(seats)s seat(s) not filled.") % {"names": names, "seats": outcome.get("open_seats", 0)}
            )
        vote = (_("Secret ballot") if election.is_secret else _("Open ballot")) + ", " + _(
            "%(voted)s of %(eligible)s votes cast"
        ) % {"voted": last.voted_count, "eligible": last.eligible_count}
        if len(polls) > 1:
            vote += ", " + _("%(rounds)s rounds") % {"rounds": len(polls)}
    return "\n".join(lines), vote


def election_record_result(*, election: Election, actor, note: str = "") -> Election:
    """Record the result as a decision under the election's item and give the elected their seats."""
    with transaction.atomic():
        election = _begin(election, "election", "record_result")
        previous = election.status
        polls = list(election.polls.filter(status=PollStatus.CLOSED).order_by("round"))
        if not polls or not polls[-1].quorum_reached:
            raise DomainError(_("The last round did not reach the quorum; hold a new round or cancel the election."))
        elected = list(election.candidates.filter(is_elected=True).select_related("person", "participant"))
        if not elected:
            raise DomainError(_("Nobody is elected yet; hold a new round for the tied candidates."))
        item = AgendaItem.objects.select_related("meeting").get(pk=election.item_id)
        _lock_meeting(item.meeting, IN_SESSION, _("Results are recorded at the meeting (invited or held)."))
        text, vote = _election_text(election, polls, elected)
        decision = _record_decision(
            item=item, actor=actor, text=text + (f"\n{note}" if note else ""), vote=vote, subject=election,
            subject_label=election.title,
        )
        for candidate in elected:
            represents = (
                candidate.participant
                if election.seat_body.represents_participants
                and election.seat_role in (*REPRESENTATIVE_ROLES, SeatRole.DEPUTY_MEMBER)
                and candidate.participant is not None
                and candidate.participant.status in MEMBER_STATES
                else None
            )
            seat_appoint(
                body=election.seat_body,
                person=candidate.person,
                role=election.seat_role,
                participant=represents,
                start_date=election.term_start,
                end_date=election.term_end,
                source=SeatSource.ELECTED,
                election=election,
                decision=decision,
                replace=election.seat_role in SINGLE_ROLES or represents is not None,
                actor=actor,
            )
        election.decision = decision
        _finish(
            election, "election", "record_result", actor=actor, previous=previous,
            payload={"elected": [c.person.name for c in elected]}, fields=["decision"],
        )
    return election


def election_cancel(*, election: Election, actor, note: str = "") -> Election:
    with transaction.atomic():
        election = _begin(election, "election", "cancel")
        previous = election.status
        for poll in election.polls.filter(status=PollStatus.OPEN):
            poll_close(poll=poll, actor=actor, count=False)
        _finish(election, "election", "cancel", actor=actor, previous=previous, payload={"note": note})
    return election


# --- Motions -----------------------------------------------------------------------------------------------------


def motion_create(
    *, item: AgendaItem, actor, title: str, text: str, proposed_by: str = "", method: str = MotionMethod.BALLOT,
    is_secret: bool = False,
) -> Motion:
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
        _lock_meeting(item.meeting, OPEN_AGENDA, _("Motions are voted on at a meeting that has not been closed."))
        if item.is_withdrawn:
            raise DomainError(_("The item is withdrawn."))
        motion = Motion.objects.create(
            item=item, title=title, text=text, proposed_by=proposed_by, method=method,
            is_secret=is_secret and method == MotionMethod.BALLOT,
        )
        audit_log(obj=motion, action="polyfon.governance.motion.created", actor=actor, payload={"item": item.reference})
    return motion


def motion_open_voting(*, motion: Motion, actor, closes_at: datetime | None = None) -> Motion:
    with transaction.atomic():
        motion = _begin(motion, "motion", "open_voting")
        previous = motion.status
        if motion.method != MotionMethod.BALLOT:
            raise DomainError(_("This motion is counted in the room; record the count instead."))
        meeting = Meeting.objects.select_related("body").get(pk=motion.item.meeting_id)
        poll = _open_poll(meeting=meeting, actor=actor, is_secret=motion.is_secret, closes_at=closes_at, motion=motion)
        _finish(motion, "motion", "open_voting", actor=actor, previous=previous, payload={"poll": poll.pk})
    return motion


def _motion_result(votes_for: int, votes_against: int, quorum: bool) -> str:
    if not quorum:
        return MotionResult.NO_QUORUM
    if votes_for > votes_against:
        return MotionResult.ADOPTED
    if votes_for == votes_against:
        return MotionResult.TIE
    return MotionResult.REJECTED


def _motion_decided(motion: Motion, *, actor, note: str = "") -> None:
    """An adopted motion becomes the item's decision, with the count as its vote line."""
    if motion.result != MotionResult.ADOPTED:
        return
    with translation.override(settings.LANGUAGE_CODE):
        vote = _("For: %(for)s, against: %(against)s, abstain: %(abstain)s") % {
            "for": motion.votes_for, "against": motion.votes_against, "abstain": motion.votes_abstain,
        }
    item = AgendaItem.objects.select_related("meeting").get(pk=motion.item_id)
    _lock_meeting(item.meeting, IN_SESSION, _("Decisions are recorded at the meeting (invited or held)."))
    decision = _record_decision(
        item=item, actor=actor, text=motion.text + (f"\n{note}" if note else ""), vote=vote, subject=motion,
        subject_label=motion.title,
    )
    motion.decision = decision
    motion.save(update_fields=["decision", "updated_at"])


def motion_close_voting(*, motion: Motion, actor) -> Motion:
    with transaction.atomic():
        motion = _begin(motion, "motion", "close_voting")
        previous = motion.status
        poll = poll_close(poll=motion.polls.get(status=PollStatus.OPEN), actor=actor)
        choices = poll.results["choices"]
        motion.votes_for, motion.votes_against = choices[BallotChoice.FOR], choices[BallotChoice.AGAINST]
        motion.votes_abstain = choices[BallotChoice.ABSTAIN]
        motion.result = _motion_result(motion.votes_for, motion.votes_against, bool(poll.quorum_reached))
        _finish(
            motion, "motion", "close_voting", actor=actor, previous=previous,
            payload={"result": motion.result, "for": motion.votes_for, "against": motion.votes_against, "abstain": motion.votes_abstain},
            fields=["votes_for", "votes_against", "votes_abstain", "result"],
        )
        _motion_decided(motion, actor=actor)
    return motion


def motion_record_count(*, motion: Motion, actor, votes_for: int, votes_against: int, votes_abstain: int = 0, note: str = "") -> Motion:
    with transaction.atomic():
        motion = _begin(motion, "motion", "record_count")
        previous = motion.status
        item = AgendaItem.objects.select_related("meeting").get(pk=motion.item_id)
        _lock_meeting(item.meeting, IN_SESSION, _("The count is recorded at the meeting (invited or held)."))
        motion.votes_for, motion.votes_against, motion.votes_abstain = votes_for, votes_against, votes_abstain
        motion.result = _motion_result(votes_for, votes_against, True)
        _finish(
            motion, "motion", "record_count", actor=actor, previous=previous,
            payload={"result": motion.result, "for": votes_for, "against": votes_against, "abstain": votes_abstain, "note": note},
            fields=["votes_for", "votes_against", "votes_abstain", "result"],
        )
        _motion_decided(motion, actor=actor, note=note)
    return motion


def motion_withdraw(*, motion: Motion, actor, note: str = "") -> Motion:
    with transaction.atomic():
        motion = _begin(motion, "motion", "withdraw")
        _finish(motion, "motion", "withdraw", actor=actor, previous=motion.status, payload={"note": note})
    return motion


def voters_summary(poll: Poll) -> dict:
    """How many have voted, by capacity (for the office's live view)."""
    rows = poll.voters.filter(voted_at__isnull=False).values("cast_as").annotate(n=Count("pk")).order_by()
    return {str(CastAs(row["cast_as"]).label): row["n"] for row in rows}
