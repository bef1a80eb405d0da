"""The only module that touches SQLite: schema, migrations, and reading and writing sessions.

The schema version lives in ``PRAGMA user_version``. Migrations are ordered steps, each run in one
transaction together with the version bump, so a failed step leaves the file as it was. A file
from a newer Safe Signal is refused and left untouched. Problems a person can act on (a damaged
file, a full disk, a read-only folder) become :class:`~trainer.errors.StoreError` with a plain
message; anything else is a bug and propagates.
"""

from __future__ import annotations

import gc
import json
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

from trainer.content.breathing import BreathingPattern
from trainer.errors import CorruptDatabaseError, NewerDatabaseError, SafeSignalError, StoreError
from trainer.safety.paths import DB_FILENAME
from trainer.session.clock import iso_utc, parse_iso_utc, utc_now
from trainer.session.machine import Ratings, SessionPlan, SessionStatus
from trainer.session.ratings import validate_rating
from trainer.session.resonance import ResonanceRun, StepResult
from trainer.store.lazy import LazyDatabase

if TYPE_CHECKING:  # numpy (sqlite-utils imports it too): when first needed, not at start-up
    import sqlite_utils

    from trainer.analysis.history import RegionMarks, SessionTable

_log = logging.getLogger(__name__)
_REGION_RE: Final = re.compile(r"^[a-z][a-z_]{0,39}$")

DEFAULT_PROFILE_NAME: Final = "Me"
MAX_NOTES_CHARS: Final = 100_000
MAX_PROFILE_NAME_CHARS: Final = 60
# A profile made up for showing the app (``safesignal demo``) carries this preference, set to
# "on"; only such a profile may be deleted from the command line.
DEMO_PREFERENCE: Final = "demo_profile"


def _rating_check(column: str) -> str:
    return (
        f"CHECK ({column} IS NULL OR (typeof({column}) = 'integer' AND {column} BETWEEN 0 AND 10))"
    )


def _migrate_to_1(db: sqlite_utils.Database, now_iso: str) -> None:
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


def _migrate_to_2(db: sqlite_utils.Database, now_iso: str) -> None:
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


def _migrate_to_3(db: sqlite_utils.Database, now_iso: str) -> None:
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


def _migrate_to_4(db: sqlite_utils.Database, now_iso: str) -> None:
    """Each session's title in a column of its own (it was only inside ``settings_json``), so
    a history of thousands of sessions is read without parsing their settings."""
    db.execute("ALTER TABLE sessions ADD COLUMN title TEXT NOT NULL DEFAULT ''")
    db.execute(
        """
        UPDATE sessions SET title = json_extract(settings_json, '$.title')
        WHERE json_valid(settings_json) AND json_type(settings_json, '$.title') = 'text'
        """
    )


def _migrate_to_5(db: sqlite_utils.Database, now_iso: str) -> None:
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


def _migrate_to_6(db: sqlite_utils.Database, now_iso: str) -> None:
    """When a session under way last saved its progress (UTC), so a session cut short by a
    crash can be closed at the next start with the time it really ended."""
    db.execute("ALTER TABLE sessions ADD COLUMN checkpoint_at TEXT")


# Ordered: MIGRATIONS[n] takes a database from version n to version n + 1.
MIGRATIONS: Final[tuple[Callable[[sqlite_utils.Database, str], None], ...]] = (
    _migrate_to_1,
    _migrate_to_2,
    _migrate_to_3,
    _migrate_to_4,
    _migrate_to_5,
    _migrate_to_6,
)
SCHEMA_VERSION: Final = len(MIGRATIONS)


@dataclass(frozen=True)
class StoredSession:
    """One row of the ``sessions`` table, with its JSON and timestamps parsed."""

    id: int
    profile_id: int
    exercise_id: str
    kind: str
    settings: dict[str, Any]
    started_at: datetime
    ended_at: datetime | None
    planned_s: float
    practised_s: float
    status: SessionStatus
    before: Ratings
    after: Ratings
    notes: str
    checkpoint_at: datetime | None = None  # last progress saved while it was under way

    @property
    def title(self) -> str:
        """The exercise's name as it was when practised."""
        title = self.settings.get("title")
        return title if isinstance(title, str) and title else self.exercise_id

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoredSession:
        """Build from a row as sqlite-utils returns it."""
        ended = row["ended_at"]
        checkpoint = row.get("checkpoint_at")
        return cls(
            id=row["id"],
            profile_id=row["profile_id"],
            exercise_id=row["exercise_id"],
            kind=row["kind"],
            settings=json.loads(row["settings_json"]),
            started_at=parse_iso_utc(row["started_at"]),
            ended_at=parse_iso_utc(ended) if ended else None,
            planned_s=row["planned_s"],
            practised_s=row["practised_s"],
            status=SessionStatus(row["status"]),
            before=Ratings(row["pre_tension"], row["pre_pain"]),
            after=Ratings(row["post_tension"], row["post_pain"]),
            notes=row["notes"],
            checkpoint_at=parse_iso_utc(checkpoint) if checkpoint else None,
        )

    @property
    def key(self) -> tuple[str, str]:
        """What makes it the same session in another database: see :func:`session_key`."""
        return session_key(self.started_at, self.exercise_id)


def _title_of(settings: Mapping[str, Any]) -> str:
    """The title kept in a session's settings ("" when there is none)."""
    title = settings.get("title")
    return title if isinstance(title, str) else ""


