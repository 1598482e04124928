"""Deck files and deck ids: one copy, used by ``lint`` and by the sync.

A deck's id is its file's path under its deck folder, without the extension
(``pm/trade-offs`` for ``<folder>/pm/trade-offs.yaml``). Files are found in
every folder in the order the folders are given, each folder's files sorted by
that relative path; hidden files and folders are skipped. When two files give
one id, a user's deck replaces a shipped one (with a note), and between two
user folders the first keeps the id and the second is an error.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cuecards.paths import DeckFolder
from cuecards.views import Problem

DECK_SUFFIXES = (".yaml", ".yml")


def find_deck_files(root: Path) -> list[Path]:
    """Every ``*.yaml`` / ``*.yml`` below ``root``, sorted by path under it,
    hidden files and folders skipped; none when ``root`` is not a folder."""
    found: list[tuple[str, Path]] = []
    if not root.is_dir():
        return []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith(".") and name.endswith(DECK_SUFFIXES):
                path = Path(dirpath) / name
                found.append((path.relative_to(root).as_posix(), path))
    return [p for _, p in sorted(found)]


def deck_id_for(path: Path, root: Path) -> str:
    """``pm/trade-offs`` for ``root/pm/trade-offs.yaml``; the file's stem when
    it is not under ``root``."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        try:
            rel = path.resolve().relative_to(root.resolve())
        except (ValueError, OSError):
            rel = Path(path.name)
    return rel.with_suffix("").as_posix()


@dataclass(frozen=True)
class DeckFile:
    """One deck file that a run reads, and the id it gives."""

    deck_id: str
    path: Path
    root: Path
    shipped: bool = False


@dataclass
class Discovery:
    """The deck files of a set of folders, and what was noticed finding them."""

    files: list[DeckFile] = field(default_factory=list)
    #: two user files giving one id: the second one's problem
    clashes: list[tuple[DeckFile, Problem]] = field(default_factory=list)
    #: one-line notes: a user deck replacing a shipped one
    notes: list[str] = field(default_factory=list)
    #: folders that do not exist (their decks are left as they are)
    missing: list[Path] = field(default_factory=list)
    #: the folders (as text) that exist: only their vanished files retire cards
    present: set[str] = field(default_factory=set)


def missing_note(folder: Path) -> str:
    """The warning for a deck folder that does not exist."""
    return f"deck folder {folder} is missing: its decks are kept as they were"


def discover(folders: Sequence[DeckFolder]) -> Discovery:
    """Every deck file of ``folders`` that a run reads, by deck id."""
    found = Discovery()
    by_id: dict[str, DeckFile] = {}
    order: list[str] = []
    for folder in folders:
        root = folder.path
        if not root.is_dir():
            found.missing.append(root)
            continue
        found.present.add(str(root))
        for path in find_deck_files(root):
            f = DeckFile(deck_id_for(path, root), path, root, folder.shipped)
            first = by_id.get(f.deck_id)
            if first is None:
                by_id[f.deck_id] = f
                order.append(f.deck_id)
            elif first.shipped and not f.shipped:
                by_id[f.deck_id] = f
                found.notes.append(f"{f.deck_id}: your deck {path} replaces the shipped one")
            elif not f.shipped:
                msg = f"deck id '{f.deck_id}' is also used by {first.path}"
                found.clashes.append((f, Problem(str(path), 1, 1, "error", msg)))
    found.files = [by_id[d] for d in order]
    return found
