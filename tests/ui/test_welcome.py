"""The first-run welcome: its two screens, the suggested exercise, keyboard use, and its answer."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from ui.shell.welcome import (
    NOT_MEDICAL_ADVICE,
    SUGGESTED_EXERCISE_ID,
    WelcomeDialog,
    WelcomeScreen,
    suggested_exercise,
)


@pytest.fixture
def welcome(qtbot, catalog, ticker) -> WelcomeScreen:
    screen = WelcomeScreen(catalog)
    qtbot.addWidget(screen)
    screen.resize(960, 720)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    return screen


def all_text(screen: WelcomeScreen) -> str:
    return " ".join((screen.pain_text.text(), screen.help_text.text(), screen.note.text())).lower()


def test_the_suggestion_is_the_gentle_six_a_minute_exercise(catalog) -> None:
    exercise = suggested_exercise(catalog)
    assert exercise.id == SUGGESTED_EXERCISE_ID
    assert exercise.pattern.rate_bpm == pytest.approx(6.0)
    assert not exercise.pattern.has_holds


def test_without_it_the_first_exercise_is_suggested(catalog) -> None:
    others = tuple(e for e in catalog.exercises if e.id != SUGGESTED_EXERCISE_ID)
    assert suggested_exercise(replace(catalog, exercises=others)) is others[0]


def test_the_words_say_what_matters(welcome) -> None:
    text = all_text(welcome)
    assert "your pain is real" in text
    assert "after the tissue has healed" in text
    assert "learn again" in text
    for help_point in ("slow breathing", "attention exercises", "ratings before and after"):
        assert help_point in text
    assert welcome.note.text() == NOT_MEDICAL_ADVICE
    assert "not medical advice" in text
    assert "clinician" in text
    for never in ("imaginary", "in your head", "not real", "cure"):
        assert never not in text


def test_the_suggestion_names_the_exercise_its_rate_and_length(welcome, catalog) -> None:
    text = welcome.suggestion.text()
    assert "Coherent breathing" in text
    assert "6 breaths a minute" in text
    assert f"{catalog.default_minutes} minutes" in text


def test_enter_goes_on_then_starts_the_suggested_exercise(qtbot, welcome, press) -> None:
    assert welcome.page == 0
    assert QApplication.focusWidget() is welcome.next_button
    assert not welcome.back_button.isVisible()
    press(Qt.Key.Key_Return)
    assert welcome.page == 1
    assert welcome.start_button.isVisible()
    assert welcome.back_button.isVisible()
    assert not welcome.next_button.isVisible()
    assert welcome.step.text() == "2 of 2"
    with qtbot.waitSignal(welcome.finished) as finished:
        press(Qt.Key.Key_Return)
    assert finished.args == [SUGGESTED_EXERCISE_ID]


@pytest.mark.parametrize("page", [0, 1])
def test_escape_is_not_now_on_either_screen(qtbot, welcome, press, page) -> None:
    welcome.show_page(page)
    with qtbot.waitSignal(welcome.finished) as finished:
        press(Qt.Key.Key_Escape)
    assert finished.args == [None]


def test_back_by_backspace_or_button(qtbot, welcome, press) -> None:
    welcome.next()
    press(Qt.Key.Key_Backspace)
    assert welcome.page == 0
    welcome.next()
    qtbot.mouseClick(welcome.back_button, Qt.MouseButton.LeftButton)
    assert welcome.page == 0
    assert QApplication.focusWidget() is welcome.next_button


def test_enter_on_a_focused_button_presses_that_button(qtbot, welcome, press) -> None:
    welcome.next()
    order = []
    for _ in range(3):
        press(Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert set(order) == {welcome.back_button, welcome.not_now_button, welcome.start_button}
    welcome.not_now_button.setFocus()
    with qtbot.waitSignal(welcome.finished) as finished:
        press(Qt.Key.Key_Enter)
    assert finished.args == [None]


def test_shown_again_it_starts_at_the_beginning(welcome) -> None:
    welcome.next()
    welcome.start_again()
    assert welcome.page == 0


def test_in_a_full_window_the_text_fits_without_scrolling(welcome) -> None:
    for page in (0, 1):
        welcome.show_page(page)
        QApplication.processEvents()
        assert welcome.current_scroll_bar().maximum() == 0


def test_in_a_small_window_the_arrows_scroll_the_text(qtbot, welcome, press) -> None:
    welcome.resize(420, 300)
    welcome.next()
    QApplication.processEvents()
    bar = welcome.current_scroll_bar()
    assert bar.maximum() > 0
    press(Qt.Key.Key_Down)
    assert bar.value() > 0
    press(Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    press(Qt.Key.Key_Home)
    assert bar.value() == 0


def test_the_dialog_answers_once_and_closes(qtbot, catalog, ticker) -> None:
    dialog = WelcomeDialog(catalog)
    qtbot.addWidget(dialog)
    dialog.show()
    answers = []
    dialog.exercise_chosen.connect(answers.append)
    dialog.welcome.next()
    dialog.welcome.start_button.click()
    assert answers == [SUGGESTED_EXERCISE_ID]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen_id == SUGGESTED_EXERCISE_ID
    assert not dialog.isVisible()


def test_closing_the_dialog_is_not_now(qtbot, catalog, ticker) -> None:
    dialog = WelcomeDialog(catalog)
    qtbot.addWidget(dialog)
    dialog.show()
    answers = []
    dialog.exercise_chosen.connect(answers.append)
    dialog.close()
    assert answers == [None]
    assert dialog.result() == QDialog.DialogCode.Rejected
