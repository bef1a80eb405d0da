"""Presentation mode, driven by the keyboard alone with a fake clock and a manual ticker: choose,
start, pause, end and leave for a breathing and an attention exercise; the pacer and spotlight
follow the session; full screen on the chosen screen; high contrast whatever the app's theme;
and no personal data on screen, with nothing recorded."""

from __future__ import annotations

import gc
import inspect
import math
import weakref
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.ui.conftest import FakeUtc
from trainer.app.words import CLOSE_WORD, LEAD_IN_WORD, PAUSED_WORD
from trainer.content.bodymap import load_body_map
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.content.catalog import LEAD_IN_S, Catalog, custom_exercise
from trainer.content.scripts import load_scripts, resolve, step_at
from trainer.content.spotlight import spotlight_at
from trainer.session.machine import Session, SessionState, SessionStatus
from ui.common.dialogs import Dialogs
from ui.common.theme import DARK, LIGHT, apply_theme
from ui.practice.presentation import (
    DEMO_NOTE,
    PRESENTATION_THEME,
    PresentationWindow,
    ScreenChoice,
    choose_screen,
    demo_length,
    screen_choices,
)
from ui.widgets.body_map import BodyMapView, body_colours, spotlight_colour
from ui.widgets.pacer import CirclePacer

SCRIPTS = load_scripts()
BODY_MAP = load_body_map()
Key = Qt.Key
S = SessionState
PRIVATE = ("Jordan Example", "Jordan's evening", "private note")


@pytest.fixture
def make(qtbot, catalog, clock, ticker):
    def make_window(catalog_: Catalog = catalog) -> PresentationWindow:
        window = PresentationWindow(
            catalog=catalog_,
            scripts=SCRIPTS,
            body_map=BODY_MAP,
            clock=clock,
            utc_now=FakeUtc(clock),
            ticker=ticker,
        )
        qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make_window


def frame(clock, ticker, seconds: float) -> None:
    """Let ``seconds`` pass and draw one frame."""
    clock.advance(seconds)
    ticker.fire()


def choose(qtbot, window: PresentationWindow, title: str) -> None:
    """Walk the list with the arrow keys to the exercise called ``title``."""
    for _ in window.list.choices:
        qtbot.keyClick(window, Key.Key_Up)
    for _ in window.list.choices:
        if window.list.current.title == title:
            return
        qtbot.keyClick(window, Key.Key_Down)
    raise AssertionError(f"{title} is not on the list")


def shown_texts(window: PresentationWindow) -> list[str]:
    """Every text a person could see or hear read out: labels, drawn words, titles, tooltips,
    accessible names and descriptions of every visible widget, and every row of the list."""
    texts = [window.windowTitle(), *window.list.row_texts()]
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        texts += [
            widget.windowTitle(),
            widget.toolTip(),
            widget.accessibleName(),
            widget.accessibleDescription(),
        ]
        text = getattr(widget, "text", None)
        if callable(text):
            texts.append(str(text()))
    return [t for t in texts if t]


# -- what it is given ---------------------------------------------------------------------------


def test_it_can_be_given_nothing_personal() -> None:
    """The guarantee is in the signature: no store, profile, patterns, ratings or notes."""
    parameters = set(inspect.signature(PresentationWindow.__init__).parameters) - {"self"}
    assert parameters == {
        "catalog",
        "scripts",
        "body_map",
        "clock",
        "utc_now",
        "ticker",
        "theme",
        "parent",
    }


def test_the_list_holds_every_built_in_exercise_at_a_demonstration_length(make, catalog) -> None:
    window = make()
    rows = window.list.choices
    assert [c.title for c in rows] == [e.title for e in catalog.exercises] + [
        s.title for s in SCRIPTS
    ]
    assert [c.kind for c in rows] == ["breathing"] * len(catalog.exercises) + ["attention"] * len(
        SCRIPTS
    )
    assert window.list.minutes == 3  # nearest to 3 minutes in [1, 3, 5, 10, 15]
    assert demo_length((5, 10)) == 5
    assert demo_length((2, 4)) == 2  # a tie goes to the shorter
    assert window.showing == "list"
    assert window.heading.isVisible()
    assert window.demo_note.isVisible()
    assert window.demo_note.text() == DEMO_NOTE


