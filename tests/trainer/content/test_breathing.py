"""Tests for trainer/content/breathing.py: patterns, their validation, and practice time -> pacer state."""

from __future__ import annotations

import itertools
import json
import math

import pytest

from trainer.content.breathing import (
    BreathingPattern,
    PacerState,
    PacerTimeline,
    Phase,
    PhaseKind,
    ease,
)
from trainer.errors import PatternError
from trainer.session.clock import FakeClock

INHALE, HOLD, EXHALE = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE


def make(*phases: tuple[PhaseKind, float] | tuple[PhaseKind, float, float]) -> BreathingPattern:
    """A pattern from ``(kind, seconds[, to_level])`` tuples."""
    return BreathingPattern([Phase(*spec) for spec in phases])


def sigh() -> BreathingPattern:
    """Two inhales (to 0.7, then a top-up to 1.0) and a long exhale, as in cyclic sighing."""
    return make((INHALE, 2, 0.7), (INHALE, 1, 1.0), (EXHALE, 6))


def partial_exhale() -> BreathingPattern:
    """A pattern whose exhale stops at 0.2, so each cycle starts from 0.2, not 0."""
    return make((INHALE, 3), (HOLD, 1), (EXHALE, 4, 0.2))


def max_speed_per_s(pattern: BreathingPattern) -> float:
    """The fastest the level can move: a cosine ease over T seconds peaks at |delta| * pi / 2T."""
    speeds = []
    level = pattern.state_at(0.0).level
    end_s = 0.0
    for phase in pattern.phases:
        end_s += phase.seconds
        end = pattern.state_at(end_s).level  # where the next phase (or cycle) starts
        speeds.append(abs(end - level) * math.pi / (2 * phase.seconds))
        level = end
    return max(speeds)


def at(clock: FakeClock, start_s: float, pattern: BreathingPattern, t: float) -> PacerState:
    """Advance the fake clock to ``t`` seconds after ``start_s`` and read the pacer there."""
    clock.advance(start_s + t - clock.now_s())
    return pattern.state_at(clock.now_s() - start_s)


# -- ease ---------------------------------------------------------------------------------------


def test_ease_starts_and_ends_still_and_passes_half_at_half() -> None:
    assert ease(0.0) == 0.0
    assert ease(1.0) == pytest.approx(1.0, abs=1e-15)
    assert ease(0.5) == pytest.approx(0.5, abs=1e-15)
    assert ease(0.25) == pytest.approx((1 - math.cos(math.pi / 4)) / 2)
    values = [ease(i / 1000) for i in range(1001)]
    assert all(b > a for a, b in itertools.pairwise(values))


# -- phase boundaries and levels ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "index", "kind", "cycle", "level"),
    [
        (0, 0, INHALE, 0, 0.0),
        (4, 1, HOLD, 0, 1.0),
        (8, 2, EXHALE, 0, 1.0),
        (12, 3, HOLD, 0, 0.0),
        (16, 0, INHALE, 1, 0.0),
        (20, 1, HOLD, 1, 1.0),
        (32, 0, INHALE, 2, 0.0),
        (44, 3, HOLD, 2, 0.0),
        (160, 0, INHALE, 10, 0.0),
    ],
)
def test_box_phase_boundaries_are_exact(
    clock: FakeClock,
    box: BreathingPattern,
    t: float,
    index: int,
    kind: PhaseKind,
    cycle: int,
    level: float,
) -> None:
    state = at(clock, clock.now_s(), box, t)
    assert state.phase_index == index
    assert state.kind is kind
    assert state.fraction == 0.0
    assert state.cycle == cycle
    assert state.level == pytest.approx(level, abs=1e-12)
    assert state.phase_remaining_s == pytest.approx(4.0)


