"""The daily backup at open, restore, and "another copy is open"."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from cuecards.errors import StoreError
from cuecards.paths import Paths
from cuecards.service import Service
from cuecards.storage.backup import KEEP_DAILY, dailies
from tests.conftest import FixedClock


def _paths(home: Path, decks: Path) -> Paths:
    return Paths.resolve(home=home, decks=[decks], include_shipped=False)


def _rate_one(svc: Service) -> None:
    s = svc.start_session()
    card = s.next_card()
    assert card is not None
    s.rate(card.item.uid, 3, 1000)


def _reviews(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        n: int = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        return n
    finally:
        conn.close()


def test_first_open_of_a_study_day_backs_up_once_and_keeps_seven(
    service: Service, tmp_home: Path, deck_dir: Path, clock: FixedClock
) -> None:
    db = tmp_home / "cuecards.db"
    service.verify()
    assert dailies(db) == []  # nothing reviewed yet: nothing worth a copy
    _rate_one(service)
    service.close()
    with Service.open(_paths(tmp_home, deck_dir), clock=clock) as svc:
        svc.verify()
    first = dailies(db)
    assert [p.name for p in first] == ["cuecards-20250310-daily.db"]
    assert _reviews(first[0]) == 1
    with Service.open(_paths(tmp_home, deck_dir), clock=clock) as svc:
        _rate_one(svc)
    assert dailies(db) == first and _reviews(first[0]) == 1  # once per day
    for _ in range(9):
        clock.advance(days=1)
        with Service.open(_paths(tmp_home, deck_dir), clock=clock) as svc:
            _rate_one(svc)
    kept = dailies(db)
    assert len(kept) == KEEP_DAILY
    assert kept[0].name == "cuecards-20250313-daily.db"  # the oldest three went
    assert kept[-1].name == "cuecards-20250319-daily.db"
    assert _reviews(kept[-1]) == 1 + 1 + 8  # the copy made before day 10's rating
    assert not [p for p in (tmp_home / "backups").iterdir() if p.name.endswith(".tmp")]


def _damage_reviews(db: Path) -> None:
    conn = sqlite3.connect(db)
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = 'reviews'")]
    conn.close()
    with db.open("r+b") as f:
        for p in pages:
            f.seek((p - 1) * 4096)
            f.write(b"\x5a" * 4096)


def test_a_damaged_file_is_not_backed_up_and_refuses_every_write(
    service: Service, tmp_home: Path, deck_dir: Path, clock: FixedClock
) -> None:
    db = tmp_home / "cuecards.db"
    for _ in range(3):
        _rate_one(service)
    service.close()
    _damage_reviews(db)  # the reviews table only: settings still read fine
    before = db.read_bytes()
    svc = Service.open(_paths(tmp_home, deck_dir), clock=clock)
    try:
        with pytest.raises(StoreError, match="damaged"):
            svc.set_setting("new_per_day", 3)
        with pytest.raises(StoreError, match="damaged"):
            svc.verify()
    finally:
        svc.close()
    assert db.read_bytes() == before
    assert dailies(db) == []


def test_restore_puts_a_backup_back_after_backing_up_the_current_file(
    service: Service, tmp_home: Path, deck_dir: Path, clock: FixedClock, tmp_path: Path
) -> None:
    from cuecards.cli import main

    db = tmp_home / "cuecards.db"
    _rate_one(service)
    copy = service.backup(tmp_path / "one-review.db")
    for _ in range(3):
        _rate_one(service)
    service.close()
    with pytest.raises(SystemExit) as e:
        main(["--home", str(tmp_home), "restore", str(copy)])
    assert e.value.code == 0
    assert _reviews(db) == 1
    saved = [p for p in (tmp_home / "backups").iterdir() if "before-restore" in p.name]
    assert len(saved) == 1 and _reviews(saved[0]) == 4
    with Service.open(_paths(tmp_home, deck_dir), clock=clock) as svc:
        assert svc.check().integrity == []


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "empty (0 bytes)"),
        (b"hello\n" * 100, "damaged or is not a cuecards database"),
        ("foreign", "not a cuecards database"),
        ("newer", "newer cuecards"),
    ],
)
def test_restore_refuses_what_this_version_cannot_read(
    service: Service,
    tmp_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: Any,
    says: str,
) -> None:
    from cuecards.cli import main

    _rate_one(service)
    service.close()
    db = tmp_home / "cuecards.db"
    before = db.read_bytes()
    bad = tmp_path / "bad.db"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE photos (id INTEGER)")
        if content == "newer":
            for t in ("cards", "reviews", "settings"):
                conn.execute(f"CREATE TABLE {t} (id INTEGER)")
            conn.execute("PRAGMA user_version=99")
        else:
            conn.execute("PRAGMA user_version=1")
        conn.commit()
        conn.close()
    with pytest.raises(SystemExit) as e:
        main(["--home", str(tmp_home), "restore", str(bad)])
    err = capsys.readouterr().err
    assert e.value.code == 1 and err.count("\n") == 1 and says in err, err
    assert db.read_bytes() == before
    assert not (tmp_home / "backups").exists() or not [
        p for p in (tmp_home / "backups").iterdir() if "before-restore" in p.name
    ]


# Opens the service and holds it until its standard input closes.
HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from cuecards.paths import Paths
    from cuecards.service import Service

    svc = Service.open(Paths.resolve(home=Path(sys.argv[1]), decks=[], include_shipped=False))
    print("open", flush=True)
    sys.stdin.read()
    svc.close()
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks")
def test_another_copy_open_is_seen_and_a_killed_one_is_not(
    service: Service, tmp_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cuecards.cli import main
    from cuecards.service.today import ANOTHER_COPY

    assert not service.other_copy_open()
    for how in ("close", "kill"):
        child = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(tmp_home)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "open"
        assert service.other_copy_open()
        assert service.other_copy_open()  # asking does not let go of our own hold
        assert service.home().sync_notes[0] == ANOTHER_COPY  # the home screen says so
        if how == "close":
            copy = service.backup(tmp_path / "copy.db")
            with pytest.raises(SystemExit) as e:
                main(["--home", str(tmp_home), "restore", str(copy)])
            assert e.value.code == 1
            assert "another copy of cuecards" in capsys.readouterr().err
            child.stdin.close()
        else:
            os.kill(child.pid, signal.SIGKILL)
            child.stdin.close()
        child.wait()
        child.stdout.close()
        assert not service.other_copy_open()
        assert ANOTHER_COPY not in service.home().sync_notes


def test_restore_over_a_damaged_database_keeps_its_bytes_in_backups(
    service: Service, tmp_home: Path, deck_dir: Path, clock: FixedClock, tmp_path: Path
) -> None:
    from cuecards.cli import main

    db = tmp_home / "cuecards.db"
    for _ in range(3):
        _rate_one(service)
    copy = service.backup(tmp_path / "good.db")
    service.close()
    _damage_reviews(db)
    damaged = db.read_bytes()
    with pytest.raises(SystemExit) as e:
        main(["--home", str(tmp_home), "restore", str(copy)])
    assert e.value.code == 0
    saved = [p for p in (tmp_home / "backups").iterdir() if "before-restore" in p.name]
    assert len(saved) == 1 and saved[0].read_bytes() == damaged
    with Service.open(_paths(tmp_home, deck_dir), clock=clock) as svc:
        report = svc.check()
    assert report.integrity == [] and report.reviews == 3
