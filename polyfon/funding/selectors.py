"""Reads of the funding app that pages, other apps and reports share, with their joins.

Sums over budget lines and reviews are correlated subqueries, so a list of applications costs
the same number of queries whatever its length."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
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

from .models import (
    SUBMITTED_STATES,
    Application,
    ApplicationStatus,
    BudgetLine,
    Call,
    Decision,
    FundingStatus,
    Grant,
    GrantOutput,
    GrantPayment,
    GrantReport,
    GrantStatus,
    GrantStudent,
    OutputKind,
    Review,
    ReviewScore,
    ReviewStatus,
)

ZERO = Decimal("0")
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
SCORE_FIELD = DecimalField(max_digits=5, decimal_places=2)


def granted_total(*, year: int) -> Decimal:
    """The sum of the grants decided in calendar year `year` (Decimal("0") when none).

    Used by the economy overview's "returned to participants". Cancelled grants are left out:
    their money was not returned to the participants."""
    total = (
        Grant.objects.filter(decision__decided_on__year=year)
        .exclude(status=GrantStatus.CANCELLED)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total if total is not None else Decimal("0")


# --- Subqueries ------------------------------------------------------------------------------------------------------


def _budget_sum(column: str, ref: str = "pk"):
    lines = (
        BudgetLine.objects.filter(application=OuterRef(ref))
        .order_by()
        .values("application")
        .annotate(total=Sum(column))
        .values("total")
    )
    return Coalesce(Subquery(lines, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)


def _review_count(*statuses):
    reviews = (
        Review.objects.filter(application=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(reviews, output_field=IntegerField()), Value(0))


def _mean_score():
    reviews = (
        Review.objects.filter(application=OuterRef("pk"), status=ReviewStatus.SUBMITTED)
        .order_by()
        .values("application")
        .annotate(mean=Avg("weighted_score"))
        .values("mean")
    )
    return Subquery(reviews, output_field=SCORE_FIELD)


# Long texts that lists never show.
LONG_TEXTS = ("summary", "description", "student_work", "previous_funding_report", "proposal_note")


def with_amounts(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate `requested`, `own_contribution`, `reviews_done`, `reviews_open` and `mean_score`."""
    return queryset.annotate(
        requested=_budget_sum("requested"),
        own_contribution=_budget_sum("own_contribution"),
        reviews_done=_review_count(ReviewStatus.SUBMITTED),
        reviews_open=_review_count(ReviewStatus.ASSIGNED, ReviewStatus.ACCEPTED),
        mean_score=_mean_score(),
    )


# --- Calls -------------------------------------------------------------------------------------------------------------


def public_calls(now=None) -> dict[str, list[Call]]:
    """Published calls for /utlysninger/: open (closing first), upcoming, and past (newest first)."""
    now = now or timezone.now()
    calls = list(Call.objects.published().prefetch_related("work_areas").order_by("deadline"))
    return {
        "open": [c for c in calls if c.opens_at <= now < c.deadline],
        "upcoming": [c for c in calls if now < c.opens_at],
        "past": sorted((c for c in calls if c.deadline <= now), key=lambda c: c.deadline, reverse=True),
    }


def open_calls(now=None) -> QuerySet[Call]:
    return Call.objects.open_now(now).prefetch_related("work_areas", "criteria").order_by("deadline")


def public_call(*, slug: str) -> Call:
    return Call.objects.published().prefetch_related("work_areas", "criteria").get(slug=slug)


def public_grants_of(call: Call) -> QuerySet[Grant]:
    """The projects a call funded, for its public page."""
    return (
        Grant.objects.filter(application__call=call)
        .exclude(status=GrantStatus.CANCELLED)
        .select_related("application__lead_participant", "leader")
        .order_by("title")
    )


