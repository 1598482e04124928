"""The service: the one door for the app and the command line (see
:mod:`cuecards.service.service` for the rule and the contract)."""

from __future__ import annotations

from cuecards.clock import Clock
from cuecards.service.service import Service
from cuecards.service.session import ReviewSession

__all__ = ["Clock", "ReviewSession", "Service"]
