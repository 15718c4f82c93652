"""Reads of governance that pages, other apps and reports share, with their joins."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from polyfon.core.dates import local_today
from polyfon.members.models import MEMBER_STATES, ContactRole, Participant, ParticipantContact, Person

from .models import (
    REPRESENTATIVE_ROLES,
    ROLE_ORDER,
    SINGLE_ROLES,
    AgendaItem,
    Attendance,
    Body,
    BodyKind,
    Candidate,
    Decision,
    Election,
    ItemDocument,
    Meeting,
    MeetingStatus,
    Motion,
    Poll,
    PollStatus,
    ProposalStatus,
    Proxy,
    RepresentationProposal,
    Seat,
    SeatRole,
)

# Chair first, then deputy chair, members, deputies, observers, secretary (the order of SeatRole).
ROLE_ORDERING = Case(*[When(role=role, then=Value(index)) for role, index in ROLE_ORDER.items()], output_field=IntegerField())


def _seats_queryset():
    return Seat.objects.select_related("person", "participant", "work_area")


# --- Bodies and seats --------------------------------------------------------------------------------------


def body_list() -> QuerySet[Body]:
    today = local_today()
    current = Q(seats__start_date__lte=today) & (Q(seats__end_date__isnull=True) | Q(seats__end_date__gte=today))
    return Body.objects.select_related("work_area").annotate(seat_count=Count("seats", filter=current, distinct=True))


def current_seats(body: Body, on: date | None = None) -> QuerySet[Seat]:
    """The body's seats on `on`, chair first, then by work area, participant and name."""
    return (
        _seats_queryset()
        .current(on)
        .filter(body=body)
        .annotate(role_order=ROLE_ORDERING)
        .order_by("role_order", "work_area__position", "participant__name", "person__name")
    )


def seat_history(body: Body, on: date | None = None) -> QuerySet[Seat]:
    """Ended (and future) seats, latest first."""
    on = on or local_today()
    return _seats_queryset().filter(body=body).filter(Q(end_date__lt=on) | Q(start_date__gt=on)).order_by(
        "-start_date", "person__name"
    )


def steering_group() -> Body | None:
    return Body.objects.filter(kind=BodyKind.STEERING_GROUP, is_active=True).first()


def general_assembly() -> Body | None:
    return Body.objects.filter(kind=BodyKind.GENERAL_ASSEMBLY, is_active=True).first()


@dataclass
class RepresentationRow:
    participant: Participant
    representative: "SeatSummary | None" = None
    deputy: "SeatSummary | None" = None
    last_ended: "SeatSummary | None" = None  # the latest representative seat that has ended
    register_rep: "PersonSummary | None" = None
    register_deputy: "PersonSummary | None" = None

    @property
    def term_ran_out(self) -> bool:
        return self.representative is None and self.last_ended is not None

    @property
    def register_differs(self) -> bool:
        rep = self.representative.person_id if self.representative else None
        deputy = self.deputy.person_id if self.deputy else None
        return (rep, deputy) != (
            self.register_rep.pk if self.register_rep else None,
            self.register_deputy.pk if self.register_deputy else None,
        )


@dataclass
class RepresentationStatus:
    rows: list[RepresentationRow] = field(default_factory=list)
    former_holding: list["SeatSummary"] = field(default_factory=list)  # seats of participants that have left

    @property
    def missing(self) -> list[RepresentationRow]:
        return [row for row in self.rows if row.representative is None]

    @property
    def register_mismatches(self) -> list[RepresentationRow]:
        return [row for row in self.rows if row.register_differs]


