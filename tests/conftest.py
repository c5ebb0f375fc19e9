"""The cast: every view is tested as each of these people.

- a leader of the local, a steward of building A, a steward of building B,
- a partner of organisation X, a partner of organisation Y,
- an anonymous visitor, and a leader of another local.
"""

from __future__ import annotations

import copy
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from config.celery import app as celery_app

from . import database
from . import factories as f

STRICT = os.environ.get("CG_STRICT", "") not in {"", "0", "false"}


def pytest_sessionfinish(session, exitstatus):
    """In CI (CG_STRICT=1) a test skipped for a missing service or browser is a failure."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not STRICT or reporter is None:
        return
    skipped = reporter.stats.get("skipped", [])
    if skipped:
        reporter.write_line(
            f"CG_STRICT: {len(skipped)} test(s) were skipped; in CI every service and the "
            "browser must be present, so this run fails.",
            red=True,
        )
        session.exitstatus = 1


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` (make test) runs the tests that start servers as one unit, first
    (tests/scheduling.py); pytest-xdist's own grouping does nothing under pytest 9."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from .scheduling import ServersFirstScheduling

    return ServersFirstScheduling(config, log)


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """Each worker's test database is a copy of the migrated template (tests/database.py)
    rather than migrated afresh; on SQLite, pytest-django's own setup runs."""
    from django.conf import settings
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    if not database.uses_postgres():
        with django_db_blocker.unblock():
            config = setup_databases(verbosity=0, interactive=False)
        yield
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=0)
        return
    connection = connections["default"]
    original = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    database.copy_of_template(test_name)
    connection.close()
    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = test_name
    yield
    connection.close()
    database.drop(test_name)
    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = original


@pytest.fixture(autouse=True, scope="session")
def _eager_celery():
    """In-process tests run tasks inline; the broker tests start real workers instead."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True, scope="session")
def _fast_passwords():
    """MD5 for the whole run, so data built once for a module or a session is quick too."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Spanish leaves Spanish active in the thread (LocaleMiddleware activates a
    language and nothing deactivates it), so without this a test's language would depend on
    which tests ran before it in the same process, as it does under pytest-xdist."""
    translation.deactivate()
    yield


# Sunday 29 November 2026, 20:30 in California: already Monday 04:30 in UTC, the hour at
# which a server in UTC gets "today", "tomorrow" and every printed time wrong.
PACIFIC = ZoneInfo("America/Los_Angeles")
EVENING_IN_CALIFORNIA = datetime(2026, 11, 29, 20, 30, tzinfo=PACIFIC)
# A zone east of UTC at a time when UTC is still on the day before (Saturday 22:30 UTC).
MORNING_IN_TOKYO = datetime(2026, 11, 29, 7, 30, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def evening_in_california():
    """The clock stopped at 20:30 Pacific on Sunday 29 November 2026."""
    with time_machine.travel(EVENING_IN_CALIFORNIA, tick=False) as traveller:
        yield traveller


@pytest.fixture(params=[EVENING_IN_CALIFORNIA, MORNING_IN_TOKYO], ids=["pacific", "tokyo"])
def local_clock(request, cast):
    """The clock stopped on Sunday 29 November 2026 at a local hour when UTC is on another
    day, with the cast's local in that zone; yields the local's now."""
    moment = request.param
    cast.local.timezone = moment.tzinfo.key
    cast.local.save(update_fields=["timezone"])
    with time_machine.travel(moment, tick=False):
        yield moment


@dataclass
class Cast:
    local: object
    building_a: object
    building_b: object
    organisation_x: object
    organisation_y: object
    campaign: object
    leader: object
    steward_a: object
    steward_b: object
    partner_x: object
    partner_y: object
    other_local: object
    other_leader: object

    def client_for(self, who: str, **options) -> Client:
        client = Client(**options)
        if who != "anonymous":
            client.force_login(getattr(self, who))
        return client


ROLES = ["anonymous", "leader", "steward_a", "steward_b", "partner_x", "partner_y", "other_leader"]


def build_cast() -> Cast:
    local = f.make_local("Twin Rivers Test Educators")
    building_a = f.make_building(local, "Building A Elementary")
    building_b = f.make_building(local, "Building B High")
    organisation_x = f.make_organisation(local, "Organisation X Parents")
    organisation_y = f.make_organisation(local, "Organisation Y Faith")
    other_local = f.make_local("Other Local")
    return Cast(
        local=local,
        building_a=building_a,
        building_b=building_b,
        organisation_x=organisation_x,
        organisation_y=organisation_y,
        campaign=f.make_campaign(local),
        leader=f.make_leader(local, email="leader@test.example"),
        steward_a=f.make_steward(local, building_a, email="steward-a@test.example"),
        steward_b=f.make_steward(local, building_b, email="steward-b@test.example"),
        partner_x=f.make_partner(local, organisation_x, email="partner-x@test.example"),
        partner_y=f.make_partner(local, organisation_y, email="partner-y@test.example"),
        other_local=other_local,
        other_leader=f.make_leader(other_local, email="other-leader@test.example"),
    )


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


class SharedCast(Cast):
    """A cast built once for a module, its people already signed in: each role's session
    cookie is made once and every client the module's tests ask for carries it."""

    sessions: dict[str, str]

    def client_for(self, who: str, **options) -> Client:
        client = Client(**options)
        if who != "anonymous":
            client.cookies[django_settings.SESSION_COOKIE_NAME] = self.sessions[who]
        return client


@contextmanager
def held_for_the_module(django_db_blocker):
    """A transaction that lasts as long as a module and is rolled back at its end (as
    Django's ``TestCase.setUpTestData`` does): what a module-scoped fixture builds inside it
    is seen by each of the module's tests, whose own transaction is a savepoint in it that is
    rolled back after the test. Only for data the tests read or change inside their own
    transaction."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_cast(django_db_setup, django_db_blocker):
    """The cast, built once for the tests of a module (see ``held_for_the_module``).
    A module asks for it by defining ``cast`` as ``shared_cast(module_cast)`` with ``db``."""
    with held_for_the_module(django_db_blocker):
        with django_db_blocker.unblock():
            shared = SharedCast(**vars(build_cast()))
            shared.sessions = {}
            for who in ROLES:
                if who != "anonymous":
                    client = Client()
                    client.force_login(getattr(shared, who))
                    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
                    shared.sessions[who] = cookie.value
        yield shared


def shared_cast(module_cast: SharedCast) -> SharedCast:
    """A test's own copy of the module's cast, so a change a test makes to one of its rows
    in memory (not only in the database, which is rolled back) never reaches the next."""
    return copy.deepcopy(module_cast)
