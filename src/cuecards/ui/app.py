"""The cuecards app: one Textual App that owns the service and its screens.

The app receives what it depends on in ``__init__`` (a function that opens the
service, a clock, how to start), so the command line and the tests build it
the same way, through :func:`make_app`. The service is opened and synced
after the first frame, on the service thread (see :mod:`cuecards.ui.backend`),
while the screen shows progress.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from cuecards.errors import CuecardsError
from cuecards.ui.backend import Backend
from cuecards.ui.screens.home import HomeScreen
from cuecards.views import SyncReport

if TYPE_CHECKING:
    from cuecards.paths import Paths
    from cuecards.session import Service

Clock = Callable[[], datetime]
#: ``run_editor(path, line)`` runs an editor on a file and returns its exit code.
EditorRunner = Callable[[Path, int], int]


def utc_now() -> datetime:
    """The real clock: now, timezone-aware UTC."""
    return datetime.now(UTC)


def run_editor(path: Path, line: int) -> int:
    """Run ``$VISUAL``/``$EDITOR`` (``vi`` if neither is set) as ``EDITOR +LINE FILE``."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    args = [*shlex.split(editor), *([f"+{line}"] if line > 0 else []), str(path)]
    try:
        return subprocess.run(args, check=False).returncode
    except OSError:
        return 127


@dataclass(frozen=True)
class StartMode:
    """Where the app opens: the home screen, or straight into a session."""

    screen: Literal["home", "review"] = "home"
    deck: str | None = None
    tag: str | None = None


