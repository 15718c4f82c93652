"""Meetings: agenda items numbered per body and year, papers, invitations with .ics, attendance,
minutes per item, approval of the minutes at a later meeting, and decisions."""

from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.dates import local_today
from polyfon.core.email import Attachment, send_templated_email
from polyfon.core.errors import DomainError
from polyfon.core.lifecycle import finish_move
from polyfon.core.validators import sha256_of

from .. import lifecycle
from ..ical import meeting_ics
from ..models import (
    AgendaItem,
    Attendance,
    Body,
    Decision,
    ItemDocument,
    ItemKind,
    Meeting,
    MeetingStatus,
    Seat,
)
from ..validators import document_kind

__all__ = [
    "MEETING_FIELDS",
    "ITEM_FIELDS",
    "meeting_create",
    "meeting_update",
    "meeting_send_invitation",
    "meeting_mark_held",
    "meeting_cancel",
    "meeting_invitees",
    "agenda_item_add",
    "agenda_item_update",
    "agenda_item_move",
    "agenda_item_withdraw",
    "agenda_item_transfer",
    "item_document_add",
    "item_document_remove",
    "attendance_record",
    "minutes_save",
    "minutes_approve",
    "decision_record",
    "decision_update",
    "decision_link",
    "resolve_subject",
]

MEETING_FIELDS = ["title", "starts_at", "ends_at", "location", "online_link", "chaired_by", "minutes_by"]
ITEM_FIELDS = ["title", "kind", "description", "proposed_decision", "presenter", "is_confidential"]
# Meetings whose agenda can still change, and whose decisions and minutes can be written.
OPEN_AGENDA = (MeetingStatus.PLANNED, MeetingStatus.INVITED, MeetingStatus.HELD)
IN_SESSION = (MeetingStatus.INVITED, MeetingStatus.HELD)


def _begin_move(meeting: Meeting, move: str) -> Meeting:
    """Lock the meeting and refuse a move its life cycle does not allow from its state."""
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
    if not lifecycle.MEETING_MOVES.allows(locked.status, move):
        raise DomainError(
            _("This cannot be done while the meeting's status is “%(status)s”.") % {"status": locked.get_status_display()}
        )
    return locked


def _finish_move(meeting: Meeting, move: str, *, actor, previous: str, payload: dict, fields=()) -> None:
    finish_move(
        meeting,
        lifecycle.MEETING_MOVES[move],
        action=f"polyfon.governance.meeting.{move}",
        actor=actor,
        previous=previous,
        payload=payload,
        fields=fields,
    )


def _lock_meeting(meeting: Meeting, allowed, message: str) -> Meeting:
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
    if locked.status not in allowed:
        raise DomainError(message)
    return locked


# --- Meetings ---------------------------------------------------------------------------------------------


def _next_number(body: Body, year: int) -> int:
    """The next item number of `body` in `year`; the caller holds the body's row lock."""
    return (AgendaItem.objects.filter(body=body, year=year).aggregate(n=Max("number"))["n"] or 0) + 1


def _create_item(meeting: Meeting, **values) -> AgendaItem:
    year = meeting.local_date.year
    return AgendaItem.objects.create(
        meeting=meeting, body=meeting.body, year=year, number=_next_number(meeting.body, year), **values
    )


def _check_times(starts_at: datetime, ends_at: datetime | None) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise DomainError(_("The meeting must end after it starts."), field="ends_at")


