"""Layout at 80x24 and 60x20 (nothing cut off) and at 200 columns (a readable
text width)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from cuecards.ui.screens.stats import StatsScreen
from cuecards.ui.widgets.key_bar import KeyBar
from tests.ui.conftest import AppFactory, settle
from tests.ui.screen_text import screen_text

SIZES = [(80, 24), (60, 20)]


def footer_is_whole(app: object) -> None:
    """Every footer line is on screen as it was laid out (no key cut off)."""
    from textual.app import App

    assert isinstance(app, App)
    text = app.screen.query_one(KeyBar).text
    lines = text.splitlines()
    assert 1 <= len(lines) <= 2
    shown = screen_text(app).rstrip("\n").splitlines()[-len(lines) :]
    assert [s.strip() for s in shown] == lines
    assert all(len(line) <= app.size.width - 2 for line in lines)


@pytest.mark.parametrize("size", SIZES)
async def test_home_shows_every_column_and_key(ui_app: AppFactory, size: tuple[int, int]) -> None:
    app = ui_app("home")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        header = next(line for line in screen_text(app).splitlines() if "Deck" in line)
        for column in ("Id", "New", "Learn", "Due", "Cards"):
            assert column in header
        footer_is_whole(app)
        assert "Quit" in app.screen.query_one(KeyBar).text


@pytest.mark.parametrize("size", SIZES)
async def test_rating_buttons_stay_one_line(ui_app: AppFactory, size: tuple[int, int]) -> None:
    app = ui_app("review", deck="t/recall")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        text = screen_text(app)
        row = next(line for line in text.splitlines() if "1 Again" in line)
        for label in ("1 Again · 1m", "2 Hard · 6m", "3 Good · 10m", "4 Easy"):
            assert label in row
        footer_is_whole(app)


@pytest.mark.parametrize("size", SIZES)
async def test_drill_footer_is_whole_in_the_box(ui_app: AppFactory, size: tuple[int, int]) -> None:
    app = ui_app("review", deck="t/drill")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        footer_is_whole(app)
        assert "Leave box" in app.screen.query_one(KeyBar).text


@pytest.mark.parametrize("size", SIZES)
async def test_stats_table_fits(ui_app: AppFactory, size: tuple[int, int]) -> None:
    app = ui_app("home")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await screen.loaded.wait()
        await settle(pilot)
        table = screen.query_one("#mastery", DataTable)
        assert table.virtual_size.width <= table.size.width
        footer_is_whole(app)


async def test_text_keeps_a_readable_width_at_200_columns(ui_app: AppFactory) -> None:
    app = ui_app("review", deck="t/recall")
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        card = app.screen.query_one("#card")
        assert card.size.width <= 110
        # centred: as much room on the left as on the right
        left = card.region.x
        assert abs(left - (200 - card.region.right)) <= 1
