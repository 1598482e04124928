"""The damaged-database matrix: every case × every command.

Each case turns a real database with history into something cuecards must
not trust (a few damaged pages, zero bytes, someone else's SQLite file, a
file that is not a database, a newer schema, a read-only file, a write lock
held by another connection, a write-ahead log deleted after a kill). Each
command then runs through the real entry point. Outside the benign cells
(``lint`` needs no database: it skips the alias checks against a damaged
one; ``stats`` and ``export`` read a read-only file), it must exit non-zero
with exactly one line on standard error, no traceback, leave the file's
bytes as they were and write nothing (no output file, no backup), with nothing
on standard output before the refusal.

    pytest tests/unit/test_damaged_db.py -s     # prints the matrix
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from cuecards.errors import CuecardsError
from cuecards.paths import Paths
from cuecards.service import Service

CASES = [
    "damaged pages",
    "damaged reviews",
    "zero-length",
    "foreign sqlite",
    "not a database",
    "newer schema",
    "read-only file",
    "write-locked",
    "wal deleted",
]
COMMANDS: dict[str, list[str]] = {
    "stats": ["stats"],
    "export csv": ["export", "-f", "csv", "-o", "{out}/x.csv"],
    "export json": ["export", "-f", "json", "-o", "{out}/x.json"],
    "config set": ["config", "set", "new_per_day", "15"],
    "config list": ["config", "list"],
    "check": ["check"],
    "lint": ["lint", "{decks}"],
    "review": [],  # the app's start through the service, without the UI
    "suspended": ["suspended"],
    "export apkg": ["export", "-f", "apkg", "-o", "{out}/x.apkg"],
    "backup file": ["backup", "{out}/copy.db"],
    "backup": ["backup"],
}
#: (case, command) cells that succeed: reading a read-only file, and lint
BENIGN = {("read-only file", c) for c in ("stats", "export csv", "export json", "export apkg")} | {
    (case, "lint") for case in CASES
}
#: what the single message line says, per case
SAYS = {
    "damaged pages": "damaged",
    "damaged reviews": "damaged",
    "zero-length": "empty (0 bytes)",
    "foreign sqlite": "not a cuecards database",
    "not a database": "damaged or is not a cuecards database",
    "newer schema": "newer cuecards",
    "read-only file": "read-only",
    "write-locked": "locked",
    "wal deleted": "-wal) is missing",
}


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A database with history (120 cards, 240 reviews), closed cleanly; and its decks."""
    root = tmp_path_factory.mktemp("template")
    decks, home = root / "decks", root / "home"
    decks.mkdir()
    cards = [{"id": f"c{i}", "front": f"Question {i} " * 8, "back": f"A{i}"} for i in range(120)]
    (decks / "big.yaml").write_text(yaml.safe_dump({"title": "Big", "cards": cards}))
    paths = Paths.resolve(home=home, decks=[decks], include_shipped=False)
    with Service.open(paths) as svc:
        svc.sync()
        for _ in range(2):
            s = svc.start_session(uids=[f"big/c{i}" for i in range(120)])
            while (card := s.next_card()) is not None:
                s.rate(card.item.uid, 3, 1000)
    assert not Path(f"{home}/cuecards.db-wal").exists()
    return home / "cuecards.db", decks


def _immutable(path: Path, on: bool) -> bool:
    """Make ``path`` unwritable even for root (chattr), or by mode otherwise."""
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        path.chmod(0o444 if on else 0o644)
        return True
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True)
    return done.returncode == 0


