"""``cuecards check [--repair]``: is the database sound, and is every card's
schedule the replay of its reviews?

The review log is the record and a card's stored schedule a cache of its
replay. ``check`` runs SQLite's integrity check and compares every card with
the replay of its reviews under the current settings (so after changing a
scheduling setting, cards reviewed before it differ until repaired).
``--repair`` first copies the database into ``backups/`` in the data folder,
then rewrites the differing schedules from the replay. Exit 1 when something
is wrong and was not repaired.
"""

from __future__ import annotations

from typing import Any

import click


@click.command()
@click.option("--repair", is_flag=True, help="Rewrite differing schedules (after a backup).")
@click.pass_obj
def check(cli_ctx: Any, repair: bool) -> None:
    """Check the database and every card's schedule against its reviews."""
    from cuecards.service import Service

    with Service.open(cli_ctx.paths()) as svc:
        report = svc.check(repair=repair)
    if report.integrity:
        click.echo("The database is damaged; nothing was changed:")
        for line in report.integrity:
            click.echo(f"  {line}")
        raise SystemExit(1)
    click.echo(f"Integrity: ok. {report.cards} cards, {report.reviews} reviews.")
    if not report.differ:
        click.echo("Every card's schedule is the replay of its reviews.")
        return
    n = len(report.differ)
    if report.repaired:
        click.echo(f"Backup: {report.backup}")
        click.echo(f"Rewrote {report.repaired} of {n} schedules from their reviews.")
        return
    click.echo(f"{n} card{'' if n == 1 else 's'} differ from the replay of their reviews;")
    click.echo("`cuecards check --repair` rewrites them (after a backup).")
    raise SystemExit(1)
