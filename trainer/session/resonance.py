"""The resonance-rate finder: a guided run through slow breathing rates, scored after each.

Adults' resonance rate is usually between 4.5 and 6.5 breaths a minute. The protocol breathes
about two minutes at each rate from 6.5 down to 4.5 in steps of 0.5, with a short rest between,
and asks after each step how easy and calming it felt (0-10). Shaffer & Meehan (2020) choose the
rate by heart-rate criteria; without a sensor this finds a comfortable slow pace, not a measured
resonance rate (see CLINICAL.md). A "best" pace is named only when at least
:data:`MIN_RATED_FOR_BEST` paces were rated; the highest-rated one can still be kept as a personal
"My resonance" pattern. Scores are stored per criterion, so a heart-rate measure can be added
beside the self-report later.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final

from trainer.content.breathing import BreathingPattern, PacerState, Phase, PhaseKind
from trainer.errors import PatternError, TransitionError
from trainer.listeners import Listeners
from trainer.session.clock import Clock
from trainer.session.ratings import validate_rating

FINDER_RATES_BPM: Final = (6.5, 6.0, 5.5, 5.0, 4.5)
STEP_S: Final = 120.0
REST_S: Final = 20.0
EASE_CALM: Final = "ease_calm"  # the self-reported criterion: how easy and calming, 0-10
INHALE_SHARE: Final = 0.5  # even breaths, like the coherent and resonance presets
MIN_RATED_FOR_BEST: Final = 3  # fewer rated paces leave nothing to compare a "best" against
CLOSE_POINTS: Final = 1.0  # paces scored within this much of the top one felt about as good


def resonance_pattern(rate_bpm: float) -> BreathingPattern:
    """Breathing at ``rate_bpm`` with the out-breath a little longer than the in-breath."""
    if not math.isfinite(rate_bpm) or not 1.0 <= rate_bpm <= 30.0:
        raise PatternError(f"A resonance rate must be 1 to 30 breaths a minute; got {rate_bpm!r}.")
    cycle_s = 60.0 / rate_bpm
    inhale_s = cycle_s * INHALE_SHARE
    return BreathingPattern(
        [Phase(PhaseKind.INHALE, inhale_s), Phase(PhaseKind.EXHALE, cycle_s - inhale_s)]
    )


@dataclass(frozen=True)
class StepResult:
    """One rate tried: how long it was breathed and its scores by criterion."""

    rate_bpm: float
    practised_s: float
    scores: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ResonanceRun:
    """A finder run as stored: every step tried, whether it reached the end."""

    started_at: datetime
    ended_at: datetime | None
    completed: bool
    steps: tuple[StepResult, ...]
    run_id: int | None = None

    def rated(self, criterion: str = EASE_CALM) -> tuple[StepResult, ...]:
        """The steps that have a score for ``criterion``."""
        return tuple(s for s in self.steps if criterion in s.scores)

    def top_rated_bpm(self, criterion: str = EASE_CALM) -> float | None:
        """The rate with the highest score, however few were rated; ties go to the faster
        (less effortful) rate."""
        scored = self.rated(criterion)
        if not scored:
            return None
        return max(scored, key=lambda s: (s.scores[criterion], s.rate_bpm)).rate_bpm

    def best_bpm(self, criterion: str = EASE_CALM) -> float | None:
        """The best rate: the top-rated one, but only when at least :data:`MIN_RATED_FOR_BEST`
        rates were rated (with fewer there is nothing to call it best against)."""
        if len(self.rated(criterion)) < MIN_RATED_FOR_BEST:
            return None
        return self.top_rated_bpm(criterion)

    def close_to_best_bpm(self, criterion: str = EASE_CALM) -> tuple[float, ...]:
        """The other rated rates scored within :data:`CLOSE_POINTS` of the best, fastest first:
        with the best, a band of paces that felt about as good (empty when no best is named)."""
        best = self.best_bpm(criterion)
        if best is None:
            return ()
        top = max(s.scores[criterion] for s in self.rated(criterion))
        return tuple(
            sorted(
                (
                    s.rate_bpm
                    for s in self.rated(criterion)
                    if s.rate_bpm != best and top - s.scores[criterion] <= CLOSE_POINTS
                ),
                reverse=True,
            )
        )


class FinderState(StrEnum):
    """Where a finder run is."""

    READY = "ready"
    BREATHING = "breathing"
    RATING = "rating"
    RESTING = "resting"
    PAUSED = "paused"
    DONE = "done"
    STOPPED = "stopped"


class ResonanceFinder:
    """Runs the protocol on an injected clock; the screen calls :meth:`update` every frame."""

    def __init__(
        self,
        *,
        clock: Clock,
        utc_now: Callable[[], datetime],
        rates_bpm: Sequence[float] = FINDER_RATES_BPM,
        step_s: float = STEP_S,
        rest_s: float = REST_S,
    ) -> None:
        if not rates_bpm:
            raise ValueError("the finder needs at least one rate")
        self._clock = clock
        self._utc_now = utc_now
        self.rates_bpm = tuple(float(r) for r in rates_bpm)
        self.patterns = tuple(resonance_pattern(r) for r in self.rates_bpm)
        self.step_s = step_s
        self.rest_s = rest_s
        self.state = FinderState.READY
        self.step_index = 0
        self.results: list[StepResult] = []
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self._banked_s = 0.0  # time in the current step or rest before the current run
        self._run_started_s: float | None = None
        self._paused_from: FinderState | None = None
        self._listeners: Listeners[FinderState] = Listeners()

    def subscribe(self, listener: Callable[[FinderState], None]) -> None:
        """Call ``listener(new_state)`` after every change of state.

        A bound method is held weakly (see :mod:`trainer.listeners`): it stops being called
        when its object goes."""
        self._listeners.add(listener)

    def _enter(self, state: FinderState) -> None:
        self.state = state
        self._listeners.notify(state)

    def _require(self, *states: FinderState) -> None:
        if self.state not in states:
            raise TransitionError(f"The resonance-rate finder cannot do that while {self.state}.")

    # -- time -----------------------------------------------------------------------------------

    @property
    def elapsed_s(self) -> float:
        """Seconds into the current step (or rest), pauses excluded."""
        running = 0.0
        if self._run_started_s is not None:
            running = self._clock.now_s() - self._run_started_s
        limit = self.step_s if self._timed_state() is FinderState.BREATHING else self.rest_s
        return min(limit, self._banked_s + running)

    def _timed_state(self) -> FinderState:
        if self.state is FinderState.PAUSED and self._paused_from is not None:
            return self._paused_from
        return self.state

    @property
    def resting(self) -> bool:
        """Whether this is a rest between paces (also while a rest is paused)."""
        return self._timed_state() is FinderState.RESTING

    @property
    def remaining_s(self) -> float:
        """Seconds left in the current step or rest."""
        limit = self.step_s if self._timed_state() is FinderState.BREATHING else self.rest_s
        return max(0.0, limit - self.elapsed_s)

    @property
    def rate_bpm(self) -> float:
        """The rate of the current (or next) step."""
        return self.rates_bpm[min(self.step_index, len(self.rates_bpm) - 1)]

    def pacer_state(self) -> PacerState:
        """The pacer during a step; at rest the pacer sits at its smallest."""
        pattern = self.patterns[min(self.step_index, len(self.patterns) - 1)]
        if self._timed_state() is FinderState.BREATHING:
            return pattern.state_at(self.elapsed_s)
        return pattern.state_at(0.0)

    def _restart_timer(self) -> None:
        self._banked_s = 0.0
        self._run_started_s = self._clock.now_s()

    # -- transitions ----------------------------------------------------------------------------

    def start(self) -> None:
        """Begin the first step."""
        self._require(FinderState.READY)
        self.started_at = self._utc_now()
        self._restart_timer()
        self._enter(FinderState.BREATHING)

    def update(self) -> None:
        """Called every frame: a finished step asks for its rating; a finished rest moves on."""
        if self.state is FinderState.BREATHING and self.elapsed_s >= self.step_s:
            self._run_started_s = None
            self._banked_s = self.step_s
            self._enter(FinderState.RATING)
        elif self.state is FinderState.RESTING and self.elapsed_s >= self.rest_s:
            self._next_step()

    def rate(self, score: object) -> None:
        """Record how easy and calming the step felt (0-10; None = skipped)."""
        self._require(FinderState.RATING)
        value = validate_rating(score, "how easy and calming it felt")
        scores = {} if value is None else {EASE_CALM: float(value)}
        self.results.append(StepResult(self.rate_bpm, self.step_s, scores))
        if len(self.results) == len(self.rates_bpm):
            self.ended_at = self._utc_now()
            self._enter(FinderState.DONE)
        else:
            self.step_index += 1
            self._restart_timer()
            self._enter(FinderState.RESTING)

    def skip_rest(self) -> None:
        """Go straight to the next step."""
        self._require(FinderState.RESTING)
        self._next_step()

    def _next_step(self) -> None:
        self._restart_timer()
        self._enter(FinderState.BREATHING)

    def pause(self) -> None:
        """Hold the step or rest where it is."""
        self._require(FinderState.BREATHING, FinderState.RESTING)
        self._banked_s = self.elapsed_s
        self._run_started_s = None
        self._paused_from = self.state
        self._enter(FinderState.PAUSED)

    def resume(self) -> None:
        """Carry on from where it was paused."""
        self._require(FinderState.PAUSED)
        assert self._paused_from is not None
        state, self._paused_from = self._paused_from, None
        self._run_started_s = self._clock.now_s()
        self._enter(state)

    def stop(self) -> None:
        """End the run early; the steps already rated are kept."""
        self._require(
            FinderState.BREATHING, FinderState.RATING, FinderState.RESTING, FinderState.PAUSED
        )
        if self.state is FinderState.RATING:  # the whole step was breathed, just not rated
            self.results.append(StepResult(self.rate_bpm, self.step_s, {}))
        elif self._timed_state() is FinderState.BREATHING and self.elapsed_s > 0:
            self.results.append(StepResult(self.rate_bpm, self.elapsed_s, {}))
        self._run_started_s = None
        self.ended_at = self._utc_now()
        self._enter(FinderState.STOPPED)

    def run(self) -> ResonanceRun:
        """The run so far, for the store."""
        if self.started_at is None:
            raise TransitionError("The resonance-rate finder has not started.")
        return ResonanceRun(
            started_at=self.started_at,
            ended_at=self.ended_at,
            completed=self.state is FinderState.DONE,
            steps=tuple(self.results),
        )
