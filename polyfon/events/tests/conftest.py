"""Fixtures of the events tests: an open webinar, a registration helper, mail in the outbox."""

import pytest

from polyfon.events.models import Audience


@pytest.fixture
def webinar(db):
    """A published public webinar for municipalities, 30 days ahead, open, 3 places."""
    from .factories import EventFactory

    return EventFactory(title="Webinar for kommuner", capacity=3, audiences=[Audience.MUNICIPALITIES])


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    """register(event, n=..., **values): a registration through the service, its e-mails sent."""
    from polyfon.events import services

    counter = {"n": 0}

    def make(event, **values):
        counter["n"] += 1
        n = counter["n"]
        values.setdefault("name", f"Person {n}")
        values.setdefault("email", f"person{n}@example.no")
        values.setdefault("organisation_name", "Askøy kommune")
        with django_capture_on_commit_callbacks(execute=True):
            return services.registration_create(event=event, **values)

    return make