class CuecardsApp(App[None]):
    """Daily practice: home, review session, summary."""

    CSS_PATH = "app.tcss"
    TITLE = "cuecards"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    class SyncProgress(Message):
        """The sync has loaded ``done`` of ``total`` deck files."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    def __init__(
        self,
        open_service: Callable[[], Service],
        clock: Clock = utc_now,
        start: StartMode | None = None,
        bench_exit: bool = False,
        editor: EditorRunner = run_editor,
        live_timer: bool = True,
        backend: Backend | None = None,
    ) -> None:
        """Build the app.

        Args:
            open_service: Opens the service; called once, on the service thread.
            clock: Now as UTC-aware datetime; durations and the drill timer use it.
            start: Open on the home screen (default) or straight into a session.
            bench_exit: Exit right after the first card (or the home screen) is
                painted, keeping the time in :attr:`first_frame_at`.
            editor: Runs an editor on a deck file at a line (``e`` on a card).
            live_timer: Tick the drill timer every second (tests turn it off).
            backend: A backend already opening the service (see
                :meth:`Backend.start`); by default one over ``open_service``.
        """
        super().__init__()
        self.backend = backend or Backend(open_service)
        self.clock = clock
        self.start_mode = start or StartMode()
        self.bench_exit = bench_exit
        self.editor = editor
        self.live_timer = live_timer
        #: set once the service is open and the decks are synced
        self.ready = asyncio.Event()
        self.sync_report: SyncReport | None = None
        self.progress: tuple[int, int] = (0, 0)
        #: a start-up error the command line reports after the app exits
        self.startup_error: CuecardsError | None = None
        #: ``time.time()`` when the first card or home screen was painted
        self.first_frame_at: float | None = None
        #: ``time.time()`` at start-up stages, printed by the benchmark
        self.marks: dict[str, float] = {"app": time.time()}

    def get_default_screen(self) -> Screen:
        if self.start_mode.screen == "review":
            # Straight into the session: an empty base under it, and the home
            # screen built only when the user goes there (nothing before the
            # first card that the first card does not need).
            return Screen()
        return HomeScreen()

    def on_mount(self) -> None:
        self.marks["mount"] = time.time()
        if self.start_mode.screen == "review":
            self.open_review(self.start_mode.deck, self.start_mode.tag)
        self.run_worker(self._startup(), name="startup", group="startup", exclusive=True)

    def on_unmount(self) -> None:
        self.backend.close()

    async def _startup(self) -> None:
        try:
            self.backend.on_progress = self._on_progress
            self.sync_report = await self.backend.started()
            self.marks["synced"] = time.time()
        except CuecardsError as e:
            self.startup_error = e
            self.exit(return_code=1)
            return
        self.ready.set()
        assert self.backend.service is not None
        saved = self.backend.service.settings().theme
        if saved and saved != self.theme and saved in self.available_themes:
            self.theme = saved

    def watch_theme(self, name: str) -> None:
        """Keep the theme the user picks for the next start."""
        service = self.backend.service
        if self.ready.is_set() and service is not None and service.settings().theme != name:
            self.run_worker(self.backend.call(service.set_setting, "theme", name), group="settings")

    async def resync(self) -> SyncReport:
        """Sync the deck folders again (decks edited outside the app)."""
        service = await self.service()
        self.sync_report = await self.backend.call(service.sync, self._on_progress)
        return self.sync_report

    async def service(self) -> Service:
        """The service, once the start-up sync is done."""
        await self.ready.wait()
        assert self.backend.service is not None
        return self.backend.service

    def _on_progress(self, done: int, total: int) -> None:
        # Called on the service thread: post_message is safe from any thread.
        self.post_message(self.SyncProgress(done, total))

    def on_cuecards_app_sync_progress(self, message: SyncProgress) -> None:
        self.progress = (message.done, message.total)
        show = getattr(self.screen, "show_progress", None)
        if show is not None:
            show(message.done, message.total)

    def first_frame_shown(self) -> None:
        """A screen has its first real content; in bench mode, exit once painted."""
        if self.bench_exit and self.first_frame_at is None:
            self.marks.setdefault("shown", time.time())
            self.call_after_refresh(self._bench_done)

    def _bench_done(self) -> None:
        self.first_frame_at = time.time()
        self.exit()

    def open_review(
        self,
        deck: str | None = None,
        tag: str | None = None,
        uids: list[str] | None = None,
        label: str | None = None,
    ) -> None:
        """Start a session (all decks, one deck or tag, or exactly ``uids``) on top."""
        from cuecards.ui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(deck=deck, tag=tag, uids=uids, label=label))

    def action_open_stats(self) -> None:
        """The stats screen (``t`` on the home screen, or the palette)."""
        from cuecards.ui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def on_stats_screen_study_weakest(self, message: Message) -> None:
        # The stats screen asks to study its weakest cards.
        self.open_review(
            uids=list(getattr(message, "uids", [])), label=getattr(message, "label", None)
        )

    def go_home(self) -> None:
        """Back to the home screen, closing whatever is on top of it."""
        if any(isinstance(s, HomeScreen) for s in self.screen_stack):
            while not isinstance(self.screen, HomeScreen):
                self.pop_screen()
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(HomeScreen())

    def edit_file(self, path: Path, line: int) -> int:
        """Hand the terminal to the editor, then take it back."""
        from textual.app import SuspendNotSupported

        try:
            with self.suspend():
                return self.editor(path, line)
        except SuspendNotSupported:
            # Headless runs (tests) cannot give up a terminal they do not have.
            return self.editor(path, line)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Home", "Today at a glance: decks and what is due", self.go_home)
        yield SystemCommand(
            "Review", "Start today's session over all decks", lambda: self.open_review()
        )
        yield SystemCommand("Stats", "Progress, retention and forecast", self.action_open_stats)
        yield from super().get_system_commands(screen)


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
    bench_exit: bool = False,
    editor: EditorRunner = run_editor,
    live_timer: bool = True,
    backend: Backend | None = None,
    until: date | None = None,
) -> CuecardsApp:
    """The app over the decks and database that ``paths`` name; CLI and tests call this.

    ``until`` is an interview date for this run only (``--until``)."""
    return CuecardsApp(
        service_opener(paths, clock, until),
        clock=clock or utc_now,
        start=start,
        bench_exit=bench_exit,
        editor=editor,
        live_timer=live_timer,
        backend=backend,
    )
