"""The group's options (``--home``, ``--decks``) given after a command name are
met with where they go, for every command, not a command's look-alike option."""

from __future__ import annotations

import pytest

from cuecards.cli import COMMANDS, main


@pytest.mark.parametrize("option", ["--home", "--decks", "--decks=x"])
@pytest.mark.parametrize("command", [*COMMANDS, "config list"])
def test_a_group_option_after_the_command_names_its_place(
    command: str, option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [*command.split(), option] + ([] if "=" in option else ["x"])
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    name = option.split("=")[0]
    err = capsys.readouterr().err
    assert f"Error: {name} goes before the command: cuecards {name} DIR {command}\n" in err
    assert "Did you mean" not in err


def test_an_unknown_option_still_gets_click_s_suggestion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["review", "--dek", "x"])
    assert "Did you mean '--deck'?" in capsys.readouterr().err
