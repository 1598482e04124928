"""`cuecards review` on the command line: a past --until is warned about, as
`cuecards config set interview_date` does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from cuecards.cli import cli


def test_a_past_until_is_warned_about(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[date | None] = []

    def run(_ctx: object, _screen: str, **kwargs: object) -> None:
        until = kwargs.get("until")
        assert until is None or isinstance(until, date)
        ran.append(until)

    monkeypatch.setattr("cuecards.commands.review._run", run)
    past = date.today() - timedelta(days=3)
    result = CliRunner().invoke(cli, ["review", "--until", past.isoformat()])
    assert result.exit_code == 0, result.output
    assert f"warning: --until {past.isoformat()} is in the past and is ignored" in result.output
    assert ran == [past]
    future = date.today() + timedelta(days=3)
    result = CliRunner().invoke(cli, ["review", "--until", future.isoformat()])
    assert result.exit_code == 0 and "warning" not in result.output
