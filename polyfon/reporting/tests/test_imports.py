"""Importing indicators from outside sources: mapping, the report of every failing row, and
nothing imported twice."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.reporting import selectors, services
from polyfon.reporting.models import ImportRow, ImportStatus, IndicatorValue, RowOutcome, Source, Unit
from polyfon.reporting.services import Mapping

from .factories import NPR_CSV, csv_file, indicator

pytestmark = pytest.mark.django_db
D = Decimal
NPR = Mapping(columns={"Kontakter": "npr_contacts"}, year_column="År", key_column="Helseregion")


def upload(coordinator, text=NPR_CSV, name="npr.csv", **kwargs):
    return services.import_upload(uploaded=csv_file(text, name, **kwargs), actor=coordinator, source_name="NPR")


def values():
    return {
        (v.year, v.key): v.value
        for v in IndicatorValue.objects.filter(indicator__code="npr_contacts", report__isnull=True)
    }


def test_upload_reads_the_columns_and_imports_nothing_yet(coordinator):
    source_import = upload(coordinator)
    assert source_import.headers == ["År", "Helseregion", "Kontakter"]
    assert source_import.row_count == 6 and source_import.delimiter == ";"
    assert source_import.status == ImportStatus.UPLOADED
    assert not IndicatorValue.objects.exists()
    assert AuditEntry.objects.filter(action="polyfon.reporting.import.uploaded").exists()


@pytest.mark.parametrize(
    "content,name",
    [(b"", "tom.csv"), (b"\x00\x01\x02binary", "x.csv"), (NPR_CSV.encode(), "npr.xlsx"), ("År;Region\n".encode(), "x.csv"),
     (b";Region\n2024;Vest\n", "x.csv")],
)
def test_what_is_not_a_csv_file_is_refused(coordinator, content, name):
    with pytest.raises(DomainError):
        services.import_upload(uploaded=SimpleUploadedFile(name, content), actor=coordinator)


def test_windows_1252_and_commas_are_read(coordinator):
    text = "Year,Region,Kontakter\n2024,Helse Sør-Øst,\"2 940\"\n"
    source_import = upload(coordinator, text, encoding="cp1252")
    assert source_import.delimiter == ","
    plan = services.import_plan(source_import=source_import, mapping=Mapping(
        columns={"Kontakter": "npr_contacts"}, year_column="Year", key_column="Region"))
    assert [(v.key, v.value) for r in plan.rows for v in r.values] == [("sor-ost", D("2940"))]


def test_import_maps_groups_by_name_and_keeps_every_row(coordinator, travel_to):
    source_import = upload(coordinator)
    services.import_execute(source_import=source_import, mapping=NPR, actor=coordinator)
    source_import.refresh_from_db()
    assert source_import.status == ImportStatus.IMPORTED
    assert source_import.value_count == 6 and source_import.failed_count == 0
    assert values()[(2024, "vest")] == D("1812")
    assert values()[(2024, "sor-ost")] == D("2940")
    assert ImportRow.objects.filter(source_import=source_import).count() == 6
    assert source_import.mapping["key_column"] == "Helseregion"


def test_every_failing_row_is_reported_with_the_reason(coordinator):
    text = (
        "År;Helseregion;Kontakter\n"
        "2024;Helse Vest;100\n"
        "tjuefire;Helse Vest;100\n"
        "2024;Helse Atlantis;100\n"
        "2024;Helse Nord;mange\n"
        "2024;Helse Midt-Norge;-5\n"
        "2024;Helse Sør-Øst;12,5\n"
        "2024;Helse Vest;100\n"
        "2999;Helse Nord;1\n"
        "2024;Helse Nord;;ekstra\n"
    )
    source_import = upload(coordinator, text)
    plan = services.import_plan(source_import=source_import, mapping=NPR)
    failed = {row.line_number: " ".join(row.errors) for row in plan.failed}
    assert sorted(failed) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "tjuefire" in failed[3]
    assert "Helse Atlantis" in failed[4]
    assert "mange" in failed[5]
    assert "line 2" in failed[8] or "linje 2" in failed[8]
    services.import_execute(source_import=source_import, mapping=NPR, actor=coordinator)
    source_import.refresh_from_db()
    assert source_import.value_count == 1 and source_import.failed_count == 8
    rows = {r.line_number: r for r in source_import.rows.all()}
    assert rows[2].outcome == RowOutcome.IMPORTED
    assert rows[4].outcome == RowOutcome.FAILED and rows[4].messages
    assert rows[4].raw == ["2024", "Helse Atlantis", "100"]


def test_nothing_is_imported_when_no_row_passes(coordinator):
    source_import = upload(coordinator, "År;Helseregion;Kontakter\n2024;Atlantis;1\n")
    with pytest.raises(DomainError):
        services.import_execute(source_import=source_import, mapping=NPR, actor=coordinator)
    source_import.refresh_from_db()
    assert source_import.status == ImportStatus.UPLOADED and not IndicatorValue.objects.exists()


def test_the_same_file_is_not_imported_twice(coordinator):
    first = upload(coordinator)
    services.import_execute(source_import=first, mapping=NPR, actor=coordinator)
    with pytest.raises(DomainError):
        upload(coordinator)
    services.import_undo(source_import=first, actor=coordinator)
    again = upload(coordinator)
    services.import_execute(source_import=again, mapping=NPR, actor=coordinator)
    assert len(values()) == 6


def test_a_value_already_imported_is_skipped_when_equal_and_refused_when_different(coordinator):
    services.import_execute(source_import=upload(coordinator), mapping=NPR, actor=coordinator)
    text = "År;Helseregion;Kontakter\n2024;Helse Vest;1812\n2024;Helse Nord;999\n2025;Helse Nord;500\n"
    second = upload(coordinator, text, name="npr-2.csv")
    services.import_execute(source_import=second, mapping=NPR, actor=coordinator)
    rows = {r.line_number: r for r in second.rows.all()}
    assert rows[2].outcome == RowOutcome.SKIPPED and "npr.csv" in rows[2].messages[0]
    assert rows[3].outcome == RowOutcome.FAILED
    assert rows[4].outcome == RowOutcome.IMPORTED
    assert values()[(2024, "nord")] == D("410")
    assert values()[(2025, "nord")] == D("500")


def test_a_file_may_give_totals_and_a_fixed_year(coordinator):
    total = services.indicator_create(
        actor=coordinator, code="kommuner_med_tilbud", source=Source.IMPORTED, topic="health", name="Kommuner med tilbud",
        unit=Unit.COUNT, breakdowns=[],
    )
    source_import = upload(coordinator, "Antall\n212\n", name="kommuner.csv")
    services.import_execute(
        source_import=source_import, mapping=Mapping(columns={"Antall": total.code}, fixed_year=2024), actor=coordinator
    )
    value = IndicatorValue.objects.get(indicator=total)
    assert (value.year, value.breakdown, value.value) == (2024, "", D("212"))


def test_mapping_mistakes_are_refused_before_any_row(coordinator):
    source_import = upload(coordinator)
    mistakes = [
        Mapping(columns={}, year_column="År"),
        Mapping(columns={"Kontakter": "npr_contacts"}, key_column="Helseregion"),  # no year
        Mapping(columns={"Kontakter": "npr_contacts"}, year_column="År", fixed_year=2024, key_column="Helseregion"),
        Mapping(columns={"Finnes ikke": "npr_contacts"}, year_column="År", key_column="Helseregion"),
        Mapping(columns={"Kontakter": "participants"}, year_column="År", key_column="Helseregion"),
        Mapping(columns={"År": "npr_contacts"}, year_column="År", key_column="Helseregion"),
    ]
    for mapping in mistakes:
        with pytest.raises(DomainError):
            services.import_plan(source_import=source_import, mapping=mapping)


def test_undo_removes_the_values_and_keeps_the_log(coordinator):
    source_import = upload(coordinator)
    services.import_execute(source_import=source_import, mapping=NPR, actor=coordinator)
    services.import_undo(source_import=source_import, actor=coordinator)
    source_import.refresh_from_db()
    assert source_import.status == ImportStatus.UNDONE and not values()
    assert source_import.rows.count() == 6
    with pytest.raises(DomainError):
        services.import_undo(source_import=source_import, actor=coordinator)


def test_a_discarded_file_cannot_be_imported(coordinator):
    source_import = upload(coordinator)
    services.import_discard(source_import=source_import, actor=coordinator)
    with pytest.raises(DomainError):
        services.import_execute(source_import=source_import, mapping=NPR, actor=coordinator)


def test_imported_groups_add_up_to_the_total(coordinator):
    services.import_execute(source_import=upload(coordinator), mapping=NPR, actor=coordinator)
    npr = indicator("npr_contacts")
    results = selectors.imported_results([npr], [2023, 2024, 2025])
    assert results[(npr.pk, 2024)].total == D("5802")
    assert results[(npr.pk, 2023)].groups["health_region"] == {"vest": D("1650"), "sor-ost": D("2800")}
    assert (npr.pk, 2025) not in results


@pytest.mark.parametrize("text,expected", [("1 234", D("1234")), ("1234,5", D("1234.5")), ("1.234,5", D("1234.5")),
                                           ("\u00a012\u00a0000", D("12000")), ("", None)])
def test_numbers_as_norwegians_write_them(text, expected):
    assert services.parse_number(text) == expected


def test_not_a_number_raises():
    with pytest.raises(ValueError):
        services.parse_number("12 kr")
