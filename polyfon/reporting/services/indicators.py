"""Indicator definitions: the system's own (computed, and the default reported and imported
ones) are created once; the coordinator adds and changes reported and imported indicators."""

from django.db import transaction
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.errors import DomainError

from .. import breakdowns as bd
from ..indicators import REGISTRY, all_definitions
from ..models import Indicator, IndicatorValue, ReportedValue, Source, Unit

# What the coordinator may change. A computed indicator's unit, source and break-downs are the
# system's; only how it is named and shown can change.
INDICATOR_FIELDS = [
    "name", "name_nn", "name_en", "description", "description_nn", "description_en",
    "topic", "unit", "decimals", "breakdowns", "chart", "position", "is_active",
]  # fmt: skip
COMPUTED_FIELDS = [
    "name", "name_nn", "name_en", "description", "description_nn", "description_en", "decimals", "chart", "position",
    "is_active",
]  # fmt: skip
# Fields that change the meaning of values already given.
MEANING_FIELDS = ("unit", "breakdowns")


def indicator_sync_defaults(*, using: str = "default") -> list[Indicator]:
    """Create the indicators the system defines that do not exist yet (never changes or revives
    existing ones). Run after every migration; safe to run any time."""
    existing = set(Indicator.objects.using(using).values_list("code", flat=True))
    missing = [Indicator(code=d.code, **d.model_values()) for d in all_definitions() if d.code not in existing]
    if missing:
        Indicator.objects.using(using).bulk_create(missing, ignore_conflicts=True)
    return missing


def _check_breakdowns(source: str, codes: list[str]) -> list[str]:
    allowed = {code for code, _label in bd.choices_for(source=source)}
    unknown = [c for c in codes if c not in allowed]
    if unknown:
        raise DomainError(
            _("These break-downs cannot be used for this kind of indicator: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="breakdowns",
        )
    if source == Source.IMPORTED and len(codes) > 1:
        raise DomainError(_("An imported indicator has at most one break-down: the groups of its file."), field="breakdowns")
    ordered = [code for code in bd.BREAKDOWNS if code in codes]
    return ordered


def _check_values(values: dict) -> None:
    if values.get("unit") == Unit.COUNT and values.get("decimals"):
        raise DomainError(_("A number of things is shown without decimals."), field="decimals")


def indicator_create(*, actor, code: str, source: str, **values) -> Indicator:
    """A new indicator that participants report or that is imported (computed ones come from the system)."""
    if source not in (Source.REPORTED, Source.IMPORTED):
        raise DomainError(_("Only reported and imported indicators can be added; computed ones are part of the system."))
    values = {k: v for k, v in values.items() if k in INDICATOR_FIELDS}
    values["breakdowns"] = _check_breakdowns(source, list(values.get("breakdowns") or []))
    _check_values(values)
    with transaction.atomic():
        if Indicator.objects.filter(code=code).exists() or code in REGISTRY:
            raise DomainError(_("An indicator with the code %(code)s already exists.") % {"code": code}, field="code")
        indicator = Indicator.objects.create(code=code, source=source, **values)
        audit_log(obj=indicator, action="polyfon.reporting.indicator.created", actor=actor, payload={"source": source})
    return indicator


def _has_values(indicator: Indicator) -> bool:
    return (
        ReportedValue.objects.filter(indicator=indicator).exists()
        or IndicatorValue.objects.filter(indicator=indicator, report__isnull=True).exists()
    )


def indicator_update(*, indicator: Indicator, actor, **values) -> Indicator:
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        fields = COMPUTED_FIELDS if indicator.is_computed else INDICATOR_FIELDS
        values = {k: v for k, v in values.items() if k in fields}
        if "breakdowns" in values:
            values["breakdowns"] = _check_breakdowns(indicator.source, list(values["breakdowns"] or []))
        _check_values({"unit": values.get("unit", indicator.unit), "decimals": values.get("decimals", indicator.decimals)})
        changed_meaning = [f for f in MEANING_FIELDS if f in values and values[f] != getattr(indicator, f)]
        if changed_meaning and _has_values(indicator):
            raise DomainError(
                _(
                    "The unit and the break-downs cannot change once values have been reported or imported; "
                    "make a new indicator instead."
                ),
                field=changed_meaning[0],
            )
        update_with_audit(indicator, values, actor=actor, action="polyfon.reporting.indicator.changed")
    return indicator
