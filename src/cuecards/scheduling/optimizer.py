"""Fit FSRS parameters to one user's own review history.

The fit runs in the ``fsrs-rs-python`` package (the optional ``optimize``
extra): it fits 10,000 reviews in well under a second and 100,000 in about
one, where the pure-Python optimizer needs PyTorch and minutes. The history is
turned into FSRS training items here, then the log-loss of the current
parameters and of the fitted ones is measured on the same items, so the user
sees whether the fit is better before it is saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cuecards.errors import CuecardsError

#: Fewer reviews than this make a fit that mostly echoes noise.
MIN_REVIEWS = 400


@dataclass(frozen=True)
class FitResult:
    """What a fit gave: the parameters and log-loss before and after."""

    reviews: int
    items: int
    cards: int
    before: Sequence[float]
    after: Sequence[float]
    log_loss_before: float
    log_loss_after: float
    rmse_before: float
    rmse_after: float

    @property
    def improved(self) -> bool:
        """True when the fitted parameters predict this history better."""
        return self.log_loss_after < self.log_loss_before


def training_items(
    history: Iterable[tuple[int, int, int]],
) -> tuple[list[list[tuple[int, int]]], int, int]:
    """Turn ``(card_id, local_day, rating)`` rows, ordered by card then time,
    into FSRS training sequences of ``(rating, days since previous review)``.

    Every prefix of a card's history that ends in a review on a later day than
    the one before is one item (FSRS learns from what happened at that review).

    Returns:
        The items, the number of reviews read and the number of cards.
    """
    items: list[list[tuple[int, int]]] = []
    reviews = cards = 0
    current: int | None = None
    seq: list[tuple[int, int]] = []
    last_day = 0
    for card_id, day, rating in history:
        reviews += 1
        if card_id != current:
            current, seq, cards = card_id, [], cards + 1
            delta = 0
        else:
            delta = max(0, day - last_day)
        last_day = day
        seq.append((int(rating), delta))
        if len(seq) > 1 and delta > 0:
            items.append(list(seq))
    return items, reviews, cards


def fit(
    history: Iterable[tuple[int, int, int]], current: Sequence[float] | None = None
) -> FitResult:
    """Fit parameters to ``history`` and compare them with ``current``.

    Raises:
        CuecardsError: the extra is not installed, or there is too little history.
    """
    try:
        import fsrs_rs_python as rs
    except ImportError:
        raise CuecardsError(
            "fitting needs the optimize extra: pip install 'cuecards[optimize]'"
        ) from None
    seqs, reviews, cards = training_items(history)
    if reviews < MIN_REVIEWS or not seqs:
        raise CuecardsError(
            f"not enough history to fit: {reviews} reviews (at least {MIN_REVIEWS} are needed)"
        )
    before = list(current) if current else list(rs.DEFAULT_PARAMETERS)
    items = [rs.FSRSItem([rs.FSRSReview(r, d) for r, d in seq]) for seq in seqs]
    try:
        after = list(rs.FSRS(before).compute_parameters(items))
        eval_before = rs.FSRS(before).evaluate(items)
        eval_after = rs.FSRS(after).evaluate(items)
    except BaseException as e:  # the Rust side reports bad data as a panic
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        raise CuecardsError(f"the fit failed: {e}") from None
    return FitResult(
        reviews=reviews,
        items=len(items),
        cards=cards,
        before=before,
        after=after,
        log_loss_before=float(eval_before.log_loss),
        log_loss_after=float(eval_after.log_loss),
        rmse_before=float(eval_before.rmse_bins),
        rmse_after=float(eval_after.rmse_bins),
    )
