"""Filters of the office lists of events and registrations (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polyfon.content.models import WorkArea
from polyfon.members.filters import SearchFilterSet
from polyfon.members.models import OrganisationKind

from .models import (
    Audience,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)


class EventFilter(SearchFilterSet):
    search_fields = ("title", "location")
    period = django_filters.ChoiceFilter(
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))], method="by_period", label=_("Time")
    )
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=EventStatus.choices, label=_("Status"))
    audience = django_filters.ChoiceFilter(choices=Audience.choices, field_name="audiences__audience", label=_("Audience"))
    work_area = django_filters.ModelChoiceFilter(
        queryset=WorkArea.objects.all(), field_name="work_areas", label=_("Work area")
    )

    class Meta:
        model = Event
        fields = []

    def by_period(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(ends_at__gte=now) if value == "upcoming" else queryset.filter(ends_at__lt=now)


class RegistrationFilter(SearchFilterSet):
    search_fields = ("name", "email", "organisation_name")
    status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices, label=_("Status"))
    attended = django_filters.ChoiceFilter(
        choices=[("yes", _("Attended")), ("no", _("Did not attend")), ("unknown", _("Not marked"))],
        method="by_attendance",
        label=_("Attendance"),
    )
    organisation_kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Kind of organisation"))
    source = django_filters.ChoiceFilter(choices=RegistrationSource.choices, label=_("Registered through"))

    class Meta:
        model = Registration
        fields = []

    def by_attendance(self, queryset, name, value):
        return {
            "yes": queryset.filter(attended=True),
            "no": queryset.filter(attended=False),
            "unknown": queryset.filter(Q(attended__isnull=True)),
        }.get(value, queryset)
