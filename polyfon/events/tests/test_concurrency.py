"""Capacity and one-registration-per-address hold when many register at the same moment.

Real row locks need PostgreSQL (SQLite serialises writers anyway); each thread has its own
database connection and its own transaction."""

import threading

import pytest
from django.db import connection

from polyfon.core.errors import DomainError
from polyfon.events import services
from polyfon.events.models import Registration, RegistrationStatus

from .factories import EventFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _at_once(count, work):
    """Run work(i) in `count` threads released together; return the DomainError codes raised."""
    barrier = threading.Barrier(count)
    errors, lock = [], threading.Lock()

    def run(i):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            work(i)
        except DomainError as error:
            with lock:
                errors.append(error.code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_simultaneous_registrations_never_exceed_the_capacity():
    event = EventFactory(capacity=5)
    errors = _at_once(
        25, lambda i: services.registration_create(event=event, name=f"Person {i}", email=f"p{i}@example.no")
    )
    assert errors == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 5
    assert statuses.count(RegistrationStatus.WAITING) == 20


def test_simultaneous_registrations_with_one_address_make_one_registration():
    event = EventFactory(capacity=50)
    errors = _at_once(10, lambda i: services.registration_create(event=event, name="Kari", email="kari@example.no"))
    assert Registration.objects.filter(event=event).count() == 1
    assert errors == ["already_registered"] * 9


def test_simultaneous_cancellations_give_each_free_place_to_one_person():
    event = EventFactory(capacity=4)
    people = [services.registration_create(event=event, name=f"P{i}", email=f"p{i}@example.no") for i in range(10)]
    placed = [p for p in people if p.status == RegistrationStatus.CONFIRMED]
    errors = _at_once(4, lambda i: services.registration_cancel(registration=placed[i]))
    assert errors == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 4
    assert statuses.count(RegistrationStatus.CANCELLED) == 4
    assert statuses.count(RegistrationStatus.WAITING) == 2
