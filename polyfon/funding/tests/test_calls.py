"""Calls, rule by rule: times and budget, criteria, reviewers, publishing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from polyfon.core.errors import DomainError
from polyfon.funding import services
from polyfon.funding.models import CallKind, ReviewTrack
from polyfon.members.tests.factories import OrganisationFactory, PersonFactory

from .factories import CallFactory, reviewer_for, submitted_application

pytestmark = pytest.mark.django_db


def values(**overrides):
    now = timezone.now()
    base = {
        "code": "SK-2030",
        "slug": "sakornmidler-2030",
        "kind": "seed",
        "title": "Såkornmidler 2030",
        "text": "Tekst",
        "opens_at": now,
        "deadline": now + timedelta(days=30),
        "total_budget": Decimal("500000"),
        "max_per_application": Decimal("100000"),
    }
    return {**base, **overrides}


def test_call_is_created_with_its_criteria(coordinator):
    call = services.call_create(
        actor=coordinator, criteria=[services.CriterionEntry("Kvalitet", 2), services.CriterionEntry("Relevans", 1)], **values()
    )
    assert [(c.name, c.weight) for c in call.criteria.all()] == [("Kvalitet", 2), ("Relevans", 1)]


@pytest.mark.parametrize(
    "overrides",
    [
        {"deadline": timezone.now() - timedelta(days=1)},
        {"max_per_application": Decimal("500000.01")},
        {"required_attachments": ["spaceship"]},
    ],
    ids=["deadline-before-opening", "max-above-budget", "unknown-attachment"],
)
def test_call_values_are_checked(coordinator, overrides):
    with pytest.raises(DomainError):
        services.call_create(actor=coordinator, **values(**overrides))


def test_dissemination_support_owes_a_spending_report_unless_told_when(coordinator):
    call = services.call_create(actor=coordinator, **values(kind=CallKind.DISSEMINATION, code="FORM-1", slug="formidling-1"))
    assert call.spending_report_months == 1
    later = services.call_create(actor=coordinator, **values(kind=CallKind.DISSEMINATION, code="FORM-2", slug="formidling-2", spending_report_months=2))
    assert later.spending_report_months == 2
    research = services.call_create(actor=coordinator, **values(code="FORSK-1", slug="forskning-1"))
    assert research.spending_report_months is None


def test_codes_are_unique(coordinator):
    services.call_create(actor=coordinator, **values())
    with pytest.raises(DomainError) as error:
        services.call_create(actor=coordinator, **values(slug="annen"))
    assert error.value.field == "code"


def test_publishing_needs_criteria_and_unpublishing_needs_no_applicants(coordinator):
    call = services.call_create(actor=coordinator, **values())
    with pytest.raises(DomainError):
        services.call_publish(call=call, actor=coordinator)
    services.call_set_criteria(call=call, actor=coordinator, criteria=[services.CriterionEntry("Kvalitet")])
    call = services.call_publish(call=call, actor=coordinator)
    assert call.is_published and call.phase == "open"
    submitted_application(call=call)
    with pytest.raises(DomainError):
        services.call_unpublish(call=call, actor=coordinator)


def test_criteria_and_scale_are_fixed_once_reviews_are_in(coordinator):
    application = submitted_application()
    call = application.call
    person = reviewer_for(call, organisation=OrganisationFactory())
    review = services.review_assign(application=application, person=person, actor=coordinator)
    services.review_declare(review=review, actor=person.user, has_conflict=False)
    services.review_save(review=review, actor=person.user, scores={c.pk: 4 for c in call.criteria.all()}, comment="ok")
    services.call_set_criteria(call=call, actor=coordinator, criteria=[services.CriterionEntry("Ny")])  # still allowed
    services.review_save(review=review, actor=person.user, scores={c.pk: 4 for c in call.criteria.all()}, comment="ok")
    services.review_submit(review=review, actor=person.user)
    with pytest.raises(DomainError):
        services.call_set_criteria(call=call, actor=coordinator, criteria=[services.CriterionEntry("Annen")])
    with pytest.raises(DomainError):
        services.call_update(call=call, actor=coordinator, score_max=5)
    services.call_update(call=call, actor=coordinator, title="Nytt navn")  # other fields may change


def test_a_secretariat_call_takes_only_coordinators_as_reviewers(coordinator):
    call = CallFactory(review_track=ReviewTrack.SECRETARIAT)
    outsider = reviewer_for(CallFactory(), organisation=OrganisationFactory())
    with pytest.raises(DomainError, match="secretariat"):
        services.call_add_reviewer(call=call, person=outsider, actor=coordinator)
    secretary = PersonFactory(email=coordinator.email, user=coordinator)
    services.call_add_reviewer(call=call, person=secretary, actor=coordinator)
    assert list(call.reviewers.all()) == [secretary]


def test_reviewers_need_a_login_and_are_added_once(coordinator):
    call = CallFactory()
    with pytest.raises(DomainError):
        services.call_add_reviewer(call=call, person=PersonFactory(), actor=coordinator)
    person = reviewer_for(CallFactory(), organisation=OrganisationFactory())
    services.call_add_reviewer(call=call, person=person, actor=coordinator)
    with pytest.raises(DomainError):
        services.call_add_reviewer(call=call, person=person, actor=coordinator)


def test_a_reviewer_with_unfinished_reviews_stays_in_the_pool(coordinator):
    application = submitted_application()
    person = reviewer_for(application.call, organisation=OrganisationFactory())
    services.review_assign(application=application, person=person, actor=coordinator)
    with pytest.raises(DomainError):
        services.call_remove_reviewer(call=application.call, person=person, actor=coordinator)
