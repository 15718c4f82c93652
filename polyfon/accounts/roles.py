"""The roles of a user, computed once per request and cached on the user object.

coordinator          User.is_coordinator (or superuser)
steering member      a current steering-group representative or deputy of a member participant,
                     or the holder of a current seat in the steering group (governance.Seat)
participant contact  a contact person (any role) of one or more participants
registered user      any other logged-in user
anonymous            not logged in

Apps ask these functions; nobody else looks at the underlying tables to decide a role.
"""

from django.apps import apps

_CACHE = "_polyfon_roles"


def _cache(user) -> dict:
    cache = getattr(user, _CACHE, None)
    if cache is None:
        cache = {}
        try:
            setattr(user, _CACHE, cache)
        except AttributeError:
            pass
    return cache


def is_authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_coordinator(user) -> bool:
    return is_authenticated(user) and bool(user.is_coordinator or user.is_superuser)


def contact_participant_ids(user) -> frozenset[int]:
    """Participants this user is a contact person for (any contact role)."""
    if not is_authenticated(user):
        return frozenset()
    cache = _cache(user)
    if "contact_ids" not in cache:
        ParticipantContact = apps.get_model("members", "ParticipantContact")
        cache["contact_ids"] = frozenset(
            ParticipantContact.objects.filter(person__user=user).values_list("participant_id", flat=True)
        )
    return cache["contact_ids"]


def is_participant_contact(user) -> bool:
    return bool(contact_participant_ids(user))


def is_steering_member(user) -> bool:
    """A steering-group representative or deputy in the register, or the holder of a current seat
    in the (active) steering group of governance: one query, cached for the request."""
    if not is_authenticated(user):
        return False
    cache = _cache(user)
    if "steering" not in cache:
        from django.contrib.auth import get_user_model
        from django.db.models import Exists, OuterRef, Q
        from django.utils import timezone

        ParticipantContact = apps.get_model("members", "ParticipantContact")
        Seat = apps.get_model("governance", "Seat")
        today = timezone.localdate()
        contact = ParticipantContact.objects.steering_group().filter(person__user=OuterRef("pk"))
        seat = Seat.objects.filter(
            person__user=OuterRef("pk"), body__kind="steering_group", body__is_active=True, start_date__lte=today
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        cache["steering"] = get_user_model().objects.filter(pk=user.pk).filter(Exists(contact) | Exists(seat)).exists()
    return cache["steering"]


def can_read_register(user) -> bool:
    """Coordinators and steering-group members read the whole register."""
    return is_coordinator(user) or is_steering_member(user)


def has_min_side(user) -> bool:
    return is_authenticated(user)


def clear(user) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)
