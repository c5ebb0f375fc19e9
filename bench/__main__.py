"""``make bench``: the project's one benchmark harness.

It builds the large local (``seed_scale``) in a PostgreSQL database of its own, serves it with a
real gunicorn (DEBUG off, two sync workers: one per core), and measures each key page as the
role that uses it: median and p95 latency at one client, SQL queries per request, requests per
second of the public page at 16 clients against the machine's ceiling (a constant view served by
the same gunicorn in the same run), plus what each app measures itself (PDF rendering, reminder
dispatch, roster import). It prints a table and writes ``var/bench.json``.

Each app adds its pages and measures in ``bench/<app>.py``::

    def pages(ctx) -> dict[str, tuple[str, str | None]]   # key -> (path, email or None)
    def measure(ctx) -> dict[str, float]                  # optional extra keys

Usage: ``python -m bench [--reuse] [--only KEY ...] [--compare FILE]``. ``--reuse`` keeps an
earlier bench database instead of building it again.

``BENCH_SCALE=state`` builds the large local among 49 others (``seed_scale --locals 50``, about
300,000 members) in a database of its own (the bench database's name with ``_state``), writes
``var/bench-state.json`` and compares each page's median with the one-local figures of
``var/bench.json`` (or ``--compare FILE``): a page more than 20 % slower is flagged.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
APPS = [
    "campaigns",
    "partners",
    "demands",
    "actions",
    "bargaining",
    "reach",
    "broadcasts",
    "accounts",
    "audit",
    "api",
]
SAMPLES = 50
WARMUP = 5
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/cg_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
# Each size: the seed's arguments, the key its build time is reported under, the suffix of its
# database's name and the file its results go to.
SCALES = {
    "local": ([], "seed_scale_s", "", "bench.json"),
    "state": (["--locals", "50"], "seed_scale_state_s", "_state", "bench-state.json"),
}
# How much slower than in the one-local database a page of the large local may be at state size.
STATE_TOLERANCE = 1.2


def _next_database(redis_url: str) -> str:
    """The cache lives in the Redis database after the broker's, so two benches can run at once."""
    base, _, number = redis_url.rpartition("/")
    return f"{base}/{int(number or 0) + 1}"


