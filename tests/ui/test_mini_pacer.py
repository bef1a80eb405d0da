"""The mini pacer: a small window that paces a pattern from the injected clock, pauses with
Space, closes with Esc, and opens where it was last left."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from tests.ui.fakes import Preferences
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.session.clock import FakeClock
from ui.common.ticker import ManualTicker
from ui.shell.mini_pacer import POSITION_KEY, SCREEN_MARGIN_PX, MiniPacer

PATTERN = BreathingPattern(
    [Phase(PhaseKind.INHALE, 4), Phase(PhaseKind.HOLD, 2), Phase(PhaseKind.EXHALE, 6)]
)
SIGH = BreathingPattern(
    [Phase(PhaseKind.INHALE, 2, 0.7), Phase(PhaseKind.INHALE, 1, 1.0), Phase(PhaseKind.EXHALE, 6)]
)


@pytest.fixture
def prefs() -> Preferences:
    return Preferences()


@pytest.fixture
def mini(qtbot, clock: FakeClock, ticker: ManualTicker, prefs: Preferences) -> MiniPacer:
    window = MiniPacer(PATTERN, clock=clock, ticker=ticker, prefs=prefs)
    qtbot.addWidget(window)
    window.open()
    qtbot.waitExposed(window)
    return window


def step(clock: FakeClock, ticker: ManualTicker, seconds: float) -> None:
    clock.advance(seconds)
    ticker.fire()


def test_a_small_window_on_top_of_everything(mini: MiniPacer) -> None:
    flags = mini.windowFlags()
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert flags & Qt.WindowType.Tool == Qt.WindowType.Tool
    assert (mini.width(), mini.height()) == (180, 220)


def test_the_pacer_follows_the_pattern_cycle_after_cycle(mini, clock, ticker) -> None:
    assert ticker.is_running()
    elapsed_s = 0.0
    for _ in range(60):  # five cycles, in uneven steps
        step(clock, ticker, 0.97)
        elapsed_s += 0.97
        expected = PATTERN.state_at(elapsed_s)
        assert mini.pacer.level == pytest.approx(expected.level)
        assert mini.pacer.kind is expected.kind
    assert mini.practice_s == pytest.approx(60 * 0.97)


def test_the_word_says_what_to_do(mini, clock, ticker) -> None:
    assert mini.word.text() == "Breathe in"
    step(clock, ticker, 4.5)
    assert mini.word.text() == "Hold"
    step(clock, ticker, 2.0)
    assert mini.word.text() == "Breathe out"


def test_a_top_up_breath_has_its_own_word(qtbot, clock, ticker) -> None:
    window = MiniPacer(SIGH, clock=clock, ticker=ticker)
    qtbot.addWidget(window)
    window.open()
    step(clock, ticker, 2.5)
    assert window.word.text() == "A little more in"


def test_space_pauses_and_resumes_without_a_jump(qtbot, mini, clock, ticker, press) -> None:
    step(clock, ticker, 1.5)
    level = mini.pacer.level
    press(Qt.Key.Key_Space)
    assert mini.paused
    assert not ticker.is_running()
    assert mini.word.text() == "Paused"
    clock.advance(30)
    ticker.start()  # even a stray tick while paused changes nothing
    ticker.fire()
    ticker.stop()
    assert mini.pacer.level == level
    assert mini.practice_s == pytest.approx(1.5)
    press(Qt.Key.Key_Space)
    assert not mini.paused
    assert ticker.is_running()
    step(clock, ticker, 0.5)
    assert mini.practice_s == pytest.approx(2.0)
    assert mini.pacer.level == pytest.approx(PATTERN.state_at(2.0).level)


def test_the_pause_button_says_what_it_will_do(qtbot, mini) -> None:
    assert mini.pause_button.toolTip() == "Pause (Space)"
    qtbot.mouseClick(mini.pause_button, Qt.MouseButton.LeftButton)
    assert mini.paused
    assert mini.pause_button.toolTip() == "Resume (Space)"
    assert mini.pause_button.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_esc_closes_and_stops_the_ticker(qtbot, mini, ticker, press) -> None:
    with qtbot.waitSignal(mini.closed, timeout=100):
        press(Qt.Key.Key_Escape)
    assert not mini.isVisible()
    assert not ticker.is_running()


def test_the_close_button_closes(qtbot, mini) -> None:
    with qtbot.waitSignal(mini.closed, timeout=100):
        qtbot.mouseClick(mini.close_button, Qt.MouseButton.LeftButton)


def test_it_opens_in_the_bottom_right_corner_the_first_time(mini) -> None:
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert mini.geometry().right() == area.right() - SCREEN_MARGIN_PX
    assert mini.geometry().bottom() == area.bottom() - SCREEN_MARGIN_PX


def test_it_opens_where_it_was_left(qtbot, mini, clock, ticker, prefs) -> None:
    mini.move(QPoint(40, 60))
    mini.close()
    assert prefs.values[POSITION_KEY] == "40,60"
    again = MiniPacer(PATTERN, clock=clock, ticker=ticker, prefs=prefs)
    qtbot.addWidget(again)
    again.open()
    assert again.pos() == QPoint(40, 60)


@pytest.mark.parametrize("saved", ["nonsense", "5000,5000", "-900,-900", "12"])
def test_a_position_off_every_screen_falls_back_to_the_corner(qtbot, clock, ticker, saved) -> None:
    prefs = Preferences()
    prefs.values[POSITION_KEY] = saved
    window = MiniPacer(PATTERN, clock=clock, ticker=ticker, prefs=prefs)
    qtbot.addWidget(window)
    assert window.remembered_position() == window.default_position()


def test_dragging_moves_the_window(qtbot, mini, prefs) -> None:
    start = mini.pos()
    grab = QPoint(90, 100)
    qtbot.mousePress(mini, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(mini, grab + QPoint(-50, -40))
    qtbot.mouseRelease(mini, Qt.MouseButton.LeftButton, pos=grab + QPoint(-50, -40))
    assert mini.pos() == start + QPoint(-50, -40)
    assert prefs.values[POSITION_KEY] == f"{mini.x()},{mini.y()}"


def test_a_new_pattern_starts_from_its_beginning(mini, clock, ticker) -> None:
    step(clock, ticker, 5.0)
    mini.set_pattern(SIGH)
    assert mini.practice_s == 0.0
    step(clock, ticker, 1.0)
    assert mini.pacer.level == pytest.approx(SIGH.state_at(1.0).level)
