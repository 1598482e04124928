"""The one recall formula: predicted recall after whole study days.

FSRS-6's forgetting curve is

    R = (1 + FACTOR * t / S) ** DECAY,   FACTOR = 0.9 ** (1 / DECAY) - 1

with ``S`` the stability, ``DECAY`` the negated ``w[20]`` of the parameters
and ``t`` the elapsed time. Here ``t`` is always the number of whole study
days from the day of the last review to the day asked about
(:meth:`StudyDay.elapsed`): the count the scheduler uses for a rating, the
count FSRS was trained on, and the count fsrs's own
``get_card_retrievability`` gives when the same number of days has passed.
Home's interview forecast, the statistics and ``cuecards plan`` all call
:meth:`Curve.recall`; nothing else computes recall.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cuecards.scheduling.days import StudyDay

#: FSRS-6's default w[20]
DEFAULT_DECAY = 0.1542


@dataclass(frozen=True)
class Curve:
    """The forgetting curve of one parameter set.

    Attributes:
        decay: The curve's DECAY (negative: ``-w[20]``).
    """

    decay: float = -DEFAULT_DECAY

    @classmethod
    def of(cls, parameters: Sequence[float] | None) -> Curve:
        """The curve of ``parameters`` (21 numbers), or of the defaults."""
        return cls(-(parameters[20] if parameters else DEFAULT_DECAY))

    @property
    def factor(self) -> float:
        """``0.9 ** (1 / decay) - 1``: makes R = 0.9 when t = S."""
        return float(0.9 ** (1 / self.decay) - 1)

    def recall(self, stability: float | None, elapsed_days: int) -> float:
        """Predicted recall ``elapsed_days`` whole days after the last review
        (0 for a card never studied)."""
        if stability is None or stability <= 0:
            return 0.0
        t = max(0, int(elapsed_days))
        return float((1 + self.factor * t / stability) ** self.decay)

    def recall_on(
        self, days: StudyDay, stability: float | None, last_review: datetime | None, day: int
    ) -> float:
        """Predicted recall on study day ``day`` of a card last reviewed at
        ``last_review`` and not reviewed meanwhile."""
        if last_review is None:
            return 0.0
        return self.recall(stability, day - days.day(last_review))


class RecallOn:
    """Recall of stored cards as a function the statistics queries call per
    row: ``recall(stability, last_review_epoch, day)`` is the recall on study
    day ``day`` of a card last reviewed at that moment (None for a card never
    studied).

    Args:
        curve: The forgetting curve.
        days: The study days the elapsed days are counted in.
    """

    def __init__(self, curve: Curve, days: StudyDay) -> None:
        self.curve = curve
        self.days = days
        self._day_of: dict[int, int] = {}

    def __call__(self, stability: float | None, last_review: int | None, day: int) -> float | None:
        """The recall figure, or None without a stability or a last review."""
        if stability is None or last_review is None or stability <= 0:
            return None
        epoch = int(last_review)
        last_day = self._day_of.get(epoch)
        if last_day is None:
            last_day = self._day_of[epoch] = self.days.day_of_epoch(epoch)
        return self.curve.recall(stability, int(day) - last_day)
