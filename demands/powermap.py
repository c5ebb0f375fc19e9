"""The power map drawn as a grid: alignment from strong opponent (left) to strong ally
(right), power from 1 (bottom) to 5 (top). Positions are computed here so the template only
places shapes."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Target

CELL_W = 190
CELL_H = 110
LEFT = 70
TOP = 20
BOTTOM = 60
PER_CELL = 4
LABEL = 21  # characters that fit in a cell at 13px
ALIGNMENTS = [-2, -1, 0, 1, 2]
POWERS = [5, 4, 3, 2, 1]
KIND_COLOURS = {
    Target.Kind.DECISION_MAKER: "#b3261e",
    Target.Kind.BAD_ACTOR: "#1d1b20",
    Target.Kind.INFLUENCER: "#0b5e58",
    Target.Kind.ALLY: "#1e6b34",
}


@dataclass
class Dot:
    target: Target
    x: int
    y: int
    label: str
    colour: str


@dataclass
class Cell:
    x: int
    y: int
    more: int = 0
    more_x: int = 0
    more_y: int = 0


@dataclass
class PowerMap:
    width: int
    height: int
    dots: list[Dot] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    columns: list[tuple[int, int, str]] = field(default_factory=list)
    rows: list[tuple[int, int]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    cell_w: int = CELL_W
    cell_h: int = CELL_H
    grid_bottom: int = 0
    grid_right: int = 0
    axis_power_y: int = 0
    axis_alignment_x: int = 0


def power_map(targets: list[Target]) -> PowerMap:
    width = LEFT + CELL_W * len(ALIGNMENTS) + 10
    height = TOP + CELL_H * len(POWERS) + BOTTOM
    result = PowerMap(width=width, height=height)
    result.grid_bottom = TOP + CELL_H * len(POWERS)
    result.grid_right = LEFT + CELL_W * len(ALIGNMENTS)
    result.axis_power_y = TOP + CELL_H * len(POWERS) // 2
    result.axis_alignment_x = LEFT + CELL_W * len(ALIGNMENTS) // 2
    labels = dict(Target.Alignment.choices)
    result.columns = [
        (LEFT + i * CELL_W + CELL_W // 2, result.grid_bottom + 22, str(labels[a]))
        for i, a in enumerate(ALIGNMENTS)
    ]
    result.rows = [(TOP + i * CELL_H + CELL_H // 2 + 5, p) for i, p in enumerate(POWERS)]
    result.legend = [(KIND_COLOURS[k], str(label)) for k, label in Target.Kind.choices]
    buckets: dict[tuple[int, int], list[Target]] = {}
    for target in targets:
        power = min(max(target.power, 1), 5)
        buckets.setdefault((power, target.alignment), []).append(target)
    for row, power in enumerate(POWERS):
        for col, alignment in enumerate(ALIGNMENTS):
            x0, y0 = LEFT + col * CELL_W, TOP + row * CELL_H
            cell = Cell(x=x0, y=y0)
            members = buckets.get((power, alignment), [])
            for index, target in enumerate(members[:PER_CELL]):
                name = target.name if len(target.name) <= LABEL else target.name[: LABEL - 1] + "…"
                result.dots.append(
                    Dot(
                        target=target,
                        x=x0 + 14,
                        y=y0 + 20 + index * 24,
                        label=name,
                        colour=KIND_COLOURS.get(target.kind, "#4f4a54"),
                    )
                )
            if len(members) > PER_CELL:
                cell.more = len(members) - PER_CELL
                cell.more_x, cell.more_y = x0 + 8, y0 + CELL_H - 6
            result.cells.append(cell)
    return result
