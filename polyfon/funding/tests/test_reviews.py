"""Review, rule by rule: conflicts of interest refused with reasons, declarations, scores."""

from decimal import Decimal

import pytest
from django.core import mail

from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.funding import permissions, services
from polyfon.funding.models import ApplicationStatus, ReviewStatus
from polyfon.funding.services.reviews import weighted_score
from polyfon.members.models import Affiliation
from polyfon.members.tests.factories import MemberFactory, OrganisationFactory, PersonFactory

from .factories import CallFactory, reviewer_for, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return submitted_application(call=CallFactory())


def test_assigning_a_neutral_reviewer_tells_them(application, coordinator, django_capture_on_commit_callbacks):
    person = reviewer_for(application.call, organisation=OrganisationFactory())
    with django_capture_on_commit_callbacks(execute=True):
        review = services.review_assign(application=application, person=person, actor=coordinator)
    assert review.status == ReviewStatus.ASSIGNED
    assert [m.to for m in mail.outbox] == [[person.user.email]]
    assert AuditEntry.objects.filter(action="polyfon.funding.application.reviewer_assigned").exists()


def test_a_reviewer_from_the_lead_participants_organisation_is_refused_with_the_reason(application, coordinator):
    organisation = application.lead_participant.organisations.get()
    person = reviewer_for(application.call, organisation=organisation, name="Kollega")
    with pytest.raises(DomainError) as error:
        services.review_assign(application=application, person=person, actor=coordinator)
    assert error.value.code == "conflict"
    assert organisation.name in error.value.message
    assert "lead participant" in error.value.message
    assert not application.reviews.exists()


def test_a_reviewer_from_a_partner_participant_is_refused(application, coordinator):
    partner = MemberFactory(name="Partnerkommunen")
    application.partner_participants.add(partner)
    person = reviewer_for(application.call, organisation=partner.organisations.get())
    reasons = services.conflict_reasons(person=person, application=application)
    assert any("partner participant Partnerkommunen" in r for r in reasons)
    with pytest.raises(DomainError):
        services.review_assign(application=application, person=person, actor=coordinator)


def test_people_named_in_the_application_are_refused(application, coordinator):
    # The project leader (also the applicant).
    leader = application.leader
    application.call.reviewers.add(leader)
    reasons = services.conflict_reasons(person=leader, application=application)
    assert "named as the project leader" in reasons and "the applicant" in reasons
    # A team member, matched on e-mail even without a person link.
    member = reviewer_for(application.call, organisation=OrganisationFactory(), email="team@example.no")
    application.team.create(name="T", email="TEAM@example.no", role="supervisor")
    assert any("project team" in r for r in services.conflict_reasons(person=member, application=application))
    # The contact person of an external partner, and anyone affiliated with it.
    contact = reviewer_for(application.call, organisation=OrganisationFactory(), email="ekstern@example.no")
    outside = OrganisationFactory(name="Utenlandsk universitet")
    colleague = reviewer_for(application.call, organisation=outside)
    application.external_partners.create(organisation_name=outside.name, org_number=outside.org_number, contact_email="ekstern@example.no")
    assert any("external partner" in r for r in services.conflict_reasons(person=contact, application=application))
    assert any("an external partner" in r for r in services.conflict_reasons(person=colleague, application=application))
    for person in [leader, member, contact, colleague]:
        with pytest.raises(DomainError):
            services.review_assign(application=application, person=person, actor=coordinator)


def test_conflict_check_costs_the_same_for_many_candidates(application, django_assert_max_num_queries):
    candidates = [reviewer_for(application.call, organisation=OrganisationFactory()) for _ in range(3)]
    with django_assert_max_num_queries(5):
        services.conflicts_for_candidates(application, candidates)
    candidates += [reviewer_for(application.call, organisation=OrganisationFactory()) for _ in range(20)]
    with django_assert_max_num_queries(5):
        services.conflicts_for_candidates(application, candidates)


def test_only_the_calls_reviewers_with_a_login_can_be_assigned(application, coordinator):
    outsider = PersonFactory()
    Affiliation.objects.create(person=outsider, organisation=OrganisationFactory())
    with pytest.raises(DomainError, match="login"):
        services.review_assign(application=application, person=outsider, actor=coordinator)
    stranger = reviewer_for(CallFactory(), organisation=OrganisationFactory())
    with pytest.raises(DomainError):
        services.review_assign(application=application, person=stranger, actor=coordinator)


def test_reviewers_are_assigned_to_submitted_applications_once(coordinator):
    from .factories import make_application

    draft = make_application()
    person = reviewer_for(draft.call, organisation=OrganisationFactory())
    with pytest.raises(DomainError):
        services.review_assign(application=draft, person=person, actor=coordinator)
    services.application_submit(application=draft, actor=draft.applicant)
    services.review_assign(application=draft, person=person, actor=coordinator)
    with pytest.raises(DomainError):
        services.review_assign(application=draft, person=person, actor=coordinator)


