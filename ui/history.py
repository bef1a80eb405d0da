"""A simple list of past sessions: date, exercise, minutes, before -> after, where it hurt;
it can show only the sessions where one area hurt."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from trainer.bodymap import REGION_IDS, label
from trainer.session import SessionStatus
from trainer.store import StoredSession
from ui.keys import click_focused_button, is_enter
from ui.summary import change_text
from ui.theme import muted, scaled_font, screen_layout
from ui.where_it_hurts import describe_regions

STATUS_WORDS = {
    SessionStatus.IN_PROGRESS: "Not finished",
    SessionStatus.COMPLETED: "Completed",
    SessionStatus.ENDED_EARLY: "Ended early",
    SessionStatus.INTERRUPTED: "Interrupted",
    SessionStatus.ABANDONED: "Left during practice",
}

COLUMNS = ("Date", "Exercise", "Minutes", "Tension", "Pain", "Where it hurt", "How it went")
ANYWHERE = ""


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
        self.region_label = QLabel("&Where it hurt:")
        self.region = QComboBox()
        self.region.setAccessibleName("Show sessions where this area hurt")
        self.region_label.setBuddy(self.region)
        self.region.currentIndexChanged.connect(self._apply_filter)
        filter_row = QHBoxLayout()
        filter_row.addWidget(explain, 1)
        filter_row.addWidget(self.region_label)
        filter_row.addWidget(self.region)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What your ratings show")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._where: Mapping[int, tuple[str, ...]] = {}
        self._row_ids: list[int] = []
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
        layout.addWidget(self.summary)
        layout.addLayout(filter_row)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.table, 1)

    def show_sessions(
        self,
        sessions: list[StoredSession],
        where: Mapping[int, tuple[str, ...]] | None = None,
        summary: str = "",
    ) -> None:
        """Replace the rows with ``sessions`` (newest first); ``where`` maps a session's id to
        the areas marked as hurting; ``summary`` says in words what the ratings show."""
        self.summary.setText(summary)
        self.summary.setVisible(bool(summary))
        self._where = where or {}
        self._row_ids = [s.id for s in sessions]
        self.table.setRowCount(len(sessions))
        for row, session in enumerate(sessions):
            local = session.started_at.astimezone()
            cells = (
                local.strftime("%a %d %b %Y, %H:%M"),
                session.title,
                f"{session.practised_s / 60:.1f}",
                change_text(session.before.tension, session.after.tension),
                change_text(session.before.pain, session.after.pain),
                describe_regions(self._where.get(session.id, ())),
                STATUS_WORDS[session.status],
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        self.empty.setVisible(not sessions)
        self.table.setVisible(bool(sessions))
        self._fill_regions()
        if sessions:
            self.table.setCurrentCell(0, 0)

    def _fill_regions(self) -> None:
        """The filter offers only the areas that were marked in some session."""
        chosen = self.region.currentData()
        marked = {r for regions in self._where.values() for r in regions}
        self.region.blockSignals(True)
        self.region.clear()
        self.region.addItem("Anywhere", ANYWHERE)
        for region in REGION_IDS:
            if region in marked:
                self.region.addItem(label(region), region)
        index = self.region.findData(chosen) if chosen else 0
        self.region.setCurrentIndex(max(0, index))
        self.region.blockSignals(False)
        for widget in (self.region_label, self.region):
            widget.setVisible(bool(marked))
        self._apply_filter()

    @property
    def region_filter(self) -> str:
        """The area chosen in the filter (``""`` for anywhere)."""
        return str(self.region.currentData() or ANYWHERE)

    def set_region_filter(self, region: str) -> None:
        """Show only sessions where ``region`` hurt (``""``: all)."""
        self.region.setCurrentIndex(max(0, self.region.findData(region)))

    def visible_sessions(self) -> list[int]:
        """The ids of the sessions listed now, in order."""
        return [sid for row, sid in enumerate(self._row_ids) if not self.table.isRowHidden(row)]

    def _apply_filter(self, _index: int = 0) -> None:
        region = self.region_filter
        for row, session_id in enumerate(self._row_ids):
            hidden = bool(region) and region not in self._where.get(session_id, ())
            self.table.setRowHidden(row, hidden)

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