# -- breathing ----------------------------------------------------------------------------------


def test_a_breathing_exercise_by_keyboard_choose_start_pause_end_leave(
    qtbot, make, clock, ticker
) -> None:
    window = make()
    qtbot.keyClick(window, Key.Key_Down)
    qtbot.keyClick(window, Key.Key_Down)
    assert window.list.current.title == "Box breathing"
    qtbot.keyClick(window, Key.Key_Right)
    assert window.list.minutes == 5
    for _ in range(3):
        qtbot.keyClick(window, Key.Key_Left)
    assert window.list.minutes == 1  # stops at the shortest
    assert "Box breathing, 1 minute" in window.list.accessibleName()

    qtbot.keyClick(window, Key.Key_Return)
    session = window.session
    assert session is not None
    assert window.showing == "breathing"
    assert session.state is S.RUNNING  # the ratings are skipped
    assert not session.recorded
    assert session.before is not None
    assert session.before.tension is None
    assert session.plan.exercise_id == "box-4-4-4-4"
    assert session.plan.planned_s == 64.0  # 4 whole breaths of 16 s
    assert ticker.is_running()
    assert window.run_title.full_text() == "Box breathing · 1 minute"
    assert not window.heading.isVisible()
    assert window.breathing.word.text() == LEAD_IN_WORD

    frame(clock, ticker, LEAD_IN_S + 1.0)
    assert window.breathing.word.text() == "Breathe in"
    assert window.breathing.detail.text() == "3"
    assert window.time_left.text() == "1:03 left"
    frame(clock, ticker, 4.0)
    assert window.breathing.word.text() == "Hold"

    qtbot.keyClick(window, Key.Key_Space)
    assert session.state is S.PAUSED
    assert not ticker.is_running()
    assert window.breathing.word.text() == PAUSED_WORD
    assert "Space: continue" in window.keys_hint.full_text()
    practised = session.practice_s
    clock.advance(30.0)
    ticker.fire()  # stopped: nothing happens
    assert session.practice_s == practised
    qtbot.keyClick(window, Key.Key_Space)
    assert session.state is S.RUNNING

    qtbot.keyClick(window, Key.Key_Escape)  # ends at once: no question on a shared screen
    assert session.state is S.SAVED
    assert session.status is SessionStatus.ENDED_EARLY
    assert window.session is None
    assert window.showing == "list"
    assert window.list.current.title == "Box breathing"
    assert not ticker.is_running()

    with qtbot.waitSignal(window.closed, timeout=1000):
        qtbot.keyClick(window, Key.Key_Escape)
    assert not window.isVisible()


def test_the_counts_round_up_at_fractional_times(qtbot, make, clock, ticker) -> None:
    """Between whole seconds a count shows the second still under way, never one less."""
    window = make()
    qtbot.keyClick(window, Key.Key_Left)  # 1 minute of coherent breathing: 5 s in, 5 s out
    qtbot.keyClick(window, Key.Key_Enter)
    assert window.session is not None
    frame(clock, ticker, 0.4)  # 2.6 s of the lead-in left
    assert (window.breathing.word.text(), window.breathing.detail.text()) == (LEAD_IN_WORD, "3")
    assert window.time_left.text() == "1:00 left"
    frame(clock, ticker, LEAD_IN_S - 0.4 + 1.3)  # 3.7 s of the in-breath, 58.7 s of practice
    assert (window.breathing.word.text(), window.breathing.detail.text()) == ("Breathe in", "4")
    assert window.time_left.text() == "0:59 left"


