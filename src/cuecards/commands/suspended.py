"""``cuecards suspended``: list suspended cards, or put them back in the queues.

``!`` in a session suspends a card; ``u`` undoes that within the session.
This command is the way back afterwards:

* ``cuecards suspended`` lists them (uid, deck, the start of the front);
* ``cuecards suspended --restore UID...`` unsuspends the named cards (all or
  nothing: a uid that is not a suspended card is an error and changes nothing);
* ``cuecards suspended --restore-all`` unsuspends every one.
"""

from __future__ import annotations

import json
from typing import Any

import click

from cuecards.errors import UsageError

#: characters of a card's front shown in the list
SNIPPET = 60


def snippet(content: str, width: int = SNIPPET) -> str:
    """The first line of a card's front (from the ``content`` column), cut to ``width``."""
    try:
        prompt = str(json.loads(content).get("prompt", ""))
    except (ValueError, AttributeError):
        prompt = ""
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
    from cuecards.store import Store

    if uids and not restore:
        raise UsageError("to unsuspend cards, use `cuecards suspended --restore UID...`")
    if restore and restore_all:
        raise UsageError("use either --restore UID... or --restore-all, not both")
    if restore and not uids:
        raise UsageError(
            "--restore needs the uids of the cards to unsuspend (`cuecards suspended` lists them)"
        )
    store = Store.open(cli_ctx.paths().db_path)
    try:
        cards = store.suspended_cards()
        if restore_all:
            done = store.unsuspend(None)
            click.echo(f"Unsuspended {_plural(len(done))}.")
        elif restore:
            known = {uid for uid, _deck, _content in cards}
            wanted = list(dict.fromkeys(uids))
            bad = [u for u in wanted if u not in known]
            if bad:
                why = [
                    f"{u} ({'not suspended' if store.card_id_of(u) else 'no such card'})"
                    for u in bad
                ]
                raise UsageError("nothing was changed: " + ", ".join(why))
            done = store.unsuspend(wanted)
            click.echo(f"Unsuspended {_plural(len(done))}: {', '.join(done)}")
        elif not cards:
            click.echo("No card is suspended.")
        else:
            width = max(len(uid) for uid, _d, _c in cards)
            for uid, deck, content in cards:
                click.echo(f"{uid:<{width}}  {deck}  {snippet(content)}")
            click.echo(
                f"{_plural(len(cards))} suspended; "
                "unsuspend with `cuecards suspended --restore UID...`"
            )
    finally:
        store.close()
