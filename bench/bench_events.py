"""Benchmarks of events.

`events`: the public and office pages at scale (in-process, like the register's benchmarks).

`events_concurrent`: 500 people register for one event from 20 concurrent clients against a real
server (gunicorn, threads, on a free 127.0.0.1 port) on PostgreSQL. It reports throughput, the
median and p95 latency of the registration POST, and checks that exactly `capacity` people got a
place and the rest are on the waiting list. Bounded: 500 requests, 30 s per request, 180 s in all;
the server is stopped at the end. The database is the benchmark's own when that is PostgreSQL
(BENCH_DATABASE_URL), otherwise a separate one (BENCH_EVENTS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/polyfon_bench_events), created and migrated for the run.

Run: python -m bench.run --sizes small,large --only events,events_concurrent
"""

import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import timedelta
from pathlib import Path

ORDER = 40
ROOT = Path(__file__).resolve().parent.parent

SIZES = {"small": {"events": 300, "per_event": 40}, "large": {"events": 1_500, "per_event": 60}}
BIG_EVENT_REGISTRATIONS = 500

CONCURRENT_REGISTRATIONS = 500
CONCURRENT_CLIENTS = 20
CONCURRENT_CAPACITY = 200
REQUEST_TIMEOUT_S = 30
TOTAL_TIMEOUT_S = 180
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/polyfon_bench_events"


# --- Data ---------------------------------------------------------------------------------------------------------


