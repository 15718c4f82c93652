"""Proxies, elections, motions and their polls, rule by rule; the concurrency of casting votes
is proved on PostgreSQL (row locks are what make it safe there)."""

import threading
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from polyfon.core.errors import DomainError
from polyfon.governance import services
from polyfon.governance.models import (
    AttendanceStatus,
    Ballot,
    BallotChoice,
    CastAs,
    ConsentStatus,
    ElectionStatus,
    Meeting,
    MeetingStatus,
    MotionMethod,
    MotionResult,
    MotionStatus,
    PollStatus,
    PollVoter,
    SeatRole,
)
from polyfon.members.tests.factories import MemberFactory, PersonFactory, UserFactory

from .factories import BodyFactory, SteeringGroupFactory, meeting_with_items

pytestmark = pytest.mark.django_db


@dataclass
class Delegation:
    participant: object
    rep: object  # user
    deputy: object  # user


def _person_user(name):
    user = UserFactory(full_name=name)
    person = PersonFactory(user=user, email=user.email, name=name)
    return person, user


def delegations(body, count, *, start=date(2025, 1, 1)):
    result = []
    for n in range(count):
        participant = MemberFactory(name=f"Deltaker {n:02d}")
        rep, rep_user = _person_user(f"Rep {n}")
        deputy, deputy_user = _person_user(f"Vara {n}")
        services.seat_appoint(body=body, person=rep, role=SeatRole.MEMBER, participant=participant, start_date=start, actor=None)
        services.seat_appoint(body=body, person=deputy, role=SeatRole.DEPUTY_MEMBER, participant=participant, start_date=start,
                              actor=None)
        result.append(Delegation(participant, rep_user, deputy_user))
    return result


@pytest.fixture
def steering():
    return SteeringGroupFactory()


@pytest.fixture
def world(steering):
    people = delegations(steering, 4)
    meeting, (item,) = meeting_with_items(steering, titles=("Valg av leder",), status=MeetingStatus.INVITED)
    return {"body": steering, "people": people, "meeting": meeting, "item": item}


def _election(world, *, seats=1, role=SeatRole.CHAIR, candidates=2, secret=True, start=date(2027, 1, 1)):
    election = services.election_create(
        item=world["item"], actor=None, title="Valg", seat_body=world["body"], seat_role=role, seats=seats,
        term_start=start, term_end=date(2028, 12, 31), is_secret=secret,
    )
    people = []
    for n in range(candidates):
        person, _user = _person_user(f"Kandidat {n}")
        people.append(services.candidate_add(election=election, person=person, actor=None, consent_given=True))
    return election, people


def _open(election, **kwargs):
    services.election_open_voting(election=election, actor=None, **kwargs)
    return election.polls.get(status=PollStatus.OPEN)


def _vote(poll, user, choice=BallotChoice.CANDIDATES, candidate_ids=(), option=0):
    options = [o for o in services.voter_options(poll, user) if not o.has_voted]
    services.vote_cast(poll=poll, user=user, voter_id=options[option].voter.pk, choice=choice, candidate_ids=candidate_ids)


# --- Who votes -----------------------------------------------------------------------------------------------


def test_electorate_of_the_steering_group_is_its_represented_members(world):
    MemberFactory()  # a member without a representative has no vote here
    by_participant, ids = services.electorate(world["body"], world["meeting"].local_date)
    assert by_participant and sorted(ids) == sorted(d.participant.pk for d in world["people"])


def test_electorate_of_the_general_assembly_is_every_member(coordinator):
    assembly = services.general_assembly_enable(actor=coordinator, name="GF")
    members = [MemberFactory() for _ in range(3)]
    _by, ids = services.electorate(assembly, date(2026, 6, 1))
    assert sorted(ids) == sorted(m.pk for m in members)


