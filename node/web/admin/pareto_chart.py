"""The 80:20 curve for the console, drawn as SVG on the server (as charts.py draws the bars):
axes with ticks every 25 %, the curve as one polyline, a marked point per tenth with its <title>
(the tooltip, read by screen readers), and the top fifth's point picked out. Pure geometry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

WIDTH = 720
HEIGHT = 300
LEFT = 56
RIGHT = 16
TOP = 16
BOTTOM = 40
TICKS = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Point:
    percent: int  # the top so many % of paying customers
    share: Fraction  # the share of spend they made
    x: float
    y: float


@dataclass(frozen=True)
class ParetoChart:
    width: int
    height: int
    left: int
    right_edge: int
    top: int
    baseline: float
    ticks: tuple[tuple[int, float, float], ...]  # (percent, x, y)
    line: str  # the polyline's points
    marks: tuple[Point, ...]  # every tenth
    top20: Point | None


def pareto_chart(curve: Sequence[Fraction]) -> ParetoChart:
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h

    def place(percent: int, share: Fraction) -> Point:
        return Point(
            percent, share, LEFT + plot_w * percent / 100, baseline - plot_h * float(share)
        )

    points = [place(p, share) for p, share in enumerate(curve)]
    ticks = tuple((t, LEFT + plot_w * t / 100, baseline - plot_h * t / 100) for t in TICKS)
    return ParetoChart(
        WIDTH,
        HEIGHT,
        LEFT,
        WIDTH - RIGHT,
        TOP,
        baseline,
        ticks,
        " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points),
        tuple(p for p in points if p.percent % 10 == 0),
        points[20] if len(points) > 20 else None,
    )
