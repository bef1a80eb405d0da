"""The main window fits small screens: at 1024x600 under a title bar (and at 1366x768 scaled to
125%), every screen shows its main actions whole, no screen asks for more room than that, and the
window never resizes itself as screens and choices change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton, QWidget

from trainer.content.catalog import END_CUE_S, LEAD_IN_S
from trainer.session.resonance import STEP_S
from ui.shell.header import MAX_CONTENT_WIDTH_PX
from ui.shell.main_window import (
    MINIMUM_SIZE,
    TITLE_BAR_PX,
    MainWindow,
    first_place,
    first_size,
)

# The window's least size; a 1024x600 netbook under a title bar; 1366x768 at 125% (1093x614
# logical) under one.
SMALL_SCREENS = (MINIMUM_SIZE, QSize(1024, 600 - TITLE_BAR_PX), QSize(1093, 614 - TITLE_BAR_PX))


def wholly_shown(widget: QWidget, window: MainWindow) -> bool:
    """Shown, inside the window, and not cut off by anything around it (a scrolled page, a
    squeezed layout)."""
    if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
        return False
    place = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return window.rect().contains(place) and widget.visibleRegion().boundingRect() == widget.rect()


def described(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    name = text() if callable(text) else widget.accessibleName()
    place = QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())
    return f"{name} at {place.getRect()}, showing {widget.visibleRegion().boundingRect().getRect()}"


def walk(window: MainWindow, clock, ticker, press) -> Iterator[tuple[str, tuple[QWidget, ...]]]:
    """Every screen of the main window, as a person reaches it, with its main actions."""
    home = window.home
    yield "home", (home.start_button, home.history_button, home.finder_button)
    press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    yield "attention list", (window.attention_home.start_button,)
    press(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)

    # A breathing exercise, where it hurts first, through to the summary.
    home.where_first.setChecked(True)
    home.start_button.click()
    where = window.where
    # The map shrinks to the room there is: nothing needs scrolling to.
    yield (
        "where it hurts",
        (where.back_button, where.skip_button, where.continue_button, where.note),
    )
    where.continue_button.click()
    before = window.before
    yield "before", (before.continue_button, before.back_button, before.tension, before.pain)
    before.tension.set_value(4)
    before.pain.set_value(5)
    before.continue_button.click()
    practice = window.practice
    yield "practice", (practice.pause_button, practice.end_button, practice.sound_button)
    session = window.session
    assert session is not None
    clock.advance(LEAD_IN_S + session.plan.planned_s + END_CUE_S + 1)
    ticker.fire()
    after = window.after
    yield "after", (after.continue_button, after.not_now_button, after.tension, after.pain)
    after.tension.set_value(3)
    after.pain.set_value(4)
    after.continue_button.click()
    summary = window.summary
    yield "summary", (summary.done_button, summary.history_button)
    summary.history_button.click()
    history = window.history
    tab_bar = history.tabs.tabBar()
    for index in range(history.tabs.count()):
        history.tabs.setCurrentIndex(index)
        name = f"history: {history.tabs.tabText(index)}"
        yield name, (tab_bar, history.back_button, history.report_button, history.export_button)
    history.back_button.click()

    # Find my pace: its introduction, a pace, its rating.
    press(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    finder = window.finder
    yield "find my pace", (finder.start_button, finder.back_button)
    finder.start_button.click()
    yield "find my pace: breathing", (finder.pause_button, finder.stop_button)
    clock.advance(STEP_S + 1)
    ticker.fire()
    yield "find my pace: rating", (finder.continue_button, finder.scale)
    for score in (4, 6, 9, 7, 5):  # every pace, for the longest results
        if finder.pages.currentWidget() is not finder.rating_page:
            finder.skip_rest_button.click()
            clock.advance(STEP_S + 1)
            ticker.fire()
        finder.scale.set_value(score)
        finder.continue_button.click()
    yield "find my pace: results", (finder.finish_button, finder.save_button)
    finder.save_button.click()
    yield "find my pace: kept", (finder.finish_button,)
    finder.finish_button.click()

    # An attention exercise: where it hurts, then the guided practice.
    press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    window.attention_home.start_button.click()
    window.where.skip_button.click()
    before.tension.set_value(4)
    before.pain.set_value(5)
    before.continue_button.click()
    attention = window.attention
    controls = (attention.pause_button, attention.skip_button, attention.end_button)
    yield "attention practice", (*controls, attention.large_button, attention.speak_button)
    attention.set_large_text(True)
    yield "attention practice, large text", controls


@pytest.mark.parametrize("size", SMALL_SCREENS, ids=lambda s: f"{s.width()}x{s.height()}")
def test_every_main_action_is_on_screen_on_a_small_screen(
    qtbot, window: MainWindow, clock, ticker, press, dialogs, size: QSize
):
    window.resize(size)
    seen = []
    for name, actions in walk(window, clock, ticker, press):
        QApplication.processEvents()
        assert window.size() == size, f"{name}: the window became {window.size().toTuple()}"
        assert window.minimumSizeHint().boundedTo(size) == window.minimumSizeHint(), name
        page = window.stack.currentWidget()
        assert page is not None
        fits = page.minimumSizeHint().boundedTo(window.header.pages.viewport().size())
        assert fits == page.minimumSizeHint(), f"{name} needs {page.minimumSizeHint()}"
        cut = [described(a) for a in actions if not wholly_shown(a, window)]
        assert not cut, f"{name}: not wholly on screen: {cut}"
        seen.append(name)
    assert len(seen) >= 17


def test_the_least_size_of_the_window_suits_a_small_screen() -> None:
    assert MINIMUM_SIZE.boundedTo(QSize(900, 520)) == MINIMUM_SIZE


def choices_on(window: MainWindow, name: str) -> list[QAbstractButton]:
    """The buttons of a screen that show a choice (bold when chosen) or change its layout."""
    home = window.home
    if name == "home":
        return [home.ease_in, home.where_first, home.no_holds]
    if name in ("before", "after"):
        screen = window.before if name == "before" else window.after
        return [scale.skip_button for scale in (screen.tension, screen.pain)]
    if name == "practice":
        return [*window.practice.visual_buttons.buttons()]
    if name.startswith("attention practice"):
        return [window.attention.large_button, window.attention.speak_button]
    return []


def test_the_window_never_resizes_itself(qtbot, window: MainWindow, clock, ticker, press):
    """Neither a new screen nor a choice (a long name, a bold selected button) grows it."""
    size = QSize(960, 640)
    window.resize(size)
    QApplication.processEvents()
    home = window.home
    for row in range(home.list.count()):  # 4-7-8 once widened the window from 960 to 1015 px
        home.list.setCurrentRow(row)
        QApplication.processEvents()
        assert window.size() == size, home.current_exercise().title
    home.list.setCurrentRow(0)
    for name, _ in walk(window, clock, ticker, press):
        QApplication.processEvents()
        assert window.size() == size, name
        for button in choices_on(window, name):
            for _ in range(2):  # chosen, then not
                if button.isVisible():
                    button.click()
                QApplication.processEvents()
                assert window.size() == size, f"{name}: {button.text()}"


def test_a_chosen_button_has_room_for_its_bold_words(
    qtbot, window: MainWindow, clock, ticker, press
):
    """A chosen button's words turn bold: they must still fit ("Skip pain rating" was cut)."""
    for name, _ in walk(window, clock, ticker, press):
        for button in choices_on(window, name):
            if not button.isVisible() or not isinstance(button, QPushButton):
                continue
            button.setChecked(False)
            QApplication.processEvents()
            # The room Qt gives around the plain words, which the bold ones need as well.
            around_px = button.sizeHint().width() - button.fontMetrics().horizontalAdvance(
                button.text()
            )
            button.setChecked(True)
            QApplication.processEvents()
            bold = QFont(button.font())
            bold.setBold(True)
            words_px = QFontMetrics(bold).horizontalAdvance(button.text())
            assert button.width() >= words_px + around_px, f"{name}: {button.text()}"
            button.setChecked(False)


