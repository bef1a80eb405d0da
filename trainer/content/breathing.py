"""Breathing patterns and the pure function from practice time to the pacer's state.

A pattern is an ordered list of phases (inhale, hold, exhale), each lasting some seconds. The
pacer level runs from 0 (empty lungs, smallest shape) to 1 (full lungs, largest shape). Within a
phase the level moves with a cosine ease, so its speed is zero at every phase boundary: the shape
never lurches.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from trainer.errors import PatternError

MIN_BREATH_S: Final = 1.0
MAX_HOLD_S: Final = 20.0
MIN_CYCLE_S: Final = 2.0
MAX_CYCLE_S: Final = 60.0


class PhaseKind(StrEnum):
    """What the breath does during a phase."""

    INHALE = "inhale"
    HOLD = "hold"
    EXHALE = "exhale"


@dataclass(frozen=True)
class Phase:
    """One phase of a breathing cycle.

    ``to_level`` is where the pacer ends this phase (0..1). Left as ``None`` it is 1 for an
    inhale, 0 for an exhale, and unchanged for a hold; a value lets a pattern take two inhales
    (a first one to 0.7, a short top-up to 1.0), as in cyclic sighing.
    """

    kind: PhaseKind
    seconds: float
    to_level: float | None = None


@dataclass(frozen=True)
class PacerState:
    """Where the pacer is at one moment of practice."""

    phase_index: int
    kind: PhaseKind
    fraction: float  # 0..1 through the current phase
    cycle: int  # number of whole cycles completed before this one
    level: float  # 0 (smallest) .. 1 (largest)
    phase_remaining_s: float


def ease(fraction: float) -> float:
    """Cosine ease-in-out on 0..1: starts and ends with zero speed."""
    return (1.0 - math.cos(math.pi * fraction)) / 2.0


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PatternError(f"{what} must be a number of seconds; got {value!r}.")
    try:
        number = float(value)
    except OverflowError:  # a whole number beyond any float, such as 10**400
        raise PatternError(
            f"{what} must be a finite number of seconds; got a huge number."
        ) from None
    if not math.isfinite(number):
        raise PatternError(f"{what} must be a finite number of seconds; got {value!r}.")
    return number


class BreathingPattern:
    """A validated breathing cycle; see the module docstring for the level model."""

    def __init__(self, phases: Sequence[Phase]) -> None:
        # Zero-second holds are dropped; messages still count phases as the caller wrote them.
        numbered = [
            (number, p)
            for number, p in enumerate(phases, start=1)
            if not (p.kind is PhaseKind.HOLD and p.seconds == 0)
        ]
        kept = tuple(p for _, p in numbered)
        self._validate(phases, kept)  # before float(): "four" or None must be a PatternError
        kept = tuple(Phase(p.kind, float(p.seconds), p.to_level) for p in kept)
        self.phases: tuple[Phase, ...] = kept
        self._starts_s: list[float] = []
        self._from_levels: list[float] = []
        self._to_levels: list[float] = []
        elapsed = 0.0
        level = self._cycle_start_level(kept)
        for (index, _), phase in zip(numbered, kept, strict=True):
            end = self._end_level(phase, level)
            if phase.kind is PhaseKind.INHALE and end <= level:
                raise PatternError(
                    f"Phase {index} is an inhale, so it must make the pacer grow "
                    f"(from {level:g} to more than {level:g})."
                )
            if phase.kind is PhaseKind.EXHALE and end >= level:
                raise PatternError(
                    f"Phase {index} is an exhale, so it must make the pacer shrink "
                    f"(from {level:g} to less than {level:g})."
                )
            self._starts_s.append(elapsed)
            self._from_levels.append(level)
            self._to_levels.append(end)
            elapsed += phase.seconds
            level = end
        self.cycle_s: float = elapsed

    @staticmethod
    def _validate(given: Sequence[Phase], kept: Sequence[Phase]) -> None:
        if not kept:
            raise PatternError("A breathing pattern needs at least one inhale and one exhale.")
        for index, phase in enumerate(given, start=1):
            if not isinstance(phase.kind, PhaseKind):
                raise PatternError(f"Phase {index} has an unknown kind {phase.kind!r}.")
            seconds = _number(phase.seconds, f"Phase {index} ({phase.kind.value})")
            if phase.kind is PhaseKind.HOLD:
                if not 0 <= seconds <= MAX_HOLD_S:
                    raise PatternError(
                        f"Phase {index} is a hold of {seconds:g} s; holds last from 0 to "
                        f"{MAX_HOLD_S:g} seconds."
                    )
            elif seconds < MIN_BREATH_S:
                raise PatternError(
                    f"Phase {index} is an {phase.kind.value} of {seconds:g} s; an "
                    f"{phase.kind.value} lasts at least {MIN_BREATH_S:g} second."
                )
            if phase.to_level is not None:
                level = _number(phase.to_level, f"Phase {index}'s level")
                if not 0.0 <= level <= 1.0:
                    raise PatternError(f"Phase {index}'s level must be from 0 to 1; got {level:g}.")
                if phase.kind is PhaseKind.HOLD:
                    raise PatternError(
                        f"Phase {index} is a hold, which keeps the level it is given."
                    )
        kinds = {p.kind for p in kept}
        if PhaseKind.INHALE not in kinds or PhaseKind.EXHALE not in kinds:
            raise PatternError("A breathing pattern needs at least one inhale and one exhale.")
        cycle_s = sum(p.seconds for p in kept)
        if not MIN_CYCLE_S <= cycle_s <= MAX_CYCLE_S:
            raise PatternError(
                f"One breath cycle lasts {cycle_s:g} s; it must last from {MIN_CYCLE_S:g} to "
                f"{MAX_CYCLE_S:g} seconds ({60 / MAX_CYCLE_S:g} to {60 / MIN_CYCLE_S:g} "
                "breaths a minute)."
            )

    @staticmethod
    def _end_level(phase: Phase, start: float) -> float:
        if phase.to_level is not None:
            return float(phase.to_level)
        if phase.kind is PhaseKind.INHALE:
            return 1.0
        if phase.kind is PhaseKind.EXHALE:
            return 0.0
        return start

    @classmethod
    def _cycle_start_level(cls, phases: Sequence[Phase]) -> float:
        """The level where a cycle begins: where the last moving phase leaves it."""
        level = 0.0
        for phase in phases:
            level = cls._end_level(phase, level)
        return level

    # -- describing ---------------------------------------------------------------------------

    @property
    def rate_bpm(self) -> float:
        """Breaths (cycles) per minute."""
        return 60.0 / self.cycle_s

    @property
    def has_holds(self) -> bool:
        """Whether any phase is a hold."""
        return any(p.kind is PhaseKind.HOLD for p in self.phases)

    def without_holds(self) -> BreathingPattern:
        """The same breath with every hold left out (holds are always optional)."""
        return BreathingPattern([p for p in self.phases if p.kind is not PhaseKind.HOLD])

    def describe(self) -> str:
        """A compact form such as ``4-4-4-4`` (seconds of each phase, in order)."""
        return "-".join(f"{p.seconds:g}" for p in self.phases)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BreathingPattern) and self.phases == other.phases

    def __hash__(self) -> int:
        return hash(self.phases)

    def __repr__(self) -> str:
        return f"BreathingPattern({self.describe()}, {self.rate_bpm:.2f}/min)"

    def same_shape(self, other: BreathingPattern) -> bool:
        """Whether both patterns move through the same phases and levels (maybe at other speeds)."""
        return (
            len(self.phases) == len(other.phases)
            and all(a.kind is b.kind for a, b in zip(self.phases, other.phases, strict=True))
            and self._to_levels == other._to_levels
        )

    def at_rate(self, rate_bpm: float) -> BreathingPattern:
        """The same pattern with every phase stretched or shortened to ``rate_bpm``."""
        rate = _number(rate_bpm, "The rate")
        if rate <= 0:
            raise PatternError(f"A breathing rate must be above 0 breaths a minute; got {rate:g}.")
        factor = (60.0 / rate) / self.cycle_s
        return BreathingPattern(
            [Phase(p.kind, p.seconds * factor, p.to_level) for p in self.phases]
        )

    def cycles_for_minutes(self, minutes: float) -> int:
        """Whole cycles closest to ``minutes`` (at least one), so a session ends on an exhale."""
        if not math.isfinite(minutes) or minutes <= 0:
            raise PatternError(f"A session lasts more than 0 minutes; got {minutes!r}.")
        return max(1, math.floor(minutes * 60.0 / self.cycle_s + 0.5))  # halves round up

    # -- the pure function ----------------------------------------------------------------------

    def state_at(self, elapsed_s: float) -> PacerState:
        """The pacer's state ``elapsed_s`` seconds into this pattern (cycles repeat forever).

        At an exact phase boundary the new phase has begun, with ``fraction`` 0.
        """
        if not math.isfinite(elapsed_s) or elapsed_s < 0:
            raise ValueError(f"elapsed time must be a finite number >= 0; got {elapsed_s!r}")
        cycle_f, within_s = divmod(elapsed_s, self.cycle_s)
        index = bisect_right(self._starts_s, within_s) - 1
        phase = self.phases[index]
        into_s = within_s - self._starts_s[index]
        fraction = min(1.0, max(0.0, into_s / phase.seconds))
        start, end = self._from_levels[index], self._to_levels[index]
        level = start + (end - start) * ease(fraction)
        return PacerState(
            phase_index=index,
            kind=phase.kind,
            fraction=fraction,
            cycle=int(cycle_f),
            level=level,
            phase_remaining_s=max(0.0, phase.seconds - into_s),
        )

    def offset_of(self, cycle: int, phase_index: int, fraction: float) -> float:
        """The pattern time at which ``state_at`` reaches this cycle, phase and fraction."""
        offset = (
            cycle * self.cycle_s
            + self._starts_s[phase_index]
            + fraction * self.phases[phase_index].seconds
        )
        # Rounding can land a hair before a phase boundary, in the previous phase (or cycle):
        # step up to the first float that state_at places in the phase asked for.
        for _ in range(64):
            state = self.state_at(offset)
            if (state.cycle, state.phase_index) >= (cycle, phase_index):
                break
            offset = math.nextafter(offset, math.inf)
        return offset

    # -- data -----------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON or TOML; :meth:`from_dict` reads it back."""
        phases: list[dict[str, object]] = []
        for p in self.phases:
            item: dict[str, object] = {"kind": p.kind.value, "seconds": p.seconds}
            if p.to_level is not None:
                item["to_level"] = p.to_level
            phases.append(item)
        return {"phases": phases}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> BreathingPattern:
        """Build a pattern from plain data, with a :class:`PatternError` for anything amiss."""
        raw = data.get("phases") if isinstance(data, Mapping) else None
        if not isinstance(raw, list) or not raw:
            raise PatternError("A breathing pattern needs a list of phases.")
        phases: list[Phase] = []
        for index, item in enumerate(raw, start=1):
            if not isinstance(item, Mapping):
                raise PatternError(f"Phase {index} must be a table with a kind and seconds.")
            unknown = set(item) - {"kind", "seconds", "to_level"}
            if unknown:  # a key holding a line break is shown quoted: the message is one line
                shown = (k if k.isprintable() else repr(k) for k in sorted(map(str, unknown)))
                raise PatternError(f"Phase {index} has unknown keys: {', '.join(shown)}.")
            try:
                kind = PhaseKind(str(item.get("kind")))
            except ValueError:
                allowed = ", ".join(k.value for k in PhaseKind)
                raise PatternError(
                    f"Phase {index} has kind {item.get('kind')!r}; use one of {allowed}."
                ) from None
            if "seconds" not in item:
                raise PatternError(f"Phase {index} ({kind.value}) needs its seconds.")
            seconds = _number(item["seconds"], f"Phase {index} ({kind.value})")
            to_level = item.get("to_level")
            level = None if to_level is None else _number(to_level, f"Phase {index}'s level")
            phases.append(Phase(kind, seconds, level))
        return cls(phases)


