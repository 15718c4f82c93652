"""Who may do what with events. Views name these; tests/test_url_matrix.py proves them."""

from polyfon.accounts import roles

from .models import EventKind, EventStatus


def can_manage_events(user) -> bool:
    """Coordinators run events: create, publish, registrations, attendance, e-mails, exports."""
    return roles.is_coordinator(user)


def can_view_event(user, event) -> bool:
    """Published (and cancelled) public events are open to all. Events that are not public are seen
    by participants' contact persons and the steering group; internal steering-group meetings by
    the steering group only. Drafts only by coordinators."""
    if roles.is_coordinator(user):
        return True
    if event.status == EventStatus.DRAFT:
        return False
    if event.kind == EventKind.STEERING_MEETING:
        return roles.is_steering_member(user)
    if event.is_public:
        return True
    return roles.is_steering_member(user) or roles.is_participant_contact(user)


def can_register_colleagues(user) -> bool:
    """A participant's contact person registers colleagues from their organisations (/min-side/)."""
    return roles.is_participant_contact(user)
