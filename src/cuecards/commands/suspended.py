"""``cuecards suspended``: list suspended cards, or put them back in the queues.

``!`` in a session suspends a card; ``u`` undoes that within the session.
This command is the way back afterwards:

* ``cuecards suspended`` lists them (uid, deck, the start of the front);
* ``cuecards suspended --restore UID...`` unsuspends the named cards (all or
  nothing: a uid that is not a suspended card is an error and changes nothing);
* ``cuecards suspended --restore-all`` unsuspends every one.
"""

from __future__ import annotations

from typing import Any

import click

from cuecards.errors import UsageError

#: characters of a card's front shown in the list
SNIPPET = 60


def snippet(prompt: str, width: int = SNIPPET) -> str:
    """A card's front on one line, cut to ``width``."""
    text = " ".join(prompt.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _plural(n: int) -> str:
    return f"{n} card{'' if n == 1 else 's'}"


@click.command()
@click.argument("uids", nargs=-1, metavar="[UID]...")
@click.option("--restore", is_flag=True, help="Unsuspend the cards named by UID.")
@click.option("--restore-all", is_flag=True, help="Unsuspend every suspended card.")
@click.pass_obj
def suspended(cli_ctx: Any, uids: tuple[str, ...], restore: bool, restore_all: bool) -> None:
    """List suspended cards, or unsuspend them with --restore UID... or --restore-all."""
    from cuecards.service import Service

    if uids and not restore:
        raise UsageError("to unsuspend cards, use `cuecards suspended --restore UID...`")
    if restore and restore_all:
        raise UsageError("use either --restore UID... or --restore-all, not both")
    if restore and not uids:
        raise UsageError(
            "--restore needs the uids of the cards to unsuspend (`cuecards suspended` lists them)"
        )
    with Service.open(cli_ctx.paths()) as svc:
        svc.verify()  # nothing is printed before the file is known to be sound
        if restore_all:
            done = svc.unsuspend(None)
            click.echo(f"Unsuspended {_plural(len(done))}.")
        elif restore:
            done = svc.unsuspend(list(uids))
            click.echo(f"Unsuspended {_plural(len(done))}: {', '.join(done)}")
        elif not (cards := svc.suspended_cards()):
            click.echo("No card is suspended.")
        else:
            width = max(len(c.uid) for c in cards)
            for c in cards:
                click.echo(f"{c.uid:<{width}}  {c.deck_id}  {snippet(c.item.prompt)}")
            click.echo(
                f"{_plural(len(cards))} suspended; "
                "unsuspend with `cuecards suspended --restore UID...`"
            )
