"""Bodies, seats, representation and the register's roles, rule by rule."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from polyfon.accounts import roles
from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.governance import selectors, services
from polyfon.governance.models import BodyKind, ProposalStatus, Seat, SeatRole, SeatSource
from polyfon.members.models import ContactRole, ParticipantContact, Person
from polyfon.members.tests.factories import MemberFactory, ParticipantFactory, PersonFactory, UserFactory

from .factories import BodyFactory, SteeringGroupFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _today(travel_to):
    travel_to(TODAY)


# --- Bodies -----------------------------------------------------------------------------------------


def test_only_one_active_steering_group(coordinator):
    services.body_save(actor=coordinator, name="Styringsgruppa", kind=BodyKind.STEERING_GROUP)
    with pytest.raises(DomainError) as error:
        services.body_save(actor=coordinator, name="Ny styringsgruppe", kind=BodyKind.STEERING_GROUP)
    assert error.value.field == "kind"
    # An inactive second one is allowed (history).
    services.body_save(actor=coordinator, name="Gammel styringsgruppe", kind=BodyKind.STEERING_GROUP, is_active=False)


def test_working_group_needs_a_work_area(coordinator):
    from polyfon.content.models import WorkArea

    with pytest.raises(DomainError):
        services.body_save(actor=coordinator, name="Arbeidsgruppe", kind=BodyKind.WORKING_GROUP)
    body = services.body_save(
        actor=coordinator, name="Arbeidsgruppe", kind=BodyKind.WORKING_GROUP, work_area=WorkArea.objects.first()
    )
    assert body.slug == "arbeidsgruppe"


def test_slug_is_unique(coordinator):
    services.body_save(actor=coordinator, name="Panel", slug="panel")
    with pytest.raises(DomainError) as error:
        services.body_save(actor=coordinator, name="Panel 2", slug="panel")
    assert error.value.field == "slug"


def test_general_assembly_turns_on_once(coordinator):
    body = services.general_assembly_enable(actor=coordinator, name="Generalforsamlingen", quorum_percent=60, max_proxies=2)
    assert body.is_general_assembly and body.represents_participants and body.quorum_percent == 60
    assert AuditEntry.objects.filter(action="polyfon.governance.body.general_assembly_enabled").exists()
    with pytest.raises(DomainError):
        services.general_assembly_enable(actor=coordinator, name="Enda en")


# --- Seats --------------------------------------------------------------------------------------------


def test_seat_for_a_participant_needs_a_body_that_represents_participants(coordinator):
    body = BodyFactory()
    with pytest.raises(DomainError) as error:
        services.seat_appoint(body=body, person=PersonFactory(), role=SeatRole.MEMBER, participant=MemberFactory(),
                              start_date=TODAY, actor=coordinator)
    assert error.value.field == "participant"


def test_a_prospect_cannot_be_represented(coordinator):
    with pytest.raises(DomainError):
        services.seat_appoint(body=SteeringGroupFactory(), person=PersonFactory(), role=SeatRole.MEMBER,
                              participant=ParticipantFactory(), start_date=TODAY, actor=coordinator)


def test_the_chair_does_not_represent_a_participant(coordinator):
    with pytest.raises(DomainError) as error:
        services.seat_appoint(body=SteeringGroupFactory(), person=PersonFactory(), role=SeatRole.CHAIR,
                              participant=MemberFactory(), start_date=TODAY, actor=coordinator)
    assert error.value.field == "role"


def test_term_cannot_end_before_it_starts(coordinator):
    with pytest.raises(DomainError):
        services.seat_appoint(body=BodyFactory(), person=PersonFactory(), role=SeatRole.MEMBER, start_date=TODAY,
                              end_date=TODAY - timedelta(days=1), actor=coordinator)


def test_one_chair_at_a_time_unless_replaced(coordinator):
    body = BodyFactory()
    first = services.seat_appoint(body=body, person=PersonFactory(), role=SeatRole.CHAIR, start_date=date(2025, 1, 1),
                                  actor=coordinator)
    second_person = PersonFactory()
    with pytest.raises(DomainError):
        services.seat_appoint(body=body, person=second_person, role=SeatRole.CHAIR, start_date=TODAY, actor=coordinator)
    services.seat_appoint(body=body, person=second_person, role=SeatRole.CHAIR, start_date=TODAY, actor=coordinator,
                          replace=True)
    first.refresh_from_db()
    assert first.end_date == TODAY - timedelta(days=1)
    assert [s.person for s in selectors.current_seats(body)] == [second_person]
    assert first in selectors.seat_history(body)


def test_one_representative_per_participant(coordinator):
    body, member = SteeringGroupFactory(), MemberFactory()
    services.seat_appoint(body=body, person=PersonFactory(), role=SeatRole.MEMBER, participant=member,
                          start_date=date(2025, 1, 1), actor=coordinator)
    with pytest.raises(DomainError):
        services.seat_appoint(body=body, person=PersonFactory(), role=SeatRole.MEMBER, participant=member,
                              start_date=TODAY, actor=coordinator)
    # The deputy is a seat of its own.
    services.seat_appoint(body=body, person=PersonFactory(), role=SeatRole.DEPUTY_MEMBER, participant=member,
                          start_date=TODAY, actor=coordinator)


def test_same_person_same_seat_twice_is_refused(coordinator):
    body, person = BodyFactory(), PersonFactory()
    services.seat_appoint(body=body, person=person, role=SeatRole.MEMBER, start_date=TODAY, actor=coordinator)
    with pytest.raises(DomainError) as error:
        services.seat_appoint(body=body, person=person, role=SeatRole.MEMBER, start_date=TODAY + timedelta(days=5),
                              actor=coordinator)
    assert error.value.field == "person"


def test_seats_per_work_area(coordinator):
    from polyfon.content.models import WorkArea

    panel = BodyFactory(kind=BodyKind.EXPERIENCE_PANEL, seats_by_work_area=True)
    with pytest.raises(DomainError) as error:
        services.seat_appoint(body=panel, person=PersonFactory(), role=SeatRole.MEMBER, start_date=TODAY, actor=coordinator)
    assert error.value.field == "work_area"
    area = WorkArea.objects.first()
    services.seat_appoint(body=panel, person=PersonFactory(), role=SeatRole.MEMBER, work_area=area, start_date=TODAY, actor=coordinator)
    services.seat_appoint(body=panel, person=PersonFactory(), role=SeatRole.DEPUTY_MEMBER, work_area=area, start_date=TODAY, actor=coordinator)
    assert [s.work_area for s in selectors.current_seats(panel)] == [area, area]
    with pytest.raises(DomainError):
        services.seat_appoint(body=BodyFactory(), person=PersonFactory(), role=SeatRole.MEMBER, work_area=area,
                              start_date=TODAY, actor=coordinator)


def test_ending_a_seat_keeps_it_in_history(coordinator):
    body = BodyFactory()
    seat = services.seat_appoint(body=body, person=PersonFactory(), role=SeatRole.MEMBER, start_date=date(2025, 1, 1),
                                 actor=coordinator)
    services.seat_end(seat=seat, end_date=TODAY - timedelta(days=1), reason="Sluttet", actor=coordinator)
    assert Seat.objects.filter(pk=seat.pk).exists()
    assert not selectors.current_seats(body).exists()
    assert selectors.seat_history(body)[0].end_reason == "Sluttet"
    with pytest.raises(DomainError):
        services.seat_end(seat=seat, end_date=date(2024, 1, 1), actor=coordinator)


def test_term_of_a_chair_cannot_be_extended_over_the_next_chair(coordinator):
    body = BodyFactory()
    first = services.seat_appoint(body=body, person=PersonFactory(), role=SeatRole.CHAIR, start_date=date(2025, 1, 1),
                                  end_date=date(2025, 12, 31), actor=coordinator)
    services.seat_appoint(body=body, person=PersonFactory(), role=SeatRole.CHAIR, start_date=date(2026, 1, 1), actor=coordinator)
    with pytest.raises(DomainError):
        services.seat_update(seat=first, end_date=date(2026, 12, 31), actor=coordinator)
    services.seat_update(seat=first, end_date=date(2025, 11, 30), note="Kortere", actor=coordinator)
    first.refresh_from_db()
    assert (first.end_date, first.note) == (date(2025, 11, 30), "Kortere")


# --- The register follows the steering-group seats ---------------------------------------------------------


def _register(participant, role):
    contact = ParticipantContact.objects.filter(participant=participant, role=role).select_related("person").first()
    return contact.person if contact else None


def test_appointing_a_representative_updates_the_register(coordinator):
    steering, member = SteeringGroupFactory(), MemberFactory()
    person = PersonFactory()
    services.seat_appoint(body=steering, person=person, role=SeatRole.MEMBER, participant=member, start_date=TODAY,
                          actor=coordinator)
    assert _register(member, ContactRole.STEERING_REP) == person
    deputy = PersonFactory()
    services.seat_appoint(body=steering, person=deputy, role=SeatRole.DEPUTY_MEMBER, participant=member, start_date=TODAY,
                          actor=coordinator)
    assert _register(member, ContactRole.STEERING_DEPUTY) == deputy


def test_other_bodies_leave_the_register_alone(coordinator):
    assembly = services.general_assembly_enable(actor=coordinator, name="GF")
    member = MemberFactory()
    services.seat_appoint(body=assembly, person=PersonFactory(), role=SeatRole.MEMBER, participant=member, start_date=TODAY,
                          actor=coordinator)
    assert _register(member, ContactRole.STEERING_REP) is None


def test_a_future_seat_reaches_the_register_on_its_first_day(coordinator, travel_to):
    steering, member = SteeringGroupFactory(), MemberFactory()
    person = PersonFactory()
    services.seat_appoint(body=steering, person=person, role=SeatRole.MEMBER, participant=member,
                          start_date=date(2026, 9, 1), actor=coordinator)
    assert _register(member, ContactRole.STEERING_REP) is None
    travel_to(date(2026, 9, 1))
    changes = services.sync_register_roles()
    assert changes and _register(member, ContactRole.STEERING_REP) == person


def test_ending_a_seat_removes_the_register_role_only_for_that_holder(coordinator, travel_to):
    steering, member = SteeringGroupFactory(), MemberFactory()
    person = PersonFactory()
    seat = services.seat_appoint(body=steering, person=person, role=SeatRole.MEMBER, participant=member,
                                 start_date=date(2025, 1, 1), actor=coordinator)
    services.seat_end(seat=seat, end_date=TODAY - timedelta(days=1), actor=coordinator)
    assert _register(member, ContactRole.STEERING_REP) is None
    # A register role entered by hand (no seat behind it) is never removed by the sync.
    other = MemberFactory()
    hand = PersonFactory()
    ParticipantContact.objects.create(participant=other, person=hand, role=ContactRole.STEERING_REP)
    services.sync_register_roles()
    assert _register(other, ContactRole.STEERING_REP) == hand


def test_adopting_the_register_gives_seats_where_missing(coordinator):
    steering = SteeringGroupFactory()
    a, b = MemberFactory(), MemberFactory()
    rep_a, dep_a, rep_b = PersonFactory(), PersonFactory(), PersonFactory()
    ParticipantContact.objects.create(participant=a, person=rep_a, role=ContactRole.STEERING_REP)
    ParticipantContact.objects.create(participant=a, person=dep_a, role=ContactRole.STEERING_DEPUTY)
    ParticipantContact.objects.create(participant=b, person=rep_b, role=ContactRole.STEERING_REP)
    services.seat_appoint(body=steering, person=rep_b, role=SeatRole.MEMBER, participant=b, start_date=date(2025, 1, 1),
                          actor=coordinator)
    created = services.body_adopt_register(body=steering, actor=coordinator, start_date=TODAY)
    assert created == 2
    assert set(steering.seats.filter(source=SeatSource.REGISTER).values_list("person", flat=True)) == {rep_a.pk, dep_a.pk}
    assert services.body_adopt_register(body=steering, actor=coordinator, start_date=TODAY) == 0


def test_the_general_assembly_seats_the_registers_representatives_as_delegates(coordinator, client):
    """One step gives every member its delegate and deputy in the general assembly, so each can
    cast the participant's vote; the register is left as it is."""
    assembly = services.general_assembly_enable(actor=coordinator, name="Generalforsamlingen")
    a, b = MemberFactory(), MemberFactory()
    rep_a, dep_a, rep_b = PersonFactory(), PersonFactory(), PersonFactory()
    ParticipantContact.objects.create(participant=a, person=rep_a, role=ContactRole.STEERING_REP)
    ParticipantContact.objects.create(participant=a, person=dep_a, role=ContactRole.STEERING_DEPUTY)
    ParticipantContact.objects.create(participant=b, person=rep_b, role=ContactRole.STEERING_REP)
    client.force_login(coordinator)
    url = reverse("governance:adopt_register", args=[assembly.pk])
    assert url in client.get(assembly.get_absolute_url()).content.decode()
    assert client.post(url, {"start_date": TODAY.isoformat()}).status_code == 302
    seats = {(s.participant_id, s.person_id, s.role) for s in assembly.seats.all()}
    assert seats == {(a.pk, rep_a.pk, SeatRole.MEMBER), (a.pk, dep_a.pk, SeatRole.DEPUTY_MEMBER), (b.pk, rep_b.pk, SeatRole.MEMBER)}
    assert services.body_adopt_register(body=assembly, actor=coordinator, start_date=TODAY) == 0
    other = BodyFactory()
    with pytest.raises(DomainError):
        services.body_adopt_register(body=other, actor=coordinator, start_date=TODAY)


