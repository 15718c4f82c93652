"""Reads of reporting that pages, services, exports and the annual report share, with their joins.

`collect_results` gives the live values of any set of indicators for a set of years, each source
read with a fixed number of queries: computed indicators through `indicators.YearData`, reported
ones summed over the submitted reports (with the break-downs that follow from each participant),
imported ones from the imported values. `frozen_results` reads the same from a report's copy.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from polyfon.accounts import roles
from polyfon.members.models import ContactRole, Participant, ParticipantContact, ParticipantOrganisation
from polyfon.members.selectors import members_in_year

from .breakdowns import Lookups
from .indicators import REGISTRY, Result, YearData, compute
from .models import (
    AnnualReport,
    ImportStatus,
    Indicator,
    IndicatorImport,
    IndicatorValue,
    ParticipantReport,
    ReportCorrection,
    ReportedValue,
    ReportingRound,
    ReportSection,
    ReportStatus,
    RoundReminder,
    RoundStatus,
    SectionIndicator,
    Source,
    SubmissionStatus,
    Unit,
)

ZERO = Decimal("0")
CENTS = Decimal("0.01")


# --- Indicators -------------------------------------------------------------------------------------------


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.all()


def active_indicators(*, source: str | None = None) -> QuerySet[Indicator]:
    indicators = Indicator.objects.filter(is_active=True)
    return indicators.filter(source=source) if source else indicators


# --- Values -----------------------------------------------------------------------------------------------


def collect_results(
    indicators: list[Indicator], years: list[int], *, lookups: Lookups, now=None
) -> dict[tuple[int, int], Result]:
    """{(indicator id, year): Result} for every indicator and year that has values."""
    now = now or timezone.now()
    this_year = timezone.localdate(now).year
    results: dict[tuple[int, int], Result] = {}
    computed = [i for i in indicators if i.source == Source.COMPUTED and i.code in REGISTRY]
    for year in years:
        if year > this_year or not computed:
            continue
        data = YearData(year, now=now)
        for indicator in computed:
            results[(indicator.pk, year)] = compute(indicator.code, data)
    reported = [i for i in indicators if i.source == Source.REPORTED]
    if reported:
        results.update(reported_results(reported, years, lookups=lookups))
    imported = [i for i in indicators if i.source == Source.IMPORTED]
    if imported:
        results.update(imported_results(imported, years))
    return results


def _add(result: Result, code: str, key, value: Decimal) -> None:
    if key in (None, ""):
        return
    groups = result.groups.setdefault(code, {})
    groups[str(key)] = groups.get(str(key), ZERO) + value


def reported_results(indicators: list[Indicator], years: list[int], *, lookups: Lookups) -> dict[tuple[int, int], Result]:
    """The sum of the submitted reports' values, in total, per work area (when asked per area)
    and per group that follows from the participant (kind, kind of organisation, county).

    Summed by the database per year, indicator, work area and participant group, so the rows
    read do not grow with the number of participants."""
    by_pk = {i.pk: i for i in indicators}
    # A participant has exactly one lead organisation (a constraint says so): joined, not a subquery
    # per row, so the database groups plain columns.
    lead = FilteredRelation(
        "report__participant__memberships", condition=Q(report__participant__memberships__is_lead=True)
    )
    rows = (
        ReportedValue.objects.filter(
            indicator__in=list(by_pk), report__round__year__in=years, report__status=SubmissionStatus.SUBMITTED
        )
        .annotate(lead=lead)
        .values(
            "report__round__year", "indicator_id", "work_area_id", "report__participant__kind",
            "lead__organisation__kind", "lead__organisation__county__number",
        )
        .annotate(total=Sum("value"))
        .order_by()
    )
    area_keys = lookups.work_area_keys()
    results: dict[tuple[int, int], Result] = {}
    for row in rows:
        indicator = by_pk[row["indicator_id"]]
        value = Decimal(row["total"]).quantize(CENTS)  # answers have at most two decimals; SQLite's sum has more
        result = results.setdefault((indicator.pk, row["report__round__year"]), Result(total=ZERO, groups={}))
        result.total += value
        if row["work_area_id"] is not None and "work_area" in indicator.breakdowns:
            _add(result, "work_area", area_keys.get(row["work_area_id"]), value)
        for code, key in (
            ("participant_kind", row["report__participant__kind"]),
            ("organisation_kind", row["lead__organisation__kind"]),
            ("county", row["lead__organisation__county__number"]),
        ):
            if code in indicator.breakdowns:
                _add(result, code, key, value)
    return results


def imported_results(indicators: list[Indicator], years: list[int]) -> dict[tuple[int, int], Result]:
    """Imported values; when a file gave only groups, the total is their sum (not for per cents)."""
    by_pk = {i.pk: i for i in indicators}
    results: dict[tuple[int, int], Result] = {}
    for indicator_id, year, breakdown, key, value in (
        IndicatorValue.objects.filter(report__isnull=True, indicator__in=list(by_pk), year__in=years)
        .values_list("indicator_id", "year", "breakdown", "key", "value")
        .order_by()
    ):
        result = results.setdefault((indicator_id, year), Result(total=None, groups={}))
        if breakdown:
            result.groups.setdefault(breakdown, {})[key] = value
        else:
            result.total = value
    for (indicator_id, _year), result in results.items():
        if result.total is None and result.groups and by_pk[indicator_id].unit != Unit.PERCENT:
            first = next(iter(result.groups.values()))
            result.total = sum(first.values(), ZERO)
    return results


@dataclass(frozen=True)
class FrozenValues:
    results: dict[tuple[int, int], Result]
    labels: dict[tuple[str, str], tuple[str, int]]  # (break-down, key) -> (label, position)


def frozen_results(report: AnnualReport) -> FrozenValues:
    """The copy of the values a report's figures were frozen with."""
    results: dict[tuple[int, int], Result] = {}
    labels: dict[tuple[str, str], tuple[str, int]] = {}
    for indicator_id, year, breakdown, key, label, position, value in (
        IndicatorValue.objects.filter(report=report)
        .values_list("indicator_id", "year", "breakdown", "key", "label", "position", "value")
        .order_by()
    ):
        result = results.setdefault((indicator_id, year), Result(total=None, groups={}))
        if breakdown:
            result.groups.setdefault(breakdown, {})[key] = value
            labels[(breakdown, key)] = (label, position)
        else:
            result.total = value
    return FrozenValues(results=results, labels=labels)


