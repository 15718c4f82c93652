"""Data written in several languages: a bokmål field plus optional `_nn` and `_en` fields."""

from django.utils.translation import get_language


def localized(obj, field: str) -> str:
    """The value of `field` in the active language, falling back to bokmål."""
    language = (get_language() or "nb")[:2]
    if language in {"nn", "en"}:
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)
