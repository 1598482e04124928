"""The interview plan: recall to expect on the day, and what it costs to get there.

Two figures per deck and tag:

* **if you stop now**: mean recall on the interview's study day of the cards
  studied so far, by the one recall formula (:mod:`.memory`);
* **if you keep reviewing**: a simulation of the collection from today to the
  day, at the current desired retention and at alternatives. Each studied
  card is reviewed when due; it is recalled with the probability its
  forgetting curve gives on that day; its next memory state and interval come
  from fsrs-rs's ``next_states`` (the reference FSRS-6, with the same
  study-day counting as the scheduler); a forgotten card is relearned the same
  day. No interval passes the interview day (as the scheduler clamps them).
  New cards are introduced at the daily new-card limit in queue order.
  Minutes per day are the simulated ratings times the mean time per rating.
  The simulation draws from a fixed seed, so a plan is repeatable.

fsrs-rs also has a simulator, but it starts from new cards only (it takes no
existing memory states), so it cannot say what today's collection needs.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cuecards.errors import CuecardsError
from cuecards.scheduling.memory import Curve

#: first ratings of new cards and passing ratings of reviews (Anki's simulator defaults)
FIRST_RATINGS = (0.24, 0.094, 0.495, 0.171)
PASSING_RATINGS = (0.224, 0.631, 0.145)
#: a deck is at risk when its simulated recall on the day is this far below the target
RISK_MARGIN = 0.05


@dataclass(frozen=True)
class PlanCard:
    """One live card as the plan needs it (days are study day numbers)."""

    deck: str
    tags: tuple[str, ...]
    stability: float | None = None
    difficulty: float | None = None
    last_day: int | None = None
    due_day: int | None = None

    @property
    def studied(self) -> bool:
        """Has a memory state."""
        return self.stability is not None and self.difficulty is not None


@dataclass(frozen=True)
class Scenario:
    """One simulated way to the interview."""

    retention: float
    minutes_per_day: float
    ratings: int
    recall: float
    by_deck: dict[str, float] = field(default_factory=dict)
    by_tag: dict[str, float] = field(default_factory=dict)
    new_introduced: int = 0


@dataclass(frozen=True)
class Plan:
    """What to expect on the interview day."""

    today: int
    interview_day: int
    cards: int
    studied: int
    #: mean recall on the day of the studied cards if nothing more is reviewed
    stop_now: dict[str, float]
    stop_now_tags: dict[str, float]
    scenarios: tuple[Scenario, ...]
    #: deck -> why it is at risk
    at_risk: dict[str, str]

    @property
    def days_left(self) -> int:
        """Study days from today to the interview's."""
        return self.interview_day - self.today


def alternatives(current: float) -> list[float]:
    """The current desired retention and three others worth comparing."""
    others = [r for r in (0.8, 0.85, 0.9, 0.95) if abs(r - current) > 0.02]
    return [current, *sorted(sorted(others, key=lambda r: abs(r - current))[:3])]


def _mean(values: dict[str, list[float]]) -> dict[str, float]:
    return {k: sum(v) / len(v) for k, v in sorted(values.items()) if v}


class _Sim:
    """One scenario's simulation."""

    def __init__(self, rs: Any, params: Sequence[float], retention: float, seed: int) -> None:
        self.fsrs = rs.FSRS(list(params))
        self.memory = rs.MemoryState
        self.retention = retention
        self.rng = random.Random(seed)
        self.ratings = 0

    def _pick(self, states: Any, rating: int) -> Any:
        return (states.again, states.hard, states.good, states.easy)[rating - 1]

    def learn(self, day: int) -> tuple[float, float, int]:
        """A new card on ``day``: (stability, difficulty, next due day)."""
        rating = self.rng.choices((1, 2, 3, 4), FIRST_RATINGS)[0]
        state = self._pick(self.fsrs.next_states(None, self.retention, 0), rating)
        self.ratings += 1
        while rating < 3:  # learning steps, the same day, until Good
            mem = state.memory
            state = self.fsrs.next_states(mem, self.retention, 0).good
            rating = 3
            self.ratings += 1
        s, d = float(state.memory.stability), float(state.memory.difficulty)
        return s, d, day + max(1, round(state.interval))

    def review(self, curve: Curve, s: float, d: float, elapsed: int) -> tuple[float, float, int]:
        """A review ``elapsed`` days after the last: (stability, difficulty, interval)."""
        recalled = self.rng.random() < curve.recall(s, elapsed)
        rating = self.rng.choices((2, 3, 4), PASSING_RATINGS)[0] if recalled else 1
        state = self._pick(
            self.fsrs.next_states(self.memory(s, d), self.retention, elapsed), rating
        )
        self.ratings += 1
        if rating == 1:  # relearned the same day
            state = self.fsrs.next_states(state.memory, self.retention, 0).good
            self.ratings += 1
        return float(state.memory.stability), float(state.memory.difficulty), state.interval