def test_a_seat_in_the_steering_group_makes_a_steering_member(coordinator):
    steering = SteeringGroupFactory()
    user = UserFactory()
    person = PersonFactory(user=user, email=user.email)
    assert not roles.is_steering_member(user)
    seat = services.seat_appoint(body=steering, person=person, role=SeatRole.OBSERVER, start_date=date(2026, 1, 1), actor=coordinator)
    roles.clear(user)
    assert roles.is_steering_member(user)
    services.seat_end(seat=seat, end_date=TODAY, actor=coordinator)
    roles.clear(user)
    assert roles.is_steering_member(user)  # the last day still counts
    Seat.objects.filter(pk=seat.pk).update(end_date=TODAY - timedelta(days=1))
    roles.clear(user)
    assert not roles.is_steering_member(user)


def test_steering_membership_is_one_query_per_request(coordinator, django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):
        roles.is_steering_member(user)
        roles.is_steering_member(user)


def test_seat_in_another_body_does_not_make_a_steering_member(coordinator):
    user = UserFactory()
    person = PersonFactory(user=user, email=user.email)
    services.seat_appoint(body=BodyFactory(), person=person, role=SeatRole.CHAIR, start_date=TODAY, actor=coordinator)
    assert not roles.is_steering_member(user)


# --- Representation status ---------------------------------------------------------------------------------------


