"""Custom study: each kind, and its effect on the schedule and the daily counts."""

from __future__ import annotations

from typing import Any

import pytest

from cuecards.errors import UsageError
from cuecards.service.custom import KINDS, CustomChoice
from cuecards.session import ReviewSession, Service


def drain(s: ReviewSession, rating: int = 4) -> list[str]:
    shown = []
    while (view := s.next_card()) is not None:
        shown.append(view.item.uid)
        s.rate(view.item.uid, rating, 1000)
        assert len(shown) < 200
    return shown


def many(make_deck: Any, n: int, drills: int = 0) -> None:
    cards: list[dict[str, Any]] = [
        {"id": f"r{i}", "front": f"q{i}", "back": f"a{i}", "tags": ["t"] if i % 2 else []}
        for i in range(n)
    ]
    cards += [
        {"id": f"d{i}", "kind": "drill", "prompt": f"p{i}", "points": ["x"], "answer": "x"}
        for i in range(drills)
    ]
    make_deck("many", cards)


def dues(service: Service, deck: str = "many") -> dict[str, int]:
    """uid -> stored due time (epoch) of every card of ``deck``."""
    out = {}
    for uid in _uids(service, deck):
        state = service.store.card_state(uid)
        assert state is not None
        out[uid] = int(state.due.timestamp())
    return out


def _uids(service: Service, deck: str) -> list[str]:
    with service.stats_context().open() as reader:
        from cuecards.storage import Query

        return sorted(reader.weakest_uids(Query(now=0, today=0, deck=deck), 10_000))


def snapshot(service: Service) -> tuple[dict[str, int], tuple[int, int], int]:
    """Due dates, today's (new, review) counts and the number of reviews."""
    return dues(service), service.store.done_today(service.today()), service.store.review_count()


@pytest.fixture
def studied(service: Service, make_deck: Any, clock: Any) -> Service:
    """20 recall cards and 3 drills, learnt on day one; now a day later."""
    many(make_deck, 20, drills=3)
    service.sync()
    service.set_setting("new_per_day", 100)
    drain(service.start_session(deck="many"), rating=3)
    service.set_setting("new_per_day", 5)
    clock.advance(days=1)  # every card is due tomorrow (a 2-day interval)
    return service


def test_every_kind_says_whether_it_changes_the_schedule() -> None:
    by = {k.kind: k.changes_schedule for k in KINDS}
    assert by == {
        "more_new": True,
        "ahead": True,
        "drills": True,
        "scope": False,
        "failed": False,
        "weakest": False,
    }
    assert all(k.help for k in KINDS)


def test_more_new_today_not_from_tomorrow(service: Service, make_deck: Any, clock: Any) -> None:
    many(make_deck, 30)
    service.sync()
    service.set_setting("new_per_day", 4)
    assert len(drain(service.start_session(deck="many"))) == 4
    assert service.home().totals.new == 0
    s = service.start_custom(CustomChoice("more_new", 3, deck="many"))
    shown = drain(s)
    assert len(shown) == 3 and all(service.store.card_state(u).reps for u in shown)  # type: ignore[union-attr]
    assert service.store.done_today(service.today())[0] == 7
    clock.advance(days=1)
    assert service.start_session(deck="many").remaining().new == 4  # tomorrow untouched


def test_more_new_counted_against_tomorrow(service: Service, make_deck: Any, clock: Any) -> None:
    many(make_deck, 30)
    service.sync()
    service.set_setting("new_per_day", 4)
    drain(service.start_session(deck="many"))
    drain(service.start_custom(CustomChoice("more_new", 3, deck="many", from_tomorrow=True)))
    assert service.store.done_today(service.today())[0] == 7
    clock.advance(days=1)
    assert service.start_session(deck="many").remaining().new == 1  # 4 - 3
    assert service.home().totals.new == 1
    clock.advance(days=1)
    assert service.start_session(deck="many").remaining().new == 4  # one day only


def test_review_ahead_is_real_and_moves_due_dates(studied: Service) -> None:
    service = studied
    before, counts, reviews = snapshot(service)
    end_today = int(service.sched.days.end(service.today()).timestamp())
    s = service.start_custom(CustomChoice("ahead", 30, deck="many"))
    shown = drain(s, rating=3)
    assert shown and all(before[u] >= end_today for u in shown)  # only cards not due today
    after, counts_after, reviews_after = snapshot(service)
    assert reviews_after == reviews + len(shown)
    assert all(after[u] > before[u] for u in shown)
    assert service.check().ok


