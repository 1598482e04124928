"""Shared fixtures.

* ``clock``: a :class:`FixedClock` (call it for "now"; ``advance(minutes=...)``,
  ``set(datetime)``). It starts at 2025-03-10 12:00 UTC.
* ``tmp_home``: an empty data folder (the database goes there).
* ``deck_dir``: an empty decks folder.
* ``make_deck``: writes a YAML deck file into ``deck_dir`` (or another root).
* ``sample_cards``: a copy of :data:`SAMPLE_CARDS`, to edit and rewrite.
* ``service``: a :class:`cuecards.session.Service` on ``tmp_home`` and
  ``deck_dir`` holding :data:`SAMPLE_CARDS` as deck ``basics``, already
  synced, with the ``timezone`` setting at ``UTC`` (so study days roll over
  at 04:00 UTC whatever the machine's zone) and fuzz off.

An autouse fixture points ``CUECARDS_HOME`` at a temporary folder and clears
``CUECARDS_DECKS``, so no test touches the developer's own data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

START = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)

#: the cards of the ``service`` fixture's deck ``basics`` (7 items: recall x2,
#: a recall with its reverse, a cloze with two gaps, a drill)
SAMPLE_CARDS: list[dict[str, Any]] = [
    {"id": "capital-fr", "front": "Capital of France?", "back": "Paris"},
    {"id": "capital-de", "front": "Capital of Germany?", "back": "Berlin"},
    {"id": "hello", "front": "hello", "back": "bonjour", "reverse": True},
    {
        "id": "rule",
        "kind": "cloze",
        "text": "At scale, design is {{product strategy}} with {{technical consequences}}.",
    },
    {
        "id": "trade-offs",
        "kind": "drill",
        "prompt": "Name two trade-offs.",
        "points": ["latency vs quality", "cost vs coverage"],
        "answer": "Latency vs quality; cost vs coverage.",
    },
]


class FixedClock:
    """A clock the test moves by hand; always timezone-aware UTC."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        """Move forward by ``timedelta(**kwargs)``; returns the new now."""
        self.now = self.now + timedelta(**kwargs)
        return self.now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (must be aware)."""
        assert when.tzinfo is not None
        self.now = when.astimezone(UTC)


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUECARDS_HOME", str(tmp_path_factory.mktemp("env-home")))
    monkeypatch.delenv("CUECARDS_DECKS", raising=False)


@pytest.fixture
def clock() -> FixedClock:
    """A fixed clock at 2025-03-10 12:00 UTC."""
    return FixedClock()


@pytest.fixture
def tmp_home(tmp_path: Path) -> Path:
    """An empty data folder."""
    home = tmp_path / "home"
    home.mkdir()
    return home


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    """An empty decks folder."""
    d = tmp_path / "decks"
    d.mkdir(exist_ok=True)
    return d


MakeDeck = Callable[..., Path]


@pytest.fixture
def make_deck(deck_dir: Path) -> MakeDeck:
    """``make_deck(deck_id, cards, title=None, root=None, **fields) -> Path``.

    ``cards`` is a list of card dicts (written as YAML) or a string of raw
    YAML written as the whole file. ``deck_id`` may contain folders
    (``pm/trade-offs``).
    """
    import yaml

    def write(
        deck_id: str,
        cards: list[dict[str, Any]] | str,
        title: str | None = None,
        root: Path | None = None,
        **fields: Any,
    ) -> Path:
        path = (root or deck_dir) / f"{deck_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(cards, str):
            text = cards
        else:
            doc = {"title": title or deck_id, **fields, "cards": cards}
            text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def sample_cards() -> list[dict[str, Any]]:
    """A fresh copy of SAMPLE_CARDS (the ``service`` deck), safe to edit."""
    return [dict(c) for c in SAMPLE_CARDS]


@pytest.fixture
def service(
    tmp_home: Path, deck_dir: Path, make_deck: MakeDeck, clock: FixedClock
) -> Iterator[Any]:
    """A synced Service over deck ``basics`` (SAMPLE_CARDS), UTC days, no fuzz."""
    from cuecards.paths import Paths
    from cuecards.session import Service

    make_deck("basics", SAMPLE_CARDS, title="Basics")
    svc = Service.open(
        Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False), clock=clock
    )
    svc.set_setting("timezone", "UTC")
    svc.set_setting("fuzz", False)
    report = svc.sync()
    assert not report.errors, report.errors
    yield svc
    svc.close()
