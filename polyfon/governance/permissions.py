"""Who may do what in governance. Views name these; tests/test_url_matrix.py proves them.

Coordinators run everything. Steering-group members (a current seat in the steering group, or the
register's steering role) read the office pages. Anyone with a current seat in a body reads its
meeting papers on /min-side/. Participant contacts propose their participant's representatives.
The public sees public bodies, and agendas and approved minutes where the body publishes them.
"""

from polyfon.accounts import roles

from .models import MeetingStatus

_SEAT_CACHE = "_polyfon_governance_body_ids"


def can_view_governance(user) -> bool:
    """The office's governance pages: coordinators and steering-group members."""
    return roles.can_read_register(user)


def can_manage_governance(user) -> bool:
    """Only coordinators change bodies, seats, meetings, decisions and votes."""
    return roles.is_coordinator(user)


def seat_body_ids(user) -> frozenset[int]:
    """The bodies in which the user holds a current seat (one query, cached on the user)."""
    if not roles.is_authenticated(user):
        return frozenset()
    cached = getattr(user, _SEAT_CACHE, None)
    if cached is None:
        from .models import Seat

        cached = frozenset(Seat.objects.current().filter(person__user=user).values_list("body_id", flat=True))
        try:
            setattr(user, _SEAT_CACHE, cached)
        except AttributeError:
            pass
    return cached


def can_view_body_papers(user, body) -> bool:
    return roles.can_read_register(user) or body.pk in seat_body_ids(user)


def can_view_meeting_papers(user, meeting) -> bool:
    """Seat holders see a meeting once the invitation is out; the office sees it from the start."""
    if roles.can_read_register(user):
        return True
    return meeting.body_id in seat_body_ids(user) and meeting.status != MeetingStatus.PLANNED


def document_is_published(document) -> bool:
    item = document.item
    return document.is_public and not item.is_confidential and not item.is_withdrawn and item.meeting.agenda_is_public


def can_view_document(user, document) -> bool:
    return document_is_published(document) or can_view_meeting_papers(user, document.item.meeting)


def can_view_public_meeting(meeting) -> bool:
    return meeting.agenda_is_public or meeting.minutes_are_public


def can_propose_representation(user, participant) -> bool:
    """A participant's contact persons propose its representatives (coordinators may too)."""
    return roles.is_coordinator(user) or participant.pk in roles.contact_participant_ids(user)


def can_withdraw_proposal(user, proposal) -> bool:
    return can_propose_representation(user, proposal.participant)
