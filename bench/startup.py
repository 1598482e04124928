"""Start-up benchmark: time from the command to the first card on screen.

Runs ``cuecards review`` (and ``cuecards`` for the home screen) as fresh
processes in a pseudo-terminal of 80x24, with ``CUECARDS_BENCH_EXIT=1`` so the
app exits right after the first card (or the home screen) is painted and
prints ``CUECARDS_FIRST_FRAME <epoch seconds>``. The figure is that time minus
the moment just before the process was started. Each scenario is warmed once
(the first run syncs the decks into a new database) and then timed ``--runs``
times: median, min and max are printed.

Scenarios: the shipped decks, and a synthetic collection of ``--cards`` cards
(20,000 by default). Last, the time from a rating key to the next card,
measured in-process with the test pilot over ``--ratings`` ratings.

    python bench/startup.py [--runs 7] [--cards 20000] [--ratings 50]
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def make_decks(folder: Path, n_cards: int) -> None:
    """The synthetic collection every benchmark shares (bench/make_collection.py)."""
    sys.path.insert(0, str(HERE))
    from make_collection import make_decks as make  # type: ignore[import-not-found]

    make(folder, n_cards)


def first_frame(
    args: list[str],
    env: dict[str, str],
    timeout: float = 60.0,
    stages: dict[str, list[float]] | None = None,
) -> float:
    """Seconds from process start to the first painted card, in an 80x24 pty.

    ``stages`` collects the seconds from process start to each start-up stage
    the app reports (app built, mounted, service opened, synced, card shown)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.time()
    proc = subprocess.Popen(
        args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    out = bytearray()
    deadline = start + timeout
    while time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=10)
    os.close(master)
    text = out.decode("utf-8", "replace")
    for line in text.splitlines():
        if "CUECARDS_FIRST_FRAME" in line:
            fields = line.split("CUECARDS_FIRST_FRAME", 1)[1].split()
            for field in fields[1:]:
                name, _, value = field.partition("=")
                if stages is not None and value:
                    stages.setdefault(name, []).append(float(value) - start)
            return float(fields[0]) - start
    raise RuntimeError(f"no first frame reported (exit {proc.returncode}):\n{text[-2000:]}")


def scenario(name: str, args: list[str], env: dict[str, str], runs: int) -> None:
    """Warm once, then time ``runs`` fresh processes and print the figures."""
    first_frame(args, env, timeout=600)
    stages: dict[str, list[float]] = {}
    times = [first_frame(args, env, stages=stages) for _ in range(runs)]
    print(
        f"{name:<44} median {statistics.median(times):.3f}s  "
        f"min {min(times):.3f}s  max {max(times):.3f}s  (n={runs})",
        flush=True,
    )
    print(
        "    stages (median s from start): "
        + ", ".join(f"{k} {statistics.median(v):.3f}" for k, v in stages.items()),
        flush=True,
    )


async def rating_latency(home: Path, decks: Path, n: int) -> list[float]:
    """Seconds from pressing ``3`` to the next card on screen, ``n`` times."""
    from cuecards.paths import Paths
    from cuecards.ui.app import StartMode, make_app

    latencies: list[float] = []
    rated: list[float] = []

    def milestone(name: str) -> None:
        # the app's probe: "rated" at the rating key, "shown" once the next card is painted
        if name == "rated":
            rated.append(time.perf_counter())
        elif name == "shown" and rated:
            latencies.append(time.perf_counter() - rated.pop())

    app = make_app(
        Paths.resolve(home=home, decks=[decks]),
        start=StartMode(screen="review"),
        live_timer=False,
        milestone=milestone,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(n):
            screen = app.screen
            card = getattr(screen, "card", None)
            if card is None:
                break
            if getattr(screen, "state", "") == "typing":
                await pilot.press("a", "ctrl+s")
            else:
                await pilot.press("space")
            await pilot.pause()
            await pilot.press("3")
            await app.workers.wait_for_complete()
            await pilot.pause()
        # measured inside the app: from the key's action to the next card painted
        return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cards", type=int, default=20_000)
    parser.add_argument("--ratings", type=int, default=50)
    opts = parser.parse_args()
    exe = [sys.executable, "-m", "cuecards"]
    base = {
        **os.environ,
        "CUECARDS_BENCH_EXIT": "1",
        "TERM": os.environ.get("TERM", "xterm-256color"),
    }
    base.pop("CUECARDS_DECKS", None)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shipped = {**base, "CUECARDS_HOME": str(root / "home-shipped")}
        scenario("shipped decks: cuecards review", [*exe, "review"], shipped, opts.runs)
        scenario("shipped decks: cuecards (home screen)", exe, shipped, opts.runs)
        synth = root / "synthetic"
        t0 = time.perf_counter()
        make_decks(synth, opts.cards)
        print(f"(made {opts.cards} synthetic cards in {time.perf_counter() - t0:.1f}s)")
        big = {**base, "CUECARDS_HOME": str(root / "home-big"), "CUECARDS_DECKS": str(synth)}
        scenario(f"{opts.cards} cards: cuecards review", [*exe, "review"], big, opts.runs)
        scenario(f"{opts.cards} cards: cuecards (home screen)", exe, big, opts.runs)
        times = asyncio.run(rating_latency(root / "home-big", synth, opts.ratings))
        if times:
            print(
                f"{'rating key -> next card (' + str(opts.cards) + ' cards)':<44} "
                f"median {statistics.median(times) * 1000:.1f}ms  "
                f"min {min(times) * 1000:.1f}ms  max {max(times) * 1000:.1f}ms  (n={len(times)})"
            )


if __name__ == "__main__":
    main()
