"""A migrated PostgreSQL database to copy, so a test database costs a ``CREATE DATABASE``.

Migrating from nothing takes about ten seconds of Python, and a run of the suite needs a
database for each xdist worker and for each real server the browser tests start. Instead the
migrations run once into a template named after a digest of everything that decides the schema
(the apps' migrations and models, the settings, and the installed packages' versions), and
each database is copied from it. A change to any of those names a new template, so a copy is
never stale; on a fresh server (as in CI) the first run builds it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib.metadata import distributions
from pathlib import Path

from tests.services import ROOT, base_env, database_url_named, manage

# Every app of the project with migrations, a new one included without a change here.
APPS = sorted(path.parent.name for path in ROOT.glob("*/migrations"))
PREFIX = "cg_template_"


def schema_digest() -> str:
    digest = hashlib.sha256()
    sources = [ROOT / "config" / "settings.py"]
    for app in APPS:
        sources += sorted((ROOT / app / "migrations").glob("*.py"))
        models = ROOT / app / "models"
        sources += sorted(models.rglob("*.py")) if models.is_dir() else [ROOT / app / "models.py"]
    for path in sources:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions())
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()[:16]


def _connect():
    import psycopg

    return psycopg.connect(database_url_named("postgres"), autocommit=True)


def uses_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def build_lock(name: str) -> int:
    """The advisory lock of one template: processes building the same template wait for each
    other, and a build of another schema (another branch on the same server) blocks no one."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:15], 16)


def _exists(conn, name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
    )


def migrated_template() -> str:
    """The template's name, built first if no process has built it for this schema yet."""
    name = PREFIX + schema_digest()
    with _connect() as conn:
        # A finished template is never changed, so once it exists no lock is needed.
        if _exists(conn, name):
            return name
        conn.execute("SELECT pg_advisory_lock(%s)", [build_lock(name)])
        try:
            if not _exists(conn, name):
                # Built under another name and renamed when complete, so a build that dies
                # half-way never leaves a template that looks finished.
                building = name + "_building"
                conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{building}"')
                env = base_env(
                    DATABASE_URL=database_url_named(building), CACHE_URL="", REDIS_URL=""
                )
                manage("migrate", "--noinput", "-v0", env=env)
                conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [build_lock(name)])
    drop_old_templates(PREFIX, name)
    return name


def copy_of_template(target: str, template: Callable[[], str] = migrated_template) -> None:
    """A fresh database named ``target``: a copy of the template ``template()`` names (the
    migrated one unless told), built first if it is not there."""
    name = template()
    with _connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        for attempt in range(20):
            try:
                conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{name}"')
                return
            except Exception as error:
                # Another process may be copying the same template this instant; PostgreSQL
                # refuses a copy while anything else is connected to the source. A template
                # dropped as old by another run after we found it is built again.
                if attempt == 19:
                    raise
                if "does not exist" in str(error):
                    name = template()
                elif "being accessed by other users" not in str(error):
                    raise
                time.sleep(0.5)


def drop(name: str) -> None:
    with _connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drop_old_templates(
    prefix: str, current: str, keep: int = 2, older_than: timedelta = timedelta(hours=1)
) -> list[str]:
    """Drop the templates named ``prefix...`` other than ``current`` and the ``keep`` newest
    others (another branch's, another day's), and their files; one in use, or whose folder
    changed within the hour (just made, or opened: perhaps by a run of another branch on the
    same server), is left for later.
    Each change of the schema or of the seeds would leave one behind otherwise."""
    import psycopg

    with _connect() as conn:
        rows = conn.execute(
            "SELECT datname, (pg_stat_file('base/' || oid)).modification < now() - %s"
            " FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s"
            " AND NOT datname LIKE '%%\\_building'"
            " ORDER BY oid DESC",  # the order they were made in
            [older_than, prefix, current],
        ).fetchall()
        dropped = []
        for name, old in rows[keep:]:
            if not old:
                continue
            try:
                # Both workers of a run clear out old templates as they start, so the other
                # may have dropped this one a moment ago.
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            except psycopg.errors.ObjectInUse:
                continue
            shutil.rmtree(SEEDED_FILES / name, ignore_errors=True)
            dropped.append(name)
    return dropped


