"""The frame ticker keeps up with the display (no timing is measured here; see benchmarks)."""

from __future__ import annotations

import math

import pytest

from ui.common.ticker import FrameTicker, ManualTicker, frame_interval_ms


@pytest.mark.parametrize(
    ("rate_hz", "interval_ms"),
    [
        (60.0, 16),  # 62.5 ticks a second: never fewer than the display's 60 frames
        (59.94, 16),
        (50.0, 20),
        (75.0, 13),
        (144.0, 8),  # capped at 120 a second
        (None, 16),
        (0.0, 16),
        (math.nan, 16),
    ],
)
def test_the_interval_keeps_up_with_the_display(rate_hz, interval_ms):
    assert frame_interval_ms(rate_hz) == interval_ms
    if rate_hz and 20 <= rate_hz <= 120:
        assert 1000 / frame_interval_ms(rate_hz) >= rate_hz


def test_a_frame_ticker_starts_and_stops(qapp):
    ticker = FrameTicker(rate_hz=60.0)
    assert ticker.interval_ms == 16
    assert not ticker.is_running()
    ticker.start()
    assert ticker.is_running()
    ticker.stop()
    assert not ticker.is_running()


def test_a_manual_ticker_fires_only_while_started(qapp):
    ticker = ManualTicker()
    ticks: list[int] = []
    ticker.tick.connect(lambda: ticks.append(1))
    ticker.fire()
    ticker.start()
    ticker.fire()
    ticker.stop()
    ticker.fire()
    assert ticks == [1]
