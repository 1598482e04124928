"""Scheduling rules that a mutation of the code must trip: the button is the
promise, Hard <= Good <= Easy, the fuzz seed, lapses, the rollover setting,
and recall figures equal to fsrs's own function."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fsrs import Scheduler

from cuecards.config import Settings
from cuecards.scheduling import (
    RELEARNING,
    REVIEW,
    CardState,
    Curve,
    Scheduling,
    StudyDay,
    fuzz_range,
)
from cuecards.views import format_interval

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def card(
    card_id: int = 7,
    stability: float = 10.0,
    difficulty: float = 5.0,
    last: datetime = NOW - timedelta(days=10),
    reps: int = 5,
    state: int = REVIEW,
) -> CardState:
    return CardState(
        card_id=card_id,
        state=state,
        step=None if state == REVIEW else 0,
        stability=stability,
        difficulty=difficulty,
        due=last + timedelta(days=round(stability)),
        last_review=last,
        reps=reps,
    )


# -- the button is the promise ---------------------------------------------
def test_labels_hold_across_a_24_hour_mark_within_the_study_day() -> None:
    # Last review at 10:00; the card is shown at 09:59 and rated at 10:01 a day
    # later: 24 hours pass while it is on screen, the study day does not turn.
    sched = Scheduling(Settings(timezone="UTC", fuzz=True, interview_date=date(2025, 3, 30)))
    last = datetime(2025, 3, 9, 10, 0, tzinfo=UTC)
    shown, rated = datetime(2025, 3, 10, 9, 59, tzinfo=UTC), datetime(2025, 3, 10, 10, 1)
    rated = rated.replace(tzinfo=UTC)
    for stability in (0.4, 1.0, 3.0, 8.0, 30.0, 200.0):
        c = card(stability=stability, last=last)
        labels = {r: format_interval(d) for r, d in sched.preview(c, shown).items()}
        for rating in (1, 2, 3, 4):
            after = sched.review(c, rating, rated)
            assert format_interval(sched.shown_interval(after, rated)) == labels[rating]
        assert sched.labels_expire(shown) == datetime(2025, 3, 11, 4, tzinfo=UTC)


def test_labels_of_intervals_capped_by_the_interview_hold_all_day() -> None:
    # Capped at the start of the interview's day: the time left shrinks while
    # the card is on screen, the study days left do not.
    sched = Scheduling(Settings(timezone="UTC", fuzz=False, interview_date=date(2025, 3, 14)))
    c = card(stability=100.0, last=NOW - timedelta(days=30))
    shown = datetime(2025, 3, 10, 15, 59, tzinfo=UTC)
    rated = datetime(2025, 3, 10, 16, 1, tzinfo=UTC)
    labels = {r: format_interval(d) for r, d in sched.preview(c, shown).items()}
    for rating in (2, 3, 4):
        after = sched.review(c, rating, rated)
        assert after.due == datetime(2025, 3, 14, 4, tzinfo=UTC)
        assert format_interval(sched.shown_interval(after, rated)) == labels[rating] == "4d"


def test_service_rating_gives_the_interval_its_button_showed(service: Any, clock: Any) -> None:
    uid = "basics/capital-fr"
    session = service.start_session(uids=[uid])
    assert session.next_card() is not None
    session.rate(uid, 4, 1000)  # Easy: a review card, due in days
    clock.set(clock() + timedelta(days=2, minutes=-1))  # 11:59, two days on
    session = service.start_session(uids=[uid])
    view = session.next_card()
    assert view is not None and view.labels_expire == datetime(2025, 3, 13, 4, tzinfo=UTC)
    clock.set(clock() + timedelta(minutes=2))  # past the 48-hour mark, same study day
    result = session.rate(uid, 3, 1000)
    assert result.interval == view.intervals[3]


# -- Hard <= Good <= Easy ----------------------------------------------------
@pytest.mark.parametrize("fuzz", [False, True])
def test_review_intervals_are_ordered_hard_good_easy(fuzz: bool) -> None:
    sched = Scheduling(Settings(timezone="UTC", fuzz=fuzz))
    rng = random.Random(3)
    strictly = 0
    for i in range(3000):
        c = card(
            card_id=i + 1,
            stability=rng.uniform(0.1, 400),
            difficulty=rng.uniform(1, 10),
            last=NOW - timedelta(days=rng.randrange(0, 200)),
            reps=rng.randrange(1, 30),
        )
        days = {r: (sched.review(c, r, NOW).due - NOW).days for r in (2, 3, 4)}
        assert days[2] <= days[3] <= days[4], (c, days)
        strictly += days[2] < days[3] < days[4]
    assert strictly == 3000  # no maximum interval or interview date in the way


def test_fuzz_keeps_fsrs_range_and_the_order() -> None:
    plain = Scheduling(Settings(timezone="UTC", fuzz=False))
    fuzzed = Scheduling(Settings(timezone="UTC", fuzz=True))
    c = card(stability=40.0, last=NOW - timedelta(days=40))
    base = (plain.review(c, 3, NOW).due - NOW).days
    got = {(fuzzed.review(replace(c, card_id=i), 3, NOW).due - NOW).days for i in range(200)}
    low, high = fuzz_range(base, 36500)
    assert len(got) > 3 and low <= min(got) and max(got) <= high


# -- the fuzz seed -----------------------------------------------------------
def test_fuzz_seed_changes_with_reps() -> None:
    # the same card at successive points of its life draws different fuzz
    sched = Scheduling(Settings(timezone="UTC", fuzz=True))
    got = {(sched.review(card(reps=n, stability=60.0), 3, NOW).due - NOW).days for n in range(20)}
    assert len(got) > 3


# -- lapses ------------------------------------------------------------------
def test_again_in_relearning_is_not_a_lapse() -> None:
    sched = Scheduling(Settings(timezone="UTC", fuzz=False))
    lapsed = sched.review(card(), 1, NOW)
    assert (lapsed.state, lapsed.lapses) == (RELEARNING, 1)
    again = sched.review(lapsed, 1, NOW + timedelta(minutes=10))
    assert (again.state, again.lapses) == (RELEARNING, 1)
    good = sched.review(again, 3, NOW + timedelta(minutes=20))
    assert (good.state, good.lapses) == (REVIEW, 1)


# -- the rollover hour setting ---------------------------------------------
@pytest.mark.parametrize("hour", [0, 7, 23])
def test_rollover_hour_setting_moves_the_day_boundary(hour: int) -> None:
    sched = Scheduling(Settings(timezone="UTC", rollover_hour=hour, fuzz=False))
    boundary = datetime(2025, 3, 11, hour, tzinfo=UTC)
    assert sched.days.day(boundary) == date(2025, 3, 11).toordinal()
    assert sched.days.day(boundary - timedelta(seconds=1)) == date(2025, 3, 10).toordinal()
    c = card(stability=5.0, last=boundary - timedelta(hours=2))
    # the same review: the short-term formula before the boundary, a day after it
    same_day = sched.review(c, 3, boundary - timedelta(seconds=1))
    next_day = sched.review(c, 3, boundary + timedelta(hours=1))
    assert next_day.stability != pytest.approx(same_day.stability)
    assert sched.labels_expire(boundary) == boundary + timedelta(days=1)


def test_service_uses_the_rollover_hour_setting(service: Any, clock: Any) -> None:
    service.set_setting("rollover_hour", 13)
    assert service.today() == date(2025, 3, 9).toordinal()  # 12:00 UTC is before 13:00


# -- one recall formula -----------------------------------------------------
def fsrs_recall(stability: float, elapsed: int) -> float:
    """fsrs's own function for a card ``elapsed`` whole days after its review."""
    c = card(stability=stability, last=NOW - timedelta(days=elapsed)).to_fsrs()
    return float(Scheduler().get_card_retrievability(c, NOW))


