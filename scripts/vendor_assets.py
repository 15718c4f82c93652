"""Copy the front-end packages from node_modules into polyfon/static/vendor.

Everything the pages load is served from this site; nothing comes from a CDN. Run after
`npm ci` (the Makefile does). The versions are pinned in package-lock.json.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "polyfon" / "static" / "vendor"

FILES = {
    "@digdir/designsystemet-css/dist/src/index.css": "designsystemet/designsystemet.css",
    "@digdir/designsystemet-theme/src/themes/designsystemet.css": "designsystemet/theme.css",
    "@digdir/designsystemet-web/dist/umd/index.js": "designsystemet/designsystemet-web.js",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "axe-core/axe.min.js": "axe/axe.min.js",
    "@fontsource-variable/inter/files/inter-latin-wght-normal.woff2": "inter/inter-latin-wght-normal.woff2",
    "@fontsource-variable/inter/files/inter-latin-ext-wght-normal.woff2": "inter/inter-latin-ext-wght-normal.woff2",
    "@fontsource-variable/inter/files/inter-latin-wght-italic.woff2": "inter/inter-latin-wght-italic.woff2",
}

# The theme asks for the family "Inter"; these faces provide it from our own files.
INTER_CSS = """/* Inter (SIL Open Font License), self-hosted from @fontsource-variable/inter. */
@font-face { font-family: "Inter"; font-style: normal; font-display: swap; font-weight: 100 900;
  src: url("inter-latin-wght-normal.woff2") format("woff2-variations");
  unicode-range: U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD; }
@font-face { font-family: "Inter"; font-style: normal; font-display: swap; font-weight: 100 900;
  src: url("inter-latin-ext-wght-normal.woff2") format("woff2-variations");
  unicode-range: U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+0304, U+0308, U+0329, U+1D00-1DBF, U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, U+20AD-20C0, U+2113, U+2C60-2C7F, U+A720-A7FF; }
@font-face { font-family: "Inter"; font-style: italic; font-display: swap; font-weight: 100 900;
  src: url("inter-latin-wght-italic.woff2") format("woff2-variations"); }
"""


def main() -> int:
    missing = [src for src in FILES if not (NODE / src).exists()]
    if missing:
        print("Missing in node_modules (run npm ci):", *missing, sep="\n  ", file=sys.stderr)
        return 1
    for src, dest in FILES.items():
        target = VENDOR / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE / src, target)
    (VENDOR / "inter" / "inter.css").write_text(INTER_CSS, encoding="utf-8")
    print(f"Vendored {len(FILES)} files into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