@dataclass(frozen=True)
class PersonSummary:
    pk: int
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass
class SeatSummary:
    """The columns of a seat the representation overview shows (plain values: thousands of rows)."""

    pk: int
    role: str
    participant_id: int
    start_date: date
    end_date: date | None
    person: PersonSummary
    participant: Participant | None = None

    @property
    def person_id(self) -> int:
        return self.person.pk

    def is_current(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    def get_role_display(self) -> str:
        return str(SeatRole(self.role).label)


def representation_status(body: Body, on: date | None = None) -> RepresentationStatus:
    """Every member participant with its representative and deputy in `body` on `on`; who has
    none (never, or the term has run out); and participants that have left but still hold a seat.
    A constant number of queries whatever the number of participants, reading plain values."""
    on = on or local_today()
    members = list(Participant.objects.filter(status__in=MEMBER_STATES).only("pk", "name", "status").order_by("name"))
    rows = {p.pk: RepresentationRow(participant=p) for p in members}
    status = RepresentationStatus()
    seats = (
        Seat.objects.filter(body=body, participant__isnull=False)
        .order_by("start_date", "pk")
        .values_list("pk", "role", "participant_id", "start_date", "end_date", "person_id", "person__name")
    )
    for pk, role, participant_id, start, end, person_id, person_name in seats:
        seat = SeatSummary(pk, role, participant_id, start, end, PersonSummary(person_id, person_name))
        row = rows.get(participant_id)
        if seat.is_current(on):
            if row is None:
                status.former_holding.append(seat)
            elif role in REPRESENTATIVE_ROLES:
                row.representative = seat
            elif role == SeatRole.DEPUTY_MEMBER:
                row.deputy = seat
        elif row is not None and role in REPRESENTATIVE_ROLES and end and end < on:
            row.last_ended = seat
    if status.former_holding:
        former = Participant.objects.in_bulk({s.participant_id for s in status.former_holding})
        for seat in status.former_holding:
            seat.participant = former[seat.participant_id]
    if body.is_steering_group:
        contacts = ParticipantContact.objects.filter(
            participant__status__in=MEMBER_STATES, role__in=[ContactRole.STEERING_REP, ContactRole.STEERING_DEPUTY]
        ).values_list("participant_id", "role", "person_id", "person__name")
        for participant_id, role, person_id, person_name in contacts:
            row = rows.get(participant_id)
            if row is None:
                continue
            if role == ContactRole.STEERING_REP:
                row.register_rep = PersonSummary(person_id, person_name)
            else:
                row.register_deputy = PersonSummary(person_id, person_name)
    status.rows = list(rows.values())
    return status


def representation_for_participant(participant: Participant, on: date | None = None) -> list[dict]:
    """For /min-side/: each body where participants are represented, with the participant's
    current representative and deputy and its pending proposal."""
    on = on or local_today()
    bodies = list(Body.objects.filter(is_active=True, represents_participants=True))
    seats = list(_seats_queryset().current(on).filter(participant=participant, body__in=bodies))
    pending = {
        p.body_id: p
        for p in RepresentationProposal.objects.filter(participant=participant, status=ProposalStatus.PENDING).select_related(
            "representative", "deputy"
        )
    }
    result = []
    for body in bodies:
        mine = [s for s in seats if s.body_id == body.pk]
        result.append(
            {
                "body": body,
                "representative": next((s for s in mine if s.role in REPRESENTATIVE_ROLES), None),
                "deputy": next((s for s in mine if s.role == SeatRole.DEPUTY_MEMBER), None),
                "pending": pending.get(body.pk),
            }
        )
    return result


def public_bodies() -> list[Body]:
    """Active public bodies with how many people sit in them and who leads them."""
    today = local_today()
    current = Q(seats__start_date__lte=today) & (Q(seats__end_date__isnull=True) | Q(seats__end_date__gte=today))
    leaders = Prefetch(
        "seats",
        queryset=_seats_queryset().current(today).filter(role__in=SINGLE_ROLES).order_by("role"),
        to_attr="leader_seats",
    )
    return list(
        Body.objects.filter(is_active=True, is_public=True)
        .select_related("work_area")
        .annotate(member_count=Count("seats__person", filter=current, distinct=True))
        .prefetch_related(leaders)
    )


def pending_proposals() -> QuerySet[RepresentationProposal]:
    return RepresentationProposal.objects.filter(status=ProposalStatus.PENDING).select_related(
        "participant", "body", "representative", "deputy", "proposed_by"
    )


# --- Meetings ------------------------------------------------------------------------------------------------


def meeting_list() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("body").annotate(
        item_count=Count("items", filter=Q(items__is_withdrawn=False), distinct=True)
    )


def _items_prefetch(*, public: bool = False):
    items = AgendaItem.objects.order_by("number").prefetch_related(
        Prefetch("documents", queryset=ItemDocument.objects.filter(is_public=True) if public else ItemDocument.objects.all()),
        Prefetch("decisions", queryset=Decision.objects.select_related("subject_type").order_by("id")),
        Prefetch("elections", queryset=Election.objects.select_related("seat_body").order_by("id")),
        Prefetch("motions", queryset=Motion.objects.order_by("id")),
    ).select_related("approves_meeting")
    return Prefetch("items", queryset=items)


def meeting_detail(pk: int, *, public: bool = False) -> Meeting:
    return (
        Meeting.objects.select_related("body", "minutes_approved_in__meeting")
        .prefetch_related(
            _items_prefetch(public=public),
            Prefetch("attendance", queryset=Attendance.objects.select_related("person", "seat__participant")),
            Prefetch("proxies", queryset=Proxy.objects.select_related("giver", "holder").filter(revoked_at__isnull=True)),
        )
        .get(pk=pk)
    )


def body_meetings(body: Body, *, public: bool = False) -> list[Meeting]:
    meetings = Meeting.objects.filter(body=body).select_related("body").order_by("-starts_at")
    if public:
        meetings = meetings.filter(status__in=[MeetingStatus.INVITED, MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED])
    return list(meetings)


def previous_meetings_to_approve(meeting: Meeting) -> QuerySet[Meeting]:
    """Held meetings of the same body before `meeting`, whose minutes await approval."""
    return Meeting.objects.filter(body=meeting.body, status=MeetingStatus.HELD, starts_at__lt=meeting.starts_at).order_by(
        "-starts_at"
    )


# --- Decisions ------------------------------------------------------------------------------------------------


def decision_list() -> QuerySet[Decision]:
    return Decision.objects.select_related("item__meeting", "body", "subject_type")


def decisions_for(obj) -> QuerySet[Decision]:
    """The decisions linked to `obj` (any model): how another app asks "who decided this?"."""
    content_type = ContentType.objects.get_for_model(obj)
    return decision_list().filter(subject_type=content_type, subject_id=str(obj.pk)).order_by("-decided_on", "-id")


# --- Elections and polls ------------------------------------------------------------------------------------------


def election_detail(pk: int) -> Election:
    return (
        Election.objects.select_related("item__meeting__body", "seat_body", "decision")
        .prefetch_related(
            Prefetch("candidates", queryset=Candidate.objects.select_related("person", "participant")),
            Prefetch("polls", queryset=Poll.objects.order_by("round")),
        )
        .get(pk=pk)
    )


def open_poll(subject) -> Poll | None:
    return subject.polls.filter(status=PollStatus.OPEN).first()


# --- The viewer's own governance (/min-side/) -----------------------------------------------------------------


def person_of(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def seats_of(person: Person | None, on: date | None = None) -> list[Seat]:
    if person is None:
        return []
    return list(_seats_queryset().select_related("body").current(on).filter(person=person, body__is_active=True))


def open_polls_for(person: Person | None) -> list[Poll]:
    """Open polls in the bodies where `person` holds a seat (whether they may cast is asked per poll)."""
    if person is None:
        return []
    today = local_today()
    seat = Seat.objects.current(today).filter(person=person, body=OuterRef("meeting__body"))
    return list(
        Poll.objects.filter(status=PollStatus.OPEN)
        .filter(Exists(seat))
        .select_related("meeting__body", "election", "motion")
        .order_by("opened_at")
    )


def upcoming_meetings_for(person: Person | None) -> list[Meeting]:
    if person is None:
        return []
    today = local_today()
    bodies = Seat.objects.current(today).filter(person=person).values("body_id")
    return list(
        Meeting.objects.filter(body_id__in=bodies, starts_at__gte=timezone.now())
        .exclude(status__in=[MeetingStatus.PLANNED, MeetingStatus.CANCELLED])
        .select_related("body")
        .order_by("starts_at")[:20]
    )


def recent_meetings_for(person: Person | None) -> list[Meeting]:
    if person is None:
        return []
    bodies = Seat.objects.filter(person=person).values("body_id")
    return list(
        Meeting.objects.filter(body_id__in=bodies, starts_at__lt=timezone.now())
        .exclude(status__in=[MeetingStatus.PLANNED, MeetingStatus.CANCELLED])
        .select_related("body")
        .order_by("-starts_at")[:10]
    )
