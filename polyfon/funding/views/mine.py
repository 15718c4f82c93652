"""The applicant's, the reviewer's and the project leader's own pages (/min-side/)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polyfon.core.downloads import attachment_response, protected_file
from polyfon.core.errors import DomainError
from polyfon.core.pages import errors_on, form_page
from polyfon.core.permissions import authenticated, ensure, requires
from polyfon.members.models import Person

from .. import lifecycle, selectors, services
from .. import permissions as perms
from ..forms import (
    ApplicantProfileForm,
    ApplicationForm,
    ApplicationStartForm,
    AttachmentForm,
    BudgetLineFormSet,
    DeclarationForm,
    ExternalPartnerFormSet,
    OutputForm,
    ReportForm,
    ReviewForm,
    SubmitForm,
    TeamFormSet,
    WithdrawForm,
)
from ..models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Call,
    Grant,
    GrantReport,
    ReportStatus,
    Review,
    ReviewStatus,
)
from ..pdf import application_pdf, pdf_filename

MINE = "layouts/mine.html"


def _person(user) -> Person | None:
    return Person.objects.filter(user=user).prefetch_related("affiliations__organisation").first()


# --- My applications -------------------------------------------------------------------------------------------------


@requires(authenticated)
def mine_applications(request):
    return render(
        request,
        "funding/mine/applications.html",
        {
            "applications": selectors.applications_of(request.user),
            "grants": selectors.grants_of(request.user),
            "open_calls": selectors.open_calls(),
            "person": _person(request.user),
        },
    )


def _safe_next(request, default: str) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@requires(authenticated)
def mine_profile(request):
    person = _person(request.user)
    initial = {"name": request.user.full_name, "language": request.user.language}
    if person:
        affiliations = list(person.affiliations.all())
        initial.update(
            name=person.name,
            title=person.title,
            phone=person.phone,
            language=person.language,
            organisation=affiliations[0].organisation if affiliations else None,
        )
    form = ApplicantProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.applicant_profile_save(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your details are saved."))
            return redirect(_safe_next(request, reverse("funding:mine_applications")))
    return form_page(
        request,
        form,
        title=_("Your details as applicant"),
        intro=_(
            "Only employees of the cluster's participants can lead a project. Tell us who you are and where you "
            "work; the coordinator can see and correct this."
        ),
        submit=_("Save"),
        cancel_url=reverse("funding:mine_applications"),
        layout=MINE,
    )


@requires(authenticated)
def mine_application_start(request, call_pk):
    call = get_object_or_404(Call.objects.published(), pk=call_pk)
    if _person(request.user) is None:
        messages.info(request, _("Tell us who you are and where you work before you start an application."))
        return redirect(reverse("funding:mine_profile") + "?next=" + request.path)
    form = ApplicationStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            application = services.application_start(call=call, user=request.user, title=form.cleaned_data["title"])
            messages.success(request, _("Your draft is saved. You can come back to it until the deadline."))
            return redirect(application.get_mine_url())
    return form_page(
        request,
        form,
        title=_("New application: %(call)s") % {"call": call},
        intro=_("Start with the project title; the rest can be written over several sittings."),
        submit=_("Start the application"),
        cancel_url=call.get_public_url(),
        layout=MINE,
    )


def _own_application(request, pk) -> Application:
    try:
        application = selectors.application_detail(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None
    ensure(request.user, perms.is_own_application, application)
    return application


def _editable_application(request, pk) -> Application:
    application = _own_application(request, pk)
    if not application.is_editable:
        raise Http404
    return application


@requires(authenticated)
def mine_application(request, pk):
    application = _own_application(request, pk)
    editable = application.is_editable
    return render(
        request,
        "funding/mine/application.html",
        {
            "application": application,
            "totals": selectors.budget_totals(application),
            "problems": services.application_problems(application) if editable else [],
            "editable": editable,
            "can_submit": lifecycle.APPLICATION_MOVES.allows(application.status, "submit"),
            "can_withdraw": lifecycle.APPLICATION_MOVES.allows(application.status, "withdraw"),
            "earlier_grants": services.earlier_grants(application) if editable else [],
            "show_downloads": True,
        },
    )


@requires(authenticated)
def mine_application_edit(request, pk):
    application = _editable_application(request, pk)
    call = application.call
    work_areas = call.work_areas.all()
    if not work_areas:
        from polyfon.content.models import WorkArea

        work_areas = WorkArea.objects.filter(is_active=True)
    from polyfon.members.models import Participant

    from ..services.applications import eligible_states

    lead_choices = services.eligible_participants_for(person=application.leader, call=call)
    if application.lead_participant_id:
        lead_choices = Participant.objects.filter(pk__in=[*lead_choices.values_list("pk", flat=True), application.lead_participant_id])
    form = ApplicationForm(
        request.POST or None,
        instance=Application.objects.get(pk=application.pk),
        lead_choices=lead_choices.order_by("name"),
        partner_choices=Participant.objects.filter(status__in=eligible_states(call)).order_by("name"),
        work_areas=work_areas,
        asks_for_report=services.earlier_grants(application).exists(),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners = data.pop("partner_participants")
        with errors_on(form):
            services.application_update(application=application, actor=request.user, partner_participants=partners, **data)
            messages.success(request, _("The application is saved."))
            return redirect(application.get_mine_url())
    return form_page(
        request,
        form,
        title=_("The project: %(reference)s") % {"reference": application.reference},
        intro=_("Save as often as you like; completeness is checked when you submit."),
        submit=_("Save"),
        cancel_url=application.get_mine_url(),
        layout=MINE,
    )


def _formset_page(request, *, application, formset, title, intro, legend):
    return render(
        request,
        "funding/formset_page.html",
        {
            "layout": MINE,
            "title": title,
            "intro": intro,
            "formset": formset,
            "legend": legend,
            "cancel_url": application.get_mine_url(),
        },
    )


def _rows(formset) -> list[dict]:
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@requires(authenticated)
def mine_application_budget(request, pk):
    from decimal import Decimal

    application = _editable_application(request, pk)
    initial = [
        {"category": line.category, "description": line.description, "requested": line.requested, "own_contribution": line.own_contribution}
        for line in application.budget_lines.all()
    ]
    formset = BudgetLineFormSet(request.POST or None, initial=initial, prefix="budget")
    if request.method == "POST" and formset.is_valid():
        lines = [
            services.BudgetEntry(
                category=row["category"],
                description=row["description"],
                requested=row["requested"] or Decimal("0"),
                own_contribution=row.get("own_contribution") or Decimal("0"),
            )
            for row in _rows(formset)
        ]
        try:
            services.application_set_budget(application=application, actor=request.user, lines=lines)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The budget is saved."))
            return redirect(application.get_mine_url())
    return _formset_page(
        request,
        application=application,
        formset=formset,
        title=_("Budget: %(reference)s") % {"reference": application.reference},
        intro=_("Amounts in kroner. The call gives at most %(max)s per application.")
        % {"max": _nok(application.call.max_per_application)},
        legend=_("Budget line"),
    )


def _nok(value):
    from polyfon.core.formatting import format_nok

    return format_nok(value)


@requires(authenticated)
def mine_application_team(request, pk):
    application = _editable_application(request, pk)
    initial = [
        {"name": m.name, "role": m.role, "email": m.email, "organisation": m.organisation, "thesis_title": m.thesis_title}
        for m in application.team.all()
    ]
    formset = TeamFormSet(request.POST or None, initial=initial, prefix="team")
    if request.method == "POST" and formset.is_valid():
        members = [
            services.TeamEntry(
                name=row["name"],
                role=row["role"],
                email=row.get("email", ""),
                organisation=row.get("organisation", ""),
                thesis_title=row.get("thesis_title", ""),
            )
            for row in _rows(formset)
        ]
        try:
            services.application_set_team(application=application, actor=request.user, members=members)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The project team is saved."))
            return redirect(application.get_mine_url())
    return _formset_page(
        request,
        application=application,
        formset=formset,
        title=_("Project team: %(reference)s") % {"reference": application.reference},
        intro=_(
            "Everyone in the project besides you as project leader, including master's students and PhD candidates. "
            "Reviewers named here are kept away from the application."
        ),
        legend=_("Team member"),
    )


@requires(authenticated)
def mine_application_partners(request, pk):
    application = _editable_application(request, pk)
    initial = [
        {
            "organisation_name": p.organisation_name,
            "org_number": p.org_number,
            "contact_name": p.contact_name,
            "contact_email": p.contact_email,
            "contribution": p.contribution,
        }
        for p in application.external_partners.all()
    ]
    formset = ExternalPartnerFormSet(request.POST or None, initial=initial, prefix="partner")
    if request.method == "POST" and formset.is_valid():
        partners = [
            services.ExternalPartnerEntry(
                organisation_name=row["organisation_name"],
                org_number=row.get("org_number", ""),
                contact_name=row.get("contact_name", ""),
                contact_email=row.get("contact_email", ""),
                contribution=row.get("contribution", ""),
            )
            for row in _rows(formset)
        ]
        try:
            services.application_set_external_partners(application=application, actor=request.user, partners=partners)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The external partners are saved."))
            return redirect(application.get_mine_url())
    return _formset_page(
        request,
        application=application,
        formset=formset,
        title=_("External partners: %(reference)s") % {"reference": application.reference},
        intro=_("Partners outside the cluster: universities abroad, user organisations, companies."),
        legend=_("External partner"),
    )


@requires(authenticated)
def mine_application_attachments(request, pk):
    application = _editable_application(request, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None, call=application.call)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.application_add_attachment(
                application=application, actor=request.user, kind=form.cleaned_data["kind"], uploaded=form.cleaned_data["file"]
            )
            messages.success(request, _("The file is attached."))
            return redirect("funding:mine_application_attachments", pk=application.pk)
    return render(
        request,
        "funding/mine/attachments.html",
        {"application": application, "form": form, "asked": application.call.required_attachment_labels()},
    )


@require_POST
@requires(authenticated)
def mine_attachment_remove(request, pk, attachment_pk):
    application = _editable_application(request, pk)
    attachment = get_object_or_404(ApplicationAttachment, pk=attachment_pk, application=application)
    try:
        services.application_remove_attachment(attachment=attachment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file is removed."))
    return redirect("funding:mine_application_attachments", pk=application.pk)


@requires(authenticated)
def mine_application_submit(request, pk):
    application = _own_application(request, pk)
    if not lifecycle.APPLICATION_MOVES.allows(application.status, "submit"):
        raise Http404
    form = SubmitForm(request.POST or None)
    problems = services.application_problems(application)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(application=application, actor=request.user)
        except services.SubmissionRefused as refused:
            problems = refused.problems
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("The application is submitted. A receipt with a PDF copy is on its way to %(email)s.")
                % {"email": request.user.email},
            )
            return redirect(application.get_mine_url())
    return render(
        request,
        "funding/mine/submit.html",
        {"application": application, "form": form, "problems": problems, "move": lifecycle.APPLICATION_MOVES["submit"]},
    )


@requires(authenticated)
def mine_application_withdraw(request, pk):
    application = _own_application(request, pk)
    move = lifecycle.APPLICATION_MOVES["withdraw"]
    if not lifecycle.APPLICATION_MOVES.allows(application.status, "withdraw"):
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.application_withdraw(application=application, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The application is withdrawn."))
            return redirect("funding:mine_applications")
    return form_page(
        request,
        form,
        title=_("Withdraw %(reference)s") % {"reference": application.reference},
        intro=move.explanation,
        submit=move.label,
        cancel_url=application.get_mine_url(),
        layout=MINE,
        danger=True,
    )


# --- Documents -----------------------------------------------------------------------------------------------------


@requires(authenticated)
def application_pdf_download(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("call").prefetch_related("reviews"), pk=pk
    )
    ensure(request.user, perms.can_view_application, application)
    return attachment_response(
        application_pdf(application.pk, language=(request.LANGUAGE_CODE or "nb")[:2]), filename=pdf_filename(application)
    )


@requires(authenticated)
def attachment_download(request, pk):
    attachment = get_object_or_404(
        ApplicationAttachment.objects.select_related("application").prefetch_related("application__reviews"), pk=pk
    )
    return protected_file(
        request, attachment, rule=perms.can_download_attachment, file=attachment.file, filename=attachment.original_name
    )


# --- My reviews ----------------------------------------------------------------------------------------------------------


@requires(authenticated)
def mine_reviews(request):
    return render(request, "funding/mine/reviews.html", {"reviews": selectors.reviews_of(request.user)})


def _own_review(request, pk) -> Review:
    try:
        review = selectors.review_for_reviewer(pk=pk)
    except Review.DoesNotExist:
        raise Http404 from None
    ensure(request.user, perms.can_review, review)
    return review


@requires(authenticated)
def mine_review(request, pk):
    review = _own_review(request, pk)
    context = {"review": review, "call": review.application.call}
    if review.status == ReviewStatus.ASSIGNED:
        application = selectors.application_detail(pk=review.application_id)
        context.update(application=application, form=DeclarationForm(), move=lifecycle.REVIEW_MOVES["declare_no_conflict"])
        return render(request, "funding/mine/review_declare.html", context)
    if review.status == ReviewStatus.CONFLICT:
        return render(request, "funding/mine/review_conflict.html", context)
    application = selectors.application_detail(pk=review.application_id)
    criteria = application.call.criteria.all()
    scores = {s.criterion_id: s.score for s in review.scores.all()}
    initial = {f"criterion_{pk}": score for pk, score in scores.items()}
    initial.update(comment=review.comment, confidential_comment=review.confidential_comment)
    form = ReviewForm(request.POST or None, initial=initial, criteria=criteria, score_max=application.call.score_max)
    editable = review.status == ReviewStatus.ACCEPTED and application.status == ApplicationStatus.SUBMITTED
    if request.method == "POST" and editable and form.is_valid():
        with errors_on(form):
            services.review_save(
                review=review,
                actor=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                confidential_comment=form.cleaned_data["confidential_comment"],
            )
            if "submit" in request.POST:
                services.review_submit(review=review, actor=request.user)
            if "submit" in request.POST:
                messages.success(request, _("Your review is submitted. Thank you!"))
            else:
                messages.success(request, _("Your review is saved; submit it when it is complete."))
            return redirect(review.get_mine_url())
    context.update(
        application=application,
        totals=selectors.budget_totals(application),
        form=form,
        editable=editable,
        scores=[(c, scores.get(c.pk)) for c in criteria],
        show_downloads=True,
    )
    return render(request, "funding/mine/review.html", context)


@require_POST
@requires(authenticated)
def mine_review_declare(request, pk):
    review = _own_review(request, pk)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            services.review_declare(
                review=review, actor=request.user, has_conflict=form.cleaned_data["has_conflict"], note=form.cleaned_data["note"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if form.cleaned_data["has_conflict"]:
                messages.success(request, _("Thank you. You are removed from this application, and the coordinator is told."))
            else:
                messages.success(request, _("Thank you. The application is open to you now."))
            return redirect(review.get_mine_url())
    application = selectors.application_detail(pk=review.application_id)
    return render(
        request,
        "funding/mine/review_declare.html",
        {"review": review, "call": review.application.call, "application": application, "form": form,
         "move": lifecycle.REVIEW_MOVES["declare_no_conflict"]},
        status=200,
    )


# --- My projects -----------------------------------------------------------------------------------------------------


def _own_grant(request, pk) -> Grant:
    try:
        grant = selectors.grant_detail(pk=pk)
    except Grant.DoesNotExist:
        raise Http404 from None
    ensure(request.user, perms.is_project_leader, grant)
    return grant


@requires(authenticated)
def mine_grant(request, pk):
    grant = _own_grant(request, pk)
    return render(request, "funding/mine/grant.html", {"grant": grant})


@requires(authenticated)
def mine_report(request, pk, report_pk):
    grant = _own_grant(request, pk)
    report = get_object_or_404(GrantReport, pk=report_pk, grant=grant)
    can_submit = lifecycle.REPORT_MOVES.allows(report.status, "submit")
    form = None
    if can_submit:
        form = ReportForm(
            request.POST or None,
            request.FILES or None,
            initial={"summary": report.summary, "use_of_funds": report.use_of_funds, "spent_amount": report.spent_amount},
        )
        if request.method == "POST" and form.is_valid():
            with errors_on(form):
                services.report_submit(
                    report=report,
                    actor=request.user,
                    summary=form.cleaned_data["summary"],
                    use_of_funds=form.cleaned_data["use_of_funds"],
                    spent_amount=form.cleaned_data["spent_amount"],
                    uploaded=form.cleaned_data.get("file"),
                )
                messages.success(request, _("The report is submitted. The coordinator will look at it."))
                return redirect(grant.get_mine_url())
    return render(
        request,
        "funding/mine/report.html",
        {"grant": grant, "report": report, "form": form, "returned": report.status == ReportStatus.RETURNED},
    )


@requires(authenticated)
def mine_output_add(request, pk):
    grant = _own_grant(request, pk)
    form = OutputForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.grant_add_output(grant=grant, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The result is registered."))
            return redirect(grant.get_mine_url())
    return form_page(
        request,
        form,
        title=_("Register a result of %(project)s") % {"project": grant},
        intro=_("Publications, presentations, events, and applications for external funding with their outcome."),
        submit=_("Register"),
        cancel_url=grant.get_mine_url(),
        layout=MINE,
    )


@requires(authenticated)
def report_file_download(request, pk):
    report = get_object_or_404(
        GrantReport.objects.select_related("grant__leader", "grant__application"), pk=pk
    )
    return protected_file(
        request, report, rule=perms.can_view_report, file=report.file, filename=report.original_name or "rapport.pdf"
    )
