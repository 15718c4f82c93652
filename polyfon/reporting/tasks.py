"""Background work of reporting: the daily reminders of open rounds, and the PDF of a published
annual report."""

from django_tasks import task

from . import services


@task()
def send_round_reminders() -> int:
    """Daily: remind the participants that have not submitted, on the days the open rounds set."""
    return services.send_round_reminders()


@task()
def render_report_pdf(report_pk: int) -> bool:
    """Render and keep the PDF of a report that has just been published."""
    from .models import AnnualReport

    report = AnnualReport.objects.filter(pk=report_pk).first()
    return bool(report and services.annual_report_store_pdf(report=report))
