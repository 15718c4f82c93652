from django.db import transaction

from polyfon.core.audit import audit_log, field_changes

from .models import User


def user_update_profile(*, user: User, actor: User, full_name: str, language: str) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        changes = field_changes(user, ["full_name", "language"], {"full_name": full_name, "language": language})
        if changes:
            user.save(update_fields=list(changes))
            audit_log(obj=user, action="polyfon.accounts.user.changed", actor=actor, payload={"changes": changes})
    return user


def user_set_coordinator(*, user: User, actor: User, is_coordinator: bool) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_coordinator != is_coordinator:
            user.is_coordinator = is_coordinator
            user.save(update_fields=["is_coordinator"])
            audit_log(
                obj=user,
                action="polyfon.accounts.user.coordinator_changed",
                actor=actor,
                payload={"is_coordinator": is_coordinator},
            )
    return user
