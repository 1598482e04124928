"""The review queue and rating with a fixed clock."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from cuecards.errors import UsageError
from cuecards.paths import Paths
from cuecards.session import ReviewSession, Service

UTC = UTC


def drain(s: ReviewSession, rating: int = 4) -> list[str]:
    """Rate every card the session offers; returns the uids in order."""
    shown = []
    while (view := s.next_card()) is not None:
        shown.append(view.item.uid)
        s.rate(view.item.uid, rating, 1000)
        assert len(shown) < 200
    return shown


def make_many(make_deck: Any, n: int, drills: int = 0, deck: str = "many") -> None:
    cards: list[dict[str, Any]] = [
        {"id": f"r{i}", "front": f"q{i}", "back": f"a{i}"} for i in range(n)
    ]
    cards += [
        {"id": f"d{i}", "kind": "drill", "prompt": f"p{i}", "points": ["x"], "answer": "x"}
        for i in range(drills)
    ]
    make_deck(deck, cards)


def test_first_card_and_views(service: Service) -> None:
    s = service.start_session()
    view = s.next_card()
    assert view is not None and view.state == "new" and view.deck_title == "Basics"
    assert set(view.intervals) == {1, 2, 3, 4}
    assert s.next_card() == view  # the same card until it is rated
    assert s.remaining().new == 5  # 7 items, siblings (reverse, second gap) wait


def test_new_limit_counts_cards_introduced_today(service: Service, make_deck: Any) -> None:
    make_many(make_deck, 10)
    service.sync()
    service.set_setting("new_per_day", 3)
    s = service.start_session()
    assert s.remaining().new == 3
    assert s.summary().new_limit_reached == 0  # nothing rated yet
    assert len(drain(s)) == 3
    assert s.summary().new_limit_reached == 3  # the summary can say why it stopped
    assert service.start_session().next_card() is None
    assert service.home().totals.new == 0


def test_review_limit(service: Service, make_deck: Any, clock: Any) -> None:
    make_many(make_deck, 6, deck="many")
    service.sync()
    drain(service.start_session(deck="many"), rating=4)
    clock.advance(days=60)
    service.set_setting("reviews_per_day", 2)
    s = service.start_session(deck="many")
    counts = s.remaining()
    assert (counts.review, counts.new) == (2, 0)
    assert len(drain(s, rating=4)) == 2
    assert service.start_session(deck="many").remaining().review == 0


def test_rollover_at_four_local(service: Service, make_deck: Any, clock: Any) -> None:
    make_many(make_deck, 5)
    service.sync()
    service.set_setting("new_per_day", 1)
    drain(service.start_session())  # 10 March, 12:00
    clock.set(datetime(2025, 3, 11, 3, 0, tzinfo=UTC))  # still the 10th's study day
    s = service.start_session()
    assert s.remaining().new == 0
    clock.set(datetime(2025, 3, 11, 4, 0, tzinfo=UTC))  # a new day
    view = service.start_session().next_card()
    assert view is not None and view.state == "new"
    # a review at 03:00 counts for the previous study day
    clock.set(datetime(2025, 3, 12, 3, 0, tzinfo=UTC))
    s = service.start_session()
    v = s.next_card()
    assert v is not None
    s.rate(v.item.uid, 3, 1000)
    day = service.store._conn.execute("SELECT day FROM reviews ORDER BY id DESC").fetchone()[0]
    assert day == date(2025, 3, 11).toordinal()


def test_new_cards_spread_among_reviews(service: Service, make_deck: Any, clock: Any) -> None:
    make_many(make_deck, 6, deck="set/old")
    service.sync()
    service.set_setting("new_per_day", 6)
    drain(service.start_session(deck="set/old"), rating=4)
    clock.advance(days=60)
    make_many(make_deck, 2, deck="set/fresh")
    service.sync()
    s = service.start_session(deck="set/fresh")
    assert s.remaining().new == 2
    s = service.start_session(deck="set")  # a folder: both decks
    order = []
    while (v := s.next_card()) is not None:
        order.append(v.state)
        s.bury(v.item.uid)
    new_at = [i for i, st in enumerate(order) if st == "new"]
    assert len(new_at) == 2 and order.count("review") == 6
    assert new_at[0] > 0 and new_at[1] < len(order) - 1  # not bunched at either end


def test_drills_not_back_to_back(service: Service, make_deck: Any) -> None:
    make_many(make_deck, 4, drills=4, deck="mixed")
    service.sync()
    service.set_setting("new_per_day", 50)
    s = service.start_session(deck="mixed")
    kinds = []
    while (v := s.next_card()) is not None:
        kinds.append(v.item.kind)
        s.bury(v.item.uid)
    assert kinds.count("drill") == 4
    assert all(not (a == b == "drill") for a, b in zip(kinds, kinds[1:], strict=False))


def test_siblings_not_on_the_same_day(service: Service, clock: Any) -> None:
    shown = drain(service.start_session())
    notes = [u.split("#")[0] for u in shown]
    assert len(notes) == len(set(notes)) == 5
    clock.advance(days=1)
    later = drain(service.start_session())
    assert set(later) >= {"basics/hello#reverse", "basics/rule#c2"} - set(shown)


def test_undo_unhides_the_sibling(service: Service) -> None:
    s = service.start_session(deck="basics")
    view = s.next_card()
    while view is not None and view.item.uid != "basics/hello":
        s.bury(view.item.uid)
        view = s.next_card()
    assert view is not None
    s.rate("basics/hello", 3, 1000)
    assert s._blocked(
        next(
            r
            for r in service.store.queue(service.today(), 10**10, 50, 50)
            if r.uid == "basics/hello#reverse"
        )
    )
    assert s.undo() is not None
    assert service.store.notes_reviewed(service.today()) == {}


def test_learning_steps_come_back_within_the_session(service: Service, clock: Any) -> None:
    service.set_setting("new_per_day", 2)
    s = service.start_session()
    first = s.next_card()
    assert first is not None
    s.rate(first.item.uid, 1, 1000)  # again: back in 1 minute
    second = s.next_card()
    assert second is not None and second.item.uid != first.item.uid
    clock.advance(minutes=2)
    s.rate(second.item.uid, 4, 1000)
    back = s.next_card()
    assert back is not None and back.item.uid == first.item.uid and back.state == "learning"
    s.rate(first.item.uid, 3, 1000)  # next step 10 minutes: shown early, nothing else left
    again = s.next_card()
    assert again is not None and again.item.uid == first.item.uid
    s.rate(first.item.uid, 3, 1000)  # graduates to days
    assert s.next_card() is None
    assert s.remaining().total == 0


def test_suspend_and_bury(service: Service, clock: Any) -> None:
    s = service.start_session()
    v = s.next_card()
    assert v is not None
    s.suspend(v.item.uid)
    w = s.next_card()
    assert w is not None and w.item.uid != v.item.uid
    s.bury(w.item.uid)
    uids = drain(service.start_session())
    assert v.item.uid not in uids and w.item.uid not in uids
    clock.advance(days=1)
    tomorrow = drain(service.start_session())
    assert w.item.uid in tomorrow and v.item.uid not in tomorrow


def test_undo_restores_the_card_exactly(service: Service) -> None:
    s = service.start_session()
    v = s.next_card()
    assert v is not None
    row = "SELECT * FROM cards WHERE uid = ?"
    before = tuple(service.store._conn.execute(row, (v.item.uid,)).fetchone())
    s.rate(v.item.uid, 4, 2500)
    assert tuple(service.store._conn.execute(row, (v.item.uid,)).fetchone()) != before
    back = s.undo()
    assert back is not None and back.item.uid == v.item.uid
    assert tuple(service.store._conn.execute(row, (v.item.uid,)).fetchone()) == before
    assert service.store._conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    assert s.next_card() == back
    assert s.summary().done == 0
    assert s.undo() is None


def test_rating_is_durable_when_rate_returns(service: Service, tmp_home: Path) -> None:
    s = service.start_session()
    v = s.next_card()
    assert v is not None
    result = s.rate(v.item.uid, 3, 4200, answer="typed", grade={"hits": 1, "total": 2})
    other = sqlite3.connect(tmp_home / "cuecards.db")
    row = other.execute(
        "SELECT rating, duration_ms, answer, points_hit, points_total, "
        "due_after FROM reviews WHERE id = ?",
        (result.review_id,),
    ).fetchone()
    assert row == (3, 4200, "typed", 1, 2, int(result.due.timestamp()))
    assert result.interval == v.intervals[3]


def test_two_copies_rating_the_same_card(
    service: Service, tmp_home: Path, deck_dir: Path, clock: Any
) -> None:
    other = Service.open(
        Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False), clock=clock
    )
    a = service.start_session().next_card()
    b = other.start_session().next_card()
    assert a is not None and b is not None and a.item.uid == b.item.uid
    service.start_session().rate(a.item.uid, 3, 1000)
    other.start_session(uids=[b.item.uid]).rate(b.item.uid, 3, 1000)
    reps = [
        r[0] for r in service.store._conn.execute("SELECT reps_before FROM reviews ORDER BY id")
    ]
    assert reps == [0, 1]  # the second rating saw the first
    other.close()


def test_bad_rating_and_unknown_card(service: Service) -> None:
    s = service.start_session()
    v = s.next_card()
    assert v is not None
    with pytest.raises(UsageError):
        s.rate(v.item.uid, 5, 1000)
    with pytest.raises(UsageError):
        s.rate("basics/nope", 3, 1000)
    assert s.next_card() == v


def test_leech_flag_and_summary(service: Service, clock: Any) -> None:
    service.set_setting("leech_threshold", 1)
    s = service.start_session(uids=["basics/capital-fr"])
    s.rate("basics/capital-fr", 4, 1000)
    clock.advance(days=30)
    s = service.start_session(uids=["basics/capital-fr"])
    s.rate("basics/capital-fr", 1, 3000, grade={"hits": 0, "total": 2})
    view = service.start_session(uids=["basics/capital-fr"]).next_card()
    assert view is not None and view.is_leech and view.lapses == 1
    assert service.leeches() == [("basics/capital-fr", 1)]
    summary = s.summary()
    assert (summary.done, summary.by_rating[1], summary.seconds) == (1, 1, 3.0)
    assert summary.drill_points_total == 2


def test_home_counts_and_interview(service: Service, clock: Any) -> None:
    home = service.home()
    # 7 new items; the reverse card and the cloze's second gap wait for tomorrow
    assert (home.totals.new, home.held_back) == (5, 2)
    assert home.streak == 0 and home.reviews_today == 0
    drain(service.start_session())
    service.set_setting("interview_date", "2025-03-20")
    home = service.home()
    assert home.reviews_today == 5 and home.streak == 1
    assert home.days_to_interview == 10 and home.next_due is not None
    recall = service.expected_recall_on_interview()
    assert recall is not None and 0.0 < recall < 1.0
    clock.advance(days=1)
    assert service.home().streak == 1  # yesterday still counts until today is done


def test_double_rating_is_refused(service: Service) -> None:
    s = service.start_session()
    v = s.next_card()
    assert v is not None
    s.rate(v.item.uid, 4, 1000)
    with pytest.raises(UsageError, match="not waiting"):
        s.rate(v.item.uid, 4, 1000)
    assert service.store._conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1


def test_full_disk_loses_nothing_and_keeps_the_card(service: Service) -> None:
    from cuecards.errors import StoreError

    s = service.start_session()
    v = s.next_card()
    assert v is not None
    conn = service.store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="full"):
        s.rate(v.item.uid, 3, 1000, answer="x" * 200_000)
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    assert s.next_card() == v  # still on screen, to be rated once there is room


def test_unknown_tag_is_a_usage_error_naming_known_tags(service: Service, make_deck: Any) -> None:
    make_deck(
        "tagged",
        [
            {"id": "a", "front": "q", "back": "a", "tags": ["metrics"]},
            {"id": "b", "front": "q2", "back": "a2", "tags": ["strategy"]},
        ],
    )
    service.sync()
    assert service.start_session(tag="metrics").remaining().new == 1
    with pytest.raises(UsageError, match="no card has the tag 'metric'") as info:
        service.start_session(tag="metric")
    assert info.value.exit_code == 2
    assert info.value.msg.index("metrics") < info.value.msg.index("strategy")  # nearest first


def test_summary_splits_later_today_from_tomorrow(service: Service) -> None:
    # 12:00 UTC on the 10th; the study day ends at 04:00 on the 11th.
    s = service.start_session(uids=["basics/capital-fr", "basics/capital-de", "basics/hello"])
    s.rate("basics/capital-fr", 1, 1000)  # again: learning, due in a minute (today)
    s.rate("basics/capital-de", 3, 1000)  # good: learning, due in 10 minutes (today)
    s.rate("basics/hello", 4, 1000)  # easy: review, due in days (not tomorrow)
    summary = s.summary()
    assert (summary.due_later_today, summary.due_tomorrow) == (2, 0)
    # A review card due at 10:00 on the 11th is due during tomorrow's study day.
    tomorrow = int(datetime(2025, 3, 11, 10, 0, tzinfo=UTC).timestamp())
    service.store._conn.execute("UPDATE cards SET due = ? WHERE uid = 'basics/hello'", (tomorrow,))
    assert s.summary().due_tomorrow == 1
    # 04:00 on the 12th starts the day after tomorrow.
    after = int(datetime(2025, 3, 12, 4, 0, tzinfo=UTC).timestamp())
    service.store._conn.execute("UPDATE cards SET due = ? WHERE uid = 'basics/hello'", (after,))
    assert s.summary().due_tomorrow == 0


def _card_row(service: Service, uid: str) -> tuple[Any, ...]:
    return tuple(
        service.store._conn.execute("SELECT * FROM cards WHERE uid = ?", (uid,)).fetchone()
    )


def _rate_then_undo(s: ReviewSession, rating: int = 3) -> tuple[Any, Any, Any]:
    """Rate the card on show, look at the next one, undo; (counts before,
    counts after undo, card shown before)."""
    v = s.next_card()
    assert v is not None
    before = s.remaining()
    s.rate(v.item.uid, rating, 1000)
    s.next_card()
    back = s.undo()
    assert back is not None and back.item.uid == v.item.uid
    return before, s.remaining(), v


def test_undo_gives_back_the_same_counts_for_a_new_card(service: Service) -> None:
    before, after, v = _rate_then_undo(service.start_session())
    assert v.state == "new" and before == after


def test_undo_gives_back_the_same_counts_for_a_learning_card(service: Service, clock: Any) -> None:
    s = service.start_session()
    for _ in range(2):  # two cards into learning, due in a minute
        v = s.next_card()
        assert v is not None
        s.rate(v.item.uid, 1, 1000)
    clock.advance(minutes=2)
    s = service.start_session()
    before, after, v = _rate_then_undo(s)
    assert v.state == "learning" and before == after
    assert before.learning == 2


def test_undo_gives_back_the_same_counts_for_a_review_card(service: Service, clock: Any) -> None:
    drain(service.start_session(), rating=4)
    clock.advance(days=60)
    before, after, v = _rate_then_undo(service.start_session(), rating=1)
    assert v.state == "review" and before == after and before.review == 5


def test_undo_keeps_a_sibling_hidden_by_an_earlier_rating(service: Service, clock: Any) -> None:
    s = service.start_session(uids=["basics/hello"])
    s.rate("basics/hello", 1, 1000)  # earlier today: hides hello#reverse
    clock.advance(minutes=2)
    s = service.start_session(deck="basics")
    view = s.next_card()
    while view is not None and view.item.uid != "basics/hello":
        s.bury(view.item.uid)
        view = s.next_card()
    before = s.remaining()
    s.rate("basics/hello", 3, 1000)
    s.undo()
    assert s.remaining() == before
    assert "basics/hello#reverse" not in drain(s)


def test_undo_takes_back_suspend_and_bury_last_first(service: Service) -> None:
    s = service.start_session()
    first, rows = [], {}
    for how in ("rate", "suspend", "bury"):
        v = s.next_card()
        assert v is not None
        first.append(v)
        rows[v.item.uid] = _card_row(service, v.item.uid)
        counts = s.remaining()
        if how == "rate":
            s.rate(v.item.uid, 3, 1000)
        else:
            getattr(s, how)(v.item.uid)
        assert _card_row(service, v.item.uid) != rows[v.item.uid]
    for v in reversed(first):  # bury, then suspend, then the rating
        back = s.undo()
        assert back == v
        assert _card_row(service, v.item.uid) == rows[v.item.uid]
    assert s.remaining() == service.start_session().remaining()
    assert counts is not None and s.next_card() == first[0]
    assert s.undo() is None and s.summary().done == 0


def test_until_caps_intervals_for_this_run_only(
    tmp_home: Path, deck_dir: Path, service: Service, clock: Any
) -> None:
    """`--until` acts as the interview date without being stored."""
    from datetime import date

    first = service.start_session().next_card()
    assert first is not None and first.intervals[4] == "8d"  # fsrs's first Easy interval
    paths = service.paths
    service.close()
    until = Service.open(paths, clock=clock, until=date(2025, 3, 13))
    card = until.start_session().next_card()
    assert card is not None and card.intervals[4] == "3d"  # capped: interview in 3 days
    assert until.settings().interview_date == date(2025, 3, 13)
    assert "interview_date" not in until.store.settings()
    drain(until.start_session())
    home = until.home()
    assert home.days_to_interview == 3
    assert home.interview_recall is not None and 0.0 < home.interview_recall < 1.0
    until.close()


def test_settings_changed_elsewhere_apply_at_the_next_home_and_session(
    service: Service, clock: Any
) -> None:
    """`cuecards config set` (or a second copy) while the app is open."""
    other = Service.open(service.paths, clock=clock)
    other.set_setting("new_per_day", 2)
    other.set_setting("interview_date", "2025-03-20")
    other.close()
    home = service.home()
    assert home.totals.new == 2 and home.days_to_interview == 10
    session = service.start_session()
    assert session.remaining().new == 2


def test_the_rollover_hour_setting_moves_the_study_day(service: Service, clock: Any) -> None:
    # 05:00 is the new day with the default rollover (04:00), the old one at 06:00
    clock.set(datetime(2025, 3, 11, 5, 0, tzinfo=UTC))
    assert service.today() == date(2025, 3, 11).toordinal()
    service.set_setting("rollover_hour", 6)
    assert service.today() == date(2025, 3, 10).toordinal()
    s = service.start_session(uids=["basics/hello"])
    assert s.next_card() is not None
    s.rate("basics/hello", 3, 1000)
    day = service.store._conn.execute("SELECT day FROM reviews").fetchone()[0]
    assert day == date(2025, 3, 10).toordinal()
    assert service.home().reviews_today == 1
