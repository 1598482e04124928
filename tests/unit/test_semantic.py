"""The optional semantic matcher.

The window and guard tests run everywhere; those that embed with a stand-in
encoder need NumPy, and the labelled-set test needs the ``semantic`` extra
(the packaged model): each skips where its package is missing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from cuecards.grading import grade_item
from cuecards.model import Item, Point
from cuecards.semantic import (
    MODEL_PACKAGE,
    THRESHOLD,
    comparable_phrases,
    grade_item_semantic,
    windows,
)
from tests.unit.test_grading_set import drill, expected_indexes, load_cases


def make_drill(*points: Point, needed: int = 0) -> Item:
    """A drill with these points."""
    return Item(
        uid="d/c",
        deck_id="d",
        card_id="c",
        note_uid="d/c",
        kind="drill",
        variant="",
        prompt="?",
        answer="",
        points=points,
        needed=needed,
    )


class ConceptEncoder:
    """Stand-in model: texts of one concept embed alike (cosine 1), all else
    is orthogonal (cosine 0)."""

    def __init__(self, concepts: dict[str, str]) -> None:
        self.concepts = concepts
        self.axes: dict[str, int] = {}

    def __call__(self, texts: list[str]) -> Any:
        np = pytest.importorskip("numpy")
        keys = [self.concepts.get(t, t) for t in texts]
        for k in keys:
            self.axes.setdefault(k, len(self.axes))
        out = np.zeros((len(texts), 64))
        for row, k in enumerate(keys):
            out[row, self.axes[k]] = 1.0
        return out


def window_texts(answer: str) -> list[str]:
    return [w.text for w in windows(answer)]


def test_windows_are_clauses_list_items_and_clause_pairs() -> None:
    texts = window_texts("Who it's for, what could go wrong, and the tradeoffs.")
    assert "Who it's for" in texts
    assert "what could go wrong" in texts
    assert "the tradeoffs" in texts
    assert "Who it's for, what could go wrong" in texts


def test_a_negated_clause_is_no_window() -> None:
    texts = window_texts("No need for human escalation; focus on latency.")
    assert texts == ["focus on latency"]


def test_multi_part_and_negative_points_are_left_to_the_lexical_grader() -> None:
    item = make_drill(
        Point(text="latency vs quality", accept=["speed"]),
        Point(text="not shipping blindly", accept=["measured launch"]),
        Point(text="ops discipline", accept=["rigor", "process and care"]),
    )
    assert comparable_phrases(item, 0) == []
    assert comparable_phrases(item, 1) == []
    assert comparable_phrases(item, 2) == ["ops discipline", "rigor"]


def test_a_paraphrase_upgrades_a_missed_point_and_the_rating() -> None:
    item = make_drill(Point(text="operational discipline"), Point(text="latency"))
    answer = "Low latency, and ops rigor."
    enc = ConceptEncoder({"ops rigor": "operational discipline"})
    assert [p.hit for p in grade_item(item, answer).points] == [False, True]
    grade = grade_item_semantic(item, answer, encoder=enc)
    assert [p.hit for p in grade.points] == [True, True]
    made = grade.points[0]
    assert made.match == "ops rigor"
    assert made.span is not None and answer[made.span[0] : made.span[1]] == "ops rigor"
    assert (grade.hits, grade.suggested_name) == (2, "good")
    # Above every similarity, nothing changes.
    assert grade_item_semantic(item, answer, threshold=1.01, encoder=enc).hits == 1


def test_many_does_not_make_a_point_about_one() -> None:
    item = make_drill(Point(text="one segment"))
    enc = ConceptEncoder({"many user groups": "one segment", "a user group": "one segment"})
    assert not grade_item_semantic(item, "many user groups", encoder=enc).points[0].hit
    assert grade_item_semantic(item, "a user group", encoder=enc).points[0].hit


def test_a_negated_paraphrase_is_not_credited() -> None:
    item = make_drill(Point(text="operational discipline"))
    enc = ConceptEncoder(
        {"ops rigor": "operational discipline", "no ops rigor": "operational discipline"}
    )
    assert not grade_item_semantic(item, "We need no ops rigor.", encoder=enc).hits


def test_one_clause_makes_one_point() -> None:
    item = make_drill(Point(text="operational discipline"), Point(text="process maturity"))
    enc = ConceptEncoder(
        {"ops rigor": "operational discipline", "process maturity": "operational discipline"}
    )
    assert grade_item_semantic(item, "ops rigor", encoder=enc).hits == 1


def test_a_clause_the_lexical_grader_credited_stays_with_its_point() -> None:
    item = make_drill(Point(text="latency"), Point(text="response budget"))
    enc = ConceptEncoder({"latency": "response budget"})
    grade = grade_item_semantic(item, "latency", encoder=enc)
    assert [p.hit for p in grade.points] == [True, False]


def test_on_the_labelled_set_recall_does_not_drop_and_precision_holds() -> None:
    pytest.importorskip(MODEL_PACKAGE)
    pytest.importorskip("sentence_transformers")
    counts: dict[str, Counter[str]] = {"lexical": Counter(), "semantic": Counter()}
    cache: dict[str, list[Item]] = {}
    for case in load_cases():
        item = drill(case["deck"], case["card"], cache)
        want = expected_indexes(item, case["hits"])
        for name, grade in (
            ("lexical", grade_item(item, case["answer"])),
            ("semantic", grade_item_semantic(item, case["answer"])),
        ):
            for i, result in enumerate(grade.points):
                key = ("t" if result.hit == (i in want) else "f") + ("p" if result.hit else "n")
                counts[name][key] += 1
    figures = {}
    for name, c in counts.items():
        figures[name] = (c["tp"] / (c["tp"] + c["fp"]), c["tp"] / (c["tp"] + c["fn"]))
        print(
            f"\n{name} (threshold {THRESHOLD}): precision {figures[name][0]:.3f} "
            f"recall {figures[name][1]:.3f} ({dict(c)})"
        )
    assert figures["semantic"][1] >= figures["lexical"][1]
    assert figures["semantic"][0] >= 0.99


def test_dismissed_rejected_and_salad_stretches_are_not_compared() -> None:
    from cuecards.semantic import windows

    texts = [
        w.text for w in windows("Evaluation is a waste of time. Safety, but I don't buy that.")
    ]
    assert not any("Evaluation" in t or "Safety" in t for t in texts)
    salad = "metric user safety fallback trade evaluation scope constraints job latency privacy"
    assert windows(salad) == []
