"""``cuecards suspended``: list suspended cards and unsuspend them."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuecards.session import Service


def run_cli(capsys: pytest.CaptureFixture[str], home: Path, *argv: str) -> tuple[int, str, str]:
    from cuecards.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--home", str(home), *argv])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def suspend_two(service: Service) -> list[str]:
    s = service.start_session()
    uids = []
    for _ in range(2):
        v = s.next_card()
        assert v is not None
        s.suspend(v.item.uid)
        uids.append(v.item.uid)
    return sorted(uids)


def queued(service: Service) -> set[str]:
    return {r.uid for r in service.store.queue(service.today(), 10**10, 50, 50)}


def test_lists_suspended_cards(
    service: Service, tmp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, tmp_home, "suspended")
    assert code == 0 and "No card is suspended" in out
    uids = suspend_two(service)
    code, out, _ = run_cli(capsys, tmp_home, "suspended")
    lines = out.splitlines()
    assert code == 0 and [ln.split()[0] for ln in lines[:2]] == uids
    assert "Capital of France?" in out and "  basics  " in lines[0]
    assert "2 cards suspended" in lines[2]


def test_restore_named_and_all(
    service: Service, tmp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = suspend_two(service)
    assert not {a, b} & queued(service)
    code, out, _ = run_cli(capsys, tmp_home, "suspended", "--restore", a)
    assert code == 0 and f"Unsuspended 1 card: {a}" in out
    assert a in queued(service) and b not in queued(service)
    code, out, _ = run_cli(capsys, tmp_home, "suspended", "--restore-all")
    assert code == 0 and "Unsuspended 1 card." in out and b in queued(service)


def test_bad_restore_changes_nothing(
    service: Service, tmp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, _b = suspend_two(service)
    code, _, err = run_cli(
        capsys, tmp_home, "suspended", "--restore", a, "basics/nope", "basics/rule#c1"
    )
    assert code == 2 and "Traceback" not in err
    assert "basics/nope (no such card)" in err and "basics/rule#c1 (not suspended)" in err
    assert a not in queued(service)
    for argv in (
        ("suspended", a),
        ("suspended", "--restore"),
        ("suspended", "--restore", a, "--restore-all"),
    ):
        code, _, err = run_cli(capsys, tmp_home, *argv)
        assert code == 2 and err.count("\n") == 1, err


def test_snippet_is_one_short_line() -> None:
    from cuecards.commands.suspended import snippet

    assert snippet("a\n  b") == "a b"
    long = snippet("x" * 100, width=10)
    assert len(long) == 10 and long.endswith("…")
    assert snippet("") == ""