def test_electorate_where_participants_do_not_vote_is_the_voting_seats():
    board = BodyFactory()
    chair, _u = _person_user("Leder")
    member, _u = _person_user("Medlem")
    for person, role in [(chair, SeatRole.CHAIR), (chair, SeatRole.MEMBER), (member, SeatRole.MEMBER),
                         (PersonFactory(), SeatRole.DEPUTY_MEMBER), (PersonFactory(), SeatRole.OBSERVER),
                         (PersonFactory(), SeatRole.SECRETARY)]:
        services.seat_appoint(body=board, person=person, role=role, start_date=date(2025, 1, 1), actor=None)
    by_participant, ids = services.electorate(board, date(2026, 6, 1))
    assert not by_participant and sorted(ids) == sorted([chair.pk, member.pk])


# --- Casting ---------------------------------------------------------------------------------------------------


def test_representative_votes_once_and_secretly(world):
    election, (a, b) = _election(world)
    poll = _open(election)
    rep = world["people"][0].rep
    _vote(poll, rep, candidate_ids=[a.pk])
    voter = PollVoter.objects.get(poll=poll, participant=world["people"][0].participant)
    assert voter.voted_at and voter.cast_by == rep and voter.cast_as == CastAs.REPRESENTATIVE
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.participant_id is None and ballot.person_id is None and ballot.candidate_ids == [a.pk]
    # The ballot carries no time, no voter and a random id: nothing in the data links it to the
    # voter, and the application orders ballots only by that random id. (The database's physical
    # row order is outside the data model; its administrator is trusted, as with any ballot box.)
    assert {f.name for f in Ballot._meta.fields} == {"id", "poll", "choice", "candidate_ids", "participant", "person"}
    assert isinstance(ballot.pk, uuid.UUID) and ballot.pk.version == 4
    with pytest.raises(DomainError):
        services.vote_cast(poll=poll, user=rep, voter_id=voter.pk, choice=BallotChoice.CANDIDATES, candidate_ids=[b.pk])
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_open_ballot_records_whose_vote_it_is(world):
    election, (a, _b) = _election(world, secret=False)
    poll = _open(election)
    _vote(poll, world["people"][1].rep, candidate_ids=[a.pk])
    assert Ballot.objects.get(poll=poll).participant == world["people"][1].participant


def test_deputy_votes_when_the_representative_is_not_present(world):
    election, (a, _b) = _election(world)
    poll = _open(election)
    first, second = world["people"][0], world["people"][1]
    services.attendance_record(
        meeting=world["meeting"], actor=None,
        entries=[(first.rep.person, AttendanceStatus.PRESENT, ""), (second.rep.person, AttendanceStatus.EXCUSED, "")],
    )
    assert services.voter_options(poll, first.deputy) == []
    [option] = services.voter_options(poll, second.deputy)
    assert option.cast_as == CastAs.DEPUTY
    _vote(poll, second.deputy, candidate_ids=[a.pk])
    # The representative comes late: the participant's vote is already cast.
    [rep_option] = services.voter_options(poll, second.rep)
    assert rep_option.has_voted
    with pytest.raises(DomainError):
        services.vote_cast(poll=poll, user=second.rep, voter_id=rep_option.voter.pk, choice=BallotChoice.ABSTAIN)


def test_someone_without_a_vote_is_refused(world):
    election, (a, _b) = _election(world)
    poll = _open(election)
    outsider = UserFactory()
    observer, observer_user = _person_user("Observatør")
    services.seat_appoint(body=world["body"], person=observer, role=SeatRole.OBSERVER, start_date=date(2025, 1, 1), actor=None)
    first_participants_vote = PollVoter.objects.get(poll=poll, participant=world["people"][0].participant)
    for user in (outsider, observer_user, world["people"][1].rep):
        with pytest.raises(DomainError):
            services.vote_cast(poll=poll, user=user, voter_id=first_participants_vote.pk, choice=BallotChoice.CANDIDATES,
                               candidate_ids=[a.pk])
    assert not Ballot.objects.exists()