@dataclass(frozen=True)
class _Segment:
    start_s: float  # practice time at which this pattern took over
    pattern: BreathingPattern
    offset_s: float  # pattern time at start_s


class PacerTimeline:
    """Practice seconds -> pacer state, across changes of rate, without a jump.

    Practice time stops while a session is paused, so the pacer freezes and resumes where it was.
    A change of rate keeps the cycle count, the phase and the fraction through it, so the level is
    the same the instant before and after the change.
    """

    def __init__(self, pattern: BreathingPattern) -> None:
        self._segments: list[_Segment] = [_Segment(0.0, pattern, 0.0)]

    @property
    def pattern(self) -> BreathingPattern:
        """The pattern in force from the latest change on."""
        return self._segments[-1].pattern

    def _segment_for(self, practice_s: float) -> _Segment:
        starts = [s.start_s for s in self._segments]
        return self._segments[max(0, bisect_right(starts, practice_s) - 1)]

    def rate_at(self, practice_s: float) -> float:
        """Breaths a minute at ``practice_s``."""
        return self._segment_for(practice_s).pattern.rate_bpm

    def state_at(self, practice_s: float) -> PacerState:
        """The pacer's state at ``practice_s`` seconds of practice."""
        segment = self._segment_for(practice_s)
        return segment.pattern.state_at(segment.offset_s + (practice_s - segment.start_s))

    def change_pattern(self, pattern: BreathingPattern, at_practice_s: float) -> None:
        """From ``at_practice_s`` on, breathe ``pattern`` (the same phases at another pace)."""
        last = self._segments[-1]
        if at_practice_s < last.start_s:
            raise ValueError("a pattern change cannot be placed before the previous one")
        if not last.pattern.same_shape(pattern):
            raise PatternError(
                "The pace can change during a session, but not the kind of breath: the new "
                "pattern must have the same phases in the same order."
            )
        now = self.state_at(at_practice_s)
        offset = pattern.offset_of(now.cycle, now.phase_index, now.fraction)
        self._segments.append(_Segment(at_practice_s, pattern, offset))


