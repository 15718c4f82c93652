"""Who may do what on the money side. Views name these; tests/test_url_matrix.py proves them."""

from polyfon.accounts import roles


def can_manage_billing(user) -> bool:
    """Coordinators run invoicing: runs, invoices, credit notes, payments, reminders, settings."""
    return roles.is_coordinator(user)


def can_view_economy(user) -> bool:
    """Coordinators and steering-group members read the economy overview and the fee schedules."""
    return roles.can_read_register(user)


def can_view_fee_schedules(user) -> bool:
    return roles.can_read_register(user)


def can_view_own_invoices(user) -> bool:
    """Anyone logged in has the page; it lists only their own participants' documents."""
    return roles.is_authenticated(user)


def has_own_invoices(user) -> bool:
    """The menu entry: contact persons (and coordinators, who see all in the office)."""
    return roles.is_participant_contact(user)


def can_view_document(user, document) -> bool:
    """An invoice or credit note: coordinators, and the contact persons of its participant."""
    if roles.is_coordinator(user):
        return True
    return document.participant_id is not None and document.participant_id in roles.contact_participant_ids(user)
