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
import time
from importlib.metadata import distributions

from tests.services import ROOT, base_env, database_url_named, manage

APPS = ["accounts", "campaigns", "partners", "demands", "actions", "bargaining", "audit", "api"]
PREFIX = "cg_template_"
# Any number would do, as long as every process that builds a template takes the same lock.
BUILD_LOCK = 7_240_113


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


def migrated_template() -> str:
    """The template's name, built first if no process has built it for this schema yet."""
    name = PREFIX + schema_digest()
    with _connect() as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [BUILD_LOCK])
        try:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if found is None:
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
            conn.execute("SELECT pg_advisory_unlock(%s)", [BUILD_LOCK])
    return name


def copy_of_template(target: str) -> None:
    """A fresh database named ``target``, migrated: a copy of the template."""
    template = migrated_template()
    with _connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        for attempt in range(20):
            try:
                conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{template}"')
                return
            except Exception as error:
                # Another process may be copying the same template this instant; PostgreSQL
                # refuses a copy while anything else is connected to the source.
                if "being accessed by other users" not in str(error) or attempt == 19:
                    raise
                time.sleep(0.5)


def drop(name: str) -> None:
    with _connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