# --- Reporting rounds ------------------------------------------------------------------------------------------


def round_list() -> QuerySet[ReportingRound]:
    submitted = (
        ParticipantReport.objects.filter(round=OuterRef("pk"), status=SubmissionStatus.SUBMITTED)
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return ReportingRound.objects.annotate(
        submitted_count=Coalesce(Subquery(submitted, output_field=IntegerField()), Value(0)),
        indicator_count=Count("indicators", distinct=True),
    )


def expected_participants(reporting_round: ReportingRound) -> QuerySet[Participant]:
    """The participants that report in the round: every member at some time in its year."""
    return members_in_year(reporting_round.year)


def missing_participants(reporting_round: ReportingRound) -> QuerySet[Participant]:
    """Expected participants that have not submitted (not started, or a draft)."""
    submitted = ParticipantReport.objects.filter(round=reporting_round, status=SubmissionStatus.SUBMITTED)
    return expected_participants(reporting_round).exclude(pk__in=submitted.values("participant_id"))


def _lead_memberships():
    return Prefetch(
        "memberships",
        queryset=ParticipantOrganisation.objects.filter(is_lead=True).select_related("organisation__county"),
        to_attr="lead_memberships",
    )


def round_rows(reporting_round: ReportingRound) -> QuerySet[Participant]:
    """The round's participants for the office list: the state of each one's report, when it
    was submitted, and the last reminder, with the lead organisation prefetched."""
    reports = ParticipantReport.objects.filter(round=reporting_round, participant=OuterRef("pk"))
    reminders = RoundReminder.objects.filter(round=reporting_round, participant=OuterRef("pk"))
    reminder_count = reminders.order_by().values("participant").annotate(n=Count("pk")).values("n")
    return (
        expected_participants(reporting_round)
        .annotate(
            report_id=Subquery(reports.values("pk")[:1]),
            report_status=Coalesce(Subquery(reports.values("status")[:1]), Value(SubmissionStatus.NOT_STARTED)),
            report_submitted_at=Subquery(reports.values("submitted_at")[:1]),
            report_updated_at=Subquery(reports.values("updated_at")[:1]),
            last_reminded=Subquery(reminders.order_by("-sent_on").values("sent_on")[:1]),
            reminder_count=Coalesce(Subquery(reminder_count, output_field=IntegerField()), Value(0)),
        )
        .prefetch_related(_lead_memberships())
    )


@dataclass(frozen=True)
class RoundCounts:
    expected: int
    submitted: int
    draft: int

    @property
    def not_started(self) -> int:
        return self.expected - self.submitted - self.draft

    @property
    def missing(self) -> int:
        return self.expected - self.submitted


def round_counts(reporting_round: ReportingRound) -> RoundCounts:
    expected = expected_participants(reporting_round).values("pk")
    counts = ParticipantReport.objects.filter(round=reporting_round, participant__in=expected).aggregate(
        submitted=Count("pk", filter=Q(status=SubmissionStatus.SUBMITTED)),
        draft=Count("pk", filter=Q(status=SubmissionStatus.DRAFT)),
    )
    return RoundCounts(expected=expected.count(), **counts)


def report_recipients(participant_ids) -> dict[int, list]:
    """Who is written to about a participant's report: its main contacts, or every contact
    person when it has no main contact."""
    by_participant: dict[int, dict[str, list]] = {}
    for contact in ParticipantContact.objects.filter(participant_id__in=participant_ids).select_related("person"):
        roles_of = by_participant.setdefault(contact.participant_id, {"main": [], "other": []})
        roles_of["main" if contact.role == ContactRole.MAIN else "other"].append(contact.person)
    result = {}
    for participant_id, people in by_participant.items():
        chosen = people["main"] or people["other"]
        unique = {person.email.lower(): person for person in chosen}
        result[participant_id] = sorted(unique.values(), key=lambda p: p.name)
    return result


def round_indicators(reporting_round: ReportingRound) -> list[Indicator]:
    return list(reporting_round.indicators.order_by("position", "code"))


def submission_detail(*, pk: int) -> ParticipantReport:
    return (
        ParticipantReport.objects.select_related("round", "participant", "submitted_by", "updated_by")
        .prefetch_related(
            Prefetch("values", queryset=ReportedValue.objects.select_related("indicator", "work_area")),
            Prefetch("corrections", queryset=ReportCorrection.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def report_of(reporting_round: ReportingRound, participant: Participant) -> ParticipantReport | None:
    return (
        ParticipantReport.objects.filter(round=reporting_round, participant=participant)
        .prefetch_related("values", "corrections__actor")
        .first()
    )


def answers_of(report: ParticipantReport | None) -> dict[tuple[int, int | None], Decimal]:
    if report is None:
        return {}
    return {(v.indicator_id, v.work_area_id): v.value for v in report.values.all()}


def answer_rows(indicators, work_areas, answers) -> list[tuple[str, Decimal | None, int]]:
    """(question, value, decimals) per answer, in the order of the form, for read-only pages."""
    rows = []
    for indicator in indicators:
        if indicator.per_work_area:
            for area in work_areas:
                rows.append(
                    (f"{indicator.display_name} – {area.display_name}", answers.get((indicator.pk, area.pk)), indicator.decimals)
                )
        else:
            rows.append((indicator.display_name, answers.get((indicator.pk, None)), indicator.decimals))
    return rows


@dataclass(frozen=True)
class ContactRound:
    """A round a contact person reports in for one of their participants."""

    round: ReportingRound
    participant: Participant
    report: ParticipantReport | None

    @property
    def status(self) -> str:
        return self.report.status if self.report else SubmissionStatus.NOT_STARTED


def contact_rounds(user) -> list[ContactRound]:
    """For each participant the user is a contact for: the open rounds it reports in, and the
    rounds it has reported in before (newest first)."""
    ids = roles.contact_participant_ids(user)
    if not ids:
        return []
    participants = {p.pk: p for p in Participant.objects.filter(pk__in=ids)}
    rounds = list(ReportingRound.objects.exclude(status=RoundStatus.DRAFT).order_by("-year"))
    reports = {
        (r.round_id, r.participant_id): r
        for r in ParticipantReport.objects.filter(participant_id__in=ids, round__in=rounds)
    }
    expected = {
        (reporting_round.pk, pk)
        for reporting_round in rounds
        if reporting_round.status == RoundStatus.OPEN
        for pk in members_in_year(reporting_round.year).filter(pk__in=ids).values_list("pk", flat=True)
    }
    entries = []
    for reporting_round in rounds:
        for pk, participant in sorted(participants.items(), key=lambda item: item[1].name):
            report = reports.get((reporting_round.pk, pk))
            if report is not None or (reporting_round.pk, pk) in expected:
                entries.append(ContactRound(round=reporting_round, participant=participant, report=report))
    return entries


# --- Imports --------------------------------------------------------------------------------------------------------


def import_list() -> QuerySet[IndicatorImport]:
    return IndicatorImport.objects.select_related("uploaded_by", "imported_by")


def imported_file(sha256: str) -> IndicatorImport | None:
    return IndicatorImport.objects.filter(sha256=sha256, status=ImportStatus.IMPORTED).first()


# --- Annual reports --------------------------------------------------------------------------------------------------


def report_list() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.annotate(section_count=Count("sections", distinct=True))


def published_reports() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(status=ReportStatus.PUBLISHED).order_by("-year")


def report_with_sections(report: AnnualReport) -> list[ReportSection]:
    """The report's sections in order, each with its indicators (and their definitions) prefetched."""
    return list(
        report.sections.order_by("position", "pk").prefetch_related(
            Prefetch(
                "section_indicators",
                queryset=SectionIndicator.objects.select_related("indicator").order_by("position", "pk"),
            )
        )
    )
