"""Clocks passed into everything that measures time, so tests can drive time by hand."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    """A monotonic clock: seconds that only ever go forward, unaffected by wall-clock changes."""

    def now_s(self) -> float:
        """Return the current monotonic time in seconds."""
        ...


class MonotonicClock:
    """The real monotonic clock of this machine."""

    def now_s(self) -> float:
        """Return :func:`time.monotonic`."""
        return time.monotonic()


class FakeClock:
    """A clock that stands still until a test advances it."""

    def __init__(self, start_s: float = 1000.0) -> None:
        self._now_s = float(start_s)

    def now_s(self) -> float:
        """Return the time the test has set."""
        return self._now_s

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (never backwards: a monotonic clock cannot)."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"a monotonic clock only moves forward; cannot advance by {seconds!r}")
        self._now_s += seconds


def utc_now() -> datetime:
    """Return the current wall-clock time in UTC (for timestamps only, never for durations)."""
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    """Format an aware datetime as UTC ISO 8601 with a ``Z`` suffix, to the second."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must carry a time zone; got a naive datetime")
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"  # %Y does not pad years before 1000


def parse_iso_utc(text: str) -> datetime:
    """Parse a timestamp written by :func:`iso_utc` back into an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


class LocalZone(tzinfo):
    """This computer's own time zone, with its daylight-saving rules (as ``time.localtime`` knows
    them), for when no zone is named.

    ``datetime.now().astimezone().tzinfo`` is only today's fixed offset: in summer it would put a
    winter session an hour out. Here each moment gets the offset it had. Within the hour that a
    change to winter time repeats, a local wall time is read as the first of the two unless it
    carries ``fold=1`` (as the second time round does when it comes from a UTC time).
    """

    def fromutc(self, dt: datetime) -> datetime:
        """The local wall time of the UTC time ``dt`` (which carries this zone, as Python asks)."""
        stamp = (dt.replace(tzinfo=None) - _EPOCH_NAIVE).total_seconds()
        offset_s = time.localtime(math.floor(stamp)).tm_gmtoff
        local = dt + timedelta(seconds=offset_s)
        if time.localtime(math.floor(stamp) - _NEAR_S).tm_gmtoff > offset_s and self.utcoffset(
            local
        ) != timedelta(seconds=offset_s):
            local = local.replace(fold=1)  # the second time round of an hour that repeats
        return local

    def utcoffset(self, dt: datetime | None) -> timedelta:
        """The offset from UTC at the local wall time ``dt`` (now, for ``None``)."""
        return timedelta(seconds=self._local(dt).tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta:
        """How far daylight saving moves the clock at ``dt``."""
        local = self._local(dt)
        return timedelta(seconds=local.tm_gmtoff + time.timezone) if local.tm_isdst > 0 else _ZERO

    def tzname(self, dt: datetime | None) -> str:
        """The zone's short name at ``dt``, such as CEST."""
        return self._local(dt).tm_zone

    def __repr__(self) -> str:
        return "LocalZone()"

    @staticmethod
    def _local(dt: datetime | None) -> time.struct_time:
        if dt is None:
            return time.localtime()
        wall = (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, 0, 0, -1)
        stamp = time.mktime(wall)
        local = time.localtime(stamp)
        if (
            time.localtime(stamp - _NEAR_S).tm_gmtoff == local.tm_gmtoff
            and time.localtime(stamp + _NEAR_S).tm_gmtoff == local.tm_gmtoff
        ):
            return local  # no change of offset near: the wall time is one moment
        seen = []  # the moments with this wall time: two in the hour that repeats
        for isdst in (1, 0):
            local = time.localtime(time.mktime((*wall[:8], isdst)))
            if local[:6] == wall[:6]:
                seen.append(local)
        if seen:  # fold 0: the first of them, fold 1: the second
            return (max if dt.fold else min)(seen, key=time.mktime)
        return time.localtime(time.mktime(wall))  # a wall time the change to summer skips


_EPOCH_NAIVE = datetime(1970, 1, 1)
_ZERO = timedelta(0)
_NEAR_S = 3 * 3600  # no change of offset is larger: beyond this, a wall time is unambiguous
