"""Governance at scale: office pages in-process, and 400 participants voting in one election at
once against a running server (gunicorn on loopback, PostgreSQL), bounded in count and time.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/polyfon_bench_governance \\
        python -m bench.run --sizes small,large --only governance,governance_voting

The voting benchmark needs PostgreSQL (the server is a separate process with its own
connections); on SQLite it reports that it did not run.
"""

import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from bench.run import measure, page
from bench.setup_django import ROOT

ORDER = 60
VOTERS = 400
MEETINGS = {"small": 60, "large": 300}
ITEMS_PER_MEETING = 8
WORKERS, THREADS = 4, 8
REQUEST_TIMEOUT = 60  # seconds, per request
PHASE_TIMEOUT = 180  # seconds, for all the votes together


def GENERATE(size, ctx):
    """Bodies and seats from the register, a few hundred meetings with items and decisions, and a
    general assembly with an election whose ballot is open for 400 delegates with logins."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from polyfon.accounts.models import User
    from polyfon.governance import services
    from polyfon.governance.models import (
        AgendaItem,
        Body,
        BodyKind,
        Decision,
        ItemKind,
        Meeting,
        MeetingStatus,
        PollStatus,
        Seat,
        SeatRole,
        SeatSource,
    )
    from polyfon.members.models import MEMBER_STATES, ContactRole, ParticipantContact, Person

    coordinator = ctx["coordinator"]
    members = [p for p in ctx["participants"] if p.status in MEMBER_STATES]
    contacts = {
        (c.participant_id, c.role): c.person_id
        for c in ParticipantContact.objects.filter(role__in=[ContactRole.STEERING_REP, ContactRole.STEERING_DEPUTY])
    }
    steering = Body.objects.create(name="Styringsgruppa", slug="styringsgruppa", kind=BodyKind.STEERING_GROUP,
                                   represents_participants=True, is_public=True, publishes_agenda=True, publishes_minutes=True)
    seats = []
    for participant in members:
        for role, seat_role in ((ContactRole.STEERING_REP, SeatRole.MEMBER), (ContactRole.STEERING_DEPUTY, SeatRole.DEPUTY_MEMBER)):
            if (participant.pk, role) in contacts:
                seats.append(Seat(body=steering, person_id=contacts[(participant.pk, role)], role=seat_role,
                                  participant=participant, start_date=date(2024, 1, 1), source=SeatSource.REGISTER))
    Seat.objects.bulk_create(seats, batch_size=5000)

    # Meetings of the steering group over the years, with numbered items and decisions.
    rng = random.Random(7)
    meetings, first = [], date(2019, 1, 15)
    for n in range(MEETINGS[size]):
        day = first + timedelta(days=(n * 2000) // MEETINGS[size])
        meetings.append(Meeting(body=steering, title=f"Styringsgruppemøte {n + 1}",
                                starts_at=timezone.make_aware(datetime(day.year, day.month, day.day, 10)),
                                status=MeetingStatus.MINUTES_APPROVED, location="Bergen"))
    meetings = Meeting.objects.bulk_create(meetings)
    items, numbers = [], {}
    for meeting in meetings:
        year = timezone.localtime(meeting.starts_at).year
        for k in range(ITEMS_PER_MEETING):
            numbers[year] = numbers.get(year, 0) + 1
            items.append(AgendaItem(meeting=meeting, body=steering, year=year, number=numbers[year],
                                    title=f"Sak om {rng.choice(['budsjett', 'strategi', 'utlysning', 'deltakeravgift', 'årsmelding'])} {k}",
                                    kind=ItemKind.DECISION, minutes="Saken ble drøftet."))
    items = AgendaItem.objects.bulk_create(items, batch_size=5000)
    Decision.objects.bulk_create(
        [Decision(item=item, body=steering, decided_on=timezone.localtime(item.meeting.starts_at).date(),
                  text=f"Styringsgruppa vedtok {item.title.lower()} som foreslått.", vote="Enstemmig") for item in items],
        batch_size=5000,
    )

    # The general assembly: 400 delegates with logins, a meeting and an open ballot.
    assembly = services.general_assembly_enable(actor=coordinator, name="Generalforsamlingen", quorum_percent=10, max_proxies=1)
    voters = members[: VOTERS + 1]  # one more than the blast, to count the queries of one vote
    password = make_password("bench-passord-2026")
    persons = Person.objects.in_bulk([contacts[(p.pk, ContactRole.STEERING_REP)] for p in voters])
    users = User.objects.bulk_create([
        User(email=f"delegat{n}@bench.example.no", full_name=f"Delegat {n}", password=password) for n in range(len(voters))
    ])
    for user, participant in zip(users, voters, strict=True):
        person = persons[contacts[(participant.pk, ContactRole.STEERING_REP)]]
        person.user = user
    Person.objects.bulk_update(persons.values(), ["user"], batch_size=2000)
    Seat.objects.bulk_create([
        Seat(body=assembly, person_id=contacts[(p.pk, ContactRole.STEERING_REP)], role=SeatRole.MEMBER, participant=p,
             start_date=date(2024, 1, 1)) for p in voters
    ])
    meeting = Meeting.objects.create(body=assembly, title="Generalforsamling", starts_at=timezone.now() - timedelta(minutes=30),
                                     status=MeetingStatus.INVITED, location="Bergen")
    item = services.agenda_item_add(meeting=meeting, actor=coordinator, title="Valg av leder", kind=ItemKind.ELECTION)
    election = services.election_create(item=item, actor=coordinator, title="Valg av leder", seat_body=steering,
                                        seat_role=SeatRole.CHAIR, seats=1, term_start=date(2027, 1, 1))
    candidates = [
        services.candidate_add(election=election, person=persons[contacts[(p.pk, ContactRole.STEERING_REP)]], participant=p,
                               actor=coordinator, consent_given=True)
        for p in voters[:3]
    ]
    services.election_open_voting(election=election, actor=coordinator)
    poll = election.polls.get(status=PollStatus.OPEN)
    voter_rows = {v.participant_id: v.pk for v in poll.voters.all()}
    sessions = []
    for user, participant in zip(users, voters, strict=True):
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        sessions.append((session.session_key, voter_rows[participant.pk], user))
    ctx["governance"] = {
        "steering": steering, "assembly": assembly, "meeting": meetings[len(meetings) // 2], "election": election,
        "poll": poll, "candidates": [c.pk for c in candidates], "sessions": sessions,
    }


def bench_governance(ctx, repeat):
    from django.test import Client
    from django.urls import reverse

    g = ctx["governance"]
    client = Client()
    client.force_login(ctx["coordinator"])
    return [
        measure("governance: overview (office)", page(client, reverse("governance:overview")), repeat=repeat),
        measure("governance: meeting list (office)", page(client, reverse("governance:meeting_list")), repeat=repeat),
        measure("governance: decision register, searched", page(client, reverse("governance:decision_list") + "?q=strategi"), repeat=repeat),
        measure("governance: steering group page", page(client, reverse("governance:body_detail", args=[g["steering"].pk])), repeat=repeat),
        measure("governance: meeting page (8 items)", page(client, reverse("governance:meeting_detail", args=[g["meeting"].pk])), repeat=repeat),
        measure("governance: organisation page (public)", page(Client(), reverse("governance:public_bodies")), repeat=repeat),
    ]


# --- 400 votes at once against a running server ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "polyfon.settings",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "REQUIRE_STAFF_MFA": "false",
        "STATIC_MANIFEST": "false",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "polyfon.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
         "--threads", str(THREADS), "--timeout", str(REQUEST_TIMEOUT), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _wait_until_up(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not start in time")


def _request(port, method, path, *, cookies: dict, body: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Host": "127.0.0.1"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    set_cookies = response.headers.get_all("Set-Cookie") or []
    connection.close()
    return response.status, content, set_cookies


def _prepare(port, path, session_key):
    """GET the ballot as the voter: the CSRF cookie and the form's token."""
    status, content, set_cookies = _request(port, "GET", path, cookies={"sessionid": session_key, "polyfon_language": "en"})
    if status != 200:
        raise RuntimeError(f"ballot page answered {status}")
    csrf_cookie = next(c.split(";")[0].split("=", 1)[1] for c in set_cookies if c.startswith("csrftoken="))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
    return csrf_cookie, token


