"""The break-downs an indicator's values can have: by work area, region (county), kind of
participant, and the others the computed indicators need. Each break-down knows its groups in
the order they are shown, their labels in the active language, and how to recognise a group
named in an imported file ("Vestland", "46", "Helse Vest RHF", ...).

Groups are identified by stable keys (a county's number, a work area's short name, a choice's
code); labels are looked up when shown, or copied when an annual report is frozen.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OTHER = "other"


@dataclass(frozen=True)
class Breakdown:
    code: str
    label: Promise
    choices: Callable[[], list[tuple[str, Promise | str]]] | None = None  # fixed groups; None: from the database
    entered: bool = False  # reported indicators: the participant gives a value per group
    derived: bool = False  # reported indicators: the group follows from the participant
    importable: bool = False  # an imported file may give values per group
    show_empty: bool = True  # show groups without a value in tables
    aliases: dict | None = None  # extra names that match a group in imports


def _participant_kinds():
    from polyfon.members.models import ParticipantKind

    return ParticipantKind.choices


def _organisation_kinds():
    from polyfon.members.models import ORGANISATION_KIND_PLURALS, OrganisationKind

    return [(kind, ORGANISATION_KIND_PLURALS[kind]) for kind in OrganisationKind.values]


def _fee_categories():
    from polyfon.members.models import FeeCategory

    return FeeCategory.choices


def _audiences():
    from polyfon.events.models import Audience

    return [*Audience.choices, (OTHER, _("Others and not given"))]


def _event_kinds():
    from polyfon.events.models import EventKind

    return [(k, label) for k, label in EventKind.choices if k != EventKind.STEERING_MEETING]


def _student_levels():
    from polyfon.members.models import StudentLevel

    return [(StudentLevel.MASTER, _("Master's students")), (StudentLevel.PHD, _("PhD candidates"))]


HEALTH_REGIONS = [
    ("sor-ost", "Helse Sør-Øst"),
    ("vest", "Helse Vest"),
    ("midt", "Helse Midt-Norge"),
    ("nord", "Helse Nord"),
]


def _health_regions():
    return HEALTH_REGIONS


BREAKDOWNS: dict[str, Breakdown] = {
    b.code: b
    for b in [
        Breakdown("work_area", _("Work area"), entered=True, importable=True),
        Breakdown("county", _("Region (county)"), derived=True, importable=True, show_empty=False),
        Breakdown("participant_kind", _("Kind of participant"), _participant_kinds, derived=True, importable=True),
        Breakdown("organisation_kind", _("Kind of organisation"), _organisation_kinds, derived=True, show_empty=False),
        Breakdown("fee_category", _("Fee category"), _fee_categories),
        Breakdown("audience", _("Audience"), _audiences),
        Breakdown("event_kind", _("Kind of event"), _event_kinds),
        Breakdown("student_level", _("Level"), _student_levels),
        Breakdown(
            "health_region",
            _("Health region"),
            _health_regions,
            importable=True,
            aliases={
                "sor-ost": ["sorost", "hso", "helsesorostrhf", "sorost rhf"],
                "vest": ["helsevestrhf", "vestrhf"],
                "midt": ["midtnorge", "helsemidtnorgerhf", "helsemidt", "helsemidtrhf"],
                "nord": ["helsenordrhf", "nordrhf"],
            },
        ),
    ]
}


def get(code: str) -> Breakdown | None:
    return BREAKDOWNS.get(code)


def label_of(code: str) -> str:
    breakdown = BREAKDOWNS.get(code)
    return str(breakdown.label) if breakdown else code


def choices_for(*, source: str) -> list[tuple[str, Promise]]:
    """The break-downs an indicator of `source` may have (computed ones are set by the system)."""
    from .models import Source

    if source == Source.REPORTED:
        return [(b.code, b.label) for b in BREAKDOWNS.values() if b.entered or b.derived]
    if source == Source.IMPORTED:
        return [(b.code, b.label) for b in BREAKDOWNS.values() if b.importable]
    return [(b.code, b.label) for b in BREAKDOWNS.values()]


def normalise(text: str) -> str:
    """'Helse Sør-Øst RHF' -> 'helsesorostrhf': what two spellings of a name have in common."""
    text = str(text or "").strip().lower()
    text = text.replace("ø", "o").replace("æ", "ae").replace("å", "a")
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text)


class Lookups:
    """The groups of every break-down, loaded at most once (counties and work areas come from
    the database): one per request or per report, so a page costs the same whatever it shows."""

    def __init__(self):
        self._options: dict[str, list[tuple[str, str]]] = {}
        self._work_areas = None
        self._matchers: dict[str, dict[str, str]] = {}

    def work_areas(self):
        if self._work_areas is None:
            from polyfon.content.models import WorkArea

            self._work_areas = list(WorkArea.objects.order_by("position", "name"))
        return self._work_areas

    def work_area_keys(self) -> dict[int, str]:
        return {area.pk: area.slug for area in self.work_areas()}

    def options(self, code: str) -> list[tuple[str, str]]:
        """(key, label) of every group, in the order they are shown, labels in the active language."""
        language = translation.get_language()
        cache_key = f"{code}:{language}"
        if cache_key not in self._options:
            breakdown = BREAKDOWNS[code]
            if code == "work_area":
                options = [(area.slug, area.display_name) for area in self.work_areas()]
            elif code == "county":
                from polyfon.members.models import County

                options = [(c.number, c.name) for c in County.objects.order_by("number")]
            else:
                options = [(key, str(label)) for key, label in breakdown.choices()]
            self._options[cache_key] = options
        return self._options[cache_key]

    def label(self, code: str, key: str) -> str:
        return dict(self.options(code)).get(key, key)

    def positions(self, code: str) -> dict[str, int]:
        return {key: index for index, (key, _label) in enumerate(self.options(code))}

    def match(self, code: str, text: str) -> str | None:
        """The key of the group `text` names (by key, label in any language, or alias), or None."""
        if code not in self._matchers:
            names: dict[str, str] = {}
            breakdown = BREAKDOWNS[code]
            for language in ("nb", "nn", "en"):
                with translation.override(language):
                    for key, label in self.options(code):
                        names.setdefault(normalise(key), key)
                        names.setdefault(normalise(label), key)
                        if code == "county":
                            names.setdefault(normalise(f"{key} {label}"), key)
            if code == "work_area":
                for area in self.work_areas():
                    for name in (area.name, area.name_nn, area.name_en):
                        if name:
                            names.setdefault(normalise(name), area.slug)
            for key, aliases in (breakdown.aliases or {}).items():
                for alias in aliases:
                    names.setdefault(normalise(alias), key)
            self._matchers[code] = names
        return self._matchers[code].get(normalise(text))
