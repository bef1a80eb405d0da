"""A person's own breathing pattern as typed into the editor, and the rules it must meet.

The editor offers four phases (in, hold after in, out, hold after out) in tenths of a second (the
arrows move half a second). Every rule gives a message in plain words, so the editor can show all
of them at once. Tenths, not halves: a pace kept by Find my pace (6.5 breaths a minute is 4.615 s
in and out) rounds to 4.6 s, which keeps its rate within a few hundredths of a breath a minute,
where halves would move it by half a breath (4.5 s is 6.7 a minute).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from trainer.app.words import seconds_text
from trainer.content.breathing import (
    MAX_CYCLE_S,
    MAX_HOLD_S,
    MIN_BREATH_S,
    MIN_CYCLE_S,
    BreathingPattern,
    Phase,
    PhaseKind,
)

STEP_S: Final = 0.1  # the finest step a phase may take
ARROW_STEP_S: Final = 0.5  # what the editor's arrow keys add or take away
MAX_NAME_CHARS: Final = 40


def _fmt(seconds: float) -> str:
    return seconds_text(seconds)


def _finite_or_inf(seconds: float) -> float:
    """``seconds`` as a float; a whole number too large for one (10**400) is infinite."""
    try:
        return float(seconds)
    except OverflowError:
        return math.inf


@dataclass(frozen=True)
class PatternDraft:
    """The editor's fields: a name and seconds for each of the four phases."""

    name: str
    inhale_s: float
    hold_in_s: float
    exhale_s: float
    hold_out_s: float

    @property
    def cycle_s(self) -> float:
        """Seconds for one whole breath."""
        parts = (self.inhale_s, self.hold_in_s, self.exhale_s, self.hold_out_s)
        return sum(_finite_or_inf(part) for part in parts)

    @property
    def rate_bpm(self) -> float | None:
        """Breaths a minute, or None when the cycle has no length."""
        return 60.0 / self.cycle_s if self.cycle_s > 0 else None

    def problems(self, taken_names: Iterable[str] = ()) -> list[str]:
        """Every rule this draft breaks (empty when it can be saved).

        ``taken_names`` are the names already in use (other saved patterns and the presets);
        they are compared without regard to case or surrounding spaces.
        """
        found: list[str] = []
        name = self.name.strip()
        if not name:
            found.append("Give the pattern a name.")
        elif len(name) > MAX_NAME_CHARS:
            found.append(f"Keep the name to {MAX_NAME_CHARS} characters or fewer.")
        elif name.casefold() in {t.strip().casefold() for t in taken_names}:
            found.append(f"The name “{name}” is already used; choose another.")
        fields = (
            ("Breathing in", self.inhale_s, MIN_BREATH_S, None),
            ("The hold after breathing in", self.hold_in_s, 0.0, MAX_HOLD_S),
            ("Breathing out", self.exhale_s, MIN_BREATH_S, None),
            ("The hold after breathing out", self.hold_out_s, 0.0, MAX_HOLD_S),
        )
        for label, given, low, high in fields:
            seconds = _finite_or_inf(given)
            if not math.isfinite(seconds):
                found.append(f"{label} needs a number of seconds.")
                continue
            if seconds < low:
                if low > 0:
                    found.append(f"{label} needs at least {_fmt(low)}.")
                else:
                    found.append(f"{label} cannot be negative.")
            elif high is not None and seconds > high:
                found.append(f"{label} can last at most {_fmt(high)}.")
            steps = seconds / STEP_S  # inf for 1e308 s, which is already too long
            if math.isfinite(steps) and not math.isclose(steps, round(steps), abs_tol=1e-9):
                found.append(f"{label} must be in steps of {_fmt(STEP_S)}.")
        cycle = self.cycle_s
        if math.isfinite(cycle) and not MIN_CYCLE_S <= cycle <= MAX_CYCLE_S:
            found.append(
                f"One breath lasts {_fmt(cycle)}; it must last from {_fmt(MIN_CYCLE_S)} to "
                f"{_fmt(MAX_CYCLE_S)} (1 to 30 breaths a minute)."
            )
        return found

    def rounded(self) -> PatternDraft:
        """The same draft with each phase rounded to the nearest :data:`STEP_S` (a finite,
        non-negative phase only; others are left for :meth:`problems` to name)."""

        def nearest(seconds: float) -> float:
            value = _finite_or_inf(seconds)
            if not math.isfinite(value) or value < 0:
                return seconds
            return round(round(value / STEP_S) * STEP_S, 1)

        return PatternDraft(
            self.name,
            nearest(self.inhale_s),
            nearest(self.hold_in_s),
            nearest(self.exhale_s),
            nearest(self.hold_out_s),
        )

    def to_pattern(self) -> BreathingPattern:
        """The pattern (zero-second holds left out); raises PatternError if it is invalid."""
        return BreathingPattern(
            [
                Phase(PhaseKind.INHALE, self.inhale_s),
                Phase(PhaseKind.HOLD, self.hold_in_s),
                Phase(PhaseKind.EXHALE, self.exhale_s),
                Phase(PhaseKind.HOLD, self.hold_out_s),
            ]
        )

    @classmethod
    def from_pattern(cls, name: str, pattern: BreathingPattern) -> PatternDraft | None:
        """The draft for a pattern of the editor's shape (in, hold?, out, hold?), else None."""
        kinds = [p.kind for p in pattern.phases]
        seconds = [p.seconds for p in pattern.phases]
        if any(p.to_level is not None for p in pattern.phases):
            return None
        i, h, e = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE
        shapes = {
            (i, e): (0, None, 1, None),
            (i, h, e): (0, 1, 2, None),
            (i, e, h): (0, None, 1, 2),
            (i, h, e, h): (0, 1, 2, 3),
        }
        slots = shapes.get(tuple(kinds))
        if slots is None:
            return None

        def pick(slot: int | None) -> float:
            return 0.0 if slot is None else seconds[slot]

        return cls(name, pick(slots[0]), pick(slots[1]), pick(slots[2]), pick(slots[3]))
