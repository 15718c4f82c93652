"""Import of organisations from the Brønnøysund Register Centre's JSON (Enhetsregisteret).

Accepts the register's own formats: a list of units (the bulk download) or an API page
(`{"_embedded": {"enheter": [...]}}`). Units are matched on `organisasjonsnummer`; every row
is reported as created, updated, unchanged or rejected, with the reason.
"""

import json
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.errors import DomainError
from polyfon.core.validators import clean_org_number

from .models import Municipality, Organisation, OrganisationKind

# Brønnøysund's form codes that tell the kind of organisation outright.
KIND_BY_FORM = {
    "KOMM": OrganisationKind.MUNICIPALITY,
    "FYLK": OrganisationKind.COUNTY_MUNICIPALITY,
    "HF": OrganisationKind.HEALTH_TRUST,
    "STI": OrganisationKind.HOSPITAL,
}

LOWER_WORDS = {"kommune", "fylkeskommune", "i", "og", "for", "på", "av", "til", "helseforetak", "universitet", "senter"}
UPPER_WORDS = {"hf", "as", "asa", "sa", "iks", "ba", "da", "ks", "rhf", "norce", "nav", "uib", "ntnu", "usn"}

OUTCOME_LABELS = {
    "created": gettext_lazy("created"),
    "updated": gettext_lazy("updated"),
    "unchanged": gettext_lazy("unchanged"),
    "rejected": gettext_lazy("rejected"),
}


@dataclass
class ImportRow:
    line: int
    org_number: str
    name: str
    outcome: str
    detail: str = ""

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def totals(self) -> dict[str, int]:
        return {outcome: self.count(outcome) for outcome in OUTCOME_LABELS}


def tidy_name(name: str) -> str:
    """'ASKØY KOMMUNE' -> 'Askøy kommune'; names in mixed case are kept as they are."""
    name = " ".join(name.split())
    if name != name.upper():
        return name
    words = []
    for index, word in enumerate(name.lower().split(" ")):
        if word in UPPER_WORDS:
            words.append(word.upper())
        elif index > 0 and word in LOWER_WORDS:
            words.append(word)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(words)


def parse_units(raw: bytes) -> list:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DomainError(_("The file is not valid JSON: %(error)s") % {"error": error}) from None
    if isinstance(data, dict):
        embedded = data.get("_embedded", {})
        if isinstance(embedded, dict) and isinstance(embedded.get("enheter"), list):
            return embedded["enheter"]
        if "organisasjonsnummer" in data:
            return [data]
        raise DomainError(_("The file has no list of units (“enheter”)."))
    if isinstance(data, list):
        return data
    raise DomainError(_("The file has no list of units (“enheter”)."))


def _address(unit: dict) -> dict:
    source = unit.get("postadresse") or unit.get("forretningsadresse") or {}
    lines = source.get("adresse") or []
    return {
        "postal_address": ", ".join(line for line in lines if line)[:200],
        "postal_code": (source.get("postnummer") or "")[:4],
        "postal_place": (source.get("poststed") or "").title()[:100],
    }


def _municipality_number(unit: dict) -> str:
    for key in ("forretningsadresse", "beliggenhetsadresse", "postadresse"):
        number = (unit.get(key) or {}).get("kommunenummer")
        if number:
            return number
    return ""


def import_units(*, raw: bytes, actor) -> ImportReport:
    units = parse_units(raw)
    report = ImportReport()
    numbers = [u.get("organisasjonsnummer") for u in units if isinstance(u, dict)]
    existing = {o.org_number: o for o in Organisation.objects.filter(org_number__in=[n for n in numbers if n])}
    municipalities = {m.number: m for m in Municipality.objects.select_related("county")}
    seen: set[str] = set()
    now = timezone.now()
    with transaction.atomic():
        for line, unit in enumerate(units, start=1):
            if not isinstance(unit, dict):
                report.rows.append(ImportRow(line, "", "", "rejected", _("The row is not a unit (an object).")))
                continue
            raw_number = str(unit.get("organisasjonsnummer") or "")
            name = (unit.get("navn") or "").strip()
            try:
                org_number = clean_org_number(raw_number)
            except Exception as error:  # ValidationError with a translated message
                message = getattr(error, "messages", [str(error)])[0]
                report.rows.append(ImportRow(line, raw_number, name, "rejected", message))
                continue
            if not name:
                report.rows.append(ImportRow(line, org_number, name, "rejected", _("The unit has no name (“navn”).")))
                continue
            if org_number in seen:
                report.rows.append(ImportRow(line, org_number, name, "rejected", _("The organisation number appears twice in the file.")))
                continue
            seen.add(org_number)
            form = ((unit.get("organisasjonsform") or {}).get("kode") or "")[:10]
            deleted = bool(unit.get("slettedato"))
            municipality_number = _municipality_number(unit)
            municipality = municipalities.get(municipality_number)
            notes = []
            if municipality_number and municipality is None:
                notes.append(_("Unknown municipality number %(number)s (not in the 2024 list).") % {"number": municipality_number})
            values = {
                **_address(unit),
                "brreg_form": form,
                "website": _website(unit.get("hjemmeside")),
            }
            if municipality:
                values.update(municipality=municipality, county=municipality.county)
            organisation = existing.get(org_number)
            if organisation is None:
                if deleted:
                    report.rows.append(ImportRow(line, org_number, name, "rejected", _("The unit is deleted in the register.")))
                    continue
                organisation = Organisation.objects.create(
                    name=tidy_name(name)[:200],
                    org_number=org_number,
                    kind=KIND_BY_FORM.get(form, OrganisationKind.OTHER),
                    brreg_updated_at=now,
                    **values,
                )
                audit_log(obj=organisation, action="polyfon.members.organisation.created", actor=actor, payload={"source": "brreg"})
                report.rows.append(ImportRow(line, org_number, organisation.name, "created", " ".join(notes)))
                continue
            if name.lower() != organisation.name.lower():
                values["name"] = tidy_name(name)[:200]
            if form in KIND_BY_FORM:
                values["kind"] = KIND_BY_FORM[form]
            changes = update_with_audit(
                organisation, values, actor=actor, action="polyfon.members.organisation.changed", extra={"source": "brreg"}
            )
            organisation.brreg_updated_at = now
            organisation.save(update_fields=["brreg_updated_at"])
            if deleted:
                notes.append(_("The unit is deleted in the register; check the participant."))
            outcome = "updated" if changes else "unchanged"
            detail = ", ".join(str(Organisation._meta.get_field(f).verbose_name) for f in changes)
            report.rows.append(ImportRow(line, org_number, organisation.name, outcome, " ".join(filter(None, [detail, *notes]))))
    return report


def _website(value) -> str:
    if not value:
        return ""
    value = value.strip()
    if not re.match(r"^https?://", value):
        value = "https://" + value
    return value[:200]
