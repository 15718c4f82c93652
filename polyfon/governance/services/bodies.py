"""Bodies, seats and representation: every write, one transaction each, audited.

One truth for "who represents participant P in the steering group": the current seats of
the steering-group body. The register's contact roles `steering_rep` and `steering_deputy`
mirror them; every service here that changes a steering-group seat brings the register in
step through members.services in the same transaction, and a daily job does the same for
seats that start or end on a later date.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.dates import add_months, local_today
from polyfon.core.email import send_templated_email
from polyfon.core.errors import DomainError
from polyfon.members import services as member_services
from polyfon.members.models import MEMBER_STATES, ContactRole, Participant, ParticipantContact, Person

from .. import lifecycle
from ..models import (
    REPRESENTATIVE_ROLES,
    SINGLE_ROLES,
    Body,
    BodyKind,
    ProposalStatus,
    RepresentationProposal,
    Seat,
    SeatRole,
    SeatSource,
)

BODY_FIELDS = [
    "name",
    "slug",
    "kind",
    "work_area",
    "mandate",
    "is_public",
    "publishes_agenda",
    "publishes_minutes",
    "represents_participants",
    "seats_by_work_area",
    "term_months",
    "quorum_percent",
    "max_proxies",
    "position",
    "is_active",
]

__all__ = [
    "BODY_FIELDS",
    "body_save",
    "general_assembly_enable",
    "seat_appoint",
    "seat_update",
    "seat_end",
    "sync_register_roles",
    "body_adopt_register",
    "representation_propose",
    "representation_proposal_approve",
    "representation_proposal_reject",
    "representation_proposal_withdraw",
    "participant_persons",
    "steering_group",
]


def steering_group() -> Body | None:
    return Body.objects.filter(kind=BodyKind.STEERING_GROUP, is_active=True).first()


# --- Bodies ---------------------------------------------------------------------------------------------


def _check_body(values: dict, body: Body | None) -> None:
    kind, active = values.get("kind"), values.get("is_active", True)
    if kind in (BodyKind.STEERING_GROUP, BodyKind.GENERAL_ASSEMBLY) and active:
        others = Body.objects.filter(kind=kind, is_active=True).exclude(pk=getattr(body, "pk", None))
        if others.exists():
            raise DomainError(
                _("There is already an active body of the kind “%(kind)s”.") % {"kind": BodyKind(kind).label}, field="kind"
            )
    if Body.objects.filter(slug=values["slug"]).exclude(pk=getattr(body, "pk", None)).exists():
        raise DomainError(_("Another body has this short name."), field="slug")
    if kind == BodyKind.WORKING_GROUP and not values.get("work_area"):
        raise DomainError(_("A working group serves a work area; choose it."), field="work_area")


def body_save(*, actor, body: Body | None = None, **values) -> Body:
    values = {k: v for k, v in values.items() if k in BODY_FIELDS}
    if not values.get("slug"):
        values["slug"] = slugify(values.get("name", ""))[:80] or "organ"
    with transaction.atomic():
        if body is None:
            _check_body(values, None)
            body = Body.objects.create(**values)
            audit_log(obj=body, action="polyfon.governance.body.created", actor=actor, payload={"kind": body.kind})
        else:
            body = Body.objects.select_for_update().get(pk=body.pk)
            _check_body({**{f: getattr(body, f) for f in BODY_FIELDS}, **values}, body)
            update_with_audit(body, values, actor=actor, action="polyfon.governance.body.changed")
    return body


def general_assembly_enable(
    *, actor, name: str, quorum_percent: int = 50, max_proxies: int = 1, mandate: str = ""
) -> Body:
    """Turn on the general assembly: every member participant has one vote there."""
    with transaction.atomic():
        if Body.objects.filter(kind=BodyKind.GENERAL_ASSEMBLY, is_active=True).exists():
            raise DomainError(_("The general assembly is already turned on."))
        slug = slugify(name)[:80] or "generalforsamling"
        if Body.objects.filter(slug=slug).exists():
            slug = f"{slug[:70]}-{Body.objects.count() + 1}"
        body = Body.objects.create(
            name=name,
            slug=slug,
            kind=BodyKind.GENERAL_ASSEMBLY,
            mandate=mandate,
            represents_participants=True,
            quorum_percent=quorum_percent,
            max_proxies=max_proxies,
            is_public=True,
            position=1,
        )
        audit_log(
            obj=body,
            action="polyfon.governance.body.general_assembly_enabled",
            actor=actor,
            payload={"quorum_percent": quorum_percent, "max_proxies": max_proxies},
        )
    return body


# --- Seats ------------------------------------------------------------------------------------------------


def _overlapping(queryset, start: date, end: date | None):
    """Seats of `queryset` whose term overlaps [start, end] (end None = open)."""
    queryset = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        queryset = queryset.filter(start_date__lte=end)
    return queryset


def _end_before(seat: Seat, start: date, *, actor, reason: str) -> None:
    """End `seat` the day before `start` (it is being replaced)."""
    last_day = start - timedelta(days=1)
    if last_day < seat.start_date:
        raise DomainError(
            _("%(person)s's seat starts %(date)s; end or correct it before appointing someone else from that date.")
            % {"person": seat.person, "date": seat.start_date.strftime("%d.%m.%Y")}
        )
    seat.end_date, seat.end_reason = last_day, reason
    seat.save(update_fields=["end_date", "end_reason"])
    audit_log(
        obj=seat.body,
        action="polyfon.governance.body.seat_ended",
        actor=actor,
        payload={"person": str(seat.person), "role": seat.role, "end_date": last_day, "reason": reason},
    )


def seat_appoint(
    *,
    body: Body,
    person: Person,
    role: str,
    start_date: date,
    actor,
    participant: Participant | None = None,
    work_area=None,
    end_date: date | None = None,
    note: str = "",
    source: str = SeatSource.APPOINTED,
    election=None,
    decision=None,
    replace: bool = False,
) -> Seat:
    """Give `person` a seat in `body`. With `replace`, the current holder of the same single seat
    (chair, deputy chair, or the participant's representative or deputy) leaves it the day before."""
    with transaction.atomic():
        body = Body.objects.select_for_update().get(pk=body.pk)
        if not body.is_active:
            raise DomainError(_("The body is no longer active."))
        if end_date is not None and end_date < start_date:
            raise DomainError(_("The term cannot end before it starts."), field="end_date")
        if participant is not None:
            if not body.represents_participants:
                raise DomainError(_("Seats in this body do not represent participants."), field="participant")
            if participant.status not in MEMBER_STATES:
                raise DomainError(
                    _("%(participant)s is not a member and cannot be represented.") % {"participant": participant},
                    field="participant",
                )
            if role not in (*REPRESENTATIVE_ROLES, SeatRole.DEPUTY_MEMBER):
                raise DomainError(
                    _("Members and deputy members represent participants; the chair and deputy chair hold a seat of their own."),
                    field="role",
                )
        if work_area is not None and not body.seats_by_work_area:
            raise DomainError(_("Seats in this body are not per work area."), field="work_area")
        if body.seats_by_work_area and work_area is None and role in (SeatRole.MEMBER, SeatRole.DEPUTY_MEMBER):
            raise DomainError(_("Choose the work area of the seat."), field="work_area")
        seats = Seat.objects.filter(body=body).select_related("person")  # the body row lock serialises seat changes
        same = list(
            _overlapping(seats.filter(person=person, role=role, participant=participant, work_area=work_area), start_date, end_date)
        )
        conflicts = []
        if role in SINGLE_ROLES:
            conflicts += list(_overlapping(seats.filter(role=role), start_date, end_date))
        if participant is not None:
            slot_roles = REPRESENTATIVE_ROLES if role in REPRESENTATIVE_ROLES else (SeatRole.DEPUTY_MEMBER,)
            conflicts += [
                s for s in _overlapping(seats.filter(participant=participant, role__in=slot_roles), start_date, end_date)
                if s not in conflicts
            ]
        # Holding the same seat again in the same period is refused, unless it is a single seat
        # being replaced (a re-elected chair's old term ends where the new one begins).
        if same and not (replace and all(seat in conflicts for seat in same)):
            raise DomainError(_("%(person)s already holds this seat in that period.") % {"person": person}, field="person")
        if conflicts and not replace:
            holder = conflicts[0]
            raise DomainError(
                _("%(person)s holds this seat (%(role)s) in that period. End that seat first, or replace the holder.")
                % {"person": holder.person, "role": holder.get_role_display()},
                field="role",
            )
        for holder in conflicts:
            _end_before(holder, start_date, actor=actor, reason=_("Replaced by %(person)s") % {"person": person})
        seat = Seat.objects.create(
            body=body,
            person=person,
            role=role,
            participant=participant,
            work_area=work_area,
            start_date=start_date,
            end_date=end_date,
            note=note,
            source=source,
            election=election,
            decision=decision,
        )
        audit_log(
            obj=body,
            action="polyfon.governance.body.seat_added",
            actor=actor,
            payload={
                "person": str(person),
                "role": role,
                "participant": str(participant) if participant else None,
                "work_area": str(work_area) if work_area else None,
                "start_date": start_date,
                "end_date": end_date,
                "source": source,
            },
        )
        if body.is_steering_group:
            affected = {s.participant_id for s in [seat, *conflicts] if s.participant_id}
            sync_register_roles(participant_ids=affected, actor=actor)
    return seat


def seat_update(*, seat: Seat, actor, end_date: date | None, note: str = "") -> Seat:
    """Change a seat's term end (extend or shorten it) and its note."""
    with transaction.atomic():
        seat = Seat.objects.select_for_update(of=("self",)).select_related("body", "person").get(pk=seat.pk)
        if end_date is not None and end_date < seat.start_date:
            raise DomainError(_("The term cannot end before it starts."), field="end_date")
        if seat.role in SINGLE_ROLES and end_date != seat.end_date:
            later = Seat.objects.filter(body=seat.body, role=seat.role, start_date__gt=seat.start_date).exclude(pk=seat.pk)
            if _overlapping(later, seat.start_date, end_date).exists():
                raise DomainError(_("Someone else holds this seat in the longer term."), field="end_date")
        update_with_audit(
            seat, {"end_date": end_date, "note": note}, actor=actor, action="polyfon.governance.seat.changed",
            extra={"body": str(seat.body), "person": str(seat.person)},
        )
        if seat.body.is_steering_group and seat.participant_id:
            sync_register_roles(participant_ids={seat.participant_id}, actor=actor)
    return seat


def seat_end(*, seat: Seat, end_date: date, actor, reason: str = "") -> Seat:
    """End a seat on `end_date` (its last day). The seat stays in the body's history."""
    with transaction.atomic():
        seat = Seat.objects.select_for_update(of=("self",)).select_related("body", "person").get(pk=seat.pk)
        if end_date < seat.start_date:
            raise DomainError(_("The term cannot end before it starts."), field="end_date")
        if seat.end_date is not None and seat.end_date < local_today() and end_date > seat.end_date:
            raise DomainError(_("This seat has already ended; appoint the person again instead."), field="end_date")
        seat.end_date, seat.end_reason = end_date, reason
        seat.save(update_fields=["end_date", "end_reason"])
        audit_log(
            obj=seat.body,
            action="polyfon.governance.body.seat_ended",
            actor=actor,
            payload={"person": str(seat.person), "role": seat.role, "end_date": end_date, "reason": reason},
        )
        if seat.body.is_steering_group and seat.participant_id:
            sync_register_roles(participant_ids={seat.participant_id}, actor=actor)
    return seat


# --- The register's contact roles, in step with the steering-group seats ----------------------------------

REGISTER_ROLES = (
    (ContactRole.STEERING_REP, REPRESENTATIVE_ROLES),
    (ContactRole.STEERING_DEPUTY, (SeatRole.DEPUTY_MEMBER,)),
)


def sync_register_roles(*, participant_ids=None, actor=None, on: date | None = None) -> list[dict]:
    """Make the register's steering_rep / steering_deputy of each participant the holder of its
    current steering-group seat. A register role is removed only when its holder's seat for the
    participant has ended, so roles entered before any seat existed are left alone.

    Reads in a constant number of queries; writes go through members.services (audited there).
    Returns the changes made."""
    on = on or local_today()
    body = steering_group()
    if body is None:
        return []
    seats = Seat.objects.filter(body=body, participant__isnull=False)
    contacts = ParticipantContact.objects.filter(role__in=[r for r, _roles in REGISTER_ROLES])
    if participant_ids is not None:
        seats = seats.filter(participant_id__in=participant_ids)
        contacts = contacts.filter(participant_id__in=participant_ids)
    seats = list(seats.select_related("person", "participant"))
    held = {(c.participant_id, c.role): c for c in contacts.select_related("person", "participant")}
    changes = []
    with transaction.atomic():
        participants = {s.participant_id: s.participant for s in seats}
        for participant_id, participant in participants.items():
            mine = [s for s in seats if s.participant_id == participant_id]
            for contact_role, seat_roles in REGISTER_ROLES:
                current = sorted(
                    (s for s in mine if s.role in seat_roles and s.is_current(on)), key=lambda s: s.start_date, reverse=True
                )
                contact = held.get((participant_id, contact_role))
                if current:
                    person = current[0].person
                    if contact is None or contact.person_id != person.pk:
                        if ParticipantContact.objects.filter(participant_id=participant_id, person=person, role=contact_role).exists():
                            continue
                        member_services.participant_add_contact(
                            participant=participant, person=person, role=contact_role, actor=actor
                        )
                        changes.append({"participant": participant_id, "role": contact_role, "person": person.pk})
                elif contact is not None:
                    ended = [
                        s for s in mine
                        if s.role in seat_roles and s.person_id == contact.person_id and s.end_date is not None and s.end_date < on
                    ]
                    if ended:
                        member_services.participant_remove_contact(contact=contact, actor=actor)
                        changes.append({"participant": participant_id, "role": contact_role, "person": None})
    return changes


def body_adopt_register(*, body: Body, actor, start_date: date) -> int:
    """Give every member participant's register representative and deputy a seat where it has
    none: in the steering group (the bridge from the register's roles to the formal record), or
    as its delegate and deputy in the general assembly."""
    if not (body.is_steering_group or body.is_general_assembly) or not body.represents_participants:
        raise DomainError(_("Only the steering group and the general assembly take their seats from the register."))
    created = 0
    with transaction.atomic():
        current = {
            (s.participant_id, s.role in REPRESENTATIVE_ROLES)
            for s in Seat.objects.current(start_date).filter(body=body, participant__isnull=False)
        }
        contacts = (
            ParticipantContact.objects.filter(
                role__in=[ContactRole.STEERING_REP, ContactRole.STEERING_DEPUTY], participant__status__in=MEMBER_STATES
            )
            .select_related("person", "participant")
            .order_by("participant__name", "role")
        )
        for contact in contacts:
            is_rep = contact.role == ContactRole.STEERING_REP
            if (contact.participant_id, is_rep) in current:
                continue
            seat_appoint(
                body=body,
                person=contact.person,
                role=SeatRole.MEMBER if is_rep else SeatRole.DEPUTY_MEMBER,
                participant=contact.participant,
                start_date=start_date,
                end_date=add_months(start_date, body.term_months) - timedelta(days=1) if body.term_months else None,
                source=SeatSource.REGISTER,
                actor=actor,
            )
            created += 1
        audit_log(
            obj=body, action="polyfon.governance.body.register_adopted", actor=actor, payload={"seats": created, "from": start_date}
        )
    return created


# --- Representation proposals from /min-side/ ----------------------------------------------------------------


def participant_persons(participant: Participant):
    """Who a participant's contact may propose: its contact persons and the people of its organisations."""
    return (
        Person.objects.filter(
            Q(contact_roles__participant=participant) | Q(organisations__memberships__participant=participant)
        )
        .distinct()
        .order_by("name")
    )


def _coordinator_recipients():
    return member_services.coordinator_recipients()


def representation_propose(
    *,
    participant: Participant,
    body: Body,
    proposed_by,
    start_date: date,
    representative: Person | None = None,
    representative_name: str = "",
    representative_email: str = "",
    deputy: Person | None = None,
    deputy_name: str = "",
    deputy_email: str = "",
    message: str = "",
) -> RepresentationProposal:
    representative_email = representative_email.strip().lower()
    deputy_email = deputy_email.strip().lower()
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if not body.is_active or not body.represents_participants:
            raise DomainError(_("Participants are not represented in this body."))
        if participant.status not in MEMBER_STATES:
            raise DomainError(_("Only members are represented."))
        if not (representative or representative_email or deputy or deputy_email):
            raise DomainError(_("Propose a representative, a deputy or both."))
        if (representative_email and not representative_name) or (deputy_email and not deputy_name):
            raise DomainError(_("Give the name of each new person."))
        allowed = set(participant_persons(participant).values_list("pk", flat=True))
        for person in (representative, deputy):
            if person is not None and person.pk not in allowed:
                raise DomainError(_("%(person)s is not one of the participant's people.") % {"person": person})
        rep_key = representative.email.lower() if representative else representative_email
        deputy_key = deputy.email.lower() if deputy else deputy_email
        if rep_key and rep_key == deputy_key:
            raise DomainError(_("The representative and the deputy must be two different people."))
        if RepresentationProposal.objects.filter(participant=participant, body=body, status=ProposalStatus.PENDING).exists():
            raise DomainError(_("A proposal for this body is already waiting for the coordinator. Withdraw it first."))
        proposal = RepresentationProposal.objects.create(
            participant=participant,
            body=body,
            representative=representative,
            representative_name="" if representative else representative_name,
            representative_email="" if representative else representative_email,
            deputy=deputy,
            deputy_name="" if deputy else deputy_name,
            deputy_email="" if deputy else deputy_email,
            start_date=start_date,
            message=message,
            proposed_by=proposed_by,
        )
        audit_log(
            obj=proposal,
            action="polyfon.governance.proposal.created",
            actor=proposed_by,
            payload={"representative": proposal.representative_display, "deputy": proposal.deputy_display},
        )
        for recipient, language in _coordinator_recipients():
            send_templated_email(
                to=recipient, template="governance/email/proposal_received", context={"proposal": proposal}, language=language
            )
    return proposal


def _person_for(person, name: str, email: str, participant: Participant, actor) -> Person | None:
    if person is not None:
        return person
    if not email:
        return None
    existing = Person.objects.filter(email__iexact=email).first()
    if existing:
        return existing
    lead = participant.memberships.filter(is_lead=True).select_related("organisation").first()
    return member_services.person_create(
        actor=actor, name=name, email=email, organisations=[lead.organisation] if lead else []
    )


def _begin_proposal(proposal: RepresentationProposal, move: str) -> RepresentationProposal:
    locked = RepresentationProposal.objects.select_for_update(of=("self",)).select_related("participant", "body").get(pk=proposal.pk)
    if not lifecycle.PROPOSAL_MOVES.allows(locked.status, move):
        raise DomainError(_("This proposal has already been dealt with (%(status)s).") % {"status": locked.get_status_display()})
    return locked


def _proposal_decided_email(proposal: RepresentationProposal) -> None:
    user = proposal.proposed_by
    if user is None or not user.email:
        return
    person = getattr(user, "person", None)
    language = person.language if person else user.language
    send_templated_email(
        to=user.email, template="governance/email/proposal_decided", context={"proposal": proposal}, language=language
    )


def representation_proposal_approve(
    *, proposal: RepresentationProposal, actor, start_date: date | None = None, end_date: date | None = None, note: str = ""
) -> RepresentationProposal:
    """Approve: the proposed people get their seats (replacing the participant's current
    representative or deputy), and the register's contact roles follow, in one transaction."""
    with transaction.atomic():
        proposal = _begin_proposal(proposal, "approve")
        participant, body = proposal.participant, proposal.body
        start_date = start_date or proposal.start_date
        if end_date is None and body.term_months:
            end_date = add_months(start_date, body.term_months) - timedelta(days=1)
        representative = _person_for(
            proposal.representative, proposal.representative_name, proposal.representative_email, participant, actor
        )
        deputy = _person_for(proposal.deputy, proposal.deputy_name, proposal.deputy_email, participant, actor)
        for person, role, slot_roles in (
            (representative, SeatRole.MEMBER, REPRESENTATIVE_ROLES),
            (deputy, SeatRole.DEPUTY_MEMBER, (SeatRole.DEPUTY_MEMBER,)),
        ):
            if person is None:
                continue
            already = Seat.objects.current(start_date).filter(
                body=body, participant=participant, role__in=slot_roles, person=person
            )
            if already.exists():
                continue
            seat_appoint(
                body=body,
                person=person,
                role=role,
                participant=participant,
                start_date=start_date,
                end_date=end_date,
                source=SeatSource.PROPOSED,
                note=note,
                replace=True,
                actor=actor,
            )
        proposal.representative, proposal.deputy = representative, deputy
        proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.APPROVED, actor, timezone.now()
        proposal.reason = note
        proposal.save(update_fields=["representative", "deputy", "status", "decided_by", "decided_at", "reason"])
        audit_log(
            obj=proposal,
            action="polyfon.governance.proposal.approved",
            actor=actor,
            payload={"start_date": start_date, "end_date": end_date, "note": note},
        )
        _proposal_decided_email(proposal)
    return proposal


def representation_proposal_reject(*, proposal: RepresentationProposal, actor, reason: str) -> RepresentationProposal:
    if not reason.strip():
        raise DomainError(_("Tell the participant why the proposal is rejected."), field="reason")
    with transaction.atomic():
        proposal = _begin_proposal(proposal, "reject")
        proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.REJECTED, actor, timezone.now()
        proposal.reason = reason
        proposal.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        audit_log(obj=proposal, action="polyfon.governance.proposal.rejected", actor=actor, payload={"note": reason})
        _proposal_decided_email(proposal)
    return proposal


def representation_proposal_withdraw(*, proposal: RepresentationProposal, actor) -> RepresentationProposal:
    with transaction.atomic():
        proposal = _begin_proposal(proposal, "withdraw")
        proposal.status, proposal.decided_at = ProposalStatus.WITHDRAWN, timezone.now()
        proposal.save(update_fields=["status", "decided_at"])
        audit_log(obj=proposal, action="polyfon.governance.proposal.withdrawn", actor=actor)
    return proposal