def test_representation_status_shows_missing_expired_and_former(coordinator):
    steering = SteeringGroupFactory()
    represented, expired, leaving = MemberFactory(name="A"), MemberFactory(name="C"), MemberFactory(name="D")
    MemberFactory(name="B")  # never represented
    services.seat_appoint(body=steering, person=PersonFactory(), role=SeatRole.MEMBER, participant=represented,
                          start_date=date(2025, 1, 1), actor=coordinator)
    services.seat_appoint(body=steering, person=PersonFactory(), role=SeatRole.MEMBER, participant=expired,
                          start_date=date(2025, 1, 1), end_date=date(2026, 3, 31), actor=coordinator)
    held = services.seat_appoint(body=steering, person=PersonFactory(), role=SeatRole.MEMBER, participant=leaving,
                                 start_date=date(2025, 1, 1), actor=coordinator)
    from polyfon.members import services as member_services

    member_services.participant_give_notice(participant=leaving, actor=coordinator, notice_date=date(2025, 1, 1))
    member_services.participant_end_membership(participant=leaving, actor=coordinator)
    status = selectors.representation_status(steering)
    missing = {row.participant.name: row for row in status.missing}
    assert set(missing) == {"B", "C"}
    assert missing["C"].term_ran_out and not missing["B"].term_ran_out
    assert [s.pk for s in status.former_holding] == [held.pk]


