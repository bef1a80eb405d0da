"""A simple list of past sessions: date, exercise, minutes, before -> after."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from trainer.session import SessionStatus
from trainer.store import StoredSession
from ui.keys import click_focused_button, is_enter
from ui.summary import change_text
from ui.theme import muted, scaled_font, screen_layout

STATUS_WORDS = {
    SessionStatus.IN_PROGRESS: "Not finished",
    SessionStatus.COMPLETED: "Completed",
    SessionStatus.ENDED_EARLY: "Ended early",
    SessionStatus.INTERRUPTED: "Interrupted",
    SessionStatus.ABANDONED: "Left during practice",
}

COLUMNS = ("Date", "Exercise", "Minutes", "Tension", "Pain", "How it went")


class HistoryScreen(QWidget):
    """Shows the sessions it is given, newest first; emits ``back``."""

    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel("Your practice so far")
        heading.setFont(scaled_font(self, 1.9, bold=True))
        self.back_button = QPushButton("Back (Esc)")
        self.back_button.clicked.connect(self.back)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.back_button)

        explain = QLabel("Tension and pain are shown as before → after each session (0–10).")
        muted(explain)
        self.empty = QLabel("No sessions yet. When you finish a practice, it will appear here.")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("Past sessions")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        layout = screen_layout(self)
        layout.addLayout(top)
        layout.addWidget(explain)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.table, 1)

    def show_sessions(self, sessions: list[StoredSession]) -> None:
        """Replace the rows with ``sessions`` (newest first)."""
        self.table.setRowCount(len(sessions))
        for row, session in enumerate(sessions):
            local = session.started_at.astimezone()
            cells = (
                local.strftime("%a %d %b %Y, %H:%M"),
                session.title,
                f"{session.practised_s / 60:.1f}",
                change_text(session.before.tension, session.after.tension),
                change_text(session.before.pain, session.after.pain),
                STATUS_WORDS[session.status],
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        self.empty.setVisible(not sessions)
        self.table.setVisible(bool(sessions))
        if sessions:
            self.table.setCurrentCell(0, 0)

    def take_focus(self) -> None:
        """Focus the table, or the Back button when there is nothing to list."""
        (self.table if self.table.rowCount() else self.back_button).setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event) and click_focused_button(self):
            return
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Backspace):
            self.back.emit()
        else:
            super().keyPressEvent(event)
