"""A synthetic cuecards collection for benchmarks.

``make_decks(folder, n_cards)`` writes ``n_cards`` card entries as YAML deck
files (200 per deck, in a few folders; a mix of recall, reversed recall,
cloze and drill cards). ``make_history(home, n_reviews)`` adds made-up review
history to the database in ``home`` (its cards must already be synced), by
running the real scheduler over past days, so that card states, due dates and
review rows look like those of a real user.

    python bench/make_collection.py DECKS --cards 20000 [--home HOME --reviews 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

PER_DECK = 200
TOPICS = (
    "latency",
    "cost",
    "quality",
    "safety",
    "evaluation",
    "routing",
    "caching",
    "personalization",
    "autonomy",
    "coverage",
    "metrics",
    "scale",
)


def _q(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def _card(i: int, rng: random.Random) -> list[str]:
    topic = TOPICS[i % len(TOPICS)]
    roll = rng.random()
    if roll < 0.1:
        return [
            f"  - id: drill-{i}",
            "    kind: drill",
            f"    prompt: {_q(f'Name the two points of {topic} case {i}.')}",
            f"    points: [{_q(f'{topic} first')}, {_q(f'trade-off {i}')}]",
            f"    answer: {_q(f'{topic} first, then trade-off {i}.')}",
        ]
    if roll < 0.2:
        return [
            f"  - id: cloze-{i}",
            "    kind: cloze",
            f"    text: {_q(f'Case {i}: {{{{{topic}}}}} comes before {{{{cost {i}}}}}.')}",
        ]
    front = f"What matters most about {topic} in case {i}?"
    lines = [
        f"  - id: card-{i}",
        f"    front: {_q(front)}",
        f"    back: {_q(f'The {topic} budget of case {i}, and what it costs.')}",
        f"    tags: [{topic}]",
    ]
    if roll > 0.9:
        lines.append("    reverse: true")
    return lines


def make_decks(folder: Path, n_cards: int, seed: int = 0) -> list[Path]:
    """Write ``n_cards`` card entries as deck files under ``folder``."""
    rng = random.Random(seed)
    folder = Path(folder)
    written = []
    for start in range(0, n_cards, PER_DECK):
        n = start // PER_DECK
        path = folder / f"set{n % 5}" / f"deck{n:04d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"title: {_q(f'Synthetic deck {n}')}", f"tags: [set{n % 5}]", "cards:"]
        for i in range(start, min(start + PER_DECK, n_cards)):
            lines += _card(i, rng)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written


def make_history(
    home: Path, n_reviews: int, days: int = 365, seed: int = 0, now: datetime | None = None
) -> int:
    """Add about ``n_reviews`` made-up reviews over the last ``days`` days to the
    database in ``home``; returns how many were written."""
    from cuecards.config import validated
    from cuecards.scheduling import CardState, Scheduling, from_epoch, to_epoch
    from cuecards.storage import NewReview, Store

    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    store = Store.open(Path(home) / "cuecards.db")
    try:
        sched = Scheduling(validated(store.settings()))
        ids = store.live_card_ids()
        if not ids:
            raise SystemExit("no cards in the database: sync some decks first")
        rng.shuffle(ids)
        states: list[CardState] = []
        rows: list[NewReview] = []
        start = now - timedelta(days=days)
        for card_id in ids:
            if len(rows) >= n_reviews:
                break
            t = from_epoch(to_epoch(start + timedelta(seconds=rng.uniform(0, days * 86400 * 0.8))))
            card = CardState(card_id=card_id, due=t)
            while t < now and len(rows) < n_reviews:
                rating = rng.choices((1, 2, 3, 4), weights=(10, 10, 70, 10))[0]
                ms = rng.randint(2000, 20000)
                after = sched.review(card, rating, t, ms)
                rows.append(NewReview(card, after, rating, t, sched.days.day(t), ms))
                card = after
                # People come back some time after the due date, not on the dot.
                t = from_epoch(to_epoch(after.due + timedelta(hours=rng.uniform(0, 36))))
            states.append(card)
        store.write_history(states, rows)
        return len(rows)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> None:
    """Command line: write decks, and optionally sync them and add history."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("decks", type=Path, help="folder to write the deck files into")
    ap.add_argument("--cards", type=int, default=20000)
    ap.add_argument("--home", type=Path, help="data folder whose database gets history")
    ap.add_argument("--reviews", type=int, default=0)
    ap.add_argument("--days", type=int, default=365, help="days the history spans")
    ap.add_argument("--seed", type=int, default=0)
    opts = ap.parse_args(argv)
    t0 = time.perf_counter()
    files = make_decks(opts.decks, opts.cards, opts.seed)
    print(f"{opts.cards} cards in {len(files)} deck files: {time.perf_counter() - t0:.2f} s")
    if opts.home and opts.reviews:
        from cuecards.paths import Paths
        from cuecards.session import Service

        t0 = time.perf_counter()
        paths = Paths.resolve(home=opts.home, decks=[opts.decks], include_shipped=False)
        with Service.open(paths) as svc:
            report = svc.sync()
        print(f"first sync: {report.added} items, {time.perf_counter() - t0:.2f} s")
        t0 = time.perf_counter()
        n = make_history(opts.home, opts.reviews, days=opts.days, seed=opts.seed)
        print(f"{n} reviews: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
