"""The lighter check-in of a 1-minute reset (from a reminder, the tray or the menu): one question
(how tense) or none, as the person chose in the settings; every other session asks both."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from trainer.app.settings import CHECK_IN, CheckIn, write_setting
from trainer.desk.reminders import ReminderPlan, save_plan
from trainer.session.clock import LocalZone
from trainer.session.machine import Ratings
from trainer.store.store import Store
from ui.practice.rating import QUICK_AFTER, QUICK_BEFORE
from ui.shell.app import wire_desk
from ui.shell.main_window import MainWindow


def run_out(clock, ticker, seconds: float) -> None:
    for _ in range(int(seconds // 5) + 2):
        clock.advance(5.0)
        ticker.fire()


def reset_from_a_reminder(window: MainWindow, store: Store) -> None:
    """A reminder falls due (no tray here: the small window) and the person starts the reset."""
    now = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    wall = [now]
    at = (now + timedelta(minutes=30)).astimezone(LocalZone()).time()
    save_plan(
        store.app_settings, ReminderPlan(enabled=True, times=(at,), weekdays=frozenset(range(7)))
    )
    desk = wire_desk(window, store, lambda: wall[0])
    try:
        wall[0] += timedelta(minutes=31)
        desk.service.check()
        assert desk.popup.isVisible()
        desk.popup.reset_button.click()
    finally:
        desk.close()


def the_only_session(window: MainWindow, store: Store):
    sessions = window.profile.sessions()
    assert len(sessions) == 1
    return sessions[0]


def test_a_reset_from_a_reminder_asks_one_question_and_keeps_pain_as_skipped(
    qtbot, window: MainWindow, store: Store, clock, ticker, press
) -> None:
    window.home.where_first.setChecked(True)  # a reset never asks where it hurts
    reset_from_a_reminder(window, store)
    before = window.before
    assert window.stack.currentWidget() is before
    assert before._intro.text() == QUICK_BEFORE
    assert before.tension.isVisible()
    assert not before.pain.isVisible()  # one row of 0-10, not two scales
    press(Qt.Key.Key_6)
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.practice
    run_out(clock, ticker, 75)
    after = window.after
    assert window.stack.currentWidget() is after
    assert after._intro.text() == QUICK_AFTER
    assert not after.pain.isVisible()
    press(Qt.Key.Key_Return)  # nothing chosen yet: it asks, and saves nothing
    assert window.stack.currentWidget() is after
    press(Qt.Key.Key_3)
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.summary
    stored = the_only_session(window, store)
    assert (stored.before, stored.after) == (Ratings(6, None), Ratings(3, None))
    assert stored.exercise_id == "coherent-5-5"


def test_a_reset_can_ask_nothing_and_keeps_both_as_skipped(
    qtbot, window: MainWindow, store: Store, clock, ticker
) -> None:
    write_setting(window.profile.preferences, CHECK_IN, CheckIn.NOTHING)
    window.start_reset()  # the tray, or Ctrl+Shift+R
    assert window.stack.currentWidget() is window.practice  # straight to the breathing
    assert window.session is not None
    assert window.session.recorded
    run_out(clock, ticker, 75)
    assert window.stack.currentWidget() is window.summary  # saved, nothing asked
    stored = the_only_session(window, store)
    assert (stored.before, stored.after) == (Ratings(None, None), Ratings(None, None))


def test_a_full_session_still_asks_both_ratings_after_a_reset(
    qtbot, window: MainWindow, store: Store, press
) -> None:
    window.start_reset()
    assert not window.before.pain.isVisible()
    press(Qt.Key.Key_Escape)  # back: nothing kept
    assert window.stack.currentWidget() is window.home
    window.home.list.setFocus()
    press(Qt.Key.Key_Return)
    before = window.before
    assert window.stack.currentWidget() is before
    assert before.tension.isVisible()
    assert before.pain.isVisible()
    assert not before._intro.text().startswith("One quick question")
    press(Qt.Key.Key_4)
    press(Qt.Key.Key_Return)  # pain is still to be answered: not started
    assert window.stack.currentWidget() is before
    assert store.sessions.count(window.profile_id) == 0


def test_a_reset_that_asks_nothing_and_cannot_save_at_once_keeps_trying_with_save_at_hand(
    qtbot, window: MainWindow, store: Store, clock, ticker
) -> None:
    from tests.trainer.other_program import OtherProgram

    write_setting(window.profile.preferences, CHECK_IN, CheckIn.NOTHING)
    window.start_reset()
    run_out(clock, ticker, 55)  # nearly done
    assert window.stack.currentWidget() is window.practice
    with OtherProgram(store.path):  # another program holds the database as it ends
        run_out(clock, ticker, 20)
        # Not saved yet: a quiet try waits, and Save is on screen meanwhile (never stuck).
        assert window.stack.currentWidget() is window.after
        assert window.practice_view.retry.timer.isActive()
    timer = window.practice_view.retry.timer
    timer.stop()
    timer.timeout.emit()  # the quiet try's moment (fired by hand)
    assert window.stack.currentWidget() is window.summary
    stored = the_only_session(window, store)
    assert (stored.before, stored.after) == (Ratings(None, None), Ratings(None, None))
