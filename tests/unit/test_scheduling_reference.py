"""The reference test: cuecards' stability and difficulty equal fsrs-rs's.

Random histories at realistic local times of day, in several zones (with DST
changes), with rollover hours other than 4 as well, are rated through
:meth:`Scheduling.review` one review at a time (as a replay does); the same
history, counted in study days, goes to fsrs-rs-python's ``memory_state``.
Both must agree within 1e-4 relative (fsrs-rs computes in 32-bit floats).

CI runs a few thousand histories. A long run, with the figures printed::

    CUECARDS_REFERENCE_HISTORIES=100000 .venv/bin/pytest -q -s \
        tests/unit/test_scheduling_reference.py -k random
"""

from __future__ import annotations

import os
import random
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cuecards.config import Settings
from cuecards.scheduling import REVIEW, CardState, Scheduling

rs = pytest.importorskip("fsrs_rs_python")

ZONES = (
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Los_Angeles",
    "Pacific/Auckland",
)
ROLLOVERS = (0, 1, 2, 3, 4, 5, 6, 12, 23)
#: a second, valid parameter set (personal parameters must agree too)
PERSONAL = (
    0.35, 1.1, 3.2, 12.0, 6.9, 0.6, 2.1, 0.02, 1.6, 0.2, 0.9, 1.7, 0.09, 0.3,
    1.5, 0.4, 2.2, 0.7, 0.25, 0.1, 0.22,
)  # fmt: skip
HISTORIES = int(os.environ.get("CUECARDS_REFERENCE_HISTORIES", "3000"))
TOLERANCE = 1e-4


@dataclass(frozen=True)
class Case:
    """One random history: where, when and with which answers."""

    zone: str
    rollover: int
    parameters: tuple[float, ...] | None
    times: tuple[datetime, ...]
    ratings: tuple[int, ...]


def local_time(rng: random.Random, zone: ZoneInfo, day: datetime, rollover: int) -> datetime:
    """A realistic moment on the local calendar date of ``day``: mostly daytime,
    some late at night, some within minutes of the rollover hour."""
    pick = rng.random()
    if pick < 0.7:
        hour, minute = rng.randrange(7, 24), rng.randrange(60)
    elif pick < 0.85:
        hour, minute = rng.randrange(0, 4), rng.randrange(60)
    else:  # just before or just after the rollover
        base = rollover * 60 + rng.choice((-1, 1)) * rng.randrange(1, 20)
        hour, minute = (base // 60) % 24, base % 60
    naive = datetime(day.year, day.month, day.day, hour, minute, rng.randrange(60))
    return naive.replace(tzinfo=zone).astimezone(UTC)


def random_case(rng: random.Random, sched_for: dict[tuple[str, int, bool], Scheduling]) -> Case:
    zone_name = rng.choice(ZONES)
    rollover = rng.choice(ROLLOVERS)
    personal = rng.random() < 0.3
    sched = sched_for[(zone_name, rollover, personal)]
    zone = ZoneInfo(zone_name)
    start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(700))
    now = local_time(rng, zone, start.astimezone(zone), rollover)
    card = CardState(card_id=rng.randrange(1, 10**6))
    times, ratings = [], []
    for _ in range(rng.randrange(1, 16)):
        rating = rng.choices((1, 2, 3, 4), weights=(15, 10, 60, 15))[0]
        card = sched.review(card, rating, now)
        times.append(now)
        ratings.append(rating)
        if card.state != REVIEW and rng.random() < 0.8:
            now = card.due + timedelta(seconds=rng.randrange(1, 4 * 3600))
        else:
            late = rng.choice((0, 0, 0, 1, 2, 5, 30)) if rng.random() < 0.8 else -1
            when = max(card.due + timedelta(days=late), now + timedelta(minutes=1))
            now = max(local_time(rng, zone, when.astimezone(zone), rollover), now)
            now += timedelta(seconds=rng.randrange(1, 600))
    return Case(zone_name, rollover, PERSONAL if personal else None, tuple(times), tuple(ratings))


def schedulers() -> dict[tuple[str, int, bool], Scheduling]:
    out = {}
    for zone in ZONES:
        for rollover in ROLLOVERS:
            for personal in (False, True):
                settings = Settings(
                    timezone=zone,
                    rollover_hour=rollover,
                    fsrs_parameters=list(PERSONAL) if personal else None,
                )
                out[(zone, rollover, personal)] = Scheduling(settings)
    return out


