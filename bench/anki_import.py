"""How long ``cuecards import`` takes on a large Anki package.

Builds, with Anki's own library, a collection of ``--notes`` Basic notes in
20 decks (one in ten reversed) and a revlog of ``--reviews`` reviews spread
over a year, exports it as a newer-layout ``.apkg``, then times
``cuecards import`` of it in a fresh process (decks written, history
replayed, database committed), and its parts in this process.

    python bench/anki_import.py [--notes 10000] [--reviews 100000]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DAY_MS = 86_400_000


def build(folder: Path, notes: int, reviews: int) -> Path:
    """The package: notes, cards and a revlog as Anki stores them."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    col = Collection(str(folder / "big.anki2"))
    basic, rev = col.models.by_name("Basic"), col.models.by_name("Basic (and reversed card)")
    assert basic and rev and col.db
    decks = [col.decks.id(f"Big::Deck {i:02d}") for i in range(20)]
    card_ids: list[int] = []
    for i in range(notes):
        note = col.new_note(rev if i % 10 == 0 else basic)
        note.fields[0] = f"Question <b>{i}</b> about topic {i % 97}"
        note.fields[1] = f"Answer {i}<br>with a second line"
        note.tags = [f"topic::t{i % 13}"]
        col.add_note(note, decks[i % 20] or 1)  # type: ignore[arg-type]
        card_ids += [c.id for c in note.cards()]
    rng = random.Random(3)
    start = int(time.time() * 1000) - 365 * DAY_MS
    per_card = max(1, reviews // len(card_ids))
    rows: list[tuple[int, ...]] = []
    stamp = start
    for k, cid in enumerate(card_ids):
        t = start + k * 1000
        n = per_card + (1 if k < reviews - per_card * len(card_ids) else 0)
        for j in range(n):
            ease = 3 if j < 2 else rng.choices([1, 2, 3, 4], weights=[1, 2, 8, 1])[0]
            t += (10 * 60_000) if j < 2 else rng.randint(1, 30) * DAY_MS // 2
            stamp = max(stamp + 1, t)
            rows.append(
                (stamp, cid, -1, ease, 1, 0, 2500, rng.randint(2000, 20000), 0 if j < 2 else 1)
            )
    col.db.executemany(
        "insert into revlog (id,cid,usn,ease,ivl,lastIvl,factor,time,type) "
        "values (?,?,?,?,?,?,?,?,?)",
        rows,
    )
    col.db.execute("update cards set type=2, queue=2, ivl=1, due=0")
    out = folder / "big.apkg"
    opts = ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
    )
    col.export_anki_package(out_path=str(out), options=opts, limit=None)
    col.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=10_000)
    ap.add_argument("--reviews", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        pkg = build(folder, args.notes, args.reviews)
        print(
            f"built with Anki's library: {time.perf_counter() - t:.1f} s, "
            f"{pkg.stat().st_size / 1e6:.1f} MB"
        )

        from cuecards.interop.anki_convert import convert
        from cuecards.interop.anki_package import read_package

        t = time.perf_counter()
        col = read_package(pkg)
        t_read = time.perf_counter() - t
        t = time.perf_counter()
        conv = convert(col)
        t_conv = time.perf_counter() - t
        print(
            f"read the package: {t_read:.2f} s ({len(col.notes)} notes, "
            f"{len(col.cards)} cards, {len(col.reviews)} reviews); convert: {t_conv:.2f} s "
            f"({conv.cards} cuecards cards)"
        )
        cmd = [
            sys.executable,
            "-m",
            "cuecards",
            "--home",
            str(folder / "home"),
            "--decks",
            str(folder / "decks"),
            "import",
            str(pkg),
        ]
        t = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        total = time.perf_counter() - t
        print(done.stdout.strip())
        print(f"cuecards import, whole command in a fresh process: {total:.1f} s")


if __name__ == "__main__":
    main()
