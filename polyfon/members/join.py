"""What the join page shows from data: the fee table from billing's fee schedule, and the share
of the income the steering group has set aside for the participants' projects."""

from django.utils import timezone

from polyfon.billing.models import FeeSchedule
from polyfon.billing.selectors import fee_table_for_year, schedule_for_year


def fee_table():
    """Rows (label, amount, first-year amount, year) of the fee schedule in force this year."""
    return fee_table_for_year(timezone.localdate().year)


def return_share():
    """The target share of the fee income returned as project and seed funds (in %): the
    schedule in force this year sets it; without one, the usual share (half)."""
    schedule = schedule_for_year(timezone.localdate().year)
    return schedule.return_share if schedule else FeeSchedule._meta.get_field("return_share").default
