"""``cuecards serve``: the same app in a browser, on this machine only.

Each browser tab that opens the page starts its own ``cuecards`` process
(with this run's ``--home`` and ``--decks``) whose screen the page shows;
ratings go to the same database as in the terminal. The server listens on
localhost unless ``--host`` says otherwise: whoever reaches it can study,
and rate, as you.
"""

from __future__ import annotations

import shlex
import sys
from typing import Any

import click

from cuecards.errors import UsageError


def app_command(cli_ctx: Any, deck: str | None = None, tag: str | None = None) -> str:
    """The shell command each browser session runs: this cuecards, these paths,
    and straight into a session when a deck or tag is given."""
    parts = [sys.executable, "-m", "cuecards"]
    if cli_ctx.home is not None:
        parts += ["--home", str(cli_ctx.home)]
    for d in cli_ctx.decks:
        parts += ["--decks", str(d)]
    if deck or tag:
        parts.append("review")
        parts += ["--deck", deck] if deck else []
        parts += ["--tag", tag] if tag else []
    return shlex.join(parts)


@click.command()
@click.option("--port", "-p", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--host",
    default="localhost",
    show_default=True,
    help="The address to listen on; keep localhost unless you trust your network.",
)
@click.option("--deck", "-d", metavar="DECK", help="Open straight into a session of this deck.")
@click.option("--tag", "-t", metavar="TAG", help="Open straight into a session of this tag.")
@click.pass_obj
def serve(cli_ctx: Any, port: int, host: str, deck: str | None, tag: str | None) -> None:
    """Open the app in a browser: serve it on http://localhost:PORT."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UsageError(
            "serving the app needs textual-serve: pip install 'cuecards[serve]'"
        ) from None
    server = Server(app_command(cli_ctx, deck, tag), host=host, port=port, title="cuecards")
    click.echo(f"Serving cuecards on http://{host}:{port} (Ctrl+C stops it)", err=True)
    try:
        server.serve()
    except OSError as e:
        raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
