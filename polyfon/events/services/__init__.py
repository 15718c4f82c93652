"""Every write to events and registrations: one function per change, one transaction each, audited.

Functions take keyword arguments only, lock what they change (the event row serialises its
registrations, so its capacity holds under any number of simultaneous requests), raise
DomainError with a message for the user when a rule says no, and send e-mail only after commit.

events.py          events: create, change, copy, publish, cancel, questions, messages
registrations.py   registrations: register (alone or colleagues), change, cancel, waiting list, attendance
housekeeping.py    the scheduled work: reminders, removal of personal data, mass e-mails
"""

from .events import (  # noqa: F401
    EVENT_FIELDS,
    QuestionEntry,
    event_cancel,
    event_copy,
    event_create,
    event_message_send,
    event_publish,
    event_set_questions,
    event_unpublish,
    event_update,
)
from .housekeeping import (  # noqa: F401
    deliver_event_message,
    notify_event_cancelled,
    registrations_remove_personal_data,
    registrations_send_reminders,
)
from .registrations import (  # noqa: F401
    ColleagueEntry,
    ColleagueResult,
    registration_cancel,
    registration_create,
    registration_link,
    registration_resend_link,
    registration_set_attendance,
    registration_update,
    registrations_create_for_colleagues,
)
