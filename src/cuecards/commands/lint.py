"""``cuecards lint [PATH...]``: check deck files and say where each problem is;
``--plan``: what a sync would do, without writing anything."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from cuecards.cli import CliContext
    from cuecards.storage import Store
    from cuecards.views import SyncReport


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@contextmanager
def _database(obj: CliContext | None, plan: bool) -> Iterator[Store | None]:
    """The database, read-only; None when there is none (for ``--plan``: an
    empty one in a temporary folder, so the plan adds every card)."""
    from cuecards.errors import StoreError
    from cuecards.storage import Store

    db = obj.paths().db_path if obj is not None else None
    store: Store | None = None
    if db is not None and db.exists():
        try:
            store = Store.open(db, read_only=True)
        except StoreError:
            if plan:  # the plan is what a sync would do to this database
                raise
            # Checking deck files does not need the database: only the alias
            # checks against its history are skipped.
            store = None
    if store is not None:
        try:
            yield store
        finally:
            store.close()
        return
    if not plan:
        yield None
        return
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        empty = Store.open(Path(tmp) / "plan.db")
        try:
            yield empty
        finally:
            empty.close()


def plan_lines(report: SyncReport) -> list[str]:
    """A sync report as lines for people: the tally, then each note and error."""
    tally = (
        f"{_plural(report.decks, 'deck file')} ({report.skipped_unchanged} unchanged): "
        f"{report.added} added, {report.updated} updated, {report.reattached} re-attached, "
        f"{report.restored} restored, {report.retired} retired"
    )
    lines = [tally, *report.notes]
    lines += [p.format() for e in report.errors for p in e.problems]
    return lines


def plan_json(report: SyncReport) -> dict[str, object]:
    """A sync report for tools."""
    return {
        "decks": report.decks,
        "unchanged": report.skipped_unchanged,
        "added": report.added,
        "updated": report.updated,
        "reattached": report.reattached,
        "restored": report.restored,
        "retired": report.retired,
        "notes": list(report.notes),
        "errors": [p.format() for e in report.errors for p in e.problems],
    }


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output: lines for people and editors, or JSON for tools.",
)
@click.option(
    "--plan",
    is_flag=True,
    help="Show what a sync would do (added, updated, re-attached, retired); writes nothing.",
)
@click.pass_context
def lint(ctx: click.Context, paths: tuple[Path, ...], fmt: str, plan: bool) -> None:
    """Check deck files (or folders of them; default: the deck folders).

    Prints one `path:line:col: error: message` line per problem and a summary.
    Exits 1 when any error is found; warnings alone exit 0.
    """
    from cuecards.decklint import lint_paths
    from cuecards.sync import folders_for, sync_all

    obj: CliContext | None = ctx.obj
    dirs = obj.paths().deck_dirs if obj is not None else ()
    with _database(obj, plan) as store:
        if plan:
            assert store is not None
            import time

            report = sync_all(store, dirs, int(time.time()), dry_run=True)
            if fmt == "json":
                click.echo(json.dumps(plan_json(report), indent=2))
            else:
                for line in plan_lines(report):
                    click.echo(line)
            ctx.exit(1 if report.errors else 0)
        folders = folders_for(store, dirs) if store is not None else None
        if folders is None:
            from cuecards.paths import deck_folders

            folders = deck_folders(dirs)
        problems, checked = lint_paths(list(paths), folders, store)
    problems.sort(key=lambda p: (p.path, p.line, p.col))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "files": checked,
                    "errors": errors,
                    "warnings": warnings,
                    "problems": [
                        {
                            "path": p.path,
                            "line": p.line,
                            "col": p.col,
                            "severity": p.severity,
                            "message": p.message,
                        }
                        for p in problems
                    ],
                },
                indent=2,
            )
        )
    else:
        for p in problems:
            click.echo(p.format())
        found = ", ".join(
            s
            for s in (
                _plural(errors, "error") if errors else "",
                _plural(warnings, "warning") if warnings else "",
            )
            if s
        )
        click.echo(f"{_plural(checked, 'file')} checked: {found or 'no problems'}")
    ctx.exit(1 if errors else 0)
