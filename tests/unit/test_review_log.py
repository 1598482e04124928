"""The review log is the truth: stable review ids, the replay, undo, check,
the v1 -> v2 migration, and a failed save that is never reported as saved."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from cuecards.errors import StoreError, UsageError
from cuecards.paths import Paths
from cuecards.scheduling.replay import replay, same_schedule
from cuecards.service import Service
from cuecards.storage import SCHEMA_VERSION
from cuecards.storage.cards import CardTx
from cuecards.storage.codec import ReviewEvent

V1 = Path(__file__).resolve().parents[1] / "data" / "v1.db"


def _db(svc: Service) -> sqlite3.Connection:
    return svc.store._conn


def _rate(svc: Service, uid: str, rating: int) -> None:
    s = svc.start_session(uids=[uid])
    assert s.next_card() is not None
    s.rate(uid, rating, 1500)


def _reviews(svc: Service, uid: str) -> list[ReviewEvent]:
    card_id = svc.store.card_id_of(uid)
    assert card_id is not None
    with svc.store.transaction() as tx:
        return tx.reviews(card_id)


def test_every_stored_state_is_the_replay_of_its_reviews(service: Service, clock: Any) -> None:
    uids = ["basics/hello", "basics/capital-fr", "basics/rule#c1"]
    for day in range(6):
        for i, uid in enumerate(uids):
            _rate(service, uid, (1, 2, 3, 4, 3, 3)[(day + i) % 6])
            clock.advance(minutes=7)
        clock.advance(days=1, hours=3)
    for uid in uids:
        stored = service.store.card_state(uid)
        assert stored is not None and stored.reps == 6
        again = replay(service.sched, stored.card_id, _reviews(service, uid))
        assert again == stored


def test_review_rows_have_distinct_uuids(service: Service) -> None:
    _rate(service, "basics/hello", 3)
    _rate(service, "basics/capital-fr", 1)
    uids = [r[0] for r in _db(service).execute("SELECT uid FROM reviews")]
    assert len(uids) == 2 and len(set(uids)) == 2
    assert all(len(u) == 36 and u.count("-") == 4 for u in uids)


def test_stored_after_columns_are_the_cards_new_state(service: Service) -> None:
    _rate(service, "basics/hello", 3)
    row = _db(service).execute("SELECT stability_after, difficulty_after FROM reviews").fetchone()
    state = service.store.card_state("basics/hello")
    assert state is not None and state.stability != state.difficulty
    assert (row[0], row[1]) == (state.stability, state.difficulty)


def test_undo_keeps_another_copys_rating(service: Service, clock: Any) -> None:
    other = Service.open(service.paths, clock=clock)
    try:
        a = service.start_session(uids=["basics/hello"])
        assert a.next_card() is not None
        a.rate("basics/hello", 3, 1000)  # A rates
        clock.advance(minutes=5)
        _rate(other, "basics/hello", 1)  # B rates the same card
        a.undo()  # A undoes its own rating only
        state = service.store.card_state("basics/hello")
        rows = _reviews(service, "basics/hello")
        assert state is not None and len(rows) == 1 and state.reps == 1
        assert rows[0].rating == 1  # B's review stays and counts
        assert same_schedule(state, replay(service.sched, state.card_id, rows))
        # B's row now follows a new card, not A's rating: its cached states
        # (what the CSV export and the stats read) are the replay's too.
        cached = (
            _db(service)
            .execute("SELECT reps_before, state_before, due_after, interval_days FROM reviews")
            .fetchall()
        )
        due = int(state.due.timestamp())
        at = int(rows[0].reviewed_at.timestamp())
        assert [tuple(r) for r in cached] == [(0, 1, due, pytest.approx((due - at) / 86400))]
    finally:
        other.close()


def test_a_rating_over_another_copys_says_so(service: Service, clock: Any) -> None:
    other = Service.open(service.paths, clock=clock)
    try:
        a = service.start_session(uids=["basics/hello"])
        b = other.start_session(uids=["basics/hello"])
        assert a.next_card() is not None and b.next_card() is not None
        first = a.rate("basics/hello", 3, 1000)
        clock.advance(minutes=5)
        second = b.rate("basics/hello", 3, 1000)  # queued before A's rating
        assert not first.rated_elsewhere and second.rated_elsewhere
    finally:
        other.close()


def test_check_finds_and_repairs_a_state_that_is_not_the_replay(
    service: Service, tmp_home: Path
) -> None:
    _rate(service, "basics/hello", 3)
    _rate(service, "basics/capital-fr", 4)
    assert service.check().ok
    _db(service).execute("UPDATE cards SET stability = stability * 2 WHERE uid = 'basics/hello'")
    report = service.check()
    bad = service.store.card_id_of("basics/hello")
    assert not report.ok and report.differ == [bad] and report.reviews == 2
    fixed = service.check(repair=True)
    assert fixed.repaired == 1 and fixed.backup is not None and Path(fixed.backup).is_file()
    assert Path(fixed.backup).parent == tmp_home / "backups"
    assert service.check().ok


def test_check_command(service: Service, tmp_home: Path, deck_dir: Path, capsys: Any) -> None:
    from cuecards.cli import main

    _rate(service, "basics/hello", 3)
    _db(service).execute("UPDATE cards SET reps = 5 WHERE uid = 'basics/hello'")
    service.close()

    def run(*extra: str) -> tuple[int, str]:
        with pytest.raises(SystemExit) as e:
            main(["--home", str(tmp_home), "--decks", str(deck_dir), "check", *extra])
        return int(e.value.code or 0), capsys.readouterr().out

    code, out = run()
    assert code == 1 and "1 card differ" in out
    code, out = run("--repair")
    assert code == 0 and "Rewrote 1 of 1" in out
    code, out = run()
    assert code == 0 and "Integrity: ok" in out


def test_a_failed_save_is_raised_stores_nothing_and_the_card_waits(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = service.start_session()
    view = s.next_card()
    assert view is not None
    before = service.store.card_state(view.item.uid)
    real = CardTx.save_rating

    def fail_after_writing(self: CardTx, review: Any) -> Any:
        real(self, review)  # the rows are written, then the commit never happens
        raise StoreError("the disk is full")

    monkeypatch.setattr(CardTx, "save_rating", fail_after_writing)
    with pytest.raises(StoreError):
        s.rate(view.item.uid, 3, 1000)
    assert _db(service).execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    assert service.store.card_state(view.item.uid) == before
    again = s.next_card()
    assert again is not None and again.item.uid == view.item.uid
    monkeypatch.setattr(CardTx, "save_rating", real)
    s.rate(view.item.uid, 3, 1000)
    assert _db(service).execute("SELECT count(*) FROM reviews").fetchone()[0] == 1


def test_home_and_stats_agree_on_the_streak_when_the_clock_goes_back(
    service: Service, clock: Any
) -> None:
    from cuecards.stats import gather

    for _ in range(3):
        _rate(service, "basics/hello", 3)
        clock.advance(days=1)
    clock.advance(days=-2)  # back to the second day of the three
    home = service.home().streak
    stats = gather(service.stats_context()).streak_current
    assert home == stats == 2


def test_a_bad_deck_is_a_usage_error_with_near_misses(service: Service) -> None:
    with pytest.raises(UsageError, match="decks are: basics"):
        service.start_session(deck="basiks")
    with pytest.raises(UsageError, match="decks are: basics"):
        service.check_scope("basiks", None)  # stats and export
    with pytest.raises(UsageError, match="no card has the tag 'nope'"):
        service.check_scope(None, "nope")
    service.check_scope("basics", None)
    assert service.start_session(deck="basics").next_card() is not None


def test_v1_database_migrates_after_a_backup(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(V1, home / "cuecards.db")
    raw = sqlite3.connect(home / "cuecards.db")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    n = raw.execute("SELECT count(*) FROM reviews").fetchone()[0]
    raw.close()
    svc = Service.open(Paths.resolve(home=home, decks=[], include_shipped=False))
    try:
        conn = _db(svc)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        uids = [r[0] for r in conn.execute("SELECT uid FROM reviews")]
        assert len(uids) == n > 0 and len(set(uids)) == n and None not in uids
        # the history as v1 wrote it is the replay of its rows
        report = svc.check()
        assert report.ok and report.reviews == n
    finally:
        svc.close()
    backups = list((home / "backups").glob("*before-v2.db"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT count(*) FROM reviews").fetchone()[0] == n
    old.close()


def test_undo_of_the_only_rating_leaves_a_new_card(service: Service) -> None:
    before = service.store.card_state("basics/hello")
    s = service.start_session(uids=["basics/hello"])
    assert s.next_card() is not None
    s.rate("basics/hello", 3, 1000)
    s.undo()
    assert service.store.card_state("basics/hello") == before  # due: when it was added
    assert _reviews(service, "basics/hello") == []


def test_backup_command_copies_the_database(
    service: Service, tmp_home: Path, tmp_path: Path, capsys: Any
) -> None:
    from cuecards.cli import main

    _rate(service, "basics/hello", 3)
    target = tmp_path / "copy.db"
    for argv in ([str(target)], []):
        with pytest.raises(SystemExit) as e:
            main(["--home", str(tmp_home), "backup", *argv])
        assert e.value.code == 0
    out = capsys.readouterr().out
    assert f"Wrote {target}" in out and str(tmp_home / "backups") in out
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    copy.close()
    with pytest.raises(SystemExit) as e:
        main(["--home", str(tmp_home), "backup", str(target)])
    assert e.value.code == 2  # never overwrites a file


@pytest.mark.parametrize(
    "argv", [["stats"], ["stats", "--json"], ["export", "-f", "csv", "-o", "-"], ["check"]]
)
def test_damaged_pages_give_one_message(
    service: Service, tmp_home: Path, deck_dir: Path, capsys: Any, argv: list[str]
) -> None:
    from cuecards.cli import main

    for uid in ("basics/hello", "basics/capital-fr", "basics/rule#c1"):
        _rate(service, uid, 3)
    service.close()
    db = tmp_home / "cuecards.db"
    page = 4096
    data = bytearray(db.read_bytes())
    for start in range(2 * page, len(data), page):  # every page after the schema's
        data[start + 8 : start + page] = b"\xa5" * (page - 8)
    db.write_bytes(bytes(data))
    with pytest.raises(SystemExit) as e:
        main(["--home", str(tmp_home), "--decks", str(deck_dir), *argv])
    err = capsys.readouterr().err
    assert e.value.code == 1, err
    assert err.startswith("cuecards: database error:") and err.count("\n") == 1, err
