"""Reads of events and registrations that pages, exports and other apps share, with their joins."""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from polyfon.accounts import roles
from polyfon.members.models import ORGANISATION_KIND_PLURALS, Organisation, OrganisationKind

from .models import (
    AUDIENCE_ORGANISATION_KINDS,
    Audience,
    Event,
    EventKind,
    EventQuestion,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from .tokens import secret_from_token

R = RegistrationStatus
LISTED_STATES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def _registration_count(**filters):
    """A correlated count of the event's registrations: computed for the rows shown only, with
    no GROUP BY over every registration of every event in the list."""
    counted = (
        Registration.objects.filter(event=OuterRef("pk"), **filters).order_by().values("event").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted[:1]), 0, output_field=IntegerField())


def _with_counts(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.annotate(
        confirmed_count=_registration_count(status=R.CONFIRMED),
        waiting_count=_registration_count(status=R.WAITING),
    )


def visible_events(viewer) -> QuerySet[Event]:
    """Published and cancelled events the viewer may see (see permissions.can_view_event)."""
    events = Event.objects.filter(status__in=LISTED_STATES)
    if roles.is_coordinator(viewer) or roles.is_steering_member(viewer):
        return events
    if roles.is_participant_contact(viewer):
        return events.filter(Q(is_public=True) | ~Q(kind=EventKind.STEERING_MEETING))
    return events.filter(is_public=True)


def event_list(
    *, viewer, audience: str | None = None, work_area=None, past: bool = False, now: datetime | None = None
) -> QuerySet[Event]:
    """The public list: upcoming events soonest first, or past events latest first."""
    now = now or timezone.now()
    events = visible_events(viewer)
    if audience:
        events = events.filter(audiences__audience=audience)
    if work_area:
        events = events.filter(work_areas=work_area)
    events = (
        events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
        if past
        else events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    )
    return _with_counts(events).prefetch_related("audiences", "work_areas")


def public_event(*, slug: str) -> Event:
    return _with_counts(Event.objects.filter(slug=slug)).prefetch_related("audiences", "work_areas", "questions").get()


def feed_events(*, now: datetime | None = None) -> QuerySet[Event]:
    """Public events for the iCal feed: a year back and everything ahead."""
    now = now or timezone.now()
    return Event.objects.filter(status__in=LISTED_STATES, is_public=True, ends_at__gte=now - timedelta(days=365)).order_by(
        "starts_at", "pk"
    )


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)


