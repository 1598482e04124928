"""Where cuecards reads and writes."""

from __future__ import annotations

from pathlib import Path

import pytest

import cuecards.paths as paths


def test_installed_decks_are_told_from_the_users_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site" / "cuecards"
    (package / "decks" / "pm").mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(package / "paths.py"))
    assert paths.is_installed_deck(package / "decks" / "pm" / "scoping.yaml")
    assert not paths.is_installed_deck(tmp_path / "mine" / "scoping.yaml")


def test_a_source_checkout_has_no_installed_decks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "src" / "cuecards"
    package.mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(package / "paths.py"))
    assert not paths.is_installed_deck(tmp_path / "decks" / "pm" / "scoping.yaml")


def test_flags_then_environment_then_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUECARDS_HOME", str(tmp_path / "env-home"))
    monkeypatch.setenv("CUECARDS_DECKS", f"{tmp_path / 'a'}:{tmp_path / 'b'}")
    p = paths.Paths.resolve()
    assert p.home == tmp_path / "env-home"
    assert p.deck_dirs[1:] == (tmp_path / "a", tmp_path / "b")
    p = paths.Paths.resolve(home=tmp_path / "flag", decks=[tmp_path / "c"])
    assert p.home == tmp_path / "flag" and p.deck_dirs[1:] == (tmp_path / "c",)
    assert p.db_path == tmp_path / "flag" / "cuecards.db"


def test_deck_folders_order_and_the_shipped_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = tmp_path / "shipped"
    monkeypatch.setattr(paths, "shipped_decks_dir", lambda: shipped)
    run, setting = tmp_path / "run", tmp_path / "setting"
    folders = paths.deck_folders([shipped, run], [str(setting), str(run)])
    assert [(f.path, f.shipped) for f in folders] == [
        (shipped.resolve(), True),
        (setting.resolve(), False),  # the setting first: the first user folder is stable
        (run.resolve(), False),  # once, though named twice
    ]
    hidden = paths.deck_folders([shipped, run], [], show_shipped=False)
    assert [f.path for f in hidden] == [run.resolve()]
    home = Path("~").expanduser()
    assert paths.deck_folders([], ["~/d"])[0].path == (home / "d").resolve()
