"""Tests for trainer/content/spotlight.py: where the light is at every moment, and that it never jumps.

Continuity is checked on the light itself, frame by frame at 60 Hz: the light at a point is the
brightest spot there (:func:`trainer.content.spotlight.light_at`, how the map draws it), and between two
frames it may change by at most ``MAX_LIGHT_STEP`` at any point near any spot of either frame.
A small spot gliding from the neck to a foot in 1.5 s (the longest glide here; the shipped
scripts' longest change it by about 0.15) changes it by about 0.25 a frame where it passes; a
jump changes it by a spot's whole intensity (0.85) where it was or where it lands.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import pytest

from trainer.content import spotlight
from trainer.content.bodymap import BACK, FRONT, BodyMap, expand, load_body_map
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.content.scripts import Script, ScriptVersion, Step, load_scripts, resolve
from trainer.content.spotlight import (
    CALM_BREATH,
    FALLOFF,
    FOCUS_INTENSITY,
    GLIDE_S,
    GLOW_REACH,
    MIN_RADIUS,
    WHOLE_BODY,
    WHOLE_BODY_INTENSITY,
    WHOLE_BODY_RADIUS,
    Spot,
    SpotlightState,
    breath_count,
    falloff,
    light_at,
    spotlight_at,
    spots_for,
)

FPS = 60
MAX_LIGHT_STEP = 0.3
SCRIPTS = load_scripts()
BACK_ONLY = ("upper_back", "lower_back")
MARKINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "no-marks": ((), ()),
    "pain-both-hands": (("left_hand", "right_hand"), ()),
    "pain-abdomen-lower-back": (("abdomen", "lower_back"), ()),
    "pain-knee-comfort-hands": (("left_knee",), ("left_hand", "right_hand")),
}


@pytest.fixture(scope="module")
def body() -> BodyMap:
    return load_body_map()


def step(
    start_s: float,
    end_s: float,
    focus: Sequence[str] = (),
    spotlight: str = "still",
    *,
    alternate_with: tuple[str, ...] = (),
    dwell_s: tuple[float, ...] = (),
    counting: bool = False,
) -> Step:
    return Step(
        start_s,
        end_s,
        "A calm prompt.",
        tuple(focus),
        spotlight,
        alternate_with=alternate_with,
        dwell_s=dwell_s,
        counting=counting,
    )


def frames(
    steps: Sequence[Step], body: BodyMap, start_s: float, end_s: float
) -> list[SpotlightState]:
    first, last = round(start_s * FPS), round(end_s * FPS)
    return [spotlight_at(steps, body, n / FPS) for n in range(first, last + 1)]


def view_of(x: float) -> str:
    return FRONT if x < 1.125 else BACK


def spot_on(body: BodyMap, region: str) -> Spot:
    """The spot lighting ``region`` alone."""
    (only,) = spots_for([region], body)
    return only


def centres(spots: Sequence[Spot]) -> list[tuple[float, float]]:
    return sorted((s.x, s.y) for s in spots)


# -- the light as drawn: the brightest spot wins --------------------------------------------------

_XP = np.array([d for d, _ in FALLOFF])
_FP = np.array([b for _, b in FALLOFF])
# Where the light is sampled around each spot of two frames: its centre, and eight points halfway
# out to its reach (a jump, a flash or a sudden change of size shows at one of them).
_AROUND = np.array(
    [(0.0, 0.0)]
    + [(0.5 * math.cos(a), 0.5 * math.sin(a)) for a in np.linspace(0, 2 * math.pi, 8, False)]
)


def _light(spots: np.ndarray, points: np.ndarray) -> np.ndarray:
    """``light_at`` for many frames at once: spots (frames, n, [x, y, reach, intensity]),
    points (frames, m, [x, y]) -> (frames, m)."""
    dx = points[:, None, :, 0] - spots[:, :, None, 0]
    dy = points[:, None, :, 1] - spots[:, :, None, 1]
    reach = np.hypot(dx, dy) / spots[:, :, None, 2]
    return (np.interp(reach, _XP, _FP) * spots[:, :, None, 3]).max(axis=1)


def biggest_light_step(states: Sequence[SpotlightState]) -> tuple[float, int]:
    """The largest change of the light at any sampled point between consecutive frames, and the
    frame where it happens."""
    rows = [
        tuple((s.x, s.y, s.radius * GLOW_REACH, s.intensity) for s in state.spots)
        for state in states
    ]
    pairs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for n in range(len(rows) - 1):
        if rows[n] != rows[n + 1]:
            pairs[len(rows[n]), len(rows[n + 1])].append(n)
    worst, where = 0.0, 0
    for numbers in pairs.values():
        before = np.array([rows[n] for n in numbers])
        after = np.array([rows[n + 1] for n in numbers])
        both = np.concatenate([before, after], axis=1)
        points = both[:, :, None, :2] + both[:, :, None, 2:3] * _AROUND[None, None]
        points = points.reshape(len(numbers), -1, 2)
        change = np.abs(_light(before, points) - _light(after, points)).max(axis=1)
        k = int(change.argmax())
        if change[k] > worst:
            worst, where = float(change[k]), numbers[k] + 1
    return worst, where


def assert_smooth(states: Sequence[SpotlightState], first_s: float = 0.0) -> None:
    worst, n = biggest_light_step(states)
    assert worst <= MAX_LIGHT_STEP, f"the light jumps by {worst:.3f} at {first_s + n / FPS:.2f} s"


def test_the_vectorised_light_is_light_at(body: BodyMap) -> None:
    spots = (*spots_for(["hands", "lower_back"], body), *WHOLE_BODY)
    rows = np.array([[(s.x, s.y, s.radius * GLOW_REACH, s.intensity) for s in spots]])
    grid = [(x / 20, y / 20) for x in range(46) for y in range(49)]
    fast = _light(rows, np.array([grid]))[0]
    assert fast == pytest.approx([light_at(spots, x, y) for x, y in grid])


def test_overlapping_spots_light_as_the_brightest_not_the_sum(body: BodyMap) -> None:
    knee = spot_on(body, "left_knee")
    dim = Spot(knee.x, knee.y, knee.radius, 0.3)
    for x, y in ((knee.x, knee.y), (knee.x + 0.05, knee.y), (knee.x, knee.y + 0.1)):
        assert light_at([knee, knee], x, y) == light_at([knee], x, y) > 0
        assert light_at([knee, dim], x, y) == light_at([knee], x, y)
    assert light_at([knee], knee.x, knee.y) == FOCUS_INTENSITY
    assert light_at([], 0.5, 0.5) == 0.0


def test_falloff_runs_from_full_at_the_centre_to_nothing_at_the_reach() -> None:
    values = [falloff(n / 100) for n in range(0, 121)]
    assert values[0] == 1.0
    assert values[100] == values[120] == 0.0
    assert all(a >= b for a, b in pairwise(values))


# -- spots ----------------------------------------------------------------------------------------


def test_one_region_gets_one_spot_covering_its_main_shape(body: BodyMap) -> None:
    leg = spot_on(body, "left_leg")
    assert (leg.x, leg.y) == body.centre("left_leg")
    assert leg.radius == pytest.approx(body.extent("left_leg"))
    assert leg.intensity == FOCUS_INTENSITY
    # A small region still gets a visible spot.
    assert spot_on(body, "neck").radius == MIN_RADIUS > body.extent("neck")


def test_both_hands_are_lit_at_the_hands_not_between_them(body: BodyMap) -> None:
    spots = spots_for(["hands"], body)
    assert centres(spots) == sorted([body.centre("left_hand"), body.centre("right_hand")])
    assert spots == spots_for(["left_hand", "right_hand"], body)
    pelvis_x, pelvis_y = 0.5, 1.2  # where one circle around both hands would centre
    assert light_at(spots, pelvis_x, pelvis_y) == 0.0
    for region in ("left_hand", "right_hand"):
        assert light_at(spots, *body.centre(region)) == FOCUS_INTENSITY


def test_the_arms_are_lit_on_the_arms_not_the_torso(body: BodyMap) -> None:
    spots = spots_for(["arms"], body)
    assert {body.region_at(s.x, s.y) for s in spots} == {"left_arm", "right_arm"}
    for region in ("left_arm", "right_arm"):
        assert light_at(spots, *body.centre(region)) == FOCUS_INTENSITY
    # One circle around both arms would centre on the chest; their own spots barely reach it.
    assert light_at(spots, *body.centre("chest")) < 0.25 * FOCUS_INTENSITY


def test_front_and_back_areas_are_each_lit_where_they_are_drawn(body: BodyMap) -> None:
    abdomen, low_back = spots_for(["abdomen", "lower_back"], body)
    assert view_of(abdomen.x) == FRONT
    assert view_of(low_back.x) == BACK
    assert (low_back.x, low_back.y) == body.centre("lower_back", BACK)
    assert light_at((abdomen, low_back), 1.125, 0.9) == 0.0  # nothing in the gap between them
    # An area drawn in both views is lit on the front, whatever it is lit with.
    hip, back = spots_for(["left_hip", "lower_back"], body)
    assert (hip.x, hip.y) == body.centre("left_hip", FRONT)
    assert view_of(back.x) == BACK


def test_no_focus_is_a_soft_glow_over_each_figure(body: BodyMap) -> None:
    spots = spots_for([], body)
    assert spots == WHOLE_BODY
    assert sorted(view_of(s.x) for s in spots) == [BACK, FRONT]
    for s in spots:
        assert s.radius == WHOLE_BODY_RADIUS >= 1.2  # from the middle out past head and feet
        assert s.intensity == WHOLE_BODY_INTENSITY < FOCUS_INTENSITY / 2
        assert body.region_at(s.x, s.y) is not None  # on the figure, not beside it
    for view in (FRONT, BACK):
        for region in ("head", "left_hand", "right_foot"):
            assert light_at(spots, *body.centre(region, view)) > 0.0


# -- still and none -------------------------------------------------------------------------------


def test_still_rests_on_its_spots(body: BodyMap) -> None:
    steps = [step(0, 30, ["neck"])]
    for t_s in (0.0, 7.3, 15.0, 29.9, 30.0):
        state = spotlight_at(steps, body, t_s)
        assert state.spots == spots_for(["neck"], body)
        assert state.regions == ("neck",)
        assert state.step_index == 0
        assert state.count is None


@pytest.mark.parametrize(
    ("focus", "spotlight"), [((), "still"), ((), "pulse"), (("neck",), "none")]
)
def test_whole_body_glow_lights_both_figures(
    body: BodyMap, focus: tuple[str, ...], spotlight: str
) -> None:
    steps = [step(0, 30, focus, spotlight)]
    for t_s in (0.0, 2.5, 5.0, 12.0):
        state = spotlight_at(steps, body, t_s)
        assert state.regions == ()
        assert centres(state.spots) == centres(WHOLE_BODY)
        for s in state.spots:
            assert s.intensity <= WHOLE_BODY_INTENSITY * 1.1 + 1e-9  # low: a soft glow
            assert s.radius == pytest.approx(WHOLE_BODY_RADIUS, rel=0.1)
    if spotlight != "pulse":
        assert spotlight_at(steps, body, 7.0).spots == WHOLE_BODY


# -- pulse ----------------------------------------------------------------------------------------


def test_pulse_swells_with_the_calm_breath(body: BodyMap) -> None:
    steps = [step(0, 60, ["abdomen"], "pulse")]
    base = spot_on(body, "abdomen")
    (full,) = spotlight_at(steps, body, 5.0).spots  # end of the 5 s inhale
    (empty,) = spotlight_at(steps, body, 10.0).spots  # end of the 5 s exhale
    assert spotlight_at(steps, body, 5.0).breath_level == pytest.approx(1.0)
    assert spotlight_at(steps, body, 10.0).breath_level == pytest.approx(0.0)
    assert full.radius == pytest.approx(base.radius * 1.1)
    assert empty.radius == pytest.approx(base.radius * 0.9)
    assert full.intensity > empty.intensity
    assert (full.x, full.y) == (empty.x, empty.y) == (base.x, base.y)
    for n in range(0, 60 * FPS, 7):
        t_s = n / FPS
        state = spotlight_at(steps, body, t_s)
        level = CALM_BREATH.state_at(t_s).level
        assert state.breath_level == pytest.approx(level)
        assert state.spots[0].radius == pytest.approx(base.radius * (0.9 + 0.2 * level))


def test_pulse_swells_every_spot_alike(body: BodyMap) -> None:
    steps = [step(0, 60, ["knees"], "pulse")]
    left, right = spotlight_at(steps, body, 5.0).spots
    assert left.radius == right.radius == pytest.approx(spot_on(body, "left_knee").radius * 1.1)
    assert left.intensity == right.intensity == pytest.approx(FOCUS_INTENSITY * 1.1)


def test_pulse_follows_the_breath_it_is_given(body: BodyMap) -> None:
    slow = BreathingPattern([Phase(PhaseKind.INHALE, 4.0), Phase(PhaseKind.EXHALE, 6.0)])
    steps = [step(0, 60, ["chest"], "pulse")]

    def radius(t_s: float, breath: BreathingPattern = CALM_BREATH) -> float:
        return spotlight_at(steps, body, t_s, breath=breath).spots[0].radius

    assert spotlight_at(steps, body, 4.0, breath=slow).breath_level == pytest.approx(1.0)
    assert radius(4.0, slow) > radius(5.0, slow)
    assert radius(4.0) < radius(5.0)


def test_with_reduced_motion_a_pulse_only_brightens_and_fades(body: BodyMap) -> None:
    steps = [step(0, 13, ["neck"]), step(13, 60, ["abdomen"], "pulse")]
    base = spot_on(body, "abdomen")
    radii, intensities = set(), set()
    for n in range(15 * FPS, 60 * FPS, 7):  # after the glide from the neck
        (spot,) = spotlight_at(steps, body, n / FPS, reduced_motion=True).spots
        moving = spotlight_at(steps, body, n / FPS).spots[0]
        assert (spot.x, spot.y) == (base.x, base.y)
        assert spot.intensity == pytest.approx(moving.intensity)  # brightness as before
        radii.add(round(spot.radius, 9))
        intensities.add(round(spot.intensity, 3))
    assert radii == {round(base.radius, 9)}  # one size all through
    assert len(intensities) > 10


def test_pulse_keeps_the_session_breath_across_steps(body: BodyMap) -> None:
    # The breath runs from the start of the practice (like the pacer), not from each step.
    steps = [step(0, 13, ["neck"]), step(13, 40, ["chest"], "pulse")]
    assert spotlight_at(steps, body, 25.0).breath_level == pytest.approx(1.0)


# -- sweep ----------------------------------------------------------------------------------------

STOPS = (("head",), ("left_shoulder", "right_shoulder"), ("left_knee", "right_knee"), ("feet",))


def sweep_steps() -> tuple[Step, ...]:
    version = ScriptVersion(3, (step(0, 40, ["head", "shoulders", "knees", "feet"], "sweep"),))
    return resolve(version, pain=[], comfort=[])


def test_sweep_visits_each_area_in_order_for_an_equal_share(body: BodyMap) -> None:
    steps = sweep_steps()
    ys = []
    for k, stop in enumerate(STOPS):
        state = spotlight_at(steps, body, 10 * k + 5.0)  # the middle of stop k's share
        assert state.spots == spots_for(stop, body), stop
        assert state.regions == expand(stop)
        ys.append(state.spots[0].y)
    assert ys == sorted(ys)  # head to feet


def test_sweep_splits_and_moves_between_stops_smoothly(body: BodyMap) -> None:
    steps = sweep_steps()
    assert_smooth(frames(steps, body, 0.0, 40.0))
    # Head to shoulders: at the start of the move both shoulder spots set out from the head ...
    head = spot_on(body, "head")
    assert spotlight_at(steps, body, 10.0).spots == (head,)
    starting = spotlight_at(steps, body, 10.0 + 1e-6).spots
    assert len(starting) == 2
    for s in starting:
        assert (s.x, s.y) == pytest.approx((head.x, head.y), abs=1e-4)
    # ... part, one to each shoulder ...
    halfway = spotlight_at(steps, body, 10.0 + GLIDE_S / 2).spots
    assert halfway[0].x > head.x > halfway[1].x
    assert all(head.y < s.y < body.centre("left_shoulder")[1] for s in halfway)
    # ... and are there a glide later.
    assert spotlight_at(steps, body, 10.0 + GLIDE_S).spots == spots_for(STOPS[1], body)


def test_sweep_over_unresolved_groups_is_the_same(body: BodyMap) -> None:
    plain = [step(0, 40, ["head", "shoulders", "knees", "feet"], "sweep")]
    for t_s in (3.0, 10.4, 17.0, 33.3):
        assert spotlight_at(plain, body, t_s) == spotlight_at(sweep_steps(), body, t_s)


def test_sweep_through_marked_areas_visits_each(body: BodyMap) -> None:
    version = ScriptVersion(3, (step(0, 30, ["pain", "neck"], "sweep"),))
    steps = resolve(version, pain=["left_knee", "lower_back"], comfort=[])
    regions = [spotlight_at(steps, body, t_s).regions for t_s in (5.0, 15.0, 25.0)]
    assert regions == [("left_knee",), ("lower_back",), ("neck",)]
    assert_smooth(frames(steps, body, 0.0, 30.0))


# -- alternate ------------------------------------------------------------------------------------


def alternate_steps() -> list[Step]:
    return [step(0, 40, ["neck"], "alternate", alternate_with=("left_foot",), dwell_s=(4.0, 6.0))]


def test_alternate_dwell_order_and_lengthening(body: BodyMap) -> None:
    steps = alternate_steps()
    # Round 1: 4 s on the neck, 4 s on the foot; then 6 s each, the last dwell repeating.
    switches = []
    states = frames(steps, body, 0.0, 40.0)
    for n in range(1, len(states)):
        if states[n].regions != states[n - 1].regions:
            switches.append(n / FPS)
    assert switches == pytest.approx([4.0, 8.0, 14.0, 20.0, 26.0, 32.0, 38.0])
    neck, foot = spots_for(["neck"], body), spots_for(["left_foot"], body)
    for t_s, where, regions in (
        (2.0, neck, ("neck",)),
        (6.0, foot, ("left_foot",)),
        (11.0, neck, ("neck",)),
        (17.0, foot, ("left_foot",)),
        (23.0, neck, ("neck",)),
        (29.0, foot, ("left_foot",)),
        (35.0, neck, ("neck",)),
    ):
        state = spotlight_at(steps, body, t_s)
        assert state.spots == where, t_s
        assert state.regions == regions


def test_alternate_glides_between_dwells(body: BodyMap) -> None:
    steps = alternate_steps()
    assert_smooth(frames(steps, body, 0.0, 40.0))
    neck, foot = spot_on(body, "neck"), spot_on(body, "left_foot")
    assert spotlight_at(steps, body, 4.0).spots == (neck,)  # the move starts at the switch ...
    assert spotlight_at(steps, body, 4.0 + GLIDE_S).spots == (foot,)  # ... ends a glide later
    (moving,) = spotlight_at(steps, body, 4.0 + GLIDE_S / 2).spots
    assert neck.y < moving.y < foot.y


def test_alternate_between_pain_and_both_hands_splits_and_merges(body: BodyMap) -> None:
    version = ScriptVersion(
        3,
        (step(0, 30, ["pain"], "alternate", alternate_with=("comfort",), dwell_s=(5.0,)),),
    )
    steps = resolve(version, pain=["lower_back"], comfort=[])
    low_back = spot_on(body, "lower_back")
    hands = spots_for(["hands"], body)
    assert spotlight_at(steps, body, 2.5).spots == (low_back,)
    assert spotlight_at(steps, body, 7.5).spots == hands
    # Splitting: both hand spots set out from the lower back.
    for s in spotlight_at(steps, body, 5.0 + 1e-6).spots:
        assert (s.x, s.y) == pytest.approx((low_back.x, low_back.y), abs=1e-4)
    # Merging: the lower back's spot sets out from the nearer hand; the other hand's glides
    # after it, fading out.
    near = min(hands, key=lambda s: math.hypot(s.x - low_back.x, s.y - low_back.y))
    far = next(s for s in hands if s is not near)
    arriving, fading = spotlight_at(steps, body, 10.0 + 1e-6).spots
    assert (arriving.x, arriving.y) == pytest.approx((near.x, near.y), abs=1e-4)
    assert (fading.x, fading.y) == pytest.approx((far.x, far.y), abs=1e-4)
    arriving, fading = spotlight_at(steps, body, 10.0 + GLIDE_S * 0.9).spots
    assert fading.intensity < 0.1 * FOCUS_INTENSITY
    assert math.hypot(fading.x - low_back.x, fading.y - low_back.y) < 0.1
    assert spotlight_at(steps, body, 10.0 + GLIDE_S).spots == (low_back,)
    assert_smooth(frames(steps, body, 0.0, 30.0))


def test_alternate_with_the_whole_body(body: BodyMap) -> None:
    # No pain marked: the focus side is the whole body.
    version = ScriptVersion(
        3,
        (step(0, 30, ["pain"], "alternate", alternate_with=("comfort",), dwell_s=(5.0,)),),
    )
    steps = resolve(version, pain=[], comfort=[])
    assert spotlight_at(steps, body, 2.5).regions == ()
    assert spotlight_at(steps, body, 2.5).spots == WHOLE_BODY
    assert spotlight_at(steps, body, 7.5).regions == ("left_hand", "right_hand")
    assert_smooth(frames(steps, body, 0.0, 30.0))


# -- between steps --------------------------------------------------------------------------------


def mixed_steps() -> list[Step]:
    return [
        step(0, 10, ["head"]),
        step(10, 20, ["lower_back"], "pulse"),
        step(20, 30, ["left_foot"]),
        step(30, 40, [], "none"),
        step(40, 60, ["head", "hands", "feet"], "sweep"),
        step(60, 90, ["right_knee"], "alternate", alternate_with=("back",), dwell_s=(3.0, 5.0)),
        step(90, 95, ["chest"], "pulse"),
    ]


def test_steps_glide_into_each_other(body: BodyMap) -> None:
    steps = mixed_steps()
    assert_smooth(frames(steps, body, 0.0, 95.0))
    head = spot_on(body, "head")
    low_back = spot_on(body, "lower_back")
    assert math.hypot(low_back.x - head.x, low_back.y - head.y) > 1.0  # far apart
    just_before = spotlight_at(steps, body, 10.0 - 1e-9)
    at_boundary = spotlight_at(steps, body, 10.0)
    assert at_boundary.step_index == 1
    assert at_boundary.spots == just_before.spots == (head,)
    (settled,) = spotlight_at(steps, body, 10.0 + GLIDE_S).spots
    assert (settled.x, settled.y) == (low_back.x, low_back.y)


def test_the_whole_body_glow_gathers_onto_one_area(body: BodyMap) -> None:
    steps = [step(0, 10, []), step(10, 20, ["left_knee"])]
    knee = spot_on(body, "left_knee")
    front, back = WHOLE_BODY
    arriving, fading = spotlight_at(steps, body, 10.0 + GLIDE_S / 2).spots
    # The knee's light comes from the front glow; the back glow follows it, fading.
    assert front.x < arriving.x < knee.x
    assert knee.x < fading.x < back.x
    assert fading.intensity == pytest.approx(WHOLE_BODY_INTENSITY / 2)
    assert spotlight_at(steps, body, 10.0 + GLIDE_S).spots == (knee,)
    assert_smooth(frames(steps, body, 0.0, 20.0))


@pytest.mark.parametrize(
    ("t_s", "regions"),
    [
        (5.0, ("head",)),
        (15.0, ("lower_back",)),
        (25.0, ("left_foot",)),
        (35.0, ()),
        (50.0, ("left_hand", "right_hand")),
        (61.5, ("right_knee",)),
        (64.5, ("upper_back", "lower_back")),
        (92.5, ("chest",)),
    ],
)
def test_the_right_areas_at_step_middles(
    body: BodyMap, t_s: float, regions: tuple[str, ...]
) -> None:
    state = spotlight_at(mixed_steps(), body, t_s)
    assert state.regions == regions


def test_the_smoothness_check_catches_a_jump(
    body: BodyMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    states = frames(mixed_steps(), body, 0.0, 20.0)
    assert_smooth(states)
    monkeypatch.setattr(spotlight, "GLIDE_S", 1e-6)  # no glide: the light jumps
    with pytest.raises(AssertionError, match=r"jumps by 0\.\d+ at 10\.0\d s"):
        assert_smooth(frames(mixed_steps(), body, 0.0, 20.0))


def test_the_smoothness_check_catches_a_flash(body: BodyMap) -> None:
    # Two spots that light the same place as one: drawn brightest-wins this is no change, but
    # one that suddenly brightens is.
    knee = spot_on(body, "left_knee")
    brighter = Spot(knee.x, knee.y, knee.radius, 1.0)

    def state(*spots: Spot) -> SpotlightState:
        return SpotlightState(spots, ("left_knee",), 0, None)

    assert biggest_light_step([state(knee), state(knee, knee), state(knee)])[0] == 0.0
    assert biggest_light_step([state(knee), state(knee, brighter)])[0] == pytest.approx(
        1.0 - FOCUS_INTENSITY
    )


def test_after_the_end_it_rests(body: BodyMap) -> None:
    steps = mixed_steps()
    end = spotlight_at(steps, body, 95.0)
    assert spotlight_at(steps, body, 100.0) == end
    assert spotlight_at(steps, body, 1e6) == end


def test_bad_times_and_unresolved_areas(body: BodyMap) -> None:
    with pytest.raises(ValueError, match="elapsed time"):
        spotlight_at(mixed_steps(), body, -1.0)
    with pytest.raises(ValueError, match="'pain'"):
        spotlight_at([step(0, 10, ["pain"])], body, 1.0)


# -- counting -------------------------------------------------------------------------------------


def out_breath_starts_s(breath: BreathingPattern, from_s: float, to_s: float) -> list[float]:
    """Every moment in [from_s, to_s] an exhale begins, found from the pattern's own states."""
    starts = []
    for n in range(round(from_s * FPS), round(to_s * FPS) + 1):
        t_s = n / FPS
        now = breath.state_at(t_s).kind
        before = breath.state_at(max(0.0, t_s - 1 / FPS)).kind
        if now is PhaseKind.EXHALE and (before is not PhaseKind.EXHALE or n == 0):
            starts.append(t_s)
    return starts