def meeting_create(
    *,
    body: Body,
    actor,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    location: str = "",
    online_link: str = "",
    standard_items: bool = True,
) -> Meeting:
    """Plan a meeting. With `standard_items`, the agenda opens with the approval of the notice and
    agenda and, if the body's last held meeting awaits it, the approval of its minutes."""
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        body = Body.objects.select_for_update().get(pk=body.pk)
        if not body.is_active:
            raise DomainError(_("The body is no longer active."))
        meeting = Meeting.objects.create(
            body=body, title=title, starts_at=starts_at, ends_at=ends_at, location=location, online_link=online_link
        )
        if standard_items:
            with translation.override(settings.LANGUAGE_CODE):
                _create_item(meeting, title=_("Approval of the notice and the agenda"), kind=ItemKind.DECISION)
                previous = (
                    Meeting.objects.filter(body=body, status=MeetingStatus.HELD, starts_at__lt=starts_at)
                    .exclude(approval_items__meeting__status__in=OPEN_AGENDA)
                    .order_by("-starts_at")
                    .first()
                )
                if previous is not None:
                    _create_item(
                        meeting,
                        title=_("Approval of the minutes of the meeting on %(date)s")
                        % {"date": previous.local_date.strftime("%d.%m.%Y")},
                        kind=ItemKind.MINUTES_APPROVAL,
                        approves_meeting=previous,
                    )
        audit_log(
            obj=meeting, action="polyfon.governance.meeting.created", actor=actor, payload={"starts_at": starts_at}
        )
    return meeting


def meeting_update(*, meeting: Meeting, actor, **values) -> Meeting:
    values = {k: v for k, v in values.items() if k in MEETING_FIELDS}
    with transaction.atomic():
        meeting = _lock_meeting(meeting, OPEN_AGENDA, _("A cancelled meeting, or one with approved minutes, cannot be changed."))
        starts_at = values.get("starts_at", meeting.starts_at)
        _check_times(starts_at, values.get("ends_at", meeting.ends_at))
        if starts_at != meeting.starts_at:
            if meeting.status == MeetingStatus.HELD:
                raise DomainError(_("A held meeting cannot be moved."), field="starts_at")
            new_year = timezone.localtime(starts_at).year
            if new_year != meeting.local_date.year and meeting.items.exists():
                raise DomainError(
                    _("Items are numbered per year; a meeting with items cannot move to another year."), field="starts_at"
                )
        update_with_audit(meeting, values, actor=actor, action="polyfon.governance.meeting.changed")
    return meeting


def meeting_invitees(meeting: Meeting) -> list:
    """Everyone who holds a seat in the body on the day of the meeting (each person once)."""
    seats = Seat.objects.current(meeting.local_date).filter(body=meeting.body).select_related("person")
    persons = {}
    for seat in seats:
        persons.setdefault(seat.person_id, seat.person)
    return sorted(persons.values(), key=lambda p: p.name)


def _papers_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("governance:mine_meeting", args=[meeting.pk])


def meeting_send_invitation(*, meeting: Meeting, actor, message: str = "") -> Meeting:
    """E-mail the invitation with the agenda and an .ics to everyone with a seat on the day."""
    with transaction.atomic():
        meeting = _begin_move(meeting, "invite")
        previous = meeting.status
        if meeting.starts_at <= timezone.now():
            raise DomainError(_("The meeting has already started; invitations go out before it."))
        invitees = [p for p in meeting_invitees(meeting) if p.email]
        if not invitees:
            raise DomainError(_("Nobody holds a seat in the body on the day of the meeting; appoint the members first."))
        items = list(meeting.items.filter(is_withdrawn=False).order_by("number"))
        is_update = meeting.invitation_sequence > 0
        meeting.invitation_sequence += 1
        meeting.invitation_sent_at = timezone.now()
        _finish_move(
            meeting,
            "invite",
            actor=actor,
            previous=previous,
            payload={"recipients": len(invitees), "sequence": meeting.invitation_sequence, "update": is_update},
            fields=["invitation_sequence", "invitation_sent_at"],
        )
        for person in invitees:
            send_templated_email(
                to=person.email,
                template="governance/email/invitation",
                context={
                    "meeting": meeting,
                    "items": items,
                    "person": person,
                    "message": message,
                    "is_update": is_update,
                    "papers_url": _papers_url(meeting),
                },
                language=person.language,
                attachments=[
                    Attachment(
                        "invitation.ics",
                        meeting_ics(meeting, items, method="REQUEST", attendee=(person.name, person.email)),
                        "text/calendar; method=REQUEST; charset=utf-8",
                    )
                ],
            )
    return meeting