def test_no_vote_after_closing_or_after_the_closing_time(world, travel_to):
    election, (a, _b) = _election(world)
    poll = _open(election, closes_at=timezone.now() + timedelta(hours=1))
    options = services.voter_options(poll, world["people"][0].rep)
    travel_to(timezone.now() + timedelta(hours=2))
    with pytest.raises(DomainError):
        services.vote_cast(poll=poll, user=world["people"][0].rep, voter_id=options[0].voter.pk,
                           choice=BallotChoice.CANDIDATES, candidate_ids=[a.pk])
    assert services.close_due_polls() == [poll]
    election.refresh_from_db()
    assert election.status == ElectionStatus.COUNTED
    with pytest.raises(DomainError):
        services.vote_cast(poll=poll, user=world["people"][1].rep,
                           voter_id=services.voter_options(poll, world["people"][1].rep)[0].voter.pk,
                           choice=BallotChoice.ABSTAIN)


def test_ballot_must_hold_candidates_from_the_ballot_and_not_too_many(world):
    election, (a, b) = _election(world, seats=1)
    declined = services.candidate_add(election=election, person=PersonFactory(), actor=None)
    services.candidate_record_consent(candidate=declined, consent=ConsentStatus.DECLINED)
    poll = _open(election)
    assert set(poll.candidates.all()) == {a, b}
    rep = world["people"][0].rep
    for ids in ([a.pk, b.pk], [declined.pk], []):
        with pytest.raises(DomainError):
            _vote(poll, rep, candidate_ids=ids)
    _vote(poll, rep, choice=BallotChoice.ABSTAIN, candidate_ids=[a.pk])  # an abstention names nobody
    assert Ballot.objects.get().candidate_ids == []


# --- Proxies ---------------------------------------------------------------------------------------------------------


def test_proxy_holder_casts_the_givers_vote(world):
    giver, holder = world["people"][0], world["people"][1]
    services.proxy_register(meeting=world["meeting"], giver=giver.participant, holder=holder.participant, actor=None)
    election, (a, b) = _election(world)
    poll = _open(election)
    assert services.voter_options(poll, giver.rep) == []  # the giver's own people no longer vote
    options = services.voter_options(poll, holder.rep)
    assert [(o.voter.participant, o.cast_as) for o in options] == [
        (holder.participant, CastAs.REPRESENTATIVE), (giver.participant, CastAs.PROXY)
    ]
    _vote(poll, holder.rep, candidate_ids=[a.pk])
    _vote(poll, holder.rep, candidate_ids=[b.pk])
    assert PollVoter.objects.filter(poll=poll, voted_at__isnull=False).count() == 2


def test_proxies_are_limited_and_not_passed_on(world):
    p = [d.participant for d in world["people"]]
    meeting = world["meeting"]
    services.proxy_register(meeting=meeting, giver=p[0], holder=p[1], actor=None)
    with pytest.raises(DomainError):  # the body's limit is one
        services.proxy_register(meeting=meeting, giver=p[2], holder=p[1], actor=None)
    with pytest.raises(DomainError):  # a holder cannot pass its vote on
        services.proxy_register(meeting=meeting, giver=p[1], holder=p[3], actor=None)
    with pytest.raises(DomainError):  # a giver cannot hold one
        services.proxy_register(meeting=meeting, giver=p[2], holder=p[0], actor=None)
    with pytest.raises(DomainError):  # and gives only once
        services.proxy_register(meeting=meeting, giver=p[0], holder=p[3], actor=None)
    with pytest.raises(DomainError):
        services.proxy_register(meeting=meeting, giver=p[2], holder=p[2], actor=None)
    world["body"].max_proxies = 2
    world["body"].save()
    services.proxy_register(meeting=meeting, giver=p[2], holder=p[1], actor=None)


def test_revoked_proxy_gives_the_vote_back(world):
    giver, holder = world["people"][0], world["people"][1]
    proxy = services.proxy_register(meeting=world["meeting"], giver=giver.participant, holder=holder.participant, actor=None)
    services.proxy_revoke(proxy=proxy, actor=None)
    with pytest.raises(DomainError):
        services.proxy_revoke(proxy=proxy, actor=None)
    election, _ = _election(world)
    poll = _open(election)
    assert [o.cast_as for o in services.voter_options(poll, giver.rep)] == [CastAs.REPRESENTATIVE]
    assert len(services.voter_options(poll, holder.rep)) == 1


