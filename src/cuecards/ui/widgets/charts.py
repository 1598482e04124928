"""Charts for the stats screen: plotext plots filled from figures, and a small
calendar heatmap drawn with Rich text (one shaded block per study day)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from rich.text import Text
from textual.widgets import Static
from textual_plotext import PlotextPlot

#: shades from "nothing" to "a lot" (dim grey, then greens)
SHADES = ("#3a3a3a", "#0e4429", "#006d32", "#26a641", "#39d353")
WEEKDAYS = ("Mo", "", "We", "", "Fr", "", "Su")


def shade_level(count: int, peak: int) -> int:
    """0 for no reviews, else 1-4 by share of the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return 1 + min(3, (4 * (count - 1)) // peak)


def heatmap_text(days: Sequence[tuple[date, int]]) -> Text:
    """Seven rows (Monday on top), one column per week, oldest on the left."""
    text = Text()
    if not days:
        return text
    first = days[0][0]
    start = first - timedelta(days=first.weekday())
    counts = dict(days)
    last = days[-1][0]
    weeks = (last - start).days // 7 + 1
    peak = max(counts.values(), default=0)
    # Month initials above the week that holds its first day (the current
    # month's too, before its first Monday).
    header = ["   "]
    for w in range(weeks):
        monday = start + timedelta(weeks=w)
        sunday = monday + timedelta(days=6)
        begins = monday.day == 1 or sunday.month != monday.month
        header.append((sunday if begins else monday).strftime("%b")[:2] if begins else "  ")
    text.append("".join(header).rstrip() + "\n", style="dim")
    for row in range(7):
        text.append(f"{WEEKDAYS[row]:<3}", style="dim")
        for w in range(weeks):
            d = start + timedelta(weeks=w, days=row)
            if d < first or d > last:
                text.append("  ")
                continue
            text.append("■ ", style=SHADES[shade_level(counts.get(d, 0), peak)])
        text.append("\n")
    text.append("   less ", style="dim")
    for s in SHADES:
        text.append("■", style=s)
    text.append(" more", style="dim")
    return text


class CalendarHeatmap(Static):
    """The last months as a calendar, each day shaded by how many reviews it had."""

    DEFAULT_CSS = """
    CalendarHeatmap { height: auto; width: auto; padding: 0 1; }
    """

    def show_days(self, days: Sequence[tuple[date, int]]) -> None:
        """Draw ``(date, reviews)`` pairs, oldest first, one per day."""
        self.days = list(days)
        self.update(heatmap_text(self.days))


def _ticks(n: int, labels: Sequence[str], count: int = 4) -> tuple[list[int], list[str]]:
    step = max(1, n // count)
    pos = list(range(0, n, step))
    return pos, [labels[i] for i in pos]


def count_ticks(peak: float, count: int = 4) -> list[int]:
    """Whole-number y ticks from 0 up to at least ``peak``, at most ``count``
    steps of 1, 2 or 5 times a power of ten: counts are never fractional."""
    top = max(1, math.ceil(peak))
    step = 1
    while step * count < top:
        step = _next_step(step)
    return list(range(0, step * math.ceil(top / step) + 1, step))


def _next_step(step: int) -> int:
    """The step after ``step`` in 1, 2, 5, 10, 20, 50, ..."""
    digits = str(step)
    factor: int = {"1": 2, "2": 5, "5": 10}[digits[0]]
    return factor * int(10 ** (len(digits) - 1))


def draw_bars(
    plot: PlotextPlot, title: str, labels: Sequence[str], values: Sequence[float]
) -> None:
    """Replace the plot with bars, a few x labels, whole-number y ticks and the title."""
    plt = plot.plt
    plt.clear_figure()
    plt.title(title)
    x = list(range(len(values)))
    if x:
        plt.bar(x, list(values), marker="hd")
        at, names = _ticks(len(x), labels)
        plt.xticks([float(i) for i in at], names)
        ticks = count_ticks(max(values, default=0))
        plt.yticks([float(t) for t in ticks], [str(t) for t in ticks])
        plt.ylim(0, ticks[-1])
    plot.refresh()


def draw_retention(
    plot: PlotextPlot,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    target: float,
) -> None:
    """Weekly retention in percent (weeks without reviews left out) and the target."""
    plt = plot.plt
    plt.clear_figure()
    plt.title(title)
    pts = [(i, 100 * v) for i, v in enumerate(values) if v is not None]
    plt.ylim(0, 100)
    if values:
        plt.hline(100 * target, "red")
        at, names = _ticks(len(values), labels)
        plt.xticks([float(i) for i in at], names)
    if pts:
        plt.plot([p[0] for p in pts], [p[1] for p in pts], marker="braille")
    plot.refresh()
