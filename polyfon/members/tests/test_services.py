from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.members import selectors, services
from polyfon.members.models import (
    AdmissionRound,
    Agreement,
    ContactRole,
    FeeCategory,
    InvoiceSplit,
    LetterOfIntent,
    OrganisationKind,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    Person,
)
from polyfon.members.services import OrganisationEntry

from .factories import MemberFactory, OrganisationFactory, ParticipantFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_give_notice_sets_end_date_twelve_months_on(coordinator, django_capture_on_commit_callbacks):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_give_notice(participant=member, actor=coordinator, notice_date=date(2026, 6, 30))
    member.refresh_from_db()
    agreement = member.agreements.get()
    assert member.status == ParticipantStatus.NOTICE_GIVEN
    assert agreement.end_date == date(2027, 6, 30)
    assert member.member_until == date(2027, 6, 30)
    entry = AuditEntry.objects.get(action="polyfon.members.participant.give_notice")
    assert entry.actor == coordinator
    assert entry.payload["end_date"] == "2027-06-30"
    assert len(mail.outbox) == 1
    assert "2027" in mail.outbox[0].body


def test_notice_period_comes_from_the_agreement(coordinator):
    member = MemberFactory()
    Agreement.objects.filter(participant=member).update(notice_period_months=6)
    services.participant_give_notice(participant=member, actor=coordinator, notice_date=date(2026, 8, 31))
    assert member.agreements.get().end_date == date(2027, 2, 28)


def test_giving_notice_twice_is_refused(coordinator):
    member = MemberFactory()
    services.participant_give_notice(participant=member, actor=coordinator, notice_date=date(2026, 1, 1))
    with pytest.raises(DomainError):
        services.participant_give_notice(participant=member, actor=coordinator, notice_date=date(2026, 2, 1))


def test_former_participant_cannot_give_notice(coordinator):
    member = MemberFactory()
    services.participant_give_notice(participant=member, actor=coordinator, notice_date=date(2025, 1, 1))
    services.participant_end_membership(participant=member, actor=coordinator)
    with pytest.raises(DomainError):
        services.participant_give_notice(participant=member, actor=coordinator, notice_date=date(2026, 1, 1))


def test_no_mail_when_the_transaction_rolls_back(coordinator, django_capture_on_commit_callbacks):
    from django.db import transaction

    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.participant_give_notice(participant=member, actor=coordinator, notice_date=date(2026, 1, 1))
            raise RuntimeError("rollback")
    assert callbacks == []
    assert mail.outbox == []
    member.refresh_from_db()
    assert member.status == ParticipantStatus.MEMBER


def test_withdraw_notice_restores_membership(coordinator):
    member = MemberFactory()
    services.participant_give_notice(participant=member, actor=coordinator, notice_date=date(2026, 1, 1))
    services.participant_withdraw_notice(participant=member, actor=coordinator, note="Ombestemt seg")
    member.refresh_from_db()
    assert member.status == ParticipantStatus.MEMBER
    assert member.member_until is None
    assert member.agreements.get().end_date is None


def test_admit_creates_agreement_with_versioned_document(coordinator):
    prospect = ParticipantFactory()
    pdf = SimpleUploadedFile("avtale.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.participant_admit(
        participant=prospect, actor=coordinator, signed_on=date(2026, 11, 1), start_date=date(2027, 1, 1), document=pdf
    )
    prospect.refresh_from_db()
    assert prospect.status == ParticipantStatus.MEMBER
    assert prospect.member_since == date(2027, 1, 1)
    agreement = prospect.agreements.get()
    services.agreement_add_document(
        agreement=agreement, uploaded=SimpleUploadedFile("v2.pdf", b"%PDF-1.4 v2"), actor=coordinator
    )
    assert list(agreement.documents.values_list("version", flat=True)) == [2, 1]


def test_admit_needs_a_main_contact(coordinator):
    prospect = ParticipantFactory(main_contact=None)
    prospect.contacts.all().delete()
    with pytest.raises(DomainError, match="main contact|hovudkontakt|hovedkontakt"):
        services.participant_admit(participant=prospect, actor=coordinator, signed_on=date(2026, 1, 1), start_date=date(2026, 1, 1))


