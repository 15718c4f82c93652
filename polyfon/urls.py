"""Root URLs: public pages at /, the participant's own pages at /min-side/, the office at
/kontor/, accounts at /konto/. Apps own their paths below these prefixes."""

from django.urls import include, path
from django.views.i18n import set_language

from polyfon.core.permissions import public

urlpatterns = [
    path("", include("polyfon.core.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("", include("polyfon.accounts.urls")),
    path("konto/", include("allauth.urls")),
    path("", include("polyfon.members.urls")),
    path("", include("polyfon.content.urls")),
    path("", include("polyfon.billing.urls")),
    path("", include("polyfon.funding.urls")),
    path("", include("polyfon.events.urls")),
    path("", include("polyfon.governance.urls")),
    path("", include("polyfon.reporting.urls")),
]

handler403 = "polyfon.core.views.permission_denied"
handler404 = "polyfon.core.views.page_not_found"
handler500 = "polyfon.core.views.server_error"
