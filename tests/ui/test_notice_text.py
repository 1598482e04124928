"""A toast that carries a path shows it whole: the deck folder and file name."""

from __future__ import annotations

from textual.app import App

from cuecards.ui.widgets.notice_text import short_path, short_paths
from tests.ui.conftest import settle

LONG = "/home/someone/.local/share/cuecards/decks/pm/trade-offs.yaml"


def test_a_path_keeps_its_deck_folder_and_file_name() -> None:
    assert short_path(LONG) == "…/pm/trade-offs.yaml"
    assert short_path("pm/trade-offs.yaml") == "pm/trade-offs.yaml"
    said = short_paths(f"Editing your copy: {LONG} (it replaces the shipped deck).")
    assert said == "Editing your copy: …/pm/trade-offs.yaml (it replaces the shipped deck)."
    assert short_paths(f"Not found: {LONG}.") == "Not found: …/pm/trade-offs.yaml."
    assert short_paths("no path here, 1/2 done") == "no path here, 1/2 done"


async def test_a_toast_at_60x20_fits_every_word_of_a_shortened_path() -> None:
    from textual.widgets._toast import Toast

    app: App[None] = App()
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        said = short_paths(f"Editing your copy: {LONG} (it replaces the shipped deck)")
        app.notify(said)
        await settle(pilot)
        await pilot.pause(0.5)
        toast = app.screen.query(Toast).first()
        width = toast.content_size.width
        # a word longer than the toast is broken mid-word; the full path would be
        assert max(len(word) for word in said.split()) <= width < len(LONG)
