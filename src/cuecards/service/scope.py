"""The message for a ``--deck`` or ``--tag`` that names nothing: near misses
first (a typo is the likely cause), then a few of those that exist."""

from __future__ import annotations

import difflib

from cuecards.errors import UsageError

#: how many known tags (or decks) an unknown-scope message names
TAG_HINTS = 8


def unknown(what: str, name: str, known: list[str]) -> UsageError:
    """A usage error naming near misses first (a typo is the likely cause)."""
    if not known and what == "deck":
        return UsageError(f"no deck or folder of decks {name!r}; no deck is loaded")
    if not known:
        return UsageError(f"no card has the {what} {name!r}; no card has any {what} yet")
    near = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = near + [t for t in known if t not in near]
    more = len(hint) - TAG_HINTS
    shown = ", ".join(hint[:TAG_HINTS]) + (f" (and {more} more)" if more > 0 else "")
    if what == "deck":
        return UsageError(f"no deck or folder of decks {name!r}; decks are: {shown}")
    return UsageError(f"no card has the {what} {name!r}; {what}s are: {shown}")
