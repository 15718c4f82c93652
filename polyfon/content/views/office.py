"""The coordinator's office (/kontor/) for work areas, knowledge descriptions and news.
Thin: rule, form, service, page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polyfon.core.audit import entries_for
from polyfon.core.errors import DomainError
from polyfon.core.listing import Column, ListPage
from polyfon.core.pages import errors_on, form_page, list_response, post_move
from polyfon.core.permissions import requires
from polyfon.core.richtext import render_markdown

from .. import diff, lifecycle, selectors, services
from .. import permissions as perms
from ..filters import NewsArticleFilter
from ..forms import KnowledgeDescriptionForm, NewsArticleForm, WorkAreaForm
from ..models import KnowledgeDescription, NewsArticle, WorkArea

# --- Work areas ----------------------------------------------------------------------------------------------


@requires(perms.can_manage_content)
def work_area_list(request):
    return render(request, "content/work_area_list.html", {"work_areas": selectors.office_work_areas()})


@requires(perms.can_manage_content)
def work_area_edit(request, pk=None):
    work_area = get_object_or_404(WorkArea, pk=pk) if pk else None
    form = WorkAreaForm(request.POST or None, instance=work_area)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.work_area_save(actor=request.user, work_area=work_area, **form.cleaned_data)
            messages.success(request, _("The work area is saved."))
            return redirect("content:work_area_list")
    return form_page(
        request,
        form,
        title=work_area.display_name if work_area else _("New work area"),
        submit=_("Save"),
        cancel_url=reverse("content:work_area_list"),
    )


# --- Knowledge descriptions ---------------------------------------------------------------------------------


@requires(perms.can_manage_content)
def knowledge_history(request, pk):
    work_area = get_object_or_404(WorkArea, pk=pk)
    versions = list(selectors.knowledge_versions(work_area))
    current = next((v for v in versions if v.status == "published"), None)
    return render(
        request,
        "content/office/knowledge_history.html",
        {
            "work_area": work_area,
            "versions": versions,
            "current": current,
            "timeline": selectors.knowledge_timeline(versions)[:100],
        },
    )


@requires(perms.can_manage_content)
def knowledge_create(request, pk):
    work_area = get_object_or_404(WorkArea, pk=pk)
    newest = work_area.knowledge_descriptions.order_by("-version").first()
    form = KnowledgeDescriptionForm(request.POST or None, initial=KnowledgeDescriptionForm.initial_from(newest))
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            description = services.knowledge_description_save(work_area=work_area, actor=request.user, **form.cleaned_data)
            if description.status == "published":
                messages.success(request, _("Version %(version)s is saved and published.") % {"version": description.version})
            else:
                messages.success(request, _("Version %(version)s is saved as a draft.") % {"version": description.version})
            return redirect(description.get_absolute_url())
    return render(
        request,
        "content/office/knowledge_form.html",
        {"form": form, "work_area": work_area, "based_on": newest},
    )


@requires(perms.can_manage_content)
def knowledge_detail(request, pk):
    description = get_object_or_404(
        KnowledgeDescription.objects.select_related("work_area", "created_by", "published_by"), pk=pk
    )
    previous = (
        description.work_area.knowledge_descriptions.filter(version__lt=description.version).order_by("-version").first()
    )
    return render(
        request,
        "content/office/knowledge_detail.html",
        {
            "description": description,
            "work_area": description.work_area,
            "previous": previous,
            "is_current": selectors.published_description(description.work_area) == description,
            "moves": lifecycle.KNOWLEDGE_MOVES.moves_from(description.status, by_coordinator=True),
            "timeline": entries_for(description)[:50],
        },
    )


@require_POST
@requires(perms.can_manage_content)
def knowledge_move(request, pk, move):
    description = get_object_or_404(KnowledgeDescription, pk=pk)
    spec = lifecycle.KNOWLEDGE_MOVES.get(move)
    if spec is None or not spec.by_coordinator:
        raise Http404
    return post_move(request, description, spec, object_arg="description", redirect_to=description.get_absolute_url())


def _version(versions: dict, raw, default):
    try:
        return versions[int(raw)]
    except (TypeError, ValueError, KeyError):
        return default


@requires(perms.can_manage_content)
def knowledge_compare(request, pk):
    work_area = get_object_or_404(WorkArea, pk=pk)
    ordered = list(selectors.knowledge_versions(work_area))
    if len(ordered) < 2:
        messages.info(request, _("There is only one version so far; there is nothing to compare."))
        return redirect("content:knowledge_history", pk=work_area.pk)
    versions = {v.version: v for v in ordered}
    new = _version(versions, request.GET.get("b"), ordered[0])
    older = [v for v in ordered if v.version < new.version]
    old = _version(versions, request.GET.get("a"), older[0] if older else ordered[1])
    return render(
        request,
        "content/office/knowledge_compare.html",
        {"work_area": work_area, "versions": ordered, "old": old, "new": new, "fields": diff.compare(old, new)},
    )


@require_POST
@requires(perms.can_manage_content)
def markdown_preview(request):
    """What the text will look like once saved (htmx: the editors' preview button)."""
    source = next((request.POST[name] for name in ("body_source", "intro_source") if name in request.POST), "")
    html = render_markdown(source)
    return HttpResponse(html or format_html("<p class='muted'>{}</p>", _("Nothing to show yet.")))


# --- News ----------------------------------------------------------------------------------------------------


NEWS_COLUMNS = [
    Column("title", gettext_lazy("Title"), lambda a: a.title, sort="title", link=True),
    Column("status", gettext_lazy("Status"), lambda a: a.get_status_display(), sort="status"),
    Column("published_at", gettext_lazy("Published"), lambda a: a.published_at, sort="published_at"),
    Column("work_areas", gettext_lazy("Work areas"), lambda a: ", ".join(str(w) for w in a.work_areas.all())),
    Column("image", gettext_lazy("Image"), lambda a: bool(a.image)),
    Column("byline", gettext_lazy("Written by"), lambda a: a.byline, export_only=True),
    Column("updated_at", gettext_lazy("Updated"), lambda a: a.updated_at, sort="updated_at"),
    Column("address", gettext_lazy("Address"), lambda a: a.get_public_url(), export_only=True),
]


@requires(perms.can_manage_content)
def news_office_list(request):
    page = ListPage(
        request,
        queryset=selectors.office_news(),
        columns=NEWS_COLUMNS,
        filterset_class=NewsArticleFilter,
        default_sort="-updated_at",
    )
    actions = [{"label": _("New article"), "url": reverse("content:news_create")}]
    return list_response(request, page, title=_("News"), filename="nyheter", actions=actions)


def _news_values(data: dict) -> dict:
    values = dict(data)
    values["image"] = values.pop("image_upload", None)
    return values


@requires(perms.can_manage_content)
def news_create(request):
    form = NewsArticleForm(request.POST or None, request.FILES or None, initial={"language": "nb"})
    if request.method == "POST" and form.is_valid():
        values = _news_values(form.cleaned_data)
        values.pop("remove_image", None)
        with errors_on(form):
            article = services.news_article_create(actor=request.user, **values)
            messages.success(request, _("The article is published.") if article.status == "published" else _("The draft is saved."))
            return redirect(article.get_absolute_url())
    return render(
        request,
        "content/office/news_form.html",
        {"form": form, "title": _("New article"), "cancel_url": reverse("content:news_office_list")},
    )


@requires(perms.can_manage_content)
def news_edit(request, pk):
    article = get_object_or_404(NewsArticle.objects.prefetch_related("work_areas"), pk=pk)
    form = NewsArticleForm(request.POST or None, request.FILES or None, instance=article)
    if request.method == "POST" and form.is_valid():
        values = _news_values(form.cleaned_data)
        with errors_on(form):
            services.news_article_update(article=article, actor=request.user, **values)
            messages.success(request, _("The article is saved."))
            return redirect(article.get_absolute_url())
    return render(
        request,
        "content/office/news_form.html",
        {
            "form": form,
            "article": NewsArticle.objects.get(pk=article.pk),  # as saved, not as the form has changed it
            "title": _("Edit %(name)s") % {"name": article.title},
            "cancel_url": reverse("content:news_office_list"),
            "moves": lifecycle.NEWS_MOVES.moves_from(article.status, by_coordinator=True),
            "timeline": entries_for(article)[:50],
        },
    )


@require_POST
@requires(perms.can_manage_content)
def news_move(request, pk, move):
    article = get_object_or_404(NewsArticle, pk=pk)
    spec = lifecycle.NEWS_MOVES.get(move)
    if spec is None or not spec.by_coordinator:
        raise Http404
    return post_move(request, article, spec, object_arg="article", redirect_to=article.get_absolute_url())


@require_POST
@requires(perms.can_manage_content)
def news_delete(request, pk):
    article = get_object_or_404(NewsArticle, pk=pk)
    try:
        services.news_article_delete(article=article, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(article.get_absolute_url())
    messages.success(request, _("The draft is deleted."))
    return redirect("content:news_office_list")

