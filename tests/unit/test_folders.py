"""Deck folders a user can rely on: the setting, missing folders, shipped
decks hidden or replaced, and the copy made instead of editing the package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import cuecards.paths as paths
from cuecards.deckfiles import discover
from cuecards.decklint import lint_paths
from cuecards.errors import CuecardsError
from cuecards.paths import DeckFolder, Paths, copy_shipped_deck, deck_folders
from cuecards.session import Service
from tests.conftest import SAMPLE_CARDS, FixedClock, MakeDeck


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_deck: MakeDeck) -> Path:
    """A stand-in for the shipped decks: ``pm/basics`` (SAMPLE_CARDS)."""
    folder = tmp_path / "shipped"
    make_deck("pm/basics", SAMPLE_CARDS, title="Shipped basics", root=folder)
    monkeypatch.setattr(paths, "shipped_decks_dir", lambda: folder)
    return folder


@pytest.fixture
def svc(tmp_home: Path, clock: FixedClock, shipped: Path) -> Iterator[Service]:
    """A service over the shipped stand-in only; UTC days, no fuzz."""
    s = Service.open(Paths.resolve(home=tmp_home, decks=[]), clock=clock)
    s.set_setting("timezone", "UTC")
    s.set_setting("fuzz", False)
    yield s
    s.close()


def live(svc: Service) -> dict[str, Any]:
    found = svc.store._conn.execute("SELECT uid, id, reps FROM cards WHERE retired = 0")
    return {r["uid"]: (r["id"], r["reps"]) for r in found}


def rate(svc: Service, uid: str) -> None:
    s = svc.start_session(uids=[uid])
    assert s.next_card() is not None
    s.rate(uid, 3, 1000)


def test_deck_folders_setting_is_read_at_every_sync(
    svc: Service, tmp_path: Path, make_deck: MakeDeck
) -> None:
    svc.sync()
    mine = tmp_path / "mine"
    make_deck("own", [{"id": "a", "front": "Q", "back": "A"}], root=mine)
    svc.set_setting("deck_folders", [str(mine)])
    report = svc.sync()
    assert report.added == 1 and "own/a" in live(svc)


def test_a_missing_folder_is_a_warning_and_retires_nothing(
    svc: Service, tmp_path: Path, make_deck: MakeDeck
) -> None:
    mine = tmp_path / "mine"
    make_deck("own", [{"id": "a", "front": "Q", "back": "A"}], root=mine)
    svc.set_setting("deck_folders", [str(mine)])
    svc.sync()
    moved = tmp_path / "unplugged"
    mine.rename(moved)
    report = svc.sync()
    assert report.retired == 0 and "own/a" in live(svc)
    assert report.notes == (f"deck folder {mine} is missing: its decks are kept as they were",)
    moved.rename(mine)
    (mine / "own.yaml").unlink()
    assert svc.sync().retired == 1  # gone from a folder that is present: retired


def test_a_run_without_a_folder_leaves_its_decks_alone(
    tmp_home: Path, clock: FixedClock, shipped: Path, tmp_path: Path, make_deck: MakeDeck
) -> None:
    mine = tmp_path / "mine"
    make_deck("own", [{"id": "a", "front": "Q", "back": "A"}], root=mine)
    with_it = Service.open(Paths.resolve(home=tmp_home, decks=[mine]), clock=clock)
    with_it.sync()
    with_it.close()
    without = Service.open(Paths.resolve(home=tmp_home, decks=[]), clock=clock)
    try:
        report = without.sync()
        assert report.retired == 0 and "own/a" in live(without)
    finally:
        without.close()


def test_a_user_deck_replaces_the_shipped_one_with_its_history(
    svc: Service, shipped: Path, tmp_path: Path
) -> None:
    svc.sync()
    rate(svc, "pm/basics/capital-fr")
    before = live(svc)["pm/basics/capital-fr"]
    mine = tmp_path / "mine"
    svc.set_setting("deck_folders", [str(mine)])
    copy = copy_shipped_deck(shipped / "pm" / "basics.yaml", svc_folders(svc))
    assert copy == mine.resolve() / "pm" / "basics.yaml"
    copy.write_text(copy.read_text().replace("Shipped basics", "My basics"))
    report = svc.sync()
    assert report.notes == (f"pm/basics: your deck {copy} replaces the shipped one",)
    assert live(svc)["pm/basics/capital-fr"] == before
    assert report.added == 0 and report.retired == 0
    title = svc.store._conn.execute("SELECT title, path FROM decks WHERE id = 'pm/basics'")
    assert tuple(title.fetchone()) == ("My basics", str(copy))


def svc_folders(svc: Service) -> list[DeckFolder]:
    from cuecards.sync import folders_for

    return folders_for(svc.store, svc.paths.deck_dirs)


def test_copy_needs_a_user_folder_and_a_shipped_deck(shipped: Path, tmp_path: Path) -> None:
    only_shipped = deck_folders([shipped])
    with pytest.raises(CuecardsError, match="no deck folder of your own"):
        copy_shipped_deck(shipped / "pm" / "basics.yaml", only_shipped)
    spare = copy_shipped_deck(shipped / "pm" / "basics.yaml", only_shipped, tmp_path / "spare")
    assert spare == tmp_path / "spare" / "pm" / "basics.yaml" and spare.is_file()
    folders = deck_folders([shipped], [str(tmp_path / "mine")])
    with pytest.raises(CuecardsError, match="not a shipped deck"):
        copy_shipped_deck(tmp_path / "elsewhere.yaml", folders)
    first = copy_shipped_deck(shipped / "pm" / "basics.yaml", folders)
    first.write_text("edited")
    assert copy_shipped_deck(shipped / "pm" / "basics.yaml", folders) == first
    assert first.read_text() == "edited"  # an existing copy is never overwritten
    assert "Shipped basics" in (shipped / "pm" / "basics.yaml").read_text()


def test_hiding_the_shipped_decks_retires_them_and_showing_brings_them_back(
    svc: Service,
) -> None:
    svc.sync()
    rate(svc, "pm/basics/capital-fr")
    before = live(svc)["pm/basics/capital-fr"]
    svc.set_setting("show_shipped_decks", False)
    assert svc.sync().retired == 7 and live(svc) == {}
    svc.set_setting("show_shipped_decks", True)
    report = svc.sync()
    assert report.restored == 7 and live(svc)["pm/basics/capital-fr"] == before


def test_lint_and_sync_find_the_same_files_and_ids(tmp_path: Path, make_deck: MakeDeck) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for root in (one, two):
        make_deck("pm/a", [{"id": "a", "front": "Q", "back": "A"}], root=root)
    make_deck("z", [{"id": "z", "front": "Q", "back": "A"}], root=one)
    (one / "pm" / "b.yml").write_text("title: B\ncards: []\n")
    (one / ".hidden").mkdir()
    (one / ".hidden" / "c.yaml").write_text("title: C\ncards: []\n")
    folders = deck_folders([one, two])
    found = discover(folders)
    assert [(f.deck_id, f.root) for f in found.files] == [
        ("pm/a", one.resolve()),
        ("pm/b", one.resolve()),
        ("z", one.resolve()),
    ]
    problems, checked = lint_paths([], folders)
    assert checked == 4  # the three decks and the clashing copy
    clash = [p for p in problems if "also used by" in p.message]
    assert [p.path for p in clash] == [str(two.resolve() / "pm" / "a.yaml")]
    assert [(f.path, p.message) for f, p in found.clashes] == [
        (Path(clash[0].path), clash[0].message)
    ]
