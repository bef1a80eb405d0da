"""Reduced motion: the pacer never changes size (its brightness and a thin bar follow the breath),
on the session screen, in focus mode and in the attention exercise's small pacer and spotlight."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.fakes import Factory, Preferences, started_session
from tests.ui.test_attention_screen import EngineFactory, FakeEngine
from tests.ui.test_pacer import BOX, on_screen, repainted_whole, show_at, shown
from trainer.app.settings import PACER_VISUAL_KEY as VISUAL_PREFERENCE
from trainer.app.settings import REDUCED_MOTION_KEY as REDUCED_MOTION_PREFERENCE
from trainer.content.attention import attention_plan
from trainer.content.bodymap import load_body_map
from trainer.content.scripts import load_scripts, resolve
from trainer.content.spotlight import CALM_BREATH
from trainer.session.machine import Session, SessionPlan
from ui.common.theme import DARK, HIGH_CONTRAST, LIGHT, apply_theme
from ui.practice.attention_screen import AttentionScreen
from ui.practice.session_screen import SessionScreen
from ui.widgets.pacer import STILL_MIN_OPACITY, CirclePacer, PacerStack


def still_circle(qtbot, width: int = 400, height: int = 300) -> CirclePacer:
    circle = shown(qtbot, CirclePacer, width, height)
    assert isinstance(circle, CirclePacer)
    circle.set_reduced_motion(True)
    QApplication.processEvents()
    return circle


def test_the_still_circle_keeps_its_size_while_its_brightness_and_bar_follow_the_breath(qtbot):
    circle = still_circle(qtbot)
    seen = []
    for practice_s in (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 9.0, 11.0, 12.0):
        show_at(circle, practice_s)
        circle.grab()  # paint, so the drawn level is known
        level = BOX.state_at(practice_s).level
        seen.append((circle.radius_px(), circle.opacity(), circle.bar_fill_px()))
        assert circle.opacity() == pytest.approx(
            STILL_MIN_OPACITY + (1 - STILL_MIN_OPACITY) * level
        )
        assert circle.bar_fill_px() == pytest.approx(circle.bar_rect().width() * level)
        assert circle.drawn_level == pytest.approx(level)
    radii = {round(radius, 9) for radius, _, _ in seen}
    assert len(radii) == 1  # one size all through
    assert min(o for _, o, _ in seen) == pytest.approx(STILL_MIN_OPACITY)  # empty lungs: faint
    assert max(o for _, o, _ in seen) == pytest.approx(1.0)  # full lungs: full strength
    # The bar lies under the circle, inside the widget, and the circle still fits its ring.
    bar = circle.bar_rect()
    assert bar.top() > circle.height() / 2 + circle.radius_px() - 1
    assert bar.bottom() <= circle.height()
    assert 0 <= bar.left() < bar.right() <= circle.width()


def test_without_reduced_motion_the_circle_grows_and_has_no_bar(qtbot):
    circle = shown(qtbot, CirclePacer)
    assert isinstance(circle, CirclePacer)
    show_at(circle, 0.0)
    small = circle.radius_px()
    show_at(circle, 4.0)
    assert circle.radius_px() > small * 2
    assert circle.opacity() == 1.0
    assert circle.bar_rect().isEmpty()
    assert circle.bar_fill_px() == 0.0


@pytest.mark.parametrize("theme", [LIGHT, DARK, HIGH_CONTRAST])
def test_still_frame_by_frame_repaints_leave_the_same_pixels_as_a_full_repaint(qtbot, qapp, theme):
    apply_theme(qapp, theme)
    circle = still_circle(qtbot, 420, 320)
    for number, practice_s in enumerate(i / 60 for i in range(3 * 60, 9 * 60)):
        show_at(circle, practice_s)
        if number % 45 == 0 or practice_s in (4.0, 8.0):
            assert on_screen(circle) == repainted_whole(circle), f"differs at {practice_s:.3f} s"
    apply_theme(qapp, LIGHT)


def test_the_stack_shows_the_still_circle_whatever_is_chosen_and_keeps_the_choice(qtbot):
    stack = PacerStack()
    qtbot.addWidget(stack)
    stack.show_visual("wave")
    stack.current.set_level(0.4)
    stack.set_reduced_motion(True)
    circle = stack.current
    assert isinstance(circle, CirclePacer)
    assert circle.reduced_motion
    assert circle.level == 0.4  # no jump
    assert stack.chosen_name == "wave"
    stack.show_visual("column")  # chosen now, shown later
    assert stack.current is circle
    stack.set_reduced_motion(False)
    assert stack.current_name == "column"
    assert not circle.reduced_motion


@pytest.fixture
def session(clock) -> Session:
    return started_session(SessionPlan("box-4-4-4-4", "Box breathing", BOX, 19), clock)


def test_the_session_screen_reads_reduced_motion_when_a_session_begins(
    qtbot, ticker, clock, session
):
    preferences = Preferences()
    preferences.values[VISUAL_PREFERENCE] = "wave"
    screen = SessionScreen(ticker, preferences=preferences)
    qtbot.addWidget(screen)
    screen.resize(800, 600)
    screen.show()
    qtbot.waitExposed(screen)
    assert screen.pacer.name == "wave"
    preferences.values[REDUCED_MOTION_PREFERENCE] = "on"  # changed in the settings meanwhile
    screen.begin(session)
    assert screen.reduced_motion
    pacer = screen.pacer
    assert isinstance(pacer, CirclePacer)
    assert pacer.reduced_motion
    assert screen.visual_name == "wave"  # the choice is kept, not overwritten
    assert not any(b.isEnabled() for b in screen.visual_buttons.buttons())
    assert "Reduced motion" in screen.visual_buttons.buttons()[0].toolTip()
    radii = set()
    for _ in range(6):
        clock.advance(0.7)
        ticker.tick.emit()
        radii.add(round(pacer.radius_px(), 9))
    assert len(radii) == 1
    screen.open_focus()
    focus_pacer = screen.focus_view.pacers.current
    assert isinstance(focus_pacer, CirclePacer)
    assert focus_pacer.reduced_motion
    screen.close_focus()
    screen.set_reduced_motion(False)
    assert screen.pacer.name == "wave"
    assert all(b.isEnabled() for b in screen.visual_buttons.buttons())
    assert preferences.values[VISUAL_PREFERENCE] == "wave"


def test_the_attention_screen_keeps_the_light_and_the_small_pacer_one_size(qtbot, ticker, clock):
    preferences = Preferences()
    preferences.values[REDUCED_MOTION_PREFERENCE] = "on"
    screen = AttentionScreen(
        ticker,
        load_body_map(),
        preferences=preferences,
        speech_factory=EngineFactory(FakeEngine()),
        sound_output_factory=Factory(),
    )
    qtbot.addWidget(screen)
    screen.resize(900, 640)
    screen.show()
    qtbot.waitExposed(screen)
    assert screen.reduced_motion
    assert screen.counter.pacer.reduced_motion
    script = next(s for s in load_scripts() if s.id == "attention-shifting")
    minutes = script.lengths_min[0]
    steps = resolve(script.version(minutes), ("abdomen",), ())
    pulse = next(i for i, step in enumerate(steps) if step.spotlight == "pulse")
    session = started_session(attention_plan(script, minutes), clock)
    screen.begin(session, steps)
    # Into the pulse, past the glide that brings the light there.
    clock.advance(session.plan.lead_in_s + steps[pulse].start_s + 2.0)
    radii, lights = set(), set()
    for _ in range(CALM_BREATH_FRAMES):
        clock.advance(0.5)
        ticker.tick.emit()
        light = screen.body.spotlight
        assert light is not None
        assert light.step_index == pulse
        radii.add(tuple(round(spot.radius, 9) for spot in light.spots))
        lights.add(tuple(round(spot.intensity, 3) for spot in light.spots))
    assert len(radii) == 1  # the light keeps its size
    assert len(lights) > 3  # and brightens and fades with the calm breath


CALM_BREATH_FRAMES = round(CALM_BREATH.cycle_s / 0.5)  # one whole calm breath


@pytest.mark.parametrize("in_focus", [False, True])
def test_under_reduced_motion_the_pacer_keys_leave_the_disabled_switcher_as_it_is(
    qtbot, ticker, clock, session, in_focus
):
    preferences = Preferences()
    preferences.values[VISUAL_PREFERENCE] = "column"
    preferences.values[REDUCED_MOTION_PREFERENCE] = "on"
    screen = SessionScreen(ticker, preferences=preferences)
    qtbot.addWidget(screen)
    screen.resize(800, 600)
    screen.show()
    qtbot.waitExposed(screen)
    screen.begin(session)
    buttons = screen.visual_buttons
    assert not any(b.isEnabled() for b in buttons.buttons())
    checked = buttons.checkedId()
    target = screen
    if in_focus:
        screen.open_focus()
        assert screen.focus_view is not None
        target = screen.focus_view
    for key in (Qt.Key.Key_1, Qt.Key.Key_3, Qt.Key.Key_V):
        qtbot.keyClick(target, key)
        assert buttons.checkedId() == checked  # the disabled switcher does not move
        assert screen.visual_name == "column"
        assert preferences.values[VISUAL_PREFERENCE] == "column"
        assert screen.pacer.name == "circle"  # the still circle, as before
    badge = screen.focus_view.level_badge if in_focus else screen.level_badge
    assert badge.isVisible()
    assert "Reduced motion" in badge.text()
    # With motion allowed again the keys work as ever.
    screen.set_reduced_motion(False)
    qtbot.keyClick(target, Qt.Key.Key_3)
    assert screen.visual_name == "wave"
    assert buttons.checkedId() != checked
