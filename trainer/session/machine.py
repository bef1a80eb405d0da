"""The session state machine: rate before -> running <-> paused -> rate after -> saved.

A session is driven by an injected monotonic clock; practice time is the time spent running,
so a pause freezes the pacer and resuming continues it where it was. The before-ratings and the
start are written to the store the moment they are confirmed, the seconds practised every few
seconds while running (see :mod:`trainer.session.checkpoint`), and the rest when the person rates again,
so a session ended by a closed window is still kept (as abandoned), and one ended by a crash is
found at the next start (see :mod:`trainer.session.recovery`).

A demonstration (a clinician showing an exercise, or "not recorded" chosen) runs the same
machine with :class:`NotRecorded` in place of the store: it keeps nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final, Protocol

from trainer.content.breathing import (
    BreathingPattern,
    PacerState,
    PacerTimeline,
    Ramp,
    RampSchedule,
)
from trainer.errors import TransitionError
from trainer.listeners import Listeners
from trainer.session.checkpoint import Checkpointer
from trainer.session.clock import Clock
from trainer.session.ratings import validate_rating


class SessionState(StrEnum):
    """Where a session is in its life."""

    RATE_BEFORE = "rate_before"
    RUNNING = "running"
    PAUSED = "paused"
    RATE_AFTER = "rate_after"
    SAVED = "saved"
    ABANDONED = "abandoned"


class SessionStatus(StrEnum):
    """How a stored session went (the ``status`` column)."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"
    INTERRUPTED = "interrupted"
    ABANDONED = "abandoned"


@dataclass(frozen=True)
class Ratings:
    """A pair of 0-10 ratings; ``None`` means the person skipped that one."""

    tension: int | None
    pain: int | None

    @classmethod
    def checked(cls, tension: object, pain: object) -> Ratings:
        """Validate both ratings (raises :class:`~trainer.errors.RatingError`)."""
        return cls(validate_rating(tension, "tension"), validate_rating(pain, "pain"))


@dataclass(frozen=True)
class SessionPlan:
    """What the person chose: an exercise, its pattern, how long, and the options used.

    ``lead_in_s`` is a 3-2-1 countdown before the first breath and ``end_cue_s`` a quiet close
    after the last one; neither counts as practice. With a ``ramp`` the rate eases from the
    ramp's start to its target; ``cycles`` is then the number of breaths over the whole session.
    """

    exercise_id: str
    title: str
    pattern: BreathingPattern
    cycles: int
    kind: str = "breathing"
    ramp: Ramp | None = None
    lead_in_s: float = 0.0
    end_cue_s: float = 0.0
    options: Mapping[str, object] = field(default_factory=dict)

    def schedule(self) -> PacerTimeline | RampSchedule:
        """The pure function from practice seconds to the pacer's state, for this plan."""
        if self.ramp is not None:
            return RampSchedule(self.pattern, self.ramp)
        return PacerTimeline(self.pattern)

    @property
    def planned_s(self) -> float:
        """Length of the practice in seconds: whole cycles of the pattern."""
        if self.ramp is not None:
            return RampSchedule(self.pattern, self.ramp).time_for_cycles(self.cycles)
        return self.cycles * self.pattern.cycle_s

    def settings(self) -> dict[str, object]:
        """The pattern and options used, for the ``settings_json`` column."""
        settings: dict[str, object] = {
            "pattern": self.pattern.to_dict(),
            "rate_bpm": round(self.pattern.rate_bpm, 4),
            "cycles": self.cycles,
        }
        if self.ramp is not None:
            settings["ramp"] = self.ramp.to_dict()
        settings.update(self.options)
        return settings


