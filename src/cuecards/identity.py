"""Which stored card each deck item is: identity across every edit authors make.

One sync plans every deck file it loaded at once, so a card that appears in
a new place can take the row (schedule and reviews) of a card that vanished
from an old one in the same sync. In order, each step only over what is left:

1. the same uid in the same deck (live or retired: it comes back); a cloze gap
   by its text within its note, not its position;
2. an explicit alias: ``was: old-id`` on a card (in this deck, or in a deck the
   deck's own ``was:`` names), ``was: deck-id/old-id`` anywhere;
3. the same card id in a deck that vanished or shrank (a renamed, moved or
   split file), preferring a deck this one says it ``was:``, then the deck
   sharing most ids with it;
4. the same kind and variant and near-identical text (:func:`similarity`),
   a card with reviews first, so history is never left to a fresh copy.

Cards of a deck that failed to load or sits in a missing folder are never
candidates: they stay as they are.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cuecards.likeness import Candidates, ratio, similarity
from cuecards.model import Item, gap_key
from cuecards.storage import CardPlan, content_hash, item_content

if TYPE_CHECKING:
    from cuecards.loader import Alias

#: two texts of one cloze gap (a word fixed): at least this similar
GAP_SIMILAR = 60.0


@dataclass(frozen=True)
class OldCard:
    """A stored card, as matching sees it."""

    id: int
    uid: str
    deck_id: str
    card_id: str
    note_uid: str
    kind: str
    variant: str
    content: dict[str, Any]
    auto_id: bool
    retired: bool
    reps: int

    @classmethod
    def from_record(cls, r: Sequence[Any]) -> OldCard:
        """From a row of :meth:`cuecards.storage.Store.card_records`."""
        return cls(
            int(r[0]),
            str(r[1]),
            str(r[2]),
            str(r[3]),
            str(r[4]),
            str(r[5]),
            str(r[6]),
            json.loads(r[7]),
            bool(r[8]),
            bool(r[9]),
            int(r[10] or 0),
        )

    @property
    def gap(self) -> str:
        """A cloze gap's text; '' for other kinds."""
        if self.kind != "cloze":
            return ""
        return gap_key(str(self.content.get("prompt", "")), str(self.content.get("answer", "")))


@dataclass(frozen=True)
class NewDeck:
    """A deck file that loaded, as the plan needs it."""

    deck_id: str
    items: list[Item]
    aliases: tuple[Alias, ...] = ()

    @property
    def was(self) -> tuple[str, ...]:
        """The deck ids this deck says it had before."""
        return next((a.targets for a in self.aliases if a.card_id is None), ())


@dataclass
class SyncPlan:
    """What one sync does: a card plan per deck, and its tally."""

    plans: dict[str, CardPlan] = field(default_factory=dict)
    added: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    reattached: int = 0
    #: (old deck, new deck) -> cards that kept their history across a move
    moved: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: deck -> cards that kept their history under a new id
    renamed: Counter[str] = field(default_factory=Counter)

    def notes(self) -> list[str]:
        """One line per deck move or id change that kept history."""

        def cards(n: int) -> str:
            return f"{n} card{'s' if n != 1 else ''} kept {'its' if n == 1 else 'their'} history"

        out = [f"{old} -> {new}: {cards(n)}" for (old, new), n in sorted(self.moved.items())]
        out += [f"{deck}: {cards(n)} under a new id" for deck, n in sorted(self.renamed.items())]
        return out


def _item_gap(item: Item) -> str:
    return gap_key(item.prompt, item.answer) if item.kind == "cloze" else ""


