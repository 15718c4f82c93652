"""Filters of reporting's office lists (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from polyfon.members.filters import SearchFilterSet
from polyfon.members.models import County, Participant, ParticipantKind

from .models import Indicator, Source, SubmissionStatus, Topic


class RoundParticipantFilter(SearchFilterSet):
    """The participants of a round: by the state of their report, kind and region."""

    search_fields = ("name", "organisations__name")
    report_status = django_filters.ChoiceFilter(choices=SubmissionStatus.choices, label=_("Report"))
    kind = django_filters.ChoiceFilter(choices=ParticipantKind.choices, label=_("Kind"))
    county = django_filters.ModelChoiceFilter(queryset=County.objects.all(), method="by_county", label=_("Region (county)"))

    class Meta:
        model = Participant
        fields = []

    def by_county(self, queryset, name, value):
        return queryset.filter(memberships__is_lead=True, memberships__organisation__county=value)


class IndicatorFilter(SearchFilterSet):
    search_fields = ("code", "name", "name_nn", "name_en")
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("Source"))
    topic = django_filters.ChoiceFilter(choices=Topic.choices, label=_("Topic"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Indicator
        fields = []