@pytest.mark.parametrize("step_start_s", [20.0, 15.0, 17.5, 45.0])
def test_the_count_changes_as_each_out_breath_begins(body: BodyMap, step_start_s: float) -> None:
    steps = [step(0, step_start_s, ["chest"]), step(step_start_s, 260, ["chest"], counting=True)]
    assert spotlight_at(steps, body, step_start_s - 1e-6).count is None  # not counted before
    states = frames(steps, body, step_start_s, 260.0)
    changes = [
        (step_start_s + n / FPS, b.count)
        for n, (a, b) in enumerate(pairwise(states), start=1)
        if a.count != b.count
    ]
    starts = out_breath_starts_s(CALM_BREATH, step_start_s, 260.0)
    # The first out-breath to begin in the step is 1 (shown from the step's start); each later
    # one changes the count the moment it begins: 2, 3, ... 10, then 1 again.
    assert states[0].count == 1
    assert [t for t, _ in changes] == pytest.approx(starts[1:])
    assert [c for _, c in changes] == [n % 10 + 1 for n in range(1, len(starts))]
    assert max(c for _, c in changes) == 10


def test_the_count_follows_the_out_breath_of_the_breath_it_is_given(body: BodyMap) -> None:
    slow = BreathingPattern(
        [Phase(PhaseKind.INHALE, 4.0), Phase(PhaseKind.HOLD, 2.0), Phase(PhaseKind.EXHALE, 6.0)]
    )
    # Out-breaths begin at 6, 18, 30, ... s.
    assert [breath_count(slow, 0.0, t) for t in (0.0, 5.9, 6.0, 17.9, 18.0, 30.0)] == [
        1,
        1,
        1,
        1,
        2,
        3,
    ]
    assert breath_count(slow, 6.0, 6.0) == 1
    assert breath_count(slow, 6.1, 17.9) == 1
    assert breath_count(slow, 6.1, 18.0) == 1  # the first out-breath begun in the step
    assert breath_count(slow, 6.1, 30.0) == 2
    assert breath_count(slow, 0.0, 6.0 + 12 * 10) == 1  # the eleventh: after ten, one again
    assert breath_count(slow, 0.0, 6.0 + 12 * 9) == 10