class SessionRecorder(Protocol):
    """Where a session writes itself (the store implements this)."""

    def start_session(
        self, plan: SessionPlan, profile_id: int, started_at: datetime, before: Ratings
    ) -> int:
        """Store a session that has just begun; return its id."""
        ...

    def checkpoint_session(self, session_id: int, *, practised_s: float, at: datetime) -> None:
        """Store the progress of a session still under way (seconds practised so far, as of
        the UTC time ``at``); the seconds practised never go down."""
        ...

    def finish_session(
        self,
        session_id: int,
        *,
        ended_at: datetime,
        practised_s: float,
        status: SessionStatus,
        after: Ratings,
    ) -> None:
        """Store how a session ended."""
        ...


class NotRecorded:
    """A recorder for demonstrations: it keeps nothing, so a session runs with no store at all.

    It hands out negative ids (-1, -2, ...), which can never be taken for a stored session's
    (the store's ids start at 1), and forgets each session as soon as it is given.
    """

    def __init__(self) -> None:
        self._last_id = 0

    def start_session(
        self, plan: SessionPlan, profile_id: int, started_at: datetime, before: Ratings
    ) -> int:
        """Keep nothing; return a new negative id."""
        self._last_id -= 1
        return self._last_id

    def checkpoint_session(self, session_id: int, *, practised_s: float, at: datetime) -> None:
        """Keep nothing."""

    def finish_session(
        self,
        session_id: int,
        *,
        ended_at: datetime,
        practised_s: float,
        status: SessionStatus,
        after: Ratings,
    ) -> None:
        """Keep nothing."""


NO_PROFILE: Final = 0  # a demonstration belongs to nobody (stored profiles' ids start at 1)


def demonstration(plan: SessionPlan, *, clock: Clock, utc_now: Callable[[], datetime]) -> Session:
    """A session of ``plan`` that is not recorded anywhere (see :class:`NotRecorded`)."""
    return Session(
        plan, clock=clock, utc_now=utc_now, recorder=NotRecorded(), profile_id=NO_PROFILE
    )


_ALLOWED: dict[str, tuple[SessionState, ...]] = {
    "confirm_before": (SessionState.RATE_BEFORE,),
    "pause": (SessionState.RUNNING,),
    "resume": (SessionState.PAUSED,),
    "end_early": (SessionState.RUNNING, SessionState.PAUSED),
    "confirm_after": (SessionState.RATE_AFTER,),
    "abandon": (
        SessionState.RATE_BEFORE,
        SessionState.RUNNING,
        SessionState.PAUSED,
        SessionState.RATE_AFTER,
    ),
}

_DOING = {
    "confirm_before": "start the practice",
    "pause": "pause",
    "resume": "resume",
    "end_early": "end the practice",
    "confirm_after": "save the after-ratings",
    "abandon": "abandon the session",
}


