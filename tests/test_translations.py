"""Bokmål and nynorsk are complete: every string in the code is in the catalogues, translated.

English is the source language of the code (msgids), so it is complete by construction.
"""

import os
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "polyfon" / "locale"
IGNORE = ["node_modules", ".venv", "var", "tests", "bench", "*/tests/*", "conftest.py"]
# Ignoring the real catalogues keeps makemessages from writing into them: it writes into the
# temporary LOCALE_PATHS instead.
EXTRACT_IGNORE = [*IGNORE, "polyfon/locale"]


def catalogue(language: str):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as f:
        return read_po(f, locale=language)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_string_is_translated(language):
    problems = []
    for message in catalogue(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert not problems, f"{len(problems)} untranslated or fuzzy strings in {language}: {problems[:10]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is needed to extract strings (CI installs it)")
def test_catalogues_hold_every_string_in_the_code(tmp_path, settings):
    from django.core.management import call_command

    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    cwd = os.getcwd()
    os.chdir(settings.BASE_DIR)
    try:
        call_command("makemessages", locale=["nb"], ignore_patterns=EXTRACT_IGNORE, verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    with open(tmp_path / "locale" / "nb" / "LC_MESSAGES" / "django.po", "rb") as f:
        in_code = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert len(in_code) > 400, "makemessages found too few strings: is the extraction broken?"
    for language in ["nb", "nn"]:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(language) if m.id}
        missing = sorted(in_code - known)
        assert not missing, f"Run `make makemessages` and translate: {missing[:10]}"
