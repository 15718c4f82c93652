"""Grants as projects: period and participants, students, payments, reports (with reminders)
and outputs."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.dates import add_months, local_today
from polyfon.core.email import send_templated_email
from polyfon.core.errors import DomainError
from polyfon.core.formatting import format_nok
from polyfon.core.validators import validate_pdf_upload
from polyfon.members import services as member_services
from polyfon.members.models import Person
from polyfon.members.services import coordinator_recipients

from .. import lifecycle
from ..models import (
    FundingStatus,
    Grant,
    GrantOutput,
    GrantPayment,
    GrantReport,
    GrantStatus,
    GrantStudent,
    OutputKind,
    ReportKind,
    ReportStatus,
    TeamRole,
)

GRANT_FIELDS = ["title", "start_date", "end_date", "budget_total", "note"]
REMINDER_DAYS = 14


# --- Reports planned from the call's rules -----------------------------------------------------------------


def planned_reports(grant: Grant) -> list[tuple[str, date]]:
    """The reports the call asks of a project with this period, as (kind, due date)."""
    call = grant.application.call
    plan = []
    if call.progress_report_months:
        step = 1
        due = add_months(grant.start_date, call.progress_report_months)
        while due < grant.end_date:
            plan.append((ReportKind.PROGRESS, due))
            step += 1
            due = add_months(grant.start_date, call.progress_report_months * step)
    if call.final_report_months is not None:
        plan.append((ReportKind.FINAL, add_months(grant.end_date, call.final_report_months)))
    if call.spending_report_months is not None:
        plan.append((ReportKind.SPENDING, add_months(grant.end_date, call.spending_report_months)))
    return plan


def schedule_reports(grant: Grant) -> None:
    """Create the planned reports; reports not yet sent are moved to the plan of the current
    period, reports already sent are kept as they are."""
    grant.reports.filter(status=ReportStatus.DUE, submitted_at__isnull=True).delete()
    kept = set(grant.reports.values_list("kind", "due_on"))
    GrantReport.objects.bulk_create(
        [GrantReport(grant=grant, kind=kind, due_on=due) for kind, due in planned_reports(grant) if (kind, due) not in kept]
    )


# --- The project ------------------------------------------------------------------------------------------------


def _lock(grant: Grant) -> Grant:
    return Grant.objects.select_for_update(of=("self",)).select_related("application__call", "leader").get(pk=grant.pk)


def grant_update(*, grant: Grant, actor, participants=None, **values) -> Grant:
    values = {k: v for k, v in values.items() if k in GRANT_FIELDS}
    with transaction.atomic():
        grant = _lock(grant)
        if grant.status == GrantStatus.CANCELLED:
            raise DomainError(_("The project is cancelled."))
        start, end = values.get("start_date", grant.start_date), values.get("end_date", grant.end_date)
        if end < start:
            raise DomainError(_("The project cannot end before it starts."), field="end_date")
        if "budget_total" in values and values["budget_total"] < grant.amount:
            raise DomainError(_("The total budget cannot be less than the granted amount."), field="budget_total")
        changes = update_with_audit(grant, values, actor=actor, action="polyfon.funding.grant.changed")
        if "start_date" in changes or "end_date" in changes:
            schedule_reports(grant)
        if participants is not None:
            before = set(grant.participants.values_list("pk", flat=True))
            if before != {p.pk for p in participants}:
                grant.participants.set(participants)
                audit_log(
                    obj=grant,
                    action="polyfon.funding.grant.changed",
                    actor=actor,
                    payload={"changes": {"participants": [None, sorted(p.name for p in participants)]}},
                )
    return grant


def grant_cancel(*, grant: Grant, actor, reason: str) -> Grant:
    """Cancel a project (e.g. it could not be carried out): unpaid payments and unsent reports go."""
    with transaction.atomic():
        grant = _lock(grant)
        if grant.status != GrantStatus.ACTIVE:
            raise DomainError(_("Only an ongoing project can be cancelled."))
        if not reason.strip():
            raise DomainError(_("Give the reason for cancelling the project."), field="reason")
        grant.payments.filter(paid_on__isnull=True).delete()
        grant.reports.filter(status=ReportStatus.DUE).delete()
        grant.status = GrantStatus.CANCELLED
        grant.save(update_fields=["status", "updated_at"])
        audit_log(obj=grant, action="polyfon.funding.grant.cancelled", actor=actor, payload={"note": reason})
    return grant


def _complete_if_done(grant: Grant, actor) -> None:
    """A project is completed when every report it owes is approved and one of them closes it:
    the final report, or the spending report that is all dissemination support owes."""
    reports = list(grant.reports.values_list("kind", "status"))
    if (
        grant.status == GrantStatus.ACTIVE
        and reports
        and all(status == ReportStatus.APPROVED for _, status in reports)
        and any(kind in (ReportKind.FINAL, ReportKind.SPENDING) for kind, _ in reports)
    ):
        grant.status = GrantStatus.COMPLETED
        grant.save(update_fields=["status", "updated_at"])
        audit_log(obj=grant, action="polyfon.funding.grant.completed", actor=actor)


# --- Payments ---------------------------------------------------------------------------------------------------------


def grant_plan_payment(*, grant: Grant, actor, due_on: date, amount: Decimal, note: str = "") -> GrantPayment:
    with transaction.atomic():
        grant = _lock(grant)
        if grant.status == GrantStatus.CANCELLED:
            raise DomainError(_("The project is cancelled."))
        if amount <= 0:
            raise DomainError(_("The amount must be more than zero."), field="amount")
        planned = grant.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
        if planned + amount > grant.amount:
            raise DomainError(
                _("The payments would add up to more than the grant (%(planned)s planned of %(amount)s).")
                % {"planned": format_nok(planned), "amount": format_nok(grant.amount)},
                field="amount",
            )
        payment = GrantPayment.objects.create(grant=grant, due_on=due_on, amount=amount, note=note)
        audit_log(
            obj=grant, action="polyfon.funding.grant.payment_planned", actor=actor, payload={"due_on": due_on, "amount": amount}
        )
    return payment


def grant_register_payment(*, payment: GrantPayment, actor, paid_on: date, reference: str = "") -> GrantPayment:
    with transaction.atomic():
        payment = GrantPayment.objects.select_for_update(of=("self",)).select_related("grant").get(pk=payment.pk)
        if payment.paid_on:
            raise DomainError(_("This payment is already registered as paid."))
        if paid_on > local_today():
            raise DomainError(_("The payment date cannot be in the future."), field="paid_on")
        payment.paid_on, payment.reference = paid_on, reference
        payment.save(update_fields=["paid_on", "reference"])
        audit_log(
            obj=payment.grant,
            action="polyfon.funding.grant.payment_made",
            actor=actor,
            payload={"amount": payment.amount, "paid_on": paid_on, "reference": reference},
        )
    return payment


def grant_remove_payment(*, payment: GrantPayment, actor) -> None:
    with transaction.atomic():
        payment = GrantPayment.objects.select_for_update(of=("self",)).select_related("grant").get(pk=payment.pk)
        if payment.paid_on:
            raise DomainError(_("A payment that is made cannot be removed."))
        payment.delete()
        audit_log(
            obj=payment.grant,
            action="polyfon.funding.grant.payment_removed",
            actor=actor,
            payload={"due_on": payment.due_on, "amount": payment.amount},
        )


# --- Students -----------------------------------------------------------------------------------------------------------


def grant_add_student(
    *,
    grant: Grant,
    actor,
    level: str,
    person: Person | None = None,
    name: str = "",
    email: str = "",
    thesis_title: str = "",
    institution: str = "",
    started_on: date | None = None,
    completed_on: date | None = None,
) -> GrantStudent:
    """Add a master's student or PhD candidate; a new person is registered (matched on e-mail)."""
    if level not in (TeamRole.MASTER, TeamRole.PHD):
        raise DomainError(_("Choose master's student or PhD candidate."), field="level")
    with transaction.atomic():
        grant = _lock(grant)
        if started_on and completed_on and completed_on < started_on:
            raise DomainError(_("The thesis cannot be completed before it started."), field="completed_on")
        if person is None:
            if not (name.strip() and email.strip()):
                raise DomainError(_("Give the student's name and e-mail address."), field="name")
            person = Person.objects.filter(email__iexact=email.strip()).first() or member_services.person_create(
                actor=actor, name=name, email=email, student_level=level
            )
        if grant.students.filter(person=person).exists():
            raise DomainError(_("%(name)s is already a student in this project.") % {"name": person}, field="email")
        student = GrantStudent.objects.create(
            grant=grant,
            person=person,
            level=level,
            thesis_title=thesis_title,
            institution=institution,
            started_on=started_on,
            completed_on=completed_on,
        )
        audit_log(
            obj=grant, action="polyfon.funding.grant.student_added", actor=actor, payload={"person": str(person), "level": level}
        )
    return student