def test_representation_status_is_a_constant_number_of_queries(coordinator, django_assert_max_num_queries):
    steering = SteeringGroupFactory()
    for _ in range(3):
        services.seat_appoint(body=steering, person=PersonFactory(), role=SeatRole.MEMBER, participant=MemberFactory(),
                              start_date=date(2025, 1, 1), actor=coordinator)
    with django_assert_max_num_queries(3):
        selectors.representation_status(steering)


# --- Proposals from the participant's contact -------------------------------------------------------------------------


@pytest.fixture
def steering():
    return SteeringGroupFactory()


def test_contact_proposes_and_coordinator_approves(coordinator, contact_user, member, steering, django_capture_on_commit_callbacks):
    old_rep, old_deputy = PersonFactory(), PersonFactory()
    services.seat_appoint(body=steering, person=old_rep, role=SeatRole.MEMBER, participant=member,
                          start_date=date(2025, 1, 1), actor=coordinator)
    services.seat_appoint(body=steering, person=old_deputy, role=SeatRole.DEPUTY_MEMBER, participant=member,
                          start_date=date(2025, 1, 1), actor=coordinator)
    existing = member.contacts.get(role=ContactRole.MAIN).person
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.representation_propose(
            participant=member, body=steering, proposed_by=contact_user, start_date=date(2026, 7, 1),
            representative=existing, deputy_name="Nora Ny", deputy_email="Nora@Example.no",
        )
    assert [coordinator.email] in [m.to for m in mail.outbox]  # the coordinators are told
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.representation_proposal_approve(proposal=proposal, actor=coordinator)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    nora = Person.objects.get(email="nora@example.no")
    assert proposal.deputy == nora
    rep_seat = steering.seats.get(participant=member, role=SeatRole.MEMBER, person=existing)
    assert rep_seat.start_date == date(2026, 7, 1) and rep_seat.source == SeatSource.PROPOSED
    assert steering.seats.get(person=old_rep).end_date == date(2026, 6, 30)
    assert steering.seats.get(person=old_deputy).end_date == date(2026, 6, 30)
    # The proposer is told.
    assert any(m.to == [contact_user.email] for m in mail.outbox)


