"""The candidate corrects the grader in the grading view: a point's letter
flips it, the suggestion follows, and the corrected grade is stored."""

from __future__ import annotations

from cuecards.ui.screens.review import ReviewScreen
from cuecards.ui.screens.summary import SummaryScreen
from tests.ui.conftest import AppFactory, settle
from tests.ui.screen_text import screen_text


async def test_a_toggled_point_changes_the_suggestion_and_is_stored(ui_app: AppFactory) -> None:
    app = ui_app("review", deck="t/drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert str(screen.state) == "typing"
        # the paraphrase names autonomy and control without "vs": the grader misses it
        await pilot.press(*"latency vs quality, cost vs coverage, and let the agent act alone")
        await pilot.press("ctrl+s")
        assert str(screen.state) == "graded"
        text = screen_text(app)
        assert "2 of 3 key points" in text and "d ✗ autonomy vs control" in text
        await pilot.press("d")  # the third point's letter
        await settle(pilot)
        text = screen_text(app)
        # every point now, and quick: Easy (the clock in these tests barely moves)
        assert screen.grade is not None
        assert screen.grade.suggested >= 3
        name = screen.grade.suggested_name.title()
        assert "3 of 3 key points" in text and f"suggested: {name}" in text
        assert "d ✓* autonomy vs control" in text and "marked by you" in text
        assert screen.grade.points[2].claimed
        await pilot.press("d", "d")  # off and on again: the same as one press
        await settle(pilot)
        assert screen.grade is not None
        assert screen.grade.hits == 3
        await pilot.press("enter")
        await settle(pilot)
        if isinstance(app.screen, ReviewScreen):
            await pilot.press("escape", "q")
            await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert "Drill key points hit: 3/3" in screen_text(app)


async def test_letters_do_nothing_while_typing(ui_app: AppFactory) -> None:
    app = ui_app("review", deck="t/drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"add data")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.state == "typing" and screen.grade is None
        assert screen.query_one("#typed").text == "add data"  # type: ignore[attr-defined]