def session_key(started_at: datetime, exercise_id: str) -> tuple[str, str]:
    """A session's identity across databases of one profile: its start (UTC, to the second, as
    stored) and its exercise. Two sessions of one exercise cannot start in the same second."""
    return iso_utc(started_at), exercise_id


@dataclass(frozen=True)
class NewSession:
    """A whole session to add at once (imported or made up for a demo), with its marked areas."""

    exercise_id: str
    kind: str
    settings: Mapping[str, Any]
    started_at: datetime
    ended_at: datetime | None
    planned_s: float
    practised_s: float
    status: SessionStatus
    before: Ratings
    after: Ratings
    notes: str = ""
    pain_regions: tuple[str, ...] = ()
    comfort_regions: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        """See :func:`session_key`."""
        return session_key(self.started_at, self.exercise_id)


@dataclass(frozen=True)
class DeletedSession:
    """A deleted session as it was stored (every column) with its marked areas (role, region),
    kept so the deletion can be undone."""

    row: Mapping[str, Any]
    regions: tuple[tuple[str, str], ...]

    @property
    def id(self) -> int:
        """The id it had, and gets back."""
        return int(self.row["id"])


@dataclass(frozen=True)
class Profile:
    """A person (or a demo) whose sessions are kept apart from everyone else's."""

    id: int
    name: str
    created_at: datetime
    demo: bool
    archived: bool = False


