"""The coordinator's office (/kontor/) for the register. Thin: rule, form, service, page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polyfon.core.audit import entries_for
from polyfon.core.downloads import protected_file
from polyfon.core.errors import DomainError
from polyfon.core.listing import Column, ListPage
from polyfon.core.models import AuditEntry
from polyfon.core.pages import errors_on, form_page, list_response, move_page
from polyfon.core.permissions import requires

from .. import brreg, lifecycle, selectors, services
from .. import permissions as perms
from ..filters import OrganisationFilter, ParticipantFilter, PersonFilter
from ..forms import (
    AdmissionRoundForm,
    BrregImportForm,
    ContactAddForm,
    DocumentUploadForm,
    OrganisationEntryFormSet,
    OrganisationForm,
    ParticipantCreateForm,
    ParticipantForm,
    PersonForm,
)
from ..models import (
    AdmissionRound,
    Agreement,
    AgreementDocument,
    LetterOfIntent,
    Organisation,
    Participant,
    ParticipantContact,
    Person,
)

# --- Dashboard --------------------------------------------------------------------------------------------


@requires(perms.can_view_register)
def office_dashboard(request):
    return render(
        request,
        "members/office/dashboard.html",
        {
            "status_counts": selectors.status_counts(),
            "recent_letters": LetterOfIntent.objects.select_related("participant")[:5],
            "steering_gaps": selectors.steering_group_gaps()[:10],
            "recent_changes": AuditEntry.objects.select_related("actor")[:10]
            if perms.can_view_audit_log(request.user)
            else [],
        },
    )


# --- Participants -----------------------------------------------------------------------------------------


def _lead(participant):
    return selectors.lead_organisation(participant)


PARTICIPANT_COLUMNS = [
    Column("name", gettext_lazy("Name"), lambda p: p.name, sort="name", link=True),
    Column("kind", gettext_lazy("Kind"), lambda p: p.get_kind_display(), sort="kind"),
    Column("status", gettext_lazy("Status"), lambda p: p.get_status_display(), sort="status"),
    Column("fee_category", gettext_lazy("Fee category"), lambda p: p.get_fee_category_display(), sort="fee_category"),
    Column(
        "organisation_kind",
        gettext_lazy("Kind of organisation"),
        lambda p: _lead(p).get_kind_display() if _lead(p) else "",
    ),
    Column("county", gettext_lazy("County"), lambda p: _lead(p).county if _lead(p) and _lead(p).county else ""),
    Column("network", gettext_lazy("Regional network"), lambda p: p.network or "", sort="network__name"),
    Column("member_since", gettext_lazy("Member since"), lambda p: p.member_since, sort="member_since"),
    Column("member_until", gettext_lazy("Member until"), lambda p: p.member_until, sort="member_until"),
    Column(
        "org_numbers",
        gettext_lazy("Organisation numbers"),
        lambda p: " ".join(m.organisation.org_number for m in p.memberships.all()),
        export_only=True,
    ),
    Column("work_areas", gettext_lazy("Work areas"), lambda p: ", ".join(str(w) for w in p.work_areas.all()), export_only=True),
]


@requires(perms.can_view_register)
def participant_list(request):
    page = ListPage(
        request,
        queryset=selectors.participant_list(viewer=request.user),
        columns=PARTICIPANT_COLUMNS,
        filterset_class=ParticipantFilter,
        default_sort="name",
    )
    actions = [{"label": _("New participant"), "url": reverse("members:participant_create")}] if perms.can_manage_register(request.user) else []
    return list_response(request, page, title=_("Participants"), filename="deltakere", actions=actions)


@requires(perms.can_manage_register)
def participant_create(request):
    form = ParticipantCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entries = [services.OrganisationEntry(data.pop("lead_organisation"), is_lead=True)] + [
            services.OrganisationEntry(o) for o in data.pop("other_organisations")
        ]
        with errors_on(form):
            participant = services.participant_create(actor=request.user, organisations=entries, **data)
            messages.success(request, _("The participant is registered as a prospect."))
            return redirect(participant.get_absolute_url())
    return form_page(
        request, form, title=_("New participant"), submit=_("Register"), cancel_url=reverse("members:participant_list")
    )


def _participant(pk):
    try:
        return selectors.participant_detail(pk=pk)
    except Participant.DoesNotExist:
        raise Http404 from None


@requires(perms.can_view_register)
def participant_detail(request, pk):
    participant = _participant(pk)
    can_manage = perms.can_manage_register(request.user)
    return render(
        request,
        "members/office/participant_detail.html",
        {
            "participant": participant,
            "lead": selectors.lead_organisation(participant),
            "moves": lifecycle.MOVES.moves_from(participant.status) if can_manage else [],
            "timeline": entries_for(participant)[:100],
            "can_manage": can_manage,
        },
    )


@requires(perms.can_manage_register)
def participant_edit(request, pk):
    participant = get_object_or_404(Participant, pk=pk)
    form = ParticipantForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form):
            services.participant_update(
                participant=participant,
                actor=request.user,
                work_areas=data.pop("work_areas"),
                **data,
            )
            messages.success(request, _("The participant is saved."))
            return redirect(participant.get_absolute_url())
    return form_page(
        request, form, title=_("Edit %(name)s") % {"name": participant}, submit=_("Save"), cancel_url=participant.get_absolute_url()
    )


@requires(perms.can_manage_register)
def participant_organisations(request, pk):
    participant = get_object_or_404(Participant, pk=pk)
    initial = [
        {"organisation": m.organisation, "is_lead": m.is_lead, "invoice_share": m.invoice_share}
        for m in participant.memberships.select_related("organisation")
    ]
    formset = OrganisationEntryFormSet(request.POST or None, initial=initial, prefix="org")
    error = None
    if request.method == "POST" and formset.is_valid():
        entries = [
            services.OrganisationEntry(f.cleaned_data["organisation"], f.cleaned_data["is_lead"], f.cleaned_data["invoice_share"])
            for f in formset.forms
            if f.cleaned_data and f.cleaned_data.get("organisation") and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.participant_set_organisations(
                participant=participant, actor=request.user, organisations=entries,
                invoice_split=request.POST.get("invoice_split") or None,
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("The organisations are saved."))
            return redirect(participant.get_absolute_url())
    return render(
        request,
        "members/office/participant_organisations.html",
        {"participant": participant, "formset": formset, "error": error},
    )


@requires(perms.can_manage_register)
def participant_contact_add(request, pk):
    participant = get_object_or_404(Participant, pk=pk)
    form = ContactAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            _add_contact(participant, form.cleaned_data, actor=request.user)
            messages.success(request, _("The contact person is added."))
            return redirect(participant.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Add contact person to %(name)s") % {"name": participant},
        submit=_("Add"),
        cancel_url=participant.get_absolute_url(),
    )


def _add_contact(participant, data, *, actor):
    """Use the chosen person, or register the new one (matched on e-mail), then give the role."""
    person = data.get("person")
    if person is None:
        person = Person.objects.filter(email__iexact=data["email"]).first() or services.person_create(
            actor=actor,
            name=data["name"],
            email=data["email"],
            phone=data.get("phone", ""),
            title=data.get("title", ""),
            organisations=[m.organisation for m in participant.memberships.filter(is_lead=True)],
        )
    return services.participant_add_contact(participant=participant, person=person, role=data["role"], actor=actor)


@require_POST
@requires(perms.can_manage_register)
def participant_contact_remove(request, pk, contact_pk):
    contact = get_object_or_404(ParticipantContact.objects.select_related("person"), pk=contact_pk, participant_id=pk)
    try:
        services.participant_remove_contact(contact=contact, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The contact person is removed."))
    return redirect("members:participant_detail", pk=pk)


@requires(perms.can_manage_register)
def participant_move(request, pk, move):
    participant = get_object_or_404(Participant, pk=pk)
    return move_page(
        request,
        participant,
        table=lifecycle.MOVES,
        move=move,
        object_arg="participant",
        cancel_url=participant.get_absolute_url(),
        initial=_move_initial(move),
        multipart=True,
    )


def _move_initial(move):
    today = timezone.localdate()
    return {
        "record_letter": {"received_on": today},
        "admit": {"signed_on": today, "start_date": today, "notice_period_months": 12},
        "give_notice": {"notice_date": today},
        "end_membership": {"ended_on": today},
    }.get(move, {})


@requires(perms.can_manage_register)
def agreement_document_upload(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("participant"), pk=pk)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.agreement_add_document(
            agreement=agreement, uploaded=form.cleaned_data["file"], actor=request.user, note=form.cleaned_data["note"]
        )
        messages.success(request, _("The document is uploaded."))
        return redirect(agreement.participant.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Upload agreement document"),
        submit=_("Upload"),
        cancel_url=agreement.participant.get_absolute_url(),
        multipart=True,
    )


@requires(lambda user: user.is_authenticated)
def agreement_document_download(request, pk):
    document = get_object_or_404(AgreementDocument.objects.select_related("agreement__participant"), pk=pk)
    return protected_file(
        request, document, rule=perms.can_view_agreement_document, file=document.file, filename=document.original_name
    )


# --- Organisations ----------------------------------------------------------------------------------------


ORGANISATION_COLUMNS = [
    Column("name", gettext_lazy("Name"), lambda o: o.name, sort="name", link=True),
    Column("org_number", gettext_lazy("Organisation number"), lambda o: o.org_number, sort="org_number"),
    Column("kind", gettext_lazy("Kind"), lambda o: o.get_kind_display(), sort="kind"),
    Column("municipality", gettext_lazy("Municipality"), lambda o: o.municipality.name if o.municipality else "", sort="municipality__name"),
    Column("county", gettext_lazy("County"), lambda o: o.county or "", sort="county__name"),
    Column("participants", gettext_lazy("Participants"), lambda o: o.participant_count, sort="participant_count", numeric=True),
    Column("receives_ehf", gettext_lazy("EHF"), lambda o: o.receives_ehf, export_only=True),
    Column("buyer_reference", gettext_lazy("Buyer reference"), lambda o: o.buyer_reference, export_only=True),
    Column("invoice_email", gettext_lazy("Invoice e-mail"), lambda o: o.invoice_email, export_only=True),
]


@requires(perms.can_view_register)
def organisation_list(request):
    page = ListPage(
        request,
        queryset=selectors.organisation_list(),
        columns=ORGANISATION_COLUMNS,
        filterset_class=OrganisationFilter,
        default_sort="name",
    )
    actions = [{"label": _("New organisation"), "url": reverse("members:organisation_create")}] if perms.can_manage_register(request.user) else []
    return list_response(request, page, title=_("Organisations"), filename="organisasjoner", actions=actions)


@requires(perms.can_manage_register)
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The organisation is registered."))
            return redirect(organisation.get_absolute_url())
    return form_page(request, form, title=_("New organisation"), submit=_("Register"), cancel_url=reverse("members:organisation_list"))


@requires(perms.can_view_register)
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.select_related("municipality", "county"), pk=pk)
    return render(
        request,
        "members/office/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("participant"),
            "people": organisation.people.order_by("name"),
            "timeline": entries_for(organisation)[:100] if perms.can_view_audit_log(request.user) else [],
            "can_manage": perms.can_manage_register(request.user),
        },
    )


@requires(perms.can_manage_register)
def organisation_edit(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.organisation_update(organisation=organisation, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The organisation is saved."))
            return redirect(organisation.get_absolute_url())
    return form_page(request, form, title=_("Edit %(name)s") % {"name": organisation}, submit=_("Save"), cancel_url=organisation.get_absolute_url())


# --- Persons ------------------------------------------------------------------------------------------------


PERSON_COLUMNS = [
    Column("name", gettext_lazy("Name"), lambda p: p.name, sort="name", link=True),
    Column("email", gettext_lazy("E-mail address"), lambda p: p.email, sort="email"),
    Column("title", gettext_lazy("Title"), lambda p: p.title, sort="title"),
    Column("organisations", gettext_lazy("Affiliations"), lambda p: ", ".join(o.name for o in p.organisations.all())),
    Column("student_level", gettext_lazy("Student"), lambda p: p.get_student_level_display() if p.student_level else ""),
    Column("login", gettext_lazy("Login"), lambda p: p.user_id is not None),
    Column("phone", gettext_lazy("Phone"), lambda p: p.phone, export_only=True),
]


@requires(perms.can_manage_register)
def person_list(request):
    page = ListPage(request, queryset=selectors.person_list(), columns=PERSON_COLUMNS, filterset_class=PersonFilter, default_sort="name")
    actions = [{"label": _("New person"), "url": reverse("members:person_create")}]
    return list_response(request, page, title=_("Persons"), filename="personer", actions=actions)


@requires(perms.can_manage_register)
def person_create(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form):
            person = services.person_create(actor=request.user, organisations=list(data.pop("organisations")), **data)
            messages.success(request, _("The person is registered."))
            return redirect(person.get_absolute_url())
    return form_page(request, form, title=_("New person"), submit=_("Register"), cancel_url=reverse("members:person_list"))


@requires(perms.can_manage_register)
def person_detail(request, pk):
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    return render(
        request,
        "members/office/person_detail.html",
        {
            "person": person,
            "affiliations": person.affiliations.select_related("organisation"),
            "contact_roles": person.contact_roles.select_related("participant"),
            "timeline": entries_for(person)[:100],
        },
    )


@requires(perms.can_manage_register)
def person_edit(request, pk):
    person = get_object_or_404(Person, pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form):
            services.person_update(person=person, actor=request.user, organisations=list(data.pop("organisations")), **data)
            messages.success(request, _("The person is saved."))
            return redirect(person.get_absolute_url())
    return form_page(request, form, title=_("Edit %(name)s") % {"name": person}, submit=_("Save"), cancel_url=person.get_absolute_url())


@require_POST
@requires(perms.can_manage_register)
def person_invite(request, pk):
    person = get_object_or_404(Person, pk=pk)
    services.person_invite_to_login(person=person, actor=request.user)
    messages.success(request, _("An e-mail with a link to choose a password is on its way to %(email)s.") % {"email": person.email})
    return redirect(person.get_absolute_url())


# --- Letters of intent, admission rounds, import, log ------------------------------------------------------


@requires(perms.can_manage_register)
def letter_list(request):
    letters = LetterOfIntent.objects.select_related("participant", "admission_round")
    page_obj = Paginator(letters, 50).get_page(request.GET.get("page"))
    return render(request, "members/office/letter_list.html", {"page_obj": page_obj})


@requires(perms.can_manage_register)
def admission_round_list(request):
    return render(request, "members/office/admission_round_list.html", {"rounds": AdmissionRound.objects.all()})


@requires(perms.can_manage_register)
def admission_round_edit(request, pk=None):
    admission_round = get_object_or_404(AdmissionRound, pk=pk) if pk else None
    form = AdmissionRoundForm(request.POST or None, instance=admission_round)
    if request.method == "POST" and form.is_valid():
        services.admission_round_save(actor=request.user, admission_round=admission_round, **form.cleaned_data)
        messages.success(request, _("The admission round is saved."))
        return redirect("members:admission_round_list")
    return form_page(
        request,
        form,
        title=_("Admission round") if admission_round else _("New admission round"),
        submit=_("Save"),
        cancel_url=reverse("members:admission_round_list"),
    )


@requires(perms.can_manage_register)
def brreg_import(request):
    form = BrregImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            report = brreg.import_units(raw=form.cleaned_data["file"].read(), actor=request.user)
    return render(request, "members/office/brreg_import.html", {"form": form, "report": report})


@requires(perms.can_view_audit_log)
def audit_log(request):
    entries = AuditEntry.objects.select_related("actor", "content_type")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page_obj = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "members/office/audit_log.html", {"page_obj": page_obj, "action": action})
