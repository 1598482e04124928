"""``cuecards optimize``: fit FSRS parameters to this user's own history."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from cuecards.cli import CliContext
    from cuecards.scheduling.optimizer import FitResult, Score
    from cuecards.scheduling.reschedule import Moves


def _row(name: str, before: Score | None, after: Score | None, field: str) -> str:
    if before is None or after is None:
        return f"{name:<20}{'-':>10}{'-':>10}"
    b, a = getattr(before, field), getattr(after, field)
    mark = "better" if a < b else "not better"
    return f"{name:<20}{b:>10.4f}{a:>10.4f}   {mark}"


def report(result: FitResult) -> list[str]:
    """The fit's figures as lines of text."""
    return [
        f"Fitted on {result.reviews} reviews of {result.cards} cards "
        f"({result.items} training items; {result.held_out_items} held out for the check).",
        f"{'':<20}{'current':>10}{'fitted':>10}",
        _row("log-loss, all", result.all_before, result.all_after, "log_loss"),
        _row("RMSE, all", result.all_before, result.all_after, "rmse"),
        _row("log-loss, held-out", result.held_before, result.held_after, "log_loss"),
        _row("RMSE, held-out", result.held_before, result.held_after, "rmse"),
    ]


def moves_line(moves: Moves) -> str:
    """How many due dates rescheduling would move."""
    if not moves.moved:
        return f"Rescheduling {moves.cards} cards would move no due date."
    return (
        f"Rescheduling {moves.cards} cards would move {moves.moved} due dates "
        f"({moves.earlier} earlier, {moves.later} later; median {moves.median_days:g} "
        f"days, at most {moves.max_days}); replayed in {moves.seconds:.1f} s."
    )


@click.command()
@click.option("--dry-run", is_flag=True, help="Fit and report, but keep the current parameters.")
@click.option(
    "--reschedule",
    is_flag=True,
    help="Also replay every card with the fitted parameters: count the due dates that move, "
    "and when the fit is saved, reschedule them (after a backup).",
)
@click.pass_obj
def optimize(cli_ctx: CliContext, dry_run: bool, reschedule: bool) -> None:
    """Fit FSRS parameters to your review history and keep them only if they predict it better.

    Prints log-loss and RMSE (lower is better) of the current and the fitted
    parameters, on all your reviews and on cards held out of a second fit.
    The fit is kept only when all four improve.
    """
    from cuecards.scheduling import Scheduling
    from cuecards.scheduling.optimizer import fit
    from cuecards.scheduling.reschedule import by_card, day_counted, due_moves
    from cuecards.session import Service
    from cuecards.stats import StatsContext

    with Service.open(cli_ctx.paths()) as svc:
        settings = svc.settings()
        ctx = StatsContext.from_service(svc)
        q = ctx.query()
        with ctx.open() as reader:
            history = by_card((r[3], r[0], r[5]) for r in reader.review_rows(q))
            due = {r[0]: int(r[8]) for r in reader.card_rows(q) if r[4] > 0 and not r[11]}
        result = fit(day_counted(history, svc.sched.days), settings.fsrs_parameters)
        for line in report(result):
            click.echo(line)
        worse = result.worse()
        if worse:
            click.echo("Not better on " + ", ".join(worse) + ": the current parameters stay.")
        elif dry_run:
            click.echo("Better on all four. Dry run: the current parameters stay.")
        else:
            svc.set_setting("fsrs_parameters", [round(w, 4) for w in result.after])
            click.echo(
                "Better on all four. Saved: new intervals use the fitted parameters "
                "(undo with: cuecards config unset fsrs_parameters)."
            )
        if reschedule:
            fitted = Scheduling(settings.model_copy(update={"fsrs_parameters": result.after}))
            ids = svc.card_ids(due)
            click.echo(moves_line(due_moves(history, ids, due, fitted)))
            if worse or dry_run:
                click.echo("Due dates are unchanged: this shows what rescheduling would do.")
            else:
                # The saved parameters are now the service's: every card whose
                # stored schedule is not the replay of its reviews under them is
                # rewritten from that replay, after a backup (cuecards check --repair).
                done = svc.check(repair=True)
                click.echo(
                    f"Rescheduled {done.repaired} cards from their reviews"
                    + (f" (a copy first: {done.backup})" if done.backup else "")
                    + "."
                )