def bench_environment(database_url: str, redis_url: str, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_URL=_next_database(redis_url),
        CACHE_PREFIX="bench",
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        SITE_URL=f"http://127.0.0.1:{port}",
        EMAIL_URL="dummy://",
        LOG_LEVEL="WARNING",
        CELERY_QUEUE="bench",
        MEDIA_ROOT=str(VAR / "bench-media"),
        # As behind the production proxy: the public sign form's clients are told apart by
        # the address it forwards (requests without one are the connection's own).
        TRUSTED_PROXY_COUNT="1",
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def recreate_database(database_url: str) -> None:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def settle_database(database_url: str) -> None:
    """What autovacuum does in production soon after a bulk load: the visibility map and the
    planner's statistics. Without it (a server with autovacuum off, or a run that starts
    before it wakes), index-only scans read the heap and the plans follow stale estimates."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status_code: int
    content: bytes
    headers: dict[str, str]


class Client:
    """A tiny keep-alive HTTP client with a session cookie: what one browser tab does."""

    def __init__(self, url: str, cookie: str = ""):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.cookie = cookie
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def get(self, path: str) -> Response:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        for attempt in range(2):
            try:
                self.connection.request("GET", path, headers=headers)
                response = self.connection.getresponse()
                body = response.read()
                return Response(response.status, body, dict(response.getheaders()))
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if attempt:
                    raise
        raise AssertionError("unreachable")


@dataclass
class Context:
    url: str
    env: dict[str, str]
    cookies: dict[str, str] = field(default_factory=dict)

    def cookie_for(self, email: str | None) -> str:
        if not email:
            return ""
        if email not in self.cookies:
            from django.conf import settings
            from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

            from accounts.models import User

            user = User.objects.get(email=email)
            session = import_module(settings.SESSION_ENGINE).SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            self.cookies[email] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        return self.cookies[email]

    def client(self, email: str | None = None) -> Client:
        return Client(self.url, self.cookie_for(email))


def latency(ctx: Context, path: str, email: str | None) -> dict[str, float]:
    client = ctx.client(email)
    for _ in range(WARMUP):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} as {email or 'anonymous'}: {response.status_code}")
    # The size as sent, before any compression a proxy adds: what the server builds and the
    # browser parses.
    size_kb = round(len(response.content) / 1024, 1)
    timings = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "html_kb": size_kb,
    }


def query_count(path: str, email: str | None) -> dict[str, int]:
    """Queries per request, counted in-process against the same database: the first request
    (cold caches) and a repeat (what most visitors get)."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = DjangoClient()
    if email:
        client.force_login(User.objects.get(email=email))
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        counts.append(len(captured))
    return {"queries": counts[1], "queries_cold": counts[0]}


def requests_per_second(ctx: Context, path: str, clients: int = 16, seconds: int = 10) -> float:
    if shutil.which("wrk"):
        output = subprocess.run(
            ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", ctx.url + path],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for line in output.splitlines():
            if line.startswith("Requests/sec:"):
                return round(float(line.split()[1]), 1)
        raise SystemExit(f"wrk gave no rate:\n{output}")
    # Without wrk, threads of keep-alive clients: slower than wrk, so the numbers are lower.
    done = [0] * clients
    stop = time.monotonic() + seconds

    def run(index: int) -> None:
        client = ctx.client()
        while time.monotonic() < stop:
            client.get(path)
            done[index] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return round(sum(done) / seconds, 1)


def plugins():
    for app in APPS:
        if find_spec(f"bench.{app}") is not None:
            yield app, import_module(f"bench.{app}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep an earlier bench database")
    parser.add_argument("--only", nargs="*", help="measure only these keys")
    parser.add_argument("--compare", type=Path, help="one-local results to compare with")
    options = parser.parse_args()

    scale = os.environ.get("BENCH_SCALE", "local")
    if scale not in SCALES:
        raise SystemExit(f"BENCH_SCALE is one of {', '.join(SCALES)}, not {scale!r}")
    seed_args, seed_key, database_suffix, output = SCALES[scale]
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE) + database_suffix
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    port = free_port()
    env = bench_environment(database_url, redis_url, port)
    os.environ.update(env)
    results: dict = {"pages": {}}

    if not options.reuse:
        recreate_database(database_url)
        manage(env, "migrate", "--noinput", "-v0")
        started = time.monotonic()
        manage(env, "seed_scale", *seed_args)
        results[seed_key] = round(time.monotonic() - started, 1)
    else:
        manage(env, "migrate", "--noinput", "-v0")
    settle_database(database_url)
    manage(env, "collectstatic", "--noinput", "-v0")

    import django

    django.setup()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "sync",
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        wait_until_up(port)
        ctx = Context(url=f"http://127.0.0.1:{port}", env=env)
        measure_all(ctx, results, options.only)
    finally:
        server.terminate()
        server.wait(timeout=30)

    VAR.mkdir(exist_ok=True)
    (VAR / output).write_text(json.dumps(results, indent=2) + "\n")
    print_table(results, VAR / output)
    baseline = options.compare or (VAR / "bench.json" if scale == "state" else None)
    if baseline and baseline.exists():
        print_comparison(results, json.loads(baseline.read_text()), baseline)


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            Client(f"http://127.0.0.1:{port}").get("/robots.txt")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def measure_all(ctx: Context, results: dict, only: list[str] | None) -> None:
    def wanted(key: str) -> bool:
        return not only or key in only

    loaded = list(plugins())
    for _app, module in loaded:
        if not hasattr(module, "pages"):
            continue
        for key, (path, email) in module.pages(ctx).items():
            if wanted(key):
                results["pages"][key] = {**latency(ctx, path, email), **query_count(path, email)}
                if key == "public_page":
                    results["public_rps"] = requests_per_second(ctx, path)
    if wanted("ceiling_rps") or "public_rps" in results:
        results["ceiling_rps"] = requests_per_second(ctx, "/robots.txt")
    for app, module in loaded:
        if hasattr(module, "measure") and (not only or app in only):
            results.update(module.measure(ctx))


def print_table(results: dict, path: Path) -> None:
    print()
    print(f"{'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'html KB':>8}")
    for key, page in results["pages"].items():
        print(
            f"{key:<20} {page['p50_ms']:>8} {page['p95_ms']:>8} {page['queries']:>8}"
            f" {page.get('html_kb', ''):>8}"
        )
    print()
    for key, value in results.items():
        if key != "pages":
            print(f"{key:<20} {value:>10}")
    print(f"\nWritten to {path}")


def print_comparison(results: dict, baseline: dict, path: Path) -> None:
    """Each page's median against the same page in ``baseline``; above the tolerance is
    flagged, as a sign of a query that does not filter by local first or a missing index.
    The constant view's rate of both runs is printed too: on a shared machine a flag is only
    worth reading when the two runs saw a machine about as busy."""
    print(f"\nAgainst {path} (median now / median there):")
    for key, page in results["pages"].items():
        before = baseline.get("pages", {}).get(key)
        if not before or not before["p50_ms"]:
            print(f"{key:<20} {'(not in the baseline)':>26}")
            continue
        ratio = page["p50_ms"] / before["p50_ms"]
        flag = "  SLOWER" if ratio > STATE_TOLERANCE else ""
        print(f"{key:<20} {before['p50_ms']:>8} -> {page['p50_ms']:>8} ms  x{ratio:.2f}{flag}")
    then, now = baseline.get("ceiling_rps", "?"), results.get("ceiling_rps", "?")
    print(f"{'ceiling_rps':<20} {then:>8} -> {now:>8} (how busy the machine was)")


if __name__ == "__main__":
    main()
