"""Test data for actions: plain typed functions, like tests/factories.py."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from actions.models import Action, Tactic


def make_tactic(campaign, position: int | None = None) -> Tactic:
    tactics = Tactic.start_ladder(campaign)
    if position is None:
        return tactics[0]
    return Tactic.objects.get(campaign=campaign, position=position)


def make_action(campaign, *, days: float = 10, hours: float = 2, level: int = 1, **extra) -> Action:
    starts = timezone.now() + timedelta(days=days)
    values = {
        "title": f"Action in {days} days",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=hours),
        "tactic": make_tactic(campaign, level),
        "place": "Oak Grove Elementary, front steps",
    }
    values.update(extra)
    buildings = values.pop("buildings", None)
    organisations = values.pop("invited_organisations", None)
    action = Action.objects.create(campaign=campaign, **values)
    if buildings:
        action.buildings.set(buildings)
    if organisations:
        action.invited_organisations.set(organisations)
    return action
