"""Public pages: the cluster's bodies with their current members, public agendas and approved
minutes, meeting papers and minutes as PDF (for those who may see them), and the candidates'
consent page reached from a signed link."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from polyfon.core.downloads import attachment_response, protected_file
from polyfon.core.pages import errors_on, posted
from polyfon.core.permissions import deny, public

from .. import permissions as perms
from .. import selectors, services
from ..forms import ConsentForm
from ..models import Body, Candidate, ConsentStatus, ElectionStatus, ItemDocument, Meeting
from ..pdf import minutes_pdf
from ..tokens import candidate_id_from_token


@public
def public_bodies(request):
    return render(request, "governance/public/bodies.html", {"bodies": selectors.public_bodies()})


def _public_body(slug) -> Body:
    body = Body.objects.filter(slug=slug, is_active=True, is_public=True).select_related("work_area").first()
    if body is None:
        raise Http404
    return body


@public
def public_body(request, slug):
    body = _public_body(slug)
    meetings = selectors.body_meetings(body, public=True) if (body.publishes_agenda or body.publishes_minutes) else []
    return render(
        request,
        "governance/public/body.html",
        {
            "body": body,
            "seats": selectors.current_seats(body),
            "meetings": [m for m in meetings if perms.can_view_public_meeting(m)],
        },
    )


@public
def public_meeting(request, slug, pk):
    body = _public_body(slug)
    try:
        meeting = selectors.meeting_detail(pk, public=True)
    except Meeting.DoesNotExist:
        raise Http404 from None
    if meeting.body_id != body.pk or not perms.can_view_public_meeting(meeting):
        raise Http404
    return render(
        request,
        "governance/public/meeting.html",
        {"body": body, "meeting": meeting, "items": list(meeting.items.all()), "show_minutes": meeting.minutes_are_public},
    )


@public
def document_download(request, pk):
    """A meeting paper: for everyone once published, otherwise for those who may read the papers."""
    document = get_object_or_404(ItemDocument.objects.select_related("item__meeting__body"), pk=pk)
    return protected_file(
        request,
        document,
        rule=perms.can_view_document,
        file=document.file,
        filename=document.original_name,
        content_type=document.content_type,
    )


@public
def minutes_pdf_download(request, pk):
    """The minutes as PDF: public once approved where the body publishes them, otherwise for
    those who may read the papers."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    insider = perms.can_view_meeting_papers(request.user, meeting)
    if not insider and not meeting.minutes_are_public:
        return deny(request)
    meeting = selectors.meeting_detail(pk, public=not insider)
    return attachment_response(minutes_pdf(meeting, public=not insider), filename=f"referat-{meeting.local_date:%Y-%m-%d}.pdf")


@public
def candidate_consent(request, token):
    """The candidate answers from the link in their e-mail (a signed id, no login needed)."""
    candidate_id = candidate_id_from_token(token)
    candidate = (
        Candidate.objects.select_related("election__seat_body", "person").filter(pk=candidate_id).first()
        if candidate_id
        else None
    )
    if candidate is None:
        raise Http404
    open_for_answers = candidate.election.status in (ElectionStatus.DRAFT, ElectionStatus.NOMINATION)
    form = ConsentForm(posted(request), initial={"consent": candidate.consent if candidate.consent != ConsentStatus.PENDING else None})
    if request.method == "POST" and open_for_answers and form.is_valid():
        with errors_on(form):
            services.candidate_record_consent(candidate=candidate, consent=form.cleaned_data["consent"], actor=request.user)
            messages.success(request, _("Thank you, your answer is recorded."))
            return redirect("governance:candidate_consent", token=token)
    return render(
        request,
        "governance/public/consent.html",
        {"candidate": candidate, "election": candidate.election, "form": form, "open_for_answers": open_for_answers},
    )
