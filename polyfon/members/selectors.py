"""Reads of the register that pages and other apps share, with their joins."""

from datetime import date

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet

from polyfon.core.dates import year_bounds

from .models import (
    MEMBER_STATES,
    ORGANISATION_KIND_PLURALS,
    Agreement,
    ContactRole,
    Organisation,
    OrganisationKind,
    Participant,
    ParticipantContact,
    ParticipantKind,
    ParticipantOrganisation,
    ParticipantStatus,
    Person,
)


def _lead_memberships():
    return Prefetch(
        "memberships",
        queryset=ParticipantOrganisation.objects.select_related("organisation__county", "organisation__municipality"),
    )


def participant_list(*, viewer=None) -> QuerySet[Participant]:
    """Participants for the office list: organisations, network and work areas prefetched."""
    return (
        Participant.objects.select_related("network")
        .prefetch_related(_lead_memberships(), "work_areas")
        .annotate(contact_count=Count("contacts", distinct=True))
    )


def participant_detail(*, pk: int) -> Participant:
    return (
        Participant.objects.select_related("network")
        .prefetch_related(
            _lead_memberships(),
            "work_areas",
            Prefetch("contacts", queryset=ParticipantContact.objects.select_related("person__user").order_by("role", "person__name")),
            Prefetch("agreements", queryset=Agreement.objects.prefetch_related("documents").order_by("-start_date")),
            "letters_of_intent",
        )
        .get(pk=pk)
    )


def lead_organisation(participant: Participant) -> Organisation | None:
    """The lead organisation, from the prefetched memberships when they are there."""
    for membership in participant.memberships.all():
        if membership.is_lead:
            return membership.organisation
    return None


def members_during(start: date, end: date) -> QuerySet[Participant]:
    """Participants that were members at some time between start and end (both included),
    including during a notice period: the one rule billing, reports and governance share."""
    overlapping = Agreement.objects.filter(participant=OuterRef("pk"), start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    return Participant.objects.filter(Exists(overlapping))


def members_in_year(year: int) -> QuerySet[Participant]:
    return members_during(*year_bounds(year))


def first_membership_years(participant_ids) -> dict[int, int]:
    """The calendar year each participant first became a member (for the first-year rate)."""
    rows = (
        Agreement.objects.filter(participant_id__in=participant_ids)
        .values("participant_id")
        .annotate(first=Min("start_date"))
    )
    return {row["participant_id"]: row["first"].year for row in rows}


def current_members() -> QuerySet[Participant]:
    return Participant.objects.filter(status__in=MEMBER_STATES)


def public_members_by_kind() -> list[tuple[str, list[Participant]]]:
    """Current members for /deltakere/: sub-groups together, single participants by the kind
    of their organisation, in the order of OrganisationKind."""
    participants = list(
        current_members().prefetch_related(_lead_memberships(), "work_areas").select_related("network").order_by("name")
    )
    groups: dict[str, list[Participant]] = {}
    for participant in participants:
        if participant.kind == ParticipantKind.GROUP:
            key = "group"
        else:
            lead = lead_organisation(participant)
            key = lead.kind if lead else OrganisationKind.OTHER
        groups.setdefault(key, []).append(participant)
    ordered = [(str(ORGANISATION_KIND_PLURALS[k]), groups[k]) for k in OrganisationKind.values if k in groups]
    if "group" in groups:
        from django.utils.translation import gettext

        ordered.append((gettext("Sub-groups"), groups["group"]))
    return ordered


def participants_of_contact(user) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(contacts__person__user=user)
        .distinct()
        .prefetch_related(_lead_memberships())
        .order_by("name")
    )


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("municipality", "county").annotate(
        participant_count=Count("memberships", distinct=True)
    )


def person_list() -> QuerySet[Person]:
    return Person.objects.select_related("user").prefetch_related("organisations")


def steering_group_gaps() -> QuerySet[Participant]:
    """Members with no steering-group representative."""
    has_rep = ParticipantContact.objects.filter(participant=OuterRef("pk"), role=ContactRole.STEERING_REP)
    return current_members().filter(~Exists(has_rep)).order_by("name")


def status_counts() -> list[tuple[str, str, int]]:
    """(status, label, number of participants) for every status, in life-cycle order."""
    counts = dict(Participant.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return [(status, label, counts.get(status, 0)) for status, label in ParticipantStatus.choices]
