"""Applications: the applicant's profile, drafts, budget, team, partners, attachments,
submission (completeness and eligibility), reopening, withdrawal and the coordinator's proposal."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.email import send_templated_email
from polyfon.core.errors import DomainError
from polyfon.core.validators import sha256_of, validate_pdf_upload
from polyfon.members import services as member_services
from polyfon.members.models import MEMBER_STATES, Organisation, Participant, ParticipantStatus, Person

from .. import lifecycle
from ..models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    AttachmentKind,
    BudgetLine,
    Call,
    ExternalPartner,
    Grant,
    GrantStatus,
    ProposedOutcome,
    TeamMember,
)

# Associates: participants on their way in (a letter of intent, no agreement yet). A call whose
# eligibility admits associates lets their employees lead projects too.
ASSOCIATE_STATES = (ParticipantStatus.LETTER_OF_INTENT,)
SUMMARY_MAX = 1500
MAX_ATTACHMENTS = 12

APPLICATION_FIELDS = [
    "title",
    "summary",
    "description",
    "student_work",
    "work_area",
    "lead_participant",
    "start_date",
    "end_date",
    "previous_funding_report",
]


def eligible_states(call: Call) -> tuple:
    return tuple(MEMBER_STATES) + (ASSOCIATE_STATES if call.admits_associates else ())


def eligible_participants_for(*, person: Person | None, call: Call) -> QuerySet[Participant]:
    """Participants the person may lead a project for: eligible participants with an
    organisation the person is affiliated with."""
    if person is None:
        return Participant.objects.none()
    return (
        Participant.objects.filter(status__in=eligible_states(call), organisations__affiliations__person=person)
        .distinct()
        .order_by("name")
    )


def earlier_grants(application: Application) -> QuerySet[Grant]:
    """Grants the applicant or the project leader had before: a new application must report on them."""
    return (
        Grant.objects.filter(Q(leader_id=application.leader_id) | Q(application__applicant_id=application.applicant_id))
        .exclude(application_id=application.pk)
        .exclude(status=GrantStatus.CANCELLED)
        .select_related("application__call")
        .order_by("start_date")
    )


# --- The applicant's details --------------------------------------------------------------------------------


def applicant_profile_save(
    *, user, name: str, organisation: Organisation, title: str = "", phone: str = "", language: str = "nb"
) -> Person:
    """The applicant's entry in the register: found by their login (or their e-mail address),
    created if there is none, and tied to the organisation they work for."""
    with transaction.atomic():
        person = Person.objects.filter(user=user).first() or member_services.person_link_user(user=user)
        if person is None:
            person = member_services.person_create(
                actor=user, name=name, email=user.email, title=title, phone=phone, language=language, organisations=[organisation]
            )
            if person.user_id != user.pk:
                raise DomainError(_("Another person in the register has your e-mail address; contact the coordinator."))
        else:
            member_services.person_update(person=person, actor=user, name=name, title=title, phone=phone, language=language)
            current = list(person.organisations.all())
            if organisation not in current:
                member_services.person_set_affiliations(person=person, organisations=[*current, organisation], actor=user)
    return person


# --- Drafts -------------------------------------------------------------------------------------------------------


def _now() -> datetime:
    return timezone.now()


def application_start(*, call: Call, user, title: str) -> Application:
    """Start a draft. Refused unless the call is open and the applicant is in the register."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if not call.is_open(_now()):
            raise DomainError(_("The call is not open for applications."))
        person = Person.objects.filter(user=user).first()
        if person is None:
            raise DomainError(_("Tell us who you are and where you work before you start an application."))
        number = (call.applications.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        lead = eligible_participants_for(person=person, call=call)
        application = Application.objects.create(
            call=call,
            number=number,
            applicant=user,
            leader=person,
            title=title.strip(),
            lead_participant=lead.first() if lead.count() == 1 else None,
        )
        audit_log(
            obj=application,
            action="polyfon.funding.application.created",
            actor=user,
            payload={"call": call.code, "number": number},
        )
    return application


def _lock_editable(application: Application) -> Application:
    locked = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
    if not locked.is_editable:
        raise DomainError(
            _("The application is locked (status: %(status)s).") % {"status": locked.get_status_display()}
        )
    return locked


def application_update(*, application: Application, actor, partner_participants=None, **values) -> Application:
    values = {k: v for k, v in values.items() if k in APPLICATION_FIELDS}
    with transaction.atomic():
        application = _lock_editable(application)
        if "title" in values and not (values["title"] or "").strip():
            raise DomainError(_("The project needs a title."), field="title")
        start, end = values.get("start_date", application.start_date), values.get("end_date", application.end_date)
        if start and end and end < start:
            raise DomainError(_("The project cannot end before it starts."), field="end_date")
        update_with_audit(application, values, actor=actor, action="polyfon.funding.application.changed")
        if partner_participants is not None:
            before = set(application.partner_participants.values_list("pk", flat=True))
            if before != {p.pk for p in partner_participants}:
                application.partner_participants.set(partner_participants)
                audit_log(
                    obj=application,
                    action="polyfon.funding.application.changed",
                    actor=actor,
                    payload={"changes": {"partner_participants": [None, sorted(p.name for p in partner_participants)]}},
                )
    return application


@dataclass(frozen=True)
class BudgetEntry:
    category: str
    description: str
    requested: Decimal = Decimal("0")
    own_contribution: Decimal = Decimal("0")


def application_set_budget(*, application: Application, actor, lines: list[BudgetEntry]) -> Application:
    with transaction.atomic():
        application = _lock_editable(application)
        for line in lines:
            if not isinstance(line.requested, Decimal) or not isinstance(line.own_contribution, Decimal):
                raise TypeError("Money is Decimal.")
            if line.requested < 0 or line.own_contribution < 0:
                raise DomainError(_("Amounts cannot be negative."))
        application.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    application=application,
                    category=line.category,
                    description=line.description,
                    requested=line.requested,
                    own_contribution=line.own_contribution,
                    position=i,
                )
                for i, line in enumerate(lines)
            ]
        )
        audit_log(
            obj=application,
            action="polyfon.funding.application.budget_changed",
            actor=actor,
            payload={
                "requested": sum((line.requested for line in lines), Decimal("0")),
                "own_contribution": sum((line.own_contribution for line in lines), Decimal("0")),
            },
        )
    return application


