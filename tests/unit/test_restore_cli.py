"""``cuecards restore FILE`` of a FILE that cannot be read speaks of FILE as a
backup that cannot be used, not with the advice given for the database."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cuecards.cli import main


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty (0 bytes), not a cuecards database"),
        (bytes(range(256)) * 40, "is damaged or is not a cuecards database"),
    ],
    ids=["empty", "not sqlite"],
)
def test_an_unreadable_backup_is_refused_as_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, says: str
) -> None:
    garbage = tmp_path / "garb.db"
    garbage.write_bytes(content)
    home = tmp_path / "home"
    with pytest.raises(SystemExit) as e:
        main(["--home", str(home), "restore", str(garbage)])
    assert e.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"cuecards: database error: {garbage} {says}: it cannot be used as a backup; "
        "nothing was restored"
    ]
    assert "afresh" not in err[0] and "move" not in err[0]
    assert hashlib.sha256(garbage.read_bytes()).digest() == hashlib.sha256(content).digest()
    assert not (home / "cuecards.db").exists()