def make_plan(
    cards: Sequence[PlanCard],
    today: int,
    interview_day: int,
    parameters: Sequence[float] | None,
    desired_retention: float,
    new_per_day: int,
    seconds_per_rating: float,
    seed: int = 2025,
) -> Plan:
    """The plan for ``cards`` from ``today`` to ``interview_day``.

    Raises:
        CuecardsError: fsrs-rs-python (a dependency) is missing.
    """
    try:
        import fsrs_rs_python as rs
    except ImportError:
        raise CuecardsError(
            "the plan's simulation needs fsrs-rs-python, a dependency: reinstall cuecards"
        ) from None
    params = list(parameters) if parameters else list(rs.DEFAULT_PARAMETERS)
    curve = Curve.of(params)
    stop_deck: dict[str, list[float]] = defaultdict(list)
    stop_tag: dict[str, list[float]] = defaultdict(list)
    for c in cards:
        if c.studied and c.last_day is not None:
            r = curve.recall(c.stability, interview_day - c.last_day)
            stop_deck[c.deck].append(r)
            for t in c.tags:
                stop_tag[t].append(r)
    scenarios = tuple(
        _simulate(
            rs, params, curve, cards, today, interview_day, r, new_per_day, seconds_per_rating, seed
        )  # fmt: skip
        for r in alternatives(desired_retention)
    )
    at_risk: dict[str, str] = {}
    current = scenarios[0]
    for deck, recall in current.by_deck.items():
        if recall < desired_retention - RISK_MARGIN:
            at_risk[deck] = f"recall {recall:.0%} on the day at {desired_retention:.0%} retention"
    unreached = _unreached(cards, today, interview_day, new_per_day)
    for deck, n in unreached.items():
        note = f"{n} new cards not reached by the date"
        at_risk[deck] = f"{at_risk[deck]}; {note}" if deck in at_risk else note
    return Plan(
        today=today,
        interview_day=interview_day,
        cards=len(cards),
        studied=sum(1 for c in cards if c.studied),
        stop_now=_mean(stop_deck),
        stop_now_tags=_mean(stop_tag),
        scenarios=scenarios,
        at_risk=dict(sorted(at_risk.items())),
    )


def _unreached(cards: Sequence[PlanCard], today: int, day: int, per_day: int) -> dict[str, int]:
    reachable = max(0, day - today) * per_day
    out: dict[str, int] = defaultdict(int)
    for c in [c for c in cards if not c.studied][reachable:]:
        out[c.deck] += 1
    return dict(out)


def _simulate(
    rs: Any,
    params: Sequence[float],
    curve: Curve,
    cards: Sequence[PlanCard],
    today: int,
    interview_day: int,
    retention: float,
    new_per_day: int,
    seconds_per_rating: float,
    seed: int,
) -> Scenario:
    sim = _Sim(rs, params, retention, seed)
    by_deck: dict[str, list[float]] = defaultdict(list)
    by_tag: dict[str, list[float]] = defaultdict(list)
    new_seen = 0
    for c in cards:
        if c.studied and c.last_day is not None:
            s, d, last = float(c.stability or 0), float(c.difficulty or 0), c.last_day
            due = max(today, c.due_day if c.due_day is not None else today)
        else:
            slot = today + new_seen // new_per_day if new_per_day > 0 else interview_day
            if slot >= interview_day:
                continue  # not reached by the date: no memory on the day
            new_seen += 1
            s, d, due = sim.learn(slot)
            last = slot
        while due < interview_day:
            s, d, interval = sim.review(curve, s, d, due - last)
            last, due = due, due + max(1, round(interval))
        r = curve.recall(s, interview_day - last)
        by_deck[c.deck].append(r)
        for t in c.tags:
            by_tag[t].append(r)
    days = max(1, interview_day - today)
    all_recall = [r for v in by_deck.values() for r in v]
    return Scenario(
        retention=retention,
        minutes_per_day=sim.ratings * seconds_per_rating / 60 / days,
        ratings=sim.ratings,
        recall=sum(all_recall) / len(all_recall) if all_recall else 0.0,
        by_deck=_mean(by_deck),
        by_tag=_mean(by_tag),
        new_introduced=new_seen,
    )
