"""``cuecards optimize``: fit FSRS parameters to this user's own history."""

from __future__ import annotations

from typing import Any

import click


@click.command()
@click.option("--dry-run", is_flag=True, help="Fit and report, but keep the current parameters.")
@click.pass_obj
def optimize(cli_ctx: Any, dry_run: bool) -> None:
    """Fit FSRS parameters to your review history and keep them if they fit better.

    Prints the log-loss of the current and the fitted parameters on your own
    reviews (lower is better). Needs the optimize extra:
    pip install 'cuecards[optimize]'.
    """
    from cuecards.scheduling.optimizer import fit
    from cuecards.session import Service

    svc = Service.open(cli_ctx.paths())
    try:
        result = fit(svc.store.review_history(), svc.settings().fsrs_parameters)
        click.echo(
            f"Fitted on {result.reviews} reviews of {result.cards} cards "
            f"({result.items} training items)."
        )
        click.echo(
            f"log-loss  current {result.log_loss_before:.4f}   fitted {result.log_loss_after:.4f}"
        )
        click.echo(f"RMSE      current {result.rmse_before:.4f}   fitted {result.rmse_after:.4f}")
        if not result.improved:
            click.echo("The fitted parameters are no better; the current ones stay.")
        elif dry_run:
            click.echo("Dry run: the current parameters stay.")
        else:
            svc.set_setting("fsrs_parameters", [round(w, 4) for w in result.after])
            click.echo(
                "Saved: new intervals use the fitted parameters "
                "(undo with: cuecards config unset fsrs_parameters)."
            )
    finally:
        svc.close()
