"""`e` on a shipped deck: the service copies it into the user's deck folder
(adding the data folder's ``decks/`` to the setting when there is none), and
the copy replaces the shipped deck with its history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import cuecards.paths as paths
from cuecards.errors import UsageError
from cuecards.paths import Paths
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
    s = Service.open(Paths.resolve(home=tmp_home, decks=[]), clock=clock)
    s.set_setting("timezone", "UTC")
    s.set_setting("fuzz", False)
    s.sync()
    yield s
    s.close()


def reps(svc: Service, uid: str) -> int:
    row = svc.store._conn.execute("SELECT reps FROM cards WHERE uid = ?", (uid,)).fetchone()
    return int(row[0])


def rate(svc: Service, uid: str) -> None:
    s = svc.start_session(uids=[uid])
    assert s.next_card() is not None
    s.rate(uid, 3, 1000)


def test_the_copy_goes_to_the_data_folder_and_is_read_at_the_next_start(
    svc: Service, shipped: Path, tmp_home: Path, clock: FixedClock
) -> None:
    rate(svc, "pm/basics/capital-fr")
    assert svc.is_shipped("pm/basics")
    copy, report = svc.own_copy("pm/basics")
    assert copy == (tmp_home / "decks" / "pm" / "basics.yaml").resolve()
    assert copy.read_bytes() == (shipped / "pm" / "basics.yaml").read_bytes()
    assert svc.settings().deck_folders == [str((tmp_home / "decks").resolve())]
    assert report.added == 0 and report.retired == 0
    assert any("replaces the shipped one" in n for n in report.notes)
    assert svc.deck_file("pm/basics") == copy and not svc.is_shipped("pm/basics")
    assert reps(svc, "pm/basics/capital-fr") == 1
    svc.close()
    # The next start, without --decks, reads the copy (the setting names it).
    again = Service.open(Paths.resolve(home=tmp_home, decks=[]), clock=clock)
    try:
        again.sync()
        assert again.deck_file("pm/basics") == copy
        assert reps(again, "pm/basics/capital-fr") == 1
    finally:
        again.close()


def test_the_copy_goes_to_the_first_folder_of_the_users(
    svc: Service, tmp_path: Path, make_deck: MakeDeck
) -> None:
    mine = tmp_path / "mine"
    make_deck("own", [{"id": "a", "front": "Q", "back": "A"}], root=mine)
    svc.set_setting("deck_folders", [str(mine)])
    svc.sync()
    copy, _report = svc.own_copy("pm/basics")
    assert copy == mine.resolve() / "pm" / "basics.yaml"
    assert svc.settings().deck_folders == [str(mine)]  # nothing added
    with pytest.raises(UsageError, match="not a shipped deck"):
        svc.own_copy("own")
    with pytest.raises(UsageError, match="no file"):
        svc.own_copy("nope")


def test_adding_a_deck_folder_is_once(svc: Service, tmp_path: Path, shipped: Path) -> None:
    assert svc.add_deck_folder(tmp_path / "a")
    assert not svc.add_deck_folder(tmp_path / "a")
    assert not svc.add_deck_folder(shipped)
    assert svc.settings().deck_folders == [str((tmp_path / "a").resolve())]


def test_the_last_sync_notes_reach_the_home_summary(
    svc: Service, tmp_path: Path, make_deck: MakeDeck
) -> None:
    gone = [str(tmp_path / f"gone{i}") for i in range(5)]
    svc.set_setting("deck_folders", gone)
    report = svc.sync()
    assert len(report.notes) == 5
    notes = svc.home().sync_notes
    assert notes[0] == f"deck folder {gone[0]} is missing: its decks are kept as they were"
    assert len(notes) == 3 and notes[-1] == "and 3 more"
    svc.set_setting("deck_folders", [])
    svc.sync()
    assert svc.home().sync_notes == ()
