"""Cards: the queue, showing a card, and the rating as a unit of work.

A rating is read top to bottom by its caller, in one transaction::

    with store.transaction() as tx:
        before = tx.card(card_id)
        after = scheduling.review(before, rating, now)
        tx.save_rating(NewReview(before, after, ...))

Nothing here calls up into scheduling.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cuecards.errors import StoreError
from cuecards.model import Item
from cuecards.scheduling import CardState, from_epoch
from cuecards.storage.browse import AFTER_FORGET
from cuecards.storage.codec import (
    CARD_STATE_COLS,
    EVENT_COLS,
    INSERT_REVIEW,
    NEW,
    RESTATE_REVIEW,
    STUDIED,
    UPDATE_STATE,
    NewReview,
    ReviewEvent,
    card_state,
    item_from_json,
    restate_params,
    review_event,
    scope_params,
    scope_sql,
    state_params,
)
from cuecards.storage.connection import Database


@dataclass(frozen=True)
class QueueRow:
    """A card in today's queue, without its content."""

    id: int
    uid: str
    note_uid: str
    kind: str
    state: int
    due: int
    reps: int
    group: str  # "learning", "review", "new"


@dataclass(frozen=True)
class ShownCard:
    """A card with what showing it needs: schedule, content, deck."""

    state: CardState
    uid: str
    item: Item
    kind: str
    note_uid: str
    deck_id: str
    deck_title: str | None
    deck_path: str | None


@dataclass(frozen=True)
class SuspendedCard:
    """A live suspended card."""

    uid: str
    deck_id: str
    item: Item


@dataclass(frozen=True)
class SavedReview:
    """A review row just written: its local row id and its stable uid."""

    id: int
    uid: str


