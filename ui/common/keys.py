"""Keyboard helpers shared by the screens, and the small window that shows a screen's keys."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.screen_keys import Keys

__all__ = [
    "ENTER_KEYS",
    "VISUAL_KEYS",
    "Keys",
    "KeysDialog",
    "click_focused_button",
    "is_enter",
    "key_tip",
    "keys_button",
    "keys_table_html",
    "open_keys",
    "question_key",
]

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# 1, 2 and 3 choose the pacer's picture (circle, column, wave) wherever a pacer runs.
VISUAL_KEYS = {Qt.Key.Key_1: 0, Qt.Key.Key_2: 1, Qt.Key.Key_3: 2}


def is_enter(event: QKeyEvent) -> bool:
    """Return or the keypad's Enter."""
    return event.key() in ENTER_KEYS


def click_focused_button(screen: QWidget) -> bool:
    """If a push or tool button inside ``screen`` has keyboard focus, click it and return True.

    Screens give Enter a default action (start, continue, back to exercises); when the person
    has tabbed to a particular button, Enter should press that button instead. A check box or a
    radio button is not pressed: Space ticks it, and Enter keeps the screen's own action (after
    Alt+E ticks "Ease in", Enter starts rather than unticking it).
    """
    focused = screen.focusWidget()
    if (
        isinstance(focused, QPushButton | QToolButton)
        and focused.isEnabled()
        and screen.isAncestorOf(focused)
    ):
        focused.click()
        return True
    return False


def key_tip(widget: QWidget, what: str, keys: str) -> None:
    """Name the shortcut ``keys`` in ``widget``'s tooltip (``what (keys)``) and accessible
    description, rather than in its label: labels stay short and calm."""
    widget.setToolTip(f"{what} ({keys})")
    widget.setAccessibleDescription(f"Shortcut: {keys}")


def keys_button(show: Callable[[], object]) -> QToolButton:
    """The round "?" button that opens a screen's keys window."""
    button = QToolButton()
    button.setText("?")
    button.setAccessibleName("Keys for this screen")
    button.setProperty("round", True)
    key_tip(button, "Keys for this screen", "?")
    button.clicked.connect(show)
    return button


def question_key(screen: QWidget, show: Callable[[], object]) -> QShortcut:
    """ "?" anywhere on ``screen`` (a list, a box or a button of it in focus) calls ``show``,
    while the screen is shown; a text field being typed in keeps its "?"."""
    shortcut = QShortcut(QKeySequence("?"), screen)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(show)
    return shortcut


def keys_table_html(keys: Keys) -> str:
    """One screen's keys as a small table."""
    rows = "".join(
        f"<tr><td width='36%' style='padding-right:16px'><b>{html.escape(key)}</b></td>"
        f"<td>{html.escape(action)}</td></tr>"
        for key, action in keys
    )
    return f"<table width='100%' cellspacing='0' cellpadding='3'>{rows}</table>"


class KeysDialog(QDialog):
    """The keys of the screen the person is on, in a small window (? on that screen); Esc,
    Enter or ? close it, and F1 still opens the whole help."""

    def __init__(self, screen: str, keys: Keys, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keys on this screen")
        self.table = QLabel(
            f"<h3>{html.escape(screen)}</h3>{keys_table_html(keys)}"
            "<p>F1 shows every key, and what each part of the history means.</p>"
        )
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.table.setWordWrap(True)
        self.table.setAccessibleName(f"Keys: {screen}")
        self.close_button = QPushButton("Close")
        key_tip(self.close_button, "Close", "Esc")
        self.close_button.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.setMinimumWidth(min(520, self.table.fontMetrics().averageCharWidth() * 60))
        self.close_button.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.text() == "?" or is_enter(event):
            self.accept()
        else:
            super().keyPressEvent(event)


def open_keys(parent: QWidget, screen: str, keys: Keys) -> KeysDialog:
    """Show ``screen``'s keys over ``parent`` (closed with Esc, Enter or ?)."""
    dialog = KeysDialog(screen, keys, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
