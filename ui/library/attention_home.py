"""The attention exercises: somatic tracking, body scan and the others, a length, and Start."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from trainer.app.words import CLINICIAN_NOTE, minutes_text
from trainer.content.scripts import Script
from ui.common.keys import click_focused_button, is_enter
from ui.common.theme import muted, scaled_font, screen_layout
from ui.widgets.exercise_list import DESCRIPTION_ROLE, DETAIL_ROLE, ID_ROLE, ExerciseDelegate

__all__ = ["AttentionHomeScreen", "lengths_text"]

DEFAULT_MINUTES = 5
USES_NOTE = {
    ("pain",): "Before you begin, you can mark where it hurts on a body map.",
    ("pain", "comfort"): (
        "Before you begin, you can mark where it hurts, and choose an area that feels "
        "comfortable or neutral."
    ),
}


def lengths_text(script: Script) -> str:
    """``3, 5, 10 or 15 minutes``."""
    numbers = [str(m) for m in script.lengths_min]
    if len(numbers) == 1:
        return minutes_text(script.lengths_min[0])
    return f"{', '.join(numbers[:-1])} or {numbers[-1]} minutes"


class AttentionHomeScreen(QWidget):
    """Lists the guided attention exercises; emits ``start_requested(script, minutes)``."""

    start_requested = Signal(object, int)

    def __init__(self, scripts: tuple[Script, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scripts = {s.id: s for s in scripts}
        self._minutes: dict[str, int] = {}

        heading = QLabel("Choose an attention exercise")
        heading.setFont(scaled_font(self, 1.9, bold=True))
        intro = QLabel(
            "Gentle, guided attention may help your brain treat sensations as less of a threat. "
            "A soft light moves over a body map to show where to rest your attention."
        )
        intro.setWordWrap(True)
        muted(intro)
        self.clinician_note = QLabel(CLINICIAN_NOTE)
        self.clinician_note.setWordWrap(True)
        muted(self.clinician_note)

        self.list = QListWidget()
        self.list.setItemDelegate(ExerciseDelegate(self.list))
        self.list.setAccessibleName("Attention exercises")
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        for script in scripts:
            item = QListWidgetItem(script.title)
            item.setData(ID_ROLE, script.id)
            item.setData(DESCRIPTION_ROLE, script.description)
            item.setData(DETAIL_ROLE, lengths_text(script))
            item.setToolTip(script.description)
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._on_current_changed)
        self.list.itemDoubleClicked.connect(lambda _item: self.start())

        self.source_note = QLabel()
        self.source_note.setWordWrap(True)
        muted(self.source_note)

        length_label = QLabel("&Length:")
        self.length = QComboBox()
        self.length.setAccessibleName("Session length")
        length_label.setBuddy(self.length)
        self.length.currentIndexChanged.connect(self._on_length_changed)
        self.start_button = QPushButton("Start (Enter)")
        self.start_button.setFont(scaled_font(self, 1.1, bold=True))
        self.start_button.clicked.connect(self.start)
        bottom = QHBoxLayout()
        bottom.addWidget(length_label)
        bottom.addWidget(self.length)
        bottom.addStretch(1)
        bottom.addWidget(self.start_button)

        layout = screen_layout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.source_note)
        layout.addLayout(bottom)
        layout.addWidget(self.clinician_note)
        hint = QLabel("Keys: ↑ ↓ choose, Alt+L length, Enter start, Ctrl+1 breathing exercises.")
        hint.setWordWrap(True)
        muted(hint)
        layout.addWidget(hint)
        QWidget.setTabOrder(self.list, self.length)
        QWidget.setTabOrder(self.length, self.start_button)
        if scripts:
            self.list.setCurrentRow(0)

    def current_script(self) -> Script:
        """The highlighted exercise."""
        item = self.list.currentItem()
        assert item is not None, "the list always has a highlighted exercise"
        return self._scripts[str(item.data(ID_ROLE))]

    def minutes_for(self, script: Script) -> int:
        """The length chosen for ``script`` (5 minutes, or its nearest length, by default)."""
        chosen = self._minutes.get(script.id)
        if chosen in script.lengths_min:
            return chosen
        return min(script.lengths_min, key=lambda m: (abs(m - DEFAULT_MINUTES), m))

    def start(self) -> None:
        """Ask to start the highlighted exercise at its chosen length."""
        if self.list.count() == 0:
            return
        script = self.current_script()
        self.start_requested.emit(script, self.minutes_for(script))

    def _on_current_changed(self, _row: int) -> None:
        if self.list.count() == 0:
            return
        script = self.current_script()
        self.length.blockSignals(True)
        self.length.clear()
        for minutes in script.lengths_min:
            self.length.addItem(minutes_text(minutes), minutes)
        self.length.setCurrentIndex(self.length.findData(self.minutes_for(script)))
        self.length.blockSignals(False)
        lines = [f"Source: {script.source}"] if script.source else []
        note = USES_NOTE.get(tuple(script.uses))
        if note:
            lines.append(note)
        self.source_note.setText("\n".join(lines))
        self.source_note.setVisible(bool(lines))

    def _on_length_changed(self, _index: int) -> None:
        minutes = self.length.currentData()
        if minutes is not None:
            self._minutes[self.current_script().id] = int(minutes)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event):
            if not click_focused_button(self):
                self.start()
            return
        if event.key() == Qt.Key.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)
