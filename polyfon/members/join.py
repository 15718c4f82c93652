"""What the join page shows from data: the fee table comes from billing's fee schedule."""

from django.utils import timezone

from polyfon.billing.selectors import fee_table_for_year


def fee_table():
    """Rows (label, amount, first-year amount, year) of the fee schedule in force this year."""
    return fee_table_for_year(timezone.localdate().year)
