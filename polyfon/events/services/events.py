"""Events: create, change, copy, publish, cancel, questions and e-mails to the registrants."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.errors import DomainError
from polyfon.core.lifecycle import finish_move

from .. import lifecycle
from ..models import (
    ACTIVE_STATES,
    Audience,
    Event,
    EventAudience,
    EventKind,
    EventMessage,
    EventQuestion,
    EventStatus,
    MessageRecipients,
    RegistrationStatus,
)
from .registrations import confirmed_count, email_registration, fill_from_waiting_list, lock_event

EVENT_FIELDS = [
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "online_details",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "is_public",
    "ask_organisation",
    "ask_role",
    "ask_dietary_needs",
    "reminder_hours",
    "certificate_hours",
    "keep_dietary_days",
    "keep_personal_data_days",
]
# Fields whose change the registered people should hear about.
NOTEWORTHY_FIELDS = {"title", "starts_at", "ends_at", "location", "online_url", "online_details"}


NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def _unique_slug(title: str, starts_at: datetime, *, exclude_pk=None) -> str:
    """'2020-10-26-webinar-for-hoyskoler-...': the date first, then the title without æ, ø and å."""
    base = f"{timezone.localtime(starts_at):%Y-%m-%d}-{slugify(title.translate(NORWEGIAN_LETTERS))[:70]}".strip("-")
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_event(values: dict) -> None:
    """Rules between the fields of an event (the form checks each field by itself)."""
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts and ends and ends <= starts:
        raise DomainError(_("The event must end after it starts."), field="ends_at")
    opens, closes = values.get("registration_opens_at"), values.get("registration_closes_at")
    if opens and closes and closes <= opens:
        raise DomainError(_("Registration must close after it opens."), field="registration_closes_at")
    if closes and starts and closes > starts:
        raise DomainError(_("Registration must close no later than the start of the event."), field="registration_closes_at")
    if opens and starts and opens >= starts:
        raise DomainError(_("Registration must open before the event starts."), field="registration_opens_at")
    if values.get("kind") == EventKind.STEERING_MEETING and values.get("is_public"):
        raise DomainError(_("A steering-group meeting is internal: it cannot be public."), field="is_public")
    if values.get("ask_dietary_needs") and not values.get("location"):
        raise DomainError(_("Dietary needs are asked only for events with a place."), field="ask_dietary_needs")
    keep_diet, keep_all = values.get("keep_dietary_days"), values.get("keep_personal_data_days")
    if keep_diet is not None and keep_all is not None and keep_diet > keep_all:
        raise DomainError(
            _("Dietary needs cannot be kept longer than the other personal data."), field="keep_dietary_days"
        )


def _set_audiences(event: Event, audiences, *, actor) -> bool:
    wanted = {str(a) for a in audiences}
    unknown = wanted - set(Audience.values)
    if unknown:
        raise DomainError(_("Unknown audience."), field="audiences")
    current = set(event.audiences.values_list("audience", flat=True))
    if wanted == current:
        return False
    event.audiences.exclude(audience__in=wanted).delete()
    EventAudience.objects.bulk_create([EventAudience(event=event, audience=a) for a in sorted(wanted - current)])
    return True


def _set_work_areas(event: Event, work_areas) -> bool:
    wanted = {w.pk for w in work_areas}
    if wanted == set(event.work_areas.values_list("pk", flat=True)):
        return False
    event.work_areas.set(list(work_areas))
    return True


def event_create(*, actor, audiences=(), work_areas=(), **values) -> Event:
    """A new event, as a draft: nobody sees it before it is published."""
    values = {k: v for k, v in values.items() if k in EVENT_FIELDS}
    if values.get("kind") == EventKind.STEERING_MEETING:
        values.setdefault("is_public", False)
    _check_event(values)
    with transaction.atomic():
        event = Event.objects.create(
            **values,
            slug=_unique_slug(values["title"], values["starts_at"]),
            status=EventStatus.DRAFT,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _set_audiences(event, audiences, actor=actor)
        _set_work_areas(event, work_areas)
        audit_log(obj=event, action="polyfon.events.event.created", actor=actor, payload={"audiences": sorted(audiences)})
    return event


def event_update(
    *, event: Event, actor, audiences=None, work_areas=None, notify_registrants: bool = False, **values
) -> Event:
    """Change an event. More places (or none) let the waiting list move up; fewer places than are
    taken are refused. A new time sends new reminders; `notify_registrants` e-mails everyone."""
    values = {k: v for k, v in values.items() if k in EVENT_FIELDS}
    now = timezone.now()
    with transaction.atomic():
        event = lock_event(event)
        if event.is_cancelled:
            raise DomainError(_("A cancelled event cannot be changed."))
        merged = {name: getattr(event, name) for name in EVENT_FIELDS} | values
        _check_event(merged)
        taken = confirmed_count(event)
        if merged["capacity"] is not None and merged["capacity"] < taken:
            raise DomainError(
                _("%(count)s people already have a place; the number of places cannot be lower.") % {"count": taken},
                field="capacity",
            )
        changes = update_with_audit(event, values, actor=actor, action="polyfon.events.event.changed")
        if audiences is not None and _set_audiences(event, audiences, actor=actor):
            audit_log(obj=event, action="polyfon.events.event.audiences_changed", actor=actor, payload={"audiences": sorted(audiences)})
        if work_areas is not None and _set_work_areas(event, work_areas):
            audit_log(
                obj=event,
                action="polyfon.events.event.work_areas_changed",
                actor=actor,
                payload={"work_areas": sorted(str(w) for w in work_areas)},
            )
        if "starts_at" in changes or "reminder_hours" in changes:
            # New time: the reminder goes out again before the new start.
            event.registrations.filter(status__in=ACTIVE_STATES).update(reminded_at=None)
            if event.reminders_sent_at:
                event.reminders_sent_at = None
                event.save(update_fields=["reminders_sent_at"])
        if "capacity" in changes:
            fill_from_waiting_list(event, actor=actor, now=now)
        if notify_registrants and NOTEWORTHY_FIELDS & set(changes):
            for registration in event.registrations.filter(status__in=ACTIVE_STATES, anonymised_at__isnull=True):
                registration.event = event
                email_registration(registration, "event_changed", with_ics=registration.is_confirmed)
    return event


def event_copy(
    *, event: Event, actor, title: str, starts_at: datetime, ends_at: datetime | None = None, audiences=None
) -> Event:
    """A new draft like `event` at another time: the three webinars of one day are one event and
    two copies. The registration times move with the start; questions and work areas come along."""
    shift = starts_at - event.starts_at
    values = {name: getattr(event, name) for name in EVENT_FIELDS}
    values.update(
        title=title,
        starts_at=starts_at,
        ends_at=ends_at or starts_at + (event.ends_at - event.starts_at),
        registration_opens_at=event.registration_opens_at + shift if event.registration_opens_at else None,
        registration_closes_at=event.registration_closes_at + shift if event.registration_closes_at else None,
    )
    # A registration that would open after it closes or after the start is left to open at publishing.
    if values["registration_opens_at"] and values["registration_opens_at"] >= values["starts_at"]:
        values["registration_opens_at"] = None
    _check_event(values)
    with transaction.atomic():
        copy = Event.objects.create(
            **values,
            slug=_unique_slug(title, starts_at),
            status=EventStatus.DRAFT,
            copied_from=event,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _set_audiences(copy, event.audience_codes if audiences is None else audiences, actor=actor)
        copy.work_areas.set(list(event.work_areas.all()))
        EventQuestion.objects.bulk_create(
            [
                EventQuestion(event=copy, text=q.text, help_text=q.help_text, required=q.required, position=q.position)
                for q in event.questions.all()
            ]
        )
        audit_log(obj=copy, action="polyfon.events.event.copied", actor=actor, payload={"from": event.pk, "from_title": event.title})
    return copy


# --- Moves of the life cycle (see lifecycle.EVENT_MOVES) --------------------------------------------------------


def _begin_move(event: Event, move_name: str) -> Event:
    event = lock_event(event)
    if not lifecycle.EVENT_MOVES.allows(event.status, move_name):
        raise DomainError(
            _("This is not possible while the event is “%(status)s”.") % {"status": event.get_status_display()}
        )
    return event


def _finish_move(event: Event, move_name: str, *, actor, previous: str, payload: dict, fields=()) -> None:
    finish_move(
        event,
        lifecycle.EVENT_MOVES[move_name],
        action=f"polyfon.events.event.{move_name}",
        actor=actor,
        previous=previous,
        payload=payload,
        fields=fields,
    )


def event_publish(*, event: Event, actor, note: str = "") -> Event:
    with transaction.atomic():
        event = _begin_move(event, "publish")
        _finish_move(event, "publish", actor=actor, previous=event.status, payload={"note": note})
    return event


def event_unpublish(*, event: Event, actor, note: str = "") -> Event:
    with transaction.atomic():
        event = _begin_move(event, "unpublish")
        if event.registrations.filter(status__in=ACTIVE_STATES).exists():
            raise DomainError(_("People are registered for the event; cancel it instead."))
        _finish_move(event, "unpublish", actor=actor, previous=event.status, payload={"note": note})
    return event


def event_cancel(*, event: Event, actor, reason: str = "") -> Event:
    """Cancel the event and tell everyone registered or waiting (by the background worker)."""
    from ..tasks import notify_event_cancelled

    with transaction.atomic():
        event = _begin_move(event, "cancel")
        previous = event.status
        event.cancelled_at, event.cancel_reason = timezone.now(), reason
        _finish_move(
            event, "cancel", actor=actor, previous=previous, payload={"note": reason}, fields=["cancelled_at", "cancel_reason"]
        )
        if previous == EventStatus.PUBLISHED:
            pk = event.pk
            transaction.on_commit(lambda: notify_event_cancelled.enqueue(pk))
    return event


# --- Questions ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionEntry:
    text: str
    help_text: str = ""
    required: bool = False
    pk: int | None = None


def event_set_questions(*, event: Event, actor, questions: list[QuestionEntry]) -> Event:
    """Replace the free-text questions of the registration form (in the order given).

    Answers already given to a removed question stay with the registrations until their
    personal data are removed, but are no longer shown or exported."""
    with transaction.atomic():
        event = lock_event(event)
        if event.is_cancelled:
            raise DomainError(_("A cancelled event cannot be changed."))
        existing = {q.pk: q for q in event.questions.all()}
        kept = set()
        for position, entry in enumerate(questions):
            question = existing.get(entry.pk) if entry.pk else None
            if question is None:
                question = EventQuestion(event=event)
            question.text, question.help_text, question.required, question.position = (
                entry.text.strip(),
                entry.help_text.strip(),
                entry.required,
                position,
            )
            question.save()
            kept.add(question.pk)
        removed = [pk for pk in existing if pk not in kept]
        EventQuestion.objects.filter(pk__in=removed).delete()
        audit_log(
            obj=event,
            action="polyfon.events.event.questions_changed",
            actor=actor,
            payload={"questions": [q.text for q in questions]},
        )
    return event


# --- E-mail to the registrants ----------------------------------------------------------------------------------


def message_recipients(event: Event, recipients: str):
    """The registrations an organiser's message goes to (never those whose data are removed)."""
    registrations = event.registrations.filter(anonymised_at__isnull=True)
    if recipients == MessageRecipients.REGISTERED:
        return registrations.filter(status=RegistrationStatus.CONFIRMED)
    if recipients == MessageRecipients.ATTENDEES:
        return registrations.filter(status=RegistrationStatus.CONFIRMED, attended=True)
    if recipients == MessageRecipients.WAITING:
        return registrations.filter(status=RegistrationStatus.WAITING)
    return registrations.filter(status__in=ACTIVE_STATES)


def event_message_send(*, event: Event, actor, recipients: str, subject: str, body: str) -> EventMessage:
    """The organiser e-mails all registrants, all attendees or the waiting list. The background
    worker sends one e-mail per person, in their language, with their personal link."""
    from ..tasks import send_event_message

    with transaction.atomic():
        event = lock_event(event)
        count = message_recipients(event, recipients).count()
        if count == 0:
            raise DomainError(_("Nobody is in this group of recipients."), field="recipients")
        message = EventMessage.objects.create(
            event=event,
            recipients=recipients,
            subject=subject.strip(),
            body=body.strip(),
            recipient_count=count,
            sent_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_log(
            obj=event,
            action="polyfon.events.event.message_sent",
            actor=actor,
            payload={"message": message.pk, "recipients": recipients, "count": count, "subject": message.subject},
        )
        pk = message.pk
        transaction.on_commit(lambda: send_event_message.enqueue(pk))
    return message
