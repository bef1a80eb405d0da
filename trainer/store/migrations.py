"""The schema's history as ordered steps: step N takes a file from version N - 1 to N.

The version lives in ``PRAGMA user_version``. :func:`migrate` runs every step the file has not
had (``if version < N``), each in one transaction together with the version bump, so a failed
step leaves the file at the version before it. Before a file made by an older Safe Signal is
changed, an injected :data:`BeforeMigration` (the app passes
:func:`trainer.safety.backup.back_up_before_migration`) keeps a copy of it: this module knows
nothing of backups, so the store and the backups do not import each other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

from trainer.session.clock import iso_utc
from trainer.session.machine import SessionStatus
from trainer.store.database import Database

if TYPE_CHECKING:  # sqlite-utils: at the first migration, not at an everyday start
    import sqlite_utils

DEFAULT_PROFILE_NAME: Final = "Me"

# Called with the open connection, the file's path, the version it is about to be taken to and
# the time, before a file of an older schema is changed (a backup of it, in the app).
BeforeMigration = Callable[[sqlite3.Connection, Path, int, datetime], object]
Step = Callable[["sqlite_utils.Database", str], None]


def _rating_check(column: str) -> str:
    return (
        f"CHECK ({column} IS NULL OR (typeof({column}) = 'integer' AND {column} BETWEEN 0 AND 10))"
    )


def to_1(db: sqlite_utils.Database, now_iso: str) -> None:
    """Profiles and sessions, with a default profile."""
    statuses = ", ".join(f"'{s.value}'" for s in SessionStatus)
    db.execute(
        """
        CREATE TABLE profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        f"""
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id),
            exercise_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('breathing', 'attention')),
            settings_json TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            planned_s REAL NOT NULL CHECK (planned_s > 0),
            practised_s REAL NOT NULL DEFAULT 0 CHECK (practised_s >= 0),
            status TEXT NOT NULL CHECK (status IN ({statuses})),
            pre_tension INTEGER {_rating_check("pre_tension")},
            pre_pain INTEGER {_rating_check("pre_pain")},
            post_tension INTEGER {_rating_check("post_tension")},
            post_pain INTEGER {_rating_check("post_pain")},
            notes TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX sessions_by_profile_start ON sessions (profile_id, started_at)")
    db.execute(
        "INSERT INTO profiles (name, created_at) VALUES (?, ?)", [DEFAULT_PROFILE_NAME, now_iso]
    )


def to_2(db: sqlite_utils.Database, now_iso: str) -> None:
    """Per-profile preferences, custom breathing patterns, and resonance-rate finder runs."""
    db.execute(
        """
        CREATE TABLE preferences (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (profile_id, key)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE custom_patterns (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            pattern_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (profile_id, name COLLATE NOCASE)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE resonance_runs (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
            best_bpm REAL
        )
        """
    )
    # One row per rate tried; scores are per criterion so a heart-rate measure can join the
    # self-reported "how easy and calming" rating later without a schema change.
    db.execute(
        """
        CREATE TABLE resonance_steps (
            run_id INTEGER NOT NULL REFERENCES resonance_runs(id) ON DELETE CASCADE,
            step_index INTEGER NOT NULL CHECK (step_index >= 0),
            rate_bpm REAL NOT NULL CHECK (rate_bpm > 0),
            practised_s REAL NOT NULL CHECK (practised_s >= 0),
            PRIMARY KEY (run_id, step_index)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE resonance_scores (
            run_id INTEGER NOT NULL,
            step_index INTEGER NOT NULL,
            criterion TEXT NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (run_id, step_index, criterion),
            FOREIGN KEY (run_id, step_index)
                REFERENCES resonance_steps(run_id, step_index) ON DELETE CASCADE
        )
        """
    )


def to_3(db: sqlite_utils.Database, now_iso: str) -> None:
    """Where it hurts (and a comfortable area) marked on the body map for a session."""
    db.execute(
        """
        CREATE TABLE session_regions (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('pain', 'comfort')),
            region TEXT NOT NULL CHECK (length(region) > 0),
            PRIMARY KEY (session_id, role, region)
        )
        """
    )
    db.execute("CREATE INDEX session_regions_by_region ON session_regions (region, role)")


def to_4(db: sqlite_utils.Database, now_iso: str) -> None:
    """Each session's title in a column of its own (it was only inside ``settings_json``), so
    a history of thousands of sessions is read without parsing their settings."""
    db.execute("ALTER TABLE sessions ADD COLUMN title TEXT NOT NULL DEFAULT ''")
    db.execute(
        """
        UPDATE sessions SET title = json_extract(settings_json, '$.title')
        WHERE json_valid(settings_json) AND json_type(settings_json, '$.title') = 'text'
        """
    )


def to_5(db: sqlite_utils.Database, now_iso: str) -> None:
    """Profiles can be archived (kept, but out of the way), and settings that belong to this
    computer rather than to one person (theme, reminders, the profile last used) have a table."""
    db.execute("ALTER TABLE profiles ADD COLUMN archived_at TEXT")
    db.execute(
        """
        CREATE TABLE app_settings (
            key TEXT PRIMARY KEY CHECK (length(key) > 0),
            value TEXT NOT NULL
        )
        """
    )


def to_6(db: sqlite_utils.Database, now_iso: str) -> None:
    """When a session under way last saved its progress (UTC), so a session cut short by a
    crash can be closed at the next start with the time it really ended."""
    db.execute("ALTER TABLE sessions ADD COLUMN checkpoint_at TEXT")


# The widest offset from UTC a session's start may carry, in minutes (real zones span -12:00 to
# +14:00; eighteen hours either way is what ISO 8601 tools commonly accept).
MAX_UTC_OFFSET_MIN: Final = 18 * 60


def to_7(db: sqlite_utils.Database, now_iso: str) -> None:
    """Each session's offset from UTC at its start (minutes, east positive), so its time reads
    as it did where it was practised after a move to another zone. Sessions kept before this
    have none (empty): they are shown in this computer's zone, as before."""
    db.execute(
        f"""
        ALTER TABLE sessions ADD COLUMN utc_offset_min INTEGER CHECK (
            utc_offset_min IS NULL OR (typeof(utc_offset_min) = 'integer'
            AND utc_offset_min BETWEEN -{MAX_UTC_OFFSET_MIN} AND {MAX_UTC_OFFSET_MIN})
        )
        """
    )


# Ordered: MIGRATIONS[n] takes a database from version n to version n + 1.
MIGRATIONS: Final[tuple[Step, ...]] = (to_1, to_2, to_3, to_4, to_5, to_6, to_7)
SCHEMA_VERSION: Final = len(MIGRATIONS)


def migrate(database: Database, before: BeforeMigration | None = None) -> None:
    """Bring ``database`` up to :data:`SCHEMA_VERSION`, one step at a time; with ``before``, a
    file that already had a schema (not a new one) is handed to it first."""
    found = database.user_version
    newest = len(MIGRATIONS)
    if before is not None and 0 < found < newest:
        before(database.conn, database.path, newest, database.now())
    for version, step in enumerate(MIGRATIONS, start=1):
        if found < version:
            with database.transaction("open the database"):
                step(database.db, iso_utc(database.now()))
                database.set_user_version(version)
