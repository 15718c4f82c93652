"""Who may open each URL of governance (see polyfon.core.testing)."""

from polyfon.core.testing import COORDINATORS, LOGGED_IN, OWN_PARTICIPANT, POST_ONLY, PUBLIC, REGISTER_READERS

VOTERS = [302, 403, 403, 200, 403]  # only those with a vote in the poll (the steering user here)

MATRIX = {
    # Public
    "governance:public_bodies": ({}, PUBLIC),
    "governance:public_body": ({"slug": "steering_slug"}, PUBLIC),
    "governance:public_meeting": ({"slug": "steering_slug", "pk": "approved_meeting"}, PUBLIC),
    "governance:minutes_pdf": ({"pk": "approved_meeting"}, PUBLIC),
    "governance:document_download": ({"pk": "unpublished_document"}, REGISTER_READERS),
    "governance:candidate_consent": ({"token": "consent_token"}, PUBLIC),
    # Own pages
    "governance:mine_home": ({}, LOGGED_IN),
    "governance:mine_meeting": ({"pk": "invited_meeting"}, REGISTER_READERS),
    "governance:meeting_ics": ({"pk": "invited_meeting"}, REGISTER_READERS),
    "governance:mine_propose": ({"pk": "member", "body_pk": "steering"}, OWN_PARTICIPANT),
    "governance:mine_proposal_withdraw": ({"pk": "proposal"}, POST_ONLY),
    "governance:mine_vote": ({"pk": "poll"}, VOTERS),
    # Office: bodies, seats, representation
    "governance:overview": ({}, REGISTER_READERS),
    "governance:body_create": ({}, COORDINATORS),
    "governance:body_detail": ({"pk": "steering"}, REGISTER_READERS),
    "governance:body_edit": ({"pk": "steering"}, COORDINATORS),
    "governance:seat_create": ({"pk": "steering"}, COORDINATORS),
    "governance:adopt_register": ({"pk": "steering"}, COORDINATORS),
    "governance:seat_edit": ({"pk": "seat"}, COORDINATORS),
    "governance:seat_end": ({"pk": "seat"}, COORDINATORS),
    "governance:general_assembly": ({}, COORDINATORS),
    "governance:proposal_list": ({}, REGISTER_READERS),
    "governance:proposal_decide": ({"pk": "proposal"}, COORDINATORS),
    # Meetings
    "governance:meeting_list": ({}, REGISTER_READERS),
    "governance:meeting_create": ({"pk": "steering"}, COORDINATORS),
    "governance:meeting_detail": ({"pk": "invited_meeting"}, REGISTER_READERS),
    "governance:meeting_edit": ({"pk": "invited_meeting"}, COORDINATORS),
    "governance:meeting_move": ({"pk": "planned_meeting", "move": '"invite"'}, COORDINATORS),
    "governance:attendance": ({"pk": "invited_meeting"}, COORDINATORS),
    "governance:minutes": ({"pk": "held_meeting"}, COORDINATORS),
    "governance:proxies": ({"pk": "invited_meeting"}, COORDINATORS),
    "governance:item_create": ({"pk": "invited_meeting"}, COORDINATORS),
    "governance:item_edit": ({"pk": "item"}, COORDINATORS),
    "governance:item_move": ({"pk": "item", "direction": '"up"'}, POST_ONLY),
    "governance:item_withdraw": ({"pk": "item"}, POST_ONLY),
    "governance:item_transfer": ({"pk": "planned_item"}, COORDINATORS),
    "governance:document_upload": ({"pk": "item"}, COORDINATORS),
    "governance:document_remove": ({"pk": "unpublished_document"}, POST_ONLY),
    "governance:minutes_approve": ({"pk": "approval_item"}, COORDINATORS),
    "governance:decision_create": ({"pk": "item"}, COORDINATORS),
    "governance:decision_edit": ({"pk": "decision"}, COORDINATORS),
    "governance:decision_link": ({"pk": "decision"}, COORDINATORS),
    "governance:decision_list": ({}, REGISTER_READERS),
    # Proxies, elections, motions
    "governance:proxy_revoke": ({"pk": "proxy"}, POST_ONLY),
    "governance:election_create": ({"pk": "item"}, COORDINATORS),
    "governance:election_detail": ({"pk": "election"}, REGISTER_READERS),
    "governance:candidate_add": ({"pk": "election"}, COORDINATORS),
    "governance:election_move": ({"pk": "election", "move": '"open_nomination"'}, COORDINATORS),
    "governance:candidate_consent_record": ({"pk": "candidate"}, COORDINATORS),
    "governance:candidate_remove": ({"pk": "candidate"}, POST_ONLY),
    "governance:motion_create": ({"pk": "item"}, COORDINATORS),
    "governance:motion_detail": ({"pk": "motion"}, REGISTER_READERS),
    "governance:motion_move": ({"pk": "motion", "move": '"record_count"'}, COORDINATORS),
}


