"""Whole sessions driven by keys, checked on screen and in the database."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.widgets import Button, DataTable

from cuecards.paths import Paths
from cuecards.ui.screens.home import HomeScreen
from cuecards.ui.screens.review import ReviewScreen
from cuecards.ui.screens.summary import SummaryScreen
from cuecards.ui.widgets.key_bar import KeyBar
from tests.ui.conftest import AppFactory, fresh_service, settle
from tests.ui.screen_text import screen_text

#: the order today's session over the three test decks shows them in
FIRST, SECOND, THIRD = "t/cloze/rule#c1", "t/drill/three", "t/recall/r1"


def state(screen: ReviewScreen) -> str:
    """The screen's state, read afresh (a key press changes it)."""
    return screen.state


def uid_on(screen: object) -> str:
    """The uid of the card on a review screen."""
    assert isinstance(screen, ReviewScreen) and screen.card is not None
    return screen.card.item.uid


def stored(paths: Paths, clock: Any, uid: str) -> tuple[int, str, int]:
    """(reviews today, the card's state, its reps) as a fresh process sees them."""
    with fresh_service(paths, clock) as svc:
        card = svc.start_session(uids=[uid]).next_card()
        return svc.home().reviews_today, card.state, card.reps


async def test_recall_reveal_rate_is_stored(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    app = ui_app("review", deck="t/recall")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.state == "question"
        text = screen_text(app)
        assert "When does a slower, better answer win?" in text
        assert "depth over speed" not in text
        await pilot.press("space")
        text = screen_text(app)
        assert "depth over speed" in text
        assert "3 Good · 10m" in text  # each rating shows the interval it gives
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert "1 card" in screen_text(app)
    assert stored(ui_paths, clock, "t/recall/r1")[:2] == (1, "review")


async def test_space_after_reveal_means_good(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    app = ui_app("review", deck="t/recall")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        await settle(pilot)
        assert "Saved · previous card: Good, next in 10m" in screen_text(app)
    assert stored(ui_paths, clock, "t/recall/r1")[1] == "learning"


async def test_cloze_shows_the_gap_then_the_word(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    app = ui_app("review", deck="t/cloze")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "system design is [...] with" in screen_text(app)
        await pilot.press("enter")
        assert "[product strategy]" in screen_text(app)
        await pilot.press("4")
        await settle(pilot)
    assert stored(ui_paths, clock, "t/cloze/rule#c1")[:2] == (1, "review")


async def test_drill_type_submit_grade_accept(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    app = ui_app("review", deck="t/drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.state == "typing"
        assert "1:30 left" in screen_text(app)  # the card's time_limit
        await pilot.press(*"quality versus latency, and cost/coverage")
        await pilot.press("ctrl+s")
        text = screen_text(app)
        assert state(screen) == "graded"
        assert "2 of 3 key points (2 needed) · suggested: " in text
        assert "✓ latency vs quality" in text and "✗ autonomy vs control" in text
        assert screen.grade is not None
        suggested, name = screen.grade.suggested, screen.grade.suggested_name
        # two of three points with two needed: Hard, so Good would be wrong
        assert suggested == 2
        assert screen.query_one(f"#rate-{suggested}").has_class("-suggested")
        assert "space Accept" in app.screen.query_one(KeyBar).text
        await pilot.press("enter")  # accept the suggested rating
        await settle(pilot)
        assert f"Saved · previous card: {name.title()}" in screen_text(app)
        # Hard keeps a new card in its learning steps: it is back at once
        assert isinstance(app.screen, ReviewScreen) and screen.card is not None
        assert screen.card.item.uid == "t/drill/three"
        await pilot.press("escape", "q")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert "Drill key points hit: 2/3" in screen_text(app)
        assert re.search(r"2 Hard +1 ", screen_text(app))  # the one rating given was Hard
    with fresh_service(ui_paths, clock) as svc:
        assert svc.home().reviews_today == 1


async def test_hit_words_are_highlighted(ui_app: AppFactory) -> None:
    app = ui_app("review", deck="t/drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"cost vs coverage", "ctrl+s")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        from cuecards.ui.widgets.grade_view import SPAN_STYLE, render_grade

        assert screen.grade is not None
        content = render_grade(screen.grade, screen.typed, "model", 2)
        marked = [content.plain[s.start : s.end] for s in content.spans if s.style == SPAN_STYLE]
        assert marked and "cost vs coverage".startswith(marked[0].lower()[:4])


async def test_undo_takes_the_rating_back(ui_app: AppFactory, ui_paths: Paths, clock: Any) -> None:
    app = ui_app("review")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert uid_on(screen) == FIRST
        await pilot.press("space", "4")
        await settle(pilot)
        assert uid_on(screen) == SECOND
        with fresh_service(ui_paths, clock) as svc:
            assert svc.home().reviews_today == 1
        # the next card is a drill: its answer box has focus, and undo still works
        assert isinstance(screen, ReviewScreen) and screen.in_box()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert uid_on(screen) == FIRST
        assert screen.state == "question"
        assert "Undone" in screen_text(app)
    with fresh_service(ui_paths, clock) as svc:
        assert svc.home().reviews_today == 0


async def test_suspend_and_bury_take_cards_out(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    app = ui_app("review")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert uid_on(screen) == FIRST
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "Previous card suspended" in screen_text(app)
        assert uid_on(screen) == SECOND
        assert isinstance(screen, ReviewScreen) and screen.in_box()
        await pilot.press("ctrl+b")  # from inside the drill's answer box
        await settle(pilot)
        assert "Previous card buried until tomorrow" in screen_text(app)
        assert uid_on(screen) == THIRD
    with fresh_service(ui_paths, clock) as svc:
        assert svc.home().totals.total == 1
        left = svc.start_session()
        card = left.next_card()
        assert card is not None and card.item.uid == THIRD


async def test_quit_mid_session_keeps_ratings(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "3 new" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert uid_on(screen) == FIRST
        await pilot.press("space", "4")
        await settle(pilot)
        assert uid_on(screen) == SECOND
        await pilot.press("escape", "q")  # out of the answer box, then end
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "1 card" in text and "due tomorrow" in text.lower()  # "Nothing due tomorrow."
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "1 reviewed today" in screen_text(app)
    with fresh_service(ui_paths, clock) as svc:
        assert svc.home().reviews_today == 1


async def test_home_lists_decks_and_a_broken_one(ui_app: AppFactory, make_deck: Any) -> None:
    make_deck("t/broken", "title: Broken\ncards:\n  - fronte: x\n    back: y\n")
    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")  # reload decks: the new file is read
        await settle(pilot)
        text = screen_text(app)
        for title in ("All decks", "Recall deck", "Cloze deck", "Drill deck"):
            assert title in text
        assert "did not load" in text and "fronte" in text


async def test_enter_on_a_deck_studies_it_alone(ui_app: AppFactory) -> None:
    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [
            row[0]
            for row in (app.screen.query_one("#decks", DataTable).get_row_at(i) for i in range(4))
        ]
        target = titles.index("Drill deck")
        await pilot.press(*["down"] * target, "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.deck == "t/drill"
        assert uid_on(screen) == "t/drill/three"


async def test_rating_buttons_work_with_the_mouse(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    app = ui_app("review", deck="t/recall")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click("#reveal")
        await pilot.click("#rate-4")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.click(Button)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert stored(ui_paths, clock, "t/recall/r1")[:2] == (1, "review")


async def test_edit_opens_the_deck_and_resyncs(ui_app: AppFactory, deck_dir: Path) -> None:
    seen: list[tuple[Path, int]] = []

    def editor(path: Path, line: int) -> int:
        seen.append((path, line))
        path.write_text(path.read_text().replace("depth over speed", "depth, not speed"))
        return 0

    app = ui_app("review", deck="t/recall", editor=editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert seen and seen[0][0].resolve() == (deck_dir / "t/recall.yaml").resolve()
        assert seen[0][1] >= 1
        await pilot.press("space")
        assert "depth, not speed" in screen_text(app)


async def test_command_palette_offers_the_screens(ui_app: AppFactory) -> None:
    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for name in ("Home", "Review", "Stats", "Settings", "Help"):
            assert name in titles
        await pilot.press("ctrl+p", *"Review", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_review_of_an_unknown_deck_is_a_clear_error(ui_app: AppFactory) -> None:
    app = ui_app("review", deck="t/nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert app.startup_error is not None and "no deck 't/nope'" in app.startup_error.msg
    assert app.return_code == 2
