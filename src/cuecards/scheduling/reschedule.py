"""What rescheduling with other parameters would do: due dates that move.

Each card's history is replayed review by review through
:meth:`Scheduling.review` (the same semantics as a rating), from a new card,
and its due date is compared with the one it has now, in study days.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from cuecards.scheduling.days import StudyDay, from_epoch
from cuecards.scheduling.fsrs_adapter import CardState, Scheduling

#: one card's reviews: (reviewed_at epoch seconds, rating), oldest first
History = Sequence[tuple[int, int]]


def by_card(rows: Iterable[tuple[str, int, int]]) -> dict[str, list[tuple[int, int]]]:
    """``(uid, reviewed_at, rating)`` rows in any order -> each card's reviews,
    oldest first."""
    out: dict[str, list[tuple[int, int]]] = {}
    for uid, at, rating in rows:
        out.setdefault(uid, []).append((int(at), int(rating)))
    for reviews in out.values():
        reviews.sort(key=lambda r: r[0])
    return out


def day_counted(histories: Mapping[str, History], days: StudyDay) -> Iterator[tuple[int, int, int]]:
    """``(card number, study day, rating)`` by card then time, for the optimizer:
    the study day of each review as the scheduler counts it now."""
    for number, uid in enumerate(sorted(histories), start=1):
        for at, rating in histories[uid]:
            yield number, days.day_of_epoch(at), rating


@dataclass(frozen=True)
class Moves:
    """How the due dates of studied cards would move."""

    cards: int
    moved: int
    earlier: int
    later: int
    #: median and largest move, in study days, of the cards that move
    median_days: float
    max_days: int
    seconds: float


@dataclass(frozen=True)
class _Rated:
    """One (time, rating) pair of a :data:`History` as the replay reads it."""

    rating: int
    reviewed_at: datetime
    duration_ms: int | None = None


def replayed(card_id: int, reviews: History, sched: Scheduling) -> CardState:
    """A card's state from its reviews alone: :func:`cuecards.scheduling.replay.replay`."""
    from cuecards.scheduling.replay import replay

    return replay(sched, card_id, (_Rated(rating, from_epoch(at)) for at, rating in reviews))


def due_moves(
    histories: Mapping[str, History],
    ids: Mapping[str, int],
    current_due: Mapping[str, int],
    sched: Scheduling,
) -> Moves:
    """Replay every card of ``current_due`` that has reviews with ``sched`` and
    count the due dates that move (``ids``: uid -> card id, the fuzz seed)."""
    started = time.perf_counter()
    shifts: list[int] = []
    cards = 0
    for uid, due in current_due.items():
        reviews = histories.get(uid)
        if not reviews or uid not in ids:
            continue
        cards += 1
        new = replayed(ids[uid], reviews, sched)
        shift = sched.days.day(new.due) - sched.days.day_of_epoch(due)
        if shift:
            shifts.append(shift)
    sizes = [abs(s) for s in shifts]
    return Moves(
        cards=cards,
        moved=len(shifts),
        earlier=sum(1 for s in shifts if s < 0),
        later=sum(1 for s in shifts if s > 0),
        median_days=float(statistics.median(sizes)) if sizes else 0.0,
        max_days=max(sizes, default=0),
        seconds=time.perf_counter() - started,
    )