def test_box_just_before_a_boundary_is_still_the_previous_phase(box: BreathingPattern) -> None:
    state = box.state_at(16 - 1e-9)
    assert (state.phase_index, state.kind, state.cycle) == (3, HOLD, 0)
    assert state.fraction == pytest.approx(1.0)
    assert state.phase_remaining_s == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize(
    ("t", "index", "fraction", "level"),
    [
        (1, 0, 0.25, (1 - math.cos(math.pi / 4)) / 2),
        (2, 0, 0.5, 0.5),
        (3, 0, 0.75, (1 + math.cos(math.pi / 4)) / 2),
        (6, 1, 0.5, 1.0),
        (10, 2, 0.5, 0.5),
        (11, 2, 0.75, (1 - math.cos(math.pi / 4)) / 2),
        (14, 3, 0.5, 0.0),
        (18, 0, 0.5, 0.5),
    ],
)
def test_box_levels_mid_phase_follow_the_cosine_ease(
    clock: FakeClock, box: BreathingPattern, t: float, index: int, fraction: float, level: float
) -> None:
    state = at(clock, clock.now_s(), box, t)
    assert state.phase_index == index
    assert state.fraction == pytest.approx(fraction)
    assert state.level == pytest.approx(level, abs=1e-12)
    assert state.phase_remaining_s == pytest.approx(4 * (1 - fraction))


@pytest.mark.parametrize(
    ("phases", "t", "level"),
    [
        (((INHALE, 5), (EXHALE, 5)), 2.5, 0.5),
        (((INHALE, 5), (EXHALE, 5)), 7.5, 0.5),
        (((INHALE, 5), (EXHALE, 5)), 5.0, 1.0),
        (((INHALE, 4), (EXHALE, 6)), 2.0, 0.5),
        (((INHALE, 4), (EXHALE, 6)), 7.0, 0.5),
        (((INHALE, 4), (EXHALE, 6)), 10.0, 0.0),
    ],
)
def test_half_an_inhale_or_exhale_is_level_one_half(
    phases: tuple[tuple[PhaseKind, float], ...], t: float, level: float
) -> None:
    assert make(*phases).state_at(t).level == pytest.approx(level, abs=1e-12)


def test_holds_keep_the_level(box: BreathingPattern) -> None:
    for cycle in range(3):
        for step in range(41):
            into = step / 10  # 0 .. 4 s into the hold
            after_inhale = box.state_at(cycle * 16 + 4 + into * 0.999)
            after_exhale = box.state_at(cycle * 16 + 12 + into * 0.999)
            assert after_inhale.kind is HOLD
            assert after_inhale.level == 1.0
            assert after_exhale.kind is HOLD
            assert after_exhale.level == 0.0


@pytest.mark.parametrize(
    "pattern",
    [
        make((INHALE, 4), (HOLD, 4), (EXHALE, 4), (HOLD, 4)),
        make((INHALE, 5), (EXHALE, 5)),
        make((INHALE, 4), (EXHALE, 6)),
        make((INHALE, 1), (EXHALE, 1)),
        sigh(),
        partial_exhale(),
    ],
    ids=["box", "coherent", "extended", "fastest", "sigh", "partial-exhale"],
)
def test_level_stays_in_range_and_never_jumps(pattern: BreathingPattern) -> None:
    step_s = 0.001
    bound = max_speed_per_s(pattern) * step_s
    previous = pattern.state_at(0.0).level
    biggest = 0.0
    for i in range(1, round(3.5 * pattern.cycle_s / step_s)):
        level = pattern.state_at(i * step_s).level
        assert 0.0 <= level <= 1.0
        biggest = max(biggest, abs(level - previous))
        previous = level
    assert biggest <= bound * (1 + 1e-6) + 1e-12
    # The bound is tight (the pacer really moves this fast somewhere), so a jump would show.
    assert biggest > 0.99 * bound


def test_a_cycle_starts_where_the_last_one_ended() -> None:
    pattern = partial_exhale()
    assert pattern.state_at(0.0).level == pytest.approx(0.2)
    assert pattern.state_at(pattern.cycle_s).level == pytest.approx(0.2)
    assert pattern.state_at(pattern.cycle_s - 1e-9).level == pytest.approx(0.2, abs=1e-9)
    assert pattern.state_at(1.5).level == pytest.approx(0.6)  # half-way from 0.2 to 1


def test_double_inhale_pattern(clock: FakeClock) -> None:
    pattern = sigh()
    start = clock.now_s()
    expected = [
        # t, phase index, kind, fraction, level, cycle
        (0.0, 0, INHALE, 0.0, 0.0, 0),
        (1.0, 0, INHALE, 0.5, 0.35, 0),
        (2.0, 1, INHALE, 0.0, 0.7, 0),
        (2.5, 1, INHALE, 0.5, 0.85, 0),
        (3.0, 2, EXHALE, 0.0, 1.0, 0),
        (6.0, 2, EXHALE, 0.5, 0.5, 0),
        (9.0, 0, INHALE, 0.0, 0.0, 1),
        (11.0, 1, INHALE, 0.0, 0.7, 1),
    ]
    for t, index, kind, fraction, level, cycle in expected:
        state = at(clock, start, pattern, t)
        assert (state.phase_index, state.kind, state.cycle) == (index, kind, cycle), t
        assert state.fraction == pytest.approx(fraction), t
        assert state.level == pytest.approx(level, abs=1e-12), t
    assert pattern.cycle_s == 9.0
    assert pattern.describe() == "2-1-6"


