"""Browse: every card found by filters, sorted and paged in SQL.

The filters (deck or folder, tag, kind, state) and the sort are one query; a
page is ``LIMIT ... OFFSET ...`` over it, so 20,000 cards cost one page's rows.
A text search is prefiltered here with ``LIKE`` and ranked by the service.

Forget (back to new, history kept) writes a marker row in ``forgets``; the
replay reads only the reviews after a card's last marker
(:data:`AFTER_FORGET`), so ``cuecards check`` and undo agree with it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from cuecards.scheduling import CardState
from cuecards.storage.codec import scope_params, scope_sql, state_params
from cuecards.storage.connection import Database
from cuecards.storage.queries import recall_sql

#: the states Browse filters by
BrowseState = Literal["new", "learning", "review", "suspended", "buried", "leech", "retired"]
#: the orders Browse sorts by
BrowseSort = Literal["due", "recall", "lapses", "last", "match"]

#: SQL of each state filter over cards ``c`` (named parameters ``today``, ``threshold``)
STATE_SQL: dict[str, str] = {
    "new": "c.retired = 0 AND c.suspended = 0 AND c.reps = 0",
    "learning": "c.retired = 0 AND c.suspended = 0 AND c.reps > 0 AND c.state IN (1, 3)",
    "review": "c.retired = 0 AND c.suspended = 0 AND c.reps > 0 AND c.state = 2",
    "suspended": "c.retired = 0 AND c.suspended = 1",
    "buried": "c.retired = 0 AND c.buried_until > :today",
    "leech": "c.retired = 0 AND c.lapses >= :threshold",
    "retired": "c.retired = 1",
}

#: ORDER BY of each sort (ties by uid, so pages never overlap)
ORDER_SQL: dict[str, str] = {
    "due": "c.reps = 0, c.due, c.uid",
    "recall": "recall_now IS NULL, recall_now, c.uid",
    "lapses": "c.lapses DESC, c.uid",
    "last": "c.last_review IS NULL, c.last_review DESC, c.uid",
}

#: a review row counts for the schedule only after its card's last forget
AFTER_FORGET = (
    "NOT EXISTS (SELECT 1 FROM forgets f WHERE f.card_id = reviews.card_id "
    "AND f.at >= reviews.reviewed_at)"
)

#: a covering index of every column Browse filters and sorts by, so counting
#: and sorting 20,000 cards never reads their (wide) content
#: (``kind`` first: led by the queue's columns it would take the queue's
#: queries away from their partial indexes)
BROWSE_INDEX = (
    "kind",
    "deck_id",
    "retired",
    "suspended",
    "reps",
    "state",
    "lapses",
    "due",
    "last_review",
    "stability",
    "buried_until",
    "uid",
)

#: the ``forgets`` table (schema v3; :mod:`cuecards.storage.migrate` and
#: :class:`cuecards.storage.tables.ForgetRow` make the same one)
FORGETS_DDL = (
    "CREATE TABLE forgets (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, "
    "card_id INTEGER NOT NULL, at INTEGER NOT NULL, day INTEGER NOT NULL)",
    "CREATE INDEX ix_forgets_card ON forgets (card_id, at)",
    f"CREATE INDEX ix_cards_browse ON cards ({', '.join(BROWSE_INDEX)})",
)


@dataclass(frozen=True)
class BrowseFilter:
    """Which cards Browse lists: every part optional; retired cards only when asked."""

    deck: str | None = None
    tag: str | None = None
    kind: str | None = None
    state: BrowseState | None = None
    #: only these card ids (a ranked text search)
    ids: tuple[int, ...] | None = None
    #: words that must each appear in the card's text (``LIKE``)
    like: tuple[str, ...] = ()
    #: retired cards too (one card's info)
    any_state: bool = False


@dataclass(frozen=True)
class BrowseRow:
    """One row of the Browse table."""

    id: int
    uid: str
    deck_id: str
    kind: str
    prompt: str
    reps: int
    lapses: int
    state: int
    suspended: bool
    buried_until: int
    retired: bool
    due: int
    last_review: int | None
    recall_now: float | None


@dataclass(frozen=True)
class HistoryRow:
    """One review of a card, as its history lists it."""

    reviewed_at: int
    rating: int
    interval_days: float
    duration_ms: int | None
    points_hit: int | None
    points_total: int | None
    answer: str | None
    #: False for a review from before the card's last forget
    counts: bool


_COLS = (
    "c.id, c.uid, c.deck_id, c.kind, coalesce(json_extract(c.content, '$.prompt'), ''), "
    "c.reps, c.lapses, c.state, c.suspended, c.buried_until, c.retired, c.due, "
    "c.last_review, "
)


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class BrowseStore(Database):
    """The Browse queries and the actions on several cards at once."""

    def _where(self, f: BrowseFilter) -> tuple[str, dict[str, Any]]:
        """``FROM ... WHERE ...`` of the cards ``f`` lists (cards ``c``; with
        ``f.ids``, joined to their ranked list ``j``, whose ``j.key`` is the rank)."""
        sql = "FROM cards c WHERE "
        params: dict[str, Any] = scope_params(f.deck, f.tag)
        if f.ids is not None:
            sql = "FROM json_each(:ids) j CROSS JOIN cards c ON c.id = j.value WHERE "
            params["ids"] = json.dumps([int(i) for i in f.ids])
        sql += STATE_SQL[f.state] if f.state else "1" if f.any_state else "c.retired = 0"
        sql += scope_sql(f.deck, f.tag)
        if f.kind:
            sql += " AND c.kind = :kind"
            params["kind"] = f.kind
        for n, word in enumerate(f.like):
            sql += f" AND c.content LIKE :w{n} ESCAPE '\\'"
            params[f"w{n}"] = f"%{_escape(word)}%"
        return sql, params

    def browse_count(self, f: BrowseFilter, today: int, threshold: int) -> int:
        """How many cards ``f`` lists."""
        where, params = self._where(f)
        params.update(today=today, threshold=threshold)
        return int(self._one(f"SELECT count(*) {where}", params) or 0)

    def browse_page(
        self,
        f: BrowseFilter,
        sort: str,
        offset: int,
        limit: int,
        today: int,
        threshold: int,
    ) -> list[BrowseRow]:
        """One page of the cards ``f`` lists, in ``sort`` order (``match``: the
        order of ``f.ids``)."""
        where, params = self._where(f)
        params.update(today=today, threshold=threshold, limit=limit, offset=offset)
        ranked = sort == "match" and f.ids is not None
        order = "j.key" if ranked else ORDER_SQL.get(sort, ORDER_SQL["due"])
        # Sort the ids only, then read the page's columns: the text and recall
        # of 100 rows, not of every card the filter lists. The outer ORDER BY
        # sorts the page's 100 rows again (every order ends with the uid).
        recall = recall_sql() if sort == "recall" else "NULL"
        rank = "j.key" if f.ids is not None else "0"
        rows = self._q(
            f"WITH p AS (SELECT c.id AS pid, {recall} AS recall_now, {rank} AS rk {where} "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset) "
            f"SELECT {_COLS}{recall_sql()} FROM p JOIN cards c ON c.id = p.pid "
            f"ORDER BY {'p.rk' if ranked else order}",
            params,
        )
        return [_row(r) for r in rows]

    def browse_texts(self, f: BrowseFilter, cap: int) -> list[tuple[int, str, str]]:
        """(id, prompt, answer and uid) of up to ``cap`` cards ``f`` lists, for ranking."""
        where, params = self._where(f)
        params.update(today=0, threshold=1 << 30, cap=cap)
        rows = self._q(
            "SELECT c.id, coalesce(json_extract(c.content, '$.prompt'), ''), "
            "coalesce(json_extract(c.content, '$.answer'), '') || ' ' || c.uid "
            f"{where} ORDER BY c.id LIMIT :cap",
            params,
        )
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def card_history(self, card_id: int) -> list[HistoryRow]:
        """Every review of a card, oldest first, marked by whether it still counts."""
        rows = self._q(
            "SELECT reviewed_at, rating, interval_days, duration_ms, points_hit, points_total, "
            f"answer, {AFTER_FORGET} FROM reviews WHERE card_id = ? ORDER BY reviewed_at, id",
            (card_id,),
        )
        return [
            HistoryRow(
                reviewed_at=int(r[0]),
                rating=int(r[1]),
                interval_days=float(r[2]),
                duration_ms=r[3],
                points_hit=r[4],
                points_total=r[5],
                answer=r[6],
                counts=bool(r[7]),
            )
            for r in rows
        ]

    def ids_of(self, uids: Sequence[str]) -> dict[str, int]:
        """uid -> card id of the named cards that exist."""
        if not uids:
            return {}
        marks = ",".join("?" * len(uids))
        return {
            str(r[0]): int(r[1])
            for r in self._q(f"SELECT uid, id FROM cards WHERE uid IN ({marks})", list(uids))
        }

    def set_suspended(self, ids: Sequence[int], suspended: bool) -> int:
        """Suspend (or unsuspend) the cards in one transaction; how many changed."""
        with self.write() as c:
            cur = c.executemany(
                "UPDATE cards SET suspended = ? WHERE id = ? AND suspended != ?",
                [(int(suspended), i, int(suspended)) for i in ids],
            )
            return int(cur.rowcount)

    def bury_until(self, ids: Sequence[int], day: int) -> int:
        """Bury the cards until study day ``day`` in one transaction."""
        with self.write() as c:
            cur = c.executemany(
                "UPDATE cards SET buried_until = ? WHERE id = ?", [(day, i) for i in ids]
            )
            return int(cur.rowcount)

    def forget(self, ids: Sequence[int], at: int, day: int) -> int:
        """Back to new, history kept: a forget marker per card at epoch ``at``
        and the card's schedule reset, in one transaction."""
        with self.write() as c:
            for i in ids:
                c.execute(
                    "INSERT INTO forgets(uid, card_id, at, day) VALUES (?, ?, ?, ?)",
                    (str(uuid.uuid4()), i, at, day),
                )
                c.execute(
                    "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=created_at, "
                    "last_review=?, reps=?, lapses=? WHERE id = ?",
                    (*_new_params(i), i),
                )
        return len(ids)


def _new_params(card_id: int) -> tuple[Any, ...]:
    s = state_params(CardState(card_id=card_id))
    # every column but ``due`` (a new card is due from when it was added)
    return (s[0], s[1], s[2], s[3], s[5], s[6], s[7])


def _row(r: Sequence[Any]) -> BrowseRow:
    return BrowseRow(
        id=int(r[0]),
        uid=str(r[1]),
        deck_id=str(r[2]),
        kind=str(r[3]),
        prompt=str(r[4]),
        reps=int(r[5]),
        lapses=int(r[6]),
        state=int(r[7]),
        suspended=bool(r[8]),
        buried_until=int(r[9]),
        retired=bool(r[10]),
        due=int(r[11]),
        last_review=None if r[12] is None else int(r[12]),
        recall_now=None if r[13] is None else float(r[13]),
    )