def test_the_recall_formula_is_fsrs_own() -> None:
    curve = Curve.of(None)
    for s in (0.5, 3.0, 21.7, 400.0):
        for t in (0, 1, 2, 7, 30, 365):
            assert curve.recall(s, t) == pytest.approx(fsrs_recall(s, t), abs=1e-12)


def test_home_interview_recall_is_fsrs_own_on_study_days(service: Any, clock: Any) -> None:
    # issue 9's case: reviews in the evening, an interview morning three weeks
    # on; counted in fractional days recall came out lower than fsrs's own.
    service.set_setting("interview_date", "2025-04-01")
    states = []
    for uid in ("basics/capital-fr", "basics/capital-de", "basics/trade-offs"):
        clock.set(datetime(2025, 3, 10, 21, 30, tzinfo=UTC))
        s = service.start_session(uids=[uid])
        assert s.next_card() is not None
        s.rate(uid, 4, 1000)
        states.append(service.store.card_state(uid))
    days = StudyDay(4, "UTC")
    interview_day = date(2025, 4, 1).toordinal()
    expected = [fsrs_recall(s.stability, interview_day - days.day(s.last_review)) for s in states]
    home = service.home()
    assert home.interview_recall == pytest.approx(sum(expected) / len(expected), abs=1e-12)


# -- learning ahead --------------------------------------------------------
@pytest.mark.parametrize(("minutes", "shown"), [(20, True), (5, False)])
def test_learn_ahead_minutes_setting(service: Any, minutes: int, shown: bool) -> None:
    service.set_setting("new_per_day", 1)
    service.set_setting("learn_ahead_minutes", minutes)
    session = service.start_session()
    view = session.next_card()
    assert view is not None
    uid = session.current.uid
    session.rate(uid, 3, 1000)  # Good: the 10-minute step
    again = session.next_card()
    assert (again is not None) is shown
    assert session.remaining().learning == (1 if shown else 0)


def test_every_stats_recall_is_fsrs_own_on_study_days(service: Any, clock: Any) -> None:
    from cuecards.stats import StatsContext, gather

    # evening and early-morning reviews, so 24-hour periods and study days differ
    times = {
        "basics/capital-fr": datetime(2025, 3, 10, 23, 30, tzinfo=UTC),
        "basics/capital-de": datetime(2025, 3, 11, 3, 50, tzinfo=UTC),
        "basics/hello": datetime(2025, 3, 11, 4, 10, tzinfo=UTC),
    }
    for uid, when in times.items():
        clock.set(when)
        s = service.start_session(uids=[uid])
        assert s.next_card() is not None
        s.rate(uid, 4, 1000)
    clock.set(datetime(2025, 3, 14, 2, 0, tzinfo=UTC))  # the 13th's study day
    # hardest lists cards below the desired retention: above every recall here
    service.set_setting("desired_retention", 0.99)
    ctx = StatsContext.from_service(service)
    expected = {}
    for uid in times:
        state = service.store.card_state(uid)
        last = state.last_review
        expected[uid] = fsrs_recall(state.stability, ctx.today - service.sched.days.day(last))
    with ctx.open() as reader:
        shown = {r[0]: r[13] for r in reader.card_rows(ctx.query()) if r[13] is not None}
    assert shown == pytest.approx(expected, abs=1e-12)
    figures = gather(ctx)
    assert {c.uid: c.recall for c in figures.hardest} == pytest.approx(expected, abs=1e-12)
    basics = next(m for m in figures.decks if m.key == "basics")
    assert basics.recall == pytest.approx(sum(expected.values()) / 3, abs=1e-12)
