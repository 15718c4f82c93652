"""Public pages of the content: work areas with their knowledge descriptions, news, about the cluster."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control

from polyfon.core.permissions import public

from .. import permissions as perms
from .. import selectors
from ..images import CONTENT_TYPES
from ..models import NewsArticle, WorkArea


@public
def public_work_areas(request):
    return render(request, "content/public/work_area_list.html", {"work_areas": selectors.public_work_areas()})


@public
def work_area_page(request, slug):
    work_area = get_object_or_404(WorkArea, slug=slug, is_active=True)
    return render(request, "content/public/work_area_page.html", selectors.work_area_page(work_area))


@public
def news_list(request):
    areas = list(WorkArea.objects.filter(is_active=True))
    chosen = next((area for area in areas if area.slug == request.GET.get("omrade")), None)
    page_obj = Paginator(selectors.public_news(work_area=chosen), selectors.NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "content/public/news_list.html",
        {"page_obj": page_obj, "work_areas": areas, "chosen_area": chosen},
    )


@public
def news_detail(request, slug):
    article = selectors.news_for_viewer(slug, can_preview=perms.can_preview_content(request.user))
    if article is None:
        raise Http404
    return render(
        request,
        "content/public/news_detail.html",
        {"article": article, "related": selectors.related_news(article), "is_preview": not article.is_public},
    )


@public
@cache_control(max_age=86400)
def news_image(request, pk):
    """The article's image, for whoever may see the article (drafts: coordinators only)."""
    article = get_object_or_404(NewsArticle, pk=pk)
    if not article.image or not perms.can_view_news_article(request.user, article):
        raise Http404
    response = FileResponse(article.image.open("rb"), content_type=CONTENT_TYPES.get(article.image_format, "image/jpeg"))
    if not article.is_public:
        response["Cache-Control"] = "private, no-store"
    return response


@public
def about(request):
    return render(request, "content/public/about.html", selectors.about_page())
