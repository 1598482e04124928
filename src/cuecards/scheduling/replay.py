"""The replay: a card's schedule is its reviews, rated again in order.

The review log is the record; a card's stored schedule is a cache of this
function's result. Rating extends it by one review, undo replays what remains
without the undone review, ``cuecards check`` compares the cache with it, and
an import or a reschedule writes what it returns. The scheduler is
deterministic (fuzz is seeded by card id and reps), so a replay gives back
exactly what the ratings gave, as long as the settings are the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Protocol, TypeVar

from cuecards.scheduling import CardState, Scheduling


class Review(Protocol):
    """What a review must say to be replayed."""

    @property
    def rating(self) -> int:
        """1 again .. 4 easy."""

    @property
    def reviewed_at(self) -> datetime:
        """When it was given (aware)."""

    @property
    def duration_ms(self) -> int | None:
        """How long the answer took."""


R = TypeVar("R", bound=Review)


def replay_steps(
    scheduling: Scheduling, card_id: int, reviews: Iterable[R]
) -> Iterator[tuple[R, CardState, CardState]]:
    """Each review of ``reviews`` (oldest first) with the card's state before
    and after it, from a new card: the replay, one step at a time."""
    state = CardState(card_id=card_id)
    for r in reviews:
        after = scheduling.review(state, r.rating, r.reviewed_at, r.duration_ms)
        yield r, state, after
        state = after


def replay(scheduling: Scheduling, card_id: int, reviews: Iterable[Review]) -> CardState:
    """The schedule of card ``card_id`` after ``reviews`` (oldest first), each
    rated with :meth:`Scheduling.review` from a new card."""
    state = CardState(card_id=card_id)
    for _r, _before, after in replay_steps(scheduling, card_id, reviews):
        state = after
    return state


def same_schedule(a: CardState, b: CardState, tolerance: float = 1e-9) -> bool:
    """True when two states schedule the card alike (a never-reviewed card's
    due time is when it was added, which a replay cannot know)."""
    if (a.card_id, a.state, a.step, a.reps, a.lapses) != (
        b.card_id,
        b.state,
        b.step,
        b.reps,
        b.lapses,
    ):
        return False
    if a.reps == 0:
        return True
    if a.due != b.due or a.last_review != b.last_review:
        return False
    for x, y in ((a.stability, b.stability), (a.difficulty, b.difficulty)):
        if x is None or y is None:
            if x is not y:
                return False
        elif abs(x - y) > tolerance:
            return False
    return True