# -- the shipped scripts --------------------------------------------------------------------------


def test_at_least_five_scripts_are_shipped() -> None:
    assert len(SCRIPTS) >= 5


def settled_moments(current: Step) -> list[tuple[float, tuple[str, ...]]]:
    """Moments in a resolved step when its light is settled, and the areas lit then ((): the
    whole body): the middle of a still or pulsing step, the middle of each sweep stop, and the
    middle of the first dwell on each side of an alternation."""
    middle_s = (current.start_s + current.end_s) / 2
    stops = [stop for stop in current.stops if stop]
    if current.spotlight == "none" or (current.spotlight == "sweep" and not stops):
        return [(middle_s, ())]
    if current.spotlight == "sweep":
        share_s = current.length_s / len(stops)
        return [(current.start_s + (k + 0.5) * share_s, stop) for k, stop in enumerate(stops)]
    if current.spotlight == "alternate":
        dwell_s = current.dwell_s[0]
        assert dwell_s >= 2 * GLIDE_S
        return [
            (current.start_s + dwell_s / 2, current.focus),
            (current.start_s + 1.5 * dwell_s, current.alternate_with),
        ]
    return [(middle_s, current.focus)]


def assert_lights(body: BodyMap, state: SpotlightState, regions: tuple[str, ...]) -> None:
    """Every spot is on one of ``regions`` in the view it is drawn in, and each has a spot."""
    assert state.regions == regions
    if not regions:
        assert sorted(view_of(s.x) for s in state.spots) == [BACK, FRONT]
        assert all(body.region_at(s.x, s.y) is not None for s in state.spots)
        return
    lit = []
    for s in state.spots:
        region = body.region_at(s.x, s.y)
        assert region in regions, f"a spot at ({s.x:.2f}, {s.y:.2f}) lights {region}"
        view = BACK if region in BACK_ONLY else FRONT
        assert view_of(s.x) == view, f"{region} is lit on the {view_of(s.x)}"
        assert any(shape.contains(s.x, s.y) for shape in body.view(view).regions[region])
        lit.append(region)
    assert sorted(lit) == sorted(regions)  # one spot on each area, no more


