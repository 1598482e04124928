"""What the semantic matcher adds to drill grading, on the labelled set.

Run (with the ``semantic`` extra installed):
``python bench/semantic.py [--runs N] [--thresholds 0.5,0.55,...]``.

It prints:

- point-level precision and recall, lexical alone and lexical + semantic at
  each threshold, on two halves of the labelled set split by drill (so no
  drill is in both), and on the whole set;
- the threshold picked on the first half alone (the lowest one whose semantic
  upgrades there add no false positive and keep precision >= 0.99), with its
  figures on the other half, which played no part in picking it;
- every point the semantic matcher changes at that threshold;
- the time to import the model libraries and load the model, the grading
  time per answer on the longest drill, and what the extra installs.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the labelled set's helpers live in tests/

# Timed first, before anything else pulls the model libraries in.
_t0 = time.perf_counter()
import sentence_transformers  # noqa: E402,F401

IMPORT_S = time.perf_counter() - _t0

from cuecards.grading import Grade, grade_item  # noqa: E402
from cuecards.model import Item  # noqa: E402
from cuecards.semantic import (  # noqa: E402
    MODEL_PACKAGE,
    THRESHOLD,
    grade_item_semantic,
    load_encoder,
    windows,
)
from tests.unit.test_grading_set import drill, expected_indexes, load_cases  # noqa: E402

Grader = Callable[[Item, str], Grade]
MIN_PRECISION = 0.99


def half(card: str) -> int:
    """0 (tuning half) or 1 (checking half), fixed per drill."""
    return zlib.crc32(card.encode()) % 2


def labelled() -> list[tuple[dict[str, Any], Item, set[int]]]:
    """Every case with its drill and the points a fair grader credits."""
    cache: dict[str, list[Item]] = {}
    out = []
    for case in load_cases():
        item = drill(case["deck"], case["card"], cache)
        out.append((case, item, expected_indexes(item, case["hits"])))
    return out


def score(
    cases: Iterable[tuple[dict[str, Any], Item, set[int]]], grader: Grader
) -> tuple[Counter[str], dict[tuple[int, int], bool]]:
    """tp/fp/fn/tn counts, and each (case, point) -> credited."""
    counts: Counter[str] = Counter()
    credited: dict[tuple[int, int], bool] = {}
    for case, item, want in cases:
        grade = grader(item, case["answer"])
        for i, result in enumerate(grade.points):
            key = ("t" if result.hit == (i in want) else "f") + ("p" if result.hit else "n")
            counts[key] += 1
            credited[(id(case), i)] = result.hit
    return counts, credited


def pr(c: Counter[str]) -> tuple[float, float]:
    """Precision and recall from counts."""
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r


def fmt(c: Counter[str]) -> str:
    """One line of figures."""
    p, r = pr(c)
    return f"P {p:.3f} R {r:.3f} (tp {c['tp']:3} fp {c['fp']} fn {c['fn']:2})"


def semantic_at(threshold: float) -> Grader:
    """The semantic grader at one threshold."""
    return lambda item, answer: grade_item_semantic(item, answer, threshold=threshold)


def lexical(item: Item, answer: str) -> Grade:
    """The lexical grader alone."""
    return grade_item(item, answer)


def longest_drill() -> tuple[Item, str]:
    """The longest shipped drill and the long answer, from the lexical bench."""
    spec = importlib.util.spec_from_file_location("bench_grading", ROOT / "bench" / "grading.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.longest_drill(), mod.RAMBLE * 2


def time_answers(item: Item, answer: str, runs: int) -> tuple[float, float, float]:
    """Median ms per answer: lexical; semantic with nothing embedded yet (the
    first answer to a drill); semantic with the drill's phrases embedded
    already (a new answer to a drill seen before)."""
    enc = load_encoder()
    texts = [w.text for w in windows(answer)]
    lex, cold, warm = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        grade_item(item, answer)
        lex.append(time.perf_counter() - t0)
        enc.cache.clear()
        t0 = time.perf_counter()
        grade_item_semantic(item, answer)
        cold.append(time.perf_counter() - t0)
        for t in texts:
            enc.cache.pop(t, None)
        t0 = time.perf_counter()
        grade_item_semantic(item, answer)
        warm.append(time.perf_counter() - t0)
    return tuple(statistics.median(x) * 1000 for x in (lex, cold, warm))  # type: ignore[return-value]


def _name(req: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", req, maxsplit=1)[0].lower().replace("_", "-")


def closure(root: str) -> set[str]:
    """The installed distributions ``root`` needs, itself included (no extras)."""
    seen: set[str] = set()
    todo = [root]
    while todo:
        name = _name(todo.pop())
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen.add(name)
        todo += [r for r in dist.requires or [] if "extra ==" not in r]
    return seen


def size_mb(names: Iterable[str]) -> float:
    """Installed size of these distributions, in MB."""
    total = 0
    for name in names:
        for f in metadata.distribution(name).files or []:
            path = Path(str(f.locate()))
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--thresholds", default="0.45,0.5,0.55,0.6,0.65,0.7,0.75,0.8")
    parser.add_argument(
        "--show",
        type=float,
        default=None,
        help="list the changes at this threshold instead of the picked one",
    )
    args = parser.parse_args()
    grid = [float(t) for t in args.thresholds.split(",")]

    t0 = time.perf_counter()
    load_encoder()
    load_s = time.perf_counter() - t0

    cases = labelled()
    halves = [[c for c in cases if half(c[0]["card"]) == h] for h in (0, 1)]
    print(
        f"labelled set: {len(cases)} answers; tuning half {len(halves[0])}, "
        f"checking half {len(halves[1])} (split by drill)"
    )
    base = [score(h, lexical)[0] for h in halves]
    print(f"{'':10} {'tuning half':43} {'checking half':43}")
    print(f"{'lexical':10} {fmt(base[0]):43} {fmt(base[1]):43}")
    picked = None
    for t in grid:
        got = [score(h, semantic_at(t))[0] for h in halves]
        print(f"{'+sem ' + format(t, '.2f'):10} {fmt(got[0]):43} {fmt(got[1]):43}")
        if picked is None and got[0]["fp"] == base[0]["fp"] and pr(got[0])[0] >= MIN_PRECISION:
            picked = t
    print(f"picked on the tuning half: {picked} (module default {THRESHOLD})")

    t = args.show if args.show is not None else picked if picked is not None else THRESHOLD
    lex_all, lex_hits = score(cases, lexical)
    sem_all, sem_hits = score(cases, semantic_at(t))
    print(f"whole set, lexical:         {fmt(lex_all)}")
    print(f"whole set, +semantic {t:.2f}:  {fmt(sem_all)}")
    for case, item, want in cases:
        grade = None
        for i, point in enumerate(item.points):
            key = (id(case), i)
            if lex_hits[key] != sem_hits[key]:
                grade = grade or grade_item_semantic(item, case["answer"], threshold=t)
                res = grade.points[i]
                ok = "right" if sem_hits[key] == (i in want) else "WRONG"
                print(
                    f"  {ok} half {half(case['card'])} {case['card']}[{i}] {point.text!r} "
                    f"<- {res.match!r} ({res.score:.3f})"
                )

    item, ramble = longest_drill()
    print(f"import model libraries: {IMPORT_S:.2f} s; load model: {load_s:.2f} s")
    print(f"longest drill {item.uid}: median ms per answer over {args.runs} runs")
    for label, answer in (("model answer", item.answer), ("long answer", ramble)):
        lex_ms, cold_ms, warm_ms = time_answers(item, answer, args.runs)
        print(
            f"  {label:12} {len(answer.split()):4} words: lexical {lex_ms:.2f}, "
            f"+semantic first answer {cold_ms:.1f}, +semantic later answer {warm_ms:.1f}"
        )
    extra = closure(MODEL_PACKAGE.replace("_", "-")) - closure("cuecards")
    print(
        f"the extra installs {len(extra)} distributions, {size_mb(extra):.0f} MB "
        f"(largest: "
        + ", ".join(
            f"{n} {size_mb([n]):.0f} MB" for n in sorted(extra, key=lambda n: -size_mb([n]))[:4]
        )
        + ")"
    )


if __name__ == "__main__":
    main()
