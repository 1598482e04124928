"""The ``cuecards`` command line: a click group whose commands load lazily.

Each command lives in its own module under ``cuecards.commands`` and is
imported only when it runs, so ``cuecards`` (the app) does not pay for
``lint`` or ``export`` at start-up. Every :class:`CuecardsError` becomes one
message on standard error and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cuecards.errors import CuecardsError

if TYPE_CHECKING:
    from cuecards.paths import Paths

# name -> "module:attribute"; the order is the order of `cuecards --help`.
COMMANDS: dict[str, str] = {
    "review": "cuecards.commands.review:review",
    "lint": "cuecards.commands.lint:lint",
    "grade": "cuecards.commands.grade:grade",
    "stats": "cuecards.commands.stats:stats",
    "export": "cuecards.commands.export:export",
    "import": "cuecards.commands.importer:import_",
    "optimize": "cuecards.commands.optimize:optimize",
    "plan": "cuecards.commands.plan:plan",
    "schema": "cuecards.commands.schema:schema",
    "config": "cuecards.commands.config:config",
    "suspended": "cuecards.commands.suspended:suspended",
    "locate": "cuecards.commands.locate:locate",
    "backup": "cuecards.commands.backup:backup",
    "restore": "cuecards.commands.restore:restore",
    "check": "cuecards.commands.check:check",
    "serve": "cuecards.commands.serve:serve",
}


@dataclass
class CliContext:
    """What the group's options say, handed to every command as ``ctx.obj``."""

    home: Path | None = None
    decks: tuple[Path, ...] = field(default_factory=tuple)

    def paths(self) -> Paths:
        """The resolved :class:`cuecards.paths.Paths` for this run."""
        from cuecards.paths import Paths

        return Paths.resolve(home=self.home, decks=list(self.decks) or None)


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:  # noqa: ARG002
        return [name for name in COMMANDS if self._available(name)]

    @staticmethod
    def _available(name: str) -> bool:
        module = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(module) is not None

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:  # noqa: ARG002
        target = COMMANDS.get(cmd_name)
        if target is None or not self._available(cmd_name):
            return None
        module_name, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CUECARDS_HOME",
    help="Folder for the database and settings (default: your data folder).",
)
@click.option(
    "--decks",
    "decks",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of decks to load besides the shipped ones (repeatable).",
)
@click.version_option(package_name="cuecards")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, decks: tuple[Path, ...]) -> None:
    """Daily spaced-repetition practice: run with no command to open the app."""
    ctx.obj = CliContext(home=home, decks=decks)
    if ctx.invoked_subcommand is None:
        from cuecards.commands.review import open_app

        open_app(ctx.obj)


#: the group's options with the value they take, for the hint when one follows a command
GROUP_OPTIONS = {"--home": "DIR", "--decks": "DIR"}


def _misplaced_group_option(e: click.ClickException) -> click.UsageError | None:
    """``cuecards stats --decks DIR``: say where the option goes instead of
    offering a command's option with a similar name."""
    if not isinstance(e, click.NoSuchOption) or e.option_name not in GROUP_OPTIONS:
        return None
    words: list[str] = []
    ctx = e.ctx
    while ctx is not None and ctx.parent is not None:
        words.insert(0, ctx.info_name or "")
        ctx = ctx.parent
    if not words:
        return None  # the group's own options are known there
    name = e.option_name
    command = " ".join(words)
    return click.UsageError(
        f"{name} goes before the command: cuecards {name} {GROUP_OPTIONS[name]} {command}", e.ctx
    )


def main(argv: list[str] | None = None) -> None:
    """Run the command line; turn every known error into a message and exit code."""
    try:
        code = cli.main(args=argv, prog_name="cuecards", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as e:
        shown = _misplaced_group_option(e) or e
        shown.show()
        sys.exit(shown.exit_code)
    except CuecardsError as e:
        click.echo(f"cuecards: {e.title}: {e.msg}", err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except OSError as e:
        click.echo(
            f"cuecards: error: {e.strerror or e}"
            + (f": {e.filename}" if getattr(e, "filename", None) else ""),
            err=True,
        )
        sys.exit(1)
    else:
        # With standalone_mode off, click returns ctx.exit()'s code.
        sys.exit(code if isinstance(code, int) else 0)