class Session:
    """One practice session; see the module docstring for its states."""

    def __init__(
        self,
        plan: SessionPlan,
        *,
        clock: Clock,
        utc_now: Callable[[], datetime],
        recorder: SessionRecorder,
        profile_id: int,
    ) -> None:
        self.plan = plan
        self._clock = clock
        self._utc_now = utc_now
        self._recorder = recorder
        self._profile_id = profile_id
        self.timeline = plan.schedule()
        self.state = SessionState.RATE_BEFORE
        self.status = SessionStatus.IN_PROGRESS
        self.before: Ratings | None = None
        self.after: Ratings | None = None
        self.session_id: int | None = None
        self.started_at: datetime | None = None  # UTC, once the before-ratings are stored
        self._started_s: float | None = None  # the monotonic time of started_at
        self._banked_s = 0.0  # practice time before the current run
        self._run_started_s: float | None = None
        self._listeners: Listeners[SessionState] = Listeners()
        self._planned_s = plan.planned_s
        self._skipped_s = 0.0
        self._total_s = plan.lead_in_s + self._planned_s + plan.end_cue_s
        self._checkpointer: Checkpointer | None = None  # while a recorded session is under way

    @property
    def recorded(self) -> bool:
        """Whether this session is written anywhere (False for a demonstration)."""
        return not isinstance(self._recorder, NotRecorded)

    # -- observing ------------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[SessionState], None]) -> None:
        """Call ``listener(new_state)`` after every change of state.

        A bound method is held weakly (see :mod:`trainer.listeners`): it stops being called
        when its object goes."""
        self._listeners.add(listener)

    def _enter(self, state: SessionState) -> None:
        self.state = state
        self._listeners.notify(state)

    def _require(self, action: str) -> None:
        if self.state not in _ALLOWED[action]:
            raise TransitionError(
                f"Cannot {_DOING[action]} while the session is {self.state.value.replace('_', ' ')}."
            )

    @property
    def run_s(self) -> float:
        """Seconds since the start, pauses excluded: lead-in, practice and closing together."""
        running = 0.0
        if self._run_started_s is not None:
            running = self._clock.now_s() - self._run_started_s
        return min(self._total_s, self._banked_s + running)

    @property
    def practice_s(self) -> float:
        """Seconds practised so far (pauses and the lead-in excluded), never more than planned."""
        return min(self._planned_s, max(0.0, self.run_s - self.plan.lead_in_s))

    @property
    def lead_in_left_s(self) -> float:
        """Seconds of the 3-2-1 countdown still to go (0 once the first breath begins)."""
        return max(0.0, self.plan.lead_in_s - self.run_s)

    @property
    def closing(self) -> bool:
        """Whether the practice is over and the quiet close (end cue) is showing."""
        return self.run_s >= self.plan.lead_in_s + self._planned_s

    @property
    def rate_bpm(self) -> float:
        """Breaths a minute right now (it changes during a ramp)."""
        return self.timeline.rate_at(self.practice_s)

    def pacer_state_at(self, practice_s: float) -> PacerState:
        """The pacer's state at any practice time (ahead of now, for a pacer that looks ahead)."""
        return self.timeline.state_at(max(0.0, practice_s))

    @property
    def remaining_s(self) -> float:
        """Seconds of practice left."""
        return max(0.0, self._planned_s - self.practice_s)

    def pacer_state(self) -> PacerState:
        """The pacer's state now (frozen while paused or after the end)."""
        return self.timeline.state_at(self.practice_s)

    # -- transitions ----------------------------------------------------------------------------

    def confirm_before(self, tension: object, pain: object) -> None:
        """Record the before-ratings (``None`` = skipped) and start the practice."""
        self._require("confirm_before")
        before = Ratings.checked(tension, pain)
        started_at = self._utc_now()
        self.session_id = self._recorder.start_session(
            self.plan, self._profile_id, started_at, before
        )
        self.before = before  # only once stored: a failed start leaves the session untouched
        self.started_at = started_at
        self._started_s = self._run_started_s = self._clock.now_s()
        if self.recorded:
            self._checkpointer = Checkpointer(self._checkpoint, started_s=self._run_started_s)
        self._enter(SessionState.RUNNING)

    def pause(self) -> None:
        """Stop practice time; the pacer holds still."""
        self._require("pause")
        self._bank()
        self._flush_checkpoint()
        self._enter(SessionState.PAUSED)

    def resume(self) -> None:
        """Start practice time again from where it stopped."""
        self._require("resume")
        self._run_started_s = self._clock.now_s()
        if self._checkpointer is not None:
            self._checkpointer.restart(self._run_started_s)
        self._enter(SessionState.RUNNING)

    @property
    def skipped_s(self) -> float:
        """Seconds of the plan passed over with :meth:`skip_to` (not counted as practised)."""
        return self._skipped_s

    @property
    def practised_s(self) -> float:
        """Seconds actually practised: practice time less anything skipped."""
        return max(0.0, self.practice_s - self._skipped_s)

    def skip_to(self, practice_s: float) -> None:
        """Move on to ``practice_s`` of the plan (a guided exercise's next prompt).

        Only forwards, never past the planned end; the seconds passed over are not practised.
        Works while running or paused (a paused session stays paused at the new place).
        """
        if self.state not in (SessionState.RUNNING, SessionState.PAUSED):
            raise TransitionError(f"Cannot skip ahead while the session is {self.state.value}.")
        now = self.practice_s
        if self.lead_in_left_s > 0 or practice_s <= now:
            return
        target = min(practice_s, self._planned_s)
        self._skipped_s += target - now
        self._banked_s += target - now

    def toggle_pause(self) -> None:
        """Pause when running, resume when paused."""
        if self.state is SessionState.PAUSED:
            self.resume()
        else:
            self.pause()

    def update(self) -> None:
        """Called on every frame: finishes the practice when its time (and close) is up, and
        saves the progress every few seconds (see :mod:`trainer.session.checkpoint`)."""
        if self.state is not SessionState.RUNNING:
            return
        if self.run_s >= self._total_s:
            self._bank()
            self.status = SessionStatus.COMPLETED
            self._flush_checkpoint()
            self._enter(SessionState.RATE_AFTER)
        elif self._checkpointer is not None:
            self._checkpointer.tick(self._clock.now_s(), self.practised_s)

    def end_early(self) -> None:
        """Stop before the planned end; the after-ratings are still asked for.

        Ending during the quiet close (every breath done) counts as completed.
        """
        self._require("end_early")
        self._bank()
        done = self.practice_s >= self._planned_s
        self.status = SessionStatus.COMPLETED if done else SessionStatus.ENDED_EARLY
        self._flush_checkpoint()
        self._enter(SessionState.RATE_AFTER)

    def confirm_after(self, tension: object, pain: object) -> None:
        """Record the after-ratings (``None`` = skipped) and save the session."""
        self._require("confirm_after")
        after = Ratings.checked(tension, pain)
        self._finish(self.status, after)
        self.after = after
        self._enter(SessionState.SAVED)

    def abandon(self, *, interrupted: bool = False) -> None:
        """Leave the session (the window closed, or the person went back).

        Before the practice began nothing is stored. During the practice the time so far is
        kept with status ``abandoned`` (``interrupted`` when the app was made to end without
        the person choosing to: a shutdown, a logout), or ``completed`` if the planned time
        had already run out before a frame noticed. At the after-rating the session keeps its
        status (completed or ended early) with no after-ratings.
        """
        self._require("abandon")
        if self.state in (SessionState.RUNNING, SessionState.PAUSED):
            self._bank()
            done = self.practice_s >= self._planned_s
            stopped = SessionStatus.INTERRUPTED if interrupted else SessionStatus.ABANDONED
            self.status = SessionStatus.COMPLETED if done else stopped
        if self.session_id is not None:
            self._finish(self.status, Ratings(None, None))
        self._enter(SessionState.ABANDONED)

    def _checkpoint(self, practised_s: float) -> None:
        assert self.session_id is not None, "a started session has an id"
        self._recorder.checkpoint_session(
            self.session_id, practised_s=practised_s, at=self.ending_at()
        )

    def _flush_checkpoint(self) -> None:
        """The practice stopped (a pause, or its end before the after-ratings): save it now."""
        if self._checkpointer is not None:
            self._checkpointer.flush(self._clock.now_s(), self.practised_s)

    def ending_at(self) -> datetime:
        """The UTC time to store as the end, were the session to end now: the wall clock, but
        never earlier than the start plus the time the monotonic clock has counted since, so a
        clock set back during the session cannot make it end before it began (the wall clock
        wins when it is later: the monotonic clock does not count a laptop's sleep)."""
        now = self._utc_now()
        if self.started_at is None or self._started_s is None:
            return now
        counted = self.started_at + timedelta(seconds=self._clock.now_s() - self._started_s)
        return max(now, counted)

    def _bank(self) -> None:
        self._banked_s = self.run_s
        self._run_started_s = None

    def _finish(self, status: SessionStatus, after: Ratings) -> None:
        assert self.session_id is not None, "a started session has an id"
        self._recorder.finish_session(
            self.session_id,
            ended_at=self.ending_at(),
            practised_s=self.practised_s,
            status=status,
            after=after,
        )
