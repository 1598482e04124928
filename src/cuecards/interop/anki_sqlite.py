"""The SQL that reads an Anki collection file (schema 11 or 18), read-only.

The file is a private temporary copy (see :mod:`cuecards.interop.anki_package`);
it is opened read-only with ``trusted_schema`` off, and only plain tables are
read (a view or trigger named like one of Anki's tables is refused), so a
crafted file cannot make SQLite run anything but these SELECTs.

Schema 11 keeps note types and decks as JSON in the ``col`` row; schema 18
keeps them in tables, with a note type's kind inside a protobuf blob, read by
:func:`proto_fields` (the few wire types protobuf has; nothing is executed).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cuecards.errors import CuecardsError


class CollectionError(CuecardsError):
    """The collection inside a package cannot be read."""

    title = "import"


@dataclass(frozen=True)
class AnkiNotetype:
    """A note type: its name, whether it is a cloze type, and its field names."""

    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]


@dataclass(frozen=True)
class AnkiNote:
    """A note: its GUID (stable across exports), note type, tags and fields (HTML)."""

    id: int
    guid: str
    notetype_id: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class AnkiCard:
    """A card: which note and template (``ord``), its deck and its queue."""

    id: int
    note_id: int
    deck_id: int
    ord: int
    ctype: int
    queue: int
    due: int
    ivl: int


@dataclass(frozen=True)
class AnkiReview:
    """A revlog row: when (ms since the epoch, its id), the card, the button
    (0 for a manual change), the kind (0 learning, 1 review, 2 relearning,
    3 filtered, 4 manual, 5 rescheduled), the time taken in ms and the
    interval it gave (0 for a manual reset to new)."""

    id: int
    card_id: int
    ease: int
    kind: int
    time_ms: int
    ivl: int = 0


@dataclass
class AnkiCollection:
    """Everything the import needs from one collection."""

    layout: str
    created: int
    notetypes: dict[int, AnkiNotetype] = field(default_factory=dict)
    decks: dict[int, str] = field(default_factory=dict)
    notes: list[AnkiNote] = field(default_factory=list)
    cards: list[AnkiCard] = field(default_factory=list)
    reviews: list[AnkiReview] = field(default_factory=list)
    media_files: int = 0


def _varint(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if i >= len(data) or shift > 63:
            raise ValueError("truncated varint")
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, i


def proto_fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) of each top-level field of a protobuf message."""
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
            yield num, value
        elif wire == 2:
            size, i = _varint(data, i)
            yield num, data[i : i + size]
            i += size
        elif wire in (1, 5):
            width = 8 if wire == 1 else 4
            yield num, data[i : i + width]
            i += width
        else:
            raise ValueError(f"unsupported wire type {wire}")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA query_only = ON")
    return conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')")
    kinds: dict[str, str] = {}
    for name, kind in rows:
        kinds[str(name)] = str(kind)
    needed = ("col", "notes", "cards", "revlog")
    if any(kinds.get(t) != "table" for t in needed):
        raise CollectionError("the package does not hold an Anki collection")
    return {n for n, k in kinds.items() if k == "table"}


def _legacy_notetypes(models: str) -> dict[int, AnkiNotetype]:
    out: dict[int, AnkiNotetype] = {}
    for raw in (json.loads(models or "{}") or {}).values():
        flds = sorted(raw.get("flds", []), key=lambda f: int(f.get("ord", 0)))
        out[int(raw["id"])] = AnkiNotetype(
            int(raw["id"]),
            str(raw.get("name", "")),
            int(raw.get("type", 0)) == 1,
            tuple(str(f.get("name", "")) for f in flds),
        )
    return out


def _notetypes(conn: sqlite3.Connection) -> dict[int, AnkiNotetype]:
    names: dict[int, list[str]] = {}
    for ntid, _ord, name in conn.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
        names.setdefault(int(ntid), []).append(str(name))
    out: dict[int, AnkiNotetype] = {}
    for ntid, name, config in conn.execute("SELECT id, name, config FROM notetypes"):
        kind = next((v for n, v in proto_fields(bytes(config)) if n == 1), 0)
        out[int(ntid)] = AnkiNotetype(
            int(ntid), str(name), kind == 1, tuple(names.get(int(ntid), []))
        )
    return out


def _read(conn: sqlite3.Connection, layout: str, media_files: int) -> AnkiCollection:
    tables = _tables(conn)
    crt, models, decks_json = conn.execute("SELECT crt, models, decks FROM col").fetchone()
    col = AnkiCollection(layout=layout, created=int(crt), media_files=media_files)
    if "notetypes" in tables and "decks" in tables:
        col.notetypes = _notetypes(conn)
        col.decks = {
            int(i): str(n).replace("\x1f", "::")
            for i, n in conn.execute("SELECT id, name FROM decks")
        }
    else:
        col.notetypes = _legacy_notetypes(str(models))
        col.decks = {
            int(k): str(v.get("name", k)) for k, v in json.loads(decks_json or "{}").items()
        }
    col.notes = [
        AnkiNote(int(i), str(g), int(m), tuple(str(t).split()), tuple(str(f).split("\x1f")))
        for i, g, m, t, f in conn.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")
    ]
    col.cards = [
        AnkiCard(*(int(v) for v in row))
        for row in conn.execute(
            "SELECT id, nid, CASE WHEN odid != 0 THEN odid ELSE did END, ord, type, queue, "
            "due, ivl FROM cards ORDER BY nid, ord"
        )
    ]
    col.reviews = [
        AnkiReview(*(int(v) for v in row))
        for row in conn.execute("SELECT id, cid, ease, type, time, ivl FROM revlog ORDER BY id")
    ]
    return col


def read_collection(path: Path, layout: str, media_files: int = 0) -> AnkiCollection:
    """Read a collection file (a private copy) into plain objects."""
    try:
        conn = _connect(path)
    except sqlite3.Error as e:
        raise CollectionError(f"cannot open the collection: {e}") from None
    try:
        return _read(conn, layout, media_files)
    except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError) as e:
        raise CollectionError(f"the collection is damaged or of an unknown kind: {e}") from None
    finally:
        conn.close()
