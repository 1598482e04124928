"""``cuecards config``: negative values, a past interview date, plain help text."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from cuecards.config import describe


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from cuecards.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_a_negative_value_reaches_the_check(
    tmp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "--home", str(tmp_home), "config", "set", "new_per_day", "-5")
    assert code == 2
    assert err.strip() == (
        "cuecards: config error: new_per_day: Input should be greater than or equal to 0"
    )
    code, out, _ = run_cli(capsys, "--home", str(tmp_home), "config", "get", "new_per_day")
    assert out.strip() == "20"  # unchanged


def test_a_past_interview_date_is_kept_with_a_warning(
    tmp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = ("--home", str(tmp_home))
    code, out, err = run_cli(capsys, *home, "config", "set", "interview_date", "2020-01-01")
    assert code == 0 and out.strip() == "interview_date = 2020-01-01"
    assert (
        err.startswith("cuecards: warning: interview_date 2020-01-01 is in the past and is ignored")
        and err.count("\n") == 1
    )
    ahead = (date.today() + timedelta(days=30)).isoformat()
    code, _, err = run_cli(capsys, *home, "config", "set", "interview_date", ahead)
    assert code == 0 and err == ""


def test_setting_help_is_plain_text(tmp_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert describe("fsrs_parameters") == (
        "Personal FSRS parameters (21 numbers) from cuecards optimize; unset uses the defaults."
    )
    _, out, _ = run_cli(capsys, "--home", str(tmp_home), "config", "list")
    assert "cuecards optimize" in out and "``" not in out
    code, out, _ = run_cli(capsys, "config", "set", "--help")
    assert code == 0 and "fsrs_parameters" in out and "rollover_hour" in out
    assert "``" not in out
