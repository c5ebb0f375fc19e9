"""The tests' typed factories live with the seeds (``seeds/factories.py``), so the demo, the
scale seed and the tests build rows with the same defaults."""

from seeds.factories import (  # noqa: F401  (re-exported for the tests)
    PASSWORD,
    build_building,
    build_campaign,
    build_local,
    build_member,
    build_organisation,
    build_user,
    make_building,
    make_campaign,
    make_leader,
    make_local,
    make_member,
    make_organisation,
    make_partner,
    make_steward,
    make_user,
    verified_address,
)
