"""Another program holding the database's write lock while a session runs (issue 17): the pacer
never waits on it, the progress is saved once it lets go, and the saves a person waits for give
up in a moment with an error that names the real cause, the session still in memory.

The lock is held by a real second SQLite connection (see tests/trainer/other_program.py).
``time.monotonic`` only bounds how long one call blocks, with a wide margin: Python's sqlite3
waits 5 s for a lock by default, which is what froze the window before."""

from __future__ import annotations

import logging
import time
from datetime import UTC

import pytest

from tests.trainer.conftest import FakeWallClock
from tests.trainer.other_program import OtherProgram
from trainer.app.practice import PracticeFlow, Saved, Stage
from trainer.app.profile import ProfileInUse
from trainer.content.breathing import BreathingPattern
from trainer.content.catalog import load_catalog
from trainer.errors import DatabaseBusyError
from trainer.session.checkpoint import CHECKPOINT_EVERY_S
from trainer.session.clock import FakeClock
from trainer.session.machine import Ratings, SessionPlan, SessionState, SessionStatus
from trainer.store.store import Store

BLOCKS_AT_MOST_S = 1.0  # the old code blocked 5 s on every write; the new one about 0.05-0.25 s


@pytest.fixture
def profile(store: Store) -> ProfileInUse:
    return ProfileInUse(store, store.profiles.default_id(), load_catalog())


@pytest.fixture
def flow(profile: ProfileInUse, clock: FakeClock, wall: FakeWallClock) -> PracticeFlow:
    return PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC)


@pytest.fixture
def plan(coherent: BreathingPattern) -> SessionPlan:
    return SessionPlan("coherent-5-5", "Coherent breathing", coherent, 6)  # 60 s


def blocked_s(call: object) -> float:
    """How long ``call()`` kept the caller (the window's thread) waiting."""
    assert callable(call)
    started = time.monotonic()
    call()
    return time.monotonic() - started


def step(flow: PracticeFlow, clock: FakeClock, wall: FakeWallClock, seconds: float) -> float:
    """Let ``seconds`` pass and show one frame; return how long the frame blocked."""
    clock.advance(seconds)
    wall.advance(seconds)
    assert flow.session is not None
    return blocked_s(flow.session.update)


@pytest.mark.parametrize("begin", ["IMMEDIATE", "EXCLUSIVE"])
def test_the_pacer_never_waits_for_the_lock_and_the_progress_is_saved_once_it_is_free(
    flow, store, db_path, clock, wall, plan, caplog, begin
):
    flow.start_breathing(plan, "h", ask_where=False)
    flow.before_confirmed(4, 6)
    session = flow.session
    assert session is not None
    assert session.session_id is not None
    caplog.set_level(logging.INFO, logger="trainer.session.checkpoint")
    with OtherProgram(db_path, begin):
        frames = [step(flow, clock, wall, CHECKPOINT_EVERY_S) for _ in range(4)]  # 20 s
        assert max(frames) < BLOCKS_AT_MOST_S  # a checkpoint each time, each refused
        assert session.state is SessionState.RUNNING  # the practice goes on
        assert session.practised_s == pytest.approx(20.0)
        assert store.sessions.get(session.session_id).practised_s == 0.0
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1  # said once, not every five seconds
    assert "another program is using Safe Signal's database" in warnings[0].getMessage()

    step(flow, clock, wall, CHECKPOINT_EVERY_S)  # the lock is free: the next one is kept
    assert store.sessions.get(session.session_id).practised_s == pytest.approx(25.0)
    assert "saved again after 4 failed tries" in caplog.records[-1].getMessage()


def test_the_final_save_gives_up_in_a_moment_naming_the_other_program_and_keeps_the_session(
    flow, store, db_path, clock, wall, plan
):
    seen: list[Stage] = []
    flow.stages.add(seen.append)
    flow.start_breathing(plan, "h", ask_where=False)
    flow.before_confirmed(4, 6)
    session = flow.session
    assert session is not None
    assert session.session_id is not None
    with OtherProgram(db_path):
        assert step(flow, clock, wall, 61.0) < BLOCKS_AT_MOST_S  # the end: a refused flush
        assert session.state is SessionState.RATE_AFTER
        started = time.monotonic()
        with pytest.raises(DatabaseBusyError) as refused:
            flow.after_confirmed(2, 3)
        assert time.monotonic() - started < BLOCKS_AT_MOST_S
        assert flow.session is session  # nothing let go
        assert session.state is SessionState.RATE_AFTER
    message = str(refused.value)
    assert "another program is using Safe Signal's database" in message
    assert "full" not in message
    assert "room" not in message

    flow.after_confirmed(2, 3)  # Save again once it has let go
    assert isinstance(seen[-1], Saved)
    assert seen[-1].stored is not None
    assert seen[-1].stored.after == Ratings(2, 3)
    assert seen[-1].stored.status is SessionStatus.COMPLETED
    assert seen[-1].stored.practised_s == pytest.approx(60.0)


def test_starting_gives_up_in_a_moment_and_can_start_once_the_lock_is_free(
    flow, store, db_path, plan
):
    flow.start_breathing(plan, "h", ask_where=False)
    session = flow.session
    assert session is not None
    with OtherProgram(db_path):
        started = time.monotonic()
        with pytest.raises(DatabaseBusyError, match="another program is using"):
            flow.before_confirmed(4, 6)
        assert time.monotonic() - started < BLOCKS_AT_MOST_S
    assert session.state is SessionState.RATE_BEFORE  # still on the ratings, nothing stored
    assert store.sessions.of_profile(store.profiles.default_id()) == []
    flow.before_confirmed(4, 6)
    assert session.state is SessionState.RUNNING
    assert session.session_id is not None


def test_after_ratings_for_a_recovered_session_give_up_in_a_moment_and_are_kept_when_given_again(
    flow, profile, store, db_path, clock, wall, plan
):
    flow.start_breathing(plan, "h", ask_where=False)
    flow.before_confirmed(4, 6)  # then the app stops: found unfinished at the next start
    later = PracticeFlow(profile, clock=clock, utc_now=wall, tz=UTC)
    (found,) = later.recover()
    with OtherProgram(db_path):
        started = time.monotonic()
        with pytest.raises(DatabaseBusyError, match="another program is using"):
            later.recovered_after(found, Ratings(2, 3))
        assert time.monotonic() - started < BLOCKS_AT_MOST_S
    assert store.sessions.get(found.id).after == Ratings(None, None)
    later.recovered_after(found, Ratings(2, 3))
    assert store.sessions.get(found.id).after == Ratings(2, 3)
