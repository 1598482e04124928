"""Time drill grading on the longest shipped drill.

Run: ``python bench/grading.py [--runs N]``. It finds the drill whose points
and accept phrases have the most words, grades its model answer and a long
rambling answer, and prints the median time per answer over N runs, both cold
(word caches cleared before each run, as for the first answer of a session)
and warm.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from cuecards.grading import grade_item
from cuecards.loader import find_deck_files, load_deck
from cuecards.model import Item
from cuecards.textnorm import similarity, stem

DECKS = Path(__file__).resolve().parents[1] / "decks"

RAMBLE = (
    "Okay so first I would want to understand who the user is and what they are trying to do, "
    "because that shapes everything else. Then I would talk about the constraints: latency, cost, "
    "safety and privacy, plus whether we need a human in the loop for the edge cases. "
    "After that I would name the trade-offs explicitly, say what we optimize for and what we "
    "give up, and how we would measure that cost with offline evals, human review and A/B tests. "
)


def drill_size(item: Item) -> int:
    """Words in a drill's points and accept phrases."""
    return sum(len(p.text.split()) + sum(len(a.split()) for a in p.accept) for p in item.points)


def longest_drill() -> Item:
    """The shipped drill with the most words to match."""
    drills = [
        item
        for path in find_deck_files(DECKS)
        for item in load_deck(path, root=DECKS).items
        if item.kind == "drill"
    ]
    return max(drills, key=drill_size)


def median_ms(run: Callable[[], object], runs: int, cold: bool) -> float:
    """Median wall time of ``run`` in milliseconds."""
    times = []
    for _ in range(runs):
        if cold:
            similarity.cache_clear()
            stem.cache_clear()
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    item = longest_drill()
    print(
        f"longest drill: {item.uid} ({len(item.points)} points, "
        f"{drill_size(item)} words in points and accept phrases)"
    )
    for label, answer in (("model answer", item.answer), ("long answer", RAMBLE * 2)):
        words = len(answer.split())
        for cold in (True, False):
            ms = median_ms(lambda a=answer: grade_item(item, a), args.runs, cold)
            print(
                f"  {label:12} {words:4} words  {'cold' if cold else 'warm'}: "
                f"median {ms:.2f} ms per answer over {args.runs} runs"
            )


if __name__ == "__main__":
    main()
