"""Clock changes never reorder or corrupt history: times are stored in UTC (a new time zone or
daylight saving changes only how they are shown) and durations come from the monotonic clock
(the wall clock set back or forward during a session changes nothing that was practised, and a
session never ends before it began)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.trainer.conftest import FakeWallClock
from trainer.content.breathing import BreathingPattern
from trainer.session.clock import FakeClock, LocalZone
from trainer.session.machine import Session, SessionPlan, SessionStatus
from trainer.store.exchange import export_sessions, import_sessions
from trainer.store.store import Store

T0 = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # 01:00 EDT, the night New York leaves summer time


@pytest.fixture
def plan(box: BreathingPattern) -> SessionPlan:
    return SessionPlan("box-4-4-4-4", "Box breathing", box, 19)


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def record(
    store: Store,
    plan: SessionPlan,
    clock: FakeClock,
    wall: FakeWallClock,
    *,
    practise_s: float,
    set_back_s: float = 0.0,
    tension: int = 5,
) -> Session:
    """One session; half-way through practice the wall clock is set back by ``set_back_s``."""
    session = Session(
        plan,
        clock=clock,
        utc_now=wall,
        recorder=store.sessions,
        profile_id=store.profiles.default_id(),
    )
    session.confirm_before(tension, 5)
    clock.advance(plan.lead_in_s + practise_s / 2)
    wall.advance(plan.lead_in_s + practise_s / 2)
    wall.moment -= timedelta(seconds=set_back_s)
    clock.advance(practise_s / 2)
    wall.advance(practise_s / 2)
    session.end_early()
    session.confirm_after(3, 3)
    return session


def test_a_clock_set_back_during_a_session_changes_neither_its_practice_nor_its_order(
    store: Store, plan: SessionPlan, clock: FakeClock, tmp_path: Path
):
    wall = FakeWallClock(T0)
    first = record(store, plan, clock, wall, practise_s=120.0, set_back_s=3600.0)
    row = store.sessions.get(first.session_id)
    assert row.practised_s == pytest.approx(120.0)  # the monotonic clock's count
    assert row.status is SessionStatus.ENDED_EARLY
    assert row.ended_at is not None
    assert row.ended_at >= row.started_at  # never ends before it began
    assert (row.ended_at - row.started_at).total_seconds() == pytest.approx(
        plan.lead_in_s + 120.0, abs=1.0
    )
    # And what is stored can be exported and imported again (an import refuses an end before
    # the start).
    out = tmp_path / "all.json"
    export_sessions(store, store.profiles.default_id(), out, "json")
    fresh = Store.open_in(tmp_path / "fresh")
    try:
        assert import_sessions(fresh, fresh.profiles.default_id(), out).added == 1
    finally:
        fresh.close()


def test_a_clock_set_forward_during_a_session_does_not_add_practice(
    store: Store, plan: SessionPlan, clock: FakeClock
):
    wall = FakeWallClock(T0)
    session = record(store, plan, clock, wall, practise_s=60.0, set_back_s=-86_400.0)
    row = store.sessions.get(session.session_id)
    assert row.practised_s == pytest.approx(60.0)


def test_sessions_keep_their_order_when_the_clock_is_set_back_within_a_second(
    store: Store, plan: SessionPlan, clock: FakeClock
):
    """Two sessions stamped with the same second (the clock went back in between): the order in
    which they were recorded decides."""
    wall = FakeWallClock(T0)
    first = record(store, plan, clock, wall, practise_s=10.0, tension=1)
    wall.moment = T0  # set back to the first one's start
    second = record(store, plan, clock, wall, practise_s=10.0, tension=2)
    newest_first = store.sessions.of_profile(store.profiles.default_id())
    assert [s.id for s in newest_first] == [second.session_id, first.session_id]
    table = store.sessions.table(store.profiles.default_id())
    assert table.ids.tolist() == [first.session_id, second.session_id]


def test_a_time_zone_change_between_sessions_keeps_the_order(
    store: Store, plan: SessionPlan, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
):
    """Flying from Tokyo to Los Angeles: the second session's local wall time is hours earlier
    than the first's, but the history goes by the true (UTC) order."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        wall = FakeWallClock(T0)
        first = record(store, plan, clock, wall, practise_s=60.0, tension=1)
        assert first.started_at is not None
        first_wall = first.started_at.astimezone(LocalZone()).replace(tzinfo=None)
        monkeypatch.setenv("TZ", "America/Los_Angeles")  # 17 hours behind Tokyo
        time.tzset()
        wall.advance(3600.0)  # an hour later in truth; the local clock shows 16 hours earlier
        second = record(store, plan, clock, wall, practise_s=60.0, tension=2)
        assert second.started_at is not None
        second_wall = second.started_at.astimezone(LocalZone()).replace(tzinfo=None)
        assert second_wall < first_wall  # on the wall clocks, the second came first
        rows = store.sessions.of_profile(store.profiles.default_id())
        assert [r.id for r in rows] == [second.session_id, first.session_id]
        assert rows[1].started_at == T0
        assert rows[0].started_at == T0 + timedelta(seconds=plan.lead_in_s + 60.0 + 3600.0)
        assert all(r.started_at.utcoffset() == timedelta(0) for r in rows)
        table = store.sessions.table(store.profiles.default_id())
        assert table.ids.tolist() == [first.session_id, second.session_id]
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_repeated_hour_of_daylight_saving_keeps_the_order(
    store: Store, plan: SessionPlan, clock: FakeClock, local_zone: None
):
    """01:30 summer time, then 01:10 winter time: later in truth, earlier on the wall clock."""
    wall = FakeWallClock(T0 + timedelta(minutes=30))  # 01:30 EDT
    first = record(store, plan, clock, wall, practise_s=60.0, tension=1)
    wall.moment = T0 + timedelta(hours=1, minutes=10)  # 01:10 EST, 40 minutes later
    second = record(store, plan, clock, wall, practise_s=60.0, tension=2)
    rows = list(reversed(store.sessions.of_profile(store.profiles.default_id())))
    assert [r.id for r in rows] == [first.session_id, second.session_id]
    shown = [r.started_at.astimezone(LocalZone()) for r in rows]
    assert [(t.hour, t.minute, t.tzname()) for t in shown] == [(1, 30, "EDT"), (1, 10, "EST")]
    assert [t.utcoffset() for t in shown] == [timedelta(hours=-4), timedelta(hours=-5)]
    assert shown[0] < shown[1]  # local times, compared, keep the true order
    assert [t.astimezone(UTC) for t in shown] == [r.started_at for r in rows]
    assert store.sessions.table(store.profiles.default_id()).ids.tolist() == [
        first.session_id,
        second.session_id,
    ]