def test_every_choice_on_home_fits_the_least_window(qtbot, window: MainWindow) -> None:
    """The window does not grow for home (see above); home must not need more room either, or
    part of it would have to be scrolled to."""
    window.resize(MINIMUM_SIZE)
    home = window.home
    room = window.header.pages.viewport().size()
    too_big = []
    for row in range(home.list.count()):
        home.list.setCurrentRow(row)
        QApplication.processEvents()
        if home.minimumSizeHint().boundedTo(room) != home.minimumSizeHint():
            too_big.append((home.current_exercise().title, home.minimumSizeHint().toTuple()))
    assert not too_big, f"room {room.toTuple()}: {too_big}"


def test_a_4k_screen_keeps_the_content_a_readable_width(
    qtbot, window: MainWindow, clock, ticker, press
):
    """Wide screens centre the content rather than stretch it across."""
    window.resize(3840, 2000)
    QApplication.processEvents()

    def centred_within(first: QWidget, last: QWidget, most_px: int) -> None:
        left = first.mapTo(window, QPoint(0, 0)).x()
        right = last.mapTo(window, QPoint(last.width(), 0)).x()
        assert right - left <= most_px
        assert abs((left + right) / 2 - window.width() / 2) <= 2

    header = window.header
    centred_within(window.switch_buttons.button(0), header.menu_button, MAX_CONTENT_WIDTH_PX)
    for name, _ in walk(window, clock, ticker, press):
        QApplication.processEvents()
        if name == "before":  # a form: narrower still
            centred_within(window.before.back_button, window.before.continue_button, 900)
            centred_within(window.before.tension, window.before.tension, 900)
            # and Begin practice comes after the scales, not at the foot of a tall screen
            scales_end = window.before.pain.mapTo(window, QPoint(0, window.before.pain.height()))
            button_top = window.before.continue_button.mapTo(window, QPoint(0, 0))
            assert 0 < button_top.y() - scales_end.y() < 120
            break


