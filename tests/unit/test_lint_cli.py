"""``cuecards lint`` and ``cuecards schema`` through the real command group."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cuecards.cli import cli

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+)$")

GOOD = "title: T\ncards:\n  - id: a\n    front: Q\n    back: A\n"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.output


def test_clean_deck_exits_0(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    code, out = run("lint", str(tmp_path))
    assert code == 0
    assert out.strip() == "1 file checked: no problems"


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("title: T\ncards:\n  - front: Q\n    back: A\n")
    code, out = run("lint", str(f))
    assert code == 0
    assert out.splitlines() == [
        f"{f}:3:5: warning: card has no id; one is derived from its text. "
        "Add `id:` so edits keep its history",
        "1 file checked: 1 warning",
    ]


def test_lint_warns_how_drills_will_be_graded(tmp_path: Path) -> None:
    """A one-generic-word accept phrase and a model answer that misses a point
    are warnings at the drill's line; the shipped decks have neither."""
    f = tmp_path / "g.yaml"
    f.write_text(
        "title: G\ncards:\n"
        "  - id: d1\n    kind: drill\n    prompt: Who?\n"
        "    points:\n      - text: the primary user segment\n        accept: [user]\n"
        "    answer: The primary user segment.\n"
        "  - id: d2\n    kind: drill\n    prompt: Two trade-offs?\n"
        "    points: [latency vs quality, cost vs coverage]\n"
        "    answer: Latency vs quality.\n"
    )
    code, out = run("lint", str(f))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"{f}:3:1: warning: point 1") and "'user'" in lines[0]
    assert (
        lines[1]
        == f"{f}:10:1: warning: point 2 ('cost vs coverage'): the model answer does not earn it"
    )
    shipped = Path(__file__).resolve().parents[2] / "decks"
    assert run("lint", str(shipped))[1].strip().endswith("no problems")


def test_broken_decks_exit_1_with_one_line_each() -> None:
    code, out = run("lint", str(BAD))
    assert code == 1
    *lines, summary = out.splitlines()
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    assert re.fullmatch(r"\d+ files checked: \d+ errors?", summary)
    by_file = {(Path(m["path"]).name, int(m["line"]), int(m["col"])) for m in matches if m}
    assert ("typo-key.yaml", 5, 5) in by_file
    assert ("duplicate-ids.yaml", 6, 9) in by_file
    assert ("latin1.yaml", 4, 15) in by_file
    assert ("indentation.yaml", 5, 11) in by_file
    assert any(
        "a ':' here starts a mapping inside a value: check the indentation" in line
        for line in lines
    )
    assert any(
        "card 'latency-vs-quality' has unknown key 'bakc': did you mean 'back'?" in line
        for line in lines
    )
    assert "Traceback" not in out


def test_json_format(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("title: T\ncards:\n  - id: a\n    frnt: Q\n    back: A\n  - {front: R, back: B}\n")
    code, out = run("lint", "--format", "json", str(f))
    assert code == 1
    report = json.loads(out)
    assert (report["files"], report["errors"], report["warnings"]) == (1, 1, 1)
    first = report["problems"][0]
    assert first == {
        "path": str(f),
        "line": 4,
        "col": 5,
        "severity": "error",
        "message": "card 'a' has unknown key 'frnt': did you mean 'front'?",
    }


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _ = run("lint", str(tmp_path / "nope.yaml"))
    assert code == 2


def test_default_uses_configured_deck_folders(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "bad.yaml").write_text("cards: []\n")
    code, out = run("--home", str(tmp_path / "home"), "--decks", str(decks), "lint")
    assert code == 1
    assert f"{decks / 'bad.yaml'}:1:1: error: the deck is missing 'title'" in out


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff\xfe garbage",
        b"a: *x\n",
        b"[" * 5000,
        b"!!python/object:os.system {}\n",
        b"- - - -\n",
    ],
)
def test_never_a_traceback(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "x.yaml"
    f.write_bytes(content)
    code, out = run("lint", str(f))
    assert code == 1
    assert LINE.match(out.splitlines()[0])


def test_schema_is_json_schema_with_card_kinds(tmp_path: Path) -> None:
    code, out = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] and schema["type"] == "object"
    defs = schema["$defs"]
    kinds = {
        defs[name]["properties"]["kind"].get(
            "const", defs[name]["properties"]["kind"].get("default")
        )
        for name in ("RecallCard", "DrillCard", "ClozeCard")
    }
    assert kinds == {"recall", "drill", "cloze"}
    # A card without `kind` is a recall card; `pass` keeps its YAML name.
    assert "kind" not in defs["RecallCard"].get("required", [])
    assert "pass" in defs["DrillCard"]["properties"] and "pass_" not in out
    refs = [c["$ref"] for c in schema["properties"]["cards"]["items"]["oneOf"]]
    assert all(r.startswith("#/$defs/") and r.split("/")[-1] in defs for r in refs)

    target = tmp_path / "deck.schema.json"
    code, _ = run("schema", "-o", str(target))
    assert code == 0 and json.loads(target.read_text()) == schema