MIN_RATE_BPM: Final = 60.0 / MAX_CYCLE_S
MAX_RATE_BPM: Final = 60.0 / MIN_CYCLE_S


@dataclass(frozen=True)
class Ramp:
    """Slow (or quicken) the breath smoothly from ``start_bpm`` to ``target_bpm``.

    The rate follows a cosine ease over ``minutes``, then stays at the target.
    """

    start_bpm: float
    target_bpm: float
    minutes: float

    def __post_init__(self) -> None:
        for what, rate in (("starting", self.start_bpm), ("target", self.target_bpm)):
            if not math.isfinite(rate) or not MIN_RATE_BPM <= rate <= MAX_RATE_BPM:
                raise PatternError(
                    f"The {what} rate must be from {MIN_RATE_BPM:g} to {MAX_RATE_BPM:g} breaths "
                    f"a minute; got {rate:g}."
                )
        if not math.isfinite(self.minutes) or not 0 < self.minutes <= 60:
            raise PatternError(
                f"A ramp lasts more than 0 and at most 60 minutes; got {self.minutes:g}."
            )

    @property
    def ramp_s(self) -> float:
        """Seconds over which the rate changes."""
        return self.minutes * 60.0

    def to_dict(self) -> dict[str, float]:
        """Plain data for the session's settings."""
        return {"start_bpm": self.start_bpm, "target_bpm": self.target_bpm, "minutes": self.minutes}