@pytest.mark.parametrize("elapsed", [-1.0, -1e-9, math.nan, math.inf, -math.inf])
def test_state_at_rejects_negative_or_non_finite_time(
    box: BreathingPattern, elapsed: float
) -> None:
    with pytest.raises(ValueError, match="elapsed time"):
        box.state_at(elapsed)


# -- describing ---------------------------------------------------------------------------------


def test_description_rate_and_holds(box: BreathingPattern, coherent: BreathingPattern) -> None:
    assert box.describe() == "4-4-4-4"
    assert box.cycle_s == 16.0
    assert box.rate_bpm == pytest.approx(3.75)
    assert box.has_holds
    assert coherent.describe() == "5-5"
    assert coherent.rate_bpm == pytest.approx(6.0)
    assert not coherent.has_holds
    assert "4-4-4-4" in repr(box)


def test_patterns_compare_by_their_phases(box: BreathingPattern) -> None:
    again = make((INHALE, 4), (HOLD, 4), (EXHALE, 4), (HOLD, 4))
    assert again == box
    assert hash(again) == hash(box)
    assert box != make((INHALE, 4), (HOLD, 4), (EXHALE, 4), (HOLD, 5))
    assert box != "4-4-4-4"


def test_zero_second_holds_are_dropped() -> None:
    pattern = make((HOLD, 0), (INHALE, 4), (HOLD, 0), (EXHALE, 6), (HOLD, 0.0))
    assert [p.kind for p in pattern.phases] == [INHALE, EXHALE]
    assert pattern == make((INHALE, 4), (EXHALE, 6))
    assert not pattern.has_holds
    assert pattern.describe() == "4-6"
    assert pattern.cycle_s == 10.0
    assert pattern.state_at(4.0).kind is EXHALE


def test_phase_seconds_are_stored_as_floats() -> None:
    pattern = make((INHALE, 4), (EXHALE, 6))
    assert all(type(p.seconds) is float for p in pattern.phases)


