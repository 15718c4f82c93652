from datetime import date

from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from polyfon.core.permissions import public

# When the texts of the accessibility statement and the privacy page were last revised.
ACCESSIBILITY_STATEMENT_UPDATED = date(2026, 11, 24)
PRIVACY_POLICY_UPDATED = date(2026, 11, 24)


@public
@never_cache
def healthz(request):
    """Liveness and database check for load balancers: 200 when healthy, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@public
def home(request):
    """The front page: the cluster's purpose, current calls, next events, latest news, work areas."""
    from polyfon.content.selectors import front_page

    return render(request, "core/home.html", front_page())


@public
def accessibility(request):
    return render(request, "core/accessibility.html", {"statement_updated": ACCESSIBILITY_STATEMENT_UPDATED})


@public
def privacy(request):
    return render(request, "core/privacy.html", {"policy_updated": PRIVACY_POLICY_UPDATED})


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