class CardTx:
    """The reads and writes of one card transaction (see the module docstring)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._c = conn

    def card(self, card_id: int) -> CardState:
        """The card's schedule as stored now (another copy may have changed it)."""
        row = self._c.execute(
            f"SELECT {CARD_STATE_COLS} FROM cards WHERE id = ?", (card_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"card {card_id} is no longer in the database")
        return card_state(row)

    def save_state(self, state: CardState) -> None:
        """Write a card's schedule; a card with no reviews is due from when it
        was added, as a new card is."""
        self._c.execute(UPDATE_STATE, (*state_params(state), state.card_id))
        if state.reps == 0:
            self._c.execute("UPDATE cards SET due = created_at WHERE id = ?", (state.card_id,))

    def save_rating(self, review: NewReview) -> SavedReview:
        """Write the card's new schedule and its review row."""
        self.save_state(review.after)
        params = review.params()
        cur = self._c.execute(INSERT_REVIEW, params)
        return SavedReview(int(cur.lastrowid or 0), str(params[0]))

    def restate_reviews(self, steps: list[tuple[ReviewEvent, CardState, CardState]]) -> None:
        """Rewrite the cached before/after states of review rows (after a replay
        changed them: an undo beneath another copy's rating, a repair)."""
        self._c.executemany(
            RESTATE_REVIEW, [restate_params(r.uid, r.reviewed_at, b, a) for r, b, a in steps]
        )

    def review(self, uid: str) -> ReviewEvent | None:
        """One review by its uid, or None when it is gone."""
        row = self._c.execute(f"SELECT {EVENT_COLS} FROM reviews WHERE uid = ?", (uid,)).fetchone()
        return None if row is None else review_event(row)

    def reviews(self, card_id: int) -> list[ReviewEvent]:
        """A card's reviews in the order they were given."""
        rows = self._c.execute(
            f"SELECT {EVENT_COLS} FROM reviews WHERE card_id = ? AND {AFTER_FORGET} "
            "ORDER BY reviewed_at, id",
            (card_id,),
        ).fetchall()
        return [review_event(r) for r in rows]

    def forgotten_at(self, card_id: int) -> datetime | None:
        """When the card was last forgotten (reviews up to then no longer count)."""
        v = self._c.execute("SELECT max(at) FROM forgets WHERE card_id = ?", (card_id,)).fetchone()
        return None if v is None or v[0] is None else from_epoch(int(v[0]))

    def delete_review(self, uid: str) -> None:
        """Remove one review row (undo); the caller replays what remains."""
        self._c.execute("DELETE FROM reviews WHERE uid = ?", (uid,))


class CardStore(Database):
    """Cards, their queue and their ratings."""

    @contextmanager
    def transaction(self) -> Iterator[CardTx]:
        """One write transaction over cards and reviews, committed on exit."""
        with self.write() as conn:
            yield CardTx(conn)

    def card_id_of(self, uid: str) -> int | None:
        """The numeric id of a card uid."""
        v = self._one("SELECT id FROM cards WHERE uid = ?", (uid,))
        return None if v is None else int(v)

    def card(self, card_id: int) -> ShownCard | None:
        """A card with its deck's title and file, for showing it."""
        rows = self._q(
            "SELECT c.id, c.state, c.step, c.stability, c.difficulty, c.due, c.last_review, "
            "c.reps, c.lapses, c.uid, c.content, c.kind, c.note_uid, c.deck_id, "
            "d.title, d.path FROM cards c LEFT JOIN decks d ON d.id = c.deck_id "
            "WHERE c.id = ?",
            (card_id,),
        )
        if not rows:
            return None
        r = rows[0]
        uid, content, kind, note, deck, title, path = r[9:16]
        return ShownCard(card_state(r), uid, item_from_json(content), kind, note, deck, title, path)

    def card_state(self, uid: str) -> CardState | None:
        """A card's schedule by uid."""
        rows = self._q(f"SELECT {CARD_STATE_COLS} FROM cards WHERE uid = ?", (uid,))
        return card_state(rows[0]) if rows else None

    def live_tags(self) -> list[str]:
        """Every tag of a live (not retired) card, sorted."""
        return [
            r[0]
            for r in self._q(
                "SELECT DISTINCT t.tag FROM card_tags t JOIN cards c ON c.id = t.card_id "
                "WHERE c.retired = 0 ORDER BY t.tag"
            )
        ]

    def has_live_tag(self, tag: str) -> bool:
        """True when some live card has ``tag``."""
        sql = (
            "SELECT 1 FROM card_tags t JOIN cards c ON c.id = t.card_id "
            "WHERE t.tag = ? AND c.retired = 0 LIMIT 1"
        )
        return self._one(sql, (tag,)) is not None

    def live_decks(self) -> list[str]:
        """Ids of every live deck, sorted."""
        return [r[0] for r in self._q("SELECT id FROM decks WHERE retired = 0 ORDER BY id")]

    def has_deck(self, deck: str) -> bool:
        """True when some card (even retired) is in the deck or folder of decks."""
        sql = "SELECT 1 FROM cards c WHERE 1" + scope_sql(deck, None) + " LIMIT 1"
        return self._one(sql, scope_params(deck, None)) is not None

    def set_aside(self, card_id: int, suspend: bool, until_day: int) -> tuple[int, int]:
        """Suspend a card, or bury it until study day ``until_day``, in one
        transaction; returns its (suspended, buried_until) from before, for undo."""
        with self.write() as c:
            row = c.execute(
                "SELECT suspended, buried_until FROM cards WHERE id = ?", (card_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"card {card_id} is no longer in the database")
            if suspend:
                c.execute("UPDATE cards SET suspended = 1 WHERE id = ?", (card_id,))
            else:
                c.execute("UPDATE cards SET buried_until = ? WHERE id = ?", (until_day, card_id))
        return int(row[0]), int(row[1])

    def set_flags(self, card_id: int, suspended: int, buried_until: int) -> None:
        """Put back a card's suspended flag and burial (undo of :meth:`set_aside`)."""
        with self.write() as c:
            c.execute(
                "UPDATE cards SET suspended = ?, buried_until = ? WHERE id = ?",
                (suspended, buried_until, card_id),
            )

    def suspended_cards(self) -> list[SuspendedCard]:
        """Every live suspended card, by uid."""
        return [
            SuspendedCard(r[0], r[1], item_from_json(r[2]))
            for r in self._q(
                "SELECT uid, deck_id, content FROM cards WHERE suspended = 1 AND retired = 0 "
                "ORDER BY uid"
            )
        ]

    def unsuspend(self, uids: list[str] | None) -> list[str]:
        """Unsuspend the named cards (None: every suspended card), in one
        transaction; returns the uids that were suspended and now are not."""
        with self.write() as c:
            if uids is None:
                found = [
                    r[0]
                    for r in c.execute("SELECT uid FROM cards WHERE suspended = 1 ORDER BY uid")
                ]
            elif uids:
                marks = ",".join("?" * len(uids))
                found = [
                    r[0]
                    for r in c.execute(
                        f"SELECT uid FROM cards WHERE suspended = 1 AND uid IN ({marks}) "
                        "ORDER BY uid",
                        uids,
                    )
                ]
            else:
                found = []
            c.executemany("UPDATE cards SET suspended = 0 WHERE uid = ?", [(u,) for u in found])
        return found

    # -- queue --------------------------------------------------------------
    def queue(
        self,
        today: int,
        end: int,
        new_limit: int,
        review_limit: int,
        deck: str | None = None,
        tag: str | None = None,
    ) -> list[QueueRow]:
        """Today's candidates in one indexed query: learning due today, reviews due
        before ``end`` (oldest first) and new cards (by position, so decks mix)."""
        flt = scope_sql(deck, tag, alias="")
        cols = "SELECT id, uid, note_uid, kind, state, due, reps, '{g}' FROM cards WHERE "
        studied = cols + STUDIED + " AND buried_until <= :today" + flt
        new = cols.format(g="new") + NEW + " AND buried_until <= :today" + flt
        sql = (
            studied.format(g="learning") + " AND state IN (1, 3) AND due < :end"
            " UNION ALL SELECT * FROM ("
            + studied.format(g="review")
            + " AND state = 2 AND due < :end ORDER BY due LIMIT :rev)"
            " UNION ALL SELECT * FROM (" + new + " ORDER BY position, deck_id LIMIT :new)"
        )
        params: dict[str, Any] = {
            **scope_params(deck, tag),
            "today": today,
            "end": end,
            "rev": review_limit,
            "new": new_limit,
        }
        return [QueueRow(*r) for r in self._q(sql, params)]

    def cram(self, uids: list[str]) -> list[QueueRow]:
        """Named cards (any schedule), in the order given; suspended/retired left out."""
        if not uids:
            return []
        marks = ",".join("?" * len(uids))
        rows = self._q(
            "SELECT id, uid, note_uid, kind, state, due, reps, "
            "CASE WHEN reps = 0 THEN 'new' ELSE 'review' END FROM cards "
            f"WHERE retired = 0 AND suspended = 0 AND uid IN ({marks})",
            uids,
        )
        order = {u: i for i, u in enumerate(uids)}
        return sorted((QueueRow(*r) for r in rows), key=lambda r: order[r.uid])

    def done_today(self, day: int) -> tuple[int, int]:
        """(new cards introduced, review-state cards reviewed) on study day ``day``."""
        row = self._q(
            "SELECT coalesce(sum(reps_before = 0), 0), "
            "coalesce(sum(reps_before > 0 AND state_before = 2), 0) "
            "FROM reviews WHERE day = ?",
            (day,),
        )[0]
        return int(row[0]), int(row[1])

    def notes_reviewed(self, day: int) -> dict[str, set[int]]:
        """note_uid -> ids of its cards rated on study day ``day`` (for siblings)."""
        out: dict[str, set[int]] = {}
        for note, cid in self._q(
            "SELECT DISTINCT c.note_uid, c.id FROM reviews r JOIN cards c ON c.id = r.card_id "
            "WHERE r.day = ?",
            (day,),
        ):
            out.setdefault(note, set()).add(cid)
        return out

    def failed_on(self, day: int) -> list[str]:
        """Uids of live cards rated Again on study day ``day``, first failed first."""
        return [
            str(r[0])
            for r in self._q(
                "SELECT c.uid FROM reviews r JOIN cards c ON c.id = r.card_id "
                "WHERE r.day = ? AND r.rating = 1 AND c.retired = 0 AND c.suspended = 0 "
                "GROUP BY c.uid ORDER BY min(r.reviewed_at)",
                (day,),
            )
        ]

    # -- the whole log ------------------------------------------------------
    def live_card_ids(self) -> list[int]:
        """Ids of every live (not retired) card, in id order."""
        return [r[0] for r in self._q("SELECT id FROM cards WHERE retired = 0 ORDER BY id")]

    def write_history(self, states: list[CardState], reviews: list[NewReview]) -> None:
        """Bulk-insert review rows and set the cards' resulting states, in one
        transaction (an imported history, or a benchmark's made-up one)."""
        with self.write() as c:
            c.executemany(UPDATE_STATE, [(*state_params(s), s.card_id) for s in states])
            c.executemany(INSERT_REVIEW, [r.params() for r in reviews])

    def logs(self) -> Iterator[tuple[CardState, list[ReviewEvent]]]:
        """Every card with its reviews in order, card by card, streamed (for
        ``cuecards check``: stored state against the replay of its reviews)."""
        events = self._stream(
            f"SELECT {EVENT_COLS} FROM reviews WHERE {AFTER_FORGET} "
            "ORDER BY card_id, reviewed_at, id"
        )
        pending = next(events, None)
        for row in self._stream(f"SELECT {CARD_STATE_COLS} FROM cards ORDER BY id"):
            state = card_state(row)
            mine: list[ReviewEvent] = []
            while pending is not None and pending[1] <= state.card_id:
                if pending[1] == state.card_id:
                    mine.append(review_event(pending))
                pending = next(events, None)
            yield state, mine

    def review_count(self) -> int:
        """How many review rows there are."""
        return int(self._one("SELECT count(*) FROM reviews") or 0)
