"""Filters of the office lists (django-filter). Search matches names and organisation numbers."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polyfon.content.models import WorkArea

from .models import (
    County,
    FeeCategory,
    Network,
    Organisation,
    OrganisationKind,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    Person,
    StudentLevel,
)


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(condition).distinct() if value.strip() else queryset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "ds-input"
            if not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = css


class ParticipantFilter(SearchFilterSet):
    search_fields = ("name", "organisations__name", "organisations__org_number")
    status = django_filters.MultipleChoiceFilter(choices=ParticipantStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=ParticipantKind.choices, label=_("Kind"))
    fee_category = django_filters.ChoiceFilter(choices=FeeCategory.choices, label=_("Fee category"))
    organisation_kind = django_filters.ChoiceFilter(
        choices=OrganisationKind.choices, method="by_organisation_kind", label=_("Kind of organisation")
    )
    county = django_filters.ModelChoiceFilter(
        queryset=County.objects.all(), method="by_county", label=_("Region (county)")
    )
    network = django_filters.ModelChoiceFilter(queryset=Network.objects.all(), label=_("Regional network"))
    work_area = django_filters.ModelChoiceFilter(
        queryset=WorkArea.objects.all(), field_name="work_areas", label=_("Work area")
    )

    class Meta:
        model = Participant
        fields = []

    def by_organisation_kind(self, queryset, name, value):
        return queryset.filter(memberships__is_lead=True, memberships__organisation__kind=value)

    def by_county(self, queryset, name, value):
        return queryset.filter(memberships__is_lead=True, memberships__organisation__county=value)


class OrganisationFilter(SearchFilterSet):
    search_fields = ("name", "org_number")
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Kind"))
    county = django_filters.ModelChoiceFilter(queryset=County.objects.all(), label=_("County"))

    class Meta:
        model = Organisation
        fields = []


class PersonFilter(SearchFilterSet):
    search_fields = ("name", "email", "organisations__name")
    student_level = django_filters.ChoiceFilter(choices=StudentLevel.choices[1:], label=_("Student"))
    has_login = django_filters.BooleanFilter(field_name="user", lookup_expr="isnull", exclude=True, label=_("Has a login"))

    class Meta:
        model = Person
        fields = []
