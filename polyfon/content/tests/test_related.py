"""The guarded reads of the apps built beside this one: nothing until they are there, never an
error page when they are half-built, and only what belongs to the work area."""

import sys
import types
from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone

from polyfon.content import related
from polyfon.content.models import NewsArticle, WorkArea

from .factories import NewsArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_module(monkeypatch):
    """Install a stand-in module (e.g. polyfon.events.selectors) with the given functions."""

    def install(name, **functions):
        module = types.ModuleType(name)
        for key, value in functions.items():
            setattr(module, key, value)
        monkeypatch.setitem(sys.modules, name, module)
        return module

    return install


def test_nothing_is_shown_while_the_other_app_lacks_the_function(fake_module):
    fake_module("polyfon.events.selectors")
    fake_module("polyfon.funding.selectors")
    assert related.upcoming_events() == [] and related.open_calls() == []
    assert related.projects(work_area=WorkArea.objects.first()) == []


def test_objects_become_teasers_narrowed_to_the_work_area(fake_module):
    area = WorkArea.objects.get(slug="rus")
    NewsArticleFactory(title="For rus", work_areas=[area])
    NewsArticleFactory(title="For alle andre")
    # Any queryset will do as the other app's objects: news have work_areas, a title and a public URL.
    fake_module("polyfon.events.selectors", event_list=lambda *, viewer: NewsArticle.objects.order_by("title"))
    everything = related.upcoming_events(limit=5)
    assert [t.title for t in everything] == ["For alle andre", "For rus"]
    narrowed = related.upcoming_events(limit=5, work_area=area)
    assert [t.title for t in narrowed] == ["For rus"]
    assert narrowed[0].url.startswith("/nyheter/") and narrowed[0].key.startswith("content.newsarticle:")
    assert len(related.upcoming_events(limit=1)) == 1


def test_calls_open_to_every_work_area_are_shown_on_each_area(fake_module):
    area = WorkArea.objects.get(slug="rus")
    NewsArticleFactory(title="Bare rus", work_areas=[area])
    NewsArticleFactory(title="Alle områder")  # no work area: open to all
    NewsArticleFactory(title="Bare demens", work_areas=[WorkArea.objects.get(slug="eldrehelse")])
    fake_module("polyfon.funding.selectors", open_calls=lambda: NewsArticle.objects.order_by("title"))
    assert [t.title for t in related.open_calls(work_area=area)] == ["Alle områder", "Bare rus"]


def test_a_list_that_cannot_be_narrowed_shows_nothing_on_an_area_page(fake_module):
    fake_module("polyfon.events.selectors", event_list=lambda *, viewer: [NewsArticleFactory()])
    assert len(related.upcoming_events()) == 1
    assert related.upcoming_events(work_area=WorkArea.objects.first()) == []


def test_a_half_built_app_does_not_break_the_page_or_the_transaction(fake_module):
    fake_module(
        "polyfon.events.selectors",
        event_list=lambda *, viewer: NewsArticle.objects.raw("SELECT * FROM table_that_is_not_migrated_yet"),
    )
    assert related.upcoming_events() == []
    assert WorkArea.objects.count() == 5  # the connection is still usable (PostgreSQL too)

    def broken(*, viewer):
        raise DatabaseError("no such table")

    fake_module("polyfon.events.selectors", event_list=broken)
    assert related.upcoming_events() == []


def test_snapshots_keep_what_the_newsletter_showed():
    when = timezone.now() + timedelta(days=3)
    teaser = related.Teaser(key="events.event:1", title="Webinar", url="/arrangement/w/", when=when, detail="Webinar", cancelled=True)
    again = related.Teaser.from_snapshot(teaser.snapshot())
    assert again == teaser and again.has_time
    day = related.Teaser.from_snapshot({"key": "x", "title": "Frist", "when": "2027-02-01"})
    assert not day.has_time and day.when.isoformat() == "2027-02-01"


def test_working_groups_come_from_governance_bodies():
    area = WorkArea.objects.get(slug="eldrehelse")
    try:
        from polyfon.governance.models import Body, BodyKind
    except ImportError:
        assert related.working_groups(area) == []  # the governance app is not there: nothing shown
        return
    Body.objects.create(name="Arbeidsgruppe eldrehelse", slug="ag-eldre", kind=BodyKind.WORKING_GROUP, work_area=area, is_public=True)
    Body.objects.create(name="Lukket gruppe", slug="ag-lukket", kind=BodyKind.WORKING_GROUP, work_area=area, is_public=False)
    Body.objects.create(name="Annen gruppe", slug="ag-rus", kind=BodyKind.WORKING_GROUP,
                        work_area=WorkArea.objects.get(slug="rus"), is_public=True)
    groups = related.working_groups(area)
    assert [g.title for g in groups] == ["Arbeidsgruppe eldrehelse"]
    assert groups[0].url == Body.objects.get(slug="ag-eldre").get_public_url()
    assert "Arbeidsgruppe eldrehelse" in [b.title for b in related.governance_bodies()]
    assert "Lukket gruppe" not in [b.title for b in related.governance_bodies()]
