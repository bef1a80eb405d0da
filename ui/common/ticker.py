"""The single frame ticker that drives every animation, and a manual one for tests."""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

DEFAULT_RATE_HZ = 60.0
MAX_RATE_HZ = 120.0  # a slow pacer gains nothing from more; faster screens tick at this


def frame_interval_ms(rate_hz: float | None) -> int:
    """Whole milliseconds between ticks for a display refreshing ``rate_hz`` times a second.

    Rounded down, so the ticks keep up with the display: 16 ms at 60 Hz (62.5 ticks a second;
    17 ms would give only 58.8 and leave a stale frame every 17th refresh). Unknown or odd
    rates count as 60 Hz; rates above 120 Hz are ticked at 120.
    """
    if rate_hz is None or not math.isfinite(rate_hz) or rate_hz < 20:
        rate_hz = DEFAULT_RATE_HZ
    return max(1, math.floor(1000.0 / min(rate_hz, MAX_RATE_HZ)))


class FrameTicker(QObject):
    """Emits ``tick`` once per display frame while running.

    Animations never count ticks: on each tick they read the session's clock, so a late or
    dropped frame delays a repaint but never shifts the pacer. The timer repeats with Qt's
    precise timing, which keeps its own deadlines (each one interval after the last, not after
    the tick ran), so ticks do not drift; a tick more than an interval late is skipped rather
    than bunched. (Re-arming a one-shot timer at exact 60 Hz deadlines was measured too: it
    cost about twice the CPU for no visible gain.)
    """

    tick = Signal()

    def __init__(self, parent: QObject | None = None, *, rate_hz: float | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(frame_interval_ms(rate_hz or self.display_rate_hz()))
        self._timer.timeout.connect(self.tick)

    @staticmethod
    def display_rate_hz() -> float:
        """The primary screen's refresh rate (60 Hz when there is no screen)."""
        screen = QGuiApplication.primaryScreen()
        return float(screen.refreshRate()) if screen is not None else DEFAULT_RATE_HZ

    @property
    def interval_ms(self) -> int:
        """Milliseconds between ticks."""
        return self._timer.interval()

    def start(self) -> None:
        """Start ticking at the display's frame rate."""
        if not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        """Stop ticking (nothing animates)."""
        self._timer.stop()

    def is_running(self) -> bool:
        """Whether ticks are being emitted."""
        return self._timer.isActive()


class ManualTicker(QObject):
    """A ticker for tests: ``fire()`` emits one tick, only while started."""

    tick = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running = False

    def start(self) -> None:
        """Let ``fire`` emit ticks."""
        self._running = True

    def stop(self) -> None:
        """Make ``fire`` do nothing, as a stopped timer would."""
        self._running = False

    def is_running(self) -> bool:
        """Whether ticks are being emitted."""
        return self._running

    def fire(self) -> None:
        """Emit one tick if running."""
        if self._running:
            self.tick.emit()