def test_no_proxies_where_participants_do_not_vote():
    board = BodyFactory()
    meeting, _ = meeting_with_items(board, status=MeetingStatus.INVITED)
    with pytest.raises(DomainError):
        services.proxy_register(meeting=meeting, giver=MemberFactory(), holder=MemberFactory(), actor=None)


# --- Counting, quorum, ties, results -------------------------------------------------------------------------------------


def test_simple_majority_elects_and_the_result_becomes_a_decision_and_a_seat(world, coordinator):
    old_chair = services.seat_appoint(body=world["body"], person=PersonFactory(), role=SeatRole.CHAIR,
                                      start_date=date(2025, 1, 1), actor=None)
    election, (a, b) = _election(world)
    poll = _open(election)
    for delegation, candidate in zip(world["people"], [a, a, b, a], strict=True):
        _vote(poll, delegation.rep, candidate_ids=[candidate.pk])
    services.election_close_voting(election=election, actor=coordinator)
    poll.refresh_from_db()
    assert poll.results["candidates"] == {str(a.pk): 3, str(b.pk): 1}
    assert poll.results["outcome"]["elected"] == [a.pk] and poll.quorum_reached
    services.election_record_result(election=election, actor=coordinator)
    election.refresh_from_db()
    assert election.status == ElectionStatus.DECIDED
    # Decisions are written in the cluster's language (bokmål).
    assert "(3 stemmer)" in election.decision.text and "4 av 4" in election.decision.vote
    assert election.decision.subject == election
    seat = world["body"].seats.get(election=election)
    assert (seat.person, seat.role, seat.start_date, seat.decision) == (a.person, SeatRole.CHAIR, date(2027, 1, 1), election.decision)
    old_chair.refresh_from_db()
    assert old_chair.end_date == date(2026, 12, 31)


def test_a_tie_is_shown_as_a_tie_and_settled_in_a_new_round(world, coordinator):
    election, (a, b, c) = _election(world, candidates=3)
    poll = _open(election)
    for delegation, candidate in zip(world["people"], [a, b, a, b], strict=True):
        _vote(poll, delegation.rep, candidate_ids=[candidate.pk])
    services.election_close_voting(election=election, actor=coordinator)
    poll.refresh_from_db()
    assert poll.results["outcome"]["elected"] == [] and sorted(poll.results["outcome"]["tied"]) == sorted([a.pk, b.pk])
    with pytest.raises(DomainError):
        services.election_record_result(election=election, actor=coordinator)
    services.election_new_round(election=election, actor=coordinator)
    second = election.polls.get(status=PollStatus.OPEN)
    assert second.round == 2 and set(second.candidates.all()) == {a, b}
    for delegation, candidate in zip(world["people"], [a, b, a, a], strict=True):
        _vote(second, delegation.rep, candidate_ids=[candidate.pk])
    services.election_close_voting(election=election, actor=coordinator)
    services.election_record_result(election=election, actor=coordinator)
    election.refresh_from_db()
    assert "2 runder" in election.decision.vote
    assert list(election.candidates.filter(is_elected=True)) == [a]


def test_two_seats_with_a_tie_for_the_second(world, coordinator):
    election, (a, b, c) = _election(world, seats=2, role=SeatRole.MEMBER, candidates=3)
    poll = _open(election)
    for delegation, ids in zip(world["people"], [[a, b], [a, c], [a], [b, c]], strict=True):
        _vote(poll, delegation.rep, candidate_ids=[x.pk for x in ids])
    services.election_close_voting(election=election, actor=coordinator)
    poll.refresh_from_db()
    outcome = poll.results["outcome"]
    assert outcome["elected"] == [a.pk] and sorted(outcome["tied"]) == sorted([b.pk, c.pk]) and outcome["open_seats"] == 1
    # The elected are recorded, the tie is stated in the decision.
    services.election_record_result(election=election, actor=coordinator)
    election.refresh_from_db()
    assert "Stemmelikhet mellom" in election.decision.text
    assert world["body"].seats.filter(election=election).count() == 1


