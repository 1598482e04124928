"""The home screen's deck table at 80x24: ids beside titles, titles cut with an
ellipsis, and the load-error heading in the right number."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from cuecards.paths import Paths
from cuecards.ui.app import CuecardsApp, make_app
from tests.ui.conftest import RECALL, settle
from tests.ui.screen_text import screen_text

LONG = "What large scale changes for an AI product used by many millions of people"


def home_app(tmp_home: Path, deck_dir: Path, clock: Any) -> CuecardsApp:
    paths = Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False)
    return make_app(paths, clock=clock, live_timer=False)


async def test_same_titles_are_told_apart_by_id_and_long_titles_end_in_ellipsis(
    tmp_home: Path, deck_dir: Path, make_deck: Callable[..., Path], clock: Any
) -> None:
    make_deck("pm/trade-offs", RECALL, title="Trade-offs")
    make_deck("mine/trade-offs", RECALL, title="Trade-offs")
    make_deck("pm/large", RECALL, title=LONG)
    app = home_app(tmp_home, deck_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        rows = [line for line in lines if "Trade-offs" in line]
        assert len(rows) == 2
        assert any("pm/trade-offs" in r for r in rows)
        assert any("mine/trade-offs" in r for r in rows)
        large = next(line for line in lines if "What large scale" in line)
        assert LONG not in large and "…" in large and "pm/large" in large


async def test_load_error_heading_counts_right(
    tmp_home: Path, deck_dir: Path, make_deck: Callable[..., Path], clock: Any
) -> None:
    make_deck("t/ok", RECALL, title="Fine")
    make_deck("t/broken1", "title: Broken\ncards:\n  - fronte: x\n    back: y\n")
    app = home_app(tmp_home, deck_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "1 deck did not load (its cards keep their history)" in screen_text(app)
        make_deck("t/broken2", "title: Broken\ncards:\n  - fronte: x\n    back: y\n")
        await pilot.press("r")
        await settle(pilot)
        assert "2 decks did not load (their cards keep their history)" in screen_text(app)


async def test_interview_countdown_and_expected_recall(
    tmp_home: Path, deck_dir: Path, make_deck: Callable[..., Path], clock: Any
) -> None:
    from cuecards.session import Service

    make_deck("t/ok", RECALL, title="Fine")
    paths = Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False)
    with Service.open(paths, clock=clock) as svc:
        svc.sync()
        svc.set_setting("interview_date", (clock() + timedelta(days=12)).date().isoformat())
        session = svc.start_session()
        while (card := session.next_card()) is not None:
            session.rate(card.item.uid, 4, 2000)
        recall = svc.home().interview_recall
        assert recall is not None
        expected = round(100 * recall)
    app = home_app(tmp_home, deck_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        words = " ".join(screen_text(app).split())  # the line may wrap at 80 columns
        assert f"Interview Mar 22 (in 12 days, expect {expected}% recall)" in words


async def test_the_theme_picked_is_kept_for_the_next_start(
    tmp_home: Path, deck_dir: Path, make_deck: Callable[..., Path], clock: Any
) -> None:
    from cuecards.session import Service

    make_deck("t/ok", RECALL, title="Fine")
    app = home_app(tmp_home, deck_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme != "textual-light"
        app.theme = "textual-light"
        await settle(pilot)
    paths = Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False)
    with Service.open(paths, clock=clock) as svc:
        assert svc.settings().theme == "textual-light"
    again = home_app(tmp_home, deck_dir, clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"