@pytest.mark.parametrize(
    ("available", "expected"),
    [
        (QSize(1024, 600), QSize(960, 560)),  # as large as fits under the title bar
        (QSize(1093, 614), QSize(960, 574)),  # 1366x768 at 125%
        (QSize(1366, 740), QSize(1024, 700)),
        (QSize(1920, 1080), QSize(1440, 810)),  # three quarters, not a small island
        (QSize(3840, 2160), QSize(1600, 1000)),  # 4K: capped
        (QSize(1024, 480), QSize(960, MINIMUM_SIZE.height())),  # never below the least
    ],
)
def test_the_window_opens_at_three_quarters_of_its_screen(
    available: QSize, expected: QSize
) -> None:
    """About 75% of the room on a large screen (capped), as much as fits on a small one."""
    assert first_size(available) == expected
    if available.height() - TITLE_BAR_PX >= MINIMUM_SIZE.height():
        assert expected.height() <= available.height() - TITLE_BAR_PX
        assert expected.width() <= available.width()


@pytest.mark.parametrize(
    ("available", "size", "expected"),
    [
        (QRect(0, 0, 1920, 1050), QSize(1440, 810), QPoint(240, 100)),
        (QRect(0, 30, 1024, 570), QSize(960, 530), QPoint(32, 30)),  # a panel on top
        (QRect(1920, 0, 3840, 2160), QSize(1600, 1000), QPoint(1920 + 1120, 560)),  # 2nd screen
    ],
)
def test_the_window_opens_centred(available: QRect, size: QSize, expected: QPoint) -> None:
    """Its frame, title bar included, sits in the middle of the room the panels leave."""
    assert first_place(available, size) == expected


def test_the_window_opens_centred_on_its_screen(window: MainWindow) -> None:
    """The window itself is put where first_place says, at first_size."""
    room = window.screen().availableGeometry()
    assert window.size() == first_size(room.size())
    assert window.pos() == first_place(room, window.size())


@pytest.mark.parametrize("size", SMALL_SCREENS, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_demonstration_banner_leaves_room_for_the_actions(
    qtbot, window: MainWindow, clock, ticker, size: QSize
):
    """The banner takes a line or two off the top; the actions below stay in sight."""
    window.resize(size)
    window.set_demonstration(True)
    QApplication.processEvents()
    assert window.demo_banner.isVisible()
    home = window.home
    assert wholly_shown(home.start_button, window)
    home.start_button.click()
    QApplication.processEvents()
    practice = window.practice
    assert window.stack.currentWidget() is practice
    for button in (practice.pause_button, practice.end_button, practice.sound_button):
        assert wholly_shown(button, window), described(button)
    assert window.size() == size
