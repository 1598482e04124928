"""Every path cuecards uses, in one place.

The data folder holds the database and the settings. It is the user's data
directory (platformdirs) unless ``--home DIR`` or ``CUECARDS_HOME`` says
otherwise. Decks come from the shipped folder (unless the
``show_shipped_decks`` setting hides it), the folders of the ``deck_folders``
setting, and for one run ``--decks DIR`` folders or ``CUECARDS_DECKS``
(folders separated like PATH): :func:`deck_folders`. Nothing edits the
installed package: :func:`copy_shipped_deck` makes the user's own copy.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cuecards.errors import CuecardsError

APP_NAME = "cuecards"
DB_NAME = "cuecards.db"
CONFIG_NAME = "config.toml"


def shipped_decks_dir() -> Path:
    """The decks that come with cuecards (inside the installed package, or the
    top-level ``decks/`` of a source checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "decks"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "decks"


def is_installed_deck(path: Path) -> bool:
    """True for a deck file inside the installed package: an edit there is lost
    when cuecards is upgraded (a source checkout's ``decks/`` is the authors')."""
    packaged = Path(__file__).resolve().parent / "decks"
    return packaged.is_dir() and Path(path).resolve().is_relative_to(packaged)


def default_home() -> Path:
    """The user's data folder for cuecards."""
    env = os.environ.get("CUECARDS_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def env_deck_dirs() -> list[Path]:
    """Folders named by ``CUECARDS_DECKS``, separated like PATH."""
    raw = os.environ.get("CUECARDS_DECKS", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


@dataclass(frozen=True)
class Paths:
    """Where this run of cuecards reads and writes."""

    home: Path
    deck_dirs: tuple[Path, ...] = field(default_factory=tuple)

    @classmethod
    def resolve(
        cls,
        home: Path | str | None = None,
        decks: list[Path] | tuple[Path, ...] | None = None,
        include_shipped: bool = True,
    ) -> Paths:
        """Paths from flags, then environment, then defaults."""
        home_path = Path(home).expanduser() if home else default_home()
        dirs: list[Path] = [shipped_decks_dir()] if include_shipped else []
        extra = list(decks) if decks else env_deck_dirs()
        for d in extra:
            d = Path(d).expanduser()
            if d not in dirs:
                dirs.append(d)
        return cls(home=home_path, deck_dirs=tuple(dirs))

    @property
    def db_path(self) -> Path:
        return self.home / DB_NAME

    @property
    def config_path(self) -> Path:
        return self.home / CONFIG_NAME

    def ensure_home(self) -> None:
        """Create the data folder if it is missing."""
        self.home.mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class DeckFolder:
    """One folder decks are read from; ``shipped`` for the decks that come with cuecards."""

    path: Path
    shipped: bool = False


def deck_folders(
    dirs: Iterable[Path], configured: Sequence[str] = (), show_shipped: bool = True
) -> list[DeckFolder]:
    """The folders one run reads, in order: shipped first (unless hidden), then
    the ``deck_folders`` setting, then this run's ``--decks`` folders.

    ``dirs`` are :attr:`Paths.deck_dirs` (the shipped folder among them);
    each folder appears once, resolved.
    """
    shipped = shipped_decks_dir().resolve()
    given = [Path(d).expanduser().resolve() for d in dirs]
    out: list[DeckFolder] = [DeckFolder(shipped, True)] if show_shipped and shipped in given else []
    users = [Path(c).expanduser().resolve() for c in configured]
    users += [d for d in given if d != shipped]
    for d in users:
        if d != shipped and all(f.path != d for f in out):
            out.append(DeckFolder(d))
    return out


def copy_shipped_deck(
    path: Path, folders: Sequence[DeckFolder], fallback: Path | None = None
) -> Path:
    """Copy a shipped deck file into the first user deck folder, at the same
    place under it (so the copy has the same deck id and replaces the shipped
    deck, history included); return the copy. An existing copy is kept.

    Args:
        path: The shipped deck file.
        folders: This run's deck folders (:func:`deck_folders`).
        fallback: Where to copy when there is no user folder; the caller then
            adds it to the ``deck_folders`` setting.

    Raises:
        CuecardsError: when there is no user deck folder (and no fallback), or
            the file is not a shipped deck.
    """
    source = Path(path).resolve()
    shipped = next((f.path for f in folders if f.shipped and source.is_relative_to(f.path)), None)
    if shipped is None:
        shipped = shipped_decks_dir().resolve()
        if not source.is_relative_to(shipped):
            raise CuecardsError(f"{path} is not a shipped deck")
    target_folder = next((f.path for f in folders if not f.shipped), fallback)
    if target_folder is None:
        raise CuecardsError(
            "no deck folder of your own to copy it into: "
            "cuecards config set deck_folders '[\"~/decks\"]'"
        )
    target = target_folder / source.relative_to(shipped)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return target
