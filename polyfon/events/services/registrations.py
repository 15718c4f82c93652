"""Registrations: register (alone, or colleagues in one go), change, cancel, the waiting list and
attendance. The event row is locked first in every function that changes who has a place, so the
capacity holds however many people register at once."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from polyfon.accounts import roles
from polyfon.core.audit import audit_log
from polyfon.core.email import Attachment, send_templated_email
from polyfon.core.errors import DomainError
from polyfon.members.models import MEMBER_STATES, Organisation, ParticipantOrganisation, Person

from .. import lifecycle
from ..ical import event_ical
from ..models import (
    ACTIVE_STATES,
    Event,
    EventStatus,
    QuestionMode,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from ..tokens import new_secret, token_for

R = RegistrationStatus


# --- Helpers shared with the other service modules -------------------------------------------------------


def lock_event(event: Event) -> Event:
    """The event, re-read with its row locked until the transaction ends."""
    return Event.objects.select_for_update().get(pk=event.pk)


def confirmed_count(event: Event) -> int:
    return Registration.objects.filter(event=event, status=R.CONFIRMED).count()


def has_place(event: Event) -> bool:
    return event.capacity is None or confirmed_count(event) < event.capacity


def language_code(language: str | None) -> str:
    code = (language or settings.LANGUAGE_CODE)[:2]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def registration_link(registration: Registration) -> str:
    """The personal link (absolute URL) to see, change or cancel a registration."""
    return settings.SITE_URL + reverse("events:registration_detail", args=[token_for(registration)])


def local_datetime(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def email_registration(registration: Registration, template: str, *, context: dict | None = None, with_ics: bool = False):
    """E-mail the registered person in their language; the .ics carries the online link when they have a place.

    The message is rendered after the transaction commits, so the event's row lock is not held
    while templates and calendar files are made (and a rolled-back change renders nothing)."""
    transaction.on_commit(lambda: _send_registration_email(registration, template, context=context, with_ics=with_ics))


def _send_registration_email(registration: Registration, template: str, *, context: dict | None, with_ics: bool):
    event = registration.event
    attachments = None
    if with_ics:
        with translation.override(registration.language):
            ics = event_ical(event, registration=registration)
        attachments = [Attachment(filename=f"{event.slug}.ics", content=ics, mimetype="text/calendar")]
    send_templated_email(
        to=registration.email,
        template=f"events/email/{template}",
        context={
            "registration": registration,
            "event": event,
            "link": registration_link(registration),
            "show_online": registration.is_confirmed and not event.is_cancelled,
            **(context or {}),
        },
        language=registration.language,
        attachments=attachments,
    )


def fill_from_waiting_list(event: Event, *, actor=None, now: datetime | None = None) -> list[Registration]:
    """Give free places to the waiting list, first come first served, and tell each by e-mail.

    Call with the event locked. Nobody moves up once the event has started or if it is not published.
    """
    now = now or timezone.now()
    if event.status != EventStatus.PUBLISHED or event.has_started(now):
        return []
    waiting = Registration.objects.filter(event=event, status=R.WAITING).order_by("created_at", "pk")
    if event.capacity is not None:
        free = event.capacity - confirmed_count(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = []
    for registration in waiting.select_related("event"):
        if not lifecycle.REGISTRATION_MOVES.allows(registration.status, "promote"):
            continue
        registration.status, registration.confirmed_at = R.CONFIRMED, now
        registration.save(update_fields=["status", "confirmed_at", "updated_at"])
        audit_log(obj=event, action="polyfon.events.registration.promoted", actor=actor, payload={"registration": registration.pk})
        email_registration(registration, "registration_promoted", with_ics=True)
        promoted.append(registration)
    return promoted


# --- Registering -----------------------------------------------------------------------------------------


def _check_open(event: Event, *, source: str, now: datetime) -> None:
    state = event.registration_state(now)
    if state == "cancelled":
        raise DomainError(_("The event is cancelled."), code="cancelled")
    if state == "draft":
        raise DomainError(_("The event is not open for registration."), code="draft")
    if source == RegistrationSource.OFFICE:
        return  # the coordinator may register people at any time, also walk-ins after the event
    if state == "not_open":
        raise DomainError(
            _("Registration opens %(time)s.") % {"time": local_datetime(event.registration_opens_at)}, code="not_open"
        )
    if state == "closed":
        raise DomainError(_("Registration closed %(time)s.") % {"time": local_datetime(event.closes_at)}, code="closed")


def _check_audience(event: Event, organisation: Organisation | None, *, source: str) -> None:
    """Events for participants only take people from organisations in a member participant."""
    if source == RegistrationSource.OFFICE or not event.is_for_participants_only:
        return
    is_member = organisation is not None and ParticipantOrganisation.objects.filter(
        organisation=organisation, participant__status__in=MEMBER_STATES
    ).exists()
    if not is_member:
        raise DomainError(
            _(
                "This event is for the cluster's participants only. Choose your organisation from the register; "
                "if it is not a participant, the event is not open to you."
            ),
            field="organisation",
            code="participants_only",
        )


def _clean_answers(event: Event, answers: dict | None) -> dict:
    known = {str(q.pk) for q in event.questions.all()}
    return {str(k): str(v).strip() for k, v in (answers or {}).items() if str(k) in known and str(v).strip()}


def _register(
    event: Event,
    *,
    now: datetime,
    name: str,
    email: str,
    language: str,
    organisation: Organisation | None,
    organisation_name: str,
    organisation_kind: str,
    role: str,
    dietary_needs: str,
    answers: dict | None,
    source: str,
    registered_by,
) -> Registration:
    """Register one person for `event`, which the caller has locked and checked."""
    email = email.strip().lower()
    if Registration.objects.filter(event=event, email__iexact=email, status__in=ACTIVE_STATES).exists():
        raise DomainError(
            _("This e-mail address is already registered for this event."), field="email", code="already_registered"
        )
    confirmed = has_place(event)
    if organisation is not None:
        organisation_name, organisation_kind = organisation.name, organisation.kind
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                status=R.CONFIRMED if confirmed else R.WAITING,
                secret=new_secret(),
                name=name.strip(),
                email=email,
                language=language_code(language),
                organisation=organisation,
                organisation_name=organisation_name.strip(),
                organisation_kind=organisation_kind or "",
                role=role.strip() if event.ask_role != QuestionMode.OFF else "",
                dietary_needs=dietary_needs.strip() if event.ask_dietary_needs else "",
                answers=_clean_answers(event, answers),
                source=source,
                registered_by=registered_by if getattr(registered_by, "is_authenticated", False) else None,
                created_at=now,
                confirmed_at=now if confirmed else None,
            )
    except IntegrityError:
        # The unique constraint is the last guard when two requests with one address race.
        raise DomainError(
            _("This e-mail address is already registered for this event."), field="email", code="already_registered"
        ) from None
    audit_log(
        obj=event,
        action="polyfon.events.registration.confirmed" if confirmed else "polyfon.events.registration.waitlisted",
        actor=registered_by,
        payload={"registration": registration.pk, "source": source},
    )
    registrar = registered_by.get_full_name() if source == RegistrationSource.COLLEAGUE and registered_by else ""
    email_registration(
        registration,
        "registration_confirmed" if confirmed else "registration_waiting",
        context={"registered_by_name": registrar, "position": waiting_position(registration)},
        with_ics=confirmed,
    )
    return registration


def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    language: str = "nb",
    organisation: Organisation | None = None,
    organisation_name: str = "",
    organisation_kind: str = "",
    role: str = "",
    dietary_needs: str = "",
    answers: dict | None = None,
    source: str = RegistrationSource.PUBLIC,
    registered_by=None,
) -> Registration:
    """Register one person: a place if there is one, else the waiting list. Tells them by e-mail."""
    now = timezone.now()
    with transaction.atomic():
        event = lock_event(event)
        _check_open(event, source=source, now=now)
        _check_audience(event, organisation, source=source)
        return _register(
            event,
            now=now,
            name=name,
            email=email,
            language=language,
            organisation=organisation,
            organisation_name=organisation_name,
            organisation_kind=organisation_kind,
            role=role,
            dietary_needs=dietary_needs,
            answers=answers,
            source=source,
            registered_by=registered_by,
        )


@dataclass(frozen=True)
class ColleagueEntry:
    name: str
    email: str
    role: str = ""
    dietary_needs: str = ""
    answers: dict = field(default_factory=dict)


@dataclass
class ColleagueResult:
    registered: list[Registration] = field(default_factory=list)
    waiting: list[Registration] = field(default_factory=list)
    already_registered: list[str] = field(default_factory=list)


def registrations_create_for_colleagues(
    *, event: Event, actor, organisation: Organisation, colleagues: list[ColleagueEntry]
) -> ColleagueResult:
    """A participant's contact person registers several colleagues from their organisation at once.

    Each colleague gets their own confirmation and personal link. Addresses that are already
    registered are skipped and reported; the others are registered in the order given."""
    if not ParticipantOrganisation.objects.filter(
        organisation=organisation, participant_id__in=roles.contact_participant_ids(actor)
    ).exists():
        raise DomainError(
            _("You can register colleagues only from an organisation you are a contact person for."), field="organisation"
        )
    if not colleagues:
        raise DomainError(_("Fill in at least one colleague."))
    now = timezone.now()
    result = ColleagueResult()
    languages = {
        p.email.lower(): p.language
        for p in Person.objects.filter(email__in=[c.email.strip().lower() for c in colleagues]).only("email", "language")
    }
    with transaction.atomic():
        event = lock_event(event)
        _check_open(event, source=RegistrationSource.COLLEAGUE, now=now)
        _check_audience(event, organisation, source=RegistrationSource.COLLEAGUE)
        seen = set()
        for colleague in colleagues:
            email = colleague.email.strip().lower()
            if email in seen:
                result.already_registered.append(email)
                continue
            seen.add(email)
            try:
                registration = _register(
                    event,
                    now=now,
                    name=colleague.name,
                    email=email,
                    language=languages.get(email) or getattr(actor, "language", settings.LANGUAGE_CODE),
                    organisation=organisation,
                    organisation_name="",
                    organisation_kind="",
                    role=colleague.role,
                    dietary_needs=colleague.dietary_needs,
                    answers=colleague.answers,
                    source=RegistrationSource.COLLEAGUE,
                    registered_by=actor,
                )
            except DomainError as error:
                if error.code != "already_registered":
                    raise
                result.already_registered.append(email)
                continue
            (result.registered if registration.is_confirmed else result.waiting).append(registration)
    return result


def registration_resend_link(*, event: Event, email: str) -> bool:
    """E-mail the personal link again to an address registered for the event. Says nothing to the
    caller's screen about whether the address is registered (the view answers the same either way)."""
    registration = (
        Registration.objects.filter(event=event, email__iexact=email.strip(), anonymised_at__isnull=True)
        .select_related("event")
        .order_by("-created_at", "-pk")
        .first()
    )
    if registration is None:
        return False
    with transaction.atomic():
        email_registration(registration, "registration_link")
    return True


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None if the registration is not waiting."""
    if registration.status != R.WAITING:
        return None
    ahead = Registration.objects.filter(event_id=registration.event_id, status=R.WAITING).filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


# --- Changing and cancelling -----------------------------------------------------------------------------------

REGISTRANT_FIELDS = ["name", "organisation", "organisation_name", "organisation_kind", "role", "dietary_needs", "answers", "language"]
OFFICE_FIELDS = [*REGISTRANT_FIELDS, "email"]


def _lock_registration(registration: Registration) -> tuple[Event, Registration]:
    """Lock the event, then the registration (always in this order, so two requests never deadlock)."""
    event = lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    return event, registration


def registration_update(*, registration: Registration, actor=None, by_office: bool = False, **values) -> Registration:
    """The registered person (through their link) or the coordinator changes the details."""
    now = timezone.now()
    allowed = OFFICE_FIELDS if by_office else REGISTRANT_FIELDS
    values = {k: v for k, v in values.items() if k in allowed}
    with transaction.atomic():
        event, registration = _lock_registration(registration)
        if not lifecycle.REGISTRATION_MOVES.allows(registration.status, "change") and not by_office:
            raise DomainError(_("A cancelled registration cannot be changed."))
        if registration.is_anonymised:
            raise DomainError(_("The personal data of this registration have been removed."))
        if not by_office and (event.is_cancelled or event.has_started(now)):
            raise DomainError(_("The registration can no longer be changed: the event has started or is cancelled."))
        if "organisation" in values:
            organisation = values["organisation"]
            if organisation is not None:
                values["organisation_name"], values["organisation_kind"] = organisation.name, organisation.kind
            if not by_office and registration.is_active:
                _check_audience(event, organisation, source=registration.source)
        if "answers" in values:
            values["answers"] = _clean_answers(event, values["answers"])
        if "language" in values:
            values["language"] = language_code(values["language"])
        if not event.ask_dietary_needs:
            values.pop("dietary_needs", None)
        if "email" in values:
            values["email"] = values["email"].strip().lower()
            if (
                values["email"] != registration.email
                and registration.is_active
                and Registration.objects.filter(event=event, email__iexact=values["email"], status__in=ACTIVE_STATES)
                .exclude(pk=registration.pk)
                .exists()
            ):
                raise DomainError(
                    _("This e-mail address is already registered for this event."), field="email", code="already_registered"
                )
        changed = []
        for name, value in values.items():
            if getattr(registration, name) != value:
                setattr(registration, name, value)
                changed.append(name)
        if changed:
            registration.save(update_fields=[*changed, "updated_at"])
            # Field names only: the log outlives the personal data.
            audit_log(
                obj=event,
                action="polyfon.events.registration.changed",
                actor=actor,
                payload={"registration": registration.pk, "fields": changed},
            )
    return registration


def registration_cancel(*, registration: Registration, actor=None, by_office: bool = False) -> Registration:
    """Cancel a place or a spot on the waiting list; a freed place goes to the first on the waiting list."""
    now = timezone.now()
    with transaction.atomic():
        event, registration = _lock_registration(registration)
        if not lifecycle.REGISTRATION_MOVES.allows(registration.status, "cancel"):
            raise DomainError(_("The registration is already cancelled."))
        if not by_office and event.has_started(now):
            raise DomainError(_("The event has started; the registration can no longer be cancelled."))
        had_place = registration.is_confirmed
        previous = registration.status
        registration.status, registration.cancelled_at = R.CANCELLED, now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        audit_log(
            obj=event,
            action="polyfon.events.registration.cancelled",
            actor=actor,
            payload={"registration": registration.pk, "from": previous, "by_office": by_office},
        )
        if not event.is_cancelled:
            email_registration(registration, "registration_cancelled")
        if had_place:
            fill_from_waiting_list(event, actor=actor, now=now)
    return registration


def registration_set_attendance(*, registration: Registration, actor, attended: bool) -> Registration:
    """The organiser marks whether a registered person came (from the day of the event on)."""
    now = timezone.now()
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        event = registration.event
        if not lifecycle.REGISTRATION_MOVES.allows(registration.status, "mark_attendance"):
            raise DomainError(_("Only people with a place can be marked as attending."))
        if event.is_cancelled:
            raise DomainError(_("The event is cancelled."))
        if timezone.localdate(now) < timezone.localtime(event.starts_at).date():
            raise DomainError(_("Attendance can be marked from the day of the event."))
        if registration.is_anonymised:
            raise DomainError(_("The personal data of this registration have been removed."))
        if registration.attended is attended:
            return registration
        registration.attended, registration.checked_in_at = attended, now
        registration.save(update_fields=["attended", "checked_in_at", "updated_at"])
        audit_log(
            obj=event,
            action="polyfon.events.registration.attendance_marked",
            actor=actor,
            payload={"registration": registration.pk, "attended": attended},
        )
    return registration
