"""Filters of the office lists: meetings and the decision register (searchable)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polyfon.members.filters import SearchFilterSet

from .models import Body, Decision, Meeting, MeetingStatus


def _years():
    from django.utils import timezone

    this = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this + 1, this - 15, -1)]


class MeetingFilter(SearchFilterSet):
    search_fields = ("title", "location", "items__title")
    body = django_filters.ModelChoiceFilter(queryset=Body.objects.all(), label=_("Body"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("Status"))
    year = django_filters.ChoiceFilter(choices=_years, field_name="starts_at__year", label=_("Year"))

    class Meta:
        model = Meeting
        fields = []


class DecisionFilter(SearchFilterSet):
    """The decision register: search the text, the item's title and what it decides."""

    search_fields = ("text", "item__title", "subject_label", "vote")
    body = django_filters.ModelChoiceFilter(queryset=Body.objects.all(), label=_("Body"))
    year = django_filters.ChoiceFilter(choices=_years, field_name="decided_on__year", label=_("Year"))
    linked = django_filters.ChoiceFilter(
        choices=[("yes", _("Linked to what it decides")), ("no", _("Not linked"))], method="by_linked", label=_("Link")
    )

    class Meta:
        model = Decision
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        # "12/2027" finds item 12 of 2027.
        number, _sep, year = value.partition("/")
        if number.strip().isdigit() and year.strip().isdigit():
            condition |= Q(item__number=int(number), item__year=int(year))
        return queryset.filter(condition)

    def by_linked(self, queryset, name, value):
        if value not in ("yes", "no"):
            return queryset
        return queryset.filter(subject_type__isnull=(value == "no"))
