"""The cuecards app: one Textual App that owns the service and navigation.

The app receives what it depends on in ``__init__`` (a function that opens the
service, a clock, how to start), so the command line and the tests build it
the same way, through :func:`make_app`. The service is opened and synced
after the first frame, on the service thread (see :mod:`cuecards.ui.backend`),
while the screen shows progress.

This is the only module that knows the screen classes: screens receive what
they call (the backend, the clock) and post messages (start a review, the
session finished or failed, study the weakest cards); the app routes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from cuecards.clock import Clock, utc_now
from cuecards.errors import CuecardsError
from cuecards.ui.backend import Backend
from cuecards.ui.editor import EditorRunner, run_editor
from cuecards.ui.screens.home import HomeScreen

if TYPE_CHECKING:
    from cuecards.paths import Paths
    from cuecards.session import Service
    from cuecards.ui.screens.browse import BrowseScreen
    from cuecards.ui.screens.custom_study import CustomStudyScreen
    from cuecards.ui.screens.review import ReviewScreen
    from cuecards.ui.screens.stats import StatsScreen
    from cuecards.ui.screens.summary import SummaryScreen
    from cuecards.ui.watch import DeckWatcher

#: ``milestone(name)``: a start-up stage ("mount", "synced") or a screen's
#: content painted ("shown"), or a rating key pressed ("rated"); for a benchmark
Milestone = Callable[[str], None]

#: how keys are written in the help screen
KEY_NAMES = {
    "exclamation_mark": "!",
    "question_mark": "?",
    "comma": ",",
    "escape": "esc",
    "pageup": "pgup",
    "pagedown": "pgdn",
}


@dataclass(frozen=True)
class StartMode:
    """Where the app opens: the home screen, or straight into a session."""

    screen: Literal["home", "review"] = "home"
    deck: str | None = None
    tag: str | None = None


class CuecardsApp(App[None]):
    """Daily practice: home, review session, summary, stats, settings, help."""

    CSS_PATH = "app.tcss"
    TITLE = "cuecards"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    class SyncProgress(Message):
        """The sync has loaded ``done`` of ``total`` deck files."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    class DecksChanged(Message):
        """Deck files were saved, created or deleted (from the watcher's thread)."""

        def __init__(self, paths: list[Path]) -> None:
            super().__init__()
            self.paths = paths

    def __init__(
        self,
        open_service: Callable[[], Service],
        clock: Clock = utc_now,
        start: StartMode | None = None,
        editor: EditorRunner = run_editor,
        live_timer: bool = True,
        backend: Backend | None = None,
        milestone: Milestone | None = None,
        live_reload: bool = True,
    ) -> None:
        """Build the app.

        Args:
            open_service: Opens the service; called once, on the service thread.
            clock: Now as UTC-aware datetime; durations and the drill timer use it.
            start: Open on the home screen (default) or straight into a session.
            editor: Runs an editor on a deck file at a line (``ctrl+o`` on a card).
            live_timer: Tick the drill timer every second (tests turn it off).
            backend: A backend already opening the service (see
                :meth:`Backend.start`); by default one over ``open_service``.
            milestone: Told of start-up stages and of screens painted (the
                start-up benchmark's probe; None in normal use).
            live_reload: Watch the deck folders and re-sync a saved deck file.
        """
        super().__init__()
        self.backend = backend or Backend(open_service)
        self.clock = clock
        self.start_mode = start or StartMode()
        self.editor = editor
        self.live_timer = live_timer
        self.milestone = milestone
        #: a start-up error the command line reports after the app exits
        self.startup_error: CuecardsError | None = None
        self.live_reload = live_reload
        self.watcher: DeckWatcher | None = None

    def _mark(self, name: str) -> None:
        if self.milestone is not None:
            self.milestone(name)

    def _home(self) -> HomeScreen:
        return HomeScreen(self.backend, self.clock, shown=lambda: self._mark("shown"))

    def get_default_screen(self) -> Screen[None]:
        if self.start_mode.screen == "review":
            # Straight into the session: an empty base under it, and the home
            # screen built only when the user goes there (nothing before the
            # first card that the first card does not need).
            return Screen()
        return self._home()

    def on_mount(self) -> None:
        self._mark("mount")
        if self.start_mode.screen == "review":
            self.open_review(self.start_mode.deck, self.start_mode.tag)
        self.run_worker(self._startup(), name="startup", group="startup", exclusive=True)

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        self.backend.close()

    async def _startup(self) -> None:
        try:
            self.backend.on_progress = self._on_progress
            await self.backend.started()
            self._mark("synced")
        except CuecardsError as e:
            self.failed(e, fatal=True)
            return
        assert self.backend.service is not None
        saved = self.backend.service.settings().theme
        if saved and saved != self.theme and saved in self.available_themes:
            self.theme = saved
        if self.live_reload:
            self.watch_decks(self.backend.service.paths.deck_dirs)

    # -- live reload ----------------------------------------------------------------
    def watch_decks(self, roots: Iterable[Path], force_polling: bool | None = None) -> None:
        """Start watching ``roots`` for saved deck files (polling: for tests)."""
        from cuecards.ui.watch import DeckWatcher

        self.watcher = DeckWatcher(
            roots, self._files_changed, force_polling=force_polling, poll_delay_ms=50
        )
        self.watcher.start()

    def _files_changed(self, paths: list[Path]) -> None:
        # The watcher's thread: post_message is safe from any thread.
        self.post_message(self.DecksChanged(paths))

    def on_cuecards_app_decks_changed(self, message: DecksChanged) -> None:
        self.run_worker(self.reload_decks(message.paths), group="reload")

    async def reload_decks(self, paths: list[Path]) -> str:
        """Re-sync after deck files changed on disk; say what changed in one line,
        refresh the home screen and take removed cards out of a session. Returns
        the line."""
        from cuecards.ui.screens.review import ReviewScreen
        from cuecards.ui.watch import reload_line

        service = self.backend.service
        if not self.backend.is_ready() or service is None:
            return ""
        try:
            report = await self.backend.call(service.resync_file, paths[0])
        except CuecardsError as e:
            self.notify(e.msg, title=e.title, severity="error")
            return e.msg
        saved = {p.resolve() for p in paths}
        mine = [e for e in report.errors if Path(e.path).resolve() in saved]
        error = mine[0].first if mine else ""
        line = reload_line(paths, report.added, report.updated, report.retired, error)
        self.notify(line, severity="error" if error else "information", timeout=8)
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.load()
            elif isinstance(screen, ReviewScreen):
                screen.decks_changed()
        return line

    def failed(self, error: CuecardsError, fatal: bool = False) -> None:
        """The one policy for errors that stop a start: with nothing to go
        back to (the start-up failed, or ``cuecards review`` could not start
        its session), exit and let the command line say it; else say it and
        go home."""
        if fatal or (
            self.start_mode.screen == "review"
            and not any(isinstance(s, HomeScreen) for s in self.screen_stack)
        ):
            self.startup_error = error
            self.exit(return_code=1 if fatal else error.exit_code)
            return
        self.notify(error.msg, title=error.title, severity="error")
        self.go_home()

    def watch_theme(self, name: str) -> None:
        """Keep the theme the user picks for the next start."""
        service = self.backend.service
        if self.backend.is_ready() and service is not None and service.settings().theme != name:
            self.run_worker(self.backend.call(service.set_setting, "theme", name), group="settings")

    def _on_progress(self, done: int, total: int) -> None:
        # Called on the service thread: post_message is safe from any thread.
        self.post_message(self.SyncProgress(done, total))

    def on_cuecards_app_sync_progress(self, message: SyncProgress) -> None:
        from cuecards.ui.screens.review import ReviewScreen

        screen = self.screen
        if isinstance(screen, HomeScreen | ReviewScreen):
            screen.show_progress(message.done, message.total)

    # -- navigation -----------------------------------------------------------------
    def open_review(
        self,
        deck: str | None = None,
        tag: str | None = None,
        uids: list[str] | None = None,
        label: str | None = None,
    ) -> None:
        """Start a session (all decks, one deck or tag, or exactly ``uids``) on top."""
        from cuecards.ui.screens.review import ReviewScreen

        self.push_screen(
            ReviewScreen(
                self.backend,
                self.clock,
                deck=deck,
                tag=tag,
                uids=uids,
                label=label,
                editor=self.editor,
                live_timer=self.live_timer,
                milestone=self.milestone,
            )
        )

    def on_home_screen_start_review(self, message: HomeScreen.StartReview) -> None:
        self.open_review(deck=message.deck)

    def action_custom_study(self) -> None:
        """The custom study screen (``c`` on the home screen, or the palette)."""
        from cuecards.ui.screens.custom_study import CustomStudyScreen

        if not isinstance(self.screen, CustomStudyScreen):
            self.push_screen(CustomStudyScreen())

    def on_custom_study_screen_start(self, message: CustomStudyScreen.Start) -> None:
        from cuecards.ui.screens.review import ReviewScreen

        self.pop_screen()
        self.push_screen(
            ReviewScreen(
                self.backend,
                self.clock,
                custom=message.choice,
                label=message.label,
                editor=self.editor,
                live_timer=self.live_timer,
                milestone=self.milestone,
            )
        )

    def on_review_screen_finished(self, message: ReviewScreen.Finished) -> None:
        from cuecards.ui.screens.summary import SummaryScreen

        self.switch_screen(SummaryScreen(message.summary, empty=message.empty))

    def on_review_screen_left(self, _message: ReviewScreen.Left) -> None:
        self.go_home()

    def on_review_screen_failed(self, message: ReviewScreen.Failed) -> None:
        self.failed(message.error)

    def on_summary_screen_closed(self, _message: SummaryScreen.Closed) -> None:
        self.go_home()

    def on_stats_screen_study_weakest(self, message: StatsScreen.StudyWeakest) -> None:
        self.open_review(uids=message.uids, label=message.label)

    def action_open_stats(self) -> None:
        """The stats screen (``t`` on the home screen, or the palette)."""
        from cuecards.ui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(backend=self.backend))

    def action_open_browse(self, query: str = "") -> None:
        """Browse every card (``b`` on the home screen, or the palette)."""
        from cuecards.ui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen(self.backend, self.clock, query=query))

    def on_home_screen_open_browse(self, message: HomeScreen.OpenBrowse) -> None:
        self.action_open_browse(message.query)

    def on_browse_screen_study_cards(self, message: BrowseScreen.StudyCards) -> None:
        self.open_review(uids=message.uids, label=message.label)

    def on_browse_screen_edit_card(self, message: BrowseScreen.EditCard) -> None:
        self.run_worker(self._edit_card(message), group="edit", exclusive=True)

    async def _edit_card(self, message: BrowseScreen.EditCard) -> None:
        """Open a card's deck file at its line, then read the file again (as ``e``)."""
        from pathlib import Path

        from cuecards.ui.editor import EditorMissing, edit_in_terminal

        service = await self.backend.ready()
        path = Path(message.path) if message.path else None
        path = path or await self.backend.call(service.deck_file, message.deck_id)
        if path is None:
            self.notify("This card's deck file is not on disk.", severity="warning")
            return
        try:
            code = edit_in_terminal(self, self.editor, path, message.line)
        except EditorMissing as e:
            self.notify(e.message, title="No editor", severity="error")
            return
        if code != 0:
            self.notify(f"The editor exited with status {code}.", severity="warning")
        report = await self.backend.call(service.resync_file, path)
        if report.errors:
            self.notify(report.errors[0].first, title="The deck did not load", severity="error")
        from cuecards.ui.screens.browse import BrowseScreen

        if isinstance(self.screen, BrowseScreen):
            self.screen.reload(keep=True)

    def action_open_settings(self) -> None:
        """The settings screen (``,`` on the home screen, or the palette)."""
        from cuecards.ui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen(self.backend))

    def action_show_help(self) -> None:
        """The keys of the screen on top (``?``)."""
        from cuecards.ui.screens.help import HelpScreen, key_rows

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        name = screen.sub_title or "this"
        rows = key_rows(type(screen).BINDINGS, KEY_NAMES)
        self.push_screen(HelpScreen(name, rows, getattr(screen, "HELP_NOTE", "")))

    def go_home(self) -> None:
        """Back to the home screen, closing whatever is on top of it."""
        if any(isinstance(s, HomeScreen) for s in self.screen_stack):
            while not isinstance(self.screen, HomeScreen):
                self.pop_screen()
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(self._home())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand("Home", "Today at a glance: decks and what is due", self.go_home)
        yield SystemCommand(
            "Review", "Start today's session over all decks", lambda: self.open_review()
        )
        yield SystemCommand(
            "Browse", "Find any card: text, deck, tag, kind, state", self.action_open_browse
        )
        yield SystemCommand(
            "Custom study", "More new cards, review ahead, cram", self.action_custom_study
        )
        yield SystemCommand("Stats", "Progress, retention and forecast", self.action_open_stats)
        yield SystemCommand(
            "Settings", "Every setting with its help, saved at once", self.action_open_settings
        )
        yield SystemCommand("Help", "The keys of this screen", self.action_show_help)
        # Textual's own commands, less those that speak of its widgets, not of
        # cuecards (theme and quit stay).
        for command in super().get_system_commands(screen):
            if command.title not in GENERIC_COMMANDS:
                yield command


#: Textual's built-in palette commands that mean nothing to a cuecards user
GENERIC_COMMANDS = frozenset({"Keys", "Maximize", "Minimize", "Screenshot"})


def service_opener(
    paths: Paths, clock: Clock | None = None, until: date | None = None
) -> Callable[[], Service]:
    """A function that opens the service over ``paths`` (run on the service thread)."""

    def open_service() -> Service:
        from cuecards.session import Service

        return Service.open(paths, clock=clock, until=until)

    return open_service


def make_app(
    paths: Paths,
    clock: Clock | None = None,
    start: StartMode | None = None,
    editor: EditorRunner = run_editor,
    live_timer: bool = True,
    backend: Backend | None = None,
    until: date | None = None,
    milestone: Milestone | None = None,
    live_reload: bool = True,
) -> CuecardsApp:
    """The app over the decks and database that ``paths`` name; CLI and tests call this.

    ``until`` is an interview date for this run only (``--until``)."""
    return CuecardsApp(
        service_opener(paths, clock, until),
        clock=clock or utc_now,
        start=start,
        editor=editor,
        live_timer=live_timer,
        backend=backend,
        milestone=milestone,
        live_reload=live_reload,
    )
