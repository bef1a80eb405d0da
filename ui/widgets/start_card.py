"""The front door's card, shared by the breathing and attention lists: a line saying which
exercise this is (the last one, a suggestion, a choice; or that a demonstration records nothing),
its name with an "i" for where it comes from, a few lines of words, and one large Start at the top
right, sized once for the longest text it may show, so it never moves or changes size."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.theme import muted, scaled_font

KICKERS = {
    "last": "Your last exercise",
    "suggested": "A gentle place to start",
    "chosen": "Your choice",
}
DEMO_KICKER = "Demonstration: not recorded"  # over the Start card while one is on
START_ROOM_PX = 72  # the Start button's width beyond its longest text


class StartCard(QFrame):
    """One exercise and one big Start; ``notes`` are the screen's own lines under the words."""

    def __init__(self, notes: Sequence[QLabel] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        self.demonstrating = False
        self.kicker = QLabel()
        muted(self.kicker)
        self.title = QLabel()
        self.title.setFont(scaled_font(self, 1.4, bold=True))
        self.title.setWordWrap(True)
        self.info_button = QToolButton()
        self.info_button.setText("i")
        self.info_button.setFont(scaled_font(self, 1.0, bold=True))
        self.info_button.setAccessibleName("Where this comes from")
        self.info_button.setToolTip("Where this comes from")
        self.info_button.setProperty("round", True)
        title_row = QHBoxLayout()
        title_row.setSpacing(10)
        title_row.addWidget(self.title, 1)  # wraps a long name rather than widen the screen
        title_row.addWidget(self.info_button, 0, Qt.AlignmentFlag.AlignTop)
        self.description = QLabel()
        self.description.setWordWrap(True)
        words = QVBoxLayout()
        words.setSpacing(4)
        words.addWidget(self.kicker)
        words.addLayout(title_row)
        words.addWidget(self.description)
        for note in notes:
            words.addWidget(note)
        words.addStretch(1)
        self.start_button = QPushButton()
        self.start_button.setProperty("primary", True)
        self.start_button.setFont(scaled_font(self, 1.25, bold=True))
        self.start_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.start_button.setToolTip("Start (Enter)")
        self.start_button.setAccessibleDescription("Shortcut: Enter")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(20)
        layout.addLayout(words, 1)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignTop)

    def size_start_for(self, texts: Iterable[str]) -> None:
        """Make Start wide enough for the longest of ``texts``, once."""
        metrics = QFontMetrics(self.start_button.font())
        longest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
        self.start_button.setFixedWidth(longest + START_ROOM_PX)

    def show_exercise(
        self, *, kicker: str, title: str, description: str, has_source: bool, start: str
    ) -> None:
        """Fill the card; ``kicker`` is a key of :data:`KICKERS`."""
        self.kicker.setText(DEMO_KICKER if self.demonstrating else KICKERS[kicker])
        self.title.setText(title)
        self.description.setText(description)
        self.info_button.setVisible(has_source)
        self.start_button.setText(start)
        self.start_button.setAccessibleName(f"{start}: {title}")

    def set_demonstrating(self, on: bool) -> bool:
        """Say (in bold, seen at a glance) that a demonstration records nothing; True if changed.
        The screen then shows its exercise again."""
        if on == self.demonstrating:
            return False
        self.demonstrating = on
        font = self.kicker.font()
        font.setBold(on)
        self.kicker.setFont(font)
        return True


def kicker_for(exercise_id: str, last_id: str | None, *, suggested: bool) -> str:
    """Which line the card shows above a name: the last one practised, the suggestion for a new
    person (``suggested``), or a choice."""
    if exercise_id == last_id:
        return "last"
    if last_id is None and suggested:
        return "suggested"
    return "chosen"


def step_row(view: QListWidget, step: int) -> None:
    """Highlight the row ``step`` rows down (up if negative) in ``view``, shown or not."""
    if view.count():
        view.setCurrentRow(min(max(view.currentRow() + step, 0), view.count() - 1))


class ArrowsChoose(QObject):
    """Up and Down on the buttons it watches (the card's, the unfold one) choose an exercise in
    ``view``: a push button would otherwise move the focus to its neighbour."""

    def __init__(self, view: QListWidget, watched: Iterable[QWidget]) -> None:
        super().__init__(view)
        self._view = view
        for widget in watched:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
            and not event.modifiers()
        ):
            step_row(self._view, -1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)


class FoldedOptions(QObject):
    """Under the card: a button that unfolds the screen's ``options`` (the other exercises, the
    length...) in a scroll area below it, so the card and Start never leave the screen however
    small it is. Folded away at first; while folded, a stretch keeps the card at the top."""

    def __init__(
        self, screen: QWidget, column: QVBoxLayout, options: QWidget, *, text: str, name: str
    ) -> None:
        super().__init__(screen)
        self.button = QToolButton()
        self.button.setText(text)
        self.button.setCheckable(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.RightArrow)
        self.button.setAutoRaise(True)
        self.button.setAccessibleName(name)
        self.area = QScrollArea()
        self.area.setWidget(options)
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.hide()
        column.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.area, 1)
        column.addStretch(1)  # below the card while the options are folded away
        self._column = column
        self._fill_index = column.count() - 1
        self.button.toggled.connect(self._on_toggled)

    def _on_toggled(self, shown: bool) -> None:
        self.button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.area.setVisible(shown)
        self._column.setStretch(self._fill_index, 0 if shown else 1)
