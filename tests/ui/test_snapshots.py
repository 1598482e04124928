"""Snapshots of the main screens at 80x24 (fixed clock, fixed decks, no live timer)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from tests.ui.conftest import AppFactory, settle


def graded_drill(theme: str | None = None) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Type a two-of-three answer into the drill and submit it (in ``theme``)."""

    async def run_before(pilot: Pilot[None]) -> None:
        if theme:
            pilot.app.theme = theme
        await settle(pilot)
        pilot.app.screen.query_one("#typed").text = (  # type: ignore[attr-defined]
            "Latency versus quality, and cost/coverage."
        )
        await pilot.press("ctrl+s")
        await pilot.pause()

    return run_before


class TestScreens:
    """The screens a candidate sees every day."""

    def test_home(self, snap_compare: Any, ui_app: AppFactory) -> None:
        """Home: today's counts, streak, and the deck table."""
        assert snap_compare(ui_app("home"), terminal_size=(80, 24), run_before=settle)

    def test_recall_revealed(self, snap_compare: Any, ui_app: AppFactory) -> None:
        """A recall card after reveal: the answer and the four ratings with intervals."""

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("space")
            await pilot.pause()

        assert snap_compare(
            ui_app("review", deck="t/recall"), terminal_size=(80, 24), run_before=run_before
        )

    def test_drill_grading_light(self, snap_compare: Any, ui_app: AppFactory) -> None:
        """The grading view in the light theme: highlights still read."""
        assert snap_compare(
            ui_app("review", deck="t/drill"),
            terminal_size=(80, 24),
            run_before=graded_drill(theme="textual-light"),
        )

    def test_drill_grading(self, snap_compare: Any, ui_app: AppFactory) -> None:
        """A graded drill: points hit and missed, the answer highlighted, the suggestion."""
        assert snap_compare(
            ui_app("review", deck="t/drill"), terminal_size=(80, 24), run_before=graded_drill()
        )

    def test_summary(self, snap_compare: Any, ui_app: AppFactory) -> None:
        """The end of a session: ratings used, drill points, what is due tomorrow."""

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            for _ in range(3):
                screen = pilot.app.screen
                if getattr(screen, "state", "") == "typing":
                    screen.query_one("#typed").text = "latency vs quality"  # type: ignore[attr-defined]
                    await pilot.press("ctrl+s", "4")
                elif getattr(screen, "state", "") == "question":
                    await pilot.press("space", "4")
                await settle(pilot)

        assert snap_compare(ui_app("review"), terminal_size=(80, 24), run_before=run_before)


def pressed(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Settle, press ``keys``, settle again."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


class TestHelpAndSettings:
    """The help screen over a card, and the settings screen, at 80x24."""

    def test_help_on_review(self, snap_compare: Any, ui_app: AppFactory) -> None:
        """? on a recall card: the review keys, ctrl chords first, nothing cut off."""
        assert snap_compare(
            ui_app("review", deck="t/recall"),
            terminal_size=(80, 24),
            run_before=pressed("question_mark"),
        )

    def test_help_on_home(self, snap_compare: Any, ui_app: AppFactory) -> None:
        """? on the home screen: its keys and the note on enter."""
        assert snap_compare(
            ui_app("home"), terminal_size=(80, 24), run_before=pressed("question_mark")
        )

    def test_settings(self, snap_compare: Any, ui_app: AppFactory) -> None:
        """, on the home screen: each setting, its value and its one-line help."""
        assert snap_compare(ui_app("home"), terminal_size=(80, 24), run_before=pressed("comma"))
