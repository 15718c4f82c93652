"""Events on /min-side/: the person's own registrations, and a contact person registering several
colleagues from their organisation in one go."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polyfon.accounts import roles
from polyfon.core.pages import errors_on
from polyfon.core.permissions import authenticated, requires

from .. import permissions as perms
from .. import selectors, services
from ..forms import ColleagueOrganisationForm, colleague_formset_class
from ..models import Event
from ..tokens import token_for

MINE = "layouts/mine.html"
DEFAULT_ROWS, MAX_ROWS = 5, 50


@requires(authenticated)
def mine_events(request):
    registrations = [(r, token_for(r)) for r in selectors.my_registrations(request.user) if r.secret]
    return render(
        request,
        "events/mine/events.html",
        {
            "registrations": registrations,
            "open_events": selectors.events_open_for_colleagues(request.user)
            if roles.is_participant_contact(request.user)
            else [],
        },
    )


def _rows(request) -> int:
    try:
        rows = int(request.GET.get("rows", DEFAULT_ROWS))
    except ValueError:
        rows = DEFAULT_ROWS
    return min(max(rows, 1), MAX_ROWS)


@requires(perms.can_register_colleagues)
def mine_event_colleagues(request, slug):
    try:
        event = selectors.public_event(slug=slug)
    except Event.DoesNotExist:
        raise Http404 from None
    if not perms.can_view_event(request.user, event):
        raise Http404
    organisation_form = ColleagueOrganisationForm(request.POST or None, user=request.user)
    formset = colleague_formset_class(_rows(request))(request.POST or None, prefix="colleague", form_kwargs={"event": event})
    if request.method == "POST" and organisation_form.is_valid() and formset.is_valid():
        colleagues = [
            services.ColleagueEntry(**form.entry_values())
            for form in formset.forms
            if form.has_changed() and form.cleaned_data
        ]
        with errors_on(organisation_form):
            result = services.registrations_create_for_colleagues(
                event=event,
                actor=request.user,
                organisation=organisation_form.cleaned_data["organisation"],
                colleagues=colleagues,
            )
            if result.registered:
                messages.success(
                    request,
                    ngettext("%(count)s colleague is registered.", "%(count)s colleagues are registered.", len(result.registered))
                    % {"count": len(result.registered)},
                )
            if result.waiting:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s colleague is on the waiting list.", "%(count)s colleagues are on the waiting list.", len(result.waiting)
                    )
                    % {"count": len(result.waiting)},
                )
            if result.already_registered:
                messages.info(
                    request,
                    _("Already registered, so not registered again: %(emails)s") % {"emails": ", ".join(result.already_registered)},
                )
            return redirect("events:mine_event_colleagues", slug=event.slug)
    return render(
        request,
        "events/mine/colleagues.html",
        {
            "event": event,
            "organisation_form": organisation_form,
            "formset": formset,
            "state": event.registration_state(),
            "registrations": selectors.registrations_by(request.user, event),
            "more_rows": min(len(formset.forms) + 5, MAX_ROWS),
            "layout": MINE,
        },
    )