def test_a_declared_conflict_removes_the_reviewer_and_tells_the_coordinator(
    application, coordinator, django_capture_on_commit_callbacks
):
    person = reviewer_for(application.call, organisation=OrganisationFactory())
    review = services.review_assign(application=application, person=person, actor=coordinator)
    user = person.user
    assert not permissions.can_view_application(user, application)
    with pytest.raises(DomainError):
        services.review_declare(review=review, actor=user, has_conflict=True, note=" ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_declare(review=review, actor=user, has_conflict=True, note="Søsteren min er prosjektleder.")
    review.refresh_from_db()
    assert review.status == ReviewStatus.CONFLICT
    assert coordinator.email in [m.to[0] for m in mail.outbox]
    application.refresh_from_db()
    assert not permissions.can_view_application(user, application)
    with pytest.raises(DomainError):
        services.review_save(review=review, actor=user, scores={}, comment="x")


def test_declaring_no_conflict_opens_the_application(application, coordinator):
    person = reviewer_for(application.call, organisation=OrganisationFactory())
    review = services.review_assign(application=application, person=person, actor=coordinator)
    services.review_declare(review=review, actor=person.user, has_conflict=False)
    assert permissions.can_view_application(person.user, application)


def _accepted_review(application, coordinator):
    person = reviewer_for(application.call, organisation=OrganisationFactory())
    review = services.review_assign(application=application, person=person, actor=coordinator)
    return services.review_declare(review=review, actor=person.user, has_conflict=False)


def test_scores_stay_within_the_calls_scale(application, coordinator):
    review = _accepted_review(application, coordinator)
    quality = application.call.criteria.get(name="Faglig kvalitet")
    with pytest.raises(DomainError):
        services.review_save(review=review, actor=review.reviewer.user, scores={quality.pk: 8})
    with pytest.raises(DomainError):
        services.review_save(review=review, actor=review.reviewer.user, scores={CallFactory().criteria.first().pk: 3})


def test_submitting_needs_every_score_and_a_comment_and_computes_the_weighted_score(application, coordinator):
    review = _accepted_review(application, coordinator)
    quality = application.call.criteria.get(name="Faglig kvalitet")  # weight 2
    usefulness = application.call.criteria.get(name="Nytte for tjenestene")  # weight 1
    user = review.reviewer.user
    services.review_save(review=review, actor=user, scores={quality.pk: 6})
    with pytest.raises(DomainError, match="every criterion"):
        services.review_submit(review=review, actor=user)
    services.review_save(review=review, actor=user, scores={quality.pk: 6, usefulness.pk: 3})
    with pytest.raises(DomainError):
        services.review_submit(review=review, actor=user)
    services.review_save(review=review, actor=user, scores={quality.pk: 6, usefulness.pk: 3}, comment="Solid.")
    review = services.review_submit(review=review, actor=user)
    assert review.status == ReviewStatus.SUBMITTED
    assert review.weighted_score == Decimal("5.00")  # (2×6 + 1×3) / 3
    with pytest.raises(DomainError):
        services.review_save(review=review, actor=user, scores={quality.pk: 1})


def test_weighted_score_rounds_half_up():
    assert weighted_score({1: 5, 2: 6}, {1: 1, 2: 2}) == Decimal("5.67")


def test_returned_review_can_be_changed_and_submitted_again(application, coordinator, django_capture_on_commit_callbacks):
    review = _accepted_review(application, coordinator)
    user = review.reviewer.user
    scores = {c.pk: 4 for c in application.call.criteria.all()}
    services.review_save(review=review, actor=user, scores=scores, comment="OK")
    services.review_submit(review=review, actor=user)
    with django_capture_on_commit_callbacks(execute=True):
        review = services.review_return(review=review, actor=coordinator, note="Utdyp kommentaren.")
    assert review.status == ReviewStatus.ACCEPTED and review.weighted_score is None
    assert any("Utdyp" in m.body for m in mail.outbox)


def test_no_reviewing_once_the_application_is_withdrawn(application, coordinator):
    review = _accepted_review(application, coordinator)
    services.application_withdraw(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(DomainError):
        services.review_save(review=review, actor=review.reviewer.user, scores={}, comment="x")


def test_a_submitted_review_cannot_be_removed(application, coordinator):
    review = _accepted_review(application, coordinator)
    services.review_save(review=review, actor=review.reviewer.user, scores={c.pk: 4 for c in application.call.criteria.all()}, comment="OK")
    services.review_submit(review=review, actor=review.reviewer.user)
    with pytest.raises(DomainError):
        services.review_unassign(review=review, actor=coordinator)


def test_reviewers_are_reminded_once_before_the_due_date(application, coordinator, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    application.call.review_due_on = today + timedelta(days=2)
    application.call.save()
    _accepted_review(application, coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_send_reminders(today=today) == 1
        assert services.review_send_reminders(today=today) == 0
    assert len(mail.outbox) == 1
