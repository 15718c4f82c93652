"""Applications, rule by rule: drafts, eligibility, completeness, deadline, receipt, reopening,
withdrawal, attachments, team and proposals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.funding import services
from polyfon.funding.models import (
    Application,
    ApplicationStatus,
    AttachmentKind,
    Call,
    Eligibility,
    ProposedOutcome,
)
from polyfon.members import services as member_services
from polyfon.members.models import ParticipantStatus
from polyfon.members.tests.factories import (
    MemberFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

from .factories import CallFactory, applicant_for, make_application, pdf_file, submitted_application

pytestmark = pytest.mark.django_db


def messages_of(problems):
    return " ".join(p.message for p in problems)


# --- Starting a draft ----------------------------------------------------------------------------------------


def test_draft_gets_the_next_number_and_the_only_eligible_participant(member):
    call = CallFactory(code="SK-2027")
    user = applicant_for(member)
    first = services.application_start(call=call, user=user, title="Først")
    second = services.application_start(call=call, user=user, title="Andre")
    assert (first.number, second.number) == (1, 2)
    assert second.reference == "SK-2027-002"
    assert first.lead_participant == member
    assert first.leader == user.person
    assert AuditEntry.objects.filter(action="polyfon.funding.application.created").count() == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"published_at": None},
        {"opens_at": timezone.now() + timedelta(days=1), "deadline": timezone.now() + timedelta(days=9)},
        {"opens_at": timezone.now() - timedelta(days=9), "deadline": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["unpublished", "not-yet-open", "closed"],
)
def test_no_draft_unless_the_call_is_open(member, changes):
    call = CallFactory()
    Call.objects.filter(pk=call.pk).update(**changes)
    with pytest.raises(DomainError, match="not open"):
        services.application_start(call=Call.objects.get(pk=call.pk), user=applicant_for(member), title="X")


def test_no_draft_without_a_person_in_the_register():
    with pytest.raises(DomainError):
        services.application_start(call=CallFactory(), user=UserFactory(), title="X")


def test_profile_creates_the_person_with_the_employer():
    member = MemberFactory()
    organisation = member.organisations.get()
    user = UserFactory(email="ny@example.no")
    person = services.applicant_profile_save(user=user, name="Nina Ny", organisation=organisation, title="Musikkterapeut")
    assert person.user == user
    assert list(person.organisations.all()) == [organisation]
    # A second employer is added, the first kept.
    other = MemberFactory().organisations.get()
    services.applicant_profile_save(user=user, name="Nina Ny", organisation=other)
    assert set(person.organisations.all()) == {organisation, other}


# --- Completeness and eligibility ---------------------------------------------------------------------------------


def test_a_complete_application_has_no_problems():
    assert services.application_problems(make_application()) == []


def test_every_missing_piece_is_explained():
    application = make_application(complete=False)
    Application.objects.filter(pk=application.pk).update(lead_participant=None)
    application.refresh_from_db()
    problems = services.application_problems(application)
    sections = {p.section for p in problems}
    assert {"project", "budget", "attachments"} <= sections
    text = messages_of(problems)
    for expected in ["summary", "Describe the project", "work area", "start and end", "lead participant", "budget", "project sketch"]:
        assert expected.lower() in text.lower(), expected


def test_lead_participant_must_be_a_member_now():
    prospect = ParticipantFactory(status=ParticipantStatus.PROSPECT)
    application = make_application(participant=prospect, applicant=applicant_for(prospect))
    assert "is not a member" in messages_of(services.application_problems(application))


def test_a_participant_in_its_notice_period_may_still_apply(coordinator):
    member = MemberFactory()
    member_services.participant_give_notice(participant=member, actor=coordinator, notice_date=timezone.localdate())
    member.refresh_from_db()
    assert member.status == ParticipantStatus.NOTICE_GIVEN
    assert services.application_problems(make_application(participant=member)) == []


def test_associates_may_apply_only_when_the_call_admits_them():
    associate = ParticipantFactory(status=ParticipantStatus.LETTER_OF_INTENT)
    strict = make_application(participant=associate, applicant=applicant_for(associate))
    assert "is not a member" in messages_of(services.application_problems(strict))
    open_call = CallFactory(eligibility=Eligibility.MEMBERS_AND_ASSOCIATES)
    admitted = make_application(call=open_call, participant=associate, applicant=applicant_for(associate))
    assert services.application_problems(admitted) == []


def test_the_leader_must_work_for_the_lead_participant():
    member, other = MemberFactory(), MemberFactory()
    application = make_application(participant=member, applicant=applicant_for(other))
    Application.objects.filter(pk=application.pk).update(lead_participant=member)
    application.refresh_from_db()
    assert "is not registered as working for" in messages_of(services.application_problems(application))


def test_partner_participants_must_be_members_and_not_the_lead():
    application = make_application()
    application.partner_participants.set([ParticipantFactory(status=ParticipantStatus.FORMER), application.lead_participant])
    text = messages_of(services.application_problems(application))
    assert "list it as an external partner" in text
    assert "do not list it as a partner as well" in text


def test_requested_amount_is_limited_by_the_call():
    application = make_application(requested=Decimal("150000.01"))
    assert "gives at most" in messages_of(services.application_problems(application))


def test_work_area_must_be_one_the_call_is_open_to():
    from polyfon.content.models import WorkArea

    areas = list(WorkArea.objects.order_by("position"))
    call = CallFactory()
    call.work_areas.set([areas[1]])
    application = make_application(call=call)  # work area = areas[0]
    assert "not open to the work area" in messages_of(services.application_problems(application))


def test_an_earlier_grant_must_be_reported_on(coordinator):
    first = submitted_application()
    services.application_decide(
        application=first, actor=coordinator, outcome="granted", amount=Decimal("50000"),
        meeting_reference="SG 1/26", decided_on=timezone.localdate(),
    )
    again = make_application(call=CallFactory(), participant=first.lead_participant, applicant=first.applicant)
    assert "had funds from the cluster before" in messages_of(services.application_problems(again))
    again = services.application_update(
        application=again, actor=again.applicant, previous_funding_report="Vi brukte midlene godt."
    )
    assert services.application_problems(again) == []


# --- Submission ---------------------------------------------------------------------------------------------------


def test_submission_locks_time_stamps_and_sends_a_receipt_with_the_pdf(django_capture_on_commit_callbacks):
    application = make_application()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    assert AuditEntry.objects.filter(action="polyfon.funding.application.submitted").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [application.applicant.email]
    assert application.reference in message.subject
    (filename, content, mimetype), = message.attachments
    assert filename == f"{application.reference}.pdf"
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    with pytest.raises(DomainError, match="locked"):
        services.application_update(application=application, actor=application.applicant, title="Nytt")


def test_incomplete_submission_is_refused_with_every_problem():
    application = make_application(complete=False)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.application_submit(application=application, actor=application.applicant)
    assert len(refused.value.problems) >= 5
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_submission_after_the_deadline_is_refused_by_the_server_clock(travel_to):
    application = make_application()
    travel_to(application.call.deadline + timedelta(seconds=1))
    with pytest.raises(DomainError) as error:
        services.application_submit(application=application, actor=application.applicant)
    assert error.value.code == "deadline"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_submission_one_second_before_the_deadline_is_accepted(travel_to):
    application = make_application()
    travel_to(application.call.deadline - timedelta(seconds=1))
    services.application_submit(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_no_receipt_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    application = make_application()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.application_submit(application=application, actor=application.applicant)
            raise RuntimeError("rollback")
    assert callbacks == []
    assert mail.outbox == []
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


# --- Reopening and withdrawal -------------------------------------------------------------------------------------


def test_coordinator_reopens_one_application_after_the_deadline(coordinator, travel_to, django_capture_on_commit_callbacks):
    application = submitted_application()
    now = travel_to(application.call.deadline + timedelta(days=1))
    with pytest.raises(DomainError):
        services.application_reopen(application=application, actor=coordinator, reason=" ", until=now + timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reopen(
            application=application, actor=coordinator, reason="Feil vedlegg", until=now + timedelta(days=2)
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REOPENED
    entry = AuditEntry.objects.get(action="polyfon.funding.application.reopened")
    assert entry.payload["note"] == "Feil vedlegg" and entry.actor == coordinator
    assert any("Feil vedlegg" in m.body for m in mail.outbox)
    services.application_update(application=application, actor=application.applicant, title="Rettet")
    services.application_submit(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.reopened_until is None


def test_a_reopened_application_cannot_be_submitted_after_its_own_time(coordinator, travel_to):
    application = submitted_application()
    now = travel_to(application.call.deadline + timedelta(days=1))
    services.application_reopen(application=application, actor=coordinator, reason="Feil", until=now + timedelta(hours=1))
    travel_to(now + timedelta(hours=2))
    with pytest.raises(DomainError, match="run out"):
        services.application_submit(application=application, actor=application.applicant)


def test_a_reopening_that_runs_out_sends_the_application_back_to_review(coordinator, travel_to):
    application = submitted_application()
    now = travel_to(application.call.deadline + timedelta(days=1))
    services.application_reopen(application=application, actor=coordinator, reason="Feil", until=now + timedelta(hours=1))
    later = travel_to(now + timedelta(hours=2))
    with pytest.raises(DomainError):  # no more changes after the time set
        services.application_update(application=application, actor=application.applicant, title="For sent")
    # The coordinator can give more time to a reopened application ...
    services.application_reopen(application=application, actor=coordinator, reason="Mer tid", until=later + timedelta(hours=1))
    services.application_update(application=application, actor=application.applicant, title="Rettet i tide")
    # ... and when that too runs out without a new submission, the application goes back to review.
    travel_to(later + timedelta(hours=2))
    assert services.applications_end_reopenings() == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert AuditEntry.objects.filter(action="polyfon.funding.application.reopening_ended").count() == 1
    assert services.applications_end_reopenings() == 0


def test_a_draft_that_missed_the_deadline_can_be_reopened(coordinator, travel_to):
    application = make_application()
    now = travel_to(application.call.deadline + timedelta(hours=1))
    services.application_reopen(application=application, actor=coordinator, reason="Teknisk feil", until=now + timedelta(days=1))
    services.application_submit(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_withdraw_before_the_decision_but_not_after(coordinator):
    application = submitted_application()
    services.application_withdraw(application=application, actor=application.applicant, reason="Fikk andre midler")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    decided = submitted_application()
    services.application_decide(
        application=decided, actor=coordinator, outcome="declined", meeting_reference="SG", decided_on=timezone.localdate()
    )
    with pytest.raises(DomainError):
        services.application_withdraw(application=decided, actor=decided.applicant)


# --- Attachments, team, proposal ------------------------------------------------------------------------------------


def test_only_pdfs_within_the_calls_size_limit_are_attached():
    application = make_application(complete=False)
    with pytest.raises(DomainError, match="PDF"):
        services.application_add_attachment(
            application=application, actor=application.applicant, kind=AttachmentKind.PROJECT_SKETCH,
            uploaded=pdf_file("skisse.pdf", b"MZ\x90 not a pdf"),
        )
    Call.objects.filter(pk=application.call_id).update(attachment_max_mb=1)
    application.refresh_from_db()
    with pytest.raises(DomainError, match="too large"):
        services.application_add_attachment(
            application=application, actor=application.applicant, kind=AttachmentKind.PROJECT_SKETCH,
            uploaded=pdf_file("skisse.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1)),
        )
    assert not application.attachments.exists()


def test_a_new_file_of_the_same_kind_replaces_the_old_and_names_are_random():
    application = make_application(complete=False)
    first = services.application_add_attachment(
        application=application, actor=application.applicant, kind=AttachmentKind.PROJECT_SKETCH, uploaded=pdf_file("Kari Nordmann skisse.pdf")
    )
    assert "Kari" not in first.file.name and first.file.name.endswith(".pdf")
    services.application_add_attachment(
        application=application, actor=application.applicant, kind=AttachmentKind.PROJECT_SKETCH, uploaded=pdf_file("v2.pdf")
    )
    assert list(application.attachments.values_list("original_name", flat=True)) == ["v2.pdf"]


def test_team_members_are_matched_with_the_register_and_the_leader_is_not_listed():
    application = make_application(complete=False)
    known = OrganisationFactory()
    from polyfon.members.tests.factories import PersonFactory

    person = PersonFactory(email="stipendiat@example.no")
    known.people.add(person)
    services.application_set_team(
        application=application,
        actor=application.applicant,
        members=[services.TeamEntry(name="Sindre", role="phd", email="STIPENDIAT@example.no", thesis_title="Kor og demens")],
    )
    assert application.team.get().person == person
    with pytest.raises(DomainError):
        services.application_set_team(
            application=application, actor=application.applicant,
            members=[services.TeamEntry(name="Meg", role="researcher", email=application.leader.email)],
        )


def test_budget_amounts_are_decimal():
    application = make_application(complete=False)
    with pytest.raises(TypeError):
        services.application_set_budget(
            application=application, actor=application.applicant,
            lines=[services.BudgetEntry(category="travel", description="Reise", requested=1000.0)],
        )


def test_proposal_cannot_exceed_the_request(coordinator):
    application = submitted_application(requested=Decimal("80000"))
    with pytest.raises(DomainError):
        services.application_set_proposal(
            application=application, actor=coordinator, outcome=ProposedOutcome.GRANT, amount=Decimal("80000.01")
        )
    services.application_set_proposal(application=application, actor=coordinator, outcome=ProposedOutcome.GRANT, amount=Decimal("60000"))
    application.refresh_from_db()
    assert application.proposed_amount == Decimal("60000")
