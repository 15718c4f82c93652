"""The register's main flows in a real browser, with an axe-core scan of every page visited."""

import re

import pytest

from polyfon.members.models import ContactRole, Organisation, Participant, ParticipantStatus
from polyfon.members.tests.factories import PASSWORD, MemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_sends_a_letter_of_intent(page, axe):
    page.goto("/")
    axe(page, context="front page")
    page.get_by_role("link", name="Bli med").first.click()
    axe(page, context="join page")
    page.get_by_label("Organisasjon", exact=True).fill("Askøy kommune")
    page.get_by_label("Organisasjonsnummer").fill("964 338 441")  # wrong check digit
    page.get_by_label("Organisasjonstype").select_option("municipality")
    page.get_by_label("Kontaktperson", exact=True).fill("Kari Nordmann")
    page.get_by_label("E-postadresse").fill("kari@example.no")
    page.get_by_role("button", name="Send intensjonserklæring").click()
    # The error is shown at the field, the summary takes focus, and nothing typed is lost.
    assert page.locator("#id_org_number_error").is_visible()
    assert page.get_by_label("Kontaktperson", exact=True).input_value() == "Kari Nordmann"
    axe(page, context="join page with errors")
    page.get_by_label("Organisasjonsnummer").fill("964 338 442")
    page.get_by_role("button", name="Send intensjonserklæring").click()
    page.wait_for_url("**/bli-med/takk/")
    axe(page, context="thank-you page")
    participant = Participant.objects.get(name="Askøy kommune")
    assert participant.status == ParticipantStatus.LETTER_OF_INTENT


def test_coordinator_finds_the_prospect_and_registers_the_agreement(page, axe, live_server):
    from polyfon.members import services

    coordinator = UserFactory(email="koord@example.no", full_name="Kari Koordinator", is_coordinator=True)
    letter = services.letter_of_intent_submit(
        organisation_name="Øygarden kommune", org_number="964338531", organisation_kind="municipality",
        participation_kind="single", intended_fee_category="ordinary", contact_name="Ola", contact_email="ola@example.no",
    )
    page.goto("/konto/login/")
    axe(page, context="login page")
    page.get_by_label("E-post").fill(coordinator.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/kontor/")
    axe(page, context="office dashboard")
    page.get_by_role("navigation", name="Meny for kontoret").get_by_role("link", name="Deltakere").click()
    page.get_by_label("Søk").fill("Øygarden")
    page.get_by_role("button", name="Vis").click()
    axe(page, context="participant list")
    page.get_by_role("link", name="Øygarden kommune").click()
    axe(page, context="participant page")
    page.get_by_role("link", name="Registrer konsortiumsavtale").click()
    axe(page, context="admit form")
    page.get_by_label("Avtalen signert").fill("2026-12-01")
    page.get_by_label("Medlemskapet starter").fill("2027-01-01")
    page.get_by_label("Signert avtale (PDF)").set_input_files(
        files=[{"name": "avtale.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% test\n"}]
    )
    page.get_by_role("button", name="Registrer konsortiumsavtale").click()
    page.wait_for_url(re.compile(r".*/kontor/deltakere/\d+/$"))
    assert page.get_by_text("Konsortiumsavtale registrert: medlem").first.is_visible()
    axe(page, context="participant page after admission")
    participant = letter.participant
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.MEMBER
    assert participant.agreements.get().documents.count() == 1


def test_contact_person_edits_their_organisation(page, axe):
    member = MemberFactory(name="Bergen kommune")
    user = UserFactory(email="kontakt@example.no", full_name="Kristin Kontakt")
    from polyfon.members.tests.factories import ParticipantContactFactory, PersonFactory

    person = PersonFactory(email=user.email, name=user.full_name, user=user)
    ParticipantContactFactory(participant=member, person=person, role=ContactRole.CONTACT)
    page.goto("/konto/login/")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/min-side/")
    axe(page, context="my pages")
    page.get_by_role("link", name="Bergen kommune").click()
    axe(page, context="my participant")
    page.get_by_role("link", name=re.compile("Endre opplysninger")).first.click()
    axe(page, context="edit organisation")
    page.get_by_label("Bestillerreferanse").fill("MUSIKK-42")
    page.get_by_label("E-post for faktura").fill("faktura@bergen.example.no")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r".*/min-side/deltaker/\d+/$"))
    axe(page, context="my participant after saving")
    organisation = Organisation.objects.get(pk=member.organisations.get().pk)
    assert organisation.buyer_reference == "MUSIKK-42"
    assert organisation.invoice_email == "faktura@bergen.example.no"
