"""Property tests: hostile decks raise only the project's own error, and random
sequences of deck edits, syncs and ratings never lose or detach a review.

CI runs a short version. A long run: ``CUECARDS_PROPERTY_EXAMPLES=500
.venv/bin/pytest -o timeout=0 tests/unit/test_properties.py`` (the number of
examples per test, random each run; the edit sequences grow to 40 steps; the
per-test timeout is lifted). About ten minutes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from cuecards.decklint import lint_paths
from cuecards.errors import DeckError
from cuecards.loader import load_bytes
from cuecards.paths import Paths
from cuecards.session import Service
from tests.conftest import FixedClock

EXAMPLES = int(os.environ.get("CUECARDS_PROPERTY_EXAMPLES", "30"))
LONG = EXAMPLES > 100
# CI's short run is the same every time; a long run explores new examples.
quick = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

KEYS = [
    "title", "cards", "front", "back", "kind", "id", "was", "points", "text", "accept",
    "pass", "time_limit", "reverse", "tags", "notes", "prompt", "answer", "description",
    "recall", "drill", "cloze", "frnt",
]  # fmt: skip
TOKENS = [*"- :\n\t{}[]'\"#&*!|>%@`,?\\.0123456789abcz", *KEYS, "é", "\x00", "\ufeff", "  - "]
YAMLISH = st.lists(st.sampled_from(TOKENS), max_size=80).map("".join)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5000),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(KEYS + ["{{gap}}", "a {{b}} c", "{{", "}}"]),
)
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=5)), inner, max_size=6),
    ),
    max_leaves=30,
)


def only_deck_errors(data: bytes) -> None:
    try:
        loaded = load_bytes(data, Path("fuzz.yaml"), "fuzz")
    except DeckError as e:
        assert e.problems and all(p.line >= 1 and p.col >= 1 for p in e.problems)
        return
    assert all(i.uid.startswith("fuzz/") for i in loaded.items)


@quick
@given(YAMLISH)
def test_random_yamlish_text_raises_only_deck_errors(text: str) -> None:
    only_deck_errors(text.encode("utf-8", errors="surrogatepass"))


@quick
@given(st.binary(max_size=200))
def test_random_bytes_raise_only_deck_errors(data: bytes) -> None:
    only_deck_errors(data)


@quick
@given(structures)
def test_random_structures_raise_only_deck_errors(value: Any) -> None:
    only_deck_errors(yaml.safe_dump(value, allow_unicode=True).encode())


@quick
@given(
    st.dictionaries(st.sampled_from(KEYS), structures, max_size=6), st.lists(structures, max_size=4)
)
def test_random_decks_lint_without_raising(top: dict[str, Any], cards: list[Any]) -> None:
    doc = {"title": "T", **top, "cards": cards}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        problems, checked = lint_paths([path])
    assert checked == 1 and all(p.path == str(path) for p in problems)


# -- edits, syncs and ratings ------------------------------------------------


@dataclass
class CardM:
    """A card as its author sees it; ``key`` is who it is, whatever its id."""

    key: int
    card_id: str
    back: str
    gaps: list[str] = field(default_factory=list)  # a cloze when not empty
    alias: str | None = None
    synced_note: str | None = None  # its note uid at the last sync
    restored: bool = False  # deleted and put back since the last sync

    def variants(self) -> list[str]:
        return self.gaps or [""]

    def uid(self, deck_id: str, variant: str) -> str:
        note = f"{deck_id}/{self.card_id}"
        return f"{note}#c{self.gaps.index(variant) + 1}" if self.gaps else note

    def yaml(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.card_id}
        if self.alias:
            out["was"] = self.alias
        if self.gaps:
            out["kind"] = "cloze"
            out["text"] = " and ".join(f"{{{{{g}}}}}" for g in self.gaps) + f" ({self.back})"
        else:
            out["front"] = f"Question {self.key}?"
            out["back"] = self.back
        return out


@dataclass
class DeckM:
    deck_id: str
    cards: list[CardM]


class DeckEdits(RuleBasedStateMachine):
    """A model of an author's decks beside a real service over them."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp())
        self.root = self.tmp / "decks"
        self.root.mkdir()
        self.clock = FixedClock()
        self.svc = Service.open(
            Paths.resolve(home=self.tmp / "home", decks=[self.root], include_shipped=False),
            clock=self.clock,
        )
        self.svc.set_setting("timezone", "UTC")
        self.svc.set_setting("fuzz", False)
        self.decks: list[DeckM] = []
        self.deleted: list[CardM] = []
        self.reviews: dict[tuple[int, str], int] = {}
        self.n = 0
        self.dirty = True

    def fresh(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def teardown(self) -> None:
        self.svc.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    @initialize()
    def start(self) -> None:
        for _ in range(2):
            deck = DeckM(self.fresh("d"), [])
            for _ in range(3):
                deck.cards.append(CardM(self.n, self.fresh("c"), "answer"))
            deck.cards.append(CardM(self.n, self.fresh("z"), "cloze", gaps=["alpha", "beta"]))
            self.decks.append(deck)
        self.sync()

    def edited(self) -> None:
        self.dirty = True

    @rule(data=st.data())
    def reword(self, data: st.DataObject) -> None:
        deck = data.draw(st.sampled_from(self.decks))
        if deck.cards:
            data.draw(st.sampled_from(deck.cards)).back += " more"
            self.edited()

    @rule(data=st.data())
    def reorder(self, data: st.DataObject) -> None:
        data.draw(st.sampled_from(self.decks)).cards.reverse()
        self.edited()

    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        deck = data.draw(st.sampled_from(self.decks))
        if deck.cards:
            card = deck.cards.pop(data.draw(st.integers(0, len(deck.cards) - 1)))
            self.deleted.append(card)
            self.edited()

    @precondition(lambda self: bool(self.deleted))
    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        card = self.deleted.pop(data.draw(st.integers(0, len(self.deleted) - 1)))
        data.draw(st.sampled_from(self.decks)).cards.append(card)
        card.restored = True
        self.edited()

    @rule(data=st.data(), into_folder=st.booleans())
    def rename_or_move(self, data: st.DataObject, into_folder: bool) -> None:
        deck = data.draw(st.sampled_from(self.decks))
        name = self.fresh("r")
        deck.deck_id = f"{self.fresh('f')}/{name}" if into_folder else name
        self.edited()

    @rule(data=st.data())
    def split(self, data: st.DataObject) -> None:
        deck = data.draw(st.sampled_from(self.decks))
        if len(deck.cards) >= 2:
            half = len(deck.cards) // 2
            self.decks.append(DeckM(self.fresh("s"), deck.cards[half:]))
            del deck.cards[half:]
            self.edited()

    @rule(data=st.data())
    def change_id(self, data: st.DataObject) -> None:
        deck = data.draw(st.sampled_from(self.decks))
        if deck.cards:
            card = data.draw(st.sampled_from(deck.cards))
            if card.synced_note is not None and card.alias is None:
                card.alias = card.synced_note
            card.card_id = self.fresh("n")
            self.edited()

    @rule(data=st.data())
    def insert_gap(self, data: st.DataObject) -> None:
        clozes = [c for d in self.decks for c in d.cards if c.gaps]
        if clozes:
            data.draw(st.sampled_from(clozes)).gaps.insert(0, self.fresh("g"))
            self.edited()

    @rule()
    def sync(self) -> None:
        for deck in self.decks:
            for c in deck.cards:
                if c.restored and c.synced_note not in (None, f"{deck.deck_id}/{c.card_id}"):
                    # put back somewhere else: only the author can say what it was
                    c.alias = c.synced_note
        for path in self.root.rglob("*.yaml"):
            path.unlink()
        for deck in self.decks:
            path = self.root / f"{deck.deck_id}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            doc = {"title": deck.deck_id, "cards": [c.yaml() for c in deck.cards]}
            path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        report = self.svc.sync()
        assert not report.errors, report.errors
        for deck in self.decks:
            for c in deck.cards:
                c.synced_note, c.alias = f"{deck.deck_id}/{c.card_id}", None
                c.restored = False
        self.dirty = False

    @precondition(lambda self: not self.dirty)
    @rule(data=st.data(), rating=st.integers(1, 4))
    def rate(self, data: st.DataObject, rating: int) -> None:
        live = [(d, c, v) for d in self.decks for c in d.cards for v in c.variants()]
        if not live:
            return
        deck, card, variant = data.draw(st.sampled_from(live))
        uid = card.uid(deck.deck_id, variant)
        self.clock.advance(days=1)
        session = self.svc.start_session(uids=[uid])
        shown = session.next_card()
        assert shown is not None, uid
        session.rate(uid, rating, 1000)
        self.reviews[(card.key, variant)] = self.reviews.get((card.key, variant), 0) + 1

    @invariant()
    def no_review_is_lost_or_detached(self) -> None:
        conn = self.svc.store._conn
        total = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        assert total == sum(self.reviews.values())
        orphans = conn.execute(
            "SELECT count(*) FROM reviews r LEFT JOIN cards c ON c.id = r.card_id "
            "WHERE c.id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        wrong = conn.execute(
            "SELECT count(*) FROM cards c WHERE reps != "
            "(SELECT count(*) FROM reviews r WHERE r.card_id = c.id)"
        ).fetchone()[0]
        assert wrong == 0

    @invariant()
    def every_card_keeps_its_history(self) -> None:
        if self.dirty:
            return
        conn = self.svc.store._conn
        for deck in self.decks:
            for c in deck.cards:
                for v in c.variants():
                    uid = c.uid(deck.deck_id, v)
                    row = conn.execute(
                        "SELECT reps, retired FROM cards WHERE uid = ?", (uid,)
                    ).fetchone()
                    assert row is not None, uid
                    assert (row["reps"], row["retired"]) == (self.reviews.get((c.key, v), 0), 0), (
                        uid
                    )


DeckEdits.TestCase.settings = settings(
    max_examples=max(5, EXAMPLES // 3),
    stateful_step_count=40 if LONG else 15,
    deadline=None,
    derandomize=not LONG,
    suppress_health_check=[HealthCheck.too_slow],
)
test_deck_edits_never_lose_history = DeckEdits.TestCase
