"""Deck folders from the command line: ``config set deck_folders`` takes plain
paths, ``locate`` lists every folder a run reads, ``import`` without a folder
adds the data folder's ``decks/`` to the setting, and the commands that sync
say the sync's notes on standard error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cuecards.config import parse_value
from cuecards.paths import Paths
from cuecards.session import Service


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from cuecards.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("~/decks", ["~/decks"]),
        ("/a/b", ["/a/b"]),
        (f"/a{os.pathsep}/b c/d", ["/a", "/b c/d"]),
        ("/a, /b", ["/a", "/b"]),
        ('["/a", "/b,c"]', ["/a", "/b,c"]),
        ('"/a"', ["/a"]),
        ("[]", []),
    ],
)
def test_deck_folders_take_plain_paths(raw: str, expected: list[str]) -> None:
    assert parse_value("deck_folders", raw) == expected


def test_config_set_and_locate_list_the_folders(
    tmp_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine, gone, extra = tmp_path / "mine", tmp_path / "gone", tmp_path / "extra"
    mine.mkdir()
    extra.mkdir()
    home = ("--home", str(tmp_home))
    code, out, err = run_cli(
        capsys, *home, "config", "set", "deck_folders", f"{mine}{os.pathsep}{gone}"
    )
    assert code == 0, err
    _, out, _ = run_cli(capsys, *home, "config", "get", "deck_folders")
    assert json.loads(out) == [str(mine), str(gone)]
    code, out, _ = run_cli(capsys, *home, "--decks", str(extra), "locate")
    assert code == 0
    lines = out.splitlines()
    assert any(line.endswith(f"{mine.resolve()}  (deck_folders setting)") for line in lines)
    assert any(
        line.endswith(f"{gone.resolve()}  (deck_folders setting, missing)") for line in lines
    )
    assert any(line.endswith(f"{extra.resolve()}  (this run)") for line in lines)
    assert any("(shipped)" in line for line in lines)


def test_import_without_a_folder_adds_the_data_folders_decks(
    tmp_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "words.csv"
    table.write_text("front,back\nhello,bonjour\n", "utf-8")
    home = ("--home", str(tmp_home))
    code, out, err = run_cli(capsys, *home, "import", str(table))
    assert code == 0, err
    decks = tmp_home / "decks"
    assert (decks / "words.yaml").is_file()
    assert f"into {decks}" in out
    assert "added that folder to the deck_folders setting" in out
    # The next start, without --decks, loads the imported deck.
    with Service.open(Paths.resolve(home=tmp_home)) as svc:
        assert svc.settings().deck_folders == [str(decks.resolve())]
        svc.sync()
        assert svc.deck_file("words") == (decks / "words.yaml").resolve()
    # A second import goes to the same folder and adds nothing.
    other = tmp_path / "more.csv"
    other.write_text("front,back\nyes,oui\n", "utf-8")
    code, out, _ = run_cli(capsys, *home, "import", str(other))
    assert code == 0 and f"into {decks.resolve()}" in out and "added" not in out
    assert (decks / "more.yaml").is_file()


def test_import_with_a_run_folder_says_how_to_keep_it(
    tmp_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "words.csv"
    table.write_text("front,back\nhello,bonjour\n", "utf-8")
    run = tmp_path / "run"
    code, out, _ = run_cli(
        capsys, "--home", str(tmp_home), "--decks", str(run), "import", str(table)
    )
    assert code == 0 and (run / "words.yaml").is_file()
    assert f"cuecards config set deck_folders {run.resolve()} " in out
    with Service.open(Paths.resolve(home=tmp_home)) as svc:
        assert svc.settings().deck_folders == []


def test_the_hint_to_keep_a_run_folder_names_every_folder_as_set_replaces_them(
    tmp_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "words.csv"
    table.write_text("front,back\nhello,bonjour\n", "utf-8")
    kept, run = tmp_path / "kept", tmp_path / "run"
    kept.mkdir()
    home = ("--home", str(tmp_home))
    assert run_cli(capsys, *home, "config", "set", "deck_folders", str(kept))[0] == 0
    code, out, _ = run_cli(capsys, *home, "--decks", str(run), "import", str(table))
    assert code == 0
    line = next(x for x in out.splitlines() if "config set deck_folders" in x)
    typed = line.split("config set deck_folders ", 1)[1].split(" ", 1)[0]
    assert parse_value("deck_folders", typed) == [str(kept.resolve()), str(run.resolve())]


def test_import_add_folder_adds_the_run_folder_to_the_setting(
    tmp_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "words.csv"
    table.write_text("front,back\nhello,bonjour\n", "utf-8")
    run = tmp_path / "run"
    argv = ("--home", str(tmp_home), "--decks", str(run), "import", "--add-folder", str(table))
    code, out, _ = run_cli(capsys, *argv)
    assert code == 0 and "added that folder to the deck_folders setting" in out
    assert "config set" not in out
    with Service.open(Paths.resolve(home=tmp_home)) as svc:
        assert svc.settings().deck_folders == [str(run.resolve())]


def test_commands_that_sync_say_its_notes_on_stderr(
    tmp_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = ("--home", str(tmp_home))
    gone = [str(tmp_path / f"gone{i}") for i in range(4)]
    assert run_cli(capsys, *home, "config", "set", "deck_folders", json.dumps(gone))[0] == 0
    code, out, err = run_cli(capsys, *home, "stats")
    assert code == 0
    lines = err.splitlines()
    assert lines[0] == (
        f"cuecards: note: deck folder {gone[0]} is missing: its decks are kept as they were"
    )
    assert lines[2] == "cuecards: note: and 2 more" and len(lines) == 3
    assert "missing" not in out