def _svc_sync(home: Path, decks: Path) -> None:
    from cuecards.paths import Paths
    from cuecards.session import Service

    svc = Service.open(Paths.resolve(home=home, decks=[decks], include_shipped=False))
    try:
        assert not svc.sync().errors
    finally:
        svc.close()


def test_plan_shows_what_a_sync_would_do_and_writes_nothing(tmp_path: Path) -> None:
    import sqlite3

    home, decks = tmp_path / "home", tmp_path / "decks"
    decks.mkdir()
    (decks / "a.yaml").write_text(GOOD)
    code, out = run("--home", str(home), "--decks", str(decks), "lint", "--plan")
    added = re.search(r": (\d+) added", out.splitlines()[0])
    assert code == 0 and added is not None and int(added.group(1)) >= 1
    assert not (home / "cuecards.db").exists()  # no database yet: none is made
    _svc_sync(home, decks)
    (decks / "a.yaml").rename(decks / "b.yaml")
    code, out = run("--home", str(home), "--decks", str(decks), "lint", "--plan")
    assert code == 0
    assert "a -> b: 1 card kept its history" in out.splitlines()
    assert "1 re-attached" in out.splitlines()[0] and "0 retired" in out.splitlines()[0]
    with sqlite3.connect(home / "cuecards.db") as conn:
        uids = [r[0] for r in conn.execute("SELECT uid FROM cards")]
        decks_known = [r[0] for r in conn.execute("SELECT id FROM decks")]
    conn.close()
    assert uids == ["a/a"] and decks_known == ["a"]  # the plan wrote nothing
    code, out = run(
        "--home", str(home), "--decks", str(decks), "lint", "--plan", "--format", "json"
    )
    plan = json.loads(out)
    assert (
        code == 0
        and plan["reattached"] == 1
        and plan["notes"] == ["a -> b: 1 card kept its history"]
    )


def test_lint_checks_aliases(tmp_path: Path) -> None:
    home, decks = tmp_path / "home", tmp_path / "decks"
    decks.mkdir()
    (decks / "a.yaml").write_text(GOOD + "  - id: b\n    front: Q2\n    back: A2\n")
    _svc_sync(home, decks)
    (decks / "a.yaml").write_text(
        "title: T\nwas: c\ncards:\n"
        "  - id: a\n    front: Q\n    back: A\n"
        "  - id: b2\n    was: b\n    front: Q2\n    back: A2\n"
        "  - id: d\n    was: never\n    front: Q3\n    back: A3\n"
        "  - id: e\n    was: a\n    front: Q4\n    back: A4\n"
    )
    (decks / "c.yaml").write_text(GOOD)
    code, out = run("--home", str(home), "--decks", str(decks), "lint")
    a = decks / "a.yaml"
    assert code == 1
    lines = [ln for ln in out.splitlines() if "was:" in ln]
    assert lines == [
        f"{a.resolve()}:2:1: error: was: 'c' is a deck that still exists; remove the alias",
        f"{a.resolve()}:12:5: warning: was: no card 'never' has been synced; nothing to take over",
        f"{a.resolve()}:16:5: error: was: 'a' is the id of a card that still exists (a/a)",
    ]


def test_an_alias_whose_history_already_moved_says_to_delete_it(tmp_path: Path) -> None:
    home, decks = tmp_path / "home", tmp_path / "decks"
    decks.mkdir()
    (decks / "a.yaml").write_text(GOOD)
    _svc_sync(home, decks)
    (decks / "a.yaml").write_text(
        "title: T\ncards:\n  - id: b\n    was: a\n    front: Q\n    back: A\n"
    )
    _svc_sync(home, decks)  # the sync moves a's history to b: the alias is spent
    code, out = run("--home", str(home), "--decks", str(decks), "lint")
    assert code == 0
    assert [ln.split(": ", 2)[2] for ln in out.splitlines() if "was:" in ln] == [
        "was: 'a' is not in the database (already taken over, or never there); delete the alias"
    ]


def test_a_path_inside_a_deck_folder_is_named_by_that_folder(tmp_path: Path) -> None:
    decks = tmp_path / "mydecks"
    (decks / "world" / "geo").mkdir(parents=True)
    twin = GOOD + "  - id: e\n    was: a\n    front: Q4\n    back: A4\n"
    (decks / "world" / "geo" / "cap-spain.yaml").write_text(twin)
    base = ("--home", str(tmp_path / "home"), "--decks", str(decks), "lint")
    for given in (decks / "world", decks / "world" / "geo" / "cap-spain.yaml"):
        code, out = run(*base, str(given))
        assert code == 1
        assert "card that still exists (world/geo/cap-spain/a)" in out, out
