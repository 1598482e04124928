"""``cuecards export --format apkg``: the deck folders as one Anki package."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from cuecards.errors import UsageError


def export_apkg(roots: Iterable[Path], output: str, deck: str | None, tag: str | None) -> str:
    """Write the package and return the line that says what was written."""
    from cuecards.interop.anki_write import collect_decks, write_apkg

    if output == "-":
        raise UsageError("an Anki package is a file: give -o FILE.apkg")
    decks, failed = collect_decks(roots, deck, tag)
    if not decks:
        scope = " and ".join(
            s for s in (f"deck {deck}" if deck else "", f"tag {tag}" if tag else "") if s
        )
        raise UsageError(f"no cards to export{' for ' + scope if scope else ''}")
    report = write_apkg(decks, Path(output))
    left_out = plural(failed, "deck file")
    note = f" ({left_out} with errors left out; see cuecards lint)" if failed else ""
    counts = ", ".join(
        plural(n, w)
        for n, w in ((report.decks, "deck"), (report.notes, "note"), (report.cards, "card"))
    )
    return f"Wrote {output}: {counts}{note}"


def plural(n: int, word: str) -> str:
    """``1 card``, ``2 cards``: the counts the import and export messages give."""
    return f"{n} {word}{'' if n == 1 else 's'}"
