"""One error base for everything cuecards reports to a user.

The command line catches :class:`CuecardsError`, prints ``title: msg`` and
exits non-zero; nothing below the command line prints or exits itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cuecards.views import Problem


class CuecardsError(Exception):
    """An error with a message fit to show a user, never a traceback."""

    title: str = "error"
    exit_code: int = 1

    def __init__(self, msg: str, title: str | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.msg


class UsageError(CuecardsError):
    """A bad command-line value or setting."""

    title = "usage error"
    exit_code = 2


class DeckError(CuecardsError):
    """A deck file that cannot be loaded; ``problems`` holds each one found."""

    title = "deck error"

    def __init__(self, msg: str, problems: Sequence[Problem] | None = None) -> None:
        super().__init__(msg)
        self.problems: list[Problem] = list(problems or [])


class StoreError(CuecardsError):
    """The database cannot be opened or written (damaged, locked, newer, full)."""

    title = "database error"


class ConfigError(CuecardsError):
    """A setting that is unknown or has a bad value."""

    title = "config error"
    exit_code = 2