def test_an_organisation_already_in_a_member_cannot_be_admitted_again(coordinator):
    """A letter of intent may come from an organisation that is already a member (the coordinator
    is told); admitting it would invoice the organisation twice, so it is refused."""
    member = MemberFactory(name="Bergen kommune")
    prospect = ParticipantFactory(name="Bergen kommune, helseetaten", organisation=member.organisations.get())
    with pytest.raises(DomainError, match="Bergen kommune"):
        services.participant_admit(participant=prospect, actor=coordinator, signed_on=date(2026, 11, 1), start_date=date(2027, 1, 1))
    prospect.refresh_from_db()
    assert prospect.status == ParticipantStatus.PROSPECT and not prospect.agreements.exists()


def test_rejoining_cannot_overlap_the_previous_agreement(coordinator):
    member = MemberFactory()
    services.participant_give_notice(participant=member, actor=coordinator, notice_date=date(2025, 1, 1))
    services.participant_end_membership(participant=member, actor=coordinator)
    with pytest.raises(DomainError):
        services.participant_admit(participant=member, actor=coordinator, signed_on=date(2025, 6, 1), start_date=date(2025, 6, 1))
    services.participant_admit(participant=member, actor=coordinator, signed_on=date(2026, 3, 1), start_date=date(2026, 3, 1))
    assert member.agreements.count() == 2


def test_end_expired_memberships_is_the_daily_job(coordinator):
    ending = MemberFactory()
    staying = MemberFactory()
    services.participant_give_notice(participant=ending, actor=coordinator, notice_date=date(2025, 1, 10))
    services.participant_give_notice(participant=staying, actor=coordinator, notice_date=date(2025, 12, 1))
    ended = services.end_expired_memberships(today=date(2026, 1, 11))
    assert [p.pk for p in ended] == [ending.pk]
    assert Participant.objects.get(pk=ending.pk).status == ParticipantStatus.FORMER
    assert Participant.objects.get(pk=staying.pk).status == ParticipantStatus.NOTICE_GIVEN


def test_members_during_includes_the_notice_period(coordinator):
    member = MemberFactory()
    services.participant_give_notice(participant=member, actor=coordinator, notice_date=date(2025, 3, 1))
    services.participant_end_membership(participant=member, actor=coordinator)  # ends 2026-03-01
    assert member in selectors.members_in_year(2026)
    assert member not in selectors.members_in_year(2027)
    assert member not in selectors.members_in_year(2020)
    assert selectors.first_membership_years([member.pk]) == {member.pk: 2021}


def test_group_needs_two_organisations_and_one_lead(coordinator):
    a, b = OrganisationFactory(), OrganisationFactory()
    with pytest.raises(DomainError):
        services.participant_create(
            actor=coordinator, name="Gruppe", kind=ParticipantKind.GROUP, fee_category=FeeCategory.GROUP,
            organisations=[OrganisationEntry(a, is_lead=True)],
        )
    with pytest.raises(DomainError):
        services.participant_create(
            actor=coordinator, name="Gruppe", kind=ParticipantKind.GROUP, fee_category=FeeCategory.GROUP,
            organisations=[OrganisationEntry(a), OrganisationEntry(b)],
        )
    group = services.participant_create(
        actor=coordinator, name="Gruppe", kind=ParticipantKind.GROUP, fee_category=FeeCategory.GROUP,
        organisations=[OrganisationEntry(a, is_lead=True), OrganisationEntry(b)],
    )
    assert group.memberships.count() == 2


def test_invoice_shares_must_add_up_to_100(coordinator):
    a, b = OrganisationFactory(), OrganisationFactory()
    with pytest.raises(DomainError, match="100"):
        services.participant_create(
            actor=coordinator, name="Gruppe", kind=ParticipantKind.GROUP, fee_category=FeeCategory.GROUP,
            invoice_split=InvoiceSplit.SHARES,
            organisations=[OrganisationEntry(a, True, Decimal("60")), OrganisationEntry(b, False, Decimal("30"))],
        )
    group = services.participant_create(
        actor=coordinator, name="Gruppe", kind=ParticipantKind.GROUP, fee_category=FeeCategory.GROUP,
        invoice_split=InvoiceSplit.SHARES,
        organisations=[OrganisationEntry(a, True, Decimal("60")), OrganisationEntry(b, False, Decimal("40"))],
    )
    assert group.invoice_split == InvoiceSplit.SHARES


