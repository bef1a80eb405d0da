"""The mini pacer: a small window on top of everything with just the breathing circle, for
breathing along while working. Nothing it shows is recorded."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QGuiApplication,
    QHideEvent,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QShowEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from trainer.app.settings import (
    MINI_POSITION,
    MINI_POSITION_KEY,
    Preferences,
    read_setting,
    write_setting,
)
from trainer.app.words import (
    PAUSE_BUTTON,
    PAUSED_WORD,
    PHASE_WORDS,
    TOP_UP_WORD,
    WORD_NAME,
    pause_button_text,
    phase_word,
)
from trainer.content.breathing import BreathingPattern
from trainer.session.clock import Clock
from ui.common.theme import current_theme, scaled_font
from ui.common.ticker import FrameTicker, ManualTicker
from ui.widgets.pacer import CirclePacer

POSITION_KEY: Final = MINI_POSITION_KEY
SIZE: Final = QSize(180, 220)
SCREEN_MARGIN_PX: Final = 24
BUTTON_PX: Final = 22


def _button_icon(kind: str, colour: QColor, side: int = 16) -> QIcon:
    """A small drawn icon: ``pause``, ``play`` or ``close`` (no font has to have the glyph)."""
    ratio = 2.0
    image = QPixmap(round(side * ratio), round(side * ratio))
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if kind == "pause":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(side * 0.22, side * 0.18, side * 0.2, side * 0.64), 1, 1)
        painter.drawRoundedRect(QRectF(side * 0.58, side * 0.18, side * 0.2, side * 0.64), 1, 1)
    elif kind == "play":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        triangle = QPolygonF(
            [
                QPointF(side * 0.28, side * 0.18),
                QPointF(side * 0.82, side * 0.5),
                QPointF(side * 0.28, side * 0.82),
            ]
        )
        painter.drawPolygon(triangle)
    else:
        pen = QPen(colour, side * 0.12)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(side * 0.25, side * 0.25), QPointF(side * 0.75, side * 0.75))
        painter.drawLine(QPointF(side * 0.75, side * 0.25), QPointF(side * 0.25, side * 0.75))
    painter.end()
    return QIcon(image)


class MiniPacer(QWidget):
    """A small always-on-top window that paces a breathing pattern, cycle after cycle, until
    it is closed.

    Time comes from the injected clock and the frames from the injected ticker (give it a
    ticker of its own: it starts and stops it). Space pauses and resumes, Esc closes; the
    window can be dragged anywhere and opens where it was last left (kept in ``prefs``).
    Nothing is recorded: there is no session, only the pattern.
    """

    closed = Signal()
    pause_changed = Signal(bool)

    def __init__(
        self,
        pattern: BreathingPattern,
        *,
        clock: Clock,
        ticker: FrameTicker | ManualTicker,
        prefs: Preferences | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            parent,
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint,
        )
        self.setAttribute(Qt.WidgetAttribute.WA_MacAlwaysShowToolWindow)
        self.setWindowTitle("Safe Signal: mini pacer")
        self.setAccessibleName("Mini pacer")
        self.setAccessibleDescription(
            "A small breathing pacer that stays on top. Space pauses or resumes, Esc closes; "
            "drag it to move it."
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._clock = clock
        self._ticker = ticker
        self._prefs = prefs
        self._pattern = pattern
        self._start_s = clock.now_s()
        self._paused_at_s: float | None = None
        self._drag_offset: QPoint | None = None
        theme = current_theme()
        self.setStyleSheet(f"MiniPacer {{ background: {theme.window}; }}")
        self.setAutoFillBackground(True)

        self.pacer = CirclePacer()
        self.pacer.setMinimumSize(QSize(120, 120))
        self.word = QLabel()
        self.word.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.word.setFont(scaled_font(self.word, 1.0, bold=True))
        self.word.setAccessibleName(WORD_NAME)
        text = QColor(theme.text)
        self._icons = {kind: _button_icon(kind, text) for kind in ("pause", "play", "close")}
        self.pause_button = self._tool_button("pause", PAUSE_BUTTON)
        self.close_button = self._tool_button("close", "Close the mini pacer (Esc)")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.close_button.clicked.connect(self.close)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(2)
        buttons.addStretch(1)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 8)
        layout.setSpacing(2)
        layout.addLayout(buttons)
        layout.addWidget(self.pacer, 1)
        layout.addWidget(self.word)
        # As wide as the longest word needs (it grows with the system font), so the window
        # never changes size from one phase to the next.
        metrics = self.word.fontMetrics()
        words = (*PHASE_WORDS.values(), TOP_UP_WORD, PAUSED_WORD)
        self.word.setMinimumWidth(max(metrics.horizontalAdvance(w) for w in words) + 4)
        self.resize(SIZE.expandedTo(self.minimumSizeHint()))

        ticker.tick.connect(self.on_tick)
        self._apply_pattern()

    def _tool_button(self, kind: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(self._icons[kind])
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.setFixedSize(QSize(BUTTON_PX, BUTTON_PX))
        # The window takes the keys itself: a focused close button must not eat Space.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    # -- the breath -----------------------------------------------------------------------------

    @property
    def pattern(self) -> BreathingPattern:
        """The pattern being paced."""
        return self._pattern

    def set_pattern(self, pattern: BreathingPattern) -> None:
        """Pace ``pattern`` instead, from the start of its cycle."""
        self._pattern = pattern
        self._start_s = self._clock.now_s()
        if self._paused_at_s is not None:
            self._paused_at_s = self._start_s
        self._apply_pattern()

    def _apply_pattern(self) -> None:
        pattern = self._pattern
        self.pacer.set_schedule(
            lambda practice_s: pattern.state_at(max(0.0, practice_s)).level,
            tuple(p.kind for p in pattern.phases),
            pattern.cycle_s,
        )
        self.refresh()

    @property
    def practice_s(self) -> float:
        """Seconds paced so far, not counting pauses."""
        now_s = self._paused_at_s if self._paused_at_s is not None else self._clock.now_s()
        return max(0.0, now_s - self._start_s)

    @property
    def paused(self) -> bool:
        """Whether the pacer is paused."""
        return self._paused_at_s is not None

    def toggle_pause(self) -> None:
        """Pause, or go on from exactly where the pause began."""
        if self._paused_at_s is None:
            self._paused_at_s = self._clock.now_s()
            self._ticker.stop()
        else:
            self._start_s += self._clock.now_s() - self._paused_at_s
            self._paused_at_s = None
            if self.isVisible():
                self._ticker.start()
        paused = self.paused
        self.pause_button.setIcon(self._icons["play" if paused else "pause"])
        tip = pause_button_text(paused)
        self.pause_button.setToolTip(tip)
        self.pause_button.setAccessibleName(tip)
        self.refresh()
        self.pause_changed.emit(paused)

    def on_tick(self) -> None:
        """One frame: draw the breath at the clock's time."""
        if self.isVisible() and not self.paused:
            self.refresh()

    def refresh(self) -> None:
        """Draw the pacer and the word for now."""
        practice_s = self.practice_s
        state = self._pattern.state_at(practice_s)
        self.pacer.show_state(state, practice_s)
        word = PAUSED_WORD if self.paused else phase_word(self._pattern, state)
        if self.word.text() != word:
            self.word.setText(word)

    # -- the window -----------------------------------------------------------------------------

    def open(self) -> None:
        """Show the pacer where it was last left (else near the bottom-right corner), on top,
        with the keyboard, pacing from the start of a cycle (if it is open already, it is only
        brought to the front)."""
        if not self.isVisible():
            self._start_s = self._clock.now_s()
            if self._paused_at_s is not None:
                self._paused_at_s = self._start_s
            self.move(self.remembered_position())
            self.show()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    def remembered_position(self) -> QPoint:
        """Where the window was last left, if that is still on a screen; else the default."""
        saved = None if self._prefs is None else read_setting(self._prefs, MINI_POSITION)
        if saved is None:
            return self.default_position()
        point = QPoint(*saved)
        centre = point + QPoint(self.width() // 2, self.height() // 2)
        if QGuiApplication.screenAt(centre) is None:  # a screen since unplugged
            return self.default_position()
        return point

    def default_position(self) -> QPoint:
        """Near the bottom-right corner of the primary screen's free area."""
        screen = QGuiApplication.primaryScreen()
        if screen is None:  # PySide6's stub says never; Qt gives None when no screen is attached
            return QPoint(0, 0)  # type: ignore[unreachable]
        area = screen.availableGeometry()
        return QPoint(
            area.right() + 1 - self.width() - SCREEN_MARGIN_PX,
            area.bottom() + 1 - self.height() - SCREEN_MARGIN_PX,
        )

    def save_position(self) -> None:
        """Remember where the window is (a failure to save is not worth interrupting for)."""
        if self._prefs is not None:
            write_setting(self._prefs, MINI_POSITION, (self.x(), self.y()))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.paused:
            self._ticker.start()
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._ticker.stop()
        self.save_position()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.toggle_pause()
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    # -- dragging ---------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        handle = self.windowHandle()
        # The window system moves the window where it can (it must, on Wayland).
        if handle is not None and handle.startSystemMove():
            self._drag_offset = None
        else:
            self._drag_offset = event.globalPosition().toPoint() - self.pos()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_offset is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self.move(event.globalPosition().toPoint() - self._drag_offset)
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag_offset = None
        self.save_position()
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setPen(QPen(QColor(current_theme().pacer_guide), 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()
