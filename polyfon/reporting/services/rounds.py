"""Reporting rounds: the coordinator prepares, opens and closes the yearly round; participants'
contacts save, submit and correct their reports; reminders go to those who have not submitted.

Answers are passed as {(indicator id, work area id or None): Decimal or None}; None clears a
value in a draft."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polyfon.accounts import roles
from polyfon.content.models import WorkArea
from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.dates import local_today
from polyfon.core.email import send_templated_email
from polyfon.core.errors import DomainError
from polyfon.core.lifecycle import finish_move
from polyfon.members.models import Participant

from .. import lifecycle, selectors
from ..models import (
    Indicator,
    ParticipantReport,
    ReportCorrection,
    ReportedValue,
    ReportingRound,
    RoundReminder,
    RoundStatus,
    Source,
    SubmissionStatus,
)

ROUND_FIELDS = ["deadline", "intro", "reminder_days", "remind_after_deadline"]
Answers = dict[tuple[int, int | None], Decimal | None]


# --- The round -----------------------------------------------------------------------------------------


def _check_indicators(indicators) -> list[Indicator]:
    indicators = list(indicators)
    wrong = [i for i in indicators if i.source != Source.REPORTED]
    if wrong:
        raise DomainError(
            _("Only indicators the participants report can be asked for: %(names)s.")
            % {"names": ", ".join(str(i) for i in wrong)},
            field="indicators",
        )
    return indicators


def _check_reminder_days(days) -> list[int]:
    days = sorted({int(d) for d in (days or [])}, reverse=True)
    if any(d < 1 or d > 90 for d in days):
        raise DomainError(_("Reminders can be sent from 1 to 90 days before the deadline."), field="reminder_days")
    return days


def round_create(
    *,
    actor,
    year: int,
    deadline: date,
    intro: str = "",
    indicators=None,
    reminder_days=(14, 3),
    remind_after_deadline: bool = True,
) -> ReportingRound:
    """Prepare the round for `year`; it asks for the active reported indicators unless told otherwise."""
    if indicators is None:
        indicators = Indicator.objects.filter(source=Source.REPORTED, is_active=True)
    indicators = _check_indicators(indicators)
    with transaction.atomic():
        if ReportingRound.objects.filter(year=year).exists():
            raise DomainError(_("There is already a reporting round for %(year)s.") % {"year": year}, field="year")
        reporting_round = ReportingRound.objects.create(
            year=year,
            deadline=deadline,
            intro=intro,
            reminder_days=_check_reminder_days(reminder_days),
            remind_after_deadline=remind_after_deadline,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        reporting_round.indicators.set(indicators)
        audit_log(
            obj=reporting_round,
            action="polyfon.reporting.round.created",
            actor=actor,
            payload={"year": year, "indicators": [i.code for i in indicators]},
        )
    return reporting_round


def round_update(*, reporting_round: ReportingRound, actor, indicators=None, **values) -> ReportingRound:
    values = {k: v for k, v in values.items() if k in ROUND_FIELDS}
    if "reminder_days" in values:
        values["reminder_days"] = _check_reminder_days(values["reminder_days"])
    with transaction.atomic():
        reporting_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
        update_with_audit(reporting_round, values, actor=actor, action="polyfon.reporting.round.changed")
        if indicators is not None:
            indicators = _check_indicators(indicators)
            before = set(reporting_round.indicators.values_list("pk", flat=True))
            after = {i.pk for i in indicators}
            if before != after:
                if reporting_round.status != RoundStatus.DRAFT and before - after:
                    raise DomainError(
                        _("Once the round is open, indicators can be added to it but not removed."), field="indicators"
                    )
                reporting_round.indicators.set(indicators)
                audit_log(
                    obj=reporting_round,
                    action="polyfon.reporting.round.indicators_changed",
                    actor=actor,
                    payload={"indicators": sorted(i.code for i in indicators)},
                )
    return reporting_round


def _begin(reporting_round: ReportingRound, move: str) -> ReportingRound:
    locked = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
    if not lifecycle.ROUND_MOVES.allows(locked.status, move):
        raise DomainError(
            _("This cannot be done while the round is “%(status)s”.") % {"status": locked.get_status_display()}
        )
    return locked


def _finish(reporting_round: ReportingRound, move: str, *, actor, payload=None, fields=()) -> None:
    finish_move(
        reporting_round,
        lifecycle.ROUND_MOVES[move],
        action=f"polyfon.reporting.round.{move}",
        actor=actor,
        previous=reporting_round.status,
        payload=payload,
        fields=fields,
    )


def round_open(*, reporting_round: ReportingRound, actor) -> ReportingRound:
    """Open the round and invite the main contact of every participant that reports for its year."""
    with transaction.atomic():
        reporting_round = _begin(reporting_round, "open")
        if not reporting_round.indicators.exists():
            raise DomainError(_("Choose at least one indicator to ask for before opening the round."))
        if reporting_round.deadline < local_today():
            raise DomainError(_("The deadline has passed; set a later deadline first."), field="deadline")
        reporting_round.opened_at = timezone.now()
        participants = list(selectors.expected_participants(reporting_round).order_by("name"))
        invited = _send(reporting_round, participants, template="reporting/email/round_invitation")
        _finish(reporting_round, "open", actor=actor, payload={"invited": invited}, fields=["opened_at"])
    return reporting_round


def round_close(*, reporting_round: ReportingRound, actor) -> ReportingRound:
    with transaction.atomic():
        reporting_round = _begin(reporting_round, "close")
        reporting_round.closed_at = timezone.now()
        _finish(reporting_round, "close", actor=actor, fields=["closed_at"])
    return reporting_round


def round_reopen(*, reporting_round: ReportingRound, actor) -> ReportingRound:
    with transaction.atomic():
        reporting_round = _begin(reporting_round, "reopen")
        if reporting_round.deadline < local_today():
            raise DomainError(_("The deadline has passed; set a later deadline before reopening the round."))
        reporting_round.closed_at = None
        _finish(reporting_round, "reopen", actor=actor, fields=["closed_at"])
    return reporting_round


# --- E-mail to the participants ------------------------------------------------------------------------------


def form_url(reporting_round: ReportingRound, participant: Participant) -> str:
    return settings.SITE_URL + reverse("reporting:mine_report", args=[reporting_round.pk, participant.pk])


def _send(reporting_round: ReportingRound, participants: list[Participant], *, template: str, recipients=None) -> int:
    """E-mail each participant's report recipients in their language; returns how many were written to."""
    if recipients is None:
        recipients = selectors.report_recipients([p.pk for p in participants])
    sent = 0
    for participant in participants:
        for person in recipients.get(participant.pk, []):
            send_templated_email(
                to=person.email,
                template=template,
                context={
                    "round": reporting_round,
                    "participant": participant,
                    "person": person,
                    "url": form_url(reporting_round, participant),
                    "overdue": local_today() > reporting_round.deadline,
                },
                language=person.language,
            )
            sent += 1
    return sent