def test_without_quorum_nobody_is_elected(world, coordinator):
    world["body"].quorum_percent = 75
    world["body"].save()
    election, (a, _b) = _election(world)
    poll = _open(election)
    assert poll.quorum_required == 3
    _vote(poll, world["people"][0].rep, candidate_ids=[a.pk])
    _vote(poll, world["people"][1].rep, candidate_ids=[a.pk])
    services.election_close_voting(election=election, actor=coordinator)
    poll.refresh_from_db()
    assert poll.quorum_reached is False and poll.results["outcome"]["elected"] == []
    with pytest.raises(DomainError):
        services.election_record_result(election=election, actor=coordinator)


def test_nomination_period_and_consent(world, travel_to):
    travel_to(date(2026, 6, 1))
    election, _ = _election(world, candidates=0)
    services.election_open_nomination(election=election, actor=None, nomination_opens_on=date(2026, 6, 1),
                                      nomination_closes_on=date(2026, 6, 10))
    pending = services.candidate_add(election=election, person=PersonFactory(), actor=None)
    assert pending.consent == ConsentStatus.PENDING
    with pytest.raises(DomainError):  # the nomination is still open
        services.election_open_voting(election=election, actor=None)
    travel_to(date(2026, 6, 11))
    with pytest.raises(DomainError):  # closed for nominations
        services.candidate_add(election=election, person=PersonFactory(), actor=None)
    with pytest.raises(DomainError):  # nobody has consented
        services.election_open_voting(election=election, actor=None)
    services.candidate_record_consent(candidate=pending, consent=ConsentStatus.GIVEN)
    services.election_open_voting(election=election, actor=None)
    with pytest.raises(DomainError):  # the list is fixed once the ballot is open
        services.candidate_record_consent(candidate=pending, consent=ConsentStatus.DECLINED)


def test_consent_request_is_e_mailed_with_a_signed_link(world, django_capture_on_commit_callbacks):
    from polyfon.governance.tokens import candidate_id_from_token

    election, _ = _election(world, candidates=0)
    person = PersonFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        candidate = services.candidate_add(election=election, person=person, actor=None)
    [message] = mail.outbox
    token = message.body.split("/organisasjon/samtykke/")[1].split("/")[0]
    assert candidate_id_from_token(token) == candidate.pk
    assert person.email not in token and candidate_id_from_token(token + "x") is None


def test_cancelling_closes_the_ballot_without_counting(world):
    election, (a, _b) = _election(world)
    poll = _open(election)
    _vote(poll, world["people"][0].rep, candidate_ids=[a.pk])
    services.election_cancel(election=election, actor=None, note="Feil i kandidatlisten")
    poll.refresh_from_db()
    assert poll.status == PollStatus.CLOSED and poll.results["cancelled"] and "candidates" not in poll.results


def test_voting_needs_the_meeting_to_be_under_way(steering):
    delegations(steering, 2)
    meeting, (item,) = meeting_with_items(steering)  # planned, not invited
    election = services.election_create(item=item, actor=None, title="Valg", seat_body=steering, seat_role=SeatRole.CHAIR,
                                        seats=1, term_start=date(2027, 1, 1))
    services.candidate_add(election=election, person=PersonFactory(), actor=None, consent_given=True)
    with pytest.raises(DomainError):
        services.election_open_voting(election=election, actor=None)


def test_lifecycle_refuses_moves_out_of_order(world):
    election, _ = _election(world)
    for move in (services.election_close_voting, services.election_new_round, services.election_record_result):
        with pytest.raises(DomainError):
            move(election=election, actor=None)


def test_chair_and_deputy_chair_are_elected_one_at_a_time(world):
    with pytest.raises(DomainError):
        services.election_create(item=world["item"], actor=None, title="Valg", seat_body=world["body"], seat_role=SeatRole.CHAIR,
                                 seats=2, term_start=date(2027, 1, 1))


# --- Motions ------------------------------------------------------------------------------------------------------------


