"""Sending: EHF to the outbox (or a plugged-in sender), e-mail with the PDF; every sending logged
with its outcome. Reminders of overdue invoices: deadline, frequency, recipients, the daily job."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail

from polyfon.billing import ehf, services, tasks
from polyfon.billing.models import (
    DeliveryChannel,
    Dispatch,
    DispatchKind,
    DispatchOutcome,
    Invoice,
    InvoiceStatus,
    Reminder,
)
from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.members.models import ContactRole
from polyfon.members.tests.factories import (
    MemberFactory,
    OrganisationFactory,
    ParticipantContactFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


class RecordingSender:
    sent: list = []

    def send(self, *, filename, content, document):
        RecordingSender.sent.append((filename, content, document.pk))
        return f"ap://{filename}"


class BrokenSender:
    def send(self, *, filename, content, document):
        raise ConnectionError("access point unreachable")


# --- Sending ----------------------------------------------------------------------------------------------------------


def test_an_ehf_invoice_goes_to_the_outbox_checked_and_logged(issue, outbox):
    invoice = issue()
    dispatch = services.document_deliver(document=invoice)
    assert dispatch.outcome == DispatchOutcome.SENT and dispatch.channel == DeliveryChannel.EHF
    assert dispatch.recipient == f"0192:{invoice.buyer_org_number}"
    written = outbox / "faktura-1.xml"
    assert dispatch.detail == str(written)
    root = ehf.parse(written.read_bytes())
    assert not [v for v in ehf.check(root) if v.fatal]
    assert root.find(".//{*}EmbeddedDocumentBinaryObject").get("mimeCode") == "application/pdf"
    assert AuditEntry.objects.filter(action="polyfon.billing.document.sent", object_id=str(invoice.pk)).exists()
    assert not list(outbox.glob(".partial-*"))


def test_an_email_invoice_goes_with_its_pdf(issue, email_buyer, django_capture_on_commit_callbacks):
    invoice = issue(MemberFactory(organisation=email_buyer), amount="150000")
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = services.document_deliver(document=invoice)
    assert dispatch.outcome == DispatchOutcome.QUEUED and dispatch.recipient == "faktura@kommune.example.no"
    (message,) = mail.outbox
    assert message.to == ["faktura@kommune.example.no"] and message.reply_to == ["polyfon@uib.no"]
    assert message.attachments[0][0] == "faktura-1.pdf" and message.attachments[0][1].startswith(b"%PDF-")
    assert invoice.kid in message.body and "150" in message.body
    dispatch.refresh_from_db()
    assert dispatch.outcome == DispatchOutcome.EMAILED  # the worker sent it and said so


def test_an_email_the_mail_server_refuses_is_logged_as_failed(issue, email_buyer, settings, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({"faktura@kommune.example.no": (550, b"No such user")})

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    invoice = issue(MemberFactory(organisation=email_buyer))
    with django_capture_on_commit_callbacks(execute=True):  # the task fails (and says so in its result)
        services.document_deliver(document=invoice)
    dispatch = invoice.dispatches.get()
    assert dispatch.outcome == DispatchOutcome.FAILED and "SMTPRecipientsRefused" in dispatch.detail


def test_a_credit_note_goes_the_same_way_as_its_invoice(issue, coordinator, outbox):
    invoice = issue()
    credit_note = services.invoice_credit(invoice=invoice, actor=coordinator, reason="Avlyst", send=False)
    assert services.document_deliver(document=credit_note).outcome == DispatchOutcome.SENT
    assert (outbox / "kreditnota-K1.xml").exists()
    assert ehf.parse((outbox / "kreditnota-K1.xml").read_bytes()).tag.endswith("CreditNote")


def test_a_document_breaking_an_ehf_rule_is_not_sent(issue, outbox):
    invoice = issue()
    Invoice.objects.filter(pk=invoice.pk).update(buyer_reference="")  # as if the data were damaged
    dispatch = services.document_deliver(document=Invoice.objects.get(pk=invoice.pk))
    assert dispatch.outcome == DispatchOutcome.FAILED and "PEPPOL-EN16931-R003" in dispatch.detail
    assert not outbox.exists() or not list(outbox.iterdir())
    assert AuditEntry.objects.filter(action="polyfon.billing.document.send_failed").exists()


def test_a_failing_access_point_is_logged_and_can_be_retried(issue, settings):
    settings.BILLING_EHF_SENDER = "polyfon.billing.tests.test_sending.BrokenSender"
    invoice = issue()
    dispatch = services.document_deliver(document=invoice)
    assert dispatch.outcome == DispatchOutcome.FAILED and "unreachable" in dispatch.detail
    settings.BILLING_EHF_SENDER = "polyfon.billing.tests.test_sending.RecordingSender"
    assert services.document_deliver(document=invoice).outcome == DispatchOutcome.SENT
    assert RecordingSender.sent[-1][0] == "faktura-1.xml"
    assert list(invoice.dispatches.values_list("outcome", flat=True)) == [DispatchOutcome.SENT, DispatchOutcome.FAILED]


def test_an_email_invoice_without_address_fails_visibly(issue, email_buyer):
    invoice = issue(MemberFactory(organisation=email_buyer))
    Invoice.objects.filter(pk=invoice.pk).update(buyer_email="")
    dispatch = services.document_deliver(document=Invoice.objects.get(pk=invoice.pk))
    assert dispatch.outcome == DispatchOutcome.FAILED and mail.outbox == []


def test_sending_again_is_a_background_task(issue, coordinator, django_capture_on_commit_callbacks, outbox):
    invoice = issue()
    with django_capture_on_commit_callbacks(execute=True):
        services.document_send_again(document=invoice, actor=coordinator)
    dispatch = invoice.dispatches.get()
    assert dispatch.actor == coordinator and dispatch.outcome == DispatchOutcome.SENT


def test_the_delivery_task_reports_the_outcome(issue, outbox):
    invoice = issue()
    result = tasks.deliver_invoice.enqueue(invoice.pk)
    assert result.return_value == DispatchOutcome.SENT


# --- Reminders ---------------------------------------------------------------------------------------------------------

DUE = date(2026, 3, 31)


@pytest.fixture
def overdue(issue, email_buyer, travel_to):
    travel_to(DUE + timedelta(days=5))
    return issue(MemberFactory(organisation=email_buyer), amount="150000")


def test_an_overdue_invoice_is_reminded_with_a_new_deadline_and_no_fee(overdue, coordinator,
                                                                        django_capture_on_commit_callbacks):
    services.payment_register(invoice=overdue, amount=Decimal("50000"), paid_on=DUE, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.invoice_remind(invoice=overdue, actor=coordinator)
    assert reminder.new_due_date == date(2026, 4, 19) and reminder.outstanding == Decimal("100000")
    overdue.refresh_from_db()
    assert (overdue.status, overdue.reminder_count, overdue.reminder_due_date) == (InvoiceStatus.OVERDUE, 1,
                                                                                     date(2026, 4, 19))
    assert overdue.total_amount == Decimal("150000")  # no fee
    (message,) = mail.outbox
    assert message.to == ["faktura@kommune.example.no"] and "19.04.2026" in message.body
    assert message.attachments[0][1].startswith(b"%PDF-")
    assert Dispatch.objects.get(kind=DispatchKind.REMINDER).outcome == DispatchOutcome.EMAILED  # the worker sent it and said so


def test_only_an_overdue_invoice_is_reminded(issue, coordinator, travel_to):
    travel_to(date(2026, 3, 10))
    with pytest.raises(DomainError):
        services.invoice_remind(invoice=issue(), actor=coordinator)


def test_the_new_deadline_is_at_least_fourteen_days(overdue, coordinator):
    with pytest.raises(DomainError) as error:
        services.invoice_remind(invoice=overdue, actor=coordinator, new_due_date=date(2026, 4, 10))
    assert error.value.field == "new_due_date"


def test_reminders_go_at_most_as_often_as_set(overdue, coordinator, travel_to):
    services.billing_settings_update(actor=coordinator, reminder_interval_days=30)
    services.invoice_remind(invoice=overdue, actor=coordinator)  # deadline 19 April
    travel_to(date(2026, 4, 20))
    with pytest.raises(DomainError):
        services.invoice_remind(invoice=overdue, actor=coordinator)  # only 15 days since the last
    travel_to(date(2026, 5, 5))
    services.invoice_remind(invoice=overdue, actor=coordinator)
    assert Reminder.objects.count() == 2


def test_not_before_the_last_deadline_has_passed(overdue, coordinator, travel_to):
    services.invoice_remind(invoice=overdue, actor=coordinator, new_due_date=date(2026, 6, 1))
    travel_to(date(2026, 5, 20))
    with pytest.raises(DomainError):
        services.invoice_remind(invoice=overdue, actor=coordinator)


def test_an_ehf_buyer_is_reminded_through_the_invoice_contact(issue, coordinator, travel_to,
                                                            django_capture_on_commit_callbacks):
    member = MemberFactory()
    ParticipantContactFactory(participant=member, person=PersonFactory(email="okonomi@example.no", language="nn"),
                              role=ContactRole.INVOICE)
    invoice = issue(member)
    travel_to(DUE + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_remind(invoice=invoice, actor=coordinator)
    assert [m.to for m in mail.outbox] == [["okonomi@example.no"]]


def test_the_main_contact_when_there_is_no_invoice_contact(issue, coordinator, travel_to):
    member = MemberFactory()
    invoice = issue(member)
    travel_to(DUE + timedelta(days=1))
    main = member.contacts.get(role=ContactRole.MAIN).person
    assert services.reminder_recipients(invoice) == [(main.email, main.language)]


def test_the_daily_job_reminds_what_is_due_and_no_more(overdue, coordinator, issue, travel_to):
    unreachable = issue(MemberFactory(organisation=OrganisationFactory(receives_ehf=False, invoice_email="x@example.no")))
    Invoice.objects.filter(pk=unreachable.pk).update(buyer_email="", participant=None)
    services.billing_settings_update(actor=coordinator, max_reminders=2, reminder_interval_days=14)
    assert len(services.send_due_reminders()) == 1
    assert Dispatch.objects.filter(kind=DispatchKind.REMINDER, outcome=DispatchOutcome.FAILED).count() == 1
    assert services.send_due_reminders() == []  # not again the same day
    travel_to(date(2026, 4, 20))
    assert len(services.send_due_reminders()) == 1
    travel_to(date(2026, 5, 10))
    assert services.send_due_reminders() == []  # the most reminders are sent
    from polyfon.billing import selectors

    assert overdue in selectors.reminders_exhausted()


def test_the_daily_job_does_nothing_when_turned_off(overdue, coordinator):
    services.billing_settings_update(actor=coordinator, automatic_reminders=False)
    assert tasks.send_due_reminders.enqueue().return_value == 0
    assert not Reminder.objects.exists()


def test_no_mail_when_the_reminder_rolls_back(overdue, coordinator, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.invoice_remind(invoice=overdue, actor=coordinator)
            raise RuntimeError("rollback")
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_the_scheduled_jobs_are_declared():
    from polyfon.core.scheduler import scheduled_jobs

    jobs = scheduled_jobs()
    assert jobs["billing.mark_overdue_invoices"]["task"] == "polyfon.billing.tasks.mark_overdue_invoices"
    assert jobs["billing.send_due_reminders"]["task"] == "polyfon.billing.tasks.send_due_reminders"


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_emails_render_in_every_language(issue, coordinator, language):
    from polyfon.billing.models import Reminder
    from polyfon.core.email import render_email

    invoice = issue(amount="1000")
    credit_note = services.invoice_credit(invoice=invoice, actor=coordinator, reason="Avlyst", amount=Decimal("10"),
                                          send=False)
    reminder = Reminder(invoice=invoice, sent_on=date(2026, 4, 5), new_due_date=date(2026, 4, 19),
                        outstanding=Decimal("990"), recipient="x@example.no")
    for template, context in [("billing/email/invoice", {"document": invoice}),
                              ("billing/email/credit_note", {"document": credit_note}),
                              ("billing/email/reminder", {"invoice": invoice, "reminder": reminder})]:
        subject, body, html = render_email(template, context, language)
        assert invoice.display_number in subject
        assert "5205 12 34561" in body or credit_note.display_number in body