# -- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phases", "message"),
    [
        pytest.param([], "at least one inhale and one exhale", id="empty"),
        pytest.param([Phase(HOLD, 0)], "at least one inhale and one exhale", id="only-0-holds"),
        pytest.param(
            [Phase(INHALE, 4), Phase(HOLD, 4)], "at least one inhale and one exhale", id="no-exhale"
        ),
        pytest.param(
            [Phase(EXHALE, 4), Phase(HOLD, 4)], "at least one inhale and one exhale", id="no-inhale"
        ),
        pytest.param([Phase(INHALE, 0.5), Phase(EXHALE, 4)], "at least 1 second", id="short-in"),
        pytest.param([Phase(INHALE, 4), Phase(EXHALE, 0.99)], "at least 1 second", id="short-ex"),
        pytest.param([Phase(INHALE, -4), Phase(EXHALE, 4)], "at least 1 second", id="neg-in"),
        pytest.param(
            [Phase(INHALE, 4), Phase(HOLD, -1), Phase(EXHALE, 4)],
            "holds last from 0 to 20 seconds",
            id="neg-hold",
        ),
        pytest.param(
            [Phase(INHALE, 4), Phase(HOLD, 20.5), Phase(EXHALE, 4)],
            "holds last from 0 to 20 seconds",
            id="long-hold",
        ),
        pytest.param([Phase(INHALE, math.nan), Phase(EXHALE, 4)], "finite", id="nan"),
        pytest.param([Phase(INHALE, math.inf), Phase(EXHALE, 4)], "finite", id="inf"),
        pytest.param(
            [Phase(INHALE, 4), Phase(HOLD, math.nan), Phase(EXHALE, 4)], "finite", id="nan-hold"
        ),
        pytest.param(
            [Phase(INHALE, 4), Phase(HOLD, -math.inf), Phase(EXHALE, 4)], "finite", id="-inf-hold"
        ),
        pytest.param([Phase(INHALE, True), Phase(EXHALE, 4)], "number of seconds", id="bool"),
        pytest.param([Phase(INHALE, "4"), Phase(EXHALE, 4)], "number of seconds", id="str"),
        pytest.param([Phase(INHALE, "four"), Phase(EXHALE, 4)], "number of seconds", id="word"),
        pytest.param([Phase(INHALE, None), Phase(EXHALE, 4)], "number of seconds", id="none"),
        pytest.param(
            [Phase(INHALE, 20), Phase(HOLD, 20), Phase(EXHALE, 20.5)],
            "from 2 to 60 seconds",
            id="cycle-over-60",
        ),
        pytest.param([Phase("breathe", 4), Phase(EXHALE, 4)], "unknown kind", id="kind"),
        pytest.param(
            [Phase(INHALE, 4, 1.5), Phase(EXHALE, 4)], "level must be from 0 to 1", id="level>1"
        ),
        pytest.param([Phase(INHALE, 4, math.nan), Phase(EXHALE, 4)], "finite", id="level-nan"),
        pytest.param(
            [Phase(INHALE, 4), Phase(HOLD, 2, 0.5), Phase(EXHALE, 4)],
            "hold, which keeps the level",
            id="level-on-hold",
        ),
        pytest.param(
            [Phase(INHALE, 4, 0.0), Phase(EXHALE, 4)], "inhale, so it must make", id="flat-in"
        ),
        pytest.param(
            [Phase(INHALE, 3, 0.7), Phase(INHALE, 2, 0.5), Phase(EXHALE, 4)],
            "Phase 2 is an inhale, so it must make the pacer grow",
            id="inhale-falls",
        ),
        pytest.param(
            [Phase(INHALE, 3, 0.6), Phase(INHALE, 1), Phase(EXHALE, 3, 0.0), Phase(EXHALE, 3, 0.5)],
            "Phase 4 is an exhale, so it must make the pacer shrink",
            id="exhale-rises",
        ),
    ],
)
def test_impossible_patterns_raise_pattern_error(phases: list[Phase], message: str) -> None:
    with pytest.raises(PatternError, match=message):
        BreathingPattern(phases)


@pytest.mark.parametrize(
    "phases",
    [
        [Phase(INHALE, 1), Phase(EXHALE, 1)],  # 2 s: the shortest cycle
        [Phase(INHALE, 20), Phase(HOLD, 20), Phase(EXHALE, 20)],  # 60 s: the longest
        [Phase(INHALE, 4), Phase(HOLD, 20), Phase(EXHALE, 4)],  # the longest hold
    ],
    ids=["2s", "60s", "20s-hold"],
)
def test_limits_themselves_are_allowed(phases: list[Phase]) -> None:
    pattern = BreathingPattern(phases)
    assert pattern.cycle_s == sum(p.seconds for p in phases)


def test_messages_name_the_phase_and_its_seconds() -> None:
    with pytest.raises(PatternError) as excinfo:
        make((INHALE, 4), (HOLD, 25), (EXHALE, 4))
    assert "Phase 2" in str(excinfo.value)
    assert "25 s" in str(excinfo.value)


def test_pattern_error_is_a_value_error() -> None:
    assert issubclass(PatternError, ValueError)


# -- plain data -------------------------------------------------------------------------------------


def test_to_dict_is_plain_data(box: BreathingPattern) -> None:
    assert box.to_dict() == {
        "phases": [
            {"kind": "inhale", "seconds": 4.0},
            {"kind": "hold", "seconds": 4.0},
            {"kind": "exhale", "seconds": 4.0},
            {"kind": "hold", "seconds": 4.0},
        ]
    }
    assert sigh().to_dict()["phases"][0] == {"kind": "inhale", "seconds": 2.0, "to_level": 0.7}


@pytest.mark.parametrize(
    "pattern",
    [
        make((INHALE, 4), (HOLD, 4), (EXHALE, 4), (HOLD, 4)),
        make((INHALE, 4.5), (EXHALE, 6.25)),
        sigh(),
        partial_exhale(),
    ],
    ids=["box", "fractional", "sigh", "partial-exhale"],
)
def test_to_dict_from_dict_round_trip(pattern: BreathingPattern) -> None:
    again = BreathingPattern.from_dict(json.loads(json.dumps(pattern.to_dict())))
    assert again == pattern
    assert again.phases == pattern.phases
    for t in (0.0, 1.3, 4.0, 7.77, 2.5 * pattern.cycle_s):
        assert again.state_at(t) == pattern.state_at(t)


