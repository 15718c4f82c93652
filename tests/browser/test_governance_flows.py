"""Governance's main flows in a real browser, with an axe-core scan of every page visited.

The pages are shown in English (the language cookie is set before the first visit), so the
labels the tests use stay stable while the Norwegian catalogues are being filled in.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from polyfon.governance import services
from polyfon.governance.models import (
    Ballot,
    ElectionStatus,
    Meeting,
    MeetingStatus,
    ProposalStatus,
    RepresentationProposal,
    SeatRole,
)
from polyfon.governance.tests.factories import SteeringGroupFactory, held_meeting, meeting_with_items
from polyfon.members.models import ContactRole, ParticipantContact
from polyfon.members.tests.factories import (
    PASSWORD,
    MemberFactory,
    ParticipantContactFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def english(page, live_server):
    page.context.add_cookies([{"name": "polyfon_language", "value": "en", "url": live_server.url}])


def log_in(page, axe, email):
    page.goto("/konto/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


def log_out(page):
    page.context.clear_cookies()


def test_contact_proposes_a_representative_and_the_coordinator_approves(page, axe, live_server):
    english(page, live_server)
    steering = SteeringGroupFactory()
    member = MemberFactory(name="Bergen kommune")
    contact = UserFactory(email="kontakt@example.no", full_name="Kristin Kontakt")
    person = PersonFactory(email=contact.email, name=contact.full_name, user=contact)
    ParticipantContactFactory(participant=member, person=person, role=ContactRole.CONTACT)
    coordinator = UserFactory(email="koord@example.no", full_name="Kari Koordinator", is_coordinator=True)

    log_in(page, axe, contact.email)
    page.goto("/min-side/styring/")
    axe(page, context="my governance page")
    page.get_by_role("link", name=re.compile("Propose new")).first.click()
    axe(page, context="proposal form")
    page.get_by_label("Or a new representative: name").fill("Rita Representant")
    page.get_by_label("New representative's e-mail address").fill("rita@example.no")
    page.get_by_role("button", name="Send the proposal").click()
    page.wait_for_url("**/min-side/styring/")
    axe(page, context="my governance page with a pending proposal")
    assert page.get_by_text("waiting for the coordinator").is_visible()

    log_out(page)
    english(page, live_server)
    log_in(page, axe, coordinator.email)
    page.goto("/kontor/styring/")
    axe(page, context="governance overview")
    page.get_by_role("navigation", name="Office menu").get_by_role("link", name="Representation proposals").click()
    axe(page, context="proposal list")
    page.get_by_role("link", name="Bergen kommune").click()
    axe(page, context="proposal decision page")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url("**/kontor/styring/representantforslag/")
    proposal = RepresentationProposal.objects.get()
    assert proposal.status == ProposalStatus.APPROVED
    assert steering.seats.get(participant=member).person.email == "rita@example.no"
    assert ParticipantContact.objects.get(participant=member, role=ContactRole.STEERING_REP).person.email == "rita@example.no"
    page.goto(steering.get_absolute_url())
    axe(page, context="steering group page")
    assert page.get_by_text("Every member participant has a representative.").is_visible()


def test_coordinator_plans_a_meeting_and_sends_the_invitation(page, axe, live_server):
    from django.core import mail

    english(page, live_server)
    steering = SteeringGroupFactory()
    member = MemberFactory(name="Askøy kommune")
    services.seat_appoint(body=steering, person=PersonFactory(name="Rolf Rep"), role=SeatRole.MEMBER, participant=member,
                          start_date=date(2025, 1, 1), actor=None)
    coordinator = UserFactory(email="koord@example.no", full_name="Kari Koordinator", is_coordinator=True)
    log_in(page, axe, coordinator.email)
    page.goto(steering.get_absolute_url())
    axe(page, context="steering group")
    page.get_by_role("link", name="Plan a meeting").click()
    axe(page, context="new meeting form")
    start = timezone.localtime() + timedelta(days=12)
    page.get_by_label("Title").fill("Styringsgruppemøte")
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Ends").fill(start.strftime("%Y-%m-%dT12:00"))
    page.get_by_label("Place").fill("Griegakademiet")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r".*/kontor/styring/moter/\d+/$"))
    axe(page, context="meeting page")
    page.get_by_role("link", name="Add an item").click()
    axe(page, context="new item form")
    page.get_by_label("Title").fill("Budsjett 2027")
    page.get_by_label("Proposed decision").fill("Budsjettet vedtas.")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(re.compile(r".*/kontor/styring/moter/\d+/$"))
    page.get_by_role("link", name=re.compile("Add a document")).last.click()
    axe(page, context="document upload")
    page.get_by_label("Document (PDF or Word)").set_input_files(
        files=[{"name": "budsjett.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% budsjett\n"}]
    )
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r".*/kontor/styring/moter/\d+/.*"))
    assert page.get_by_role("link", name="budsjett").is_visible()
    page.get_by_role("link", name="Send the invitation").click()
    axe(page, context="invitation form")
    page.get_by_label("Message in the invitation").fill("Velkommen!")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url(re.compile(r".*/kontor/styring/moter/\d+/$"))
    axe(page, context="meeting page after the invitation")
    meeting = Meeting.objects.get(title="Styringsgruppemøte")
    assert meeting.status == MeetingStatus.INVITED
    assert timezone.localtime(meeting.starts_at).hour == 10
    assert any("Budsjett 2027" in m.body and m.attachments for m in mail.outbox)


def test_representative_votes_and_the_coordinator_records_the_result(page, axe, live_server):
    english(page, live_server)
    steering = SteeringGroupFactory()
    voters = []
    for n in range(2):
        member = MemberFactory(name=f"Deltaker {n}")
        user = UserFactory(email=f"rep{n}@example.no", full_name=f"Rep {n}")
        person = PersonFactory(email=user.email, name=user.full_name, user=user)
        services.seat_appoint(body=steering, person=person, role=SeatRole.MEMBER, participant=member,
                              start_date=date(2025, 1, 1), actor=None)
        voters.append(user)
    meeting, (item,) = meeting_with_items(steering, titles=("Valg av leder",), status=MeetingStatus.INVITED)
    election = services.election_create(item=item, actor=None, title="Valg av leder 2027", seat_body=steering,
                                        seat_role=SeatRole.CHAIR, seats=1, term_start=date(2027, 1, 1))
    for name in ("Anne Kandidat", "Bjørn Kandidat"):
        services.candidate_add(election=election, person=PersonFactory(name=name), actor=None, consent_given=True)
    services.election_open_voting(election=election, actor=None)

    for user in voters:
        log_out(page)
        english(page, live_server)
        log_in(page, axe, user.email)
        page.goto("/min-side/styring/")
        axe(page, context="my page with an open ballot")
        page.get_by_role("link", name="Valg av leder 2027").click()
        axe(page, context="ballot")
        page.get_by_label("Anne Kandidat").check()
        page.get_by_role("button", name=re.compile("Cast the vote")).click()
        page.wait_for_url(re.compile(r".*/min-side/styring/avstemninger/\d+/$"))
        axe(page, context="ballot after voting")
        assert page.get_by_text("The vote was cast").is_visible()
    assert Ballot.objects.count() == 2

    log_out(page)
    english(page, live_server)
    coordinator = UserFactory(email="koord@example.no", full_name="Kari Koordinator", is_coordinator=True)
    log_in(page, axe, coordinator.email)
    page.goto(election.get_absolute_url())
    axe(page, context="election page while voting")
    page.get_by_role("link", name="Close and count").click()
    axe(page, context="close and count")
    page.get_by_role("button", name="Close and count").click()
    page.wait_for_url(re.compile(r".*/kontor/styring/valg/\d+/$"))
    axe(page, context="election page counted")
    page.get_by_role("link", name="Record the result").click()
    page.get_by_role("button", name="Record the result").click()
    page.wait_for_url(re.compile(r".*/kontor/styring/valg/\d+/$"))
    axe(page, context="election page decided")
    election.refresh_from_db()
    assert election.status == ElectionStatus.DECIDED
    assert steering.seats.get(role=SeatRole.CHAIR).person.name == "Anne Kandidat"


def test_visitor_reads_the_organisation_and_public_minutes(page, axe, live_server):
    english(page, live_server)
    panel = SteeringGroupFactory(name="Erfaringspanelet", slug="erfaringspanelet", kind="experience_panel",
                                 represents_participants=False)
    services.seat_appoint(body=panel, person=PersonFactory(name="Hilde Sørbø"), role=SeatRole.CHAIR,
                          start_date=date(2025, 1, 1), actor=None)
    meeting, (item,) = held_meeting(panel, titles=("Brukermedvirkning",), minutes="Panelet delte erfaringer.")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.MINUTES_APPROVED)
    page.goto("/")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Organisation").click()
    axe(page, context="organisation page")
    page.get_by_role("link", name="Erfaringspanelet").click()
    axe(page, context="public body page")
    assert page.get_by_role("cell", name="Hilde Sørbø").is_visible()
    page.get_by_role("link", name=re.compile("Møte i Erfaringspanelet")).click()
    axe(page, context="public minutes")
    assert page.get_by_text("Panelet delte erfaringer.").is_visible()