@dataclass(frozen=True)
class TeamEntry:
    name: str
    role: str
    email: str = ""
    organisation: str = ""
    thesis_title: str = ""


def application_set_team(*, application: Application, actor, members: list[TeamEntry]) -> Application:
    """The project team besides the leader. Members are matched with the register on e-mail,
    so the conflict-of-interest check knows them."""
    with transaction.atomic():
        application = _lock_editable(application)
        emails = {m.email.strip().lower() for m in members if m.email.strip()}
        if len(emails) != len([m for m in members if m.email.strip()]):
            raise DomainError(_("A person is listed twice in the team."))
        leader_email = application.leader.email.lower()
        if leader_email in emails:
            raise DomainError(_("The project leader is named already; list the other members of the team."))
        persons = {p.email.lower(): p for p in Person.objects.filter(email__in=emails)} if emails else {}
        application.team.all().delete()
        TeamMember.objects.bulk_create(
            [
                TeamMember(
                    application=application,
                    name=m.name.strip(),
                    email=m.email.strip().lower(),
                    organisation=m.organisation.strip(),
                    role=m.role,
                    thesis_title=m.thesis_title.strip(),
                    person=persons.get(m.email.strip().lower()),
                    position=i,
                )
                for i, m in enumerate(members)
            ]
        )
        audit_log(
            obj=application,
            action="polyfon.funding.application.team_changed",
            actor=actor,
            payload={"team": [f"{m.name} ({m.role})" for m in members]},
        )
    return application


@dataclass(frozen=True)
class ExternalPartnerEntry:
    organisation_name: str
    org_number: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contribution: str = ""


