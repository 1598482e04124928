"""The settings screen: every setting with its one-line help, checked as it is
typed and saved at once.

A value is read with the same rules as ``cuecards config set`` (the settings
model's parser and validation) and checked at each key; enter, or leaving the
field (tab, esc), writes it through ``Service.set_setting``, the one write
path, so a half-typed ``1m, 1`` on the way to ``1m, 10m`` is never stored. A
switch is saved as it flips. A value that does not validate is shown with its
reason and is not saved; an emptied field goes back to the default on enter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static, Switch

from cuecards.config import describe, parse_value, past_interview_warning, validated
from cuecards.errors import CuecardsError
from cuecards.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from cuecards.config import Settings
    from cuecards.service import Service
    from cuecards.ui.backend import Backend


def shown_value(value: Any) -> str:
    """A setting's value as it is typed: lists joined by commas, unset as empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def check(key: str, raw: str) -> Any:
    """The value typed for ``key`` as it would be stored, or a CuecardsError."""
    parsed = parse_value(key, raw)
    if parsed is None:
        return None
    return validated({key: parsed}).model_dump(mode="json")[key]


class SettingsScreen(Screen[None]):
    """One row per setting: its name, its value, what it does."""

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("f1", "app.show_help", "Help"),
    ]
    HELP_NOTE = (
        "Type a value: it is checked as you type and saved on enter or when you "
        "leave the field (tab). "
        "Lists take commas (1m, 10m); empty and enter goes back to the default. "
        "The same settings as `cuecards config`."
    )

    def __init__(self, backend: Backend) -> None:
        """Settings read from and saved through ``backend``'s service."""
        super().__init__()
        self.backend = backend
        self.settings: Settings | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="settings-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Settings"
        self.load()

    @work(exclusive=True, group="settings")
    async def load(self) -> None:
        """Read the settings and build one row each."""
        try:
            service = await self.backend.ready()
            self.settings = await self.backend.call(service.settings)
        except CuecardsError as e:
            self.notify(e.msg, title=e.title, severity="error")
            return
        values = self.settings.model_dump(mode="json")
        rows = [self._row(key, values[key]) for key in type(self.settings).model_fields]
        box = self.query_one("#settings-list", VerticalScroll)
        await box.remove_children()
        await box.mount_all(rows)
        first = box.query("Input, Switch")
        if first:
            first.first().focus()

    def _row(self, key: str, value: Any) -> Vertical:
        editor: Input | Switch
        if isinstance(value, bool):
            editor = Switch(value=value, id=f"set-{key}")
        else:
            editor = Input(shown_value(value), id=f"set-{key}", compact=True, select_on_focus=False)
        return Vertical(
            Horizontal(Label(key, classes="setting-name"), editor, classes="setting-line"),
            Static(describe(key), classes="setting-help"),
            Static("", id=f"note-{key}", classes="setting-note").set_styles("display: none;"),
            classes="setting",
        )

    def _note(self, key: str, text: str, error: bool = False, warning: bool = False) -> None:
        note = self.query_one(f"#note-{key}", Static)
        style = "$text-error" if error else "$text-warning" if warning else "$text-success"
        note.update(Content.styled(text, style))
        note.set_class(error, "-error")
        note.display = bool(text)
        self.query_one(f"#set-{key}").set_class(error, "-invalid")

    def _checked(self, key: str, raw: str) -> tuple[bool, Any]:
        """(valid, value) of what is typed for ``key``, said under the field."""
        try:
            value = check(key, raw)
        except CuecardsError as e:
            self._note(key, e.msg, error=True)
            return False, None
        if value is None:
            self._note(key, "Empty: enter puts it back to the default.")
        elif self.settings is not None and value == self.settings.model_dump(mode="json")[key]:
            self._note(key, "")
        else:
            self._note(key, "Enter (or leaving the field) saves it.")
        return True, value

    def _changed(self, key: str, value: Any) -> bool:
        return self.settings is not None and value != self.settings.model_dump(mode="json")[key]

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("set-")
        if key and self.settings is not None:
            self._checked(key, event.value)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        key = (event.input.id or "").removeprefix("set-")
        if not key:
            return
        ok, value = self._checked(key, event.value)
        if ok and (value is None or self._changed(key, value)):
            self.save(key, value)

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        # Leaving a field keeps a valid value (an emptied one waits for enter).
        key = (event.input.id or "").removeprefix("set-")
        if not key or not self.is_attached:
            return
        ok, value = self._checked(key, event.value)
        if ok and value is not None and self._changed(key, value):
            self.save(key, value)

    @on(Switch.Changed)
    def _switched(self, event: Switch.Changed) -> None:
        key = (event.switch.id or "").removeprefix("set-")
        if key and self.settings is not None and event.value != getattr(self.settings, key):
            self.save(key, event.value)

    @work(group="settings-save")
    async def save(self, key: str, value: Any) -> None:
        """Store one setting through the service (None: back to the default)."""
        await self._store(key, value)

    async def _store(self, key: str, value: Any) -> None:
        try:
            service = await self.backend.ready()
            self.settings = await self.backend.call(service.set_setting, key, value)
        except CuecardsError as e:
            self._note(key, e.msg, error=True)
            return
        if value is None:
            default = shown_value(self.settings.model_dump(mode="json")[key])
            field = self.query_one(f"#set-{key}", Input)
            with field.prevent(Input.Changed):
                field.value = default
            self._note(key, f"✓ Back to the default ({default or 'unset'})")
        elif key == "interview_date" and (warning := await self._past_warning(service)):
            self._note(
                key, f"✓ Saved, but {warning}; empty it and press enter to clear it", warning=True
            )
        else:
            self._note(key, "✓ Saved")

    async def _past_warning(self, service: Service) -> str | None:
        """What ``cuecards config set`` warns about a past interview date, if anything."""
        today = await self.backend.call(lambda: service.sched.days.date_of(service.today()))
        assert self.settings is not None
        return past_interview_warning(self.settings, today)

    async def action_close(self) -> None:
        """Back to the previous screen, keeping a valid value still in its field."""
        field = self.focused
        if isinstance(field, Input) and field.id and self.settings is not None:
            key = field.id.removeprefix("set-")
            ok, value = self._checked(key, field.value)
            if ok and value is not None and self._changed(key, value):
                await self._store(key, value)
        self.dismiss()
