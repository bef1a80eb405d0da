"""What the practice screens share around a running session: Pause or Resume, End early after
asking (the practice screen, the attention screen and presentation mode), and the note under
the controls."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent, QTextLayout
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

from trainer.app.frame import practising
from trainer.app.words import PAUSE_KEY, PAUSE_LABEL, RESUME_LABEL, pause_label
from trainer.session.machine import Session, SessionState
from ui.common.dialogs import Dialogs
from ui.common.keys import key_tip
from ui.common.theme import muted
from ui.common.ticker import FrameTicker, ManualTicker

__all__ = [
    "DEMONSTRATION_END",
    "KEEP_GOING",
    "NOTE_LINES",
    "ControlsNote",
    "end_after_asking",
    "pause_button",
    "show_run_state",
    "toggle_pause",
]

KEEP_GOING: Final = "Keep going"
NOTE_LINES: Final = 2  # the room the note under the controls keeps, shown or not
# Ending a demonstration early: what is true of it (the time practised is not kept).
DEMONSTRATION_END: Final = (
    "End the demonstration?",
    "End the demonstration now? It is not recorded, so there is nothing to keep.",
    "End demonstration",
)


def pause_button() -> QPushButton:
    """Pause, as wide as Resume (so the buttons beside it never move when it changes), with
    Space named in its tooltip."""
    button = QPushButton(RESUME_LABEL)
    button.setMinimumWidth(button.sizeHint().width())
    button.setText(PAUSE_LABEL)
    key_tip(button, PAUSE_LABEL, PAUSE_KEY)
    return button


def toggle_pause(session: Session | None) -> None:
    """Pause or resume ``session`` (nothing happens outside its practice)."""
    if practising(session):
        session.toggle_pause()


def show_run_state(
    state: SessionState, ticker: FrameTicker | ManualTicker, pause: QPushButton, end: QPushButton
) -> bool:
    """Run the frame ticker only while ``state`` is running, label Pause or Resume, enable both
    buttons only in the practice, and say whether the practice is under way (running or paused)."""
    if state is SessionState.RUNNING:
        ticker.start()
    else:
        ticker.stop()
    active = state in (SessionState.RUNNING, SessionState.PAUSED)
    label = pause_label(state is SessionState.PAUSED)
    pause.setText(label)
    key_tip(pause, label, PAUSE_KEY)
    pause.setEnabled(active)
    end.setEnabled(active)
    return active


def end_after_asking(
    parent: QWidget, session: Session | None, title: str, question: str, end: str
) -> None:
    """End the practice early once the person confirms (paused while asked, resumed if they
    keep going); in the quiet close everything is done, so it ends without asking. A
    demonstration is asked about in its own words (:data:`DEMONSTRATION_END`): nothing of it
    is kept."""
    if not practising(session):
        return
    if not session.recorded:
        title, question, end = DEMONSTRATION_END
    if session.closing:
        session.end_early()
        return
    was_running = session.state is SessionState.RUNNING
    if was_running:
        session.pause()
    if Dialogs.confirm(parent, title, question, end, KEEP_GOING):
        session.end_early()
    elif was_running:
        session.resume()


class ControlsNote(QLabel):
    """A quiet note under the practice controls (such as that sound is unavailable): up to
    :data:`NOTE_LINES` centred lines, in room kept for it whether it is shown or not, so the
    controls above never move when it comes or goes. Only text longer than that ends in "…";
    the whole text is its tooltip and accessible name, so nothing is lost to a screen reader.
    A very small window may ask for one line and no room kept (:meth:`keep_room`)."""

    def __init__(self) -> None:
        super().__init__()
        self._full = ""
        self._lines = NOTE_LINES
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.keep_room(True)
        muted(self)
        self.hide()

    def keep_room(self, keep: bool) -> None:
        """Keep the room of :data:`NOTE_LINES` lines, shown or not (``True``); or take one line,
        only while shown (``False``: for a window too small to give the room away)."""
        self._lines = NOTE_LINES if keep else 1
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(keep)
        self.setSizePolicy(policy)
        self._fit_height()
        self._wrap()

    def full_text(self) -> str:
        """The whole text (the label shows it in lines, and shortened only if it must be)."""
        return self._full

    def set_full_text(self, text: str) -> None:
        """Show ``text`` in up to :data:`NOTE_LINES` lines (one in a very small window)."""
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._wrap()

    def shown_lines(self) -> list[str]:
        """The lines as shown now."""
        return self.text().split("\n") if self.text() else []

    def _fit_height(self) -> None:
        margins = self.contentsMargins()
        spacing = self.fontMetrics().lineSpacing()
        self.setFixedHeight(self._lines * spacing + margins.top() + margins.bottom() + 2)

    def _wrap(self) -> None:
        width = self.contentsRect().width()
        if width <= 0 or not self._full:
            self.setText(self._full)
            return
        layout = QTextLayout(self._full, self.font())
        layout.beginLayout()
        lines: list[str] = []
        while len(lines) < self._lines:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            start = line.textStart()
            end = len(self._full) if len(lines) == self._lines - 1 else start + line.textLength()
            lines.append(self._full[start:end].strip())
        layout.endLayout()
        metrics = self.fontMetrics()
        lines[-1] = metrics.elidedText(lines[-1], Qt.TextElideMode.ElideRight, width)
        self.setText("\n".join(lines))

    def sizeHint(self) -> QSize:
        return QSize(0, self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._wrap()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()
            self._wrap()
