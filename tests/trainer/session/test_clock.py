"""Tests for trainer/session/clock.py: the fake and real monotonic clocks, UTC timestamps and this
computer's own time zone."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from trainer.analysis.history import local_days
from trainer.session.clock import (
    Clock,
    FakeClock,
    LocalZone,
    MonotonicClock,
    iso_utc,
    parse_iso_utc,
    utc_now,
)


def test_fake_clock_stands_still_until_advanced() -> None:
    clock = FakeClock(start_s=5.0)
    assert clock.now_s() == 5.0
    assert clock.now_s() == 5.0
    clock.advance(2.5)
    assert clock.now_s() == 7.5
    clock.advance(0)
    assert clock.now_s() == 7.5


def test_fake_clock_default_start_is_not_zero() -> None:
    # A non-zero start catches code that mistakes "now" for "time since start".
    assert FakeClock().now_s() == 1000.0


@pytest.mark.parametrize("seconds", [-1.0, -1e-9, math.nan, math.inf, -math.inf])
def test_fake_clock_never_goes_back(seconds: float) -> None:
    clock = FakeClock(start_s=10.0)
    with pytest.raises(ValueError, match="only moves forward"):
        clock.advance(seconds)
    assert clock.now_s() == 10.0


def test_clocks_satisfy_the_protocol() -> None:
    clocks: list[Clock] = [FakeClock(), MonotonicClock()]
    assert all(isinstance(c.now_s(), float) for c in clocks)


def test_monotonic_clock_never_goes_back() -> None:
    clock = MonotonicClock()
    readings = [clock.now_s() for _ in range(1000)]
    assert readings == sorted(readings)


def test_utc_now_is_aware_utc() -> None:
    now = utc_now()
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)


def test_iso_utc_format() -> None:
    moment = datetime(2024, 5, 1, 9, 30, 5, 999_999, tzinfo=UTC)
    assert iso_utc(moment) == "2024-05-01T09:30:05Z"  # to the second, truncated


def test_iso_utc_converts_to_utc() -> None:
    moment = datetime(2024, 5, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=-8)))
    assert iso_utc(moment) == "2024-05-01T09:00:00Z"


def test_iso_utc_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="time zone"):
        iso_utc(datetime(2024, 5, 1, 9, 30))  # naive on purpose


def test_parse_iso_utc_round_trip() -> None:
    moment = datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC)
    parsed = parse_iso_utc(iso_utc(moment))
    assert parsed == moment
    assert parsed.tzinfo is not None
    assert parsed.utcoffset() == timedelta(0)


@pytest.fixture
def berlin_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's local time set to Berlin's (where the system can be told so)."""
    if not hasattr(time, "tzset"):
        pytest.skip("only Unix can change the process's time zone")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_local_zone_follows_daylight_saving(berlin_time: None) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    zone = LocalZone()
    start = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    for stamp in range(int(start), int(start) + 366 * 86400, 3593):  # every hour or so, a year
        mine, theirs = datetime.fromtimestamp(stamp, zone), datetime.fromtimestamp(stamp, berlin)
        assert mine.replace(tzinfo=None) == theirs.replace(tzinfo=None), stamp
    winter, summer = datetime(2024, 1, 15, 12, tzinfo=zone), datetime(2024, 7, 15, 12, tzinfo=zone)
    assert winter.utcoffset() == timedelta(hours=1)
    assert summer.utcoffset() == timedelta(hours=2)
    assert (winter.tzname(), summer.tzname()) == ("CET", "CEST")
    assert (winter.dst(), summer.dst()) == (timedelta(0), timedelta(hours=1))
    assert summer.astimezone(UTC) == datetime(2024, 7, 15, 10, tzinfo=UTC)


def test_the_local_zone_and_the_history_agree_on_days(berlin_time: None) -> None:
    stamps = np.arange(1.70e9, 1.70e9 + 400 * 86400, 4799.0)
    assert (local_days(stamps, LocalZone()) == local_days(stamps, ZoneInfo("Europe/Berlin"))).all()


@pytest.mark.parametrize("year", [1, 999, 1000, 9999])
def test_iso_utc_pads_the_year_to_four_digits_and_reads_back(year: int) -> None:
    moment = datetime(year, 6, 1, 12, 0, 0, tzinfo=UTC)
    text = iso_utc(moment)
    assert text == f"{year:04d}-06-01T12:00:00Z"
    assert parse_iso_utc(text) == moment
