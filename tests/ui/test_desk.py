"""The desk user's pieces wired to the window: a reminder leads to a 1-minute reset, the tray
restarts the last exercise, and the mini pacer opens and closes by keyboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from trainer.desk.reminders import ReminderPlan, save_plan
from trainer.session.clock import LocalZone
from trainer.session.machine import SessionState
from trainer.store.store import Store
from ui.shell.app import wire_desk
from ui.shell.main_window import MainWindow


class Wall:
    """A wall clock the test moves by hand (a Tuesday morning)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_due_reminder_offers_a_reset_that_starts_a_one_minute_session(
    qtbot, window: MainWindow, store: Store
) -> None:
    wall = Wall()
    at = (wall.now + timedelta(minutes=30)).astimezone(LocalZone()).time()
    plan = ReminderPlan(enabled=True, times=(at,), weekdays=frozenset(range(7)))
    save_plan(store.app_settings, plan)
    desk = wire_desk(window, store, wall)
    try:
        assert window.reminders is desk.service
        desk.service.check()
        assert not desk.popup.isVisible()
        wall.now += timedelta(minutes=31)
        desk.service.check()
        assert desk.popup.isVisible()  # no tray on this desktop: the small window
        desk.popup.reset_requested.emit()
        assert window.stack.currentWidget() is window.before
        assert window.before._context.text().endswith("1 minute")
        assert window.session is not None
        assert window.session.plan.exercise_id == "coherent-5-5"
    finally:
        desk.close()


def test_reminders_wait_while_someone_practises(qtbot, window: MainWindow, press) -> None:
    press(Qt.Key.Key_Return)
    for key in (Qt.Key.Key_5, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return):
        press(key)
    assert window.session is not None
    assert window.session.state is SessionState.RUNNING
    assert window.busy()
    before = window.session
    window.start_reset()  # from the tray, mid-session: nothing is interrupted
    assert window.session is before
    assert window.stack.currentWidget() is window.practice


def test_the_tray_starts_the_last_exercise_again(
    qtbot, window: MainWindow, store: Store, press
) -> None:
    assert window.last_exercise() is None
    window.home.exercise_by_id("box-4-4-4-4")
    window.home.list.setFocus()
    press(Qt.Key.Key_Return)
    for key in (Qt.Key.Key_5, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return):
        press(key)
    assert window.session is not None
    window.session.abandon()
    window.flow.session = None
    window.show_history()
    assert window.last_exercise() == ("box-4-4-4-4", "breathing", "Box breathing")
    window.home.exercise_by_id("coherent-5-5")
    window.start_last_exercise()
    assert window.stack.currentWidget() is window.before
    assert window.session is not None
    assert window.session.plan.exercise_id == "box-4-4-4-4"


def test_the_mini_pacer_opens_from_the_keyboard_and_esc_closes_it(
    qtbot, window: MainWindow, press
) -> None:
    press(Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    mini = window.mini_pacer
    assert mini is not None
    qtbot.waitUntil(mini.isVisible)
    assert mini.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    qtbot.keyClick(mini, Qt.Key.Key_Escape)
    assert window.mini_pacer is None