def meeting_mark_held(*, meeting: Meeting, actor, note: str = "") -> Meeting:
    with transaction.atomic():
        meeting = _begin_move(meeting, "mark_held")
        if meeting.local_date > local_today():
            raise DomainError(_("The meeting is on %(date)s; it cannot be held before then.") % {"date": meeting.local_date.strftime("%d.%m.%Y")})
        _finish_move(meeting, "mark_held", actor=actor, previous=meeting.status, payload={"note": note})
    return meeting


def meeting_cancel(*, meeting: Meeting, actor, reason: str = "", notify: bool = True) -> Meeting:
    with transaction.atomic():
        meeting = _begin_move(meeting, "cancel")
        previous = meeting.status
        was_invited = meeting.invitation_sequence > 0
        meeting.cancel_reason = reason
        _finish_move(meeting, "cancel", actor=actor, previous=previous, payload={"note": reason}, fields=["cancel_reason"])
        if was_invited and notify:
            for person in meeting_invitees(meeting):
                if not person.email:
                    continue
                send_templated_email(
                    to=person.email,
                    template="governance/email/cancellation",
                    context={"meeting": meeting, "person": person, "reason": reason},
                    language=person.language,
                    attachments=[
                        Attachment(
                            "cancellation.ics",
                            meeting_ics(meeting, method="CANCEL", attendee=(person.name, person.email)),
                            "text/calendar; method=CANCEL; charset=utf-8",
                        )
                    ],
                )
    return meeting


# --- Agenda items -----------------------------------------------------------------------------------------


def _check_approval_target(meeting: Meeting, target: Meeting | None) -> None:
    if target is None:
        raise DomainError(_("Choose the meeting whose minutes are to be approved."), field="approves_meeting")
    if target.body_id != meeting.body_id or target.starts_at >= meeting.starts_at:
        raise DomainError(_("Minutes are approved at a later meeting of the same body."), field="approves_meeting")
    if target.status != MeetingStatus.HELD:
        raise DomainError(_("Only the minutes of a held meeting can be approved."), field="approves_meeting")


def agenda_item_add(*, meeting: Meeting, actor, title: str, kind: str = ItemKind.DECISION, approves_meeting=None, **values) -> AgendaItem:
    values = {k: v for k, v in values.items() if k in ITEM_FIELDS}
    with transaction.atomic():
        meeting = _lock_meeting(meeting, OPEN_AGENDA, _("Items can only be added to a planned, invited or held meeting."))
        Body.objects.select_for_update().get(pk=meeting.body_id)  # numbers are handed out one at a time
        if kind == ItemKind.MINUTES_APPROVAL:
            _check_approval_target(meeting, approves_meeting)
        else:
            approves_meeting = None
        item = _create_item(meeting, title=title, kind=kind, approves_meeting=approves_meeting, **values)
        audit_log(
            obj=meeting,
            action="polyfon.governance.meeting.item_added",
            actor=actor,
            payload={"item": item.reference, "title": title},
        )
    return item


def agenda_item_update(*, item: AgendaItem, actor, approves_meeting=None, **values) -> AgendaItem:
    values = {k: v for k, v in values.items() if k in ITEM_FIELDS}
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
        _lock_meeting(item.meeting, OPEN_AGENDA, _("The agenda of this meeting can no longer change."))
        kind = values.get("kind", item.kind)
        if kind == ItemKind.MINUTES_APPROVAL:
            target = approves_meeting or item.approves_meeting
            if target != item.approves_meeting:
                _check_approval_target(item.meeting, target)
            values["approves_meeting"] = target
        else:
            values["approves_meeting"] = None
        update_with_audit(
            item, values, actor=actor, action="polyfon.governance.item.changed", extra={"item": item.reference}
        )
    return item