def world(base):
    """A public steering group where the steering user holds a seat for their participant; a
    planned, an invited (with papers, a decision, an election, motions, an open poll, a proxy)
    a held and an approved meeting; a pending proposal from `member`'s contact."""
    from datetime import date, timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from polyfon.governance import services
    from polyfon.governance.models import MeetingStatus, SeatRole
    from polyfon.governance.tokens import consent_token
    from polyfon.members.models import Participant, Person

    from .factories import SteeringGroupFactory, held_meeting, meeting_with_items

    member = Participant.objects.get(pk=base["member"])
    steering = SteeringGroupFactory()
    seat = services.seat_appoint(
        body=steering, person=Person.objects.create(name="Rolf Representant", email="rolf@example.no"),
        role=SeatRole.MEMBER, participant=member,
        start_date=date(2026, 1, 1), actor=None,
    )
    steering_person = Person.objects.filter(email="styre@example.no").first()
    if steering_person is not None:
        services.seat_appoint(
            body=steering, person=steering_person, role=SeatRole.MEMBER,
            participant=Participant.objects.get(name="Styremedlemmets deltaker"), start_date=date(2026, 1, 1), actor=None,
        )
    approved, _items = held_meeting(steering, days_ago=60)
    held, _items = held_meeting(steering, days_ago=20)
    invited, items = meeting_with_items(steering, titles=("Budsjett 2027", "Strategi"), status=MeetingStatus.INVITED)
    approval_item = services.agenda_item_add(
        meeting=invited, actor=None, title="Godkjenning av referat", kind="minutes_approval", approves_meeting=held
    )
    # The older meeting's minutes were approved at the held meeting.
    first = services.agenda_item_add(
        meeting=held, actor=None, title="Godkjenning av referat", kind="minutes_approval", approves_meeting=approved
    )
    services.minutes_approve(item=first, actor=None)
    planned, planned_items = meeting_with_items(steering, starts_at=timezone.now() + timedelta(days=40), titles=("Neste sak",))
    document = services.item_document_add(
        item=items[0], uploaded=SimpleUploadedFile("budsjett.pdf", b"%PDF-1.4 budsjett"), title="Budsjett", is_public=False,
        actor=None,
    )
    decision = services.decision_record(item=items[0], actor=None, text="Budsjettet vedtas.")
    election = services.election_create(
        item=items[1], actor=None, title="Valg av leder", seat_body=steering, seat_role=SeatRole.CHAIR, seats=1,
        term_start=date(2027, 1, 1),
    )
    candidate = services.candidate_add(election=election, person=seat.person, actor=None, consent_given=False)
    motion = services.motion_create(item=items[1], actor=None, title="Forslag", text="Vi gjør det.")
    voting = services.motion_create(item=items[1], actor=None, title="Forslag 2", text="Vi gjør det også.")
    services.motion_open_voting(motion=voting, actor=None)
    others = Participant.objects.get(name="Styremedlemmets deltaker")
    proxy = services.proxy_register(meeting=invited, giver=member, holder=others, actor=None)
    contact = Person.objects.filter(email="kontakt@example.no").first()
    proposal = services.representation_propose(
        participant=member, body=steering, proposed_by=contact.user if contact else None, start_date=date(2027, 1, 1),
        representative_name="Nora Ny", representative_email="nora@example.no",
    )
    return {
        "steering": steering.pk,
        "steering_slug": steering.slug,
        "seat": seat.pk,
        "approved_meeting": approved.pk,
        "held_meeting": held.pk,
        "invited_meeting": invited.pk,
        "planned_meeting": planned.pk,
        "item": items[0].pk,
        "planned_item": planned_items[0].pk,
        "approval_item": approval_item.pk,
        "unpublished_document": document.pk,
        "decision": decision.pk,
        "election": election.pk,
        "candidate": candidate.pk,
        "consent_token": consent_token(candidate),
        "motion": motion.pk,
        "poll": voting.polls.get().pk,
        "proxy": proxy.pk,
        "proposal": proposal.pk,
    }