def _motion(world, **kwargs):
    return services.motion_create(item=world["item"], actor=None, title="Forslag", text="Klynga åpner et kontor i Tromsø.", **kwargs)


@pytest.mark.parametrize(
    "votes, result",
    [
        (["for", "for", "against", "abstain"], MotionResult.ADOPTED),
        (["for", "against", "against", "abstain"], MotionResult.REJECTED),
        (["for", "against", "abstain", "abstain"], MotionResult.TIE),
        (["for"], MotionResult.NO_QUORUM),
    ],
)
def test_motion_vote_is_counted(world, votes, result):
    motion = _motion(world)
    services.motion_open_voting(motion=motion, actor=None)
    poll = motion.polls.get()
    for delegation, choice in zip(world["people"], votes, strict=False):
        _vote(poll, delegation.rep, choice=choice)
    services.motion_close_voting(motion=motion, actor=None)
    motion.refresh_from_db()
    assert motion.status == MotionStatus.CLOSED and motion.result == result
    assert motion.votes_for == votes.count("for") and motion.votes_abstain == votes.count("abstain")
    decisions = world["item"].decisions.all()
    if result == MotionResult.ADOPTED:
        assert decisions.get().text == motion.text and "For: 2" in decisions.get().vote
    else:
        assert not decisions.exists()


def test_a_rejected_motion_is_in_the_minutes_with_its_votes(world, client):
    """Only an adopted motion becomes a decision; every motion's result stands in the minutes."""
    from django.urls import reverse

    motion = _motion(world, method=MotionMethod.COUNTED)
    services.motion_record_count(motion=motion, actor=None, votes_for=2, votes_against=5, votes_abstain=1)
    Meeting.objects.filter(pk=world["meeting"].pk).update(status=MeetingStatus.HELD)
    client.force_login(world["people"][0].rep)  # a member of the body reads the meeting and its minutes
    html = client.get(reverse("governance:mine_meeting", args=[world["meeting"].pk])).content.decode()
    assert "Avstemning over «Forslag»: Avslått (for 2, mot 5, " in html


def test_motion_counted_in_the_room(world):
    motion = _motion(world, method=MotionMethod.COUNTED)
    with pytest.raises(DomainError):
        services.motion_open_voting(motion=motion, actor=None)
    services.motion_record_count(motion=motion, actor=None, votes_for=7, votes_against=2, votes_abstain=1)
    motion.refresh_from_db()
    assert motion.result == MotionResult.ADOPTED and world["item"].decisions.get().vote.startswith("For: 7")
    with pytest.raises(DomainError):
        services.motion_record_count(motion=motion, actor=None, votes_for=1, votes_against=2)


def test_motion_ballot_accepts_only_for_against_abstain(world):
    motion = _motion(world)
    services.motion_open_voting(motion=motion, actor=None)
    with pytest.raises(DomainError):
        _vote(motion.polls.get(), world["people"][0].rep, choice=BallotChoice.CANDIDATES)


def test_withdrawn_motion_is_not_voted_on(world):
    motion = _motion(world)
    services.motion_withdraw(motion=motion, actor=None, note="Trukket av forslagsstiller")
    with pytest.raises(DomainError):
        services.motion_open_voting(motion=motion, actor=None)


def test_seat_holders_vote_where_participants_do_not():
    board = BodyFactory()
    chair, chair_user = _person_user("Leder")
    services.seat_appoint(body=board, person=chair, role=SeatRole.CHAIR, start_date=date(2025, 1, 1), actor=None)
    services.seat_appoint(body=board, person=chair, role=SeatRole.MEMBER, start_date=date(2025, 1, 1), actor=None)
    deputy, deputy_user = _person_user("Vara")
    services.seat_appoint(body=board, person=deputy, role=SeatRole.DEPUTY_MEMBER, start_date=date(2025, 1, 1), actor=None)
    meeting, (item,) = meeting_with_items(board, status=MeetingStatus.INVITED)
    motion = services.motion_create(item=item, actor=None, title="F", text="T")
    services.motion_open_voting(motion=motion, actor=None)
    poll = motion.polls.get()
    assert poll.eligible_count == 1 and not poll.by_participant
    assert services.voter_options(poll, deputy_user) == []
    _vote(poll, chair_user, choice=BallotChoice.FOR)
    assert services.voter_options(poll, chair_user)[0].has_voted


