"""How ``make test`` shares the tests between its pytest-xdist workers.

The browser tests (and the other tests that start real servers) run as one unit in one
worker, first, so a single gunicorn and a single Chromium serve them all, and each server
built for a module is built once; every other test is handed out one at a time to whichever
worker is free, so both cores stay busy until the end.

xdist's own ``--dist loadgroup`` is meant to do this with ``xdist_group`` marks, but with
pytest 9 the marks no longer reach its scheduler (it renames each test's node id, which
pytest 9 ignores: pytest-dev/pytest-xdist#1386), and every test was scheduled alone. The
controller sees only node ids, so the unit is named here by path.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

# The tests that start servers of their own: the browser journeys (gunicorn and Chromium)
# and the two web processes of the scale-out test (two gunicorns and an object store).
SERVER_TESTS = ("tests/browser/", "tests/test_scale_out.py::")
SERVER_GROUP = "servers"


def unit_of(nodeid: str) -> str:
    """The work unit a test belongs to: the servers' group, or the test on its own."""
    if nodeid.startswith(SERVER_TESTS):
        return SERVER_GROUP
    return nodeid


class ServersFirstScheduling(LoadScopeScheduling):
    """xdist's scope scheduling with our units. Units go out largest first (xdist's
    ``--loadscope-reorder``, on by default), so the servers' group starts at once in one
    worker while the others take the single tests."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)
