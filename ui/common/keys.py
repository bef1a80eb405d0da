"""Keyboard helpers shared by the screens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# 1, 2 and 3 choose the pacer's picture (circle, column, wave) wherever a pacer runs.
VISUAL_KEYS = {Qt.Key.Key_1: 0, Qt.Key.Key_2: 1, Qt.Key.Key_3: 2}


def is_enter(event: QKeyEvent) -> bool:
    """Return or the keypad's Enter."""
    return event.key() in ENTER_KEYS


def click_focused_button(screen: QWidget) -> bool:
    """If a button inside ``screen`` has keyboard focus, click it and return True.

    Screens give Enter a default action (start, continue, back to exercises); when the person
    has tabbed to a particular button, Enter should press that button instead.
    """
    focused = screen.focusWidget()
    if (
        isinstance(focused, QAbstractButton)
        and focused.isEnabled()
        and screen.isAncestorOf(focused)
    ):
        focused.click()
        return True
    return False
