"""The summary after a practice: before -> after for both ratings, and the time practised."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from trainer.app.profile import StoredSession
from trainer.app.words import before_after_text, duration_text
from trainer.session.machine import SessionStatus
from ui.common.keys import click_focused_button, is_enter
from ui.common.theme import muted, scaled_font, screen_layout


class SummaryScreen(QWidget):
    """Emits ``done`` (back to the exercises) or ``history_requested``."""

    done = Signal()
    history_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel("Thank you for taking this time")
        heading.setFont(scaled_font(self, 1.9, bold=True))
        self.practised = QLabel()
        self.practised.setWordWrap(True)
        self.practised.setFont(scaled_font(self, 1.15))

        grid = QGridLayout()
        grid.setHorizontalSpacing(32)
        grid.setVerticalSpacing(8)
        header_before = QLabel("before → after")
        muted(header_before)
        grid.addWidget(header_before, 0, 1)
        self.tension = QLabel()
        self.pain = QLabel()
        for row, (name, value) in enumerate((("Tension", self.tension), ("Pain", self.pain)), 1):
            label = QLabel(name)
            label.setFont(scaled_font(self, 1.3, bold=True))
            value.setFont(scaled_font(self, 1.6))
            value.setAccessibleName(f"{name} before and after")
            grid.addWidget(label, row, 0)
            grid.addWidget(value, row, 1)
        grid.setColumnStretch(2, 1)

        self.note = QLabel(
            "These are this session's before and after ratings: how you felt today, just before "
            "and just after. Over the weeks, the history shows how your ratings move alongside "
            "your practice, though not what caused a change; it keeps every session."
        )
        self.note.setWordWrap(True)
        muted(self.note)

        self.done_button = QPushButton("Back to exercises (Enter)")
        self.done_button.clicked.connect(self.done)
        self.history_button = QPushButton("See history (H)")
        self.history_button.clicked.connect(self.history_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)

        layout = screen_layout(self, spacing=16)
        layout.addWidget(heading)
        layout.addWidget(self.practised)
        layout.addLayout(grid)
        layout.addWidget(self.note)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Session summary")

    def show_session(self, session: StoredSession) -> None:
        """Fill in the figures of a saved session."""
        self.tension.setText(before_after_text(session.before.tension, session.after.tension))
        self.pain.setText(before_after_text(session.before.pain, session.after.pain))
        text = f"You practised {session.title} for {duration_text(session.practised_s)}."
        if session.status is SessionStatus.ENDED_EARLY:
            text += " Stopping early is fine: every minute of practice counts."
        self.practised.setText(text)
        self.setFocus()

    def show_demonstration(self, title: str, practised_s: float) -> None:
        """A demonstration ended: nothing was rated or kept, so there are no figures."""
        self.tension.setText("not asked")
        self.pain.setText("not asked")
        self.practised.setText(
            f"That was a demonstration of {title} ({duration_text(practised_s)}). Nothing was "
            "recorded."
        )
        self.setFocus()

    def clear(self) -> None:
        """Forget the last session's figures (another profile is now in use)."""
        for label in (self.tension, self.pain, self.practised):
            label.setText("")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event):
            if not click_focused_button(self):
                self.done.emit()
        elif event.key() == Qt.Key.Key_Escape:
            self.done.emit()
        elif event.key() == Qt.Key.Key_H:
            self.history_requested.emit()
        else:
            super().keyPressEvent(event)
