"""Profiles for a clinic (migration 5): rename, archive, delete with everything of theirs, and
settings that belong to the computer rather than to one person."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import trainer.store.migrations
from trainer.content.breathing import BreathingPattern
from trainer.errors import StoreError
from trainer.session.machine import Ratings, SessionPlan
from trainer.session.resonance import ResonanceRun
from trainer.store.migrations import SCHEMA_VERSION
from trainer.store.profiles import MAX_PROFILE_NAME_CHARS
from trainer.store.store import Store

WHEN = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def plan(coherent: BreathingPattern) -> SessionPlan:
    return SessionPlan("coherent", "Coherent breathing", coherent, 6)


def fill(store: Store, profile_id: int, plan: SessionPlan, pattern: BreathingPattern) -> int:
    """Give a profile one of everything a profile can own; return the session's id."""
    session = store.sessions.start_session(plan, profile_id, WHEN, Ratings(5, 6))
    store.regions.save(session, ["neck"], ["left_hand"])
    store.preferences.set(profile_id, "sound_volume", "40")
    store.patterns.save(profile_id, "Evening", pattern)
    store.resonance.save_run(profile_id, ResonanceRun(WHEN, WHEN, True, ()))
    return session


def owned_rows(store: Store, profile_id: int) -> dict[str, int]:
    counts = {}
    for table in ("sessions", "preferences", "custom_patterns", "resonance_runs"):
        row = store.db.execute(
            f"SELECT count(*) FROM {table} WHERE profile_id = ?", [profile_id]
        ).fetchone()
        counts[table] = int(row[0])
    return counts


def test_a_version_4_database_gains_archiving_and_keeps_its_profiles(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(
            trainer.store.migrations, "MIGRATIONS", trainer.store.migrations.MIGRATIONS[:4]
        )
        patch.setattr(trainer.store.migrations, "SCHEMA_VERSION", 4)
        old = Store(db_path)
        old.db.execute(
            "INSERT INTO profiles (name, created_at) VALUES ('Ana', '2026-01-01T00:00:00Z')"
        )
        old.close()
    new = Store(db_path)
    try:
        assert new.schema_version == SCHEMA_VERSION >= 5
        assert [(p.name, p.archived) for p in new.profiles.all()] == [("Me", False), ("Ana", False)]
        assert new.app_settings.get("theme", "system") == "system"
    finally:
        new.close()


def test_rename_trims_and_refuses_clashes_in_any_letter_case(store: Store) -> None:
    me = store.profiles.default_id()
    ana = store.profiles.create("Ana")
    assert store.profiles.rename(ana, "  Ana   Lopez ") == "Ana Lopez"
    assert store.profiles.get(ana).name == "Ana Lopez"
    with pytest.raises(StoreError, match="already a profile called “Ana Lopez”"):
        store.profiles.rename(me, "ana lopez")
    assert store.profiles.rename(ana, "ANA LOPEZ") == "ANA LOPEZ"  # its own name, new case
    with pytest.raises(StoreError, match="already a profile"):
        store.profiles.create("me")


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("   ", "needs a name"),
        ("x" * (MAX_PROFILE_NAME_CHARS + 1), "up to 60"),
        ("a\x07b", "control"),
    ],
)
def test_bad_names_are_refused_and_nothing_changes(store: Store, bad: str, says: str) -> None:
    ana = store.profiles.create("Ana")
    with pytest.raises(StoreError, match=says):
        store.profiles.rename(ana, bad)
    with pytest.raises(StoreError, match=says):
        store.profiles.create(bad)
    assert [p.name for p in store.profiles.all()] == ["Me", "Ana"]


def test_archived_profiles_are_kept_and_the_last_one_in_use_cannot_go(
    store: Store, plan: SessionPlan, coherent: BreathingPattern
) -> None:
    me = store.profiles.default_id()
    ana = store.profiles.create("Ana")
    fill(store, ana, plan, coherent)
    store.profiles.set_archived(me, True)
    assert store.profiles.default_id() == ana  # the first one still in use
    with pytest.raises(StoreError, match="only profile in use"):
        store.profiles.set_archived(ana, True)
    assert store.profiles.get(me).archived
    assert owned_rows(store, ana)["sessions"] == 1
    store.profiles.set_archived(me, False)
    assert not store.profiles.get(me).archived
    assert store.profiles.default_id() == me


def test_deleting_a_profile_takes_everything_of_it_and_nothing_else(
    store: Store, plan: SessionPlan, coherent: BreathingPattern
) -> None:
    me = store.profiles.default_id()
    ana = store.profiles.create("Ana")
    kept = fill(store, me, plan, coherent)
    gone = fill(store, ana, plan, coherent)
    before = owned_rows(store, me)
    assert store.profiles.delete(ana) == 1
    assert [p.name for p in store.profiles.all()] == ["Me"]
    assert owned_rows(store, ana) == dict.fromkeys(before, 0)
    assert owned_rows(store, me) == before
    assert store.regions.of_session(gone) == ((), ())
    assert store.regions.of_session(kept) == (("neck",), ("left_hand",))
    with pytest.raises(StoreError, match="only profile"):
        store.profiles.delete(me)
    with pytest.raises(StoreError, match="no profile"):
        store.profiles.delete(ana)


def test_app_settings_are_the_computers_and_survive_a_restart(db_path: Path) -> None:
    first = Store(db_path)
    first.app_settings.set("theme", "dark")
    first.app_settings.set("theme", "high_contrast")
    ana = first.profiles.create("Ana")
    first.close()
    again = Store(db_path)
    try:
        assert again.app_settings.get("theme", "system") == "high_contrast"
        assert again.app_settings.get("missing", "fallback") == "fallback"
        # Not a preference of any profile.
        assert again.preferences.for_profile(ana).get("theme", "none") == "none"
    finally:
        again.close()


def test_session_count_is_per_profile(
    store: Store, plan: SessionPlan, coherent: BreathingPattern
) -> None:
    me = store.profiles.default_id()
    ana = store.profiles.create("Ana")
    fill(store, ana, plan, coherent)
    store.sessions.start_session(plan, ana, WHEN, Ratings(None, None))
    assert (store.sessions.count(me), store.sessions.count(ana)) == (0, 2)