# Seeded templates --------------------------------------------------------------------------

SEEDED_PREFIX = "cg_seeded_"
# Where a seed's files (media, mail, the development secret key that signed its tokens) are
# kept beside its template, to be copied into each server's VAR_DIR.
SEEDED_FILES = ROOT / "var" / "test-templates"
# The address a seed runs under: links it stores point here, not at a server that is gone.
SEED_SITE_URL = "http://seeded.invalid"
PROJECT_FILES = ("*.py", "*.html", "*.txt", "*.po", "*.css", "*.js", "*.json")
NOT_PROJECT = {".venv", "var", "tests", "node_modules", ".git", "bench"}


@dataclass(frozen=True)
class Seeded:
    database: str
    files: Path


def project_digest() -> str:
    """A digest of everything a seed's output may depend on: the schema, and every source,
    template and catalogue of the project (the seeds call the app's own code)."""
    digest = hashlib.sha256(schema_digest().encode())
    for pattern in PROJECT_FILES:
        for path in sorted(ROOT.rglob(pattern)):
            relative = path.relative_to(ROOT)
            if relative.parts[0] not in NOT_PROJECT:
                digest.update(relative.as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


# The same in every pytest-xdist worker of one run of the suite, and another in the next run.
THIS_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


def seeded_prefix(command: str, frozen_at: datetime | None) -> str:
    return f"{SEEDED_PREFIX}{command}_" if frozen_at else f"{SEEDED_PREFIX}run_{command}_"


def seeded_name(command: str, frozen_at: datetime | None) -> str:
    """The template of ``command`` run with the clock at ``frozen_at`` (or on the real clock
    in this run of the suite), for this checkout (its files live in this checkout's var/) and
    this state of the code."""
    moment = frozen_at.isoformat() if frozen_at else THIS_RUN
    key = "\n".join([project_digest(), str(ROOT), command, moment, SEED_SITE_URL])
    return f"{seeded_prefix(command, frozen_at)}{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def seeded(command: str, *, frozen_at: datetime | None) -> Seeded:
    """A migrated database that ``command`` (seed_demo, seed_scale) has seeded with the clock
    at ``frozen_at``, and the files it wrote; built once and kept while the code and the
    moment stay the same, since with the clock fixed a seed tells the same story each time.
    Without ``frozen_at`` the seed runs on the real clock and serves this run of the suite
    only (both workers' servers of the demo): the next run's "today" is another day."""
    name = seeded_name(command, frozen_at)
    files = SEEDED_FILES / name
    with _connect() as conn:
        if _exists(conn, name) and files.is_dir():
            return Seeded(name, files)
        conn.execute("SELECT pg_advisory_lock(%s)", [build_lock(name)])
        try:
            if not (_exists(conn, name) and files.is_dir()):
                _build_seeded(conn, name, files, command, frozen_at)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [build_lock(name)])
    drop_old_templates(seeded_prefix(command, frozen_at), name)
    return Seeded(name, files)


def _build_seeded(conn, name: str, files: Path, command: str, frozen_at: datetime | None) -> None:
    from tests.services import frozen_manage

    building = name + "_building"
    scratch = files.with_name(building)
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(files, ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)
    copy_of_template(building)
    scratch.mkdir(parents=True)
    env = base_env(
        DATABASE_URL=database_url_named(building),
        VAR_DIR=str(scratch),
        DEBUG="true",
        CELERY_TASK_ALWAYS_EAGER="1",
        EMAIL_FILE_PATH=str(scratch / "mail"),
        SITE_URL=SEED_SITE_URL,
        CACHE_URL="",
        REDIS_URL="",
    )
    try:
        if frozen_at:
            frozen_manage(frozen_at, command, env=env, timeout=900)
        else:
            manage(command, env=env, timeout=900)
    except BaseException:
        drop(building)
        raise
    conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    scratch.rename(files)
