"""The annual invoice run: who is invoiced, at what rate, to whom, what it cannot invoice and
why; executing it once, however often it is run."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from polyfon.billing import money, selectors, services
from polyfon.billing.models import DeliveryChannel, Invoice, InvoiceKind, InvoiceRun, NumberSeries
from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.members import services as member_services
from polyfon.members.models import (
    Agreement,
    ContactRole,
    FeeCategory,
    InvoiceSplit,
    ParticipantKind,
    ParticipantOrganisation,
    ParticipantStatus,
)
from polyfon.members.tests.factories import (
    MemberFactory,
    OrganisationFactory,
    ParticipantContactFactory,
    ParticipantFactory,
    PersonFactory,
)

from .factories import FeeScheduleFactory, standard_vat

pytestmark = pytest.mark.django_db
ISSUE = date(2026, 1, 20)


def plan(year=2026):
    return selectors.invoice_run_plan(year=year, issue_date=ISSUE)


def group(*, shares=None, name="Nordhordland-samarbeidet", since=date(2021, 1, 1), organisations=None):
    """A member sub-group of three municipalities; invoiced to the lead, or by `shares`."""
    organisations = organisations or [OrganisationFactory(name=f"{name} {i}") for i in range(3)]
    participant = ParticipantFactory(
        name=name, kind=ParticipantKind.GROUP, fee_category=FeeCategory.GROUP, status=ParticipantStatus.MEMBER,
        invoice_split=InvoiceSplit.SHARES if shares else InvoiceSplit.LEAD, organisation=organisations[0],
    )
    ParticipantOrganisation.objects.filter(participant=participant).update(invoice_share=shares[0] if shares else None)
    for index, organisation in enumerate(organisations[1:], start=1):
        ParticipantOrganisation.objects.create(
            participant=participant, organisation=organisation, invoice_share=shares[index] if shares else None
        )
    Agreement.objects.create(participant=participant, signed_on=since, start_date=since)
    return participant


# --- Who is invoiced, at what rate -----------------------------------------------------------------------------


def test_a_member_is_invoiced_the_rate_of_its_fee_category(schedule):
    ordinary = MemberFactory()
    large = MemberFactory(fee_category=FeeCategory.LARGE)
    amounts = {p.participant: p.net_amount for p in plan().invoices}
    assert amounts == {ordinary: Decimal("150000"), large: Decimal("280000")}


def test_the_first_membership_year_is_at_the_discounted_rate(schedule):
    new = MemberFactory(member_since=date(2026, 3, 1), fee_category=FeeCategory.LARGE)
    (item,) = plan().invoices
    assert item.participant == new and item.first_year
    assert item.net_amount == Decimal("140000.00")
    assert "50 %" in item.description


def test_a_participant_under_notice_is_still_invoiced(schedule, coordinator):
    member = MemberFactory()
    member_services.participant_give_notice(participant=member, actor=coordinator, notice_date=date(2025, 9, 1))
    assert [p.participant for p in plan().invoices] == [member]


def test_only_members_at_some_time_in_the_year(schedule, coordinator):
    ended = MemberFactory(member_since=date(2021, 1, 1))
    member_services.participant_give_notice(participant=ended, actor=coordinator, notice_date=date(2024, 6, 30))
    member_services.participant_end_membership(participant=ended, actor=coordinator)  # ended 30.06.2025
    MemberFactory(member_since=date(2027, 1, 1))  # starts next year
    ParticipantFactory()  # a prospect
    left_this_year = MemberFactory()
    member_services.participant_give_notice(participant=left_this_year, actor=coordinator, notice_date=date(2025, 3, 31))
    assert [p.participant for p in plan().invoices] == [left_this_year]


def test_the_schedule_in_force_sets_the_rates():
    FeeScheduleFactory(year=2019, first_year_discount=Decimal("0"),
                       rates={FeeCategory.ORDINARY: Decimal("150000"), FeeCategory.LARGE: Decimal("200000"),
                              FeeCategory.GROUP: Decimal("200000")})
    FeeScheduleFactory(year=2021)
    MemberFactory(member_since=date(2019, 1, 1), fee_category=FeeCategory.LARGE)
    assert plan(2020).invoices[0].net_amount == Decimal("200000")
    assert plan(2022).invoices[0].net_amount == Decimal("280000")


def test_vat_is_added_at_the_schedule_rate():
    standard_vat()
    MemberFactory()
    (item,) = plan().invoices
    assert (item.net_amount, item.vat_amount, item.total_amount) == (Decimal("150000"), Decimal("37500.00"),
                                                                       Decimal("187500.00"))


# --- Sub-groups -------------------------------------------------------------------------------------------------------


def test_a_sub_group_is_invoiced_to_its_lead(schedule):
    participant = group()
    (item,) = plan().invoices
    assert item.organisation == participant.memberships.get(is_lead=True).organisation
    assert item.net_amount == Decimal("280000")
    assert participant.name in item.description


def test_a_sub_group_split_by_shares_gets_one_invoice_each_that_add_up(schedule):
    participant = group(shares=[Decimal("33.33"), Decimal("33.33"), Decimal("33.34")], since=date(2026, 1, 1))
    items = plan().invoices
    assert len(items) == 3
    assert {i.organisation for i in items} == set(participant.organisations.all())
    assert sum(i.net_amount for i in items) == Decimal("140000.00")  # first year: half of 280 000
    assert sorted(i.net_amount for i in items) == [Decimal("46662.00"), Decimal("46662.00"), Decimal("46676.00")]


def test_shares_that_do_not_add_up_are_not_invoiced(schedule):
    participant = group(shares=[Decimal("50"), Decimal("30"), Decimal("10")])
    result = plan()
    assert result.invoices == []
    assert [(p.participant, p.code) for p in result.problems] == [(participant, "bad_shares")]


def test_a_sub_group_is_invoiced_whole_or_not_at_all(schedule):
    organisations = [OrganisationFactory(), OrganisationFactory(postal_address="", postal_code="", postal_place=""),
                     OrganisationFactory()]
    group(shares=[Decimal("50"), Decimal("25"), Decimal("25")], organisations=organisations)
    result = plan()
    assert result.invoices == []
    assert [(p.code, p.organisation) for p in result.problems] == [("no_address", organisations[1])]


# --- What the run cannot invoice ---------------------------------------------------------------------------------------


def test_missing_address_is_listed_with_the_reason(schedule):
    member = MemberFactory(organisation=OrganisationFactory(postal_address="", postal_code="", postal_place=""))
    (problem,) = plan().problems
    assert problem.participant == member and problem.code == "no_address"


def test_ehf_receiver_without_buyer_reference_is_listed(schedule):
    MemberFactory(organisation=OrganisationFactory(receives_ehf=True, buyer_reference=""))
    (problem,) = plan().problems
    assert problem.code == "no_buyer_reference"
    assert "bestillerreferanse" in str(problem.reason)  # shown to the coordinator in bokmål


def test_email_receiver_without_address_is_listed_unless_it_has_an_invoice_contact(schedule, email_buyer):
    email_buyer.invoice_email = ""
    email_buyer.save()
    member = MemberFactory(organisation=email_buyer)
    assert plan().problems[0].code == "no_email"
    ParticipantContactFactory(participant=member, person=PersonFactory(email="okonomi@kommune.example.no"),
                              role=ContactRole.INVOICE)
    (item,) = plan().invoices
    assert (item.channel, item.email) == (DeliveryChannel.EMAIL, "okonomi@kommune.example.no")


def test_an_email_buyer_without_a_reference_gets_the_invoice_contact_as_reference(schedule, email_buyer):
    member = MemberFactory(organisation=email_buyer)
    main = member.contacts.get(role=ContactRole.MAIN).person
    assert plan().invoices[0].buyer_reference == main.name  # "Deres ref.": the main contact
    ParticipantContactFactory(participant=member, person=PersonFactory(name="Ola Økonomi"), role=ContactRole.INVOICE)
    assert plan().invoices[0].buyer_reference == "Ola Økonomi"
    email_buyer.buyer_reference = "KOSTNAD-77"
    email_buyer.save()
    assert plan().invoices[0].buyer_reference == "KOSTNAD-77"


def test_the_supplier_does_not_invoice_itself(schedule):
    MemberFactory(organisation=OrganisationFactory(org_number=schedule.supplier_org_number))
    result = plan()
    assert result.invoices == [] and result.problems[0].code == "supplier_itself"


def test_a_missing_rate_is_listed(coordinator):
    FeeScheduleFactory(rates={FeeCategory.ORDINARY: Decimal("150000")})
    MemberFactory(fee_category=FeeCategory.LARGE)
    assert plan().problems[0].code == "no_rate"


def test_without_a_schedule_nothing_can_run(coordinator):
    MemberFactory()
    assert plan().schedule is None and plan().invoices == []
    with pytest.raises(DomainError):
        services.invoice_run_execute(year=2026, actor=coordinator, issue_date=ISSUE)


# --- Execution -------------------------------------------------------------------------------------------------------


def test_execution_issues_what_the_preview_showed(schedule, coordinator):
    first, second = MemberFactory(), MemberFactory(member_since=date(2026, 1, 1))
    preview = plan()
    run = services.invoice_run_execute(year=2026, actor=coordinator, issue_date=ISSUE, fingerprint=preview.fingerprint,
                                       send=False)
    invoices = list(run.invoices.order_by("number"))
    assert [(i.participant, i.net_amount) for i in invoices] == [(p.participant, p.net_amount) for p in preview.invoices]
    assert run.invoice_count == 2 and run.total_amount == Decimal("225000.00")
    invoice = invoices[0]
    assert invoice.kind == InvoiceKind.ANNUAL_FEE and invoice.year == 2026 and invoice.run == run
    assert invoice.issue_date == ISSUE and invoice.due_date == date(2026, 2, 19)
    assert invoice.buyer_reference == "REF-1" and invoice.channel == DeliveryChannel.EHF
    assert invoice.supplier_bank_account == schedule.supplier_bank_account
    assert invoice.lines.get().period_start == date(2026, 1, 1)
    assert {first, second} == {i.participant for i in invoices}


def test_run_numbers_are_consecutive_with_valid_kids(schedule, coordinator):
    MemberFactory.create_batch(4)
    run = services.invoice_run_execute(year=2026, actor=coordinator, issue_date=ISSUE, send=False)
    numbers = list(run.invoices.order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]
    assert all(money.is_valid_kid(kid) for kid in run.invoices.values_list("kid", flat=True))
    assert NumberSeries.objects.get(key=NumberSeries.INVOICE).next_number == 5


def test_running_the_year_again_issues_nothing_twice(schedule, coordinator):
    MemberFactory()
    services.invoice_run_execute(year=2026, actor=coordinator, issue_date=ISSUE, send=False)
    with pytest.raises(DomainError):
        services.invoice_run_execute(year=2026, actor=coordinator, issue_date=ISSUE, send=False)
    assert Invoice.objects.count() == 1
    assert [p.code for p in plan().already_invoiced] == ["already_invoiced"]
    late = MemberFactory(member_since=date(2026, 9, 1))  # admitted in the autumn
    run = services.invoice_run_execute(year=2026, actor=coordinator, issue_date=date(2026, 9, 15), send=False)
    assert [i.participant for i in run.invoices.all()] == [late]
    assert Invoice.objects.count() == 2


def test_a_sub_group_whose_invoicing_changed_after_the_run_is_not_charged_again(schedule, coordinator):
    participant = group()
    services.invoice_run_execute(year=2026, actor=coordinator, issue_date=ISSUE, send=False)
    assert Invoice.objects.count() == 1  # 280 000 kr to the lead
    ParticipantOrganisation.objects.filter(participant=participant).update(invoice_share=Decimal("25"))
    ParticipantOrganisation.objects.filter(participant=participant, is_lead=True).update(invoice_share=Decimal("50"))
    type(participant).objects.filter(pk=participant.pk).update(invoice_split=InvoiceSplit.SHARES)
    again = plan()
    assert again.invoices == []
    assert sorted(p.code for p in again.already_invoiced) == ["already_invoiced", "invoicing_changed", "invoicing_changed"]
    with pytest.raises(DomainError):
        services.invoice_run_execute(year=2026, actor=coordinator, issue_date=ISSUE, send=False)
    assert Invoice.objects.count() == 1


def test_a_changed_register_since_the_preview_is_refused(schedule, coordinator):
    MemberFactory()
    fingerprint = plan().fingerprint
    MemberFactory()
    with pytest.raises(DomainError):
        services.invoice_run_execute(year=2026, actor=coordinator, issue_date=ISSUE, fingerprint=fingerprint)
    assert not Invoice.objects.exists() and not InvoiceRun.objects.exists()


def test_the_database_refuses_a_second_annual_fee_invoice(schedule, coordinator):
    MemberFactory()
    run = services.invoice_run_execute(year=2026, actor=coordinator, issue_date=ISSUE, send=False)
    invoice = run.invoices.get()
    invoice.pk, invoice.number, invoice.kid = None, 99, money.kid_for(99)
    invoice._state.adding = True
    with pytest.raises(IntegrityError), transaction.atomic():
        invoice.save()


def test_the_run_is_audited_with_what_it_did_not_invoice(schedule, coordinator):
    MemberFactory()
    MemberFactory(organisation=OrganisationFactory(receives_ehf=True, buyer_reference=""))
    run = services.invoice_run_execute(year=2026, actor=coordinator, issue_date=ISSUE, send=False)
    assert run.problems[0]["code"] == "no_buyer_reference"
    entry = AuditEntry.objects.get(action="polyfon.billing.invoice_run.executed")
    assert entry.payload["invoices"] == 1 and entry.payload["not_invoiced"] == 1 and entry.actor == coordinator
    assert AuditEntry.objects.filter(action="polyfon.billing.invoice.issued").count() == 1


def test_sending_happens_after_commit_only(schedule, coordinator, django_capture_on_commit_callbacks, outbox):
    MemberFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invoice_run_execute(year=2026, actor=coordinator, issue_date=ISSUE)
    assert len(callbacks) == 1 and not outbox.exists()
    callbacks[0]()
    assert [p.name for p in outbox.iterdir()] == ["faktura-1.xml"]


def test_nothing_is_issued_when_the_transaction_rolls_back(schedule, coordinator, django_capture_on_commit_callbacks):
    MemberFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.invoice_run_execute(year=2026, actor=coordinator, issue_date=ISSUE)
            raise RuntimeError("rollback")
    assert callbacks == [] and not Invoice.objects.exists()
    assert NumberSeries.objects.get(key=NumberSeries.INVOICE).next_number == 1
