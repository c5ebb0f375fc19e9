"""Demands and targets for tests."""

from __future__ import annotations

from demands.models import ASSESSMENT_FIELDS, Demand, Target

COMPLETE_ASSESSMENT = {name: f"Written {name} for the assessment." for name in ASSESSMENT_FIELDS}


def make_demand(
    campaign, *, by=None, coauthors=(), shared_with=(), complete=False, **fields
) -> Demand:
    values = {"title": "Nurses in every school", "summary": "A nurse at every school, every day."}
    if complete:
        values.update(COMPLETE_ASSESSMENT)
    values.update(fields)
    title = values.pop("title")
    demand = Demand.start(campaign=campaign, title=title, by=by, coauthors=coauthors, **values)
    if shared_with:
        demand.shared_with.add(*shared_with)
    return demand


def make_target(campaign, name: str = "School board", **extra) -> Target:
    return Target.objects.create(campaign=campaign, name=name, **extra)