def test_from_dict_accepts_integer_seconds() -> None:
    pattern = BreathingPattern.from_dict(
        {"phases": [{"kind": "inhale", "seconds": 4}, {"kind": "exhale", "seconds": 6}]}
    )
    assert pattern == make((INHALE, 4.0), (EXHALE, 6.0))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "needs a list of phases"),
        ({"phases": []}, "needs a list of phases"),
        ({"phases": "4-4"}, "needs a list of phases"),
        ({"phases": ["inhale"]}, "Phase 1 must be a table"),
        (
            {"phases": [{"kind": "inhale", "seconds": 4, "colour": "red"}]},
            "Phase 1 has unknown keys: colour",
        ),
        (
            {"phases": [{"kind": "inhale", "seconds": 4}, {"kind": "breathe", "seconds": 4}]},
            "Phase 2 has kind 'breathe'; use one of inhale, hold, exhale",
        ),
        ({"phases": [{"seconds": 4}]}, "Phase 1 has kind None"),
        ({"phases": [{"kind": "inhale"}]}, r"Phase 1 \(inhale\) needs its seconds"),
        ({"phases": [{"kind": "inhale", "seconds": "4"}]}, "must be a number of seconds"),
        ({"phases": [{"kind": "inhale", "seconds": True}]}, "must be a number of seconds"),
        (
            {"phases": [{"kind": "inhale", "seconds": 4, "to_level": "full"}]},
            "Phase 1's level must be a number",
        ),
        (
            {"phases": [{"kind": "inhale", "seconds": 4}, {"kind": "hold", "seconds": 4}]},
            "at least one inhale and one exhale",
        ),
    ],
)
def test_from_dict_rejects_bad_data(data: dict[str, object], message: str) -> None:
    with pytest.raises(PatternError, match=message):
        BreathingPattern.from_dict(data)


# -- rate and length --------------------------------------------------------------------------------


def test_at_rate_scales_every_phase(box: BreathingPattern) -> None:
    faster = box.at_rate(6.0)
    assert faster.rate_bpm == pytest.approx(6.0)
    assert faster.cycle_s == pytest.approx(10.0)
    assert [p.seconds for p in faster.phases] == pytest.approx([2.5] * 4)
    assert faster.same_shape(box)
    assert box.describe() == "4-4-4-4"  # the original is untouched
    for fraction in (0.0, 0.1, 0.25, 0.4, 0.5, 0.66, 0.9):
        old = box.state_at(fraction * box.cycle_s)
        new = faster.state_at(fraction * faster.cycle_s)
        assert (new.phase_index, new.cycle) == (old.phase_index, old.cycle)
        assert new.fraction == pytest.approx(old.fraction)
        assert new.level == pytest.approx(old.level, abs=1e-12)


@pytest.mark.parametrize("rate", [2.0, 4.5, 5.5, 6.0, 6.6])
def test_at_rate_preserves_shape_and_levels(rate: float) -> None:
    pattern = sigh()
    scaled = pattern.at_rate(rate)
    assert scaled.rate_bpm == pytest.approx(rate)
    assert [(p.kind, p.to_level) for p in scaled.phases] == [
        (p.kind, p.to_level) for p in pattern.phases
    ]
    ratios = [a.seconds / b.seconds for a, b in zip(scaled.phases, pattern.phases, strict=True)]
    assert ratios == pytest.approx([ratios[0]] * len(ratios))
    assert scaled.same_shape(pattern)


@pytest.mark.parametrize("rate", [0, -6, math.nan, math.inf, True, "6"])
def test_at_rate_rejects_impossible_rates(box: BreathingPattern, rate: object) -> None:
    with pytest.raises(PatternError):
        box.at_rate(rate)  # type: ignore[arg-type]


def test_at_rate_too_fast_for_the_phases_raises(box: BreathingPattern) -> None:
    with pytest.raises(PatternError, match="at least 1 second"):
        box.at_rate(20.0)  # 3 s cycle: 0.75 s phases


def test_same_shape(box: BreathingPattern, coherent: BreathingPattern) -> None:
    assert box.same_shape(box.at_rate(5))
    assert not box.same_shape(coherent)
    assert not box.same_shape(make((INHALE, 4), (HOLD, 4), (EXHALE, 4)))
    assert not sigh().same_shape(make((INHALE, 2, 0.6), (INHALE, 1, 1.0), (EXHALE, 6)))


