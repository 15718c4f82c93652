"""Comparing two versions of a knowledge description, field by field and line by line."""

import difflib
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .forms import guidelines_to_text, references_to_text
from .models import KnowledgeDescription

CONTEXT = 2  # unchanged lines shown around a change


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed" or "gap" (unchanged lines left out)
    text: str


@dataclass
class FieldDiff:
    label: str
    lines: list[DiffLine] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(line.kind in {"added", "removed"} for line in self.lines)


def _text(description: KnowledgeDescription, name: str) -> str:
    value = getattr(description, name)
    if name == "guidelines":
        return guidelines_to_text(value)
    if name == "references":
        return references_to_text(value)
    if name == "review_due":
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if name == "language":
        return description.get_language_display()
    return value or ""


FIELDS = [
    ("title", _("Title")),
    ("authors", _("Written by")),
    ("language", _("Language of the text")),
    ("review_due", _("To be reviewed by")),
    ("summary", _("Summary")),
    ("body_source", _("Text")),
    ("guidelines", _("National guidelines")),
    ("references", _("References")),
]


def diff_lines(old: str, new: str) -> list[DiffLine]:
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            same = a[i1:i2]
            if len(same) > 2 * CONTEXT + 1:
                head = same[:CONTEXT] if lines else []
                tail = same[-CONTEXT:] if i2 < len(a) else []
                lines += [DiffLine("same", t) for t in head]
                lines.append(DiffLine("gap", ""))
                lines += [DiffLine("same", t) for t in tail]
            else:
                lines += [DiffLine("same", t) for t in same]
            continue
        lines += [DiffLine("removed", t) for t in a[i1:i2]]
        lines += [DiffLine("added", t) for t in b[j1:j2]]
    return lines


def compare(old: KnowledgeDescription, new: KnowledgeDescription) -> list[FieldDiff]:
    """What changed from `old` to `new`, for every field that the versions hold."""
    return [FieldDiff(str(label), diff_lines(_text(old, name), _text(new, name))) for name, label in FIELDS]
