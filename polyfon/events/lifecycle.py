"""The life cycles of an event and of a registration, declared once.

Event:         draft ──publish──▶ published ──cancel──▶ cancelled
                 ▲                    │
                 └────unpublish───────┘ (only while nobody is registered)
               draft ──cancel──▶ cancelled

Registration:  (new) ──▶ registered            when there is a place
               (new) ──▶ waiting list          when the event is full
               waiting list ──promote──▶ registered   (a place became free; automatic, first come first served)
               registered / waiting list ──cancel──▶ cancelled

The office page of an event draws its buttons from EVENT_MOVES; services refuse any move that
is not listed here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from polyfon.core import lifecycle

from .models import EventStatus as E
from .models import RegistrationStatus as R


@dataclass(frozen=True, kw_only=True)
class Move(lifecycle.Move):
    form: str  # dotted path of the form asking for the move's details
    service: str  # dotted path of the service performing it


EVENT_MOVES = lifecycle.Lifecycle(
    Move(
        name="publish",
        sources={E.DRAFT},
        target=E.PUBLISHED,
        label=_("Publish"),
        explanation=_(
            "Opens the event page and, when the registration time has come, the registration. A public event "
            "is listed on the website and in the calendar feed."
        ),
        form="polyfon.events.forms.ConfirmForm",
        service="polyfon.events.services.event_publish",
    ),
    Move(
        name="unpublish",
        sources={E.PUBLISHED},
        target=E.DRAFT,
        label=_("Back to draft"),
        explanation=_("Hides the event again. Only possible while nobody is registered."),
        form="polyfon.events.forms.NoteForm",
        service="polyfon.events.services.event_unpublish",
    ),
    Move(
        name="cancel",
        sources={E.DRAFT, E.PUBLISHED},
        target=E.CANCELLED,
        label=_("Cancel the event"),
        explanation=_(
            "Cancels the event and tells everyone registered or on the waiting list by e-mail, in their "
            "language, with the reason you give. The registrations are kept for the counts."
        ),
        form="polyfon.events.forms.CancelEventForm",
        service="polyfon.events.services.event_cancel",
        danger=True,
    ),
)

# A registration's moves are made by the services themselves (no page of their own): the table
# says only where each may start.
REGISTRATION_MOVES = lifecycle.Lifecycle(
    lifecycle.Move(name="promote", sources={R.WAITING}, target=R.CONFIRMED),
    lifecycle.Move(name="cancel", sources={R.CONFIRMED, R.WAITING}, target=R.CANCELLED),
    lifecycle.Move(name="change", sources={R.CONFIRMED, R.WAITING}),
    lifecycle.Move(name="mark_attendance", sources={R.CONFIRMED}),
)
