"""Demands for a scale local: in the large one 150 demands with 20 revisions each, one with 200
revisions of long text (the history benchmark), and a power map of 60 targets."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from demands.models import ASSESSMENT_FIELDS, REVISION_FIELDS, Demand, DemandRevision, Target
from seeds.scale import LARGE

LONG_REVISIONS = 200
LONG_TITLE = "Long demand with two hundred revisions"

WORDS = [
    "students",
    "families",
    "school",
    "district",
    "board",
    "nurse",
    "counselor",
    "class",
    "size",
    "housing",
    "equity",
    "Black",
    "Latino",
    "Hmong",
    "immigrant",
    "teachers",
    "budget",
    "reserve",
    "staffing",
    "restorative",
    "justice",
    "suspension",
    "caseload",
    "interpreter",
    "liaison",
    "community",
    "partners",
    "data",
    "survey",
    "evidence",
    "history",
    "policy",
    "practice",
    "funding",
    "vacancy",
    "retention",
    "neighbourhood",
    "safety",
    "transport",
    "curriculum",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 22))]
    return " ".join(words).capitalize() + "."


def _long_text(rng: random.Random, sentences: int = 40) -> list[str]:
    return [_sentence(rng) for _ in range(sentences)]


def seed(context: dict) -> None:
    campaign, leader = context["campaign"], context["leader"]
    size = context.get("size", LARGE)
    organisations = context.get("organisations", [])
    rng = random.Random(150 + size.number)  # noqa: S311  (benchmark data)
    Target.objects.bulk_create(
        Target(
            campaign=campaign,
            name=f"Target {n:02d}",
            kind=Target.Kind.values[n % 4],
            power=n % 5 + 1,
            alignment=n % 5 - 2,
            cares_about="Budgets and re-election.",
        )
        for n in range(size.targets)
    )
    now = timezone.now()
    statuses = Demand.Status.values
    categories = Demand.Category.values
    demands = Demand.objects.bulk_create(
        Demand(
            campaign=campaign,
            title=f"Demand {n:03d}",
            summary=_sentence(rng),
            problem=_sentence(rng),
            solution=_sentence(rng),
            category=categories[n % len(categories)],
            status=statuses[n % len(statuses)],
            version=size.revisions,
            created_by=leader,
            published_at=now if n % 3 == 0 else None,
            **{name: _sentence(rng) for name in ASSESSMENT_FIELDS},
        )
        for n in range(size.demands)
    )
    if organisations:
        through = Demand.coauthors.through
        through.objects.bulk_create(
            through(demand_id=d.pk, organisation_id=organisations[i % len(organisations)].pk)
            for i, d in enumerate(demands)
        )
    revisions = []
    for demand in demands:
        snapshot = {name: getattr(demand, name) for name in REVISION_FIELDS}
        for number in range(1, size.revisions + 1):
            revisions.append(
                DemandRevision(
                    demand=demand,
                    number=number,
                    by=leader,
                    at=now - timedelta(hours=size.revisions - number),
                    snapshot={**snapshot, "problem": f"{snapshot['problem']} Revision {number}."},
                )
            )
    if size.long_demand:
        context["long_demand"], history = _long_demand(campaign, leader, rng, now)
        revisions += history
    DemandRevision.objects.bulk_create(revisions, batch_size=1_000)
    context["demands"] = demands


def _long_demand(campaign, leader, rng: random.Random, now) -> tuple[Demand, list[DemandRevision]]:
    """The large local's demand with 200 revisions of long text, for the history benchmark."""
    long_parts = {name: _long_text(rng) for name in REVISION_FIELDS if name != "title"}
    long_demand = Demand.objects.create(
        campaign=campaign,
        title=LONG_TITLE,
        version=LONG_REVISIONS,
        created_by=leader,
        **{name: " ".join(parts) for name, parts in long_parts.items()},
    )
    # Each save of the long demand rewrites a couple of sentences somewhere in the text, the
    # way co-authors work; the final revision matches the demand's current text.
    history = []
    parts = {name: list(sentences) for name, sentences in long_parts.items()}
    for number in range(LONG_REVISIONS, 0, -1):
        history.append(
            DemandRevision(
                demand=long_demand,
                number=number,
                by=leader,
                at=now - timedelta(minutes=LONG_REVISIONS - number),
                snapshot={"title": LONG_TITLE, **{k: " ".join(v) for k, v in parts.items()}},
            )
        )
        for _ in range(2):
            name = rng.choice(list(parts))
            parts[name][rng.randrange(len(parts[name]))] = _sentence(rng)
    return long_demand, history