@pytest.mark.parametrize(
    ("pattern", "minutes", "cycles"),
    [
        (make((INHALE, 4), (HOLD, 4), (EXHALE, 4), (HOLD, 4)), 5, 19),  # 18.75 -> 19
        (make((INHALE, 5), (EXHALE, 5)), 5, 30),
        (make((INHALE, 4), (EXHALE, 6)), 10, 60),
        (make((INHALE, 5), (EXHALE, 5)), 1, 6),
        (make((INHALE, 5), (EXHALE, 5)), 0.01, 1),  # at least one cycle
        (make((INHALE, 20), (HOLD, 20), (EXHALE, 20)), 0.2, 1),
    ],
)
def test_cycles_for_minutes(pattern: BreathingPattern, minutes: float, cycles: int) -> None:
    assert pattern.cycles_for_minutes(minutes) == cycles


@pytest.mark.parametrize("minutes", [0, -5, math.nan, math.inf])
def test_cycles_for_minutes_rejects_impossible_lengths(
    coherent: BreathingPattern, minutes: float
) -> None:
    with pytest.raises(PatternError, match="more than 0 minutes"):
        coherent.cycles_for_minutes(minutes)


# -- offset_of --------------------------------------------------------------------------------------


def test_offset_of_is_the_inverse_of_state_at(box: BreathingPattern) -> None:
    assert box.offset_of(2, 1, 0.5) == 38.0
    state = box.state_at(38.0)
    assert (state.cycle, state.phase_index, state.fraction) == (2, 1, 0.5)


@pytest.mark.parametrize("rate", [3.1, 4.7, 5.5, 6.5, 7.3, 11.7, 14.9])
def test_offset_of_a_phase_start_lands_in_that_phase(box: BreathingPattern, rate: float) -> None:
    # Regression: rounding used to put some boundaries a hair early, in the previous phase and
    # sometimes the previous cycle.
    pattern = box.at_rate(rate)
    for cycle in range(60):
        for index in range(len(pattern.phases)):
            state = pattern.state_at(pattern.offset_of(cycle, index, 0.0))
            assert (state.cycle, state.phase_index) == (cycle, index)
            assert state.fraction == pytest.approx(0.0, abs=1e-12)


# -- PacerTimeline ------------------------------------------------------------------------------------


def test_timeline_without_changes_is_the_pattern(box: BreathingPattern) -> None:
    timeline = PacerTimeline(box)
    assert timeline.pattern == box
    for t in (0.0, 3.3, 16.0, 100.7):
        assert timeline.state_at(t) == box.state_at(t)


def test_timeline_is_a_pure_function_of_practice_time(box: BreathingPattern) -> None:
    # A pause is practice time not advancing: asking again for the same time gives the same
    # state, whatever was asked in between.
    timeline = PacerTimeline(box)
    held = timeline.state_at(6.25)
    timeline.state_at(100.0)
    timeline.state_at(0.5)
    assert timeline.state_at(6.25) == held


def test_rate_change_mid_inhale_keeps_level_cycle_and_phase(box: BreathingPattern) -> None:
    timeline = PacerTimeline(box)
    before = timeline.state_at(34.0)  # cycle 2, half-way through the inhale
    assert (before.cycle, before.phase_index, before.fraction) == (2, 0, 0.5)
    faster = box.at_rate(6.0)  # 2.5 s phases
    timeline.change_pattern(faster, 34.0)
    after = timeline.state_at(34.0)
    assert timeline.pattern == faster
    assert after.level == pytest.approx(before.level, abs=1e-9)
    assert (after.cycle, after.phase_index, after.kind) == (2, 0, INHALE)
    assert after.fraction == pytest.approx(0.5)
    # From here on, the new pace: 1.25 s of inhale left, then a 2.5 s hold, and so on.
    assert after.phase_remaining_s == pytest.approx(1.25)
    assert timeline.state_at(34.0 + 1.25 - 1e-6).phase_index == 0
    assert timeline.state_at(34.0 + 1.25 + 1e-6).phase_index == 1
    assert timeline.state_at(34.0 + 1.25 + 1.25).level == pytest.approx(1.0)
    next_cycle = timeline.state_at(34.0 + 1.25 + 3 * 2.5)
    assert (next_cycle.cycle, next_cycle.phase_index) == (3, 0)
    assert next_cycle.fraction == pytest.approx(0.0, abs=1e-9)
    # Times before the change still follow the old pace.
    assert timeline.state_at(30.0) == box.state_at(30.0)