def versions_with_markings() -> list[tuple[Script, str]]:
    return [(script, name) for script in SCRIPTS for name in MARKINGS]


@pytest.mark.parametrize(
    ("script", "marking"),
    versions_with_markings(),
    ids=[f"{s.id}-{m}" for s, m in versions_with_markings()],
)
def test_every_shipped_version_lights_each_steps_areas_where_they_are(
    body: BodyMap, script: Script, marking: str
) -> None:
    pain, comfort = MARKINGS[marking]
    for version in script.versions:
        steps = resolve(version, pain, comfort)
        for index, current in enumerate(steps):
            assert current.length_s >= 2 * GLIDE_S
            for t_s, regions in settled_moments(current):
                state = spotlight_at(steps, body, t_s)
                assert state.step_index == index
                assert_lights(body, state, regions)


def shipped_runs() -> list[tuple[str, ScriptVersion, tuple[Step, ...]]]:
    """Every shipped version with each marking, leaving out those the marking does not change."""
    runs = []
    for script in SCRIPTS:
        seen = set()
        for name, (pain, comfort) in MARKINGS.items():
            for version in script.versions:
                steps = resolve(version, pain, comfort)
                if steps not in seen:
                    seen.add(steps)
                    runs.append((f"{script.id}-{version.minutes}min-{name}", version, steps))
    return runs


