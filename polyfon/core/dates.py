"""Calendar helpers that the standard library lacks."""

import calendar
from datetime import date, datetime, time

from django.utils import timezone


def add_months(day: date, months: int) -> date:
    """1 March + 12 months = 1 March next year; 31 January + 1 month = 28/29 February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_today() -> date:
    """Today in Europe/Oslo (not in UTC)."""
    return timezone.localdate()


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in Oslo, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.max))


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)
