"""``cuecards`` (the app, home screen) and ``cuecards review`` (straight into a session)."""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any

import click


def _run(
    cli_ctx: Any,
    screen: str,
    deck: str | None = None,
    tag: str | None = None,
    until: date | None = None,
) -> None:
    """Build the app for this run's paths and run it; report start-up errors."""
    from cuecards.ui.app import StartMode, make_app

    bench = os.environ.get("CUECARDS_BENCH_EXIT") == "1"
    app = make_app(
        cli_ctx.paths(),
        start=StartMode(screen=screen, deck=deck, tag=tag),  # type: ignore[arg-type]
        bench_exit=bench,
        until=until,
    )
    app.run()
    if app.startup_error is not None:
        raise app.startup_error
    if bench and app.first_frame_at is not None:
        # The benchmark reads this line after the terminal is restored.
        marks = " ".join(f"{k}={v:.6f}" for k, v in app.marks.items())
        click.echo(f"CUECARDS_FIRST_FRAME {app.first_frame_at:.6f} {marks}")
    if app.return_code:
        raise SystemExit(app.return_code)


def open_app(cli_ctx: Any) -> None:
    """Open the app on its home screen (``cuecards`` with no command)."""
    _run(cli_ctx, "home")


@click.command()
@click.option(
    "--deck", "-d", metavar="DECK", help="Study only this deck (its id, e.g. pm/trade-offs)."
)
@click.option("--tag", "-t", metavar="TAG", help="Study only cards with this tag.")
@click.option(
    "--until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="DATE",
    help="Your interview date (YYYY-MM-DD) for this session: no interval "
    "reaches past it (the interview_date setting does this for good).",
)
@click.pass_obj
def review(cli_ctx: Any, deck: str | None, tag: str | None, until: datetime | None) -> None:
    """Start today's session straight away (all decks, or one deck or tag)."""
    _run(cli_ctx, "review", deck=deck, tag=tag, until=until.date() if until else None)
