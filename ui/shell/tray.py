"""The system tray icon for desk users: start practice, open the app, pause reminders, quit."""

from __future__ import annotations

import sys
from typing import Final

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from ui.common.icons import app_icon

MESSAGE_MS: Final = 10_000  # how long a tray message stays, where the desktop lets us choose
NO_LAST_TEXT: Final = "Start the last exercise (none yet)"


def _menu_text(text: str) -> str:
    """``text`` shown as it is in a menu (a lone ``&`` would become a shortcut marker)."""
    return text.replace("&", "&&")


class TrayIcon(QObject):
    """Safe Signal's icon in the system tray, with its menu; made only where a tray exists.

    The menu is built either way (so it can be tested), but the icon is only created and
    shown when :meth:`QSystemTrayIcon.isSystemTrayAvailable` says there is a tray. Each item
    emits its own signal; a click on the icon asks to open the app.
    """

    start_last_requested = Signal()
    reset_requested = Signal()
    open_requested = Signal()
    pause_hour_requested = Signal()
    pause_tomorrow_requested = Signal()
    resume_requested = Signal()
    quit_requested = Signal()
    message_clicked = Signal()
    menu_about_to_show = Signal()

    def __init__(self, parent: QObject | None = None, *, icon: QIcon | None = None) -> None:
        super().__init__(parent)
        self.icon = icon if icon is not None else app_icon()
        self.menu = QMenu()
        self.menu.setAccessibleName("Safe Signal")
        self.status_action = self._add("Reminders are off.", None)
        self.status_action.setEnabled(False)
        self.menu.addSeparator()
        self.start_last_action = self._add(NO_LAST_TEXT, self.start_last_requested)
        self.start_last_action.setEnabled(False)
        self.reset_action = self._add("Start a 1-minute &reset", self.reset_requested)
        self.open_action = self._add("&Open Safe Signal", self.open_requested)
        self.menu.addSeparator()
        self.pause_hour_action = self._add("&Pause reminders for 1 hour", self.pause_hour_requested)
        self.pause_tomorrow_action = self._add(
            "Pause reminders until &tomorrow", self.pause_tomorrow_requested
        )
        self.resume_action = self._add("Re&sume reminders", self.resume_requested)
        self.menu.addSeparator()
        self.quit_action = self._add("&Quit Safe Signal", self.quit_requested)
        self.menu.aboutToShow.connect(self.menu_about_to_show)
        self.set_reminder_status(enabled=False, paused=False, text="Reminders are off.")

        self._tray: QSystemTrayIcon | None = None
        if self.system_has_tray():
            tray = QSystemTrayIcon(self.icon, self)
            tray.setToolTip("Safe Signal")
            tray.setContextMenu(self.menu)
            tray.activated.connect(self._on_activated)
            tray.messageClicked.connect(self.message_clicked)
            self._tray = tray

    @staticmethod
    def system_has_tray() -> bool:
        """Whether this desktop has a system tray."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    def available(self) -> bool:
        """Whether the icon exists (there is a tray to put it in)."""
        return self._tray is not None

    def _add(self, text: str, signal: object) -> QAction:
        action = self.menu.addAction(text)
        if signal is not None:
            action.triggered.connect(signal)
        return action

    # -- what the menu says -------------------------------------------------------------------------

    def set_last_exercise(self, title: str | None) -> None:
        """Offer to start ``title`` again (``None``: nothing practised yet, the item is off)."""
        if title:
            self.start_last_action.setText(_menu_text(f'Start "{title}"'))
            self.start_last_action.setEnabled(True)
        else:
            self.start_last_action.setText(NO_LAST_TEXT)
            self.start_last_action.setEnabled(False)

    def set_reminder_status(self, *, enabled: bool, paused: bool, text: str) -> None:
        """Show how reminders stand (``text``, such as "Next reminder today at 15:00.") and
        offer pause or resume as fits."""
        self.status_action.setText(_menu_text(text))
        self.pause_hour_action.setEnabled(enabled and not paused)
        self.pause_tomorrow_action.setEnabled(enabled and not paused)
        self.resume_action.setEnabled(enabled and paused)

    # -- the icon -------------------------------------------------------------------------------

    def show(self) -> None:
        """Put the icon in the tray (nothing where there is no tray)."""
        if self._tray is not None:
            self._tray.show()

    def hide(self) -> None:
        """Take the icon out of the tray."""
        if self._tray is not None:
            self._tray.hide()

    def notify(self, title: str, text: str) -> None:
        """A quiet message from the tray icon (the desktop's own notification; it does not
        take the keyboard). Nothing happens where there is no tray."""
        if self._tray is not None:
            self._tray.showMessage(title, text, self.icon, MESSAGE_MS)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        """A click opens the app (on macOS a click shows the menu instead, as is usual there)."""
        opening = [QSystemTrayIcon.ActivationReason.DoubleClick]
        if sys.platform != "darwin":
            opening.append(QSystemTrayIcon.ActivationReason.Trigger)
        if reason in opening:
            self.open_requested.emit()
