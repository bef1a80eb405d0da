"""The three pacer visuals: they draw the level they are given, repaint only on a change, and
their frame-by-frame partial repaints leave exactly the pixels a full repaint would."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget

from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from ui.common.theme import DARK, HIGH_CONTRAST, LIGHT, apply_theme
from ui.widgets.pacer import (
    VISUAL_CLASSES,
    CirclePacer,
    ColumnPacer,
    PacerStack,
    PacerVisual,
    WavePacer,
)

BOX = BreathingPattern(
    [
        Phase(PhaseKind.INHALE, 4),
        Phase(PhaseKind.HOLD, 4),
        Phase(PhaseKind.EXHALE, 4),
        Phase(PhaseKind.HOLD, 4),
    ]
)
COHERENT = BreathingPattern([Phase(PhaseKind.INHALE, 5), Phase(PhaseKind.EXHALE, 5)])


class PaintCounter(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def level_at(practice_s: float) -> float:
    return BOX.state_at(practice_s).level


def shown(qtbot, cls: type[PacerVisual], width: int = 400, height: int = 300) -> PacerVisual:
    visual = cls()
    qtbot.addWidget(visual)
    visual.set_schedule(level_at, [p.kind for p in BOX.phases], BOX.cycle_s)
    visual.resize(width, height)
    visual.show()
    qtbot.waitExposed(visual)
    QApplication.processEvents()
    return visual


def show_at(visual: PacerVisual, practice_s: float) -> None:
    visual.show_state(BOX.state_at(practice_s), practice_s)
    QApplication.processEvents()


def on_screen(visual: PacerVisual) -> QImage:
    """What the window's backing store holds for ``visual`` (offscreen platform)."""
    window = visual.window()
    image = QApplication.primaryScreen().grabWindow(window.winId()).toImage()
    top = visual.mapTo(window, QPoint(0, 0))
    return image.copy(top.x(), top.y(), visual.width(), visual.height())


def repainted_whole(visual: PacerVisual) -> QImage:
    """``visual`` painted from scratch."""
    return visual.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


@pytest.fixture(autouse=True)
def light_theme(qapp):
    apply_theme(qapp, LIGHT)


# -- every visual -------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", list(VISUAL_CLASSES.values()))
@pytest.mark.parametrize("practice_s", [0.0, 1.0, 2.0, 3.3, 9.5])
def test_each_visual_draws_the_level_it_is_given(qtbot, cls, practice_s):
    visual = shown(qtbot, cls)
    show_at(visual, practice_s)
    assert visual.level == pytest.approx(level_at(practice_s))
    assert visual.drawn_level == pytest.approx(level_at(practice_s), abs=1e-9)


@pytest.mark.parametrize("cls", list(VISUAL_CLASSES.values()))
def test_each_visual_repaints_only_when_what_it_draws_changes(qtbot, cls):
    visual = shown(qtbot, cls)
    show_at(visual, 1.0)
    paints = PaintCounter(visual)
    show_at(visual, 1.0)  # the same state again
    assert paints.count == 0
    show_at(visual, 1.1)
    assert paints.count == 1


def test_the_column_does_not_repaint_during_a_hold_but_the_circle_counts_it_down(qtbot):
    column, circle = shown(qtbot, ColumnPacer), shown(qtbot, CirclePacer)
    show_at(column, 4.5)
    show_at(circle, 4.5)
    column_paints, circle_paints = PaintCounter(column), PaintCounter(circle)
    for practice_s in (5.0, 5.5, 6.0):
        show_at(column, practice_s)
        show_at(circle, practice_s)
    assert column_paints.count == 0
    assert circle_paints.count == 3


@pytest.mark.parametrize("cls", list(VISUAL_CLASSES.values()))
def test_each_visual_has_an_accessible_name_and_description(qtbot, cls):
    visual = cls()
    qtbot.addWidget(visual)
    assert visual.accessibleName().startswith("Breathing pacer")
    assert "breathe in" in visual.accessibleDescription().lower()


@pytest.mark.parametrize("theme", [LIGHT, DARK, HIGH_CONTRAST])
@pytest.mark.parametrize("cls", list(VISUAL_CLASSES.values()))
def test_frame_by_frame_repaints_leave_the_same_pixels_as_a_full_repaint(qtbot, qapp, cls, theme):
    apply_theme(qapp, theme)
    visual = shown(qtbot, cls, 420, 320)
    # Across the end of an in-breath, a whole hold (the circle's arc runs out) and into the
    # out-breath, one 60 Hz frame at a time, comparing now and then.
    frames = [i / 60 for i in range(3 * 60, 9 * 60)]
    for number, practice_s in enumerate(frames):
        show_at(visual, practice_s)
        if number % 45 == 0 or practice_s in (4.0, 8.0):
            assert on_screen(visual) == repainted_whole(visual), f"differs at {practice_s:.3f} s"


