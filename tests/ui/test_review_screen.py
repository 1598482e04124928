"""The review screen at 80x24: scrolling a long card, a truthful footer, the
"saved" line, and the status line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.widgets import TextArea

from cuecards.paths import Paths
from cuecards.ui.app import CuecardsApp, StartMode, make_app
from cuecards.ui.screens.review import ReviewScreen
from cuecards.ui.widgets.key_bar import KeyBar
from tests.ui.conftest import settle
from tests.ui.screen_text import screen_text
from tests.ui.test_review import state, uid_on

POINTS = [
    f"point number {n} about a rather long consideration of the product" for n in range(1, 10)
]
MODEL = "MODEL-ANSWER-START " + " ".join(f"Sentence {n} of the model answer." for n in range(30))
LONG_DRILL = [
    {
        "id": "case",
        "kind": "drill",
        "prompt": "Mock interview: design an AI writing assistant. Talk it through.",
        "points": POINTS,
        "answer": MODEL,
        "pass": 7,
        "time_limit": 480,
    }
]
LONG_TITLE = "The six constraints of an AI product, and how each one shapes the design"


@pytest.fixture
def long_app(
    tmp_home: Path, deck_dir: Path, make_deck: Callable[..., Path], clock: Any
) -> Callable[[], CuecardsApp]:
    """An app over one nine-point drill in a deck with a long title."""
    from cuecards.session import Service

    make_deck("pm/case", LONG_DRILL, title=LONG_TITLE)
    paths = Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False)
    with Service.open(paths, clock=clock) as svc:
        svc.set_setting("timezone", "UTC")
        svc.set_setting("fuzz", False)
        svc.sync()
    return lambda: make_app(
        paths, clock=clock, live_timer=False, start=StartMode(screen="review", deck="pm/case")
    )


def footer(app: CuecardsApp) -> str:
    """The footer's keys, its lines joined; each one also on the screen, whole."""
    text = app.screen.query_one(KeyBar).text
    rows = screen_text(app).rstrip("\n").splitlines()[-len(text.splitlines()) :]
    for shown, row in zip(text.splitlines(), rows, strict=True):
        assert row.strip() == shown
    return text.replace("\n", "  ")


async def test_long_grading_view_scrolls_by_keys(long_app: Callable[[], CuecardsApp]) -> None:
    app = long_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.state == "typing"
        screen.query_one("#typed").text = " ".join(POINTS[:8])  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert state(screen) == "graded"
        body = screen.query_one("#card", VerticalScroll)
        assert body.max_scroll_y > 0 and body.scroll_y == 0
        assert "MODEL-ANSWER-START" not in screen_text(app)
        assert "Scroll" in footer(app)
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y > 0
        assert "MODEL-ANSWER-START" in screen_text(app) or "Sentence 29" in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("up")
        await pilot.pause()
        paged = body.scroll_y
        await pilot.press("down")
        await pilot.pause()
        assert body.scroll_y == paged + 1
        # the rating is still one key away while scrolled
        await pilot.press("enter")
        await settle(pilot)
        assert screen.done == 1


async def test_short_card_offers_no_scrolling(ui_app: Any) -> None:
    app = ui_app("review", deck="t/recall")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert "Scroll" not in footer(app)


async def test_typing_footer_is_truthful_and_escape_never_ends(ui_app: Any) -> None:
    app = ui_app("review", deck="t/drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.in_box()
        keys = footer(app)
        # what works in the box is shown with keys that cannot be typed text
        for shown in ("^s Submit", "^r Undo", "^t Suspend", "^b Bury", "^o Edit", "esc Leave box"):
            assert shown in keys
        assert "End" not in keys and "? Help" not in keys
        await pilot.press("q", "u", "b", "?")  # letters are text in the box
        assert screen.query_one("#typed", TextArea).text == "qub?"
        assert screen.state == "typing"
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.in_box()
        keys = footer(app)
        assert "Leave box" not in keys and "q End" in keys and "^r Undo" in keys
        assert "tab Type" in keys and "? Help" in keys
        await pilot.press("tab")
        await pilot.pause()
        assert screen.in_box() and "Leave box" in footer(app)
        await pilot.press("escape", "escape", "escape")  # escape never ends a session
        await settle(pilot)
        assert app.screen is screen and screen.state == "typing"
        assert screen.query_one("#typed", TextArea).text == "qub?"  # nor loses the answer


async def test_q_after_leaving_the_box_ends(ui_app: Any) -> None:
    app = ui_app("review", deck="t/drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "q")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)


async def answer_and_rate(pilot: Any, screen: ReviewScreen, rating: str | None) -> None:
    """Reveal (or submit) the card on screen, then press ``rating`` if given."""
    if screen.state == "typing":
        await pilot.press("x", "ctrl+s")
    else:
        await pilot.press("space")
    if rating:
        await pilot.press(rating)
    await settle(pilot)


async def test_saved_line_speaks_of_the_previous_card_and_never_goes_stale(ui_app: Any) -> None:
    app = ui_app("review")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        first = uid_on(screen)
        await answer_and_rate(pilot, screen, "4")
        assert "✓ Saved · previous card: Easy" in screen_text(app)
        # revealing the next card: the line no longer speaks of anything on screen
        await answer_and_rate(pilot, screen, None)
        assert screen.state in ("answer", "graded")
        assert "Saved" not in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert uid_on(screen) == first and "Undone" in screen_text(app)
        if screen.in_box():
            await pilot.press("escape")
        await pilot.press("u")  # nothing left to undo: the line must not still say "Undone"
        await settle(pilot)
        assert any("Nothing to undo" in n.message for n in app._notifications)
        assert "Undone" not in screen_text(app)


async def test_status_line_keeps_kind_state_and_timer_before_a_long_title(
    long_app: Callable[[], CuecardsApp],
) -> None:
    app = long_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = screen_text(app).splitlines()[1]
        assert status.lstrip().startswith("drill · new")
        assert "⏱ 8:00 left" in status and "1 new" in status
        assert "The six constraints" in status and "…" in status  # the title, cut short
        assert LONG_TITLE not in status


def test_grading_header_reads_plainly() -> None:
    from types import SimpleNamespace
    from typing import cast

    from cuecards.grading import Grade
    from cuecards.ui.widgets.grade_view import render_grade

    points = [SimpleNamespace(text=f"point {n}", hit=n < 3, span=None) for n in range(5)]
    grade = cast("Grade", SimpleNamespace(points=points, hits=3, total=5, suggested=2))
    head = render_grade(grade, "typed", "model", needed=0).plain.splitlines()[0]
    # no `pass` on the card: the grader's default share (60 % of 5 -> 3) is shown
    assert head == "3 of 5 key points (3 needed) · suggested: Hard (enter)"
    head = render_grade(grade, "typed", "model", needed=4).plain.splitlines()[0]
    assert head.startswith("3 of 5 key points (4 needed)")