class _Matcher:
    """The state of one plan: which rows are taken, which items are pending."""

    def __init__(self, old: Iterable[OldCard]) -> None:
        self.rows = {r.id: r for r in old}
        self.taken: dict[int, tuple[str, int, Item]] = {}
        self.item_row: dict[tuple[str, int], int] = {}

    def take(self, row: OldCard, deck: str, position: int, item: Item) -> None:
        self.taken[row.id] = (deck, position, item)
        self.item_row[(deck, position)] = row.id

    def free(self, row: OldCard) -> bool:
        return row.id not in self.taken

    def same_variant(
        self,
        items: list[tuple[int, Item]],
        rows: list[OldCard],
        deck: str,
        ok: Callable[[OldCard], bool] | None = None,
    ) -> None:
        """Match one note's items to one old note's rows (those ``ok`` allows):
        by variant, and cloze gaps by their text first, then a similar text,
        then position."""
        items = [(p, i) for p, i in items if (deck, p) not in self.item_row]
        rows = [r for r in rows if self.free(r) and (ok is None or ok(r))]
        gaps = [(p, i) for p, i in items if i.kind == "cloze"]
        if gaps:
            old_gaps = [r for r in rows if r.kind == "cloze"]
            by_text: dict[str, list[OldCard]] = defaultdict(list)
            for r in old_gaps:
                by_text[r.gap].append(r)
            for p, i in gaps:
                same = [r for r in by_text.get(_item_gap(i), []) if self.free(r)]
                if same:
                    self.take(same[0], deck, p, i)
            left = [(p, i) for p, i in gaps if (deck, p) not in self.item_row]
            if len(left) * len(old_gaps) > 10_000:
                left = []  # a huge rewrite: positions decide, in linear time
            pairs = [
                (ratio(r.gap, _item_gap(i)), -n, r, p, i)
                for n, (p, i) in enumerate(left)
                for r in old_gaps
                if self.free(r)
            ]
            for score, _n, r, p, i in sorted(pairs, key=lambda t: (t[0], t[1]), reverse=True):
                if score >= GAP_SIMILAR and self.free(r) and (deck, p) not in self.item_row:
                    self.take(r, deck, p, i)
        for p, i in items:
            if (deck, p) in self.item_row:
                continue
            # the same variant; a card may change kind, but a gap is a gap
            same = [
                r
                for r in rows
                if self.free(r)
                and r.variant == i.variant
                and (r.kind == "cloze") == (i.kind == "cloze")
            ]
            if same:
                self.take(same[0], deck, p, i)


def plan_sync(decks: Sequence[NewDeck], old: Iterable[OldCard], gone: Iterable[str]) -> SyncPlan:
    """Plan one sync: ``decks`` loaded, ``old`` every stored card of them, of
    the decks ``gone`` and of decks their aliases name; ``gone`` the decks
    whose file disappeared from a folder that is present."""
    p = _Planner(decks, old, gone)
    p.same_note()
    p.find_movable()
    p.by_alias()
    p.by_card_id()
    p.by_similarity()
    return p.tally()


Placed = list[tuple[int, Item]]


