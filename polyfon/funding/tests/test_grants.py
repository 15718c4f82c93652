"""Projects after the grant, rule by rule: reports and reminders, payments, students, outputs."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from polyfon.core.errors import DomainError
from polyfon.funding import selectors, services
from polyfon.funding.models import (
    CallKind,
    FundingStatus,
    Grant,
    GrantStatus,
    OutputKind,
    ReportKind,
    ReportStatus,
)
from polyfon.funding.services.grants import planned_reports
from polyfon.members.models import Person

from .factories import CallFactory, pdf_file, submitted_application

pytestmark = pytest.mark.django_db


def granted(coordinator, *, call=None, amount=Decimal("80000"), start=None, end=None) -> Grant:
    application = submitted_application(call=call or CallFactory())
    if start:
        from polyfon.funding.models import Application

        Application.objects.filter(pk=application.pk).update(start_date=start, end_date=end)
    services.application_decide(
        application=application, actor=coordinator, outcome="granted", amount=amount,
        meeting_reference="SG 3/26", decided_on=timezone.localdate(),
    )
    return Grant.objects.select_related("application__call", "leader").get(application=application)


def test_dissemination_support_owes_a_spending_report_within_a_month(coordinator):
    call = CallFactory(kind=CallKind.DISSEMINATION, final_report_months=None, spending_report_months=1)
    grant = granted(coordinator, call=call, start=date(2027, 3, 1), end=date(2027, 5, 31))
    assert [(r.kind, r.due_on) for r in grant.reports.all()] == [(ReportKind.SPENDING, date(2027, 6, 30))]
    # The approved spending report is all it owes: the project is then completed.
    spending = grant.reports.get()
    services.report_submit(report=spending, actor=grant.application.applicant, summary="Seminaret ble holdt.",
                           use_of_funds="Leie av lokale", spent_amount=Decimal("20000"))
    services.report_approve(report=spending, actor=coordinator)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.COMPLETED


def test_progress_reports_every_period_before_the_end_then_the_final(coordinator):
    call = CallFactory(progress_report_months=12, final_report_months=3)
    grant = granted(coordinator, call=call, start=date(2027, 1, 1), end=date(2028, 12, 31))
    assert planned_reports(grant) == [
        (ReportKind.PROGRESS, date(2028, 1, 1)),
        (ReportKind.FINAL, date(2029, 3, 31)),
    ]


def test_a_new_period_moves_the_reports_not_yet_sent(coordinator):
    call = CallFactory(progress_report_months=6, final_report_months=3)
    grant = granted(coordinator, call=call, start=date(2027, 1, 1), end=date(2027, 12, 31))
    first = grant.reports.get(kind=ReportKind.PROGRESS, due_on=date(2027, 7, 1))
    services.report_submit(report=first, actor=grant.application.applicant, summary="Godt i gang.")
    services.grant_update(grant=grant, actor=coordinator, end_date=date(2028, 6, 30))
    assert sorted((r.kind, r.due_on, r.status) for r in grant.reports.all()) == [
        (ReportKind.FINAL, date(2028, 9, 30), ReportStatus.DUE),
        (ReportKind.PROGRESS, date(2027, 7, 1), ReportStatus.SUBMITTED),
        (ReportKind.PROGRESS, date(2028, 1, 1), ReportStatus.DUE),
    ]
    with pytest.raises(DomainError):
        services.grant_update(grant=grant, actor=coordinator, budget_total=Decimal("1"))


def test_payments_add_up_to_at_most_the_grant(coordinator):
    grant = granted(coordinator)  # one payment of 80 000 planned already
    with pytest.raises(DomainError):
        services.grant_plan_payment(grant=grant, actor=coordinator, due_on=date(2027, 6, 1), amount=Decimal("0.01"))
    payment = grant.payments.get()
    services.grant_remove_payment(payment=payment, actor=coordinator)
    first = services.grant_plan_payment(grant=grant, actor=coordinator, due_on=date(2027, 1, 15), amount=Decimal("40000"))
    services.grant_plan_payment(grant=grant, actor=coordinator, due_on=date(2027, 9, 15), amount=Decimal("40000"))
    services.grant_register_payment(payment=first, actor=coordinator, paid_on=timezone.localdate(), reference="Bilag 2027-114")
    with pytest.raises(DomainError):
        services.grant_register_payment(payment=first, actor=coordinator, paid_on=timezone.localdate())
    with pytest.raises(DomainError):
        services.grant_remove_payment(payment=first, actor=coordinator)
    assert selectors.grant_detail(pk=grant.pk).paid == Decimal("40000")


def test_final_and_spending_reports_account_for_the_money(coordinator):
    grant = granted(coordinator)
    final = grant.reports.get(kind=ReportKind.FINAL)
    leader = grant.application.applicant
    with pytest.raises(DomainError):
        services.report_submit(report=final, actor=leader, summary="Ferdig.")
    with pytest.raises(DomainError):
        services.report_submit(report=final, actor=leader, summary="Ferdig.", use_of_funds="Lønn", spent_amount=Decimal("80000.01"))
    with pytest.raises(DomainError, match="PDF"):
        services.report_submit(
            report=final, actor=leader, summary="Ferdig.", use_of_funds="Lønn", spent_amount=Decimal("79000"),
            uploaded=pdf_file("regnskap.pdf", b"not a pdf"),
        )
    report = services.report_submit(
        report=final, actor=leader, summary="Ferdig.", use_of_funds="Lønn", spent_amount=Decimal("79000"),
        uploaded=pdf_file("regnskap.pdf"),
    )
    assert report.status == ReportStatus.SUBMITTED and "regnskap" not in report.file.name


def test_returned_report_is_submitted_again_and_approval_completes_the_project(coordinator, django_capture_on_commit_callbacks):
    grant = granted(coordinator)
    final = grant.reports.get(kind=ReportKind.FINAL)
    leader = grant.application.applicant
    services.report_submit(report=final, actor=leader, summary="Ferdig.", use_of_funds="Lønn", spent_amount=Decimal("80000"))
    with pytest.raises(DomainError):
        services.report_return(report=final, actor=coordinator, note="")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=final, actor=coordinator, note="Legg ved regnskapet.")
    assert any("Legg ved regnskapet." in m.body for m in mail.outbox)
    services.report_submit(report=final, actor=leader, summary="Ferdig.", use_of_funds="Lønn", spent_amount=Decimal("80000"))
    services.report_approve(report=final, actor=coordinator)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.COMPLETED


def test_leaders_are_reminded_before_the_due_date_and_told_when_overdue(coordinator, django_capture_on_commit_callbacks):
    grant = granted(coordinator)
    report = grant.reports.get(kind=ReportKind.FINAL)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_send_reminders(today=report.due_on - timedelta(days=15)) == 0
        assert services.report_send_reminders(today=report.due_on - timedelta(days=14)) == 1
        assert services.report_send_reminders(today=report.due_on - timedelta(days=3)) == 0
        assert services.report_send_reminders(today=report.due_on + timedelta(days=1)) == 1
        assert services.report_send_reminders(today=report.due_on + timedelta(days=8)) == 0
    assert len(mail.outbox) == 2
    report.refresh_from_db()
    assert report.reminder_sent_on and report.overdue_notice_sent_on


def test_no_reminders_for_submitted_reports_or_cancelled_projects(coordinator):
    grant = granted(coordinator)
    report = grant.reports.get(kind=ReportKind.FINAL)
    services.report_submit(report=report, actor=grant.application.applicant, summary="x", use_of_funds="y", spent_amount=Decimal("1"))
    assert services.report_send_reminders(today=report.due_on + timedelta(days=1)) == 0
    other = granted(coordinator)
    services.grant_cancel(grant=other, actor=coordinator, reason="Avlyst")
    assert not other.reports.exists() and not other.payments.exists()


def test_funding_outputs_name_the_funder_and_the_amount_won(coordinator):
    grant = granted(coordinator)
    with pytest.raises(DomainError):
        services.grant_add_output(grant=grant, actor=coordinator, kind=OutputKind.FUNDING, title="NFR", occurred_on=date(2027, 2, 1))
    with pytest.raises(DomainError):
        services.grant_add_output(
            grant=grant, actor=coordinator, kind=OutputKind.FUNDING, title="NFR", occurred_on=date(2027, 2, 1),
            funder="Forskningsrådet", funding_status=FundingStatus.WON,
        )
    services.grant_add_output(
        grant=grant, actor=coordinator, kind=OutputKind.FUNDING, title="Musikkterapi i kommunene", occurred_on=date(2027, 2, 1),
        funder="Forskningsrådet", funding_status=FundingStatus.WON, amount_applied=Decimal("12000000"), amount_won=Decimal("11500000"),
    )
    summary = selectors.follow_up_funding()
    assert summary["won"] == 1 and summary["amount_won"] == Decimal("11500000") and summary["grants_with_win"] == 1


def test_publications_have_a_valid_doi(coordinator):
    grant = granted(coordinator)
    with pytest.raises(DomainError, match="DOI"):
        services.grant_add_output(grant=grant, actor=coordinator, kind=OutputKind.PUBLICATION, title="Artikkel", occurred_on=date(2027, 5, 1), doi="not-a-doi")
    output = services.grant_add_output(
        grant=grant, actor=coordinator, kind=OutputKind.PUBLICATION, title="Artikkel", occurred_on=date(2027, 5, 1),
        doi="https://doi.org/10.1080/08098131.2021.1234567", funder="ignored",
    )
    assert output.doi == "10.1080/08098131.2021.1234567" and output.funder == ""


def test_students_are_registered_in_the_register(coordinator):
    grant = granted(coordinator)
    student = services.grant_add_student(
        grant=grant, actor=coordinator, level="phd", name="Sindre Stipendiat", email="sindre@example.no", thesis_title="Kor og demens"
    )
    assert Person.objects.get(email="sindre@example.no").student_level == "phd"
    assert student.person.name == "Sindre Stipendiat"
    with pytest.raises(DomainError):
        services.grant_add_student(grant=grant, actor=coordinator, level="phd", person=student.person)
    assert list(selectors.students_during(grant.start_date, grant.end_date)) == [student]
