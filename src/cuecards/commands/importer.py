"""``cuecards import FILE``: Anki packages (with their review history) and
CSV/TSV tables into YAML decks.

The decks go to the first ``--decks`` folder, or else to the data folder's
``decks/``. Deck files that exist are overwritten only with ``--yes`` or after
a yes at the prompt. An Anki history is replayed into the database, so the
first session after the import shows the cards that are really due.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from cuecards.errors import UsageError

_ANKI = (".apkg", ".colpkg")
_TABLE = (".csv", ".tsv")


def _target(cli_ctx: Any) -> tuple[Path, Any]:
    from cuecards.paths import Paths

    base = cli_ctx.paths()
    user = list(base.deck_dirs[1:])
    folder = Path(user[0]) if user else base.home / "decks"
    if folder not in base.deck_dirs:
        base = Paths(home=base.home, deck_dirs=(*base.deck_dirs, folder))
    return folder, base


def _ask(paths: list[Path]) -> bool:
    if not sys.stdin.isatty():
        return False
    shown = "\n".join(f"  {p}" for p in paths)
    return click.confirm(f"These deck files exist:\n{shown}\nOverwrite them?", default=False)


def _say_skipped(skipped: dict[str, int]) -> None:
    for reason, n in sorted(skipped.items(), key=lambda kv: -kv[1]):
        click.echo(f"  skipped {n}: {reason}")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", "-y", is_flag=True, help="Overwrite deck files that exist without asking.")
@click.option("--no-history", is_flag=True, help="Import the cards only, not the review history.")
@click.pass_obj
def import_(cli_ctx: Any, file: Path, yes: bool, no_history: bool) -> None:
    """Import an Anki package (.apkg, .colpkg) or a table (.csv, .tsv) as decks."""
    from cuecards.interop.importing import write_decks

    suffix = file.suffix.lower()
    col = None
    if suffix in _ANKI:
        from cuecards.interop.anki_convert import convert
        from cuecards.interop.anki_package import read_package

        col = read_package(file)
        conv, source = convert(col), "an Anki package"
    elif suffix in _TABLE:
        from cuecards.interop.csv_read import read_table

        conv, source = read_table(file), "a table"
    else:
        raise UsageError(f"{file}: import reads .apkg, .colpkg, .csv or .tsv files")
    if not conv.decks:
        raise UsageError(f"{file}: no cards to import")
    folder, paths = _target(cli_ctx)
    written = write_decks(conv, folder, source, (lambda _p: True) if yes else _ask)
    click.echo(
        f"Imported {conv.notes} notes as {conv.cards} cards in {len(written)} decks into {folder}"
    )
    if conv.media_files or conv.media_refs:
        click.echo(f"  media not imported: {conv.media_files} files, {conv.media_refs} references")
    _say_skipped(conv.skipped)
    if col is not None and not no_history:
        _history(paths, col, conv)
    if folder not in cli_ctx.paths().deck_dirs:
        click.echo(f"To study them, pass --decks {folder} or add it to CUECARDS_DECKS.")


def _history(paths: Any, col: Any, conv: Any) -> None:
    from cuecards.interop.history import HistoryReport, apply_flags, apply_history, review_records
    from cuecards.session import Service

    report = HistoryReport()
    records = review_records(col.reviews, conv.uids, report)
    with Service.open(paths) as svc:
        svc.sync()
        apply_history(svc, records, report)
        apply_flags(svc, col.cards, conv.uids, report)
    click.echo(
        f"History: {report.written} reviews of {report.cards} cards"
        + (f"; {report.suspended} suspended" if report.suspended else "")
        + (f"; {report.buried} buried until tomorrow" if report.buried else "")
    )
    _say_skipped(report.skipped)
