"""Custom study: a session outside today's plan, picked from a short list.

Each kind says whether it changes the schedule (Anki's rule: studying ahead
does, cramming does not). The screen only gathers the choice and posts
:class:`CustomStudyScreen.Start`; the app opens the session, and the service
decides what a kind does (:mod:`cuecards.service.custom`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from cuecards.errors import UsageError
from cuecards.service.custom import BY_KIND, KINDS, CustomChoice, CustomKind, Kind
from cuecards.ui.screens.review_flow import ReviewFlow
from cuecards.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from cuecards.ui.backend import Backend

CHANGES = "changes the schedule"
CRAM = "cram, schedule kept"


def option_text(k: CustomKind) -> Content:
    """One line of the list: the kind and whether it moves due dates."""
    effect = CHANGES if k.changes_schedule else CRAM
    style = "$text-warning" if k.changes_schedule else "$text-success"
    return Content.assemble(k.title, "  ", (f"({effect})", style))


def read_choice(kind: Kind, number: str, scope: str, from_tomorrow: bool) -> CustomChoice:
    """The choice the fields describe, or a UsageError saying what to fix.

    ``scope`` is a deck id, or a tag written ``#tag``; empty for every deck."""
    k = BY_KIND[kind]
    n = 0
    if k.number:
        text = number.strip() or str(k.default)
        if not text.isdigit() or int(text) < 1:
            raise UsageError(f"the number of {k.number} is a whole number from 1, not {text!r}")
        n = int(text)
    scope = scope.strip()
    deck = tag = None
    if scope.startswith("#"):
        tag = scope[1:].strip() or None
    elif scope:
        deck = scope
    if kind == "scope" and deck is None and tag is None:
        raise UsageError("name a deck, or a tag as #tag, to cram")
    return CustomChoice(kind, n, deck, tag, from_tomorrow and kind == "more_new")


def label_of(choice: CustomChoice) -> str:
    """What the review screen's title says about the session (``cram demo``,
    ``+5 new · #tag``)."""
    n = choice.number
    what = {
        "more_new": f"+{n} new",
        "ahead": f"ahead {n} {'day' if n == 1 else 'days'}",
        "drills": "drills only",
        "scope": "cram",
        "failed": "cram failed today",
        "weakest": f"cram weakest {n}",
    }[choice.kind]
    scope = choice.deck or (f"#{choice.tag}" if choice.tag else "")
    if not scope:
        return what
    return f"{what} {scope}" if choice.kind == "scope" else f"{what} · {scope}"


class CustomFlow(ReviewFlow):
    """A review session's steps for a custom study session."""

    def __init__(self, backend: Backend, choice: CustomChoice) -> None:
        super().__init__(backend, deck=choice.deck, tag=choice.tag)
        self.choice = choice

    async def start(self) -> None:
        """Open the custom session (a CuecardsError for a bad deck, tag or number)."""
        service = await self._service()
        self.session = await self._call(service.start_custom, self.choice)


class CustomStudyScreen(Screen[None]):
    """Pick a kind of custom study, a number and a deck or tag."""

    DEFAULT_CSS = """
    CustomStudyScreen #custom { padding: 0 1; max-width: 90; }
    CustomStudyScreen #kinds { height: auto; max-height: 8; }
    CustomStudyScreen #kind-help { height: auto; }
    CustomStudyScreen #fields { height: auto; }
    CustomStudyScreen #fields Input { width: 1fr; }
    CustomStudyScreen #number { max-width: 20; }
    CustomStudyScreen #problem { color: $text-error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Back to the home screen"),
        Binding("ctrl+s", "start", "Start", tooltip="Start the session picked"),
        Binding("f1", "app.show_help", "Help", tooltip="These keys"),
    ]
    HELP_NOTE = (
        "↑↓ picks a kind, enter starts it; tab moves to the number and the "
        "deck or #tag fields. Cram sessions never move a due date or count "
        "against the daily limits."
    )

    class Start(Message):
        """Open the session ``choice`` describes."""

        def __init__(self, choice: CustomChoice, label: str) -> None:
            super().__init__()
            self.choice = choice
            self.label = label

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="custom"):
            yield OptionList(*(Option(option_text(k), id=k.kind) for k in KINDS), id="kinds")
            yield Static("", id="kind-help")
            with Horizontal(id="fields"):
                yield Input(placeholder="N", id="number", type="integer")
                yield Input(placeholder="deck or #tag (all decks)", id="scope")
            yield Checkbox("Take them from tomorrow's new cards", id="tomorrow")
            yield Static("", id="problem")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Custom study"
        kinds = self.query_one("#kinds", OptionList)
        kinds.highlighted = 0
        kinds.focus()
        self._show_kind(KINDS[0].kind)

    @property
    def kind(self) -> Kind:
        """The kind highlighted in the list."""
        kinds = self.query_one("#kinds", OptionList)
        return KINDS[kinds.highlighted or 0].kind

    def _show_kind(self, kind: Kind) -> None:
        k = BY_KIND[kind]
        effect = (
            "Changes the schedule: ratings are real reviews."
            if k.changes_schedule
            else ("Cram: not saved as reviews; no due date or count moves.")
        )
        self.query_one("#kind-help", Static).update(f"{k.help}\n{effect}")
        number = self.query_one("#number", Input)
        number.display = bool(k.number)
        number.placeholder = f"{k.number} ({k.default})" if k.number else ""
        self.query_one("#tomorrow", Checkbox).display = kind == "more_new"
        self.query_one("#scope", Input).display = kind != "failed"
        self.query_one("#problem", Static).update("")

    @on(OptionList.OptionHighlighted, "#kinds")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_kind(KINDS[event.option_index].kind)

    @on(OptionList.OptionSelected, "#kinds")
    def _selected(self) -> None:
        self.action_start()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        """Start the session the fields describe (or say what to fix)."""
        try:
            choice = read_choice(
                self.kind,
                self.query_one("#number", Input).value,
                self.query_one("#scope", Input).value,
                self.query_one("#tomorrow", Checkbox).value,
            )
        except UsageError as e:
            self.query_one("#problem", Static).update(e.msg)
            return
        self.post_message(self.Start(choice, label_of(choice)))

    def action_close(self) -> None:
        """Back to the home screen."""
        self.dismiss()
