"""`cuecards schema` is a valid JSON Schema that agrees with the loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

import pytest
import yaml
from click.testing import CliRunner

from cuecards.cli import cli
from cuecards.loader import find_deck_files

jsonschema = pytest.importorskip("jsonschema")


class Validator(Protocol):
    """What these tests use of a jsonschema validator."""

    def iter_errors(self, instance: object) -> Any: ...


DECKS = Path(__file__).resolve().parents[2] / "decks"


@pytest.fixture(scope="module")
def validator() -> Validator:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)  # raises when the schema itself is not valid
    made: Validator = cls(schema)
    return made


def test_every_shipped_deck_validates(validator: Validator) -> None:
    files = find_deck_files(DECKS)
    assert files
    for path in files:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text("utf-8"))))
        assert errors == [], f"{path}: {errors[0].message if errors else ''}"


@pytest.mark.parametrize(
    "card",
    [
        {"frnt": "typo", "back": "b"},  # unknown key
        {"front": "f"},  # missing back
        {"kind": "drill", "prompt": "p", "answer": "a"},  # drill without points
        {"kind": "cloze", "text": "t", "front": "f"},  # key of another kind
        {"kind": "quiz", "front": "f", "back": "b"},  # unknown kind
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(
    validator: Validator, card: dict[str, Any]
) -> None:
    assert list(validator.iter_errors({"title": "t", "cards": [card]}))
