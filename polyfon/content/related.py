"""What the public pages show from the apps built beside this one: events, calls and projects,
governance bodies. Every read is a guarded import inside a function, so the pages work (and
show nothing of an app) until that app provides what is named here.

The functions asked of the other apps (each returns a queryset or list of model objects, already
restricted to what the public may see, with their joins; the first `limit` are taken here):

- ``polyfon.events.selectors.event_list(*, viewer)``, called with ``viewer=None`` (an anonymous
  visitor): events the public may see that have not ended, soonest first, narrowed to a work area
  through ``work_areas``. Each has
  ``public_url`` (the public page), ``title``, ``starts_at``, ``get_kind_display()`` and
  ``is_cancelled``.
- ``polyfon.funding.selectors.open_calls()``: published calls open for applications now,
  nearest deadline first; ``get_public_url()``, ``display_title``, ``deadline``, ``work_areas``
  (none: open to every work area).
- ``polyfon.funding.selectors.projects_active_during(start, end)`` with today's date: projects
  (grants) running now, narrowed to the work area through ``application__work_area``; a
  ``title``, ``start_date``, and ``get_public_url()`` if they get a public page.
- ``polyfon.governance.models.Body``, read directly: the active bodies whose membership is public
  (``is_active``, ``is_public``) on the about page, and on a work area's page those with
  ``kind == BodyKind.WORKING_GROUP`` and ``work_area`` set to it; each with a ``name``,
  ``get_kind_display()`` and ``get_public_url()`` (the public page with its members).

Links go to ``get_public_url()`` or ``public_url`` only, never to ``get_absolute_url()``: in this
code base that is the office page.
"""

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime
from importlib import import_module

from django.db import DatabaseError, transaction
from django.utils.dateparse import parse_date, parse_datetime

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Teaser:
    """One line about an object of another app: what the public pages and the newsletter show."""

    key: str
    title: str
    url: str = ""
    when: datetime | date | None = None
    detail: str = ""
    cancelled: bool = False

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)

    def snapshot(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "url": self.url,
            "when": self.when.isoformat() if self.when else "",
            "detail": self.detail,
            "cancelled": self.cancelled,
        }

    @classmethod
    def from_snapshot(cls, data: dict) -> "Teaser":
        raw = data.get("when") or ""
        when = parse_datetime(raw) if "T" in raw else parse_date(raw) if raw else None
        return cls(
            key=str(data.get("key", "")),
            title=str(data.get("title", "")),
            url=str(data.get("url", "")),
            when=when,
            detail=str(data.get("detail", "")),
            cancelled=bool(data.get("cancelled")),
        )


def _function(module: str, name: str):
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _first(obj, names):
    for name in names:
        value = getattr(obj, name, None)
        if value:
            return value
    return None


def _text(obj, names) -> str:
    value = _first(obj, names)
    return str(value) if value else str(obj)


PUBLIC_URL_NAMES = ("get_public_url", "public_url")


def _url(obj, names=PUBLIC_URL_NAMES) -> str:
    """The object's public address (a method or a property), never its office page."""
    for name in names:
        try:
            value = getattr(obj, name, None)
            value = value() if callable(value) else value
        except Exception:  # a URL the other app has not wired yet
            logger.warning("no %s for %s", name, obj._meta.label)
            continue
        if value:
            return str(value)
    return ""


def _detail(obj) -> str:
    kind = getattr(obj, "get_kind_display", None)
    return str(kind()) if callable(kind) else ""


def _teaser(obj, *, when_names, url_names=PUBLIC_URL_NAMES) -> Teaser:
    return Teaser(
        key=f"{obj._meta.label_lower}:{obj.pk}",
        title=_text(obj, ["display_title", "title", "display_name", "name"]),
        url=_url(obj, url_names),
        when=_first(obj, when_names),
        detail=_detail(obj),
        cancelled=bool(getattr(obj, "is_cancelled", False)),
    )


def _evaluate(objects, make) -> list[Teaser]:
    """Turn the other app's objects into teasers. While that app is half-built (a model without
    its table yet), the query fails: the page then shows nothing of it instead of failing. The
    savepoint keeps a failed query from spoiling the request's transaction."""
    try:
        with transaction.atomic():
            return [make(obj) for obj in objects]
    except DatabaseError:
        logger.warning("content: related objects unavailable", exc_info=True)
        return []


