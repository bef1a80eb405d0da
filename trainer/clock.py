"""Clocks passed into everything that measures time, so tests can drive time by hand."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
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
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso_utc(text: str) -> datetime:
    """Parse a timestamp written by :func:`iso_utc` back into an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
