"""``cuecards lint [PATH...]``: check deck files and say where each problem is."""

from __future__ import annotations

import json
from pathlib import Path

import click


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


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
@click.pass_context
def lint(ctx: click.Context, paths: tuple[Path, ...], fmt: str) -> None:
    """Check deck files (or folders of them; default: the deck folders).

    Prints one `path:line:col: error: message` line per problem and a summary.
    Exits 1 when any error is found; warnings alone exit 0.
    """
    from cuecards.loader import lint_paths

    targets = list(paths)
    if not targets:
        obj = ctx.obj
        dirs = obj.paths().deck_dirs if obj is not None else ()
        # Folders nobody named on the command line may simply not exist yet.
        targets = [d for d in dirs if d.is_dir()]
    problems, checked = lint_paths(targets)
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
