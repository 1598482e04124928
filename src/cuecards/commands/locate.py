"""``cuecards locate``: print every place cuecards reads or writes."""

from __future__ import annotations

import click


@click.command()
@click.pass_context
def locate(ctx: click.Context) -> None:
    """Print the data folder, the database (which also holds settings) and the
    deck folders."""
    paths = ctx.obj.paths()
    click.echo(f"home      {paths.home}")
    click.echo(f"database  {paths.db_path}")
    if not paths.deck_dirs:
        click.echo("decks     (none)")
    for i, d in enumerate(paths.deck_dirs):
        missing = "" if d.is_dir() else "  (missing)"
        click.echo(f"{'decks' if i == 0 else '':<10}{d}{missing}")
