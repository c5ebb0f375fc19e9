"""How ``make test`` shares the tests between its pytest-xdist workers.

The browser tests (and the other tests that start real servers) run as two units, one in
each worker, first: the journeys on the large local, on a frozen clock and across two web
processes (each with servers of its own) in one, the demo's journeys in the other, so each
server is built once per worker that needs it and neither worker waits for the other's
browser. Every other test is handed out one at a time to whichever worker is free, so both
cores stay busy until the end. (One unit for all of them left one worker running browser
tests for the whole run while the other had finished: 13 min against 8 for the suite.)

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
# The servers' tests that build servers of their own rather than use the demo's, with the
# axe crawl (the longest single test) to even the two units out.
OWN_SERVERS = (
    "tests/browser/test_ladder_at_scale.py::",
    "tests/browser/test_members_at_scale.py::",
    "tests/browser/test_people_at_scale.py::",
    "tests/browser/test_local_time.py::",
    "tests/browser/test_accessibility.py::",
    "tests/test_scale_out.py::",
)
SERVER_GROUPS = ("servers: own", "servers: demo")


def unit_of(nodeid: str) -> str:
    """The work unit a test belongs to: one of the servers' groups, or the test on its own."""
    if nodeid.startswith(OWN_SERVERS):
        return SERVER_GROUPS[0]
    if nodeid.startswith(SERVER_TESTS):
        return SERVER_GROUPS[1]
    return nodeid


class ServersFirstScheduling(LoadScopeScheduling):
    """xdist's scope scheduling with our units. Units go out largest first (xdist's
    ``--loadscope-reorder``, on by default), so the two servers' groups start at once, one
    in each worker, and the single tests fill in after them."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)
