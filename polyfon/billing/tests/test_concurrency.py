"""Gapless numbers and idempotent runs when several processes issue at once. Real row locks are
needed, so these run on PostgreSQL (CI runs the suite on both databases)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from polyfon.billing import services
from polyfon.billing.models import Invoice, NumberSeries
from polyfon.core.errors import DomainError
from polyfon.members.tests.factories import MemberFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (SELECT ... FOR UPDATE)"),
]


def run_at_once(functions):
    """Start every function in its own thread (own database connection) at the same moment."""
    barrier = threading.Barrier(len(functions))
    results, errors = [], []

    def worker(function):
        try:
            barrier.wait()
            results.append(function())
        except Exception as error:  # collected and checked by the test
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_invoices_issued_at_once_get_gapless_numbers(schedule):
    member = MemberFactory()
    buyer = member.organisations.get()

    def issue():
        return services.invoice_issue(
            actor=None, buyer=buyer, participant=member, year=2026, issue_date=date(2026, 3, 1),
            lines=[services.LineInput("Fagdag", Decimal("1"), Decimal("100"))], send=False,
        ).number

    results, errors = run_at_once([issue] * 8)
    assert errors == []
    assert sorted(results) == list(range(1, 9))
    assert sorted(Invoice.objects.values_list("number", flat=True)) == list(range(1, 9))
    assert NumberSeries.objects.get(key=NumberSeries.INVOICE).next_number == 9


def test_two_runs_at_once_issue_each_invoice_once(schedule):
    MemberFactory.create_batch(5)

    def execute():
        return services.invoice_run_execute(year=2026, actor=None, issue_date=date(2026, 1, 20), send=False).pk

    results, errors = run_at_once([execute, execute])
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], DomainError)
    assert Invoice.objects.count() == 5
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_a_failing_issue_does_not_leave_a_gap_for_the_others(schedule):
    member = MemberFactory()
    buyer = member.organisations.get()

    def good():
        return services.invoice_issue(actor=None, buyer=buyer, participant=member, year=2026,
                                      lines=[services.LineInput("A", Decimal("1"), Decimal("10"))], send=False).number

    def bad():
        from django.db import transaction

        with transaction.atomic():
            services.invoice_issue(actor=None, buyer=buyer, participant=member, year=2026,
                                   lines=[services.LineInput("B", Decimal("1"), Decimal("10"))], send=False)
            raise RuntimeError("rolled back after taking a number")

    results, errors = run_at_once([good, bad, good, bad, good])
    assert len(errors) == 2 and sorted(results) == [1, 2, 3]
