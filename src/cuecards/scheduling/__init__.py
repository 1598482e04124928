"""A thin wrapper over ``fsrs.Scheduler``: study days, ratings, previews.

Choices made here:

* **Fuzz is deterministic.** fsrs draws its fuzz from Python's global random
  generator, so the interval a button shows could differ from the one the
  rating then gives. The fsrs scheduler is therefore built with fuzzing off,
  and :class:`Scheduling` applies its own fuzz, drawn from a generator seeded
  by ``(card id, reps)``: the preview and the rating agree, and tests are
  repeatable. The fuzz range follows FSRS's published ranges (none below
  3 days; about ±15 % up to a week, less for longer intervals).
* **Interview date.** When set and still ahead, no due date goes past the
  start of the interview's study day: such a card is due on that day.
* **Study day.** The local day number of a moment is
  ``(local time - rollover_hour hours).date().toordinal()``; the local time
  zone is the machine's unless the ``timezone`` setting names one.
* Every datetime here is timezone-aware UTC; the database keeps epoch seconds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from fsrs import Card, Rating, Scheduler, State

from cuecards.config import Settings

UTC = UTC
#: fsrs state numbers as the database stores them
LEARNING, REVIEW, RELEARNING = int(State.Learning), int(State.Review), int(State.Relearning)
DEFAULT_DECAY = 0.1542


def to_epoch(dt: datetime) -> int:
    """Epoch seconds of an aware datetime."""
    return int(dt.timestamp())


def from_epoch(seconds: int | float) -> datetime:
    """An aware UTC datetime from epoch seconds."""
    return datetime.fromtimestamp(seconds, UTC)


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


class StudyDay:
    """Local study days that roll over at ``rollover_hour``."""

    def __init__(self, rollover_hour: int = 4, tz_name: str | None = None) -> None:
        self.rollover_hour = rollover_hour
        self.tz: tzinfo | None = None
        if tz_name:
            from zoneinfo import ZoneInfo

            self.tz = ZoneInfo(tz_name)

    def day(self, moment: datetime) -> int:
        """The study day number of an aware moment."""
        local = moment.astimezone(self.tz)
        return (local - timedelta(hours=self.rollover_hour)).date().toordinal()

    def start(self, day: int) -> datetime:
        """When study day ``day`` begins, in UTC."""
        naive = datetime.combine(date.fromordinal(day), time(hour=self.rollover_hour))
        local = naive.replace(tzinfo=self.tz) if self.tz else naive.astimezone()
        return local.astimezone(UTC)

    def end(self, day: int) -> datetime:
        """When study day ``day`` ends (the next one begins), in UTC."""
        return self.start(day + 1)

    def date_of(self, day: int) -> date:
        """The calendar date a study day is named after."""
        return date.fromordinal(day)


def _fuzz_range(days: int, maximum: int) -> tuple[int, int]:
    # Wider spread for short intervals, narrower per day for long ones.
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
        self.decay = -(params[20] if params else DEFAULT_DECAY)
        self.factor = 0.9 ** (1 / self.decay) - 1

    # -- rating -------------------------------------------------------------
    def review(
        self, card: CardState, rating: int, now: datetime, duration_ms: int | None = None
    ) -> CardState:
        """The card after ``rating`` at ``now`` (nothing is mutated)."""
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        now = now.astimezone(UTC)
        new, _log = self.fsrs.review_card(card.to_fsrs(), Rating(rating), now, duration_ms)
        due = new.due
        if self.settings.fuzz and new.state == State.Review:
            due = self._fuzzed(card, now, due)
        due = self._clamped(now, due)
        lapsed = rating == int(Rating.Again) and card.state == REVIEW
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

    def preview(self, card: CardState, now: datetime) -> dict[int, timedelta]:
        """The interval each rating (1-4) would give at ``now``; matches :meth:`review`."""
        return {r: self.review(card, r, now).due - now for r in (1, 2, 3, 4)}

    def _fuzzed(self, card: CardState, now: datetime, due: datetime) -> datetime:
        days = (due - now).days
        if days < 3:
            return due
        low, high = _fuzz_range(days, self.settings.maximum_interval)
        # Seeded by the card and its review count: the same rating at the
        # same point of a card's life always gives the same interval.
        rng = random.Random(card.card_id * 100_003 + card.reps)
        return now + timedelta(days=rng.randint(low, high))

    def _clamped(self, now: datetime, due: datetime) -> datetime:
        interview = self.settings.interview_date
        if interview is None:
            return due
        limit = self.days.start(interview.toordinal())
        if limit <= now:
            return due
        return min(due, limit)

    # -- recall -------------------------------------------------------------
    def retrievability(
        self, stability: float | None, last_review: datetime | None, at: datetime
    ) -> float:
        """Predicted recall at ``at`` of a card last reviewed at ``last_review``."""
        if stability is None or last_review is None or stability <= 0:
            return 0.0
        elapsed = max(0.0, (at - last_review).total_seconds() / 86400)
        return float((1 + self.factor * elapsed / stability) ** self.decay)

    def interview_moment(self) -> datetime | None:
        """The start of the interview's study day, if an interview date is set."""
        interview = self.settings.interview_date
        return None if interview is None else self.days.start(interview.toordinal())