def test_rate_change_is_continuous(coherent: BreathingPattern) -> None:
    timeline = PacerTimeline(coherent)
    slower = coherent.at_rate(4.5)
    timeline.change_pattern(slower, 23.7)  # mid-exhale of cycle 2
    step_s = 0.001
    bound = max(max_speed_per_s(coherent), max_speed_per_s(slower)) * step_s
    previous = timeline.state_at(20.0)
    for i in range(1, 10_000):
        state = timeline.state_at(20.0 + i * step_s)
        assert abs(state.level - previous.level) <= bound * (1 + 1e-6) + 1e-12
        assert state.cycle >= previous.cycle
        previous = state


@pytest.mark.parametrize("rate", [3.1, 4.5, 5.0, 6.5, 7.3, 9.0, 11.7, 14.9])
def test_rate_change_exactly_on_a_boundary_keeps_cycle_and_phase(
    box: BreathingPattern, rate: float
) -> None:
    new = box.at_rate(rate)
    for cycle in range(30):
        for start_s in (0, 4, 8, 12):
            t = cycle * 16.0 + start_s
            timeline = PacerTimeline(box)
            before = timeline.state_at(t)
            timeline.change_pattern(new, t)
            after = timeline.state_at(t)
            assert (after.cycle, after.phase_index) == (before.cycle, before.phase_index), t
            assert after.fraction == pytest.approx(0.0, abs=1e-12)
            assert after.level == pytest.approx(before.level, abs=1e-9)


def test_several_rate_changes(coherent: BreathingPattern) -> None:
    timeline = PacerTimeline(coherent)
    early = [timeline.state_at(t) for t in (1.0, 9.0, 14.0)]
    for at_s, rate in ((15.0, 5.0), (31.1, 4.0), (31.1, 4.5), (47.0, 6.0)):
        before = timeline.state_at(at_s)
        timeline.change_pattern(coherent.at_rate(rate), at_s)
        after = timeline.state_at(at_s)
        assert after.level == pytest.approx(before.level, abs=1e-9)
        assert after.cycle == before.cycle
    assert timeline.pattern.rate_bpm == pytest.approx(6.0)
    assert [timeline.state_at(t) for t in (1.0, 9.0, 14.0)] == early


def test_change_to_another_shape_is_refused(
    box: BreathingPattern, coherent: BreathingPattern
) -> None:
    timeline = PacerTimeline(box)
    for other in (coherent, make((INHALE, 4), (HOLD, 0), (EXHALE, 4), (HOLD, 0)), sigh()):
        with pytest.raises(PatternError, match="same phases in the same order"):
            timeline.change_pattern(other, 20.0)
    assert timeline.pattern == box
    assert timeline.state_at(30.0) == box.state_at(30.0)


def test_change_before_the_previous_change_is_a_bug(box: BreathingPattern) -> None:
    timeline = PacerTimeline(box)
    timeline.change_pattern(box.at_rate(5), 20.0)
    with pytest.raises(ValueError, match="before the previous one") as excinfo:
        timeline.change_pattern(box.at_rate(4), 19.9)
    assert not isinstance(excinfo.value, PatternError)  # a bug in the caller, not for the user
    assert timeline.pattern.rate_bpm == pytest.approx(5.0)


def test_messages_count_phases_as_written_even_with_zero_holds() -> None:
    with pytest.raises(PatternError, match="Phase 3 is an inhale"):
        BreathingPattern(
            [Phase(INHALE, 4, 0.8), Phase(HOLD, 0), Phase(INHALE, 1, 0.5), Phase(EXHALE, 6)]
        )


def test_session_length_rounds_half_cycles_up() -> None:
    pattern = BreathingPattern([Phase(INHALE, 4), Phase(EXHALE, 4)])  # 8 s cycles
    assert pattern.cycles_for_minutes(1.0) == 8  # 7.5 cycles
    assert pattern.cycles_for_minutes(20 / 60) == 3  # 2.5 cycles: banker's round() would give 2
    assert pattern.cycles_for_minutes(4.4 / 60) == 1  # 0.55 cycles, and never less than one
