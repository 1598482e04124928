"""Every document of the YAML test suite gives a deck or a clean DeckError.

The suite's invalid documents (folders holding a file named ``error``) must
give an error with a line number. Skipped when the suite is not present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cuecards.errors import DeckError
from cuecards.loader import LoadedDeck, load_bytes

SUITE = Path(__file__).resolve().parents[3] / "shared" / "yaml-test-suite"
CASES = sorted(p.parent for p in SUITE.rglob("in.yaml")) if SUITE.is_dir() else []


@pytest.mark.skipif(not CASES, reason="the YAML test suite is not present")
@pytest.mark.parametrize("case", CASES, ids=[c.relative_to(SUITE).as_posix() for c in CASES])
def test_document_loads_or_fails_cleanly(case: Path) -> None:
    data = (case / "in.yaml").read_bytes()
    invalid = (case / "error").exists()
    try:
        deck = load_bytes(data, case / "in.yaml", "suite")
    except DeckError as e:
        assert e.problems
        assert all(p.line >= 1 and p.col >= 1 for p in e.problems), e.problems
        assert all("\n" not in p.message for p in e.problems)
    else:
        assert isinstance(deck, LoadedDeck)
        assert not invalid, "an invalid YAML document loaded as a deck"
