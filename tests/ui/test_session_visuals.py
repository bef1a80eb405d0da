"""The session screen's pacer: choosing a visual mid-session, focus mode, and small windows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QFontInfo, QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.ui.fakes import Preferences, Recorder
from trainer.app.words import PHASE_WORDS, TOP_UP_WORD
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.session.machine import Session, SessionPlan, SessionState
from ui.common.theme import DARK, HIGH_CONTRAST, LIGHT, apply_theme
from ui.practice.session_screen import SessionScreen
from ui.widgets.pacer import ColumnPacer

BOX = BreathingPattern(
    [
        Phase(PhaseKind.INHALE, 4),
        Phase(PhaseKind.HOLD, 4),
        Phase(PhaseKind.EXHALE, 4),
        Phase(PhaseKind.HOLD, 4),
    ]
)


@pytest.fixture
def preferences() -> Preferences:
    return Preferences()


@pytest.fixture
def make_screen(qtbot, clock, ticker, preferences):
    def make(
        width: int = 800, height: int = 600, cycles: int = 19, title: str = "Box breathing"
    ) -> SessionScreen:
        session = Session(
            SessionPlan("box-4-4-4-4", title, BOX, cycles),
            clock=clock,
            utc_now=lambda: datetime(2026, 3, 1, tzinfo=UTC),
            recorder=Recorder(),
            profile_id=1,
        )
        session.confirm_before(None, None)
        screen = SessionScreen(ticker, preferences=preferences)
        qtbot.addWidget(screen)
        screen.resize(width, height)
        screen.show()
        qtbot.waitExposed(screen)
        screen.begin(session)
        QApplication.processEvents()
        return screen

    return make


@pytest.fixture
def screen(make_screen) -> SessionScreen:
    return make_screen()


def frame(clock, ticker, seconds: float) -> None:
    clock.advance(seconds)
    ticker.fire()
    QApplication.processEvents()


# -- choosing the visual ------------------------------------------------------------------------


def test_switching_visuals_mid_breath_keeps_the_same_level(qtbot, screen, clock, ticker):
    frame(clock, ticker, 1.3)
    level = screen.pacer.level
    assert 0 < level < 1
    for key, name in ((Qt.Key.Key_2, "column"), (Qt.Key.Key_3, "wave"), (Qt.Key.Key_1, "circle")):
        qtbot.keyClick(screen, key)
        QApplication.processEvents()
        assert screen.visual_name == name
        assert screen.pacer.level == level
        assert screen.pacer.drawn_level == pytest.approx(level)
    # Time goes on in the new visual from the same place.
    frame(clock, ticker, 0.5)
    assert screen.pacer.level == pytest.approx(BOX.state_at(1.8).level)


def test_v_cycles_and_the_buttons_choose_too(qtbot, screen):
    names = []
    for _ in range(3):
        qtbot.keyClick(screen, Qt.Key.Key_V)
        names.append(screen.visual_name)
    assert names == ["column", "wave", "circle"]
    wave_button = screen.visual_buttons.button(2)
    qtbot.mouseClick(wave_button, Qt.MouseButton.LeftButton)
    assert screen.visual_name == "wave"
    assert wave_button.isChecked()
    assert not screen.visual_buttons.button(0).isChecked()
    assert screen.hasFocus()  # the buttons do not take the keyboard from Space and Esc


def test_the_choice_is_remembered(qtbot, make_screen, preferences):
    first = make_screen()
    assert first.visual_name == "circle"
    qtbot.keyClick(first, Qt.Key.Key_3)
    assert preferences.values["pacer_visual"] == "wave"
    second = make_screen()
    assert second.visual_name == "wave"
    assert second.visual_buttons.button(2).isChecked()


def test_a_stored_choice_that_is_not_a_visual_shows_the_circle(make_screen, preferences):
    preferences.values["pacer_visual"] = "spiral"
    assert make_screen().visual_name == "circle"


def test_without_preferences_the_screen_remembers_for_this_run(qtbot, ticker):
    screen = SessionScreen(ticker)
    qtbot.addWidget(screen)
    screen.set_visual("column")
    assert screen.visual_name == "column"


def test_the_wave_looks_ahead_through_the_session(qtbot, screen, clock, ticker):
    qtbot.keyClick(screen, Qt.Key.Key_3)
    frame(clock, ticker, 2.0)
    wave = screen.pacer
    for dt in (1.0, 3.0, 6.5):
        assert wave.path_level(dt) == pytest.approx(BOX.state_at(2.0 + dt).level, abs=2e-3)


def test_the_wave_lies_flat_after_the_last_breath(qtbot, make_screen, clock, ticker):
    screen = make_screen(cycles=1)
    qtbot.keyClick(screen, Qt.Key.Key_3)
    frame(clock, ticker, 13.0)
    wave = screen.pacer
    assert wave.path_level(3.0) == pytest.approx(0.0)  # 16 s: the end, on an empty breath
    assert wave.path_level(6.0) == pytest.approx(0.0)  # and it stays there


# -- focus mode ---------------------------------------------------------------------------------


def test_f_opens_focus_mode_with_the_same_pacer(qtbot, screen, clock, ticker):
    qtbot.keyClick(screen, Qt.Key.Key_2)
    frame(clock, ticker, 2.0)
    qtbot.keyClick(screen, Qt.Key.Key_F)
    view = screen.focus_view
    assert view is not None
    assert screen.in_focus
    assert view.isVisible()
    assert view.isFullScreen()
    assert view.pacers.current_name == "column"
    assert view.pacers.current.level == screen.pacer.level
    # The same ticks drive it.
    frame(clock, ticker, 1.0)
    assert view.pacers.current.level == pytest.approx(BOX.state_at(3.0).level)
    assert view.word.text() == "Breathe in"


def test_esc_leaves_focus_mode_without_ending_the_session(qtbot, screen, clock, ticker, dialogs):
    screen.focus_button.click()
    view = screen.focus_view
    assert view is not None
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not screen.in_focus
    assert not view.isVisible()
    assert screen.session is not None
    assert screen.session.state is SessionState.RUNNING
    assert dialogs.confirms == []
    # Back on the screen, which shows the latest frame, Esc still asks to end.
    frame(clock, ticker, 0.5)
    assert screen.pacer.level == pytest.approx(BOX.state_at(0.5).level)
    dialogs.confirm_answer = False
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert dialogs.confirms == ["End this session?"]
    assert screen.session.state is SessionState.RUNNING


def test_space_pauses_in_focus_mode(qtbot, screen, clock, ticker):
    frame(clock, ticker, 1.0)
    qtbot.keyClick(screen, Qt.Key.Key_F)
    view = screen.focus_view
    assert view is not None
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert screen.session is not None
    assert screen.session.state is SessionState.PAUSED
    assert view.word.text() == "Paused"
    assert view.word.isVisible()
    level = view.pacers.current.level
    frame(clock, ticker, 30.0)
    assert view.pacers.current.level == level
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert screen.session.state is SessionState.RUNNING
    assert screen.in_focus


def test_the_phase_word_in_focus_mode_can_be_hidden_and_stays_hidden(qtbot, screen, preferences):
    qtbot.keyClick(screen, Qt.Key.Key_F)
    view = screen.focus_view
    assert view is not None
    assert view.word.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_W)
    assert not view.word.isVisible()
    assert preferences.values["focus_phase_word"] == "off"
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(screen, Qt.Key.Key_F)
    assert not view.word.isVisible()


def test_changing_the_visual_in_focus_mode_changes_it_on_the_screen_too(qtbot, screen, preferences):
    qtbot.keyClick(screen, Qt.Key.Key_F)
    view = screen.focus_view
    assert view is not None
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert view.pacers.current_name == "wave"
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert screen.visual_name == "wave"
    assert preferences.values["pacer_visual"] == "wave"


def test_the_screen_behind_focus_mode_is_not_redrawn(qtbot, screen, clock, ticker):
    qtbot.keyClick(screen, Qt.Key.Key_F)
    behind = screen.pacer.level
    frame(clock, ticker, 1.0)
    assert screen.pacer.level == behind
    assert screen.focus_view is not None
    assert screen.focus_view.pacers.current.level != behind


def test_focus_mode_closes_when_the_practice_ends(qtbot, make_screen, clock, ticker):
    screen = make_screen(cycles=1)
    qtbot.keyClick(screen, Qt.Key.Key_F)
    frame(clock, ticker, 16.0)
    assert screen.session is not None
    assert screen.session.state is SessionState.RATE_AFTER
    assert not screen.in_focus


# -- small and large windows --------------------------------------------------------------------


def clipped(screen: QWidget) -> list[str]:
    """Visible widgets smaller than they need, or reaching outside the screen."""
    problems = []
    area = QRect(QPoint(0, 0), screen.size())
    for child in screen.findChildren(QWidget):
        if not child.isVisible() or child.window() is not screen:
            continue
        name = child.accessibleName() or child.objectName() or type(child).__name__
        if isinstance(child, QLabel) and child.text():
            name += f" {child.text()!r}"
        # A widget deliberately kept smaller (the thin progress bar) is judged by its maximum.
        need = child.minimumSizeHint().boundedTo(child.maximumSize())
        if child.width() < need.width() or child.height() < need.height():
            problems.append(f"{name}: {child.size().toTuple()} < {need.toTuple()}")
        box = QRect(child.mapTo(screen, QPoint(0, 0)), child.size())
        if not area.contains(box):
            problems.append(f"{name} reaches outside the window")
    return problems


@pytest.mark.parametrize("size", [(400, 300), (800, 600), (1280, 800)])
@pytest.mark.parametrize("visual", ["circle", "column", "wave"])
@pytest.mark.parametrize("theme", [LIGHT, DARK, HIGH_CONTRAST])
def test_the_screen_fits_its_window(qtbot, qapp, make_screen, clock, ticker, size, visual, theme):
    apply_theme(qapp, theme)
    screen = make_screen(*size, title="Long, slow out-breath")
    screen.set_visual(visual)
    assert screen.minimumSize().width() <= 400
    assert screen.minimumSize().height() <= 300
    for seconds in (1.0, 4.5):  # breathing in, then the longest word's neighbour, a hold
        frame(clock, ticker, seconds)
        assert clipped(screen) == []
    qtbot.keyClick(screen, Qt.Key.Key_Space)  # "Press Space to continue" is the widest text
    QApplication.processEvents()
    assert clipped(screen) == []
    assert screen.pacer.height() >= 96


def test_a_long_title_is_shortened_rather_than_widening_the_window(make_screen):
    screen = make_screen(400, 300, title="A very long name for a custom breathing pattern indeed")
    assert screen.width() == 400
    assert screen._title.text().endswith("…")
    assert screen._title.toolTip().startswith("A very long name")


# -- focus mode for mouse users -----------------------------------------------------------------


def _mouse(view: QWidget, kind: QEvent.Type, target: QWidget | None = None) -> None:
    target = target or view.pacers.current  # type: ignore[attr-defined]
    centre = QPointF(target.rect().center())
    global_pos = QPointF(target.mapToGlobal(centre.toPoint()))
    button = Qt.MouseButton.NoButton if kind is QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    buttons = Qt.MouseButton.NoButton if kind is QEvent.Type.MouseMove else button
    event = QMouseEvent(kind, centre, global_pos, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)


def test_focus_mode_says_how_to_leave_and_the_hint_fades(qtbot, screen):
    qtbot.keyClick(screen, Qt.Key.Key_F)
    view = screen.focus_view
    assert view is not None
    assert view.hint.isVisible()
    assert view.hint.text() == "Esc or F to leave"
    assert view.close_button.isVisible()
    assert view.still_timer.isActive()
    view.still_timer.timeout.emit()  # the mouse has been still long enough
    view.fade.setCurrentTime(view.fade.duration())
    qtbot.waitUntil(lambda: not view.hint.isVisible())
    assert not view.close_button.isVisible()
    assert view.cursor().shape() == Qt.CursorShape.BlankCursor


def test_moving_the_mouse_brings_the_leave_button_back(qtbot, screen):
    qtbot.keyClick(screen, Qt.Key.Key_F)
    view = screen.focus_view
    assert view is not None
    view._hide_controls()
    assert not view.close_button.isVisible()
    _mouse(view, QEvent.Type.MouseMove)
    assert view.close_button.isVisible()
    assert view.hint.isVisible()
    assert view.cursor().shape() != Qt.CursorShape.BlankCursor


def test_a_click_shows_the_controls_and_a_double_click_leaves(qtbot, screen):
    qtbot.keyClick(screen, Qt.Key.Key_F)
    view = screen.focus_view
    assert view is not None
    view._hide_controls()
    _mouse(view, QEvent.Type.MouseButtonPress)
    assert view.close_button.isVisible()
    assert screen.in_focus
    _mouse(view, QEvent.Type.MouseButtonDblClick)
    assert not screen.in_focus


def test_the_close_button_leaves_focus_mode_and_the_session_goes_on(qtbot, screen, clock, ticker):
    frame(clock, ticker, 1.0)
    qtbot.keyClick(screen, Qt.Key.Key_F)
    view = screen.focus_view
    assert view is not None
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    assert not screen.in_focus
    assert not view.isVisible()
    assert screen.session is not None
    assert screen.session.state is SessionState.RUNNING


def test_focus_mode_shows_the_time_left_counting_down(qtbot, screen, clock, ticker):
    frame(clock, ticker, 0.5)
    qtbot.keyClick(screen, Qt.Key.Key_F)
    view = screen.focus_view
    assert view is not None
    assert view.time_left.isVisible()
    first = view.time_left.text()
    assert first == screen.time_left.text()
    assert first.endswith(" left")
    frame(clock, ticker, 61.0)
    later = view.time_left.text()
    assert later != first
    minutes, seconds = later.removesuffix(" left").split(":")
    first_m, first_s = first.removesuffix(" left").split(":")
    assert (int(first_m) * 60 + int(first_s)) - (int(minutes) * 60 + int(seconds)) == 61


# -- the column: one instruction, one hierarchy -------------------------------------------------


def _words(text: str) -> set[str]:
    return set(text.lower().split())


def test_the_column_for_a_cyclic_sigh_never_contradicts_the_word(
    qtbot, make_screen, clock, ticker, catalog
):
    exercise = catalog.get("cyclic-sighing")
    screen = make_screen()
    session = Session(
        SessionPlan(exercise.id, exercise.title, exercise.pattern, 3),
        clock=clock,
        utc_now=lambda: datetime(2026, 3, 1, tzinfo=UTC),
        recorder=Recorder(),
        profile_id=1,
    )
    session.confirm_before(None, None)
    screen.begin(session)
    qtbot.keyClick(screen, Qt.Key.Key_2)
    column = screen.pacer
    assert screen.visual_name == "column"
    instructions = {*PHASE_WORDS.values(), TOP_UP_WORD}
    seen_top_up = False
    for _ in range(int(2 * exercise.pattern.cycle_s / 0.25)):
        frame(clock, ticker, 0.25)
        column.repaint()
        word = screen.phase_word.text()
        seen_top_up |= word == TOP_UP_WORD
        painted = column.painted_words
        assert painted, "the column paints its scale"
        # The instruction is said once: the scale beside the column repeats none of it whole.
        assert not instructions & set(painted), painted
        marked = [w for w, now in painted.items() if now]
        if word in instructions:
            assert len(marked) == 1, (word, painted)
            assert marked[0].lower() in _words(word), (
                word,
                marked,
            )  # "in" beside "A little more in"
    assert seen_top_up


@pytest.mark.parametrize("in_focus", [False, True])
def test_at_1080p_the_columns_scale_is_smaller_than_the_word(qtbot, make_screen, in_focus):
    screen = make_screen(1920, 1080)
    qtbot.keyClick(screen, Qt.Key.Key_2)
    if in_focus:
        qtbot.keyClick(screen, Qt.Key.Key_F)
        view = screen.focus_view
        assert view is not None
        view.resize(1920, 1080)
        QApplication.processEvents()
        column, word = view.pacers.current, view.word
    else:
        column, word = screen.pacer, screen.phase_word
    assert isinstance(column, ColumnPacer)
    assert column.height() > 500
    scale_px = QFontInfo(column.scale_font).pixelSize()
    word_px = QFontInfo(word.font()).pixelSize()
    assert scale_px < word_px * 0.75, (scale_px, word_px)