@dataclass(frozen=True)
class StoredPattern:
    """A person's own breathing pattern as saved."""

    id: int
    profile_id: int
    name: str
    pattern: BreathingPattern
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoredPattern:
        """Build from a row as sqlite-utils returns it."""
        return cls(
            id=row["id"],
            profile_id=row["profile_id"],
            name=row["name"],
            pattern=BreathingPattern.from_dict(json.loads(row["pattern_json"])),
            created_at=parse_iso_utc(row["created_at"]),
            updated_at=parse_iso_utc(row["updated_at"]),
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while many rows are read at once: the tuples made are
    kept, so its passes are wasted work (up to half the time of a large read)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# SQLite's own words for "this file is damaged" and "this file is not a database" (the names are
# in Python's sqlite3 from 3.11; the numbers are SQLite's and never change).
_DAMAGE_CODES: Final = frozenset(
    {getattr(sqlite3, "SQLITE_CORRUPT", 11), getattr(sqlite3, "SQLITE_NOTADB", 26)}
)


def is_damage(exc: sqlite3.Error) -> bool:
    """Whether SQLite reported a damaged file or one that is not a database (not a bug in the
    caller, such as a closed connection or a wrong parameter, nor a file it could not open)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and (code & 0xFF) in _DAMAGE_CODES  # extended codes too


@contextmanager
def _as_store_errors(path: Path, doing: str) -> Iterator[None]:
    """Turn SQLite failures a person can act on into a :class:`StoreError`."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise  # a constraint caught a bug in the caller: not the person's to fix
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "readonly" in text or "read-only" in text:
            hint = "The folder or file is read-only; check its permissions."
        elif "full" in text:
            hint = "The disk is full; free some space and try again."
        elif "locked" in text or "busy" in text:
            hint = "Another program is using the database; close it and try again."
        elif "unable to open" in text:
            hint = "Check that the folder exists and that you may write to it."
        else:
            hint = f"SQLite said: {exc}."
        raise StoreError(f"Could not {doing} ({path}). {hint}") from exc
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise  # a closed store, a wrong parameter...: a bug, not the file's fault
        raise CorruptDatabaseError(
            f"Could not {doing}: {path} is damaged or is not a Safe Signal database "
            f"(SQLite said: {exc}). The file has not been changed."
        ) from exc


class Store:
    """Safe Signal's database of profiles and sessions."""

    def __init__(
        self, path: Path, *, now: Callable[[], datetime] = utc_now, check_later: bool = False
    ) -> None:
        self.path = Path(path)
        self._now = now
        self.checked = True  # False: opened with check_later, read-only until finish_check()
        with _as_store_errors(self.path, "open the database"):
            conn = sqlite3.connect(str(self.path))
            try:
                # With check_later (the app's start), sqlite-utils is made on first need and
                # plain reads go to the connection meanwhile.
                lazy = LazyDatabase(conn)
                if not check_later:
                    lazy.real()
                self.db = cast("sqlite_utils.Database", lazy)
                found = self._user_version()
                if found > SCHEMA_VERSION:
                    raise NewerDatabaseError(
                        f"{self.path} was written by a newer version of Safe Signal (schema "
                        f"{found}; this version knows up to {SCHEMA_VERSION}). Please update "
                        "Safe Signal to open it. The file has not been changed."
                    )
                if found == 0 and self._has_foreign_tables():
                    raise StoreError(
                        f"{self.path} is an SQLite database of some other program, not Safe "
                        "Signal's. Choose another folder with --data-dir. The file has not been "
                        "changed."
                    )
                if check_later and found == SCHEMA_VERSION:
                    # Read now, check just after the window shows: SQLite refuses every write
                    # until finish_check() has found the file whole.
                    self.checked = False
                    self.db.execute("PRAGMA query_only = ON")
                elif found > 0:
                    self._quick_check()  # before a migration writes to it
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA foreign_keys = ON")
                if 0 < found < SCHEMA_VERSION:
                    self._back_up_before_migration(found)
                self._migrate(found)
            except BaseException:
                conn.close()
                raise

    @classmethod
    def open_in(
        cls, data_dir: Path, *, now: Callable[[], datetime] = utc_now, check_later: bool = False
    ) -> Store:
        """Open (creating if needed) the database in ``data_dir``, made private to this user
        (``check_later``: see :meth:`finish_check`)."""
        path = data_dir / DB_FILENAME
        try:
            data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not path.exists():
                path.touch(mode=0o600)
        except OSError as exc:
            raise StoreError(
                f"Could not create the database in {data_dir} ({exc.strerror}). "
                "Check that the folder can be written to, or choose another with --data-dir."
            ) from exc
        return cls(path, now=now, check_later=check_later)

    def finish_check(self) -> None:
        """The integrity check put off by ``check_later`` (so the app's window need not wait for
        it); writes are allowed once it has passed. Raises :class:`CorruptDatabaseError` when
        the file is damaged, and the store stays read-only."""
        if self.checked:
            return
        with _as_store_errors(self.path, "check the database"):
            self._quick_check()
            self.db.execute("PRAGMA query_only = OFF")
        self.checked = True

    def close(self) -> None:
        """Close the connection (writes are already committed)."""
        self.db.conn.close()

    def _user_version(self) -> int:
        row = self.db.execute("PRAGMA user_version").fetchone()
        return int(row[0])

    def _quick_check(self) -> None:
        """SQLite's quick integrity check (a few milliseconds per thousand sessions): a damaged
        file is found at start-up, before anything is read from or written to it."""
        rows = self.db.execute("PRAGMA quick_check").fetchall()
        if [tuple(row) for row in rows] != [("ok",)]:
            problem = str(rows[0][0]) if rows else "no answer"
            raise CorruptDatabaseError(
                f"{self.path} is damaged: SQLite's check found a problem ({problem}). The "
                "file has not been changed."
            )

    def _back_up_before_migration(self, found: int) -> None:
        """A backup of the file as it is, before it is updated to this version's schema."""
        from trainer.safety.backup import BEFORE_MIGRATION, backup_connection

        backup_connection(
            self.db.conn,
            self.path.parent,
            f"{BEFORE_MIGRATION}-{SCHEMA_VERSION}",
            self._now(),
        )

    def _has_foreign_tables(self) -> bool:
        row = self.db.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()
        return bool(row[0])

    @property
    def schema_version(self) -> int:
        """The ``user_version`` of the open file."""
        return self._user_version()

    def _migrate(self, found: int) -> None:
        for version in range(found + 1, SCHEMA_VERSION + 1):
            with self.db.atomic():
                MIGRATIONS[version - 1](self.db, iso_utc(self._now()))
                self.db.execute(f"PRAGMA user_version = {version:d}")

    # -- profiles -------------------------------------------------------------------------------

    def default_profile_id(self) -> int:
        """The profile to open with: the oldest one still in use (or, when every profile is
        archived, the oldest of all)."""
        row = self.db.execute(
            "SELECT id FROM profiles ORDER BY archived_at IS NOT NULL, id LIMIT 1"
        ).fetchone()
        if row is None:
            raise StoreError(f"{self.path} has no profile; it may be damaged.")
        return int(row[0])

    def profiles(self) -> list[Profile]:
        """Every profile, oldest first (the default one first), archived ones included."""
        with _as_store_errors(self.path, "read the profiles"):
            rows = self.db.execute(
                "SELECT p.id, p.name, p.created_at, "
                "EXISTS (SELECT 1 FROM preferences f WHERE f.profile_id = p.id "
                "AND f.key = ? AND f.value = 'on'), p.archived_at IS NOT NULL "
                "FROM profiles p ORDER BY p.id",
                [DEMO_PREFERENCE],
            ).fetchall()
        return [
            Profile(int(pid), str(name), parse_iso_utc(created), bool(demo), bool(archived))
            for pid, name, created, demo, archived in rows
        ]

    def profile(self, profile_id: int) -> Profile:
        """One profile by id."""
        for found in self.profiles():
            if found.id == profile_id:
                return found
        raise StoreError(f"There is no profile {profile_id} in {self.path}.")

    def profile_by_name(self, name: str) -> Profile | None:
        """The profile called exactly ``name``, if there is one."""
        for found in self.profiles():
            if found.name == name:
                return found
        return None

    def _checked_name(self, name: str, *, other_than: int | None = None) -> str:
        """``name`` trimmed, or a :class:`StoreError` saying why it cannot be a profile's name
        (empty, too long, control characters, or another profile's name in any letter case)."""
        name = " ".join(name.split())
        if not name:
            raise StoreError("A profile needs a name.")
        if len(name) > MAX_PROFILE_NAME_CHARS:
            raise StoreError(f"A profile's name can be up to {MAX_PROFILE_NAME_CHARS} characters.")
        if any(not ch.isprintable() for ch in name):
            raise StoreError("A profile's name cannot hold control characters.")
        for found in self.profiles():
            if found.id != other_than and found.name.casefold() == name.casefold():
                raise StoreError(f"There is already a profile called “{found.name}”.")
        return name

    def create_profile(
        self, name: str, *, demo: bool = False, sessions: Iterable[NewSession] = ()
    ) -> int:
        """Add a profile (a made-up one for showing the app with ``demo``), with ``sessions``
        if given, all in one transaction; return its id."""
        name = self._checked_name(name)
        with _as_store_errors(self.path, "create the profile"), self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO profiles (name, created_at) VALUES (?, ?)",
                [name, iso_utc(self._now())],
            )
            profile_id = cursor.lastrowid
            assert profile_id is not None
            if demo:
                self.db.execute(
                    "INSERT INTO preferences (profile_id, key, value) VALUES (?, ?, 'on')",
                    [profile_id, DEMO_PREFERENCE],
                )
            self.add_sessions(profile_id, sessions)
        return profile_id

    def rename_profile(self, profile_id: int, name: str) -> str:
        """Give a profile a new name; return the name as stored (trimmed)."""
        self.profile(profile_id)  # says so if there is no such profile
        name = self._checked_name(name, other_than=profile_id)
        with _as_store_errors(self.path, "rename the profile"), self.db.atomic():
            self.db.execute("UPDATE profiles SET name = ? WHERE id = ?", [name, profile_id])
        return name

    def set_archived(self, profile_id: int, archived: bool) -> None:
        """Archive a profile (kept whole, but out of the switcher) or bring it back. The last
        profile in use cannot be archived: someone has to be practising."""
        self.profile(profile_id)
        if archived and [p.id for p in self.profiles() if not p.archived] == [profile_id]:
            raise StoreError(
                "This is the only profile in use, so it cannot be archived. Create another first."
            )
        with _as_store_errors(self.path, "archive the profile"), self.db.atomic():
            self.db.execute(
                "UPDATE profiles SET archived_at = ? WHERE id = ?",
                [iso_utc(self._now()) if archived else None, profile_id],
            )

    def delete_profile(self, profile_id: int) -> int:
        """Delete a profile and everything of it (sessions, areas, patterns, pace-finder runs,
        preferences) in one transaction; return how many sessions went. The only profile cannot
        be deleted."""
        self.profile(profile_id)
        if [p.id for p in self.profiles()] == [profile_id]:
            raise StoreError(
                "This is the only profile, so it cannot be deleted. Create another first."
            )
        with _as_store_errors(self.path, "delete the profile"), self.db.atomic():
            cursor = self.db.execute("DELETE FROM sessions WHERE profile_id = ?", [profile_id])
            removed = max(0, cursor.rowcount)
            # Preferences, patterns and pace-finder runs follow by ON DELETE CASCADE.
            self.db.execute("DELETE FROM profiles WHERE id = ?", [profile_id])
        return removed

    def delete_demo_profile(self, profile_id: int) -> int:
        """Delete a demo profile with all its sessions, areas and settings, in one step; return
        how many sessions went. A profile that is not a demo is refused and left as it is."""
        profile = self.profile(profile_id)
        if not profile.demo:
            raise StoreError(
                f"“{profile.name}” is not a demo profile, so it is not deleted: it may hold "
                "someone's real practice."
            )
        return self.delete_profile(profile_id)

    # -- sessions (the SessionRecorder protocol) ------------------------------------------------

    def start_session(
        self, plan: SessionPlan, profile_id: int, started_at: datetime, before: Ratings
    ) -> int:
        """Store a session that has just begun, with its before-ratings; return its id."""
        pre_tension = validate_rating(before.tension, "tension")
        pre_pain = validate_rating(before.pain, "pain")
        settings = {"title": plan.title, **plan.settings()}
        with _as_store_errors(self.path, "save the start of the session"), self.db.atomic():
            cursor = self.db.execute(
                """
                INSERT INTO sessions (profile_id, exercise_id, kind, settings_json, started_at,
                                      planned_s, practised_s, status, pre_tension, pre_pain,
                                      title)
                VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
                """,
                [
                    profile_id,
                    plan.exercise_id,
                    plan.kind,
                    json.dumps(settings, sort_keys=True),
                    iso_utc(started_at),
                    plan.planned_s,
                    SessionStatus.IN_PROGRESS.value,
                    pre_tension,
                    pre_pain,
                    plan.title,
                ],
            )
            session_id = cursor.lastrowid
        assert session_id is not None
        return session_id

    def finish_session(
        self,
        session_id: int,
        *,
        ended_at: datetime,
        practised_s: float,
        status: SessionStatus,
        after: Ratings,
    ) -> None:
        """Store how a session ended and its after-ratings."""
        post_tension = validate_rating(after.tension, "tension")
        post_pain = validate_rating(after.pain, "pain")
        if status is SessionStatus.IN_PROGRESS:
            raise ValueError("a finished session needs a final status")
        with _as_store_errors(self.path, "save the session"), self.db.atomic():
            cursor = self.db.execute(
                """
                UPDATE sessions SET ended_at = ?, practised_s = ?, status = ?,
                                    post_tension = ?, post_pain = ?
                WHERE id = ?
                """,
                [
                    iso_utc(ended_at),
                    max(0.0, practised_s),
                    status.value,
                    post_tension,
                    post_pain,
                    session_id,
                ],
            )
            if cursor.rowcount != 1:
                raise StoreError(f"Session {session_id} is not in {self.path}; nothing was saved.")

    def checkpoint_session(self, session_id: int, *, practised_s: float, at: datetime) -> None:
        """Save the progress of a session under way: the seconds practised (which only ever
        grow) as of the UTC time ``at``. A session no longer in progress is left as it is."""
        with _as_store_errors(self.path, "save the progress of the session"), self.db.atomic():
            self.db.execute(
                "UPDATE sessions SET practised_s = max(practised_s, ?), checkpoint_at = ? "
                "WHERE id = ? AND status = ?",
                [max(0.0, practised_s), iso_utc(at), session_id, SessionStatus.IN_PROGRESS.value],
            )

    def unfinished_sessions(self) -> list[StoredSession]:
        """Every session still marked in progress, of every profile, oldest first."""
        with _as_store_errors(self.path, "look for unfinished sessions"):
            rows = list(
                self.db["sessions"].rows_where(
                    "status = ?", [SessionStatus.IN_PROGRESS.value], order_by="started_at, id"
                )
            )
        return [StoredSession.from_row(row) for row in rows]

    def mark_interrupted(self, session_id: int, *, ended_at: datetime) -> bool:
        """Close a session left in progress (the app stopped during it) as ``interrupted``,
        keeping its ratings and the seconds practised as last saved; return whether it was
        still in progress."""
        with _as_store_errors(self.path, "close an unfinished session"), self.db.atomic():
            cursor = self.db.execute(
                "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ? AND status = ?",
                [
                    SessionStatus.INTERRUPTED.value,
                    iso_utc(ended_at),
                    session_id,
                    SessionStatus.IN_PROGRESS.value,
                ],
            )
            return cursor.rowcount == 1

    def set_after_ratings(self, session_id: int, after: Ratings) -> None:
        """Add (or replace) a finished session's after-ratings, such as an interrupted one's
        rated at the next start."""
        post_tension = validate_rating(after.tension, "tension")
        post_pain = validate_rating(after.pain, "pain")
        with _as_store_errors(self.path, "save the after-ratings"), self.db.atomic():
            cursor = self.db.execute(
                "UPDATE sessions SET post_tension = ?, post_pain = ? WHERE id = ? AND status != ?",
                [post_tension, post_pain, session_id, SessionStatus.IN_PROGRESS.value],
            )
            if cursor.rowcount != 1:
                raise StoreError(f"Session {session_id} is not in {self.path}; nothing was saved.")

    def get_session(self, session_id: int) -> StoredSession:
        """One session by id."""
        with _as_store_errors(self.path, "read a session"):
            rows = list(self.db["sessions"].rows_where("id = ?", [session_id]))
        if not rows:
            raise StoreError(f"There is no session {session_id} in {self.path}.")
        return StoredSession.from_row(rows[0])

    def sessions(
        self, profile_id: int, limit: int | None = None, *, region: str | None = None
    ) -> list[StoredSession]:
        """A profile's sessions, newest first; with ``region``, only those where it was marked
        as hurting."""
        where = "profile_id = ?"
        args: list[object] = [profile_id]
        if region is not None:
            where += (
                " AND id IN (SELECT session_id FROM session_regions"
                " WHERE role = 'pain' AND region = ?)"
            )
            args.append(region)
        with _as_store_errors(self.path, "read your sessions"):
            rows = self.db["sessions"].rows_where(
                where, args, order_by="started_at DESC, id DESC", limit=limit
            )
            return [StoredSession.from_row(row) for row in rows]

    def session_table(self, profile_id: int) -> SessionTable:
        """A profile's sessions as columns, oldest first: what history, plots and the report
        read. One query of plain columns (no JSON is parsed)."""
        with _as_store_errors(self.path, "read your sessions"), _collector_paused():
            rows = self.db.execute(
                """
                SELECT id, exercise_id, CASE WHEN title != '' THEN title ELSE exercise_id END,
                       substr(started_at, 1, 19),
                       practised_s, status, pre_pain, pre_tension, post_pain, post_tension, notes
                FROM sessions WHERE profile_id = ? ORDER BY started_at, id
                """,
                [profile_id],
            ).fetchall()
            from trainer.analysis.history import SessionTable

            return SessionTable.from_rows(rows)

    def set_notes(self, session_id: int, notes: str) -> None:
        """Replace a session's notes."""
        if len(notes) > MAX_NOTES_CHARS:
            raise StoreError(f"Notes can be up to {MAX_NOTES_CHARS} characters long.")
        with _as_store_errors(self.path, "save the notes"), self.db.atomic():
            cursor = self.db.execute(
                "UPDATE sessions SET notes = ? WHERE id = ?", [notes, session_id]
            )
            if cursor.rowcount != 1:
                raise StoreError(f"Session {session_id} is not in {self.path}; nothing was saved.")

    def delete_session(self, session_id: int) -> DeletedSession:
        """Delete a session and its marked areas; return them, so it can be put back."""
        with _as_store_errors(self.path, "delete the session"), self.db.atomic():
            rows = list(self.db["sessions"].rows_where("id = ?", [session_id]))
            if not rows:
                raise StoreError(f"There is no session {session_id} in {self.path}.")
            regions = self.db.execute(
                "SELECT role, region FROM session_regions WHERE session_id = ?", [session_id]
            ).fetchall()
            self.db.execute("DELETE FROM session_regions WHERE session_id = ?", [session_id])
            self.db.execute("DELETE FROM sessions WHERE id = ?", [session_id])
        return DeletedSession(rows[0], tuple((str(r), str(g)) for r, g in regions))

    def restore_session(self, deleted: DeletedSession) -> None:
        """Put back a session :meth:`delete_session` removed, with its id and marked areas."""
        row = deleted.row
        with _as_store_errors(self.path, "put the session back"), self.db.atomic():
            names = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            self.db.execute(f"INSERT INTO sessions ({names}) VALUES ({marks})", list(row.values()))
            for role, region in deleted.regions:
                self.db.execute(
                    "INSERT INTO session_regions (session_id, role, region) VALUES (?, ?, ?)",
                    [row["id"], role, region],
                )

    def session_count(self, profile_id: int) -> int:
        """How many sessions a profile has (of any status)."""
        with _as_store_errors(self.path, "count the sessions"):
            row = self.db.execute(
                "SELECT count(*) FROM sessions WHERE profile_id = ?", [profile_id]
            ).fetchone()
        return int(row[0])

    def session_keys(self, profile_id: int) -> set[tuple[str, str]]:
        """The :func:`session_key` of each of a profile's sessions."""
        with _as_store_errors(self.path, "read your sessions"):
            rows = self.db.execute(
                "SELECT started_at, exercise_id FROM sessions WHERE profile_id = ?", [profile_id]
            ).fetchall()
        return {(str(started), str(exercise)) for started, exercise in rows}

    def add_sessions(self, profile_id: int, sessions: Iterable[NewSession]) -> tuple[int, int]:
        """Add whole sessions in one transaction; return (added, skipped).

        A session whose :func:`session_key` the profile already has (or that came earlier in
        ``sessions``) is skipped, unless the one there never finished (in progress or
        interrupted, same before-ratings) and the new one did: then it is finished from the new
        one (a session saved elsewhere when the disk was full) and counted as added. Either
        every new session is stored or, on any failure, none.
        """
        checked = list(sessions)
        for new in checked:
            validate_rating(new.before.tension, "tension")
            validate_rating(new.before.pain, "pain")
            validate_rating(new.after.tension, "tension")
            validate_rating(new.after.pain, "pain")
            for region in (*new.pain_regions, *new.comfort_regions):
                if not isinstance(region, str) or not _REGION_RE.match(region):
                    raise StoreError(f"A body region is a name like 'left_knee'; got {region!r}.")
        added = skipped = 0
        with _as_store_errors(self.path, "add the sessions"), self.db.atomic():
            if (
                self.db.execute("SELECT 1 FROM profiles WHERE id = ?", [profile_id]).fetchone()
                is None
            ):
                raise StoreError(f"There is no profile {profile_id} in {self.path}.")
            seen = self.session_keys(profile_id)
            for new in checked:
                if new.key in seen:
                    if self._complete_unfinished(profile_id, new):
                        added += 1
                    else:
                        skipped += 1
                    continue
                seen.add(new.key)
                cursor = self.db.execute(
                    """
                    INSERT INTO sessions (profile_id, exercise_id, kind, settings_json,
                                          started_at, ended_at, planned_s, practised_s, status,
                                          pre_tension, pre_pain, post_tension, post_pain, notes,
                                          title)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        profile_id,
                        new.exercise_id,
                        new.kind,
                        json.dumps(dict(new.settings), sort_keys=True),
                        iso_utc(new.started_at),
                        iso_utc(new.ended_at) if new.ended_at is not None else None,
                        new.planned_s,
                        max(0.0, new.practised_s),
                        new.status.value,
                        new.before.tension,
                        new.before.pain,
                        new.after.tension,
                        new.after.pain,
                        new.notes,
                        _title_of(new.settings),
                    ],
                )
                session_id = cursor.lastrowid
                for role, regions in (("pain", new.pain_regions), ("comfort", new.comfort_regions)):
                    for region in dict.fromkeys(regions):
                        self.db.execute(
                            "INSERT INTO session_regions (session_id, role, region) "
                            "VALUES (?, ?, ?)",
                            [session_id, role, region],
                        )
                added += 1
        return added, skipped

    def _complete_unfinished(self, profile_id: int, new: NewSession) -> bool:
        """A session saved elsewhere when the database could not take its end (trainer/session/rescue.py)
        finishes the unfinished copy here (in progress or interrupted, with the same
        before-ratings): whether it did."""
        if new.status in (SessionStatus.IN_PROGRESS, SessionStatus.INTERRUPTED):
            return False
        cursor = self.db.execute(
            """
            UPDATE sessions SET ended_at = ?, practised_s = ?, status = ?, post_tension = ?,
                                post_pain = ?
            WHERE profile_id = ? AND started_at = ? AND exercise_id = ? AND status IN (?, ?)
                  AND pre_tension IS ? AND pre_pain IS ?
            """,
            [
                iso_utc(new.ended_at) if new.ended_at is not None else None,
                max(0.0, new.practised_s),
                new.status.value,
                new.after.tension,
                new.after.pain,
                profile_id,
                *new.key,
                SessionStatus.IN_PROGRESS.value,
                SessionStatus.INTERRUPTED.value,
                new.before.tension,
                new.before.pain,
            ],
        )
        return bool(cursor.rowcount)

    # -- where it hurts -------------------------------------------------------------------------

    def save_session_regions(
        self, session_id: int, pain: Sequence[str], comfort: Sequence[str] = ()
    ) -> None:
        """Keep the body-map areas marked for a session (replacing any saved before)."""
        for region in (*pain, *comfort):
            if not isinstance(region, str) or not _REGION_RE.match(region):
                raise StoreError(f"A body region is a name like 'left_knee'; got {region!r}.")
        with _as_store_errors(self.path, "save where it hurts"), self.db.atomic():
            self.db.execute("DELETE FROM session_regions WHERE session_id = ?", [session_id])
            for role, regions in (("pain", pain), ("comfort", comfort)):
                for region in dict.fromkeys(regions):
                    self.db.execute(
                        "INSERT INTO session_regions (session_id, role, region) VALUES (?, ?, ?)",
                        [session_id, role, region],
                    )

    def pain_marks(self, profile_id: int) -> RegionMarks:
        """Where it hurt in each of a profile's sessions that has areas marked."""
        with _as_store_errors(self.path, "read where it hurts"), _collector_paused():
            rows = self.db.execute(
                "SELECT session_id, region FROM session_regions WHERE role = 'pain' AND "
                "session_id IN (SELECT id FROM sessions WHERE profile_id = ?) "
                "ORDER BY session_id, region",
                [profile_id],
            ).fetchall()
            from trainer.analysis.history import RegionMarks

            return RegionMarks.from_pairs(rows)

    def pain_regions_by_session(self, profile_id: int) -> dict[int, tuple[str, ...]]:
        """Where it hurt, for each of a profile's sessions that has areas marked."""
        return self.pain_marks(profile_id).by_session()

    def regions_by_session(
        self, profile_id: int
    ) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
        """For each of a profile's sessions with areas marked: (where it hurt, comfortable)."""
        with _as_store_errors(self.path, "read where it hurts"):
            rows = self.db.execute(
                "SELECT r.session_id, r.role, r.region FROM session_regions r "
                "JOIN sessions s ON s.id = r.session_id "
                "WHERE s.profile_id = ? ORDER BY r.session_id, r.region",
                [profile_id],
            ).fetchall()
        found: dict[int, tuple[list[str], list[str]]] = {}
        for session_id, role, region in rows:
            pain, comfort = found.setdefault(int(session_id), ([], []))
            (pain if role == "pain" else comfort).append(str(region))
        return {k: (tuple(p), tuple(c)) for k, (p, c) in found.items()}

    def session_regions(self, session_id: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The areas marked for a session: (where it hurts, the comfortable area), by name."""
        with _as_store_errors(self.path, "read where it hurts"):
            rows = self.db.execute(
                "SELECT role, region FROM session_regions WHERE session_id = ? ORDER BY region",
                [session_id],
            ).fetchall()
        pain = tuple(region for role, region in rows if role == "pain")
        comfort = tuple(region for role, region in rows if role == "comfort")
        return pain, comfort

    # -- preferences ----------------------------------------------------------------------------

    def get_preference(self, profile_id: int, key: str, default: str) -> str:
        """A profile's saved preference, or ``default`` when it has none."""
        with _as_store_errors(self.path, "read your preferences"):
            row = self.db.execute(
                "SELECT value FROM preferences WHERE profile_id = ? AND key = ?", [profile_id, key]
            ).fetchone()
        return default if row is None else str(row[0])

    def set_preference(self, profile_id: int, key: str, value: str) -> None:
        """Remember a preference for this profile."""
        with _as_store_errors(self.path, "save your preferences"), self.db.atomic():
            self.db.execute(
                "INSERT INTO preferences (profile_id, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (profile_id, key) DO UPDATE SET value = excluded.value",
                [profile_id, key, str(value)],
            )

    def get_app_setting(self, key: str, default: str) -> str:
        """A setting of this computer's (not of one profile), or ``default``."""
        with _as_store_errors(self.path, "read the settings"):
            row = self.db.execute("SELECT value FROM app_settings WHERE key = ?", [key]).fetchone()
        return default if row is None else str(row[0])

    def set_app_setting(self, key: str, value: str) -> None:
        """Remember a setting of this computer's."""
        with _as_store_errors(self.path, "save the settings"), self.db.atomic():
            self.db.execute(
                "INSERT INTO app_settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, str(value)],
            )

    def app_settings(self) -> AppSettings:
        """This computer's settings as a small get/set object, like a profile's preferences."""
        return AppSettings(self)

    def preferences_for(self, profile_id: int) -> ProfilePreferences:
        """A profile's preferences as a small get/set object for the screens."""
        return ProfilePreferences(self, profile_id)

    # -- custom breathing patterns --------------------------------------------------------------

    def custom_patterns(
        self, profile_id: int, *, unreadable: list[str] | None = None
    ) -> list[StoredPattern]:
        """A profile's own breathing patterns, by name.

        A pattern whose stored timing cannot be read (a damaged row) is left out and left as it
        is on disk; its name is added to ``unreadable`` when a list is given.
        """
        with _as_store_errors(self.path, "read your breathing patterns"):
            rows = list(
                self.db["custom_patterns"].rows_where(
                    "profile_id = ?", [profile_id], order_by="name COLLATE NOCASE, id"
                )
            )
        patterns = []
        for row in rows:
            try:
                patterns.append(StoredPattern.from_row(row))
            except (ValueError, TypeError, KeyError, SafeSignalError):
                _log.warning("breathing pattern %r could not be read", row.get("name"))
                if unreadable is not None:
                    unreadable.append(str(row.get("name")))
        return patterns

    def save_custom_pattern(
        self,
        profile_id: int,
        name: str,
        pattern: BreathingPattern,
        pattern_id: int | None = None,
    ) -> int:
        """Add a pattern (``pattern_id`` None) or replace one; return its id.

        A name already used by another of this profile's patterns (ignoring case) is refused.
        """
        name = name.strip()
        if not name:
            raise StoreError("A breathing pattern needs a name.")
        now = iso_utc(self._now())
        data = json.dumps(pattern.to_dict(), sort_keys=True)
        with _as_store_errors(self.path, "save the breathing pattern"), self.db.atomic():
            clash = self.db.execute(
                "SELECT id FROM custom_patterns WHERE profile_id = ? AND name = ? COLLATE NOCASE "
                "AND id IS NOT ?",
                [profile_id, name, pattern_id],
            ).fetchone()
            if clash is not None:
                raise StoreError(
                    f"You already have a pattern called “{name}”; choose another name."
                )
            if pattern_id is None:
                cursor = self.db.execute(
                    "INSERT INTO custom_patterns (profile_id, name, pattern_json, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?)",
                    [profile_id, name, data, now, now],
                )
                new_id = cursor.lastrowid
                assert new_id is not None
                return new_id
            cursor = self.db.execute(
                "UPDATE custom_patterns SET name = ?, pattern_json = ?, updated_at = ? "
                "WHERE id = ? AND profile_id = ?",
                [name, data, now, pattern_id, profile_id],
            )
            if cursor.rowcount != 1:
                raise StoreError("That breathing pattern no longer exists; nothing was saved.")
            return pattern_id

    def delete_custom_pattern(self, profile_id: int, pattern_id: int) -> None:
        """Delete one of this profile's patterns (sessions that used it keep their copy)."""
        with _as_store_errors(self.path, "delete the breathing pattern"), self.db.atomic():
            self.db.execute(
                "DELETE FROM custom_patterns WHERE id = ? AND profile_id = ?",
                [pattern_id, profile_id],
            )

    # -- resonance-rate finder ------------------------------------------------------------------

    def save_resonance_run(self, profile_id: int, run: ResonanceRun) -> int:
        """Store a finder run with every step tried and its scores; return the run's id."""
        with _as_store_errors(self.path, "save the resonance-rate run"), self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO resonance_runs (profile_id, started_at, ended_at, completed, "
                "best_bpm) VALUES (?, ?, ?, ?, ?)",
                [
                    profile_id,
                    iso_utc(run.started_at),
                    iso_utc(run.ended_at) if run.ended_at else None,
                    int(run.completed),
                    run.best_bpm(),
                ],
            )
            run_id = cursor.lastrowid
            assert run_id is not None
            for index, step in enumerate(run.steps):
                self.db.execute(
                    "INSERT INTO resonance_steps (run_id, step_index, rate_bpm, practised_s) "
                    "VALUES (?, ?, ?, ?)",
                    [run_id, index, step.rate_bpm, step.practised_s],
                )
                for criterion, value in sorted(step.scores.items()):
                    self.db.execute(
                        "INSERT INTO resonance_scores (run_id, step_index, criterion, value) "
                        "VALUES (?, ?, ?, ?)",
                        [run_id, index, criterion, float(value)],
                    )
        return run_id

    def resonance_runs(self, profile_id: int) -> list[ResonanceRun]:
        """A profile's finder runs, newest first, with their steps and scores."""
        with _as_store_errors(self.path, "read your resonance-rate runs"):
            runs = list(
                self.db["resonance_runs"].rows_where(
                    "profile_id = ?", [profile_id], order_by="started_at DESC, id DESC"
                )
            )
            result = []
            for row in runs:
                steps = []
                for step in self.db["resonance_steps"].rows_where(
                    "run_id = ?", [row["id"]], order_by="step_index"
                ):
                    scores = {
                        score["criterion"]: score["value"]
                        for score in self.db["resonance_scores"].rows_where(
                            "run_id = ? AND step_index = ?", [row["id"], step["step_index"]]
                        )
                    }
                    steps.append(StepResult(step["rate_bpm"], step["practised_s"], scores))
                result.append(
                    ResonanceRun(
                        started_at=parse_iso_utc(row["started_at"]),
                        ended_at=parse_iso_utc(row["ended_at"]) if row["ended_at"] else None,
                        completed=bool(row["completed"]),
                        steps=tuple(steps),
                        run_id=row["id"],
                    )
                )
            return result


class ProfilePreferences:
    """One profile's preferences: ``get(key, default)`` and ``set(key, value)``, as text."""

    def __init__(self, store: Store, profile_id: int) -> None:
        self._store = store
        self._profile_id = profile_id

    def get(self, key: str, default: str) -> str:
        """The saved value, or ``default``."""
        return self._store.get_preference(self._profile_id, key, default)

    def set(self, key: str, value: str) -> None:
        """Save a value."""
        self._store.set_preference(self._profile_id, key, value)


class AppSettings:
    """Settings of this computer (theme, reminders, the profile last used): ``get``/``set``."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, key: str, default: str) -> str:
        """The saved value, or ``default``."""
        return self._store.get_app_setting(key, default)

    def set(self, key: str, value: str) -> None:
        """Save a value."""
        self._store.set_app_setting(key, value)
