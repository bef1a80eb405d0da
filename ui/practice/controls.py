"""What the practice screens share around a running session: Pause or Resume, and End early
after asking (the practice screen, the attention screen and presentation mode)."""

from __future__ import annotations

from typing import Final

from PySide6.QtWidgets import QPushButton, QWidget

from trainer.app.frame import practising
from trainer.app.words import PAUSE_KEY, PAUSE_LABEL, RESUME_LABEL, pause_label
from trainer.session.machine import Session, SessionState
from ui.common.dialogs import Dialogs
from ui.common.keys import key_tip
from ui.common.ticker import FrameTicker, ManualTicker

__all__ = [
    "DEMONSTRATION_END",
    "KEEP_GOING",
    "end_after_asking",
    "pause_button",
    "show_run_state",
    "toggle_pause",
]

KEEP_GOING: Final = "Keep going"
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
