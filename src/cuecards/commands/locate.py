"""``cuecards locate``: print every place cuecards reads or writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cuecards.errors import CuecardsError


def _stored_folders(paths: Any) -> tuple[list[str], bool, str | None]:
    """The ``deck_folders`` and ``show_shipped_decks`` settings, read without
    creating or changing anything; a note when the database cannot be read."""
    if not paths.db_path.is_file():
        return [], True, None
    from cuecards.service import Service

    try:
        with Service.open(paths, read_only=True, lenient=True) as svc:
            s = svc.settings()
            return list(s.deck_folders), s.show_shipped_decks, None
    except CuecardsError as e:
        return [], True, f"settings not read: {e.msg}"


@click.command()
@click.pass_context
def locate(ctx: click.Context) -> None:
    """Print the data folder, the database (which also holds settings) and the
    deck folders (shipped, from the deck_folders setting, and this run's
    --decks or CUECARDS_DECKS), in the order they are read."""
    from cuecards.paths import shipped_decks_dir

    paths = ctx.obj.paths()
    click.echo(f"home      {paths.home}")
    click.echo(f"database  {paths.db_path}")
    configured, show_shipped, note = _stored_folders(paths)
    shipped = shipped_decks_dir().resolve()
    rows: list[tuple[Path, str]] = []

    def add(folder: Path, why: str) -> None:
        folder = folder.expanduser().resolve()
        if all(folder != f for f, _w in rows):
            rows.append((folder, why))

    run = [Path(d) for d in paths.deck_dirs]
    if any(d.expanduser().resolve() == shipped for d in run):
        add(shipped, "shipped" if show_shipped else "shipped, hidden by show_shipped_decks")
    for c in configured:
        add(Path(c), "deck_folders setting")
    for d in run:
        add(d, "this run")
    if not rows:
        click.echo("decks     (none)")
    for i, (folder, why) in enumerate(rows):
        missing = "" if folder.is_dir() else ", missing"
        click.echo(f"{'decks' if i == 0 else '':<10}{folder}  ({why}{missing})")
    if note:
        click.echo(f"cuecards: note: {note}", err=True)
