"""Tests for trainer/session/recovery.py: sessions left in progress are closed as interrupted at start,
with their before-ratings and the time practised, for every profile."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import trainer.store.migrations
from trainer.content.breathing import BreathingPattern
from trainer.errors import StoreError
from trainer.session.clock import FakeClock
from trainer.session.machine import Ratings, Session, SessionPlan, SessionStatus
from trainer.session.recovery import ended_at_of, practised_text, recover_unfinished
from trainer.store.migrations import SCHEMA_VERSION
from trainer.store.store import Store

FRAME_S = 0.25


@pytest.fixture
def plan(coherent: BreathingPattern) -> SessionPlan:
    """Coherent breathing for 10 minutes."""
    return SessionPlan("coherent-5-5", "Coherent breathing", coherent, cycles=60)


def crashed_session(
    store: Store, plan: SessionPlan, clock: FakeClock, wall: Any, profile: int, run_s: float
) -> int:
    """A session that ran ``run_s`` seconds and was then never finished (the app died)."""
    session = Session(plan, clock=clock, utc_now=wall, recorder=store.sessions, profile_id=profile)
    session.confirm_before(6, 7)
    for _ in range(round(run_s / FRAME_S)):
        clock.advance(FRAME_S)
        wall.advance(FRAME_S)
        session.update()
    assert session.session_id is not None
    return session.session_id  # and the session object is simply dropped


def test_an_unfinished_session_becomes_interrupted_with_its_ratings_and_time(
    store: Store, plan: SessionPlan, clock: FakeClock, wall: Any
) -> None:
    me = store.profiles.default_id()
    started = wall()
    sid = crashed_session(store, plan, clock, wall, me, 242.0)
    found = recover_unfinished(store.sessions)
    assert [r.id for r in found] == [sid]
    recovered = found[0]
    assert recovered.practised_s == pytest.approx(240.0)  # the last checkpoint
    assert recovered.before == Ratings(6, 7)
    assert recovered.ended_at == started + timedelta(seconds=240)
    assert recovered.message() == (
        "Your last session (Coherent breathing, 4 min practised) stopped unexpectedly. "
        "It has been kept."
    )
    stored = store.sessions.get(sid)
    assert stored.status is SessionStatus.INTERRUPTED
    assert stored.practised_s == pytest.approx(240.0)
    assert stored.ended_at == started + timedelta(seconds=240)
    assert stored.before == Ratings(6, 7)
    assert stored.after == Ratings(None, None)
    assert recover_unfinished(store.sessions) == []  # nothing left to recover


def test_an_offer_carried_over_from_an_earlier_start_is_never_the_last_session() -> None:
    from dataclasses import replace

    from trainer.session.recovery import RecoveredSession

    at = datetime(2026, 12, 7, 14, 5, tzinfo=UTC)
    found = RecoveredSession(3, 1, "Box breathing", "breathing", at, at, 300.0, Ratings(2, 2))
    assert found.message().startswith("Your last session (Box breathing, 5 min practised)")
    carried = replace(found, carried_over=True)
    assert carried.message() == (
        "An earlier session (Box breathing, 5 min practised) stopped before its "
        "after-ratings. It has been kept."
    )
    assert carried.message("Monday 07 December, 14:05").startswith(
        "Your session of Monday 07 December, 14:05 (Box breathing"
    )


def test_finished_sessions_are_left_alone_and_other_profiles_are_recovered_too(
    store: Store, plan: SessionPlan, clock: FakeClock, wall: Any
) -> None:
    me = store.profiles.default_id()
    ana = store.profiles.create("Ana")
    done = Session(plan, clock=clock, utc_now=wall, recorder=store.sessions, profile_id=me)
    done.confirm_before(5, 5)
    clock.advance(30)
    done.end_early()
    done.confirm_after(2, 3)
    assert done.session_id is not None
    before = store.sessions.get(done.session_id)
    mine = crashed_session(store, plan, clock, wall, me, 12.0)
    hers = crashed_session(store, plan, clock, wall, ana, 3.0)  # no checkpoint yet
    found = recover_unfinished(store.sessions)
    assert [(r.id, r.profile_id) for r in found] == [(mine, me), (hers, ana)]
    assert store.sessions.get(done.session_id) == before
    hers_stored = store.sessions.get(hers)
    assert hers_stored.status is SessionStatus.INTERRUPTED
    assert hers_stored.practised_s == 0.0
    assert hers_stored.ended_at == hers_stored.started_at  # started + nothing practised
    assert [s.status for s in store.sessions.of_profile(ana)] == [SessionStatus.INTERRUPTED]


def test_without_a_checkpoint_time_the_end_is_the_start_plus_the_time_practised(
    store: Store, plan: SessionPlan, wall: Any
) -> None:
    sid = store.sessions.start_session(plan, store.profiles.default_id(), wall(), Ratings(1, None))
    store.db.execute("UPDATE sessions SET practised_s = 90 WHERE id = ?", [sid])
    (stored,) = store.sessions.unfinished_sessions()
    assert ended_at_of(stored) == wall() + timedelta(seconds=90)
    (recovered,) = recover_unfinished(store.sessions)
    assert recovered.before == Ratings(1, None)
    assert store.sessions.get(sid).ended_at == wall() + timedelta(seconds=90)


def test_a_session_closed_meanwhile_is_not_reported(
    store: Store, plan: SessionPlan, wall: Any
) -> None:
    sid = store.sessions.start_session(plan, store.profiles.default_id(), wall(), Ratings(1, 1))
    assert store.sessions.mark_interrupted(sid, ended_at=wall())
    assert not store.sessions.mark_interrupted(sid, ended_at=wall())


def test_after_ratings_can_be_added_to_a_recovered_session(
    store: Store, plan: SessionPlan, clock: FakeClock, wall: Any
) -> None:
    sid = crashed_session(store, plan, clock, wall, store.profiles.default_id(), 6.0)
    with pytest.raises(StoreError, match="nothing was saved"):
        store.sessions.set_after_ratings(sid, Ratings(3, 4))  # not while still in progress
    recover_unfinished(store.sessions)
    store.sessions.set_after_ratings(sid, Ratings(3, None))
    stored = store.sessions.get(sid)
    assert (stored.status, stored.before, stored.after) == (
        SessionStatus.INTERRUPTED,
        Ratings(6, 7),
        Ratings(3, None),
    )


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "under a minute"), (29, "under a minute"), (31, "1 min"), (250, "4 min")],
)
def test_practised_text(seconds: float, text: str) -> None:
    assert practised_text(seconds) == text


def test_a_version_5_database_gains_checkpoints_and_its_unfinished_session_is_recovered(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, plan: SessionPlan
) -> None:
    started = datetime(2026, 1, 2, 8, 0, tzinfo=UTC)
    with monkeypatch.context() as patch:
        patch.setattr(
            trainer.store.migrations, "MIGRATIONS", trainer.store.migrations.MIGRATIONS[:5]
        )
        patch.setattr(trainer.store.migrations, "SCHEMA_VERSION", 5)
        old = Store(db_path)
        # The row as Safe Signal of schema 5 wrote it (today's start_session writes newer columns).
        sid = old.db.execute(
            "INSERT INTO sessions (profile_id, exercise_id, kind, settings_json, started_at, "
            "planned_s, practised_s, status, pre_tension, pre_pain, title) "
            "VALUES (?, ?, ?, '{}', ?, ?, 75, 'in_progress', 4, 8, ?)",
            [
                old.profiles.default_id(),
                plan.exercise_id,
                plan.kind,
                "2026-01-02T08:00:00Z",
                plan.planned_s,
                plan.title,
            ],
        ).lastrowid
        old.close()
    with sqlite3.connect(db_path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
    conn.close()
    assert "checkpoint_at" not in columns
    new = Store(db_path)
    try:
        assert new.schema_version == SCHEMA_VERSION
        stored = new.sessions.get(sid)
        assert (stored.status, stored.checkpoint_at) == (SessionStatus.IN_PROGRESS, None)
        (recovered,) = recover_unfinished(new.sessions)
        assert recovered.ended_at == started + timedelta(seconds=75)
        assert new.sessions.get(sid).before == Ratings(4, 8)
    finally:
        new.close()


def test_the_offers_are_noted_before_any_session_is_closed(
    store: Store, plan: SessionPlan, clock: FakeClock, wall: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.session.recovery import OFFERS_KEY, offers_answered, offers_pending

    me = store.profiles.default_id()
    first = crashed_session(store, plan, clock, wall, me, 30.0)
    second = crashed_session(store, plan, clock, wall, me, 30.0)

    def killed(*args: object, **kwargs: object) -> bool:
        raise KeyboardInterrupt  # stopped before the first is closed

    with monkeypatch.context() as patched:
        patched.setattr(store.sessions, "mark_interrupted", killed)
        with pytest.raises(KeyboardInterrupt):
            recover_unfinished(store.sessions, store.app_settings)
    assert offers_pending(store.app_settings) == [first, second]
    assert [r.id for r in recover_unfinished(store.sessions, store.app_settings)] == [first, second]
    assert offers_pending(store.app_settings) == [first, second]  # noted once
    offers_answered(store.app_settings, [first])
    assert offers_pending(store.app_settings) == [second]
    for unreadable in ("not json", '{"a": 1}', '[true, "x", 3]'):
        store.app_settings.set(OFFERS_KEY, unreadable)
        assert offers_pending(store.app_settings) == ([3] if unreadable.startswith("[") else [])