# -- the circle -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("practice_s", "share"),
    [(3.9, None), (4.0, 1.0), (5.0, 0.75), (7.0, 0.25), (7.9, 0.025), (12.0, 1.0), (15.0, 0.25)],
)
def test_the_hold_ring_counts_the_hold_down(qtbot, practice_s, share):
    circle = shown(qtbot, CirclePacer)
    show_at(circle, practice_s)
    if share is None:
        assert circle.hold_share is None
    else:
        assert circle.hold_share == pytest.approx(share)


def ring_colour(circle: CirclePacer, clockwise_deg: float) -> QColor:
    point = circle._ring_point(clockwise_deg)
    image = repainted_whole(circle)
    return image.pixelColor(round(point.x()), round(point.y()))


def test_the_hold_arc_covers_the_share_of_the_hold_still_to_come(qtbot):
    circle = shown(qtbot, CirclePacer)
    accent, guide = QColor(LIGHT.accent), QColor(LIGHT.pacer_guide)
    show_at(circle, 3.0)  # breathing in: no arc, the ring is the faint guide
    assert ring_colour(circle, 90) == guide
    show_at(circle, 5.0)  # a quarter through the hold: the arc runs 270 degrees from 12
    assert ring_colour(circle, 90) == accent
    assert ring_colour(circle, 250) == accent
    assert ring_colour(circle, 300) == guide
    show_at(circle, 7.0)  # three quarters through: 90 degrees are left
    assert ring_colour(circle, 45) == accent
    assert ring_colour(circle, 135) == guide


def test_the_circle_grows_with_the_level_within_its_ring(qtbot):
    circle = shown(qtbot, CirclePacer)
    show_at(circle, 0.0)
    small = circle.radius_px()
    show_at(circle, 4.0)
    large = circle.radius_px()
    assert small == pytest.approx(large * 0.32)
    assert large < circle._ring_r - circle._ring_width / 2
    assert 2 * (circle._ring_r + circle._ring_width / 2) <= min(circle.width(), circle.height())


# -- the column -----------------------------------------------------------------------------------


def test_the_column_fills_with_the_level_and_highlights_the_phase(qtbot):
    column = shown(qtbot, ColumnPacer)
    show_at(column, 0.0)
    empty = column.fill_height_px()
    show_at(column, 4.0)
    full = column.fill_height_px()
    show_at(column, 2.0)
    assert column.fill_height_px() == pytest.approx((empty + full) / 2)
    assert full == pytest.approx(column._track.height())
    paints = PaintCounter(column)
    show_at(column, 4.0)  # the level is 1 again, but now the word to highlight is "Hold"
    assert paints.count == 1


def test_the_column_shows_only_the_words_the_breath_uses(qtbot):
    column = shown(qtbot, ColumnPacer)
    column.set_schedule(None, [PhaseKind.INHALE, PhaseKind.EXHALE])
    assert set(column._label_ys) == {PhaseKind.INHALE, PhaseKind.EXHALE}


# -- the wave -------------------------------------------------------------------------------------


def test_the_ball_rides_the_wave_at_the_current_level(qtbot):
    wave = shown(qtbot, WavePacer)
    for practice_s in (0.0, 1.3, 4.0, 9.25, 30.7):
        show_at(wave, practice_s)
        assert wave.path_level(0.0) == pytest.approx(level_at(practice_s), abs=2e-3)
        assert wave.drawn_level == pytest.approx(level_at(practice_s))


@pytest.mark.parametrize("breath_s", [2.0, 10.0, 30.0, 60.0])
def test_the_wave_always_shows_the_whole_next_breath(qtbot, breath_s):
    pattern = BreathingPattern(
        [Phase(PhaseKind.INHALE, breath_s / 2), Phase(PhaseKind.EXHALE, breath_s / 2)]
    )
    wave = WavePacer()
    qtbot.addWidget(wave)
    wave.set_schedule(lambda t: pattern.state_at(t).level, [PhaseKind.INHALE], breath_s)
    wave.resize(400, 300)
    wave.show()
    qtbot.waitExposed(wave)
    wave.show_state(pattern.state_at(0.0), 0.0)
    furthest = max(dt for dt, _ in wave.samples_ahead())
    assert furthest >= breath_s


