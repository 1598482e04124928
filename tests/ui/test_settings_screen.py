"""The settings screen: every setting with its help, checked as typed, saved
at once through the service, and still there for the next start."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Static, Switch

from cuecards.config import KEYS, describe
from cuecards.paths import Paths
from cuecards.ui.screens.settings import SettingsScreen
from tests.ui.conftest import AppFactory, fresh_service, settle
from tests.ui.screen_text import screen_text


def stored(paths: Paths, clock: Any) -> dict[str, Any]:
    """The settings a new process reads."""
    with fresh_service(paths, clock) as svc:
        values: dict[str, Any] = svc.settings().model_dump(mode="json")
        return values


async def open_settings(pilot: Any) -> SettingsScreen:
    await settle(pilot)
    await pilot.press("comma")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def type_into(
    pilot: Any, screen: SettingsScreen, key: str, text: str, then: str | None = "enter"
) -> None:
    """Empty the field of ``key``, type ``text`` into it key by key, then press ``then``."""
    field = screen.query_one(f"#set-{key}", Input)
    field.value = ""
    field.focus()
    await pilot.pause()
    await pilot.press(*text)
    await settle(pilot)
    if then:
        await pilot.press(then)
        await settle(pilot)


def note(screen: SettingsScreen, key: str) -> str:
    return str(screen.query_one(f"#note-{key}", Static).render())


async def test_every_setting_is_listed_with_its_help(ui_app: AppFactory) -> None:
    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        helps = [str(s.render()) for s in screen.query(".setting-help").results(Static)]
        assert helps == [describe(key) for key in KEYS]
        assert all(helps)
        assert screen.query_one("#set-new_per_day", Input).value == "20"
        assert screen.query_one("#set-learning_steps", Input).value == "1m, 10m"
        assert screen.query_one("#set-fuzz", Switch).value is False  # the fixture's choice


async def test_a_bad_value_is_explained_and_not_saved(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, screen, "desired_retention", "0.5")
        assert "desired_retention" in note(screen, "desired_retention")
        assert "0.7" in note(screen, "desired_retention")  # the lower bound, said
        assert screen.query_one("#set-desired_retention").has_class("-invalid")
        await type_into(pilot, screen, "learning_steps", "1m, 10x")
        assert "'10x' is not a step" in note(screen, "learning_steps")
        await type_into(pilot, screen, "interview_date", "next week")
        assert "interview_date" in note(screen, "interview_date")
    values = stored(ui_paths, clock)
    assert values["desired_retention"] == 0.9
    assert values["learning_steps"] == ["1m", "10m"]
    assert values["interview_date"] is None


async def test_good_values_are_saved_at_once_and_kept(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, screen, "desired_retention", "0.85")
        assert "Saved" in note(screen, "desired_retention")
        assert not screen.query_one("#set-desired_retention").has_class("-invalid")
        # saved while the app is still open: a new process sees it now
        assert stored(ui_paths, clock)["desired_retention"] == 0.85
        # each key is checked, nothing is stored before enter or tab
        await type_into(pilot, screen, "learning_steps", "2m 15m", then=None)
        assert "saves it" in note(screen, "learning_steps")
        assert stored(ui_paths, clock)["learning_steps"] == ["1m", "10m"]
        await pilot.press("tab")
        await settle(pilot)
        assert stored(ui_paths, clock)["learning_steps"] == ["2m", "15m"]
        await type_into(pilot, screen, "new_per_day", "7", then=None)
        await pilot.press("escape")  # leaving the screen keeps it too
        await settle(pilot)
        screen = await open_settings(pilot)
        screen.query_one("#set-fuzz", Switch).toggle()
        await settle(pilot)
        # an emptied field and enter: back to the default
        await type_into(pilot, screen, "rollover_hour", "6")
        await type_into(pilot, screen, "rollover_hour", "")
        assert screen.query_one("#set-rollover_hour", Input).value == "4"
        assert "default" in note(screen, "rollover_hour")
        assert "Keys" not in screen_text(app)
    values = stored(ui_paths, clock)
    assert values["desired_retention"] == 0.85
    assert values["learning_steps"] == ["2m", "15m"]
    assert values["new_per_day"] == 7
    assert values["fuzz"] is True
    assert values["rollover_hour"] == 4
    with fresh_service(ui_paths, clock) as svc:
        assert "rollover_hour" not in svc.settings().model_fields_set


async def test_escape_goes_back(ui_app: AppFactory) -> None:
    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"


async def test_a_past_interview_date_is_saved_with_the_command_lines_warning(
    ui_app: AppFactory, ui_paths: Paths, clock: Any
) -> None:
    from datetime import date

    from cuecards.config import Settings, past_interview_warning

    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, screen, "interview_date", "2020-01-01")
        said = note(screen, "interview_date")
    warning = past_interview_warning(Settings(interview_date=date(2020, 1, 1)), date(2020, 1, 2))
    assert warning and warning in said
    assert said.startswith("✓ Saved, but")
    assert stored(ui_paths, clock)["interview_date"] == "2020-01-01"


async def test_bad_values_are_said_in_plain_words(ui_app: AppFactory) -> None:
    app = ui_app("home")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, screen, "new_per_day", "abc", then=None)
        assert note(screen, "new_per_day") == "new_per_day: a whole number, e.g. 20"
        await type_into(pilot, screen, "interview_date", "2020", then=None)
        assert note(screen, "interview_date") == "interview_date: a date as YYYY-MM-DD"
        await type_into(pilot, screen, "desired_retention", "high", then=None)
        assert note(screen, "desired_retention") == "desired_retention: a number, e.g. 0.9"


async def test_a_field_shows_a_whole_list_at_60x20(ui_app: AppFactory) -> None:
    app = ui_app("home")
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, screen, "learning_steps", "1m, banana, 10m, 1h", then="tab")
        field = screen.query_one("#set-learning_steps", Input)
        assert field.content_size.width > len("1m, banana, 10m, 1h")
