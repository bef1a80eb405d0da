"""Demonstrations: a session with the NotRecorded recorder runs every stage of any exercise
(a breathing plan or an attention plan) with no store, and writes nothing anywhere."""

from __future__ import annotations

import builtins
import io
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from trainer.content.attention import attention_plan
from trainer.content.catalog import load_catalog
from trainer.content.scripts import load_scripts
from trainer.session.clock import FakeClock
from trainer.session.machine import (
    NO_PROFILE,
    NotRecorded,
    Ratings,
    Session,
    SessionPlan,
    SessionState,
    SessionStatus,
    demonstration,
)
from trainer.store.store import Store

S = SessionState
CATALOG = load_catalog()
SCRIPTS = load_scripts()


class WriteAttemptError(AssertionError):
    """Raised when code under test tries to open a file or a database."""


@contextmanager
def no_files_or_databases(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way the app could write (open, os.open, sqlite3.connect) fails and is noted."""
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def call(*args: object, **kwargs: object) -> None:
            attempts.append(f"{name}{args!r}")
            raise WriteAttemptError(f"{name} was called during a demonstration: {args!r}")

        return call

    with monkeypatch.context() as patch:
        patch.setattr(builtins, "open", refuse("open"))
        patch.setattr(io, "open", refuse("io.open"))
        patch.setattr(os, "open", refuse("os.open"))
        patch.setattr(sqlite3, "connect", refuse("sqlite3.connect"))
        yield attempts


def breathing_plan() -> SessionPlan:
    return CATALOG.get("coherent-5-5").plan(1)


def attention(script_id: str = "body-scan") -> SessionPlan:
    script = next(s for s in SCRIPTS if s.id == script_id)
    return attention_plan(script, script.lengths_min[0])


@pytest.mark.parametrize("make_plan", [breathing_plan, attention], ids=["breathing", "attention"])
def test_a_demonstration_goes_through_every_stage_without_a_store(
    make_plan: Any, clock: FakeClock, wall: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    plan = make_plan()
    seen: list[SessionState] = []
    with no_files_or_databases(monkeypatch) as attempts:
        session = demonstration(plan, clock=clock, utc_now=wall)
        session.subscribe(seen.append)
        assert not session.recorded
        assert session.state is S.RATE_BEFORE
        session.confirm_before(None, None)
        assert session.session_id is not None
        assert session.session_id < 0
        clock.advance(plan.lead_in_s + 12.0)
        session.update()
        assert session.practice_s == pytest.approx(12.0)
        session.pause()
        clock.advance(100.0)
        session.resume()
        clock.advance(plan.planned_s + plan.end_cue_s)  # to the end of the close
        session.update()
        assert session.state is S.RATE_AFTER
        assert session.status is SessionStatus.COMPLETED
        session.confirm_after(None, None)
    assert attempts == []
    assert seen == [S.RUNNING, S.PAUSED, S.RUNNING, S.RATE_AFTER, S.SAVED]
    assert session.state is S.SAVED
    assert session.practised_s == pytest.approx(plan.planned_s)
    assert session.after == Ratings(None, None)
    assert list(tmp_path.iterdir()) == []


def test_a_demonstration_can_end_early_or_be_abandoned_and_still_writes_nothing(
    clock: FakeClock, wall: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with no_files_or_databases(monkeypatch) as attempts:
        ended = demonstration(attention("somatic-tracking"), clock=clock, utc_now=wall)
        ended.confirm_before(None, None)
        clock.advance(10.0)
        ended.end_early()
        assert ended.status is SessionStatus.ENDED_EARLY
        ended.confirm_after(None, None)
        left = demonstration(breathing_plan(), clock=clock, utc_now=wall)
        left.confirm_before(None, None)
        clock.advance(5.0)
        left.abandon()
    assert attempts == []
    assert (ended.state, left.state) == (S.SAVED, S.ABANDONED)


def test_the_guard_would_catch_a_store(
    clock: FakeClock, wall: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The check above is real: a session recorded in a store is stopped by it."""
    with no_files_or_databases(monkeypatch) as attempts, pytest.raises(WriteAttemptError):
        Store(tmp_path / "safesignal.db", now=wall)
    assert attempts
    assert attempts[0].startswith("sqlite3.connect")


def test_ids_are_negative_so_they_never_clash_with_stored_ones(
    clock: FakeClock, wall: Any, store: Store
) -> None:
    recorder = NotRecorded()
    stored = Session(
        breathing_plan(),
        clock=clock,
        utc_now=wall,
        recorder=store.sessions,
        profile_id=store.profiles.default_id(),
    )
    stored.confirm_before(None, None)
    demos = [
        Session(breathing_plan(), clock=clock, utc_now=wall, recorder=recorder, profile_id=1)
        for _ in range(3)
    ]
    for demo in demos:
        demo.confirm_before(None, None)
    assert stored.recorded
    assert stored.session_id == 1
    assert [d.session_id for d in demos] == [-1, -2, -3]
    assert NO_PROFILE not in {p.id for p in store.profiles.all()}
    for demo in demos:
        demo.abandon()
    stored.abandon()
    assert [s.id for s in store.sessions.of_profile(store.profiles.default_id())] == [1]
