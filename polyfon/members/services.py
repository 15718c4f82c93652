"""Every write to the register: one function per change, one transaction each, audited.

Functions take keyword arguments only, lock what they change, raise DomainError with a
message for the user when a rule says no, and send e-mail only after commit.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyfon.accounts import roles
from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.dates import add_months, local_today
from polyfon.core.email import send_templated_email
from polyfon.core.errors import DomainError
from polyfon.core.lifecycle import finish_move
from polyfon.core.validators import sha256_of

from . import lifecycle
from .models import (
    MEMBER_STATES,
    SINGLE_HOLDER_ROLES,
    AdmissionRound,
    Affiliation,
    Agreement,
    AgreementDocument,
    ContactRole,
    FeeCategory,
    InvoiceSplit,
    LetterOfIntent,
    Organisation,
    OrganisationKind,
    Participant,
    ParticipantContact,
    ParticipantKind,
    ParticipantOrganisation,
    ParticipantStatus,
    Person,
)

ORGANISATION_FIELDS = [
    "name",
    "org_number",
    "kind",
    "municipality",
    "county",
    "postal_address",
    "postal_code",
    "postal_place",
    "invoice_address",
    "invoice_postal_code",
    "invoice_postal_place",
    "invoice_email",
    "receives_ehf",
    "buyer_reference",
    "website",
]
# What a participant's contact person may change about their own organisation.
CONTACT_EDITABLE_ORGANISATION_FIELDS = [
    "postal_address",
    "postal_code",
    "postal_place",
    "invoice_address",
    "invoice_postal_code",
    "invoice_postal_place",
    "invoice_email",
    "receives_ehf",
    "buyer_reference",
    "website",
]
PERSON_FIELDS = ["name", "email", "phone", "title", "student_level", "language"]
PARTICIPANT_FIELDS = ["name", "kind", "fee_category", "invoice_split", "network", "description"]


# --- Organisations --------------------------------------------------------------------------------


def _with_county(values: dict) -> dict:
    """An organisation in a municipality lies in that municipality's county."""
    municipality = values.get("municipality")
    if municipality is not None:
        values = {**values, "county": municipality.county}
    return values


def organisation_create(*, actor, **values) -> Organisation:
    values = _with_county(values)
    with transaction.atomic():
        if Organisation.objects.filter(org_number=values["org_number"]).exists():
            raise DomainError(
                _("An organisation with organisation number %(number)s is already registered.")
                % {"number": values["org_number"]},
                field="org_number",
            )
        organisation = Organisation.objects.create(**{k: v for k, v in values.items() if k in ORGANISATION_FIELDS})
        audit_log(obj=organisation, action="polyfon.members.organisation.created", actor=actor, payload={
            "org_number": organisation.org_number
        })
    return organisation


def organisation_update(*, organisation: Organisation, actor, fields=ORGANISATION_FIELDS, **values) -> Organisation:
    values = _with_county({k: v for k, v in values.items() if k in fields})
    if "county" in values and "county" not in fields and "municipality" not in fields:
        values.pop("county")
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if "org_number" in values and values["org_number"] != organisation.org_number:
            if Organisation.objects.filter(org_number=values["org_number"]).exclude(pk=organisation.pk).exists():
                raise DomainError(
                    _("An organisation with organisation number %(number)s is already registered.")
                    % {"number": values["org_number"]},
                    field="org_number",
                )
        update_with_audit(organisation, values, actor=actor, action="polyfon.members.organisation.changed")
    return organisation


def organisation_update_by_contact(*, organisation: Organisation, actor, **values) -> Organisation:
    """A participant's contact person keeps their organisation's addresses and invoicing current."""
    return organisation_update(organisation=organisation, actor=actor, fields=CONTACT_EDITABLE_ORGANISATION_FIELDS, **values)


# --- Persons -----------------------------------------------------------------------------------------


def _email_taken(email: str, exclude_pk=None) -> bool:
    return Person.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists()


def person_create(*, actor, organisations: list[Organisation] | None = None, **values) -> Person:
    values = {k: v for k, v in values.items() if k in PERSON_FIELDS}
    values["email"] = values["email"].strip().lower()
    with transaction.atomic():
        if _email_taken(values["email"]):
            raise DomainError(_("A person with this e-mail address is already registered."), field="email")
        person = Person.objects.create(**values)
        for organisation in organisations or []:
            Affiliation.objects.get_or_create(person=person, organisation=organisation)
        user = get_user_model().objects.filter(email__iexact=person.email).first()
        if user and not hasattr(user, "person"):
            person.user = user
            person.save(update_fields=["user"])
        audit_log(obj=person, action="polyfon.members.person.created", actor=actor)
    return person


