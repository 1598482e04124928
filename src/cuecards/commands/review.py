"""``cuecards`` (the app, home screen) and ``cuecards review`` (straight into a session)."""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

import click

if TYPE_CHECKING:
    from textual.app import App

#: set to 1, the app exits once its first card (or the home screen) is painted
#: and prints ``CUECARDS_FIRST_FRAME <epoch seconds> stage=<epoch seconds>...``
#: (bench/startup.py reads it)
BENCH_ENV = "CUECARDS_BENCH_EXIT"


class FirstFrameProbe:
    """The start-up benchmark's milestone callback: keeps the time of each
    stage and exits the app once the first real content is painted."""

    def __init__(self) -> None:
        self.marks: dict[str, float] = {"app": time.time()}
        self.first_frame_at: float | None = None
        self.app: App[None] | None = None

    def __call__(self, name: str) -> None:
        self.marks.setdefault(name, time.time())
        if name == "shown" and self.app is not None and self.first_frame_at is None:
            self.app.call_after_refresh(self._painted)

    def _painted(self) -> None:
        if self.first_frame_at is None and self.app is not None:
            self.first_frame_at = time.time()
            self.app.exit()

    def line(self) -> str:
        """The line the benchmark reads."""
        marks = " ".join(f"{k}={v:.6f}" for k, v in self.marks.items())
        return f"CUECARDS_FIRST_FRAME {self.first_frame_at:.6f} {marks}"


def _run(
    cli_ctx: Any,
    screen: Literal["home", "review"],
    deck: str | None = None,
    tag: str | None = None,
    until: date | None = None,
) -> None:
    """Build the app for this run's paths and run it; report start-up errors."""
    from cuecards.ui.app import StartMode, make_app

    probe = FirstFrameProbe() if os.environ.get(BENCH_ENV) == "1" else None
    app = make_app(
        cli_ctx.paths(),
        start=StartMode(screen=screen, deck=deck, tag=tag),
        until=until,
        milestone=probe,
    )
    if probe is not None:
        probe.app = app
    app.run()
    if app.startup_error is not None:
        raise app.startup_error
    if probe is not None and probe.first_frame_at is not None:
        # The benchmark reads this line after the terminal is restored.
        click.echo(probe.line())
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
    day = until.date() if until else None
    if day is not None:
        from cuecards.config import Settings, past_interview

        if past_interview(Settings(interview_date=day), date.today()):
            # the same warning as `cuecards config set interview_date`
            click.echo(
                f"cuecards: warning: --until {day.isoformat()} is in the past and is "
                "ignored (it caps no interval)",
                err=True,
            )
    if deck or tag:
        check_scope(cli_ctx, deck, tag)
    _run(cli_ctx, "review", deck=deck, tag=tag, until=day)


def check_scope(cli_ctx: Any, deck: str | None, tag: str | None) -> None:
    """A ``--deck`` or ``--tag`` that names nothing is refused before the app
    starts (after a sync, so a deck just added counts); the decks named in
    the message leave out those whose file did not load."""
    from cuecards.errors import UsageError
    from cuecards.service import Service

    with Service.open(cli_ctx.paths()) as svc:
        failed = {e.deck_id: e for e in svc.sync().errors}
        if deck:
            bad = failed.get(deck.strip("/"))
            try:
                svc.check_deck(deck, failed=failed)
            except UsageError:
                if bad is None:
                    raise
                raise UsageError(f"deck {deck!r} did not load: {bad.first}") from None
        if tag:
            svc.check_tag(tag)
