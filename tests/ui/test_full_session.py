"""A whole session through the real widgets, driven by keyboard and mouse and a fake clock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from trainer.content.catalog import END_CUE_S, LEAD_IN_S
from trainer.session.machine import SessionState, SessionStatus
from ui.shell.main_window import MainWindow


def test_complete_box_session_by_keyboard_and_mouse(
    qtbot, window: MainWindow, store, clock, ticker, press
):
    # Home: arrows choose box breathing, Enter starts it.
    assert window.stack.currentWidget() is window.home
    assert window.home.current_exercise().id == "coherent-5-5"
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    assert window.home.current_exercise().id == "box-4-4-4-4"
    press(Qt.Key.Key_Return)

    # Before you begin: 6 for tension, Tab, skip pain with S, Enter.
    assert window.stack.currentWidget() is window.before
    assert window.before.tension.hasFocus()
    press(Qt.Key.Key_6)
    press(Qt.Key.Key_Tab)
    assert window.before.pain.hasFocus()
    press(Qt.Key.Key_S)
    assert window.before.pain.skipped
    press(Qt.Key.Key_Return)

    # The start is stored the moment the before-ratings are confirmed.
    assert window.stack.currentWidget() is window.practice
    assert window.session is not None
    session_id = window.session.session_id
    started = store.sessions.get(session_id)
    assert started.status is SessionStatus.IN_PROGRESS
    assert (started.before.tension, started.before.pain) == (6, None)
    assert started.planned_s == 19 * 16  # 5 minutes of 16 s cycles, rounded to whole breaths

    # A 3-2-1 lead-in comes first and is not practice.
    clock.advance(1.0)
    ticker.fire()
    assert window.practice.phase_word.text() == "Get ready"
    assert window.practice.phase_seconds.text() == "2"
    assert window.practice.pacer.level == 0.0
    assert window.practice.time_left.text() == "5:04 left"
    clock.advance(2.0)
    ticker.fire()

    # Two seconds in: half-way through the first 4 s inhale.
    clock.advance(2.0)
    ticker.fire()
    assert window.practice.phase_word.text() == "Breathe in"
    assert window.practice.phase_seconds.text() == "2"
    assert window.practice.pacer.level == pytest.approx(0.5)
    assert window.practice.time_left.text() == "5:02 left"

    # Space pauses: time passes, the pacer stays exactly where it was; Space resumes.
    press(Qt.Key.Key_Space)
    assert window.session.state is SessionState.PAUSED
    assert window.practice.phase_word.text() == "Paused"
    clock.advance(120.0)
    ticker.fire()
    assert window.practice.pacer.level == pytest.approx(0.5)
    press(Qt.Key.Key_Space)
    assert window.session.state is SessionState.RUNNING
    ticker.fire()
    assert window.practice.pacer.level == pytest.approx(0.5)

    # 4 s into practice the hold begins, with the circle full.
    clock.advance(2.0)
    ticker.fire()
    assert window.practice.phase_word.text() == "Hold"
    assert window.practice.pacer.level == pytest.approx(1.0)

    # Run to the planned end: a quiet close, then the after-rating screen.
    clock.advance(19 * 16 - 4.0)
    ticker.fire()
    assert window.stack.currentWidget() is window.practice
    assert window.practice.phase_word.text() == "Well done"
    assert window.practice.time_left.text() == "0:00 left"
    clock.advance(END_CUE_S)
    ticker.fire()
    assert window.stack.currentWidget() is window.after
    assert not ticker.is_running()

    # After: the mouse picks 3 for tension, the keyboard 4 for pain.
    qtbot.mouseClick(window.after.tension._group.button(3), Qt.MouseButton.LeftButton)
    window.after.pain.setFocus()
    press(Qt.Key.Key_4)
    qtbot.mouseClick(window.after.continue_button, Qt.MouseButton.LeftButton)

    assert window.stack.currentWidget() is window.summary
    assert window.summary.tension.text() == "6 → 3"
    assert window.summary.pain.text() == "skipped → 4"
    assert "5 min 4 s" in window.summary.practised.text()

    row = store.sessions.get(session_id)
    assert row.status is SessionStatus.COMPLETED
    assert row.practised_s == pytest.approx(304.0)
    assert (row.before.tension, row.before.pain) == (6, None)
    assert (row.after.tension, row.after.pain) == (3, 4)
    assert row.exercise_id == "box-4-4-4-4"
    assert row.kind == "breathing"
    assert row.settings["pattern"]["phases"][1] == {"kind": "hold", "seconds": 4.0}
    # Wall-clock stamps follow the fake clock: 3 (lead-in) + 2 + 120 (paused) + 302 + 4 (close).
    assert (row.ended_at - row.started_at).total_seconds() == pytest.approx(431.0)

    # Enter goes home; Ctrl+H shows the history with this session.
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.home
    press(Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    # A button's shortcut "presses" it visibly, then clicks a moment later.
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.history)
    model = window.history.table.model()
    assert model.rowCount() == 1
    cells = [model.index(0, column).data() for column in range(model.columnCount())]
    assert cells[1:] == ["Box breathing", "5.1", "6 → 3", "– → 4", "", "", "Completed"]
    press(Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home


def start_coherent(qtbot, window: MainWindow, tension: int = 5, pain: int = 4) -> None:
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    window.before.tension.set_value(tension)
    window.before.pain.set_value(pain)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.practice


def test_escape_ends_early_after_confirm(qtbot, window: MainWindow, store, clock, ticker, dialogs):
    start_coherent(qtbot, window)
    clock.advance(LEAD_IN_S + 65.0)
    ticker.fire()
    qtbot.keyClick(window.practice, Qt.Key.Key_Escape)
    assert dialogs.confirms == ["End this session?"]
    assert window.stack.currentWidget() is window.after
    window.after.tension.set_skipped(True)
    window.after.pain.set_value(2)
    qtbot.keyClick(window.after, Qt.Key.Key_Return)
    row = store.sessions.of_profile(window.profile_id)[0]
    assert row.status is SessionStatus.ENDED_EARLY
    assert row.practised_s == pytest.approx(65.0)
    assert (row.after.tension, row.after.pain) == (None, 2)
    assert "every minute of practice counts" in window.summary.practised.text()


def test_declining_the_end_keeps_the_session_running_without_a_jump(
    qtbot, window: MainWindow, clock, ticker, dialogs
):
    start_coherent(qtbot, window)
    clock.advance(1.25)
    ticker.fire()
    level = window.practice.pacer.level
    dialogs.confirm_answer = False
    qtbot.keyClick(window.practice, Qt.Key.Key_Escape)
    assert window.session is not None
    assert window.session.state is SessionState.RUNNING
    ticker.fire()
    assert window.practice.pacer.level == pytest.approx(level)
    assert window.stack.currentWidget() is window.practice


def test_before_rating_is_required_and_back_stores_nothing(qtbot, window: MainWindow, store):
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.before
    assert "tension" in window.before._message.text()
    window.before.tension.set_value(0)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    assert "pain" in window.before._message.text()
    assert window.before.pain.hasFocus()
    qtbot.keyClick(window.before, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home
    assert store.sessions.of_profile(window.profile_id) == []


def test_pause_button_and_mouse_end(qtbot, window: MainWindow, clock, ticker, dialogs):
    start_coherent(qtbot, window)
    qtbot.mouseClick(window.practice.pause_button, Qt.MouseButton.LeftButton)
    assert window.practice.pause_button.text() == "Resume"
    assert window.practice.pause_button.toolTip() == "Resume (Space)"
    assert not ticker.is_running()
    qtbot.mouseClick(window.practice.pause_button, Qt.MouseButton.LeftButton)
    assert ticker.is_running()
    qtbot.mouseClick(window.practice.end_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.after


def test_closing_mid_session_keeps_the_practice_as_abandoned(
    qtbot, window: MainWindow, store, clock, ticker, dialogs
):
    start_coherent(qtbot, window, tension=7, pain=6)
    clock.advance(LEAD_IN_S + 42.0)
    ticker.fire()
    window.close()
    assert dialogs.confirms == ["Quit Safe Signal?"]
    row = store.sessions.of_profile(window.profile_id)[0]
    assert row.status is SessionStatus.ABANDONED
    assert row.practised_s == pytest.approx(42.0)
    assert (row.before.tension, row.before.pain) == (7, 6)
    assert (row.after.tension, row.after.pain) == (None, None)


def test_closing_can_be_cancelled(qtbot, window: MainWindow, store, dialogs):
    start_coherent(qtbot, window)
    dialogs.confirm_answer = False
    window.close()
    assert window.isVisible()
    assert store.sessions.of_profile(window.profile_id)[0].status is SessionStatus.IN_PROGRESS


def test_store_failure_at_start_is_shown_and_nothing_moves(
    qtbot, window: MainWindow, store, dialogs, monkeypatch
):
    from trainer.errors import StoreError

    def fail(*args, **kwargs):
        raise StoreError("Could not save the start of the session. The disk is full.")

    monkeypatch.setattr(store.sessions, "start_session", fail)
    start_session_screen = window.before
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    window.before.tension.set_value(3)
    window.before.pain.set_value(3)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is start_session_screen
    assert dialogs.errors == [
        "Could not start the session: Could not save the start of the session. The disk is full."
    ]
    assert window.before.tension.value == 3


def test_start_has_focus_when_the_window_opens(qtbot, window: MainWindow, press):
    from PySide6.QtWidgets import QApplication

    assert QApplication.focusWidget() is window.home.start_button
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.before


def test_history_says_when_there_is_nothing_yet(qtbot, window: MainWindow):
    qtbot.keyClick(window.home.list, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.history)
    assert window.history.table.model().rowCount() == 0
    assert window.history.empty.isVisible()
    assert not window.history.tabs.isVisible()
