"""The computed indicators, rule by rule, through the data the other apps keep."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polyfon.billing import services as billing
from polyfon.billing.tests.factories import FeeScheduleFactory
from polyfon.content.models import WorkArea
from polyfon.events.models import Audience, EventKind, EventStatus, RegistrationStatus
from polyfon.events.tests.factories import EventFactory, RegistrationFactory, oslo
from polyfon.funding import services as funding
from polyfon.funding.models import Application, FundingStatus, Grant, GrantStatus, OutputKind
from polyfon.funding.tests.factories import CallFactory, submitted_application
from polyfon.members.models import (
    FeeCategory,
    OrganisationKind,
    Participant,
    ParticipantKind,
    ParticipantStatus,
)
from polyfon.reporting.indicators import REGISTRY, YearData, all_definitions, compute
from polyfon.reporting.models import Indicator, Source

from .factories import member

pytestmark = pytest.mark.django_db
D = Decimal


def result(code, year=2025, **kwargs):
    return compute(code, YearData(year, **kwargs))


def test_every_definition_exists_as_an_indicator_after_migrate():
    codes = set(Indicator.objects.values_list("code", flat=True))
    assert {d.code for d in all_definitions()} <= codes
    assert Indicator.objects.get(code="participants").source == Source.COMPUTED
    assert Indicator.objects.get(code="mt_fte").source == Source.REPORTED
    assert Indicator.objects.get(code="npr_contacts").source == Source.IMPORTED
    assert all(d.compute for d in REGISTRY.values())


# --- Participants ------------------------------------------------------------------------------------------


@pytest.fixture
def register():
    """Members of 2025 of every kind, and some that were not members that year."""
    return {
        "bergen": member("Bergen kommune", start=date(2021, 1, 1)),
        "oslo": member("Oslo universitetssykehus", municipality="0301", organisation_kind=OrganisationKind.HEALTH_TRUST,
                       fee=FeeCategory.LARGE),
        "group": member("Nordhordland", kind=ParticipantKind.GROUP, fee=FeeCategory.GROUP, municipality="4631"),
        "new": member("Ny kommune", start=date(2025, 3, 1), municipality="1103"),
        "leaving": member("Askøy kommune", start=date(2021, 1, 1), end=date(2025, 6, 30), status=ParticipantStatus.FORMER),
        "notice": member("Stord kommune", start=date(2022, 1, 1), end=date(2026, 6, 30), status=ParticipantStatus.NOTICE_GIVEN),
        "former": member("Tidligere", start=date(2019, 1, 1), end=date(2023, 12, 31)),
        "future": member("Fremtidig", start=date(2026, 1, 1)),
    }


def test_participants_counts_every_member_of_the_year_with_its_groups(register):
    r = result("participants")
    assert r.total == 6  # bergen, oslo, group, new, leaving, notice
    assert r.groups["participant_kind"] == {"single": 5, "group": 1}
    assert r.groups["county"]["46"] == 4 and r.groups["county"]["03"] == 1 and r.groups["county"]["11"] == 1
    assert r.groups["organisation_kind"] == {"municipality": 5, "health_trust": 1}
    assert r.groups["fee_category"] == {"ordinary": 4, "large": 1, "group": 1}


def test_participants_by_work_area_counts_each_area_of_interest(register):
    first, second = WorkArea.objects.order_by("position")[:2]
    register["bergen"].work_areas.set([first, second])
    register["oslo"].work_areas.set([first])
    register["former"].work_areas.set([first])
    groups = result("participants").groups["work_area"]
    assert groups == {first.slug: 2, second.slug: 1}


def test_fee_category_is_the_one_invoiced_that_year(register, coordinator):
    FeeScheduleFactory()
    billing.invoice_run_execute(year=2025, actor=coordinator, issue_date=date(2025, 1, 20), send=False)
    Participant.objects.filter(pk=register["oslo"].pk).update(fee_category=FeeCategory.ORDINARY)
    assert result("participants").groups["fee_category"]["large"] == 1


def test_new_participants_are_those_whose_first_membership_began_in_the_year(register):
    r = result("participants_new")
    assert r.total == 1 and r.groups["county"] == {"11": 1}
    assert result("participants_new", year=2026).total == 1  # Fremtidig


def test_a_returning_participant_is_not_new(register):
    from polyfon.members.models import Agreement

    former = register["former"]
    Agreement.objects.create(participant=former, signed_on=date(2025, 1, 1), start_date=date(2025, 1, 1))
    assert result("participants_new").total == 1


def test_leaving_participants_were_members_but_not_when_the_next_year_began(register):
    r = result("participants_leaving")
    assert r.total == 1  # Askøy ended 30.06.2025; Stord's notice runs into 2026
    assert result("participants_leaving", year=2026).total == 1
    assert result("participants_leaving", year=2023).total == 1  # Tidligere


# --- Economy ----------------------------------------------------------------------------------------------------


@pytest.fixture
def invoiced(register, coordinator):
    FeeScheduleFactory()
    billing.invoice_run_execute(year=2025, actor=coordinator, issue_date=date(2025, 1, 20), send=False)
    from polyfon.billing.models import Invoice

    return {i.participant_id: i for i in Invoice.objects.filter(year=2025)}


def test_fee_income_is_invoiced_less_credited_excluding_vat(register, invoiced, coordinator):
    # Ordinary 150 000 ×3 (Bergen, Askøy, Stord) + first year 75 000 (Ny) + large 280 000 + group 280 000.
    assert result("fee_income_invoiced").total == D("1085000")
    billing.invoice_credit(
        invoice=invoiced[register["bergen"].pk], actor=coordinator, reason="Feil", amount=D("50000"), send=False,
        issue_date=date(2025, 3, 1),
    )
    # An invoice by hand for something else (a seminar) is not a participation fee.
    bergen = register["bergen"]
    billing.invoice_issue(
        actor=coordinator, buyer=bergen.organisations.get(), participant=bergen, year=2025, issue_date=date(2025, 3, 1),
        lines=[billing.LineInput("Fagdag for ansatte", D("1"), D("12000"))], send=False,
    )
    r = result("fee_income_invoiced")
    assert r.total == D("1035000")
    assert "other" not in r.groups["fee_category"]
    assert r.groups["fee_category"]["ordinary"] == D("475000")
    assert r.groups["fee_category"]["large"] == D("280000")


def test_fee_income_paid_sums_the_payments_on_the_years_invoices(register, invoiced, coordinator):
    billing.payment_register(invoice=invoiced[register["bergen"].pk], amount=D("150000"), paid_on=date(2025, 2, 10), actor=coordinator)
    billing.payment_register(invoice=invoiced[register["oslo"].pk], amount=D("100000"), paid_on=date(2025, 2, 11), actor=coordinator)
    r = result("fee_income_paid")
    assert r.total == D("250000")
    assert r.groups["fee_category"] == {"ordinary": D("150000"), "large": D("100000"), "group": D("0")}


def test_no_invoices_is_zero_income_and_no_share(register):
    assert result("fee_income_invoiced").total == 0
    assert result("share_returned").total is None


# --- Calls, grants and projects ---------------------------------------------------------------------------------------


def _grant(participant, coordinator, *, amount, decided_on, area=None, start=None, end=None, cancelled=False):
    call = CallFactory()
    application = submitted_application(call=call, participant=participant, requested=D("150000"))
    if area is not None:
        Application.objects.filter(pk=application.pk).update(work_area=area)
    funding.application_decide(
        application=application, actor=coordinator, outcome="granted", meeting_reference="SG 1/25",
        decided_on=decided_on, amount=amount,
    )
    grant = Grant.objects.get(application=application)
    update = {}
    if start:
        update.update(start_date=start, end_date=end)
    if cancelled:
        update["status"] = GrantStatus.CANCELLED
    if update:
        Grant.objects.filter(pk=grant.pk).update(**update)
        grant.refresh_from_db()
    return grant


def test_funds_granted_and_the_share_returned(register, invoiced, coordinator):
    first, second = WorkArea.objects.order_by("position")[:2]
    _grant(register["bergen"], coordinator, amount=D("100000"), decided_on=date(2025, 3, 12), area=first)
    _grant(register["oslo"], coordinator, amount=D("150000"), decided_on=date(2025, 3, 12), area=second)
    _grant(register["oslo"], coordinator, amount=D("120000"), decided_on=date(2025, 9, 1), area=second, cancelled=True)
    _grant(register["oslo"], coordinator, amount=D("90000"), decided_on=date(2024, 9, 1), area=second)
    granted = result("funds_granted")
    assert granted.total == D("250000")
    assert granted.groups["work_area"] == {first.slug: D("100000"), second.slug: D("150000")}
    assert result("share_returned").total == D("23.0")  # 250 000 of 1 085 000
    assert result("grants").total == 2 and result("grants").groups["work_area"][second.slug] == 1


def test_applications_are_counted_in_the_year_they_were_submitted(register, coordinator, travel_to):
    first = WorkArea.objects.order_by("position").first()
    travel_to(date(2025, 5, 2))
    call = CallFactory()
    submitted_application(call=call, participant=register["bergen"])
    application = submitted_application(call=call, participant=register["group"])
    travel_to(date(2026, 1, 10))
    submitted_application(call=CallFactory(), participant=register["oslo"])
    r = result("applications")
    assert r.total == 2
    assert r.groups["work_area"] == {first.slug: 2}
    assert r.groups["participant_kind"] == {"single": 1, "group": 1}
    funding.application_withdraw(application=application, actor=application.applicant)
    assert result("applications").total == 1


def test_projects_running_and_their_students(register, coordinator):
    from polyfon.members.models import StudentLevel

    running = _grant(register["bergen"], coordinator, amount=D("100000"), decided_on=date(2024, 11, 1),
                     start=date(2024, 1, 1), end=date(2025, 3, 31))
    later = _grant(register["oslo"], coordinator, amount=D("100000"), decided_on=date(2025, 11, 1),
                   start=date(2026, 1, 1), end=date(2026, 12, 31))
    funding.grant_add_student(grant=running, actor=coordinator, level=StudentLevel.MASTER, name="Ola Student",
                              email="ola@student.example.no", started_on=date(2024, 8, 1))
    funding.grant_add_student(grant=running, actor=coordinator, level=StudentLevel.PHD, name="Kari Stipendiat",
                              email="kari@student.example.no", started_on=date(2023, 8, 1), completed_on=date(2024, 12, 1))
    funding.grant_add_student(grant=later, actor=coordinator, level=StudentLevel.PHD, name="Per Stipendiat",
                              email="per@student.example.no", started_on=date(2026, 1, 1))
    assert result("projects_running").total == 1
    students = result("students")
    assert students.total == 1 and students.groups["student_level"] == {"master": 1}
    assert result("students", year=2026).groups["student_level"] == {"phd": 1}


def test_outputs_and_external_funding_won(register, coordinator):
    grant = _grant(register["bergen"], coordinator, amount=D("100000"), decided_on=date(2024, 11, 1))
    for kind, day in [(OutputKind.PUBLICATION, date(2025, 2, 1)), (OutputKind.PUBLICATION, date(2024, 2, 1)),
                      (OutputKind.PRESENTATION, date(2025, 6, 1))]:
        funding.grant_add_output(grant=grant, actor=coordinator, kind=kind, title=f"{kind} {day}", occurred_on=day)
    funding.grant_add_output(grant=grant, actor=coordinator, kind=OutputKind.FUNDING, title="Hovedprosjekt",
                             occurred_on=date(2025, 10, 1), funder="Forskningsrådet", amount_applied=D("3000000"),
                             funding_status=FundingStatus.WON, amount_won=D("2400000"))
    funding.grant_add_output(grant=grant, actor=coordinator, kind=OutputKind.FUNDING, title="Avslått",
                             occurred_on=date(2025, 11, 1), funder="Stiftelsen Dam", amount_applied=D("500000"),
                             funding_status=FundingStatus.NOT_WON)
    assert result("publications").total == 1
    assert result("presentations").total == 1
    assert result("external_funding_won").total == D("2400000")


# --- Events ---------------------------------------------------------------------------------------------------------


def test_events_held_registrations_and_attendance_per_audience(register):
    webinar = EventFactory(kind=EventKind.WEBINAR, starts_at=oslo(2025, 3, 4, 10), ends_at=oslo(2025, 3, 4, 11),
                           audiences=[Audience.MUNICIPALITIES, Audience.PUBLIC])
    seminar = EventFactory(kind=EventKind.SEMINAR, starts_at=oslo(2025, 10, 2, 9), ends_at=oslo(2025, 10, 2, 15),
                           audiences=[Audience.HEALTH_TRUSTS])
    EventFactory(kind=EventKind.SEMINAR, status=EventStatus.CANCELLED, starts_at=oslo(2025, 5, 2, 9), ends_at=oslo(2025, 5, 2, 15))
    EventFactory(kind=EventKind.STEERING_MEETING, starts_at=oslo(2025, 5, 2, 9), ends_at=oslo(2025, 5, 2, 15))
    EventFactory(kind=EventKind.WEBINAR, starts_at=oslo(2026, 1, 4, 10), ends_at=oslo(2026, 1, 4, 11))
    for kind, attended in [("municipality", True), ("municipality", False), ("county_municipality", True),
                           ("health_trust", True), ("user_organisation", True), ("", None)]:
        RegistrationFactory(event=webinar, organisation_kind=kind, attended=attended)
    RegistrationFactory(event=seminar, organisation_kind="hospital", attended=True)
    RegistrationFactory(event=seminar, organisation_kind="hospital", status=RegistrationStatus.CANCELLED)
    RegistrationFactory(event=seminar, organisation_kind="university", status=RegistrationStatus.WAITING)
    held = result("events_held")
    assert held.total == 2
    assert held.groups["event_kind"] == {"webinar": 1, "seminar": 1}
    assert held.groups["audience"] == {"municipalities": 1, "public": 1, "health_trusts": 1}
    registrations = result("event_registrations")
    assert registrations.total == 7
    assert registrations.groups["audience"] == {"municipalities": 3, "health_trusts": 2, "other": 2}
    attendance = result("event_attendance")
    assert attendance.total == 5
    assert attendance.groups["audience"] == {"municipalities": 2, "health_trusts": 2, "other": 1}


def test_events_that_have_not_ended_are_not_held_yet(register):
    now = oslo(2025, 6, 1, 12)
    EventFactory(starts_at=oslo(2025, 3, 4, 10), ends_at=oslo(2025, 3, 4, 11))
    EventFactory(starts_at=oslo(2025, 9, 4, 10), ends_at=oslo(2025, 9, 4, 11))
    assert result("events_held", now=now).total == 1
    assert result("events_held", now=now + timedelta(days=365)).total == 2


# --- Cost ----------------------------------------------------------------------------------------------------------------


def test_every_indicator_of_a_year_costs_a_fixed_number_of_queries(register):
    def queries():
        data = YearData(2025)
        with CaptureQueriesContext(connection) as ctx:
            for code in REGISTRY:
                compute(code, data)
        return len(ctx)

    few = queries()
    for i in range(15):
        member(f"Ekstra {i}", municipality="5001")
    assert queries() == few
    assert few <= 20


# --- Definitions -------------------------------------------------------------------------------------------------------


def test_syncing_the_definitions_creates_what_is_missing_and_changes_nothing_else(coordinator):
    from polyfon.reporting import services

    Indicator.objects.filter(code="participants").update(name="Klyngedeltakere", is_active=False)
    Indicator.objects.filter(code="npr_contacts").delete()
    created = services.indicator_sync_defaults()
    assert [i.code for i in created] == ["npr_contacts"]
    participants = Indicator.objects.get(code="participants")
    assert participants.name == "Klyngedeltakere" and not participants.is_active
    assert services.indicator_sync_defaults() == []


def test_only_reported_and_imported_indicators_are_added_with_allowed_breakdowns(coordinator):
    from polyfon.core.errors import DomainError
    from polyfon.reporting import services

    with pytest.raises(DomainError):
        services.indicator_create(actor=coordinator, code="x", source=Source.COMPUTED, topic="events", name="X")
    with pytest.raises(DomainError):
        services.indicator_create(actor=coordinator, code="y", source=Source.REPORTED, topic="services", name="Y",
                                  breakdowns=["health_region"])
    with pytest.raises(DomainError):
        services.indicator_create(actor=coordinator, code="z", source=Source.IMPORTED, topic="health", name="Z",
                                  breakdowns=["county", "health_region"])
    with pytest.raises(DomainError):
        services.indicator_create(actor=coordinator, code="participants", source=Source.REPORTED, topic="services", name="P")
    made = services.indicator_create(actor=coordinator, code="kor", source=Source.REPORTED, topic="services", name="Kor",
                                     breakdowns=["county", "work_area"])
    assert made.breakdowns == ["work_area", "county"]


def test_the_unit_and_breakdowns_cannot_change_once_values_exist(coordinator, travel_to):
    from polyfon.core.errors import DomainError
    from polyfon.reporting import services

    from .factories import full_answers, open_round

    travel_to(date(2026, 1, 5))
    bergen = member("Bergen kommune")
    fte = Indicator.objects.get(code="mt_fte")
    services.indicator_update(indicator=fte, actor=coordinator, unit="count", decimals=0)  # no values yet
    services.indicator_update(indicator=fte, actor=coordinator, unit="fte", decimals=1)
    reporting_round = open_round(indicators=[fte])
    services.report_submit(reporting_round=reporting_round, participant=bergen, actor=coordinator,
                           answers=full_answers(reporting_round))
    with pytest.raises(DomainError):
        services.indicator_update(indicator=fte, actor=coordinator, unit="count", decimals=0)
    with pytest.raises(DomainError):
        services.indicator_update(indicator=fte, actor=coordinator, breakdowns=["work_area"])
    services.indicator_update(indicator=fte, actor=coordinator, name="Årsverk", decimals=2)
    fte.refresh_from_db()
    assert fte.name == "Årsverk"


def test_a_computed_indicator_keeps_what_the_system_sets(coordinator):
    from polyfon.reporting import services

    participants = Indicator.objects.get(code="participants")
    services.indicator_update(indicator=participants, actor=coordinator, unit="nok", breakdowns=[], name="Medlemmer")
    participants.refresh_from_db()
    assert participants.unit == "count" and "county" in participants.breakdowns and participants.name == "Medlemmer"
