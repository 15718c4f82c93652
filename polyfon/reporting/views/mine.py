"""The participant's own pages (/min-side/): the contact persons report the indicator data."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from polyfon.content.models import WorkArea
from polyfon.core.pages import errors_on
from polyfon.core.permissions import authenticated, ensure, requires
from polyfon.members.models import Participant

from .. import lifecycle, selectors, services
from .. import permissions as perms
from ..forms import ReportAnswersForm
from ..models import ReportingRound, RoundStatus
from .common import correction_page

MINE = "layouts/mine.html"


@requires(authenticated)
def mine_reports(request):
    return render(request, "reporting/mine/reports.html", {"entries": selectors.contact_rounds(request.user)})


def _context(request, round_pk, participant_pk):
    reporting_round = get_object_or_404(ReportingRound.objects.exclude(status=RoundStatus.DRAFT), pk=round_pk)
    participant = get_object_or_404(Participant, pk=participant_pk)
    ensure(request.user, perms.can_report_for, participant)
    report = selectors.report_of(reporting_round, participant)
    if report is None and not selectors.expected_participants(reporting_round).filter(pk=participant.pk).exists():
        raise Http404
    return reporting_round, participant, report


@requires(authenticated)
def mine_report(request, round_pk, participant_pk):
    reporting_round, participant, report = _context(request, round_pk, participant_pk)
    indicators = selectors.round_indicators(reporting_round)
    work_areas = list(WorkArea.objects.filter(is_active=True))
    if report is not None and report.is_submitted:
        return render(
            request,
            "reporting/mine/report_submitted.html",
            {
                "round": reporting_round,
                "participant": participant,
                "report": report,
                "rows": selectors.answer_rows(indicators, work_areas, selectors.answers_of(report)),
                "can_correct": reporting_round.status == RoundStatus.OPEN,
            },
        )
    form = ReportAnswersForm(
        request.POST or None,
        indicators=indicators,
        work_areas=work_areas,
        initial_answers=selectors.answers_of(report),
        comment=report.comment if report else "",
    )
    if request.method == "POST" and form.is_valid():
        move = "submit" if request.POST.get("action") == "submit" else "save"
        service = getattr(services, f"report_{move}")
        with errors_on(form):
            service(
                reporting_round=reporting_round, participant=participant, actor=request.user, answers=form.answers(),
                comment=form.cleaned_data["comment"],
            )
            if move == "submit":
                messages.success(request, _("Thank you! The report is submitted; a receipt is on its way by e-mail."))
            else:
                messages.success(request, _("The answers are saved. Submit them before the deadline."))
            return redirect("reporting:mine_report", round_pk=reporting_round.pk, participant_pk=participant.pk)
    return render(
        request,
        "reporting/report_form.html",
        {
            "form": form,
            "round": reporting_round,
            "participant": participant,
            "report": report,
            "layout": MINE,
            "moves": lifecycle.SUBMISSION_MOVES.moves_from(report.status if report else "not_started"),
            "closed": reporting_round.status != RoundStatus.OPEN,
            "cancel_url": reverse("reporting:mine_reports"),
        },
    )


@requires(authenticated)
def mine_report_correct(request, round_pk, participant_pk):
    reporting_round, participant, report = _context(request, round_pk, participant_pk)
    if report is None or not report.is_submitted:
        raise Http404
    if reporting_round.status != RoundStatus.OPEN:
        messages.error(request, _("The reporting round is closed; ask the coordinator to correct the report, and say what is wrong."))
        return redirect("reporting:mine_report", round_pk=reporting_round.pk, participant_pk=participant.pk)
    mine_report_url = reverse("reporting:mine_report", args=[reporting_round.pk, participant.pk])
    return correction_page(
        request,
        report,
        reporting_round=reporting_round,
        participant=participant,
        success=_("The correction is saved."),
        done_url=mine_report_url,
        cancel_url=mine_report_url,
        layout=MINE,
        extra={"report": report},
    )