def test_the_attention_lead_in_counts_round_up(qtbot, make, clock, ticker) -> None:
    window = make()
    choose(qtbot, window, "Body scan")
    qtbot.keyClick(window, Key.Key_Return)
    frame(clock, ticker, 0.4)
    assert window.attention.status.text() == "Starting in 3"
    frame(clock, ticker, 1.0)
    assert window.attention.status.text() == "Starting in 2"
    assert window.time_left.text() == "3:00 left"
    frame(clock, ticker, LEAD_IN_S - 1.4 + 0.3)  # 179.7 s of practice left
    assert window.time_left.text() == "3:00 left"
    frame(clock, ticker, 1.0)  # 178.7 s
    assert window.time_left.text() == "2:59 left"


def test_a_breathing_exercise_that_runs_to_its_end_goes_back_to_the_list(
    qtbot, make, clock, ticker
) -> None:
    window = make()
    qtbot.keyClick(window, Key.Key_Left)  # 1 minute of coherent breathing
    qtbot.keyClick(window, Key.Key_Enter)
    session = window.session
    assert session is not None
    frame(clock, ticker, LEAD_IN_S + 60.0 + 1.0)
    assert window.breathing.word.text() == CLOSE_WORD
    assert window.showing == "breathing"
    frame(clock, ticker, 5.0)  # past the quiet close
    assert session.state is S.SAVED
    assert session.status is SessionStatus.COMPLETED
    assert session.practised_s == 60.0
    assert window.showing == "list"


def test_the_pacer_level_follows_the_session(qtbot, make, clock, ticker) -> None:
    window = make()
    choose(qtbot, window, "Long, slow out-breath")
    qtbot.keyClick(window, Key.Key_Return)
    session = window.session
    assert session is not None
    frame(clock, ticker, LEAD_IN_S)
    levels = []
    for _ in range(40):
        frame(clock, ticker, 0.45)
        expected = session.pacer_state().level
        assert window.breathing.pacers.current.level == pytest.approx(expected)
        levels.append(expected)
    assert max(levels) > 0.9
    assert min(levels) < 0.3  # it really breathes: in and out


def test_visual_keys_change_the_pacer_and_it_keeps_following(qtbot, make, clock, ticker) -> None:
    window = make()
    qtbot.keyClick(window, Key.Key_Return)
    session = window.session
    assert session is not None
    frame(clock, ticker, LEAD_IN_S + 2.0)
    qtbot.keyClick(window, Key.Key_2)
    assert window.breathing.pacers.current_name == "column"
    qtbot.keyClick(window, Key.Key_V)
    assert window.breathing.pacers.current_name == "wave"
    frame(clock, ticker, 1.3)
    assert window.breathing.pacers.current.level == pytest.approx(session.pacer_state().level)
    assert window.breathing.pacers.current.fixed_theme is PRESENTATION_THEME


# -- attention ----------------------------------------------------------------------------------


def test_an_attention_exercise_by_keyboard_choose_start_pause_end(
    qtbot, make, clock, ticker
) -> None:
    window = make()
    choose(qtbot, window, "Body scan")
    assert window.list.minutes == 3
    qtbot.keyClick(window, Key.Key_Return)
    session = window.session
    assert session is not None
    assert window.showing == "attention"
    assert session.plan.kind == "attention"
    assert not session.recorded
    view = window.attention
    script = next(s for s in SCRIPTS if s.title == "Body scan")
    assert view.steps == resolve(script.version(3), (), ())
    assert view.prompt.text() == LEAD_IN_WORD
    assert view.status.text() == "Starting in 3"

    frame(clock, ticker, LEAD_IN_S + 40.0)
    practice_s = session.practice_s
    index = step_at(view.steps, practice_s)
    assert view.prompt.text() == view.steps[index].text
    assert view.body.spotlight == spotlight_at(view.steps, BODY_MAP, practice_s)
    assert view.body.spotlight is not None
    assert view.body.spotlight.regions  # a part of the body is lit

    qtbot.keyClick(window, Key.Key_Space)
    assert session.state is S.PAUSED
    assert view.status.text().startswith("Paused")
    lit = view.body.spotlight
    clock.advance(20.0)
    ticker.fire()
    assert view.body.spotlight == lit  # frozen
    qtbot.keyClick(window, Key.Key_Space)
    frame(clock, ticker, 0.5)
    assert session.practice_s == pytest.approx(practice_s + 0.5)

    qtbot.keyClick(window, Key.Key_Escape)
    assert session.state is S.SAVED
    assert window.showing == "list"
    assert window.list.current.title == "Body scan"


