"""The single frame ticker that drives every animation, and a manual one for tests."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication


class FrameTicker(QObject):
    """Emits ``tick`` once per display frame while running.

    Animations never count ticks: on each tick they read the session's clock, so a late or
    dropped frame delays a repaint but never shifts the pacer.
    """

    tick = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)

    @staticmethod
    def frame_interval_ms() -> int:
        """One frame of the primary screen (60 Hz when the screen does not say)."""
        screen = QGuiApplication.primaryScreen()
        rate_hz = screen.refreshRate() if screen is not None else 60.0
        if not rate_hz or rate_hz < 20:
            rate_hz = 60.0
        return max(1, round(1000 / rate_hz))

    def start(self) -> None:
        """Start ticking at the display's frame rate."""
        if not self._timer.isActive():
            self._timer.start(self.frame_interval_ms())

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
