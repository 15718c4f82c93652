"""Reporting rounds and the participants' reports, service by service, rule by rule."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction

from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.members.models import ContactRole, ParticipantStatus
from polyfon.members.tests.factories import ParticipantContactFactory, PersonFactory
from polyfon.reporting import selectors, services
from polyfon.reporting.breakdowns import Lookups
from polyfon.reporting.models import (
    Indicator,
    ParticipantReport,
    ReportCorrection,
    RoundReminder,
    RoundStatus,
    Source,
    SubmissionStatus,
)

from .factories import areas, contact_for, full_answers, indicator, member, open_round

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def today(travel_to):
    travel_to(date(2026, 1, 10))
    return date(2026, 1, 10)


# --- The round ------------------------------------------------------------------------------------------------


def test_a_new_round_asks_for_the_active_reported_indicators(coordinator):
    Indicator.objects.filter(code="local_projects").update(is_active=False)
    reporting_round = services.round_create(actor=coordinator, year=2025, deadline=date(2026, 2, 1))
    codes = set(reporting_round.indicators.values_list("code", flat=True))
    assert codes == set(Indicator.objects.filter(source=Source.REPORTED, is_active=True).values_list("code", flat=True))
    assert "local_projects" not in codes
    assert reporting_round.status == RoundStatus.DRAFT
    assert AuditEntry.objects.filter(action="polyfon.reporting.round.created").exists()


def test_one_round_per_year(coordinator):
    services.round_create(actor=coordinator, year=2025, deadline=date(2026, 2, 1))
    with pytest.raises(DomainError):
        services.round_create(actor=coordinator, year=2025, deadline=date(2026, 3, 1))


def test_only_reported_indicators_can_be_asked_for(coordinator):
    with pytest.raises(DomainError):
        services.round_create(actor=coordinator, year=2025, deadline=date(2026, 2, 1), indicators=[indicator("participants")])


def test_opening_invites_the_main_contact_of_every_member_of_the_year(coordinator, today, django_capture_on_commit_callbacks):
    bergen = member("Bergen kommune")
    nynorsk = member("Masfjorden kommune")
    main = bergen.contacts.get(role=ContactRole.MAIN).person
    nn_main = nynorsk.contacts.get(role=ContactRole.MAIN).person
    nn_main.language = "nn"
    nn_main.save()
    ParticipantContactFactory(participant=bergen, person=PersonFactory(email="annen@example.no"), role=ContactRole.CONTACT)
    member("Tidligere", start=date(2019, 1, 1), end=date(2023, 12, 31))
    reporting_round = services.round_create(actor=coordinator, year=2025, deadline=date(2026, 2, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(reporting_round=reporting_round, actor=coordinator)
    reporting_round.refresh_from_db()
    assert reporting_round.status == RoundStatus.OPEN and reporting_round.opened_at
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([main.email, nn_main.email])
    invitation = next(m for m in mail.outbox if m.to == [main.email])
    assert f"/min-side/rapportering/{reporting_round.pk}/{bergen.pk}/" in invitation.body
    assert AuditEntry.objects.get(action="polyfon.reporting.round.open").payload["invited"] == 2


def test_each_person_is_written_to_in_their_language(coordinator, today, monkeypatch):
    from polyfon.reporting.services import rounds

    nynorsk = member("Masfjorden kommune")
    person = nynorsk.contacts.get(role=ContactRole.MAIN).person
    person.language = "nn"
    person.save()
    sent = []
    monkeypatch.setattr(rounds, "send_templated_email", lambda **kwargs: sent.append(kwargs))
    reporting_round = services.round_create(actor=coordinator, year=2025, deadline=date(2026, 2, 1))
    services.round_open(reporting_round=reporting_round, actor=coordinator)
    assert [(m["to"], m["language"]) for m in sent] == [(person.email, "nn")]


def test_a_round_cannot_be_opened_without_indicators_or_after_its_deadline(coordinator, today):
    reporting_round = services.round_create(actor=coordinator, year=2025, deadline=date(2026, 2, 1), indicators=[])
    with pytest.raises(DomainError):
        services.round_open(reporting_round=reporting_round, actor=coordinator)
    late = services.round_create(actor=coordinator, year=2024, deadline=date(2025, 2, 1))
    with pytest.raises(DomainError):
        services.round_open(reporting_round=late, actor=coordinator)


def test_the_round_life_cycle_refuses_moves_it_does_not_allow(coordinator, today):
    reporting_round = services.round_create(actor=coordinator, year=2025, deadline=date(2026, 2, 1))
    with pytest.raises(DomainError):
        services.round_close(reporting_round=reporting_round, actor=coordinator)
    services.round_open(reporting_round=reporting_round, actor=coordinator)
    with pytest.raises(DomainError):
        services.round_open(reporting_round=reporting_round, actor=coordinator)
    services.round_close(reporting_round=reporting_round, actor=coordinator)
    services.round_reopen(reporting_round=reporting_round, actor=coordinator)
    reporting_round.refresh_from_db()
    assert reporting_round.status == RoundStatus.OPEN and reporting_round.closed_at is None


def test_reopening_after_the_deadline_needs_a_new_deadline(coordinator, travel_to):
    travel_to(date(2026, 1, 10))
    reporting_round = services.round_create(actor=coordinator, year=2025, deadline=date(2026, 2, 1))
    services.round_open(reporting_round=reporting_round, actor=coordinator)
    services.round_close(reporting_round=reporting_round, actor=coordinator)
    travel_to(date(2026, 3, 1))
    with pytest.raises(DomainError):
        services.round_reopen(reporting_round=reporting_round, actor=coordinator)
    services.round_update(reporting_round=reporting_round, actor=coordinator, deadline=date(2026, 3, 15))
    services.round_reopen(reporting_round=reporting_round, actor=coordinator)


def test_indicators_can_be_added_to_an_open_round_but_not_removed(coordinator):
    reporting_round = open_round(indicators=[indicator("mt_positions")])
    services.round_update(
        reporting_round=reporting_round, actor=coordinator, indicators=[indicator("mt_positions"), indicator("mt_fte")]
    )
    with pytest.raises(DomainError):
        services.round_update(reporting_round=reporting_round, actor=coordinator, indicators=[indicator("mt_fte")])


# --- Saving and submitting --------------------------------------------------------------------------------------------


@pytest.fixture
def setting(today):
    bergen = member("Bergen kommune")
    return {"round": open_round(), "bergen": bergen, "user": contact_for(bergen)}


def test_a_draft_keeps_what_is_given_and_can_be_changed(setting):
    r, bergen, user = setting["round"], setting["bergen"], setting["user"]
    positions = indicator("mt_positions")
    report = services.report_save(
        reporting_round=r, participant=bergen, actor=user, answers={(positions.pk, None): D("3")}, comment="Foreløpig"
    )
    assert report.status == SubmissionStatus.DRAFT
    assert selectors.answers_of(report) == {(positions.pk, None): D("3")}
    services.report_save(reporting_round=r, participant=bergen, actor=user, answers={(positions.pk, None): None})
    assert selectors.answers_of(ParticipantReport.objects.get(pk=report.pk)) == {}


def test_submitting_needs_every_answer_and_locks_the_report(setting, django_capture_on_commit_callbacks):
    r, bergen, user = setting["round"], setting["bergen"], setting["user"]
    answers = full_answers(r)
    incomplete = {k: v for k, v in answers.items() if k[0] != indicator("mt_fte").pk}
    with pytest.raises(DomainError) as error:
        services.report_submit(reporting_round=r, participant=bergen, actor=user, answers=incomplete)
    assert "Årsverk" in str(error.value) or "full-time" in str(error.value)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(reporting_round=r, participant=bergen, actor=user, answers=answers)
    assert report.status == SubmissionStatus.SUBMITTED and report.submitted_by == user and report.submitted_at
    assert [m.to for m in mail.outbox] == [[user.email]]
    with pytest.raises(DomainError):
        services.report_save(reporting_round=r, participant=bergen, actor=user, answers=answers)
    with pytest.raises(DomainError):
        services.report_submit(reporting_round=r, participant=bergen, actor=user, answers=answers)


def test_work_areas_left_empty_count_as_zero(setting):
    r, bergen, user = setting["round"], setting["bergen"], setting["user"]
    services_offered = indicator("services_offered")
    first = areas()[0]
    answers = {k: v for k, v in full_answers(r).items() if k[0] != services_offered.pk}
    answers[(services_offered.pk, first.pk)] = D("4")
    report = services.report_submit(reporting_round=r, participant=bergen, actor=user, answers=answers)
    given = selectors.answers_of(report)
    assert given[(services_offered.pk, first.pk)] == 4
    assert all(given[(services_offered.pk, area.pk)] == 0 for area in areas()[1:])


@pytest.mark.parametrize(
    "code,value,area",
    [("mt_positions", D("1.5"), False), ("mt_fte", D("-1"), False), ("mt_fte", D("1.255"), False),
     ("mt_positions", D("1"), True), ("services_offered", D("1"), False)],
)
def test_answers_are_checked(setting, code, value, area):
    r, bergen, user = setting["round"], setting["bergen"], setting["user"]
    item = indicator(code)
    key = (item.pk, areas()[0].pk if area else None)
    with pytest.raises(DomainError):
        services.report_save(reporting_round=r, participant=bergen, actor=user, answers={key: value})


def test_fte_takes_decimals(setting):
    r, bergen, user = setting["round"], setting["bergen"], setting["user"]
    fte = indicator("mt_fte")
    report = services.report_save(reporting_round=r, participant=bergen, actor=user, answers={(fte.pk, None): D("2.35")})
    assert selectors.answers_of(report)[(fte.pk, None)] == D("2.35")


def test_only_members_of_the_year_report(setting):
    r, user = setting["round"], setting["user"]
    newcomer = member("Ny kommune", start=date(2026, 1, 1))
    with pytest.raises(DomainError):
        services.report_save(reporting_round=r, participant=newcomer, actor=user, answers={})


def test_no_reports_before_the_round_opens_and_not_by_contacts_after_it_closes(setting, coordinator):
    r, bergen, user = setting["round"], setting["bergen"], setting["user"]
    draft = services.round_create(actor=coordinator, year=2024, deadline=date(2026, 2, 1))
    with pytest.raises(DomainError):
        services.report_save(reporting_round=draft, participant=bergen, actor=coordinator, answers={})
    services.round_close(reporting_round=r, actor=coordinator)
    with pytest.raises(DomainError):
        services.report_submit(reporting_round=r, participant=bergen, actor=user, answers=full_answers(r))
    # The coordinator enters figures received another way.
    report = services.report_submit(reporting_round=r, participant=bergen, actor=coordinator, answers=full_answers(r))
    assert report.is_submitted


def test_a_late_submission_is_accepted_and_marked(setting, travel_to):
    r, bergen, user = setting["round"], setting["bergen"], setting["user"]
    travel_to(date(2026, 12, 20))
    report = services.report_submit(reporting_round=r, participant=bergen, actor=user, answers=full_answers(r))
    assert report.is_late
    assert AuditEntry.objects.get(action="polyfon.reporting.report.submitted").payload["late"] is True


def test_no_receipt_when_the_transaction_rolls_back(setting, django_capture_on_commit_callbacks):
    r, bergen, user = setting["round"], setting["bergen"], setting["user"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.report_submit(reporting_round=r, participant=bergen, actor=user, answers=full_answers(r))
            raise RuntimeError("rollback")
    assert callbacks == [] and mail.outbox == []
    assert not ParticipantReport.objects.exists()


# --- Corrections --------------------------------------------------------------------------------------------------------


@pytest.fixture
def submitted(setting):
    r, bergen, user = setting["round"], setting["bergen"], setting["user"]
    report = services.report_submit(reporting_round=r, participant=bergen, actor=user, answers=full_answers(r), comment="Hei")
    return {**setting, "report": report}


def test_a_correction_logs_the_reason_and_the_values_before_and_after(submitted):
    report, user, r = submitted["report"], submitted["user"], submitted["round"]
    answers = full_answers(r)
    fte = indicator("mt_fte")
    answers[(fte.pk, None)] = D("2.5")
    correction = services.report_correct(report=report, actor=user, answers=answers, reason="Regnet feil", comment="Hei")
    assert correction.reason == "Regnet feil" and correction.actor == user
    assert correction.changes == [
        {"indicator": "mt_fte", "work_area": "", "label": fte.display_name, "old": "2.00", "new": "2.5", "decimals": 1}
    ]
    assert selectors.answers_of(report)[(fte.pk, None)] == D("2.5")
    entry = AuditEntry.objects.get(action="polyfon.reporting.report.corrected")
    assert entry.payload["note"] == "Regnet feil"


def test_a_correction_needs_a_reason_and_a_change(submitted):
    report, user, r = submitted["report"], submitted["user"], submitted["round"]
    changed = {**full_answers(r), (indicator("mt_fte").pk, None): D("3")}
    with pytest.raises(DomainError):
        services.report_correct(report=report, actor=user, answers=changed, reason="  ")
    with pytest.raises(DomainError):
        services.report_correct(report=report, actor=user, answers=full_answers(r), reason="Ingen endring", comment="Hei")
    assert not ReportCorrection.objects.exists()


def test_only_submitted_reports_are_corrected(setting):
    r, bergen, user = setting["round"], setting["bergen"], setting["user"]
    draft = services.report_save(reporting_round=r, participant=bergen, actor=user, answers={})
    with pytest.raises(DomainError):
        services.report_correct(report=draft, actor=user, answers=full_answers(r), reason="x")


def test_after_the_round_closes_only_the_coordinator_corrects(submitted, coordinator):
    report, user, r = submitted["report"], submitted["user"], submitted["round"]
    services.round_close(reporting_round=r, actor=coordinator)
    changed = {**full_answers(r), (indicator("mt_fte").pk, None): D("3")}
    with pytest.raises(DomainError):
        services.report_correct(report=report, actor=user, answers=changed, reason="Feil")
    services.report_correct(report=report, actor=coordinator, answers=changed, reason="Meldt på e-post")
    assert ReportCorrection.objects.get().actor == coordinator


# --- Who has not reported, and reminders ----------------------------------------------------------------------------


@pytest.fixture
def crowd(today, coordinator):
    people = {name: member(name) for name in ["Alver kommune", "Bergen kommune", "Stord kommune"]}
    reporting_round = open_round(deadline=date(2026, 1, 24))
    user = contact_for(people["Bergen kommune"])
    services.report_submit(reporting_round=reporting_round, participant=people["Bergen kommune"], actor=user,
                           answers=full_answers(reporting_round))
    services.report_save(reporting_round=reporting_round, participant=people["Stord kommune"], actor=coordinator, answers={})
    return {"round": reporting_round, **people}


def test_the_coordinator_sees_who_has_not_reported(crowd):
    r = crowd["round"]
    missing = set(selectors.missing_participants(r).values_list("name", flat=True))
    assert missing == {"Alver kommune", "Stord kommune"}
    counts = selectors.round_counts(r)
    assert (counts.expected, counts.submitted, counts.missing) == (3, 1, 2)
    rows = {p.name: p for p in selectors.round_rows(r)}
    assert rows["Bergen kommune"].report_status == SubmissionStatus.SUBMITTED
    assert rows["Alver kommune"].report_status == SubmissionStatus.NOT_STARTED


def test_the_coordinator_reminds_those_who_have_not_submitted(crowd, coordinator, django_capture_on_commit_callbacks):
    r = crowd["round"]
    with django_capture_on_commit_callbacks(execute=True):
        count = services.round_remind(reporting_round=r, actor=coordinator)
    assert count == 2
    assert len(mail.outbox) == 2
    assert set(RoundReminder.objects.values_list("participant__name", flat=True)) == {"Alver kommune", "Stord kommune"}
    assert not RoundReminder.objects.filter(automatic=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.round_remind(reporting_round=r, actor=coordinator, participants=[crowd["Alver kommune"]])
    assert len(mail.outbox) == 3


def test_reminding_a_participant_that_has_submitted_is_refused(crowd, coordinator):
    with pytest.raises(DomainError):
        services.round_remind(reporting_round=crowd["round"], actor=coordinator, participants=[crowd["Bergen kommune"]])


def test_reminders_are_due_on_the_set_days_and_weekly_after_the_deadline(crowd):
    r = crowd["round"]  # deadline 24 January, reminders 14 and 3 days before
    due = [d for d in range(1, 32) if services.reminder_due(r, date(2026, 1, d))]
    assert due == [10, 21, 31]
    r.remind_after_deadline = False
    assert not services.reminder_due(r, date(2026, 1, 31))
    r.status = RoundStatus.CLOSED
    assert not services.reminder_due(r, date(2026, 1, 10))


def test_the_daily_job_reminds_once_a_day(crowd, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_round_reminders(today=date(2026, 1, 10)) == 2
        assert services.send_round_reminders(today=date(2026, 1, 10)) == 0
        assert services.send_round_reminders(today=date(2026, 1, 11)) == 0
    assert len(mail.outbox) == 2
    assert RoundReminder.objects.filter(automatic=True).count() == 2
    assert "24" in mail.outbox[0].body


def test_reminders_go_to_every_contact_when_there_is_no_main_contact(crowd, django_capture_on_commit_callbacks):
    alver = crowd["Alver kommune"]
    alver.contacts.filter(role=ContactRole.MAIN).delete()
    ParticipantContactFactory(participant=alver, person=PersonFactory(email="a@example.no"), role=ContactRole.CONTACT)
    ParticipantContactFactory(participant=alver, person=PersonFactory(email="b@example.no"), role=ContactRole.INVOICE)
    recipients = selectors.report_recipients([alver.pk])[alver.pk]
    assert sorted(p.email for p in recipients) == ["a@example.no", "b@example.no"]


# --- What the reports add up to --------------------------------------------------------------------------------------


def test_submitted_reports_add_up_with_their_groups(today, coordinator):
    bergen = member("Bergen kommune")
    oslo = member("Oslo universitetssykehus", municipality="0301", organisation_kind="health_trust")
    draft = member("Stord kommune")
    r = open_round()
    first, second = areas()[:2]
    services_offered, fte = indicator("services_offered"), indicator("mt_fte")
    a = full_answers(r, D("1"))
    a[(services_offered.pk, first.pk)] = D("3")
    a[(fte.pk, None)] = D("1.5")
    services.report_submit(reporting_round=r, participant=bergen, actor=coordinator, answers=a)
    b = full_answers(r, D("2"))
    services.report_submit(reporting_round=r, participant=oslo, actor=coordinator, answers=b)
    services.report_save(reporting_round=r, participant=draft, actor=coordinator, answers={(fte.pk, None): D("9")})
    results = selectors.reported_results([services_offered, fte], [2024, 2025], lookups=Lookups())
    assert (fte.pk, 2024) not in results
    fte_2025 = results[(fte.pk, 2025)]
    assert fte_2025.total == D("3.5")
    assert fte_2025.groups["county"] == {"46": D("1.5"), "03": D("2")}
    assert fte_2025.groups["participant_kind"] == {"single": D("3.5")}
    assert "work_area" not in fte_2025.groups
    offered = results[(services_offered.pk, 2025)]
    assert offered.groups["work_area"][first.slug] == D("5")
    assert offered.groups["work_area"][second.slug] == D("3")
    assert offered.total == D("3") + D("1") * (len(areas()) - 1) + D("2") * len(areas())


def test_members_who_left_still_report_for_the_year(today, coordinator):
    leaving = member("Askøy kommune", end=date(2025, 6, 30), status=ParticipantStatus.FORMER)
    r = open_round()
    assert selectors.expected_participants(r).filter(pk=leaving.pk).exists()


def test_the_reminders_are_a_scheduled_job():
    from polyfon.core.scheduler import scheduled_jobs
    from polyfon.reporting import tasks

    job = scheduled_jobs()["reporting.round_reminders"]
    assert job["task"] == "polyfon.reporting.tasks.send_round_reminders"
    assert tasks.send_round_reminders.call() == 0
