"""Page helpers shared by the apps' views."""

from contextlib import contextmanager

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .errors import DomainError
from .lifecycle import Lifecycle


def form_page(
    request,
    form,
    *,
    title,
    submit,
    cancel_url=None,
    intro="",
    layout="layouts/office.html",
    multipart=False,
    danger=False,
    status=200,
):
    """The standard page with one form: heading, explanation, fields, submit and cancel."""
    return render(
        request,
        "polyfon/form_page.html",
        {
            "form": form,
            "title": title,
            "submit_label": submit,
            "cancel_url": cancel_url,
            "intro": intro,
            "layout": layout,
            "multipart": multipart,
            "danger": danger,
        },
        status=status,
    )


def list_response(
    request, page, *, title: str, filename: str, actions=(), template: str = "polyfon/list_page.html", extra=None
):
    """A list page (`core.listing.ListPage`), or its export when `?format=csv` or `xlsx` asks for one."""
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        return page.export(fmt, filename=filename)
    return render(
        request,
        template,
        {"list": page, "page_obj": page.page(), "title": title, "actions": list(actions or []), **(extra or {})},
    )


def posted(request):
    """The form data of a POST (even an empty one: a form of optional fields is still submitted)."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    """The uploads of a POST; None otherwise, so that a form shown by GET stays unbound."""
    return request.FILES if request.method == "POST" else None


@contextmanager
def errors_on(form):
    """Around the service a valid form calls: a DomainError it raises is shown on the form (at
    its field, or above the fields) and the rest of the block is skipped, so the view goes on to
    show the form again with everything the user typed.

        with errors_on(form):
            grant = services.grant_cancel(grant=grant, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The project is cancelled."))
            return redirect(grant.get_absolute_url())
        return form_page(request, form, ...)
    """
    try:
        yield
    except DomainError as error:
        form.add_domain_error(error)


def post_service(request, call, *, success: str, redirect_to: str):
    """Run a service from a POST button; its domain error becomes a page message."""
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(redirect_to)


def move_page(
    request, obj, *, table: Lifecycle, move: str, object_arg: str, cancel_url: str, initial=None, multipart=False
):
    """The page of one life-cycle move: its explanation and its form; on a valid POST, the move's
    service, called with the object as `object_arg`, the acting user and the form's data.

    The move must name `form` and `service` (dotted paths) and be allowed from the object's status.
    """
    spec = table.get(move)
    if spec is None or obj.status not in spec.sources:
        raise Http404
    form = import_string(spec.form)(posted(request), posted_files(request) if multipart else None, initial=initial or {})
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            import_string(spec.service)(**{object_arg: obj}, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Done: %(move)s.") % {"move": spec.label})
            return redirect(cancel_url)
    return form_page(
        request,
        form,
        title=f"{spec.label}: {obj}",
        intro=spec.explanation,
        submit=spec.label,
        cancel_url=cancel_url,
        multipart=multipart,
        danger=spec.danger,
    )


def post_move(request, obj, spec, *, object_arg: str, redirect_to: str):
    """Make a move that needs no details (a POST button): call its service with the object as
    `object_arg` and the acting user; its domain error or its success becomes a page message."""
    return post_service(
        request,
        lambda: import_string(spec.service)(**{object_arg: obj}, actor=request.user),
        success=_("Done: %(move)s.") % {"move": spec.label},
        redirect_to=redirect_to,
    )
