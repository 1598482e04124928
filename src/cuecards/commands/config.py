"""``cuecards config list|get|set|unset|path``: read and change settings.

Settings live in the database of the data folder (``cuecards config path``).
A bad key or value is a :class:`~cuecards.errors.ConfigError` (exit 2).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from cuecards.errors import ConfigError

if TYPE_CHECKING:
    from cuecards.service import Service


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _service(ctx: click.Context) -> Service:
    """The service, opened even when stored settings are invalid (to repair them)."""
    from cuecards.service import Service

    return Service.open(ctx.obj.paths(), lenient=True)


@click.group()
def config() -> None:
    """Show or change settings (desired retention, limits, steps, rollover hour, ...)."""


@config.command("list")
@click.option("--json", "as_json", is_flag=True, help="All settings as one JSON object.")
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """Every setting with its value; `*` marks those you have set."""
    from cuecards.config import describe

    with _service(ctx) as svc:
        stored = svc.stored_settings()
        values = svc.setting_values(stored)
    if as_json:
        click.echo(json.dumps(values, indent=2))
        return
    for key, value in values.items():
        mark = "*" if key in stored else " "
        click.echo(f"{mark} {key} = {_show(value)}")
        click.echo(f"      {describe(key)}")


@config.command("get")
@click.argument("key")
@click.pass_context
def get(ctx: click.Context, key: str) -> None:
    """Print one setting's value (JSON for lists, numbers and null)."""
    from cuecards.service import Service

    Service.setting_key(key)
    with _service(ctx) as svc:
        click.echo(_show(svc.setting_values(svc.stored_settings())[key]))


class _SetCommand(click.Command):
    """``config set``, whose help ends with every setting and what it means
    (read only when help is asked for)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:  # noqa: ARG002
        from cuecards.config import KEYS, describe

        with formatter.section("Settings"):
            formatter.write_dl([(key, describe(key)) for key in KEYS])


# VALUE may start with a dash (`new_per_day -5`): it is not an option, so that
# the setting's own check can say what is wrong with it.
@config.command("set", cls=_SetCommand, context_settings={"ignore_unknown_options": True})
@click.argument("key")
@click.argument("value", type=click.UNPROCESSED)
@click.pass_context
def set_(ctx: click.Context, key: str, value: str) -> None:
    """Set KEY to VALUE, e.g. `new_per_day 15`, `learning_steps 1m,10m`,
    `interview_date 2025-06-01`."""
    from cuecards.config import parse_value, past_interview_warning
    from cuecards.service import Service

    parsed = parse_value(Service.setting_key(key), value)
    with _service(ctx) as svc:
        if parsed is None:
            raise ConfigError(f"to reset {key}, use `cuecards config unset {key}`")
        settings = svc.set_setting(key, parsed)
        checked = svc.setting_values(svc.stored_settings())[key]
        today = svc.sched.days.date_of(svc.today())
    click.echo(f"{key} = {_show(checked)}")
    warning = past_interview_warning(settings, today) if key == "interview_date" else None
    if warning:
        click.echo(
            f"cuecards: warning: {warning}; `cuecards config unset interview_date` clears it",
            err=True,
        )


@config.command("unset")
@click.argument("key")
@click.pass_context
def unset(ctx: click.Context, key: str) -> None:
    """Put KEY back to its default."""
    from cuecards.config import Settings
    from cuecards.service import Service

    Service.setting_key(key)
    with _service(ctx) as svc:
        svc.set_setting(key, None)
    default = Settings().model_dump(mode="json")[key]
    click.echo(f"{key} = {_show(default)} (default)")


@config.command("path")
@click.pass_context
def path(ctx: click.Context) -> None:
    """Print where settings are kept (the database file)."""
    click.echo(str(ctx.obj.paths().db_path))
