"""Decisions and the figures that come from them, rule by rule."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from polyfon.core.errors import DomainError
from polyfon.funding import selectors, services
from polyfon.funding.models import (
    ApplicationStatus,
    Decision,
    Grant,
    GrantStatus,
    Outcome,
    ReportKind,
    ReviewStatus,
)
from polyfon.members.tests.factories import MemberFactory, OrganisationFactory

from .factories import CallFactory, reviewer_for, submitted_application

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def decide(application, actor, outcome=Outcome.GRANTED, amount=Decimal("80000"), **kwargs):
    return services.application_decide(
        application=application,
        actor=actor,
        outcome=outcome,
        amount=amount if outcome == Outcome.GRANTED else None,
        meeting_reference=kwargs.pop("meeting_reference", "Styringsgruppemøte 12. mars, sak 7/26"),
        decided_on=kwargs.pop("decided_on", TODAY()),
        **kwargs,
    )


def test_a_grant_becomes_a_project_with_payment_and_reports(coordinator, django_capture_on_commit_callbacks):
    partner = MemberFactory(name="Partner")
    application = submitted_application(call=CallFactory(progress_report_months=6))
    application.partner_participants.add(partner)
    from polyfon.funding.models import Application

    Application.objects.filter(pk=application.pk).update(start_date=date(2027, 1, 1), end_date=date(2028, 3, 31))
    from polyfon.funding.models import TeamMember, TeamRole

    TeamMember.objects.create(application=application, name="Mia Master", email="mia@student.uib.no", organisation="UiB",
                              role=TeamRole.MASTER, thesis_title="Musikk og demens")
    TeamMember.objects.create(application=application, name="Per Forsker", email="per@uib.no", role=TeamRole.RESEARCHER)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(application, coordinator)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    assert decision.meeting_reference.startswith("Styringsgruppemøte")
    grant = Grant.objects.get(application=application)
    assert grant.amount == Decimal("80000")
    assert grant.budget_total == Decimal("100000")  # granted + own contribution 20 000
    assert set(grant.participants.all()) == {application.lead_participant, partner}
    assert grant.leader == application.leader
    assert [(p.amount, p.paid_on) for p in grant.payments.all()] == [(Decimal("80000"), None)]
    # The master's student of the team is the project's student; the researcher is not.
    assert [(s.person.email, s.level, s.thesis_title, s.institution) for s in grant.students.all()] == [
        ("mia@student.uib.no", TeamRole.MASTER, "Musikk og demens", "UiB")
    ]
    assert [(r.kind, r.due_on) for r in grant.reports.order_by("due_on")] == [
        (ReportKind.PROGRESS, date(2027, 7, 1)),
        (ReportKind.PROGRESS, date(2028, 1, 1)),
        (ReportKind.FINAL, date(2028, 6, 30)),
    ]
    assert [m.to for m in mail.outbox] == [[application.applicant.email]]
    assert "80" in mail.outbox[0].body


def test_declined_applicants_get_the_reviewers_comments_only_if_the_call_says_so(coordinator, django_capture_on_commit_callbacks):
    def reviewed(share: bool):
        application = submitted_application(call=CallFactory(share_reviews_with_declined=share))
        person = reviewer_for(application.call, organisation=OrganisationFactory())
        review = services.review_assign(application=application, person=person, actor=coordinator)
        services.review_declare(review=review, actor=person.user, has_conflict=False)
        services.review_save(
            review=review, actor=person.user, scores={c.pk: 3 for c in application.call.criteria.all()},
            comment="Metoden er for svakt beskrevet.", confidential_comment="Hemmelig vurdering.",
        )
        services.review_submit(review=review, actor=person.user)
        return application

    shared, private = reviewed(True), reviewed(False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(shared, coordinator, Outcome.DECLINED)
        decide(private, coordinator, Outcome.DECLINED)
    shared_mail, private_mail = mail.outbox
    assert "Metoden er for svakt beskrevet." in shared_mail.body
    assert "Hemmelig" not in shared_mail.body
    assert "Metoden" not in private_mail.body
    assert not Grant.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [(Decimal("100000.01"), "applied for"), (Decimal("0"), "amount")],
)
def test_granted_amount_is_positive_and_not_more_than_requested(coordinator, amount, message):
    application = submitted_application()
    with pytest.raises(DomainError, match=message):
        decide(application, coordinator, amount=amount)


def test_grants_cannot_exceed_the_calls_budget(coordinator):
    call = CallFactory(total_budget=Decimal("150000"))
    first = submitted_application(call=call)
    second = submitted_application(call=call)
    decide(first, coordinator, amount=Decimal("100000"))
    with pytest.raises(DomainError, match="budget"):
        decide(second, coordinator, amount=Decimal("50000.01"))
    decide(second, coordinator, amount=Decimal("50000"))


def test_decision_needs_the_meeting_and_a_date_not_in_the_future(coordinator):
    application = submitted_application()
    with pytest.raises(DomainError):
        decide(application, coordinator, meeting_reference=" ")
    with pytest.raises(DomainError):
        decide(application, coordinator, decided_on=TODAY() + timedelta(days=1))
    assert not Decision.objects.exists()


def test_an_application_is_decided_once(coordinator):
    application = submitted_application()
    decide(application, coordinator)
    with pytest.raises(DomainError):
        decide(application, coordinator, Outcome.DECLINED)


def test_a_meetings_decisions_are_recorded_all_or_none(coordinator):
    call = CallFactory(total_budget=Decimal("150000"))
    first, second = submitted_application(call=call), submitted_application(call=call)
    entries = [
        services.DecisionEntry(application=first, outcome=Outcome.GRANTED, amount=Decimal("100000")),
        services.DecisionEntry(application=second, outcome=Outcome.GRANTED, amount=Decimal("100000")),
    ]
    with pytest.raises(DomainError):
        services.call_record_decisions(call=call, actor=coordinator, meeting_reference="SG", decided_on=TODAY(), entries=entries)
    assert not Decision.objects.exists()
    first.refresh_from_db()
    assert first.status == ApplicationStatus.SUBMITTED
    entries[1] = services.DecisionEntry(application=second, outcome=Outcome.DECLINED)
    decisions = services.call_record_decisions(call=call, actor=coordinator, meeting_reference="SG", decided_on=TODAY(), entries=entries)
    assert [d.outcome for d in decisions] == [Outcome.GRANTED, Outcome.DECLINED]


def test_granted_total_is_the_sum_of_the_years_grants(coordinator):
    assert selectors.granted_total(year=2026) == Decimal("0")
    assert isinstance(selectors.granted_total(year=2026), Decimal)
    call = CallFactory()
    a, b, c = (submitted_application(call=call) for _ in range(3))
    decide(a, coordinator, amount=Decimal("50000.50"), decided_on=date(2026, 3, 12))
    decide(b, coordinator, amount=Decimal("30000"), decided_on=date(2026, 11, 1))
    decide(c, coordinator, amount=Decimal("40000"), decided_on=date(2025, 12, 31))
    assert selectors.granted_total(year=2026) == Decimal("80000.50")
    assert selectors.granted_total(year=2025) == Decimal("40000")
    services.grant_cancel(grant=b.grant, actor=coordinator, reason="Prosjektet ble ikke gjennomført")
    assert selectors.granted_total(year=2026) == Decimal("50000.50")


def test_ranking_orders_by_mean_weighted_score_and_funds_from_the_top(coordinator, django_assert_max_num_queries):
    call = CallFactory(total_budget=Decimal("250000"))
    apps = [submitted_application(call=call, requested=Decimal("100000")) for _ in range(4)]
    reviewers = [reviewer_for(call, organisation=OrganisationFactory()) for _ in range(2)]
    quality, usefulness = call.criteria.all()
    for application, (q, u) in zip(apps[:3], [(3, 3), (7, 6), (5, 5)], strict=True):
        for person in reviewers:
            review = services.review_assign(application=application, person=person, actor=coordinator)
            services.review_declare(review=review, actor=person.user, has_conflict=False)
            services.review_save(review=review, actor=person.user, scores={quality.pk: q, usefulness.pk: u}, comment="ok")
            services.review_submit(review=review, actor=person.user)
    with django_assert_max_num_queries(4):
        result = selectors.ranking(call)
    assert [r.application.pk for r in result.rows] == [apps[1].pk, apps[2].pk, apps[0].pk, apps[3].pk]
    assert [r.application.mean_score for r in result.rows] == [Decimal("6.67"), Decimal("5.00"), Decimal("3.00"), None]
    assert result.rows[0].criterion_means == [Decimal("7.00"), Decimal("6.00")]
    assert [r.within_budget for r in result.rows] == [True, True, False, False]
    assert result.funded_top_down == Decimal("200000") and result.funded_count == 2
    assert result.unscored == 1


def test_the_scores_of_an_application_side_by_side(coordinator, client):
    """Per criterion: each reviewer's score and the mean; per review: the weighted score; and
    the application's mean. The office page shows the same table."""
    call = CallFactory()
    application = submitted_application(call=call)
    quality, usefulness = call.criteria.all()  # weights 2 and 1
    for person, (q, u) in zip([reviewer_for(call, organisation=OrganisationFactory()) for _ in range(2)], [(6, 3), (5, 4)],
                              strict=True):
        review = services.review_assign(application=application, person=person, actor=coordinator)
        services.review_declare(review=review, actor=person.user, has_conflict=False)
        services.review_save(review=review, actor=person.user, scores={quality.pk: q, usefulness.pk: u}, comment="ok")
        services.review_submit(review=review, actor=person.user)
    matrix = selectors.score_matrix(application)
    assert [(criterion, scores, mean) for criterion, scores, mean in matrix.rows] == [
        (quality, [6, 5], Decimal("5.50")),
        (usefulness, [3, 4], Decimal("3.50")),
    ]
    assert matrix.weighted == [Decimal("5.00"), Decimal("4.67")]  # (2×6 + 3) / 3 and (2×5 + 4) / 3
    assert matrix.mean == Decimal("4.84")
    client.force_login(coordinator)
    html = client.get(application.get_absolute_url()).content.decode()
    assert "5,50" in html and "3,50" in html and "4,84" in html


