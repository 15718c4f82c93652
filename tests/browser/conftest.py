"""Playwright driving the system Chromium against Django's live server, with axe-core.

No browser is downloaded: Chromium comes from the operating system (apt install chromium).
If it is missing the browser tests fail, not skip, unless ALLOW_NO_BROWSER=1 is set.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "polyfon" / "static" / "vendor" / "axe" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    return path if path and Path(path).exists() else None


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        message = "System Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)."
        if os.environ.get("ALLOW_NO_BROWSER") == "1":
            pytest.skip(message)
        pytest.fail(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets the test inject axe-core; the site itself allows no inline script.
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo", bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors, foreign = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # No CDN or third-party request at run time: every request the pages make goes to the site.
    own = urlsplit(live_server.url).netloc
    page.on("request", lambda request: foreign.append(request.url) if _is_foreign(request.url, own) else None)
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
    assert not foreign, f"Requests to other hosts than the site: {foreign}"


def _is_foreign(url: str, own_netloc: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != own_netloc


class AccessibilityError(AssertionError):
    pass


def check_accessibility(page, *, context: str = "") -> list[dict]:
    """Run axe-core on the page; fail on any serious or critical WCAG 2.0/2.1 A/AA violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    bad = [v for v in result["violations"] if v.get("impact") in {"serious", "critical"}]
    if bad:
        lines = [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}" for v in bad]
        raise AccessibilityError(f"axe found problems on {context or page.url}:\n" + "\n".join(lines))
    return result["violations"]


@pytest.fixture
def axe():
    return check_accessibility
