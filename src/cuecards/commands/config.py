"""``cuecards config list|get|set|unset|path``: read and change settings.

Settings live in the database of the data folder (``cuecards config path``).
A bad key or value is a :class:`~cuecards.errors.ConfigError` (exit 2).
"""

from __future__ import annotations

import json
from typing import Any

import click

from cuecards.errors import ConfigError


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _store(ctx: click.Context) -> Any:
    from cuecards.store import Store

    paths = ctx.obj.paths()
    return Store.open(paths.db_path)


def _key(key: str) -> str:
    from cuecards.config import KEYS

    if key not in KEYS:
        import difflib

        near = difflib.get_close_matches(key, KEYS, n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        raise ConfigError(f"unknown setting {key!r}{hint}; `cuecards config list` shows them all")
    return key


def _current(stored: dict[str, Any]) -> dict[str, Any]:
    """Every setting's value: the stored ones that are valid, else the default."""
    from cuecards.config import Settings, validated

    values = Settings().model_dump(mode="json")
    for key, value in stored.items():
        if key in values:
            try:
                values[key] = validated({key: value}).model_dump(mode="json")[key]
            except ConfigError:
                values[key] = value  # shown as stored; `set`/`unset` repairs it
    return values


@click.group()
def config() -> None:
    """Show or change settings (desired retention, limits, steps, rollover hour, ...)."""


@config.command("list")
@click.option("--json", "as_json", is_flag=True, help="All settings as one JSON object.")
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """Every setting with its value; `*` marks those you have set."""
    from cuecards.config import describe

    store = _store(ctx)
    try:
        stored = store.settings()
    finally:
        store.close()
    values = _current(stored)
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
    _key(key)
    store = _store(ctx)
    try:
        stored = store.settings()
    finally:
        store.close()
    click.echo(_show(_current(stored)[key]))


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
    from datetime import date

    from cuecards.config import parse_value, past_interview, validated

    _key(key)
    parsed = parse_value(key, value)
    if parsed is None:
        raise ConfigError(f"to reset {key}, use `cuecards config unset {key}`")
    settings = validated({key: parsed})
    checked = settings.model_dump(mode="json")[key]
    store = _store(ctx)
    try:
        store.put_setting(key, checked)
    finally:
        store.close()
    click.echo(f"{key} = {_show(checked)}")
    if key == "interview_date" and past_interview(settings, date.today()):
        click.echo(
            f"cuecards: warning: interview_date {checked} is in the past and is "
            "ignored (it caps no interval); `cuecards config unset interview_date` "
            "clears it",
            err=True,
        )


@config.command("unset")
@click.argument("key")
@click.pass_context
def unset(ctx: click.Context, key: str) -> None:
    """Put KEY back to its default."""
    from cuecards.config import Settings

    _key(key)
    store = _store(ctx)
    try:
        store.put_setting(key, None)
    finally:
        store.close()
    default = Settings().model_dump(mode="json")[key]
    click.echo(f"{key} = {_show(default)} (default)")


@config.command("path")
@click.pass_context
def path(ctx: click.Context) -> None:
    """Print where settings are kept (the database file)."""
    click.echo(str(ctx.obj.paths().db_path))
