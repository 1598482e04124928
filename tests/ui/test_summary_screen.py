"""The summary says what comes back later today apart from tomorrow's load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App

import cuecards.ui.app as ui_app_module
from cuecards.ui.screens.review import ReviewScreen
from cuecards.ui.screens.summary import SummaryScreen, summary_content
from cuecards.ui.widgets.key_bar import KeyBar
from cuecards.views import SessionSummary
from tests.ui.conftest import settle
from tests.ui.screen_text import screen_text


def test_later_today_and_tomorrow_are_told_apart() -> None:
    text = summary_content(
        SessionSummary(done=3, due_later_today=2, due_tomorrow=5), empty=False
    ).plain
    assert "Due later today: 2" in text and "Due tomorrow: 5" in text


def test_a_used_up_new_card_limit_is_named() -> None:
    text = summary_content(SessionSummary(done=20, new_limit_reached=20), empty=False).plain
    assert "Today's 20 new cards are done" in text and "new_per_day" in text
    assert "new cards are done" not in summary_content(SessionSummary(done=2), False).plain


def test_zero_counts_read_plainly() -> None:
    text = summary_content(SessionSummary(done=1), empty=False).plain
    assert "Due later today" not in text and "Nothing due tomorrow." in text
    text = summary_content(SessionSummary(due_later_today=1), empty=True).plain
    assert "Nothing due right now." in text and "Due later today: 1" in text
    text = summary_content(SessionSummary(due_tomorrow=4), empty=True).plain
    assert "Nothing left for today." in text and "Due tomorrow: 4" in text


async def test_a_learning_card_shows_as_due_later_today(ui_app: Any) -> None:
    app = ui_app("review", deck="t/recall")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "3")  # Good on a new card: back in 10 minutes
        await settle(pilot)
        if isinstance(app.screen, ReviewScreen):
            await pilot.press("q")
            await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Due later today: 1" in text
        assert "Nothing due tomorrow." in text


class SummaryHost(App[None]):
    """A bare app with the app's styles, showing one summary."""

    CSS_PATH = str(Path(ui_app_module.__file__).parent / "app.tcss")

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary

    def on_mount(self) -> None:
        self.push_screen(SummaryScreen(self.summary))


FULL = SessionSummary(
    done=25,
    by_rating={1: 3, 2: 4, 3: 15, 4: 3},
    drill_points_hit=5,
    drill_points_total=8,
    seconds=700,
    due_later_today=4,
    due_tomorrow=30,
    new_limit_reached=20,
)


async def test_a_full_summary_box_fits_at_60x20_and_80x24() -> None:
    for size in ((60, 20), (80, 24)):
        app = SummaryHost(FULL)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            box = app.screen.query_one("#summary-box")
            keys = app.screen.query_one(KeyBar)
            assert box.region.bottom <= keys.region.y, size
            text = screen_text(app)
            assert "Back to home (enter)" in text and "Due tomorrow: 30" in text, size
