"""The database guards, durability and the lean start-up path."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cuecards.errors import StoreError
from cuecards.storage import SCHEMA_VERSION, Store
from cuecards.storage.codec import NEW, STUDIED


def test_creates_database_and_folder(tmp_path: Path) -> None:
    db = tmp_path / "a" / "b" / "cuecards.db"
    s = Store.open(db)
    s.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"decks", "cards", "card_tags", "reviews", "settings"} <= names
    review_cols = {r[1] for r in conn.execute("PRAGMA table_info(reviews)")}
    # every fsrs ReviewLog field has a column (card_id, rating, datetime, duration)
    assert {
        "card_id",
        "rating",
        "reviewed_at",
        "duration_ms",
        "stability_before",
        "stability_after",
        "due_before",
        "due_after",
        "answer",
        "grade",
    } <= review_cols


def test_partial_indexes_use_the_queries_where_terms(tmp_path: Path) -> None:
    # The queue repeats these terms word for word so that SQLite uses the indexes.
    Store.open(tmp_path / "cuecards.db").close()
    conn = sqlite3.connect(tmp_path / "cuecards.db")
    sql = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
    conn.close()
    assert sql["ix_cards_sched"].endswith(f"WHERE {STUDIED}")
    assert sql["ix_cards_new"].endswith(f"WHERE {NEW}")
    assert "UNIQUE" in sql["ix_reviews_uid"]


def test_writes_are_durable_synchronous_full(tmp_path: Path) -> None:
    # FULL (2): a committed rating survives a power cut, not only a killed process.
    s = Store.open(tmp_path / "cuecards.db")
    try:
        assert s._conn.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        s.close()


def test_queue_query_uses_indexes_only(service: Any) -> None:
    st = service.store
    captured: list[tuple[str, Any]] = []
    real = st._q

    def spy(sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        captured.append((sql, params))
        rows: list[tuple[Any, ...]] = real(sql, params)
        return rows

    st._q = spy
    st.queue(service.today(), 10**10, 20, 200)
    st._q = real
    sql, params = captured[0]
    steps = [r[3] for r in st._conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    plan = " | ".join(steps)
    # every read of cards goes through an index (an ordered index walk that
    # stops at LIMIT is fine; a bare table scan or a sort is not)
    assert all("USING" in s for s in steps if "cards" in s), plan
    assert "TEMP B-TREE" not in plan, plan
    assert "ix_cards_sched" in plan and "ix_cards_new" in plan, plan


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "cuecards.db"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(StoreError, match="newer cuecards"):
        Store.open(db)
    assert db.read_bytes() == before


def test_garbage_file_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "cuecards.db"
    db.write_bytes(b"this is not a database at all\n" * 200)
    before = db.read_bytes()
    with pytest.raises(StoreError, match="damaged or is not a cuecards database"):
        Store.open(db)
    assert db.read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "cuecards.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE notes (x TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a cuecards database"):
        Store.open(db)
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]


def test_locked_database_gives_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "cuecards.db"
    s = Store.open(db, busy_timeout_ms=50)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="locked"):
            s.put_setting("new_per_day", 5)
    finally:
        other.execute("ROLLBACK")
        other.close()
    s.put_setting("new_per_day", 5)  # works again once the lock is gone
    assert s.settings() == {"new_per_day": 5}
    s.close()


def test_failed_write_rolls_back(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "cuecards.db")
    with pytest.raises(RuntimeError), s.write() as c:
        c.execute("INSERT INTO settings(key, value) VALUES ('x', '1')")
        raise RuntimeError("boom")
    assert s.settings() == {}
    s.close()


def test_settings_round_trip(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "cuecards.db")
    s.put_setting("learning_steps", ["1m", "5m"])
    s.put_setting("fuzz", False)
    s.put_setting("fuzz", None)
    assert s.settings() == {"learning_steps": ["1m", "5m"]}
    s.close()


LEAN_PATH = """
import sys
from cuecards.paths import Paths
from cuecards.service import Service
svc = Service.open(Paths.resolve(home=sys.argv[1], decks=[sys.argv[2]], include_shipped=False))
report = svc.sync()
assert report.skipped_unchanged == report.decks == 1, report
card = svc.start_session().next_card()
assert card is not None
heavy = [m for m in ("sqlalchemy", "sqlmodel", "yaml", "cuecards.storage.tables",
                     "cuecards.storage.migrate", "cuecards.loader") if m in sys.modules]
print(",".join(heavy) or "lean")
"""


def test_start_up_path_does_not_import_sqlalchemy_or_yaml(
    service: Any, tmp_home: Path, deck_dir: Path
) -> None:
    # the fixture created the database and synced the deck; a fresh process
    # now opens, syncs an unchanged folder and shows the first card
    service.close()
    out = subprocess.run(
        [sys.executable, "-c", LEAN_PATH, str(tmp_home), str(deck_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "lean", out.stdout + out.stderr


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from cuecards.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_config_command(tmp_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = ("--home", str(tmp_home))
    assert run_cli(capsys, *home, "config", "set", "learning_steps", "1m,5m")[0] == 0
    assert run_cli(capsys, *home, "config", "get", "learning_steps")[1].strip() == '["1m", "5m"]'
    code, out, _ = run_cli(capsys, *home, "config", "list")
    assert code == 0 and "* learning_steps" in out and "  new_per_day = 20" in out
    code, _, err = run_cli(capsys, *home, "config", "set", "desired_retention", "1.5")
    assert code == 2 and "desired_retention" in err and "Traceback" not in err
    code, _, err = run_cli(capsys, *home, "config", "get", "new_per_dya")
    assert code == 2 and "did you mean new_per_day" in err
    assert run_cli(capsys, *home, "config", "unset", "learning_steps")[0] == 0
    assert run_cli(capsys, *home, "config", "get", "learning_steps")[1].strip() == '["1m", "10m"]'
    assert run_cli(capsys, *home, "config", "path")[1].strip() == str(tmp_home / "cuecards.db")


def test_locate_and_damaged_database_message(
    tmp_home: Path, deck_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "--home", str(tmp_home), "--decks", str(deck_dir), "locate")
    assert code == 0 and str(tmp_home / "cuecards.db") in out and str(deck_dir) in out
    (tmp_home / "cuecards.db").write_bytes(b"garbage" * 1000)
    code, _, err = run_cli(capsys, "--home", str(tmp_home), "config", "list")
    assert code == 1 and "damaged" in err and "Traceback" not in err