def test_approval_updates_the_register_in_the_same_transaction(coordinator, contact_user, member, steering):
    proposal = services.representation_propose(
        participant=member, body=steering, proposed_by=contact_user, start_date=TODAY,
        representative_name="Rita Rep", representative_email="rita@example.no",
    )
    services.representation_proposal_approve(proposal=proposal, actor=coordinator)
    assert _register(member, ContactRole.STEERING_REP).email == "rita@example.no"


def test_approval_rolls_back_entirely_when_a_seat_is_refused(coordinator, contact_user, member, steering):
    # The current representative's seat started after the proposed date: it cannot be ended before it.
    current = PersonFactory()
    services.seat_appoint(body=steering, person=current, role=SeatRole.MEMBER, participant=member,
                          start_date=date(2026, 5, 1), actor=coordinator)
    proposal = services.representation_propose(
        participant=member, body=steering, proposed_by=contact_user, start_date=date(2026, 4, 1),
        representative_name="Rita Rep", representative_email="rita@example.no",
    )
    with pytest.raises(DomainError):
        services.representation_proposal_approve(proposal=proposal, actor=coordinator)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert not Person.objects.filter(email="rita@example.no").exists()
    assert _register(member, ContactRole.STEERING_REP) == current


def test_one_pending_proposal_per_body(contact_user, member, steering):
    services.representation_propose(participant=member, body=steering, proposed_by=contact_user, start_date=TODAY,
                                    representative_name="A", representative_email="a@example.no")
    with pytest.raises(DomainError):
        services.representation_propose(participant=member, body=steering, proposed_by=contact_user, start_date=TODAY,
                                        representative_name="B", representative_email="b@example.no")


