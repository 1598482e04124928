"""The layers stay apart: checked on every module's imports, not by hope.

Only the UI and the command line import Textual; only the storage modules
speak SQL; only the YAML reader imports a YAML library; the UI reaches the
core through the service API alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "cuecards"
STORAGE = {"store.py", "statsql.py", "tables.py", "anki_sqlite.py"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


MODULES = sorted(SRC.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def _uses(names: set[str], *roots: str) -> set[str]:
    return {n for n in names if any(n == r or n.startswith(r + ".") for r in roots)}


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_module_imports_respect_the_layers(path: Path) -> None:
    rel, names = _rel(path), _imports(path)
    in_ui = rel.startswith("ui/")
    if not (in_ui or rel.startswith("commands/")):
        assert not _uses(names, "textual", "textual_plotext"), f"{rel} imports Textual"
    if path.name not in STORAGE:
        assert not _uses(names, "sqlite3", "sqlmodel", "sqlalchemy"), f"{rel} speaks SQL"
    if path.name != "yamlsafe.py":
        assert not _uses(names, "yaml"), f"{rel} reads YAML itself"
    if in_ui:
        core = _uses(
            names,
            "cuecards.store",
            "cuecards.statsql",
            "cuecards.tables",
            "cuecards.sync",
            "cuecards.loader",
            "cuecards.yamlsafe",
            "cuecards.scheduling",
        )
        assert not core, f"{rel} bypasses the service API: {sorted(core)}"


def test_the_check_sees_imports() -> None:
    """The walker finds nested and aliased imports (else the test above proves nothing)."""
    assert "textual.app" in _imports(SRC / "ui" / "app.py")
    assert "sqlite3" in _imports(SRC / "store.py")
    assert "yaml" in _imports(SRC / "yamlsafe.py")
