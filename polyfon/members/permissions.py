"""Who may do what in the register. Views name these; tests/test_url_matrix.py proves them."""

from polyfon.accounts import roles


def can_view_register(user) -> bool:
    """Coordinators and steering-group members read the whole register."""
    return roles.can_read_register(user)


def can_manage_register(user) -> bool:
    """Only coordinators change the register (create, edit, life-cycle moves, imports)."""
    return roles.is_coordinator(user)


def can_view_participant(user, participant) -> bool:
    return roles.can_read_register(user) or participant.pk in roles.contact_participant_ids(user)


def can_edit_own_participant(user, participant) -> bool:
    """A participant's contact persons keep its organisations' details and its contacts current."""
    return roles.is_coordinator(user) or participant.pk in roles.contact_participant_ids(user)


def can_view_agreement_document(user, document) -> bool:
    return can_view_participant(user, document.agreement.participant)


def can_view_audit_log(user) -> bool:
    return roles.is_coordinator(user)
