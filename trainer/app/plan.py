"""Plan building: the person's choices for a breathing exercise -> the :class:`SessionPlan`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from trainer.content.breathing import MAX_RATE_BPM, Ramp, ease_in_ramp
from trainer.content.catalog import Exercise
from trainer.session.machine import SessionPlan

MIN_BREATHS: Final = 1
MAX_BREATHS: Final = 100
MIN_RAMP_MINUTES: Final = 0.5


@dataclass(frozen=True)
class PlanChoices:
    """What the person chose for one exercise; ``None`` where nothing was chosen yet."""

    minutes: int | None = None
    breaths: int | None = None
    by_breaths: bool | None = None  # None: as the exercise suggests (4-7-8 counts breaths)
    no_holds: bool = False
    ease_in: bool = False
    ramp: tuple[float, float] | None = None  # (start rate in breaths/min, minutes)


def minutes_for(choices: PlanChoices, default_minutes: int) -> int:
    """The length in minutes (used when not counting breaths)."""
    return default_minutes if choices.minutes is None else choices.minutes


def counts_breaths(exercise: Exercise, choices: PlanChoices) -> bool:
    """Whether the length is a number of breaths (an exercise that suggests a count starts so)."""
    if choices.by_breaths is None:
        return exercise.suggested_cycles is not None
    return choices.by_breaths


def breaths_for(exercise: Exercise, choices: PlanChoices, default_minutes: int) -> int:
    """The number of breaths: the one chosen, else the exercise's suggestion, else as many as
    fit the minutes chosen (kept within 1-100)."""
    if choices.breaths is not None:
        return choices.breaths
    if exercise.suggested_cycles is not None:
        return exercise.suggested_cycles
    cycles = exercise.plan(minutes_for(choices, default_minutes)).cycles
    return min(MAX_BREATHS, max(MIN_BREATHS, cycles))


def ramp_for(choices: PlanChoices, plan: SessionPlan) -> Ramp:
    """The ease-in into ``plan`` (by default a gentle one): it starts no slower than the pace
    and no faster than the fastest rate, and lasts half a minute at least and never longer
    than the session."""
    target = plan.pattern.rate_bpm
    session_min = plan.planned_s / 60
    if choices.ramp is None:
        default = ease_in_ramp(plan.pattern, session_min)
        start, minutes = default.start_bpm, default.minutes
    else:
        start, minutes = choices.ramp
    start = min(MAX_RATE_BPM, max(target, start))
    return Ramp(start, target, max(MIN_RAMP_MINUTES, min(minutes, session_min)))


def build_plan(exercise: Exercise, choices: PlanChoices, default_minutes: int) -> SessionPlan:
    """The session ``choices`` give for ``exercise``: its length in minutes or breaths, without
    holds if asked, eased in if asked."""
    by_breaths = counts_breaths(exercise, choices)
    minutes = minutes_for(choices, default_minutes)
    no_holds = choices.no_holds
    if by_breaths:
        plan = exercise.plan(
            cycles=breaths_for(exercise, choices, default_minutes), no_holds=no_holds
        )
    else:
        plan = exercise.plan(minutes, no_holds=no_holds)
    if not choices.ease_in:
        return plan
    ramp = ramp_for(choices, plan)
    if by_breaths:
        return exercise.plan(cycles=plan.cycles, no_holds=no_holds, ramp=ramp)
    return exercise.plan(minutes, no_holds=no_holds, ramp=ramp)
