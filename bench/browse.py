"""Browse on a large collection: the first page of each sort and filter, a
fuzzy text search, one card's info and history, and paging deep into the list.

    python bench/make_collection.py DECKS --cards 20000 --home HOME --reviews 100000
    python bench/browse.py --home HOME --decks DECKS [--repeat 20]

Each figure is the median wall time of ``--repeat`` runs of one service call
(what the Browse screen calls on the service thread for a key press).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _median_ms(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--decks", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args(argv)

    from cuecards.paths import Paths
    from cuecards.session import Service

    paths = Paths.resolve(home=args.home, decks=[args.decks], include_shipped=False)
    with Service.open(paths) as svc:
        page = svc.browse(svc.browse_query(""))
        print(f"cards listed: {page.total}")
        uid = page.items[0].uid
        cases: list[tuple[str, Callable[[], Any]]] = [
            (f"first page, sort {s}", lambda s=s: svc.browse(svc.browse_query(f"sort:{s}")))
            for s in ("due", "recall", "lapses", "last")
        ]
        cases += [
            ("page at row 19,900", lambda: svc.browse(svc.browse_query(""), 19900)),
            (
                "is:review sort:recall",
                lambda: svc.browse(svc.browse_query("is:review sort:recall")),
            ),
            ("is:leech", lambda: svc.browse(svc.browse_query("is:leech"))),
            (
                "kind:drill tag:latency",
                lambda: svc.browse(svc.browse_query("kind:drill tag:latency")),
            ),
            ("text 'latency quality'", lambda: svc.browse(svc.browse_query("latency quality"))),
            ("text with typo 'latncy'", lambda: svc.browse(svc.browse_query("latncy"))),
            ("one card's info and history", lambda: svc.card_info(uid)),
        ]
        for name, fn in cases:
            print(f"{name:32} {_median_ms(fn, args.repeat):8.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
