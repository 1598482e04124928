"""A CSV or TSV table of front, back and (optionally) tags as one deck.

The delimiter is a tab for ``.tsv`` and is sniffed among comma, semicolon and
tab for ``.csv``. A first row naming its columns (front/question,
back/answer, tags) is a header and may put them in any order; without one the
columns are front, back, tags. Tags are separated by spaces or commas, and
Anki's ``a::b`` becomes ``a/b``. Card ids come from the front's text, so a
second import of the same table updates instead of duplicating.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from pathlib import Path

from cuecards.errors import CuecardsError
from cuecards.interop.anki_convert import Conversion, DeckOut, flat_tag, slug
from cuecards.interop.html_text import html_to_text

MAX_TABLE_BYTES = 64 * 1024**2
_NAMES = {
    "front": "front",
    "question": "front",
    "back": "back",
    "answer": "back",
    "tags": "tags",
    "tag": "tags",
}


class TableError(CuecardsError):
    """The table cannot be read."""

    title = "import"


def _columns(first: list[str]) -> dict[str, int] | None:
    names = [c.strip().lower() for c in first]
    found = {_NAMES[n]: i for i, n in reversed(list(enumerate(names))) if n in _NAMES}
    return found if "front" in found and "back" in found else None


def _dialect(text: str, suffix: str) -> type[csv.Dialect] | csv.Dialect:
    if suffix == ".tsv":
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_table(path: Path) -> Conversion:
    """The deck of the table at ``path`` (see the module docstring)."""
    path = Path(path)
    if path.stat().st_size > MAX_TABLE_BYTES:
        raise TableError(f"{path}: larger than {MAX_TABLE_BYTES // 1024**2} MB; not imported")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(f"{path}: not UTF-8 text; save it as UTF-8 and try again") from None
    try:
        rows = list(csv.reader(io.StringIO(text), _dialect(text, path.suffix.lower())))
    except csv.Error as e:
        raise TableError(f"{path}: cannot read it as a table ({e})") from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    cols = _columns(rows[0]) if rows else None
    if cols is not None:
        rows = rows[1:]
    cols = cols or {"front": 0, "back": 1, "tags": 2}
    deck = DeckOut(slug(path.stem), path.stem, source_file=path.name)
    out = Conversion(decks=[deck], skipped=Counter())
    seen: Counter[str] = Counter()
    for row in rows:
        cell = {k: html_to_text(row[i]).text if i < len(row) else "" for k, i in cols.items()}
        if not cell["front"] or not cell["back"]:
            out.skipped["row with an empty front or back"] += 1
            continue
        base = "csv-" + hashlib.sha1(cell["front"].encode("utf-8")).hexdigest()[:10]
        seen[base] += 1
        entry: dict[str, object] = {
            "id": base if seen[base] == 1 else f"{base}-{seen[base]}",
            "front": cell["front"],
            "back": cell["back"],
        }
        tags = [flat_tag(t) for t in re.split(r"[\s,]+", cell.get("tags", "")) if t]
        if tags:
            entry["tags"] = list(dict.fromkeys(tags))
        deck.cards.append(entry)
        out.notes += 1
        out.cards += 1
    if not deck.cards:
        raise TableError(f"{path}: no rows with both a front and a back")
    return out
