"""Focus mode: the pacer alone, full screen, with the phase word if wanted.

Mouse users are never trapped in it: a quiet line says how to leave ("Esc or F to leave") and
fades after a few seconds; moving the mouse or clicking brings back that line and a visible
*Leave focus* button, which fade again once the mouse is still; a double-click leaves. The time
left stays in a corner, small and soft.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QEasingCurve, QEvent, QObject, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QFont,
    QFontInfo,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trainer.app.words import PAUSED_WORD, TIME_LEFT_NAME, WORD_NAME
from trainer.content.breathing import PacerState
from ui.common.keys import VISUAL_KEYS
from ui.common.theme import muted, scaled_font
from ui.widgets.level_badge import LevelBadge
from ui.widgets.pacer import PacerStack

__all__ = ["CONTROLS_STILL_MS", "FADE_MS", "HINT_MS", "LEAVE_HINT", "LEAVE_TEXT", "FocusView"]

LEAVE_HINT: Final = "Esc or F to leave"
LEAVE_TEXT: Final = "✕  Leave focus"
HINT_MS: Final = 4000  # the hint shown on opening stays this long before it fades
CONTROLS_STILL_MS: Final = 2500  # after the mouse is still this long, the controls fade
FADE_MS: Final = 600  # they fade over this (at once with reduced motion)


class FocusView(QWidget):
    """A top-level window with only the pacer (and optionally the phase word).

    It keeps no session of its own: the session screen hands it each frame's state and acts on
    the keys it passes on (Esc leaves, Space pauses, 1/2/3 or V change the visual, W the word;
    any other key goes to ``other_key``, which says whether it used it: the sound keys).
    """

    leave_requested = Signal()
    pause_requested = Signal()
    visual_requested = Signal(int)  # 0, 1, 2 for circle, column, wave; -1 for the next one
    word_toggle_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Safe Signal: focus")
        self.setAccessibleName("Focus mode")
        self.setAccessibleDescription(
            "Only the breathing pacer. Esc goes back, Space pauses, W shows or hides the words, "
            "M changes the sound, E eyes closed, plus and minus the volume."
        )
        self.setAutoFillBackground(True)  # the palette's window colour: follows the theme
        self.pacers = PacerStack()
        self.word = QLabel()
        self.word.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.word.setAccessibleName(WORD_NAME)
        self._word_wanted = True
        self.other_key: Callable[[int], bool] = lambda key: False

        # The time left, small and soft in a corner; the way out opposite it.
        self.time_left = QLabel()
        self.time_left.setAccessibleName(TIME_LEFT_NAME)
        muted(self.time_left)
        self.close_button = QPushButton(LEAVE_TEXT)
        self.close_button.setAccessibleName("Leave focus mode")
        self.close_button.setToolTip("Back to the practice screen (Esc or F); the session goes on")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys: Esc or F
        self.close_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.close_button.clicked.connect(self.leave_requested)
        self.hint = QLabel(LEAVE_HINT)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setAccessibleName(LEAVE_HINT)
        muted(self.hint)
        for faded in (self.close_button, self.hint):
            policy = faded.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # the pacer never moves as they come and go
            faded.setSizePolicy(policy)
        self._effects = {w: QGraphicsOpacityEffect(w) for w in (self.close_button, self.hint)}
        for widget, effect in self._effects.items():
            widget.setGraphicsEffect(effect)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.time_left, 0, Qt.AlignmentFlag.AlignTop)
        top.addStretch(1)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.pacers, 1)
        layout.addWidget(self.word)
        layout.addWidget(self.hint)
        self.level_badge = LevelBadge(self.pacers)  # the volume or sound, for a moment
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        # Fading: after a pause the controls fade out; any mouse movement brings them back.
        self.still_timer = QTimer(self)
        self.still_timer.setSingleShot(True)
        self.still_timer.timeout.connect(self.fade_controls)
        self.fade = QVariantAnimation(self)
        self.fade.setDuration(FADE_MS)
        self.fade.setStartValue(1.0)
        self.fade.setEndValue(0.0)
        self.fade.setEasingCurve(QEasingCurve.Type.InOutSine)
        self.fade.valueChanged.connect(self._set_controls_opacity)
        self.fade.finished.connect(self._hide_controls)
        self._hide_controls()
        self._track_mouse(self)

    # -- the controls that come and go ----------------------------------------------------------

    def _track_mouse(self, widget: QWidget) -> None:
        """Mouse movement anywhere in the window (over the pacer too) reaches :meth:`eventFilter`."""
        for child in (widget, *widget.findChildren(QWidget)):
            child.setMouseTracking(True)
            child.installEventFilter(self)

    @property
    def controls_shown(self) -> bool:
        """Whether the Leave button and the hint are on show (even while fading)."""
        return self.close_button.isVisible()

    def show_controls(self, *, hint_ms: int = CONTROLS_STILL_MS) -> None:
        """Show the Leave button, the hint and the pointer, and fade them after ``hint_ms``."""
        self.fade.stop()
        self._set_controls_opacity(1.0)
        self.close_button.show()
        self.hint.show()
        self.unsetCursor()
        self.still_timer.start(hint_ms)

    def fade_controls(self) -> None:
        """Let the controls fade away (at once with reduced motion); the pointer goes too."""
        self.still_timer.stop()
        if self.pacers.reduced_motion:
            self._hide_controls()
        elif self.controls_shown and self.fade.state() is not QVariantAnimation.State.Running:
            self.fade.start()

    def _set_controls_opacity(self, value: object) -> None:
        opacity = float(value) if isinstance(value, (int, float)) else 1.0
        for effect in self._effects.values():
            effect.setOpacity(opacity)

    def _hide_controls(self) -> None:
        self.fade.stop()
        self.close_button.hide()
        self.hint.hide()
        if self.isFullScreen():
            self.setCursor(Qt.CursorShape.BlankCursor)  # nothing to point at: the pacer alone

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind is QEvent.Type.MouseMove:
            self.show_controls()
        elif kind is QEvent.Type.MouseButtonDblClick and watched is not self.close_button:
            self.leave_requested.emit()
            return True
        elif kind is QEvent.Type.MouseButtonPress and watched is not self.close_button:
            self.show_controls()
        return False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click shows the way out (the Leave button and the hint)."""
        self.show_controls()
        event.accept()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.show_controls(hint_ms=HINT_MS)  # say how to leave, then let the pacer be alone

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.still_timer.stop()
        self.fade.stop()

    # -- the frame -------------------------------------------------------------------------------

    @property
    def word_shown(self) -> bool:
        """Whether the phase word is wanted on screen (a paused session always says so)."""
        return self._word_wanted

    def set_word_shown(self, shown: bool) -> None:
        """Show or hide the phase word."""
        self._word_wanted = shown
        self.word.setVisible(shown or self.word.text() == PAUSED_WORD)

    def show_state(
        self,
        state: PacerState,
        practice_s: float,
        word: str,
        *,
        idle: bool = False,
        time_left: str = "",
    ) -> None:
        """Draw one frame: the pacer, the word if it is wanted or the session is paused, and
        the time left (``4:05 left``; set only when it changes)."""
        self.pacers.show_state(state, practice_s, idle=idle)
        self.word.setText(word)
        visible = self._word_wanted or word == PAUSED_WORD
        if self.word.isVisible() != visible:
            self.word.setVisible(visible)
        if time_left != self.time_left.text():
            self.time_left.setText(time_left)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Large on a large screen, never smaller than one and a half times the system's text.
        font = QFont(self.font())
        smallest_px = round(QFontInfo(font).pixelSize() * 1.5)
        font.setBold(True)
        font.setPixelSize(max(smallest_px, min(72, round(self.height() * 0.06))))
        self.word.setFont(font)
        quiet = scaled_font(self, 1.15)
        for label in (self.time_left, self.hint):
            label.setFont(quiet)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Escape, Qt.Key.Key_F):
            self.leave_requested.emit()
        elif key == Qt.Key.Key_Space:
            self.pause_requested.emit()
        elif key in VISUAL_KEYS:
            self.visual_requested.emit(VISUAL_KEYS[Qt.Key(key)])
        elif key == Qt.Key.Key_V:
            self.visual_requested.emit(-1)
        elif key == Qt.Key.Key_W:
            self.word_toggle_requested.emit()
        elif not self.other_key(key):
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window (e.g. by the window manager) just leaves focus mode."""
        event.ignore()
        self.leave_requested.emit()
