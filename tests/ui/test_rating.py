"""The 0-10 rating scale: keyboard, mouse, skip, and what the screen asks for."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QStyle, QStyleOptionButton

from trainer.session.clock import FakeClock
from ui.common.theme import DARK, HIGH_CONTRAST, LIGHT, apply_theme
from ui.practice.rating import RatingScreen
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
    with qtbot.assertNotEmitted(screen.cancelled):
        qtbot.keyClick(screen, Qt.Key.Key_Escape)


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
