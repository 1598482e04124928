"""Live reload: a deck file saved while the app is open is re-synced; what
changed is said in one line; a broken save keeps its cards and shows its
error; a removed card leaves the session; ``e`` and undo keep a half-typed
drill answer and its timer.

The reload handler is called directly (deterministic); one test drives the
real watcher in polling mode, waiting a bounded number of short pauses."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import TextArea

from cuecards.paths import Paths
from cuecards.ui.app import CuecardsApp, StartMode, make_app
from cuecards.ui.screens.review import ReviewScreen
from cuecards.ui.screens.review_live import GONE
from cuecards.ui.watch import is_deck_file, reload_line
from tests.ui.conftest import DRILL, RECALL, fresh_service, settle
from tests.ui.screen_text import screen_text

TWO = [*RECALL, {"id": "r2", "front": "Second front", "back": "Second back"}]


def app_over(paths: Paths, clock: Any, deck: str | None = None, editor: Any = None) -> CuecardsApp:
    extra = {"editor": editor} if editor else {}
    start = StartMode(screen="review", deck=deck) if deck else None
    return make_app(paths, clock=clock, live_timer=False, live_reload=False, start=start, **extra)


def test_reload_line_and_deck_files() -> None:
    p = [Path("a.yaml")]
    assert reload_line(p, 1, 2, 0, "") == "a.yaml reloaded: 1 added, 2 updated"
    assert reload_line(p, 0, 0, 1, "") == "a.yaml reloaded: 1 removed"
    assert reload_line(p, 0, 0, 0, "") == "a.yaml reloaded: no card changed"
    assert reload_line(p, 0, 0, 0, "a.yaml:3:5: bad") == "a.yaml did not load: a.yaml:3:5: bad"
    assert is_deck_file("x/deck.yaml") and is_deck_file("deck.yml")
    assert not is_deck_file(".deck.yaml.swp") and not is_deck_file("notes.txt")
    assert not is_deck_file(".#deck.yaml")


async def test_an_edited_save_is_resynced_and_said_in_one_line(
    ui_paths: Paths, clock: Any, make_deck: Callable[..., Path]
) -> None:
    app = app_over(ui_paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        edited = [{**RECALL[0], "back": "Changed back."}, TWO[1]]
        path = make_deck("t/recall", edited, title="Recall deck")
        line = await app.reload_decks([path])
        await settle(pilot)
        assert line == "recall.yaml reloaded: 1 added, 1 updated"
        row = next(x for x in screen_text(app).splitlines() if "Recall deck" in x)
        assert row.split()[-1] == "2"  # the Cards column
    with fresh_service(ui_paths, clock) as svc:
        assert svc.store.card_id_of("t/recall/r2") is not None


async def test_a_broken_save_keeps_its_cards_and_shows_file_line_col(
    ui_paths: Paths, clock: Any, make_deck: Callable[..., Path]
) -> None:
    app = app_over(ui_paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        path = make_deck("t/recall", "title: Recall deck\ncards:\n  - fronte: x\n    back: y\n")
        line = await app.reload_decks([path])
        await settle(pilot)
        assert line.startswith("recall.yaml did not load: ")
        assert "recall.yaml:3:" in line  # file:line:col of the bad key
        text = screen_text(app)
        assert "1 deck did not load (its cards keep their history)" in text
        flat = "".join(x.strip() for x in text.splitlines())  # a long path wraps
        assert "recall.yaml:3:5:" in flat
        row = next(x for x in text.splitlines() if "Recall deck" in x)
        assert row.split()[-1] == "1"  # the card is kept
    with fresh_service(ui_paths, clock) as svc:
        assert svc.store.card_state("t/recall/r1") is not None
        assert svc.start_session(deck="t/recall").next_card() is not None


async def test_a_card_deleted_from_its_file_leaves_the_session(
    ui_paths: Paths, clock: Any, make_deck: Callable[..., Path]
) -> None:
    make_deck("t/recall", TWO, title="Recall deck")
    app = app_over(ui_paths, clock, deck="t/recall")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        shown = screen.card.item.uid
        keep = next(c for c in TWO if f"t/recall/{c['id']}" != shown)
        path = make_deck("t/recall", [keep], title="Recall deck")
        line = await app.reload_decks([path])
        await settle(pilot)
        assert line == "recall.yaml reloaded: 1 removed"
        assert screen.card.item.uid == f"t/recall/{keep['id']}"
        assert GONE in screen_text(app)
        await pilot.press("space", "4")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)  # nothing else left
    with fresh_service(ui_paths, clock) as svc:
        gone = svc.store.card_state(shown)
        assert gone is not None and gone.reps == 0  # never rated, nothing came back
        assert svc.check().ok


async def test_a_removed_card_that_is_not_on_screen_leaves_quietly(
    ui_paths: Paths, clock: Any, make_deck: Callable[..., Path]
) -> None:
    make_deck("t/recall", TWO, title="Recall deck")
    app = app_over(ui_paths, clock, deck="t/recall")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        shown = screen.card.item.uid
        await pilot.press("space")  # revealed: the answer stays on screen
        keep = next(c for c in TWO if f"t/recall/{c['id']}" == shown)
        await app.reload_decks([make_deck("t/recall", [keep], title="Recall deck")])
        await settle(pilot)
        assert screen.card.item.uid == shown and screen.state == "answer"
        assert GONE not in screen_text(app)
        await pilot.press("4")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)  # the other card left


async def test_the_watcher_resyncs_a_save_by_itself(
    ui_paths: Paths, clock: Any, make_deck: Callable[..., Path], deck_dir: Path
) -> None:
    app = app_over(ui_paths, clock)
    lines: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        real = app.reload_decks

        async def spy(paths: list[Path]) -> str:
            line = await real(paths)
            lines.append(line)
            return line

        app.reload_decks = spy  # type: ignore[method-assign]
        app.watch_decks([deck_dir], force_polling=True)
        # Saved again until the watcher (whose first look at the folder takes
        # a moment) reports it: bounded, at most ~10 s on a very slow machine.
        for _ in range(50):
            make_deck("t/recall", TWO, title="Recall deck")
            for _ in range(4):
                await asyncio.sleep(0.05)
                await pilot.pause()
            if lines:
                break
        await settle(pilot)
        assert lines and lines[0] == "recall.yaml reloaded: 1 added"
    assert app.watcher is not None and app.watcher.error is None


DRILLS = [*copy.deepcopy(DRILL), {**copy.deepcopy(DRILL[0]), "id": "four", "prompt": "Four?"}]


async def test_e_keeps_the_half_typed_answer_and_the_timer(
    ui_paths: Paths, clock: Any, make_deck: Callable[..., Path]
) -> None:
    edits: list[int] = []

    def editor(path: Path, line: int) -> int:
        edits.append(line)
        return 0

    app = app_over(ui_paths, clock, deck="t/drill", editor=editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.state == "typing"
        await pilot.press(*"latency vs")
        clock.advance(seconds=20)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert edits
        assert screen.state == "typing"
        assert screen.query_one("#typed", TextArea).text == "latency vs"
        assert screen.card is not None
        kept = screen.kept_answer(screen.card)
        assert kept is not None and kept == ("latency vs", 20.0)


async def test_undo_of_a_drill_rating_keeps_the_answer_and_the_timer(
    ui_paths: Paths, clock: Any, make_deck: Callable[..., Path]
) -> None:
    make_deck("t/drill", DRILLS, title="Drill deck")
    app = app_over(ui_paths, clock, deck="t/drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        first = screen.card.item.uid
        await pilot.press(*"latency vs quality")
        clock.advance(seconds=30)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert screen.card.item.uid != first
        clock.advance(seconds=5)
        await pilot.press("ctrl+r")  # undo, from inside the next drill's box
        await settle(pilot)
        assert screen.card.item.uid == first and screen.state == "typing"
        assert screen.query_one("#typed", TextArea).text == "latency vs quality"
        kept = screen.kept_answer(screen.card)
        assert kept is not None and kept[1] == 30.0