def test_breath_counting_shows_the_count_in_big_type(qtbot, make, clock, ticker) -> None:
    window = make()
    choose(qtbot, window, "Mindful breath counting")
    qtbot.keyClick(window, Key.Key_Return)
    session = window.session
    assert session is not None
    view = window.attention
    counting = next(s for s in view.steps if s.counting)
    frame(clock, ticker, LEAD_IN_S + counting.start_s + 12.0)
    light = spotlight_at(view.steps, BODY_MAP, session.practice_s)
    assert light.count is not None
    assert view.counter.isVisible()
    assert view.count.text() == str(light.count)
    assert view.count.font().pixelSize() >= view.prompt.fitted_font().pixelSize() * 2


def test_exercises_about_where_it_hurts_light_the_whole_body(qtbot, make, clock, ticker) -> None:
    """Nobody's marked areas are known here: "pain" is the whole body, "comfort" the hands."""
    window = make()
    choose(qtbot, window, "Somatic tracking")
    qtbot.keyClick(window, Key.Key_Return)
    script = next(s for s in SCRIPTS if s.title == "Somatic tracking")
    steps = window.attention.steps
    assert steps == resolve(script.version(3), (), ())
    pain_only = [
        s for s, raw in zip(steps, script.version(3).steps, strict=True) if raw.focus == ("pain",)
    ]
    assert pain_only
    assert all(s.focus == () for s in pain_only)


def test_the_map_sits_beside_the_words_on_a_wide_screen_and_above_on_a_tall_one(
    qtbot, make
) -> None:
    window = make()
    choose(qtbot, window, "Open awareness")
    qtbot.keyClick(window, Key.Key_Return)
    assert window.attention.side_by_side
    window.resize(700, 900)
    qtbot.waitUntil(lambda: not window.attention.side_by_side)


# -- keys, screen, looks ------------------------------------------------------------------------


def test_f1_or_question_mark_shows_the_keys_and_esc_hides_them_first(qtbot, make) -> None:
    window = make()
    qtbot.keyClick(window, Key.Key_F1)
    assert window.help_shown
    assert window.help.isVisible()
    help_text = " ".join(label.text() for label in window.help.findChildren(QLabel))
    for key in ("Up / Down", "Left / Right", "Enter", "Space", "Esc", "F1 or ?"):
        assert key in help_text
    qtbot.keyClick(window, Key.Key_Question)
    assert not window.help_shown
    qtbot.keyClick(window, Key.Key_Question)
    qtbot.keyClick(window, Key.Key_Escape)  # closes the keys, not presentation mode
    assert not window.help_shown
    assert window.isVisible()


@pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$")  # offscreen only
def test_it_goes_full_screen_on_the_given_screen_with_no_pointer(qtbot, make) -> None:
    window = make()
    screen = QGuiApplication.screens()[0]
    window.present_on(screen)
    qtbot.waitUntil(window.isFullScreen)
    assert window.screen() is screen
    assert window.geometry() == screen.geometry()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.hasFocus()
    assert window.cursor().shape() is Qt.CursorShape.BlankCursor
    for widget in window.findChildren(QWidget):
        assert widget.cursor().shape() is Qt.CursorShape.BlankCursor, widget
        assert widget.focusPolicy() is Qt.FocusPolicy.NoFocus, widget  # keys go to the window


