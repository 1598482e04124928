"""Write converted decks as files, each checked by the deck loader first.

Every file is validated as it will be read (the same loader as ``cuecards
lint``) before anything is written, then written whole (a temporary file
renamed into place), so a failed import leaves no half-written deck.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from cuecards.errors import CuecardsError
from cuecards.interop.anki_convert import Conversion
from cuecards.interop.deck_yaml import deck_text

HEADER = "Imported by cuecards import from {source}.\nEdit freely: the card ids keep the history."


class ImportRefused(CuecardsError):
    """Deck files exist and overwriting them was not allowed."""

    title = "import"


def planned_files(conv: Conversion, folder: Path, source: str) -> list[tuple[Path, str, bytes]]:
    """(path, deck id, bytes) of each deck file, validated by the loader."""
    from cuecards.loader import load_bytes

    out: list[tuple[Path, str, bytes]] = []
    for deck in conv.decks:
        path = folder / f"{deck.deck_id}.yaml"
        data = deck_text(deck.content(), HEADER.format(source=source)).encode("utf-8")
        load_bytes(data, path, deck.deck_id)  # raises DeckError: a bug here, not the user's
        out.append((path, deck.deck_id, data))
    return out


def _write_whole(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".import-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_decks(
    conv: Conversion, folder: Path, source: str, may_overwrite: Callable[[list[Path]], bool]
) -> list[Path]:
    """Write the decks of ``conv`` under ``folder``; files that exist and hold
    something else are overwritten only if ``may_overwrite(paths)`` says yes."""
    files = planned_files(conv, folder, source)
    existing = [p for p, _d, data in files if p.exists() and p.read_bytes() != data]
    if existing and not may_overwrite(existing):
        shown = ", ".join(str(p) for p in existing[:3]) + (" ..." if len(existing) > 3 else "")
        raise ImportRefused(
            f"{len(existing)} deck file(s) exist: {shown}; pass --yes to overwrite them"
        )
    for path, _deck_id, data in files:
        _write_whole(path, data)
    return [p for p, _d, _b in files]
