"""Tests for trainer/store/database.py: schema, migrations, and reading and writing sessions."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

import trainer.store.migrations
from trainer.content.breathing import BreathingPattern
from trainer.errors import NewerDatabaseError, RatingError, StoreError
from trainer.safety.paths import DB_FILENAME
from trainer.session.machine import Ratings, SessionPlan, SessionStatus
from trainer.store.migrations import DEFAULT_PROFILE_NAME, SCHEMA_VERSION
from trainer.store.sessions import StoredSession
from trainer.store.store import Store

T0 = datetime(2024, 5, 1, 9, 30, 0, tzinfo=UTC)


@pytest.fixture
def plan(box: BreathingPattern) -> SessionPlan:
    return SessionPlan(exercise_id="box-4-4-4-4", title="Box breathing", pattern=box, cycles=19)


def raw(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Run one statement on a separate plain connection (closed afterwards)."""
    with closing(sqlite3.connect(path)) as conn:
        return [tuple(row) for row in conn.execute(sql).fetchall()]


def add_profile(store: Store, name: str) -> int:
    with store.db.atomic():
        cursor = store.db.execute(
            "INSERT INTO profiles (name, created_at) VALUES (?, ?)", [name, "2024-01-01T00:00:00Z"]
        )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


@pytest.fixture
def reopen(db_path: Path) -> Iterator[Any]:
    """Open the test database again (closing every store opened this way afterwards)."""
    opened: list[Store] = []

    def open_again() -> Store:
        opened.append(Store(db_path, now=lambda: T0))
        return opened[-1]

    yield open_again
    for store in opened:
        store.close()


# -- schema and migrations ----------------------------------------------------------------------------


