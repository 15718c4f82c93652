"""The coordinator's office (/kontor/arrangement/) for events. Thin: rule, form, service, page."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polyfon.core.audit import entries_for
from polyfon.core.downloads import attachment_response
from polyfon.core.errors import DomainError
from polyfon.core.listing import Column, ListPage
from polyfon.core.models import AuditEntry
from polyfon.core.pages import errors_on, form_page, list_response, move_page
from polyfon.core.permissions import requires

from .. import lifecycle, selectors, services
from .. import permissions as perms
from ..certificates import certificate_pdf
from ..filters import EventFilter, RegistrationFilter
from ..forms import DATALIST_ID, EventCopyForm, EventForm, EventMessageForm, QuestionFormSet, RegistrationForm
from ..models import Event, Registration, RegistrationSource

# --- Events ------------------------------------------------------------------------------------------------

EVENT_COLUMNS = [
    Column("title", gettext_lazy("Title"), lambda e: e.title, sort="title", link=True),
    Column("starts_at", gettext_lazy("Starts"), lambda e: e.starts_at, sort="starts_at"),
    Column("kind", gettext_lazy("Kind"), lambda e: e.get_kind_display(), sort="kind"),
    Column("status", gettext_lazy("Status"), lambda e: e.get_status_display(), sort="status"),
    Column("is_public", gettext_lazy("Public"), lambda e: e.is_public, sort="is_public"),
    Column("capacity", gettext_lazy("Places"), lambda e: e.capacity, sort="capacity", numeric=True),
    Column("confirmed", gettext_lazy("Registered"), lambda e: e.confirmed_count, sort="confirmed_count", numeric=True),
    Column("waiting", gettext_lazy("Waiting list"), lambda e: e.waiting_count, sort="waiting_count", numeric=True),
    Column("attended", gettext_lazy("Attended"), lambda e: e.attended_count, sort="attended_count", numeric=True),
    Column("ends_at", gettext_lazy("Ends"), lambda e: e.ends_at, export_only=True),
    Column("location", gettext_lazy("Place"), lambda e: e.location, export_only=True),
    Column("audiences", gettext_lazy("Audiences"), lambda e: ", ".join(str(a) for a in e.audience_labels), export_only=True),
]


@requires(perms.can_manage_events)
def office_event_list(request):
    page = ListPage(
        request,
        queryset=selectors.office_event_list(),
        columns=EVENT_COLUMNS,
        filterset_class=EventFilter,
        default_sort="-starts_at",
    )
    actions = [{"label": _("New event"), "url": reverse("events:event_create")}]
    return list_response(request, page, title=_("Events"), filename="arrangementer", actions=actions)


def _event_values(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("notify_registrants", None)
    return data


@requires(perms.can_manage_events)
def event_create(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            event = services.event_create(actor=request.user, **_event_values(form))
            messages.success(request, _("The event is created as a draft. Publish it when it is ready."))
            return redirect(event.get_absolute_url())
    return form_page(request, form, title=_("New event"), submit=_("Create"), cancel_url=reverse("events:office_event_list"))


@requires(perms.can_manage_events)
def event_edit(request, pk):
    event = get_object_or_404(Event.objects.prefetch_related("audiences", "work_areas"), pk=pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.event_update(
                event=event,
                actor=request.user,
                notify_registrants=form.cleaned_data.get("notify_registrants", False),
                **_event_values(form),
            )
            messages.success(request, _("The event is saved."))
            return redirect(event.get_absolute_url())
    return form_page(
        request, form, title=_("Edit %(title)s") % {"title": event}, submit=_("Save"), cancel_url=event.get_absolute_url()
    )


@requires(perms.can_manage_events)
def event_copy(request, pk):
    event = get_object_or_404(Event.objects.prefetch_related("audiences"), pk=pk)
    form = EventCopyForm(
        request.POST or None,
        # No end: left empty, the copy keeps the length of the original at its new start.
        initial={"title": event.title, "starts_at": event.starts_at, "audiences": event.audience_codes},
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            copy = services.event_copy(event=event, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The copy is created as a draft. Check it and publish it."))
            return redirect(copy.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Copy %(title)s") % {"title": event},
        intro=_(
            "The copy gets the description, place, places, questions and work areas of this event, at the new time. "
            "The registration times move with the start. Registrations are not copied."
        ),
        submit=_("Copy"),
        cancel_url=event.get_absolute_url(),
    )


def _office_event(pk) -> Event:
    try:
        return selectors.office_event(pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None


@requires(perms.can_manage_events)
def office_event_detail(request, pk):
    event = _office_event(pk)
    counts = selectors.registration_counts(event)
    moves = [
        move
        for move in lifecycle.EVENT_MOVES.moves_from(event.status)
        # Back to draft only while nobody is registered (the service says so too).
        if not (move.name == "unpublish" and counts.confirmed + counts.waiting)
    ]
    timeline = entries_for(event).exclude(action__startswith="polyfon.events.registration.")[:50]
    return render(
        request,
        "events/office/event_detail.html",
        {
            "event": event,
            "counts": counts,
            "by_audience": selectors.counts_by_audience(event),
            "by_kind": selectors.counts_by_organisation_kind(event),
            "by_organisation": selectors.counts_by_organisation(event),
            "dietary": selectors.dietary_needs(event),
            "moves": moves,
            "timeline": timeline,
        },
    )


@requires(perms.can_manage_events)
def event_move(request, pk, move):
    event = get_object_or_404(Event, pk=pk)
    # A move may need no details (publish): the POST is the click, even when it carries no fields.
    return move_page(
        request, event, table=lifecycle.EVENT_MOVES, move=move, object_arg="event", cancel_url=event.get_absolute_url()
    )


@requires(perms.can_manage_events)
def event_questions(request, pk):
    event = get_object_or_404(Event, pk=pk)
    initial = [{"pk": q.pk, "text": q.text, "help_text": q.help_text, "required": q.required} for q in event.questions.all()]
    formset = QuestionFormSet(request.POST or None, initial=initial, prefix="question")
    error = None
    if request.method == "POST" and formset.is_valid():
        entries = [
            services.QuestionEntry(
                text=f.cleaned_data["text"],
                help_text=f.cleaned_data.get("help_text", ""),
                required=f.cleaned_data.get("required", False),
                pk=f.cleaned_data.get("pk"),
            )
            for f in formset.forms
            if f.cleaned_data and f.cleaned_data.get("text") and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.event_set_questions(event=event, actor=request.user, questions=entries)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("The questions are saved."))
            return redirect(event.get_absolute_url())
    return render(request, "events/office/event_questions.html", {"event": event, "formset": formset, "error": error})


# --- Registrations of an event -----------------------------------------------------------------------------------


def registration_columns(event: Event) -> list[Column]:
    columns = [
        Column("name", gettext_lazy("Name"), lambda r: str(r), sort="name", link=True),
        Column("email", gettext_lazy("E-mail address"), lambda r: r.email, sort="email"),
        Column("organisation", gettext_lazy("Organisation"), lambda r: r.organisation_display, sort="organisation_name"),
        Column(
            "organisation_kind",
            gettext_lazy("Kind of organisation"),
            lambda r: r.get_organisation_kind_display() if r.organisation_kind else "",
            sort="organisation_kind",
        ),
        Column("status", gettext_lazy("Status"), lambda r: r.get_status_display(), sort="status"),
        Column("created_at", gettext_lazy("Registered"), lambda r: r.created_at, sort="created_at"),
        Column("attended", gettext_lazy("Attended"), lambda r: r.attended, sort="attended"),
        Column("role", gettext_lazy("Role or position"), lambda r: r.role, export_only=True),
        Column("dietary_needs", gettext_lazy("Dietary needs"), lambda r: r.dietary_needs, export_only=True),
        Column("language", gettext_lazy("Language"), lambda r: r.get_language_display(), export_only=True),
        Column("source", gettext_lazy("Registered through"), lambda r: r.get_source_display(), export_only=True),
        Column("registered_by", gettext_lazy("Registered by"), lambda r: r.registered_by or "", export_only=True),
        Column("org_number", gettext_lazy("Organisation number"), lambda r: r.organisation.org_number if r.organisation else "", export_only=True),
        Column("confirmed_at", gettext_lazy("Place confirmed"), lambda r: r.confirmed_at, export_only=True),
        Column("cancelled_at", gettext_lazy("Cancelled"), lambda r: r.cancelled_at, export_only=True),
        Column("checked_in_at", gettext_lazy("Attendance marked"), lambda r: r.checked_in_at, export_only=True),
    ]
    for question in selectors.questions_of(event):
        key = str(question.pk)
        columns.append(Column(f"question_{key}", question.text, lambda r, key=key: r.answers.get(key, ""), export_only=True))
    return columns


@requires(perms.can_manage_events)
def event_registrations(request, pk):
    event = get_object_or_404(Event, pk=pk)
    page = ListPage(
        request,
        queryset=selectors.registration_list(event),
        columns=registration_columns(event),
        filterset_class=RegistrationFilter,
        default_sort="created_at",
    )
    actions = [
        {"label": _("Register someone"), "url": reverse("events:event_registration_add", args=[event.pk])},
        {"label": _("Attendance"), "url": reverse("events:event_checkin", args=[event.pk])},
        {"label": _("Back to the event"), "url": event.get_absolute_url()},
    ]
    return list_response(
        request,
        page,
        title=_("Registrations: %(title)s") % {"title": event},
        filename=f"pameldinger-{event.slug}"[:80],
        actions=actions,
    )


@requires(perms.can_manage_events)
def event_registration_add(request, pk):
    event = get_object_or_404(Event.objects.prefetch_related("audiences", "questions"), pk=pk)
    form = RegistrationForm(request.POST or None, event=event, include_language=True, public=False)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            registration = services.registration_create(
                event=event, source=RegistrationSource.OFFICE, registered_by=request.user, **form.service_values()
            )
            if registration.is_confirmed:
                messages.success(request, _("%(name)s is registered and gets a confirmation by e-mail.") % {"name": registration.name})
            else:
                messages.warning(request, _("The event is full: %(name)s is on the waiting list.") % {"name": registration.name})
            return redirect("events:event_registrations", pk=event.pk)
    return render(
        request,
        "events/office/registration_form.html",
        {"event": event, "form": form, "title": _("Register someone for %(title)s") % {"title": event}, "datalist_id": DATALIST_ID},
    )


def _registration(pk) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("event", "organisation", "registered_by").prefetch_related("event__questions", "event__audiences"),
        pk=pk,
    )


@requires(perms.can_manage_events)
def office_registration_edit(request, pk):
    registration = _registration(pk)
    event = registration.event
    form = None
    if not registration.is_anonymised:
        form = RegistrationForm(
            request.POST or None,
            event=event,
            include_language=True,
            public=False,
            initial=RegistrationForm.initial_for(registration),
        )
        if request.method == "POST" and form.is_valid():
            with errors_on(form):
                services.registration_update(registration=registration, actor=request.user, by_office=True, **form.service_values())
                messages.success(request, _("The registration is saved."))
                return redirect("events:event_registrations", pk=event.pk)
    history = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Event), object_id=str(event.pk), payload__registration=registration.pk
    ).select_related("actor")
    return render(
        request,
        "events/office/registration_form.html",
        {
            "event": event,
            "registration": registration,
            "form": form,
            "title": str(registration),
            "timeline": history[:50],
            "datalist_id": DATALIST_ID,
        },
    )


@require_POST
@requires(perms.can_manage_events)
def office_registration_cancel(request, pk):
    registration = _registration(pk)
    try:
        services.registration_cancel(registration=registration, actor=request.user, by_office=True)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The registration is cancelled."))
    return redirect("events:event_registrations", pk=registration.event_id)


@requires(perms.can_manage_events)
def office_registration_certificate(request, pk):
    registration = _registration(pk)
    if not registration.can_download_certificate():
        raise Http404
    return attachment_response(certificate_pdf(registration), filename=f"kursbevis-{registration.event.slug}-{registration.pk}.pdf")


# --- Attendance (works on a phone) --------------------------------------------------------------------------------


@requires(perms.can_manage_events)
def event_checkin(request, pk):
    event = get_object_or_404(Event, pk=pk)
    search = request.GET.get("q", "")
    return render(
        request,
        "events/office/checkin.html",
        {
            "event": event,
            "registrations": selectors.checkin_list(event, search=search),
            "counts": selectors.registration_counts(event),
            "search": search,
        },
    )


@require_POST
@requires(perms.can_manage_events)
def registration_checkin(request, pk):
    registration = _registration(pk)
    error = None
    try:
        registration = services.registration_set_attendance(
            registration=registration, actor=request.user, attended=request.POST.get("attended") == "yes"
        )
    except DomainError as exc:
        error = exc.message
    if request.headers.get("HX-Request"):
        return render(
            request,
            "events/office/checkin_row.html",
            {"registration": registration, "event": registration.event, "error": error, "search": request.POST.get("q", "")},
        )
    if error:
        messages.error(request, error)
    url = reverse("events:event_checkin", args=[registration.event_id])
    search = request.POST.get("q", "")
    query = "?" + urlencode({"q": search}) if search else ""
    return redirect(f"{url}{query}#registration-{registration.pk}")


# --- E-mail to the registrants ----------------------------------------------------------------------------------


@requires(perms.can_manage_events)
def event_message(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = EventMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            message = services.event_message_send(event=event, actor=request.user, **form.cleaned_data)
            messages.success(
                request, _("The message is on its way to %(count)s people.") % {"count": message.recipient_count}
            )
            return redirect(event.get_absolute_url())
    return render(
        request,
        "events/office/event_message.html",
        {"event": event, "form": form, "sent": event.messages.select_related("sent_by")},
    )
