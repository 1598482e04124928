"""The shipped decks: they load cleanly, carry explicit ids, meet the card
counts the content promises, and copy no sentence of their source article.

The source article lives outside the repository (in the shared seeds folder
next to the checkout). Nothing from it is stored in the repository; the copy
check is skipped when the article is not there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from cuecards.model import ClozeCard, Deck, DrillCard, RecallCard

REPO = Path(__file__).resolve().parents[2]
DECKS = REPO / "decks"
ARTICLE_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"
ARTICLE = ARTICLE_DIR / "000_be9db8b67dd23ff5.txt"

#: a run of this many words shared with the article counts as copying
RUN = 8

DECK_FILES = sorted(DECKS.rglob("*.yaml"))


def _load(path: Path) -> tuple[Deck, list[str]]:
    """The deck in ``path`` and the loader's warnings for it."""
    try:
        from cuecards.loader import load_deck
    except ImportError:  # the loader is optional only while it is being written
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Deck.model_validate(data), []
    loaded = load_deck(path, DECKS)
    return loaded.deck, [str(w) for w in loaded.warnings]


def _strings(node: Any) -> Iterator[str]:
    """Every string in a parsed YAML tree, keys included."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _word_lists(text: str) -> list[list[str]]:
    """The text's words, lowercased with punctuation dropped, two ways.

    Apostrophes are dropped inside words ("user's" -> "users"). Hyphenated
    words are read both split ("trade offs") and joined ("tradeoffs"), so that
    neither spelling can hide a copied run.
    """
    text = re.sub(r"['\u2019]", "", text.lower())
    split = re.findall(r"[a-z0-9]+", text)
    joined = re.findall(r"[a-z0-9]+", re.sub(r"(?<=[a-z0-9])-(?=[a-z0-9])", "", text))
    return [split, joined]


def _runs(words: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_decks_are_shipped() -> None:
    assert len(DECK_FILES) >= 8, [p.name for p in DECK_FILES]


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.relative_to(DECKS).as_posix())
def test_deck_loads_without_errors_or_warnings(path: Path) -> None:
    deck, warnings = _load(path)
    assert warnings == []
    assert deck.description and deck.tags, "each deck says what it holds and its topic"
    ids = [card.id for card in deck.cards]
    assert None not in ids, "every card needs an explicit id: its history follows it"
    assert len(ids) == len(set(ids))
    for card in deck.cards:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", card.id or ""), card.id


def test_card_counts() -> None:
    decks = [_load(path)[0] for path in DECK_FILES]
    cards = [card for deck in decks for card in deck.cards]
    drills = [c for c in cards if isinstance(c, DrillCard)]
    cloze = [c for c in cards if isinstance(c, ClozeCard)]
    reverse = [c for c in cards if isinstance(c, RecallCard) and c.reverse]
    # a case drill is a timed mock interview, tagged "case" on itself or its deck
    cases = [
        c
        for deck in decks
        for c in deck.cards
        if isinstance(c, DrillCard) and c.time_limit and "case" in [*deck.tags, *c.tags]
    ]
    assert len(cards) >= 100
    assert len(drills) >= 25
    assert len(cloze) >= 10
    assert len(cases) >= 4
    assert len(reverse) >= 4


def test_drill_points_are_short_and_answers_cover_them() -> None:
    for path in DECK_FILES:
        for card in _load(path)[0].cards:
            if not isinstance(card, DrillCard):
                continue
            for point in card.key_points:
                assert 1 <= len(point.text.split()) <= 6, (path.name, card.id, point.text)
            if card.pass_ is not None:
                assert card.pass_ <= len(card.points)


def test_copy_check_catches_a_copied_run() -> None:
    """The check itself must be able to fail: a shared 8-word run is caught
    whatever the case, punctuation or hyphenation."""
    source = _runs(_word_lists("One two three-four, five six seven eight nine.")[0])
    copied = "ONE two three four five: six seven eight"
    assert any(_runs(w) & source for w in _word_lists(copied))
    assert not any(_runs(w) & source for w in _word_lists("one two three four five six seven"))


@pytest.mark.skipif(not ARTICLE.is_file(), reason="source article not present")
def test_no_eight_word_run_of_the_article() -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    source: set[tuple[str, ...]] = set()
    for words in _word_lists(article):
        source |= _runs(words)
    found: list[str] = []
    for path in DECK_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for text in _strings(data):
            plain = text.replace("{{", " ").replace("}}", " ")
            for words in _word_lists(plain):
                for run in sorted(_runs(words) & source):
                    found.append(f"{path.name}: {' '.join(run)}")  # noqa: PERF401
    assert found == []


def test_model_answers_make_every_point() -> None:
    """A drill's model answer is what a full answer looks like, so the drill
    check must credit it with every key point; an empty answer with none."""
    grading = pytest.importorskip("cuecards.grading")
    from cuecards.loader import load_deck

    short: list[str] = []
    for path in DECK_FILES:
        for item in load_deck(path, DECKS).items:
            if item.kind != "drill":
                continue
            grade = grading.grade_item(item, item.answer)
            short += [f"{item.uid}: {p.text}" for p in grade.points if not p.hit]
            assert grading.grade_item(item, "").hits == 0
    assert short == []