def test_an_organisation_is_in_one_member_participant_only(coordinator):
    member = MemberFactory()
    organisation = member.organisations.get()
    with pytest.raises(DomainError, match=member.name):
        services.participant_create(
            actor=coordinator, name="Dobbel", kind=ParticipantKind.SINGLE, fee_category=FeeCategory.ORDINARY,
            organisations=[OrganisationEntry(organisation, is_lead=True)],
        )


def test_single_holder_role_is_replaced(coordinator):
    member = MemberFactory()
    first, second = PersonFactory(), PersonFactory()
    services.participant_add_contact(participant=member, person=first, role=ContactRole.STEERING_REP, actor=coordinator)
    services.participant_add_contact(participant=member, person=second, role=ContactRole.STEERING_REP, actor=coordinator)
    assert list(member.contacts.filter(role=ContactRole.STEERING_REP).values_list("person", flat=True)) == [second.pk]


def test_member_keeps_a_main_contact(coordinator):
    member = MemberFactory()
    with pytest.raises(DomainError):
        services.participant_remove_contact(contact=member.contacts.get(role=ContactRole.MAIN), actor=coordinator)


def test_person_email_is_unique_case_insensitively(coordinator):
    PersonFactory(email="ola@example.no")
    with pytest.raises(DomainError) as error:
        services.person_create(actor=coordinator, name="Ola", email="OLA@example.no")
    assert error.value.field == "email"


def test_organisation_change_is_audited_with_old_and_new(coordinator):
    organisation = OrganisationFactory(buyer_reference="A")
    services.organisation_update(organisation=organisation, actor=coordinator, buyer_reference="B", name=organisation.name)
    entry = AuditEntry.objects.get(action="polyfon.members.organisation.changed")
    assert entry.payload["changes"] == {"buyer_reference": ["A", "B"]}
    # Saving the same values again logs nothing.
    services.organisation_update(organisation=organisation, actor=coordinator, buyer_reference="B")
    assert AuditEntry.objects.filter(action="polyfon.members.organisation.changed").count() == 1


def test_contact_cannot_change_name_or_number(contact_user, member):
    organisation = member.organisations.get()
    services.organisation_update_by_contact(
        organisation=organisation, actor=contact_user, name="Nytt namn", org_number="000000000", invoice_email="f@example.no"
    )
    organisation.refresh_from_db()
    assert organisation.name != "Nytt namn"
    assert organisation.invoice_email == "f@example.no"


def _letter(**overrides):
    values = dict(
        organisation_name="Askøy kommune",
        org_number="964338442",
        organisation_kind=OrganisationKind.MUNICIPALITY,
        participation_kind=ParticipantKind.SINGLE,
        intended_fee_category=FeeCategory.ORDINARY,
        contact_name="Kari Nordmann",
        contact_email="kari@askoy.example.no",
        message="Vi vil bli med.",
        language="nn",
    )
    values.update(overrides)
    return services.letter_of_intent_submit(**values)


def test_letter_of_intent_creates_prospect_and_mails(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = _letter()
    participant = letter.participant
    assert participant.status == ParticipantStatus.LETTER_OF_INTENT
    assert participant.contacts.get(role=ContactRole.MAIN).person.email == "kari@askoy.example.no"
    assert Person.objects.get(email="kari@askoy.example.no").language == "nn"
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["kari@askoy.example.no", coordinator.email, "polyfon@uib.no"])


def test_letter_after_the_deadline_is_accepted_and_marked_late(coordinator, travel_to):
    AdmissionRound.objects.create(name="Runde", opens_on=date(2026, 9, 1), letter_deadline=date(2026, 11, 20))
    travel_to(date(2026, 11, 21))
    assert _letter().is_late is True
    travel_to(date(2026, 11, 20))
    assert _letter(org_number="964338531", contact_email="b@example.no").is_late is False


def test_letter_for_a_group_keeps_all_organisations(coordinator):
    letter = _letter(
        participation_kind=ParticipantKind.GROUP,
        group_name="Vest-gruppa",
        other_organisations=[{"name": "Fjell kommune", "org_number": "964338531"}],
        intended_fee_category=FeeCategory.GROUP,
    )
    assert letter.participant.name == "Vest-gruppa"
    assert letter.participant.memberships.count() == 2
    assert LetterOfIntent.objects.count() == 1
