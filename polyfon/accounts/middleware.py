from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import roles

# What a coordinator without two-factor authentication may still open: the account pages
# (where it is set up, and logout), the language switch, the health check and files.
EXEMPT_PREFIXES = ("/konto/", "/i18n/", "/healthz", "/static/", "/media/")


class RequireStaffMFAMiddleware:
    """With REQUIRE_STAFF_MFA on, a coordinator without two-factor authentication is sent to
    set it up before any other page opens: the office, but also the documents, the participants'
    pages and everything else a coordinator's role opens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_STAFF_MFA
            and not request.path.startswith(EXEMPT_PREFIXES)
            and roles.is_coordinator(request.user)
            and not _has_mfa(request.user)
        ):
            messages.warning(request, _("Coordinators must turn on two-factor authentication before using the office."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
