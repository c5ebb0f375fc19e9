"""A scale local's ladder: 600 actions in the large local (one for every 60 members in the
others) over two and a half years, the past ones evaluated."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from actions.models import Action, Evaluation, Tactic
from seeds.scale import LARGE


def seed(context: dict) -> None:
    campaign, size = context["campaign"], context.get("size", LARGE)
    tactics = Tactic.start_ladder(campaign)
    tactics = list(Tactic.objects.filter(campaign=campaign).order_by("position"))
    rng = random.Random(600)  # noqa: S311  (benchmark data)
    now = timezone.now()
    first = now - timedelta(days=800)
    step = timedelta(days=900) / size.actions
    actions = []
    for n in range(size.actions):
        starts = first + step * n
        # Escalate slowly over time, with some noise, as a real campaign would.
        level = min(len(tactics), max(1, int(1 + 14 * n / size.actions) + rng.randint(-2, 1)))
        actions.append(
            Action(
                campaign=campaign,
                tactic=tactics[level - 1],
                title=f"{tactics[level - 1].name} #{n + 1}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place=f"School {n % size.buildings:04d}",
                is_public=n % 3 == 0,
                turnout_goal=50 * level,
                escalates_base=True,
                escalates_voice=n % 2 == 0,
                status=Action.Status.DONE if starts < now else Action.Status.PLANNED,
                created_by=context["leader"],
            )
        )
    created = Action.objects.bulk_create(actions, batch_size=500)
    Evaluation.objects.bulk_create(
        (
            Evaluation(
                action=action,
                turnout=int(action.turnout_goal * rng.uniform(0.5, 1.3)),
                effect=rng.choice(["helped", "helped", "no_effect", "hindered"]),
                why="Benchmark evaluation.",
            )
            for action in created
            if action.starts_at < now
        ),
        batch_size=500,
    )
