"""Public pages: the calls (/utlysninger/), a page per call, and a JSON feed of open calls."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from polyfon.core.permissions import public
from polyfon.core.richtext import render_markdown

from .. import selectors
from ..models import Call, Eligibility


@public
def public_call_list(request):
    return render(request, "funding/public/call_list.html", {"calls": selectors.public_calls()})


@public
def public_call(request, slug):
    try:
        call = selectors.public_call(slug=slug)
    except Call.DoesNotExist:
        raise Http404 from None
    phase = call.phase
    return render(
        request,
        "funding/public/call_detail.html",
        {
            "call": call,
            "phase": phase,
            "grants": selectors.public_grants_of(call) if phase == "closed" else [],
        },
    )


def _feed_item(request, call: Call) -> dict:
    url = request.build_absolute_uri(call.get_public_url())
    return {
        "id": url,
        "url": url,
        "title": call.display_title,
        "content_text": call.display_text,
        "content_html": render_markdown(call.display_text, top_heading=2),
        "date_published": call.published_at.isoformat(),
        "date_modified": call.updated_at.isoformat(),
        "tags": [area.display_name for area in call.work_areas.all()],
        "_polyfon": {
            "about": "https://jsonfeed.org/version/1.1#extensions",
            "code": call.code,
            "kind": call.kind,
            "kind_label": call.get_kind_display(),
            "opens_at": call.opens_at.isoformat(),
            "deadline": call.deadline.isoformat(),
            "currency": "NOK",
            "total_budget": str(call.total_budget),
            "max_per_application": str(call.max_per_application),
            "admits_associates": call.eligibility == Eligibility.MEMBERS_AND_ASSOCIATES,
            "review_track": call.review_track,
            "attachments": list(call.required_attachments),
            "criteria": [{"name": c.display_name, "weight": c.weight} for c in call.criteria.all()],
        },
    }


@public
@cache_control(max_age=300, public=True)
def call_feed(request):
    """The open calls as a JSON Feed 1.1 (https://jsonfeed.org), in the visitor's language.
    Money is given as strings with two decimals so no reader turns it into a float."""
    from django.conf import settings

    calls = selectors.open_calls(timezone.now())
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _("%(cluster)s: open calls for funds") % {"cluster": settings.CLUSTER["name"]},
        "home_page_url": request.build_absolute_uri(reverse("funding:public_call_list")),
        "feed_url": request.build_absolute_uri(reverse("funding:call_feed")),
        "language": (get_language() or "nb")[:2],
        "items": [_feed_item(request, call) for call in calls],
    }
    response = JsonResponse(feed, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/feed+json; charset=utf-8"
    return response
