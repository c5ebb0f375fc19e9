"""Helpers for tests that need real services: a database other processes can share, Redis,
Celery workers, a real web server and Debian's Chromium. Each says why when it skips."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def require_redis() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs a real Redis broker: set REDIS_URL (CI does)")
    return url


def require_shared_database() -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL that worker processes can share: set DATABASE_URL (CI does)")


def require_chromium() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium; CI does)")
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(
    port: int, timeout: float = 30.0, process: subprocess.Popen | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port} within {timeout}s")


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(extra)
    return env


def database_url_named(name: str) -> str:
    """The configured PostgreSQL server with another database name."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))


def manage(*args: str, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@dataclass
class AppServer:
    url: str
    env: dict[str, str]
    var: Path

    def mail(self) -> list[str]:
        folder = self.var / "mail"
        if not folder.exists():
            return []
        return [p.read_text() for p in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime)]


def frozen_manage(
    moment: datetime, *args: str, env: dict[str, str], timeout: int = 600
) -> subprocess.CompletedProcess:
    """A management command run with the clock at ``moment`` (see tests/frozen.py)."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.frozen", *args],
        cwd=ROOT,
        env={**env, "CG_FROZEN_AT": moment.isoformat()},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@contextmanager
def app_server(
    var: Path,
    *,
    seed: str | bool = "seed_demo",
    frozen_at: datetime | None = None,
    seeded_at: datetime | None = None,
    production: bool = False,
):
    """Migrate a fresh database, seed it (the demo campaign unless ``seed`` names another
    seed command, or nothing if false) and serve it with gunicorn; with ``frozen_at``, all of
    it happens with the clock at that moment (and ticking on); with ``seeded_at`` (which
    ``frozen_at`` implies), only the seed. On PostgreSQL the seeded database and files are
    copies of a seeded template (tests/database.py), built once for every server seeded the
    same way (on the real clock: in this run of the suite). With
    ``production``, the server runs as production does, DEBUG off, its static files collected
    into ``var`` and served by WhiteNoise's compressed manifest storage, still over plain HTTP
    on 127.0.0.1 (no redirect to HTTPS; secure cookies work there, the address being local)."""
    var.mkdir(parents=True, exist_ok=True)
    env = base_env(
        VAR_DIR=str(var),
        DEBUG="false" if production else "true",
        CELERY_TASK_ALWAYS_EAGER="1",
        EMAIL_FILE_PATH=str(var / "mail"),
        CACHE_URL="",
        REDIS_URL="",
    )
    if production:
        env.update(
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
        )
    command = "seed_demo" if seed is True else seed
    seeded_at = seeded_at or frozen_at
    database = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        from tests.database import copy_of_template, seeded

        database = f"cg_browser_{uuid.uuid4().hex[:10]}"
        # A production server seeds itself, as its seed signs with the production settings.
        if command and not production:
            template = seeded(command, frozen_at=seeded_at)
            copy_of_template(database, lambda: seeded(command, frozen_at=seeded_at).database)
            shutil.copytree(template.files, var, dirs_exist_ok=True)
            command = None  # seeded already
        else:
            copy_of_template(database)  # migrated already
        env["DATABASE_URL"] = database_url_named(database)
    else:
        env["DATABASE_URL"] = f"sqlite:///{var / 'db.sqlite3'}"
    port = free_port()
    env["SITE_URL"] = f"http://127.0.0.1:{port}"
    wsgi = "config.wsgi"
    if frozen_at is not None:
        env["CG_FROZEN_AT"] = frozen_at.isoformat()
        wsgi = "tests.frozen:application"
    process = None
    try:
        if database is None:
            manage("migrate", "--noinput", env=env)
        if production:
            manage("collectstatic", "--noinput", env=env)
        if command and seeded_at is not None:
            frozen_manage(seeded_at, command, env=env, timeout=900)
        elif command:
            manage(command, env=env, timeout=900)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                wsgi,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(var / "gunicorn.log", "w"),  # noqa: SIM115
        )
        wait_for_port(port, process=process)
        yield AppServer(url=f"http://127.0.0.1:{port}", env=env, var=var)
    finally:
        if process is not None:
            # gunicorn's quick shutdown: a graceful one waits on its workers for nothing here.
            process.send_signal(signal.SIGINT)
            process.wait(timeout=20)
        if database:
            # Dropping a database waits on a checkpoint of the whole server (seconds when
            # others write), which the next test need not wait for; the process still waits
            # for the thread before it exits, so no database is left behind.
            dropping = f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"
            threading.Thread(target=_psql, args=[dropping], name=f"drop {database}").start()


def _psql(sql: str) -> None:
    parts = urlsplit(os.environ["DATABASE_URL"])
    maintenance = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    import psycopg

    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql)


def has_executable(name: str) -> bool:
    return shutil.which(name) is not None
