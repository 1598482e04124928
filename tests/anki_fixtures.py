"""Anki packages built by Anki's own library, for the import tests.

:func:`build_packages` makes one collection (Basic, reversed, cloze with a
hint, a typed-answer note, nested decks, hierarchical tags, a suspended and a
buried card, and a revlog of several hundred reviews over months, with
manual rows) and exports it in the newer and the legacy package layouts and
as a collection package. The revlog rows are inserted as Anki stores them
(its scheduler answers at the real time only).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path

DAY_MS = 86_400_000
#: the first review of the history: 2025-01-06 09:00 UTC, in ms
T0 = 1_736_154_000_000


@dataclass
class Built:
    """The packages and what the collection held."""

    source: Path
    apkg: Path
    legacy_apkg: Path
    colpkg: Path
    guids: dict[str, str] = field(default_factory=dict)  # front/text -> guid
    answered: dict[int, int] = field(default_factory=dict)  # card id -> reviews with a button
    manual: int = 0
    recent: int = 0  # card id of the card reviewed two days ago, due in the future
    reset: int = 0  # card id of the card reset to new ("Forget") after its reviews
    suspended: int = 0  # card id
    buried: int = 0
    last_review_ms: dict[int, int] = field(default_factory=dict)


def kept(built: Built) -> dict[int, int]:
    """Reviews the import keeps per card: all but those of the reset card."""
    return {c: n for c, n in built.answered.items() if c != built.reset}


def _history(rng: random.Random, card_id: int, start: int, n: int) -> list[tuple[int, ...]]:
    rows: list[tuple[int, ...]] = []
    t = start
    interval = 1
    for i in range(n):
        if i < 2:
            kind, ease, gap = 0, 3, 10 * 60_000
        else:
            ease = rng.choices([1, 2, 3, 4], weights=[1, 2, 8, 1])[0]
            kind = 1 if rows[-1][3] != 1 else 2
            gap = interval * DAY_MS + rng.randint(0, 6) * 3_600_000
        t += gap
        interval = 1 if ease == 1 else min(int(interval * (1.2 if ease == 2 else 2.1)) + 1, 12)
        rows.append((t, card_id, -1, ease, interval, 0, 2500, rng.randint(2_000, 20_000), kind))
    return rows


def build_packages(folder: Path) -> Built:
    from anki.collection import Collection, ExportAnkiPackageOptions  # isort: skip
    from anki.cards import CardId  # after anki.collection: anki's own import order

    col = Collection(str(folder / "source.anki2"))
    db = col.db
    assert db is not None
    models = col.models
    basic, rev = models.by_name("Basic"), models.by_name("Basic (and reversed card)")
    cloze, typed = models.by_name("Cloze"), models.by_name("Basic (type in the answer)")
    assert basic and rev and cloze and typed
    french = col.decks.id("Lang::French")
    default = col.decks.id("Default")
    assert french and default
    built = Built(
        folder / "source.anki2", folder / "new.apkg", folder / "legacy.apkg", folder / "all.colpkg"
    )

    def add(model: object, deck: int, values: list[str], tags: list[str]) -> list[int]:
        note = col.new_note(model)  # type: ignore[arg-type]
        for i, v in enumerate(values):
            note.fields[i] = v
        note.tags = tags
        col.add_note(note, deck)  # type: ignore[arg-type]
        built.guids[values[0]] = note.guid
        return [c.id for c in note.cards()]

    cards: list[int] = []
    for i in range(8):
        cards += add(basic, french, [f"<b>word {i}</b>", f"mot {i}<br>second line"], ["lang::fr"])
    cards += add(rev, french, ["cat", "chat"], ["lang::fr", "animals"])
    cards += add(cloze, default, ["The {{c1::sky::colour?}} is {{c2::blue}}.", "extra"], [])
    cards += add(typed, default, ["2 + 2?", "4"], ["maths"])
    rng = random.Random(7)
    rows: list[tuple[int, ...]] = []
    for k, card_id in enumerate(cards[:10]):
        hist = _history(rng, card_id, T0 + k * 1_000, 32)
        rows += hist
        built.answered[card_id] = len(hist)
        built.last_review_ms[card_id] = hist[-1][0]
        ivl = hist[-1][4]
        db.execute(
            "update cards set type=2, queue=2, ivl=?, due=?, reps=? where id=?",
            ivl,
            (hist[-1][0] - col.crt * 1000) // DAY_MS + ivl,
            len(hist),
            card_id,
        )
    # one card (a cloze gap) studied until two days ago, all Easy: due in the future
    recent, now_ms = cards[10], int(time.time() * 1000)
    gaps = [0, 1, 4, 12, 30, 75]
    t = now_ms - 2 * DAY_MS - sum(gaps) * DAY_MS
    hist = []
    for i, gap in enumerate(gaps):
        t += gap * DAY_MS
        hist.append((t, recent, -1, 4, max(gap, 1), 0, 2500, 5_000, 0 if i == 0 else 1))
    rows += hist
    built.answered[recent] = len(hist)
    built.last_review_ms[recent] = hist[-1][0]
    db.execute(
        "update cards set type=2, queue=2, ivl=150, due=? where id=?",
        (now_ms - col.crt * 1000) // DAY_MS + 148,
        recent,
    )
    built.recent = recent
    # manual rows (a forget and a set-due) carry no button
    last = max(r[0] for r in rows if r[1] != recent)
    rows.append((last + 1_000, cards[0], -1, 0, 0, 0, 0, 0, 4))
    rows.append((last + 2_000, cards[1], -1, 0, 3, 0, 0, 0, 5))
    built.manual, built.reset = 2, cards[0]
    db.executemany(
        "insert into revlog (id,cid,usn,ease,ivl,lastIvl,factor,time,type) "
        "values (?,?,?,?,?,?,?,?,?)",
        rows,
    )
    built.suspended, built.buried = cards[-1], cards[-2]
    col.sched.suspend_cards([CardId(built.suspended)])
    col.sched.bury_cards([CardId(built.buried)])
    for path, legacy in ((built.apkg, False), (built.legacy_apkg, True)):
        opts = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy
        )
        col.export_anki_package(out_path=str(path), options=opts, limit=None)
    col.export_collection_package(str(built.colpkg), include_media=True, legacy=False)
    col.close()
    return built
