"""``cuecards import FILE``: Anki packages (with their review history) and
CSV/TSV tables into YAML decks.

The decks go to the first ``--decks`` folder, else the first folder of the
``deck_folders`` setting, else the data folder's ``decks/``, which is then
added to that setting so the decks load at every start. Deck files that exist
are overwritten only with ``--yes`` or after a yes at the prompt. An Anki
history is replayed into the database, so the first session after the import
shows the cards that are really due.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cuecards.errors import UsageError
from cuecards.interop.anki_export import plural

if TYPE_CHECKING:
    from cuecards.service import Service

_ANKI = (".apkg", ".colpkg")
_TABLE = (".csv", ".tsv")


def _target(svc: Service) -> tuple[Path, bool]:
    """Where the decks go: this run's first ``--decks`` folder, else the first
    folder of the ``deck_folders`` setting, else the data folder's ``decks/``
    (True: that folder is new to the setting and must be added to it)."""
    from cuecards.paths import deck_folders, shipped_decks_dir

    shipped = shipped_decks_dir().resolve()
    run = [Path(d).expanduser() for d in svc.paths.deck_dirs]
    given = [d for d in run if d.resolve() != shipped]
    if given:
        return given[0], False
    s = svc.settings()
    mine = [f.path for f in deck_folders([], s.deck_folders) if not f.shipped]
    if mine:
        return mine[0], False
    return svc.paths.home / "decks", True


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
@click.option(
    "--add-folder",
    is_flag=True,
    help="Add the --decks folder the decks go to to the deck_folders setting.",
)
@click.pass_obj
def import_(cli_ctx: Any, file: Path, yes: bool, no_history: bool, add_folder: bool) -> None:
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
    from cuecards.session import Service

    with Service.open(cli_ctx.paths()) as svc:
        folder, fallback = _target(svc)
        written = write_decks(conv, folder, source, (lambda _p: True) if yes else _ask)
        click.echo(
            f"Imported {plural(conv.notes, 'note')} as {plural(conv.cards, 'card')}"
            f" in {plural(len(written), 'deck')} into {folder}"
        )
        if (fallback or add_folder) and svc.add_deck_folder(folder):
            click.echo(
                "  added that folder to the deck_folders setting: its decks load at every start"
            )
        if conv.media_files or conv.media_refs:
            click.echo(
                f"  media not imported: {plural(conv.media_files, 'file')}, "
                f"{plural(conv.media_refs, 'reference')}"
            )
        _say_skipped(conv.skipped)
        if col is not None and not no_history:
            _history(svc, col, conv)
        configured = svc.settings().deck_folders
    if not _in_setting(folder, configured):
        # `config set` replaces the list: the command names every folder, the new one last
        every = os.pathsep.join([*configured, str(folder.expanduser().resolve())])
        click.echo(
            f"To study them at every start: cuecards config set deck_folders {shlex.quote(every)}"
            " (or pass --decks each time; import --add-folder adds it as it imports)"
        )


def _in_setting(folder: Path, configured: list[str]) -> bool:
    target = folder.expanduser().resolve()
    return any(Path(c).expanduser().resolve() == target for c in configured)


def _history(svc: Service, col: Any, conv: Any) -> None:
    from cuecards.interop.history import HistoryReport, apply_flags, apply_history, review_records

    report = HistoryReport()
    records = review_records(col.reviews, conv.uids, report)
    from cuecards.commands.stats import say_notes

    say_notes(svc.sync().notes)
    apply_history(svc, records, report)
    apply_flags(svc, col.cards, conv.uids, report)
    click.echo(
        f"History: {plural(report.written, 'review')} of {plural(report.cards, 'card')}"
        + (f"; {report.suspended} suspended" if report.suspended else "")
        + (f"; {report.buried} buried until tomorrow" if report.buried else "")
    )
    _say_skipped(report.skipped)