def person_update(*, person: Person, actor, organisations: list[Organisation] | None = None, **values) -> Person:
    values = {k: v for k, v in values.items() if k in PERSON_FIELDS}
    if "email" in values:
        values["email"] = values["email"].strip().lower()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if "email" in values and _email_taken(values["email"], exclude_pk=person.pk):
            raise DomainError(_("A person with this e-mail address is already registered."), field="email")
        if person.user_id and "email" in values and values["email"] != person.email:
            raise DomainError(
                _("This person has a login; the e-mail address is changed by the person in their account."),
                field="email",
            )
        update_with_audit(person, values, actor=actor, action="polyfon.members.person.changed")
        if organisations is not None:
            person_set_affiliations(person=person, organisations=organisations, actor=actor)
    return person


def person_set_affiliations(*, person: Person, organisations: list[Organisation], actor) -> Person:
    with transaction.atomic():
        current = set(person.affiliations.values_list("organisation_id", flat=True))
        wanted = {o.pk for o in organisations}
        if current == wanted:
            return person
        person.affiliations.exclude(organisation_id__in=wanted).delete()
        for organisation in organisations:
            Affiliation.objects.get_or_create(person=person, organisation=organisation)
        audit_log(
            obj=person,
            action="polyfon.members.person.affiliations_changed",
            actor=actor,
            payload={"organisations": sorted(o.name for o in organisations)},
        )
    return person


def person_link_user(*, user) -> Person | None:
    """Connect a login to the register's person with the same (verified) e-mail address."""
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(email__iexact=user.email, user__isnull=True).first()
        if person is None or Person.objects.filter(user=user).exists():
            return None
        person.user = user
        person.save(update_fields=["user"])
        if not user.full_name:
            user.full_name = person.name
            user.save(update_fields=["full_name"])
        audit_log(obj=person, action="polyfon.members.person.login_linked", actor=user)
    roles.clear(user)
    return person


def person_invite_to_login(*, person: Person, actor) -> None:
    """Give a person a login and e-mail them a link to choose a password."""
    from allauth.account.forms import ResetPasswordForm
    from allauth.account.models import EmailAddress

    User = get_user_model()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        user = person.user or User.objects.filter(email__iexact=person.email).first()
        if user is None:
            user = User.objects.create_user(email=person.email, full_name=person.name, language=person.language)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user"])
        # The invitation link proves the address, so it counts as verified.
        EmailAddress.objects.update_or_create(
            user=user, email__iexact=person.email, defaults={"email": person.email, "verified": True, "primary": True}
        )
        audit_log(obj=person, action="polyfon.members.person.invited", actor=actor)
    form = ResetPasswordForm(data={"email": person.email})
    if form.is_valid():
        form.save(request=None)


# --- Participants -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationEntry:
    organisation: Organisation
    is_lead: bool = False
    invoice_share: Decimal | None = None


def _check_organisation_entries(*, kind: str, invoice_split: str, entries: list[OrganisationEntry], participant=None):
    if not entries:
        raise DomainError(_("A participant needs at least one organisation."))
    leads = [e for e in entries if e.is_lead]
    if len(leads) != 1:
        raise DomainError(_("Exactly one organisation must be the lead."))
    if len({e.organisation.pk for e in entries}) != len(entries):
        raise DomainError(_("An organisation is listed twice."))
    if kind == ParticipantKind.SINGLE and len(entries) != 1:
        raise DomainError(_("A single participant has exactly one organisation; choose sub-group for several."))
    if kind == ParticipantKind.GROUP and len(entries) < 2:
        raise DomainError(_("A sub-group has at least two organisations."))
    if kind == ParticipantKind.GROUP and invoice_split == InvoiceSplit.SHARES:
        total = sum((e.invoice_share or Decimal("0")) for e in entries)
        if any(e.invoice_share is None for e in entries) or total != Decimal("100"):
            raise DomainError(
                _("When each organisation is invoiced its share, the shares must add up to 100 %% (now %(total)s %%).")
                % {"total": total}
            )
    _check_not_member_elsewhere([e.organisation for e in entries], participant=participant)