def application_set_external_partners(*, application: Application, actor, partners: list[ExternalPartnerEntry]) -> Application:
    with transaction.atomic():
        application = _lock_editable(application)
        application.external_partners.all().delete()
        ExternalPartner.objects.bulk_create(
            [
                ExternalPartner(
                    application=application,
                    organisation_name=p.organisation_name.strip(),
                    org_number=p.org_number,
                    contact_name=p.contact_name.strip(),
                    contact_email=p.contact_email.strip().lower(),
                    contribution=p.contribution.strip(),
                    position=i,
                )
                for i, p in enumerate(partners)
            ]
        )
        audit_log(
            obj=application,
            action="polyfon.funding.application.partners_changed",
            actor=actor,
            payload={"external_partners": [p.organisation_name for p in partners]},
        )
    return application


def application_add_attachment(*, application: Application, actor, kind: str, uploaded) -> ApplicationAttachment:
    """Attach a PDF. A new file of a kind the call asks for replaces the earlier one."""
    with transaction.atomic():
        application = _lock_editable(application)
        if kind not in AttachmentKind.values:
            raise DomainError(_("Choose what kind of attachment this is."), field="kind")
        try:
            validate_pdf_upload(uploaded, max_bytes=application.call.attachment_max_bytes)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages), field="file") from None
        replaced = []
        if kind != AttachmentKind.OTHER:
            replaced = list(application.attachments.filter(kind=kind))
        elif application.attachments.count() >= MAX_ATTACHMENTS:
            raise DomainError(_("An application has at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}, field="file")
        attachment = ApplicationAttachment(
            application=application,
            kind=kind,
            original_name=uploaded.name[:255],
            size=uploaded.size,
            sha256=sha256_of(uploaded),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        attachment.file.save(uploaded.name, uploaded, save=False)
        attachment.save()
        for old in replaced:
            _delete_attachment(old)
        audit_log(
            obj=application,
            action="polyfon.funding.application.attachment_added",
            actor=actor,
            payload={"kind": kind, "file": attachment.original_name, "sha256": attachment.sha256, "replaced": len(replaced)},
        )
    return attachment


def _delete_attachment(attachment: ApplicationAttachment) -> None:
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def application_remove_attachment(*, attachment: ApplicationAttachment, actor) -> None:
    with transaction.atomic():
        application = _lock_editable(attachment.application)
        _delete_attachment(attachment)
        audit_log(
            obj=application,
            action="polyfon.funding.application.attachment_removed",
            actor=actor,
            payload={"kind": attachment.kind, "file": attachment.original_name},
        )


# --- Completeness and eligibility ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something that stops submission, with the part of the application where it is fixed."""

    section: str  # profile, project, budget, team, partners, attachments
    message: str


class SubmissionRefused(DomainError):
    """Submission refused; `problems` explains every missing piece."""

    def __init__(self, problems: list[Problem]):
        super().__init__(_("The application cannot be submitted yet: %(problems)s") % {"problems": " ".join(p.message for p in problems)})
        self.problems = problems


def application_problems(application: Application) -> list[Problem]:
    """Everything that stops this application from being submitted, in the order of the form."""
    call = application.call
    problems: list[Problem] = []

    def add(section, message):
        problems.append(Problem(section, message))

    leader = application.leader
    # The project: text, area, period.
    if not application.summary.strip():
        add("project", _("Write a summary of the project."))
    elif len(application.summary) > SUMMARY_MAX:
        add("project", _("The summary is longer than %(n)s characters.") % {"n": SUMMARY_MAX})
    if not application.description.strip():
        add("project", _("Describe the project."))
    if application.work_area_id is None:
        add("project", _("Choose the work area of the project."))
    else:
        areas = set(call.work_areas.values_list("pk", flat=True))
        if areas and application.work_area_id not in areas:
            add("project", _("The call is not open to the work area you chose."))
    if not application.start_date or not application.end_date:
        add("project", _("Give the project's start and end dates."))
    # Eligibility: the leader works for the lead participant, which is a member (or an associate).
    allowed = eligible_states(call)
    lead = application.lead_participant
    if lead is None:
        add("project", _("Choose the lead participant: the member of the cluster the project leader works for."))
    else:
        if lead.status not in allowed:
            if call.admits_associates:
                add("project", _("%(participant)s is neither a member of the cluster nor an associate, so it cannot lead a project.") % {"participant": lead})
            else:
                add("project", _("%(participant)s is not a member of the cluster now, so it cannot lead a project in this call.") % {"participant": lead})
        lead_orgs = set(lead.memberships.values_list("organisation_id", flat=True))
        if not leader.affiliations.filter(organisation_id__in=lead_orgs).exists():
            add(
                "profile",
                _("The project leader %(leader)s is not registered as working for %(participant)s. Add your employer in your details, or choose the participant you work for.")
                % {"leader": leader, "participant": lead},
            )
    for partner in application.partner_participants.all():
        if lead is not None and partner.pk == lead.pk:
            add("project", _("%(participant)s is the lead participant; do not list it as a partner as well.") % {"participant": partner})
        elif partner.status not in allowed:
            add("project", _("The partner %(participant)s is not a member of the cluster; list it as an external partner instead.") % {"participant": partner})
    # The budget.
    totals = application.budget_lines.aggregate(requested=Sum("requested"))
    requested = totals["requested"] or Decimal("0")
    if not application.budget_lines.exists():
        add("budget", _("Add the budget: at least one line."))
    elif requested <= 0:
        add("budget", _("The budget asks for no money from the cluster."))
    elif requested > call.max_per_application:
        from polyfon.core.formatting import format_nok

        add(
            "budget",
            _("You ask for %(requested)s; the call gives at most %(max)s per application.")
            % {"requested": format_nok(requested), "max": format_nok(call.max_per_application)},
        )
    # The attachments the call asks for.
    present = set(application.attachments.values_list("kind", flat=True))
    labels = dict(AttachmentKind.choices)
    for kind in call.required_attachments:
        if kind not in present and kind in labels:
            add("attachments", _("Attach the %(kind)s (PDF).") % {"kind": str(labels[kind]).lower()})
    # Earlier funds must be reported on.
    if earlier_grants(application).exists() and not application.previous_funding_report.strip():
        add(
            "project",
            _("You have had funds from the cluster before: report on the progress of that project and how the funds were used."),
        )
    return problems


def _submission_window_problem(application: Application, now: datetime) -> str | None:
    call = application.call
    if application.status == ApplicationStatus.REOPENED:
        if application.reopened_until and now > application.reopened_until:
            return _("The time the coordinator gave you to change the application has run out.")
        return None
    if now >= call.deadline:
        return _("The deadline has passed (%(deadline)s); the application can no longer be submitted.") % {
            "deadline": formats.date_format(timezone.localtime(call.deadline), "SHORT_DATETIME_FORMAT")
        }
    if not call.is_open(now):
        return _("The call is not open for applications.")
    return None


def application_submit(*, application: Application, actor) -> Application:
    """Check completeness and eligibility, lock the application, time-stamp it and send the
    receipt with a PDF copy. The deadline is the server's clock, not the browser's."""
    now = _now()
    with transaction.atomic():
        application = Application.objects.select_for_update(of=("self",)).select_related("call", "leader", "lead_participant").get(
            pk=application.pk
        )
        if not lifecycle.APPLICATION_MOVES.allows(application.status, "submit"):
            raise DomainError(
                _("The application cannot be submitted while its status is “%(status)s”.")
                % {"status": application.get_status_display()}
            )
        window = _submission_window_problem(application, now)
        if window:
            raise DomainError(window, code="deadline")
        problems = application_problems(application)
        if problems:
            raise SubmissionRefused(problems)
        previous = application.status
        application.status = ApplicationStatus.SUBMITTED
        application.submitted_at = now
        application.reopened_until = None
        application.save(update_fields=["status", "submitted_at", "reopened_until", "updated_at"])
        audit_log(
            obj=application,
            action="polyfon.funding.application.submitted",
            actor=actor,
            payload={"from": previous, "submitted_at": now},
        )
        from ..tasks import send_application_receipt

        pk = application.pk
        transaction.on_commit(lambda: send_application_receipt.enqueue(pk))
    return application


def application_reopen(*, application: Application, actor, reason: str, until: datetime) -> Application:
    """Let the applicant change and submit this one application again, until `until`."""
    with transaction.atomic():
        application = Application.objects.select_for_update(of=("self",)).select_related("call", "applicant").get(pk=application.pk)
        if not lifecycle.APPLICATION_MOVES.allows(application.status, "reopen"):
            raise DomainError(
                _("The application cannot be reopened while its status is “%(status)s”.")
                % {"status": application.get_status_display()}
            )
        if not reason.strip():
            raise DomainError(_("Give the reason for reopening the application."), field="reason")
        if until <= _now():
            raise DomainError(_("Give a time in the future."), field="until")
        previous = application.status
        application.status = ApplicationStatus.REOPENED
        application.reopened_until = until
        application.save(update_fields=["status", "reopened_until", "updated_at"])
        audit_log(
            obj=application,
            action="polyfon.funding.application.reopened",
            actor=actor,
            payload={"from": previous, "note": reason, "until": until},
        )
        send_templated_email(
            to=application.applicant.email,
            template="funding/email/application_reopened",
            context={"application": application, "reason": reason, "until": until},
            language=application.applicant.language,
        )
    return application


def applications_end_reopenings(*, now=None) -> int:
    """The hourly job: a reopened application that was submitted before and whose time for
    changes has run out goes back to submitted, as it now stands, and on to review and decision.
    (One that was never submitted stays reopened, for the coordinator to give it more time.)"""
    now = now or _now()
    ended = 0
    for pk in Application.objects.filter(
        status=ApplicationStatus.REOPENED, reopened_until__lte=now, submitted_at__isnull=False
    ).values_list("pk", flat=True):
        with transaction.atomic():
            application = Application.objects.select_for_update(of=("self",)).get(pk=pk)
            if not lifecycle.APPLICATION_MOVES.allows(application.status, "end_reopening"):
                continue
            application.status = lifecycle.APPLICATION_MOVES["end_reopening"].target
            application.save(update_fields=["status", "updated_at"])
            audit_log(obj=application, action="polyfon.funding.application.reopening_ended", actor=None,
                      payload={"until": application.reopened_until})
            ended += 1
    return ended


def application_withdraw(*, application: Application, actor, reason: str = "") -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update(of=("self",)).select_related("call", "applicant").get(pk=application.pk)
        if not lifecycle.APPLICATION_MOVES.allows(application.status, "withdraw"):
            raise DomainError(
                _("The application cannot be withdrawn while its status is “%(status)s”.")
                % {"status": application.get_status_display()}
            )
        previous = application.status
        application.status = ApplicationStatus.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
        audit_log(
            obj=application,
            action="polyfon.funding.application.withdrawn",
            actor=actor,
            payload={"from": previous, "note": reason},
        )
        if previous != ApplicationStatus.DRAFT:
            send_templated_email(
                to=application.applicant.email,
                template="funding/email/application_withdrawn",
                context={"application": application},
                language=application.applicant.language,
            )
    return application


def application_set_proposal(
    *, application: Application, actor, outcome: str, amount: Decimal | None = None, note: str = ""
) -> Application:
    """The coordinator's proposal to the steering group: grant (with an amount) or decline."""
    with transaction.atomic():
        application = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
        if application.status != ApplicationStatus.SUBMITTED:
            raise DomainError(_("Only submitted applications that are not yet decided can get a proposal."))
        if outcome == ProposedOutcome.GRANT:
            if amount is None or amount <= 0:
                raise DomainError(_("Give the amount you propose to grant."), field="amount")
            requested = application.budget_lines.aggregate(total=Sum("requested"))["total"] or Decimal("0")
            if amount > requested:
                raise DomainError(_("The proposed amount is more than the applicant asked for."), field="amount")
            if amount > application.call.max_per_application:
                raise DomainError(_("The proposed amount is more than the call's maximum per application."), field="amount")
        else:
            amount = None
        update_with_audit(
            application,
            {"proposed_outcome": outcome, "proposed_amount": amount, "proposal_note": note},
            actor=actor,
            action="polyfon.funding.application.proposal_changed",
        )
    return application