class RampSchedule:
    """Practice seconds -> pacer state while the rate eases from one value to another.

    The number of breaths taken is the integral of the rate, which is continuous, so the pacer
    level never jumps however the rate moves. Every breath keeps the pattern's proportions.
    """

    def __init__(self, pattern: BreathingPattern, ramp: Ramp) -> None:
        self.pattern = pattern
        self.ramp = ramp

    def rate_at(self, practice_s: float) -> float:
        """Breaths a minute at ``practice_s``."""
        r0, r1, big_t = self.ramp.start_bpm, self.ramp.target_bpm, self.ramp.ramp_s
        if practice_s >= big_t:
            return r1
        return r0 + (r1 - r0) * ease(max(0.0, practice_s) / big_t)

    def cycles_at(self, practice_s: float) -> float:
        """Breaths taken (whole and part) by ``practice_s``."""
        r0, r1, big_t = self.ramp.start_bpm, self.ramp.target_bpm, self.ramp.ramp_s
        t = max(0.0, practice_s)
        within = min(t, big_t)
        # The integral of r0 + (r1 - r0) * (1 - cos(pi t / T)) / 2 from 0 to t, in breaths.
        eased = within / 2.0 - big_t / (2.0 * math.pi) * math.sin(math.pi * within / big_t)
        cycles = (r0 * within + (r1 - r0) * eased) / 60.0
        if t > big_t:
            cycles += r1 * (t - big_t) / 60.0
        return cycles

    def time_for_cycles(self, cycles: float) -> float:
        """Practice seconds at which ``cycles`` breaths are complete."""
        low, high = 0.0, 1.0
        while self.cycles_at(high) < cycles:
            high *= 2.0
        for _ in range(200):  # bisection: cycles_at is strictly increasing
            mid = (low + high) / 2.0
            if self.cycles_at(mid) < cycles:
                low = mid
            else:
                high = mid
            if high - low < 1e-9:
                break
        return high

    def cycles_for_minutes(self, minutes: float) -> int:
        """Whole breaths closest to ``minutes`` of practice (at least one)."""
        if not math.isfinite(minutes) or minutes <= 0:
            raise PatternError(f"A session lasts more than 0 minutes; got {minutes!r}.")
        return max(1, math.floor(self.cycles_at(minutes * 60.0) + 0.5))

    def state_at(self, practice_s: float) -> PacerState:
        """The pacer's state at ``practice_s`` seconds of practice."""
        if not math.isfinite(practice_s) or practice_s < 0:
            raise ValueError(f"elapsed time must be a finite number >= 0; got {practice_s!r}")
        done = self.cycles_at(practice_s)
        whole = math.floor(done)
        inside = self.pattern.state_at((done - whole) * self.pattern.cycle_s)
        stretch = (60.0 / self.rate_at(practice_s)) / self.pattern.cycle_s
        return PacerState(
            phase_index=inside.phase_index,
            kind=inside.kind,
            fraction=inside.fraction,
            cycle=whole,
            level=inside.level,
            phase_remaining_s=inside.phase_remaining_s * stretch,
        )


EASE_IN_EXTRA_BPM: Final = 1.5  # an ease-in starts this much quicker than the pattern's pace
EASE_IN_MAX_MINUTES: Final = 5.0


def ease_in_ramp(pattern: BreathingPattern, session_minutes: float) -> Ramp:
    """A gentle ramp into ``pattern``: start a little quicker, slow to its pace.

    The ramp takes half the session, at most five minutes, so at least half is at the pace.
    """
    if not math.isfinite(session_minutes) or session_minutes <= 0:
        raise PatternError(f"A session lasts more than 0 minutes; got {session_minutes!r}.")
    target = pattern.rate_bpm
    start = min(MAX_RATE_BPM, target + EASE_IN_EXTRA_BPM)
    return Ramp(start, target, min(EASE_IN_MAX_MINUTES, session_minutes / 2))
