"""The store: one open cuecards database, its parts joined in one class.

Each part lives in the module of its seam: :mod:`~cuecards.storage.connection`
(opening, guards, the write transaction), :mod:`~cuecards.storage.decks`,
:mod:`~cuecards.storage.cards`, :mod:`~cuecards.storage.settings` and
:mod:`~cuecards.storage.queries`. Everything it returns is a plain object.
"""

from __future__ import annotations

from collections.abc import Callable

from cuecards.storage.browse import BrowseStore
from cuecards.storage.cards import CardStore
from cuecards.storage.decks import DeckWrites
from cuecards.storage.queries import RecallFn, Summaries
from cuecards.storage.settings import SettingsStore
from cuecards.storage.statistics import StatsReader


class Store(DeckWrites, CardStore, SettingsStore, Summaries, BrowseStore):
    """An open cuecards database."""

    def stats_reader(self, recall: RecallFn) -> Callable[[], StatsReader]:
        """Opens a query-only reader of this database (for any one thread)
        whose SQL computes recall with ``recall``."""
        path, read_only = self._path, self.read_only
        return lambda: StatsReader.connect(path, recall, read_only=read_only)
