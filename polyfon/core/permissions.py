"""How views declare who may see them.

Each app writes its rules as named predicates in its own permissions.py (`can_view_x(user)`,
`can_change_x(user, obj)`). Views say which rule they need with `@requires(rule)`; object
rules are checked with `ensure(user, rule, obj)` after the object is loaded. Anonymous
visitors to a protected page are sent to the login page; logged-in users without the right
get 403. Every view carries its rule as `view.permission`, which the URL-by-role test reads.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def anyone(user) -> bool:
    """Public pages."""
    return True


def authenticated(user) -> bool:
    return bool(user and user.is_authenticated)


def deny(request):
    """The answer to a visitor without the right: anonymous visitors log in, others get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def requires(rule):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not rule(request.user):
                return deny(request)
            return view(request, *args, **kwargs)

        wrapped.permission = rule
        return wrapped

    return decorator


def public(view):
    """Marks a view as open to everyone (the marker the URL test looks for)."""
    view.permission = anyone
    return view


def ensure(user, rule, obj) -> None:
    """Object-level check: raise PermissionDenied unless `rule(user, obj)` holds."""
    if not rule(user, obj):
        raise PermissionDenied
