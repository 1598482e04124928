"""The help screen: the keys of the screen it was opened from.

The list is read from that screen's own bindings (one copy of each key), so it
cannot drift from what the keys do.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

#: keys every screen has (the app's own)
APP_KEYS: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "Command palette: go to any screen, pick a theme"),
    ("ctrl+q", "Quit cuecards (every rating is already saved)"),
)


def key_rows(
    bindings: Iterable[Binding | tuple[str, str] | tuple[str, str, str]],
    display: dict[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(keys, what they do) for each described binding: its tooltip, else its
    description; the keys of one such line (or of one action) joined.

    ``display`` maps a key name to how it is written (``exclamation_mark`` -> ``!``).
    """
    shown = display or {}
    rows: dict[str, list[str]] = {}
    by_action: dict[str, str] = {}
    for b in bindings:
        binding = b if isinstance(b, Binding) else Binding(b[0], b[1], b[2] if len(b) > 2 else "")
        # an alias (another key for an action already listed) joins its line
        what = binding.tooltip or by_action.get(binding.action) or binding.description
        if not what:
            continue
        by_action.setdefault(binding.action, what)
        keys = rows.setdefault(what, [])
        for key in binding.key.split(","):
            name = binding.key_display or shown.get(key.strip(), key.strip())
            if name not in keys:
                keys.append(name)
    return [(" / ".join(keys), what) for what, keys in rows.items()]


def help_rows(rows: list[tuple[str, str]], width: int) -> list[Horizontal]:
    """One line per key: the keys in a column of ``width`` cells, then what
    they do (wrapped under itself, never under the keys)."""
    return [
        Horizontal(
            Static(Content.styled(keys, "bold $text-accent"), classes="help-keys").set_styles(
                f"width: {width};"
            ),
            Static(what, classes="help-what"),
            classes="help-row",
        )
        for keys, what in rows
    ]


class HelpScreen(ModalScreen[None]):
    """A list of keys over the screen they belong to; any of esc, q, ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", key_display="esc"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str]], note: str = "") -> None:
        """Show ``rows`` (keys, what they do) for the screen named ``title``."""
        super().__init__()
        self.title_text = title
        self.rows = rows
        self.note = note

    def compose(self) -> ComposeResult:
        every = self.rows + list(APP_KEYS)
        width = min(16, max(len(k) for k, _ in every)) + 2
        with VerticalScroll(id="help-box"):
            yield Static(Content.styled(f"Keys on the {self.title_text} screen", "bold"))
            yield from help_rows(every, width)
            if self.note:
                yield Static(Content.styled(self.note, "$text-muted"), classes="help-note")
            yield Static(Content.styled("esc, q or ? closes this help.", "$text-muted"))

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Help"

    def action_close(self) -> None:
        """Back to the screen the help was opened on."""
        self.dismiss()
