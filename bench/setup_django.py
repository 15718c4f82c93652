"""Configure Django for a benchmark database (a file of its own, or BENCH_DATABASE_URL)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(size: str) -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{ROOT / 'var' / f'bench-{size}.sqlite3'}"
    if "BENCH_DATABASE_URL" in os.environ:
        url = url.rstrip("/") + f"_{size}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polyfon.settings")
    os.environ.update(
        DEBUG="false",
        REQUIRE_STAFF_MFA="false",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
        STATIC_MANIFEST="false",
    )
    (ROOT / "var").mkdir(exist_ok=True)
    import django

    django.setup()
