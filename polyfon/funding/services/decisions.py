"""Decisions: the steering group grants or declines; a grant becomes a project."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log
from polyfon.core.dates import local_today
from polyfon.core.email import send_templated_email
from polyfon.core.errors import DomainError
from polyfon.core.formatting import format_nok

from .. import lifecycle
from ..models import (
    STUDENT_ROLES,
    Application,
    Call,
    Decision,
    Grant,
    GrantPayment,
    GrantStatus,
    Outcome,
    ReviewStatus,
)
from .grants import grant_add_student, schedule_reports


def _granted_in_call(call: Call) -> Decimal:
    return (
        Grant.objects.filter(application__call=call).exclude(status=GrantStatus.CANCELLED).aggregate(total=Sum("amount"))["total"]
        or Decimal("0")
    )


def application_decide(
    *,
    application: Application,
    actor,
    outcome: str,
    meeting_reference: str,
    decided_on: date,
    amount: Decimal | None = None,
    note: str = "",
) -> Decision:
    """Record the steering group's decision. A grant becomes a project with its planned payment
    and the reports the call asks for; the applicant is told by e-mail."""
    move = {Outcome.GRANTED: "grant", Outcome.DECLINED: "decline"}.get(outcome)
    if move is None:
        raise DomainError(_("Choose grant or decline."), field="outcome")
    with transaction.atomic():
        # The call is locked first so two decisions cannot both spend the last of its budget.
        call = Call.objects.select_for_update().get(pk=application.call_id)
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "leader", "applicant", "lead_participant")
            .get(pk=application.pk)
        )
        if not lifecycle.APPLICATION_MOVES.allows(application.status, move):
            raise DomainError(
                _("%(reference)s cannot be decided while its status is “%(status)s”.")
                % {"reference": application.reference, "status": application.get_status_display()}
            )
        if not meeting_reference.strip():
            raise DomainError(_("Name the steering-group meeting that made the decision."), field="meeting_reference")
        if decided_on > local_today():
            raise DomainError(_("The decision date cannot be in the future."), field="decided_on")
        if outcome == Outcome.GRANTED:
            if amount is None or amount <= 0:
                raise DomainError(_("Give the granted amount."), field="amount")
            requested = application.budget_lines.aggregate(total=Sum("requested"))["total"] or Decimal("0")
            if amount > requested:
                raise DomainError(
                    _("%(reference)s: the granted amount is more than the %(requested)s applied for.")
                    % {"reference": application.reference, "requested": format_nok(requested)},
                    field="amount",
                )
            if amount > call.max_per_application:
                raise DomainError(
                    _("%(reference)s: the granted amount is more than the call's maximum per application.")
                    % {"reference": application.reference},
                    field="amount",
                )
            already = _granted_in_call(call)
            if already + amount > call.total_budget:
                raise DomainError(
                    _("%(reference)s: granting %(amount)s would exceed the call's budget of %(budget)s (%(left)s left).")
                    % {
                        "reference": application.reference,
                        "amount": format_nok(amount),
                        "budget": format_nok(call.total_budget),
                        "left": format_nok(call.total_budget - already),
                    },
                    field="amount",
                )
        else:
            amount = None
        decision = Decision.objects.create(
            application=application,
            outcome=outcome,
            amount=amount,
            meeting_reference=meeting_reference.strip(),
            decided_on=decided_on,
            note=note.strip(),
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        previous = application.status
        application.status = lifecycle.APPLICATION_MOVES[move].target
        application.save(update_fields=["status", "updated_at"])
        audit_log(
            obj=application,
            action=f"polyfon.funding.application.{'granted' if outcome == Outcome.GRANTED else 'declined'}",
            actor=actor,
            payload={"from": previous, "amount": amount, "meeting": decision.meeting_reference, "decided_on": decided_on},
        )
        grant = _make_project(application, decision, actor) if outcome == Outcome.GRANTED else None
        _tell_applicant(application, decision, grant)
    return decision


def _make_project(application: Application, decision: Decision, actor) -> Grant:
    lines = application.budget_lines.aggregate(requested=Sum("requested"), own=Sum("own_contribution"))
    start = application.start_date or decision.decided_on
    end = application.end_date or start
    grant = Grant.objects.create(
        application=application,
        decision=decision,
        amount=decision.amount,
        title=application.title,
        leader=application.leader,
        start_date=start,
        end_date=end,
        budget_total=decision.amount + (lines["own"] or Decimal("0")),
    )
    participants = [p for p in [application.lead_participant] if p] + list(application.partner_participants.all())
    grant.participants.set(participants)
    _carry_students(application, grant, actor)
    GrantPayment.objects.create(grant=grant, due_on=max(start, decision.decided_on), amount=decision.amount)
    schedule_reports(grant)
    audit_log(
        obj=grant,
        action="polyfon.funding.grant.created",
        actor=actor,
        payload={"application": application.reference, "amount": decision.amount},
    )
    return grant


def _carry_students(application: Application, grant: Grant, actor) -> None:
    """The master's students and PhD candidates of the application's team become the project's
    students (registered as persons, matched on e-mail), so the annual report counts them. One
    without an e-mail address who is not in the register is added by hand on the project page."""
    for member in application.team.filter(role__in=STUDENT_ROLES).select_related("person"):
        if member.person is None and not member.email.strip():
            continue
        try:
            grant_add_student(
                grant=grant, actor=actor, level=member.role, person=member.person, name=member.name,
                email=member.email, thesis_title=member.thesis_title, institution=member.organisation,
            )
        except DomainError:
            continue  # named twice in the team: the project has the student already


def _tell_applicant(application: Application, decision: Decision, grant: Grant | None) -> None:
    applicant = application.applicant
    context = {"application": application, "decision": decision, "grant": grant}
    if decision.outcome == Outcome.DECLINED and application.call.share_reviews_with_declined:
        context["review_comments"] = [
            r.comment
            for r in application.reviews.filter(status=ReviewStatus.SUBMITTED).order_by("submitted_at")
            if r.comment.strip()
        ]
    template = "funding/email/decision_granted" if grant else "funding/email/decision_declined"
    recipients = {applicant.email.lower(): applicant.language}
    leader = application.leader
    if leader.email and leader.email.lower() not in recipients:
        recipients[leader.email.lower()] = leader.language
    for email, language in recipients.items():
        send_templated_email(to=email, template=template, context=context, language=language)


@dataclass(frozen=True)
class DecisionEntry:
    application: Application
    outcome: str
    amount: Decimal | None = None
    note: str = ""


def call_record_decisions(
    *, call: Call, actor, meeting_reference: str, decided_on: date, entries: list[DecisionEntry]
) -> list[Decision]:
    """Record one meeting's decisions on several applications of a call, all or none."""
    if not entries:
        raise DomainError(_("Choose at least one application to decide."))
    with transaction.atomic():
        decisions = []
        for entry in entries:
            if entry.application.call_id != call.pk:
                raise DomainError(_("%(reference)s belongs to another call.") % {"reference": entry.application.reference})
            decisions.append(
                application_decide(
                    application=entry.application,
                    actor=actor,
                    outcome=entry.outcome,
                    amount=entry.amount,
                    meeting_reference=meeting_reference,
                    decided_on=decided_on,
                    note=entry.note,
                )
            )
        audit_log(
            obj=call,
            action="polyfon.funding.call.decisions_recorded",
            actor=actor,
            payload={
                "meeting": meeting_reference,
                "decided_on": decided_on,
                "granted": sum(1 for d in decisions if d.outcome == Outcome.GRANTED),
                "declined": sum(1 for d in decisions if d.outcome == Outcome.DECLINED),
            },
        )
    return decisions