def test_drills_only_is_todays_due_drills_rated_for_real(studied: Service, clock: Any) -> None:
    service = studied
    clock.advance(days=30)  # everything is due
    before, _c, reviews = snapshot(service)
    shown = drain(service.start_custom(CustomChoice("drills", deck="many")))
    assert sorted(shown) == [f"many/d{i}" for i in range(3)]
    after, _c, reviews_after = snapshot(service)
    assert reviews_after == reviews + 3
    assert all(after[u] > before[u] for u in shown)


@pytest.mark.parametrize(
    "choice",
    [
        CustomChoice("scope", 10, deck="many"),
        CustomChoice("scope", 0, tag="t"),
        CustomChoice("weakest", 5, deck="many"),
    ],
)
def test_cram_kinds_change_nothing(studied: Service, choice: CustomChoice) -> None:
    service = studied
    before = snapshot(service)
    s = service.start_custom(choice)
    assert s.practice
    shown = []
    while (view := s.next_card()) is not None:
        shown.append(view.item.uid)
        s.rate(view.item.uid, 1 if len(shown) == 1 else 3, 1000)  # one Again: it comes back
        assert len(shown) < 100
    assert shown and len(shown) == len(set(shown)) + 1
    assert s.summary().done == len(shown)
    assert snapshot(service) == before  # no due date, no daily count, no review
    assert service.check().ok
    if choice.tag:
        assert all(int(u.split("/r")[1]) % 2 for u in set(shown))


def test_failed_today_is_crammed(studied: Service) -> None:
    service = studied
    s = service.start_custom(CustomChoice("ahead", 30, deck="many"))
    failed: list[str] = []
    while (view := s.next_card()) is not None:
        rating = 1 if len(failed) < 2 and view.item.uid not in failed else 4
        if rating == 1:
            failed.append(view.item.uid)
        s.rate(view.item.uid, rating, 1000)
    before = snapshot(service)
    cram = service.start_custom(CustomChoice("failed"))
    assert cram.practice
    assert drain(cram) == failed
    assert snapshot(service) == before


def test_weakest_on_interview_day_uses_the_recall_formula(studied: Service) -> None:
    service = studied
    service.set_setting("interview_date", "2025-04-20")
    uid = "many/r0"
    # r0 is failed now: its stability drops, so it is the weakest on the day.
    s = service.start_custom(CustomChoice("ahead", 30, deck="many"))
    while (view := s.next_card()) is not None:
        s.rate(view.item.uid, 1 if view.item.uid == uid else 3, 1000)
        if view.item.uid == uid:
            break
    at = service.sched.interview_moment()
    assert at is not None
    day = service.sched.days.day(at)
    cram = service.start_custom(CustomChoice("weakest", 3, deck="many"))
    first = cram.next_card()
    assert first is not None and first.item.uid == uid
    recall = {}
    for u in _uids(service, "many"):
        st = service.store.card_state(u)
        assert st is not None and st.last_review is not None
        recall[u] = service.sched.recall_on(st.stability, st.last_review, day)
    assert recall[uid] == min(recall.values())


def test_cram_undo_gives_the_card_back_and_writes_nothing(studied: Service) -> None:
    service = studied
    before = snapshot(service)
    s = service.start_custom(CustomChoice("scope", 3, deck="many"))
    first = s.next_card()
    assert first is not None
    s.rate(first.item.uid, 1, 500)
    back = s.undo()
    assert back is not None and back.item.uid == first.item.uid
    assert s.remaining().total == 3
    assert snapshot(service) == before


def test_bad_choices_are_usage_errors(studied: Service) -> None:
    with pytest.raises(UsageError):
        studied.start_custom(CustomChoice("scope"))
    with pytest.raises(UsageError, match="deck"):
        studied.start_custom(CustomChoice("scope", deck="nope"))
    with pytest.raises(UsageError):
        studied.start_custom(CustomChoice("more_new", 0))


def test_removed_cards_leave_the_session(service: Service, make_deck: Any) -> None:
    many(make_deck, 6)
    service.sync()
    s = service.start_session(deck="many")
    current = s.next_card()
    assert current is not None
    gone_uid = current.item.uid
    cards = [
        {"id": f"r{i}", "front": f"q{i}", "back": f"a{i}"}
        for i in range(6)
        if f"many/r{i}" not in (gone_uid, "many/r5")
    ]
    make_deck("many", cards)
    service.sync()
    assert sorted(s.leave_removed()) == sorted({gone_uid, "many/r5"})
    left = drain(s)
    assert gone_uid not in left and "many/r5" not in left and len(left) == 4
