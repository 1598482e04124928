"""Scheduling: FSRS on study days, the one recall formula, the optimizer.

Modules:

* :mod:`~cuecards.scheduling.days`: study days, epoch seconds, whole seconds.
* :mod:`~cuecards.scheduling.memory`: the one recall formula.
* :mod:`~cuecards.scheduling.fsrs_adapter`: ratings and previews (fsrs's
  transitions on study-day counts; fuzz; Hard <= Good <= Easy; interview date).
* :mod:`~cuecards.scheduling.optimizer`: personal parameters.
"""

from __future__ import annotations

from cuecards.scheduling.days import StudyDay, from_epoch, to_epoch, whole_seconds
from cuecards.scheduling.fsrs_adapter import (
    LEARNING,
    RELEARNING,
    REVIEW,
    CardState,
    Scheduling,
    fuzz_range,
)
from cuecards.scheduling.memory import DEFAULT_DECAY, Curve, RecallOn

__all__ = [
    "DEFAULT_DECAY",
    "LEARNING",
    "RELEARNING",
    "REVIEW",
    "CardState",
    "Curve",
    "RecallOn",
    "Scheduling",
    "StudyDay",
    "from_epoch",
    "fuzz_range",
    "to_epoch",
    "whole_seconds",
]
