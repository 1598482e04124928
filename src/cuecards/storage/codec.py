"""Rows to plain objects and back: card states, review rows, card content.

One copy each of what the SQL of every storage module shares: the WHERE terms
of the partial indexes, the card-state columns (read and UPDATE), the review
INSERT, and the deck/tag scope filter.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from cuecards.model import Item, Point
from cuecards.scheduling import CardState, from_epoch, to_epoch

# The WHERE terms of the partial indexes in cuecards.storage.tables, word for
# word: queries repeat them exactly so that SQLite can use those indexes.
LIVE = "retired = 0 AND suspended = 0"
STUDIED = LIVE + " AND reps > 0"
NEW = LIVE + " AND reps = 0"


def live(alias: str) -> str:
    """:data:`LIVE` for the cards table under ``alias``."""
    return f"{alias}.retired = 0 AND {alias}.suspended = 0"


#: A card's schedule, in the order of :func:`card_state`.
CARD_STATE_COLS = "id, state, step, stability, difficulty, due, last_review, reps, lapses"
#: The one UPDATE of a card's schedule (parameters: :func:`state_params`).
UPDATE_STATE = (
    "UPDATE cards SET state=?, step=?, stability=?, difficulty=?, due=?, "
    "last_review=?, reps=?, lapses=? WHERE id=?"
)


def card_state(row: Sequence[Any]) -> CardState:
    """A :class:`CardState` from a row of :data:`CARD_STATE_COLS`."""
    cid, state, step, stab, diff, due, last, reps, lapses = tuple(row)[:9]
    return CardState(
        card_id=cid,
        state=state,
        step=step,
        stability=stab,
        difficulty=diff,
        due=from_epoch(due),
        last_review=from_epoch(last) if last is not None else None,
        reps=reps,
        lapses=lapses,
    )


def state_params(s: CardState) -> tuple[Any, ...]:
    """The parameters of :data:`UPDATE_STATE` for ``s``."""
    last = to_epoch(s.last_review) if s.last_review is not None else None
    return (s.state, s.step, s.stability, s.difficulty, to_epoch(s.due), last, s.reps, s.lapses)


# -- the scope filter -----------------------------------------------------------
def scope_sql(deck: str | None, tag: str | None, alias: str = "c") -> str:
    """``AND ...`` limiting cards (``alias``) to a deck (or folder of decks) and
    a tag; its named parameters come from :func:`scope_params`."""
    a = f"{alias}." if alias else ""
    sql = ""
    if deck:
        sql += f" AND ({a}deck_id = :deck OR substr({a}deck_id, 1, :deck_len) = :deck_prefix)"
    if tag:
        sql += f" AND {a}id IN (SELECT card_id FROM card_tags WHERE tag = :tag)"
    return sql


def scope_params(deck: str | None, tag: str | None) -> dict[str, Any]:
    """The named parameters of :func:`scope_sql`."""
    d = deck or ""
    return {"deck": d, "deck_len": len(d) + 1, "deck_prefix": d + "/", "tag": tag or ""}


# -- review rows ------------------------------------------------------------------
_REVIEW_COLS = (
    "uid, card_id, rating, reviewed_at, day, duration_ms, "
    "state_before, step_before, stability_before, difficulty_before, due_before, "
    "last_review_before, reps_before, lapses_before, state_after, step_after, "
    "stability_after, difficulty_after, due_after, last_review_after, "
    "interval_days, answer, grade, points_hit, points_total"
)
#: The one review INSERT (parameters: :meth:`NewReview.params`).
INSERT_REVIEW = f"INSERT INTO reviews({_REVIEW_COLS}) VALUES ({','.join('?' * 25)})"


@dataclass(frozen=True)
class NewReview:
    """One review row to write: the rating and the card before and after it."""

    before: CardState
    after: CardState
    rating: int
    reviewed_at: datetime
    day: int
    duration_ms: int | None = None
    answer: str | None = None
    grade: dict[str, Any] | None = None
    points_hit: int | None = None
    points_total: int | None = None
    #: a stable, globally unique id; a fresh uuid unless given (an import keeps its own)
    uid: str = ""

    def params(self) -> tuple[Any, ...]:
        """The parameters of :data:`INSERT_REVIEW`."""
        b, a = self.before, self.after
        at = to_epoch(self.reviewed_at)
        due = to_epoch(a.due)
        return (
            self.uid or str(uuid.uuid4()),
            a.card_id,
            self.rating,
            at,
            self.day,
            self.duration_ms,
            *state_params(b)[:8],
            *state_params(a)[:6],
            (due - at) / 86400,
            self.answer,
            json.dumps(self.grade) if self.grade is not None else None,
            self.points_hit,
            self.points_total,
        )


#: Rewrites a review row's cached states (parameters: :func:`restate_params`).
RESTATE_REVIEW = (
    "UPDATE reviews SET state_before=?, step_before=?, stability_before=?, "
    "difficulty_before=?, due_before=?, last_review_before=?, reps_before=?, "
    "lapses_before=?, state_after=?, step_after=?, stability_after=?, "
    "difficulty_after=?, due_after=?, last_review_after=?, interval_days=? WHERE uid=?"
)


def restate_params(
    uid: str, reviewed_at: datetime, before: CardState, after: CardState
) -> tuple[Any, ...]:
    """The parameters of :data:`RESTATE_REVIEW`: the states around one review,
    as :meth:`NewReview.params` writes them."""
    due, at = to_epoch(after.due), to_epoch(reviewed_at)
    return (*state_params(before)[:8], *state_params(after)[:6], (due - at) / 86400, uid)


@dataclass(frozen=True)
class ReviewEvent:
    """A stored review as the replay needs it (see
    :func:`cuecards.scheduling.replay.replay`)."""

    uid: str
    card_id: int
    rating: int
    reviewed_at: datetime
    day: int
    duration_ms: int | None


#: The columns of :func:`review_event`.
EVENT_COLS = "uid, card_id, rating, reviewed_at, day, duration_ms"


def review_event(row: Sequence[Any]) -> ReviewEvent:
    """A :class:`ReviewEvent` from a row of :data:`EVENT_COLS`."""
    uid, cid, rating, at, day, ms = tuple(row)[:6]
    return ReviewEvent(str(uid), int(cid), int(rating), from_epoch(at), int(day), ms)


# -- card content -----------------------------------------------------------------
def item_content(item: Item) -> dict[str, Any]:
    """An Item as a JSON-ready dict (the ``cards.content`` column): every field,
    tuples as lists, points as ``{text, accept}``."""
    out: dict[str, Any] = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if f.name == "points":
            value = [{"text": p.text, "accept": list(p.accept)} for p in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def content_hash(content: dict[str, Any]) -> str:
    """A hash of what the card says (not where it sits in the file)."""
    core = {k: v for k, v in content.items() if k not in ("line", "uid", "note_uid", "card_id")}
    return hashlib.sha1(json.dumps(core, sort_keys=True).encode()).hexdigest()


_ITEM_FIELDS = frozenset(f.name for f in fields(Item))


def item_from_json(text: str) -> Item:
    """Rebuild an Item from the ``cards.content`` column, without YAML."""
    d = {k: v for k, v in json.loads(text).items() if k in _ITEM_FIELDS}
    d["points"] = tuple(
        Point.model_construct(text=p["text"], accept=p.get("accept", []))
        for p in d.get("points", ())
    )
    for key, value in d.items():
        if isinstance(value, list):
            d[key] = tuple(value)
    return Item(**d)
