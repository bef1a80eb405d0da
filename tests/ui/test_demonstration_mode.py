"""Demonstrations in the main window (nothing recorded, no ratings) and presentation mode opened
from it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from trainer.store.store import Store
from ui.shell.main_window import MainWindow


def run_out(window: MainWindow, clock, ticker, seconds: float) -> None:
    for _ in range(int(seconds // 5) + 2):
        clock.advance(5.0)
        ticker.fire()


def test_a_breathing_demonstration_asks_nothing_and_keeps_nothing(
    qtbot, window: MainWindow, store: Store, clock, ticker, press
) -> None:
    window.home.where_first.setChecked(True)  # would ask where it hurts: not in a demonstration
    press(Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.demonstrating
    assert window.demo_banner.isVisible()
    window.home.length.setCurrentIndex(window.home.length.findData(1))
    window.home.list.setFocus()
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.practice  # no ratings, no body map
    assert window.session is not None
    assert not window.session.recorded
    run_out(window, clock, ticker, 90)
    assert window.stack.currentWidget() is window.summary
    assert "demonstration" in window.summary.practised.text()
    # Only what is true: nothing was rated, so no ratings (not a table of "not asked").
    assert not window.summary.ratings.isVisible()
    assert not window.summary.note.isVisible()  # it explains before/after ratings
    assert "Nothing was recorded" in window.summary.practised.text()
    assert store.sessions.count(window.profile_id) == 0

    press(Qt.Key.Key_Return)  # back to the exercises
    press(Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not window.demonstrating
    assert not window.demo_banner.isVisible()
    window.home.where_first.setChecked(False)
    window.home.list.setFocus()
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.before  # recorded again: ratings first


def test_an_attention_demonstration_skips_where_it_hurts_and_ending_early_keeps_nothing(
    qtbot, window: MainWindow, store: Store, clock, ticker, dialogs, press
) -> None:
    window.set_demonstration(True)
    window.switch_buttons.button(1).click()
    window.attention_home.start()
    assert window.stack.currentWidget() is window.attention
    clock.advance(20.0)
    ticker.fire()
    assert window.session is not None
    window.session.end_early()
    assert window.stack.currentWidget() is window.summary
    assert store.sessions.count(window.profile_id) == 0
    assert store.db.execute("SELECT count(*) FROM session_regions").fetchone()[0] == 0


def test_quitting_during_a_demonstration_does_not_ask_or_store(
    qtbot, window: MainWindow, store: Store, dialogs, press
) -> None:
    window.set_demonstration(True)
    press(Qt.Key.Key_Return)
    assert window.session is not None
    window.close()
    assert dialogs.confirms == []
    assert store.sessions.count(window.profile_id) == 0


def test_presentation_mode_opens_full_screen_and_closes_by_keyboard(
    qtbot, window: MainWindow, press
) -> None:
    press(Qt.Key.Key_F5)
    shown = window.presentation
    assert shown is not None
    qtbot.waitUntil(shown.isVisible)
    assert shown.isFullScreen()
    assert shown.screen() is window.screen()
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.presentation is None)


def test_presentation_mode_waits_for_a_session_to_end(
    qtbot, window: MainWindow, dialogs, press
) -> None:
    press(Qt.Key.Key_Return)
    for key in (Qt.Key.Key_5, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return):
        press(key)
    window.open_presentation()
    assert window.presentation is None
    assert dialogs.infos[-1].startswith("Presentation mode: Please finish")
