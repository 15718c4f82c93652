"""Run the benchmarks: `python -m bench.run [--sizes small,large] [--only members] [--repeat 30]`.

For each size a fresh database is built (SQLite file under var/, or BENCH_DATABASE_URL for
PostgreSQL), filled by bench.generate, and every benchmark prints median and p95 wall time and
the number of queries. Pages are requested through Django's test client in-process, so the
times are the server's own work without network or browser.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from bench.setup_django import setup


def measure(label: str, fn, *, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {"label": label, "median_ms": statistics.median(times), "p95_ms": p95, "queries": queries}


def page(client, url: str):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return fetch


def bench_members(ctx: dict, repeat: int) -> list[dict]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(ctx["coordinator"])
    participant = ctx["participants"][len(ctx["participants"]) // 2]
    return [
        measure("participant list (office, 50 a page)", page(client, reverse("members:participant_list")), repeat=repeat),
        measure("participant list, filtered + sorted", page(client, reverse("members:participant_list") + "?status=member&sort=-member_since"), repeat=repeat),
        measure("participant page", page(client, reverse("members:participant_detail", args=[participant.pk])), repeat=repeat),
        measure("join page (public)", page(Client(), reverse("members:join")), repeat=repeat),
    ]


def benchmarks() -> dict:
    """The register's benchmarks plus every `bench/bench_<name>.py` module's BENCHMARKS."""
    import importlib
    import pkgutil

    import bench

    found = {"members": bench_members}
    for module_info in pkgutil.iter_modules(bench.__path__):
        if module_info.name.startswith("bench_"):
            module = importlib.import_module(f"bench.{module_info.name}")
            found.update(getattr(module, "BENCHMARKS", {}))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="small,large")
    parser.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    for size in args.sizes.split(","):
        setup(size)
        # A fresh database each run: an SQLite file is deleted, PostgreSQL gets a new schema below.
        if os.environ["DATABASE_URL"].startswith("sqlite:///"):
            Path(os.environ["DATABASE_URL"].removeprefix("sqlite://")).unlink(missing_ok=True)
        from django.core.management import call_command
        from django.db import connection

        if connection.vendor == "postgresql":
            # A fresh schema, so the data migrations (municipalities, work areas) run again.
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        call_command("migrate", verbosity=0)
        from bench.generate import SIZES, generate

        started = time.perf_counter()
        ctx = generate(size)
        print(f"\n## size {size}: {SIZES[size]} ({connection.vendor}), generated in {time.perf_counter() - started:.0f} s")
        print(f"{'benchmark':<48} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
        available = benchmarks()
        for name in (args.only.split(",") if args.only else available):
            for row in available[name](ctx, args.repeat):
                print(f"{row['label']:<48} {row['median_ms']:>10.1f} {row['p95_ms']:>10.1f} {row['queries']:>8}")
        # Django can be set up only once per process; run the next size in a fresh one.
        if size != args.sizes.split(",")[-1]:
            rest = args.sizes.split(",")[args.sizes.split(",").index(size) + 1 :]
            os.execv(sys.executable, [sys.executable, "-m", "bench.run", "--sizes", ",".join(rest), "--only", args.only, "--repeat", str(args.repeat)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