def replay(sched: Scheduling, case: Case) -> CardState:
    card = CardState(card_id=1)
    for when, rating in zip(case.times, case.ratings, strict=True):
        card = sched.review(card, rating, when)
    return card


def reference(sched: Scheduling, case: Case) -> tuple[float, float]:
    """fsrs-rs's memory state for the history counted in study days."""
    days = [sched.days.day(t) for t in case.times]
    reviews = [
        rs.FSRSReview(r, 0 if i == 0 else days[i] - days[i - 1]) for i, r in enumerate(case.ratings)
    ]
    fsrs = rs.FSRS(list(case.parameters or rs.DEFAULT_PARAMETERS))
    state = fsrs.memory_state(rs.FSRSItem(reviews))
    return float(state.stability), float(state.difficulty)


def relative(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-12)


def test_random_histories_match_fsrs_rs() -> None:
    rng = random.Random(20250310)
    scheds = schedulers()
    diffs: list[float] = []
    counted_differently = reviews = 0
    for _ in range(HISTORIES):
        case = random_case(rng, scheds)
        sched = scheds[(case.zone, case.rollover, case.parameters is not None)]
        card = replay(sched, case)
        stability, difficulty = reference(sched, case)
        assert card.stability is not None and card.difficulty is not None
        worst = max(relative(card.stability, stability), relative(card.difficulty, difficulty))
        assert worst < TOLERANCE, (case, card, stability, difficulty)
        diffs.append(worst)
        reviews += len(case.ratings)
        days = [sched.days.day(t) for t in case.times]
        counted_differently += sum(
            (b - a).days != days[i + 1] - days[i]
            for i, (a, b) in enumerate(zip(case.times, case.times[1:], strict=False))
        )
    # the histories do exercise the difference from counting 24-hour periods
    assert counted_differently > HISTORIES // 10
    print(
        f"\n{HISTORIES} histories, {reviews} reviews: relative difference "
        f"max {max(diffs):.3g}, median {statistics.median(diffs):.3g}; "
        f"{counted_differently} intervals where 24-hour periods differ from study days"
    )


# -- day boundaries, pinned -------------------------------------------------
def review_state(stability: float, difficulty: float, last: datetime) -> CardState:
    return CardState(
        card_id=5,
        state=REVIEW,
        step=None,
        stability=stability,
        difficulty=difficulty,
        due=last + timedelta(days=int(stability)),
        last_review=last,
        reps=6,
    )


def rs_next(stability: float, difficulty: float, days: int, rating: int) -> tuple[float, float]:
    states = rs.FSRS(rs.DEFAULT_PARAMETERS).next_states(
        rs.MemoryState(stability, difficulty), 0.9, days
    )
    state = (states.again, states.hard, states.good, states.easy)[rating - 1].memory
    return float(state.stability), float(state.difficulty)


def test_lapse_under_24_hours_later_but_on_the_next_study_day() -> None:
    sched = Scheduling(Settings(timezone="Europe/Berlin", rollover_hour=4, fuzz=False))
    last = datetime(2025, 6, 2, 20, 0, tzinfo=UTC)  # 22:00 in Berlin
    now = last + timedelta(hours=20)  # 18:00 the next day: 20 hours, one study day
    after = sched.review(review_state(481.0, 5.0, last), 1, now)
    expected = rs_next(481.0, 5.0, 1, 1)
    assert after.stability == pytest.approx(expected[0], rel=TOLERANCE)
    assert after.difficulty == pytest.approx(expected[1], rel=TOLERANCE)
    # counted as the same day (24-hour periods), the short-term formula keeps it far higher
    assert after.stability is not None
    assert rs_next(481.0, 5.0, 0, 1)[0] > 10 * after.stability


def test_review_just_before_and_just_after_the_rollover_hour() -> None:
    sched = Scheduling(Settings(timezone="Asia/Kolkata", rollover_hour=6, fuzz=False))
    tz = ZoneInfo("Asia/Kolkata")
    last = datetime(2025, 6, 2, 9, 0, tzinfo=tz).astimezone(UTC)
    card = review_state(12.0, 6.0, last)
    before = datetime(2025, 6, 4, 5, 59, 59, tzinfo=tz).astimezone(UTC)  # still the 3rd's day
    after = datetime(2025, 6, 4, 6, 0, 0, tzinfo=tz).astimezone(UTC)
    assert sched.days.elapsed(last, before) == 1 and sched.days.elapsed(last, after) == 2
    for when, days in ((before, 1), (after, 2)):
        got = sched.review(card, 3, when)
        s, d = rs_next(12.0, 6.0, days, 3)
        assert got.stability == pytest.approx(s, rel=TOLERANCE)
        assert got.difficulty == pytest.approx(d, rel=TOLERANCE)
    later, earlier = sched.review(card, 3, after).stability, sched.review(card, 3, before).stability
    assert later is not None and earlier is not None and later > earlier