def _damage_pages(db: Path) -> None:
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    n = len(data) // page
    for p in (n // 3, n // 2, 2 * n // 3):  # three pages in the middle
        data[p * page : (p + 1) * page] = b"\xa5" * page
    db.write_bytes(bytes(data))


def _damage_reviews(db: Path) -> None:
    """Two leaf pages of the reviews table: settings, cards and decks read fine."""
    conn = sqlite3.connect(db)
    pages = [
        r[0]
        for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'reviews' AND pagetype = 'leaf' ORDER BY 1"
        )
    ]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert len(pages) >= 4
    with db.open("r+b") as f:
        for p in (pages[1], pages[len(pages) // 2]):
            f.seek((p - 1) * size)
            f.write(b"\x5a" * size)


def _wal_deleted(template: Path, db: Path) -> None:
    """The files a killed copy leaves (its log not yet in the database), with
    the ``-wal`` file then deleted."""
    work = db.parent / "work"
    work.mkdir()
    shutil.copy(template, work / db.name)
    conn = sqlite3.connect(work / db.name, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE cards SET due = due + 1")
    shutil.copy(work / db.name, db)
    shutil.copy(f"{work / db.name}-shm", f"{db}-shm")
    conn.close()
    shutil.rmtree(work)


@pytest.fixture
def case_home(
    request: pytest.FixtureRequest, template: tuple[Path, Path], tmp_path: Path
) -> Iterator[tuple[Path, Path]]:
    """A data folder whose database is the case's; and the decks folder."""
    case: str = request.param
    home = tmp_path / "home"
    home.mkdir()
    db = home / "cuecards.db"
    src, decks = template
    holder: sqlite3.Connection | None = None
    if case == "zero-length":
        db.write_bytes(b"")
    elif case == "not a database":
        db.write_text("title: not a database\n" * 200)
    elif case == "foreign sqlite":
        other = sqlite3.connect(db)
        other.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        other.execute("INSERT INTO photos (name) VALUES ('beach.jpg')")
        other.commit()
        other.close()
    elif case == "wal deleted":
        _wal_deleted(src, db)
    else:
        shutil.copy(src, db)
    if case == "damaged pages":
        _damage_pages(db)
    elif case == "damaged reviews":
        _damage_reviews(db)
    elif case == "newer schema":
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA user_version=99")
        conn.close()
    elif case == "read-only file" and not _immutable(db, True):
        pytest.skip("cannot make a file read-only here")
    elif case == "write-locked":
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE settings SET value = value")
    yield home, decks
    if holder is not None:
        holder.execute("ROLLBACK")
        holder.close()
    if case == "read-only file":
        _immutable(db, False)


def _review(paths: Paths) -> None:
    """What the app does before and at its first card, without the UI."""
    with Service.open(paths) as svc:
        svc.sync()
        session = svc.start_session()
        session.next_card()


def left_behind(home: Path, out: Path) -> list[str]:
    """Files a command wrote: in the output folder, and backups in the data folder."""
    made = [p.name for p in out.iterdir() if p.is_file()] if out.is_dir() else []
    backups = home / "backups"
    return made + ([f"backups/{p.name}" for p in backups.iterdir()] if backups.is_dir() else [])


def run(home: Path, decks: Path, out: Path, command: str) -> Outcome:
    """One command through the real entry point (or the service, for review)."""
    from cuecards.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(stdout), redirect_stderr(stderr):
        if command == "review":
            try:
                _review(Paths.resolve(home=home, decks=[decks], include_shipped=False))
            except CuecardsError as e:
                print(f"cuecards: {e.title}: {e.msg}", file=stderr)
                code = e.exit_code
        else:
            argv = [a.format(out=out, decks=decks) for a in COMMANDS[command]]
            try:
                main(["--home", str(home), "--decks", str(decks), *argv])
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 1
    return Outcome(code, stdout.getvalue(), stderr.getvalue())


ROWS: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Waiting 5 s for each locked command would only slow the matrix down.
    monkeypatch.setattr("cuecards.storage.connection.BUSY_TIMEOUT_MS", 200)
    (tmp_path / "no-shipped").mkdir(exist_ok=True)  # an empty shipped folder
    monkeypatch.setattr("cuecards.paths.shipped_decks_dir", lambda: tmp_path / "no-shipped")


@pytest.mark.parametrize("case_home", CASES, indirect=True)
def test_every_command_refuses_the_case_in_one_line_and_leaves_the_file(
    case_home: tuple[Path, Path], request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    case: str = request.node.callspec.params["case_home"]
    home, decks = case_home
    db = home / "cuecards.db"
    cells: list[str] = []
    failures: list[str] = []
    out = tmp_path / "out"
    for command in COMMANDS:
        before = sha(db)
        out.mkdir()
        got = run(home, decks, out, command)
        unchanged = sha(db) == before
        written = left_behind(home, out)
        shutil.rmtree(out)
        lines = got.err.strip().splitlines()
        benign = (case, command) in BENIGN
        tb = "Traceback" in got.err + got.out
        if benign:
            ok = got.code == 0 and not tb and unchanged
        else:
            ok = (
                got.code != 0
                and len(lines) == 1
                and not got.out
                and lines[0].startswith("cuecards: ")
                and SAYS[case] in lines[0]
                and not tb
                and unchanged
                and not written
            )
        cells.append(f"{'ok ' if ok else 'BAD'}{got.code}{'' if unchanged else '*'}")
        if not ok:
            failures.append(
                f"{command}: exit {got.code}, unchanged={unchanged}, wrote={written}: {got.err!r}"
            )
    ROWS[case] = "  ".join(f"{c:<5}" for c in cells)
    print(f"\n{case:<16} " + ROWS[case], end="")
    assert not failures, "\n".join(failures)


def test_print_the_matrix_header() -> None:
    # (runs last in file order; the rows print as each case runs)
    header = "  ".join(f"{c[:5]:<5}" for c in COMMANDS)
    print(f"\n{'case':<16} {header}\n(cell: ok/BAD, exit code, * = file changed)", end="")


@pytest.mark.parametrize("case_home", ["read-only file"], indirect=True)
async def test_the_app_refuses_a_read_only_database_before_a_card_is_shown(
    case_home: tuple[Path, Path],
) -> None:
    from cuecards.storage import ReadOnlyStoreError
    from cuecards.ui.app import StartMode, make_app

    home, decks = case_home
    before = sha(home / "cuecards.db")
    app = make_app(
        Paths.resolve(home=home, decks=[decks], include_shipped=False),
        start=StartMode(screen="review"),
        live_timer=False,
    )
    shown = []
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            shown += [getattr(s, "card", None) for s in app.screen_stack]
            if app.startup_error is not None:
                break
            await pilot.pause(0.05)
    assert isinstance(app.startup_error, ReadOnlyStoreError)
    assert "read-only" in app.startup_error.msg
    assert [c for c in shown if c is not None] == []
    assert sha(home / "cuecards.db") == before


def test_an_interrupted_first_start_leaves_no_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cuecards.storage import Store

    def interrupted(path: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("cuecards.storage.migrate._create", interrupted)
    home = tmp_path / "home"
    with pytest.raises(KeyboardInterrupt):
        Store.open(home / "cuecards.db")
    assert sorted(p.name for p in home.iterdir()) == []  # no empty file to refuse next time
    monkeypatch.undo()
    Store.open(home / "cuecards.db").close()
    assert (home / "cuecards.db").stat().st_size > 0
