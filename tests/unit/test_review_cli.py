"""``cuecards review --deck/--tag``: a scope that names nothing is refused
before the full-screen app starts, naming only decks that loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuecards.cli import main


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    (tmp_path / "no-shipped").mkdir()
    monkeypatch.setattr("cuecards.paths.shipped_decks_dir", lambda: tmp_path / "no-shipped")
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "good.yaml").write_text(
        "title: Good\ncards:\n  - id: a\n    front: A?\n    back: a\n    tags: [t1]\n"
    )
    (decks / "broken.yaml").write_text("title: Broken\ncards:\n  - id: a\n    front: [A?\n")

    def no_app(*args: object, **kwargs: object) -> None:
        raise AssertionError("the app started")

    monkeypatch.setattr("cuecards.ui.app.make_app", no_app)
    return tmp_path / "home", decks


def run(folders: tuple[Path, Path], *argv: str) -> int:
    home, decks = folders
    with pytest.raises(SystemExit) as e:
        main(["--home", str(home), "--decks", str(decks), "review", *argv])
    return e.value.code if isinstance(e.value.code, int) else 1


def test_an_unknown_deck_is_refused_before_the_app_and_lists_only_loaded_decks(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(folders, "--deck", "nosuch") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "no deck or folder of decks 'nosuch'; decks are: good" in err[0]
    assert "broken" not in err[0]


def test_a_deck_whose_file_did_not_load_says_so(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(folders, "--deck", "broken") == 2
    err = capsys.readouterr().err
    assert "deck 'broken' did not load: " in err and "broken.yaml:5" in err


def test_an_unknown_tag_is_refused_before_the_app(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(folders, "--tag", "nosuch") == 2
    assert "no card has the tag 'nosuch'; tags are: t1" in capsys.readouterr().err
