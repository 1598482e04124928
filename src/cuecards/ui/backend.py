"""The app's one door to the service: every call runs on one worker thread.

The service holds a database connection, and a connection belongs to the
thread that made it. So the service is opened, used and closed on a single
background thread that this module owns; screens ``await`` its calls, which
keeps the screen painting while a sync or a query runs, and keeps every call
in order (a rating is committed before the next card is asked for).

Nothing here imports Textual: it is plain asyncio over a thread pool of one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from cuecards.session import Service
    from cuecards.views import SyncReport

T = TypeVar("T")


class Backend:
    """Runs service calls in order on one thread and hands back their results."""

    def __init__(self, open_service: Callable[[], Service]) -> None:
        """Keep the factory; nothing opens until :meth:`open` is awaited."""
        self._open_service = open_service
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cuecards-service")
        self.service: Service | None = None
        #: called with (done, total) during the start-up sync, on the service thread
        self.on_progress: Callable[[int, int], None] | None = None
        self._startup: Future[SyncReport] | None = None

    def start(self) -> None:
        """Begin opening and syncing now, on the service thread.

        The command line calls this before it imports Textual, so the database
        work overlaps the UI's imports; :meth:`started` awaits the result.
        """
        if self._startup is None:
            self._startup = self._pool.submit(self._open_and_sync)

    def _open_and_sync(self) -> SyncReport:
        self.service = self._open_service()
        return self.service.sync(self._progress)

    def _progress(self, done: int, total: int) -> None:
        if self.on_progress is not None:
            self.on_progress(done, total)

    async def started(self) -> SyncReport:
        """The start-up sync's report, once the service is open and synced."""
        self.start()
        assert self._startup is not None
        return await asyncio.wrap_future(self._startup)

    async def ready(self) -> Service:
        """The service, once the start-up sync is done (raises its error if it failed)."""
        await self.started()
        assert self.service is not None
        return self.service

    def is_ready(self) -> bool:
        """True once the service is open and the start-up sync has finished well."""
        return (
            self._startup is not None
            and self._startup.done()
            and self._startup.exception() is None
            and self.service is not None
        )

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(*args, **kwargs)`` on the service thread and await its result."""
        return await asyncio.wrap_future(self._pool.submit(fn, *args, **kwargs))

    def close(self) -> None:
        """Close the service on its own thread and wait for it, then stop the thread."""
        service = self.service
        self.service = None
        if service is not None:
            try:  # noqa: SIM105
                self._pool.submit(service.close).result(timeout=10)
            except Exception:  # noqa: BLE001 - closing must never keep the app from exiting
                pass
        self._pool.shutdown(wait=False, cancel_futures=True)
