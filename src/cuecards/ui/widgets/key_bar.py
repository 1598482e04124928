"""The footer: the keys that work now, wrapped onto a second line when the
terminal is narrow instead of being cut off."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, Static

KEY_STYLE = "bold $footer-key-foreground"
GAP = "  "


def wrap_keys(items: list[tuple[str, str]], width: int) -> list[Content]:
    """``(key, description)`` pairs on as few lines of ``width`` cells as fit,
    each pair whole on one line."""
    lines: list[Content] = []
    line = Content("")
    for key, what in items:
        item = Content.assemble((key, KEY_STYLE), " ", what)
        if line.cell_length and line.cell_length + len(GAP) + item.cell_length > width:
            lines.append(line)
            line = Content("")
        line = line + GAP + item if line.cell_length else item
    if line.cell_length:
        lines.append(line)
    return lines


class KeyBar(Footer):
    """A footer of the enabled keys of the screen, on one or two lines."""

    DEFAULT_CSS = """
    KeyBar {
        height: auto;
        max-height: 3;
        layout: vertical;
    }
    KeyBar > Static {
        width: 1fr;
        height: auto;
        padding: 0 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        #: the keys as plain text, one line each (for tests and for reading a run)
        self.text = ""

    def items(self) -> list[tuple[str, str]]:
        """(key as shown, description) of each enabled, shown binding, once per action."""
        seen: dict[str, tuple[str, str]] = {}
        for _node, binding, enabled, _tip in self.screen.active_bindings.values():
            if binding.show and enabled and binding.action not in seen:
                seen[binding.action] = (self.app.get_key_display(binding), binding.description)
        return list(seen.values())

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        width = max(20, self.app.size.width - 2)
        lines = wrap_keys(self.items(), width)
        palette = wrap_keys([("^p", "palette")], width)[0]
        if not lines:
            lines = [palette]
        elif lines[-1].cell_length + len(GAP) + palette.cell_length <= width:
            # the palette key only where it fits (the help screen lists it too)
            lines[-1] = lines[-1] + GAP + palette
        self.text = "\n".join(line.plain for line in lines)
        yield Static(Content("\n").join(lines))

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)
