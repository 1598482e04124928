"""The stats screen over a small history: it paints, fills its table, and
enter on a row asks for a session on that deck's weakest cards."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from textual.app import App
from textual.widgets import DataTable
from textual_plotext import PlotextPlot

from cuecards.ui.screens.stats import StatsScreen
from cuecards.ui.widgets.charts import CalendarHeatmap, count_ticks
from tests.ui.conftest import AppFactory, settle
from tests.ui.screen_text import screen_text


def study_everything(svc: Any, clock: Any) -> None:
    """Rate every card of today's queue Good until the queue is empty (5 cards, each
    twice: the learning step and then into review; two siblings wait)."""
    session = svc.start_session()
    while (card := session.next_card()) is not None:
        session.rate(card.item.uid, 3, 4000)
        clock.advance(minutes=11)


async def loaded(pilot: Any) -> StatsScreen:
    """Wait (bounded) until the stats screen shows its figures."""
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    await asyncio.wait_for(screen.loaded.wait(), timeout=30)
    await settle(pilot)
    return screen


class Host(App[None]):
    """A bare app showing only the stats screen over a given service."""

    def __init__(self, svc: Any) -> None:
        super().__init__()
        self.svc = svc
        self.studied: list[tuple[list[str], str]] = []

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(self.svc, on_study=self.record))

    def record(self, uids: list[str], label: str) -> None:
        self.studied.append((uids, label))


async def test_stats_screen_shows_table_and_starts_weakest(service: Any, clock: Any) -> None:
    study_everything(service, clock)
    app = Host(service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert screen.stats is not None and screen.stats.reviews == 10
        table = screen.query_one("#mastery", DataTable)
        # one deck (basics) and no tags in the sample deck
        assert table.row_count == 1
        assert table.get_row_at(0)[:4] == ["deck", "Basics", 7, 5]
        text = screen_text(app)
        assert "10 reviews" in text and "streak 1" in text
        heat = screen.query_one(CalendarHeatmap)
        assert heat.days[-1][1] == 10  # today's square carries today's reviews
        await pilot.press("enter")
        await settle(pilot)
    assert len(app.studied) == 1
    uids, label = app.studied[0]
    assert label == "weakest of deck basics"
    # the five studied cards by lowest recall first, then the two siblings that
    # were held back today (never studied), in deck order
    assert len(uids) == 7
    assert uids[5:] == ["basics/hello#reverse", "basics/rule#c2"]


async def test_stats_screen_empty_history(service: Any) -> None:
    app = Host(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert "0 reviews" in screen_text(app)
        table = app.screen.query_one("#mastery", DataTable)
        assert table.get_row_at(0)[:5] == ["deck", "Basics", 7, 0, "–"]  # no recall yet


async def test_stats_screen_from_the_app(ui_app: AppFactory) -> None:
    """`t` on the home screen opens the stats screen."""
    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, StatsScreen)
        await loaded(pilot)
        table = app.screen.query_one("#mastery", DataTable)
        names = {table.get_row_at(i)[1] for i in range(table.row_count)}
        assert {"Recall deck", "Cloze deck", "Drill deck"} <= names
        # enter on a row: the app starts a session on that deck's weakest cards
        await pilot.press("enter")
        await settle(pilot)
        from cuecards.ui.screens.review import ReviewScreen

        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.uids and len(app.screen.uids) == 1


def test_count_ticks_are_whole_numbers() -> None:
    """Count charts get integer y ticks (not 12.7, 15.8, 19.0) reaching the peak."""
    assert count_ticks(0) == [0, 1]
    assert count_ticks(3) == [0, 1, 2, 3]
    assert count_ticks(19) == [0, 5, 10, 15, 20]
    assert count_ticks(101) == [0, 50, 100, 150]
    for peak in (1, 7, 19, 64, 999, 12345):
        ticks = count_ticks(peak)
        assert all(isinstance(t, int) for t in ticks) and ticks[-1] >= peak
        assert len(ticks) <= 6


async def test_count_charts_label_whole_numbers(service: Any, clock: Any) -> None:
    study_everything(service, clock)
    app = Host(service)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await loaded(pilot)
        plot = screen.query_one("#plot-reviews", PlotextPlot)
        plot.plt.plotsize(60, 15)
        drawn = plot.plt.build()
        # today's 10 reviews: ticks 0, 5, 10 and no decimals on the axis
        assert "10" in drawn and not re.search(r"\d\.\d", drawn)
        table = screen.query_one("#mastery", DataTable)
        heads = [str(c.label) for c in table.columns.values()]
        assert heads[2:] == ["Cards", "Studied", "Recall now", "Recall in 7d", "Lapses", "Mature"]
        row = table.get_row_at(0)
        assert row[4] == "100.0%"  # everything was just studied
        assert row[5] not in ("–", "100.0%")  # but a week on some of it fades


async def test_at_60x20_the_table_shows_its_rows_and_long_names_end_in_an_ellipsis(
    ui_app: AppFactory, make_deck: Any
) -> None:
    long = "The shape of a strong answer to a product question"
    make_deck("t/long", [{"id": "a", "front": "Q?", "back": "A."}], title=long)
    app = ui_app("home")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        screen = await loaded(pilot)
        table = screen.query_one("#mastery", DataTable)
        assert table.row_count == 4
        text = screen_text(app)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        # every row in the first screenful, each name whole or cut with an ellipsis
        assert all(name in text for name in names)
        cut_name = next(n for n in names if n.startswith("The s"))
        assert cut_name.endswith("…") and long.startswith(cut_name[:-1])


async def test_stats_help_names_enter_and_scrolling_and_pgdn_scrolls(ui_app: AppFactory) -> None:
    app = ui_app("home")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        screen = await loaded(pilot)
        body = screen.query_one("#stats-body")
        await pilot.press("pagedown")
        await settle(pilot)
        assert body.scroll_y > 0  # the table's focus does not keep the screen still
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "enter" in text and "Study the weakest" in text
        assert "pgdn" in text and "pgup" in text


def test_the_calendar_labels_the_current_month_before_its_first_monday() -> None:
    from datetime import date, timedelta

    from cuecards.ui.widgets.charts import heatmap_text

    today = date(2026, 12, 4)  # a Friday; December began on a Tuesday
    days = [(today - timedelta(days=n), 0) for n in range(7 * 17 - 1, -1, -1)]
    header = heatmap_text(days).plain.splitlines()[0]
    assert header.split()[-1] == "De"
