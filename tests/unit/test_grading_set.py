"""The grader against a labelled set of answers to the shipped drills.

Each case in ``tests/data/grading_cases.yaml`` names a drill by deck file and
card id, so the points come from the real deck. The test prints point-level
precision and recall (run with ``-s`` to see them) and asserts the floors:
precision >= 0.98 and recall >= 0.93 on the tuning set; negation-style answers
credit at most 3 % of the points they do not make; every outline, salad or
other case's answer to a case drill suggests Again.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from cuecards.grading import grade_item
from cuecards.loader import load_deck
from cuecards.model import Item

ROOT = Path(__file__).resolve().parents[2]
DECKS = ROOT / "decks"
CASES = ROOT / "tests" / "data" / "grading_cases.yaml"
PRECISION, RECALL = 0.98, 0.93
#: styles whose answers say the wrong thing with the right words
NEGATIVE_STYLES = ("negation", "dismissal", "rejection-after", "double-negation", "wrong-words")
#: styles that must suggest Again on a case drill
AGAIN_ON_CASES = ("outline", "salad", "other-case")


def load_cases() -> list[dict[str, Any]]:
    """The labelled cases, as written."""
    cases: list[dict[str, Any]] = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    return cases


def drill(deck: str, card: str, cache: dict[str, list[Item]]) -> Item:
    """The drill item ``card`` of the shipped deck file ``deck``."""
    if deck not in cache:
        cache[deck] = load_deck(DECKS / deck, root=DECKS).items
    for item in cache[deck]:
        if item.card_id == card and item.kind == "drill":
            return item
    raise LookupError(f"no drill {card!r} in {deck}")


def expected_indexes(item: Item, hits: list[int | str]) -> set[int]:
    """Point indexes from a case's ``hits`` (indexes or point texts)."""
    texts = [p.text for p in item.points]
    return {h if isinstance(h, int) else texts.index(h) for h in hits}


def score_set() -> tuple[Counter[str], list[str]]:
    """Counts of true/false positives and negatives, and a line per wrong point."""
    counts: Counter[str] = Counter()
    wrong: list[str] = []
    cache: dict[str, list[Item]] = {}
    for case in load_cases():
        item = drill(case["deck"], case["card"], cache)
        want = expected_indexes(item, case["hits"])
        grade = grade_item(item, case["answer"])
        for i, result in enumerate(grade.points):
            key = ("t" if result.hit == (i in want) else "f") + ("p" if result.hit else "n")
            counts[key] += 1
            if key[0] == "f":
                wrong.append(
                    f"{key.upper()} {case['card']}[{i}] {result.text!r} "
                    f"({case['kind']}): {case['answer']!r} -> {result.match!r}"
                )
    return counts, wrong


def test_set_is_big_and_varied() -> None:
    cases = load_cases()
    assert len(cases) >= 90
    kinds = Counter(c["kind"] for c in cases)
    for kind in (
        "exact",
        "paraphrase",
        "typo",
        "reorder",
        "partial",
        "wrong",
        "empty",
        "negation",
        "accept",
    ):
        assert kinds[kind] > 0, kind


def test_every_case_names_a_shipped_drill() -> None:
    cache: dict[str, list[Item]] = {}
    for case in load_cases():
        item = drill(case["deck"], case["card"], cache)
        assert expected_indexes(item, case["hits"]) <= set(range(len(item.points)))


def test_precision_and_recall() -> None:
    counts, wrong = score_set()
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"\ngrading set: {len(load_cases())} answers, {sum(counts.values())} points; "
        f"precision {precision:.3f} recall {recall:.3f} "
        f"(tp {tp}, fp {fp}, fn {fn}, tn {counts['tn']})"
    )
    for line in wrong:
        print("  " + line)
    if precision < PRECISION or recall < RECALL:
        pytest.fail(
            f"precision {precision:.3f}, recall {recall:.3f}; floors {PRECISION} and {RECALL}"
        )


def test_negated_answers_credit_few_unmade_points() -> None:
    cache: dict[str, list[Item]] = {}
    credited = unmade = 0
    for case in load_cases():
        if case["kind"] not in NEGATIVE_STYLES:
            continue
        item = drill(case["deck"], case["card"], cache)
        want = expected_indexes(item, case["hits"])
        for i, result in enumerate(grade_item(item, case["answer"]).points):
            if i not in want:
                unmade += 1
                credited += result.hit
    assert unmade > 50
    assert credited <= 0.03 * unmade, f"{credited} of {unmade} unmade points credited"


def test_outlines_salads_and_other_cases_suggest_again_on_cases() -> None:
    cache: dict[str, list[Item]] = {}
    seen = 0
    for case in load_cases():
        if case["kind"] not in AGAIN_ON_CASES or not case["deck"].endswith("cases.yaml"):
            continue
        item = drill(case["deck"], case["card"], cache)
        seen += 1
        assert grade_item(item, case["answer"]).suggested == 1, (case["card"], case["kind"])
    assert seen >= 10


HELDOUT = ROOT / "tests" / "data" / "grading_heldout.yaml"
#: regression floors on the held-out set, from its one measurement (precision
#: 0.879, recall 0.688); the issue's targets (0.95 / 0.90) are not met yet
HELDOUT_PRECISION, HELDOUT_RECALL = 0.87, 0.68


@pytest.mark.skipif(not HELDOUT.is_file(), reason="held-out set not present")
def test_heldout_floors() -> None:
    cases = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["cases"]
    cache: dict[str, list[Item]] = {}
    counts: Counter[str] = Counter()
    for case in cases:
        item = drill(case["deck"], case["card"], cache)
        want = expected_indexes(item, case["hits"])
        for i, result in enumerate(grade_item(item, case["answer"]).points):
            counts[("t" if result.hit == (i in want) else "f") + ("p" if result.hit else "n")] += 1
    precision = counts["tp"] / (counts["tp"] + counts["fp"])
    recall = counts["tp"] / (counts["tp"] + counts["fn"])
    print(f"\nheld-out set: {len(cases)} answers; precision {precision:.3f} recall {recall:.3f}")
    assert precision >= HELDOUT_PRECISION and recall >= HELDOUT_RECALL, (precision, recall)
