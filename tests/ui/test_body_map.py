"""The body map widget: real clicks on every region (front and back) mark it, the keyboard reaches
and marks every region, and the spotlight is drawn where the pure function puts it, repainting
only the pixels it touches."""

from __future__ import annotations

from collections import deque

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QRegion
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget

from trainer.content.bodymap import REGION_IDS, BodyMap, load_body_map
from trainer.content.scripts import load_scripts, resolve
from trainer.content.spotlight import Spot, SpotlightState, spotlight_at, spots_for
from ui.common.theme import DARK, HIGH_CONTRAST, LIGHT, apply_theme
from ui.widgets.body_map import BodyMapView, role_colour, spotlight_colour


@pytest.fixture(scope="module")
def body_map() -> BodyMap:
    return load_body_map()


@pytest.fixture(autouse=True)
def light_theme(qapp):
    apply_theme(qapp, LIGHT)
    yield
    apply_theme(qapp, LIGHT)


def shown(qtbot, body_map: BodyMap, *, interactive: bool = True, size=(600, 520)) -> BodyMapView:
    view = BodyMapView(body_map, interactive=interactive)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    return view


def click(qtbot, view: BodyMapView, point: QPointF) -> None:
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=point.toPoint())


def copies(body_map: BodyMap) -> list[tuple[str, str]]:
    return [(region, view) for region in REGION_IDS for view in body_map.views_of(region)]


class PaintAreas(QObject):
    """Records the area of every paint event a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.areas: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.areas.append(event.rect())
        return False


class PaintRegions(QObject):
    """Records the region of every paint event a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.regions: list[QRegion] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.regions.append(QRegion(event.region()))
        return False


def on_screen(widget: QWidget) -> QImage:
    """What the window's backing store holds for ``widget`` (offscreen platform)."""
    window = widget.window()
    image = QApplication.primaryScreen().grabWindow(window.winId()).toImage()
    top = widget.mapTo(window, QPoint(0, 0))
    return image.copy(top.x(), top.y(), widget.width(), widget.height())


