"""The review screen's keys, and in which state each one works.

Every action the footer shows has a key that cannot be typed text (a ctrl
chord, space/enter outside the answer box), so it works the same on every
card kind and in every state, also while a drill's answer box has focus. The
old letter keys (``u`` ``!`` ``b`` ``e``) stay as hidden aliases outside the
box. ``esc`` only ever leaves the answer box; ``q`` ends the session from
outside it.
"""

from __future__ import annotations

from typing import Literal

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen

from cuecards.ui.widgets.grade_view import TOGGLE_KEYS
from cuecards.views import RATING_NAMES

State = Literal["loading", "question", "answer", "typing", "graded"]
STATES: tuple[State, ...] = ("loading", "question", "answer", "typing", "graded")
CARD_STATES: tuple[State, ...] = ("question", "answer", "typing", "graded")

# Which actions make sense in which state; the footer shows only these.
ALLOWED: dict[str, tuple[State, ...]] = {
    "reveal": ("question",),
    "good": ("answer",),
    "accept": ("graded",),
    "toggle_point": ("graded",),
    "rate": ("answer", "graded"),
    "submit": ("typing",),
    "undo": CARD_STATES,
    "suspend": CARD_STATES,
    "bury": CARD_STATES,
    "edit": CARD_STATES,
    "end": ("loading", *CARD_STATES),
    "scroll_card": CARD_STATES,
    "leave_box": ("typing",),
    "enter_box": ("typing",),
}
# What works while the answer box has focus: the actions with chord keys.
IN_BOX = frozenset({"submit", "leave_box", "undo", "suspend", "bury", "edit", "help_box"})
# What only works while the answer box has focus.
ONLY_IN_BOX = frozenset({"leave_box", "help_box"})

# What each scroll key does to the card body (a method of the scroll container).
SCROLLS = {
    "up": "scroll_up",
    "down": "scroll_down",
    "page_up": "scroll_page_up",
    "page_down": "scroll_page_down",
    "home": "scroll_home",
    "end": "scroll_end",
}

RATE_HELP = "Rate: " + ", ".join(f"{n} {name.title()}" for n, name in RATING_NAMES.items())

BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding("space,enter", "reveal", "Show answer", tooltip="Show the answer (recall, cloze)"),
    Binding("space,enter", "good", "Good", tooltip="Rate Good once the answer shows"),
    Binding("space,enter", "accept", "Accept", tooltip="Rate a graded drill as suggested"),
    Binding("ctrl+s", "submit", "Submit", tooltip="Check the typed drill answer"),
    *(
        Binding(str(n), f"rate({n})", name.title(), show=False, tooltip=RATE_HELP)
        for n, name in RATING_NAMES.items()
    ),
    # After grading, a letter beside each point marks it made/missed.
    *(
        Binding(
            k,
            f"toggle_point({i})",
            show=False,
            key_display="a-z",
            tooltip="Mark a point made or missed (the letter beside it)",
        )
        for i, k in enumerate(TOGGLE_KEYS)
    ),
    Binding("ctrl+r", "undo", "Undo", tooltip="Take back the last rating, suspend or bury"),
    Binding("ctrl+t", "suspend", "Suspend", tooltip="Take the card out until unsuspended"),
    Binding("ctrl+b", "bury", "Bury", tooltip="Put the card away until tomorrow"),
    Binding("ctrl+o", "edit", "Edit", tooltip="Open the deck file at the card's line"),
    Binding("u", "undo", "Undo", show=False),
    Binding("exclamation_mark", "suspend", "Suspend", show=False),
    Binding("b", "bury", "Bury", show=False),
    Binding("e", "edit", "Edit", show=False),
    Binding("q", "end", "End", tooltip="End the session (ratings are saved)"),
    Binding("escape", "leave_box", "Leave box", tooltip="Leave the answer box, keeping the text"),
    Binding("tab", "enter_box", "Type", tooltip="Back into the answer box"),
    Binding("question_mark", "help", "Help", tooltip="These keys (f1 in the answer box)"),
    Binding("f1", "help_box", "Help", tooltip="These keys (f1 in the answer box)"),
    # One footer entry (↑↓) stands for the six scroll keys; shown only while
    # the card body overflows.
    Binding(
        "down",
        "scroll_card('down')",
        "Scroll",
        key_display="↑↓",
        tooltip="Scroll the card (also PgUp, PgDn, Home, End)",
    ),
    *(
        Binding(key, f"scroll_card('{how}')", show=False)
        for key, how in (
            ("up", "up"),
            ("pageup", "page_up"),
            ("pagedown", "page_down"),
            ("home", "home"),
            ("end", "end"),
        )
    ),
]
#: what the help screen adds
HELP_NOTE = (
    "Letters (u ! b e q) also work outside the drill's answer box; "
    "the ctrl keys work everywhere. esc never ends a session."
)


def allowed(action: str, state: State, in_box: bool) -> bool:
    """True when ``action`` works in ``state`` (``in_box``: the answer box has focus)."""
    if in_box and action not in IN_BOX:
        return False
    if not in_box and action in ONLY_IN_BOX:
        return False
    states = ALLOWED.get(action)
    return states is None or state in states


class ReviewKeys(Screen[None]):
    """The review screen's keys: which action works in which state, the
    drill's answer box, scrolling the card, the help screen."""

    BINDINGS = BINDINGS
    HELP_NOTE = HELP_NOTE
    # Focus is the answer box's or no one's: keys reach the screen's bindings.
    AUTO_FOCUS = None

    #: where the card on screen is (see :data:`STATES`)
    state: State = "loading"

    def on_resize(self) -> None:
        self._body_resized()

    def _body_resized(self) -> None:
        self.call_after_refresh(self.refresh_bindings)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002
        if not allowed(action, self.state, self.in_box()):
            return False
        if action == "scroll_card":
            return self.query_one("#card").max_scroll_y > 0
        return True

    def in_box(self) -> bool:
        """True while a drill's answer box has focus (keys type text there)."""
        if self.state != "typing":
            return False
        typed = self.query("#typed")
        return bool(typed) and typed.first().has_focus

    def on_descendant_focus(self) -> None:
        # Into or out of the answer box: the footer's keys change with it.
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def action_scroll_card(self, how: str) -> None:
        """Scroll the card body (prompt, answer, grading) by a line, a page or to an end."""
        body = self.query_one("#card", VerticalScroll)
        getattr(body, SCROLLS[how])(animate=False)

    def action_leave_box(self) -> None:
        """Leave the answer box, so letter keys are commands again (the typed
        answer and the timer stay as they are)."""
        self.set_focus(None)

    def action_enter_box(self) -> None:
        """Back into the drill's answer box."""
        self.query_one("#typed").focus()

    async def action_help(self) -> None:
        """This screen's keys."""
        await self.run_action("app.show_help")

    async def action_help_box(self) -> None:
        """This screen's keys (``f1``, which works in the answer box too)."""
        await self.run_action("app.show_help")
