"""UI fixtures: three small decks (recall, cloze, drill), a prepared data
folder with UTC days and no fuzz, and a factory for the app over them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from cuecards.paths import Paths
from cuecards.ui.app import CuecardsApp, StartMode, make_app

RECALL = [
    {
        "id": "r1",
        "front": "When does a slower, better answer win?",
        "back": "When the user's job rewards depth over speed.",
    }
]
CLOZE = [
    {
        "id": "rule",
        "kind": "cloze",
        "text": "At scale, system design is {{product strategy}} with technical consequences.",
    }
]
DRILL = [
    {
        "id": "three",
        "kind": "drill",
        "prompt": "Name three trade-offs of an AI product.",
        "points": ["latency vs quality", "cost vs coverage", "autonomy vs control"],
        "answer": "Latency vs quality; cost vs coverage; autonomy vs control.",
        "time_limit": 90,
        "pass": 2,
    }
]


@pytest.fixture
def ui_paths(tmp_home: Path, deck_dir: Path, make_deck: Callable[..., Path], clock: Any) -> Paths:
    """Decks ``t/recall``, ``t/cloze`` and ``t/drill`` (one card each), synced once."""
    from cuecards.session import Service

    make_deck("t/recall", RECALL, title="Recall deck")
    make_deck("t/cloze", CLOZE, title="Cloze deck")
    make_deck("t/drill", DRILL, title="Drill deck")
    paths = Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False)
    with Service.open(paths, clock=clock) as svc:
        svc.set_setting("timezone", "UTC")
        svc.set_setting("fuzz", False)
        svc.sync()
    return paths


AppFactory = Callable[..., CuecardsApp]


@pytest.fixture
def ui_app(ui_paths: Paths, clock: Any) -> AppFactory:
    """``ui_app(screen="home"|"review", deck=None, tag=None, editor=None)`` -> the app."""

    def build(
        screen: str = "home",
        deck: str | None = None,
        tag: str | None = None,
        editor: Callable[[Path, int], int] | None = None,
    ) -> CuecardsApp:
        extra: dict[str, Any] = {"editor": editor} if editor else {}
        return make_app(
            ui_paths,
            clock=clock,
            live_timer=False,
            start=StartMode(screen=screen, deck=deck, tag=tag),  # type: ignore[arg-type]
            **extra,
        )

    return build


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker is done and the screen has caught up (no sleeps):
    at least four rounds, and more while a screen still says it is loading
    (the start-up sync runs on the service thread, not as a worker)."""
    for i in range(400):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if i >= 3 and getattr(pilot.app.screen, "state", None) != "loading":
            break


def fresh_service(paths: Paths, clock: Any) -> Any:
    """A new Service on the same files: what a restarted app would see."""
    from cuecards.session import Service

    return Service.open(paths, clock=clock)
