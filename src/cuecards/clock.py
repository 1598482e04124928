"""The clock: one type and the one real implementation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)
