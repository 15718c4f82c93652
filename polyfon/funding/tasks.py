"""Background work of the funding app: the receipt with the PDF copy, and the daily reminders."""

from django_tasks import task

from polyfon.core.email import Attachment, send_templated_email

from . import services


@task()
def send_application_receipt(application_pk: int) -> int:
    """Render the submitted application as a PDF and e-mail it to the applicant with the receipt."""
    from .models import Application
    from .pdf import application_pdf, pdf_filename

    application = Application.objects.select_related("call", "applicant", "leader").get(pk=application_pk)
    applicant = application.applicant
    pdf = application_pdf(application.pk, language=applicant.language)
    send_templated_email(
        to=applicant.email,
        template="funding/email/application_receipt",
        context={"application": application},
        language=applicant.language,
        attachments=[Attachment(pdf_filename(application), pdf, "application/pdf")],
    )
    return 1


@task()
def end_reopenings() -> int:
    """Hourly: reopened applications whose time for changes has run out go back to submitted."""
    return services.applications_end_reopenings()


@task()
def send_report_reminders() -> int:
    """Daily: reports due within two weeks, and reports that have become overdue."""
    return services.report_send_reminders()


@task()
def send_review_reminders() -> int:
    """Daily: reviews due within three days that are not done."""
    return services.review_send_reminders()