def repainted_whole(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


# -- marking with the mouse ----------------------------------------------------------------------


@pytest.mark.parametrize(("region", "side"), copies(load_body_map()))
def test_a_click_at_a_regions_centre_marks_it_and_a_second_click_clears_it(
    qtbot, body_map, region, side
):
    view = shown(qtbot, body_map)
    centre = view.region_centre(region, side)
    with qtbot.waitSignal(view.selection_changed):
        click(qtbot, view, centre)
    assert view.marked("pain") == (region,)
    assert view.marks == {region: "pain"}
    click(qtbot, view, centre)
    assert view.marked("pain") == ()


def test_hit_testing_follows_the_widgets_scale_and_centring(qtbot, body_map):
    for size in ((600, 520), (900, 300), (260, 700)):
        view = shown(qtbot, body_map, size=size)
        for region, side in copies(body_map):
            assert view.region_at_point(view.region_centre(region, side)) == region
        # Outside the body (between the two views, and in the corners) is nothing.
        assert view.region_at_point(view.point_of(1.125, 1.2)) is None
        assert view.region_at_point(QPointF(1, 1)) is None


def test_a_click_off_the_body_changes_nothing(qtbot, body_map):
    view = shown(qtbot, body_map)
    with qtbot.assertNotEmitted(view.selection_changed):
        click(qtbot, view, view.point_of(1.125, 0.6))
        click(qtbot, view, QPointF(3, 3))
    assert view.marks == {}


def test_comfort_is_marked_in_its_own_colour_and_never_takes_a_painful_area(qtbot, body_map):
    view = shown(qtbot, body_map)
    click(qtbot, view, view.region_centre("left_knee"))
    view.set_marking_role("comfort")
    click(qtbot, view, view.region_centre("left_hand"))
    click(qtbot, view, view.region_centre("left_knee"))  # already hurting: left as it is
    assert view.marked("pain") == ("left_knee",)
    assert view.marked("comfort") == ("left_hand",)
    assert role_colour("comfort") != role_colour("pain")
    hand = view.region_centre("left_hand").toPoint()
    knee = view.region_centre("left_knee").toPoint()
    image = repainted_whole(view)
    body = QColor(image.pixelColor(view.region_centre("chest").toPoint()))
    for point in (hand, knee):
        assert image.pixelColor(point) != body


def test_a_display_only_map_ignores_clicks_and_keys(qtbot, body_map):
    view = shown(qtbot, body_map, interactive=False)
    click(qtbot, view, view.region_centre("chest"))
    assert view.marks == {}
    assert view.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_unknown_regions_are_refused(qtbot, body_map):
    view = shown(qtbot, body_map)
    with pytest.raises(ValueError, match="elbow"):
        view.set_marked("pain", ["elbow"])
    with pytest.raises(ValueError, match="role"):
        view.set_marking_role("itch")


# -- the keyboard ----------------------------------------------------------------------------------


@pytest.fixture
def in_window(qtbot, body_map):
    """A map between two buttons, so Tab has somewhere to come from and go to."""
    window = QWidget()
    before, after = QPushButton("Before"), QPushButton("After")
    view = BodyMapView(body_map)
    layout = QVBoxLayout(window)
    layout.addWidget(before)
    layout.addWidget(view, 1)
    layout.addWidget(after)
    qtbot.addWidget(window)
    window.resize(600, 600)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    before.setFocus()
    return window, view, before, after


def test_tab_reaches_the_map_and_arrows_space_and_enter_mark_regions(qtbot, in_window, press):
    _window, view, _before, after = in_window
    press(Qt.Key.Key_Tab)
    assert view.hasFocus()
    assert (view.focused_region, view.focused_view) == ("head", "front")
    assert view.accessibleName() == "Head, not marked"
    press(Qt.Key.Key_Down)
    assert view.focused_region == "neck"
    press(Qt.Key.Key_Down)
    assert view.focused_region == "chest"
    press(Qt.Key.Key_Space)
    assert view.marked("pain") == ("chest",)
    assert view.accessibleName() == "Chest, marked"
    press(Qt.Key.Key_Return)  # Enter belongs to the screen (Next), not to the map
    assert view.marked("pain") == ("chest",)
    press(Qt.Key.Key_Space)
    assert view.marked("pain") == ()
    press(Qt.Key.Key_Tab)  # Tab leaves the map rather than walking its regions
    assert after.hasFocus()


def test_the_focus_ring_is_drawn_only_while_the_map_has_focus(qtbot, in_window, press):
    _window, view, before, _after = in_window
    unfocused = repainted_whole(view)
    press(Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert repainted_whole(view) != unfocused
    before.setFocus()
    QApplication.processEvents()
    assert repainted_whole(view) == unfocused


def test_the_arrows_reach_every_region_of_both_views(qtbot, body_map):
    view = shown(qtbot, body_map)
    view.setFocus()
    start = (view.focused_region, view.focused_view)
    seen = {start}
    queue = deque([start])
    keys = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)
    while queue:
        region, side = queue.popleft()
        for key in keys:
            view.set_focused(region, side)
            qtbot.keyClick(view, key)
            found = (view.focused_region, view.focused_view)
            if found not in seen:
                seen.add(found)
                queue.append(found)
    assert seen == set(copies(body_map))


def test_left_and_right_move_across_the_body_as_it_is_drawn(qtbot, body_map):
    view = shown(qtbot, body_map)
    view.setFocus()
    view.set_focused("chest", "front")
    qtbot.keyClick(view, Qt.Key.Key_Left)  # the person's right is on the viewer's left
    assert view.focused_region in ("right_shoulder", "right_arm")
    view.set_focused("left_hand", "front")
    qtbot.keyClick(view, Qt.Key.Key_Right)  # on to the back view
    assert view.focused_view == "back"


# -- the spotlight ---------------------------------------------------------------------------------


def spot(x: float, y: float, radius: float = 0.15, intensity: float = 1.0) -> Spot:
    return Spot(x, y, radius, intensity)


def lit(*spots: Spot) -> SpotlightState:
    return SpotlightState(spots, (), 0, None)


def test_the_spotlight_is_drawn_where_it_is_told_and_lights_that_spot(qtbot, body_map):
    view = shown(qtbot, body_map, interactive=False)
    centre = view.region_centre("left_knee")
    before = repainted_whole(view)
    dark = before.pixelColor(centre.toPoint())
    x, y = body_map.centre("left_knee")
    view.set_spotlight(lit(spot(x, y)))
    QApplication.processEvents()
    (drawn,) = view.drawn_spotlight
    assert (drawn.x, drawn.y) == pytest.approx((centre.x(), centre.y()), abs=0.06)
    scale = view.point_of(1, 0).x() - view.point_of(0, 0).x()
    assert drawn.radius == pytest.approx(0.15 * scale, abs=0.06)
    lit_colour = repainted_whole(view).pixelColor(centre.toPoint())
    assert lit_colour != dark
    # Far from the light, nothing changed.
    far = view.region_centre("head").toPoint()
    assert repainted_whole(view).pixelColor(far) == before.pixelColor(far)
    view.set_spotlight(None)
    QApplication.processEvents()
    assert view.drawn_spotlight == ()
    assert repainted_whole(view).pixelColor(centre.toPoint()) == dark


def test_both_hands_light_at_both_hands_and_not_between_them(qtbot, body_map):
    view = shown(qtbot, body_map, interactive=False)
    before = repainted_whole(view)
    view.set_spotlight(lit(*spots_for(["hands"], body_map)))
    QApplication.processEvents()
    after = repainted_whole(view)
    assert len(view.drawn_spotlight) == 2
    for hand in ("left_hand", "right_hand"):
        point = view.region_centre(hand).toPoint()
        assert after.pixelColor(point) != before.pixelColor(point), hand
    for x, y in ((0.5, 1.2), (0.5, 0.9), (0.5, 1.1)):  # the pelvis and the belly between them
        point = view.point_of(x, y).toPoint()
        assert after.pixelColor(point) == before.pixelColor(point), (x, y)


def test_the_whole_body_glow_lights_both_figures(qtbot, body_map):
    view = shown(qtbot, body_map, interactive=False)
    before = repainted_whole(view)
    view.set_spotlight(lit(*spots_for([], body_map)))
    QApplication.processEvents()
    after = repainted_whole(view)
    for side in ("front", "back"):
        for region in ("chest" if side == "front" else "upper_back", "left_hip"):
            point = view.region_centre(region, side).toPoint()
            assert after.pixelColor(point) != before.pixelColor(point), (region, side)


def test_spots_in_one_place_look_like_one_and_overlaps_never_add_up(qtbot, body_map):
    view = shown(qtbot, body_map, interactive=False)
    x, y = body_map.centre("chest")
    one = spot(x, y, 0.2, 0.85)

    def picture(*spots: Spot) -> QImage:
        view.set_spotlight(lit(*spots))
        QApplication.processEvents()
        return repainted_whole(view)

    single = picture(one)
    assert picture(one, one) == single  # a light that splits or gathers never flashes
    assert picture(one, one, one) == single
    assert picture(spot(x, y, 0.2, 0.4), one) == single  # a dimmer one inside adds nothing
    # Two spots overlapping: each pixel is as bright as the brighter of the two alone.
    other = spot(x + 0.1, y + 0.05, 0.2, 0.85)
    both, first, second = picture(one, other), single, picture(other)
    plain = picture()
    for dx in range(-10, 40, 5):
        point = view.point_of(x + dx / 100, y + dx / 200).toPoint()
        colours = (first.pixelColor(point), second.pixelColor(point))
        assert both.pixelColor(point) in colours, dx
        # ... the one further from the body's own colour (more light), not a sum beyond both.
        body = plain.pixelColor(point)
        distance = [abs(c.red() - body.red()) + abs(c.blue() - body.blue()) for c in colours]
        assert both.pixelColor(point) == colours[distance.index(max(distance))]


def test_a_moving_spotlight_repaints_only_where_it_was_and_is(qtbot, body_map):
    view = shown(qtbot, body_map, interactive=False)
    view.set_spotlight(lit(spot(0.5, 0.6)))
    QApplication.processEvents()
    areas = PaintAreas(view)
    view.set_spotlight(lit(spot(0.5, 0.6)))  # the same: nothing to repaint
    QApplication.processEvents()
    assert areas.areas == []
    view.set_spotlight(lit(spot(0.52, 0.62)))
    QApplication.processEvents()
    assert len(areas.areas) == 1
    painted = areas.areas[0]
    whole = view.rect()
    assert painted.width() * painted.height() < 0.25 * whole.width() * whole.height()
    (glow,) = view.drawn_spotlight
    reach = glow.reach
    near = QRegion(
        QRect(
            round(view.point_of(0.5, 0.6).x() - reach - 6),
            round(view.point_of(0.5, 0.6).y() - reach - 6),
            round(2 * reach + 20),
            round(2 * reach + 20),
        )
    )
    assert near.contains(painted)


def test_two_spots_apart_repaint_two_small_squares_not_the_space_between(qtbot, body_map):
    view = shown(qtbot, body_map, interactive=False)
    hands = spots_for(["hands"], body_map)
    view.set_spotlight(lit(*hands))
    QApplication.processEvents()
    regions = PaintRegions(view)
    left, right = (Spot(s.x, s.y + 0.02, s.radius, s.intensity) for s in hands)
    view.set_spotlight(lit(left, right))
    QApplication.processEvents()
    (painted,) = regions.regions
    assert painted.rectCount() == 2
    middle = view.point_of(0.5, left.y).toPoint()
    assert not painted.contains(middle)
    # Moving one spot and keeping the other repaints only around the one that moved.
    view.set_spotlight(lit(Spot(left.x, left.y + 0.02, left.radius, left.intensity), right))
    QApplication.processEvents()
    assert not regions.regions[-1].contains(view.point_of(right.x, right.y).toPoint())


@pytest.mark.parametrize("theme", [LIGHT, DARK, HIGH_CONTRAST])
def test_frame_by_frame_spotlight_repaints_leave_the_same_pixels_as_a_full_repaint(
    qtbot, qapp, body_map, theme
):
    apply_theme(qapp, theme)
    view = shown(qtbot, body_map, interactive=False, size=(520, 460))
    script = next(s for s in load_scripts() if s.id == "attention-shifting")
    steps = resolve(script.versions[0], ("abdomen", "lower_back"), ())
    # From the whole body to the comfortable hands, then to the painful areas and back, splitting
    # and gathering on the way.
    for first_s, last_s in ((19.0, 22.0), (44.0, 47.0), (69.0, 72.0), (74.0, 77.0)):
        for number in range(round((last_s - first_s) * 30) + 1):
            t_s = first_s + number / 30
            view.set_spotlight(spotlight_at(steps, body_map, t_s))
            QApplication.processEvents()
            if number % 15 == 7:
                assert on_screen(view) == repainted_whole(view), f"differs at {t_s:.2f} s"


def test_a_glow_near_the_edge_fades_out_inside_the_widget(qtbot, body_map):
    view = shown(qtbot, body_map, interactive=False)
    view.set_spotlight(lit(*spots_for([], body_map)))  # the whole-body glow
    QApplication.processEvents()
    assert len(view.drawn_spotlight) == 2
    for glow in view.drawn_spotlight:
        assert glow.y - glow.reach >= 0
        assert glow.y + glow.reach <= view.height()
        assert glow.x - glow.reach >= 0
        assert glow.x + glow.reach <= view.width()


def test_a_change_of_theme_redraws_the_map_in_the_new_colours(qtbot, qapp, body_map):
    view = shown(qtbot, body_map)
    corner = QPoint(2, 2)
    assert repainted_whole(view).pixelColor(corner) == QColor(LIGHT.window)
    apply_theme(qapp, DARK)
    QApplication.processEvents()
    assert repainted_whole(view).pixelColor(corner) == QColor(DARK.window)


def test_a_click_gives_focus_without_a_ring_until_the_keyboard_is_used(qtbot, body_map):
    view = shown(qtbot, body_map)
    chest = view.region_centre("chest")
    click(qtbot, view, chest)
    click(qtbot, view, chest)  # marked and cleared again
    qtbot.mouseMove(view, QPoint(2, 2))  # the pointer's outline goes with it
    assert view.hasFocus()
    assert not view.focus_ring_shown
    plain = repainted_whole(view)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.focused_region == "abdomen"
    assert view.focus_ring_shown
    assert repainted_whole(view) != plain


# -- a calm light of its own on the comfortable area ------------------------------------------------


def _hue_gap(a: QColor, b: QColor) -> int:
    gap = abs(a.hsvHue() - b.hsvHue()) % 360
    return min(gap, 360 - gap)


@pytest.mark.parametrize("theme", [LIGHT, DARK, HIGH_CONTRAST], ids=lambda t: t.name)
def test_the_comfortable_area_glows_in_a_cool_colour_of_its_own(theme):
    warm, calm = spotlight_colour(theme), spotlight_colour(theme, comfort=1.0)
    assert warm != calm
    assert _hue_gap(warm, calm) >= 120  # orange or yellow against blue: never mistaken
    assert 180 <= calm.hsvHue() <= 260  # cool: cyan to blue
    assert _hue_gap(calm, QColor(theme.accent)) >= 25  # and not the accent marking pain


@pytest.mark.parametrize("theme", [LIGHT, DARK, HIGH_CONTRAST], ids=lambda t: t.name)
def test_attention_shifting_lights_pain_warm_and_the_comfortable_area_cool(
    qtbot, qapp, body_map, theme
):
    apply_theme(qapp, theme)
    script = next(s for s in load_scripts() if s.id == "attention-shifting")
    steps = resolve(script.version(script.lengths_min[0]), ("lower_back",), ("left_hand",))
    comfort_step = next(s for s in steps if s.comfort_focus and s.spotlight != "alternate")
    pain_step = next(s for s in steps if s.focus == ("lower_back",))
    view = shown(qtbot, body_map, interactive=False)
    colours = {}
    for name, step, region, side in (
        ("comfort", comfort_step, "left_hand", "front"),
        ("pain", pain_step, "lower_back", "back"),
    ):
        state = spotlight_at(steps, body_map, step.end_s - 0.5)
        assert state.comfort == (1.0 if name == "comfort" else 0.0)
        view.set_spotlight(state)
        QApplication.processEvents()
        colours[name] = repainted_whole(view).pixelColor(view.region_centre(region, side).toPoint())
    assert colours["comfort"].hsvHue() != -1
    assert _hue_gap(colours["comfort"], colours["pain"]) >= 90
    assert view.light_colour == spotlight_colour(theme, 0.0)  # the last one lit was the pain
