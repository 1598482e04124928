"""What the screens say: due times, cut titles, notes, the editor command,
and borders that stay in line with wide characters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from cuecards.paths import Paths
from cuecards.ui.app import make_app
from cuecards.ui.editor import EditorMissing, edit_in_terminal, editor_command, run_editor
from cuecards.ui.screens.home import _when
from cuecards.ui.widgets.cells import fit
from tests.ui.conftest import settle
from tests.ui.screen_text import screen_text

NOON = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


def test_a_card_due_tomorrow_is_due_all_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    try:
        assert _when(NOON + timedelta(minutes=25), NOON) == "in 25m"
        assert _when(NOON + timedelta(hours=4, minutes=23), NOON) == "today 16:23"
        assert _when(NOON + timedelta(days=1, hours=4, minutes=23), NOON) == "tomorrow"
        assert _when(NOON + timedelta(days=3), NOON) == "Mar 6"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_fit_counts_cells_not_characters() -> None:
    assert fit("short", 10) == "short"
    cut = fit("📚📚📚📚📚📚 decks", 8)
    assert cut.endswith("…") and cell_len(cut) <= 8
    assert cell_len(fit("設計の面接の準備をする", 9)) <= 9


@pytest.mark.parametrize(
    ("editor", "expected"),
    [
        ("vim", ["vim", "+7", "f.yaml"]),
        ("/usr/bin/nvim -u NONE", ["/usr/bin/nvim", "-u", "NONE", "+7", "f.yaml"]),
        ("hx", ["hx", "+7", "f.yaml"]),
        ("emacsclient -t", ["emacsclient", "-t", "+7", "f.yaml"]),
        ("code --wait", ["code", "--wait", "f.yaml"]),
        ("'my editor' --flag", ["my editor", "--flag", "f.yaml"]),
        ("notepad.exe", ["notepad.exe", "f.yaml"]),
    ],
)
def test_editor_is_split_like_a_shell_command(editor: str, expected: list[str]) -> None:
    assert editor_command(Path("f.yaml"), 7, editor) == expected


def test_editor_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "nano -w")
    assert editor_command(Path("f.yaml"), 3) == ["nano", "-w", "+3", "f.yaml"]
    monkeypatch.setenv("VISUAL", "micro")
    assert editor_command(Path("f.yaml"), 0) == ["micro", "f.yaml"]


def test_a_missing_editor_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VISUAL", "no-such-editor-here --wait")
    with pytest.raises(EditorMissing) as caught:
        run_editor(tmp_path / "f.yaml", 1)
    assert "'no-such-editor-here'" in caught.value.message
    assert "VISUAL or EDITOR" in caught.value.message


WIDE = [
    {
        "id": "wide",
        "front": "📚 Which 設計 trade-off matters most? 🚀",
        "back": "Latency vs quality 🐢⚡ — 品質",
        "notes": "Say it with an example 🙂",
    }
]


@pytest.fixture
def wide_paths(tmp_home: Path, deck_dir: Path, make_deck: Callable[..., Path], clock: Any) -> Paths:
    from cuecards.session import Service

    make_deck("t/wide", WIDE, title="📚 Wide 設計 deck with a long title 🚀🚀🚀🚀🚀🚀")
    paths = Paths.resolve(home=tmp_home, decks=[deck_dir], include_shipped=False)
    with Service.open(paths, clock=clock) as svc:
        svc.set_setting("timezone", "UTC")
        svc.sync()
    return paths


def assert_in_line(text: str, width: int) -> None:
    """Every line of the screen is ``width`` cells, and a line that starts a
    card border ends it in the last column."""
    for line in text.splitlines():
        assert cell_len(line.rstrip("\n")) <= width, line
        if line.startswith(("╭", "│", "╰")):
            assert cell_len(line.rstrip()) == width, line
            assert line.rstrip()[-1] in "╮│╯", line


async def test_wide_characters_keep_borders_aligned(wide_paths: Paths, clock: Any) -> None:
    from cuecards.ui.app import StartMode

    app = make_app(wide_paths, clock=clock, live_timer=False, start=StartMode(screen="review"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        text = screen_text(app)
        assert "品質" in text and "🐢" in text
        assert_in_line(text, 80)
        # the notes are labelled as notes
        assert "Notes: Say it with an example" in text


async def test_wide_titles_keep_the_deck_table_in_line(wide_paths: Paths, clock: Any) -> None:
    app = make_app(wide_paths, clock=clock, live_timer=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "Deck" in line and "Cards" in line)
        row = next(line for line in lines if "Wide" in line)
        # the id column starts in the same cell on the wide row as in the header
        assert cell_len(row[: row.index("t/wide")]) == cell_len(header[: header.index("Id")])


class SuspendingApp:
    """Stands for the app: its suspend() resumes only when its block ends
    normally, as Textual's does."""

    def __init__(self) -> None:
        self.resumed = 0

    @contextmanager
    def suspend(self) -> Iterator[None]:
        yield
        self.resumed += 1


def test_a_missing_editor_gives_the_terminal_back_first() -> None:
    app = SuspendingApp()

    def missing(_path: Path, _line: int) -> int:
        raise EditorMissing("nope")

    with pytest.raises(EditorMissing):
        edit_in_terminal(app, missing, Path("f.yaml"), 1)  # type: ignore[arg-type]
    assert app.resumed == 1
    assert edit_in_terminal(app, lambda _p, _l: 3, Path("f.yaml"), 1) == 3  # type: ignore[arg-type]
    assert app.resumed == 2


async def test_a_missing_editor_is_said_and_the_session_goes_on(ui_app: Any) -> None:
    def missing(_path: Path, _line: int) -> int:
        raise EditorMissing("nope-editor")

    app = ui_app("review", deck="t/recall", editor=missing)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert any("'nope-editor' was not found" in n.message for n in app._notifications)
        await pilot.press("space", "3")
        await settle(pilot)
        assert "✓ Saved" in screen_text(app)
