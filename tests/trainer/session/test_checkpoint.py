"""Tests for trainer/session/checkpoint.py and its use in a session: progress is saved every few seconds
of monotonic time while running, once on a pause or at the end, never for a demonstration."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from trainer.content.breathing import BreathingPattern
from trainer.errors import StoreError
from trainer.session.checkpoint import CHECKPOINT_EVERY_S, Checkpointer
from trainer.session.clock import FakeClock
from trainer.session.machine import (
    NotRecorded,
    Ratings,
    Session,
    SessionPlan,
    SessionState,
    SessionStatus,
    demonstration,
)
from trainer.store.store import Store

FRAME_S = 1 / 60


class Recorder:
    """Keeps every checkpoint a session writes; can be told to fail them."""

    def __init__(self) -> None:
        self.checkpoints: list[tuple[int, float, datetime]] = []
        self.finished: list[dict[str, Any]] = []
        self.fail_checkpoints = False
        self.tries = 0

    def start_session(
        self, plan: SessionPlan, profile_id: int, started_at: datetime, before: Ratings
    ) -> int:
        return 5

    def checkpoint_session(self, session_id: int, *, practised_s: float, at: datetime) -> None:
        self.tries += 1
        if self.fail_checkpoints:
            raise StoreError("Could not save the progress (x.db). The disk is full.")
        self.checkpoints.append((session_id, practised_s, at))

    def finish_session(self, session_id: int, **fields: Any) -> None:
        self.finished.append(fields)


@pytest.fixture
def plan(coherent: BreathingPattern) -> SessionPlan:
    """Coherent breathing, 6 cycles: 60 s, no lead-in."""
    return SessionPlan("coherent-5-5", "Coherent", coherent, cycles=6)


def run_frames(session: Session, clock: FakeClock, seconds: float) -> None:
    """Tick the session at 60 frames a second for ``seconds``."""
    for _ in range(round(seconds / FRAME_S)):
        clock.advance(FRAME_S)
        session.update()


def test_the_checkpointer_writes_once_per_interval_not_every_frame() -> None:
    written: list[float] = []
    checkpointer = Checkpointer(written.append, started_s=100.0)
    for frame in range(1, 12 * 60 + 1):  # 12 s of frames
        now = 100.0 + frame / 60
        checkpointer.tick(now, now - 100.0)
    assert written == pytest.approx([5.0, 10.0], abs=0.02)
    assert checkpointer.writes == 2


def test_a_flush_writes_at_once_but_not_the_same_progress_twice() -> None:
    written: list[float] = []
    checkpointer = Checkpointer(written.append, started_s=0.0)
    assert checkpointer.flush(1.0, 1.0)
    assert not checkpointer.flush(30.0, 1.0)  # a pause with nothing new
    assert written == [1.0]
    assert not checkpointer.tick(34.0, 2.0)  # the flush started a new interval
    assert checkpointer.tick(35.0, 2.0)
    assert written == [1.0, 2.0]


def test_a_nonpositive_interval_is_a_bug() -> None:
    with pytest.raises(ValueError, match="positive"):
        Checkpointer(lambda s: None, started_s=0.0, every_s=0.0)


def test_a_running_session_checkpoints_every_five_seconds(
    plan: SessionPlan, clock: FakeClock, wall: Any
) -> None:
    recorder = Recorder()
    session = Session(plan, clock=clock, utc_now=wall, recorder=recorder, profile_id=1)
    session.confirm_before(4, 6)
    wall.advance(3)
    run_frames(session, clock, 17.0)
    assert CHECKPOINT_EVERY_S == 5.0
    assert [round(p) for _, p, _ in recorder.checkpoints] == [5, 10, 15]
    assert all(sid == 5 for sid, _, _ in recorder.checkpoints)
    # Stamped with the session's clock-safe time of the write: the wall clock, but never earlier
    # than the start plus the seconds the monotonic clock counted (this wall clock lags behind).
    _, practised_s, at = recorder.checkpoints[0]
    assert session.started_at is not None
    assert at == max(wall(), session.started_at + timedelta(seconds=practised_s))
    assert at > wall()


def test_a_pause_checkpoints_once_and_a_paused_session_writes_no_more(
    plan: SessionPlan, clock: FakeClock, wall: Any
) -> None:
    recorder = Recorder()
    session = Session(plan, clock=clock, utc_now=wall, recorder=recorder, profile_id=1)
    session.confirm_before(None, None)
    run_frames(session, clock, 7.0)
    session.pause()
    assert [round(p, 1) for _, p, _ in recorder.checkpoints] == [5.0, 7.0]
    clock.advance(600)
    session.update()  # a stray frame while paused
    assert len(recorder.checkpoints) == 2
    session.resume()
    run_frames(session, clock, 5.5)
    assert [round(p, 1) for _, p, _ in recorder.checkpoints] == [5.0, 7.0, 12.0]


def test_the_end_of_the_practice_checkpoints_before_the_after_ratings(
    plan: SessionPlan, clock: FakeClock, wall: Any
) -> None:
    recorder = Recorder()
    session = Session(plan, clock=clock, utc_now=wall, recorder=recorder, profile_id=1)
    session.confirm_before(1, 2)
    run_frames(session, clock, 61.0)
    assert session.state is SessionState.RATE_AFTER
    assert recorder.checkpoints[-1][1] == pytest.approx(60.0)

    early = Session(plan, clock=clock, utc_now=wall, recorder=recorder, profile_id=1)
    early.confirm_before(1, 2)
    run_frames(early, clock, 8.0)
    early.end_early()
    assert early.status is SessionStatus.ENDED_EARLY
    assert recorder.checkpoints[-1][1] == pytest.approx(8.0, abs=0.02)


def test_a_failed_checkpoint_is_logged_and_the_practice_goes_on(
    plan: SessionPlan, clock: FakeClock, wall: Any, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    recorder.fail_checkpoints = True
    session = Session(plan, clock=clock, utc_now=wall, recorder=recorder, profile_id=1)
    session.confirm_before(3, 3)
    with caplog.at_level("WARNING", logger="trainer.session.checkpoint"):
        run_frames(session, clock, 12.0)
    assert session.state is SessionState.RUNNING
    assert session.practised_s == pytest.approx(12.0, abs=0.02)
    assert recorder.tries == 2  # retried an interval later, not on every frame
    assert "disk is full" in caplog.text
    recorder.fail_checkpoints = False
    run_frames(session, clock, 50.0)
    session.confirm_after(2, 2)
    assert recorder.finished[-1]["status"] is SessionStatus.COMPLETED


def test_a_demonstration_writes_no_checkpoints(
    plan: SessionPlan, clock: FakeClock, wall: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    monkeypatch.setattr(
        NotRecorded, "checkpoint_session", lambda self, *a, **k: calls.append((a, k))
    )
    session = demonstration(plan, clock=clock, utc_now=wall)
    session.confirm_before(None, None)
    run_frames(session, clock, 20.0)
    session.pause()
    assert calls == []
    assert vars(NotRecorded()) == {"_last_id": 0}  # and it has nowhere to keep anything


def test_checkpoints_reach_the_store_and_only_grow(
    store: Store, plan: SessionPlan, clock: FakeClock, wall: Any
) -> None:
    profile = store.profiles.default_id()
    session = Session(plan, clock=clock, utc_now=wall, recorder=store.sessions, profile_id=profile)
    session.confirm_before(5, 7)
    assert session.session_id is not None
    wall.advance(6)
    run_frames(session, clock, 6.0)
    stored = store.sessions.get(session.session_id)
    assert stored.status is SessionStatus.IN_PROGRESS
    assert stored.practised_s == pytest.approx(5.0, abs=0.02)
    assert stored.checkpoint_at == wall().replace(microsecond=0)
    store.sessions.checkpoint_session(session.session_id, practised_s=1.0, at=wall())
    assert store.sessions.get(session.session_id).practised_s == pytest.approx(5.0, abs=0.02)
    session.end_early()
    session.confirm_after(2, 3)
    done = store.sessions.get(session.session_id)
    store.sessions.checkpoint_session(session.session_id, practised_s=99.0, at=wall())  # too late
    assert store.sessions.get(session.session_id) == done