def test_screen_choices_name_each_screen_and_its_size() -> None:
    choices = screen_choices()
    assert [c.screen for c in choices] == QGuiApplication.screens()
    size = choices[0].screen.geometry().size()
    assert f"{size.width()} by {size.height()} pixels" in choices[0].label
    assert choices[0].label.startswith("Screen 1: ")


def test_choose_screen_asks_only_when_there_are_several(monkeypatch) -> None:
    asked: list[tuple[list[str], int]] = []
    answer: list[int | None] = [1]

    def fake_choose(parent, title, text, items, current=0):
        asked.append((list(items), current))
        return answer[0]

    monkeypatch.setattr(Dialogs, "choose", fake_choose)
    only = QGuiApplication.screens()[0]
    assert choose_screen(None) is only
    assert asked == []
    two = [ScreenChoice(only, "Screen 1: laptop"), ScreenChoice(only, "Screen 2: projector")]
    monkeypatch.setattr("ui.practice.presentation.screen_choices", lambda: two)
    assert choose_screen(None) is only
    assert asked[0][0] == ["Screen 1: laptop", "Screen 2: projector"]
    answer[0] = None
    assert choose_screen(None) is None  # cancelled


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        c = QColor(colour)
        channels = []
        for value in (c.redF(), c.greenF(), c.blueF()):
            channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
        r, g, b_ = channels
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("app_theme", [LIGHT, DARK], ids=["light", "dark"])
def test_high_contrast_whatever_the_app_theme(qtbot, make, qapp, app_theme) -> None:
    apply_theme(qapp, app_theme)
    window = make()
    theme = PRESENTATION_THEME
    assert _contrast(theme.text, theme.window) >= 7.0
    assert _contrast(theme.muted_text, theme.window) >= 7.0
    assert _contrast(theme.accent_text, theme.accent) >= 7.0  # the chosen row
    image = window.grab().toImage()
    assert image.pixelColor(2, 2) == QColor(theme.window)
    # The heading is drawn in the theme's text colour, not the app theme's.
    heading = window.heading.grab().toImage()
    colours = {
        heading.pixelColor(x, y).name()
        for x in range(0, heading.width(), 2)
        for y in range(0, heading.height(), 2)
    }
    assert theme.text in colours
    assert app_theme.text not in colours
    apply_theme(qapp, LIGHT)


# -- no personal data, nothing recorded ---------------------------------------------------------


