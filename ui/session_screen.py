"""The practice screen: the pacer, the phase word, time left, Pause/Resume and End."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from trainer.breathing import PhaseKind
from trainer.session import Session, SessionState
from ui.dialogs import Dialogs
from ui.pacer import CirclePacer
from ui.theme import muted, scaled_font, screen_layout
from ui.ticker import FrameTicker, ManualTicker

PHASE_WORDS = {
    PhaseKind.INHALE: "Breathe in",
    PhaseKind.HOLD: "Hold",
    PhaseKind.EXHALE: "Breathe out",
}


def clock_text(seconds: float) -> str:
    """``4:05`` for 245 seconds (rounded up, so it reads 0:00 only at the very end)."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


class SessionScreen(QWidget):
    """Shows a running session; every frame it reads the session's state and draws it."""

    def __init__(self, ticker: FrameTicker | ManualTicker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ticker = ticker
        self._session: Session | None = None
        ticker.tick.connect(self.on_tick)

        self._title = QLabel()
        self._title.setFont(scaled_font(self, 1.4, bold=True))
        self.time_left = QLabel()
        self.time_left.setFont(scaled_font(self, 1.2))
        self.time_left.setAccessibleName("Time left")
        top = QHBoxLayout()
        top.addWidget(self._title)
        top.addStretch(1)
        top.addWidget(self.time_left)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.setAccessibleName("Progress through the session")

        self.pacer = CirclePacer()
        self.phase_word = QLabel()
        self.phase_word.setFont(scaled_font(self, 2.6, bold=True))
        self.phase_word.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phase_word.setAccessibleName("What to do now")
        self.phase_seconds = QLabel()
        self.phase_seconds.setFont(scaled_font(self, 1.6))
        self.phase_seconds.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phase_seconds.setAccessibleName("Seconds left in this part of the breath")
        muted(self.phase_seconds)

        self.pause_button = QPushButton("Pause (Space)")
        self.pause_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.end_button = QPushButton("End (Esc)")
        self.end_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.end_button.clicked.connect(self.end)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.end_button)
        buttons.addStretch(1)

        layout = screen_layout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.pacer, 1)
        layout.addWidget(self.phase_word)
        layout.addWidget(self.phase_seconds)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    @property
    def session(self) -> Session | None:
        """The session on screen, if any."""
        return self._session

    def begin(self, session: Session) -> None:
        """Show ``session`` (already running) and start the frame ticker."""
        self._session = session
        self._title.setText(session.plan.title)
        session.subscribe(self._on_state)
        self._on_state(session.state)
        self.setFocus()

    def _on_state(self, state: SessionState) -> None:
        if state is SessionState.RUNNING:
            self._ticker.start()
        else:
            self._ticker.stop()
        paused = state is SessionState.PAUSED
        self.pause_button.setText("Resume (Space)" if paused else "Pause (Space)")
        self.pause_button.setEnabled(state in (SessionState.RUNNING, SessionState.PAUSED))
        self.end_button.setEnabled(state in (SessionState.RUNNING, SessionState.PAUSED))
        self.refresh()

    def on_tick(self) -> None:
        """One frame: let the session notice its end, then draw."""
        if self._session is None:
            return
        self._session.update()
        self.refresh()

    def refresh(self) -> None:
        """Draw the session's current state."""
        session = self._session
        if session is None:
            return
        state = session.pacer_state()
        self.pacer.set_level(state.level)
        if session.state is SessionState.PAUSED:
            self.phase_word.setText("Paused")
            self.phase_seconds.setText("Press Space to continue")
        else:
            self.phase_word.setText(PHASE_WORDS[state.kind])
            self.phase_seconds.setText(str(max(1, math.ceil(state.phase_remaining_s - 1e-9))))
        self.time_left.setText(f"{clock_text(session.remaining_s)} left")
        share = session.practice_s / session.plan.planned_s
        self.progress.setValue(round(1000 * share))

    def toggle_pause(self) -> None:
        """Pause or resume."""
        if self._session is not None and self._session.state in (
            SessionState.RUNNING,
            SessionState.PAUSED,
        ):
            self._session.toggle_pause()

    def end(self) -> None:
        """Ask, then end the practice early (the after-ratings follow)."""
        session = self._session
        if session is None or session.state not in (SessionState.RUNNING, SessionState.PAUSED):
            return
        was_running = session.state is SessionState.RUNNING
        if was_running:
            session.pause()
        if Dialogs.confirm(
            self,
            "End this session?",
            "End the practice now? The time you have practised so far will be kept.",
            "End session",
            "Keep going",
        ):
            session.end_early()
        elif was_running:
            session.resume()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            self.toggle_pause()
        elif event.key() == Qt.Key.Key_Escape:
            self.end()
        else:
            super().keyPressEvent(event)
