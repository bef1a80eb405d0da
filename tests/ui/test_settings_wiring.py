"""Settings, help and the welcome as the window uses them: a change takes effect at once, is kept
per profile or for the computer, and survives a restart."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from trainer.app.settings import load_app_settings
from trainer.desk.reminders import ReminderPlan, load_plan
from trainer.store.store import Store
from ui.common.theme import LIGHT, apply_theme, current_theme
from ui.shell.main_window import MainWindow
from ui.shell.reminders import ReminderEditor, ReminderService


def open_settings(qtbot, window: MainWindow):
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_a_new_theme_applies_at_once_and_is_the_computers(
    qtbot, window: MainWindow, store: Store, qapp: QApplication
) -> None:
    try:
        dialog = open_settings(qtbot, window)
        dialog.theme.setCurrentIndex(dialog.theme.findData("high_contrast"))
        dialog.ok_button.click()
        assert current_theme().name == "high_contrast"
        assert load_app_settings(store.app_settings).theme == "high_contrast"
        robin = store.profiles.create("Robin")
        window.switch_profile(robin)
        assert current_theme().name == "high_contrast"  # not a profile's setting
    finally:
        apply_theme(qapp, LIGHT)


def test_the_default_length_and_reduced_motion_are_each_profiles_own(
    qtbot, window: MainWindow, store: Store
) -> None:
    me = window.profile_id
    assert window.home.length.currentData() == 5
    dialog = open_settings(qtbot, window)
    dialog.length.setCurrentIndex(dialog.length.findData(10))
    dialog.reduced_motion.setChecked(True)
    dialog.ok_button.click()
    assert window.home.length.currentData() == 10
    assert window.practice.reduced_motion

    robin = store.profiles.create("Robin")
    window.switch_profile(robin)
    assert window.home.length.currentData() == 5  # Robin has the usual length
    assert not window.practice.reduced_motion
    window.switch_profile(me)
    assert window.home.length.currentData() == 10
    assert window.practice.reduced_motion


def test_settings_survive_a_restart(qtbot, store: Store, catalog, clock, ticker, dialogs) -> None:
    from tests.ui.conftest import FakeUtc

    def new_window(opened: Store) -> MainWindow:
        made = MainWindow(
            store=opened,
            catalog=catalog,
            clock=clock,
            utc_now=FakeUtc(clock),
            ticker=ticker,
            profile_id=opened.profiles.default_id(),
        )
        qtbot.addWidget(made)
        return made

    first = new_window(store)
    first.show()
    dialog = open_settings(qtbot, first)
    dialog.length.setCurrentIndex(dialog.length.findData(15))
    dialog.ok_button.click()
    first.close()
    path = store.path
    store.close()
    again = Store(path)
    try:
        second = new_window(again)
        assert second.home.length.currentData() == 15
    finally:
        again.close()


def test_reminders_are_set_in_the_settings_and_kept(
    qtbot, window: MainWindow, store: Store, clock
) -> None:
    service = ReminderService(
        store.app_settings, utc_now=window.utc_now, tz=window.tz, parent=window
    )
    window.reminders = service
    dialog = open_settings(qtbot, window)
    plan = ReminderPlan(enabled=True, times=(time(11, 0),), weekdays=frozenset({0, 2, 4}))
    editor = dialog.findChild(ReminderEditor)
    assert editor is not None
    editor.set_plan(plan)
    dialog.ok_button.click()
    assert service.plan == plan
    assert load_plan(store.app_settings) == plan


def test_help_opens_with_f1_and_can_show_the_welcome_again(
    qtbot, window: MainWindow, press
) -> None:
    press(Qt.Key.Key_F1)
    help_dialog = window.help_dialog
    assert help_dialog is not None
    qtbot.waitUntil(help_dialog.isVisible)
    help_dialog.welcome_requested.emit()
    assert window.welcome_dialog is not None


def test_the_welcome_is_shown_once_and_can_start_the_suggested_exercise(
    qtbot, window: MainWindow, store: Store
) -> None:
    window.show_welcome()
    welcome = window.welcome_dialog
    assert welcome is not None
    qtbot.waitUntil(welcome.isVisible)
    welcome.exercise_chosen.emit("coherent-5-5")
    assert load_app_settings(store.app_settings).welcome_seen
    assert window.stack.currentWidget() is window.before
    assert window.session is not None
    assert window.session.plan.exercise_id == "coherent-5-5"


def test_the_mini_pacer_follows_reduced_motion(qtbot, window: MainWindow, store: Store) -> None:
    me = window.profile_id
    dialog = open_settings(qtbot, window)
    dialog.reduced_motion.setChecked(True)
    dialog.ok_button.click()
    window.open_mini_pacer()
    mini = window.mini_pacer
    assert mini is not None
    qtbot.addWidget(mini)
    assert mini.pacer.reduced_motion  # opened still: one size, brightness and a bar

    dialog = open_settings(qtbot, window)
    dialog.reduced_motion.setChecked(False)
    dialog.ok_button.click()
    assert not mini.pacer.reduced_motion  # changed while it was open

    dialog = open_settings(qtbot, window)
    dialog.reduced_motion.setChecked(True)
    dialog.ok_button.click()
    window.switch_profile(store.profiles.create("Robin"))
    assert not mini.pacer.reduced_motion  # Robin's setting
    window.switch_profile(me)
    assert mini.pacer.reduced_motion


def test_a_theme_previews_at_once_and_cancel_puts_it_back(
    qtbot, window: MainWindow, store: Store, qapp: QApplication, press
) -> None:
    try:
        assert current_theme().name == "light"
        dialog = open_settings(qtbot, window)
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        assert current_theme().name == "dark"  # before OK, as the README says
        assert qapp.palette().window().color().name() == current_theme().window
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert current_theme().name == "light"
        assert load_app_settings(store.app_settings).theme == "system"  # nothing saved
    finally:
        apply_theme(qapp, LIGHT)


def test_the_reminder_status_follows_the_ticked_box_in_the_settings(
    qtbot, window: MainWindow, store: Store
) -> None:
    window.reminders = ReminderService(
        store.app_settings, utc_now=window.utc_now, tz=window.tz, parent=window
    )
    dialog = open_settings(qtbot, window)
    editor = dialog.findChild(ReminderEditor)
    assert editor.status.text() == "Reminders are off."
    editor.enabled.click()
    assert editor.status.text().startswith("Next reminder")
    assert not window.reminders.plan.enabled  # only once OK is pressed
