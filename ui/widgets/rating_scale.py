"""A 0-10 rating scale with its anchors and a skip choice, drawn and operated by keyboard or mouse."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trainer.app.words import SKIP_RATING, skip_rating_name
from trainer.session.clock import Clock
from trainer.session.ratings import RATING_MAX, RATING_MIN
from ui.common.theme import current_theme, muted, scaled_font

TEN_AFTER_ONE_S = 1.0  # typing 1 then 0 within this many seconds gives 10
# Held with a key, these make it a shortcut, never a rating (Shift is left alone: some keyboard
# layouts need it for digits, and the keypad is a plain digit too).
COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class RatingScale(QWidget):
    """One 0-10 scale with its anchors and a skip choice; operable by mouse or keyboard.

    Keys while focused: 0-9 choose (1 then 0 quickly gives 10), arrows step, Home/End go to 0/10,
    S skips or un-skips. Enter is left to the screen, which confirms, and any key held with
    Ctrl, Alt or Meta to the shortcuts (Ctrl+2 is never a rating of 2).
    """

    changed = Signal()

    def __init__(
        self,
        name: str,
        clock: Clock,
        parent: QWidget | None = None,
        *,
        low_anchor: str = "0 = none",
        high_anchor: str = "10 = worst imaginable",
    ) -> None:
        super().__init__(parent)
        self.name = name
        self._clock = clock
        self._value: int | None = None
        self._skipped = False
        self._last_one_at_s: float | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(f"{name} rating, 0 to 10")

        title = QLabel(name)
        title.setFont(scaled_font(self, 1.3, bold=True))
        self._status = QLabel()
        muted(self._status)

        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        row = QHBoxLayout()
        row.setSpacing(6)
        for number in range(RATING_MIN, RATING_MAX + 1):
            button = QPushButton(str(number))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(40, 40)
            button.setProperty("scale", True)  # narrow padding: "10" fits the smallest button
            button.setAccessibleName(f"{name} {number}")
            self._group.addButton(button, number)
            row.addWidget(button)
        self._group.idClicked.connect(self.set_value)

        anchors = QHBoxLayout()
        low = QLabel(low_anchor)
        high = QLabel(high_anchor)
        for label in (low, high):
            muted(label)
        anchors.addWidget(low)
        anchors.addStretch(1)
        anchors.addWidget(high)

        self.skip_button = QPushButton(SKIP_RATING)
        self.skip_button.setAccessibleName(skip_rating_name(name))
        self.skip_button.setCheckable(True)
        self.skip_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.skip_button.setToolTip(
            "Leave this rating out (it is stored as skipped, not as 0). Key: S"
        )
        self.skip_button.toggled.connect(self.set_skipped)
        bold = QFont(self.skip_button.font())
        bold.setBold(True)  # chosen, it is bold (the theme's style sheet): leave it room
        extra_px = QFontMetrics(bold).horizontalAdvance(self.skip_button.text()) - QFontMetrics(
            self.skip_button.font()
        ).horizontalAdvance(self.skip_button.text())
        self.skip_button.setMinimumWidth(self.skip_button.sizeHint().width() + max(0, extra_px))
        # The skip sits in the title's row, so both scales fit a small screen with no scrolling.
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(12)
        head.addWidget(self._status)
        head.addStretch(1)
        head.addWidget(self.skip_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addLayout(head)
        layout.addLayout(row)
        layout.addLayout(anchors)
        self._refresh()

    # -- state ----------------------------------------------------------------------------------

    @property
    def value(self) -> int | None:
        """The chosen number, or ``None`` (nothing chosen yet, or skipped)."""
        return None if self._skipped else self._value

    @property
    def skipped(self) -> bool:
        """Whether the person chose to skip this rating."""
        return self._skipped

    @property
    def answered(self) -> bool:
        """A number was chosen or the rating was skipped."""
        return self._skipped or self._value is not None

    def set_value(self, value: int) -> None:
        """Choose ``value`` (0-10); choosing a number also un-skips."""
        if not RATING_MIN <= value <= RATING_MAX:
            raise ValueError(f"rating {value} is outside {RATING_MIN}-{RATING_MAX}")
        self._value = value
        self._skipped = False
        self._refresh()

    def set_skipped(self, skipped: bool) -> None:
        """Skip the rating (or take the skip back)."""
        self._skipped = skipped
        self._refresh()

    def reset(self) -> None:
        """Back to unanswered."""
        self._value = None
        self._skipped = False
        self._last_one_at_s = None
        self._refresh()

    def _refresh(self) -> None:
        for button in self._group.buttons():
            button.setEnabled(not self._skipped)
        checked = self._group.checkedButton()
        wanted = None if self._value is None or self._skipped else self._group.button(self._value)
        if checked is not wanted:
            self._group.setExclusive(False)
            if checked is not None:
                checked.setChecked(False)
            if wanted is not None:
                wanted.setChecked(True)
            self._group.setExclusive(True)
        self.skip_button.blockSignals(True)
        self.skip_button.setChecked(self._skipped)
        self.skip_button.blockSignals(False)
        if self._skipped:
            self._status.setText("Skipped")
        elif self._value is None:
            self._status.setText("Not chosen yet")
        else:
            self._status.setText(f"{self._value} out of 10")
        self.setAccessibleDescription(self._status.text())
        self.changed.emit()

    # -- keyboard and focus -----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.modifiers() & COMMAND_MODIFIERS:  # Ctrl+2 and the like are shortcuts, not ratings
            self._last_one_at_s = None
            super().keyPressEvent(event)
            return
        now_s = self._clock.now_s()
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            digit = key - Qt.Key.Key_0
            recent_one = (
                self._last_one_at_s is not None and now_s - self._last_one_at_s <= TEN_AFTER_ONE_S
            )
            self._last_one_at_s = now_s if digit == 1 else None
            self.set_value(10 if digit == 0 and recent_one else digit)
            return
        self._last_one_at_s = None
        current = self._value if self._value is not None else -1
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Plus):
            self.set_value(min(RATING_MAX, current + 1))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down, Qt.Key.Key_Minus):
            self.set_value(max(RATING_MIN, current - 1 if current >= 0 else RATING_MIN))
        elif key == Qt.Key.Key_Home:
            self.set_value(RATING_MIN)
        elif key == Qt.Key.Key_End:
            self.set_value(RATING_MAX)
        elif key == Qt.Key.Key_S:
            self.set_skipped(not self._skipped)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._last_one_at_s = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """A rounded card, with a clear accent outline while the scale has keyboard focus."""
        theme = current_theme()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        painter.setBrush(QColor(theme.surface))
        if self.hasFocus():
            pen = QPen(QColor(theme.accent))
            pen.setWidthF(3)
        else:
            pen = QPen(QColor(theme.pacer_guide))
            pen.setWidthF(1)
        painter.setPen(pen)
        painter.drawRoundedRect(rect, 10, 10)
        painter.end()