def bench_voting(ctx, repeat):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from polyfon.governance import services
    from polyfon.governance.models import Ballot, BallotChoice, PollVoter

    if connection.vendor != "postgresql":
        return [{"label": "voting: not run – needs PostgreSQL (BENCH_DATABASE_URL)", "median_ms": 0.0, "p95_ms": 0.0, "queries": "-"}]
    g = ctx["governance"]
    poll, candidates = g["poll"], g["candidates"]
    path = reverse("governance:mine_vote", args=[poll.pk])
    sessions = g["sessions"]

    # The queries of one vote, in-process, by the spare delegate.
    spare_key, spare_voter, spare_user = sessions[-1]
    client = Client()
    client.force_login(spare_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, {f"v{spare_voter}-voter": spare_voter, f"v{spare_voter}-candidates": candidates[0]})
    assert response.status_code == 302, response.status_code
    per_vote_queries = len(queries)
    voters = sessions[:VOTERS]

    port = _free_port()
    server = _start_server(port)
    try:
        _wait_until_up(port, time.monotonic() + 60)
        prepared = [None] * len(voters)

        def prepare(index):
            prepared[index] = _prepare(port, path, voters[index][0])

        _run_threads([lambda i=i: prepare(i) for i in range(len(voters))], width=32, timeout=PHASE_TIMEOUT)
        latencies, outcomes = [None] * len(voters), [None] * len(voters)
        barrier = threading.Barrier(len(voters))

        def vote(index):
            session_key, voter_id, _user = voters[index]
            csrf_cookie, token = prepared[index]
            body = urlencode({
                "csrfmiddlewaretoken": token, f"v{voter_id}-voter": voter_id,
                f"v{voter_id}-candidates": candidates[index % len(candidates)],
            })
            barrier.wait(timeout=PHASE_TIMEOUT)
            started = time.perf_counter()
            status, _content, _cookies = _request(
                port, "POST", path, cookies={"sessionid": session_key, "csrftoken": csrf_cookie}, body=body
            )
            latencies[index] = (time.perf_counter() - started) * 1000
            outcomes[index] = status

        started = time.perf_counter()
        _run_threads([lambda i=i: vote(i) for i in range(len(voters))], width=len(voters), timeout=PHASE_TIMEOUT)
        wall = time.perf_counter() - started

        # Everyone tries again at once: every second vote must be refused.
        again = [None] * 100

        def vote_again(index):
            session_key, voter_id, _user = voters[index]
            csrf_cookie, token = prepared[index]
            body = urlencode({"csrfmiddlewaretoken": token, f"v{voter_id}-voter": voter_id, f"v{voter_id}-candidates": candidates[0]})
            again[index] = _request(port, "POST", path, cookies={"sessionid": session_key, "csrftoken": csrf_cookie}, body=body)[0]

        _run_threads([lambda i=i: vote_again(i) for i in range(len(again))], width=len(again), timeout=PHASE_TIMEOUT)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    accepted = sum(1 for status in outcomes if status == 302)
    ballots_before_close = Ballot.objects.filter(poll=poll).count()
    election = services.election_close_voting(election=g["election"], actor=None)
    poll.refresh_from_db()
    counted = sum(poll.results["candidates"].values()) + poll.results["choices"][BallotChoice.ABSTAIN]
    voted = PollVoter.objects.filter(poll=poll, voted_at__isnull=False).count()
    expected = accepted + 1  # the spare delegate's vote above
    ok = counted == voted == ballots_before_close == poll.voted_count == expected
    done = [x for x in latencies if x is not None]
    done.sort()
    p95 = done[min(len(done) - 1, int(round(0.95 * (len(done) - 1))))] if done else 0.0
    label = (
        f"voting: {len(voters)} at once, {accepted} accepted, {len(voters) / wall:.0f} votes/s, "
        f"counted {counted} = cast {voted}{'' if ok else ' MISMATCH'}, repeats refused {sum(1 for s in again if s == 200)}/{len(again)}"
    )
    assert election.status == "counted"
    return [{"label": label, "median_ms": statistics.median(done) if done else 0.0, "p95_ms": p95, "queries": per_vote_queries}]


def _run_threads(functions, *, width: int, timeout: float) -> None:
    """Run the functions on `width` threads at a time; give up after `timeout` seconds."""
    errors = []

    def wrap(fn):
        def run():
            try:
                fn()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        return run

    deadline = time.monotonic() + timeout
    for start in range(0, len(functions), width):
        threads = [threading.Thread(target=wrap(fn), daemon=True) for fn in functions[start : start + width]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
    if errors:
        raise RuntimeError(f"{len(errors)} requests failed, e.g. {errors[0]!r}")


BENCHMARKS = {"governance": bench_governance, "governance_voting": bench_voting}