def agenda_item_move(*, item: AgendaItem, actor, direction: str) -> AgendaItem:
    """Swap the item with its neighbour in the meeting; their numbers swap too."""
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
        meeting = _lock_meeting(
            item.meeting, (MeetingStatus.PLANNED, MeetingStatus.INVITED), _("Items can only be reordered before the meeting.")
        )
        Body.objects.select_for_update().get(pk=meeting.body_id)
        item = AgendaItem.objects.get(pk=item.pk)
        siblings = meeting.items.exclude(pk=item.pk)
        other = (
            siblings.filter(number__lt=item.number).order_by("-number").first()
            if direction == "up"
            else siblings.filter(number__gt=item.number).order_by("number").first()
        )
        if other is None:
            return item
        mine, theirs = item.number, other.number
        AgendaItem.objects.filter(pk=item.pk).update(number=0)
        AgendaItem.objects.filter(pk=other.pk).update(number=mine)
        AgendaItem.objects.filter(pk=item.pk).update(number=theirs)
        item.number = theirs
        audit_log(
            obj=meeting,
            action="polyfon.governance.meeting.items_reordered",
            actor=actor,
            payload={"item": item.title, "from": mine, "to": theirs},
        )
    return item


def agenda_item_withdraw(*, item: AgendaItem, actor, reason: str = "") -> AgendaItem:
    """Withdraw an item ("saken utgår"): it keeps its number and shows as withdrawn."""
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
        _lock_meeting(item.meeting, OPEN_AGENDA, _("The agenda of this meeting can no longer change."))
        if item.is_withdrawn:
            raise DomainError(_("The item is already withdrawn."))
        if item.decisions.exists() or item.elections.exists() or item.motions.exists():
            raise DomainError(_("An item with decisions, elections or motions cannot be withdrawn."))
        item.is_withdrawn = True
        item.save(update_fields=["is_withdrawn", "updated_at"])
        audit_log(
            obj=item.meeting,
            action="polyfon.governance.meeting.item_withdrawn",
            actor=actor,
            payload={"item": item.reference, "note": reason},
        )
    return item


def agenda_item_transfer(*, item: AgendaItem, actor, meeting: Meeting) -> AgendaItem:
    """Move an item of a cancelled or planned meeting to another meeting of the body in the same year
    (it keeps its number, so "Sak 12/2027" stays "Sak 12/2027")."""
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
        source = item.meeting
        if source.status not in (MeetingStatus.PLANNED, MeetingStatus.CANCELLED):
            raise DomainError(_("Only items of a planned or cancelled meeting can be moved to another meeting."))
        target = _lock_meeting(
            meeting, (MeetingStatus.PLANNED, MeetingStatus.INVITED), _("Items can only be moved to a planned or invited meeting.")
        )
        if target.pk == source.pk or target.body_id != source.body_id or target.local_date.year != item.year:
            raise DomainError(_("Items move only to another meeting of the same body in the same year."), field="meeting")
        item.meeting = target
        item.save(update_fields=["meeting", "updated_at"])
        for obj in (source, target):
            audit_log(
                obj=obj,
                action="polyfon.governance.meeting.item_transferred",
                actor=actor,
                payload={"item": item.reference, "from": str(source), "to": str(target)},
            )
    return item


# --- Papers ------------------------------------------------------------------------------------------------


