"""A snapshot of Browse at 80x24 (fixed clock, fixed decks): a studied card
under the cursor, its info and history, one card selected."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from cuecards.paths import Paths
from tests.ui.conftest import AppFactory, settle
from tests.ui.test_browse_screen import make_leech


class TestBrowse:
    """Browse as a user rewriting a leech sees it."""

    def test_browse(
        self, snap_compare: Any, ui_app: AppFactory, ui_paths: Paths, clock: Any
    ) -> None:
        """Browse sorted by lapses: the leech first, its info and history, a selection."""
        make_leech(ui_paths, clock)

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("b")
            await settle(pilot)
            await pilot.press("o", "o")  # recall, then lapses
            await settle(pilot)
            await pilot.press("space", "up")
            await settle(pilot)

        assert snap_compare(ui_app(), terminal_size=(80, 24), run_before=run_before)
