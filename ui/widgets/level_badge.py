"""A short line (such as "Volume 60%") shown for a moment over another widget, then faded away."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEasingCurve, QEvent, QObject, QPropertyAnimation, Qt, QTimer
from PySide6.QtWidgets import QGraphicsOpacityEffect, QLabel, QWidget

from ui.common.theme import current_theme, scaled_font

__all__ = ["FADE_MS", "HOLD_MS", "LevelBadge"]

HOLD_MS: Final = 1500  # how long the line stays fully shown after the last change
FADE_MS: Final = 400  # then it fades out over this
TOP_MARGIN_PX: Final = 12


class LevelBadge(QLabel):
    """A calm, rounded line over the top middle of its parent, for a moment after each change.

    It takes no clicks and no keyboard focus, so the pacer under it works as before. Its text is
    also its accessible name, so a screen reader can say the new level.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleDescription("Shown for a moment after the sound or volume changes")
        self._opacity = QGraphicsOpacityEffect(self)
        self._opacity.setOpacity(1.0)
        self.setGraphicsEffect(self._opacity)
        self.hold = QTimer(self)
        self.hold.setSingleShot(True)
        self.hold.setInterval(HOLD_MS)
        self.hold.timeout.connect(self._fade)
        self.fade = QPropertyAnimation(self._opacity, b"opacity", self)
        self.fade.setDuration(FADE_MS)
        self.fade.setStartValue(1.0)
        self.fade.setEndValue(0.0)
        self.fade.setEasingCurve(QEasingCurve.Type.InOutSine)
        self.fade.finished.connect(self.hide)
        self.reduced_motion = False  # then it goes at once instead of fading
        parent.installEventFilter(self)
        self.hide()

    def show_text(self, text: str) -> None:
        """Show ``text`` now, fully, and start the moment over."""
        self.fade.stop()
        self._opacity.setOpacity(1.0)
        self._style()
        self.setText(text)
        self.setAccessibleName(text)
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self.hold.start()

    def _fade(self) -> None:
        if self.reduced_motion:
            self.hide()
        else:
            self.fade.start()

    def _style(self) -> None:
        theme = current_theme()
        self.setFont(scaled_font(self, 1.3))
        self.setStyleSheet(
            f"QLabel {{ color: {theme.text}; background: {theme.surface};"
            f" border: 1px solid {theme.border}; border-radius: 10px; padding: 8px 18px; }}"
        )

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.move(max(0, (parent.width() - self.width()) // 2), TOP_MARGIN_PX)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() is QEvent.Type.Resize and self.isVisible():
            self._place()
        return False
