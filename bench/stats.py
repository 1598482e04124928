"""Stats benchmark: ``cuecards stats --json`` and the stats screen on a large history.

Builds a synthetic database of ``--cards`` cards (20,000) in 40 decks with
``--reviews`` reviews (500,000) spread over the last year, inserted directly
with ``executemany`` in one transaction (building it through the review loop
would take far longer than the figures it is meant to measure). Then:

* ``cuecards stats --json`` as a fresh process: wall time, median of ``--runs``;
* the same figures in-process (:func:`cuecards.stats.gather`), for comparison;
* ``cuecards export`` to CSV and HTML as fresh processes (one run each);
* the stats screen in a headless 80x24 pilot: time to its first paint (the
  loading indicator) and time until the figures are shown.

    python bench/stats.py [--cards 20000] [--reviews 500000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

NOW = datetime.now(UTC).replace(microsecond=0)


def build(home: Path, n_cards: int, n_reviews: int, seed: int = 7) -> None:
    """A database with a synthetic collection and history (UTC study days)."""
    from cuecards.paths import Paths
    from cuecards.scheduling import StudyDay
    from cuecards.service import Service

    paths = Paths.resolve(home=home, include_shipped=False)
    with Service.open(paths) as svc:
        svc.set_setting("timezone", "UTC")
    db = paths.db_path
    rng = random.Random(seed)
    days = StudyDay(4, "UTC")
    today = days.day(NOW)
    day0 = int(days.start(today).timestamp())
    now = int(NOW.timestamp())
    decks = [f"folder{i % 5}/deck{i:02d}" for i in range(40)]
    tags = [f"tag{i:02d}" for i in range(30)]
    # columns: id uid deck_id card_id note_uid kind variant content content_hash tags line
    # position auto_id retired suspended buried_until state(16) step stability(18)
    # difficulty due(20) last_review reps(22) lapses created_at
    cards, card_tags = [], []
    for cid in range(1, n_cards + 1):
        deck = decks[cid % len(decks)]
        kind = "drill" if cid % 10 == 0 else "recall"
        cards.append(
            [
                cid,
                f"{deck}/c{cid}",
                deck,
                f"c{cid}",
                f"{deck}/c{cid}",
                kind,
                "",
                "{}",
                "",
                "[]",
                0,
                cid,
                0,
                0,
                0,
                0,
                1,
                0,
                None,
                None,
                now,
                None,
                0,
                0,
                now,
            ]
        )
        for t in rng.sample(tags, 2):
            card_tags.append((cid, t))  # noqa: PERF401
    reviews = []
    times = sorted(now - rng.randrange(365 * 86400) for _ in range(n_reviews))
    for at in times:
        cid = rng.randrange(1, n_cards + 1)
        card = cards[cid - 1]
        reps, lapses = card[22], card[23]
        rating = rng.choices((1, 2, 3, 4), (10, 15, 65, 10))[0]
        state_before = 2 if reps > 1 else 1
        grow = 0.5 if rating == 1 else rng.uniform(1.1, 1.6)
        stab = min(400.0, max(0.5, (card[18] or 2.0) * grow))
        interval = 600 if rating == 1 else int(stab * 86400)
        day = today - (day0 - at + 86399) // 86400 if at < day0 else today
        points = (rng.randint(0, 3), 3) if card[5] == "drill" else (None, None)
        reviews.append(
            (
                cid,
                rating,
                at,
                day,
                rng.randint(2000, 40000),
                state_before,
                card[20] or at,
                reps,
                lapses,
                3 if rating == 1 and reps > 1 else 2,
                at + interval,
                interval / 86400,
                *points,
            )
        )
        card[16] = 3 if rating == 1 and reps > 1 else 2  # state
        card[18], card[19] = stab, rng.uniform(2, 9)
        card[20], card[21] = at + interval, at
        card[22], card[23] = reps + 1, lapses + (rating == 1 and reps > 1)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO decks(id, root, path, title, tags, digest, mtime_ns, size, retired, "
        "synced_at) VALUES (?, '', '', ?, '[]', '', 0, 0, 0, ?)",
        [(d, d.split("/")[1].title(), now) for d in decks],
    )
    conn.executemany(
        "INSERT INTO cards(id, uid, deck_id, card_id, note_uid, kind, variant, content, "
        "content_hash, tags, line, position, auto_id, retired, suspended, buried_until, state, "
        "step, stability, difficulty, due, last_review, reps, lapses, created_at) VALUES "
        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        cards,
    )
    conn.executemany("INSERT INTO card_tags(card_id, tag) VALUES (?, ?)", card_tags)
    conn.executemany(
        "INSERT INTO reviews(uid, card_id, rating, reviewed_at, day, duration_ms, state_before, "
        "due_before, reps_before, lapses_before, state_after, due_after, interval_days, "
        "points_hit, points_total) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(str(uuid.uuid4()), *r) for r in reviews],
    )
    conn.execute("COMMIT")
    conn.close()


def run_cli(home: Path, *args: str) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "cuecards", "--home", str(home), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"cuecards {' '.join(args)} failed: {done.stderr}")
    return elapsed


async def screen_times(home: Path) -> tuple[float, float]:
    """(first paint, figures shown) of the stats screen, seconds from app start.

    Each moment is taken in a ``call_after_refresh`` callback, i.e. once the
    screen has been refreshed after mounting (loading indicator) and after the
    figures arrived.
    """
    from textual.app import App

    from cuecards.paths import Paths
    from cuecards.service import Service
    from cuecards.ui.screens.stats import StatsScreen

    svc = Service.open(Paths.resolve(home=home, include_shipped=False))
    marks: dict[str, float] = {}

    class Timed(StatsScreen):
        # Textual calls these after the base class's own handlers.
        def on_mount(self) -> None:
            self.call_after_refresh(lambda: marks.setdefault("paint", time.perf_counter()))

        def on_stats_screen_loaded(self, message: StatsScreen.Loaded) -> None:  # noqa: ARG002
            self.call_after_refresh(lambda: marks.setdefault("shown", time.perf_counter()))

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(Timed(svc))

    app = Host()
    t0 = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        while "shown" not in marks:
            await asyncio.sleep(0.002)
        await pilot.pause()
    svc.close()
    return marks["paint"] - t0, marks["shown"] - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=20_000)
    ap.add_argument("--reviews", type=int, default=500_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        t0 = time.perf_counter()
        build(home, args.cards, args.reviews)
        print(
            f"built {args.cards:,} cards, {args.reviews:,} reviews in "
            f"{time.perf_counter() - t0:.1f} s"
        )

        from cuecards.paths import Paths
        from cuecards.service import Service
        from cuecards.stats import gather

        with Service.open(Paths.resolve(home=home, include_shipped=False)) as svc:
            ctx = svc.stats_context()
        inproc = []
        for _ in range(args.runs):
            t = time.perf_counter()
            s = gather(ctx)
            inproc.append(time.perf_counter() - t)
        assert s.reviews == args.reviews, s.reviews
        print(f"figures in-process (gather): median {statistics.median(inproc) * 1000:.0f} ms")
        for label, extra in (
            ("all", ()),
            ("--deck folder1", ("--deck", "folder1")),
            ("--tag tag07", ("--tag", "tag07")),
        ):
            runs = [run_cli(home, "stats", "--json", *extra) for _ in range(args.runs)]
            print(
                f"cuecards stats --json {label}: median {statistics.median(runs) * 1000:.0f} ms"
                f" (min {min(runs) * 1000:.0f}, max {max(runs) * 1000:.0f}, {args.runs} runs)"
            )
        out = Path(tmp)
        for fmt in ("csv", "json", "html"):
            target = out / f"report.{fmt}"
            took = run_cli(home, "export", "-f", fmt, "-o", str(target))
            print(f"cuecards export {fmt}: {took:.2f} s ({target.stat().st_size / 1e6:.1f} MB)")
        json.loads((out / "report.json").read_text())
        firsts, showns = [], []
        for _ in range(args.runs):
            f, s_ = asyncio.run(screen_times(home))
            firsts.append(f)
            showns.append(s_)
        print(
            f"stats screen (pilot, 80x24): first paint median "
            f"{statistics.median(firsts) * 1000:.0f} ms; figures shown median "
            f"{statistics.median(showns) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
