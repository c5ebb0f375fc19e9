"""The scale seed: the 36,000-member local the benchmarks use (the size of UTLA), alone or
among the smaller locals of a state affiliate (``seed_scale --locals 50``: about 300,000
members). Every local is entirely separate: its own leader, stewards, members and campaign."""

from __future__ import annotations

import random
from dataclasses import dataclass

LARGE_MEMBERS = 36_000
# A state affiliate of 300,000 members in 50 locals: the large local and 49 others of
# (300,000 - 36,000) / 49 members on average.
AVERAGE_MEMBERS = 5_388


@dataclass(frozen=True)
class Size:
    """One local of the scale seed and how much of everything it gets; ``number`` 0 is the
    large local, whose slugs and emails the benchmarks know."""

    number: int
    members: int
    buildings: int
    stewards: int
    organisations: int
    demands: int
    revisions: int
    long_demand: bool
    targets: int
    actions: int
    sessions: int
    threads: int
    versions_per_thread: int

    @property
    def slug(self) -> str:
        return "scale" if self.number == 0 else f"scale-{self.number:02d}"

    @property
    def campaign_slug(self) -> str:
        return f"{self.slug}-campaign"

    @property
    def domain(self) -> str:
        return "scale.example" if self.number == 0 else f"local{self.number:02d}.scale.example"

    @property
    def leader_email(self) -> str:
        return f"leader@{self.domain}"

    def steward_email(self, n: int) -> str:
        return f"steward{n}@{self.domain}"


LARGE = Size(
    number=0,
    members=LARGE_MEMBERS,
    buildings=1_000,
    stewards=2_000,
    organisations=200,
    demands=150,
    revisions=20,
    long_demand=True,
    targets=60,
    actions=600,
    sessions=60,
    threads=100,
    versions_per_thread=6,
)


def smaller(number: int, members: int) -> Size:
    """A local shaped like the large one (36 members a building, two stewards to a building,
    an action for every 60 members), with a shorter history of demands and bargaining."""
    buildings = max(2, members // 36)
    return Size(
        number=number,
        members=members,
        buildings=buildings,
        stewards=buildings * 2,
        organisations=max(2, members // 180),
        demands=max(2, members // 240),
        revisions=5,
        long_demand=False,
        targets=max(2, members // 600),
        actions=max(6, members // 60),
        sessions=12,
        threads=max(2, members // 360),
        versions_per_thread=3,
    )


def sizes(locals_: int = 1, members_per_local: int | None = None) -> list[Size]:
    """The large local first, then ``locals_ - 1`` others of varied size (from a fifth to
    nearly twice the average, the same every run). ``members_per_local`` gives every local,
    the large one too, that many members: small enough for tests."""
    if members_per_local is not None:
        return [smaller(number, members_per_local) for number in range(locals_)]
    rng = random.Random(50)  # noqa: S311  (benchmark data)
    weights = [rng.uniform(0.2, 1.8) for _ in range(locals_ - 1)]
    total = AVERAGE_MEMBERS * len(weights)
    members = [round(total * w / sum(weights)) for w in weights]
    return [LARGE] + [smaller(n, count) for n, count in enumerate(members, start=1)]
