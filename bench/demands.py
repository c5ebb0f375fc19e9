"""Benchmark pages for demands: the history of a demand with 200 long revisions."""

from __future__ import annotations

from demands.models import Demand
from demands.scale import LONG_REVISIONS, LONG_TITLE

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
