"""Filters of the office lists (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from polyfon.content.models import WorkArea
from polyfon.members.filters import SearchFilterSet

from .models import (
    Application,
    ApplicationStatus,
    Call,
    CallKind,
    Grant,
    GrantReport,
    GrantStatus,
    ReportKind,
    ReportStatus,
)


class CallFilter(SearchFilterSet):
    search_fields = ("title", "code")
    kind = django_filters.ChoiceFilter(choices=CallKind.choices, label=_("Kind"))

    class Meta:
        model = Call
        fields = []


class ApplicationFilter(SearchFilterSet):
    search_fields = ("title", "leader__name", "lead_participant__name")
    call = django_filters.ModelChoiceFilter(queryset=Call.objects.order_by("-deadline"), label=_("Call"))
    status = django_filters.MultipleChoiceFilter(choices=ApplicationStatus.choices, label=_("Status"))
    work_area = django_filters.ModelChoiceFilter(queryset=WorkArea.objects.all(), label=_("Work area"))

    class Meta:
        model = Application
        fields = []


class GrantFilter(SearchFilterSet):
    search_fields = ("title", "leader__name", "participants__name")
    call = django_filters.ModelChoiceFilter(
        queryset=Call.objects.order_by("-deadline"), field_name="application__call", label=_("Call")
    )
    status = django_filters.ChoiceFilter(choices=GrantStatus.choices, label=_("Status"))

    class Meta:
        model = Grant
        fields = []


class ReportFilter(SearchFilterSet):
    search_fields = ("grant__title", "grant__leader__name")
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("Overdue"))

    class Meta:
        model = GrantReport
        fields = []

    def by_overdue(self, queryset, name, value):
        from django.utils import timezone

        open_states = [ReportStatus.DUE, ReportStatus.RETURNED]
        if value is True:
            return queryset.filter(status__in=open_states, due_on__lt=timezone.localdate())
        if value is False:
            return queryset.exclude(status__in=open_states, due_on__lt=timezone.localdate())
        return queryset
