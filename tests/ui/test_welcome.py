"""The first-run welcome: its two screens, the suggested exercise, keyboard use, and its answer."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget

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


# -- how it looks -----------------------------------------------------------------------------------


def test_the_dialog_is_centred_over_its_window(qtbot, catalog, ticker) -> None:
    from PySide6.QtWidgets import QMainWindow

    owner = QMainWindow()
    qtbot.addWidget(owner)
    owner.setGeometry(40, 30, 760, 560)  # inside the offscreen platform's 800x600 screen
    owner.show()
    qtbot.waitExposed(owner)
    dialog = WelcomeDialog(catalog, owner)
    dialog.open()
    qtbot.waitExposed(dialog)
    qtbot.wait(10)  # the second look, once a desktop would have framed it
    middle, ours = owner.frameGeometry().center(), dialog.frameGeometry().center()
    assert abs(ours.x() - middle.x()) <= 1
    assert abs(ours.y() - middle.y()) <= 1
    dialog.reject()


def test_the_dialog_stays_on_the_screen_over_a_window_bigger_than_it(
    qtbot, catalog, ticker
) -> None:
    from PySide6.QtWidgets import QMainWindow

    owner = QMainWindow()
    qtbot.addWidget(owner)
    owner.setGeometry(0, 0, 900, 800)  # taller and wider than the 800x600 screen
    owner.show()
    qtbot.waitExposed(owner)
    dialog = WelcomeDialog(catalog, owner)
    dialog.open()
    qtbot.waitExposed(dialog)
    qtbot.wait(10)
    room = dialog.screen().availableGeometry()
    assert room.contains(dialog.frameGeometry())
    dialog.reject()


def words_extent(page_area) -> tuple[int, int, int]:
    """How far above and below the page's words and picture the free room is, and the page's
    height (all in the scroll area's viewport)."""
    viewport = page_area.viewport()
    parts = [
        w
        for w in page_area.widget().findChildren(QWidget)
        if w.isVisible() and not w.findChildren(QWidget)
    ]
    tops = [w.mapTo(viewport, w.rect().topLeft()).y() for w in parts]
    bottoms = [w.mapTo(viewport, w.rect().bottomLeft()).y() for w in parts]
    return min(tops), viewport.height() - 1 - max(bottoms), viewport.height()


@pytest.mark.parametrize("page", [0, 1])
def test_neither_page_is_half_empty(qtbot, catalog, ticker, page) -> None:
    dialog = WelcomeDialog(catalog)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.welcome.show_page(page)
    QApplication.processEvents()
    above, below, height = words_extent(dialog.welcome.pages.currentWidget())
    assert abs(above - below) <= 16  # the words sit in the middle of the room, not at its top
    assert above + below <= height * 0.35  # and fill most of it
    dialog.reject()


def test_each_page_has_its_calm_picture_and_one_primary_step(welcome) -> None:
    from ui.common.theme import is_primary
    from ui.shell.welcome import WelcomeEmblem

    for page in (0, 1):
        welcome.show_page(page)
        QApplication.processEvents()
        pictures = [e for e in welcome.findChildren(WelcomeEmblem) if e.isVisible()]
        assert len(pictures) == 1
        assert pictures[0].accessibleName()
        buttons = [b for b in welcome.findChildren(QPushButton) if b.isVisible()]
        main = welcome.next_button if page == 0 else welcome.start_button
        assert [b for b in buttons if is_primary(b)] == [main]
        assert "Enter" in main.toolTip()


def test_on_a_desktop_the_frame_is_what_is_centred() -> None:
    """A window manager adds a title bar and borders (here 20 px on top, 1 px round and 5 px
    below, as Openbox's): the whole framed dialog is centred, not only its inside."""
    from PySide6.QtCore import QMargins, QRect, QSize

    from ui.shell.welcome import centred_over, frame_edges

    owner_frame, owner_inside = QRect(300, 150, 1202, 825), QRect(301, 170, 1200, 800)
    edges = frame_edges(owner_frame, owner_inside)
    assert edges == QMargins(1, 20, 1, 5)
    frame = centred_over(owner_frame, QSize(708, 470), edges, QRect(0, 0, 1920, 1080))
    assert frame.size() == QSize(710, 495)
    assert abs(frame.center().x() - owner_frame.center().x()) <= 1
    assert abs(frame.center().y() - owner_frame.center().y()) <= 1


def test_over_a_window_bigger_than_the_screen_the_frame_stays_on_it() -> None:
    from PySide6.QtCore import QMargins, QRect, QSize

    from ui.shell.welcome import centred_over

    room = QRect(0, 0, 1024, 600)
    owner = QRect(0, 0, 1015, 741)  # the old 641-pixel minimum height, plus a title bar
    frame = centred_over(owner, QSize(708, 540), QMargins(1, 20, 1, 5), room)
    assert room.contains(frame)
    assert abs(frame.center().x() - owner.center().x()) <= 1
