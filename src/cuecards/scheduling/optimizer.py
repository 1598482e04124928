"""Fit FSRS parameters to one user's own review history, honestly.

The fit runs in the ``fsrs-rs-python`` package (the optional ``optimize``
extra): it fits 10,000 reviews in well under a second and 100,000 in about
one, where the pure-Python optimizer needs PyTorch and minutes.

The history is counted as the scheduler counts it: each review's study day
(the rollover hour, the user's zone) and the whole study days since the
card's previous review. The fit is judged twice, by log-loss and by RMSE
(binned), each before and after:

* on the whole history (parameters fitted on all of it), and
* on a held-out split: every fifth card (by id) is kept out of a second fit
  and the parameters of that fit are scored on those cards only.

The fitted parameters are applied only when all four figures improve; the
result says which did not otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cuecards.errors import CuecardsError

#: Fewer reviews than this make a fit that mostly echoes noise.
MIN_REVIEWS = 400
#: every HOLD_OUT-th card (by id) is held out of the check fit
HOLD_OUT = 5

Sequences = list[list[tuple[int, int]]]


@dataclass(frozen=True)
class Score:
    """Log-loss and RMSE (binned) of one parameter set on one set of items."""

    log_loss: float
    rmse: float


@dataclass(frozen=True)
class FitResult:
    """What a fit gave: the parameters and their scores before and after."""

    reviews: int
    items: int
    cards: int
    held_out_items: int
    before: Sequence[float]
    after: Sequence[float]
    all_before: Score
    all_after: Score
    held_before: Score | None
    held_after: Score | None

    @property
    def log_loss_before(self) -> float:
        """Log-loss of the current parameters on the whole history."""
        return self.all_before.log_loss

    @property
    def log_loss_after(self) -> float:
        """Log-loss of the fitted parameters on the whole history."""
        return self.all_after.log_loss

    @property
    def rmse_before(self) -> float:
        """RMSE of the current parameters on the whole history."""
        return self.all_before.rmse

    @property
    def rmse_after(self) -> float:
        """RMSE of the fitted parameters on the whole history."""
        return self.all_after.rmse

    def worse(self) -> list[str]:
        """The figures the fit does not improve (empty: better on all four)."""
        out = []
        pairs = [("log-loss", "all", self.all_before.log_loss, self.all_after.log_loss)]
        pairs.append(("RMSE", "all", self.all_before.rmse, self.all_after.rmse))
        if self.held_before is not None and self.held_after is not None:
            pairs.append(
                ("log-loss", "held-out", self.held_before.log_loss, self.held_after.log_loss)
            )
            pairs.append(("RMSE", "held-out", self.held_before.rmse, self.held_after.rmse))
        else:
            out.append("the held-out check (too few held-out reviews)")
        out += [f"{name} on {part}" for name, part, b, a in pairs if not a < b]
        return out

    @property
    def improved(self) -> bool:
        """True when the fit predicts better by log-loss and RMSE, on the whole
        history and on the held-out cards."""
        return not self.worse()


def training_items(
    history: Iterable[tuple[int, int, int]],
) -> tuple[Sequences, int, int]:
    """Turn ``(card_id, study_day, rating)`` rows, ordered by card then time,
    into FSRS training sequences of ``(rating, study days since previous review)``.

    Every prefix of a card's history that ends in a review on a later day than
    the one before is one item (FSRS learns from what happened at that review).

    Returns:
        The items, the number of reviews read and the number of cards.
    """
    items, reviews, cards, _ids = _items_by_card(history)
    return items, reviews, cards


def _items_by_card(
    history: Iterable[tuple[int, int, int]],
) -> tuple[Sequences, int, int, list[int]]:
    items: Sequences = []
    ids: list[int] = []
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
            ids.append(card_id)
    return items, reviews, cards, ids


def _module() -> Any:
    try:
        import fsrs_rs_python as rs
    except ImportError:
        raise CuecardsError(
            "fitting needs fsrs-rs-python, which cuecards installs: reinstall cuecards"
        ) from None
    return rs


def fit(
    history: Iterable[tuple[int, int, int]], current: Sequence[float] | None = None
) -> FitResult:
    """Fit parameters to ``history`` (``(card_id, study_day, rating)`` by card
    then time) and score them against ``current``.

    Raises:
        CuecardsError: the extra is not installed, or there is too little history.
    """
    rs = _module()
    seqs, reviews, cards, ids = _items_by_card(history)
    if reviews < MIN_REVIEWS or not seqs:
        raise CuecardsError(
            f"not enough history to fit: {reviews} reviews (at least {MIN_REVIEWS} "
            "on more than one day are needed); keep reviewing and try again later"
        )
    before = list(current) if current else list(rs.DEFAULT_PARAMETERS)
    items = [rs.FSRSItem([rs.FSRSReview(r, d) for r, d in seq]) for seq in seqs]
    train = [it for it, cid in zip(items, ids, strict=True) if cid % HOLD_OUT]
    held = [it for it, cid in zip(items, ids, strict=True) if not cid % HOLD_OUT]
    try:
        after = [float(w) for w in rs.FSRS(before).compute_parameters(items)]
        all_before, all_after = _score(rs, before, items), _score(rs, after, items)
        held_before = held_after = None
        if len(held) >= 20 and train:
            check = list(rs.FSRS(before).compute_parameters(train))
            held_before, held_after = _score(rs, before, held), _score(rs, check, held)
    except BaseException as e:  # the Rust side reports bad data as a panic
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        raise CuecardsError(f"the fit failed: {e}") from None
    return FitResult(
        reviews=reviews,
        items=len(items),
        cards=cards,
        held_out_items=len(held),
        before=before,
        after=after,
        all_before=all_before,
        all_after=all_after,
        held_before=held_before,
        held_after=held_after,
    )


def _score(rs: Any, parameters: Sequence[float], items: list[Any]) -> Score:
    ev = rs.FSRS(list(parameters)).evaluate(items)
    return Score(float(ev.log_loss), float(ev.rmse_bins))