def test_no_personal_data_on_screen_and_nothing_recorded(
    qtbot, make, store, catalog, clock, ticker
) -> None:
    """A profile, its own pattern and a session with a note exist in the store; presentation
    mode (which cannot even be given the store) shows none of it, and records nothing."""
    utc = FakeUtc(clock)
    jordan = store.profiles.create("Jordan Example")
    pattern = BreathingPattern([Phase(PhaseKind.INHALE, 3.0), Phase(PhaseKind.EXHALE, 7.0)])
    pattern_id = store.patterns.save(jordan, "Jordan's evening", pattern)
    kept = Session(
        catalog.get("coherent-5-5").plan(1),
        clock=clock,
        utc_now=utc,
        recorder=store.sessions,
        profile_id=jordan,
    )
    kept.confirm_before(6, 5)
    clock.advance(30.0)
    kept.end_early()
    kept.confirm_after(3, 4)
    assert kept.session_id is not None
    store.sessions.set_notes(kept.session_id, "private note")
    store.regions.save(kept.session_id, ("left_knee",), ())

    def counts() -> tuple[int, ...]:
        return tuple(
            store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("sessions", "profiles", "custom_patterns", "session_regions")
        )

    before = counts()
    # Even a catalog holding someone's own pattern (as the home screen's list does) would not
    # put it on the list.
    with_own = replace(
        catalog,
        exercises=(*catalog.exercises, custom_exercise(pattern_id, "Jordan's evening", pattern)),
    )
    window = make(with_own)
    seen: list[str] = []

    def look() -> None:
        qapp = QApplication.instance()
        assert qapp is not None
        qapp.processEvents()
        seen.extend(shown_texts(window))

    look()
    for _ in window.list.choices:  # every row comes into view
        qtbot.keyClick(window, Key.Key_Down)
        look()
    qtbot.keyClick(window, Key.Key_F1)
    look()
    qtbot.keyClick(window, Key.Key_F1)
    choose(qtbot, window, "Coherent breathing")
    qtbot.keyClick(window, Key.Key_Left)
    qtbot.keyClick(window, Key.Key_Return)
    demo = window.session
    assert demo is not None
    for _ in range(8):
        frame(clock, ticker, 9.0)  # a whole minute and its close: a full demonstration
        look()
    assert demo.state is S.SAVED
    assert demo.status is SessionStatus.COMPLETED
    choose(qtbot, window, "Somatic tracking")
    qtbot.keyClick(window, Key.Key_Return)
    for _ in range(4):
        frame(clock, ticker, 20.0)
        look()
    qtbot.keyClick(window, Key.Key_Escape)
    look()

    assert seen
    assert any("Coherent breathing" in text for text in seen)  # the look really saw the screen
    for private in PRIVATE:
        assert not any(private.lower() in text.lower() for text in seen), private
    assert all("jordan" not in c.title.lower() for c in window.list.choices)
    assert counts() == before
    assert [s.id for s in store.sessions.of_profile(jordan)] == [kept.session_id]


def test_closing_the_window_mid_exercise_abandons_the_demonstration(
    qtbot, make, clock, ticker
) -> None:
    window = make()
    qtbot.keyClick(window, Key.Key_Return)
    session = window.session
    assert session is not None
    frame(clock, ticker, 5.0)
    with qtbot.waitSignal(window.closed, timeout=1000):
        window.close()
    assert session.state is S.ABANDONED
    assert window.session is None
    assert not ticker.is_running()
    assert window.showing == "list"
    assert math.isclose(session.practised_s, 2.0)


def test_the_pacer_and_the_body_map_draw_with_the_windows_theme_not_the_apps(qtbot, qapp) -> None:
    apply_theme(qapp, LIGHT)
    pacer = CirclePacer()
    body = BodyMapView(BODY_MAP, interactive=False)
    for widget in (pacer, body):
        qtbot.addWidget(widget)
        widget.resize(300, 300)
    pacer.set_level(1.0)

    def corner(widget: QWidget) -> str:
        return widget.grab().toImage().pixelColor(1, 1).name()

    assert corner(pacer) == corner(body) == LIGHT.window
    in_app_theme = pacer.grab().toImage().pixelColor(150, 60)
    pacer.set_theme(PRESENTATION_THEME)
    body.set_theme(PRESENTATION_THEME)
    assert corner(pacer) == corner(body) == PRESENTATION_THEME.window
    disc = pacer.grab().toImage().pixelColor(150, 60)  # inside the full disc, off its centre
    # The disc has depth (a radial gradient): the window's pacer colour, lighter or deeper.
    pacer_colour = QColor(PRESENTATION_THEME.pacer)
    assert abs(disc.hsvHue() - pacer_colour.hsvHue()) <= 6
    assert abs(disc.hsvSaturation() - pacer_colour.hsvSaturation()) <= 40
    assert abs(disc.value() - pacer_colour.value()) <= 30  # a deeper tone at the rim
    assert disc != in_app_theme
    # A theme no colour table names gets the warm light meant for a dark background.
    assert spotlight_colour(PRESENTATION_THEME) == spotlight_colour(DARK)
    pacer.set_theme(None)
    body.set_theme(None)
    assert corner(pacer) == corner(body) == LIGHT.window


