"""The main menu (F10 or the Menu button) and the dialogs it opens: settings, help, welcome."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMenu, QPushButton

from trainer.app.settings import load_app_settings, save_app_settings
from trainer.errors import SafeSignalError
from ui.common.dialogs import Dialogs

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow


@dataclass(frozen=True)
class MainMenu:
    """The menu and the entries other parts of the window use."""

    menu: QMenu
    demonstration: QAction
    profiles: QAction
    import_sessions: QAction
    restore: QAction
    welcome: QAction


def build_menu(window: MainWindow, button: QPushButton) -> MainMenu:
    """The main menu on ``button``; every entry also has a key of its own."""
    menu = QMenu(window)

    def action(
        text: str, keys: str | QKeySequence.StandardKey | None, slot: Callable[[], object]
    ) -> QAction:
        made = QAction(text, window)
        if keys is not None:
            made.setShortcut(QKeySequence(keys))
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        made.triggered.connect(lambda _checked=False: slot())
        window.addAction(made)  # the key works even while the menu is closed
        menu.addAction(made)
        return made

    demonstration = action("Demonstration, not recorded", "Ctrl+Shift+D", lambda: None)
    demonstration.setCheckable(True)
    demonstration.toggled.connect(window.set_demonstration)
    action("Presentation mode…", "F5", window.open_presentation)
    action("Mini pacer", "Ctrl+Shift+M", window.open_mini_pacer)
    action("A 1-minute reset", "Ctrl+Shift+R", window.start_reset)
    menu.addSeparator()
    profiles = action("Profiles…", None, window.manage_profiles)
    action("Settings…", "Ctrl+,", window.open_settings)
    import_sessions = action(
        "Import sessions…", "Ctrl+I", lambda: window.files.import_history(busy=window.busy())
    )
    restore = action("Restore from a backup…", None, lambda: restore_from_backup(window))
    menu.addSeparator()
    action("Help", "F1", window.open_help)
    welcome = action("Welcome", None, window.show_welcome)
    menu.addSeparator()
    action("Quit", "Ctrl+Q", window.close)  # Qt has no standard Quit key on Windows, nor offscreen
    button.setMenu(menu)
    for keys in ("F10", "Alt+M"):
        opener = QShortcut(QKeySequence(keys), window)
        opener.activated.connect(button.showMenu)
    return MainMenu(menu, demonstration, profiles, import_sessions, restore, welcome)


def restore_from_backup(window: MainWindow) -> bool:
    """Menu ▸ Restore from a backup… (the window closes after a restore)."""
    reminders = window.reminders
    stop = reminders.stop if reminders is not None else lambda: None
    return window.files.restore_from_backup(
        busy=window.busy(), lock=window.data_lock, before_close=stop
    )


def open_settings(window: MainWindow) -> None:
    """Settings for this computer (theme, reminders) and for the profile in use."""
    from ui.shell.settings_dialog import SettingsDialog

    profile = window.profile
    try:
        name = profile.name()
    except SafeSignalError as exc:
        Dialogs.problem(window, "Could not open the settings", exc)
        return
    from ui.common.theme import apply_theme_choice, theme_choice

    app = QApplication.instance()
    assert isinstance(app, QApplication), "the window needs one"
    dialog = SettingsDialog(
        app_prefs=profile.app_preferences,
        profile_prefs=profile.preferences,
        profile_name=name,
        lengths=profile.lengths,
        data_dir=profile.store.path.parent,
        preview_theme=lambda choice: apply_theme_choice(app, choice),  # at once; Cancel undoes
        theme_in_use=theme_choice(app),
        parent=window,
    )
    reminders = window.reminders
    if reminders is not None:
        from ui.shell.reminders import ReminderEditor

        editor = ReminderEditor(reminders.plan)
        editor.follow_status(reminders.status_with)  # as the person edits, before OK
        dialog.add_section("Reminders", editor, save=lambda: reminders.set_plan(editor.plan()))

    def applied(app_settings: object, _profile_settings: object) -> None:
        from trainer.app.settings import AppSettings

        assert isinstance(app_settings, AppSettings)
        apply_theme_choice(app, app_settings.theme)
        profile.settings_changed()  # the screens that use them follow

    dialog.applied.connect(applied)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.settings_dialog = dialog
    dialog.open()


def open_help(window: MainWindow) -> None:
    """Keys, what the figures mean, and the sources behind the exercises (F1)."""
    from ui.shell.help import HelpDialog

    dialog = HelpDialog(window.catalog, window.scripts, window)
    dialog.welcome_requested.connect(window.show_welcome)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.help_dialog = dialog
    dialog.open()


def show_welcome(window: MainWindow, chosen: Callable[[str], None]) -> None:
    """The two short welcome pages, and a first exercise to try; ``chosen`` starts it."""
    from ui.shell.welcome import WelcomeDialog

    dialog = WelcomeDialog(window.catalog, window)

    def done(exercise_id: object) -> None:
        prefs = window.profile.app_preferences
        # Not saved? Then it shows again next time, which is all that is lost.
        with contextlib.suppress(SafeSignalError):
            save_app_settings(prefs, replace(load_app_settings(prefs), welcome_seen=True))
        if exercise_id is not None:
            chosen(str(exercise_id))

    dialog.exercise_chosen.connect(done)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.welcome_dialog = dialog
    dialog.open()
