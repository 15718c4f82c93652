"""Writing and reading the audit log (pretix's `log_action`, in one function).

Action types are dotted: `polyfon.<app>.<model>.<verb>`. Their human labels live in
ACTION_LABELS so the timeline reads as sentences in the user's language.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from .models import AuditEntry

ACTION_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Apps declare the labels of their action types at import time (in their audit module)."""
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def audit_log(*, obj: models.Model, action: str, actor=None, payload: dict | None = None) -> AuditEntry:
    """Record a change of `obj`. Call it inside the transaction that makes the change."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        payload=payload or {},
    )


def field_changes(instance: models.Model, fields: Iterable[str], new_values: dict) -> dict[str, list]:
    """Apply `new_values` to `instance` and return {field: [old, new]} for what really changed."""
    changes: dict[str, list] = {}
    for name in fields:
        if name not in new_values:
            continue
        old, new = getattr(instance, name), new_values[name]
        if old != new:
            changes[name] = [_jsonable(old), _jsonable(new)]
            setattr(instance, name, new)
    return changes


def update_with_audit(instance: models.Model, values: dict, *, actor, action: str, extra: dict | None = None) -> dict:
    """Apply `values`, save only what changed and log it. Returns the changes ({} if none)."""
    changes = field_changes(instance, values.keys(), values)
    if changes:
        instance.save(update_fields=[*changes, *(["updated_at"] if hasattr(instance, "updated_at") else [])])
        audit_log(obj=instance, action=action, actor=actor, payload={"changes": changes, **(extra or {})})
    return changes


def _jsonable(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return [str(v) for v in value]
    return value


def entries_for(*objects: models.Model):
    """The timeline of one or more objects, newest first, with the actor joined."""
    condition = Q(pk__in=[])
    for obj in objects:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        condition |= Q(content_type=ct, object_id=str(obj.pk))
    return AuditEntry.objects.filter(condition).select_related("actor", "content_type")