def test_a_closed_window_is_freed_at_once_not_later_by_the_cyclic_collector(
    qtbot, catalog, clock, ticker
) -> None:
    """The window's session holds the window's listener; that must not make a cycle that the
    cyclic garbage collector frees at some later moment, perhaps in the middle of a paint."""
    window = PresentationWindow(
        catalog=catalog,
        scripts=SCRIPTS,
        body_map=BODY_MAP,
        clock=clock,
        utc_now=FakeUtc(clock),
        ticker=ticker,
    )
    window.show()
    qtbot.keyClick(window, Key.Key_Return)
    session = window.session
    assert session is not None
    frame(clock, ticker, 3.0)
    gone = weakref.ref(window)
    gc.disable()
    try:
        window.close()
        del window
        assert gone() is None
    finally:
        gc.enable()
    assert session.state is S.ABANDONED


# -- across a room: the spotlight and the next prompt -------------------------------------------


@pytest.mark.parametrize("title", ["Somatic tracking", "Body scan"])
def test_the_spotlight_is_bright_with_a_clear_core_seen_across_a_room(
    qtbot, make, clock, ticker, title
) -> None:
    """The centre of the light stands out from the black background and from the unlit body,
    also where nobody's marks are known and the light lies over the whole body."""
    window = make()
    choose(qtbot, window, title)
    qtbot.keyClick(window, Key.Key_Return)
    view = window.attention
    first = view.steps[0]
    frame(clock, ticker, LEAD_IN_S + first.start_s + min(8.0, first.length_s / 2))
    QApplication.processEvents()
    body = view.body
    image = body.grab().toImage()
    glows = body.drawn_spotlight
    assert glows
    brightest = max(glows, key=lambda g: g.intensity)
    ratio = image.devicePixelRatio()
    centre = image.pixelColor(round(brightest.x * ratio), round(brightest.y * ratio))
    background = QColor(PRESENTATION_THEME.window)
    unlit_body = body_colours(PRESENTATION_THEME)[0]
    assert _contrast(centre.name(), background.name()) >= 7.0
    assert _contrast(centre.name(), unlit_body.name()) >= 4.5
    # A clear core: a little way out from the centre it is still as bright.
    near = image.pixelColor(
        round((brightest.x + brightest.reach * 0.2) * ratio), round(brightest.y * ratio)
    )
    assert _contrast(near.name(), centre.name()) < 1.1


def test_n_moves_a_guided_exercise_on_to_its_next_prompt(qtbot, make, clock, ticker) -> None:
    window = make()
    choose(qtbot, window, "Body scan")
    qtbot.keyClick(window, Key.Key_Return)
    session = window.session
    assert session is not None
    view = window.attention
    assert "N: next prompt" in window.keys_hint.full_text()
    qtbot.keyClick(window, Key.Key_N)  # the lead-in: nothing to skip yet
    assert session.skipped_s == 0
    frame(clock, ticker, LEAD_IN_S + 3.0)
    assert view.prompt.text() == view.steps[0].text
    qtbot.keyClick(window, Key.Key_N)
    assert session.practice_s == pytest.approx(view.steps[1].start_s)
    assert view.prompt.text() == view.steps[1].text
    assert session.skipped_s == pytest.approx(view.steps[1].start_s - 3.0)
    qtbot.keyClick(window, Key.Key_Right)
    assert view.prompt.text() == view.steps[2].text
    assert session.state is S.RUNNING


def test_n_does_nothing_to_a_breathing_exercise(qtbot, make, clock, ticker) -> None:
    window = make()
    choose(qtbot, window, window.list.choices[0].title)
    qtbot.keyClick(window, Key.Key_Return)
    session = window.session
    assert session is not None
    assert window.showing == "breathing"
    assert "N:" not in window.keys_hint.full_text()
    frame(clock, ticker, LEAD_IN_S + 2.0)
    qtbot.keyClick(window, Key.Key_N)
    assert session.skipped_s == 0
    assert session.practice_s == pytest.approx(2.0)
