"""The participant's own pages (/min-side/): a contact person keeps their organisation current."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyfon.core.errors import DomainError
from polyfon.core.pages import errors_on, form_page
from polyfon.core.permissions import authenticated, ensure, requires

from .. import permissions as perms
from .. import selectors, services
from ..forms import ContactAddForm, ContactOrganisationForm, ContactPersonForm
from ..models import Organisation, Participant, ParticipantContact, Person
from .office import _add_contact

MINE = "layouts/mine.html"


@requires(authenticated)
def mine_home(request):
    return render(
        request,
        "members/mine/home.html",
        {"participants": selectors.participants_of_contact(request.user)},
    )


def _own_participant(request, pk) -> Participant:
    try:
        participant = selectors.participant_detail(pk=pk)
    except Participant.DoesNotExist:
        raise Http404 from None
    ensure(request.user, perms.can_edit_own_participant, participant)
    return participant


@requires(authenticated)
def mine_participant(request, pk):
    participant = _own_participant(request, pk)
    return render(
        request,
        "members/mine/participant.html",
        {"participant": participant, "lead": selectors.lead_organisation(participant)},
    )


@requires(authenticated)
def mine_organisation_edit(request, pk, organisation_pk):
    participant = _own_participant(request, pk)
    organisation = get_object_or_404(Organisation, pk=organisation_pk, memberships__participant=participant)
    form = ContactOrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update_by_contact(organisation=organisation, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The details of %(name)s are saved.") % {"name": organisation})
        return redirect("members:mine_participant", pk=participant.pk)
    return form_page(
        request,
        form,
        title=_("Details of %(name)s") % {"name": organisation},
        intro=_("Name, organisation number and kind come from the Brønnøysund Register Centre; ask the coordinator to change them."),
        submit=_("Save"),
        cancel_url=participant_url(participant),
        layout=MINE,
    )


def participant_url(participant):
    from django.urls import reverse

    return reverse("members:mine_participant", args=[participant.pk])


@requires(authenticated)
def mine_contact_add(request, pk):
    participant = _own_participant(request, pk)
    form = ContactAddForm(request.POST or None, person_queryset=Person.objects.filter(contact_roles__participant=participant).distinct())
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            _add_contact(participant, form.cleaned_data, actor=request.user)
            messages.success(request, _("The contact person is added."))
            return redirect("members:mine_participant", pk=participant.pk)
    return form_page(request, form, title=_("Add contact person"), submit=_("Add"), cancel_url=participant_url(participant), layout=MINE)


@requires(authenticated)
def mine_contact_edit(request, pk, person_pk):
    participant = _own_participant(request, pk)
    person = get_object_or_404(Person.objects.filter(contact_roles__participant=participant).distinct(), pk=person_pk)
    form = ContactPersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.person_update(person=person, actor=request.user, **form.cleaned_data)
            messages.success(request, _("%(name)s is saved.") % {"name": person})
            return redirect("members:mine_participant", pk=participant.pk)
    return form_page(request, form, title=_("Edit %(name)s") % {"name": person}, submit=_("Save"), cancel_url=participant_url(participant), layout=MINE)


@require_POST
@requires(authenticated)
def mine_contact_remove(request, pk, contact_pk):
    participant = _own_participant(request, pk)
    contact = get_object_or_404(ParticipantContact.objects.select_related("person"), pk=contact_pk, participant=participant)
    try:
        services.participant_remove_contact(contact=contact, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The contact person is removed."))
    return redirect("members:mine_participant", pk=participant.pk)
