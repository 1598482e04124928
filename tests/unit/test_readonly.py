"""A database or data folder that cannot be written.

``stats`` and ``export`` still read it (opened read-only, without syncing,
with a note); a folder that cannot be made or written is named plainly.
Root ignores file permissions, so the chmod tests are skipped for root; the
others simulate the read-only case by opening with SQLite's ``mode=ro``.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cuecards.cli import cli
from cuecards.storage import ReadOnlyStoreError, Store

as_root = pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions"
)


@pytest.fixture
def studied(service: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The service fixture with two ratings; the CLI finds its decks (and no others)."""
    monkeypatch.setenv("CUECARDS_DECKS", str(tmp_path / "decks"))
    (tmp_path / "no-shipped").mkdir(exist_ok=True)  # an empty shipped folder
    monkeypatch.setattr("cuecards.paths.shipped_decks_dir", lambda: tmp_path / "no-shipped")
    s = service.start_session()
    for _ in range(2):
        v = s.next_card()
        assert v is not None
        s.rate(v.item.uid, 3, 1000)
    return service


def run(home: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def run_main(capsys: pytest.CaptureFixture[str], home: Path, *args: str) -> tuple[int, str]:
    """The real entry point (errors become a message); (exit code, stderr)."""
    from cuecards.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--home", str(home), *args])
    return int(exit_info.value.code or 0), capsys.readouterr().err


@pytest.fixture
def restore_modes(tmp_path: Path) -> Iterator[list[Path]]:
    """Paths whose mode a test changed; made writable again afterwards."""
    changed: list[Path] = []
    yield changed
    for p in changed:
        p.chmod(p.stat().st_mode | stat.S_IWUSR | stat.S_IXUSR)


def test_read_only_store_reads_and_refuses_writes(studied: Any, tmp_home: Path) -> None:
    store = Store.open(tmp_home / "cuecards.db", read_only=True)
    try:
        assert store.read_only and not store.writable()
        assert store.reviews_on(studied.today()) == 2
        with pytest.raises(ReadOnlyStoreError, match="read-only"):
            store.put_setting("new_per_day", 5)
    finally:
        store.close()
    assert studied.store.writable()


def test_read_only_store_needs_an_existing_database(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="no database"):
        Store.open(tmp_path / "none" / "cuecards.db", read_only=True)
    assert not (tmp_path / "none").exists()  # nothing was created


def _deny_writing(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Make every read-write open of the database fail as in a read-only folder."""
    real = Store.open.__func__  # type: ignore[attr-defined]

    def open_(
        cls: type[Store], path: Path, busy_timeout_ms: int = 5000, read_only: bool = False
    ) -> Store:
        if not read_only:
            raise ReadOnlyStoreError(
                f"cannot write to the data folder {home}: permission denied; use --home DIR"
            )
        store: Store = real(cls, path, busy_timeout_ms, read_only=True)
        return store

    monkeypatch.setattr(Store, "open", classmethod(open_))


def test_stats_and_export_read_a_database_they_cannot_write(
    studied: Any, tmp_home: Path, tmp_path: Path, make_deck: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_deck(
        "basics",
        [{"id": "capital-fr", "front": "Capital of France?", "back": "Paris"}],
        title="Basics",
    )  # a sync would retire cards
    _deny_writing(monkeypatch, tmp_home)
    r = run(tmp_home, "stats", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["totals"]["reviews"] == 2
    assert json.loads(r.stdout)["states"]["retired"] == 0  # not synced
    note = r.stderr.strip()
    assert note.count("\n") == 0 and "is read-only" in note and "not synced" in note
    out = tmp_path / "out.csv"
    r = run(tmp_home, "export", "-f", "csv", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert len(out.read_text().splitlines()) == 3  # header and two reviews


def test_stats_skips_the_sync_when_the_database_reads_only(
    studied: Any, tmp_home: Path, make_deck: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_deck(
        "basics",
        [{"id": "capital-fr", "front": "Capital of France?", "back": "Paris"}],
        title="Basics",
    )
    monkeypatch.setattr(Store, "writable", lambda self: False)  # noqa: ARG005
    r = run(tmp_home, "stats", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["states"]["retired"] == 0
    assert "is read-only (file or folder); deck folders not synced" in r.stderr


def test_folder_that_cannot_be_created_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "locked" / "home"

    def refuse(self: Path, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    code, err = run_main(capsys, home, "stats")
    assert code == 1
    assert err.strip() == (
        f"cuecards: database error: cannot write to the data folder "
        f"{home}: permission denied; use --home DIR"
    )


@as_root
def test_chmod_read_only_database(studied: Any, tmp_home: Path, restore_modes: list[Path]) -> None:
    studied.close()
    db = tmp_home / "cuecards.db"
    db.chmod(0o444)
    restore_modes.append(db)
    r = run(tmp_home, "stats", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["totals"]["reviews"] == 2
    assert "read-only" in r.stderr


@as_root
def test_chmod_read_only_home(
    studied: Any,
    tmp_home: Path,
    tmp_path: Path,
    restore_modes: list[Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    studied.close()
    tmp_home.chmod(0o555)
    restore_modes.append(tmp_home)
    r = run(tmp_home, "export", "-f", "json", "-o", "-")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["summary"]["totals"]["reviews"] == 2
    assert "is read-only (file or folder); deck folders not synced" in r.stderr
    fresh = tmp_path / "ro"
    fresh.mkdir()
    fresh.chmod(0o555)
    restore_modes.append(fresh)
    for home in (fresh, fresh / "sub"):
        code, err = run_main(capsys, home, "stats")
        assert code == 1
        assert (
            f"cannot write to the data folder {home}: permission denied; use --home DIR" in err
            and "unable to open" not in err
        )
