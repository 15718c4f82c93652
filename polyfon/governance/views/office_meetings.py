"""The office (/kontor/styring/): meetings, agenda items, papers, attendance, minutes, decisions."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polyfon.core.audit import entries_for
from polyfon.core.listing import Column, ListPage
from polyfon.core.pages import errors_on, form_page, list_response, post_service, posted
from polyfon.core.permissions import requires

from .. import lifecycle, selectors, services
from .. import permissions as perms
from ..filters import DecisionFilter, MeetingFilter
from ..forms import (
    AgendaItemForm,
    AttendanceForm,
    DecisionEditForm,
    DecisionForm,
    DecisionLinkForm,
    ItemDocumentForm,
    MeetingCreateForm,
    MeetingForm,
    MinutesForm,
    NoteForm,
    TransferItemForm,
)
from ..models import AgendaItem, Body, Decision, ItemDocument, ItemKind, Meeting, MeetingStatus
from .common import move_page

MEETING_COLUMNS = [
    Column("starts_at", gettext_lazy("Time"), lambda m: m.starts_at, sort="starts_at"),
    Column("title", gettext_lazy("Meeting"), lambda m: m.title, sort="title", link=True),
    Column("body", gettext_lazy("Body"), lambda m: m.body.name, sort="body__name"),
    Column("status", gettext_lazy("Status"), lambda m: m.get_status_display(), sort="status"),
    Column("items", gettext_lazy("Items"), lambda m: m.item_count, sort="item_count", numeric=True),
    Column("location", gettext_lazy("Place"), lambda m: m.location or m.online_link, export_only=True),
]


@requires(perms.can_view_governance)
def meeting_list(request):
    page = ListPage(
        request, queryset=selectors.meeting_list(), columns=MEETING_COLUMNS, filterset_class=MeetingFilter, default_sort="-starts_at"
    )
    return list_response(request, page, title=_("Meetings"), filename="moter")


@requires(perms.can_manage_governance)
def meeting_create(request, pk):
    body = get_object_or_404(Body, pk=pk)
    start = (timezone.localtime() + timedelta(days=14)).replace(hour=10, minute=0, second=0, microsecond=0)
    form = MeetingCreateForm(
        posted(request),
        initial={"title": _("Meeting of %(body)s") % {"body": body.name}, "starts_at": start, "ends_at": start + timedelta(hours=2)},
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            meeting = services.meeting_create(body=body, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The meeting is planned. Add the agenda items, then send the invitation."))
            return redirect(meeting.get_absolute_url())
    return form_page(
        request, form, title=_("New meeting of %(body)s") % {"body": body}, submit=_("Create"), cancel_url=body.get_absolute_url()
    )


def _meeting(pk, *, public=False) -> Meeting:
    try:
        return selectors.meeting_detail(pk, public=public)
    except Meeting.DoesNotExist:
        raise Http404 from None


@requires(perms.can_view_governance)
def meeting_detail(request, pk):
    meeting = _meeting(pk)
    can_manage = perms.can_manage_governance(request.user)
    return render(
        request,
        "governance/office/meeting_detail.html",
        {
            "meeting": meeting,
            "items": list(meeting.items.all()),
            "moves": lifecycle.MEETING_MOVES.moves_from(meeting.status, on_page=True) if can_manage else [],
            "invitees": services.meeting_invitees(meeting),
            "timeline": entries_for(meeting)[:100],
            "can_manage": can_manage,
            "agenda_open": meeting.status in services.meetings.OPEN_AGENDA,
            "in_session": meeting.status in services.meetings.IN_SESSION,
            "reorderable": meeting.status in (MeetingStatus.PLANNED, MeetingStatus.INVITED),
        },
    )


@requires(perms.can_manage_governance)
def meeting_edit(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MeetingForm(posted(request), instance=Meeting.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.meeting_update(meeting=meeting, actor=request.user, **form.cleaned_data)
            if meeting.status == MeetingStatus.INVITED:
                messages.info(request, _("The meeting is saved. Send an updated invitation if the time or place changed."))
            else:
                messages.success(request, _("The meeting is saved."))
            return redirect(meeting.get_absolute_url())
    return form_page(request, form, title=_("Edit %(name)s") % {"name": meeting}, submit=_("Save"), cancel_url=meeting.get_absolute_url())


@requires(perms.can_manage_governance)
def meeting_move(request, pk, move):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    return move_page(request, meeting, table="meeting", move=move, cancel_url=meeting.get_absolute_url())


# --- Agenda items -----------------------------------------------------------------------------------------


@requires(perms.can_manage_governance)
def item_create(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    form = AgendaItemForm(posted(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.agenda_item_add(meeting=meeting, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The item is on the agenda."))
            return redirect(meeting.get_absolute_url())
    return form_page(
        request, form, title=_("New item for %(meeting)s") % {"meeting": meeting}, submit=_("Add"), cancel_url=meeting.get_absolute_url()
    )


@requires(perms.can_manage_governance)
def item_edit(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    form = AgendaItemForm(posted(request), instance=AgendaItem.objects.get(pk=pk), meeting=item.meeting)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.agenda_item_update(item=item, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The item is saved."))
            return redirect(item.get_absolute_url())
    return form_page(request, form, title=item.reference, submit=_("Save"), cancel_url=item.get_absolute_url())


@require_POST
@requires(perms.can_manage_governance)
def item_move(request, pk, direction):
    item = get_object_or_404(AgendaItem, pk=pk)
    if direction not in ("up", "down"):
        raise Http404
    return post_service(
        request,
        lambda: services.agenda_item_move(item=item, actor=request.user, direction=direction),
        success=_("The agenda is reordered."),
        redirect_to=reverse("governance:meeting_detail", args=[item.meeting_id]),
    )


@require_POST
@requires(perms.can_manage_governance)
def item_withdraw(request, pk):
    item = get_object_or_404(AgendaItem, pk=pk)
    return post_service(
        request,
        lambda: services.agenda_item_withdraw(item=item, actor=request.user, reason=request.POST.get("reason", "")),
        success=_("The item is withdrawn; it keeps its number."),
        redirect_to=reverse("governance:meeting_detail", args=[item.meeting_id]),
    )


@requires(perms.can_manage_governance)
def item_transfer(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    form = TransferItemForm(posted(request), item=item)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.agenda_item_transfer(item=item, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The item is moved; it keeps its number."))
            return redirect(form.cleaned_data["meeting"].get_absolute_url())
    return form_page(
        request, form, title=_("Move %(item)s to another meeting") % {"item": item.reference}, submit=_("Move"),
        cancel_url=item.meeting.get_absolute_url(),
    )


# --- Papers -------------------------------------------------------------------------------------------------


@requires(perms.can_manage_governance)
def document_upload(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    form = ItemDocumentForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.item_document_add(item=item, actor=request.user, uploaded=form.cleaned_data["file"],
                                       title=form.cleaned_data["title"], is_public=form.cleaned_data["is_public"])
            messages.success(request, _("The document is uploaded."))
            return redirect(item.get_absolute_url())
    return form_page(
        request, form, title=_("Document for %(item)s") % {"item": item}, submit=_("Upload"),
        cancel_url=item.get_absolute_url(), multipart=True,
    )


@require_POST
@requires(perms.can_manage_governance)
def document_remove(request, pk):
    document = get_object_or_404(ItemDocument.objects.select_related("item"), pk=pk)
    return post_service(
        request,
        lambda: services.item_document_remove(document=document, actor=request.user),
        success=_("The document is removed."),
        redirect_to=document.item.get_absolute_url(),
    )


# --- Attendance, minutes and their approval ---------------------------------------------------------------------


@requires(perms.can_manage_governance)
def attendance(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    from ..models import Seat

    seats = sorted(
        Seat.objects.current(meeting.local_date).filter(body=meeting.body).select_related("person", "participant", "work_area"),
        key=lambda s: (s.person.name, s.role),
    )
    recorded = {a.person_id: a for a in meeting.attendance.select_related("person")}
    people, seen = [], set()
    for seat in seats:
        if seat.person_id in seen:
            continue
        seen.add(seat.person_id)
        detail = seat.get_role_display() + (f", {seat.participant}" if seat.participant_id else "")
        people.append((seat.person, f"{seat.person.name} ({detail})"))
    for person_id, entry in recorded.items():
        if person_id not in seen:
            people.append((entry.person, entry.person.name))
    form = AttendanceForm(posted(request), people=people, recorded=recorded)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.attendance_record(meeting=meeting, actor=request.user, entries=form.entries())
            messages.success(request, _("The attendance is saved."))
            return redirect(meeting.get_absolute_url())
    return form_page(
        request, form, title=_("Attendance at %(meeting)s") % {"meeting": meeting},
        intro=_("Everyone with a seat in the body on the day of the meeting. A deputy may vote for the participant when its representative is not recorded as present."),
        submit=_("Save"), cancel_url=meeting.get_absolute_url(),
    )


@requires(perms.can_manage_governance)
def minutes(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    items = list(meeting.items.order_by("number"))
    form = MinutesForm(
        posted(request), items=items, initial={"chaired_by": meeting.chaired_by, "minutes_by": meeting.minutes_by}
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.minutes_save(
                meeting=meeting, actor=request.user, minutes=form.minutes(),
                chaired_by=form.cleaned_data["chaired_by"], minutes_by=form.cleaned_data["minutes_by"],
            )
            messages.success(request, _("The minutes are saved."))
            return redirect(meeting.get_absolute_url())
    return form_page(
        request, form, title=_("Minutes of %(meeting)s") % {"meeting": meeting},
        intro=_("What was said and concluded under each item. Decisions, elections and votes are recorded on the items themselves and are part of the minutes."),
        submit=_("Save the minutes"), cancel_url=meeting.get_absolute_url(),
    )


@requires(perms.can_manage_governance)
def minutes_approve(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting", "approves_meeting"), pk=pk)
    if item.kind != ItemKind.MINUTES_APPROVAL or item.approves_meeting is None:
        raise Http404
    form = NoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.minutes_approve(item=item, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The minutes are approved."))
            return redirect(item.get_absolute_url())
    return form_page(
        request, form, title=_("Approve the minutes of %(meeting)s") % {"meeting": item.approves_meeting},
        intro=lifecycle.MEETING_MOVES["approve_minutes"].explanation, submit=_("Approve the minutes"),
        cancel_url=item.get_absolute_url(),
    )


# --- Decisions -------------------------------------------------------------------------------------------------


@requires(perms.can_manage_governance)
def decision_create(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    form = DecisionForm(posted(request), initial={"text": item.proposed_decision})
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.decision_record(item=item, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The decision is recorded."))
            return redirect(item.get_absolute_url())
    return form_page(
        request, form, title=_("Decision under %(item)s") % {"item": item}, submit=_("Record"), cancel_url=item.get_absolute_url()
    )


@requires(perms.can_manage_governance)
def decision_edit(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("item__meeting"), pk=pk)
    form = DecisionEditForm(posted(request), initial={"text": decision.text, "vote": decision.vote})
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.decision_update(decision=decision, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The decision is saved."))
            return redirect(decision.get_absolute_url())
    return form_page(
        request, form, title=_("Decision under %(item)s") % {"item": decision.item}, submit=_("Save"),
        cancel_url=decision.get_absolute_url(),
    )


@requires(perms.can_manage_governance)
def decision_link(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("item"), pk=pk)
    form = DecisionLinkForm(
        posted(request),
        initial={"subject_type": decision.subject_type_id, "subject_id": decision.subject_id, "subject_label": decision.subject_label},
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.decision_link(decision=decision, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The decision is linked."))
            return redirect(decision.get_absolute_url())
    return form_page(
        request, form, title=_("What %(item)s decides") % {"item": decision.item.reference},
        intro=_("Link the decision to what it decides – a fee schedule, the grants of a call, a strategy – so that page can show it. Leave the kind empty to remove the link."),
        submit=_("Save"), cancel_url=decision.get_absolute_url(),
    )


def _subject_cell(decision):
    return decision.subject_label or ""


DECISION_COLUMNS = [
    Column("decided_on", gettext_lazy("Date"), lambda d: d.decided_on, sort="decided_on"),
    Column("item", gettext_lazy("Item"), lambda d: d.item.reference, sort="item__number"),
    Column("title", gettext_lazy("Case"), lambda d: d.item.title, sort="item__title", link=True),
    Column("body", gettext_lazy("Body"), lambda d: d.body.name, sort="body__name"),
    Column("summary", gettext_lazy("Decision"), lambda d: Truncator(d.text).words(30)),
    Column("text", gettext_lazy("Decision (full text)"), lambda d: d.text, export_only=True),
    Column("vote", gettext_lazy("Vote"), lambda d: d.vote, export_only=True),
    Column("subject", gettext_lazy("Decides about"), _subject_cell, sort="subject_label"),
]


@requires(perms.can_view_governance)
def decision_list(request):
    page = ListPage(
        request, queryset=selectors.decision_list(), columns=DECISION_COLUMNS, filterset_class=DecisionFilter, default_sort="-decided_on"
    )
    return list_response(request, page, title=_("Decision register"), filename="vedtak")
