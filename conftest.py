"""Fixtures every test may use: users for each role, the register's factories, mail and tasks.

Browser fixtures (Playwright driving the system Chromium, axe-core) are in tests/browser/conftest.py.
"""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that
# thread are still synchronous and safe in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in bokmål, the site's default: a request handled in the test thread
    leaves its language active, which would make a test's result depend on the one before."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(db):
    from polyfon.members.tests.factories import UserFactory

    return UserFactory(email="koordinator@example.no", full_name="Kari Koordinator", is_coordinator=True)


@pytest.fixture
def registered_user(db):
    from polyfon.members.tests.factories import UserFactory

    return UserFactory(email="bruker@example.no", full_name="Berit Bruker")


@pytest.fixture
def member(db):
    """A member participant (single organisation) with a main contact and a representative."""
    from polyfon.members.tests.factories import MemberFactory

    return MemberFactory()


@pytest.fixture
def contact_user(db, member):
    """A login that is the main contact of `member`."""
    from polyfon.members.models import ContactRole
    from polyfon.members.tests.factories import ParticipantContactFactory, PersonFactory, UserFactory

    user = UserFactory(email="kontakt@example.no", full_name="Kristin Kontakt")
    person = PersonFactory(email=user.email, name=user.full_name, user=user)
    ParticipantContactFactory(participant=member, person=person, role=ContactRole.CONTACT)
    return user


@pytest.fixture
def steering_user(db):
    """A login that is the steering-group representative of another member than `member`."""
    from polyfon.members.models import ContactRole
    from polyfon.members.tests.factories import MemberFactory, ParticipantContactFactory, PersonFactory, UserFactory

    user = UserFactory(email="styre@example.no", full_name="Sigurd Styre")
    person = PersonFactory(email=user.email, name=user.full_name, user=user)
    ParticipantContactFactory(participant=MemberFactory(name="Styremedlemmets deltaker"), person=person, role=ContactRole.STEERING_REP)
    return user


@pytest.fixture
def role_users(db, coordinator, registered_user, contact_user, steering_user):
    return {
        "anonymous": None,
        "registered": registered_user,
        "contact": contact_user,
        "steering": steering_user,
        "coordinator": coordinator,
    }


@pytest.fixture
def travel_to(monkeypatch):
    """Make `timezone.now()` a fixed moment: travel_to(date) is noon in Oslo that day."""
    from datetime import date, datetime, time

    from django.utils import timezone

    def travel(moment):
        if isinstance(moment, date) and not isinstance(moment, datetime):
            moment = timezone.make_aware(datetime.combine(moment, time(12, 0)))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return travel


@pytest.fixture
def english(client, settings):
    """The test client with English chosen, for tests that assert on visible text before the
    Norwegian catalogues have caught up with a change."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (browser, concurrency) start from a flushed database, which also
    empties the reference data that migrations load (counties, municipalities, work areas).
    Load it again for them, with the migrations' own functions."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    from polyfon.members.models import Municipality

    if not Municipality.objects.exists():
        import_module("polyfon.members.migrations.0002_regions_2024").load(apps, None)
        import_module("polyfon.content.migrations.0002_seed_work_areas").seed(apps, None)