def _for_work_area(objects, work_area, lookups):
    """Narrow the other app's queryset to a work area through the first lookup it knows. A lookup
    ending in "*" also keeps objects with no work area at all (open to every area)."""
    if work_area is None:
        return objects
    from django.core.exceptions import FieldError
    from django.db.models import Q, QuerySet

    if not isinstance(objects, QuerySet):
        return []  # cannot be narrowed: better nothing than another area's objects

    for lookup in lookups:
        open_to_all = lookup.endswith("*")
        lookup = lookup.rstrip("*")
        condition = Q(**{lookup: work_area}) | (Q(**{f"{lookup}__isnull": True}) if open_to_all else Q(pk__in=[]))
        try:
            return objects.filter(condition).distinct()
        except FieldError:
            continue
    return objects.none()


def _teasers(
    module, name, *args, when_names=(), url_names=PUBLIC_URL_NAMES, limit=None, work_area=None, lookups=(), **kwargs
) -> list[Teaser]:
    function = _function(module, name)
    if function is None:
        return []
    try:
        with transaction.atomic():
            objects = _for_work_area(function(*args, **kwargs), work_area, lookups)
            if limit is not None:
                objects = objects[:limit]
            return [_teaser(obj, when_names=when_names, url_names=url_names) for obj in objects]
    except DatabaseError:
        logger.warning("content: %s.%s unavailable", module, name, exc_info=True)
        return []


def upcoming_events(*, limit: int = 5, work_area=None) -> list[Teaser]:
    """Events a visitor may see that have not ended, soonest first (cancelled ones say so)."""
    return _teasers(
        "polyfon.events.selectors",
        "event_list",
        viewer=None,
        work_area=work_area,
        lookups=("work_areas",),
        limit=limit,
        when_names=("starts_at", "start", "start_at"),
    )


def open_calls(*, limit: int | None = 5, work_area=None) -> list[Teaser]:
    """Calls open for applications now; on a work area's page those for that area or for all."""
    return _teasers(
        "polyfon.funding.selectors",
        "open_calls",
        work_area=work_area,
        lookups=("work_areas*",),
        limit=limit,
        when_names=("deadline", "closes_at"),
    )


def projects(*, work_area, limit: int | None = 10) -> list[Teaser]:
    """Projects (grants) running today in the work area."""
    from polyfon.core.dates import local_today

    today = local_today()
    return _teasers(
        "polyfon.funding.selectors",
        "projects_active_during",
        today,
        today,
        work_area=work_area,
        lookups=("work_area", "application__work_area"),
        limit=limit,
        when_names=("start_date",),
    )


def _public_bodies():
    """governance.Body objects the public may see (active, membership public), or None while
    the governance app has no such model."""
    try:
        governance_models = import_module("polyfon.governance.models")
    except ImportError:
        return None, None
    body = getattr(governance_models, "Body", None)
    if body is None:
        return None, None
    fields = {field.name for field in body._meta.get_fields()}
    bodies = body.objects.all()
    if "is_active" in fields:
        bodies = bodies.filter(is_active=True)
    if "is_public" in fields:
        bodies = bodies.filter(is_public=True)
    return bodies, fields


def governance_bodies() -> list[Teaser]:
    """The bodies of the cluster shown on the about page (steering group, boards, panels, groups)."""
    bodies, _fields = _public_bodies()
    if bodies is None:
        return []
    return _evaluate(bodies, lambda b: _teaser(b, when_names=()))


def working_groups(work_area) -> list[Teaser]:
    """The working group(s) of the work area: governance.Body with kind working group."""
    bodies, fields = _public_bodies()
    if bodies is None or "work_area" not in fields:
        return []
    bodies = bodies.filter(work_area=work_area)
    if "kind" in fields:
        kinds = getattr(import_module("polyfon.governance.models"), "BodyKind", None)
        bodies = bodies.filter(kind=getattr(kinds, "WORKING_GROUP", "working_group"))
    # The heading says it is the working group; the kind is not repeated on each line.
    return _evaluate(bodies, lambda b: replace(_teaser(b, when_names=()), detail=""))