@pytest.mark.parametrize(
    ("version", "steps"),
    [(version, steps) for _, version, steps in shipped_runs()],
    ids=[name for name, _, _ in shipped_runs()],
)
def test_every_shipped_version_is_smooth_at_60_hz(
    body: BodyMap, version: ScriptVersion, steps: tuple[Step, ...]
) -> None:
    assert_smooth(frames(steps, body, 0.0, version.length_s))


def test_the_light_says_when_it_rests_on_the_comfortable_area_and_blends_as_it_glides():
    body_map = load_body_map()
    script = next(s for s in load_scripts() if s.id == "attention-shifting")
    steps = resolve(script.version(script.lengths_min[-1]), ("lower_back",), ("left_hand",))
    alternate = next(s for s in steps if s.spotlight == "alternate")
    assert not alternate.comfort_focus
    assert alternate.comfort_alternate
    # The first dwell is on the pain, the second on the comfortable area; a glide between.
    first_s = alternate.dwell_s[0]
    on_pain = spotlight.spotlight_at(steps, body_map, alternate.start_s + first_s - 0.1)
    gliding = spotlight.spotlight_at(steps, body_map, alternate.start_s + first_s + 0.75)
    on_comfort = spotlight.spotlight_at(steps, body_map, alternate.start_s + first_s + 2.0)
    assert on_pain.comfort == 0.0
    assert 0.0 < gliding.comfort < 1.0
    assert on_comfort.comfort == 1.0
    # The opening step is about the exercise, not the comfortable area: a warm light.
    whole = spotlight.spotlight_at(resolve(script.version(3), (), ()), body_map, 1.0)
    assert whole.comfort == 0.0
