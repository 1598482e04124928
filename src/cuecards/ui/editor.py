"""Starting the user's editor on a deck file at a line.

``$VISUAL`` or ``$EDITOR`` (``vi`` when neither is set) is split like a shell
command (``code --wait`` is two words), and ``+LINE`` is passed only to
editors known to take it; a missing editor is said by name.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

#: ``run_editor(path, line)`` runs an editor on a file and returns its exit code.
EditorRunner = Callable[[Path, int], int]

#: editors that open a file at ``+LINE``
TAKES_PLUS_LINE = frozenset(
    {
        "vi",
        "vim",
        "nvim",
        "gvim",
        "view",
        "nano",
        "pico",
        "emacs",
        "emacsclient",
        "micro",
        "kak",
        "helix",
        "hx",
        "joe",
        "jed",
        "mg",
        "ne",
        "ed",
        "ex",
        "elvis",
        "vis",
        "kate",
        "gedit",
        "mousepad",
        "xed",
        "pluma",
    }
)


class EditorMissing(Exception):
    """The configured editor could not be started."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    @property
    def message(self) -> str:
        """What to tell the user."""
        return f"The editor {self.name!r} was not found: set VISUAL or EDITOR to one you have."


def editor_command(path: Path, line: int, editor: str | None = None) -> list[str]:
    """The command line that opens ``path`` at ``line`` in ``editor`` (default:
    ``$VISUAL``, ``$EDITOR``, then ``vi``)."""
    chosen = editor or os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        words = shlex.split(chosen)
    except ValueError:
        words = chosen.split()
    if not words:
        words = ["vi"]
    name = Path(words[0]).name.removesuffix(".exe")
    at_line = [f"+{line}"] if line > 0 and name in TAKES_PLUS_LINE else []
    return [*words, *at_line, str(path)]


def run_editor(path: Path, line: int) -> int:
    """Run the editor on ``path`` at ``line`` and return its exit status.

    Raises:
        EditorMissing: when the editor's program cannot be started.
    """
    args = editor_command(path, line)
    try:
        return subprocess.run(args, check=False).returncode
    except OSError:
        raise EditorMissing(args[0]) from None


def edit_in_terminal(app: App[Any], editor: EditorRunner, path: Path, line: int) -> int:
    """Hand the terminal to ``editor`` on ``path`` at ``line``, then take it back.

    An error from the editor (a missing one, say) is raised only once the
    terminal is back with the app: the app's suspend does not resume on an
    exception inside it."""
    from textual.app import SuspendNotSupported

    failed: Exception | None = None
    code = 0
    try:
        with app.suspend():
            try:
                code = editor(path, line)
            except Exception as e:  # noqa: BLE001 - re-raised below, after the resume
                failed = e
    except SuspendNotSupported:
        # Headless runs (tests) cannot give up a terminal they do not have.
        return editor(path, line)
    if failed is not None:
        raise failed
    return code
