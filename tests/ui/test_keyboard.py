"""Enter presses the focused button; every screen keeps a focus so its keys keep working."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from trainer.content.catalog import END_CUE_S, LEAD_IN_S
from trainer.session.machine import SessionStatus
from ui.shell.main_window import MainWindow


def tab_to(press, widget) -> None:
    """Press Tab until ``widget`` has focus (at most ten times)."""
    for _ in range(10):
        if widget.hasFocus():
            return
        press(Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget!r}")


def test_enter_on_the_list_starts_exactly_once(qtbot, window: MainWindow, press):
    started = []
    window.home.start_requested.connect(lambda exercise, plan: started.append(exercise.id))
    press(Qt.Key.Key_Return)
    assert started == ["coherent-5-5"]
    assert window.stack.currentWidget() is window.before


def test_enter_in_the_length_box_starts_with_that_length(qtbot, window: MainWindow, press):
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # unfolds the options, at the length
    assert window.home.length.hasFocus()
    window.home.length.setCurrentIndex(window.home.length.findData(3))
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.before
    assert window.session is not None
    assert window.session.plan.exercise_id == "extended-exhale-4-6"
    assert window.session.plan.planned_s == 18 * 10  # 3 minutes of 10 s breaths


def test_enter_on_the_history_button_opens_history(qtbot, window: MainWindow, press):
    tab_to(press, window.home.history_button)
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.history


def test_enter_on_back_goes_back_without_starting(qtbot, window: MainWindow, store, press):
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_7)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_2)
    tab_to(press, window.before.back_button)
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.home
    assert window.session is None
    assert store.sessions.of_profile(window.profile_id) == []


def test_enter_on_see_history_opens_history(qtbot, window: MainWindow, store, clock, ticker, press):
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_5)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_S)
    press(Qt.Key.Key_Return)
    clock.advance(LEAD_IN_S + 5 * 60.0 + END_CUE_S)
    ticker.fire()
    assert window.stack.currentWidget() is window.after
    press(Qt.Key.Key_3)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_S)
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.summary
    tab_to(press, window.summary.history_button)
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.history
    assert window.history.table.model().rowCount() == 1
    assert store.sessions.of_profile(window.profile_id)[0].status is SessionStatus.COMPLETED
    # With sessions listed, the tabs have focus (arrows move between plots and the table)
    # and Esc still goes home.
    assert QApplication.focusWidget() is window.history.tabs.tabBar()
    press(Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home
    assert QApplication.focusWidget() is window.home.start_button


def test_empty_history_keeps_a_focus_and_escape_goes_home(qtbot, window: MainWindow, press):
    press(Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.history)
    assert window.history.isAncestorOf(QApplication.focusWidget())
    press(Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home


def test_ctrl_q_quits_on_every_platform(qtbot, window: MainWindow, press):
    """Found: Qt's standard Quit key is empty on Windows and offscreen, so Ctrl+Q (which the
    README promises anywhere) did nothing there."""
    window.show()
    qtbot.waitExposed(window)
    press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())
