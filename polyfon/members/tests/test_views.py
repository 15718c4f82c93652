from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polyfon.members.models import ContactRole, Organisation, Participant, ParticipantStatus

from .factories import MemberFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

JOIN = {
    "organisation_name": "Askøy kommune",
    "org_number": "964 338 442",
    "organisation_kind": "municipality",
    "participation_kind": "single",
    "intended_fee_category": "ordinary",
    "contact_name": "Kari Nordmann",
    "contact_email": "kari@example.no",
    "contact_phone": "971 69 746",
    "message": "Vi vil bli med!",
}


def test_join_page_sends_letter_of_intent(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:join"), JOIN)
    assert response.status_code == 302
    participant = Participant.objects.get(name="Askøy kommune")
    assert participant.status == ParticipantStatus.LETTER_OF_INTENT
    person = participant.contacts.get(role=ContactRole.MAIN).person
    assert person.phone == "+4797169746"
    assert any(m.to == ["kari@example.no"] for m in mail.outbox)


def test_join_page_explains_participation_from_data(client):
    from polyfon.billing.tests.factories import FeeScheduleFactory
    from polyfon.content.models import WorkArea

    schedule = FeeScheduleFactory()
    html = client.get(reverse("members:join")).content.decode()
    assert "50\xa0% av avgiftsinntektene" in html and "150\xa0000" in html
    assert all(area.display_name in html for area in WorkArea.objects.filter(is_active=True))
    type(schedule).objects.filter(pk=schedule.pk).update(return_share=Decimal("60"))  # the steering group's new target
    assert "60\xa0% av avgiftsinntektene" in client.get(reverse("members:join")).content.decode()


def test_invalid_org_number_is_explained_at_the_field_and_nothing_is_lost(client):
    response = client.post(reverse("members:join"), {**JOIN, "org_number": "964338441"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_org_number_error"' in html
    assert "kontrollsifferet" in html  # bokmål message
    assert 'value="Kari Nordmann"' in html and "Vi vil bli med!" in html
    assert not Participant.objects.exists()


def test_group_letter_reports_each_bad_line(client):
    response = client.post(
        reverse("members:join"),
        {**JOIN, "participation_kind": "group", "group_name": "G", "other_organisations": "Fjell, 964338531\nFeil, 123"},
    )
    assert response.status_code == 200
    assert "Linje 2" in response.content.decode()


def test_honeypot_answers_but_keeps_nothing(client):
    response = client.post(reverse("members:join"), {**JOIN, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Participant.objects.exists()
    assert mail.outbox == []


def test_join_is_rate_limited_per_address(client):
    for n in range(10):
        client.post(reverse("members:join"), {**JOIN, "org_number": "964338531", "contact_email": f"k{n}@example.no"})
    response = client.post(reverse("members:join"), JOIN)
    assert response.status_code == 200
    assert "For mange" in response.content.decode()


def test_coordinator_moves_prospect_to_member_through_the_page(client, coordinator, django_capture_on_commit_callbacks):
    client.post(reverse("members:join"), JOIN)
    participant = Participant.objects.get()
    client.force_login(coordinator)
    page = client.get(participant.get_absolute_url()).content.decode()
    admit_url = reverse("members:participant_move", args=[participant.pk, "admit"])
    assert admit_url in page
    # The form opens unbound, with today's dates and the usual 12 months filled in.
    form_page = client.get(admit_url).content.decode()
    assert 'aria-invalid="true"' not in form_page
    assert 'name="notice_period_months" value="12"' in form_page
    response = client.post(
        admit_url, {"signed_on": "2026-12-01", "start_date": "2027-01-01", "notice_period_months": "12", "note": ""}
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.MEMBER
    page = client.get(participant.get_absolute_url()).content.decode()
    assert "Konsortiumsavtale registrert" in page  # the timeline
    # A move the life cycle does not allow from here is not offered and not reachable.
    assert reverse("members:participant_move", args=[participant.pk, "admit"]) not in page
    assert client.get(reverse("members:participant_move", args=[participant.pk, "admit"])).status_code == 404


def test_domain_error_is_shown_on_the_move_form(client, coordinator):
    member = MemberFactory(member_since=date(2026, 1, 1))
    client.force_login(coordinator)
    response = client.post(
        reverse("members:participant_move", args=[member.pk, "give_notice"]), {"notice_date": "2025-01-01"}
    )
    assert response.status_code == 200
    assert "ikke være før medlemskapet" in response.content.decode()


def test_non_pdf_agreement_is_refused(client, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    member = MemberFactory()
    client.force_login(coordinator)
    fake = SimpleUploadedFile("avtale.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("members:agreement_document_upload", args=[member.agreements.get().pk]), {"file": fake})
    assert response.status_code == 200
    assert "Bare PDF" in response.content.decode()
    assert not member.agreements.get().documents.exists()


def test_contact_edits_their_organisation(client, contact_user, member):
    client.force_login(contact_user)
    organisation = member.organisations.get()
    url = reverse("members:mine_organisation_edit", args=[member.pk, organisation.pk])
    response = client.post(url, {"postal_address": "Ny vei 1", "postal_code": "5003", "postal_place": "Bergen",
                                 "invoice_email": "faktura@example.no", "buyer_reference": "ABC", "receives_ehf": "on"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.postal_address, organisation.buyer_reference) == ("Ny vei 1", "ABC")


def test_contact_cannot_edit_another_participants_organisation(client, contact_user, member):
    other = MemberFactory()
    client.force_login(contact_user)
    url = reverse("members:mine_organisation_edit", args=[member.pk, other.organisations.get().pk])
    assert client.get(url).status_code == 404


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("url_name", ["members:participant_list", "members:organisation_list", "members:person_list"])
def test_list_pages_use_a_constant_number_of_queries(client, coordinator, url_name):
    client.force_login(coordinator)
    url = reverse(url_name)
    MemberFactory.create_batch(3)
    few = _list_queries(client, url)
    MemberFactory.create_batch(30)
    assert _list_queries(client, url) == few


def test_participant_list_filters_and_exports(client, coordinator):
    vestland = MemberFactory(name="Vestlandsk deltaker")
    oslo_org = OrganisationFactory(municipality_id=None, county=None)
    from polyfon.members.models import County, Municipality

    oslo_org.municipality = Municipality.objects.get(number="0301")
    oslo_org.county = County.objects.get(number="03")
    oslo_org.save()
    MemberFactory(name="Osloisk deltaker", organisation=oslo_org)
    client.force_login(coordinator)
    county = County.objects.get(number="46").pk
    html = client.get(reverse("members:participant_list"), {"county": county}).content.decode()
    assert vestland.name in html and "Osloisk" not in html
    csv = client.get(reverse("members:participant_list"), {"county": county, "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert "Vestlandsk deltaker" in body and "Osloisk" not in body
    xlsx = client.get(reverse("members:participant_list"), {"format": "xlsx"})
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(xlsx.content)).active.values)
    assert len(rows) == 3  # header + two participants
    assert Organisation.objects.count() >= 2


def test_participant_list_filters_sorts_and_pages(client, coordinator):
    from polyfon.content.models import WorkArea
    from polyfon.members.models import FeeCategory, ParticipantKind, ParticipantStatus

    area = WorkArea.objects.order_by("position").first()
    large = MemberFactory(name="Aa Stor deltaker", fee_category=FeeCategory.LARGE)
    large.work_areas.add(area)
    MemberFactory(name="Bb Vanlig deltaker")
    ParticipantFactory(name="Cc Interessent")
    client.force_login(coordinator)
    url = reverse("members:participant_list")

    def names(**params):
        html = client.get(url, params).content.decode()
        return [n for n in ("Aa Stor", "Bb Vanlig", "Cc Interessent") if n in html]

    assert names(status=ParticipantStatus.PROSPECT) == ["Cc Interessent"]
    assert names(fee_category=FeeCategory.LARGE) == ["Aa Stor"]
    assert names(work_area=area.pk) == ["Aa Stor"]
    assert names(kind=ParticipantKind.GROUP) == []
    assert names(q="vanlig") == ["Bb Vanlig"]
    html = client.get(url, {"sort": "-name"}).content.decode()
    assert html.index("Cc Interessent") < html.index("Bb Vanlig") < html.index("Aa Stor")
    for n in range(30):
        MemberFactory(name=f"Dd Deltaker {n:02d}")
    first = client.get(url, {"sort": "name", "per_page": 25}).content.decode()
    second = client.get(url, {"sort": "name", "per_page": 25, "page": 2}).content.decode()
    assert "Aa Stor" in first and "Aa Stor" not in second and "Dd Deltaker 29" in second


def test_public_participant_list_shows_members_only(client):
    from polyfon.members.models import ParticipantStatus

    MemberFactory(name="Bergen kommune")
    MemberFactory(name="Stord kommune", status=ParticipantStatus.NOTICE_GIVEN)
    ParticipantFactory(name="Interessert kommune")
    former = MemberFactory(name="Tidligere kommune")
    type(former).objects.filter(pk=former.pk).update(status=ParticipantStatus.FORMER)
    html = client.get(reverse("members:public_participants")).content.decode()
    assert "Bergen kommune" in html and "Stord kommune" in html
    assert "Interessert kommune" not in html and "Tidligere kommune" not in html


def test_an_agreement_over_the_size_limit_is_refused(client, coordinator, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_DOCUMENT_UPLOAD_BYTES = 1024
    member = MemberFactory()
    client.force_login(coordinator)
    big = SimpleUploadedFile("avtale.pdf", b"%PDF-1.4\n" + b"0" * 2048, content_type="application/pdf")
    response = client.post(reverse("members:agreement_document_upload", args=[member.agreements.get().pk]), {"file": big})
    assert response.status_code == 200 and "for stor" in response.content.decode()
    assert not member.agreements.get().documents.exists()


def test_coordinators_see_what_changed_in_the_audit_log(client, coordinator):
    from polyfon.members import services

    member = MemberFactory(name="Bergen kommune")
    organisation = member.organisations.get()
    services.organisation_update(organisation=organisation, actor=coordinator, invoice_email="faktura@bergen.kommune.no")
    client.force_login(coordinator)
    html = client.get(reverse("members:audit_log")).content.decode()
    assert "faktura@bergen.kommune.no" in html and "Kari Koordinator" in html


def test_contact_with_two_roles_can_be_edited(client, contact_user, member):
    """A person who is both main contact and representative appears once on the edit page."""
    from polyfon.members import services

    person = member.contacts.get(role=ContactRole.MAIN).person
    services.participant_add_contact(participant=member, person=person, role=ContactRole.STEERING_REP, actor=None)
    client.force_login(contact_user)
    url = reverse("members:mine_contact_edit", args=[member.pk, person.pk])
    assert client.get(url).status_code == 200
