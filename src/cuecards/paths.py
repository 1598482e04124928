"""Every path cuecards uses, in one place.

The data folder holds the database and the settings. It is the user's data
directory (platformdirs) unless ``--home DIR`` or ``CUECARDS_HOME`` says
otherwise. Decks come from the shipped folder plus ``--decks DIR`` folders or
``CUECARDS_DECKS`` (folders separated like PATH).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

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
