"""Who may do what in reporting. Views name these; tests/test_url_matrix.py proves them."""

from polyfon.accounts import roles


def can_view_reporting(user) -> bool:
    """Coordinators and steering-group members read the indicators, the rounds and the drafts."""
    return roles.can_read_register(user)


def can_manage_reporting(user) -> bool:
    """Only coordinators define indicators, run rounds, import, and write and publish reports."""
    return roles.is_coordinator(user)


def can_report_for(user, participant) -> bool:
    """A participant's contact persons report its indicator data (and the coordinator may)."""
    return roles.is_coordinator(user) or participant.pk in roles.contact_participant_ids(user)


def can_view_annual_report(user, report) -> bool:
    """Published reports are public; drafts are for the readers of the office."""
    return report.is_published or can_view_reporting(user)
