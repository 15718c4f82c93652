"""Compile polyfon/locale/*/LC_MESSAGES/*.po into .mo files with Babel.

Django's compilemessages needs GNU gettext on the machine; Babel is a Python dependency,
so `make run` works on a machine with only Python, Node and git.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "polyfon" / "locale"


def main() -> int:
    compiled = 0
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        compiled += 1
    print(f"Compiled {compiled} message catalogue(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