def item_document_add(*, item: AgendaItem, uploaded, title: str = "", is_public: bool = True, actor) -> ItemDocument:
    kind = document_kind(uploaded)  # checked again here: forms are not the only callers
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
        _lock_meeting(item.meeting, OPEN_AGENDA, _("Papers can only be added before the minutes are approved."))
        document = ItemDocument(
            item=item,
            title=title or uploaded.name.rsplit(".", 1)[0][:200],
            kind=kind,
            original_name=uploaded.name[:255],
            size=uploaded.size,
            sha256=sha256_of(uploaded),
            is_public=is_public,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        document.file.save(uploaded.name, uploaded, save=False)
        document.save()
        audit_log(
            obj=item.meeting,
            action="polyfon.governance.meeting.document_added",
            actor=actor,
            payload={"item": item.reference, "file": document.original_name, "sha256": document.sha256},
        )
    return document


def item_document_remove(*, document: ItemDocument, actor) -> None:
    with transaction.atomic():
        document = ItemDocument.objects.select_related("item__meeting").get(pk=document.pk)
        _lock_meeting(
            document.item.meeting,
            (MeetingStatus.PLANNED, MeetingStatus.INVITED),
            _("Papers of a held meeting are part of its record and cannot be removed."),
        )
        document.file.delete(save=False)
        document.delete()
        audit_log(
            obj=document.item.meeting,
            action="polyfon.governance.meeting.document_removed",
            actor=actor,
            payload={"item": document.item.reference, "file": document.original_name},
        )


# --- Attendance and minutes ---------------------------------------------------------------------------------


def attendance_record(*, meeting: Meeting, actor, entries: list[tuple]) -> Meeting:
    """`entries` are (person, status, note) for the seat holders; others are refused."""
    with transaction.atomic():
        meeting = _lock_meeting(meeting, IN_SESSION, _("Attendance is recorded for an invited or held meeting."))
        seats = {s.person_id: s for s in Seat.objects.current(meeting.local_date).filter(body=meeting.body)}
        known = set(meeting.attendance.values_list("person_id", flat=True))
        counts = {}
        for person, status, note in entries:
            if person.pk not in seats and person.pk not in known:
                raise DomainError(_("%(person)s has no seat in the body on the day of the meeting.") % {"person": person})
            Attendance.objects.update_or_create(
                meeting=meeting, person=person, defaults={"status": status, "note": note, "seat": seats.get(person.pk)}
            )
            counts[status] = counts.get(status, 0) + 1
        audit_log(obj=meeting, action="polyfon.governance.meeting.attendance_recorded", actor=actor, payload=counts)
    return meeting


def minutes_save(*, meeting: Meeting, actor, minutes: dict, chaired_by: str = "", minutes_by: str = "") -> Meeting:
    """Write the minutes: `minutes` maps item ids to their text."""
    with transaction.atomic():
        meeting = _lock_meeting(
            meeting, (MeetingStatus.HELD,), _("Minutes are written for a held meeting whose minutes are not yet approved.")
        )
        changed = []
        items = {item.pk: item for item in meeting.items.all()}
        for pk, text in minutes.items():
            item = items.get(int(pk))
            if item is None:
                raise DomainError(_("The item is not on this meeting's agenda."))
            if item.minutes != text:
                item.minutes = text
                item.save(update_fields=["minutes", "updated_at"])
                changed.append(item.reference)
        update_with_audit(
            meeting, {"chaired_by": chaired_by, "minutes_by": minutes_by}, actor=actor,
            action="polyfon.governance.meeting.changed",
        )
        if changed:
            audit_log(obj=meeting, action="polyfon.governance.meeting.minutes_written", actor=actor, payload={"items": changed})
    return meeting


def minutes_approve(*, item: AgendaItem, actor, note: str = "") -> Meeting:
    """Approve, under `item` of a later meeting, the minutes of the meeting the item names; the
    approval is recorded as the item's decision."""
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting__body", "approves_meeting").get(pk=item.pk)
        if item.kind != ItemKind.MINUTES_APPROVAL or item.approves_meeting is None:
            raise DomainError(_("This item does not approve minutes."))
        _lock_meeting(item.meeting, IN_SESSION, _("Minutes are approved at the meeting itself (invited or held)."))
        target = _begin_move(item.approves_meeting, "approve_minutes")
        if target.starts_at >= item.meeting.starts_at:
            raise DomainError(_("Minutes are approved at a later meeting of the same body."))
        if not target.items.exclude(minutes="").exists():
            raise DomainError(_("The minutes of that meeting have not been written yet."))
        target.minutes_approved_at, target.minutes_approved_in = timezone.now(), item
        _finish_move(
            target,
            "approve_minutes",
            actor=actor,
            previous=target.status,
            payload={"item": item.reference, "meeting": str(item.meeting), "note": note},
            fields=["minutes_approved_at", "minutes_approved_in"],
        )
        with translation.override(settings.LANGUAGE_CODE):
            text = _("The minutes of the meeting on %(date)s are approved.") % {"date": target.local_date.strftime("%d.%m.%Y")}
        _record_decision(item=item, actor=actor, text=text + (f"\n{note}" if note else ""), vote="")
    return target


# --- Decisions -------------------------------------------------------------------------------------------------


def resolve_subject(subject_type: ContentType | None, subject_id: str):
    """The object a decision is about, checked to exist (None when no type is given)."""
    if subject_type is None:
        if subject_id:
            raise DomainError(_("Choose what kind of object the decision is about."), field="subject_type")
        return None
    model = subject_type.model_class()
    if model is None:
        raise DomainError(_("That kind of object no longer exists."), field="subject_type")
    try:
        return model._default_manager.get(pk=subject_id)
    except (model.DoesNotExist, ValueError, TypeError):
        raise DomainError(
            _("There is no %(kind)s with id %(id)s.") % {"kind": model._meta.verbose_name, "id": subject_id}, field="subject_id"
        ) from None


def _record_decision(*, item: AgendaItem, actor, text: str, vote: str = "", subject=None, subject_label: str = "",
                     decided_on: date | None = None) -> Decision:
    decision = Decision.objects.create(
        item=item,
        body_id=item.body_id,
        decided_on=decided_on or item.meeting.local_date,
        text=text,
        vote=vote,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
        subject_label=subject_label or (str(subject)[:255] if subject is not None else ""),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        obj=item.meeting,
        action="polyfon.governance.meeting.decision_recorded",
        actor=actor,
        payload={"item": item.reference, "text": text[:500], "subject": decision.subject_label},
    )
    return decision


def decision_record(
    *,
    item: AgendaItem,
    actor,
    text: str,
    vote: str = "",
    subject_type: ContentType | None = None,
    subject_id: str = "",
    subject_label: str = "",
) -> Decision:
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
        _lock_meeting(item.meeting, IN_SESSION, _("Decisions are recorded at the meeting (invited or held)."))
        if item.is_withdrawn:
            raise DomainError(_("The item is withdrawn."))
        subject = resolve_subject(subject_type, subject_id)
        return _record_decision(item=item, actor=actor, text=text, vote=vote, subject=subject, subject_label=subject_label)


def decision_update(*, decision: Decision, actor, text: str, vote: str = "") -> Decision:
    with transaction.atomic():
        decision = Decision.objects.select_for_update(of=("self",)).select_related("item__meeting").get(pk=decision.pk)
        _lock_meeting(decision.item.meeting, IN_SESSION, _("The decisions of a meeting with approved minutes cannot be changed."))
        update_with_audit(
            decision, {"text": text, "vote": vote}, actor=actor, action="polyfon.governance.decision.changed",
            extra={"item": decision.item.reference},
        )
    return decision


def decision_link(*, decision: Decision, actor, subject_type: ContentType | None, subject_id: str = "", subject_label: str = "") -> Decision:
    """Link a decision to what it decides (any object, by content type and id). Allowed at any
    time: the fee schedule or the call may be registered after the decision."""
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        subject = resolve_subject(subject_type, subject_id)
        values = {
            "subject_type": subject_type if subject is not None else None,
            "subject_id": str(subject.pk) if subject is not None else "",
            "subject_label": subject_label or (str(subject)[:255] if subject is not None else ""),
        }
        update_with_audit(decision, values, actor=actor, action="polyfon.governance.decision.linked")
    return decision
