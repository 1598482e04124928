"""Where :class:`Service` and :class:`ReviewSession` were first defined; they
now live in :mod:`cuecards.service`, which this re-exports."""

from __future__ import annotations

from cuecards.service import Clock, ReviewSession, Service

__all__ = ["Clock", "ReviewSession", "Service"]
