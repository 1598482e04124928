"""What the merged pieces tell the user in the app: the sync's notes and the
siblings held back on the home screen, and `e` on a shipped deck opening the
user's own copy instead of the shipped file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import cuecards.paths as paths_mod
from cuecards.paths import Paths
from cuecards.session import Service
from cuecards.ui.app import StartMode, make_app
from tests.conftest import SAMPLE_CARDS, MakeDeck
from tests.ui.conftest import RECALL, settle
from tests.ui.screen_text import screen_text


def prepared(paths: Paths, clock: Any, **settings: Any) -> None:
    with Service.open(paths, clock=clock) as svc:
        svc.set_setting("timezone", "UTC")
        svc.set_setting("fuzz", False)
        for key, value in settings.items():
            svc.set_setting(key, value)


async def test_home_says_the_sync_notes_and_the_siblings_held_back(
    tmp_home: Path, deck_dir: Path, make_deck: MakeDeck, clock: Any, tmp_path: Path
) -> None:
    make_deck("t/basics", SAMPLE_CARDS, title="Basics")
    paths = Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False)
    gone = tmp_path / "unplugged"
    prepared(paths, clock, deck_folders=[str(gone)])
    app = make_app(paths, clock=clock, live_timer=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "5 new, 2 held back as siblings" in text
        assert "deck folder /tmp" in text and "is missing: its decks are kept as they were" in text
        gone.mkdir()
        await pilot.press("r")
        await settle(pilot)
        assert "is missing" not in screen_text(app)


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_deck: MakeDeck) -> Path:
    folder = tmp_path / "shipped"
    make_deck("pm/recall", RECALL, title="Shipped recall", root=folder)
    monkeypatch.setattr(paths_mod, "shipped_decks_dir", lambda: folder)
    return folder


async def test_edit_on_a_shipped_deck_opens_the_users_copy(
    tmp_home: Path, clock: Any, shipped: Path
) -> None:
    paths = Paths.resolve(home=tmp_home, decks=[])
    prepared(paths, clock)
    opened: list[Path] = []

    def editor(path: Path, line: int) -> int:
        opened.append(path)
        path.write_text(path.read_text().replace("depth over speed", "depth, not speed"))
        return 0

    app = make_app(
        paths,
        clock=clock,
        live_timer=False,
        start=StartMode(screen="review", deck="pm/recall"),
        editor=editor,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        copy = (tmp_home / "decks" / "pm" / "recall.yaml").resolve()
        assert opened == [copy]
        assert "depth over speed" in (shipped / "pm" / "recall.yaml").read_text()
        said = [n.message for n in app._notifications]
        # the path shortened to its deck folder and file, so a toast never breaks it
        short = f"…/{copy.parent.name}/{copy.name}"
        assert any(m.startswith(f"Editing your copy: {short}") for m in said), said
        await pilot.press("space")
        assert "depth, not speed" in screen_text(app)
    with Service.open(paths, clock=clock) as svc:
        assert svc.settings().deck_folders == [str(copy.parent.parent)]
        assert svc.deck_file("pm/recall") == copy


def test_a_long_note_is_cut_in_the_middle() -> None:
    from cuecards.ui.widgets.cells import fit_middle

    note = "pm/cases: your deck /very/long/path/of/a/folder/pm/cases.yaml replaces the shipped one"
    cut = fit_middle(note, 60)
    assert len(cut) == 60 and cut.startswith("pm/cases: your deck")
    assert cut.endswith("cases.yaml replaces the shipped one") and "…" in cut
    assert fit_middle("short", 60) == "short"


async def test_edit_says_what_the_sync_matched(
    tmp_home: Path, deck_dir: Path, make_deck: MakeDeck, clock: Any
) -> None:
    make_deck("t/recall", RECALL, title="Recall deck")
    paths = Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False)
    prepared(paths, clock)

    def editor(path: Path, line: int) -> int:
        path.write_text(path.read_text().replace("id: r1", "id: r2\n  was: r1"))
        return 0

    app = make_app(
        paths,
        clock=clock,
        live_timer=False,
        start=StartMode(screen="review", deck="t/recall"),
        editor=editor,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        said = [n.message for n in app._notifications if n.title == "Deck sync"]
        assert said == ["t/recall: 1 card kept its history under a new id"]
