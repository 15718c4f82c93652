"""Public pages of events (/arrangement/): list, calendar, event page with the registration form,
iCal feed and files, and the registered person's own page behind their signed link."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from polyfon.content.models import WorkArea
from polyfon.core.downloads import attachment_response
from polyfon.core.errors import DomainError
from polyfon.core.ical import CONTENT_TYPE as ICAL_CONTENT_TYPE
from polyfon.core.pages import errors_on
from polyfon.core.permissions import public

from .. import ical, selectors, services
from .. import permissions as perms
from ..certificates import certificate_pdf
from ..forms import DATALIST_ID, RegistrationForm, ResendLinkForm
from ..models import Audience, Event, RegistrationSource
from ..tokens import token_for

PAGE_SIZE = 20


def registration_rate(group, request) -> str:
    """Registrations per address and hour (a municipality's office may share one address)."""
    return getattr(settings, "EVENTS_REGISTRATION_RATE_LIMIT", "30/h")


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _filters(request) -> dict:
    """The audience and work-area filters of the list and the calendar, from the query string."""
    audience = request.GET.get("audience") or ""
    if audience not in Audience.values:
        audience = ""
    work_areas = list(WorkArea.objects.filter(is_active=True))
    work_area = next((w for w in work_areas if w.slug == request.GET.get("work_area")), None)
    return {"audience": audience, "work_area": work_area, "work_areas": work_areas, "audiences": Audience.choices}


def _visible_event(request, slug) -> Event:
    try:
        event = selectors.public_event(slug=slug)
    except Event.DoesNotExist:
        raise Http404 from None
    if not perms.can_view_event(request.user, event):
        raise Http404  # events the viewer may not see do not exist for them
    return event


@public
def event_list(request):
    filters = _filters(request)
    past = request.GET.get("period") == "past"
    events = selectors.event_list(
        viewer=request.user, audience=filters["audience"], work_area=filters["work_area"], past=past
    )
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    keep = [("period", "past")] if past else []
    return render(request, "events/public/event_list.html", {"page_obj": page_obj, "past": past, "keep": keep, **filters})


@public
def event_calendar(request):
    filters = _filters(request)
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    if not 2000 <= first.year <= 2100:
        first = today.replace(day=1)
    events = list(
        selectors.events_in_month(
            viewer=request.user, year=first.year, month=first.month, audience=filters["audience"], work_area=filters["work_area"]
        )
    )
    previous = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return render(
        request,
        "events/public/event_calendar.html",
        {
            "month": first,
            "weeks": selectors.month_weeks(first.year, first.month, events, today=today),
            "events": events,
            "previous": previous,
            "following": following,
            "keep": [("month", f"{first:%Y-%m}")],
            **filters,
        },
    )


def _ics_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    return attachment_response(content, filename=filename, content_type=ICAL_CONTENT_TYPE, inline=inline)


@public
def event_feed(request):
    return _ics_response(ical.feed_ical(selectors.feed_events()), "arrangement.ics", inline=True)


@public
def event_ics(request, slug):
    event = _visible_event(request, slug)
    return _ics_response(ical.event_ical(event), f"{event.slug}.ics")


@public
@ratelimit(key="ip", rate=registration_rate, method="POST", block=False)
def event_detail(request, slug):
    event = _visible_event(request, slug)
    initial = {"name": request.user.get_full_name(), "email": request.user.email} if request.user.is_authenticated else {}
    form = RegistrationForm(request.POST or None, event=event, initial=initial)
    already_registered = False
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(None, _("Too many registrations have been sent from your network in a short time. Wait a while, or e-mail us."))
        elif form.is_bot:
            # A filled-in hidden field: answer as if it worked, keep nothing.
            messages.success(request, _("Thank you for registering."))
            return redirect("events:event_detail", slug=event.slug)
        elif form.is_valid():
            try:
                registration = services.registration_create(
                    event=event, language=_language(), source=RegistrationSource.PUBLIC, **form.service_values()
                )
            except DomainError as error:
                form.add_domain_error(error)
                already_registered = error.code == "already_registered"
            else:
                if registration.is_confirmed:
                    messages.success(request, _("You are registered. A confirmation is on its way to your e-mail."))
                else:
                    messages.info(request, _("The event is full: you are on the waiting list. We e-mail you if a place becomes free."))
                return redirect("events:registration_detail", token=token_for(registration))
    counts_left = None if event.capacity is None else max(event.capacity - event.confirmed_count, 0)
    return render(
        request,
        "events/public/event_detail.html",
        {
            "event": event,
            "form": form,
            "state": event.registration_state(),
            "places_left": counts_left,
            "already_registered": already_registered,
            "datalist_id": DATALIST_ID,
        },
    )


@public
@ratelimit(key="ip", rate=registration_rate, method="POST", block=False)
def registration_resend(request, slug):
    """'Send me my link again': the same answer whether or not the address is registered."""
    event = _visible_event(request, slug)
    form = ResendLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not getattr(request, "limited", False):
            services.registration_resend_link(event=event, email=form.cleaned_data["email"])
        messages.info(request, _("If the address is registered for this event, the link to the registration is on its way to it."))
        return redirect("events:event_detail", slug=event.slug)
    return render(request, "events/public/registration_resend.html", {"event": event, "form": form})


@public
def organisation_suggestions(request):
    """Options for the organisation field's <datalist>, as you type (htmx)."""
    text = request.GET.get("organisation") or request.GET.get("q") or ""
    options = [selectors.organisation_option(o) for o in selectors.organisation_suggestions(text)]
    return render(request, "events/public/organisation_options.html", {"options": options})


# --- The registered person's own page, behind the signed link ----------------------------------------------------


def _registration(token):
    registration = selectors.registration_for_token(token)
    if registration is None:
        raise Http404
    return registration


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@public
@never_cache
def registration_detail(request, token):
    registration = _registration(token)
    event = registration.event
    now = timezone.now()
    can_change = registration.is_active and not event.is_cancelled and not event.has_started(now)
    return _private(
        render(
            request,
            "events/public/registration_detail.html",
            {
                "registration": registration,
                "event": event,
                "token": token,
                "position": services.registrations.waiting_position(registration),
                "can_change": can_change,
                "show_online": registration.is_confirmed and not event.is_cancelled and not event.has_ended(now),
                "can_download_certificate": registration.can_download_certificate(now),
            },
        )
    )


@public
@never_cache
def registration_edit(request, token):
    registration = _registration(token)
    event = registration.event
    form = RegistrationForm(
        request.POST or None,
        event=event,
        include_email=False,
        include_language=True,
        public=False,
        initial=RegistrationForm.initial_for(registration),
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.registration_update(registration=registration, **form.service_values())
            messages.success(request, _("Your registration is changed."))
            return redirect("events:registration_detail", token=token)
    return _private(
        render(
            request,
            "events/public/registration_edit.html",
            {"registration": registration, "event": event, "form": form, "token": token, "datalist_id": DATALIST_ID},
        )
    )


@public
@never_cache
def registration_cancel(request, token):
    registration = _registration(token)
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect("events:registration_detail", token=token)
    return _private(
        render(
            request,
            "events/public/registration_cancel.html",
            {"registration": registration, "event": registration.event, "token": token},
        )
    )


@public
@never_cache
def registration_ics(request, token):
    registration = _registration(token)
    return _private(_ics_response(ical.event_ical(registration.event, registration=registration), f"{registration.event.slug}.ics"))


@public
@never_cache
def registration_certificate(request, token):
    registration = _registration(token)
    if not registration.can_download_certificate():
        raise Http404
    return _private(attachment_response(certificate_pdf(registration), filename=f"kursbevis-{registration.event.slug}.pdf"))
