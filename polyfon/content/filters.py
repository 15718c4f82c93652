"""Filters of the content's office lists (django-filter), on the register's search base."""

import django_filters
from django.utils.translation import gettext_lazy as _

from polyfon.members.filters import SearchFilterSet

from .models import (
    CONTENT_LANGUAGES,
    NewsArticle,
    PublicationStatus,
    Subscriber,
    SubscriberStatus,
    SubscriptionSource,
    WorkArea,
)


class SubscriberFilter(SearchFilterSet):
    search_fields = ("email", "name")
    status = django_filters.ChoiceFilter(choices=SubscriberStatus.choices, label=_("Status"))
    language = django_filters.ChoiceFilter(choices=CONTENT_LANGUAGES, label=_("Language"))
    source = django_filters.ChoiceFilter(choices=SubscriptionSource.choices, label=_("Subscribed through"))

    class Meta:
        model = Subscriber
        fields = []


class NewsArticleFilter(SearchFilterSet):
    search_fields = ("title", "lead", "byline")
    status = django_filters.ChoiceFilter(choices=PublicationStatus.choices, label=_("Status"))
    work_area = django_filters.ModelChoiceFilter(
        queryset=WorkArea.objects.all(), field_name="work_areas", label=_("Work area")
    )

    class Meta:
        model = NewsArticle
        fields = []