def _check_not_member_elsewhere(organisations, *, participant=None) -> None:
    """An organisation takes part through one member participant at a time (else it would pay
    the fee twice)."""
    taken = (
        ParticipantOrganisation.objects.filter(organisation__in=organisations, participant__status__in=MEMBER_STATES)
        .exclude(participant=participant)
        .select_related("organisation", "participant")
        .first()
    )
    if taken:
        raise DomainError(
            _("%(organisation)s is already part of the participant %(participant)s.")
            % {"organisation": taken.organisation, "participant": taken.participant}
        )


def participant_create(
    *,
    actor,
    name: str,
    kind: str,
    fee_category: str,
    organisations: list[OrganisationEntry],
    invoice_split: str = InvoiceSplit.LEAD,
    network=None,
    work_areas=(),
    description: str = "",
    status: str = ParticipantStatus.PROSPECT,
) -> Participant:
    with transaction.atomic():
        _check_organisation_entries(kind=kind, invoice_split=invoice_split, entries=organisations)
        participant = Participant.objects.create(
            name=name,
            kind=kind,
            fee_category=fee_category,
            invoice_split=invoice_split,
            network=network,
            description=description,
            status=status,
        )
        ParticipantOrganisation.objects.bulk_create(
            [
                ParticipantOrganisation(
                    participant=participant, organisation=e.organisation, is_lead=e.is_lead, invoice_share=e.invoice_share
                )
                for e in organisations
            ]
        )
        participant.work_areas.set(work_areas)
        audit_log(
            obj=participant,
            action="polyfon.members.participant.created",
            actor=actor,
            payload={"status": status, "organisations": [e.organisation.name for e in organisations]},
        )
    return participant


def participant_update(*, participant: Participant, actor, work_areas=None, **values) -> Participant:
    values = {k: v for k, v in values.items() if k in PARTICIPANT_FIELDS}
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        new_kind = values.get("kind", participant.kind)
        new_split = values.get("invoice_split", participant.invoice_split)
        if new_kind != participant.kind or new_split != participant.invoice_split:
            entries = [
                OrganisationEntry(m.organisation, m.is_lead, m.invoice_share)
                for m in participant.memberships.select_related("organisation")
            ]
            _check_organisation_entries(kind=new_kind, invoice_split=new_split, entries=entries, participant=participant)
        update_with_audit(participant, values, actor=actor, action="polyfon.members.participant.changed")
        if work_areas is not None:
            before = set(participant.work_areas.values_list("pk", flat=True))
            if before != {w.pk for w in work_areas}:
                participant.work_areas.set(work_areas)
                audit_log(
                    obj=participant,
                    action="polyfon.members.participant.work_areas_changed",
                    actor=actor,
                    payload={"work_areas": sorted(w.name for w in work_areas)},
                )
    return participant


def participant_set_organisations(
    *, participant: Participant, actor, organisations: list[OrganisationEntry], invoice_split: str | None = None
) -> Participant:
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        split = invoice_split or participant.invoice_split
        _check_organisation_entries(kind=participant.kind, invoice_split=split, entries=organisations, participant=participant)
        participant.memberships.all().delete()
        ParticipantOrganisation.objects.bulk_create(
            [
                ParticipantOrganisation(
                    participant=participant, organisation=e.organisation, is_lead=e.is_lead, invoice_share=e.invoice_share
                )
                for e in organisations
            ]
        )
        if split != participant.invoice_split:
            participant.invoice_split = split
            participant.save(update_fields=["invoice_split", "updated_at"])
        audit_log(
            obj=participant,
            action="polyfon.members.participant.organisations_changed",
            actor=actor,
            payload={
                "organisations": [
                    {"name": e.organisation.name, "lead": e.is_lead, "share": e.invoice_share} for e in organisations
                ],
                "invoice_split": split,
            },
        )
    return participant


def participant_add_contact(*, participant: Participant, person: Person, role: str, actor) -> ParticipantContact:
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if ParticipantContact.objects.filter(participant=participant, person=person, role=role).exists():
            raise DomainError(_("%(person)s already has this role.") % {"person": person}, field="person")
        replaced = None
        if role in SINGLE_HOLDER_ROLES:
            previous = ParticipantContact.objects.filter(participant=participant, role=role).select_related("person").first()
            if previous:
                replaced = str(previous.person)
                previous.delete()
        contact = ParticipantContact.objects.create(participant=participant, person=person, role=role)
        audit_log(
            obj=participant,
            action="polyfon.members.participant.contact_added",
            actor=actor,
            payload={"person": str(person), "role": role, "replaced": replaced},
        )
    return contact


