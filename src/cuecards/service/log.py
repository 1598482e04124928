"""The review log as a unit of work: rate, undo, check.

Each is one transaction read top to bottom here; storage only reads and writes
rows, and scheduling only computes states. A card's stored schedule is the
replay of its review rows (:func:`cuecards.scheduling.replay.replay`): rating
extends it by one review, undo deletes only its own row and replays the rest,
so a rating given meanwhile by another copy of cuecards is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cuecards.scheduling import CardState, Scheduling, from_epoch, to_epoch
from cuecards.scheduling.replay import replay, replay_steps, same_schedule
from cuecards.storage import CardTx, NewReview, SavedReview, Store


def whole_seconds(moment: datetime) -> datetime:
    """``moment`` as the review log keeps it (epoch seconds), so that a rating
    and the replay of its row compute from the same instant."""
    return from_epoch(to_epoch(moment))


def rate_card(
    store: Store,
    sched: Scheduling,
    card_id: int,
    rating: int,
    now: datetime,
    duration_ms: int,
    answer: str | None = None,
    grade: dict[str, Any] | None = None,
    points: tuple[int | None, int | None] = (None, None),
) -> tuple[SavedReview, CardState]:
    """Rate a card in one transaction; committed when it returns.

    The card is re-read inside the transaction (another copy may have rated
    it), so the new state extends exactly the log as it is now.
    """
    at = whole_seconds(now)
    with store.transaction() as tx:
        before = tx.card(card_id)
        after = sched.review(before, rating, at, duration_ms)
        saved = tx.save_rating(
            NewReview(
                before=before,
                after=after,
                rating=rating,
                reviewed_at=at,
                day=sched.days.day(at),
                duration_ms=duration_ms,
                answer=answer,
                grade=grade,
                points_hit=points[0],
                points_total=points[1],
            )
        )
    return saved, after


def undo_review(store: Store, sched: Scheduling, review_uid: str) -> int | None:
    """Delete one review row and replay what remains of its card's log, in one
    transaction. Returns the card id, or None when the review was gone."""
    with store.transaction() as tx:
        gone = tx.review(review_uid)
        if gone is None:
            return None
        tx.delete_review(review_uid)
        _replay_into(tx, sched, gone.card_id)
    return gone.card_id


def _replay_into(tx: CardTx, sched: Scheduling, card_id: int) -> None:
    """Replay a card's log and write the result: its schedule, and each review
    row's cached before/after states (a later review, say another copy's,
    now follows a different state)."""
    steps = list(replay_steps(sched, card_id, tx.reviews(card_id)))
    tx.restate_reviews(steps)
    tx.save_state(steps[-1][2] if steps else CardState(card_id=card_id))


@dataclass(frozen=True)
class ImportedReview:
    """A review made elsewhere (an Anki revlog row), to extend a card's log."""

    reviewed_at: datetime
    rating: int
    duration_ms: int
    #: a stable id from the source, so the row stays identifiable
    uid: str = ""


def import_reviews(
    store: Store, sched: Scheduling, logs: dict[int, list[ImportedReview]]
) -> tuple[dict[int, int], int]:
    """Extend each card's log with reviews made elsewhere, in one transaction,
    rating them in time order exactly as :func:`rate_card` does (so the stored
    state is the replay of the log). Reviews not later than a card's last one
    here are skipped. Returns (reviews written per card id, reviews skipped)."""
    written: dict[int, int] = {}
    skipped = 0
    with store.transaction() as tx:
        for card_id, reviews in logs.items():
            state = tx.card(card_id)
            # after a forget, reviews up to it no longer count: nor do imported ones
            last = state.last_review if state.reps else tx.forgotten_at(card_id)
            for r in sorted(reviews, key=lambda r: r.reviewed_at):
                at = whole_seconds(r.reviewed_at)
                if last is not None and at <= last:
                    skipped += 1
                    continue
                after = sched.review(state, r.rating, at, r.duration_ms)
                tx.save_rating(
                    NewReview(
                        before=state,
                        after=after,
                        rating=r.rating,
                        reviewed_at=at,
                        day=sched.days.day(at),
                        duration_ms=r.duration_ms,
                        uid=r.uid,
                    )
                )
                state, last = after, at
                written[card_id] = written.get(card_id, 0) + 1
    return written, skipped


@dataclass
class CheckReport:
    """What ``cuecards check`` found (and, with repair, fixed)."""

    integrity: list[str] = field(default_factory=list)
    cards: int = 0
    reviews: int = 0
    #: card ids whose stored schedule is not the replay of their reviews
    differ: list[int] = field(default_factory=list)
    repaired: int = 0
    backup: str | None = None

    @property
    def ok(self) -> bool:
        """Nothing wrong was found (or everything found was repaired)."""
        return not self.integrity and (not self.differ or self.repaired == len(self.differ))


def check(store: Store, sched: Scheduling, repair: bool = False) -> CheckReport:
    """SQLite's integrity check, then every card's stored schedule against the
    replay of its reviews; ``repair`` rewrites differing ones from the replay
    after a backup (never on a damaged file)."""
    report = CheckReport(integrity=store.integrity_problems())
    if report.integrity:
        return report
    fixes: list[CardState] = []
    for stored, reviews in store.logs():
        report.cards += 1
        report.reviews += len(reviews)
        expected = replay(sched, stored.card_id, reviews)
        if not same_schedule(stored, expected):
            report.differ.append(stored.card_id)
            fixes.append(expected)
    if repair and fixes:
        report.backup = str(store.backup(why="before-repair"))
        with store.transaction() as tx:
            for state in fixes:
                _replay_into(tx, sched, state.card_id)
        report.repaired = len(fixes)
    return report
