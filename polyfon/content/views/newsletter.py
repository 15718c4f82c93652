"""The newsletter: public subscription pages (signed links, no login) and the office's issues
and subscribers."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from polyfon.core.audit import entries_for
from polyfon.core.errors import DomainError
from polyfon.core.listing import Column, ListPage
from polyfon.core.pages import errors_on, form_page, list_response, post_move
from polyfon.core.permissions import public, requires

from .. import lifecycle, related, selectors, services
from .. import permissions as perms
from ..filters import SubscriberFilter
from ..forms import NewsletterIssueForm, SubscribeForm, SubscriberAddForm, SubscriberDeleteForm
from ..models import IssueStatus, NewsletterIssue, Subscriber, SubscriberStatus, SubscriptionSource
from ..services.newsletter import issue_context
from ..tokens import TokenExpired, subscriber_from_confirm_token, subscriber_from_unsubscribe_token

# --- Public ------------------------------------------------------------------------------------------------


def _language() -> str:
    return (get_language() or "nb")[:2]


@public
@ratelimit(key="ip", rate="10/h", method="POST", block=False)
def newsletter_subscribe(request):
    initial = {"email": request.user.email, "name": request.user.full_name} if request.user.is_authenticated else {}
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(None, _("Too many subscriptions have been sent from your network in a short time. Wait an hour."))
        elif form.is_bot:
            return redirect("content:newsletter_pending")
        elif form.is_valid():
            services.subscriber_subscribe(
                email=form.cleaned_data["email"], name=form.cleaned_data["name"], language=_language()
            )
            return redirect("content:newsletter_pending")
    return render(
        request, "content/public/newsletter_subscribe.html", {"form": form, "issues": selectors.sent_issues()[:12]}
    )


@public
def newsletter_pending(request):
    return render(request, "content/public/newsletter_pending.html")


@public
def newsletter_confirm(request, token):
    """The link in the confirmation e-mail opens a page with a button, so that link checkers in
    mail systems (which open links) cannot confirm on the recipient's behalf."""
    try:
        subscriber = subscriber_from_confirm_token(token)
    except TokenExpired:
        return render(request, "content/public/newsletter_link_invalid.html", {"expired": True}, status=410)
    if subscriber is None:
        return render(request, "content/public/newsletter_link_invalid.html", {"expired": False}, status=404)
    error = None
    if request.method == "POST":
        try:
            subscriber = services.subscriber_confirm(subscriber=subscriber)
        except DomainError as exc:
            error = exc.message
        else:
            return render(request, "content/public/newsletter_confirmed.html", {"subscriber": subscriber})
    return render(request, "content/public/newsletter_confirm.html", {"subscriber": subscriber, "error": error})


@public
@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" here without a form
def newsletter_unsubscribe(request, token):
    subscriber = subscriber_from_unsubscribe_token(token)
    if request.method == "POST":
        if subscriber is None:
            # The same answer for a link that names nobody (any more): nothing is on the list.
            state = "gone"
        elif request.POST.get("action") == "delete":
            services.subscriber_delete(subscriber=subscriber, reason="self-service")
            state = "deleted"
        else:
            services.subscriber_unsubscribe(subscriber=subscriber)
            state = "unsubscribed"
        return render(request, "content/public/newsletter_unsubscribed.html", {"state": state, "token": token})
    if subscriber is None:
        return render(request, "content/public/newsletter_link_invalid.html", {"expired": False}, status=404)
    return render(request, "content/public/newsletter_unsubscribe.html", {"subscriber": subscriber, "token": token})


@public
def newsletter_archive_issue(request, pk):
    """A sent issue as a web page (the archive); unsent issues only for coordinators."""
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if issue.status != IssueStatus.SENT and not perms.can_preview_content(request.user):
        raise Http404
    context = issue_context(issue)
    # News withdrawn since the sending are left out of the web version.
    context["articles"] = [a for a in context["articles"] if a.is_public or perms.can_preview_content(request.user)]
    return render(request, "content/public/newsletter_issue.html", context)


# --- Office: issues ------------------------------------------------------------------------------------------


