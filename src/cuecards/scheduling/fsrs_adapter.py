"""Ratings and previews: fsrs's state transitions on study-day counts.

Choices made here:

* **Elapsed time is whole study days.** fsrs counts ``floor(hours / 24)``
  between ``last_review`` and now, and uses FSRS-6's short-term formula when
  that count is 0. Before each transition the card is handed to fsrs with a
  ``last_review`` exactly ``n`` days before now, ``n`` being the study days
  crossed (:meth:`StudyDay.elapsed`): fsrs then counts ``n`` as fsrs-rs and
  Anki do, and same-day reviews go through the short-term formula. Stability
  is kept inside fsrs-rs's bounds.
* **Whole seconds.** A review's moment is truncated to whole seconds before
  anything is computed, so what the database keeps is what was computed.
* **The button is the promise.** :meth:`Scheduling.preview` and
  :meth:`Scheduling.review` share :meth:`Scheduling.outcome`. A review
  interval depends only on the study day (not the hour), so the labels are
  valid until the study day ends (:meth:`Scheduling.labels_expire`), and the
  label of a review interval counts study days (:meth:`shown_interval`).
* **Hard <= Good <= Easy.** As Anki does, Good's interval is at least Hard's
  plus one day and Easy's at least Good's plus one day (when the maximum
  interval or the interview date leaves room), fuzz included.
* **Fuzz is deterministic.** One fuzz factor per (card id, reps), shared by
  the three passing ratings (so fuzz keeps their order); fuzz ranges follow
  FSRS's published ranges (none below 3 days).
* **Interview date.** When set and still ahead, no due date goes past the
  start of the interview's study day.
* Every datetime here is timezone-aware UTC; the database keeps epoch seconds.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

from cuecards.config import Settings
from cuecards.scheduling.days import StudyDay, whole_seconds
from cuecards.scheduling.memory import Curve

#: fsrs state numbers as the database stores them
LEARNING, REVIEW, RELEARNING = int(State.Learning), int(State.Review), int(State.Relearning)
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
#: fsrs-rs's stability bounds (fsrs clamps only the lower one)
S_MIN, S_MAX = 0.001, 36500.0


@dataclass(frozen=True)
class CardState:
    """A card's schedule: fsrs's Card fields plus reps and lapses."""

    card_id: int
    state: int = LEARNING
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime = datetime(1970, 1, 1, tzinfo=UTC)
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @property
    def is_new(self) -> bool:
        """Never rated."""
        return self.reps == 0

    @property
    def label(self) -> str:
        """new, learning, review or relearning (the words of views.CardState)."""
        if self.reps == 0:
            return "new"
        return {LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}[self.state]

    def to_fsrs(self) -> Card:
        """The fsrs Card (card_id always passed: fsrs sleeps 1 ms without one)."""
        return Card(
            card_id=self.card_id,
            state=State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )


def fuzz_range(days: int, maximum: int) -> tuple[int, int]:
    """FSRS's fuzz range around ``days`` (wider for short intervals)."""
    spread = 1.0
    for lo, hi, share in ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, float("inf"), 0.05)):
        spread += share * max(min(float(days), hi) - lo, 0.0)
    low = max(2, round(days - spread))
    high = min(round(days + spread), maximum)
    return min(low, high), high