def month_weeks(year: int, month: int, events, *, today: date | None = None) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month, each day with the events that take place on it."""
    today = today or timezone.localdate()
    by_day: dict[date, list] = {}
    for event in events:
        start, end = timezone.localtime(event.starts_at).date(), timezone.localtime(event.ends_at).date()
        day = start
        while day <= end:
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([CalendarDay(d, d.month == month, d == today, by_day.get(d, [])) for d in week])
    return weeks


def events_in_month(*, viewer, year: int, month: int, audience=None, work_area=None) -> QuerySet[Event]:
    first = timezone.make_aware(datetime.combine(date(year, month, 1), time.min))
    last_day = date(year, month, calendar.monthrange(year, month)[1])
    after = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    events = visible_events(viewer).filter(starts_at__lt=after, ends_at__gte=first)
    if audience:
        events = events.filter(audiences__audience=audience)
    if work_area:
        events = events.filter(work_areas=work_area)
    return events.order_by("starts_at", "pk")


# --- The office ---------------------------------------------------------------------------------------------


def office_event_list() -> QuerySet[Event]:
    return _with_counts(Event.objects.all()).annotate(
        attended_count=_registration_count(status=R.CONFIRMED, attended=True)
    ).prefetch_related("audiences")


def office_event(*, pk: int) -> Event:
    return (
        _with_counts(Event.objects.filter(pk=pk))
        .select_related("copied_from", "created_by")
        .prefetch_related("audiences", "work_areas", "questions", "messages__sent_by")
        .get()
    )


def registration_list(event: Event) -> QuerySet[Registration]:
    return Registration.objects.filter(event=event).select_related("organisation", "registered_by")


def questions_of(event: Event) -> list[EventQuestion]:
    return list(event.questions.all())


@dataclass(frozen=True)
class Counts:
    confirmed: int
    waiting: int
    cancelled: int
    attended: int
    not_attended: int
    capacity: int | None

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)


def registration_counts(event: Event) -> Counts:
    row = Registration.objects.filter(event=event).aggregate(
        n_confirmed=Count("pk", filter=Q(status=R.CONFIRMED)),
        n_waiting=Count("pk", filter=Q(status=R.WAITING)),
        n_cancelled=Count("pk", filter=Q(status=R.CANCELLED)),
        n_attended=Count("pk", filter=Q(status=R.CONFIRMED, attended=True)),
        n_not_attended=Count("pk", filter=Q(status=R.CONFIRMED, attended=False)),
    )
    return Counts(capacity=event.capacity, **{key[2:]: value for key, value in row.items()})


def _group_counts():
    return {
        "n_confirmed": Count("pk", filter=Q(status=R.CONFIRMED)),
        "n_waiting": Count("pk", filter=Q(status=R.WAITING)),
        "n_attended": Count("pk", filter=Q(status=R.CONFIRMED, attended=True)),
    }


def _plain_counts(row: dict) -> dict:
    return {"confirmed": row["n_confirmed"], "waiting": row["n_waiting"], "attended": row["n_attended"]}


def _grouped(event: Event, key: str) -> dict[str, dict]:
    rows = Registration.objects.filter(event=event).values(key).annotate(**_group_counts()).order_by()
    return {row[key] or "": _plain_counts(row) for row in rows}


def counts_by_organisation_kind(event: Event) -> list[dict]:
    """Registered, waiting and attended per kind of organisation (in the register's order)."""
    grouped = _grouped(event, "organisation_kind")
    rows = [
        {"label": ORGANISATION_KIND_PLURALS[kind], **grouped[kind]} for kind in OrganisationKind.values if kind in grouped
    ]
    if "" in grouped:
        rows.append({"label": _not_given(), **grouped[""]})
    return rows


def counts_by_audience(event: Event) -> list[dict]:
    """The same counts grouped by the audiences that are kinds of organisation."""
    grouped = _grouped(event, "organisation_kind")
    rows, used = [], set()
    for audience, kinds in AUDIENCE_ORGANISATION_KINDS.items():
        total = {"confirmed": 0, "waiting": 0, "attended": 0}
        for kind in kinds:
            used.add(kind)
            for key in total:
                total[key] += grouped.get(kind, {}).get(key, 0)
        rows.append({"label": Audience(audience).label, "audience": audience, **total})
    other = {"confirmed": 0, "waiting": 0, "attended": 0}
    for kind, row in grouped.items():
        if kind not in used:
            for key in other:
                other[key] += row[key]
    rows.append({"label": _others(), "audience": "", **other})
    return rows


def counts_by_organisation(event: Event, *, limit: int = 50) -> list[dict]:
    rows = (
        Registration.objects.filter(event=event)
        .exclude(organisation_name="")
        .values("organisation_name")
        .annotate(**_group_counts())
        .filter(Q(n_confirmed__gt=0) | Q(n_waiting__gt=0))
        .order_by("-n_confirmed", "organisation_name")
    )
    return [{"organisation_name": row["organisation_name"], **_plain_counts(row)} for row in rows[:limit]]


def dietary_needs(event: Event) -> QuerySet[Registration]:
    """What the caterer needs: dietary needs of the people with a place."""
    return Registration.objects.filter(event=event, status=R.CONFIRMED).exclude(dietary_needs="").order_by("name")


def checkin_list(event: Event, *, search: str = "") -> QuerySet[Registration]:
    registrations = Registration.objects.filter(event=event, status=R.CONFIRMED).select_related("organisation")
    if search.strip():
        term = search.strip()
        registrations = registrations.filter(
            Q(name__icontains=term) | Q(email__icontains=term) | Q(organisation_name__icontains=term)
        )
    return registrations.order_by("name", "pk")


def _not_given():
    from django.utils.translation import gettext

    return gettext("Not given")


def _others():
    from django.utils.translation import gettext

    return gettext("Others and not given")


# --- Registrations by their link, and for the logged-in person -------------------------------------------------------


def registration_for_token(token: str) -> Registration | None:
    secret = secret_from_token(token)
    if not secret:
        return None
    return (
        Registration.objects.filter(secret=secret)
        .select_related("event", "organisation")
        .prefetch_related("event__audiences", "event__work_areas", "event__questions")
        .first()
    )


def my_registrations(user) -> QuerySet[Registration]:
    """Registrations made with the user's (verified) e-mail address."""
    return (
        Registration.objects.filter(email__iexact=user.email, anonymised_at__isnull=True)
        .select_related("event")
        .order_by("-event__starts_at", "-pk")
    )


def colleague_organisations(user) -> QuerySet[Organisation]:
    """Organisations of the participants the user is a contact person for."""
    return Organisation.objects.filter(memberships__participant_id__in=roles.contact_participant_ids(user)).distinct().order_by(
        "name"
    )


def events_open_for_colleagues(user, *, now: datetime | None = None) -> list[Event]:
    now = now or timezone.now()
    events = _with_counts(visible_events(user).filter(status=EventStatus.PUBLISHED, starts_at__gt=now)).prefetch_related(
        "audiences"
    )
    return [event for event in events.order_by("starts_at", "pk") if event.registration_state(now) == "open"]


def registrations_by(user, event: Event) -> QuerySet[Registration]:
    return Registration.objects.filter(event=event, registered_by=user).select_related("organisation").order_by("created_at", "pk")


# --- The register: pick an organisation ---------------------------------------------------------------------------


def organisation_suggestions(text: str, *, limit: int = 15) -> list[Organisation]:
    text = (text or "").strip()
    if len(text) < 2:
        return []
    digits = "".join(c for c in text if c.isdigit())
    condition = Q(name__icontains=text)
    if len(digits) >= 3:
        condition |= Q(org_number__startswith=digits)
    return list(Organisation.objects.filter(condition).order_by("name")[:limit])


# "Helse Bergen HF (983 974 724)", "983974724": an organisation number at the end of the text.
ORG_NUMBER_AT_END = re.compile(r"(?:^|\(|\s)(\d{3}\s?\d{3}\s?\d{3})\)?\s*$")


def organisation_option(organisation: Organisation) -> str:
    """How the form's list of suggestions writes an organisation (the number makes it unambiguous)."""
    number = organisation.org_number
    return f"{organisation.name} ({number[:3]} {number[3:6]} {number[6:]})"


def organisation_matching(text: str) -> Organisation | None:
    """The register's organisation a typed text names: by organisation number, or by its exact name."""
    text = (text or "").strip()
    if not text:
        return None
    number = ORG_NUMBER_AT_END.search(text)
    if number:
        found = Organisation.objects.filter(org_number=re.sub(r"\D", "", number.group(1))).first()
        if found:
            return found
    matches = list(Organisation.objects.filter(name__iexact=text)[:2])
    return matches[0] if len(matches) == 1 else None
