"""Reporting at scale: the annual report of 2025 over the whole bench data set (thousands of
participants, tens of thousands of invoices and registrations), with indicator rounds for
2021–2025 in which every member reported, projects with students and outputs, and the national
patient register's counts.

Benchmarks: the report's page with live figures (a draft), freezing it (every figure copied),
the published page (frozen figures), its PDF and its XLSX; the office page of the round (who
has reported, 50 a page) and an indicator's page.

Run: python -m bench.run --sizes small,large --only reporting
"""

import random
from datetime import date, datetime, time
from decimal import Decimal

ORDER = 90  # after every other app's data
REPORT_YEAR = 2025
YEARS = range(REPORT_YEAR - 4, REPORT_YEAR + 1)
GRANTS_PER_YEAR = {"small": 60, "large": 300}


def _aware(day: date):
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _grants(size: str, ctx: dict, rng: random.Random) -> None:
    """Granted applications for every year, each a project with students and outputs."""
    from polyfon.content.models import WorkArea
    from polyfon.funding.models import (
        Application,
        ApplicationStatus,
        Call,
        CallKind,
        Decision,
        FundingStatus,
        Grant,
        GrantOutput,
        GrantStatus,
        GrantStudent,
        Outcome,
        OutputKind,
    )

    coordinator, participants, persons = ctx["coordinator"], ctx["participants"], ctx["persons"]
    areas = list(WorkArea.objects.all())
    per_year = GRANTS_PER_YEAR[size]
    for year in YEARS:
        call = Call.objects.create(
            code=f"REP-{year}", slug=f"rapport-{year}", kind=CallKind.SEED, title=f"Såkornmidler {year}", text="Tekst",
            opens_at=_aware(date(year - 1, 10, 1)), deadline=_aware(date(year, 2, 1)), total_budget=Decimal("90000000"),
            max_per_application=Decimal("150000"), published_at=_aware(date(year - 1, 9, 1)),
        )
        applications = Application.objects.bulk_create(
            [
                Application(
                    call=call, number=i + 1, applicant=coordinator, leader=persons[(year * 31 + i) % len(persons)],
                    lead_participant=participants[(year * 17 + i) % len(participants)], work_area=areas[i % len(areas)],
                    title=f"Prosjekt {year}-{i}", status=ApplicationStatus.GRANTED, submitted_at=_aware(date(year, 1, 20)),
                )
                for i in range(per_year)
            ],
            batch_size=2000,
        )
        decisions = Decision.objects.bulk_create(
            [
                Decision(application=a, outcome=Outcome.GRANTED, amount=Decimal(rng.randrange(50, 150) * 1000),
                         meeting_reference=f"SG {year}", decided_on=date(year, 3, 14))
                for a in applications
            ],
            batch_size=2000,
        )
        grants = Grant.objects.bulk_create(
            [
                Grant(application=a, decision=d, amount=d.amount, title=a.title, leader=a.leader,
                      start_date=date(year, 4, 1), end_date=date(year + 1, 3, 31), budget_total=d.amount,
                      status=GrantStatus.COMPLETED if year < REPORT_YEAR else GrantStatus.ACTIVE)
                for a, d in zip(applications, decisions, strict=True)
            ],
            batch_size=2000,
        )
        GrantStudent.objects.bulk_create(
            [
                GrantStudent(grant=g, person=persons[(year * 7 + i * 13) % len(persons)], level="master" if i % 3 else "phd",
                             started_on=date(year, 8, 1))
                for i, g in enumerate(grants)
                if i % 2 == 0
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        outputs = []
        for i, grant in enumerate(grants):
            outputs.append(GrantOutput(grant=grant, kind=OutputKind.PRESENTATION, title="Foredrag", occurred_on=date(year, 11, 1)))
            if i % 2:
                outputs.append(GrantOutput(grant=grant, kind=OutputKind.PUBLICATION, title="Artikkel", occurred_on=date(year, 12, 1)))
            if i % 10 == 0:
                outputs.append(GrantOutput(
                    grant=grant, kind=OutputKind.FUNDING, title="Hovedprosjekt", occurred_on=date(year, 10, 1),
                    funder="Forskningsrådet", funding_status=FundingStatus.WON, amount_won=Decimal("2000000"),
                ))
        GrantOutput.objects.bulk_create(outputs, batch_size=5000)


def _rounds(ctx: dict, rng: random.Random) -> int:
    """A closed round for every year, every member of the year submitted."""
    from django.utils import timezone

    from polyfon.content.models import WorkArea
    from polyfon.members.selectors import members_in_year
    from polyfon.reporting.models import (
        Indicator,
        ParticipantReport,
        ReportedValue,
        ReportingRound,
        RoundStatus,
        Source,
        SubmissionStatus,
    )

    indicators = list(Indicator.objects.filter(source=Source.REPORTED, is_active=True))
    areas = list(WorkArea.objects.filter(is_active=True))
    total = 0
    for year in YEARS:
        reporting_round = ReportingRound.objects.create(
            year=year, status=RoundStatus.CLOSED, deadline=date(year + 1, 2, 15), opened_at=_aware(date(year + 1, 1, 5)),
            closed_at=_aware(date(year + 1, 3, 1)), created_by=ctx["coordinator"],
        )
        reporting_round.indicators.set(indicators)
        ids = list(members_in_year(year).values_list("pk", flat=True))
        submitted_at = timezone.make_aware(datetime(year + 1, 2, 1, 12))
        reports = ParticipantReport.objects.bulk_create(
            [ParticipantReport(round=reporting_round, participant_id=pk, status=SubmissionStatus.SUBMITTED,
                               submitted_at=submitted_at) for pk in ids],
            batch_size=5000,
        )
        values = []
        for report in reports:
            for indicator in indicators:
                if indicator.per_work_area:
                    values += [ReportedValue(report=report, indicator=indicator, work_area=a, value=Decimal(rng.randint(0, 20)))
                               for a in areas]
                else:
                    values.append(ReportedValue(report=report, indicator=indicator, value=Decimal(rng.randint(0, 8))))
        ReportedValue.objects.bulk_create(values, batch_size=10000)
        total += len(values)
    return total


def _npr() -> None:
    from polyfon.reporting.breakdowns import HEALTH_REGIONS
    from polyfon.reporting.models import ImportStatus, Indicator, IndicatorImport, IndicatorValue

    source_import = IndicatorImport.objects.create(
        original_name="npr.csv", size=1, sha256="0" * 64, status=ImportStatus.IMPORTED, headers=["År", "Region", "Antall"]
    )
    npr = Indicator.objects.get(code="npr_contacts")
    IndicatorValue.objects.bulk_create(
        [IndicatorValue(indicator=npr, year=year, breakdown="health_region", key=key, value=Decimal(1000 + year % 100 * 37),
                        source_import=source_import) for year in range(2019, REPORT_YEAR + 1) for key, _label in HEALTH_REGIONS]
    )


def GENERATE(size: str, ctx: dict) -> None:  # noqa: N802 (the name bench.generate looks for)
    from polyfon.members.selectors import members_in_year
    from polyfon.reporting import services

    rng = random.Random(9)
    _grants(size, ctx, rng)
    values = _rounds(ctx, rng)
    _npr()
    report = services.annual_report_create(actor=ctx["coordinator"], year=REPORT_YEAR, language="nn")
    from django.db import connection

    if connection.vendor == "postgresql":
        # A live database's autovacuum analyses the tables after loads like these; without the
        # statistics, the planner takes the freshly filled tables for empty ones.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    ctx["reporting_report"] = report
    print(
        f"reporting: {members_in_year(REPORT_YEAR).count()} members in {REPORT_YEAR}, {values} reported values over "
        f"{len(YEARS)} rounds, {GRANTS_PER_YEAR[size] * len(YEARS)} grants, report with "
        f"{report.sections.count()} sections"
    )


def bench_reporting(ctx: dict, repeat: int) -> list[dict]:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from bench.run import measure, page
    from polyfon.reporting import presentation, services
    from polyfon.reporting.exports import report_xlsx
    from polyfon.reporting.models import AnnualReport, Indicator, ReportingRound
    from polyfon.reporting.pdf import report_pdf

    coordinator = ctx["coordinator"]
    report = AnnualReport.objects.get(pk=ctx["reporting_report"].pk)
    client = Client()
    client.force_login(coordinator)
    heavy = max(3, min(repeat, 5))
    figures = len(presentation.report_view(report).figures)

    def freeze():
        with transaction.atomic():
            services.annual_report_freeze(report=report, actor=coordinator)
            transaction.set_rollback(True)  # the next repetition freezes the same report again

    rows = [
        measure(f"annual report page, live figures ({figures} indicators × 5 years)",
                page(client, reverse("reporting:report_preview", args=[report.pk])), repeat=heavy),
        measure("annual report: freeze (copy every figure, rolled back)", freeze, repeat=heavy),
    ]
    services.annual_report_publish(report=report, actor=coordinator)
    report.refresh_from_db()
    public = Client()
    rows += [
        measure("annual report page, published (frozen figures)", page(public, report.get_public_url()), repeat=repeat),
        measure("annual report PDF (WeasyPrint, in the worker)", lambda: report_pdf(report), repeat=heavy),
        measure("annual report data as XLSX",
                lambda: report_xlsx(report, presentation.report_view(report)), repeat=repeat),
    ]
    reporting_round = ReportingRound.objects.get(year=2025)
    rows += [
        measure(f"round page ({reporting_round.reports.count()} reports, 50 a page)",
                page(client, reverse("reporting:round_detail", args=[reporting_round.pk])), repeat=repeat),
        measure("round page, not started, by last reminder",
                page(client, reverse("reporting:round_detail", args=[reporting_round.pk]) + "?report_status=not_started&sort=-last_reminded"),
                repeat=repeat),
        measure("indicator page (participants, 6 years, live)",
                page(client, reverse("reporting:indicator_detail", args=[Indicator.objects.get(code="participants").pk])),
                repeat=repeat),
    ]
    return rows


BENCHMARKS = {"reporting": bench_reporting}
