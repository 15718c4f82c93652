from django.conf import settings

from polyfon.accounts import roles


def cluster(request):
    """The cluster's identity and the viewer's roles, for the layouts' navigation."""
    user = getattr(request, "user", None)
    return {
        "CLUSTER": settings.CLUSTER,
        "DEMO_MODE": settings.DEMO_MODE,
        "viewer_is_coordinator": roles.is_coordinator(user),
        "viewer_is_steering_member": roles.is_steering_member(user),
        "viewer_has_min_side": roles.has_min_side(user),
    }
