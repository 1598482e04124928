"""The Browse screen driven by keys: open it (palette, home), search and filter,
sort, select, each action, the info panel and history, the leeches key on
home, and nothing cut off at 80x24 and 60x20."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from textual.screen import Screen
from textual.widgets import Input

from cuecards.paths import Paths
from cuecards.session import Service
from cuecards.ui.app import CuecardsApp
from cuecards.ui.screens.browse import BrowseScreen
from cuecards.ui.screens.home import HomeScreen
from cuecards.ui.screens.review import ReviewScreen
from cuecards.ui.widgets.key_bar import KeyBar
from tests.ui.conftest import AppFactory, settle
from tests.ui.screen_text import screen_text

RECALL = "t/recall/r1"
DRILL = "t/drill/three"
CLOZE = "t/cloze/rule#c1"


def service_of(app: CuecardsApp) -> Service:
    svc = app.backend.service
    assert svc is not None
    return svc


def make_leech(paths: Paths, clock: Any, uid: str = RECALL) -> None:
    """Rate ``uid`` good, good, again (one lapse) with a leech threshold of 1."""
    with Service.open(paths, clock=clock) as svc:
        svc.set_setting("leech_threshold", 1)
        for rating in (3, 3, 1):
            s = svc.start_session(uids=[uid])
            assert s.next_card() is not None
            s.rate(uid, rating, 5000, answer=None)


async def open_browse(pilot: Any, query: str = "") -> BrowseScreen:
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BrowseScreen)
    if query:
        await search(pilot, query)
    return screen


async def search(pilot: Any, query: str) -> None:
    await pilot.press("slash")
    box = pilot.app.screen.query_one("#query", Input)
    assert box.has_focus
    box.value = query
    await pilot.press("enter")
    await settle(pilot)


def listed(screen: BrowseScreen) -> list[str]:
    assert screen.page is not None
    return [i.uid for i in screen.page.items]


async def test_opens_from_home_and_palette_and_lists_every_card(ui_app: AppFactory) -> None:
    app = ui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        assert sorted(listed(screen)) == sorted([RECALL, DRILL, CLOZE])
        text = screen_text(app)
        assert "1–3 of 3 · sort due" in text and "slower, better answer" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        names = [c.title for c in app.get_system_commands(cast("Screen[object]", app.screen))]
        assert "Browse" in names


async def test_search_is_fuzzy_and_filters_combine(ui_app: AppFactory) -> None:
    app = ui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot, "slowr answr")
        assert listed(screen)[0] == RECALL
        await search(pilot, "kind:drill")
        assert listed(screen) == [DRILL]
        await search(pilot, "deck:t/cloze is:new")
        assert listed(screen) == [CLOZE]
        await search(pilot, "is:nonsense")
        assert "states are" in screen_text(app) and screen.page is None


async def test_sort_key_cycles_due_recall_lapses_last(ui_app: AppFactory) -> None:
    app = ui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        seen = []
        for _ in range(4):
            await pilot.press("o")
            await settle(pilot)
            assert screen.page is not None
            seen.append(screen.page.query.order)
        assert seen == ["recall", "lapses", "last", "due"]
        assert "sort due" in screen_text(app)


async def test_info_panel_shows_state_recall_and_history(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    make_leech(ui_paths, clock)
    app = ui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(pilot, "slower answer")
        text = screen_text(app)
        assert "t/recall:" in text and "recall now" in text and "leech" in text
        panel = str(app.screen.query_one("#info-text").render())
        assert panel.count("good") == 2 and "again" in panel and "5s" in panel


async def test_select_then_suspend_unsuspend_bury_and_forget(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    make_leech(ui_paths, clock)
    app = ui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot, "sort:lapses")
        first, second = listed(screen)[:2]
        await pilot.press("space", "space")  # select two rows
        assert screen.selected == {first, second} and "2 selected" in screen_text(app)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        svc = service_of(app)
        assert sorted(c.uid for c in svc.suspended_cards()) == sorted([first, second])
        assert screen.selected == set()
        # the cursor's card alone when nothing is selected; all suspended: unsuspend
        await search(pilot, "is:suspended")
        await pilot.press("space", "space", "exclamation_mark")
        await settle(pilot)
        assert svc.suspended_cards() == []
        await search(pilot, "")
        await pilot.press("b")
        await settle(pilot)
        assert len(svc.browse(svc.browse_query("is:buried")).items) == 1
        await search(pilot, "is:leech")
        assert listed(screen) == [RECALL]
        await pilot.press("f")  # asks first
        await settle(pilot)
        state = svc.store.card_state(RECALL)
        assert state is not None and state.reps == 3
        await pilot.press("f")
        await settle(pilot)
        state = svc.store.card_state(RECALL)
        assert state is not None and state.reps == 0 and svc.check().ok
        assert svc.store.review_count() == 3 and listed(screen) == []


async def test_edit_opens_the_cards_file_at_its_line(ui_app: AppFactory) -> None:
    opened: list[tuple[Path, int]] = []

    def editor(path: Path, line: int) -> int:
        opened.append((path, line))
        return 0

    app = ui_app(editor=editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(pilot, "kind:drill")
        await pilot.press("e")
        await settle(pilot)
        assert len(opened) == 1
        path, line = opened[0]
        assert path.name == "drill.yaml" and line > 0
        assert isinstance(app.screen, BrowseScreen)


async def test_study_the_selection_now(ui_app: AppFactory) -> None:
    app = ui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(pilot, "kind:cloze")
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.card is not None and screen.card.item.uid == CLOZE


async def test_leeches_on_home_open_in_browse(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    app = ui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#leeches").display
        assert "Leeches" not in app.screen.query_one(KeyBar).text
        await pilot.press("l")  # no leeches: nothing happens
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    make_leech(ui_paths, clock)
    app = ui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "⚑ 1 leech: t/recall/r1" in text and "l Leeches" in text
        await pilot.press("l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen) and listed(screen) == [RECALL]
        assert screen.query_one("#query", Input).value == "is:leech sort:lapses"


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_nothing_cut_off(ui_app: AppFactory, size: tuple[int, int]) -> None:
    app = ui_app()
    async with app.run_test(size=size) as pilot:
        await open_browse(pilot)
        text = screen_text(app)
        lines = text.splitlines()
        assert len(lines) == size[1]
        keys = app.screen.query_one(KeyBar).text
        for word in ("Find", "Sort", "Select", "Suspend", "Bury", "Forget", "Edit", "Study"):
            assert word in keys and word in text
        assert "of 3" in text and "Rec" in text and "Lap" in text
        assert "recall now" in text


async def test_the_table_is_paged(ui_app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only one page of rows is in the table; running off an end fetches the next."""
    import cuecards.ui.screens.browse as browse

    monkeypatch.setattr(browse, "PAGE", 2)
    app = ui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_browse(pilot)
        assert screen.page is not None and len(screen.page.items) == 2
        whole = listed(screen)
        await pilot.press("down", "down")  # off the end of the first page
        await settle(pilot)
        assert screen.page.offset == 2 and len(listed(screen)) == 1
        assert "3–3 of 3" in screen_text(app)
        whole += listed(screen)
        assert sorted(whole) == sorted([RECALL, DRILL, CLOZE])
        await pilot.press("up")  # back to the first page, on its last row
        await settle(pilot)
        assert screen.page.offset == 0 and screen.current() is not None
        assert screen.current().uid == whole[1]  # type: ignore[union-attr]