# --- Notices -----------------------------------------------------------------------------------------------------------------


def test_opening_a_ballot_tells_representatives_and_deputies(world, django_capture_on_commit_callbacks):
    election, _ = _election(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _open(election)
    recipients = sorted(m.to[0] for m in mail.outbox)
    expected = sorted([d.rep.email for d in world["people"]] + [d.deputy.email for d in world["people"]])
    assert recipients == expected
    assert "/min-side/styring/avstemninger/" in mail.outbox[0].body


# --- Concurrency (PostgreSQL) --------------------------------------------------------------------------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


def _in_thread(fn, results, barrier):
    def run():
        try:
            barrier.wait()
            fn()
            results.append("ok")
        except DomainError:
            results.append("refused")
        finally:
            connections.close_all()

    return threading.Thread(target=run)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_vote_cast_twice_at_once_counts_once():
    steering = SteeringGroupFactory()
    [delegation] = delegations(steering, 1)
    meeting, (item,) = meeting_with_items(steering, status=MeetingStatus.INVITED)
    motion = services.motion_create(item=item, actor=None, title="F", text="T")
    services.motion_open_voting(motion=motion, actor=None)
    poll = motion.polls.get()
    voter = PollVoter.objects.get(poll=poll)
    results, barrier = [], threading.Barrier(6)
    threads = []
    for n in range(6):
        user = delegation.rep if n % 2 == 0 else delegation.deputy  # representative and deputy at once
        threads.append(_in_thread(
            lambda user=user: services.vote_cast(poll=poll, user=user, voter_id=voter.pk, choice=BallotChoice.FOR), results, barrier
        ))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["ok"] + ["refused"] * 5
    assert Ballot.objects.filter(poll=poll).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_votes_racing_the_closing_are_counted_or_refused_never_lost():
    steering = SteeringGroupFactory()
    people = delegations(steering, 12)
    meeting, (item,) = meeting_with_items(steering, status=MeetingStatus.INVITED)
    motion = services.motion_create(item=item, actor=None, title="F", text="T")
    services.motion_open_voting(motion=motion, actor=None)
    poll = motion.polls.get()
    voters = {v.participant_id: v.pk for v in PollVoter.objects.filter(poll=poll)}
    results, barrier = [], threading.Barrier(len(people) + 1)
    threads = [
        _in_thread(
            lambda d=d: services.vote_cast(poll=poll, user=d.rep, voter_id=voters[d.participant.pk], choice=BallotChoice.FOR),
            results, barrier,
        )
        for d in people
    ]
    threads.append(_in_thread(lambda: services.motion_close_voting(motion=motion, actor=None), results, barrier))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    poll.refresh_from_db()
    motion.refresh_from_db()
    cast = PollVoter.objects.filter(poll=poll, voted_at__isnull=False).count()
    assert poll.status == PollStatus.CLOSED
    assert Ballot.objects.filter(poll=poll).count() == cast == poll.voted_count == motion.votes_for
    assert results.count("ok") == cast + 1  # the votes that got in, and the closing


def test_a_re_elected_chair_gets_a_new_term(world, coordinator):
    election, (a, b) = _election(world)
    old = services.seat_appoint(body=world["body"], person=a.person, role=SeatRole.CHAIR, start_date=date(2025, 1, 1),
                                actor=None)  # open-ended
    poll = _open(election)
    for delegation in world["people"]:
        _vote(poll, delegation.rep, candidate_ids=[a.pk])
    services.election_close_voting(election=election, actor=coordinator)
    services.election_record_result(election=election, actor=coordinator)
    old.refresh_from_db()
    new = world["body"].seats.get(election=election)
    assert old.end_date == date(2026, 12, 31) and (new.person, new.start_date) == (a.person, date(2027, 1, 1))
