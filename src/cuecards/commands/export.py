"""``cuecards export --format csv|json|html -o FILE``: progress for a spreadsheet,
a tool or a coach.

* csv: one row per review (study date, local and UTC time, deck, card, kind,
  rating, duration, interval, drill points hit/total).
* json: ``{"summary": <the keys of cuecards stats --json>, "cards": [...]}``.
* html: one self-contained page with inline SVG charts and the tables.

The file is written whole or not at all; ``-o -`` writes to standard output.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from cuecards.commands.stats import open_context, scope_options, since_date


@click.command()
@click.option(
    "--format",
    "-f",
    "fmt",
    required=True,
    type=click.Choice(["csv", "json", "html", "apkg"], case_sensitive=False),
    help="csv (every review), json (summary and cards), html (report with charts) "
    "or apkg (the decks as an Anki package).",
)
@click.option(
    "--output",
    "-o",
    "output",
    required=True,
    metavar="FILE",
    help="The file to write ('-' for standard output).",
)
@scope_options
@click.pass_obj
def export(
    cli_ctx: Any, fmt: str, output: str, deck: str | None, tag: str | None, since: datetime | None
) -> None:
    """Export reviews (csv), figures and cards (json) or a report with charts (html)."""
    from cuecards.export import export as run_export

    if fmt.lower() == "apkg":
        from cuecards.interop.anki_export import export_apkg
        from cuecards.service import Service
        from cuecards.storage import ReadOnlyStoreError

        paths = cli_ctx.paths()
        if paths.db_path.is_file():
            # the decks come from their files, but the database is refused here
            # as by every other command (damaged, locked...) before anything is written
            try:
                svc = Service.open(paths)
            except ReadOnlyStoreError:
                svc = Service.open(paths, read_only=True)
            with svc:
                svc.verify()
        click.echo(export_apkg(paths.deck_dirs, output, deck, tag), err=True)
        return
    ctx = open_context(cli_ctx, deck, tag)
    run_export(ctx, fmt.lower(), output, deck, tag, since_date(since))
    if output != "-":
        click.echo(f"Wrote {output}", err=True)
