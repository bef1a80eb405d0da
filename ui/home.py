"""The home screen: the breathing exercises, a length for each, and Start."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from trainer.catalog import Catalog, Exercise
from ui.keys import click_focused_button, is_enter
from ui.theme import current_theme, muted, scaled_font, screen_layout

DESCRIPTION_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole


HOLD_NOTE = (
    "The holds are optional: if you feel dizzy or short of breath, let them go, breathe "
    "normally, and stop if you need to."
)


def minutes_text(minutes: int) -> str:
    """``1 minute``, ``5 minutes``."""
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def rate_text(rate_bpm: float) -> str:
    """``6 breaths/min`` or ``3.75 breaths/min``."""
    return f"{rate_bpm:.2f}".rstrip("0").rstrip(".") + " breaths/min"


class ExerciseDelegate(QStyledItemDelegate):
    """Paints an exercise as a bold title, its description, and its rate and length."""

    PADDING = 12

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        title = option.fontMetrics.height() * 1.25
        line = option.fontMetrics.height()
        return QSize(300, int(title + 2 * line + 2 * self.PADDING + 8))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        theme = current_theme()
        painter.save()
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, QColor(theme.accent))
        text_colour = QColor(theme.accent_text if selected else theme.text)
        detail_colour = QColor(theme.accent_text if selected else theme.muted_text)
        inner = rect.adjusted(self.PADDING, self.PADDING // 2, -self.PADDING, -self.PADDING // 2)

        title_font = QFont(option.font)
        title_font.setPointSizeF(option.font.pointSizeF() * 1.2)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title_height = painter.fontMetrics().height()
        painter.drawText(inner.adjusted(0, 0, 0, 0), Qt.AlignmentFlag.AlignLeft, index.data())

        painter.setFont(option.font)
        line = painter.fontMetrics().height()
        description_rect = inner.adjusted(0, title_height + 2, 0, 0)
        description = painter.fontMetrics().elidedText(
            str(index.data(DESCRIPTION_ROLE)), Qt.TextElideMode.ElideRight, description_rect.width()
        )
        painter.drawText(description_rect, Qt.AlignmentFlag.AlignLeft, description)
        painter.setPen(detail_colour)
        painter.drawText(
            inner.adjusted(0, title_height + line + 4, 0, 0),
            Qt.AlignmentFlag.AlignLeft,
            str(index.data(DETAIL_ROLE)),
        )
        if option.state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QColor(theme.accent_text if selected else theme.accent))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()


class HomeScreen(QWidget):
    """Lists exercises; emits ``start_requested(exercise, minutes)`` or ``history_requested``."""

    start_requested = Signal(object, int)
    history_requested = Signal()

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._minutes: dict[str, int] = {e.id: catalog.default_minutes for e in catalog.exercises}

        heading = QLabel("Choose a breathing exercise")
        heading.setFont(scaled_font(self, 1.9, bold=True))
        intro = QLabel(
            "Slow, easy breathing can help your nervous system feel safe. Pick a pattern that "
            "feels comfortable; you can stop whenever you like."
        )
        intro.setWordWrap(True)
        muted(intro)
        self.history_button = QPushButton("History (Ctrl+H)")
        self.history_button.setShortcut("Ctrl+H")
        self.history_button.clicked.connect(self.history_requested)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.history_button)

        self.list = QListWidget()
        self.list.setItemDelegate(ExerciseDelegate(self.list))
        self.list.setAccessibleName("Breathing exercises")
        self.list.setSpacing(2)
        for exercise in catalog.exercises:
            item = QListWidgetItem(exercise.title)
            item.setData(ID_ROLE, exercise.id)
            item.setData(DESCRIPTION_ROLE, exercise.description)
            item.setToolTip(f"{exercise.description}\n\nSource: {exercise.source}")
            self.list.addItem(item)
        # Double-click starts; Enter reaches keyPressEvent (the list passes it on). Not
        # ``activated``: some desktops activate on a single click, which would start by surprise.
        self.list.doubleClicked.connect(lambda _index: self.start())
        self.list.currentRowChanged.connect(self._on_current_changed)

        length_label = QLabel("&Length:")
        self.length = QComboBox()
        self.length.setAccessibleName("Session length")
        for minutes in catalog.lengths_min:
            self.length.addItem(minutes_text(minutes), minutes)
        length_label.setBuddy(self.length)
        self.length.currentIndexChanged.connect(self._on_length_changed)
        self.start_button = QPushButton("Start (Enter)")
        self.start_button.setFont(scaled_font(self, 1.1, bold=True))
        self.start_button.clicked.connect(self.start)
        self.source_note = QLabel()
        self.source_note.setWordWrap(True)
        muted(self.source_note)

        bottom = QHBoxLayout()
        bottom.addWidget(length_label)
        bottom.addWidget(self.length)
        bottom.addStretch(1)
        bottom.addWidget(self.start_button)

        layout = screen_layout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.source_note)
        layout.addLayout(bottom)
        hint = QLabel("Keys: ↑ ↓ choose, Alt+L length, Enter start, Ctrl+H history.")
        muted(hint)
        layout.addWidget(hint)

        self._refresh_details()
        self.list.setCurrentRow(0)
        QWidget.setTabOrder(self.list, self.length)
        QWidget.setTabOrder(self.length, self.start_button)
        QWidget.setTabOrder(self.start_button, self.history_button)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter from the list or the length box starts; on a focused button it presses that button.
        if is_enter(event):
            if not click_focused_button(self):
                self.start()
        else:
            super().keyPressEvent(event)

    def current_exercise(self) -> Exercise:
        """The highlighted exercise."""
        item = self.list.currentItem() or self.list.item(0)
        return self._catalog.get(str(item.data(ID_ROLE)))

    def minutes_for(self, exercise_id: str) -> int:
        """The length chosen for this exercise."""
        return self._minutes[exercise_id]

    def start(self) -> None:
        """Ask to start the highlighted exercise with its chosen length."""
        exercise = self.current_exercise()
        self.start_requested.emit(exercise, self._minutes[exercise.id])

    def _on_current_changed(self, _row: int) -> None:
        exercise = self.current_exercise()
        self.length.blockSignals(True)
        self.length.setCurrentIndex(self.length.findData(self._minutes[exercise.id]))
        self.length.blockSignals(False)
        lines = [f"Source: {exercise.source}"] if exercise.source else []
        if exercise.pattern.has_holds:
            lines.append(HOLD_NOTE)
        self.source_note.setText("\n".join(lines))

    def _on_length_changed(self, _index: int) -> None:
        exercise = self.current_exercise()
        self._minutes[exercise.id] = int(self.length.currentData())
        self._refresh_details()

    def _refresh_details(self) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            exercise = self._catalog.get(str(item.data(ID_ROLE)))
            minutes = self._minutes[exercise.id]
            plan = exercise.plan(minutes)
            item.setData(
                DETAIL_ROLE,
                f"{rate_text(exercise.pattern.rate_bpm)}  ·  {minutes_text(minutes)} "
                f"({plan.cycles} breaths)",
            )
