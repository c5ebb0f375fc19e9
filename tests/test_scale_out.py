"""Two web processes, as two machines would run them: one PostgreSQL database, one Redis, one
object store, and nothing shared on disk (each has a VAR_DIR of its own). A demand unpublished
through one is gone at once from the public page and the PDF that the other serves."""

from __future__ import annotations

import http.cookiejar
import io
import os
import re
import signal
import subprocess
import sys
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
import redis
from pypdf import PdfReader

from tests.database import copy_of_template, drop
from tests.services import (
    ROOT,
    base_env,
    database_url_named,
    free_port,
    manage,
    require_redis,
    require_shared_database,
    wait_for_port,
)
from tests.storage.s3 import environment as s3_environment
from tests.storage.s3 import s3_server

# It starts servers, so under make test it runs in the browser tests' worker rather than
# competing with them (tests/scheduling.py).

SLUG = "true-2027"
DEMAND = "Class sizes no larger than 24 in TK-3"


def shared_redis_url() -> str:
    """A Redis database that no test process flushes: the in-process tests clear the cache
    database of each pytest-xdist worker (CACHE_URL's and the next ones), so this takes the
    one two past it."""
    parts = urlsplit(os.environ.get("CACHE_URL") or require_redis())
    database = int(parts.path.strip("/") or 0) + 2
    return urlunsplit(parts._replace(path=f"/{database}"))


@contextmanager
def gunicorn(env: dict[str, str], var: Path):
    var.mkdir(parents=True)
    port = free_port()
    env = {**env, "VAR_DIR": str(var), "SITE_URL": f"http://127.0.0.1:{port}"}
    with open(var / "gunicorn.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "1", "--timeout", "120"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            wait_for_port(port, process=process)
            yield f"http://127.0.0.1:{port}"
        finally:
            # gunicorn's quick shutdown: a graceful one waits on its worker for nothing here.
            process.send_signal(signal.SIGINT)
            process.wait(timeout=20)


class Browser:
    """Requests with cookies, as one person's browser would send them."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=120) as response:
            assert response.status == 200, path
            return response.read()

    def post(self, path: str, data: dict[str, str]) -> str:
        csrf = next(c.value for c in self.cookies if c.name == "csrftoken")
        body = urlencode({**data, "csrfmiddlewaretoken": csrf}).encode()
        request = Request(self.base + path, data=body, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=120) as response:
            return response.read().decode()

    def sign_in(self, email: str) -> None:
        self.get("/accounts/login/")
        page = self.post("/accounts/login/", {"login": email, "password": "commongood"})
        assert "Sign out" in page, page[:500]


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def two_web_processes(tmp_path):
    require_shared_database()
    redis_url = shared_redis_url()
    database = f"cg_scale_{uuid.uuid4().hex[:10]}"
    copy_of_template(database)  # migrated already
    try:
        with ExitStack() as stack:
            store = stack.enter_context(s3_server(tmp_path))
            env = base_env(
                DEBUG="true",
                # One key for every process, as in production: a development key is generated
                # per VAR_DIR, and a session signed by one process would not open on another.
                SECRET_KEY="scale-out-test-key-" + uuid.uuid4().hex,
                DATABASE_URL=database_url_named(database),
                REDIS_URL=redis_url,
                CACHE_URL=redis_url,
                CELERY_TASK_ALWAYS_EAGER="1",
                EMAIL_FILE_PATH=str(tmp_path / "mail"),
                VAR_DIR=str(tmp_path / "setup"),
                **s3_environment(store),
            )
            # Nothing cached by an earlier run of this test survives into this one.
            redis.Redis.from_url(redis_url).flushdb()
            manage("seed_demo", env=env)
            first = stack.enter_context(gunicorn(env, tmp_path / "web1"))
            second = stack.enter_context(gunicorn(env, tmp_path / "web2"))
            yield first, second, store, tmp_path
    finally:
        drop(database)


def test_a_demand_unpublished_on_one_web_process_is_gone_from_the_other_at_once(
    two_web_processes,
):
    first, second, store, tmp_path = two_web_processes
    public = Browser(second)
    page = f"/open/{SLUG}/?lang=en"
    report = f"/open/{SLUG}/report.pdf?lang=en"
    # The second process serves (and caches) the page and the report before the change.
    assert DEMAND in public.get(page).decode()
    assert "no larger than 24" in pdf_text(public.get(report))
    assert DEMAND in Browser(first).get(page).decode()

    leader = Browser(first)
    leader.sign_in("leader@example.org")
    demands = leader.get("/demands/").decode()
    pk = re.search(r'href="/demands/(\d+)/"[^>]*>\s*' + re.escape(DEMAND), demands).group(1)
    answer = leader.post(f"/demands/{pk}/unpublish/", {})
    assert "Unpublished: the public page no longer shows this demand." in answer
    # The leader's session opens on the other process too.
    leader.base = second
    assert DEMAND in leader.get(f"/demands/{pk}/").decode()

    assert DEMAND not in public.get(page).decode()
    served = public.get(report)
    assert "no larger than 24" not in pdf_text(served)
    # The report the second process served is the one stored in the shared bucket, and
    # neither web process kept a file of its own.
    assert served in [store.read(key) for key in store.keys("media/")]
    for web in ("web1", "web2"):
        kept = [p.name for p in (tmp_path / web).rglob("*") if p.is_file()]
        assert sorted(kept) == ["gunicorn.log"], (web, kept)
