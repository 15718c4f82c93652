"""RSS 2.0 and Atom feeds of the published news (django.contrib.syndication).

`?omrade=<slug>` narrows a feed to one work area. The views carry `permission = anyone`
(they are public), which the URL-by-role test reads.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from polyfon.core.permissions import anyone

from . import selectors
from .models import WorkArea

FEED_LENGTH = 30


class NewsFeed(Feed):
    permission = anyone

    def get_object(self, request):
        slug = request.GET.get("omrade")
        return get_object_or_404(WorkArea, slug=slug, is_active=True) if slug else None

    def title(self, work_area):
        name = settings.CLUSTER["name"]
        if work_area is None:
            return _("News from %(name)s") % {"name": name}
        return _("News from %(name)s: %(area)s") % {"name": name, "area": work_area.display_name}

    def link(self, work_area):
        url = reverse("content:news_list")
        return f"{url}?omrade={work_area.slug}" if work_area else url

    def description(self, work_area):
        return settings.CLUSTER["full_name"]

    def items(self, work_area):
        return selectors.public_news(work_area=work_area)[:FEED_LENGTH]

    def item_title(self, article):
        return article.title

    def item_link(self, article):
        return article.get_public_url()

    def item_description(self, article):
        return article.lead

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return max(article.updated_at, article.published_at)

    def item_author_name(self, article):
        return article.byline or None

    def item_categories(self, article):
        return [area.display_name for area in article.work_areas.all()]

    def item_guid(self, article):
        return f"{settings.SITE_URL}/nyheter/{article.pk}"

    item_guid_is_permalink = False


class RssNewsFeed(NewsFeed):
    pass


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, work_area):
        return self.description(work_area)


news_rss = RssNewsFeed()
news_atom = AtomNewsFeed()
