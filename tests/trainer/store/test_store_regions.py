"""Where it hurts: body-map areas stored with a session (migration 3) and history by region."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import trainer.store.migrations
from trainer.content.breathing import BreathingPattern
from trainer.errors import StoreError
from trainer.session.machine import Ratings, SessionPlan
from trainer.store.migrations import SCHEMA_VERSION
from trainer.store.store import Store

WHEN = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def start(store: Store, plan: SessionPlan) -> int:
    return store.sessions.start_session(plan, store.profiles.default_id(), WHEN, Ratings(5, 6))


@pytest.fixture
def plan(coherent: BreathingPattern) -> SessionPlan:
    return SessionPlan("somatic-tracking", "Somatic tracking", coherent, 18, kind="attention")


def test_marked_areas_come_back_by_role(store: Store, plan: SessionPlan) -> None:
    session = start(store, plan)
    assert store.regions.of_session(session) == ((), ())
    store.regions.save(session, ["lower_back", "left_knee", "lower_back"], ["left_hand"])
    assert store.regions.of_session(session) == (("left_knee", "lower_back"), ("left_hand",))
    store.regions.save(session, ["neck"])  # saving again replaces
    assert store.regions.of_session(session) == (("neck",), ())


@pytest.mark.parametrize("bad", ["", "Left Knee", "knee; DROP TABLE", 7, "x" * 41])
def test_bad_region_names_are_refused_and_nothing_changes(
    store: Store, plan: SessionPlan, bad: object
) -> None:
    session = start(store, plan)
    store.regions.save(session, ["neck"])
    with pytest.raises(StoreError, match="body region"):
        store.regions.save(session, ["lower_back", bad])  # type: ignore[list-item]
    assert store.regions.of_session(session) == (("neck",), ())


def test_history_can_be_filtered_by_where_it_hurt(store: Store, plan: SessionPlan) -> None:
    back = start(store, plan)
    store.regions.save(back, ["lower_back"], ["left_hand"])
    knee = start(store, plan)
    store.regions.save(knee, ["left_knee"])
    start(store, plan)  # nothing marked
    me = store.profiles.default_id()
    assert [s.id for s in store.sessions.of_profile(me, region="lower_back")] == [back]
    assert [s.id for s in store.sessions.of_profile(me, region="left_knee")] == [knee]
    assert (
        store.sessions.of_profile(me, region="left_hand") == []
    )  # a comfortable area is not a sore one
    assert len(store.sessions.of_profile(me)) == 3


def test_deleting_a_session_deletes_its_areas(store: Store, plan: SessionPlan) -> None:
    session = start(store, plan)
    store.regions.save(session, ["neck"])
    store.db.execute("DELETE FROM sessions WHERE id = ?", [session])
    assert store.db.execute("SELECT count(*) FROM session_regions").fetchone()[0] == 0


def test_a_version_2_database_gains_the_table_and_keeps_its_sessions(
    db_path: Path, plan: SessionPlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(
            trainer.store.migrations, "MIGRATIONS", trainer.store.migrations.MIGRATIONS[:2]
        )
        patch.setattr(trainer.store.migrations, "SCHEMA_VERSION", 2)
        old = Store(db_path)
        # As version 2 stored a session (no title column yet).
        session = old.db.execute(
            "INSERT INTO sessions (profile_id, exercise_id, kind, settings_json, started_at, "
            "ended_at, planned_s, practised_s, status, pre_tension, pre_pain, post_tension, "
            "post_pain) VALUES (?, 'somatic-tracking', 'attention', '{}', ?, ?, 180, 180, "
            "'completed', 5, 6, 3, 4)",
            [
                old.db.execute("SELECT min(id) FROM profiles").fetchone()[0],
                "2026-03-01T09:00:00Z",
                "2026-03-01T09:03:00Z",
            ],
        ).lastrowid
        assert old.schema_version == 2
        old.close()
    new = Store(db_path)
    try:
        assert new.schema_version == SCHEMA_VERSION >= 3
        (kept,) = new.sessions.of_profile(new.profiles.default_id())
        assert (kept.id, kept.practised_s, kept.after.pain) == (session, 180.0, 4)
        new.regions.save(session, ["neck"])
        assert new.regions.of_session(session) == (("neck",), ())
    finally:
        new.close()


def test_where_it_hurt_for_every_session_of_a_profile(store: Store, plan: SessionPlan) -> None:
    first = start(store, plan)
    store.regions.save(first, ["lower_back", "neck"], ["left_hand"])
    start(store, plan)
    third = start(store, plan)
    store.regions.save(third, ["left_knee"])
    other = store.db.execute(
        "INSERT INTO profiles (name, created_at) VALUES ('Sam', '2026-01-01T00:00:00Z')"
    ).lastrowid
    theirs = store.sessions.start_session(plan, other, WHEN, Ratings(1, 1))
    store.regions.save(theirs, ["head"])
    assert store.regions.pain_by_session(store.profiles.default_id()) == {
        first: ("lower_back", "neck"),
        third: ("left_knee",),
    }
