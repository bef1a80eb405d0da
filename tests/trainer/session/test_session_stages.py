"""The 3-2-1 lead-in, the quiet close, ramps and no-holds plans inside a session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from trainer.content.breathing import BreathingPattern, PhaseKind, Ramp
from trainer.content.catalog import END_CUE_S, LEAD_IN_S, Exercise
from trainer.session.clock import FakeClock
from trainer.session.machine import Ratings, Session, SessionPlan, SessionState, SessionStatus


class Recorder:
    """Keeps what the session stores."""

    def __init__(self) -> None:
        self.finished: list[dict[str, Any]] = []

    def start_session(
        self, plan: SessionPlan, profile_id: int, started_at: datetime, before: Ratings
    ) -> int:
        return 1

    def checkpoint_session(self, session_id: int, **fields: Any) -> None:
        pass

    def finish_session(self, session_id: int, **fields: Any) -> None:
        self.finished.append(fields)


def start(plan: SessionPlan, clock: FakeClock, wall, recorder: Recorder) -> Session:
    session = Session(plan, clock=clock, utc_now=wall, recorder=recorder, profile_id=1)
    session.confirm_before(3, 4)
    return session


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def exercise(coherent: BreathingPattern) -> Exercise:
    return Exercise("coherent-5-5", "Coherent", "Even breaths", "", coherent)


def test_catalog_plans_have_a_lead_in_and_a_close(exercise) -> None:
    plan = exercise.plan(1)
    assert (plan.lead_in_s, plan.end_cue_s) == (LEAD_IN_S, END_CUE_S) == (3.0, 4.0)
    assert plan.planned_s == 60.0  # neither counts as practice


def test_the_lead_in_counts_down_before_the_first_breath(exercise, clock, wall, recorder) -> None:
    session = start(exercise.plan(1), clock, wall, recorder)
    assert session.lead_in_left_s == 3.0
    clock.advance(1.25)
    assert session.lead_in_left_s == pytest.approx(1.75)
    assert session.practice_s == 0.0
    assert session.pacer_state().level == 0.0
    clock.advance(1.75)
    assert session.lead_in_left_s == 0.0
    assert session.practice_s == 0.0
    clock.advance(2.5)
    assert session.practice_s == pytest.approx(2.5)
    assert session.pacer_state().level == pytest.approx(0.5)  # half-way up the 5 s inhale


def test_pausing_in_the_lead_in_holds_the_countdown(exercise, clock, wall, recorder) -> None:
    session = start(exercise.plan(1), clock, wall, recorder)
    clock.advance(2.0)
    session.pause()
    clock.advance(30.0)
    assert session.lead_in_left_s == pytest.approx(1.0)
    session.resume()
    clock.advance(1.0)
    assert session.lead_in_left_s == 0.0
    assert session.practice_s == 0.0


def test_the_close_follows_the_last_breath_then_the_after_rating(
    exercise, clock, wall, recorder
) -> None:
    session = start(exercise.plan(1), clock, wall, recorder)
    clock.advance(3.0 + 60.0 - 0.01)
    session.update()
    assert not session.closing
    clock.advance(0.01)
    session.update()
    assert session.closing
    assert session.state is SessionState.RUNNING
    assert session.remaining_s == 0.0
    assert session.pacer_state().level == pytest.approx(0.0)  # the last out-breath is done
    clock.advance(END_CUE_S - 0.01)
    session.update()
    assert session.state is SessionState.RUNNING
    clock.advance(0.01)
    session.update()
    assert session.state is SessionState.RATE_AFTER
    session.confirm_after(2, 3)
    assert recorder.finished[0]["practised_s"] == pytest.approx(60.0)
    assert recorder.finished[0]["status"] is SessionStatus.COMPLETED


def test_leaving_during_the_close_counts_as_completed(exercise, clock, wall, recorder) -> None:
    session = start(exercise.plan(1), clock, wall, recorder)
    clock.advance(3.0 + 60.0 + 1.0)
    session.abandon()
    assert recorder.finished[0]["status"] is SessionStatus.COMPLETED


def test_ending_during_the_close_counts_as_completed(exercise, clock, wall, recorder) -> None:
    session = start(exercise.plan(1), clock, wall, recorder)
    clock.advance(3.0 + 60.0 + 1.0)
    session.end_early()
    assert session.status is SessionStatus.COMPLETED
    session.confirm_after(2, 2)
    assert recorder.finished[0]["status"] is SessionStatus.COMPLETED


def test_ending_a_moment_before_the_last_breath_ends_early(exercise, clock, wall, recorder) -> None:
    session = start(exercise.plan(1), clock, wall, recorder)
    clock.advance(3.0 + 59.5)
    session.end_early()
    assert session.status is SessionStatus.ENDED_EARLY


def test_leaving_during_the_lead_in_keeps_no_practice(exercise, clock, wall, recorder) -> None:
    session = start(exercise.plan(1), clock, wall, recorder)
    clock.advance(2.0)
    session.abandon()
    assert recorder.finished[0]["practised_s"] == 0.0
    assert recorder.finished[0]["status"] is SessionStatus.ABANDONED


def test_a_ramped_session_shows_the_current_rate(exercise, clock, wall, recorder) -> None:
    plan = exercise.plan(10, ramp=Ramp(7.0, 5.5, 5))
    session = start(plan, clock, wall, recorder)
    clock.advance(3.0)
    assert session.rate_bpm == pytest.approx(7.0)
    clock.advance(150.0)
    assert session.rate_bpm == pytest.approx(6.25)
    clock.advance(300.0)
    assert session.rate_bpm == pytest.approx(5.5)
    assert session.pacer_state_at(session.practice_s + 1.0) == plan.schedule().state_at(
        session.practice_s + 1.0
    )


def test_no_holds_drops_every_hold_for_this_session(box) -> None:
    exercise = Exercise("box-4-4-4-4", "Box", "d", "", box)
    plan = exercise.plan(2, no_holds=True)
    assert [p.kind for p in plan.pattern.phases] == [PhaseKind.INHALE, PhaseKind.EXHALE]
    assert plan.pattern.rate_bpm == 7.5
    assert plan.cycles == 15
    assert plan.settings()["no_holds"] is True
    assert exercise.pattern.has_holds  # the preset itself is unchanged
    assert exercise.plan(2).settings()["no_holds"] is False


def test_no_holds_on_a_pattern_without_holds_changes_nothing(exercise) -> None:
    plan = exercise.plan(1, no_holds=True)
    assert plan.pattern == exercise.pattern
    assert plan.settings()["no_holds"] is False


def test_a_length_in_breaths(exercise) -> None:
    plan = exercise.plan(cycles=4)
    assert plan.cycles == 4
    assert plan.planned_s == 40.0
    assert plan.settings()["length"] == {"cycles": 4}
    assert exercise.plan(3).settings()["length"] == {"minutes": 3}


@pytest.mark.parametrize("cycles", [0, -1, 1001, True, 2.5])
def test_impossible_breath_counts_are_refused(exercise, cycles) -> None:
    from trainer.errors import PatternError

    with pytest.raises(PatternError, match="1 to 1000 breaths"):
        exercise.plan(cycles=cycles)


def test_a_length_needs_minutes_or_breaths_not_both(exercise) -> None:
    with pytest.raises(ValueError, match="minutes or in cycles"):
        exercise.plan(3, cycles=4)
    with pytest.raises(ValueError, match="minutes or in cycles"):
        exercise.plan()


def test_skipping_ahead_moves_on_without_counting_as_practice(
    exercise, clock, wall, recorder
) -> None:
    session = start(exercise.plan(1), clock, wall, recorder)
    session.skip_to(20.0)  # in the lead-in: nothing to skip yet
    assert session.practice_s == 0.0
    clock.advance(3.0 + 10.0)
    session.skip_to(25.0)
    assert session.practice_s == pytest.approx(25.0)
    assert session.skipped_s == pytest.approx(15.0)
    session.skip_to(5.0)  # never backwards
    assert session.practice_s == pytest.approx(25.0)
    session.pause()
    session.skip_to(40.0)
    assert session.state is SessionState.PAUSED
    assert session.practice_s == pytest.approx(40.0)
    session.resume()
    session.skip_to(500.0)  # never past the end
    assert session.practice_s == pytest.approx(60.0)
    assert session.practised_s == pytest.approx(60.0 - 15.0 - 15.0 - 20.0)
    clock.advance(END_CUE_S)
    session.update()
    assert session.state is SessionState.RATE_AFTER
    session.confirm_after(None, None)
    assert recorder.finished[0]["practised_s"] == pytest.approx(10.0)


def test_skipping_is_refused_before_the_start_and_after_the_end(exercise, clock, wall, recorder):
    from trainer.errors import TransitionError

    session = Session(exercise.plan(1), clock=clock, utc_now=wall, recorder=recorder, profile_id=1)
    with pytest.raises(TransitionError):
        session.skip_to(10.0)
