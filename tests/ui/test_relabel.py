"""The rating labels of a card left on screen across the study day's end: the
flow says when they expire and fetches them again for the same card."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cuecards.paths import Paths
from cuecards.session import Service
from cuecards.ui.backend import Backend
from cuecards.ui.screens.review_flow import ReviewFlow, labels_delay
from tests.conftest import MakeDeck

CARDS = [{"id": f"c{i}", "front": f"q{i}", "back": f"a{i}"} for i in range(2)]


async def test_labels_are_fetched_again_when_the_day_turns(
    tmp_home: Path, deck_dir: Path, make_deck: MakeDeck, clock: Any
) -> None:
    make_deck("d", CARDS)
    paths = Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False)
    with Service.open(paths, clock=clock) as svc:
        svc.set_setting("timezone", "UTC")
        svc.set_setting("fuzz", False)
        svc.sync()
        s = svc.start_session()
        while (v := s.next_card()) is not None:
            s.rate(v.item.uid, 4, 1000)  # Easy: both in review, due in days
    clock.set(datetime(2025, 4, 20, 3, 58, tzinfo=UTC))  # two minutes before the rollover
    backend = Backend(lambda: Service.open(paths, clock=clock))
    try:
        flow = ReviewFlow(backend)
        await flow.start()
        card, _counts = await flow.next()
        assert card is not None and card.state == "review"
        assert labels_delay(card, clock()) == 120.0
        clock.advance(minutes=3)  # a new study day, the card still on screen
        fresh = await flow.relabel(card)
        assert fresh is not None and fresh.item.uid == card.item.uid
        assert fresh.labels_expire == datetime(2025, 4, 21, 4, 0, tzinfo=UTC)
        service = await backend.ready()
        now_view = await backend.call(service.card_view, await backend.call(_id, service, card))
        assert fresh.intervals == now_view.intervals
        assert fresh.intervals != card.intervals  # one more day elapsed: longer intervals
        await flow.rate(card.item.uid, 3, 1000)
        assert await flow.relabel(card) is None  # no longer the card on screen
    finally:
        backend.close()
    assert labels_delay(card, clock() + timedelta(days=2)) == 0.0


def _id(service: Service, card: Any) -> int:
    card_id = service.store.card_id_of(card.item.uid)
    assert card_id is not None
    return card_id


async def test_the_buttons_are_relabelled_on_screen_when_the_day_turns(
    ui_app: Any, ui_paths: Paths, clock: Any
) -> None:
    from textual.widgets import Button

    from tests.ui.conftest import settle

    with Service.open(ui_paths, clock=clock) as svc:
        s = svc.start_session(deck="t/recall")
        view = s.next_card()
        assert view is not None
        s.rate(view.item.uid, 4, 1000)  # Easy: a review card, due in days
        due = svc.store.card_state(view.item.uid)
    assert due is not None
    # One second before the rollover (04:00 UTC), days after it fell due.
    turn = datetime.combine(due.due.date() + timedelta(days=3), datetime.min.time(), UTC)
    clock.set(turn + timedelta(hours=4, seconds=-1))
    app = ui_app("review", deck="t/recall")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        before = str(app.screen.query_one("#rate-3", Button).label)
        clock.advance(minutes=2)  # a new study day while the card is on screen
        await pilot.pause(2.0)  # the timer fires half a second after the turn
        await settle(pilot)
        after = str(app.screen.query_one("#rate-3", Button).label)
    assert before != after  # one more day elapsed: a longer Good interval
