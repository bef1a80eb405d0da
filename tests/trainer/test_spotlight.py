"""Tests for trainer/spotlight.py: where the spotlight is at every moment, and that it never jumps.

Continuity is checked frame by frame at 60 Hz: between two frames the centre may move at most
``MAX_MOVE`` map units in x and in y (the figure is 2.4 units tall, so about 1/60 of its height),
the radius change at most ``MAX_GROW`` and the intensity at most ``MAX_FADE``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import pytest

from trainer import spotlight
from trainer.bodymap import BACK, BodyMap, expand, load_body_map
from trainer.breathing import BreathingPattern, Phase, PhaseKind
from trainer.catalog import resources_dir
from trainer.scripts import ScriptVersion, Step, load_script, resolve
from trainer.spotlight import (
    CALM_BREATH,
    FOCUS_INTENSITY,
    GLIDE_S,
    MIN_RADIUS,
    WHOLE_BODY,
    WHOLE_BODY_INTENSITY,
    SpotlightState,
    spotlight_at,
    target,
)

FPS = 60
MAX_MOVE = 0.04
MAX_GROW = 0.03
MAX_FADE = 0.02
SHIPPED_FILES = sorted((resources_dir() / "scripts").glob("*.toml"))


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


def biggest_changes(states: Sequence[SpotlightState]) -> tuple[float, float, float, float]:
    pairs = list(pairwise(states))
    return (
        max(abs(b.x - a.x) for a, b in pairs),
        max(abs(b.y - a.y) for a, b in pairs),
        max(abs(b.radius - a.radius) for a, b in pairs),
        max(abs(b.intensity - a.intensity) for a, b in pairs),
    )


def assert_smooth(states: Sequence[SpotlightState]) -> None:
    dx, dy, dr, di = biggest_changes(states)
    assert dx <= MAX_MOVE, f"x jumps by {dx:.4f}"
    assert dy <= MAX_MOVE, f"y jumps by {dy:.4f}"
    assert dr <= MAX_GROW, f"radius jumps by {dr:.4f}"
    assert di <= MAX_FADE, f"intensity jumps by {di:.4f}"


def at(state: SpotlightState, where: tuple[float, float, float]) -> bool:
    return (state.x, state.y, state.radius) == pytest.approx(where)


# -- targets ------------------------------------------------------------------------------------


def test_target_of_one_region(body: BodyMap) -> None:
    x, y, radius = target(["left_leg"], body)
    assert (x, y) == body.centre("left_leg")
    assert radius == pytest.approx(body.extent("left_leg"))
    # A small region still gets a visible spotlight.
    assert target(["neck"], body)[2] == MIN_RADIUS > body.extent("neck")


def test_target_of_a_group_covers_every_region(body: BodyMap) -> None:
    x, y, radius = target(["shoulders"], body)
    left, right = body.centre("left_shoulder"), body.centre("right_shoulder")
    assert (x, y) == pytest.approx(((left[0] + right[0]) / 2, (left[1] + right[1]) / 2))
    for region in ("left_shoulder", "right_shoulder"):
        cx, cy = body.centre(region)
        assert math.hypot(cx - x, cy - y) + body.extent(region) <= radius + 1e-9
    assert target(["shoulders"], body) == target(["left_shoulder", "right_shoulder"], body)


def test_target_keeps_a_back_area_and_its_neighbours_in_the_back_view(body: BodyMap) -> None:
    x, _, _ = target(["lower_back", "left_hip"], body)
    assert 1.25 < x < 2.25
    assert (x, target(["lower_back", "left_hip"], body)[1]) == pytest.approx(
        (
            (body.centre("lower_back")[0] + body.centre("left_hip", BACK)[0]) / 2,
            (body.centre("lower_back")[1] + body.centre("left_hip", BACK)[1]) / 2,
        )
    )
    assert target(["left_hip"], body)[0] < 1.0  # alone, the hip is lit on the front


def test_no_focus_is_the_whole_front_view(body: BodyMap) -> None:
    x, y, radius = target([], body)
    assert (x, y, radius) == WHOLE_BODY
    assert 0.0 < x < 1.0
    assert radius >= 1.2  # from the middle of the figure out past head and feet


# -- still and none -----------------------------------------------------------------------------


def test_still_rests_on_its_target(body: BodyMap) -> None:
    steps = [step(0, 30, ["neck"])]
    for t_s in (0.0, 7.3, 15.0, 29.9, 30.0):
        state = spotlight_at(steps, body, t_s)
        assert at(state, target(["neck"], body))
        assert state.intensity == FOCUS_INTENSITY
        assert state.regions == ("neck",)
        assert state.step_index == 0
        assert state.count is None


@pytest.mark.parametrize(
    ("focus", "spotlight"), [((), "still"), ((), "pulse"), (("neck",), "none")]
)
def test_whole_body_glow(body: BodyMap, focus: tuple[str, ...], spotlight: str) -> None:
    steps = [step(0, 30, focus, spotlight)]
    for t_s in (0.0, 2.5, 5.0, 12.0):
        state = spotlight_at(steps, body, t_s)
        assert (state.x, state.y) == WHOLE_BODY[:2]
        assert state.regions == ()
        assert state.intensity <= WHOLE_BODY_INTENSITY * 1.1 + 1e-9  # low: a soft glow
        assert state.radius == pytest.approx(WHOLE_BODY[2], rel=0.1)
    if spotlight != "pulse":
        assert spotlight_at(steps, body, 7.0).intensity == WHOLE_BODY_INTENSITY


# -- pulse --------------------------------------------------------------------------------------


def test_pulse_swells_with_the_calm_breath(body: BodyMap) -> None:
    steps = [step(0, 60, ["abdomen"], "pulse")]
    _, _, base = target(["abdomen"], body)
    full = spotlight_at(steps, body, 5.0)  # end of the 5 s inhale
    empty = spotlight_at(steps, body, 10.0)  # end of the 5 s exhale
    assert full.breath_level == pytest.approx(1.0)
    assert empty.breath_level == pytest.approx(0.0)
    assert full.radius == pytest.approx(base * 1.1)
    assert empty.radius == pytest.approx(base * 0.9)
    assert full.intensity > empty.intensity
    assert (full.x, full.y) == (empty.x, empty.y) == target(["abdomen"], body)[:2]
    for n in range(0, 60 * FPS, 7):
        t_s = n / FPS
        state = spotlight_at(steps, body, t_s)
        level = CALM_BREATH.state_at(t_s).level
        assert state.breath_level == pytest.approx(level)
        assert state.radius == pytest.approx(base * (0.9 + 0.2 * level))


def test_pulse_follows_the_breath_it_is_given(body: BodyMap) -> None:
    slow = BreathingPattern([Phase(PhaseKind.INHALE, 4.0), Phase(PhaseKind.EXHALE, 6.0)])
    steps = [step(0, 60, ["chest"], "pulse")]
    peak = spotlight_at(steps, body, 4.0, breath=slow)
    assert peak.breath_level == pytest.approx(1.0)
    assert peak.radius > spotlight_at(steps, body, 5.0, breath=slow).radius
    assert spotlight_at(steps, body, 4.0).radius < spotlight_at(steps, body, 5.0).radius


def test_pulse_keeps_the_session_breath_across_steps(body: BodyMap) -> None:
    # The breath runs from the start of the practice (like the pacer), not from each step.
    steps = [step(0, 13, ["neck"]), step(13, 40, ["chest"], "pulse")]
    assert spotlight_at(steps, body, 25.0).breath_level == pytest.approx(1.0)


# -- sweep --------------------------------------------------------------------------------------

STOPS = (("head",), ("left_shoulder", "right_shoulder"), ("left_knee", "right_knee"), ("feet",))


def sweep_steps() -> tuple[Step, ...]:
    version = ScriptVersion(3, (step(0, 40, ["head", "shoulders", "knees", "feet"], "sweep"),))
    return resolve(version, pain=[], comfort=[])


def test_sweep_visits_each_area_in_order_for_an_equal_share(body: BodyMap) -> None:
    steps = sweep_steps()
    ys = []
    for k, stop in enumerate(STOPS):
        state = spotlight_at(steps, body, 10 * k + 5.0)  # the middle of stop k's share
        assert at(state, target(stop, body)), stop
        assert set(state.regions) == set(expand(stop))
        ys.append(state.y)
    assert ys == sorted(ys)  # head to feet


def test_sweep_moves_between_stops_smoothly(body: BodyMap) -> None:
    steps = sweep_steps()
    states = frames(steps, body, 0.0, 40.0)
    assert_smooth(states)
    # Each move starts at a share's beginning and is over within the glide.
    assert at(spotlight_at(steps, body, 10.0), target(STOPS[0], body))
    assert at(spotlight_at(steps, body, 10.0 + GLIDE_S), target(STOPS[1], body))
    halfway = spotlight_at(steps, body, 10.0 + GLIDE_S / 2)
    assert target(STOPS[0], body)[1] < halfway.y < target(STOPS[1], body)[1]


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


# -- alternate ----------------------------------------------------------------------------------


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
    neck, foot = target(["neck"], body), target(["left_foot"], body)
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
        assert at(state, where), t_s
        assert state.regions == regions


def test_alternate_glides_between_dwells(body: BodyMap) -> None:
    steps = alternate_steps()
    assert_smooth(frames(steps, body, 0.0, 40.0))
    neck, foot = target(["neck"], body), target(["left_foot"], body)
    assert foot[1] - neck[1] > 30 * MAX_MOVE  # a jump would break the bound many times over
    assert at(spotlight_at(steps, body, 4.0), neck)  # the move starts at the switch ...
    assert at(spotlight_at(steps, body, 4.0 + GLIDE_S), foot)  # ... and ends a glide later
    assert neck[1] < spotlight_at(steps, body, 4.0 + GLIDE_S / 2).y < foot[1]


def test_alternate_with_the_whole_body(body: BodyMap) -> None:
    # No pain marked: the focus side is the whole body.
    version = ScriptVersion(
        3,
        (step(0, 30, ["pain"], "alternate", alternate_with=("comfort",), dwell_s=(5.0,)),),
    )
    steps = resolve(version, pain=[], comfort=[])
    assert spotlight_at(steps, body, 2.5).regions == ()
    assert spotlight_at(steps, body, 7.5).regions == ("left_hand", "right_hand")
    assert_smooth(frames(steps, body, 0.0, 30.0))


# -- between steps ------------------------------------------------------------------------------


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
    head, low_back = target(["head"], body), target(["lower_back"], body)
    assert math.hypot(low_back[0] - head[0], low_back[1] - head[1]) > 1.0  # far apart
    just_before = spotlight_at(steps, body, 10.0 - 1e-9)
    at_boundary = spotlight_at(steps, body, 10.0)
    assert at_boundary.step_index == 1
    assert (at_boundary.x, at_boundary.y) == pytest.approx((just_before.x, just_before.y))
    settled = spotlight_at(steps, body, 10.0 + GLIDE_S)
    assert (settled.x, settled.y) == pytest.approx(low_back[:2])


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
    monkeypatch.setattr(spotlight, "GLIDE_S", 1e-6)  # no glide: the spotlight jumps
    with pytest.raises(AssertionError, match="jumps"):
        assert_smooth(frames(mixed_steps(), body, 0.0, 20.0))


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


# -- counting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t_s", "count"),
    [
        (19.9, None),  # the step before does not count
        (20.0, 1),
        (29.99, 1),
        (30.0, 2),
        (65.0, 5),
        (119.99, 10),
        (120.0, 1),  # after ten, start again at one
        (125.0, 1),
        (130.0, 2),
        (219.0, 10),
        (220.0, 1),
    ],
)
def test_count_goes_one_to_ten_and_restarts(body: BodyMap, t_s: float, count: int | None) -> None:
    steps = [step(0, 20, ["chest"]), step(20, 240, ["chest"], counting=True)]
    assert spotlight_at(steps, body, t_s).count == count


def test_count_starts_at_one_with_the_step(body: BodyMap) -> None:
    # A counting step that begins halfway through a breath counts that breath as the first.
    steps = [step(0, 15, ["chest"]), step(15, 200, ["chest"], counting=True)]
    assert [spotlight_at(steps, body, t).count for t in (15.0, 19.9, 20.0, 30.0)] == [1, 1, 2, 3]


# -- the shipped scripts ------------------------------------------------------------------------


def test_at_least_five_scripts_are_shipped() -> None:
    assert len(SHIPPED_FILES) >= 5


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.stem)
def test_every_shipped_version_is_smooth_and_lights_the_right_areas(
    body: BodyMap, path: Path
) -> None:
    script = load_script(path)
    for version in script.versions:
        steps = resolve(version, pain=["lower_back", "left_knee"], comfort=["right_hand"])
        states = frames(steps, body, 0.0, version.length_s)
        assert_smooth(states)
        for index, current in enumerate(steps):
            middle_s = (current.start_s + current.end_s) / 2
            state = states[round(middle_s * FPS)]
            assert state.step_index == index
            if current.spotlight == "none" or (
                current.spotlight in ("still", "pulse") and not current.focus
            ):
                assert state.regions == ()
            elif current.spotlight in ("still", "pulse"):
                assert state.regions == current.focus
                if current.length_s >= 2 * GLIDE_S:
                    assert (state.x, state.y) == pytest.approx(target(current.focus, body)[:2])
            elif current.spotlight == "sweep":
                assert set(state.regions) <= set(current.focus)
                assert state.regions
            else:
                assert state.regions in (current.focus, current.alternate_with) or (
                    not current.focus and state.regions == ()
                )
