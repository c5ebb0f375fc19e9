"""Server-rendered SVG line charts: no JavaScript, and they print."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 30, 16, 36


@dataclass
class Chart:
    points: str
    dots: list[tuple[float, float, int, str]]
    gridlines: list[tuple[float, int]]
    labels: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM


def _nice_max(value: int) -> int:
    """A round top for the axis, divisible by four so the gridlines get whole numbers."""
    if value <= 4:
        return 4
    step = 10 ** (len(str(value)) - 1)
    top = ((value + step - 1) // step) * step
    return top if top % 4 == 0 else ((top + 3) // 4) * 4


def line_chart(series: list[tuple[str, int]]) -> Chart:
    """``series`` is [(label, value)] in order; returns coordinates for the template."""
    top_value = _nice_max(max((v for _l, v in series), default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    count = len(series)

    def x(i: int) -> float:
        return round(LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2), 1)

    def y(v: int) -> float:
        return round(TOP + plot_h - plot_h * v / top_value, 1)

    dots = [(x(i), y(v), v, label) for i, (label, v) in enumerate(series)]
    every = max(1, count // 6)
    labels = [(x(i), label) for i, (label, _v) in enumerate(series) if i % every == 0]
    gridlines = [(y(top_value * k // 4), top_value * k // 4) for k in range(5)]
    return Chart(
        points=" ".join(f"{px},{py}" for px, py, _v, _l in dots),
        dots=dots,
        gridlines=gridlines,
        labels=labels,
    )
