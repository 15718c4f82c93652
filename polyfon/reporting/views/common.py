"""Pieces the participant's and the coordinator's reporting pages share."""

from django.contrib import messages
from django.shortcuts import redirect, render

from polyfon.content.models import WorkArea
from polyfon.core.pages import errors_on

from .. import selectors, services
from ..forms import ReportAnswersForm
from ..models import AnnualReport


def frozen_report(reporting_round) -> AnnualReport | None:
    """The annual report of the round's year whose figures are already frozen (or published)."""
    return AnnualReport.objects.filter(year=reporting_round.year, status__in=["frozen", "published"]).first()


def correction_page(
    request, report, *, reporting_round, participant, success: str, done_url: str, cancel_url: str, layout: str, extra=None
):
    """The form that corrects a submitted report with a reason: the participant's while the round
    is open, the coordinator's at any time."""
    form = ReportAnswersForm(
        request.POST or None,
        indicators=selectors.round_indicators(reporting_round),
        work_areas=WorkArea.objects.filter(is_active=True),
        initial_answers=selectors.answers_of(report),
        comment=report.comment,
        correcting=True,
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.report_correct(
                report=report, actor=request.user, answers=form.answers(), reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, success)
            return redirect(done_url)
    return render(
        request,
        "reporting/report_form.html",
        {
            "form": form,
            "round": reporting_round,
            "participant": participant,
            **(extra or {}),
            "layout": layout,
            "correcting": True,
            "cancel_url": cancel_url,
            "frozen_report": frozen_report(reporting_round),
        },
    )
