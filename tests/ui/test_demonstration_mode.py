"""Demonstrations in the main window (nothing recorded, no ratings) and presentation mode opened
from it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget

from trainer.store.store import Store
from ui.common.dialogs import Dialogs
from ui.common.theme import current_theme
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


def visible_texts(window: MainWindow) -> list[str]:
    """Every piece of text a person could read in the window now."""
    texts = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QPushButton):
            texts.append(widget.text())
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
    return texts


def test_a_demonstration_shows_no_ones_name(qtbot, window: MainWindow, store: Store) -> None:
    client = store.profiles.create("Robin Client")
    window.switch_profile(client)
    assert any("Robin Client" in text for text in visible_texts(window))
    window.set_demonstration(True)  # a clinician shows the screen to others
    assert not any("Robin Client" in text for text in visible_texts(window))
    assert window.profile_bar.demonstration.isVisible()
    assert window.profile_bar.demonstration.text() == "Demonstration"
    assert not window.profile_bar.choice.isVisible()
    assert not window.profiles_action.isEnabled()  # Menu ▸ Profiles… would list every name
    window.set_demonstration(False)
    assert window.profiles_action.isEnabled()
    assert window.profile_bar.choice.currentText() == "Robin Client"
    assert window.profile_bar.choice.isVisible()
    assert not window.profile_bar.demonstration.isVisible()


def test_the_demonstration_strip_is_quiet_but_clear(qtbot, window: MainWindow) -> None:
    window.set_demonstration(True)
    banner = window.demo_banner
    assert banner.text() == "Demonstration: nothing is recorded"
    assert not banner.label.font().bold()
    one_line = banner.label.heightForWidth(banner.label.width())
    assert one_line < 2 * banner.fontMetrics().height()  # one line, not a block
    # one row beside its button, no taller than the button and the gap above it
    assert banner.height() <= banner.end_button.height() + 3 * 8
    theme = current_theme()
    image = banner.grab().toImage()
    inside = image.pixelColor(banner.label.geometry().right() - 8, banner.height() // 2)
    assert inside.name() == theme.surface  # the card's colour, not a block of accent
    assert inside.name() != theme.accent


@pytest.mark.parametrize("attention", [False, True])
def test_ending_a_demonstration_early_says_nothing_is_kept(
    qtbot, window: MainWindow, store: Store, clock, ticker, monkeypatch, attention
) -> None:
    asked: list[tuple[str, str, str]] = []

    def confirm(parent, title: str, text: str, yes: str, no: str) -> bool:
        asked.append((title, text, yes))
        return True

    monkeypatch.setattr(Dialogs, "confirm", confirm)
    window.set_demonstration(True)
    if attention:
        window.switch_buttons.button(1).click()
        window.attention_home.start()
        screen = window.attention
    else:
        window.home.list.setFocus()
        qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
        screen = window.practice
    assert window.stack.currentWidget() is screen
    clock.advance(20.0)
    ticker.fire()
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert len(asked) == 1
    title, text, yes = asked[0]
    assert "kept" not in text.replace("nothing to keep", "")  # it said "will be kept"
    assert "not recorded" in text
    assert (title, yes) == ("End the demonstration?", "End demonstration")
    assert window.stack.currentWidget() is window.summary
    assert store.sessions.count(window.profile_id) == 0


def test_ending_a_recorded_session_early_still_says_the_time_is_kept(
    qtbot, window: MainWindow, clock, ticker, monkeypatch, press
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(Dialogs, "confirm", lambda p, title, text, y, n: asked.append(text))
    press(Qt.Key.Key_Return)
    for key in (Qt.Key.Key_5, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return):
        press(key)
    clock.advance(20.0)
    ticker.fire()
    qtbot.keyClick(window.practice, Qt.Key.Key_Escape)
    assert asked == ["End the practice now? The time you have practised so far will be kept."]


def test_the_window_title_shows_no_ones_name_in_a_demonstration(
    qtbot, window: MainWindow, store: Store
) -> None:
    window.switch_profile(store.profiles.create("Robin Client"))
    assert window.windowTitle() == "Safe Signal · Robin Client"
    window.set_demonstration(True)
    assert window.windowTitle() == "Safe Signal · Demonstration"
    window.set_demonstration(False)
    assert window.windowTitle() == "Safe Signal · Robin Client"


@pytest.mark.parametrize("started", [False, True])
def test_a_recorded_session_stays_recorded_and_the_strip_never_says_otherwise(
    qtbot, window: MainWindow, store: Store, dialogs, press, started
) -> None:
    press(Qt.Key.Key_Return)  # the before-ratings of a recorded session
    if started:
        for key in (Qt.Key.Key_5, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return):
            press(key)
        assert window.stack.currentWidget() is window.practice
    press(Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not window.demonstrating  # refused, with a word why
    assert not window.demonstration_action.isChecked()
    assert not window.demo_banner.isVisible()
    assert dialogs.infos[-1].startswith("Demonstration: Please finish or end this session first")
    assert window.session is not None
    assert window.session.recorded


def test_the_strip_has_a_button_that_ends_the_demonstration(
    qtbot, window: MainWindow, clock, ticker, press
) -> None:
    """A demonstration stays on from one to the next (a clinician may show several), so the
    strip stays in sight with its own way out, and the Start card says nothing is recorded."""
    window.resize(1024, 560)
    home_kicker = window.home.kicker.text()
    window.set_demonstration(True)
    assert window.home.kicker.text() == "Demonstration: not recorded"
    assert window.home.kicker.isVisible()
    window.home.length.setCurrentIndex(window.home.length.findData(1))
    window.home.list.setFocus()
    press(Qt.Key.Key_Return)
    run_out(window, clock, ticker, 90)
    assert window.stack.currentWidget() is window.summary
    press(Qt.Key.Key_Return)  # back to the exercises: still a demonstration, and it says so
    assert window.stack.currentWidget() is window.home
    assert window.demonstrating
    end = window.demo_banner.end_button
    assert window.demo_banner.isVisible()
    assert end.isVisible()
    assert end.text() == "End demonstration"
    assert "Ctrl+Shift+D" in end.toolTip()
    assert window.rect().contains(QRect(end.mapTo(window, QPoint(0, 0)), end.size()))
    assert window.home.kicker.text() == "Demonstration: not recorded"
    qtbot.mouseClick(end, Qt.MouseButton.LeftButton)
    assert not window.demonstrating
    assert not window.demo_banner.isVisible()
    assert window.home.kicker.text() == home_kicker
    window.home.list.setFocus()
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.before  # recorded again: ratings first


def test_the_attention_start_card_says_a_demonstration_is_not_recorded(
    qtbot, window: MainWindow
) -> None:
    window.set_demonstration(True)
    window.switch_buttons.button(1).click()  # made after the demonstration began
    assert window.attention_home.kicker.text() == "Demonstration: not recorded"
    window.demo_banner.end_button.click()
    assert window.attention_home.kicker.text() != "Demonstration: not recorded"
    window.set_demonstration(True)  # made before it began
    assert window.attention_home.kicker.text() == "Demonstration: not recorded"


def test_an_attention_demonstration_names_its_real_length(
    qtbot, window: MainWindow, clock, ticker, monkeypatch
) -> None:
    """Not "Attention shifting (0 s)" after a real minute and more of practice."""
    monkeypatch.setattr(Dialogs, "confirm", lambda *args: True)
    window.set_demonstration(True)
    window.switch_buttons.button(1).click()
    window.attention_home.start()
    run_out(window, clock, ticker, 100)
    assert window.session is not None
    window.session.end_early()
    assert window.stack.currentWidget() is window.summary
    text = window.summary.practised.text()
    assert "(0 s)" not in text
    assert "(1 min" in text, text