ISSUE_COLUMNS = [
    Column("subject", gettext_lazy("Subject"), lambda i: i.subject, sort="subject", link=True),
    Column("status", gettext_lazy("Status"), lambda i: i.get_status_display(), sort="status"),
    Column("articles", gettext_lazy("News"), lambda i: i.article_count, numeric=True),
    Column("recipients", gettext_lazy("Recipients"), lambda i: i.recipient_count, sort="recipient_count", numeric=True),
    Column("sent", gettext_lazy("Sent"), lambda i: i.sent_count, numeric=True),
    Column("created_at", gettext_lazy("Created"), lambda i: i.created_at, sort="created_at"),
    Column("sent_at", gettext_lazy("Sending finished"), lambda i: i.sent_at, sort="sent_at"),
]



@requires(perms.can_manage_newsletter)
def issue_list(request):
    page = ListPage(request, queryset=selectors.office_issues(), columns=ISSUE_COLUMNS, default_sort="-created_at")
    actions = [
        {"label": _("New issue"), "url": reverse("content:issue_create")},
        {"label": _("Subscribers"), "url": reverse("content:subscriber_list")},
    ]
    return list_response(request, page, title=_("Newsletter issues"), filename="nyhetsbrev", actions=actions)


def _issue_form(request, issue=None):
    events = related.upcoming_events(limit=30)
    if issue is not None:
        known = {teaser.key for teaser in events}
        events = events + [related.Teaser.from_snapshot(e) for e in issue.events if e.get("key") not in known]
    initial = (
        {
            "subject": issue.subject,
            "language": issue.language,
            "intro_source": issue.intro_source,
            "articles": list(issue.articles.values_list("pk", flat=True)),
            "events": [e.get("key") for e in issue.events],
        }
        if issue
        else {"language": "nb"}
    )
    return NewsletterIssueForm(
        request.POST or None, initial=initial, articles=selectors.articles_for_newsletter(issue), events=events
    )


def _issue_editor(request, form, *, title, cancel_url):
    return render(
        request,
        "content/office/issue_form.html",
        {"form": form, "title": title, "cancel_url": cancel_url},
    )


@requires(perms.can_manage_newsletter)
def issue_create(request):
    form = _issue_form(request)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            issue = services.newsletter_issue_save(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The issue is saved as a draft."))
            return redirect(issue.get_absolute_url())
    return _issue_editor(request, form, title=_("New newsletter issue"), cancel_url=reverse("content:issue_list"))


@requires(perms.can_manage_newsletter)
def issue_edit(request, pk):
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if issue.status not in lifecycle.ISSUE_EDITABLE:
        messages.error(request, _("An issue that has been sent cannot be changed."))
        return redirect(issue.get_absolute_url())
    form = _issue_form(request, issue)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.newsletter_issue_save(actor=request.user, issue=issue, **form.cleaned_data)
            messages.success(request, _("The issue is saved."))
            return redirect(issue.get_absolute_url())
    return _issue_editor(request, form, title=_("Edit %(name)s") % {"name": issue}, cancel_url=issue.get_absolute_url())


@requires(perms.can_manage_newsletter)
def issue_detail(request, pk):
    issue = get_object_or_404(NewsletterIssue.objects.select_related("created_by", "sent_by"), pk=pk)
    return render(
        request,
        "content/office/issue_detail.html",
        {
            **issue_context(issue),
            "moves": lifecycle.ISSUE_MOVES.moves_from(issue.status, by_coordinator=True),
            "editable": issue.status in lifecycle.ISSUE_EDITABLE,
            "batches": issue.batches.all(),
            "totals": selectors.issue_delivery_totals(issue),
            "subscriber_counts": selectors.subscriber_counts(),
            "timeline": entries_for(issue)[:100],
        },
    )


@require_POST
@requires(perms.can_manage_newsletter)
def issue_send_test(request, pk):
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    try:
        services.newsletter_issue_send_test(issue=issue, actor=request.user, email=request.user.email)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("A test copy is on its way to %(email)s.") % {"email": request.user.email})
    return redirect(issue.get_absolute_url())


@require_POST
@requires(perms.can_manage_newsletter)
def issue_move(request, pk, move):
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    spec = lifecycle.ISSUE_MOVES.get(move)
    if spec is None or not spec.by_coordinator:
        raise Http404
    return post_move(request, issue, spec, object_arg="issue", redirect_to=issue.get_absolute_url())


# --- Office: subscribers ---------------------------------------------------------------------------------------


