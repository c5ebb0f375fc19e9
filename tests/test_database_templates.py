"""The template databases the test databases and the browser servers are copied from
(tests/database.py): their names, their locks, building a seeded one once, and dropping the
old ones."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import psycopg
import pytest

from tests import database
from tests.conftest import EVENING_IN_CALIFORNIA, MORNING_IN_TOKYO
from tests.services import database_url_named


@pytest.fixture
def postgres():
    if not database.uses_postgres():
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")


def oid_of(name: str) -> int | None:
    with database._connect() as conn:
        row = conn.execute("SELECT oid FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row[0] if row else None


def test_each_template_has_its_own_lock_that_fits_postgres():
    first, second = database.build_lock("cg_template_a"), database.build_lock("cg_template_b")
    assert first != second
    assert first == database.build_lock("cg_template_a")
    assert 0 <= first < 2**63 and 0 <= second < 2**63  # pg_advisory_lock takes a bigint


def test_a_seeded_template_is_named_by_command_and_moment_within_postgres_limit():
    demo = database.seeded_name("seed_demo", EVENING_IN_CALIFORNIA)
    assert demo == database.seeded_name("seed_demo", EVENING_IN_CALIFORNIA)
    assert demo != database.seeded_name("seed_demo", MORNING_IN_TOKYO)
    assert demo != database.seeded_name("seed_scale", EVENING_IN_CALIFORNIA)
    assert demo.startswith("cg_seeded_seed_demo_")
    assert len(database.seeded_name("seed_scale", EVENING_IN_CALIFORNIA) + "_building") <= 63


def test_a_seed_on_the_real_clock_is_named_for_this_run_only(monkeypatch):
    """Both workers' demo servers share it; the next run seeds afresh, on its own "today"."""
    this_run = database.seeded_name("seed_demo", None)
    assert this_run == database.seeded_name("seed_demo", None)
    assert this_run != database.seeded_name("seed_demo", EVENING_IN_CALIFORNIA)
    assert this_run.startswith("cg_seeded_run_seed_demo_")
    # Dropping the old ones of a frozen seed never drops this run's, nor the other way round.
    assert not this_run.startswith(database.seeded_prefix("seed_demo", EVENING_IN_CALIFORNIA))
    assert len(database.seeded_name("seed_scale", None) + "_building") <= 63
    monkeypatch.setattr(database, "THIS_RUN", "another run")
    assert database.seeded_name("seed_demo", None) != this_run


def test_a_seeded_template_is_built_once_with_its_files(postgres):
    moment = datetime(
        2026, 11, 29, 20, 30, second=uuid.uuid4().int % 60, tzinfo=EVENING_IN_CALIFORNIA.tzinfo
    )
    first = database.seeded("check", frozen_at=moment)
    try:
        assert oid_of(first.database) is not None
        assert oid_of(first.database + "_building") is None
        # The command ran with a VAR_DIR of the template's own: its development key is there.
        assert (first.files / "secret_key").is_file()
        again = database.seeded("check", frozen_at=moment)
        assert again == first
        assert oid_of(again.database) == oid_of(first.database)
        # A copy has the migrated schema.
        target = f"cg_copy_{uuid.uuid4().hex[:10]}"
        database.copy_of_template(target, lambda: first.database)
        try:
            with psycopg.connect(database_url_named(target)) as conn:
                assert conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 0
        finally:
            database.drop(target)
    finally:
        database.drop(first.database)
        database.shutil.rmtree(first.files, ignore_errors=True)


def test_old_templates_are_dropped_keeping_the_current_the_two_newest_and_those_in_use(postgres):
    prefix = f"cg_oldtpl_{uuid.uuid4().hex[:8]}_"
    names = [f"{prefix}{n}" for n in range(5)]  # created oldest first
    for name in names:
        database.drop(name)
        with database._connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    current, in_use = names[0], names[1]
    try:
        with psycopg.connect(database_url_named(in_use)):
            assert database.drop_old_templates(prefix, current, older_than=timedelta(0)) == [
                names[2]
            ]
        assert [oid_of(name) is not None for name in names] == [True, True, False, True, True]
        # Templates built within the hour are kept, whatever their number.
        assert database.drop_old_templates(prefix, names[4], keep=0) == []
    finally:
        for name in names:
            database.drop(name)
