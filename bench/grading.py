"""Measure drill grading: point-level precision and recall per style of
answer on a labelled set, and the time one answer takes.

Run: ``python bench/grading.py [--cases FILE ...] [--without LAYER ...] [--semantic] [--timing]``.
Each FILE has the format of ``tests/data/grading_cases.yaml`` (a drill named
by deck file and card id, an answer, its ``kind`` and the indexes of the
points a fair grader credits). Without ``--cases`` it scores the tuning set.
It prints, per style and overall, precision, recall, the share of unmade
points credited, how often the suggested rating matches the labels' rating,
and each answer whose suggestion overstates the labels' (``--wrong`` lists
every wrong point). ``--without`` turns one layer of the grader off, to show
what it adds: ``lemma`` (lemmas before stemming), ``abbreviations`` (digits and
what candidates type), ``realwords`` (typos read only in tokens that are not
words), ``scope`` (negation, dismissal, rejection, salads), ``cases`` (case
drills graded as moves with content).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from cuecards.grading import Grade, grade_item, suggest_rating
from cuecards.loader import find_deck_files, load_deck
from cuecards.model import Item

ROOT = Path(__file__).resolve().parents[1]
DECKS = ROOT / "decks"
TUNING = ROOT / "tests" / "data" / "grading_cases.yaml"

RAMBLE = (
    "Okay so first I would want to understand who the user is and what they are trying to do, "
    "because that shapes everything else. Then I would talk about the constraints: latency, cost, "
    "safety and privacy, plus whether we need a human in the loop for the edge cases. "
    "After that I would name the trade-offs explicitly, say what we optimize for and what we "
    "give up, and how we would measure that cost with offline evals, human review and A/B tests. "
)

Grader = Callable[[Item, str], Grade]


def drills() -> dict[tuple[str, str], Item]:
    """Every shipped drill by (deck file, card id)."""
    out: dict[tuple[str, str], Item] = {}
    for path in find_deck_files(DECKS):
        rel = path.relative_to(DECKS).as_posix()
        for item in load_deck(path, root=DECKS).items:
            if item.kind == "drill":
                out[(rel, item.card_id)] = item
    return out


def score(cases: list[dict[str, Any]], grader: Grader, wrong: bool) -> None:
    """Print the figures per style and overall."""
    items = drills()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for case in cases:
        item = items[(case["deck"], case["card"])]
        want = set(case["hits"])
        grade = grader(item, case["answer"])
        style = str(case.get("kind", "?"))
        for c in (counts[style], counts["ALL"]):
            c["answers"] += 1
            for i, p in enumerate(grade.points):
                key = ("t" if p.hit == (i in want) else "f") + ("p" if p.hit else "n")
                c[key] += 1
            labelled = suggest_rating(len(want), len(grade.points), item.needed, None, None)
            c["rating_ok"] += grade.suggested == labelled
            c["over"] += grade.suggested > labelled
        if wrong:
            for i, p in enumerate(grade.points):
                if p.hit != (i in want):
                    tag = "FP" if p.hit else "FN"
                    print(f"  {tag} {case['card']}[{i}] {p.text!r} ({style}) -> {p.match!r}")
        if grade.suggested > suggest_rating(len(want), len(grade.points), item.needed, None, None):
            print(
                f"  OVER {case['card']} ({style}): {grade.suggested_name}: {case['answer'][:70]!r}"
            )
    print(
        f"{'style':16} {'answers':>7} {'points':>6} {'prec':>6} {'recall':>6} "
        f"{'unmade credited':>15} {'rating ok':>9} {'over':>4}"
    )
    for style in sorted(counts, key=lambda s: (s == "ALL", s)):
        c = counts[style]
        tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / (tp + fn) if tp + fn else 1.0
        unmade = fp / (fp + tn) if fp + tn else 0.0
        print(
            f"{style:16} {c['answers']:7} {tp + fp + fn + tn:6} {prec:6.3f} {rec:6.3f} "
            f"{unmade:15.3f} {c['rating_ok']:5}/{c['answers']:<3} {c['over']:4}"
        )


LAYERS = ("lemma", "abbreviations", "realwords", "scope", "cases")


def switch_off(layer: str) -> None:
    """Turn one layer of the grader off for this run."""
    import cuecards.grading as grading
    from cuecards.grading import lexical, textnorm

    if layer == "lemma":
        textnorm.lemma = lambda word: word  # type: ignore[assignment]
    elif layer == "abbreviations":
        textnorm.ABBREVIATIONS = {}
    elif layer == "realwords":
        textnorm.is_known = lambda _word: False  # type: ignore[assignment]
    elif layer == "scope":
        lexical.Answer.asserts = lambda _s, _t, _p: True  # type: ignore[method-assign]
    elif layer == "cases":
        grading.is_case = lambda _item: False  # type: ignore[assignment]
    for fn in (
        textnorm.norm,
        textnorm.generic,
        textnorm.synonyms,
        textnorm.similarity,
        lexical.parse_phrase,
    ):
        fn.cache_clear()


def timing(runs: int) -> None:
    """Median time per answer on the drill with the most words to match."""
    item = max(
        drills().values(),
        key=lambda i: sum(len(p.text) + len(" ".join(p.accept)) for p in i.points),
    )
    for label, answer in (("model answer", item.answer), ("long answer", RAMBLE * 2)):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            grade_item(item, answer)
            times.append(time.perf_counter() - t0)
        print(
            f"  {item.uid} {label:12} {len(answer.split()):4} words: "
            f"median {statistics.median(times) * 1000:.2f} ms over {runs} runs"
        )


def main() -> None:
    """Parse the arguments, print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=Path, action="append", help="labelled set(s)")
    parser.add_argument("--semantic", action="store_true", help="the opt-in semantic matcher")
    parser.add_argument("--wrong", action="store_true", help="list every wrong point")
    parser.add_argument("--without", action="append", choices=LAYERS, default=[])
    parser.add_argument("--timing", action="store_true")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    for layer in args.without:
        switch_off(layer)
    grader: Grader = grade_item
    if args.semantic:
        from cuecards.semantic import grade_item_semantic

        grader = grade_item_semantic
    for path in args.cases or [TUNING]:
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        print(f"{path.name}: {len(cases)} answers")
        score(cases, grader, args.wrong)
    if args.timing:
        timing(args.runs)


if __name__ == "__main__":
    main()
