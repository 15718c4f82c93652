"""Two people at once: real row locks, so only on PostgreSQL."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from polyfon.core.errors import DomainError
from polyfon.reporting import services
from polyfon.reporting.models import IndicatorValue, ParticipantReport, SubmissionStatus

from .factories import NPR_CSV, csv_file, full_answers, member, open_round

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


def _race(*calls):
    """Run the calls at the same moment in threads; returns what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 (the outcome is what the test looks at)
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_contacts_submitting_at_once_make_one_report(coordinator):
    bergen = member("Bergen kommune")
    reporting_round = open_round(deadline=date(2099, 1, 1))
    answers = full_answers(reporting_round)

    def submit():
        return services.report_submit(reporting_round=reporting_round, participant=bergen, actor=coordinator, answers=answers)

    results = _race(submit, submit)
    assert sum(isinstance(r, ParticipantReport) for r in results) == 1
    assert sum(isinstance(r, DomainError) for r in results) == 1
    assert ParticipantReport.objects.get().status == SubmissionStatus.SUBMITTED


def test_two_files_with_the_same_values_imported_at_once_import_them_once(coordinator):
    mapping = services.Mapping(columns={"Kontakter": "npr_contacts"}, year_column="År", key_column="Helseregion")
    first = services.import_upload(uploaded=csv_file(NPR_CSV, "a.csv"), actor=coordinator)
    second = services.import_upload(uploaded=csv_file(NPR_CSV + "\n", "b.csv"), actor=coordinator)

    def importing(source_import):
        return lambda: services.import_execute(source_import=source_import, mapping=mapping, actor=coordinator)

    _race(importing(first), importing(second))
    assert IndicatorValue.objects.filter(report__isnull=True).count() == 6
