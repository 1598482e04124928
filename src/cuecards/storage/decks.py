"""Deck writes: what a sync records of each deck file and its cards."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from cuecards.model import Item
from cuecards.storage.codec import content_hash, item_content
from cuecards.storage.connection import Database


@dataclass
class CardPlan:
    """What a sync does to one deck's cards (decided in :mod:`cuecards.sync`).

    ``updates`` pairs an existing card id with the item it now is; the card
    keeps its id, so its schedule and reviews follow it.
    """

    inserts: list[tuple[int, Item]] = field(default_factory=list)
    updates: list[tuple[int, int, Item]] = field(default_factory=list)
    retire: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class DeckRecord:
    """What the database knows of a deck file (for the unchanged-file check)."""

    id: str
    root: str
    path: str
    title: str
    size: int
    mtime_ns: int
    digest: str
    error: str | None
    retired: int


@dataclass(frozen=True)
class DeckMeta:
    """A loaded deck file, as :meth:`DeckWrites.apply_deck` records it."""

    id: str
    root: str
    path: str
    title: str
    description: str | None
    tags: tuple[str, ...]
    digest: str
    mtime_ns: int
    size: int


@dataclass(frozen=True)
class StoredCard:
    """A deck's card as the sync plans against it (content is the JSON column).

    Also readable as ``card["uid"]``, the form sync code was written against.
    """

    id: int
    uid: str
    kind: str
    variant: str
    content: str
    content_hash: str
    auto_id: int
    retired: int
    line: int
    position: int
    tags: str
    #: reviews of the card (its ``reps``)
    reps: int = 0

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)


#: decides a deck's :class:`CardPlan` from its current cards

_STORED_COLS = (
    "id, uid, kind, variant, content, content_hash, auto_id, retired, line, position, tags, reps"
)
_INSERT_CARD = (
    "INSERT INTO cards(uid, deck_id, card_id, note_uid, kind, variant, content, "
    "content_hash, tags, line, position, auto_id, retired, suspended, "
    "buried_until, state, step, due, reps, lapses, created_at) VALUES "
    "(?,?,?,?,?,?,?,?,?,?,?,?,0,0,0,1,0,?,0,0,?)"
)
_UPDATE_CARD = (
    "UPDATE cards SET uid=?, deck_id=?, card_id=?, note_uid=?, kind=?, variant=?, "
    "content=?, content_hash=?, tags=?, line=?, position=?, auto_id=?, "
    "retired=0 WHERE id=?"
)
_TAG = "INSERT OR IGNORE INTO card_tags(card_id, tag) VALUES (?, ?)"


class DeckWrites(Database):
    """The deck-file side of the store."""

    def decks(self) -> dict[str, DeckRecord]:
        """Every deck row, by id."""
        rows = self._q(
            "SELECT id, root, path, title, size, mtime_ns, digest, error, retired FROM decks"
        )
        return {r[0]: DeckRecord(*r) for r in rows}

    def deck_path(self, deck_id: str) -> str | None:
        """The file of a deck, if known."""
        v = self._one("SELECT path FROM decks WHERE id = ?", (deck_id,))
        return None if v is None else str(v)

    def touch_deck(self, deck_id: str, size: int, mtime_ns: int) -> None:
        """Record a new size/mtime for a file whose bytes did not change."""
        with self.write() as c:
            c.execute(
                "UPDATE decks SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, deck_id)
            )

    def record_deck_error(
        self,
        deck_id: str,
        root: str,
        path: str,
        problems: list[list[Any]],
        size: int,
        mtime_ns: int,
        digest: str,
        now: int,
    ) -> None:
        """Remember that a file failed to load; its cards are left as they are."""
        with self.write() as c:
            c.execute(
                "INSERT INTO decks(id, root, path, title, tags, digest, mtime_ns, size, error,"
                " retired, synced_at) VALUES (?, ?, ?, ?, '[]', ?, ?, ?, ?, 0, ?) "
                "ON CONFLICT(id) DO UPDATE SET root=excluded.root, path=excluded.path, "
                "digest=excluded.digest, mtime_ns=excluded.mtime_ns, size=excluded.size, "
                "error=excluded.error, retired=0, synced_at=excluded.synced_at",
                (deck_id, root, path, deck_id, digest, mtime_ns, size, json.dumps(problems), now),
            )

    def apply_deck(self, meta: DeckMeta, plan: CardPlan, now: int) -> tuple[int, int, int, int]:
        """Write one loaded deck file and its card plan (decided by the sync
        for every changed file at once) in one transaction. Returns (added,
        updated, retired, restored).
        """
        added = updated = retired = restored = 0
        with self.write() as c:
            cards = [
                StoredCard(*r)
                for r in c.execute(
                    f"SELECT {_STORED_COLS} FROM cards WHERE deck_id = ?", (meta.id,)
                ).fetchall()
            ]
            by_id = {s.id: s for s in cards}
            # identity: a card may come from another deck (a moved or split file),
            # and uids may trade places (cloze gaps, ids): free them first.
            _identity_prepare(c, plan, by_id)
            c.execute(
                "INSERT INTO decks(id, root, path, title, description, tags, digest, mtime_ns, "
                "size, error, retired, synced_at) VALUES (?,?,?,?,?,?,?,?,?,NULL,0,?) "
                "ON CONFLICT(id) DO UPDATE SET root=excluded.root, path=excluded.path, "
                "title=excluded.title, description=excluded.description, tags=excluded.tags, "
                "digest=excluded.digest, mtime_ns=excluded.mtime_ns, size=excluded.size, "
                "error=NULL, retired=0, synced_at=excluded.synced_at",
                (
                    meta.id,
                    meta.root,
                    meta.path,
                    meta.title,
                    meta.description,
                    json.dumps(list(meta.tags)),
                    meta.digest,
                    meta.mtime_ns,
                    meta.size,
                    now,
                ),
            )
            for position, item in plan.inserts:
                content = item_content(item)
                cur = c.execute(
                    _INSERT_CARD,
                    (
                        item.uid,
                        item.deck_id,
                        item.card_id,
                        item.note_uid,
                        item.kind,
                        item.variant,
                        json.dumps(content),
                        content_hash(content),
                        json.dumps(list(item.tags)),
                        item.line,
                        position,
                        int(item.auto_id),
                        now,
                        now,
                    ),
                )
                c.executemany(_TAG, [(cur.lastrowid, t) for t in item.tags])
                added += 1
            for card_id, position, item in plan.updates:
                old = by_id[card_id]
                content = item_content(item)
                chash = content_hash(content)
                tags = json.dumps(list(item.tags))
                if old.retired:
                    restored += 1
                elif chash != old.content_hash or old.uid != item.uid:
                    updated += 1
                elif (old.line, old.position) == (item.line, position):
                    continue  # nothing to write
                c.execute(
                    _UPDATE_CARD,
                    (
                        item.uid,
                        item.deck_id,
                        item.card_id,
                        item.note_uid,
                        item.kind,
                        item.variant,
                        json.dumps(content),
                        chash,
                        tags,
                        item.line,
                        position,
                        int(item.auto_id),
                        card_id,
                    ),
                )
                if tags != old.tags:
                    c.execute("DELETE FROM card_tags WHERE card_id = ?", (card_id,))
                    c.executemany(_TAG, [(card_id, t) for t in item.tags])
            for card_id in plan.retire:
                if card_id in by_id and not by_id[card_id].retired:
                    c.execute("UPDATE cards SET retired = 1 WHERE id = ?", (card_id,))
                    retired += 1
        return added, updated, retired, restored

    # -- identity (sync) ----------------------------------------------------
    def card_records(self, deck_ids: list[str]) -> list[tuple[Any, ...]]:
        """Every card (live and retired) of these decks, for matching: id, uid,
        deck_id, card_id, note_uid, kind, variant, content, auto_id, retired, reps."""
        out: list[tuple[Any, ...]] = []
        for start in range(0, len(deck_ids), 500):
            part = deck_ids[start : start + 500]
            marks = ",".join("?" * len(part))
            out += self._q(
                "SELECT id, uid, deck_id, card_id, note_uid, kind, variant, content, "
                f"auto_id, retired, reps FROM cards WHERE deck_id IN ({marks})",
                part,
            )
        return out

    def notes_known(self, note_uids: list[str]) -> set[str]:
        """Which of these note uids (``deck-id/card-id``) some card has had."""
        out: set[str] = set()
        for start in range(0, len(note_uids), 500):
            part = note_uids[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self._q(f"SELECT DISTINCT note_uid FROM cards WHERE note_uid IN ({marks})", part)
            out |= {str(r[0]) for r in rows}
        return out

    def retire_decks(self, deck_ids: list[str]) -> int:
        """Retire decks whose files are gone, and their cards (history is kept)."""
        n = 0
        with self.write() as c:
            for deck_id in deck_ids:
                n += c.execute(
                    "UPDATE cards SET retired = 1 WHERE deck_id = ? AND retired = 0", (deck_id,)
                ).rowcount
                c.execute("UPDATE decks SET retired = 1, error = NULL WHERE id = ?", (deck_id,))
        return n


def _identity_prepare(c: sqlite3.Connection, plan: CardPlan, by_id: dict[int, StoredCard]) -> None:
    """Before one deck's writes: load the rows it takes from other decks, and
    park every row holding a uid this plan writes to another row, so no two
    rows hold one uid midway (gaps and ids trade places; a card leaves for
    another deck, which gives it its new uid)."""
    target = {cid: item.uid for cid, _pos, item in plan.updates}
    wanted = list(target.values()) + [item.uid for _pos, item in plan.inserts]
    foreign = [cid for cid in target if cid not in by_id]
    holders: list[tuple[int, str]] = []
    for start in range(0, max(len(foreign), len(wanted)), 400):
        ids, uids = foreign[start : start + 400], wanted[start : start + 400]
        if ids:
            marks = ",".join("?" * len(ids))
            sql = f"SELECT {_STORED_COLS} FROM cards WHERE id IN ({marks})"
            by_id.update({r[0]: StoredCard(*r) for r in c.execute(sql, ids)})
        if uids:
            marks = ",".join("?" * len(uids))
            sql = f"SELECT id, uid FROM cards WHERE uid IN ({marks})"
            holders += [(int(r[0]), str(r[1])) for r in c.execute(sql, uids)]
    park = [(f"~{cid}", cid) for cid, uid in holders if target.get(cid) != uid]
    c.executemany("UPDATE cards SET uid = ? WHERE id = ?", park)
    # A card leaving for another deck waits retired (so a crash before that
    # deck's write leaves no ghost card in the queue; its reviews stay).
    leaving = [(cid,) for _uid, cid in park if cid not in target]
    c.executemany("UPDATE cards SET retired = 1 WHERE id = ?", leaving)