def test_call_totals_per_work_area_and_kind(coordinator):
    call = CallFactory()
    granted, declined = submitted_application(call=call), submitted_application(call=call)
    submitted_application(call=call)
    from .factories import make_application

    make_application(call=call)  # a draft does not count
    decide(granted, coordinator, amount=Decimal("70000"))
    decide(declined, coordinator, Outcome.DECLINED)
    totals = selectors.call_totals(call)
    assert (totals.all.applications, totals.all.requested, totals.all.granted, totals.all.granted_count) == (
        3, Decimal("300000"), Decimal("70000"), 1,
    )
    assert totals.drafts == 1 and totals.undecided == 1 and totals.declined == 1
    assert sum(r.applications for r in totals.by_work_area) == 3
    (single,) = totals.by_participant_kind
    assert single.granted == Decimal("70000")
    (municipalities,) = totals.by_organisation_kind
    assert municipalities.applications == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_once_cannot_both_spend_the_last_of_the_budget():
    from polyfon.members.tests.factories import UserFactory

    coordinator = UserFactory(is_coordinator=True)
    call = CallFactory(total_budget=Decimal("150000"))
    first, second = submitted_application(call=call), submitted_application(call=call)
    barrier = threading.Barrier(2)
    results = []

    def run(application):
        from django.db import connections

        barrier.wait()
        try:
            decide(application, coordinator, amount=Decimal("100000"))
            results.append("ok")
        except DomainError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert Grant.objects.filter(status=GrantStatus.ACTIVE).count() == 1


def test_reviews_do_not_change_after_the_decision(coordinator):
    application = submitted_application()
    person = reviewer_for(application.call, organisation=OrganisationFactory())
    review = services.review_assign(application=application, person=person, actor=coordinator)
    services.review_declare(review=review, actor=person.user, has_conflict=False)
    decide(application, coordinator, Outcome.DECLINED)
    review.refresh_from_db()
    assert review.status == ReviewStatus.ACCEPTED
    with pytest.raises(DomainError):
        services.review_submit(review=review, actor=person.user)