def GENERATE(size: str, ctx: dict) -> None:  # noqa: N802 (the name bench.generate looks for)
    """Events over six years (past and coming), each with registrations; one big coming event."""
    from django.utils import timezone

    from polyfon.content.models import WorkArea
    from polyfon.events.models import (
        Audience,
        Event,
        EventAudience,
        EventKind,
        EventStatus,
        Registration,
        RegistrationStatus,
    )
    from polyfon.events.tokens import new_secret

    counts = SIZES[size]
    rng = random.Random(4)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    kinds = [k for k, _ in EventKind.choices]
    events = []
    for i in range(counts["events"]):
        start = now + timedelta(days=rng.randint(-5 * 365, 365), hours=rng.randint(-4, 4))
        events.append(
            Event(
                title=f"Arrangement {i:05d}",
                slug=f"{start:%Y-%m-%d}-arrangement-{i:05d}",
                kind=rng.choice(kinds),
                status=EventStatus.PUBLISHED if i % 20 else EventStatus.DRAFT,
                description="Et arrangement i benchmark-dataene.",
                starts_at=start,
                ends_at=start + timedelta(hours=rng.choice([1, 2, 6])),
                location="" if i % 3 else "Griegakademiet, Bergen",
                online_url="https://meet.example.no/x" if i % 3 else "",
                capacity=rng.choice([None, 50, 100, 200]),
                is_public=i % 7 != 0,
                ask_dietary_needs=i % 3 == 0,
            )
        )
    big_start = now + timedelta(days=20, hours=10)
    events.append(
        Event(
            title="Stort arrangement", slug=f"{big_start:%Y-%m-%d}-stort-arrangement", kind=EventKind.CONFERENCE,
            status=EventStatus.PUBLISHED, starts_at=big_start, ends_at=big_start + timedelta(hours=7),
            location="Grieghallen, Bergen", capacity=400, is_public=True, ask_dietary_needs=True,
        )
    )
    events = Event.objects.bulk_create(events, batch_size=2000)
    audiences = [a for a, _ in Audience.choices]
    EventAudience.objects.bulk_create(
        [EventAudience(event=e, audience=a) for e in events for a in rng.sample(audiences, 2)], batch_size=5000
    )
    areas = list(WorkArea.objects.all())
    through = Event.work_areas.through
    through.objects.bulk_create([through(event=e, workarea=rng.choice(areas)) for e in events], batch_size=5000)
    organisations = ctx["organisations"]
    registrations = []
    for event in events:
        n = BIG_EVENT_REGISTRATIONS if event.title == "Stort arrangement" else rng.randint(0, counts["per_event"])
        for j in range(n):
            organisation = organisations[(event.pk * 31 + j) % len(organisations)]
            status = RegistrationStatus.CONFIRMED
            if event.capacity and j >= event.capacity:
                status = RegistrationStatus.WAITING
            elif j % 17 == 0:
                status = RegistrationStatus.CANCELLED
            registrations.append(
                Registration(
                    event=event,
                    status=status,
                    secret=new_secret(),
                    name=f"Deltaker {j:04d}",
                    email=f"deltaker{j}.{event.pk}@bench.example.no",
                    organisation=organisation,
                    organisation_name=organisation.name,
                    organisation_kind=organisation.kind,
                    dietary_needs="Vegetar" if event.ask_dietary_needs and j % 9 == 0 else "",
                    created_at=event.starts_at - timedelta(days=30, minutes=j),
                    confirmed_at=event.starts_at - timedelta(days=30) if status == RegistrationStatus.CONFIRMED else None,
                    attended=(j % 5 != 0) if event.ends_at < now and status == RegistrationStatus.CONFIRMED else None,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=5000)
    ctx["events"] = events
    ctx["big_event"] = events[-1]
    print(f"events: {len(events)} events, {len(registrations)} registrations")


# --- Pages -------------------------------------------------------------------------------------------------------


def bench_events(ctx: dict, repeat: int) -> list[dict]:
    from django.test import Client
    from django.urls import reverse

    from bench.run import measure, page
    from polyfon.events.models import Registration, RegistrationStatus
    from polyfon.events.tokens import token_for

    office = Client()
    office.force_login(ctx["coordinator"])
    visitor = Client()
    big = ctx["big_event"]
    registration = Registration.objects.filter(event=big, status=RegistrationStatus.CONFIRMED).first()
    counter = iter(range(10**9))

    def register():
        n = next(counter)
        response = visitor.post(
            big.public_url,
            {"name": f"Bench {n}", "email": f"bench{n}@example.no", "organisation": "Bench kommune", "role": "Tester"},
            REMOTE_ADDR=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",  # one address each (the rate limit)
        )
        assert response.status_code == 302, response.status_code

    return [
        measure("event list (public)", page(visitor, reverse("events:event_list")), repeat=repeat),
        measure("event list, past, filtered by audience", page(visitor, reverse("events:event_list") + "?period=past&audience=municipalities"), repeat=repeat),
        measure("calendar month (public)", page(visitor, reverse("events:event_calendar")), repeat=repeat),
        measure("iCal feed (public events, a year back)", page(visitor, reverse("events:event_feed")), repeat=repeat),
        measure("event page with the form (500 registered)", page(visitor, big.public_url), repeat=repeat),
        measure("registration page (signed link)", page(visitor, reverse("events:registration_detail", args=[token_for(registration)])), repeat=repeat),
        measure("register (POST, in-process)", register, repeat=repeat),
        measure("office event list (50 a page)", page(office, reverse("events:office_event_list")), repeat=repeat),
        measure("office event page (counts)", page(office, big.get_absolute_url()), repeat=repeat),
        measure("registrations of an event (500+)", page(office, reverse("events:event_registrations", args=[big.pk])), repeat=repeat),
        measure("registrations export CSV (500+)", page(office, reverse("events:event_registrations", args=[big.pk]) + "?format=csv"), repeat=repeat),
        measure("attendance list (phone, 400 places)", page(office, reverse("events:event_checkin", args=[big.pk])), repeat=repeat),
    ]


# --- 500 registrations from concurrent clients against a running server ------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(database_url: str, settings_dir: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench_events_settings",
        PYTHONPATH=os.pathsep.join([settings_dir, str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        STATIC_MANIFEST="false",
        REQUIRE_STAFF_MFA="false",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",  # each registration enqueues its e-mail, as in production
        LOG_LEVEL="WARNING",
    )
    return env


def _settings_module(directory: str) -> None:
    # All clients share 127.0.0.1, so the per-address rate limit of the form is off for the run.
    Path(directory, "bench_events_settings.py").write_text(
        "from polyfon.settings import *  # noqa: F401,F403\nRATELIMIT_ENABLE = False\n", encoding="utf-8"
    )


def _helper(command: str, database_url: str, settings_dir: str, *args, timeout=300) -> dict:
    """Run this module's command-line helper against the server's database; returns its JSON."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.bench_events", command, *map(str, args)],
        cwd=ROOT,
        env=_server_env(database_url, settings_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _postgres_reachable(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=2):
            return True
    except OSError:
        return False


def _target_database() -> tuple[str, bool]:
    """(database URL, whether it must be created and migrated first)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return os.environ["DATABASE_URL"], False
    url = os.environ.get("BENCH_EVENTS_DATABASE_URL", DEFAULT_PG_URL)
    if _postgres_reachable(url):
        return url, True
    print("  (PostgreSQL not reachable: the concurrent benchmark runs on the SQLite benchmark database)")
    return os.environ["DATABASE_URL"], False


class Client:
    """One simulated visitor: a keep-alive connection, the CSRF cookie and token of the form."""

    def __init__(self, port: int, path: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
        self.path = path
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        html = response.read().decode()
        assert response.status == 200, response.status
        cookie = response.getheader("Set-Cookie") or ""
        self.cookie = re.search(r"csrftoken=([^;]+)", cookie).group(1)
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def register(self, n: int) -> tuple[int, float]:
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": self.token,
                "name": f"Samtidig {n:04d}",
                "email": f"samtidig{n}@bench.example.no",
                "organisation": "Bench kommune",
                "organisation_kind": "municipality",
                "role": "Tester",
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={self.cookie}"}
        start = time.perf_counter()
        self.connection.request("POST", self.path, body=body, headers=headers)
        response = self.connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - start) * 1000


def bench_events_concurrent(ctx: dict, repeat: int) -> list[dict]:
    database_url, fresh = _target_database()
    settings_dir = tempfile.mkdtemp(prefix="bench-events-")
    _settings_module(settings_dir)
    if fresh:
        print(f"  preparing {urllib.parse.urlsplit(database_url).path.lstrip('/')} (create, migrate) ...")
    try:
        event = _helper("prepare", database_url, settings_dir, int(fresh), CONCURRENT_CAPACITY, timeout=600)
    except Exception:
        shutil.rmtree(settings_dir, ignore_errors=True)
        raise
    port = _free_port()
    threads = 8
    workers = max(2, min(4, os.cpu_count() or 2))
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "polyfon.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads), "--timeout", "60",
         "--log-level", "warning"],
        cwd=ROOT,
        env=_server_env(database_url, settings_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_up(port, server)
        latencies, statuses, lock = [], [], threading.Lock()
        deadline = time.monotonic() + TOTAL_TIMEOUT_S
        per_client = CONCURRENT_REGISTRATIONS // CONCURRENT_CLIENTS

        def client_run(c: int):
            client = Client(port, event["path"])
            for k in range(per_client):
                if time.monotonic() > deadline:
                    return
                status, ms = client.register(c * per_client + k)
                with lock:
                    latencies.append(ms)
                    statuses.append(status)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CONCURRENT_CLIENTS) as pool:
            futures = [pool.submit(client_run, c) for c in range(CONCURRENT_CLIENTS)]
            done, not_done = wait(futures, timeout=TOTAL_TIMEOUT_S + REQUEST_TIMEOUT_S)
            for future in done:
                future.result()
        elapsed = time.perf_counter() - started
        counts = _helper("count", database_url, settings_dir, event["pk"])
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(settings_dir, ignore_errors=True)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(round(0.95 * (len(latencies) - 1))))] if latencies else 0.0
    ok = statuses.count(302)
    print(
        f"  {len(statuses)} POSTs ({ok} answered 302) from {CONCURRENT_CLIENTS} clients in {elapsed:.1f} s: "
        f"{len(statuses) / elapsed:.0f} registrations/s; gunicorn {workers} workers x {threads} threads, {counts['vendor']}"
    )
    print(
        f"  capacity {CONCURRENT_CAPACITY}: registered {counts['confirmed']}, waiting list {counts['waiting']}, "
        f"total {counts['total']} -> {'OK' if counts['confirmed'] == CONCURRENT_CAPACITY and counts['waiting'] == counts['total'] - CONCURRENT_CAPACITY else 'WRONG'}"
    )
    if not_done:
        print(f"  {len(not_done)} clients did not finish within the time limit")
    return [
        {
            "label": f"register, {CONCURRENT_CLIENTS} concurrent clients (HTTP)",
            "median_ms": statistics.median(latencies) if latencies else 0.0,
            "p95_ms": p95,
            "queries": "-",
        }
    ]