def test_the_wave_ahead_is_the_level_that_many_seconds_on(qtbot):
    wave = shown(qtbot, WavePacer)
    show_at(wave, 2.2)
    samples = wave.samples_ahead()
    ahead = [(dt, level) for dt, level in samples if dt > 0]
    assert ahead[-1][0] > BOX.cycle_s  # more than the next whole breath is on screen
    for dt, level in samples:
        assert level == pytest.approx(level_at(max(0.0, 2.2 + dt)), abs=1e-12)
    for dt in (0.5, 1.8, 4.0, 7.5, 12.0):
        assert wave.path_level(dt) == pytest.approx(level_at(2.2 + dt), abs=2e-3)


def test_the_wave_scrolls_right_to_left(qtbot):
    wave = shown(qtbot, WavePacer)
    show_at(wave, 1.0)
    peak_ahead = wave.path_level(3.0)  # the top of the next breath, 3 s to the right
    show_at(wave, 2.5)
    assert wave.path_level(1.5) == pytest.approx(peak_ahead, abs=1e-9)  # it came 1.5 s closer


def test_a_wave_with_no_schedule_is_flat_at_the_level(qtbot):
    wave = shown(qtbot, WavePacer)
    wave.set_schedule(None)
    wave.set_level(0.4)
    QApplication.processEvents()
    assert all(level == 0.4 for _, level in wave.samples_ahead())
    assert wave.drawn_level == pytest.approx(0.4)


# -- the stack ------------------------------------------------------------------------------------


def test_switching_visuals_in_the_stack_shows_the_same_state_at_once(qtbot):
    stack = PacerStack()
    qtbot.addWidget(stack)
    stack.resize(400, 300)
    stack.show()
    stack.set_schedule(level_at, [p.kind for p in BOX.phases], BOX.cycle_s)
    stack.show_state(BOX.state_at(5.5), 5.5)
    for name in ("column", "wave", "circle", "unknown"):
        stack.show_visual(name)
        QApplication.processEvents()
        assert stack.current_name == ("circle" if name == "unknown" else name)
        assert stack.current.level == 1.0
        assert stack.current.hold_share == pytest.approx(1 - 1.5 / 4)
        assert stack.current.drawn_level == pytest.approx(1.0)


def test_a_pacer_without_a_schedule_still_takes_a_bare_level(qtbot):
    circle = shown(qtbot, CirclePacer)
    circle.set_schedule(None)
    circle.set_level(1.7)
    QApplication.processEvents()
    assert circle.level == 1.0
    assert circle.hold_share is None
    assert circle.drawn_level == pytest.approx(1.0)
    assert math.isclose(circle.radius_px(), circle._largest)


# -- depth and glow ---------------------------------------------------------------------------------


def _pixel(image, x: float, y: float) -> QColor:
    return image.pixelColor(round(x), round(y))


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=lambda t: t.name)
def test_the_circle_has_soft_depth_and_a_glow_that_breathes_with_it(qtbot, qapp, theme):
    apply_theme(qapp, theme)
    try:
        circle = shown(qtbot, CirclePacer)
        window = QColor(theme.window)
        full_glow_x = None
        for level in (1.0, 0.0):
            circle.set_level(level)
            image = repainted_whole(circle)
            cx, cy, r = circle._centre.x(), circle._centre.y(), circle.radius_px()
            lit = _pixel(image, cx - 0.08 * r, cy - 0.1 * r)
            rim = _pixel(image, cx + 0.9 * r, cy + 0.2 * r)
            assert lit.lightness() > rim.lightness() + 12  # a radial gradient: depth
            assert _pixel(image, cx + 1.04 * r, cy) != window  # the glow beyond the edge
            assert _pixel(image, cx + 1.25 * r, cy) == window  # and it stays soft and near
            if full_glow_x is None:
                full_glow_x = cx + 1.06 * r
            else:  # the glow breathes with the disc: at empty lungs it has gone in with it
                assert _pixel(image, full_glow_x, cy) == window
    finally:
        apply_theme(qapp, LIGHT)


def test_high_contrast_has_a_clear_strong_edge_and_no_haze(qtbot, qapp):
    apply_theme(qapp, HIGH_CONTRAST)
    try:
        circle = shown(qtbot, CirclePacer)
        circle.set_level(0.6)
        image = repainted_whole(circle)
        cx, cy, r = circle._centre.x(), circle._centre.y(), circle.radius_px()
        disc = QColor(HIGH_CONTRAST.pacer)
        assert _pixel(image, cx - 0.3 * r, cy - 0.3 * r) == disc  # one clear colour
        assert _pixel(image, cx + 0.6 * r, cy + 0.2 * r) == disc
        edge = max(2.0, r * 0.045)
        assert _pixel(image, cx + r + edge / 2, cy) == QColor(HIGH_CONTRAST.text)
        assert _pixel(image, cx + r + edge + 3, cy) == QColor(HIGH_CONTRAST.window)  # no haze
        assert circle.glow_strength() == 0.0
    finally:
        apply_theme(qapp, LIGHT)
