"""The user's deck folders: the ``deck_folders`` setting grown when cuecards
itself makes a folder of decks (an import, a copy of a shipped deck), and the
copy made instead of editing a shipped deck.

A folder cuecards writes decks into is added to the setting, so its decks load
at every start without ``--decks``; the fallback for both is ``decks/`` in the
data folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cuecards import paths
from cuecards.errors import UsageError

if TYPE_CHECKING:
    from cuecards.service.service import Service
    from cuecards.views import SyncReport

#: the folder under the data folder for decks cuecards writes itself
OWN_DECKS = "decks"


def _same(a: Path, b: Path) -> bool:
    return a.expanduser().resolve() == b.expanduser().resolve()


def add_deck_folder(svc: Service, folder: Path) -> bool:
    """Add ``folder`` to the ``deck_folders`` setting unless it is there (or is
    the shipped folder); True when it was added."""
    folder = folder.expanduser().resolve()
    if _same(folder, paths.shipped_decks_dir()):
        return False
    current = list(svc.settings().deck_folders)
    if any(_same(Path(f), folder) for f in current):
        return False
    svc.set_setting("deck_folders", [*current, str(folder)])
    return True


def is_shipped(svc: Service, deck_id: str) -> bool:
    """True when the deck is read from the decks that come with cuecards."""
    path = svc.deck_file(deck_id)
    return path is not None and path.resolve().is_relative_to(paths.shipped_decks_dir().resolve())


def own_copy(svc: Service, deck_id: str) -> tuple[Path, SyncReport]:
    """Copy a shipped deck into the first deck folder of the user's (the data
    folder's ``decks/``, then added to ``deck_folders``, when there is none),
    at the same place under it, and sync: the copy replaces the shipped deck
    and keeps its cards' history. An existing copy is kept as it is.

    Raises:
        UsageError: the deck has no file, or is not a shipped deck.
    """
    from cuecards.sync import folders_for

    path = svc.deck_file(deck_id)
    if path is None:
        raise UsageError(f"deck {deck_id!r} has no file on disk")
    if not is_shipped(svc, deck_id):
        raise UsageError(f"deck {deck_id!r} is not a shipped deck: edit {path} itself")
    folders = folders_for(svc.store, svc.paths.deck_dirs)
    fallback = svc.paths.home / OWN_DECKS
    try:
        copy = paths.copy_shipped_deck(path, folders, fallback=fallback)
    except OSError as e:
        raise UsageError(f"cannot copy {path} into your deck folder: {e.strerror}") from None
    if all(f.shipped for f in folders):
        add_deck_folder(svc, fallback)
    return copy, svc.sync()