def _wait_until_up(port: int, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped: {server.stderr.read()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not start within 30 s")


BENCHMARKS = {"events": bench_events, "events_concurrent": bench_events_concurrent}


# --- Helpers run in a subprocess against the server's database ------------------------------------------------------


def _create_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _main(argv: list[str]) -> None:
    command = argv[0]
    if command == "prepare" and argv[1] == "1":
        _create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    if command == "prepare":
        if argv[1] == "1":
            call_command("migrate", verbosity=0)
        from polyfon.events import services
        from polyfon.events.models import Audience

        start = timezone.now() + timedelta(days=14)
        event = services.event_create(
            actor=None,
            title=f"Samtidig påmelding {timezone.now():%H%M%S}",
            kind="webinar",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            online_url="https://meet.example.no/bench",
            capacity=int(argv[2]),
            audiences=[Audience.MUNICIPALITIES],
        )
        services.event_publish(event=event, actor=None)
        print(json.dumps({"pk": event.pk, "path": event.public_url}))
    elif command == "count":
        from polyfon.events.models import Registration, RegistrationStatus

        registrations = Registration.objects.filter(event_id=int(argv[1]))
        print(
            json.dumps(
                {
                    "confirmed": registrations.filter(status=RegistrationStatus.CONFIRMED).count(),
                    "waiting": registrations.filter(status=RegistrationStatus.WAITING).count(),
                    "total": registrations.count(),
                    "vendor": connection.vendor,
                }
            )
        )


if __name__ == "__main__":
    _main(sys.argv[1:])
