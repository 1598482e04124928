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
    assert err.strip() == "cuecards: config error: new_per_day: at least 0"
    code, _, err = run_cli(capsys, "--home", str(tmp_home), "config", "set", "new_per_day", "x")
    assert code == 2 and err.strip().endswith("new_per_day: a whole number, e.g. 20")
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


def test_config_goes_through_the_service_and_repairs_a_bad_stored_value(
    tmp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    from cuecards.errors import ConfigError
    from cuecards.paths import Paths
    from cuecards.service import Service

    home = ("--home", str(tmp_home))
    assert run_cli(capsys, *home, "config", "set", "new_per_day", "7")[0] == 0
    conn = sqlite3.connect(tmp_home / "cuecards.db")
    conn.execute("UPDATE settings SET value = '-3' WHERE key = 'new_per_day'")
    conn.commit()
    conn.close()
    paths = Paths.resolve(home=tmp_home, include_shipped=False)
    with pytest.raises(ConfigError, match="stored settings are invalid"):
        Service.open(paths)
    code, out, _ = run_cli(capsys, *home, "config", "list")
    assert code == 0 and "* new_per_day = -3" in out  # shown as stored
    assert run_cli(capsys, *home, "config", "set", "reviews_per_day", "50")[0] == 0
    assert run_cli(capsys, *home, "config", "unset", "new_per_day")[0] == 0
    with Service.open(paths) as svc:
        assert (svc.settings().new_per_day, svc.settings().reviews_per_day) == (20, 50)
        with pytest.raises(ConfigError, match="did you mean new_per_day"):
            svc.set_setting("new_per_dya", 3)
        with pytest.raises(ConfigError, match="new_per_day"):
            svc.set_setting("new_per_day", -1)
        assert svc.stored_settings() == {"reviews_per_day": 50}
