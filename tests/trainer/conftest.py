"""Fixtures for the Qt-free core's tests: fake clocks, patterns and a store in a temporary folder.

Nothing here (or anywhere under tests/trainer) may import PySide6, pyqtgraph or ``ui``: these
tests must run where Qt is not installed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import trainer.store.migrations
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.session.clock import FakeClock
from trainer.session.machine import Ratings, SessionPlan, SessionStatus
from trainer.store.store import Store

INHALE, HOLD, EXHALE = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE


class FakeWallClock:
    """A stand-in for ``utc_now``: a fixed UTC moment that tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    """A monotonic clock that only moves when the test advances it."""
    return FakeClock(start_s=1000.0)


@pytest.fixture
def wall() -> FakeWallClock:
    """A wall clock fixed at 2024-05-01 09:30:00 UTC."""
    return FakeWallClock(datetime(2024, 5, 1, 9, 30, 0, tzinfo=UTC))


@pytest.fixture
def box() -> BreathingPattern:
    """Box breathing, 4-4-4-4 (3.75 breaths a minute)."""
    return BreathingPattern([Phase(INHALE, 4), Phase(HOLD, 4), Phase(EXHALE, 4), Phase(HOLD, 4)])


@pytest.fixture
def coherent() -> BreathingPattern:
    """Coherent breathing, 5-5 (6 breaths a minute)."""
    return BreathingPattern([Phase(INHALE, 5), Phase(EXHALE, 5)])


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test database lives (not yet created)."""
    return tmp_path / "safesignal.db"


@pytest.fixture
def store(db_path: Path, wall: FakeWallClock) -> Iterator[Store]:
    """A freshly migrated store in a temporary folder, closed after the test."""
    opened = Store(db_path, now=wall)
    yield opened
    opened.close()


RATED_AFTER = Ratings(3, 4)  # what add_finished's sessions are rated after practice


def add_finished(
    store: Store,
    box: BreathingPattern,
    count: int,
    *,
    first: datetime,
    step: timedelta,
    after: Ratings = RATED_AFTER,
    practised_s: float = 300.0,
) -> None:
    """Store ``count`` completed box-breathing sessions of the default profile, started at
    ``first``, ``first + step``...: ``practised_s`` (5 minutes) practised, rated 5/6 before and
    ``after`` (3/4) after."""
    plan = SessionPlan("box-4-4-4-4", "Box breathing", box, 19)
    me = store.profiles.default_id()
    for n in range(count):
        started = first + n * step
        session = store.sessions.start_session(plan, me, started, Ratings(5, 6))
        store.sessions.finish_session(
            session,
            ended_at=started + timedelta(minutes=6),
            practised_s=practised_s,
            status=SessionStatus.COMPLETED,
            after=after,
        )


def make_old_database(path: Path, version: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database of an older schema (``version``), made by the migrations up to it."""
    with monkeypatch.context() as patch:
        patch.setattr(
            trainer.store.migrations, "MIGRATIONS", trainer.store.migrations.MIGRATIONS[:version]
        )
        patch.setattr(trainer.store.migrations, "SCHEMA_VERSION", version)
        Store(path).close()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