def participant_remove_contact(*, contact: ParticipantContact, actor) -> None:
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=contact.participant_id)
        if contact.role == ContactRole.MAIN and participant.status in MEMBER_STATES:
            raise DomainError(_("A member must have a main contact. Appoint a new main contact instead."))
        contact.delete()
        audit_log(
            obj=participant,
            action="polyfon.members.participant.contact_removed",
            actor=actor,
            payload={"person": str(contact.person), "role": contact.role},
        )


# --- The life cycle ---------------------------------------------------------------------------------------


def _begin_move(participant: Participant, move_name: str) -> Participant:
    """Lock the participant and refuse a move the life cycle does not allow from its state."""
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if not lifecycle.MOVES.allows(locked.status, move_name):
        raise DomainError(
            _("This cannot be done while the participant's status is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _finish_move(participant: Participant, move_name: str, *, actor, previous: str, payload: dict, fields=()) -> None:
    finish_move(
        participant,
        lifecycle.MOVES[move_name],
        action=f"polyfon.members.participant.{move_name}",
        actor=actor,
        previous=previous,
        payload=payload,
        fields=fields,
    )


def _current_agreement(participant: Participant) -> Agreement:
    agreement = participant.agreements.order_by("-start_date", "-id").first()
    if agreement is None:
        raise DomainError(_("The participant has no consortium agreement."))
    return agreement


def participant_record_letter(*, participant: Participant, actor, received_on: date, note: str = "") -> Participant:
    with transaction.atomic():
        participant = _begin_move(participant, "record_letter")
        previous = participant.status
        _finish_move(
            participant, "record_letter", actor=actor, previous=previous, payload={"received_on": received_on, "note": note}
        )
    return participant


def participant_admit(
    *,
    participant: Participant,
    actor,
    signed_on: date,
    start_date: date,
    notice_period_months: int = 12,
    note: str = "",
    document=None,
) -> Participant:
    """Register the signed consortium agreement: the participant is a member from `start_date`."""
    with transaction.atomic():
        participant = _begin_move(participant, "admit")
        previous = participant.status
        if not participant.contacts.filter(role=ContactRole.MAIN).exists():
            raise DomainError(_("Appoint a main contact before registering the agreement."))
        _check_not_member_elsewhere(list(participant.organisations.all()), participant=participant)
        last = participant.agreements.order_by("-start_date").first()
        if last and (last.end_date is None or last.end_date >= start_date):
            raise DomainError(
                _("The membership cannot start before the previous agreement has ended."), field="start_date"
            )
        agreement = Agreement.objects.create(
            participant=participant,
            signed_on=signed_on,
            start_date=start_date,
            notice_period_months=notice_period_months,
            note=note,
        )
        if document is not None:
            _add_document(agreement=agreement, uploaded=document, actor=actor, note="")
        participant.member_since, participant.member_until = start_date, None
        _finish_move(
            participant,
            "admit",
            actor=actor,
            previous=previous,
            payload={"signed_on": signed_on, "start_date": start_date, "notice_period_months": notice_period_months},
            fields=["member_since", "member_until"],
        )
    return participant


def participant_give_notice(*, participant: Participant, actor, notice_date: date, note: str = "") -> Participant:
    """Register a notice of termination; the membership ends when the notice period has run."""
    with transaction.atomic():
        participant = _begin_move(participant, "give_notice")
        previous = participant.status
        agreement = _current_agreement(participant)
        if notice_date < agreement.start_date:
            raise DomainError(_("The notice date cannot be before the membership started."), field="notice_date")
        end_date = add_months(notice_date, agreement.notice_period_months)
        agreement.notice_given_on, agreement.end_date = notice_date, end_date
        agreement.save(update_fields=["notice_given_on", "end_date"])
        participant.member_until = end_date
        _finish_move(
            participant,
            "give_notice",
            actor=actor,
            previous=previous,
            payload={"notice_date": notice_date, "end_date": end_date, "note": note},
            fields=["member_until"],
        )
        recipients = [c.person for c in participant.contacts.filter(role=ContactRole.MAIN).select_related("person")]
        for person in recipients:
            send_templated_email(
                to=person.email,
                template="members/email/notice_receipt",
                context={"participant": participant, "notice_date": notice_date, "end_date": end_date, "person": person},
                language=person.language,
            )
    return participant


def participant_withdraw_notice(*, participant: Participant, actor, note: str = "") -> Participant:
    with transaction.atomic():
        participant = _begin_move(participant, "withdraw_notice")
        previous = participant.status
        agreement = _current_agreement(participant)
        agreement.notice_given_on, agreement.end_date = None, None
        agreement.save(update_fields=["notice_given_on", "end_date"])
        participant.member_until = None
        _finish_move(
            participant, "withdraw_notice", actor=actor, previous=previous, payload={"note": note}, fields=["member_until"]
        )
    return participant


def participant_end_membership(
    *, participant: Participant, actor, ended_on: date | None = None, note: str = ""
) -> Participant:
    with transaction.atomic():
        participant = _begin_move(participant, "end_membership")
        previous = participant.status
        agreement = _current_agreement(participant)
        ended_on = ended_on or agreement.end_date
        if ended_on < agreement.start_date:
            raise DomainError(_("The membership cannot end before it started."), field="ended_on")
        agreement.end_date = ended_on
        agreement.save(update_fields=["end_date"])
        participant.member_until = ended_on
        _finish_move(
            participant,
            "end_membership",
            actor=actor,
            previous=previous,
            payload={"ended_on": ended_on, "note": note},
            fields=["member_until"],
        )
    return participant


def participant_withdraw(*, participant: Participant, actor, note: str = "") -> Participant:
    with transaction.atomic():
        participant = _begin_move(participant, "withdraw")
        _finish_move(participant, "withdraw", actor=actor, previous=participant.status, payload={"note": note})
    return participant


def participant_reopen(*, participant: Participant, actor, note: str = "") -> Participant:
    with transaction.atomic():
        participant = _begin_move(participant, "reopen")
        _finish_move(participant, "reopen", actor=actor, previous=participant.status, payload={"note": note})
    return participant


def end_expired_memberships(*, today: date | None = None) -> list[Participant]:
    """Participants whose notice period has run out become former participants (daily job)."""
    today = today or local_today()
    ended = []
    for participant in Participant.objects.filter(status=ParticipantStatus.NOTICE_GIVEN, member_until__lt=today):
        ended.append(participant_end_membership(participant=participant, actor=None, note="automatic"))
    return ended


# --- Agreement documents --------------------------------------------------------------------------------------


def _add_document(*, agreement: Agreement, uploaded, actor, note: str) -> AgreementDocument:
    version = (agreement.documents.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    document = AgreementDocument(
        agreement=agreement,
        version=version,
        original_name=uploaded.name[:255],
        size=uploaded.size,
        sha256=sha256_of(uploaded),
        note=note,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(uploaded.name, uploaded, save=False)
    document.save()
    audit_log(
        obj=agreement.participant,
        action="polyfon.members.participant.document_added",
        actor=actor,
        payload={"file": document.original_name, "version": version, "sha256": document.sha256},
    )
    return document


def agreement_add_document(*, agreement: Agreement, uploaded, actor, note: str = "") -> AgreementDocument:
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        return _add_document(agreement=agreement, uploaded=uploaded, actor=actor, note=note)


# --- Letters of intent -------------------------------------------------------------------------------------------


def current_admission_round(today: date | None = None) -> AdmissionRound | None:
    today = today or local_today()
    return AdmissionRound.objects.filter(opens_on__lte=today).order_by("-opens_on").first()


def _organisation_for_letter(name: str, org_number: str, kind: str) -> Organisation:
    organisation = Organisation.objects.filter(org_number=org_number).first()
    if organisation is None:
        organisation = Organisation.objects.create(name=name, org_number=org_number, kind=kind)
        audit_log(
            obj=organisation,
            action="polyfon.members.organisation.created",
            actor=None,
            payload={"source": "letter_of_intent"},
        )
    return organisation


def letter_of_intent_submit(
    *,
    organisation_name: str,
    org_number: str,
    organisation_kind: str,
    participation_kind: str,
    group_name: str = "",
    other_organisations: list[dict] = (),
    intended_fee_category: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    contact_title: str = "",
    message: str = "",
    language: str = "nb",
) -> LetterOfIntent:
    """A letter of intent from the join page: a new prospect with its organisations and contact.

    Letters after the round's deadline are accepted and marked late. Existing organisations and
    persons are reused (matched on organisation number and e-mail), never overwritten.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        admission_round = current_admission_round(today)
        is_late = bool(admission_round and today > admission_round.letter_deadline)
        lead = _organisation_for_letter(organisation_name, org_number, organisation_kind)
        others = [
            _organisation_for_letter(o["name"], o["org_number"], o.get("kind") or OrganisationKind.OTHER)
            for o in other_organisations
        ]
        if participation_kind == ParticipantKind.GROUP and not others:
            raise DomainError(_("Name the other organisations of the sub-group."), field="other_organisations")
        participant = Participant.objects.create(
            name=(group_name if participation_kind == ParticipantKind.GROUP and group_name else organisation_name),
            kind=participation_kind,
            fee_category=intended_fee_category,
            status=ParticipantStatus.LETTER_OF_INTENT,
        )
        ParticipantOrganisation.objects.create(participant=participant, organisation=lead, is_lead=True)
        for other in others:
            if other.pk != lead.pk:
                ParticipantOrganisation.objects.get_or_create(participant=participant, organisation=other)
        person = Person.objects.filter(email__iexact=contact_email).first()
        if person is None:
            person = Person.objects.create(
                name=contact_name,
                email=contact_email.strip().lower(),
                phone=contact_phone,
                title=contact_title,
                language=language,
            )
            audit_log(obj=person, action="polyfon.members.person.created", actor=None, payload={"source": "letter_of_intent"})
        Affiliation.objects.get_or_create(person=person, organisation=lead)
        ParticipantContact.objects.create(participant=participant, person=person, role=ContactRole.MAIN)
        letter = LetterOfIntent.objects.create(
            participant=participant,
            admission_round=admission_round,
            submitted_at=now,
            is_late=is_late,
            organisation_name=organisation_name,
            org_number=org_number,
            participation_kind=participation_kind,
            other_organisations=[{"name": o.name, "org_number": o.org_number} for o in others],
            intended_fee_category=intended_fee_category,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
            contact_title=contact_title,
            message=message,
            language=language,
        )
        audit_log(
            obj=participant,
            action="polyfon.members.participant.letter_received",
            actor=None,
            payload={"late": is_late, "round": str(admission_round) if admission_round else None},
        )
        already_member_of = list(
            ParticipantOrganisation.objects.filter(organisation__in=[lead, *others], participant__status__in=MEMBER_STATES)
            .exclude(participant=participant)
            .values_list("participant__name", flat=True)
        )
        send_templated_email(
            to=contact_email,
            template="members/email/letter_receipt",
            context={"letter": letter, "participant": participant},
            language=language,
        )
        for recipient, recipient_language in coordinator_recipients():
            send_templated_email(
                to=recipient,
                template="members/email/letter_notice",
                context={"letter": letter, "participant": participant, "already_member_of": already_member_of},
                language=recipient_language,
            )
    return letter


def coordinator_recipients() -> list[tuple[str, str]]:
    """Coordinators' addresses (and the shared cluster address) with each one's language."""
    User = get_user_model()
    recipients = {
        u.email.lower(): u.language
        for u in User.objects.filter(is_active=True, is_coordinator=True).only("email", "language")
    }
    if settings.COORDINATOR_NOTICE_EMAIL:
        recipients.setdefault(settings.COORDINATOR_NOTICE_EMAIL.lower(), settings.LANGUAGE_CODE)
    return sorted(recipients.items())


# --- Settings the coordinator keeps ---------------------------------------------------------------------------------


def admission_round_save(*, actor, admission_round: AdmissionRound | None = None, **values) -> AdmissionRound:
    fields = ["name", "opens_on", "letter_deadline", "agreement_by", "intro"]
    with transaction.atomic():
        if admission_round is None:
            admission_round = AdmissionRound.objects.create(**{k: values[k] for k in fields if k in values})
            audit_log(obj=admission_round, action="polyfon.members.admission_round.created", actor=actor)
        else:
            admission_round = AdmissionRound.objects.select_for_update().get(pk=admission_round.pk)
            update_with_audit(
                admission_round, {k: values[k] for k in fields if k in values}, actor=actor,
                action="polyfon.members.admission_round.changed",
            )
    return admission_round


def fee_category_for(kind: str) -> str:
    """The fee category a new participant of this kind is proposed with."""
    return FeeCategory.GROUP if kind == ParticipantKind.GROUP else FeeCategory.ORDINARY
