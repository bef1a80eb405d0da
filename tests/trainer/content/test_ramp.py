"""Ramps: the rate eases from one value to another and the pacer never jumps."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from trainer.content.breathing import BreathingPattern, PhaseKind, Ramp, RampSchedule
from trainer.errors import PatternError

FRAME_S = 1 / 60


@pytest.fixture
def ramp() -> Ramp:
    return Ramp(start_bpm=7.0, target_bpm=5.5, minutes=5)


def test_the_rate_eases_from_start_to_target_and_stays(coherent, ramp) -> None:
    schedule = RampSchedule(coherent, ramp)
    assert schedule.rate_at(0.0) == pytest.approx(7.0)
    assert schedule.rate_at(150.0) == pytest.approx(6.25)  # half-way: the mean of the two
    assert schedule.rate_at(300.0) == pytest.approx(5.5)
    assert schedule.rate_at(900.0) == pytest.approx(5.5)
    rates = [schedule.rate_at(t) for t in np.arange(0, 300, 1.0)]
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(rates))  # never speeds up


def test_breaths_taken_are_the_integral_of_the_rate(coherent, ramp) -> None:
    schedule = RampSchedule(coherent, ramp)
    times = np.linspace(0, 600, 600_001)
    rates = np.array([schedule.rate_at(float(t)) for t in times[::1000]])
    # Trapezoid check on a coarse grid, against the closed form.
    coarse = times[::1000]
    numeric = np.trapezoid(rates, coarse) / 60.0
    assert schedule.cycles_at(600.0) == pytest.approx(numeric, rel=1e-4)
    # After the ramp, breaths accrue at the target rate exactly.
    assert schedule.cycles_at(420.0) - schedule.cycles_at(360.0) == pytest.approx(5.5)


def test_level_moves_at_most_a_little_between_60_hz_frames(coherent, ramp) -> None:
    schedule = RampSchedule(coherent, ramp)
    levels = np.array([schedule.state_at(i * FRAME_S).level for i in range(60 * 420)])
    steps = np.abs(np.diff(levels))
    # The fastest the eased level can move: pi/2 per phase, over a 60/7/2 s inhale at 7/min.
    bound = (math.pi / 2) / (60 / 7 / 2) * FRAME_S
    assert steps.max() <= bound * 1.01
    assert steps.max() > bound * 0.5  # the check is not vacuous: the pacer really moves


CYCLIC_SIGHING = BreathingPattern.from_dict(
    {
        "phases": [
            {"kind": "inhale", "seconds": 2.5, "to_level": 0.8},
            {"kind": "inhale", "seconds": 1.0},
            {"kind": "exhale", "seconds": 6.0},
        ]
    }
)


@pytest.mark.parametrize(
    "pattern_name", ["coherent", "box", "cyclic sighing (a 1 s top-up)", "7-11"]
)
@pytest.mark.parametrize(
    ("start", "target", "minutes"),
    [(7.0, 5.5, 5.0), (4.0, 6.0, 2.0), (10.0, 4.5, 1.0)],  # slowing, quickening, steep
)
def test_no_pattern_or_ramp_ever_jumps_between_60_hz_frames(
    coherent, box, pattern_name, start, target, minutes
) -> None:
    pattern = {
        "coherent": coherent,
        "box": box,
        "cyclic sighing (a 1 s top-up)": CYCLIC_SIGHING,
        "7-11": BreathingPattern.from_dict(
            {"phases": [{"kind": "inhale", "seconds": 7}, {"kind": "exhale", "seconds": 11}]}
        ),
    }[pattern_name]
    schedule = RampSchedule(pattern, Ramp(start, target, minutes))
    frames = round((minutes + 1) * 60 / FRAME_S)
    levels = np.array([schedule.state_at(i * FRAME_S).level for i in range(frames)])
    steps = np.abs(np.diff(levels))
    # The bound: the same pattern played steadily at the fastest rate of the ramp.
    fastest = max(start, target) / pattern.rate_bpm
    steady = np.array(
        [pattern.state_at(i * FRAME_S * fastest).level for i in range(round(pattern.cycle_s * 60))]
    )
    bound = np.abs(np.diff(steady)).max()
    assert steps.max() <= bound * 1.02
    assert steps.max() < 0.05  # well under a twentieth of the pacer's range per frame


def test_a_ramp_keeps_the_patterns_proportions_and_counts_cycles(box) -> None:
    schedule = RampSchedule(box, Ramp(start_bpm=3.75, target_bpm=3.0, minutes=2))
    first = schedule.state_at(0.0)
    assert (first.kind, first.cycle, first.level) == (PhaseKind.INHALE, 0, 0.0)
    # At the start rate the first inhale lasts 4 s: 2 s in, half-way, with about 2 s left.
    early = schedule.state_at(2.0)
    assert early.kind is PhaseKind.INHALE
    assert early.fraction == pytest.approx(0.5, abs=0.01)
    assert early.phase_remaining_s == pytest.approx(2.0, abs=0.05)
    late = schedule.state_at(schedule.time_for_cycles(10) + 1e-6)
    assert late.cycle == 10
    assert late.kind is PhaseKind.INHALE


def test_time_for_cycles_inverts_cycles_at(coherent, ramp) -> None:
    schedule = RampSchedule(coherent, ramp)
    for cycles in (1, 7.5, 30, 31):
        assert schedule.cycles_at(schedule.time_for_cycles(cycles)) == pytest.approx(cycles)


def test_minutes_become_whole_breaths_of_the_ramp(coherent, ramp) -> None:
    schedule = RampSchedule(coherent, ramp)
    count = schedule.cycles_for_minutes(5)
    assert count == round(schedule.cycles_at(300.0))
    assert 5 * 5.5 < count < 5 * 7


@pytest.mark.parametrize(
    ("start", "target", "minutes", "message"),
    [
        (0.5, 5.5, 5, "starting rate"),
        (7.0, 31.0, 5, "target rate"),
        (7.0, 5.5, 0, "more than 0"),
        (7.0, 5.5, 61, "at most 60"),
        (math.nan, 5.5, 5, "starting rate"),
    ],
)
def test_impossible_ramps_are_refused(start, target, minutes, message) -> None:
    with pytest.raises(PatternError, match=message):
        Ramp(start, target, minutes)


def test_a_ramp_plan_uses_the_ramp_schedule(coherent, ramp) -> None:
    from trainer.content.catalog import Exercise

    exercise = Exercise("x", "X", "d", "", coherent)
    plan = exercise.plan(10, ramp=ramp)
    schedule = RampSchedule(coherent, ramp)
    assert plan.cycles == schedule.cycles_for_minutes(10)
    assert plan.planned_s == pytest.approx(schedule.time_for_cycles(plan.cycles))
    assert plan.settings()["ramp"] == {"start_bpm": 7.0, "target_bpm": 5.5, "minutes": 5}
    assert isinstance(plan.schedule(), RampSchedule)


def test_a_ramp_leaves_the_pattern_it_eases_untouched(coherent: BreathingPattern, ramp) -> None:
    before = coherent.to_dict()
    schedule = RampSchedule(coherent, ramp)
    for t in (0.0, 100.0, 400.0):
        schedule.state_at(t)
    assert coherent.to_dict() == before
    assert coherent.rate_bpm == 6.0
    assert schedule.rate_at(0.0) == 7.0  # the schedule, not the pattern, carries the ramp


def test_ease_in_starts_quicker_and_reaches_the_pace_by_half_way(coherent, box) -> None:
    from trainer.content.breathing import ease_in_ramp

    ramp = ease_in_ramp(coherent, 10)
    assert (ramp.start_bpm, ramp.target_bpm, ramp.minutes) == (7.5, 6.0, 5.0)
    assert ease_in_ramp(coherent, 3).minutes == 1.5
    assert ease_in_ramp(box, 1).target_bpm == 3.75
    with pytest.raises(PatternError):
        ease_in_ramp(coherent, 0)
