"""Benchmark pages for demands: the history of a demand with 200 long revisions."""

from __future__ import annotations

from demands.models import Demand
from seeds.scale.demands import LONG_REVISIONS, LONG_TITLE

LEADER = "leader@scale.example"


def pages(ctx) -> dict[str, tuple[str, str | None]]:
    """bench key -> (URL path, email to sign in as)."""
    demand = Demand.objects.get(campaign__slug="scale-campaign", title=LONG_TITLE)
    first = Demand.objects.filter(campaign__slug="scale-campaign").order_by("pk").first()
    return {
        # Two long revisions 100 saves apart: many changed sentences across eight fields.
        "demand_history": (
            f"/demands/{demand.pk}/history/?a={LONG_REVISIONS // 2}&b={LONG_REVISIONS}",
            LEADER,
        ),
        "demand_list": ("/demands/", LEADER),
        "demand_detail": (f"/demands/{first.pk}/", LEADER),
        "power_map": ("/demands/power-map/", LEADER),
        "partner_list": ("/partners/", LEADER),
    }


def measure(ctx) -> dict[str, float]:
    """The word diff alone for the two long revisions, without the page around it."""
    import statistics
    import time

    from demands.diff import compare
    from demands.models import REVISION_FIELDS, DemandRevision

    demand = Demand.objects.get(campaign__slug="scale-campaign", title=LONG_TITLE)
    numbers = [LONG_REVISIONS // 2, LONG_REVISIONS]
    left, right = DemandRevision.objects.filter(demand=demand, number__in=numbers).order_by(
        "number"
    )
    labels = {name: name for name in REVISION_FIELDS}
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        compare(left.snapshot, right.snapshot, labels)
        timings.append(time.perf_counter() - started)
    return {"demand_diff_ms": round(statistics.median(timings) * 1000, 2)}