def grant_remove_student(*, student: GrantStudent, actor) -> None:
    with transaction.atomic():
        grant = _lock(student.grant)
        student.delete()
        audit_log(obj=grant, action="polyfon.funding.grant.student_removed", actor=actor, payload={"person": str(student.person)})


# --- Outputs --------------------------------------------------------------------------------------------------------------

OUTPUT_FIELDS = ["kind", "title", "occurred_on", "venue", "doi", "url", "funder", "amount_applied", "funding_status", "amount_won"]


def grant_add_output(*, grant: Grant, actor, **values) -> GrantOutput:
    values = {k: v for k, v in values.items() if k in OUTPUT_FIELDS}
    with transaction.atomic():
        grant = _lock(grant)
        if values.get("kind") == OutputKind.FUNDING:
            if not values.get("funder", "").strip():
                raise DomainError(_("Name the funder the application was sent to."), field="funder")
            if not values.get("funding_status"):
                raise DomainError(_("Say whether the funding was won."), field="funding_status")
            if values["funding_status"] == FundingStatus.WON and not values.get("amount_won"):
                raise DomainError(_("Give the amount won."), field="amount_won")
        else:
            values.update(funder="", amount_applied=None, funding_status="", amount_won=None)
        if values.get("funding_status") != FundingStatus.WON:
            values["amount_won"] = None
        if values.get("doi"):
            values["doi"] = values["doi"].strip().removeprefix("https://doi.org/").removeprefix("doi:")
        output = GrantOutput(grant=grant, registered_by=actor if getattr(actor, "is_authenticated", False) else None, **values)
        try:
            output.full_clean(exclude=["grant", "registered_by"])
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise DomainError(" ".join(messages), field=field) from None
        output.save()
        audit_log(
            obj=grant,
            action="polyfon.funding.grant.output_added",
            actor=actor,
            payload={"kind": output.kind, "title": output.title},
        )
    return output