class Scheduling:
    """Ratings and previews for one set of :class:`Settings`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        params = settings.fsrs_parameters
        self.fsrs = Scheduler(
            **({"parameters": params} if params else {}),
            desired_retention=settings.desired_retention,
            learning_steps=settings.steps("learning"),
            relearning_steps=settings.steps("relearning"),
            maximum_interval=settings.maximum_interval,
            enable_fuzzing=False,
        )
        self.days = StudyDay(settings.rollover_hour, settings.timezone)
        self.curve = Curve.of(params)
        self.decay = self.curve.decay
        self.factor = self.curve.factor
        #: the last fuzz draw, (seed, value): the passing ratings share one
        self._share: tuple[int, float] = (-1, 0.0)

    # -- rating -------------------------------------------------------------
    def review(
        self, card: CardState, rating: int, now: datetime, duration_ms: int | None = None
    ) -> CardState:
        """The card after ``rating`` at ``now`` (truncated to whole seconds);
        nothing is mutated. ``duration_ms`` does not change the schedule."""
        del duration_ms  # kept in the review row, not in the schedule
        return self.outcome(card, rating, now)

    def preview(self, card: CardState, now: datetime) -> dict[int, timedelta]:
        """The interval each rating (1-4) would give at ``now``, as its button
        shows it (:meth:`shown_interval`); the same computation as :meth:`review`."""
        now = whole_seconds(now)
        return {r: self.shown_interval(self.outcome(card, r, now), now) for r in (1, 2, 3, 4)}

    def shown_interval(self, after: CardState, now: datetime) -> timedelta:
        """The interval to show for a rating that gives ``after`` at ``now``: a
        review card's in whole study days (constant until the day turns), a
        step's exactly."""
        now = whole_seconds(now)
        if after.state == REVIEW:
            return timedelta(days=self.days.day(after.due) - self.days.day(now))
        return after.due - now

    def labels_expire(self, now: datetime) -> datetime:
        """Until when the labels :meth:`preview` gives at ``now`` stay true:
        the end of the study day (the elapsed-day count changes then)."""
        return self.days.end(self.days.day(now))

    def outcome(self, card: CardState, rating: int, now: datetime) -> CardState:
        """The card after ``rating`` at ``now``: :meth:`review` and
        :meth:`preview` both come here."""
        now = whole_seconds(now)
        if rating not in (AGAIN, HARD, GOOD, EASY):
            raise ValueError(f"a rating is 1, 2, 3 or 4, not {rating!r}")
        base = self._before(card, now)
        new = self._transition(base, rating, now)
        due = new.due
        if new.state == State.Review:
            days = self._review_days(card, base, rating, now, new)
            due = self._on_day(now, days)
        due = self._clamped(now, due)
        lapsed = rating == AGAIN and card.state == REVIEW
        return replace(
            card,
            state=int(new.state),
            step=new.step,
            stability=new.stability,
            difficulty=new.difficulty,
            due=due,
            last_review=now,
            reps=card.reps + 1,
            lapses=card.lapses + (1 if lapsed else 0),
        )

    def _before(self, card: CardState, now: datetime) -> Card:
        """The fsrs Card to rate at ``now``: its last review exactly as many
        24-hour days back as study days have passed, so fsrs counts those."""
        before = card.to_fsrs()
        elapsed = self.days.elapsed(card.last_review, now)
        if elapsed is not None:
            before.last_review = now - timedelta(days=elapsed)
        return before

    def _transition(self, before: Card, rating: int, now: datetime) -> Card:
        """fsrs's transition (it copies ``before``, never changes it)."""
        new, _log = self.fsrs.review_card(before, Rating(rating), now)
        if new.stability is not None:
            new.stability = min(max(new.stability, S_MIN), S_MAX)
        new.due = whole_seconds(new.due)
        return new

    def _review_days(
        self, card: CardState, base: Card, rating: int, now: datetime, new: Card
    ) -> int:
        """Whole days until a review card is due: fsrs's interval, at least one
        day past the previous passing rating's (Anki's order), fuzzed."""
        maximum = self.settings.maximum_interval
        minimum = 1
        if rating > HARD:
            lower = self._transition(base, rating - 1, now)
            if lower.state == State.Review:
                minimum = self._review_days(card, base, rating - 1, now, lower) + 1
        days = max(1, (new.due - now).days)
        return self._fuzzed(card, days, minimum, maximum)

    def _fuzzed(self, card: CardState, days: int, minimum: int, maximum: int) -> int:
        minimum = min(minimum, maximum)
        days = min(max(days, minimum), maximum)
        if not self.settings.fuzz or days < 3:
            return days
        low, high = fuzz_range(days, maximum)
        low, high = min(max(low, minimum), maximum), min(max(high, minimum), maximum)
        if high == low and 2 < high < maximum:
            high = low + 1
        # Seeded by the card and its review count: the same rating at the
        # same point of a card's life always gives the same interval, and the
        # three passing ratings share one draw.
        seed = card.card_id * 100_003 + card.reps
        cached = self._share  # one read: safe if two threads rate at once
        if cached[0] == seed:
            share = cached[1]
        else:
            share = random.Random(seed).random()
            self._share = (seed, share)
        return min(high, low + math.floor(share * (high - low + 1)))

    def _on_day(self, now: datetime, days: int) -> datetime:
        """``days`` days after ``now``, on the study day ``days`` after today
        (a DST change near the rollover hour can otherwise shift it)."""
        target = self.days.day(now) + days
        due = now + timedelta(days=days)
        got = self.days.day(due)
        if got < target:
            return self.days.start(target)
        if got > target:
            return self.days.end(target) - timedelta(seconds=1)
        return due

    def _clamped(self, now: datetime, due: datetime) -> datetime:
        limit = self.interview_moment()
        if limit is None or limit <= now:
            return due
        return min(due, limit)

    # -- recall -------------------------------------------------------------
    def recall_on(self, stability: float | None, last_review: datetime | None, day: int) -> float:
        """Predicted recall on study day ``day`` (:meth:`Curve.recall_on`)."""
        return self.curve.recall_on(self.days, stability, last_review, day)

    def retrievability(
        self, stability: float | None, last_review: datetime | None, at: datetime
    ) -> float:
        """Predicted recall at ``at``: on the study day of ``at``."""
        return self.recall_on(stability, last_review, self.days.day(at))

    def interview_moment(self) -> datetime | None:
        """The start of the interview's study day, if an interview date is set."""
        interview = self.settings.interview_date
        return None if interview is None else self.days.start(interview.toordinal())
