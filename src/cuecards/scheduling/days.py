"""Study days: the local day after the rollover hour, and whole-second times.

The study day of a moment is ``(local time - rollover_hour hours).date()``
as a day number (``date.toordinal``). The local time zone is the
``timezone`` setting, or the machine's when it is unset. Wall-clock
arithmetic is used on purpose: the day turns when the local clock shows the
rollover hour, and on a day when that hour does not exist (a DST gap) it
turns at the first instant after the gap.

Elapsed time between two reviews is the number of study days crossed
(:func:`StudyDay.elapsed`), as FSRS-6 was trained and as fsrs-rs counts it.
"""

from __future__ import annotations

import math
import time as _time
from datetime import UTC, date, datetime, time, timedelta, tzinfo

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def to_epoch(dt: datetime) -> int:
    """Epoch seconds of an aware datetime (truncated to whole seconds)."""
    return int(dt.timestamp())


def from_epoch(seconds: int | float) -> datetime:
    """An aware UTC datetime from epoch seconds."""
    return datetime.fromtimestamp(seconds, UTC)


def whole_seconds(moment: datetime) -> datetime:
    """``moment`` in UTC without its microseconds: what the database can keep.

    Raises:
        ValueError: ``moment`` is naive.
    """
    if moment.tzinfo is None:
        raise ValueError("a moment must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0)


class StudyDay:
    """Local study days that roll over at ``rollover_hour``.

    Args:
        rollover_hour: The local hour (0-23) a new study day begins at.
        tz_name: An IANA zone name; None uses the machine's local zone.
    """

    def __init__(self, rollover_hour: int = 4, tz_name: str | None = None) -> None:
        self.rollover_hour = rollover_hour
        self.tz: tzinfo | None = None
        if tz_name:
            from zoneinfo import ZoneInfo

            self.tz = ZoneInfo(tz_name)
        self._offsets: dict[int, int] = {}

    def day(self, moment: datetime) -> int:
        """The study day number of an aware moment."""
        return self.day_of_epoch(math.floor(moment.timestamp()))

    def day_of_epoch(self, seconds: int | float) -> int:
        """The study day number of epoch seconds: the local wall-clock date
        ``rollover_hour`` hours earlier (also used per row by the statistics)."""
        whole = math.floor(seconds)
        wall = whole + self._offset(whole) - self.rollover_hour * 3600
        return wall // 86400 + _EPOCH_ORDINAL

    def _offset(self, seconds: int) -> int:
        """The zone's UTC offset in seconds at ``seconds``; cached per quarter
        hour (zone changes fall on quarter hours), checked at both ends."""
        bucket = seconds // 900
        cached = self._offsets.get(bucket)
        if cached is not None:
            return cached
        first, last = self._raw_offset(bucket * 900), self._raw_offset(bucket * 900 + 899)
        if first != last:
            return self._raw_offset(seconds)
        if len(self._offsets) > 100_000:  # about three years of quarter hours
            self._offsets.clear()
        self._offsets[bucket] = first
        return first

    def _raw_offset(self, seconds: int) -> int:
        if self.tz is None:
            return _time.localtime(seconds).tm_gmtoff
        offset = from_epoch(seconds).astimezone(self.tz).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    def elapsed(self, last: datetime | None, now: datetime) -> int | None:
        """Whole study days from the day of ``last`` to the day of ``now``
        (never negative: a clock set back counts 0); None without ``last``."""
        if last is None:
            return None
        return max(0, self.day(now) - self.day(last))

    def start(self, day: int) -> datetime:
        """When study day ``day`` begins, in UTC."""
        naive = datetime.combine(date.fromordinal(day), time(hour=self.rollover_hour))
        local = naive.replace(tzinfo=self.tz) if self.tz else naive.astimezone()
        start = local.astimezone(UTC)
        # Inside a DST gap the wall-clock hour does not exist; whichever side
        # the zone library picks, the day begins at the first second whose
        # study day is ``day``.
        one = timedelta(seconds=1)
        if self.day(start) < day or self.day(start - one) >= day:
            lo, hi = to_epoch(start) - 4 * 3600, to_epoch(start) + 4 * 3600
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if self.day_of_epoch(mid) >= day:
                    hi = mid
                else:
                    lo = mid
            start = from_epoch(hi)
        return start

    def end(self, day: int) -> datetime:
        """When study day ``day`` ends (the next one begins), in UTC."""
        return self.start(day + 1)

    def date_of(self, day: int) -> date:
        """The calendar date a study day is named after."""
        return date.fromordinal(day)
