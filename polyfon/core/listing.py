"""One list page mechanism for every office list: filter, search, sort, paginate, export.

A view builds a `ListPage` from a queryset (already restricted to what the viewer may see
and with its joins), a django-filter FilterSet and the columns; the template
`polyfon/list_page.html` draws it. Exports use the same filtered, sorted rows, so what you
see is what you download. The number of queries does not grow with the number of rows.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext

from .exports import table_response
from .formatting import format_number


def display_value(value):
    """How a cell shows a value: dates the Norwegian way, yes/no for booleans, '' for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return format_number(value, decimals=0 if value == value.to_integral_value() else 2)
    return value


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    value: Callable[[Any], Any]
    sort: str | None = None  # ORM ordering expression; None = not sortable
    link: bool = False  # the cell links to the row's get_absolute_url
    numeric: bool = False
    export_only: bool = False


class ListPage:
    per_page_choices = (25, 50, 100)

    def __init__(
        self,
        request,
        *,
        queryset: QuerySet,
        columns: Sequence[Column],
        filterset_class=None,
        default_sort: str,
        per_page: int = 50,
    ):
        self.request = request
        self.columns = list(columns)
        self.filterset = filterset_class(request.GET or None, queryset=queryset, request=request) if filterset_class else None
        if self.filterset is not None:
            self.filterset.form.is_valid()
            queryset = self.filterset.qs
        self.sort_key = self._sort_key(request.GET.get("sort"), default_sort)
        descending = self.sort_key.startswith("-")
        column = self._column(self.sort_key.lstrip("-"))
        expression = column.sort if column and column.sort else self.sort_key.lstrip("-")
        order = [("-" if descending else "") + expression, "-pk" if descending else "pk"]
        self.queryset = queryset.order_by(*order)
        try:
            per_page = int(request.GET.get("per_page", per_page))
        except ValueError:
            pass
        self.per_page = per_page if per_page in self.per_page_choices else 50

    def _column(self, key):
        return next((c for c in self.columns if c.key == key), None)

    def _sort_key(self, requested: str | None, default: str) -> str:
        if requested:
            column = self._column(requested.lstrip("-"))
            if column and column.sort:
                return requested
        return default

    @property
    def visible_columns(self):
        return [c for c in self.columns if not c.export_only]

    def page(self):
        return Paginator(self.queryset, self.per_page).get_page(self.request.GET.get("page"))

    def header(self):
        """Column headers with the link that sorts by them and the current direction."""
        params = self.request.GET.copy()
        params.pop("page", None)
        cells = []
        for column in self.visible_columns:
            direction = None
            if column.sort:
                if self.sort_key == column.key:
                    direction, next_key = "ascending", "-" + column.key
                elif self.sort_key == "-" + column.key:
                    direction, next_key = "descending", column.key
                else:
                    next_key = column.key
                params["sort"] = next_key
                url = "?" + params.urlencode()
            else:
                url = None
            cells.append({"column": column, "url": url, "direction": direction})
        return cells

    def rows(self, objects):
        return [
            {"object": obj, "cells": [{"column": c, "value": display_value(c.value(obj))} for c in self.visible_columns]}
            for obj in objects
        ]

    def export(self, fmt: str, *, filename: str):
        headers = [str(c.label) for c in self.columns]
        rows = ([c.value(obj) for c in self.columns] for obj in self.queryset.iterator(chunk_size=2000))
        return table_response(filename=filename, headers=headers, rows=rows, fmt=fmt)
