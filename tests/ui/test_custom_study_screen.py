"""Custom study from the home screen: each kind, run as a user would, and what
it does to the schedule (due dates, daily counts, the review log)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cuecards.paths import Paths
from cuecards.service.custom import KINDS
from cuecards.ui.app import CuecardsApp, make_app
from cuecards.ui.screens.custom_study import CHANGES, CRAM, CustomStudyScreen
from cuecards.ui.screens.review import ReviewScreen
from cuecards.ui.screens.summary import SummaryScreen
from tests.ui.conftest import fresh_service, settle
from tests.ui.screen_text import screen_text

UIDS = ("t/recall/r1", "t/cloze/rule#c1", "t/drill/three")


def app_over(paths: Paths, clock: Any) -> CuecardsApp:
    return make_app(paths, clock=clock, live_timer=False, live_reload=False)


def state_of(paths: Paths, clock: Any) -> tuple[dict[str, int], tuple[int, int], int]:
    """Every card's due time, today's (new, review) counts, reviews in the log."""
    with fresh_service(paths, clock) as svc:
        dues = {}
        for uid in UIDS:
            st = svc.store.card_state(uid)
            assert st is not None, uid
            dues[uid] = int(st.due.timestamp())
        return dues, svc.store.done_today(svc.today()), svc.store.review_count()


def study_everything(paths: Paths, clock: Any, first: int = 1) -> None:
    """Every card rated ``first`` and then Easy until the session ends."""
    with fresh_service(paths, clock) as svc:
        s = svc.start_session()
        seen: set[str] = set()
        while (view := s.next_card()) is not None:
            uid = view.item.uid
            s.rate(uid, first if uid not in seen else 4, 1000)
            seen.add(uid)
        assert seen == set(UIDS)


async def rate_through(pilot: Any, rating: str = "3", limit: int = 12) -> int:
    """Rate every card the session shows; returns how many were rated."""
    app = pilot.app
    n = 0
    while isinstance(app.screen, ReviewScreen) and n < limit:
        screen = app.screen
        if screen.state == "typing":
            await pilot.press(*"latency vs quality", "ctrl+s")
        elif screen.state == "question":
            await pilot.press("space")
        await settle(pilot)
        await pilot.press(rating)
        await settle(pilot)
        n += 1
    return n


async def open_custom(pilot: Any, index: int, number: str = "", scope: str = "") -> None:
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CustomStudyScreen)
    await pilot.press(*["down"] * index)
    if number:
        await pilot.press("tab", *number)
    if scope:
        screen = pilot.app.screen
        screen.query_one("#scope").focus()
        await pilot.press(*scope)
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_screen_says_which_kinds_change_the_schedule(
    ui_paths: Paths, clock: Any, size: tuple[int, int]
) -> None:
    app = app_over(ui_paths, clock)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        text = screen_text(app)
        for k in KINDS:
            assert k.title in text
        assert text.count(CHANGES) == 3 and text.count(CRAM) == 3
        assert "Changes the schedule: ratings are real reviews." in text
        await pilot.press("down", "down", "down")
        assert "Cram: not saved as reviews" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.sub_title == "Home"


# (list index, number, deck or #tag, days later, ratings written?)
CASES = {
    "ahead": (1, "30", "", 0, True),
    "drills": (2, "", "", 30, True),
    "scope": (3, "5", "t", 1, False),
    "failed": (4, "", "", 0, False),
    "weakest": (5, "5", "", 1, False),
}


@pytest.mark.parametrize("kind", list(CASES))
async def test_each_kind_and_its_effect_on_the_schedule(
    ui_paths: Paths, clock: Any, kind: str
) -> None:
    index, number, scope, later, real = CASES[kind]
    assert KINDS[index].kind == kind and KINDS[index].changes_schedule == real
    study_everything(ui_paths, clock)  # all rated Again, then Easy
    clock.advance(days=later)
    before = state_of(ui_paths, clock)
    app = app_over(ui_paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_custom(pilot, index, number, scope)
        assert isinstance(app.screen, ReviewScreen), screen_text(app)
        rated = await rate_through(pilot, "3")
        assert isinstance(app.screen, SummaryScreen)
    after = state_of(ui_paths, clock)
    if kind == "drills":
        assert rated == 1
    else:
        assert rated == 3
    if real:
        assert after[2] == before[2] + rated
        assert sum(after[0][u] != before[0][u] for u in UIDS) == rated
    else:
        assert after == before  # no due date, no daily count, no review changed
    with fresh_service(ui_paths, clock) as svc:
        assert svc.check().ok


@pytest.mark.parametrize("from_tomorrow", [False, True])
async def test_more_new_today_and_tomorrows_limit(
    ui_paths: Paths, clock: Any, make_deck: Callable[..., Path], from_tomorrow: bool
) -> None:
    make_deck("t/many", [{"id": f"n{i}", "front": f"q{i}", "back": "a"} for i in range(10)])
    with fresh_service(ui_paths, clock) as svc:
        svc.sync()
        svc.set_setting("new_per_day", 2)
        s = svc.start_session(deck="t/many")
        while (view := s.next_card()) is not None:
            s.rate(view.item.uid, 4, 1000)
        assert svc.home().totals.new == 0
    app = app_over(ui_paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("tab", *"3", "tab")
        await pilot.press("tab")  # past the deck field, onto the checkbox
        if from_tomorrow:
            await pilot.press("space")
        assert app.screen.query_one("#tomorrow").value is from_tomorrow  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await rate_through(pilot, "4") == 3
    with fresh_service(ui_paths, clock) as svc:
        assert svc.store.done_today(svc.today())[0] == 2 + 3
        clock.advance(days=1)
        assert svc.start_session(deck="t/many").remaining().new == (0 if from_tomorrow else 2)


async def test_a_bad_number_or_scope_is_said_on_the_screen(ui_paths: Paths, clock: Any) -> None:
    app = app_over(ui_paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_custom(pilot, 3)  # one deck or tag, none named
        assert isinstance(app.screen, CustomStudyScreen)
        assert "name a deck, or a tag as #tag" in screen_text(app)
        app.screen.query_one("#scope").focus()
        await pilot.press(*"nope", "ctrl+s")
        await settle(pilot)
        assert app.screen.sub_title == "Home"  # the error is said in a notification
        assert not any(isinstance(s, ReviewScreen) for s in app.screen_stack)