def test_proposal_rules(contact_user, member, steering):
    with pytest.raises(DomainError):  # nobody named
        services.representation_propose(participant=member, body=steering, proposed_by=contact_user, start_date=TODAY)
    with pytest.raises(DomainError):  # the same person twice
        services.representation_propose(participant=member, body=steering, proposed_by=contact_user, start_date=TODAY,
                                        representative_name="A", representative_email="a@example.no",
                                        deputy_name="A", deputy_email="A@example.no")
    with pytest.raises(DomainError):  # a stranger from another participant
        services.representation_propose(participant=member, body=steering, proposed_by=contact_user, start_date=TODAY,
                                        representative=PersonFactory())
    with pytest.raises(DomainError):  # a body without representation
        services.representation_propose(participant=member, body=BodyFactory(), proposed_by=contact_user, start_date=TODAY,
                                        representative_name="A", representative_email="a@example.no")
    with pytest.raises(DomainError):  # not a member
        services.representation_propose(participant=ParticipantFactory(), body=steering, proposed_by=contact_user,
                                        start_date=TODAY, representative_name="A", representative_email="a@example.no")


def test_reject_needs_a_reason_and_is_final(coordinator, contact_user, member, steering):
    proposal = services.representation_propose(participant=member, body=steering, proposed_by=contact_user,
                                               start_date=TODAY, representative_name="A", representative_email="a@example.no")
    with pytest.raises(DomainError):
        services.representation_proposal_reject(proposal=proposal, actor=coordinator, reason=" ")
    services.representation_proposal_reject(proposal=proposal, actor=coordinator, reason="Ikke medlem av organisasjonen")
    with pytest.raises(DomainError):
        services.representation_proposal_approve(proposal=proposal, actor=coordinator)
    with pytest.raises(DomainError):
        services.representation_proposal_withdraw(proposal=proposal, actor=contact_user)
    assert not steering.seats.exists()


def test_withdrawn_proposal_frees_the_way_for_a_new_one(contact_user, member, steering):
    proposal = services.representation_propose(participant=member, body=steering, proposed_by=contact_user,
                                               start_date=TODAY, representative_name="A", representative_email="a@example.no")
    services.representation_proposal_withdraw(proposal=proposal, actor=contact_user)
    services.representation_propose(participant=member, body=steering, proposed_by=contact_user, start_date=TODAY,
                                    representative_name="B", representative_email="b@example.no")


def test_proposal_decided_e_mail_is_in_the_proposers_language(coordinator, member, steering, django_capture_on_commit_callbacks):
    user = UserFactory(language="en")
    PersonFactory(user=user, email=user.email, language="en")
    ParticipantContact.objects.create(participant=member, person=user.person, role=ContactRole.CONTACT)
    proposal = services.representation_propose(participant=member, body=steering, proposed_by=user, start_date=TODAY,
                                               representative_name="A", representative_email="a@example.no")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.representation_proposal_reject(proposal=proposal, actor=coordinator, reason="Nei")
    message = next(m for m in mail.outbox if m.to == [user.email])
    assert "rejected" in message.subject