def grant_remove_output(*, output: GrantOutput, actor) -> None:
    with transaction.atomic():
        grant = _lock(output.grant)
        output.delete()
        audit_log(obj=grant, action="polyfon.funding.grant.output_removed", actor=actor, payload={"title": output.title})


# --- Reports ----------------------------------------------------------------------------------------------------------------


def _lock_report(report: GrantReport, move: str) -> GrantReport:
    locked = GrantReport.objects.select_for_update(of=("self",)).select_related("grant__leader__user", "grant__application__applicant").get(
        pk=report.pk
    )
    if not lifecycle.REPORT_MOVES.allows(locked.status, move):
        raise DomainError(
            _("This cannot be done while the report's status is “%(status)s”.") % {"status": locked.get_status_display()}
        )
    return locked


def report_submit(
    *,
    report: GrantReport,
    actor,
    summary: str,
    use_of_funds: str = "",
    spent_amount: Decimal | None = None,
    uploaded=None,
) -> GrantReport:
    with transaction.atomic():
        report = _lock_report(report, "submit")
        if report.grant.status == GrantStatus.CANCELLED:
            raise DomainError(_("The project is cancelled."))
        if not summary.strip():
            raise DomainError(_("Write what was done."), field="summary")
        if report.kind in (ReportKind.FINAL, ReportKind.SPENDING):
            if not use_of_funds.strip():
                raise DomainError(_("Account for how the funds were used."), field="use_of_funds")
            if spent_amount is None:
                raise DomainError(_("Give how much of the grant was spent."), field="spent_amount")
        if spent_amount is not None and spent_amount > report.grant.amount:
            raise DomainError(_("More is reported spent than was granted."), field="spent_amount")
        if uploaded is not None:
            try:
                validate_pdf_upload(uploaded)
            except ValidationError as error:
                raise DomainError(" ".join(error.messages), field="file") from None
            old = report.file.name if report.file else None
            report.file.save(uploaded.name, uploaded, save=False)
            report.original_name = uploaded.name[:255]
            if old:
                storage = report.file.storage
                transaction.on_commit(lambda: storage.delete(old))
        report.summary, report.use_of_funds, report.spent_amount = summary.strip(), use_of_funds.strip(), spent_amount
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        report.save()
        audit_log(
            obj=report.grant,
            action="polyfon.funding.grant.report_submitted",
            actor=actor,
            payload={"kind": report.kind, "due_on": report.due_on, "spent": spent_amount},
        )
        for recipient, language in coordinator_recipients():
            send_templated_email(
                to=recipient,
                template="funding/email/report_submitted_notice",
                context={"report": report, "grant": report.grant},
                language=language,
            )
    return report


