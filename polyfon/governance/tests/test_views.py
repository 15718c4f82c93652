"""Governance pages through the real URLs with the real permissions."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from polyfon.governance import services
from polyfon.governance.models import (
    Ballot,
    BallotChoice,
    ConsentStatus,
    ItemKind,
    Meeting,
    MeetingStatus,
    ProposalStatus,
    RepresentationProposal,
    SeatRole,
)
from polyfon.governance.tokens import consent_token
from polyfon.members.models import ContactRole, ParticipantContact
from polyfon.members.tests.factories import MemberFactory, PersonFactory, UserFactory

from .factories import BodyFactory, SteeringGroupFactory, held_meeting, meeting_with_items
from .test_voting import delegations

pytestmark = pytest.mark.django_db


@pytest.fixture
def steering():
    return SteeringGroupFactory()


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return len(context)


def _grow(steering, n):
    """n more member participants with representatives, n meetings with items and decisions."""
    delegations(steering, n)
    for _ in range(n):
        meeting, items = meeting_with_items(steering, titles=("A", "B"), status=MeetingStatus.INVITED)
        for item in items:
            services.decision_record(item=item, actor=None, text="Vedtatt.")


@pytest.mark.parametrize(
    "url_name, kwargs",
    [
        ("governance:meeting_list", {}),
        ("governance:decision_list", {}),
        ("governance:overview", {}),
        ("governance:body_detail", {"pk": "steering"}),
        ("governance:proposal_list", {}),
    ],
)
def test_office_pages_use_a_constant_number_of_queries(client, coordinator, steering, url_name, kwargs):
    client.force_login(coordinator)
    url = reverse(url_name, kwargs={k: steering.pk for k in kwargs})
    _grow(steering, 2)
    few = _queries(client, url)
    _grow(steering, 12)
    assert _queries(client, url) == few


def test_meeting_page_uses_a_constant_number_of_queries(client, coordinator, steering):
    client.force_login(coordinator)
    meeting, items = meeting_with_items(steering, titles=("A", "B"), status=MeetingStatus.INVITED)
    url = reverse("governance:meeting_detail", args=[meeting.pk])
    few = _queries(client, url)
    for n in range(10):
        item = services.agenda_item_add(meeting=meeting, actor=None, title=f"Sak {n}")
        services.item_document_add(item=item, uploaded=SimpleUploadedFile("a.pdf", b"%PDF-1.4"), actor=None)
        services.decision_record(item=item, actor=None, text="Vedtatt.")
    delegations(steering, 5)
    assert _queries(client, url) == few


# --- Representation proposals: from /min-side/ to the office ---------------------------------------------------


def test_contact_proposes_and_coordinator_approves_through_the_pages(client, contact_user, coordinator, member, steering):
    client.force_login(contact_user)
    home = client.get(reverse("governance:mine_home")).content.decode()
    propose_url = reverse("governance:mine_propose", args=[member.pk, steering.pk])
    assert propose_url in home
    main = member.contacts.get(role=ContactRole.MAIN).person
    response = client.post(propose_url, {
        "representative": main.pk, "deputy_name": "Vera Vara", "deputy_email": "vera@example.no",
        "start_date": "2026-07-01", "message": "Ny vara",
    })
    assert response.status_code == 302
    proposal = RepresentationProposal.objects.get()
    # Another participant's person cannot be chosen.
    stranger = PersonFactory()
    response = client.post(reverse("governance:mine_propose", args=[member.pk, steering.pk]),
                           {"representative": stranger.pk, "start_date": "2026-07-01"})
    assert response.status_code == 200 and RepresentationProposal.objects.count() == 1
    client.force_login(coordinator)
    response = client.post(reverse("governance:proposal_decide", args=[proposal.pk]),
                           {"action": "approve", "approve-start_date": "2026-07-01"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert steering.seats.filter(participant=member, role=SeatRole.DEPUTY_MEMBER, person__email="vera@example.no").exists()
    assert ParticipantContact.objects.filter(participant=member, role=ContactRole.STEERING_DEPUTY,
                                             person__email="vera@example.no").exists()


def test_rejection_without_reason_stays_on_the_page(client, coordinator, contact_user, member, steering, english):
    proposal = services.representation_propose(participant=member, body=steering, proposed_by=contact_user,
                                               start_date=date(2026, 7, 1), representative_name="A",
                                               representative_email="a@example.no")
    client.force_login(coordinator)
    response = client.post(reverse("governance:proposal_decide", args=[proposal.pk]), {"action": "reject", "reject-reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_contact_of_another_participant_cannot_propose(client, contact_user, steering):
    other = MemberFactory()
    client.force_login(contact_user)
    assert client.get(reverse("governance:mine_propose", args=[other.pk, steering.pk])).status_code == 403


def test_contact_withdraws_their_proposal(client, contact_user, member, steering):
    proposal = services.representation_propose(participant=member, body=steering, proposed_by=contact_user,
                                               start_date=date(2026, 7, 1), representative_name="A",
                                               representative_email="a@example.no")
    client.force_login(contact_user)
    assert client.post(reverse("governance:mine_proposal_withdraw", args=[proposal.pk])).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


# --- Voting through the page --------------------------------------------------------------------------------------


def test_representative_votes_on_the_page_once(client, steering, english):
    people = delegations(steering, 3)
    meeting, (item,) = meeting_with_items(steering, status=MeetingStatus.INVITED)
    election = services.election_create(item=item, actor=None, title="Valg av leder", seat_body=steering,
                                        seat_role=SeatRole.CHAIR, seats=1, term_start=date(2027, 1, 1))
    candidate = services.candidate_add(election=election, person=PersonFactory(name="Kandidat Kari"), actor=None,
                                       consent_given=True)
    services.election_open_voting(election=election, actor=None)
    poll = election.polls.get()
    rep = people[0].rep
    client.force_login(rep)
    url = reverse("governance:mine_vote", args=[poll.pk])
    assert url in client.get(reverse("governance:mine_home")).content.decode()
    page = client.get(url).content.decode()
    assert "Kandidat Kari" in page and "Secret ballot" in page
    voter = services.voter_options(poll, rep)[0].voter
    prefix = f"v{voter.pk}"
    response = client.post(url, {f"{prefix}-voter": voter.pk, f"{prefix}-candidates": [candidate.pk]})
    assert response.status_code == 302
    assert Ballot.objects.filter(poll=poll).count() == 1
    page = client.get(url).content.decode()
    assert "The vote was cast" in page
    again = client.post(url, {f"{prefix}-voter": voter.pk, f"{prefix}-candidates": [candidate.pk]})
    assert again.status_code == 200 and "has already been cast" in again.content.decode()
    assert Ballot.objects.filter(poll=poll).count() == 1
    # Choosing nobody and not abstaining is explained, not counted.
    other = people[1].rep
    client.force_login(other)
    other_voter = services.voter_options(poll, other)[0].voter
    response = client.post(url, {f"v{other_voter.pk}-voter": other_voter.pk})
    assert response.status_code == 200 and "Choose a candidate, or abstain" in response.content.decode()
    # Someone without a vote gets no ballot, and cannot cast another's.
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    stolen = services.voter_options(poll, people[2].rep)[0].voter
    assert client.post(url, {f"v{stolen.pk}-voter": stolen.pk, f"v{stolen.pk}-candidates": [candidate.pk]}).status_code == 403
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_coordinator_runs_a_motion_vote_from_the_office(client, coordinator, steering):
    people = delegations(steering, 2)
    meeting, (item,) = meeting_with_items(steering, status=MeetingStatus.INVITED)
    client.force_login(coordinator)
    response = client.post(reverse("governance:motion_create", args=[item.pk]),
                           {"title": "Forslag", "text": "Vi gjør det.", "method": "ballot"})
    motion = item.motions.get()
    assert response.status_code == 302
    assert client.post(reverse("governance:motion_move", args=[motion.pk, "open_voting"]), {}).status_code == 302
    poll = motion.polls.get()
    for delegation in people:
        voter = services.voter_options(poll, delegation.rep)[0].voter
        services.vote_cast(poll=poll, user=delegation.rep, voter_id=voter.pk, choice=BallotChoice.FOR)
    assert client.post(reverse("governance:motion_move", args=[motion.pk, "close_voting"]), {}).status_code == 302
    motion.refresh_from_db()
    assert motion.result == "adopted" and item.decisions.exists()
    # A move not allowed from the current state is not reachable.
    assert client.get(reverse("governance:motion_move", args=[motion.pk, "open_voting"])).status_code == 404


# --- Meetings through the office ---------------------------------------------------------------------------------


def test_coordinator_plans_invites_and_records(client, coordinator, steering, django_capture_on_commit_callbacks):
    from django.core import mail

    delegations(steering, 2)
    client.force_login(coordinator)
    start = timezone.localtime() + timedelta(days=10)
    response = client.post(reverse("governance:meeting_create", args=[steering.pk]), {
        "title": "Styremøte", "starts_at": start.strftime("%Y-%m-%dT10:00"), "ends_at": start.strftime("%Y-%m-%dT12:00"),
        "location": "Bergen", "standard_items": "on",
    })
    meeting = Meeting.objects.get(title="Styremøte")
    assert response.status_code == 302 and meeting.items.count() == 1
    assert timezone.localtime(meeting.starts_at).hour == 10  # entered in Oslo time, stored in UTC
    client.post(reverse("governance:item_create", args=[meeting.pk]), {"title": "Budsjett", "kind": ItemKind.DECISION})
    item = meeting.items.get(title="Budsjett")
    bad = SimpleUploadedFile("budsjett.pdf", b"MZ not a pdf")
    response = client.post(reverse("governance:document_upload", args=[item.pk]), {"file": bad, "is_public": "on"})
    assert response.status_code == 200 and not item.documents.exists()
    good = SimpleUploadedFile("budsjett.pdf", b"%PDF-1.4 budsjett")
    client.post(reverse("governance:document_upload", args=[item.pk]), {"file": good, "title": "Budsjett", "is_public": "on"})
    assert item.documents.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("governance:meeting_move", args=[meeting.pk, "invite"]), {"message": "Velkommen"})
    assert response.status_code == 302 and len(mail.outbox) == 4
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.INVITED
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("governance:decision_create", args=[item.pk]) in page
    client.post(reverse("governance:decision_create", args=[item.pk]), {"text": "Budsjettet vedtas.", "vote": "Enstemmig"})
    assert item.decisions.get().text == "Budsjettet vedtas."


def test_attendance_and_minutes_forms(client, coordinator, steering):
    people = delegations(steering, 2)
    meeting, (item,) = meeting_with_items(steering, starts_at=timezone.now() - timedelta(days=1), status=MeetingStatus.HELD)
    client.force_login(coordinator)
    rep = people[0].rep.person
    response = client.post(reverse("governance:attendance", args=[meeting.pk]),
                           {f"status_{rep.pk}": "present", f"note_{rep.pk}": ""})
    assert response.status_code == 302 and meeting.attendance.get().person == rep
    response = client.post(reverse("governance:minutes", args=[meeting.pk]),
                           {"chaired_by": "Leder", "minutes_by": "Kari", f"item_{item.pk}": "Drøftet."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.minutes == "Drøftet."


def test_decision_register_search_and_export(client, coordinator, steering):
    meeting, items = meeting_with_items(steering, starts_at=timezone.now() + timedelta(days=3), titles=("Budsjett", "Strategi"),
                                        status=MeetingStatus.INVITED)
    services.decision_record(item=items[0], actor=None, text="Budsjettet for 2027 vedtas.")
    services.decision_record(item=items[1], actor=None, text="Strategien vedtas.")
    client.force_login(coordinator)
    url = reverse("governance:decision_list")
    html = client.get(url, {"q": "budsjettet"}).content.decode()
    assert "Budsjettet for 2027" in html and "Strategien vedtas" not in html
    html = client.get(url, {"q": f"{items[1].number}/{items[1].year}"}).content.decode()
    assert "Strategien vedtas" in html and "Budsjettet for 2027" not in html
    csv = client.get(url, {"q": "vedtas", "format": "csv"}).content.decode("utf-8-sig")
    assert "Budsjettet for 2027 vedtas." in csv and "Strategien vedtas." in csv
    rows = list(load_workbook(BytesIO(client.get(url, {"format": "xlsx"}).content)).active.values)
    assert len(rows) == 3


# --- Public pages, papers and files ---------------------------------------------------------------------------------


def test_public_body_shows_current_members_only(client, steering):
    current = services.seat_appoint(body=steering, person=PersonFactory(name="Nåværende Nina"), role=SeatRole.CHAIR,
                                    start_date=date(2025, 1, 1), actor=None)
    services.seat_appoint(body=steering, person=PersonFactory(name="Tidligere Tor"), role=SeatRole.MEMBER,
                          start_date=date(2020, 1, 1), end_date=date(2021, 1, 1), actor=None)
    hidden = BodyFactory(name="Lukket gruppe", is_public=False)
    html = client.get(reverse("governance:public_body", args=[steering.slug])).content.decode()
    assert current.person.name in html and "Tidligere Tor" not in html
    listing = client.get(reverse("governance:public_bodies")).content.decode()
    assert steering.name in listing and "Lukket gruppe" not in listing
    assert client.get(reverse("governance:public_body", args=[hidden.slug])).status_code == 404


def test_public_meetings_show_agenda_once_invited_and_minutes_once_approved(client, steering):
    planned, _ = meeting_with_items(steering, titles=("Planlagt sak",))
    url = reverse("governance:public_meeting", args=[steering.slug, planned.pk])
    assert client.get(url).status_code == 404
    Meeting.objects.filter(pk=planned.pk).update(status=MeetingStatus.INVITED)
    html = client.get(url).content.decode()
    assert "Planlagt sak" in html
    approved, (item,) = held_meeting(steering, titles=("Hemmelig sak",), minutes="Hemmelige detaljer")
    item.is_confidential = True
    item.save()
    Meeting.objects.filter(pk=approved.pk).update(status=MeetingStatus.MINUTES_APPROVED)
    html = client.get(reverse("governance:public_meeting", args=[steering.slug, approved.pk])).content.decode()
    assert "Hemmelig sak" not in html and "Hemmelige detaljer" not in html and item.reference in html
    pdf = client.get(reverse("governance:minutes_pdf", args=[approved.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_minutes_pdf_of_a_non_public_meeting_needs_a_login(client, coordinator):
    board = BodyFactory()
    meeting, _ = held_meeting(board)
    url = reverse("governance:minutes_pdf", args=[meeting.pk])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).content.startswith(b"%PDF")


def test_documents_are_served_to_whom_may_see_them(client, steering):
    meeting, (item,) = meeting_with_items(steering)
    document = services.item_document_add(item=item, uploaded=SimpleUploadedFile("sak.pdf", b"%PDF-1.4 innhold"), actor=None)
    url = reverse("governance:document_download", args=[document.pk])
    assert client.get(url).status_code == 302  # planned: not published
    member_user = UserFactory()
    person = PersonFactory(user=member_user, email=member_user.email)
    services.seat_appoint(body=steering, person=person, role=SeatRole.OBSERVER, start_date=date(2025, 1, 1), actor=None)
    client.force_login(member_user)
    assert client.get(url).status_code == 200  # a steering-group seat reads the office
    client.logout()
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.INVITED)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "sak.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 innhold"


def test_seat_holder_downloads_the_calendar_entry(client, steering):
    panel = BodyFactory()
    user = UserFactory()
    person = PersonFactory(user=user, email=user.email)
    services.seat_appoint(body=panel, person=person, role=SeatRole.MEMBER, start_date=date(2025, 1, 1), actor=None)
    meeting, _ = meeting_with_items(panel, status=MeetingStatus.INVITED)
    client.force_login(user)
    assert client.get(reverse("governance:mine_meeting", args=[meeting.pk])).status_code == 200
    response = client.get(reverse("governance:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in response.content
    other, _ = meeting_with_items(steering, status=MeetingStatus.INVITED)
    assert client.get(reverse("governance:mine_meeting", args=[other.pk])).status_code == 403


def test_candidate_answers_through_the_signed_link(client, steering):
    meeting, (item,) = meeting_with_items(steering, status=MeetingStatus.INVITED)
    election = services.election_create(item=item, actor=None, title="Valg", seat_body=steering, seat_role=SeatRole.CHAIR,
                                        seats=1, term_start=date(2027, 1, 1))
    candidate = services.candidate_add(election=election, person=PersonFactory(), actor=None)
    url = reverse("governance:candidate_consent", args=[consent_token(candidate)])
    assert client.get(url).status_code == 200
    assert client.post(url, {"consent": ConsentStatus.GIVEN}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.consent == ConsentStatus.GIVEN
    assert client.get(reverse("governance:candidate_consent", args=["forged-token"])).status_code == 404


def test_decision_links_show_on_the_meeting_page(client, coordinator, steering):
    meeting, (item,) = meeting_with_items(steering, status=MeetingStatus.INVITED)
    member = MemberFactory(name="Lenket deltaker")
    from django.contrib.contenttypes.models import ContentType

    from polyfon.members.models import Participant

    client.force_login(coordinator)
    decision = services.decision_record(item=item, actor=None, text="Vedtatt.")
    response = client.post(reverse("governance:decision_link", args=[decision.pk]), {
        "subject_type": ContentType.objects.get_for_model(Participant).pk, "subject_id": member.pk, "subject_label": "",
    })
    assert response.status_code == 302
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert member.get_absolute_url() in html and "Lenket deltaker" in html


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_pages_render_in_every_language(client, coordinator, steering, language, settings):
    delegations(steering, 2)
    meeting, (item,) = meeting_with_items(steering, status=MeetingStatus.INVITED)
    services.decision_record(item=item, actor=None, text="Vedtatt.")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in (reverse("governance:public_bodies"), reverse("governance:public_body", args=[steering.slug]),
                reverse("governance:public_meeting", args=[steering.slug, meeting.pk])):
        response = client.get(url)
        assert response.status_code == 200 and f'lang="{language}"' in response.content.decode()
    client.force_login(coordinator)
    for url in (reverse("governance:overview"), meeting.get_absolute_url(), steering.get_absolute_url(),
                reverse("governance:decision_list"), reverse("governance:mine_home")):
        assert client.get(url).status_code == 200


def test_english_labels_on_the_steering_group_page(english, coordinator, steering):
    english.force_login(coordinator)
    MemberFactory(name="Uten representant")
    html = english.get(steering.get_absolute_url()).content.decode()
    assert "Representation of the members" in html and "1 member participant has no representative." in html



def test_large_bodies_list_what_needs_attention_and_export_the_rest(client, coordinator, steering, monkeypatch):
    from polyfon.governance.views import office_bodies

    monkeypatch.setattr(office_bodies, "PAGE_ROWS", 3)
    delegations(steering, 4)
    MemberFactory(name="Uten representant")
    client.force_login(coordinator)
    html = client.get(steering.get_absolute_url()).content.decode()
    assert "Uten representant" in html and "Deltaker 00" not in html.split("representation-heading")[1]
    csv = client.get(steering.get_absolute_url(), {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.count("\n") == 1 + 8 and "Deltaker 03" in csv
