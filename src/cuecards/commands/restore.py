"""``cuecards restore FILE``: put a backup back in place of the database.

FILE must be a sound cuecards database that this version can read (an older
one is upgraded when next opened). The current database is first copied into
``backups/`` in the data folder; then FILE's copy replaces it in one rename.
Refused while another copy of cuecards has the database open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cuecards.errors import StoreError


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def restore(cli_ctx: Any, file: Path) -> None:
    """Replace the database with the backup FILE (the current one is backed up first)."""
    from cuecards.service.restoring import restore_database

    db: Path = cli_ctx.paths().db_path
    if file.resolve() == db.resolve():
        raise StoreError(f"{file} is the database itself; name a backup")
    _usable_backup(file)
    saved = restore_database(file, db)
    if saved is not None:
        click.echo(f"Backup of the database it replaced: {saved}")
    click.echo(f"Restored {file} as {db}")


def _usable_backup(file: Path) -> None:
    """Refuse a FILE whose first bytes already say it cannot be read, in words
    about a backup (not the advice given for the database itself)."""
    from cuecards.storage.guards import preflight

    if not file.is_file():
        raise StoreError(f"there is no file {file}")
    try:
        preflight(file)
    except StoreError as e:
        reason = e.msg.split(";")[0].rstrip(".")
        raise StoreError(f"{reason}: it cannot be used as a backup; nothing was restored") from None
