"""``cuecards schema``: the deck format as JSON Schema, for editor completion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def deck_schema() -> dict[str, Any]:
    """The JSON Schema of one deck file."""
    from cuecards.model import CARD_ID, Deck

    body = Deck.model_json_schema(by_alias=True)
    # The id rule lives in a validator, which pydantic cannot describe; say it here
    # so editors flag a bad id as the author types it.
    for name in ("RecallCard", "DrillCard", "ClozeCard"):
        prop = body.get("$defs", {}).get(name, {}).get("properties", {}).get("id", {})
        for choice in prop.get("anyOf", []):
            if choice.get("type") == "string":
                choice["pattern"] = CARD_ID.pattern
    head = {
        "$schema": DRAFT,
        "title": "cuecards deck",
        "description": "One cuecards deck file (format v1).",
    }
    return {**head, **{k: v for k, v in body.items() if k not in head}}


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the schema to FILE instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the deck format as JSON Schema.

    Save it with `-o deck.schema.json` and point your editor's YAML schema
    setting at that file to get completion and checks in deck files.
    """
    text = json.dumps(deck_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