def call_list() -> QuerySet[Call]:
    """Calls for the office list, with the number of applications and the sums."""
    submitted = (
        Application.objects.filter(call=OuterRef("pk"), status__in=SUBMITTED_STATES)
        .order_by()
        .values("call")
        .annotate(n=Count("pk"))
        .values("n")
    )
    drafts = (
        Application.objects.filter(call=OuterRef("pk"), status=ApplicationStatus.DRAFT)
        .order_by()
        .values("call")
        .annotate(n=Count("pk"))
        .values("n")
    )
    granted = (
        Grant.objects.filter(application__call=OuterRef("pk"))
        .exclude(status=GrantStatus.CANCELLED)
        .order_by()
        .values("application__call")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Call.objects.prefetch_related("work_areas").annotate(
        submitted_count=Coalesce(Subquery(submitted, output_field=IntegerField()), Value(0)),
        draft_count=Coalesce(Subquery(drafts, output_field=IntegerField()), Value(0)),
        granted_sum=Coalesce(Subquery(granted, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD),
    )


# --- Applications ----------------------------------------------------------------------------------------------------


def application_list(*, viewer) -> QuerySet[Application]:
    """Applications for the office list. Coordinators see drafts too (to reopen one that missed
    the deadline); steering-group members see what has been submitted."""
    queryset = Application.objects.select_related(
        "call", "leader", "lead_participant", "work_area", "decision"
    ).defer(*LONG_TEXTS)
    if not roles.is_coordinator(viewer):
        queryset = queryset.filter(submitted_at__isnull=False)
    return with_amounts(queryset)


def applications_of(user) -> QuerySet[Application]:
    """The applicant's own applications, newest call first."""
    return with_amounts(
        Application.objects.filter(applicant=user).select_related("call", "decision", "lead_participant", "grant")
    ).order_by("-call__deadline", "-number")


def application_detail(*, pk: int) -> Application:
    return (
        Application.objects.select_related(
            "call", "applicant", "leader__user", "lead_participant", "work_area", "decision", "grant"
        )
        .prefetch_related(
            "partner_participants",
            "team",
            "external_partners",
            "budget_lines",
            "attachments",
            "call__criteria",
            "call__work_areas",
            "leader__affiliations__organisation",
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("reviewer__user").prefetch_related("scores").order_by("assigned_at", "pk"),
            ),
        )
        .get(pk=pk)
    )


@dataclass
class BudgetTotals:
    requested: Decimal
    own_contribution: Decimal

    @property
    def total(self) -> Decimal:
        return self.requested + self.own_contribution


def budget_totals(application: Application) -> BudgetTotals:
    """From the prefetched budget lines when they are there."""
    lines = list(application.budget_lines.all())
    return BudgetTotals(
        requested=sum((line.requested for line in lines), ZERO),
        own_contribution=sum((line.own_contribution for line in lines), ZERO),
    )


@dataclass
class ScoreMatrix:
    """Scores side by side: one row per criterion, one column per submitted review."""

    reviews: list
    rows: list = field(default_factory=list)  # (criterion, [score or None per review], mean)
    weighted: list = field(default_factory=list)  # weighted score per review
    mean: Decimal | None = None


def score_matrix(application: Application) -> ScoreMatrix:
    reviews = [r for r in application.reviews.all() if r.status == ReviewStatus.SUBMITTED]
    matrix = ScoreMatrix(reviews=reviews)
    for criterion in application.call.criteria.all():
        scores = []
        for review in reviews:
            score = next((s.score for s in review.scores.all() if s.criterion_id == criterion.pk), None)
            scores.append(score)
        given = [s for s in scores if s is not None]
        mean = _round(Decimal(sum(given)) / len(given)) if given else None
        matrix.rows.append((criterion, scores, mean))
    matrix.weighted = [r.weighted_score for r in reviews]
    given = [w for w in matrix.weighted if w is not None]
    matrix.mean = _round(sum(given, ZERO) / len(given)) if given else None
    return matrix


def _round(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def score(value) -> Decimal | None:
    """A mean score as shown: two decimals (SQLite's average keeps more)."""
    return None if value is None else _round(value)


# --- Ranking ---------------------------------------------------------------------------------------------------------


@dataclass
class RankingRow:
    rank: int
    application: Application
    criterion_means: list  # per criterion of the call, in order
    cumulative: Decimal
    within_budget: bool


@dataclass
class Ranking:
    call: Call
    criteria: list
    rows: list
    requested_total: Decimal
    funded_top_down: Decimal  # what the budget covers if the ranking is funded from the top
    funded_count: int
    proposed_total: Decimal
    unscored: int


def ranking(call: Call) -> Ranking:
    """The call's submitted applications by mean weighted score (unscored last), with the
    budget used if the ranking is funded from the top down (the requested amounts)."""
    criteria = list(call.criteria.all())
    applications = list(
        with_amounts(
            Application.objects.filter(call=call)
            .filter(Q(status__in=SUBMITTED_STATES) | Q(status=ApplicationStatus.REOPENED, submitted_at__isnull=False))
            .select_related("lead_participant")
            .defer(*LONG_TEXTS)
        )
    )
    means: dict[tuple[int, int], Decimal] = {}
    for row in (
        ReviewScore.objects.filter(review__application__call=call, review__status=ReviewStatus.SUBMITTED)
        .order_by()
        .values("review__application_id", "criterion_id")
        .annotate(mean=Avg("score"))
    ):
        means[(row["review__application_id"], row["criterion_id"])] = _round(Decimal(str(row["mean"])))
    for application in applications:
        application.call = call  # the references need the call's code; no query per row
        if application.mean_score is not None:
            application.mean_score = _round(application.mean_score)
    applications.sort(key=lambda a: (a.mean_score is None, -(a.mean_score or 0), a.number))
    rows, cumulative, funded, funded_count, still_within = [], ZERO, ZERO, 0, True
    for index, application in enumerate(applications, start=1):
        cumulative += application.requested
        within = still_within and cumulative <= call.total_budget
        if within:
            funded, funded_count = cumulative, funded_count + 1
        else:
            still_within = False
        rows.append(
            RankingRow(
                rank=index,
                application=application,
                criterion_means=[means.get((application.pk, c.pk)) for c in criteria],
                cumulative=cumulative,
                within_budget=within,
            )
        )
    return Ranking(
        call=call,
        criteria=criteria,
        rows=rows,
        requested_total=cumulative,
        funded_top_down=funded,
        funded_count=funded_count,
        proposed_total=sum((a.proposed_amount or ZERO for a in applications if a.proposed_outcome == "grant"), ZERO),
        unscored=sum(1 for a in applications if a.mean_score is None),
    )


def decision_candidates(call: Call) -> list[Application]:
    """Submitted, undecided applications of a call, in ranking order, for the decision meeting."""
    rows = [r.application for r in ranking(call).rows]
    return [a for a in rows if a.status == ApplicationStatus.SUBMITTED]


# --- Totals per call ------------------------------------------------------------------------------------------------


@dataclass
class TotalsRow:
    label: str
    applications: int = 0
    requested: Decimal = ZERO
    granted_count: int = 0
    granted: Decimal = ZERO


@dataclass
class CallTotals:
    all: TotalsRow
    by_work_area: list
    by_participant_kind: list
    by_organisation_kind: list
    drafts: int
    withdrawn: int
    declined: int
    undecided: int


def call_totals(call: Call) -> CallTotals:
    """Applications, requested and granted, in all and per work area, per kind of participant
    and per kind of the lead organisation. Counts applications that were submitted."""
    from polyfon.members.models import OrganisationKind, ParticipantKind, ParticipantOrganisation

    applications = list(
        Application.objects.filter(call=call)
        .annotate(requested=_budget_sum("requested"))
        .select_related("work_area", "lead_participant")
        .only("status", "work_area", "lead_participant")
    )
    lead_ids = {a.lead_participant_id for a in applications if a.lead_participant_id}
    lead_org_kind = {
        m.participant_id: m.organisation.kind
        for m in ParticipantOrganisation.objects.filter(participant_id__in=lead_ids, is_lead=True).select_related("organisation")
    }
    grants = {
        g.application_id: g.amount
        for g in Grant.objects.filter(application__call=call).exclude(status=GrantStatus.CANCELLED).only("application_id", "amount")
    }
    total = TotalsRow(label="")
    by_area: dict = {}
    by_kind: dict = {}
    by_org: dict = {}
    counted = [a for a in applications if a.status in SUBMITTED_STATES]
    for application in counted:
        granted = grants.get(application.pk)
        area = application.work_area.display_name if application.work_area else "–"
        kind_key = application.lead_participant.kind if application.lead_participant else ""
        org_key = lead_org_kind.get(application.lead_participant_id, "")
        for row in [
            total,
            by_area.setdefault(area, TotalsRow(label=area)),
            by_kind.setdefault(kind_key, TotalsRow(label=str(ParticipantKind(kind_key).label) if kind_key else "–")),
            by_org.setdefault(org_key, TotalsRow(label=str(OrganisationKind(org_key).label) if org_key else "–")),
        ]:
            row.applications += 1
            row.requested += application.requested
            if granted is not None:
                row.granted_count += 1
                row.granted += granted
    statuses = [a.status for a in applications]
    return CallTotals(
        all=total,
        by_work_area=sorted(by_area.values(), key=lambda r: r.label),
        by_participant_kind=sorted(by_kind.values(), key=lambda r: r.label),
        by_organisation_kind=sorted(by_org.values(), key=lambda r: r.label),
        drafts=statuses.count(ApplicationStatus.DRAFT) + statuses.count(ApplicationStatus.REOPENED),
        withdrawn=statuses.count(ApplicationStatus.WITHDRAWN),
        declined=statuses.count(ApplicationStatus.DECLINED),
        undecided=statuses.count(ApplicationStatus.SUBMITTED),
    )


# --- Reviews -------------------------------------------------------------------------------------------------------------


def reviews_of(user) -> QuerySet[Review]:
    """A reviewer's own assignments (conflicts declared stay listed, without the application)."""
    return (
        Review.objects.filter(reviewer__user=user)
        .select_related("application__call", "application__lead_participant")
        .order_by("-application__call__deadline", "application__number")
    )


def review_for_reviewer(*, pk: int) -> Review:
    return Review.objects.select_related("reviewer__user", "application__call").prefetch_related("scores").get(pk=pk)


# --- Grants and projects ----------------------------------------------------------------------------------------------


def _paid_sum():
    paid = (
        GrantPayment.objects.filter(grant=OuterRef("pk"), paid_on__isnull=False)
        .order_by()
        .values("grant")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(paid, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)


def _won_sum():
    won = (
        GrantOutput.objects.filter(grant=OuterRef("pk"), kind=OutputKind.FUNDING, funding_status=FundingStatus.WON)
        .order_by()
        .values("grant")
        .annotate(total=Sum("amount_won"))
        .values("total")
    )
    return Coalesce(Subquery(won, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)


def _count(model, **filters):
    rows = model.objects.filter(grant=OuterRef("pk"), **filters).order_by().values("grant").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def grant_list() -> QuerySet[Grant]:
    return (
        Grant.objects.select_related("application__call", "leader", "decision", "application__lead_participant")
        .prefetch_related("participants")
        .annotate(
            paid=_paid_sum(),
            external_won=_won_sum(),
            student_count=_count(GrantStudent),
            output_count=_count(GrantOutput),
            open_reports=_count(GrantReport, status__in=["due", "returned"]),
        )
    )


def grant_detail(*, pk: int) -> Grant:
    return (
        Grant.objects.select_related(
            "application__call", "application__applicant", "leader__user", "decision", "application__lead_participant"
        )
        .prefetch_related(
            "participants",
            Prefetch("students", queryset=GrantStudent.objects.select_related("person")),
            "payments",
            "reports",
            "outputs",
        )
        .annotate(paid=_paid_sum())
        .get(pk=pk)
    )


def grants_of(user) -> QuerySet[Grant]:
    """Projects the user leads or applied for."""
    return (
        Grant.objects.filter(Q(leader__user=user) | Q(application__applicant=user))
        .distinct()
        .select_related("application__call")
        .annotate(open_reports=_count(GrantReport, status__in=["due", "returned"]))
        .order_by("-start_date")
    )


def report_list() -> QuerySet[GrantReport]:
    return GrantReport.objects.select_related("grant__leader", "grant__application__call")


# --- For the economy page and the annual report --------------------------------------------------------------------------


def decisions_in_year(year: int) -> QuerySet[Decision]:
    return Decision.objects.filter(decided_on__year=year).select_related("application__call", "application__lead_participant")


def grants_decided_in(year: int) -> QuerySet[Grant]:
    return Grant.objects.filter(decision__decided_on__year=year).exclude(status=GrantStatus.CANCELLED)


def projects_active_during(start: date, end: date) -> QuerySet[Grant]:
    """Projects whose period overlaps start–end (both included)."""
    return Grant.objects.filter(start_date__lte=end, end_date__gte=start).exclude(status=GrantStatus.CANCELLED)


def students_during(start: date, end: date) -> QuerySet[GrantStudent]:
    """Students in projects active during start–end whose thesis was not completed before start."""
    return (
        GrantStudent.objects.filter(grant__in=projects_active_during(start, end))
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=start))
        .select_related("person", "grant")
    )


def follow_up_funding(*, year: int | None = None, call: Call | None = None) -> dict:
    """Whether seed funds led to larger funding: external applications and what was won
    (registered in `year`, or by the projects of `call`)."""
    outputs = GrantOutput.objects.filter(kind=OutputKind.FUNDING)
    if call is not None:
        outputs = outputs.filter(grant__application__call=call)
    if year is not None:
        outputs = outputs.filter(occurred_on__year=year)
    summary = outputs.aggregate(
        applied=Count("pk"),
        won=Count("pk", filter=Q(funding_status=FundingStatus.WON)),
        amount_won=Sum("amount_won", filter=Q(funding_status=FundingStatus.WON)),
        grants_with_win=Count("grant", filter=Q(funding_status=FundingStatus.WON), distinct=True),
    )
    summary["amount_won"] = summary["amount_won"] or ZERO
    return summary