def _labels(choices):
    """The display label of a choice, translated once per language rather than once per row
    (get_FOO_display costs too much over an export of tens of thousands of rows)."""
    cache: dict[str, dict] = {}

    def label(value):
        language = get_language() or "nb"
        if language not in cache:
            cache[language] = {key: str(text) for key, text in choices}
        return cache[language].get(value, value)

    return label


_status, _language_label, _source = (
    _labels(SubscriberStatus.choices),
    _labels(Subscriber._meta.get_field("language").choices),
    _labels(SubscriptionSource.choices),
)

SUBSCRIBER_COLUMNS = [
    Column("email", gettext_lazy("E-mail address"), lambda s: s.email, sort="email", link=True),
    Column("name", gettext_lazy("Name"), lambda s: s.name, sort="name"),
    Column("status", gettext_lazy("Status"), lambda s: _status(s.status), sort="status"),
    Column("language", gettext_lazy("Language"), lambda s: _language_label(s.language), sort="language"),
    Column("source", gettext_lazy("Subscribed through"), lambda s: _source(s.source), export_only=True),
    Column("created_at", gettext_lazy("Registered"), lambda s: s.created_at, sort="created_at"),
    Column("confirmed_at", gettext_lazy("Confirmed"), lambda s: s.confirmed_at, sort="confirmed_at"),
    Column("unsubscribed_at", gettext_lazy("Unsubscribed"), lambda s: s.unsubscribed_at, export_only=True),
    Column("received", gettext_lazy("Issues received"), lambda s: s.received, sort="received", numeric=True),
]


@requires(perms.can_manage_newsletter)
def subscriber_list(request):
    page = ListPage(
        request,
        queryset=selectors.subscriber_list(),
        columns=SUBSCRIBER_COLUMNS,
        filterset_class=SubscriberFilter,
        default_sort="email",
    )
    actions = [{"label": _("Add subscriber"), "url": reverse("content:subscriber_add")}]
    return list_response(request, page, title=_("Newsletter subscribers"), filename="abonnenter", actions=actions)


@requires(perms.can_manage_newsletter)
def subscriber_add(request):
    form = SubscriberAddForm(request.POST or None, initial={"language": "nb"})
    if request.method == "POST" and form.is_valid():
        services.subscriber_subscribe(source=SubscriptionSource.OFFICE, actor=request.user, **form.cleaned_data)
        messages.success(
            request, _("A link to confirm the subscription is sent to the address, unless it is subscribed already.")
        )
        return redirect("content:subscriber_list")
    return form_page(
        request,
        form,
        title=_("Add subscriber"),
        intro=_("The person gets an e-mail with a link to confirm; only then is the newsletter sent to them."),
        submit=_("Send confirmation link"),
        cancel_url=reverse("content:subscriber_list"),
    )


@requires(perms.can_manage_newsletter)
def subscriber_detail(request, pk):
    subscriber = get_object_or_404(selectors.subscriber_list(), pk=pk)
    return render(
        request,
        "content/office/subscriber_detail.html",
        {
            "subscriber": subscriber,
            "deliveries": subscriber.deliveries.select_related("issue").order_by("-issue__send_started_at")[:50],
            "timeline": entries_for(subscriber)[:50],
            "moves": lifecycle.SUBSCRIBER_MOVES.moves_from(subscriber.status, by_coordinator=True),
        },
    )


@requires(perms.can_manage_newsletter)
def subscriber_delete(request, pk):
    subscriber = get_object_or_404(Subscriber, pk=pk)
    form = SubscriberDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.subscriber_delete(subscriber=subscriber, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The subscriber and their address are deleted."))
        return redirect("content:subscriber_list")
    return form_page(
        request,
        form,
        title=_("Delete subscriber"),
        intro=_(
            "Deletes the address and everything about the subscriber, for example when they ask for it. "
            "The counts of earlier sendings are kept without the address. This cannot be undone."
        ),
        submit=_("Delete"),
        cancel_url=subscriber.get_absolute_url(),
        danger=True,
    )


@require_POST
@requires(perms.can_manage_newsletter)
def subscriber_unsubscribe_office(request, pk):
    subscriber = get_object_or_404(Subscriber, pk=pk)
    services.subscriber_unsubscribe(subscriber=subscriber, actor=request.user)
    messages.success(request, _("The subscriber is unsubscribed."))
    return redirect(subscriber.get_absolute_url())
