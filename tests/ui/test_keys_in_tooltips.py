"""Keys in tooltips, Help and a keys window, not in labels (issue 18, item 1), on every screen
past the home screens: no button or label says "(Esc)" or "(Ctrl+P)", each button's tooltip and
accessible description name its key, and "?" shows the keys of the screen in view."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from trainer.content.catalog import END_CUE_S, LEAD_IN_S
from ui.common.screen_keys import (
    ATTENTION_KEYS,
    FINDER_KEYS,
    HISTORY_KEYS,
    PRACTICE_KEYS,
    RATING_KEYS,
    SUMMARY_KEYS,
    WHERE_KEYS,
)
from ui.shell.help import SHORTCUTS
from ui.shell.main_window import MainWindow

# A key written into a label: "Back (Esc)", "Report… (Ctrl+P)", "Skip (S)", "Pause (Space)".
KEY_IN_LABEL = re.compile(r"\((Ctrl|Alt|Shift|Esc|Enter|F\d+|Space|Del|[A-Z])(\+\w+)*\)")
CTRL = Qt.KeyboardModifier.ControlModifier
MAIN_SCREENS = ("before", "after", "where", "practice", "attention", "summary", "finder", "history")


def texts_of(screen: QWidget) -> list[str]:
    """Every button's and label's words on ``screen`` (hidden pages too: they are shown later)."""
    texts = [w.text() for w in screen.findChildren(QAbstractButton)]
    texts += [w.text() for w in screen.findChildren(QLabel)]
    return [t for t in texts if t]


def into_practice(window: MainWindow, press) -> None:
    """From the list, through the before-rating, into a running breathing practice."""
    press(Qt.Key.Key_Return)
    for key in (Qt.Key.Key_5, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return):
        press(key)
    assert window.stack.currentWidget() is window.practice


def test_no_main_screen_writes_a_key_into_a_label(qtbot, window: MainWindow, press, clock, ticker):
    into_practice(window, press)  # the pause button as it is while practising
    window.where.begin(("pain", "comfort"))  # "Next" rather than "Continue"
    offending = {}
    for name in MAIN_SCREENS:
        screen = getattr(window, name)
        texts = texts_of(screen)
        assert texts, name
        found = [t for t in texts if KEY_IN_LABEL.search(t)]
        if found:
            offending[name] = found
    assert offending == {}


def test_help_and_the_reminder_write_no_key_into_a_label(qtbot, catalog):
    from trainer.content.scripts import load_scripts
    from ui.shell.help import HelpDialog
    from ui.shell.reminders import ReminderPopup

    help_dialog = HelpDialog(catalog, load_scripts())
    qtbot.addWidget(help_dialog)
    popup = ReminderPopup()
    qtbot.addWidget(popup)
    popup.show_reminder(10)
    for widget in (help_dialog, popup):
        found = [t for t in texts_of(widget) if KEY_IN_LABEL.search(t)]
        assert found == [], widget
    for button, key in (
        (help_dialog.close_button, "Esc"),
        (popup.reset_button, "Enter"),
        (popup.not_now_button, "Esc"),
        (popup.snooze_button, "S"),
    ):
        assert f"({key})" in button.toolTip()
        assert key in button.accessibleDescription()


def test_each_button_names_its_key_in_its_tooltip(qtbot, window: MainWindow, press):
    into_practice(window, press)
    before, where, practice = window.before, window.where, window.practice
    attention, summary, finder, history = (
        window.attention,
        window.summary,
        window.finder,
        window.history,
    )
    where.begin(("pain",))
    for button, key in (
        (before.continue_button, "Enter"),
        (before.back_button, "Esc"),
        (before.keys_button, "?"),
        (where.back_button, "Esc"),
        (where.skip_button, "S"),
        (where.continue_button, "Enter"),
        (practice.pause_button, "Space"),
        (practice.end_button, "Esc"),
        (practice.focus_button, "F"),
        (practice.visual_buttons.button(1), "2"),
        (attention.pause_button, "Space"),
        (attention.skip_button, "N"),
        (attention.end_button, "Esc"),
        (attention.large_button, "L"),
        (attention.speak_button, "T"),
        (summary.done_button, "Enter"),
        (summary.history_button, "H"),
        (finder.start_button, "Enter"),
        (finder.back_button, "Esc"),
        (finder.skip_rest_button, "Enter"),
        (finder.stop_button, "Esc"),
        (finder.continue_button, "Enter"),
        (finder.finish_button, "Esc"),
        (history.report_button, "Ctrl+P"),
        (history.export_button, "Ctrl+E"),
        (history.back_button, "Esc"),
        (history.undo_button, "Ctrl+Z"),
        (history.delete_button, "Del"),
    ):
        assert re.search(rf"\({re.escape(key)}[ )]", button.toolTip()), (button.text(), key)
        assert key in button.accessibleDescription(), (button.text(), key)


def test_pause_says_resume_while_paused_with_its_key_in_the_tooltip(qtbot, window, press):
    into_practice(window, press)
    practice = window.practice
    assert practice.pause_button.text() == "Pause"
    QApplication.processEvents()
    end_at = practice.end_button.geometry()
    press(Qt.Key.Key_Space)
    assert practice.pause_button.text() == "Resume"
    assert practice.pause_button.toolTip() == "Resume (Space)"
    QApplication.processEvents()
    assert practice.end_button.geometry() == end_at  # the shorter label moved nothing


def test_the_rating_screen_has_no_line_of_keys_always_on_screen(qtbot, window, press):
    press(Qt.Key.Key_Return)
    before = window.before
    shown = [label.text() for label in before.findChildren(QLabel) if label.isVisible()]
    assert not [text for text in shown if text.startswith("Keys:")]
    # A screen reader still hears them, from the screen itself.
    assert "S: skip this rating" in before.accessibleDescription()


def show(qtbot, window: MainWindow, name: str, press, clock, ticker) -> QWidget:
    """Bring the screen ``name`` into view with the keyboard focus on it, as the app does."""
    if name == "before":
        press(Qt.Key.Key_Return)
    elif name == "practice":
        into_practice(window, press)
    elif name == "after":
        into_practice(window, press)
        clock.advance(LEAD_IN_S + 5 * 60.0 + END_CUE_S)
        ticker.fire()
    elif name == "finder":
        press(Qt.Key.Key_R, CTRL)
    elif name == "history":
        press(Qt.Key.Key_H, CTRL)
    else:
        screen = getattr(window, name)
        if name == "where":
            screen.begin(("pain",))
        window.stack.setCurrentWidget(screen)
        screen.setFocus()
    screen = getattr(window, name)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is screen)
    qtbot.waitUntil(lambda: screen.isAncestorOf(QApplication.focusWidget()) or screen.hasFocus())
    return screen


SCREEN_KEYS = {
    "before": RATING_KEYS,
    "after": RATING_KEYS,
    "where": WHERE_KEYS,
    "practice": PRACTICE_KEYS,
    "attention": ATTENTION_KEYS,
    "summary": SUMMARY_KEYS,
    "finder": FINDER_KEYS,
    "history": HISTORY_KEYS,
}


@pytest.mark.parametrize("name", MAIN_SCREENS)
def test_question_mark_shows_the_keys_of_each_screen(qtbot, window, press, clock, ticker, name):
    screen = show(qtbot, window, name, press, clock, ticker)
    qtbot.keyClicks(QApplication.focusWidget(), "?")
    dialog = screen.keys_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    title, keys = SCREEN_KEYS[name]
    assert title in dialog.table.text()
    for _key, action in keys:
        assert action in dialog.table.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    # The screen is where it was, its keys working again.
    assert window.stack.currentWidget() is screen


def test_question_mark_reaches_history_from_a_box_that_takes_typed_letters(qtbot, window, press):
    press(Qt.Key.Key_H, CTRL)
    history = window.history
    qtbot.waitUntil(lambda: window.stack.currentWidget() is history)
    history.period.setFocus()
    qtbot.keyClicks(history.period, "?")
    assert history.keys_dialog is not None
    qtbot.waitUntil(history.keys_dialog.isVisible)
    qtbot.keyClick(history.keys_dialog, Qt.Key.Key_Escape)


def test_help_lists_each_screens_keys_as_its_keys_window_does() -> None:
    listed = dict(SHORTCUTS)
    for title, keys in SCREEN_KEYS.values():
        assert listed[title] == keys


def test_the_kept_sessions_ratings_show_no_line_of_keys(qtbot, clock) -> None:
    from datetime import UTC, datetime

    from trainer.session.machine import Ratings
    from trainer.session.recovery import RecoveredSession
    from ui.practice.recovery import AfterRatingsDialog

    started = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    found = RecoveredSession(
        1, 1, "Box breathing", "breathing", started, started, 20.0, Ratings(2, 2)
    )
    dialog = AfterRatingsDialog(found, clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    shown = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
    assert not [text for text in shown if "Keys:" in text or "Enter to" in text]
    assert "(Enter)" in dialog.save_button.toolTip()
    assert "(Esc)" in dialog.leave_button.toolTip()
    assert "Esc: leave them empty" in dialog.accessibleDescription()
    dialog.tension.setFocus()
    qtbot.keyClicks(dialog.tension, "?")
    assert dialog.keys_dialog is not None
    qtbot.waitUntil(dialog.keys_dialog.isVisible)
    qtbot.keyClick(dialog.keys_dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # Esc closed the keys, not the ratings