def test_new_database_is_migrated_with_wal(store: Store, db_path: Path) -> None:
    assert SCHEMA_VERSION >= 1
    assert store.schema_version == SCHEMA_VERSION
    assert raw(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw(db_path, "PRAGMA journal_mode") == [("wal",)]
    assert {"profiles", "sessions"} <= set(store.db.table_names())
    assert raw(db_path, "SELECT name, created_at FROM profiles") == [
        (DEFAULT_PROFILE_NAME, "2024-05-01T09:30:00Z")
    ]


def test_foreign_keys_are_enforced(store: Store, plan: SessionPlan) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.sessions.start_session(plan, 999, T0, Ratings(1, 1))
    assert store.sessions.of_profile(999) == []


def test_reopening_keeps_data_and_does_not_migrate_again(
    store: Store, plan: SessionPlan, reopen: Any
) -> None:
    session_id = store.sessions.start_session(plan, store.profiles.default_id(), T0, Ratings(5, 4))
    profile_id = store.profiles.default_id()
    store.close()
    again = reopen()
    assert again.schema_version == SCHEMA_VERSION
    assert again.profiles.default_id() == profile_id
    assert again.db.execute("SELECT count(*) FROM profiles").fetchone()[0] == 1
    assert again.sessions.get(session_id).before == Ratings(5, 4)
    # The migration is not re-run: it would have failed on CREATE TABLE, or added a profile.
    again.close()
    third = reopen()
    assert third.db.execute("SELECT count(*) FROM profiles").fetchone()[0] == 1


def test_empty_existing_file_is_migrated(db_path: Path, reopen: Any) -> None:
    db_path.touch()
    store = reopen()
    assert store.schema_version == SCHEMA_VERSION
    assert store.profiles.default_id() == 1


def test_newer_database_is_refused_and_left_untouched(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("CREATE TABLE future (x)")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
        conn.commit()
    before = db_path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer version of Safe Signal") as excinfo:
        Store(db_path)
    assert isinstance(excinfo.value, StoreError)
    assert "has not been changed" in str(excinfo.value)
    assert db_path.read_bytes() == before
    assert not Path(f"{db_path}-wal").exists()
    assert raw(db_path, "PRAGMA journal_mode") == [("delete",)]


@pytest.mark.parametrize(
    "content",
    [b"this is not a database, just some text\n" * 50, b"SQLite format 3\x00" + b"\xff" * 2000],
    ids=["text", "bad-header"],
)
def test_garbage_file_raises_store_error_and_is_untouched(db_path: Path, content: bytes) -> None:
    db_path.write_bytes(content)
    with pytest.raises(StoreError) as excinfo:
        Store(db_path)
    message = str(excinfo.value)
    assert str(db_path) in message
    assert "damaged or is not a Safe Signal database" in message
    assert "has not been changed" in message
    assert isinstance(excinfo.value.__cause__, sqlite3.DatabaseError)
    assert db_path.read_bytes() == content


def test_missing_folder_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "folder" / DB_FILENAME
    with pytest.raises(StoreError, match="folder exists"):
        Store(path)
    assert not path.parent.exists()


def _failing_step(db: sqlite_utils.Database, now_iso: str) -> None:
    """A migration that does part of its work and then fails."""
    db.execute("CREATE TABLE half_done (x INTEGER)")
    db.execute("INSERT INTO profiles (name, created_at) VALUES ('Ghost', ?)", [now_iso])
    db.execute("ALTER TABLE sessions ADD COLUMN mood INTEGER")
    raise RuntimeError("migration step 2 failed half-way")


def test_failed_migration_leaves_the_file_at_its_version(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    monkeypatch.setattr(
        trainer.store.migrations,
        "MIGRATIONS",
        (*trainer.store.migrations.MIGRATIONS, _failing_step),
    )
    monkeypatch.setattr(trainer.store.migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(RuntimeError, match="failed half-way"):
        Store(db_path)
    assert raw(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw(db_path, "SELECT name FROM sqlite_master WHERE name = 'half_done'") == []
    assert raw(db_path, "SELECT name FROM profiles") == [(DEFAULT_PROFILE_NAME,)]
    columns = [row[1] for row in raw(db_path, "PRAGMA table_info(sessions)")]
    assert "mood" not in columns


def test_migration_failing_on_a_new_file_keeps_the_steps_before_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        trainer.store.migrations,
        "MIGRATIONS",
        (*trainer.store.migrations.MIGRATIONS, _failing_step),
    )
    monkeypatch.setattr(trainer.store.migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(RuntimeError):
        Store(db_path)
    # Each step is its own transaction: the first ones are kept, the failed one is not.
    assert raw(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw(db_path, "SELECT name FROM profiles") == [(DEFAULT_PROFILE_NAME,)]
    assert raw(db_path, "SELECT name FROM sqlite_master WHERE name = 'half_done'") == []


def test_sqlite_failure_in_a_migration_is_a_store_error(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()

    def bad_sql(db: sqlite_utils.Database, now_iso: str) -> None:
        db.execute("CREATE TABLE half_done (x INTEGER)")
        db.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(
        trainer.store.migrations, "MIGRATIONS", (*trainer.store.migrations.MIGRATIONS, bad_sql)
    )
    monkeypatch.setattr(trainer.store.migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="no such table"):
        Store(db_path)
    assert raw(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw(db_path, "SELECT name FROM sqlite_master WHERE name = 'half_done'") == []


def test_only_a_file_of_an_older_schema_is_handed_over_before_it_is_changed(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed: list[tuple[int, Path, int, datetime]] = []

    def before(conn: sqlite3.Connection, path: Path, to_version: int, now: datetime) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        handed.append((version, path, to_version, now))

    Store(db_path, now=lambda: T0, before_migration=before).close()  # a new file
    assert handed == []
    with monkeypatch.context() as patch:
        patch.setattr(
            trainer.store.migrations, "MIGRATIONS", (*trainer.store.migrations.MIGRATIONS, _noop)
        )
        patch.setattr(trainer.store.migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
        Store(db_path, now=lambda: T0, before_migration=before).close()  # one step behind
        assert handed == [(SCHEMA_VERSION, db_path, SCHEMA_VERSION + 1, T0)]
        Store(db_path, now=lambda: T0, before_migration=before).close()  # up to date
    assert len(handed) == 1


def _noop(db: sqlite_utils.Database, now_iso: str) -> None:
    """A migration step that changes nothing but the version."""


def test_next_migration_runs_once_when_it_succeeds(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    calls: list[str] = []

    def add_notes_index(db: sqlite_utils.Database, now_iso: str) -> None:
        calls.append(now_iso)
        db.execute("CREATE INDEX sessions_by_status ON sessions (status)")

    monkeypatch.setattr(
        trainer.store.migrations,
        "MIGRATIONS",
        (*trainer.store.migrations.MIGRATIONS, add_notes_index),
    )
    monkeypatch.setattr(trainer.store.migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    for _ in range(2):
        Store(db_path, now=lambda: T0).close()
    assert calls == ["2024-05-01T09:30:00Z"]
    assert raw(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION + 1,)]


# -- open_in ------------------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_open_in_creates_a_private_folder_and_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "deep" / "safesignal"
    store = Store.open_in(data_dir, now=lambda: T0)
    try:
        assert store.path == data_dir / DB_FILENAME
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
        assert store.schema_version == SCHEMA_VERSION
    finally:
        store.close()


def test_open_in_an_existing_folder_keeps_the_data(tmp_path: Path, plan: SessionPlan) -> None:
    store = Store.open_in(tmp_path, now=lambda: T0)
    session_id = store.sessions.start_session(plan, store.profiles.default_id(), T0, Ratings(1, 2))
    store.close()
    again = Store.open_in(tmp_path)
    try:
        assert again.sessions.get(session_id).before == Ratings(1, 2)
    finally:
        again.close()


def test_open_in_a_file_instead_of_a_folder_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("I am a file")
    for folder in (blocker, blocker / "inside"):
        with pytest.raises(StoreError, match="Could not create the database in") as caught:
            Store.open_in(folder)
        assert "is a file, not a folder" in str(caught.value)  # not "(File exists)"
    assert blocker.read_text() == "I am a file"


def test_a_database_file_that_cannot_be_created_is_a_store_error(tmp_path: Path) -> None:
    # A dangling link where the database should be: creating it fails even for root.
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / DB_FILENAME).symlink_to(tmp_path / "missing" / "elsewhere.db")
    with pytest.raises(StoreError, match="Check that the folder can be written to"):
        Store.open_in(data_dir)


# -- sessions -----------------------------------------------------------------------------------------


def test_session_round_trip_keeps_every_column(store: Store, plan: SessionPlan) -> None:
    profile = store.profiles.default_id()
    started = datetime(2024, 5, 1, 11, 30, 15, 987654, tzinfo=UTC)
    session_id = store.sessions.start_session(plan, profile, started, Ratings(6, 0))

    fresh = store.sessions.get(session_id)
    assert fresh.status is SessionStatus.IN_PROGRESS
    assert fresh.ended_at is None
    assert fresh.practised_s == 0.0
    assert fresh.after == Ratings(None, None)

    ended = started + timedelta(minutes=5, seconds=4)
    store.sessions.finish_session(
        session_id,
        ended_at=ended,
        practised_s=304.0,
        status=SessionStatus.COMPLETED,
        after=Ratings(3, None),
    )
    stored = store.sessions.get(session_id)
    assert stored == StoredSession(
        id=session_id,
        profile_id=profile,
        exercise_id="box-4-4-4-4",
        kind="breathing",
        settings={
            "title": "Box breathing",
            "pattern": plan.pattern.to_dict(),
            "rate_bpm": 3.75,
            "cycles": 19,
        },
        started_at=datetime(2024, 5, 1, 11, 30, 15, tzinfo=UTC),  # kept to the second
        ended_at=datetime(2024, 5, 1, 11, 35, 19, tzinfo=UTC),
        planned_s=304.0,
        practised_s=304.0,
        status=SessionStatus.COMPLETED,
        before=Ratings(6, 0),
        after=Ratings(3, None),
        notes="",
    )
    assert stored.title == "Box breathing"
    assert BreathingPattern.from_dict(stored.settings["pattern"]) == plan.pattern


def test_timestamps_are_stored_as_utc_text(store: Store, plan: SessionPlan) -> None:
    local = datetime(2024, 5, 1, 13, 30, 0, tzinfo=timezone(timedelta(hours=2)))
    session_id = store.sessions.start_session(
        plan, store.profiles.default_id(), local, Ratings(1, 1)
    )
    row = store.db.execute("SELECT started_at FROM sessions WHERE id = ?", [session_id]).fetchone()
    assert row[0] == "2024-05-01T11:30:00Z"
    assert store.sessions.get(session_id).started_at == datetime(2024, 5, 1, 11, 30, tzinfo=UTC)


def test_title_falls_back_to_the_exercise_id(store: Store, plan: SessionPlan) -> None:
    session_id = store.sessions.start_session(
        plan, store.profiles.default_id(), T0, Ratings(None, None)
    )
    with store.db.atomic():
        store.db.execute("UPDATE sessions SET settings_json = '{}' WHERE id = ?", [session_id])
    assert store.sessions.get(session_id).title == "box-4-4-4-4"


def test_skipped_ratings_are_null(store: Store, plan: SessionPlan) -> None:
    session_id = store.sessions.start_session(
        plan, store.profiles.default_id(), T0, Ratings(None, 0)
    )
    store.sessions.finish_session(
        session_id,
        ended_at=T0,
        practised_s=10,
        status=SessionStatus.ENDED_EARLY,
        after=Ratings(0, None),
    )
    row = store.db.execute(
        "SELECT typeof(pre_tension), typeof(pre_pain), typeof(post_tension), typeof(post_pain) "
        "FROM sessions WHERE id = ?",
        [session_id],
    ).fetchone()
    assert tuple(row) == ("null", "integer", "integer", "null")


BAD = [11, -1, 2.5, True, "7"]


@pytest.mark.parametrize("bad", BAD, ids=repr)
@pytest.mark.parametrize("which", ["tension", "pain"])
def test_start_session_rejects_bad_ratings(
    store: Store, plan: SessionPlan, bad: object, which: str
) -> None:
    before = Ratings(**{"tension": 3, "pain": 3, which: bad})
    with pytest.raises(RatingError, match=which):
        store.sessions.start_session(plan, store.profiles.default_id(), T0, before)
    assert store.sessions.of_profile(store.profiles.default_id()) == []


@pytest.mark.parametrize("bad", BAD, ids=repr)
@pytest.mark.parametrize("which", ["tension", "pain"])
def test_finish_session_rejects_bad_ratings(
    store: Store, plan: SessionPlan, bad: object, which: str
) -> None:
    session_id = store.sessions.start_session(plan, store.profiles.default_id(), T0, Ratings(3, 3))
    after = Ratings(**{"tension": 3, "pain": 3, which: bad})
    with pytest.raises(RatingError, match=which):
        store.sessions.finish_session(
            session_id, ended_at=T0, practised_s=5, status=SessionStatus.COMPLETED, after=after
        )
    stored = store.sessions.get(session_id)
    assert stored.status is SessionStatus.IN_PROGRESS
    assert stored.after == Ratings(None, None)


@pytest.mark.parametrize("column", ["pre_tension", "pre_pain", "post_tension", "post_pain"])
@pytest.mark.parametrize("value", [11, -1, 2.5, "'seven'"])
def test_check_constraints_reject_bad_ratings_in_raw_sql(
    store: Store, plan: SessionPlan, column: str, value: object
) -> None:
    session_id = store.sessions.start_session(plan, store.profiles.default_id(), T0, Ratings(3, 3))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"), store.db.atomic():
        store.db.execute(f"UPDATE sessions SET {column} = {value} WHERE id = ?", [session_id])
    assert store.sessions.get(session_id).before == Ratings(3, 3)


def test_check_constraint_rejects_an_unknown_status(store: Store, plan: SessionPlan) -> None:
    session_id = store.sessions.start_session(plan, store.profiles.default_id(), T0, Ratings(3, 3))
    with pytest.raises(sqlite3.IntegrityError), store.db.atomic():
        store.db.execute("UPDATE sessions SET status = 'done' WHERE id = ?", [session_id])


def test_finish_session_on_a_missing_id(store: Store, plan: SessionPlan) -> None:
    with pytest.raises(StoreError, match="Session 12345 is not in"):
        store.sessions.finish_session(
            12345,
            ended_at=T0,
            practised_s=5,
            status=SessionStatus.COMPLETED,
            after=Ratings(1, 1),
        )
    assert store.db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_finish_session_needs_a_final_status(store: Store, plan: SessionPlan) -> None:
    session_id = store.sessions.start_session(plan, store.profiles.default_id(), T0, Ratings(3, 3))
    with pytest.raises(ValueError, match="final status"):
        store.sessions.finish_session(
            session_id,
            ended_at=T0,
            practised_s=5,
            status=SessionStatus.IN_PROGRESS,
            after=Ratings(1, 1),
        )


def test_get_session_on_a_missing_id(store: Store) -> None:
    with pytest.raises(StoreError, match="no session 7"):
        store.sessions.get(7)


def test_sessions_newest_first_and_per_profile(store: Store, plan: SessionPlan) -> None:
    me = store.profiles.default_id()
    other = add_profile(store, "Sam")
    ids = {}
    # Stored out of order on purpose; two share a start time (the later id comes first).
    for name, profile, minutes in (
        ("b", me, 20),
        ("a", me, 10),
        ("d", me, 30),
        ("d2", me, 30),
        ("c", other, 25),
    ):
        ids[name] = store.sessions.start_session(
            plan, profile, T0 + timedelta(minutes=minutes), Ratings(1, 1)
        )
    assert [s.id for s in store.sessions.of_profile(me)] == [
        ids["d2"],
        ids["d"],
        ids["b"],
        ids["a"],
    ]
    assert [s.id for s in store.sessions.of_profile(other)] == [ids["c"]]
    assert [s.id for s in store.sessions.of_profile(me, limit=2)] == [ids["d2"], ids["d"]]
    assert all(s.profile_id == me for s in store.sessions.of_profile(me))
    assert store.sessions.of_profile(other + 1) == []


def test_practised_time_is_never_negative(store: Store, plan: SessionPlan) -> None:
    session_id = store.sessions.start_session(plan, store.profiles.default_id(), T0, Ratings(3, 3))
    store.sessions.finish_session(
        session_id,
        ended_at=T0,
        practised_s=-0.0001,
        status=SessionStatus.ABANDONED,
        after=Ratings(None, None),
    )
    assert store.sessions.get(session_id).practised_s == 0.0


def test_writes_are_committed_for_other_connections(
    store: Store, plan: SessionPlan, db_path: Path
) -> None:
    session_id = store.sessions.start_session(plan, store.profiles.default_id(), T0, Ratings(3, 3))
    assert raw(db_path, "SELECT id, status FROM sessions") == [(session_id, "in_progress")]
    store.sessions.finish_session(
        session_id,
        ended_at=T0,
        practised_s=9,
        status=SessionStatus.ENDED_EARLY,
        after=Ratings(2, 2),
    )
    assert raw(db_path, "SELECT status, post_pain FROM sessions") == [("ended_early", 2)]


def test_another_programs_database_is_refused_and_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="some other program"):
        Store(db_path)
    assert db_path.read_bytes() == before
