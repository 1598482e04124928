"""Paths in notifications, shortened so that a toast never breaks one mid-word.

A toast is narrow (half the screen at most) and wraps at spaces, so a long
path is folded anywhere (``trade-o`` / ``ffs.yaml``). :func:`short_paths`
keeps of each path the file name and the folder it is in, which says which
deck it is, e.g. ``…/pm/trade-offs.yaml``.
"""

from __future__ import annotations

import re
from pathlib import PurePath

# a path with at least two separators: /a/b/c.yaml, ~/x/y.yaml, C:\x\y.yaml
_PATH = re.compile(r"(?:~|[A-Za-z]:)?(?:[^\s\\/()\"']*[\\/]){2,}[^\s\\/()\"']+")
_TRAILING = ".,;:!?"


def short_path(path: str | PurePath) -> str:
    """``…/folder/file`` for a path with more parts than that, else the path."""
    parts = PurePath(path).parts
    if len(parts) <= 3:
        return str(path)
    return f"…/{parts[-2]}/{parts[-1]}"


def short_paths(text: str) -> str:
    """``text`` with each path in it shortened by :func:`short_path`."""

    def shorten(match: re.Match[str]) -> str:
        found = match.group(0)
        core = found.rstrip(_TRAILING)
        return short_path(core) + found[len(core) :]

    return _PATH.sub(shorten, text)