def test_rollover_hour_inside_a_dst_gap() -> None:
    # New York springs forward at 02:00 on 9 March 2025: 02:00-02:59 does not exist.
    sched = Scheduling(Settings(timezone="America/New_York", rollover_hour=2, fuzz=False))
    tz = ZoneInfo("America/New_York")
    start = sched.days.start(datetime(2025, 3, 9).toordinal())
    assert start == datetime(2025, 3, 9, 7, 0, tzinfo=UTC)  # 03:00 EDT, the gap's end
    assert sched.days.day(start - timedelta(seconds=1)) == datetime(2025, 3, 8).toordinal()
    last = datetime(2025, 3, 8, 12, 0, tzinfo=tz).astimezone(UTC)
    card = review_state(3.0, 5.0, last)
    late = datetime(2025, 3, 9, 1, 59, 59, tzinfo=tz).astimezone(UTC)  # EST, still the 8th
    early = datetime(2025, 3, 9, 3, 0, 0, tzinfo=tz).astimezone(UTC)  # EDT, the 9th
    assert (early - late) == timedelta(seconds=1)
    s0, _ = rs_next(3.0, 5.0, 0, 3)
    s1, _ = rs_next(3.0, 5.0, 1, 3)
    assert sched.review(card, 3, late).stability == pytest.approx(s0, rel=TOLERANCE)
    assert sched.review(card, 3, early).stability == pytest.approx(s1, rel=TOLERANCE)


def test_rollover_hour_in_the_repeated_hour_of_a_dst_change() -> None:
    # New York falls back at 02:00 on 2 November 2025: 01:00-01:59 happens twice.
    sched = Scheduling(Settings(timezone="America/New_York", rollover_hour=1, fuzz=False))
    start = sched.days.start(datetime(2025, 11, 2).toordinal())
    assert start == datetime(2025, 11, 2, 5, 0, tzinfo=UTC)  # the first 01:00 (EDT)
    # the second 01:30 (EST, 06:30 UTC) is still the 2nd's study day
    assert (
        sched.days.day(datetime(2025, 11, 2, 6, 30, tzinfo=UTC))
        == datetime(2025, 11, 2).toordinal()
    )
    assert sched.days.day(start - timedelta(seconds=1)) == datetime(2025, 11, 1).toordinal()
    assert sched.days.end(datetime(2025, 11, 2).toordinal()) == datetime(2025, 11, 3, 6, tzinfo=UTC)


def test_times_are_truncated_to_whole_seconds() -> None:
    sched = Scheduling(Settings(timezone="UTC", fuzz=True))
    last = datetime(2025, 3, 1, 4, 0, tzinfo=UTC)
    card = review_state(9.0, 5.0, last)
    # a moment within a second of a day boundary, with microseconds
    now = datetime(2025, 3, 5, 3, 59, 59, 700_000, tzinfo=UTC)
    after = sched.review(card, 3, now)
    assert after.last_review == now.replace(microsecond=0)
    assert after.due.microsecond == 0
    # what the database keeps (whole seconds) replays to the very same card
    stored = datetime.fromtimestamp(int(now.timestamp()), UTC)
    assert sched.review(card, 3, stored) == after


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's own zone set to New York for one test."""
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("machine_zone")
def test_dst_gap_in_the_machine_zone() -> None:
    # no timezone setting: the machine's zone decides, with the same boundaries
    sched = Scheduling(Settings(rollover_hour=2, fuzz=False))
    day = datetime(2025, 3, 9).toordinal()
    assert sched.days.start(day) == datetime(2025, 3, 9, 7, 0, tzinfo=UTC)
    assert sched.days.day(datetime(2025, 3, 9, 6, 59, 59, tzinfo=UTC)) == day - 1
    assert sched.days.end(day) == datetime(2025, 3, 10, 6, 0, tzinfo=UTC)
