"""Storage: the only package with SQL. It returns plain dataclasses.

Modules along the seams: ``connection`` (open, guards, transaction, backup),
``migrate`` (numbered schema steps), ``codec`` (rows to states, items and
review rows), ``decks`` (deck writes), ``cards`` (queue, rating unit of work,
undo), ``settings``, ``queries`` (shared summaries), ``statistics`` (the
figures), ``tables`` (the SQLModel schema, imported only to create a file).
"""

from __future__ import annotations

from cuecards.storage.cards import CardTx, QueueRow, SavedReview, ShownCard, SuspendedCard
from cuecards.storage.codec import NewReview, ReviewEvent, content_hash, item_content
from cuecards.storage.connection import SCHEMA_VERSION, ReadOnlyStoreError, folder_message
from cuecards.storage.decks import CardPlan, DeckMeta, DeckRecord, StoredCard
from cuecards.storage.queries import DeckCount, Query, RecallFn
from cuecards.storage.statistics import HORIZON_DAYS, Raw, StatsReader
from cuecards.storage.store import Store

__all__ = [
    "HORIZON_DAYS",
    "SCHEMA_VERSION",
    "CardPlan",
    "CardTx",
    "DeckCount",
    "DeckMeta",
    "DeckRecord",
    "NewReview",
    "Query",
    "QueueRow",
    "Raw",
    "RecallFn",
    "ReadOnlyStoreError",
    "ReviewEvent",
    "SavedReview",
    "ShownCard",
    "StatsReader",
    "Store",
    "StoredCard",
    "SuspendedCard",
    "content_hash",
    "folder_message",
    "item_content",
]
