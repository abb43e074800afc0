"""Bar charts for the console drawn as SVG on the server: axes with rounded ticks, a value over
each bar, a <title> per bar (the tooltip, read by screen readers), and the same figures as a
table beside it. Pure geometry: figures in, shapes out; the template only draws them.

Chosen over a charting library from npm: the numbers are the server's already, the page stays
free of script (the CSP allows only our own files), it prints, and a screen reader gets a title
per bar and a table, which canvas-based libraries do not give."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 260
LEFT = 88  # room for the y axis labels (¥1,000,000), also at the phone's larger text
RIGHT = 8
TOP = 16
BOTTOM = 28  # room for the day labels
TICKS = 4
NICE_STEPS = (1, 2, 2.5, 5, 10)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value_yen: int
    series: str  # css class: sales or redeemed


@dataclass(frozen=True)
class Group:
    label: str  # MM/DD under the bars
    full_label: str  # YYYY-MM-DD in the title
    centre: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Tick:
    y: float
    value_yen: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    right_edge: int
    baseline: float
    ticks: tuple[Tick, ...]
    groups: tuple[Group, ...]


def nice_top(peak: int) -> int:
    """The smallest round number (1, 2, 2.5 or 5 times a power of ten) times TICKS at or above
    `peak`, so the ticks read ¥0, ¥2,500, ¥5,000 ... rather than ¥0, ¥2,337 ..."""
    if peak <= 0:
        return TICKS * 1000
    magnitude = 1
    while magnitude * 10 <= peak / TICKS:
        magnitude *= 10
    for step in NICE_STEPS:
        if step * magnitude * TICKS >= peak:
            return int(step * magnitude * TICKS)
    return 10 * magnitude * TICKS


def day_label(day: str) -> str:
    """YYYY-MM-DD as MM/DD, under a day's bars."""
    return f"{day[5:7]}/{day[8:10]}"


def grouped_bars(
    days: Sequence[tuple[str, Sequence[tuple[str, int]]]],
    short_label: Callable[[str], str] = day_label,
) -> BarChart:
    """`days`: (YYYY-MM-DD, ((series, yen), ...)) in order; one group of bars per day. Other
    groups (months) name how their label is shortened under the bars (the title keeps it whole)."""
    peak = max([0] + [yen for _, series in days for _, yen in series])
    top = nice_top(peak)
    plot_h = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(days))
    per_group = max((len(series) for _, series in days), default=1)
    bar_w = slot * 0.7 / max(1, per_group)
    groups = []
    for index, (day, series) in enumerate(days):
        start = LEFT + index * slot + slot * 0.15
        bars = []
        for k, (name, yen) in enumerate(series):
            h = plot_h * yen / top
            bars.append(Bar(start + k * bar_w, baseline - h, bar_w * 0.92, h, yen, name))
        groups.append(Group(short_label(day), day, LEFT + (index + 0.5) * slot, tuple(bars)))
    ticks = tuple(Tick(baseline - plot_h * k / TICKS, top * k // TICKS) for k in range(TICKS + 1))
    return BarChart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, baseline, ticks, tuple(groups))