class _Planner:
    """The steps of :func:`plan_sync`, over one shared :class:`_Matcher`."""

    def __init__(self, decks: Sequence[NewDeck], old: Iterable[OldCard], gone: Iterable[str]):
        self.m = _Matcher(old)
        self.decks = decks
        self.by_deck: dict[str, list[OldCard]] = defaultdict(list)
        self.by_note: dict[str, list[OldCard]] = defaultdict(list)
        for r in self.m.rows.values():
            self.by_deck[r.deck_id].append(r)
            self.by_note[r.note_uid].append(r)
        self.loaded = {d.deck_id for d in decks}
        self.gone = set(gone) - self.loaded
        self.items_of: dict[str, Placed] = {}
        for d in decks:
            seen: set[str] = set()
            self.items_of[d.deck_id] = []
            for position, item in enumerate(d.items):
                if item.uid not in seen:  # the loader reports duplicates; write a uid once
                    seen.add(item.uid)
                    self.items_of[d.deck_id].append((position, item))
        self.movable: set[int] = set()

    def pending(self, d: NewDeck) -> Placed:
        return [
            (p, i) for p, i in self.items_of[d.deck_id] if (d.deck_id, p) not in self.m.item_row
        ]

    def same_note(self) -> None:
        """1. The same note in the same deck."""
        for d in self.decks:
            notes: dict[str, Placed] = defaultdict(list)
            for p, i in self.items_of[d.deck_id]:
                notes[i.note_uid].append((p, i))
            for note, its in notes.items():
                self.m.same_variant(its, self.by_note.get(note, []), d.deck_id)

    def find_movable(self) -> None:
        """Rows that can move: live rows of a loaded or gone deck that nothing took."""
        places = self.loaded | self.gone
        self.movable = {
            r.id
            for r in self.m.rows.values()
            if not r.retired and self.m.free(r) and r.deck_id in places
        }

    def may_take(self, r: OldCard) -> bool:
        """An alias may bring back a retired card, never one live elsewhere."""
        return r.retired or r.id in self.movable

    def by_alias(self) -> None:
        """2. Explicit aliases."""
        for d in self.decks:
            alias = {a.card_id: a.targets for a in d.aliases if a.card_id is not None}
            notes: dict[str, Placed] = defaultdict(list)
            for p, i in self.pending(d):
                if i.card_id in alias:
                    notes[i.card_id].append((p, i))
            for card_id, its in notes.items():
                for target in alias[card_id]:
                    if "/" in target:
                        targets = [target]
                    else:
                        targets = [f"{w}/{target}" for w in (d.deck_id, *d.was)]
                    for t in targets:
                        self.m.same_variant(its, self.by_note.get(t, []), d.deck_id, self.may_take)

    def by_card_id(self) -> None:
        """3. The same card id in a deck it vanished from."""
        for d in self.decks:
            ids = {i.card_id for _p, i in self.pending(d)}
            overlap: Counter[str] = Counter()
            for rid in self.movable:
                r = self.m.rows[rid]
                if r.card_id in ids and self.m.free(r):
                    overlap[r.deck_id] += 1

            ranked = sorted(overlap, key=lambda k: (k in d.was, overlap[k], k), reverse=True)  # noqa: B023
            for deck in ranked:
                notes: dict[str, Placed] = defaultdict(list)
                for p, i in self.pending(d):
                    notes[i.card_id].append((p, i))
                for card_id, its in notes.items():
                    rows = self.by_note.get(f"{deck}/{card_id}", [])
                    self.m.same_variant(its, rows, d.deck_id, lambda r: r.id in self.movable)

    def by_similarity(self) -> None:
        """4. Similar text, within kind and variant; history first."""
        m = self.m
        buckets: dict[tuple[str, str], list[OldCard]] = defaultdict(list)
        for rid in self.movable:
            r = m.rows[rid]
            if m.free(r):
                buckets[(r.kind, r.variant)].append(r)
        pairs: list[tuple[tuple[bool, bool, float, int], str, int, Item, OldCard]] = []
        for d in self.decks:
            # an id-less card also comes back from this deck's retired id-less cards
            retired = [
                r for r in self.by_deck.get(d.deck_id, []) if r.retired and r.auto_id and m.free(r)
            ]
            lists: dict[tuple[tuple[str, str], bool], Candidates[OldCard]] = {}
            for p, i in self.pending(d):
                kind = (i.kind, i.variant)
                if (kind, i.auto_id) not in lists:
                    extra = [r for r in retired if (r.kind, r.variant) == kind] if i.auto_id else []
                    lists[(kind, i.auto_id)] = Candidates(buckets.get(kind, []) + extra)
                new = item_content(i)
                for r in lists[(kind, i.auto_id)].near(new):
                    score = similarity(r.content, new)
                    if score > 0:
                        # history first, then a card live until now, then the closest
                        key = (r.reps > 0, not r.retired, score, r.reps)
                        pairs.append((key, d.deck_id, p, i, r))
        pairs.sort(key=lambda t: t[0], reverse=True)
        for _key, deck, p, i, r in pairs:
            if m.free(r) and (deck, p) not in m.item_row:
                m.take(r, deck, p, i)

    def tally(self) -> SyncPlan:
        """The card plan of every deck, and what it counts."""
        m = self.m
        plan = SyncPlan()
        for d in self.decks:
            cp = CardPlan(inserts=[], updates=[], retire=[])
            for p, i in self.items_of[d.deck_id]:
                rid = m.item_row.get((d.deck_id, p))
                if rid is None:
                    cp.inserts.append((p, i))
                    plan.added += 1
                    continue
                r = m.rows[rid]
                cp.updates.append((rid, p, i))
                if r.retired:
                    plan.restored += 1
                elif r.deck_id != d.deck_id:
                    plan.reattached += 1
                    plan.moved[(r.deck_id, d.deck_id)] += 1
                elif r.card_id != i.card_id and not (r.auto_id and i.auto_id):
                    plan.reattached += 1
                    plan.renamed[d.deck_id] += 1
                elif r.uid != i.uid or content_hash(r.content) != content_hash(item_content(i)):
                    plan.updated += 1
            own = self.by_deck.get(d.deck_id, [])
            cp.retire = [r.id for r in own if not r.retired and m.free(r)]
            plan.retired += len(cp.retire)
            plan.plans[d.deck_id] = cp
        for deck in self.gone:
            plan.retired += sum(
                1 for r in self.by_deck.get(deck, []) if not r.retired and m.free(r)
            )
        return plan
