"""The computed indicators: one function per indicator code, registered with the definition the
system creates for it (names in bokmål, nynorsk and English, unit, topic, break-downs).

Each function takes the `YearData` of a year and returns a `Result`: the total and the value of
every group of each break-down. `YearData` reads what several indicators share once (the members
of the year, the invoices, the grants, the events), through the other apps' selectors where they
have one, so computing every indicator of a year costs a fixed number of queries whatever the
size of the register.

The default reported and imported indicators (positions, full-time equivalents, users reached,
the national patient register's contacts, ...) are listed in DEFAULTS: the coordinator can
change them, make them inactive and add more.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from polyfon.core.dates import year_bounds

from .breakdowns import OTHER
from .models import Chart, Source, Topic, Unit

ZERO = Decimal("0")


@dataclass
class Result:
    """An indicator's values for one year: the total (None: no data) and, per break-down, the
    value of each group that has one."""

    total: Decimal | None
    groups: dict[str, dict[str, Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class Definition:
    code: str
    source: str
    topic: str
    unit: str
    names: tuple[str, str, str]  # bokmål, nynorsk, English
    descriptions: tuple[str, str, str]
    breakdowns: tuple[str, ...] = ()
    decimals: int = 0
    chart: str = Chart.YEARS
    position: int = 100
    compute: Callable[["YearData"], Result] | None = None

    def model_values(self) -> dict:
        return {
            "source": self.source,
            "topic": self.topic,
            "unit": self.unit,
            "name": self.names[0],
            "name_nn": self.names[1],
            "name_en": self.names[2],
            "description": self.descriptions[0],
            "description_nn": self.descriptions[1],
            "description_en": self.descriptions[2],
            "breakdowns": list(self.breakdowns),
            "decimals": self.decimals,
            "chart": self.chart,
            "position": self.position,
        }


REGISTRY: dict[str, Definition] = {}


def register(code: str, **meta):
    """Register the function below as the computation of indicator `code`."""

    def decorator(function):
        REGISTRY[code] = Definition(code=code, source=Source.COMPUTED, compute=function, **meta)
        return function

    return decorator


def compute(code: str, data: "YearData") -> Result:
    return REGISTRY[code].compute(data)


# --- What the indicators of a year share ------------------------------------------------------------------


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _d(value) -> Decimal:
    return Decimal(value or 0)


def _counts(values: Iterable) -> dict[str, Decimal]:
    return {str(key): Decimal(n) for key, n in Counter(v for v in values if v not in (None, "")).items()}


def _sums(rows: Iterable[tuple]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for key, value in rows:
        key = key or OTHER
        totals[key] = totals.get(key, ZERO) + _d(value)
    return totals


class YearData:
    """What the computed indicators of one year read, each part loaded once, when first needed."""

    def __init__(self, year: int, *, now: datetime | None = None):
        self.year = year
        self.start, self.end = year_bounds(year)
        self.start_at, self.end_at = _aware(self.start), _aware(date(year + 1, 1, 1))
        self.now = now or timezone.now()

    # The register.

    def _members_queryset(self):
        from polyfon.members.selectors import members_in_year

        return members_in_year(self.year)

    @cached_property
    def members(self) -> list[dict]:
        """The participants that were members at some time in the year (notice periods included),
        with their kind, fee category (as invoiced that year when it was) and the kind and county
        of their lead organisation."""
        from polyfon.billing.models import Invoice
        from polyfon.members.models import ParticipantOrganisation

        lead = ParticipantOrganisation.objects.filter(participant=OuterRef("pk"), is_lead=True)
        rows = list(
            self._members_queryset()
            .annotate(
                lead_kind=Subquery(lead.values("organisation__kind")[:1]),
                lead_county=Subquery(lead.values("organisation__county__number")[:1]),
            )
            .values("pk", "kind", "fee_category", "lead_kind", "lead_county")
            .order_by()
        )
        invoiced = dict(
            Invoice.objects.filter(year=self.year, annual_fee_key__isnull=False, participant__isnull=False)
            .exclude(fee_category="")
            .values_list("participant_id", "fee_category")
            .order_by()
        )
        for row in rows:
            row["fee_category"] = invoiced.get(row["pk"], row["fee_category"])
        return rows

    @cached_property
    def member_ids(self) -> set[int]:
        return {row["pk"] for row in self.members}

    @cached_property
    def member_work_areas(self) -> list[str]:
        from polyfon.members.models import Participant

        through = Participant.work_areas.through
        return list(
            through.objects.filter(participant__in=self._members_queryset().values("pk"))
            .values_list("workarea__slug", flat=True)
            .order_by()
        )

    @cached_property
    def new_member_ids(self) -> set[int]:
        """Members whose first membership began this year."""
        from polyfon.members.selectors import first_membership_years

        first = first_membership_years(self._members_queryset().values("pk"))
        return {pk for pk, year in first.items() if year == self.year}

    @cached_property
    def leaving_member_ids(self) -> set[int]:
        """Members of the year that were no longer members when the next year began."""
        from polyfon.members.selectors import members_during

        next_day = date(self.year + 1, 1, 1)
        staying = set(members_during(next_day, next_day).values_list("pk", flat=True))
        return self.member_ids - staying

    def members_among(self, ids: set[int]) -> list[dict]:
        return [row for row in self.members if row["pk"] in ids]

    # Money.

    @cached_property
    def fees(self) -> dict[str, dict[str, Decimal]]:
        """Per fee category: invoiced (excl. VAT), credited (excl. VAT) and paid (incl. VAT, as
        paid) on the year's participation-fee invoices. Invoices by hand for something else (a
        seminar fee, a room) have no fee category and are not participation fees."""
        from polyfon.billing.models import CreditNote, Invoice

        result: dict[str, dict[str, Decimal]] = {}
        for row in (
            Invoice.objects.filter(year=self.year).exclude(fee_category="")
            .values("fee_category")
            .annotate(net=Sum("net_amount"), paid=Sum("paid_amount"))
            .order_by()
        ):
            entry = result.setdefault(row["fee_category"] or OTHER, {"net": ZERO, "credited": ZERO, "paid": ZERO})
            entry["net"] += _d(row["net"])
            entry["paid"] += _d(row["paid"])
        for row in CreditNote.objects.filter(year=self.year).exclude(fee_category="").values("fee_category").annotate(net=Sum("net_amount")).order_by():
            entry = result.setdefault(row["fee_category"] or OTHER, {"net": ZERO, "credited": ZERO, "paid": ZERO})
            entry["credited"] += _d(row["net"])
        return result

    @cached_property
    def income(self) -> Decimal:
        return sum((entry["net"] - entry["credited"] for entry in self.fees.values()), ZERO)

    # Calls, grants and projects.

    @cached_property
    def grants(self) -> list[dict]:
        """Grants decided this year (cancelled ones left out), per work area: count and amount."""
        from polyfon.funding.selectors import grants_decided_in

        return list(
            grants_decided_in(self.year)
            .values("application__work_area__slug")
            .annotate(n=Count("pk"), amount=Sum("amount"))
            .order_by()
        )

    @cached_property
    def granted(self) -> Decimal:
        return sum((_d(row["amount"]) for row in self.grants), ZERO)

    @cached_property
    def applications(self) -> list[dict]:
        """Applications submitted this year (and not withdrawn or sent back), per work area and
        kind of the lead participant."""
        from polyfon.funding.models import SUBMITTED_STATES, Application

        return list(
            Application.objects.filter(
                status__in=SUBMITTED_STATES, submitted_at__gte=self.start_at, submitted_at__lt=self.end_at
            )
            .values("work_area__slug", "lead_participant__kind")
            .annotate(n=Count("pk"))
            .order_by()
        )

    @cached_property
    def projects(self) -> list[dict]:
        from polyfon.funding.selectors import projects_active_during

        return list(
            projects_active_during(self.start, self.end)
            .values("application__work_area__slug")
            .annotate(n=Count("pk"))
            .order_by()
        )

    @cached_property
    def students(self) -> dict[str, Decimal]:
        from polyfon.funding.selectors import students_during

        return {
            row["level"]: Decimal(row["n"])
            for row in students_during(self.start, self.end)
            .values("level")
            .annotate(n=Count("person", distinct=True))
            .order_by()
        }

    @cached_property
    def outputs(self) -> dict[str, dict]:
        from polyfon.funding.models import FundingStatus, GrantOutput

        won = Q(funding_status=FundingStatus.WON)
        return {
            row["kind"]: row
            for row in GrantOutput.objects.filter(occurred_on__gte=self.start, occurred_on__lte=self.end)
            .values("kind")
            .annotate(n=Count("pk"), won_n=Count("pk", filter=won), won=Sum("amount_won", filter=won))
            .order_by()
        }

    # Events.

    def _events(self):
        from polyfon.events.models import Event, EventKind, EventStatus

        return Event.objects.filter(
            status=EventStatus.PUBLISHED, starts_at__gte=self.start_at, starts_at__lt=self.end_at, ends_at__lt=self.now
        ).exclude(kind=EventKind.STEERING_MEETING)

    @cached_property
    def events_by_kind(self) -> dict[str, Decimal]:
        return {row["kind"]: Decimal(row["n"]) for row in self._events().values("kind").annotate(n=Count("pk")).order_by()}

    @cached_property
    def events_by_audience(self) -> dict[str, Decimal]:
        from polyfon.events.models import EventAudience

        return {
            row["audience"]: Decimal(row["n"])
            for row in EventAudience.objects.filter(event__in=self._events().values("pk"))
            .values("audience")
            .annotate(n=Count("event", distinct=True))
            .order_by()
        }

    @cached_property
    def registrations(self) -> dict[str, dict[str, Decimal]]:
        """Confirmed registrations and attendance at the year's events, per audience of the
        registrant's kind of organisation (other kinds and unknown: OTHER)."""
        from polyfon.events.models import Registration, RegistrationStatus, audience_of_organisation_kind

        result: dict[str, dict[str, Decimal]] = {}
        for row in (
            Registration.objects.filter(event__in=self._events().values("pk"), status=RegistrationStatus.CONFIRMED)
            .values("organisation_kind")
            .annotate(n=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
            .order_by()
        ):
            audience = audience_of_organisation_kind(row["organisation_kind"]) or OTHER
            entry = result.setdefault(audience, {"registered": ZERO, "attended": ZERO})
            entry["registered"] += row["n"]
            entry["attended"] += row["attended"]
        return result

    # The reporting round.

    @cached_property
    def submitted_reports(self) -> int:
        from .models import ParticipantReport, SubmissionStatus

        return ParticipantReport.objects.filter(round__year=self.year, status=SubmissionStatus.SUBMITTED).count()


def _group(rows: list[dict], key: str, value: str = "n") -> dict[str, Decimal]:
    return _sums((row[key], row[value]) for row in rows)


def _member_groups(rows: list[dict]) -> dict[str, dict[str, Decimal]]:
    return {
        "participant_kind": _counts(r["kind"] for r in rows),
        "organisation_kind": _counts(r["lead_kind"] for r in rows),
        "county": _counts(r["lead_county"] for r in rows),
        "fee_category": _counts(r["fee_category"] for r in rows),
    }


def _members_by_kind_and_county(rows: list[dict]) -> Result:
    groups = _member_groups(rows)
    return Result(total=Decimal(len(rows)), groups={k: groups[k] for k in ("participant_kind", "county")})


def _summed(breakdown: str, groups: dict[str, Decimal]) -> Result:
    """The groups of one break-down, and their sum as the total."""
    return Result(total=sum(groups.values(), ZERO), groups={breakdown: groups})


def _counted(rows: list[dict], **breakdowns: str) -> Result:
    """Rows of counts (`n`): their sum, and per break-down the sum of each group of the key it names."""
    return Result(
        total=sum((Decimal(r["n"]) for r in rows), ZERO),
        groups={breakdown: _group(rows, key) for breakdown, key in breakdowns.items()},
    )


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= ZERO:
        return None
    return (part * Decimal("100") / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Participants ---------------------------------------------------------------------------------------------

P, E, F, PR, EV, RP = Topic.PARTICIPANTS, Topic.ECONOMY, Topic.FUNDING, Topic.PROJECTS, Topic.EVENTS, Topic.SERVICES


@register(
    "participants",
    topic=P,
    unit=Unit.COUNT,
    position=10,
    breakdowns=("participant_kind", "organisation_kind", "county", "fee_category", "work_area"),
    chart=Chart.YEARS,
    names=("Deltakere", "Deltakarar", "Participants"),
    descriptions=(
        "Deltakere som var medlemmer i løpet av året, også i oppsigelsestiden. Region og organisasjonstype er "
        "hovedorganisasjonens. Et medlem kan ha flere arbeidsområder.",
        "Deltakarar som var medlemmer i løpet av året, også i oppseiingstida. Region og organisasjonstype er "
        "hovudorganisasjonen sin. Eit medlem kan ha fleire arbeidsområde.",
        "Participants that were members during the year, notice periods included. Region and kind of organisation "
        "are the lead organisation's. A member may have several work areas.",
    ),
)
def participants(data: YearData) -> Result:
    groups = _member_groups(data.members)
    groups["work_area"] = _counts(data.member_work_areas)
    return Result(total=Decimal(len(data.members)), groups=groups)


@register(
    "participants_new",
    topic=P,
    unit=Unit.COUNT,
    position=11,
    breakdowns=("participant_kind", "county"),
    names=("Nye deltakere", "Nye deltakarar", "New participants"),
    descriptions=(
        "Deltakere som ble medlemmer for første gang i året.",
        "Deltakarar som vart medlemmer for første gong i året.",
        "Participants that became members for the first time during the year.",
    ),
)
def participants_new(data: YearData) -> Result:
    return _members_by_kind_and_county(data.members_among(data.new_member_ids))


@register(
    "participants_leaving",
    topic=P,
    unit=Unit.COUNT,
    position=12,
    breakdowns=("participant_kind", "county"),
    names=("Deltakere som gikk ut", "Deltakarar som gjekk ut", "Participants leaving"),
    descriptions=(
        "Deltakere som var medlemmer i året, men ikke lenger ved inngangen til neste år.",
        "Deltakarar som var medlemmer i året, men ikkje lenger ved inngangen til neste år.",
        "Participants that were members during the year but no longer when the next year began.",
    ),
)
def participants_leaving(data: YearData) -> Result:
    return _members_by_kind_and_county(data.members_among(data.leaving_member_ids))


# --- Economy ------------------------------------------------------------------------------------------------------


@register(
    "fee_income_invoiced",
    topic=E,
    unit=Unit.NOK,
    position=20,
    breakdowns=("fee_category",),
    names=("Deltakeravgift fakturert", "Deltakaravgift fakturert", "Participation fees invoiced"),
    descriptions=(
        "Fakturert deltakeravgift for året uten merverdiavgift, fratrukket kreditnotaer.",
        "Fakturert deltakaravgift for året utan meirverdiavgift, fråtrekt kreditnotaer.",
        "Participation fees invoiced for the year, excluding VAT, less credit notes.",
    ),
)
def fee_income_invoiced(data: YearData) -> Result:
    if not data.fees:
        return Result(total=ZERO)
    groups = {category: entry["net"] - entry["credited"] for category, entry in data.fees.items()}
    return Result(total=data.income, groups={"fee_category": groups})


@register(
    "fee_income_paid",
    topic=E,
    unit=Unit.NOK,
    position=21,
    breakdowns=("fee_category",),
    names=("Deltakeravgift innbetalt", "Deltakaravgift innbetalt", "Participation fees paid"),
    descriptions=(
        "Det som er betalt på årets fakturaer for deltakeravgift, med merverdiavgift der avgiften har det.",
        "Det som er betalt på fakturaene for deltakaravgift for året, med meirverdiavgift der avgifta har det.",
        "What has been paid on the year's participation-fee invoices, including VAT where the fee carries VAT.",
    ),
)
def fee_income_paid(data: YearData) -> Result:
    return _summed("fee_category", {category: entry["paid"] for category, entry in data.fees.items()})


@register(
    "funds_granted",
    topic=E,
    unit=Unit.NOK,
    position=22,
    breakdowns=("work_area",),
    names=("Tildelte midler", "Tildelte midlar", "Funds granted"),
    descriptions=(
        "Prosjekt- og såkornmidler styringsgruppen tildelte i året (avbrutte prosjekter er trukket fra).",
        "Prosjekt- og såkornmidlar styringsgruppa tildelte i året (avbrotne prosjekt er trekte frå).",
        "Project and seed funds the steering group granted during the year (cancelled projects left out).",
    ),
)
def funds_granted(data: YearData) -> Result:
    return Result(total=data.granted, groups={"work_area": _group(data.grants, "application__work_area__slug", "amount")})


@register(
    "share_returned",
    topic=E,
    unit=Unit.PERCENT,
    decimals=1,
    position=23,
    names=(
        "Andel av inntektene tilbake til deltakerne",
        "Del av inntektene tilbake til deltakarane",
        "Share of the income returned to participants",
    ),
    descriptions=(
        "Tildelte midler som andel av årets inntekter fra deltakeravgift. Målet er om lag halvparten.",
        "Tildelte midlar som del av inntektene frå deltakaravgift i året. Målet er om lag halvparten.",
        "Funds granted as a share of the year's income from participation fees. The target is about half.",
    ),
)
def share_returned(data: YearData) -> Result:
    return Result(total=_percent(data.granted, data.income))


# --- Calls and grants ----------------------------------------------------------------------------------------------


@register(
    "applications",
    topic=F,
    unit=Unit.COUNT,
    position=30,
    breakdowns=("work_area", "participant_kind"),
    names=("Søknader", "Søknader", "Applications"),
    descriptions=(
        "Søknader sendt inn til klyngens utlysninger i året, etter arbeidsområde og hvilken type deltaker som leder.",
        "Søknader sende inn til utlysingane til klynga i året, etter arbeidsområde og kva type deltakar som leiar.",
        "Applications submitted to the cluster's calls during the year, by work area and kind of lead participant.",
    ),
)
def applications(data: YearData) -> Result:
    rows = data.applications
    return Result(
        total=sum((Decimal(r["n"]) for r in rows), ZERO),
        groups={
            "work_area": _group(rows, "work_area__slug"),
            "participant_kind": {k: v for k, v in _group(rows, "lead_participant__kind").items() if k != OTHER},
        },
    )


@register(
    "grants",
    topic=F,
    unit=Unit.COUNT,
    position=31,
    breakdowns=("work_area",),
    names=("Tildelinger", "Tildelingar", "Grants"),
    descriptions=(
        "Søknader som fikk tildeling i året.",
        "Søknader som fekk tildeling i året.",
        "Applications granted during the year.",
    ),
)
def grants(data: YearData) -> Result:
    return _counted(data.grants, work_area="application__work_area__slug")


# --- Projects and results --------------------------------------------------------------------------------------------


@register(
    "projects_running",
    topic=PR,
    unit=Unit.COUNT,
    position=40,
    breakdowns=("work_area",),
    names=("Prosjekter i gang", "Prosjekt i gang", "Projects running"),
    descriptions=(
        "Prosjekter med tildeling fra klyngen som pågikk i løpet av året.",
        "Prosjekt med tildeling frå klynga som gjekk føre seg i løpet av året.",
        "Projects funded by the cluster that ran during the year.",
    ),
)
def projects_running(data: YearData) -> Result:
    return _counted(data.projects, work_area="application__work_area__slug")


@register(
    "students",
    topic=PR,
    unit=Unit.COUNT,
    position=41,
    breakdowns=("student_level",),
    chart=Chart.BREAKDOWN,
    names=("Studenter i prosjektene", "Studentar i prosjekta", "Students in the projects"),
    descriptions=(
        "Master- og ph.d.-studenter med oppgaven sin i et prosjekt som pågikk i året.",
        "Master- og ph.d.-studentar med oppgåva si i eit prosjekt som gjekk føre seg i året.",
        "Master's students and PhD candidates whose thesis was part of a project running during the year.",
    ),
)
def students(data: YearData) -> Result:
    return _summed("student_level", dict(data.students))


def _output_count(data: YearData, kind: str) -> Result:
    """How many results of `kind` (an OutputKind member's name) the projects had in the year."""
    from polyfon.funding.models import OutputKind

    row = data.outputs.get(OutputKind[kind])
    return Result(total=Decimal(row["n"]) if row else ZERO)


@register(
    "publications",
    topic=PR,
    unit=Unit.COUNT,
    position=42,
    names=("Publikasjoner", "Publikasjonar", "Publications"),
    descriptions=(
        "Publikasjoner fra prosjektene med dato i året.",
        "Publikasjonar frå prosjekta med dato i året.",
        "Publications from the projects dated during the year.",
    ),
)
def publications(data: YearData) -> Result:
    return _output_count(data, "PUBLICATION")


@register(
    "presentations",
    topic=PR,
    unit=Unit.COUNT,
    position=43,
    names=("Presentasjoner", "Presentasjonar", "Presentations"),
    descriptions=(
        "Foredrag og presentasjoner fra prosjektene i året.",
        "Føredrag og presentasjonar frå prosjekta i året.",
        "Talks and presentations from the projects during the year.",
    ),
)
def presentations(data: YearData) -> Result:
    return _output_count(data, "PRESENTATION")


@register(
    "external_funding_won",
    topic=PR,
    unit=Unit.NOK,
    position=44,
    names=("Ekstern finansiering vunnet", "Ekstern finansiering vunne", "External funding won"),
    descriptions=(
        "Større finansiering prosjektene fikk fra andre kilder etter søknader i året: viser om såkornmidlene førte videre.",
        "Større finansiering prosjekta fekk frå andre kjelder etter søknader i året: viser om såkornmidlane førte vidare.",
        "Larger funding the projects won from other sources with applications made during the year: shows whether "
        "the seed funds led further.",
    ),
)
def external_funding_won(data: YearData) -> Result:
    from polyfon.funding.models import OutputKind

    row = data.outputs.get(OutputKind.FUNDING)
    return Result(total=_d(row["won"]) if row else ZERO)


# --- Events -------------------------------------------------------------------------------------------------------------


@register(
    "events_held",
    topic=EV,
    unit=Unit.COUNT,
    position=50,
    breakdowns=("event_kind", "audience"),
    names=("Arrangementer", "Arrangement", "Events held"),
    descriptions=(
        "Webinarer, seminarer, konferanser og nettverksmøter som ble holdt i året (avlyste ikke medregnet). "
        "Et arrangement kan ha flere målgrupper.",
        "Webinar, seminar, konferansar og nettverksmøte som vart haldne i året (avlyste ikkje medrekna). "
        "Eit arrangement kan ha fleire målgrupper.",
        "Webinars, seminars, conferences and network meetings held during the year (cancelled ones left out). "
        "An event may have several audiences.",
    ),
)
def events_held(data: YearData) -> Result:
    return Result(
        total=sum(data.events_by_kind.values(), ZERO),
        groups={"event_kind": dict(data.events_by_kind), "audience": dict(data.events_by_audience)},
    )


@register(
    "event_registrations",
    topic=EV,
    unit=Unit.COUNT,
    position=51,
    breakdowns=("audience",),
    chart=Chart.BREAKDOWN,
    names=("Påmeldte", "Påmelde", "Registrations"),
    descriptions=(
        "Bekreftede påmeldinger til årets arrangementer, etter hvilken type organisasjon de påmeldte kom fra.",
        "Stadfesta påmeldingar til arrangementa i året, etter kva type organisasjon dei påmelde kom frå.",
        "Confirmed registrations for the year's events, by the kind of organisation the registrants came from.",
    ),
)
def event_registrations(data: YearData) -> Result:
    return _summed("audience", {audience: entry["registered"] for audience, entry in data.registrations.items()})


@register(
    "event_attendance",
    topic=EV,
    unit=Unit.COUNT,
    position=52,
    breakdowns=("audience",),
    names=("Deltakelse på arrangementer", "Deltaking på arrangement", "Attendance at events"),
    descriptions=(
        "Påmeldte som var til stede, etter hvilken type organisasjon de kom fra.",
        "Påmelde som var til stades, etter kva type organisasjon dei kom frå.",
        "Registrants who attended, by the kind of organisation they came from.",
    ),
)
def event_attendance(data: YearData) -> Result:
    return _summed("audience", {audience: entry["attended"] for audience, entry in data.registrations.items()})


# --- The reporting round itself -------------------------------------------------------------------------------------------


@register(
    "participants_reported",
    topic=RP,
    unit=Unit.COUNT,
    position=60,
    chart=Chart.NONE,
    names=(
        "Deltakere som har rapportert",
        "Deltakarar som har rapportert",
        "Participants that reported",
    ),
    descriptions=(
        "Deltakere som sendte inn indikatordata for året. Tallene under bygger på deres svar.",
        "Deltakarar som sende inn indikatordata for året. Tala under byggjer på svara deira.",
        "Participants that submitted indicator data for the year. The figures below build on their answers.",
    ),
)
def participants_reported(data: YearData) -> Result:
    return Result(total=Decimal(data.submitted_reports))


# --- Reported and imported indicators the system starts with ------------------------------------------------------------


def _default(code, source, topic, unit, position, names, descriptions, breakdowns=(), decimals=0, chart=Chart.YEARS):
    return Definition(
        code=code,
        source=source,
        topic=topic,
        unit=unit,
        position=position,
        names=names,
        descriptions=descriptions,
        breakdowns=breakdowns,
        decimals=decimals,
        chart=chart,
    )


REP, IMP = Source.REPORTED, Source.IMPORTED
DERIVED = ("participant_kind", "county")

DEFAULTS: list[Definition] = [
    _default(
        "mt_positions", REP, RP, Unit.COUNT, 61,
        ("Stillinger for musikkterapeuter", "Stillingar for musikkterapeutar", "Music-therapy positions"),
        (
            "Antall musikkterapeuter ansatt hos deltakeren ved utgangen av året.",
            "Talet på musikkterapeutar tilsette hos deltakaren ved utgangen av året.",
            "The number of music therapists employed by the participant at the end of the year.",
        ),
        DERIVED,
    ),
    _default(
        "mt_fte", REP, RP, Unit.FTE, 62,
        ("Årsverk musikkterapi", "Årsverk musikkterapi", "Music-therapy full-time equivalents"),
        (
            "Sum av stillingsprosentene for musikkterapeuter, i årsverk (1,0 er en hel stilling).",
            "Sum av stillingsprosentane for musikkterapeutar, i årsverk (1,0 er ei heil stilling).",
            "The music therapists' positions added up, in full-time equivalents (1.0 is one full-time position).",
        ),
        DERIVED, decimals=1,
    ),
    _default(
        "services_offered", REP, RP, Unit.COUNT, 63,
        ("Musikkterapitilbud", "Musikkterapitilbod", "Music-therapy services offered"),
        (
            "Tilbud med musikkterapi (grupper, avdelinger, tjenester) deltakeren har, per arbeidsområde.",
            "Tilbod med musikkterapi (grupper, avdelingar, tenester) deltakaren har, per arbeidsområde.",
            "Services with music therapy (groups, wards, services) the participant offers, per work area.",
        ),
        ("work_area", *DERIVED), chart=Chart.BREAKDOWN,
    ),
    _default(
        "users_reached", REP, RP, Unit.COUNT, 64,
        ("Brukere som har fått musikkterapi", "Brukarar som har fått musikkterapi", "Users reached"),
        (
            "Omtrentlig antall brukere som fikk musikkterapi i året, per arbeidsområde.",
            "Omtrentleg tal på brukarar som fekk musikkterapi i året, per arbeidsområde.",
            "About how many users received music therapy during the year, per work area.",
        ),
        ("work_area", *DERIVED),
    ),
    _default(
        "students_in_placement", REP, RP, Unit.COUNT, 65,
        ("Studenter i praksis", "Studentar i praksis", "Students in placement"),
        (
            "Musikkterapistudenter som hadde praksis hos deltakeren i året.",
            "Musikkterapistudentar som hadde praksis hos deltakaren i året.",
            "Music-therapy students who had their placement with the participant during the year.",
        ),
        DERIVED,
    ),
    _default(
        "local_projects", REP, RP, Unit.COUNT, 66,
        ("Lokale utviklings- og forskingsprosjekter", "Lokale utviklings- og forskingsprosjekt", "Local projects"),
        (
            "Utviklings- og forskingsprosjekter om musikkterapi deltakeren drev selv i året.",
            "Utviklings- og forskingsprosjekt om musikkterapi deltakaren dreiv sjølv i året.",
            "Development and research projects on music therapy the participant ran itself during the year.",
        ),
        DERIVED,
    ),
    _default(
        "npr_contacts", IMP, Topic.HEALTH, Unit.COUNT, 70,
        (
            "Musikkterapikontakter i spesialisthelsetjenesten",
            "Musikkterapikontaktar i spesialisthelsetenesta",
            "Music-therapy contacts in specialist health services",
        ),
        (
            "Polikliniske kontakter med musikkterapi per helseregion, fra Norsk pasientregister (NPR).",
            "Polikliniske kontaktar med musikkterapi per helseregion, frå Norsk pasientregister (NPR).",
            "Outpatient contacts with music therapy per health region, from the Norwegian Patient Registry (NPR).",
        ),
        ("health_region",), chart=Chart.BREAKDOWN,
    ),
]


def all_definitions() -> list[Definition]:
    """The computed indicators and the default reported and imported ones, in display order."""
    return sorted([*REGISTRY.values(), *DEFAULTS], key=lambda d: (d.position, d.code))