def report_approve(*, report: GrantReport, actor, note: str = "") -> GrantReport:
    with transaction.atomic():
        report = _lock_report(report, "approve")
        report.status = ReportStatus.APPROVED
        report.reviewed_by, report.reviewed_at, report.review_note = actor, timezone.now(), note.strip()
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        audit_log(obj=report.grant, action="polyfon.funding.grant.report_approved", actor=actor, payload={"kind": report.kind, "note": note})
        _complete_if_done(Grant.objects.select_for_update().get(pk=report.grant_id), actor)
    return report


def report_return(*, report: GrantReport, actor, note: str) -> GrantReport:
    with transaction.atomic():
        report = _lock_report(report, "return")
        if not note.strip():
            raise DomainError(_("Tell the project leader what to change."), field="note")
        report.status = ReportStatus.RETURNED
        report.reviewed_by, report.reviewed_at, report.review_note = actor, timezone.now(), note.strip()
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        audit_log(obj=report.grant, action="polyfon.funding.grant.report_returned", actor=actor, payload={"kind": report.kind, "note": note})
        for email, language in _leader_recipients(report.grant):
            send_templated_email(
                to=email,
                template="funding/email/report_returned",
                context={"report": report, "grant": report.grant},
                language=language,
            )
    return report


def _leader_recipients(grant: Grant) -> list[tuple[str, str]]:
    leader = grant.leader
    applicant = grant.application.applicant
    language = leader.user.language if leader.user_id else leader.language
    recipients = {leader.email.lower(): language}
    recipients.setdefault(applicant.email.lower(), applicant.language)
    return sorted(recipients.items())


def report_send_reminders(*, today: date | None = None) -> int:
    """Daily: remind project leaders of reports due within two weeks, and tell them the day
    after a report is overdue. Each message is sent once per report."""
    today = today or local_today()
    open_states = [ReportStatus.DUE, ReportStatus.RETURNED]
    base = GrantReport.objects.filter(status__in=open_states, grant__status=GrantStatus.ACTIVE).select_related(
        "grant__leader__user", "grant__application__applicant"
    )
    sent = 0
    upcoming = base.filter(due_on__gte=today, due_on__lte=today + timedelta(days=REMINDER_DAYS), reminder_sent_on__isnull=True)
    overdue = base.filter(due_on__lt=today, overdue_notice_sent_on__isnull=True)
    for queryset, field, template in [
        (upcoming, "reminder_sent_on", "funding/email/report_reminder"),
        (overdue, "overdue_notice_sent_on", "funding/email/report_overdue"),
    ]:
        for report in queryset.order_by("pk"):
            with transaction.atomic():
                locked = GrantReport.objects.select_for_update().get(pk=report.pk)
                if getattr(locked, field) is not None:
                    continue
                setattr(locked, field, today)
                locked.save(update_fields=[field])
                for email, language in _leader_recipients(report.grant):
                    send_templated_email(
                        to=email, template=template, context={"report": report, "grant": report.grant}, language=language
                    )
                sent += 1
    return sent