def _remind(reporting_round: ReportingRound, participants: list[Participant], *, today: date, actor=None) -> int:
    recipients = selectors.report_recipients([p.pk for p in participants])
    reminded = 0
    for participant in participants:
        people = recipients.get(participant.pk, [])
        _send(reporting_round, [participant], template="reporting/email/round_reminder", recipients=recipients)
        RoundReminder.objects.create(
            round=reporting_round,
            participant=participant,
            sent_on=today,
            automatic=actor is None,
            recipient_count=len(people),
            sent_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        reminded += 1
    return reminded


def round_remind(*, reporting_round: ReportingRound, actor, participants=None) -> int:
    """The coordinator reminds participants that have not submitted (all of them unless named)."""
    today = local_today()
    with transaction.atomic():
        reporting_round = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
        if reporting_round.status != RoundStatus.OPEN:
            raise DomainError(_("Reminders can be sent only while the round is open."))
        missing = selectors.missing_participants(reporting_round)
        if participants is not None:
            missing = missing.filter(pk__in=[p.pk for p in participants])
        missing = list(missing.order_by("name"))
        if not missing:
            raise DomainError(_("Everyone asked has submitted; there is nobody to remind."))
        count = _remind(reporting_round, missing, today=today, actor=actor)
        audit_log(
            obj=reporting_round,
            action="polyfon.reporting.round.reminded",
            actor=actor,
            payload={"participants": [p.name for p in missing]},
        )
    return count


def reminder_due(reporting_round: ReportingRound, today: date) -> bool:
    """On the days set before the deadline, and every seventh day after it (if so set)."""
    if reporting_round.status != RoundStatus.OPEN:
        return False
    days_left = (reporting_round.deadline - today).days
    if days_left >= 0:
        return days_left in set(reporting_round.reminder_days or [])
    return reporting_round.remind_after_deadline and (-days_left) % 7 == 0


def send_round_reminders(*, today: date | None = None) -> int:
    """Daily: remind the participants of open rounds that are due a reminder today, once a day."""
    today = today or local_today()
    total = 0
    for reporting_round in ReportingRound.objects.filter(status=RoundStatus.OPEN).order_by("year"):
        if not reminder_due(reporting_round, today):
            continue
        with transaction.atomic():
            locked = ReportingRound.objects.select_for_update().get(pk=reporting_round.pk)
            already = RoundReminder.objects.filter(round=locked, sent_on=today).values("participant_id")
            missing = list(selectors.missing_participants(locked).exclude(pk__in=already).order_by("name"))
            if missing:
                total += _remind(locked, missing, today=today)
    return total


# --- A participant's report ----------------------------------------------------------------------------------


def _lock_participant(participant: Participant) -> Participant:
    return Participant.objects.select_for_update().get(pk=participant.pk)


def _check_may_report(reporting_round: ReportingRound, participant: Participant, actor, *, correcting=False) -> None:
    if reporting_round.status == RoundStatus.DRAFT:
        raise DomainError(_("The reporting round has not been opened yet."))
    if reporting_round.status == RoundStatus.CLOSED and not roles.is_coordinator(actor):
        if correcting:
            raise DomainError(
                _("The reporting round is closed; ask the coordinator to correct the report, and say what is wrong.")
            )
        raise DomainError(_("The reporting round is closed; ask the coordinator if you still need to report."))
    if not selectors.expected_participants(reporting_round).filter(pk=participant.pk).exists():
        raise DomainError(
            _("%(participant)s was not a member in %(year)s and does not report for it.")
            % {"participant": participant, "year": reporting_round.year}
        )


def _clean_answers(reporting_round: ReportingRound, answers: Answers) -> dict[tuple[int, int | None], Decimal | None]:
    """Check every answer against the round's indicators; returns the answers keyed the same way."""
    indicators = {i.pk: i for i in reporting_round.indicators.all()}
    area_ids = set(WorkArea.objects.filter(is_active=True).values_list("pk", flat=True))
    cleaned = {}
    for (indicator_id, area_id), value in answers.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            raise DomainError(_("The round does not ask for this indicator."))
        if indicator.per_work_area and area_id not in area_ids:
            raise DomainError(_("%(indicator)s is given per work area.") % {"indicator": indicator})
        if not indicator.per_work_area and area_id is not None:
            raise DomainError(_("%(indicator)s is not given per work area.") % {"indicator": indicator})
        if value is not None:
            value = Decimal(value)
            if value < 0:
                raise DomainError(_("%(indicator)s cannot be negative.") % {"indicator": indicator})
            if indicator.whole_numbers and value != value.to_integral_value():
                raise DomainError(_("%(indicator)s is a whole number.") % {"indicator": indicator})
            if value.as_tuple().exponent < -2:
                raise DomainError(_("%(indicator)s has at most two decimals.") % {"indicator": indicator})
        cleaned[(indicator_id, area_id)] = value
    return cleaned


def _store(report: ParticipantReport, answers: dict) -> None:
    existing = {(v.indicator_id, v.work_area_id): v for v in report.values.all()}
    for key, value in answers.items():
        current = existing.get(key)
        if value is None:
            if current is not None:
                current.delete()
        elif current is None:
            ReportedValue.objects.create(report=report, indicator_id=key[0], work_area_id=key[1], value=value)
        elif current.value != value:
            current.value = value
            current.save(update_fields=["value"])


def _complete(reporting_round: ReportingRound, answers: dict) -> dict:
    """A submission answers every indicator; a work area left empty counts as 0."""
    answers = dict(answers)
    missing = []
    areas = list(WorkArea.objects.filter(is_active=True).values_list("pk", flat=True))
    for indicator in reporting_round.indicators.all():
        if indicator.per_work_area:
            for area in areas:
                if answers.get((indicator.pk, area)) is None:
                    answers[(indicator.pk, area)] = Decimal("0")
        elif answers.get((indicator.pk, None)) is None:
            missing.append(str(indicator))
    if missing:
        raise DomainError(
            _("Give a value for every question before submitting (0 when there is none): %(names)s.")
            % {"names": ", ".join(missing)}
        )
    return answers


def _report_for(reporting_round: ReportingRound, participant: Participant, actor) -> ParticipantReport:
    report, _created = ParticipantReport.objects.get_or_create(
        round=reporting_round,
        participant=participant,
        defaults={"updated_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    return report


def report_save(
    *, reporting_round: ReportingRound, participant: Participant, actor, answers: Answers, comment: str = ""
) -> ParticipantReport:
    """Keep the answers as a draft (not yet submitted)."""
    with transaction.atomic():
        participant = _lock_participant(participant)
        reporting_round = ReportingRound.objects.get(pk=reporting_round.pk)
        _check_may_report(reporting_round, participant, actor)
        report = _report_for(reporting_round, participant, actor)
        if report.is_submitted:
            raise DomainError(_("The report has been submitted; change it by a correction with a reason."))
        _store(report, _clean_answers(reporting_round, answers))
        report.comment = comment
        report.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        report.save(update_fields=["comment", "updated_by", "updated_at"])
        audit_log(obj=report, action="polyfon.reporting.report.saved", actor=actor)
    return report


def report_submit(
    *, reporting_round: ReportingRound, participant: Participant, actor, answers: Answers, comment: str = ""
) -> ParticipantReport:
    """Submit the report: every indicator answered, then locked. The submitter gets a receipt."""
    with transaction.atomic():
        participant = _lock_participant(participant)
        reporting_round = ReportingRound.objects.get(pk=reporting_round.pk)
        _check_may_report(reporting_round, participant, actor)
        report = _report_for(reporting_round, participant, actor)
        if report.is_submitted:
            raise DomainError(_("The report has already been submitted; change it by a correction with a reason."))
        answers = _complete(reporting_round, _clean_answers(reporting_round, answers))
        _store(report, answers)
        now = timezone.now()
        user = actor if getattr(actor, "is_authenticated", False) else None
        report.status = SubmissionStatus.SUBMITTED
        report.comment = comment
        report.submitted_at, report.submitted_by, report.updated_by = now, user, user
        report.save(update_fields=["status", "comment", "submitted_at", "submitted_by", "updated_by", "updated_at"])
        audit_log(
            obj=report,
            action="polyfon.reporting.report.submitted",
            actor=actor,
            payload={"late": timezone.localdate(now) > reporting_round.deadline},
        )
        if user is not None and not roles.is_coordinator(user):
            send_templated_email(
                to=user.email,
                template="reporting/email/report_receipt",
                context={"round": reporting_round, "participant": participant, "report": report, "user": user,
                         "url": form_url(reporting_round, participant)},
                language=user.language,
            )
    return report


def _describe(indicator: Indicator, area: WorkArea | None) -> str:
    return f"{indicator.display_name} – {area.display_name}" if area else indicator.display_name


def report_correct(
    *, report: ParticipantReport, actor, answers: Answers, reason: str, comment: str | None = None
) -> ReportCorrection:
    """Change a submitted report. A reason is required; the values before and after are logged."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the report is corrected."), field="reason")
    with transaction.atomic():
        participant = _lock_participant(report.participant)
        report = ParticipantReport.objects.select_related("round").get(pk=report.pk)
        if not lifecycle.SUBMISSION_MOVES.allows(report.status, "correct"):
            raise DomainError(_("Only a submitted report is corrected; save or submit a draft instead."))
        _check_may_report(report.round, participant, actor, correcting=True)
        cleaned = _complete(report.round, _clean_answers(report.round, answers))
        indicators = {i.pk: i for i in report.round.indicators.all()}
        areas = {a.pk: a for a in WorkArea.objects.all()}
        before = {(v.indicator_id, v.work_area_id): v.value for v in report.values.all()}
        changes = []
        for key, value in cleaned.items():
            old = before.get(key)
            if old != value:
                indicator, area = indicators[key[0]], areas.get(key[1])
                changes.append(
                    {
                        "indicator": indicator.code,
                        "work_area": area.slug if area else "",
                        "label": _describe(indicator, area),
                        "old": None if old is None else str(old),
                        "new": None if value is None else str(value),
                        "decimals": indicator.decimals,
                    }
                )
        comment_changed = comment is not None and comment != report.comment
        if not changes and not comment_changed:
            raise DomainError(_("Nothing was changed."))
        _store(report, cleaned)
        fields = ["updated_by", "updated_at"]
        if comment_changed:
            changes.append(
                {"indicator": "", "work_area": "", "label": _("Comments"), "old": report.comment, "new": comment, "text": True}
            )
            report.comment = comment
            fields.append("comment")
        report.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        report.save(update_fields=fields)
        correction = ReportCorrection.objects.create(
            report=report, reason=reason, changes=changes, actor=report.updated_by
        )
        audit_log(
            obj=report,
            action="polyfon.reporting.report.corrected",
            actor=actor,
            payload={"note": reason, "corrections": changes},
        )
    return correction
