import json

import pytest

from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.members.brreg import import_units, tidy_name
from polyfon.members.models import Organisation, OrganisationKind

from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def unit(number, name, form="KOMM", municipality="4627", **extra):
    return {
        "organisasjonsnummer": number,
        "navn": name,
        "organisasjonsform": {"kode": form, "beskrivelse": "Kommune"},
        "forretningsadresse": {"adresse": ["Rådhusvegen 1"], "postnummer": "5300", "poststed": "KLEPPESTØ",
                               "kommunenummer": municipality},
        "hjemmeside": "www.askoy.kommune.no",
        **extra,
    }


def test_import_reports_every_row(coordinator):
    known = OrganisationFactory(org_number="964338531", name="Bergen kommune", postal_address="Gammel")
    payload = {
        "_embedded": {
            "enheter": [
                unit("964338442", "ASKØY KOMMUNE"),
                unit("964338531", "BERGEN KOMMUNE", municipality="4601"),
                unit("123456789", "UGYLDIG AS", form="AS"),
                unit("964338442", "ASKØY KOMMUNE"),
                unit("974760673", "", form="HF"),
                unit("983974732", "SLETTA AS", form="AS", slettedato="2020-01-01"),
                "not a unit",
                unit("974760673", "HELSE BERGEN HF", form="HF", municipality="9999"),
            ]
        }
    }
    report = import_units(raw=json.dumps(payload).encode(), actor=coordinator)
    outcomes = [(row.line, row.outcome) for row in report.rows]
    assert outcomes == [
        (1, "created"), (2, "updated"), (3, "rejected"), (4, "rejected"), (5, "rejected"), (6, "rejected"),
        (7, "rejected"), (8, "created"),
    ]
    askoy = Organisation.objects.get(org_number="964338442")
    assert (askoy.name, askoy.kind, askoy.municipality.number, askoy.county.number) == (
        "Askøy kommune", OrganisationKind.MUNICIPALITY, "4627", "46"
    )
    assert askoy.website == "https://www.askoy.kommune.no"
    known.refresh_from_db()
    assert known.name == "Bergen kommune"  # same name in other case: the coordinator's spelling stays
    assert known.postal_address == "Rådhusvegen 1"
    assert "9999" in report.rows[7].detail
    assert report.totals == {"created": 2, "updated": 1, "unchanged": 0, "rejected": 5}
    assert AuditEntry.objects.filter(action="polyfon.members.organisation.changed", payload__source="brreg").count() == 1


def test_importing_the_same_file_twice_changes_nothing(coordinator):
    raw = json.dumps([unit("964338442", "ASKØY KOMMUNE")]).encode()
    import_units(raw=raw, actor=coordinator)
    report = import_units(raw=raw, actor=coordinator)
    assert report.totals["unchanged"] == 1
    assert Organisation.objects.count() == 1


def test_broken_file_is_refused_with_a_message(coordinator):
    with pytest.raises(DomainError):
        import_units(raw=b"{not json", actor=coordinator)
    with pytest.raises(DomainError):
        import_units(raw=b'{"foo": 1}', actor=coordinator)


@pytest.mark.parametrize(
    "raw,tidy",
    [("ASKØY KOMMUNE", "Askøy kommune"), ("HELSE BERGEN HF", "Helse Bergen HF"),
     ("UNIVERSITETET I BERGEN", "Universitetet i Bergen"), ("Norce Norwegian Research Centre AS", "Norce Norwegian Research Centre AS")],
)
def test_tidy_name(raw, tidy):
    assert tidy_name(raw) == tidy


def test_command_prints_every_row(tmp_path, db):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "enheter.json"
    path.write_text(json.dumps([unit("964338442", "ASKØY KOMMUNE"), unit("1", "FEIL")]), encoding="utf-8")
    out = StringIO()
    call_command("import_brreg", str(path), stdout=out)
    text = out.getvalue()
    assert "964338442" in text and "rejected" in text
    assert "1 created" in text and "1 rejected" in text
