"""``cuecards backup [FILE]``: a consistent copy of the database.

Made with SQLite's online backup API, so it is safe while the app is open in
another terminal. Without FILE the copy goes into ``backups/`` in the data
folder, named by the time it was made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cuecards.errors import UsageError


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup(cli_ctx: Any, file: Path | None) -> None:
    """Copy the database to FILE (default: backups/ in the data folder)."""
    from cuecards.service import Service

    if file is not None and file.exists():
        raise UsageError(f"{file} already exists; name a new file")
    with Service.open(cli_ctx.paths()) as svc:
        svc.verify()  # a damaged file is refused before a copy of it is written
        where = svc.backup(file)
    click.echo(f"Wrote {where}")
