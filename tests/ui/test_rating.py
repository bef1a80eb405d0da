"""The 0-10 rating scale: keyboard, mouse, skip, and what the screen asks for."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QStyle, QStyleOptionButton, QWidget

from trainer.content.catalog import END_CUE_S, LEAD_IN_S
from trainer.session.clock import FakeClock
from trainer.session.machine import SessionStatus
from ui.common.theme import DARK, HIGH_CONTRAST, LIGHT, apply_theme, is_primary
from ui.practice.rating import RatingScreen
from ui.shell.main_window import MainWindow
from ui.widgets.rating_scale import RatingScale


@pytest.fixture
def scale(qtbot, ticker) -> RatingScale:
    widget = RatingScale("Pain", FakeClock())
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize("digit", range(10))
def test_digit_keys_choose_that_number(qtbot, scale: RatingScale, digit: int):
    qtbot.keyClick(scale, getattr(Qt.Key, f"Key_{digit}"))
    assert scale.value == digit
    assert scale._group.checkedId() == digit


def test_one_then_zero_quickly_gives_ten_but_slowly_gives_zero(qtbot, scale: RatingScale):
    clock = scale._clock
    qtbot.keyClick(scale, Qt.Key.Key_1)
    clock.advance(0.5)
    qtbot.keyClick(scale, Qt.Key.Key_0)
    assert scale.value == 10
    qtbot.keyClick(scale, Qt.Key.Key_1)
    clock.advance(1.5)
    qtbot.keyClick(scale, Qt.Key.Key_0)
    assert scale.value == 0


def test_arrows_home_end_and_bounds(qtbot, scale: RatingScale):
    qtbot.keyClick(scale, Qt.Key.Key_Right)
    assert scale.value == 0
    qtbot.keyClick(scale, Qt.Key.Key_End)
    qtbot.keyClick(scale, Qt.Key.Key_Right)
    assert scale.value == 10
    qtbot.keyClick(scale, Qt.Key.Key_Left)
    assert scale.value == 9
    qtbot.keyClick(scale, Qt.Key.Key_Home)
    qtbot.keyClick(scale, Qt.Key.Key_Left)
    assert scale.value == 0


def test_skip_is_not_zero_and_a_number_unskips(qtbot, scale: RatingScale):
    qtbot.keyClick(scale, Qt.Key.Key_3)
    qtbot.keyClick(scale, Qt.Key.Key_S)
    assert scale.skipped
    assert scale.value is None
    assert scale.answered
    assert scale._status.text() == "Skipped"
    qtbot.keyClick(scale, Qt.Key.Key_7)
    assert not scale.skipped
    assert scale.value == 7


def test_mouse_chooses_and_skip_button_skips(qtbot, scale: RatingScale):
    qtbot.mouseClick(scale._group.button(8), Qt.MouseButton.LeftButton)
    assert scale.value == 8
    qtbot.mouseClick(scale.skip_button, Qt.MouseButton.LeftButton)
    assert scale.skipped
    assert not scale._group.button(8).isEnabled()
    qtbot.mouseClick(scale.skip_button, Qt.MouseButton.LeftButton)
    assert scale.value == 8


def test_anchors_are_written_on_the_scale(scale: RatingScale):
    from PySide6.QtWidgets import QLabel

    texts = {label.text() for label in scale.findChildren(QLabel)}
    assert {"0 = none", "10 = worst imaginable"} <= texts


def test_screen_confirms_with_skipped_as_none(qtbot, ticker):
    screen = RatingScreen("Before you begin", "", FakeClock(), can_cancel=True, continue_text="Go")
    qtbot.addWidget(screen)
    screen.tension.set_value(0)
    screen.pain.set_skipped(True)
    with qtbot.waitSignal(screen.confirmed) as blocker:
        qtbot.keyClick(screen, Qt.Key.Key_Enter)
    assert blocker.args == [0, None]


def test_screen_reset_clears_previous_answers(qtbot, ticker):
    screen = RatingScreen(
        "How do you feel now?", "", FakeClock(), can_cancel=False, continue_text="Save"
    )
    qtbot.addWidget(screen)
    screen.tension.set_value(4)
    screen.pain.set_skipped(True)
    screen.reset("Box breathing")
    assert not screen.tension.answered
    assert not screen.pain.answered
    # After the practice there is no going back: Esc saves, each rating skipped, never 0.
    with qtbot.assertNotEmitted(screen.cancelled), qtbot.waitSignal(screen.confirmed) as blocker:
        qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert blocker.args == [None, None]


@pytest.mark.parametrize("theme", [LIGHT, DARK, HIGH_CONTRAST], ids=lambda t: t.name)
def test_every_number_fits_its_button_at_the_scales_smallest(qtbot, qapp, theme) -> None:
    """In a narrow dialog (the after-ratings of a recovered session) the scale is at its
    smallest: "10" must still be whole, in bold when chosen, not cut to ".("."""
    apply_theme(qapp, theme)
    try:
        scale = RatingScale("Tension", FakeClock())
        qtbot.addWidget(scale)
        scale.resize(scale.minimumSizeHint())
        scale.show()
        qtbot.waitExposed(scale)
        scale.set_value(10)
        buttons = [b for b in scale.findChildren(QPushButton) if b.text().isdigit()]
        assert [b.text() for b in buttons] == [str(n) for n in range(11)]
        for button in buttons:
            option = QStyleOptionButton()
            button.initStyleOption(option)
            text = button.fontMetrics().size(0, button.text())
            needed = button.style().sizeFromContents(
                QStyle.ContentsType.CT_PushButton, option, text, button
            )
            assert button.width() >= needed.width(), button.text()
    finally:
        apply_theme(qapp, LIGHT)


def test_tension_is_defined_in_one_plain_line_where_it_is_first_asked(qtbot, window, press):
    press(Qt.Key.Key_Return)  # start the highlighted exercise: the before-ratings come first
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.before)
    meaning = window.before.tension_meaning
    assert meaning.isVisible()
    text = meaning.text()
    assert text.startswith("Tension: ")
    assert "\n" not in text
    assert text.count(".") == 1  # one plain sentence
    assert "tight" in text
    assert "whether or not it hurts" in text
    assert meaning.geometry().bottom() <= window.before.tension.geometry().top()  # above it
    assert window.before.tension.toolTip() == text


def to_after(qtbot, window: MainWindow, clock, ticker, tension: int = 5, pain: int = 4) -> None:
    """Rate before, practise the whole 5 minutes, and arrive at "How do you feel now?"."""
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    window.before.tension.set_value(tension)
    window.before.pain.set_value(pain)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.practice
    clock.advance(LEAD_IN_S + 5 * 60.0 + END_CUE_S)
    ticker.fire()
    assert window.stack.currentWidget() is window.after


def test_escape_after_the_practice_saves_with_both_ratings_skipped(
    qtbot, window: MainWindow, store, clock, ticker, press
):
    """A person who just wants to stop: one key, no nagging, nothing stored as 0."""
    to_after(qtbot, window, clock, ticker)
    assert window.after.tension.hasFocus()
    press(Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.summary
    assert window.after._message.text() == ""
    row = store.sessions.of_profile(window.profile_id)[0]
    assert row.status is SessionStatus.COMPLETED
    assert (row.before.tension, row.before.pain) == (5, 4)
    assert (row.after.tension, row.after.pain) == (None, None)


def test_not_now_saves_with_both_ratings_skipped(qtbot, window: MainWindow, store, clock, ticker):
    to_after(qtbot, window, clock, ticker)
    after = window.after
    assert after.not_now_button.isVisible()
    assert after.not_now_button.text() == "Not now"
    assert "Esc" in after.not_now_button.toolTip()
    # Beside Save, in the row that stays in sight.
    assert after.not_now_button.parentWidget() is after.continue_button.parentWidget()
    gap_px = after.continue_button.x() - after.not_now_button.geometry().right()
    assert 0 < gap_px < 24
    qtbot.mouseClick(after.not_now_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.summary
    row = store.sessions.of_profile(window.profile_id)[0]
    assert (row.after.tension, row.after.pain) == (None, None)


@pytest.mark.parametrize("way", ["Esc", "Not now"])
def test_a_rating_already_given_is_kept_and_only_the_other_skipped(
    qtbot, window: MainWindow, store, clock, ticker, way: str
):
    to_after(qtbot, window, clock, ticker)
    after = window.after
    after.pain.set_value(2)
    if way == "Esc":
        qtbot.keyClick(after, Qt.Key.Key_Escape)
    else:
        after.not_now_button.click()
    # The screen says what was stored: the unanswered scale reads "Skipped", the other its number.
    assert after.tension.skipped
    assert (after.tension.value, after.pain.value) == (None, 2)
    row = store.sessions.of_profile(window.profile_id)[0]
    assert (row.after.tension, row.after.pain) == (None, 2)


def test_before_the_practice_esc_is_still_back_and_there_is_no_not_now(
    qtbot, window: MainWindow, store
):
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    before = window.before
    assert window.stack.currentWidget() is before
    assert before.back_button.isVisible()
    assert not before.not_now_button.isVisible()
    before.not_now()  # not offered here: it does nothing
    assert window.stack.currentWidget() is before
    assert not before.tension.answered
    qtbot.keyClick(before, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home
    assert store.sessions.of_profile(window.profile_id) == []


def test_after_a_quick_question_esc_skips_it_too(qtbot, ticker) -> None:
    screen = RatingScreen(
        "How do you feel now?", "", FakeClock(), can_cancel=False, continue_text="Save"
    )
    qtbot.addWidget(screen)
    screen.reset("1-minute reset", question="And now?")
    with qtbot.waitSignal(screen.confirmed) as blocker:
        qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert blocker.args == [None, None]
    assert screen.tension.skipped
    assert not screen.pain.skipped  # not asked, not shown: left alone


def test_begin_practice_and_save_are_the_primary_action_in_one_place(
    qtbot, window: MainWindow, clock, ticker
):
    """A click aimed where Begin practice was lands on Save."""
    window.resize(QSize(1024, 560))
    QApplication.processEvents()
    assert window.size() == QSize(1024, 560)

    def place(screen: QWidget, button: QPushButton) -> QRect:
        QApplication.processEvents()
        return QRect(button.mapTo(window, QPoint(0, 0)), button.size())

    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    begin = window.before.continue_button
    assert begin.text() == "Begin practice"
    assert is_primary(begin)
    begin_at = place(window.before, begin)
    to_after_from_before(qtbot, window, clock, ticker)
    save = window.after.continue_button
    assert save.text() == "Save"
    assert is_primary(save)
    assert not is_primary(window.after.not_now_button)
    save_at = place(window.after, save)
    assert save_at == begin_at
    assert save.isVisible()
    assert window.rect().contains(save_at)


def to_after_from_before(qtbot, window: MainWindow, clock, ticker) -> None:
    window.before.tension.set_value(5)
    window.before.pain.set_value(4)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    clock.advance(LEAD_IN_S + 5 * 60.0 + END_CUE_S)
    ticker.fire()
    assert window.stack.currentWidget() is window.after


def test_the_message_line_takes_room_only_when_something_is_missing(qtbot, ticker) -> None:
    screen = RatingScreen("Before you begin", "", FakeClock(), can_cancel=True, continue_text="Go")
    qtbot.addWidget(screen)
    screen.show()
    assert not screen._message.isVisible()
    screen.continue_button.click()
    assert screen._message.isVisible()
    assert "tension" in screen._message.text()
    screen.tension.set_value(2)
    assert not screen._message.isVisible()
