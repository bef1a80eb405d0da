"""Focus mode: the pacer alone, full screen, with the phase word if wanted."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontInfo, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from trainer.app.words import PAUSED_WORD, WORD_NAME
from trainer.content.breathing import PacerState
from ui.common.keys import VISUAL_KEYS
from ui.widgets.level_badge import LevelBadge
from ui.widgets.pacer import PacerStack


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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(8)
        layout.addWidget(self.pacers, 1)
        layout.addWidget(self.word)
        self.level_badge = LevelBadge(self.pacers)  # the volume or sound, for a moment
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    @property
    def word_shown(self) -> bool:
        """Whether the phase word is wanted on screen (a paused session always says so)."""
        return self._word_wanted

    def set_word_shown(self, shown: bool) -> None:
        """Show or hide the phase word."""
        self._word_wanted = shown
        self.word.setVisible(shown or self.word.text() == PAUSED_WORD)

    def show_state(
        self, state: PacerState, practice_s: float, word: str, *, idle: bool = False
    ) -> None:
        """Draw one frame: the pacer, and the word if it is wanted or the session is paused."""
        self.pacers.show_state(state, practice_s, idle=idle)
        self.word.setText(word)
        visible = self._word_wanted or word == PAUSED_WORD
        if self.word.isVisible() != visible:
            self.word.setVisible(visible)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Large on a large screen, never smaller than one and a half times the system's text.
        font = QFont(self.font())
        smallest_px = round(QFontInfo(font).pixelSize() * 1.5)
        font.setBold(True)
        font.setPixelSize(max(smallest_px, min(72, round(self.height() * 0.06))))
        self.word.setFont(font)

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
