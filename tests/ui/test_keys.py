"""Keys that never surprise: every footer action works in every state of every
card kind (also inside a drill's answer box), esc never ends a session, q does
from outside the box, ? opens the keys of the screen, and what the screen says
after a rating, a failed save or an undo is true."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import pytest
from textual.widgets import ProgressBar, TextArea

from cuecards.errors import StoreError
from cuecards.paths import Paths
from cuecards.ui.screens.help import HelpScreen
from cuecards.ui.screens.home import HomeScreen
from cuecards.ui.screens.review import ReviewScreen
from cuecards.ui.screens.settings import SettingsScreen
from cuecards.ui.screens.stats import StatsScreen
from cuecards.ui.screens.summary import SummaryScreen
from tests.ui.conftest import AppFactory, fresh_service, settle
from tests.ui.screen_text import screen_text
from tests.ui.test_review import FIRST, SECOND, THIRD, uid_on


def review(app: Any) -> ReviewScreen:
    """The review screen on top, with a card on it."""
    screen = app.screen
    assert isinstance(screen, ReviewScreen) and screen.card is not None
    return screen


def on_top(app: Any) -> object:
    """The screen on top now."""
    return app.screen


def typed(screen: ReviewScreen) -> str:
    return screen.query_one("#typed", TextArea).text


@pytest.mark.parametrize(
    ("deck", "uid"),
    [("t/recall", "t/recall/r1"), ("t/cloze", "t/cloze/rule#c1"), ("t/drill", "t/drill/three")],
)
async def test_escape_never_ends_a_session(ui_app: AppFactory, deck: str, uid: str) -> None:
    app = ui_app("review", deck=deck)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = review(app)
        first_state = screen.state
        assert first_state == ("typing" if deck == "t/drill" else "question")
        if first_state == "typing":
            await pilot.press(*"cost vs coverage")
        await pilot.press("escape", "escape", "escape")
        await settle(pilot)
        assert app.screen is screen and uid_on(screen) == uid and screen.state == first_state
        # revealed (or graded): escape still does nothing to the session
        await pilot.press("space" if first_state == "question" else "ctrl+s")
        await settle(pilot)
        shown = screen.state
        assert shown == ("graded" if deck == "t/drill" else "answer")
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen is screen and uid_on(screen) == uid and screen.state == shown
        assert screen.done == 0
        # q is what ends it, from outside the answer box
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_keys_on_a_drill_right_after_a_rating(ui_app: AppFactory, deck_dir: Path) -> None:
    opened: list[Path] = []

    def editor(path: Path, line: int) -> int:  # noqa: ARG001
        opened.append(path)
        return 0

    app = ui_app("review", editor=editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = review(app)
        assert uid_on(screen) == FIRST
        await pilot.press("space", "4")
        await settle(pilot)
        # the next card is a drill and its answer box has the keys
        assert uid_on(screen) == SECOND and screen.in_box()
        await pilot.press(*"ub!e")  # letters are its text
        assert typed(screen) == "ub!e" and screen.state == "typing"
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert [p.resolve() for p in opened] == [(deck_dir / "t/drill.yaml").resolve()]
        assert uid_on(screen) == SECOND and screen.in_box()
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "Previous card suspended" in screen_text(app) and uid_on(screen) == THIRD
        await pilot.press("ctrl+r")  # the suspend is undone: the drill is back, in its box
        await settle(pilot)
        assert uid_on(screen) == SECOND and screen.in_box()
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert "buried until tomorrow" in screen_text(app) and uid_on(screen) == THIRD
        await pilot.press("ctrl+r", "ctrl+r")  # the bury, then the cloze's rating
        await settle(pilot)
        assert uid_on(screen) == FIRST and screen.done == 0


async def test_progress_counts_right_after_suspend_or_bury_and_undo(ui_app: AppFactory) -> None:
    app = ui_app("review")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = review(app)
        bar = screen.query_one("#progress", ProgressBar)
        await pilot.press("space", "4")  # one rating: 1 of 3
        await settle(pilot)
        assert (bar.progress, bar.total) == (1, 3)
        for aside in ("ctrl+t", "ctrl+b"):
            await pilot.press(aside)
            await settle(pilot)
            assert (bar.progress, bar.total) == (1, 2)  # the card is out of today
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert (bar.progress, bar.total) == (1, 3), aside
            assert uid_on(screen) == SECOND


async def test_a_failed_save_never_says_saved(
    ui_app: AppFactory, ui_paths: Paths, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ui_app("review", deck="t/recall")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = review(app)
        assert screen.session is not None

        def fail(*_args: object, **_kwargs: object) -> NoReturn:
            raise StoreError("the database is full")

        monkeypatch.setattr(type(screen.session), "rate", fail)
        await pilot.press("space", "3")
        await settle(pilot)
        assert "Saved" not in screen_text(app)
        assert any("the database is full" in n.message for n in app._notifications)
        assert screen.state == "answer" and screen.done == 0 and not screen.busy
        monkeypatch.undo()
        await pilot.press("3")  # the same card, rated again: now it is saved
        await settle(pilot)
        assert "✓ Saved · previous card: Good" in screen_text(app)
    with fresh_service(ui_paths, clock) as svc:
        assert svc.home().reviews_today == 1


async def test_question_mark_opens_the_keys_of_the_screen(ui_app: AppFactory) -> None:
    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Keys on the Home screen" in text and "Today's session over every deck" in text
        await pilot.press("escape")
        await pilot.press("s")
        await settle(pilot)
        screen = review(app)
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "Keys on the Review screen" in text
        assert "ctrl+r / u" in text and "Take back the last rating" in text
        await pilot.press("escape")
        await settle(pilot)
        assert on_top(app) is screen
        # in the drill's answer box ? is text; f1 opens the help
        await pilot.press("space", "4")
        await settle(pilot)
        assert screen.in_box()
        await pilot.press("question_mark")
        assert typed(screen) == "?" and not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert on_top(app) is screen and screen.in_box() and typed(screen) == "?"


async def test_every_screen_is_in_the_palette_by_name(ui_app: AppFactory) -> None:
    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for name, kind in (("Settings", SettingsScreen), ("Stats", StatsScreen)):
            await pilot.press("ctrl+p", *name, "enter")
            await settle(pilot)
            assert isinstance(app.screen, kind)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+p", *"Help", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_summary_escape_goes_home_not_out(ui_app: AppFactory) -> None:
    app = ui_app("review", deck="t/recall")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "4")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
