"""Filters of the office lists of the money side (django-filter)."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from polyfon.core.dates import local_today
from polyfon.members.filters import SearchFilterSet
from polyfon.members.models import FeeCategory

from .models import (
    CreditNote,
    DeliveryChannel,
    Dispatch,
    DispatchKind,
    DispatchOutcome,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Payment,
    PaymentSource,
)


class NumberSearchMixin:
    """A search of digits is a number: the document's number, its KID or the buyer's
    organisation number, exactly. Other text matches names and references."""

    number_fields = ("buyer_org_number",)

    def search(self, queryset, name, value):
        text = value.strip().replace(" ", "")
        if not text:
            return queryset
        digits = text[1:] if text[:1] in "Kk" else text
        if digits.isdigit():
            condition = Q(number=int(digits)) if len(digits) < 10 else Q(pk__in=[])
            for field in self.number_fields:
                condition |= Q(**{field: text})
            return queryset.filter(condition)
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(condition)


def _issued_between():
    """Invoice date from and to: the accountant's period, beside the year the fee is for."""
    date_input = django_filters.widgets.forms.DateInput(attrs={"type": "date"})
    return (
        django_filters.DateFilter(field_name="issue_date", lookup_expr="gte", label=_("Invoice date from"), widget=date_input),
        django_filters.DateFilter(field_name="issue_date", lookup_expr="lte", label=_("Invoice date to"), widget=date_input),
    )


class InvoiceFilter(NumberSearchMixin, SearchFilterSet):
    search_fields = ("buyer_name", "buyer_reference", "participant__name")
    number_fields = ("buyer_org_number", "kid")
    status = django_filters.MultipleChoiceFilter(choices=InvoiceStatus.choices, method="by_status", label=_("Status"))
    year = django_filters.NumberFilter(field_name="year", label=_("Year"))
    issued_from, issued_to = _issued_between()
    fee_category = django_filters.ChoiceFilter(choices=FeeCategory.choices, label=_("Fee category"))
    channel = django_filters.ChoiceFilter(choices=DeliveryChannel.choices, label=_("Sent as"))
    kind = django_filters.ChoiceFilter(choices=InvoiceKind.choices, label=_("Kind"))

    class Meta:
        model = Invoice
        fields = []

    def by_status(self, queryset, name, values):
        """Overdue also finds invoices past their due date that the night's job has not reached."""
        if not values:
            return queryset
        condition = Q(status__in=values)
        if InvoiceStatus.OVERDUE in values:
            condition |= Q(
                status__in=[InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID],
                due_date__lt=local_today(),
                total_amount__gt=F("credited_amount") + F("paid_amount"),
            )
        return queryset.filter(condition)


class CreditNoteFilter(NumberSearchMixin, SearchFilterSet):
    search_fields = ("buyer_name", "reason", "participant__name")
    year = django_filters.NumberFilter(field_name="year", label=_("Year"))
    issued_from, issued_to = _issued_between()

    class Meta:
        model = CreditNote
        fields = []


class PaymentFilter(SearchFilterSet):
    search_fields = ("invoice__buyer_name", "invoice__kid", "reference", "note")
    source = django_filters.ChoiceFilter(choices=PaymentSource.choices, label=_("Source"))
    paid_from = django_filters.DateFilter(field_name="paid_on", lookup_expr="gte", label=_("Paid from"),
                                          widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    paid_to = django_filters.DateFilter(field_name="paid_on", lookup_expr="lte", label=_("Paid to"),
                                        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Payment
        fields = []


class DispatchFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DispatchKind.choices, label=_("What"))
    outcome = django_filters.ChoiceFilter(choices=DispatchOutcome.choices, label=_("Outcome"))
    channel = django_filters.ChoiceFilter(choices=DeliveryChannel.choices, label=_("Channel"))

    class Meta:
        model = Dispatch
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "ds-input"
