"""Tests for trainer/session/machine.py: the session state machine, driven by a fake clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from trainer.content.breathing import BreathingPattern, PhaseKind
from trainer.errors import RatingError, StoreError, TransitionError
from trainer.session.clock import FakeClock
from trainer.session.machine import (
    Ratings,
    Session,
    SessionPlan,
    SessionRecorder,
    SessionState,
    SessionStatus,
)
from trainer.store.store import Store

S = SessionState


@dataclass
class FakeRecorder:
    """Records what a session asks to store; can be told to fail."""

    started: list[tuple[SessionPlan, int, datetime, Ratings]] = field(default_factory=list)
    finished: list[dict[str, Any]] = field(default_factory=list)
    checkpoints: list[tuple[int, float, datetime]] = field(default_factory=list)
    fail_start: bool = False

    def start_session(
        self, plan: SessionPlan, profile_id: int, started_at: datetime, before: Ratings
    ) -> int:
        if self.fail_start:
            raise StoreError("The disk is full; free some space and try again.")
        self.started.append((plan, profile_id, started_at, before))
        return 41 + len(self.started)

    def checkpoint_session(self, session_id: int, *, practised_s: float, at: datetime) -> None:
        self.checkpoints.append((session_id, practised_s, at))

    def finish_session(
        self,
        session_id: int,
        *,
        ended_at: datetime,
        practised_s: float,
        status: SessionStatus,
        after: Ratings,
    ) -> None:
        self.finished.append(
            {
                "session_id": session_id,
                "ended_at": ended_at,
                "practised_s": practised_s,
                "status": status,
                "after": after,
            }
        )


@pytest.fixture
def plan(coherent: BreathingPattern) -> SessionPlan:
    """Coherent breathing for 3 cycles: 30 s planned."""
    return SessionPlan(exercise_id="coherent-5-5", title="Coherent", pattern=coherent, cycles=3)


@pytest.fixture
def recorder() -> FakeRecorder:
    return FakeRecorder()


SessionFactory = Callable[..., Session]


@pytest.fixture
def make_session(
    plan: SessionPlan, clock: FakeClock, wall: Callable[[], datetime], recorder: FakeRecorder
) -> SessionFactory:
    def make(recorder_: SessionRecorder = recorder, plan_: SessionPlan = plan) -> Session:
        return Session(plan_, clock=clock, utc_now=wall, recorder=recorder_, profile_id=7)

    return make


def drive_to(session: Session, state: SessionState, clock: FakeClock) -> None:
    """Take a fresh session to ``state`` by its public transitions."""
    if state is S.RATE_BEFORE:
        return
    if state is S.ABANDONED:
        session.abandon()
        return
    session.confirm_before(3, 4)
    clock.advance(2.0)
    if state is S.PAUSED:
        session.pause()
    elif state in (S.RATE_AFTER, S.SAVED):
        session.end_early()
        if state is S.SAVED:
            session.confirm_after(2, 3)
    assert session.state is state


# -- the full path ----------------------------------------------------------------------------------


def test_plan_length_and_settings(plan: SessionPlan) -> None:
    assert plan.planned_s == 30.0
    assert plan.kind == "breathing"
    assert plan.settings() == {
        "pattern": {
            "phases": [{"kind": "inhale", "seconds": 5.0}, {"kind": "exhale", "seconds": 5.0}]
        },
        "rate_bpm": 6.0,
        "cycles": 3,
    }


def test_full_path_with_a_pause(
    make_session: SessionFactory, clock: FakeClock, wall: Any, recorder: FakeRecorder
) -> None:
    session = make_session()
    seen: list[SessionState] = []
    session.subscribe(seen.append)
    assert session.state is S.RATE_BEFORE
    assert session.status is SessionStatus.IN_PROGRESS
    assert session.practice_s == 0.0

    session.confirm_before(6, 5)
    assert session.state is S.RUNNING
    assert session.before == Ratings(6, 5)
    assert session.session_id == 42
    assert recorder.started == [(session.plan, 7, wall.moment, Ratings(6, 5))]
    assert recorder.finished == []

    clock.advance(12.0)
    session.update()
    assert session.state is S.RUNNING
    assert session.practice_s == 12.0
    assert session.remaining_s == 18.0

    session.pause()
    assert session.state is S.PAUSED
    clock.advance(300.0)  # a long pause: not practice
    session.update()
    assert session.state is S.PAUSED
    assert session.practice_s == 12.0

    session.resume()
    assert session.state is S.RUNNING
    clock.advance(17.5)
    session.update()
    assert session.state is S.RUNNING
    assert session.practice_s == 29.5

    clock.advance(0.5)  # the planned 30 s are reached
    wall.advance(330)
    session.update()
    assert session.state is S.RATE_AFTER
    assert session.status is SessionStatus.COMPLETED
    assert session.practice_s == 30.0
    assert recorder.finished == []  # nothing final until the after-rating (or an abandon)

    clock.advance(40.0)  # rating takes a while; it is not practice either
    wall.advance(40.0)  # (the wall clock moves on with the monotonic one)
    session.confirm_after(2, 3)
    assert session.state is S.SAVED
    assert session.after == Ratings(2, 3)
    assert recorder.finished == [
        {
            "session_id": 42,
            "ended_at": wall.moment,
            "practised_s": 30.0,
            "status": SessionStatus.COMPLETED,
            "after": Ratings(2, 3),
        }
    ]
    assert seen == [S.RUNNING, S.PAUSED, S.RUNNING, S.RATE_AFTER, S.SAVED]


def test_update_completes_even_when_the_frame_comes_late(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    session = make_session()
    session.confirm_before(None, None)
    clock.advance(95.0)  # the window was hidden; no frames for a while
    assert session.practice_s == 30.0  # never more than planned
    assert session.remaining_s == 0.0
    session.update()
    assert session.state is S.RATE_AFTER
    assert session.status is SessionStatus.COMPLETED
    clock.advance(10.0)
    assert session.practice_s == 30.0


def test_update_does_nothing_outside_running(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    session = make_session()
    session.update()
    assert session.state is S.RATE_BEFORE
    session.confirm_before(1, 1)
    clock.advance(5.0)
    session.pause()
    clock.advance(1000.0)
    session.update()
    assert session.state is S.PAUSED
    session.end_early()
    session.update()
    assert session.state is S.RATE_AFTER
    assert session.status is SessionStatus.ENDED_EARLY


def test_practice_time_excludes_every_pause(make_session: SessionFactory, clock: FakeClock) -> None:
    session = make_session()
    session.confirm_before(4, 4)
    practised = 0.0
    for run_s, pause_s in ((3.0, 10.0), (4.5, 0.25), (1.0, 60.0)):
        clock.advance(run_s)
        practised += run_s
        session.toggle_pause()
        assert session.state is S.PAUSED
        clock.advance(pause_s)
        assert session.practice_s == pytest.approx(practised)
        session.toggle_pause()
        assert session.state is S.RUNNING
    assert session.practice_s == pytest.approx(8.5)


def test_pacer_is_frozen_while_paused_and_continues_after(
    make_session: SessionFactory, clock: FakeClock
) -> None:
    session = make_session()
    session.confirm_before(5, 5)
    clock.advance(2.5)  # half-way through the first inhale
    assert session.pacer_state().level == pytest.approx(0.5)
    clock.advance(0.5)
    session.pause()
    frozen = session.pacer_state()
    assert frozen.kind is PhaseKind.INHALE
    for _ in range(5):
        clock.advance(7.3)
        assert session.pacer_state() == frozen
    session.resume()
    assert session.pacer_state() == frozen  # resumes exactly where it stopped
    clock.advance(0.01)
    resumed = session.pacer_state()
    assert resumed.phase_index == frozen.phase_index
    assert resumed.fraction == pytest.approx(frozen.fraction + 0.01 / 5)
    assert 0 < resumed.level - frozen.level < 0.01  # moving on, no jump
    clock.advance(2.0 - 0.01)  # the inhale ends 5 s of practice in, not 5 s of clock
    assert session.pacer_state().kind is PhaseKind.EXHALE
    assert session.pacer_state().fraction == pytest.approx(0.0, abs=1e-9)


def test_end_early_while_running_and_while_paused(
    make_session: SessionFactory, clock: FakeClock, recorder: FakeRecorder
) -> None:
    running = make_session()
    running.confirm_before(5, 5)
    clock.advance(11.0)
    running.end_early()
    assert running.state is S.RATE_AFTER
    assert running.status is SessionStatus.ENDED_EARLY
    clock.advance(20.0)
    assert running.practice_s == 11.0
    running.confirm_after(4, None)
    assert recorder.finished[-1]["status"] is SessionStatus.ENDED_EARLY
    assert recorder.finished[-1]["practised_s"] == 11.0

    paused = make_session()
    paused.confirm_before(5, 5)
    clock.advance(4.0)
    paused.pause()
    clock.advance(50.0)
    paused.end_early()
    assert paused.status is SessionStatus.ENDED_EARLY
    assert paused.practice_s == 4.0


# -- invalid transitions ------------------------------------------------------------------------------

ACTIONS: dict[str, Callable[[Session], None]] = {
    "confirm_before": lambda s: s.confirm_before(3, 3),
    "pause": lambda s: s.pause(),
    "resume": lambda s: s.resume(),
    "toggle_pause": lambda s: s.toggle_pause(),
    "end_early": lambda s: s.end_early(),
    "confirm_after": lambda s: s.confirm_after(3, 3),
    "abandon": lambda s: s.abandon(),
}

# Written out by hand (not read from the module), so the test checks the module's table.
ALLOWED: dict[SessionState, set[str]] = {
    S.RATE_BEFORE: {"confirm_before", "abandon"},
    S.RUNNING: {"pause", "toggle_pause", "end_early", "abandon"},
    S.PAUSED: {"resume", "toggle_pause", "end_early", "abandon"},
    S.RATE_AFTER: {"confirm_after", "abandon"},
    S.SAVED: set(),
    S.ABANDONED: set(),
}

INVALID = [
    pytest.param(state, action, id=f"{action}-in-{state.value}")
    for state in SessionState
    for action in ACTIONS
    if action not in ALLOWED[state]
]
VALID = [
    pytest.param(state, action, id=f"{action}-in-{state.value}")
    for state in SessionState
    for action in sorted(ALLOWED[state])
]


def test_every_state_is_covered() -> None:
    assert set(ALLOWED) == set(SessionState)
    assert len(INVALID) + len(VALID) == len(SessionState) * len(ACTIONS)


@pytest.mark.parametrize(("state", "action"), INVALID)
def test_invalid_transition_raises_and_changes_nothing(
    make_session: SessionFactory,
    clock: FakeClock,
    recorder: FakeRecorder,
    state: SessionState,
    action: str,
) -> None:
    session = make_session()
    drive_to(session, state, clock)
    seen: list[SessionState] = []
    session.subscribe(seen.append)
    snapshot = (
        session.status,
        session.before,
        session.after,
        session.session_id,
        session.practice_s,
        len(recorder.started),
        len(recorder.finished),
    )
    with pytest.raises(TransitionError, match="while the session is"):
        ACTIONS[action](session)
    assert session.state is state
    assert seen == []
    assert snapshot == (
        session.status,
        session.before,
        session.after,
        session.session_id,
        session.practice_s,
        len(recorder.started),
        len(recorder.finished),
    )


@pytest.mark.parametrize(("state", "action"), VALID)
def test_valid_transition_changes_state(
    make_session: SessionFactory, clock: FakeClock, state: SessionState, action: str
) -> None:
    session = make_session()
    drive_to(session, state, clock)
    seen: list[SessionState] = []
    session.subscribe(seen.append)
    ACTIONS[action](session)
    assert session.state is not state
    assert seen == [session.state]


def test_transition_error_message_is_plain(make_session: SessionFactory) -> None:
    session = make_session()
    with pytest.raises(TransitionError) as excinfo:
        session.pause()
    assert str(excinfo.value) == "Cannot pause while the session is rate before."


# -- abandoning ---------------------------------------------------------------------------------------


def test_abandon_before_starting_stores_nothing(
    make_session: SessionFactory, recorder: FakeRecorder
) -> None:
    session = make_session()
    session.abandon()
    assert session.state is S.ABANDONED
    assert session.session_id is None
    assert recorder.started == []
    assert recorder.finished == []


@pytest.mark.parametrize("paused", [False, True])
def test_abandon_during_practice_keeps_the_time_practised(
    make_session: SessionFactory, clock: FakeClock, recorder: FakeRecorder, paused: bool
) -> None:
    session = make_session()
    session.confirm_before(7, 6)
    clock.advance(13.0)
    if paused:
        session.pause()
        clock.advance(99.0)
    session.abandon()
    assert session.state is S.ABANDONED
    assert session.status is SessionStatus.ABANDONED
    assert recorder.finished == [
        {
            "session_id": 42,
            "ended_at": recorder.finished[0]["ended_at"],
            "practised_s": 13.0,
            "status": SessionStatus.ABANDONED,
            "after": Ratings(None, None),
        }
    ]
    clock.advance(10.0)
    assert session.practice_s == 13.0


@pytest.mark.parametrize(
    ("ended_early", "status"),
    [(False, SessionStatus.COMPLETED), (True, SessionStatus.ENDED_EARLY)],
)
def test_abandon_at_the_after_rating_keeps_the_status(
    make_session: SessionFactory,
    clock: FakeClock,
    recorder: FakeRecorder,
    ended_early: bool,
    status: SessionStatus,
) -> None:
    session = make_session()
    session.confirm_before(7, 6)
    clock.advance(20.0 if ended_early else 30.0)
    if ended_early:
        session.end_early()
    else:
        session.update()
    assert session.state is S.RATE_AFTER
    session.abandon()
    assert session.state is S.ABANDONED
    assert session.status is status
    assert session.after is None
    assert len(recorder.finished) == 1
    assert recorder.finished[0]["status"] is status
    assert recorder.finished[0]["after"] == Ratings(None, None)
    assert recorder.finished[0]["practised_s"] == (20.0 if ended_early else 30.0)


# -- ratings ------------------------------------------------------------------------------------------

BAD_RATINGS = [11, -1, 5.5, 10.0, True, False, "7", [3]]


@pytest.mark.parametrize("bad", BAD_RATINGS, ids=repr)
@pytest.mark.parametrize("which", ["tension", "pain"])
def test_bad_before_rating_changes_nothing(
    make_session: SessionFactory, recorder: FakeRecorder, bad: object, which: str
) -> None:
    session = make_session()
    seen: list[SessionState] = []
    session.subscribe(seen.append)
    ratings = {"tension": 3, "pain": 3, which: bad}
    with pytest.raises(RatingError, match=which):
        session.confirm_before(**ratings)
    assert session.state is S.RATE_BEFORE
    assert session.before is None
    assert session.session_id is None
    assert recorder.started == []
    assert seen == []


@pytest.mark.parametrize("bad", BAD_RATINGS, ids=repr)
@pytest.mark.parametrize("which", ["tension", "pain"])
def test_bad_after_rating_changes_nothing(
    make_session: SessionFactory,
    clock: FakeClock,
    recorder: FakeRecorder,
    bad: object,
    which: str,
) -> None:
    session = make_session()
    drive_to(session, S.RATE_AFTER, clock)
    ratings = {"tension": 3, "pain": 3, which: bad}
    with pytest.raises(RatingError, match=which):
        session.confirm_after(**ratings)
    assert session.state is S.RATE_AFTER
    assert session.after is None
    assert recorder.finished == []
    session.confirm_after(0, 10)  # a good answer still works
    assert session.state is S.SAVED


def test_skipped_ratings_are_none_not_zero(
    make_session: SessionFactory, clock: FakeClock, recorder: FakeRecorder
) -> None:
    session = make_session()
    session.confirm_before(None, 0)
    clock.advance(30.0)
    session.update()
    session.confirm_after(0, None)
    assert recorder.started[0][3] == Ratings(None, 0)
    assert recorder.finished[0]["after"] == Ratings(0, None)


def test_a_failed_start_leaves_the_session_waiting(
    make_session: SessionFactory, clock: FakeClock, recorder: FakeRecorder
) -> None:
    session = make_session()
    seen: list[SessionState] = []
    session.subscribe(seen.append)
    recorder.fail_start = True
    with pytest.raises(StoreError, match="disk is full"):
        session.confirm_before(5, 5)
    assert session.state is S.RATE_BEFORE
    assert session.session_id is None
    assert session.before is None
    assert seen == []
    clock.advance(60.0)
    assert session.practice_s == 0.0  # the practice has not begun
    recorder.fail_start = False
    session.confirm_before(5, 5)  # trying again works
    assert session.state is S.RUNNING
    assert session.practice_s == 0.0


def test_every_listener_hears_every_change(make_session: SessionFactory, clock: FakeClock) -> None:
    session = make_session()
    first: list[SessionState] = []
    second: list[SessionState] = []
    session.subscribe(first.append)
    session.subscribe(second.append)
    session.confirm_before(1, 2)
    session.pause()
    session.end_early()
    session.abandon()
    assert first == second == [S.RUNNING, S.PAUSED, S.RATE_AFTER, S.ABANDONED]


def test_listener_sees_the_new_state_already_set(make_session: SessionFactory) -> None:
    session = make_session()
    observed: list[tuple[SessionState, SessionState]] = []
    session.subscribe(lambda new: observed.append((new, session.state)))
    session.confirm_before(1, 2)
    assert observed == [(S.RUNNING, S.RUNNING)]


# -- with the real store ------------------------------------------------------------------------------


def test_session_saved_in_the_real_store(
    tmp_path: Path, plan: SessionPlan, clock: FakeClock, wall: Any
) -> None:
    store = Store(tmp_path / "s.db", now=wall)
    try:
        session = Session(
            plan,
            clock=clock,
            utc_now=wall,
            recorder=store.sessions,
            profile_id=store.profiles.default_id(),
        )
        session.confirm_before(None, 6)
        started = wall.moment
        assert store.sessions.get(session.session_id).status is SessionStatus.IN_PROGRESS
        clock.advance(10.0)
        session.pause()
        clock.advance(5.0)
        session.resume()
        clock.advance(20.0)
        wall.advance(35)
        session.update()
        session.confirm_after(2, None)
        [stored] = store.sessions.of_profile(store.profiles.default_id())
        assert stored.id == session.session_id
        assert stored.status is SessionStatus.COMPLETED
        assert stored.practised_s == 30.0
        assert stored.planned_s == 30.0
        assert stored.started_at == started
        assert stored.ended_at == wall.moment
        assert stored.before == Ratings(None, 6)
        assert stored.after == Ratings(2, None)
        raw = store.db.execute(
            "SELECT pre_tension IS NULL, post_pain IS NULL FROM sessions WHERE id = ?",
            [session.session_id],
        ).fetchone()
        assert tuple(raw) == (1, 1)  # skipped is NULL, never 0
    finally:
        store.close()


def test_abandoned_session_in_the_real_store(
    tmp_path: Path, plan: SessionPlan, clock: FakeClock, wall: Any
) -> None:
    store = Store(tmp_path / "s.db", now=wall)
    try:
        profile = store.profiles.default_id()
        never_started = Session(
            plan, clock=clock, utc_now=wall, recorder=store.sessions, profile_id=profile
        )
        never_started.abandon()
        assert store.sessions.of_profile(profile) == []

        session = Session(
            plan, clock=clock, utc_now=wall, recorder=store.sessions, profile_id=profile
        )
        session.confirm_before(8, 7)
        clock.advance(12.5)
        session.abandon()
        [stored] = store.sessions.of_profile(profile)
        assert stored.status is SessionStatus.ABANDONED
        assert stored.practised_s == 12.5
        assert stored.after == Ratings(None, None)
    finally:
        store.close()


def test_abandon_after_the_planned_time_ran_out_counts_as_completed(
    make_session: SessionFactory, clock: FakeClock, recorder: FakeRecorder
) -> None:
    session = make_session()
    session.confirm_before(3, 3)
    clock.advance(45.0)  # past the 30 s planned, but no frame has called update() yet
    session.abandon()
    assert recorder.finished[0]["status"] is SessionStatus.COMPLETED
    assert recorder.finished[0]["practised_s"] == 30.0
