"""Sessions: each practice as it starts, makes progress and ends, with its ratings and notes.

:class:`SessionsTable` is what a practice writes itself to (the
:class:`~trainer.session.machine.SessionRecorder` and
:class:`~trainer.session.recovery.UnfinishedStore` protocols keep their method names), and what
history, exports and imports read.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any, Final

from trainer.errors import StoreError
from trainer.session.clock import iso_utc, parse_iso_utc
from trainer.session.machine import Ratings, SessionPlan, SessionStatus
from trainer.session.ratings import validate_rating
from trainer.store.database import Database, collector_paused
from trainer.store.migrations import MAX_UTC_OFFSET_MIN
from trainer.store.regions import check_regions, insert_regions

if TYPE_CHECKING:  # numpy: when a table is first read, not at the app's start
    from trainer.analysis.history import SessionTable

MAX_NOTES_CHARS: Final = 100_000
_IDS_AT_ONCE: Final = 500  # ids in one DELETE ... IN (...) (SQLite's limit is far above)


class PartlyAddedError(StoreError):
    """Adding sessions in steps stopped (a cancel, a failure) and what the earlier steps added
    could not be taken out again: ``stayed`` sessions of it are in the history."""

    def __init__(self, message: str, stayed: int) -> None:
        super().__init__(message)
        self.stayed = stayed


def utc_offset_min(moment: datetime, tz: tzinfo) -> int:
    """The offset from UTC (whole minutes, east positive) of the clock in ``tz`` at ``moment``:
    what a session started at ``moment`` keeps, so it reads the same after travel."""
    offset = moment.astimezone(tz).utcoffset()
    return round(offset.total_seconds() / 60) if offset is not None else 0


def check_utc_offset(minutes: int | None) -> int | None:
    """``minutes`` if it is a whole number of minutes a clock can be from UTC (or ``None``:
    not known); a :class:`ValueError` otherwise."""
    if minutes is None:
        return None
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not -MAX_UTC_OFFSET_MIN <= minutes <= MAX_UTC_OFFSET_MIN
    ):
        raise ValueError(
            f"an offset from UTC is a whole number of minutes from -{MAX_UTC_OFFSET_MIN} to "
            f"{MAX_UTC_OFFSET_MIN}; got {minutes!r}"
        )
    return minutes


def local_start(started_at: datetime, offset_min: int | None, tz: tzinfo) -> datetime:
    """A session's start on the clock where it was practised (its kept offset from UTC), or in
    ``tz`` when it kept none (sessions from before offsets were kept)."""
    if offset_min is None:
        return started_at.astimezone(tz)
    return started_at.astimezone(timezone(timedelta(minutes=offset_min)))


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
    utc_offset_min: int | None = None  # the clock's offset from UTC at the start; None: unknown

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
            utc_offset_min=row.get("utc_offset_min"),
        )

    def started_local(self, tz: tzinfo) -> datetime:
        """The start on the clock where it was practised (in ``tz`` if that is not known)."""
        return local_start(self.started_at, self.utc_offset_min, tz)

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
    utc_offset_min: int | None = None  # the clock's offset from UTC at the start, if known

    @property
    def key(self) -> tuple[str, str]:
        """See :func:`session_key`."""
        return session_key(self.started_at, self.exercise_id)


@dataclass(frozen=True)
class AddedSessions:
    """What adding sessions did: how many were added (or finished an unfinished copy), how many
    were skipped as already there, and in how many the after-ratings given here were kept in
    place of different ones in the file."""

    added: int
    skipped: int
    kept_after: int = 0


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


@dataclass
class _Made:
    """What committed steps of adding did, so that a cancel can undo exactly that: the ids of
    the sessions added, and each unfinished session finished as it was before (its id, then
    ended_at, practised_s, status, post_tension, post_pain, utc_offset_min)."""

    added: list[int] = field(default_factory=list)
    finished: list[tuple[Any, ...]] = field(default_factory=list)

    def extend(self, other: _Made) -> None:
        """Add what one more step did."""
        self.added.extend(other.added)
        self.finished.extend(other.finished)


@dataclass
class _Adding:
    """Adding sessions, as it goes: the keys there are, the counts, and what to undo."""

    seen: set[tuple[str, str]] = field(default_factory=set)
    added: int = 0
    skipped: int = 0
    kept_after: int = 0
    undo: _Made = field(default_factory=_Made)


class SessionsTable:
    """The ``sessions`` table: ``store.sessions.start_session(...)``, ``.get(id)``,
    ``.of_profile(id)``, ``.table(id)``, ``.add(id, sessions)``..."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._db = database.db
        self._path = database.path

    def start_session(
        self,
        plan: SessionPlan,
        profile_id: int,
        started_at: datetime,
        before: Ratings,
        *,
        utc_offset_min: int | None = None,
    ) -> int:
        """Store a session that has just begun, with its before-ratings and the offset from UTC
        of the clock where it is practised (minutes, east positive; ``None``: not known);
        return its id."""
        pre_tension = validate_rating(before.tension, "tension")
        pre_pain = validate_rating(before.pain, "pain")
        offset = check_utc_offset(utc_offset_min)
        settings = {"title": plan.title, **plan.settings()}
        with self._database.transaction("save the start of the session"):
            cursor = self._db.execute(
                """
                INSERT INTO sessions (profile_id, exercise_id, kind, settings_json, started_at,
                                      planned_s, practised_s, status, pre_tension, pre_pain,
                                      title, utc_offset_min)
                VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
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
                    offset,
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
        with self._database.transaction("save the session"):
            cursor = self._db.execute(
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
            self._saved_one(cursor.rowcount, session_id)

    def checkpoint_session(self, session_id: int, *, practised_s: float, at: datetime) -> None:
        """Save the progress of a session under way: the seconds practised (which only ever
        grow) as of the UTC time ``at``. A session no longer in progress is left as it is."""
        with self._database.transaction("save the progress of the session"):
            self._db.execute(
                "UPDATE sessions SET practised_s = max(practised_s, ?), checkpoint_at = ? "
                "WHERE id = ? AND status = ?",
                [max(0.0, practised_s), iso_utc(at), session_id, SessionStatus.IN_PROGRESS.value],
            )

    def unfinished_sessions(self) -> list[StoredSession]:
        """Every session still marked in progress, of every profile, oldest first."""
        with self._database.errors("look for unfinished sessions"):
            rows = list(
                self._db["sessions"].rows_where(
                    "status = ?", [SessionStatus.IN_PROGRESS.value], order_by="started_at, id"
                )
            )
        return [StoredSession.from_row(row) for row in rows]

    def mark_interrupted(self, session_id: int, *, ended_at: datetime) -> bool:
        """Close a session left in progress (the app stopped during it) as ``interrupted``,
        keeping its ratings and the seconds practised as last saved; return whether it was
        still in progress."""
        with self._database.transaction("close an unfinished session"):
            cursor = self._db.execute(
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
        with self._database.transaction("save the after-ratings"):
            cursor = self._db.execute(
                "UPDATE sessions SET post_tension = ?, post_pain = ? WHERE id = ? AND status != ?",
                [post_tension, post_pain, session_id, SessionStatus.IN_PROGRESS.value],
            )
            self._saved_one(cursor.rowcount, session_id)

    def get(self, session_id: int) -> StoredSession:
        """One session by id."""
        with self._database.errors("read a session"):
            return StoredSession.from_row(self._row(session_id))

    def _saved_one(self, rowcount: int, session_id: int) -> None:
        """A :class:`StoreError` unless an update changed exactly the one session."""
        if rowcount != 1:
            raise StoreError(f"Session {session_id} is not in {self._path}; nothing was saved.")

    def _row(self, session_id: int) -> dict[str, Any]:
        """A session's row as stored (every column), or a :class:`StoreError` if none."""
        rows = list(self._db["sessions"].rows_where("id = ?", [session_id]))
        if not rows:
            raise StoreError(f"There is no session {session_id} in {self._path}.")
        return rows[0]

    def of_profile(
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
        with self._database.errors("read your sessions"):
            rows = self._db["sessions"].rows_where(
                where, args, order_by="started_at DESC, id DESC", limit=limit
            )
            return [StoredSession.from_row(row) for row in rows]

    def table(self, profile_id: int) -> SessionTable:
        """A profile's sessions as columns, oldest first: what history, plots and the report
        read. One query of plain columns (no JSON is parsed)."""
        with self._database.errors("read your sessions"), collector_paused():
            rows = self._db.execute(
                """
                SELECT id, exercise_id, CASE WHEN title != '' THEN title ELSE exercise_id END,
                       substr(started_at, 1, 19),
                       practised_s, status, pre_pain, pre_tension, post_pain, post_tension, notes,
                       utc_offset_min
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
        with self._database.transaction("save the notes"):
            cursor = self._db.execute(
                "UPDATE sessions SET notes = ? WHERE id = ?", [notes, session_id]
            )
            self._saved_one(cursor.rowcount, session_id)

    def delete(self, session_id: int) -> DeletedSession:
        """Delete a session and its marked areas; return them, so it can be put back."""
        with self._database.transaction("delete the session"):
            row = self._row(session_id)
            regions = self._db.execute(
                "SELECT role, region FROM session_regions WHERE session_id = ?", [session_id]
            ).fetchall()
            self._db.execute("DELETE FROM session_regions WHERE session_id = ?", [session_id])
            self._db.execute("DELETE FROM sessions WHERE id = ?", [session_id])
        return DeletedSession(row, tuple((str(r), str(g)) for r, g in regions))

    def restore(self, deleted: DeletedSession) -> None:
        """Put back a session :meth:`delete` removed, with its id and marked areas."""
        row = deleted.row
        with self._database.transaction("put the session back"):
            names = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            self._db.execute(f"INSERT INTO sessions ({names}) VALUES ({marks})", list(row.values()))
            self._db.table("session_regions").insert_all(
                {"session_id": row["id"], "role": role, "region": region}
                for role, region in deleted.regions
            )

    def count(self, profile_id: int) -> int:
        """How many sessions a profile has (of any status)."""
        with self._database.errors("count the sessions"):
            row = self._db.execute(
                "SELECT count(*) FROM sessions WHERE profile_id = ?", [profile_id]
            ).fetchone()
        return int(row[0])

    def keys(self, profile_id: int) -> set[tuple[str, str]]:
        """The :func:`session_key` of each of a profile's sessions."""
        with self._database.errors("read your sessions"):
            rows = self._db.execute(
                "SELECT started_at, exercise_id FROM sessions WHERE profile_id = ?", [profile_id]
            ).fetchall()
        return {(str(started), str(exercise)) for started, exercise in rows}

    def add(self, profile_id: int, sessions: Iterable[NewSession]) -> tuple[int, int]:
        """Add whole sessions in one transaction; return (added, skipped). See
        :meth:`add_counted`."""
        counted = self.add_counted(profile_id, sessions)
        return counted.added, counted.skipped

    def add_counted(
        self,
        profile_id: int,
        sessions: Iterable[NewSession],
        progress: Callable[[int, int], None] | None = None,
        step: int = 500,
    ) -> AddedSessions:
        """Add whole sessions; say how many were added and skipped, and in how many
        after-ratings given here were kept in place of the file's.

        Without ``progress`` it is one transaction: every new session is stored or, on any
        failure, none. With ``progress``, the sessions go in committed steps of ``step``, each
        its own short transaction (500 sessions: some 20-40 ms), and ``progress(done, total)``
        is called after each, outside any transaction: a window handles its events there, and
        whatever it writes then (a setting, a session) is its own, never part of the import.
        If ``progress`` raises (a cancel) or a step fails, what the earlier steps did is undone
        in one transaction (the sessions they added go, with their marked areas; unfinished
        sessions they finished are put back as they were) and the exception goes on. Only a
        kill between two steps leaves part of the sessions added; adding the same sessions
        again then adds only the rest. When the undoing itself fails, :class:`PartlyAddedError`
        says how many stayed.

        A session whose :func:`session_key` the profile already has (or that came earlier in
        ``sessions``) is skipped, unless the one there never finished (in progress or
        interrupted, same before-ratings) and the new one did: then it is finished from the new
        one (a session saved elsewhere when the disk was full) and counted as added; after-ratings
        the person already gave here (when it was recovered at a start) are kept, never silently
        replaced.
        """
        checked = list(sessions)
        for new in checked:
            validate_rating(new.before.tension, "tension")
            validate_rating(new.before.pain, "pain")
            validate_rating(new.after.tension, "tension")
            validate_rating(new.after.pain, "pain")
            check_regions((*new.pain_regions, *new.comfort_regions))
            check_utc_offset(new.utc_offset_min)
        if progress is not None and self._db.conn.in_transaction:
            # A bug: progress would run inside the caller's transaction, and what a window
            # writes meanwhile would join it (and be undone with it).
            raise RuntimeError("add_counted with progress was called inside a transaction")
        total = len(checked)
        size = max(1, total if progress is None else step)  # one step, or steps of ``step``
        steps = [checked[at : at + size] for at in range(0, total, size)]
        adding = _Adding()
        done = 0
        try:
            for index, batch in enumerate(steps or [[]]):
                with self._database.transaction("add the sessions"):
                    if index == 0:
                        self._check_profile(profile_id)
                        adding.seen = self.keys(profile_id)
                    made = _Made()
                    for new in batch:
                        self._add_one(profile_id, new, adding, made)
                adding.undo.extend(made)  # committed: now it is for a cancel to undo
                done += len(batch)
                if progress is not None:
                    progress(done, total)
        except BaseException:
            self._undo(adding.undo)
            raise
        return AddedSessions(adding.added, adding.skipped, adding.kept_after)

    def _check_profile(self, profile_id: int) -> None:
        found = self._db.execute("SELECT 1 FROM profiles WHERE id = ?", [profile_id]).fetchone()
        if found is None:
            raise StoreError(f"There is no profile {profile_id} in {self._path}.")

    def _add_one(self, profile_id: int, new: NewSession, adding: _Adding, made: _Made) -> None:
        """Add (or finish, or skip) one session, inside the step's transaction, noting in
        ``made`` what would undo it."""
        if new.key in adding.seen:
            completed = self._complete_unfinished(profile_id, new, made.finished)
            if completed is None:
                adding.skipped += 1
            else:
                adding.added += 1
                adding.kept_after += completed
            return
        adding.seen.add(new.key)
        cursor = self._db.execute(
            """
            INSERT INTO sessions (profile_id, exercise_id, kind, settings_json,
                                  started_at, ended_at, planned_s, practised_s, status,
                                  pre_tension, pre_pain, post_tension, post_pain, notes,
                                  title, utc_offset_min)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
                new.utc_offset_min,
            ],
        )
        session_id = cursor.lastrowid
        assert session_id is not None
        insert_regions(self._db, session_id, new.pain_regions, new.comfort_regions)
        made.added.append(session_id)
        adding.added += 1

    def _undo(self, made: _Made) -> None:
        """Take out, in one transaction, what committed steps of an import did: the sessions
        they added (with their marked areas) go, and the unfinished sessions they finished are
        put back as they were. Nothing else is touched (what was written meanwhile stays)."""
        if not made.added and not made.finished:
            return
        try:
            with self._database.transaction("take the imported sessions out again"):
                for at in range(0, len(made.added), _IDS_AT_ONCE):
                    ids = made.added[at : at + _IDS_AT_ONCE]
                    marks = ", ".join("?" for _ in ids)
                    self._db.execute(
                        f"DELETE FROM session_regions WHERE session_id IN ({marks})", ids
                    )
                    self._db.execute(f"DELETE FROM sessions WHERE id IN ({marks})", ids)
                for before in reversed(made.finished):
                    self._db.execute(
                        """
                        UPDATE sessions SET ended_at = ?, practised_s = ?, status = ?,
                                            post_tension = ?, post_pain = ?, utc_offset_min = ?
                        WHERE id = ?
                        """,
                        [*before[1:], before[0]],
                    )
        except (StoreError, sqlite3.Error) as exc:
            from trainer.app.words import sessions_text

            stayed = len(made.added) + len(made.finished)
            raise PartlyAddedError(
                f"{sessions_text(stayed)} of the import stayed in your history: they could not "
                f"be taken out again ({exc}). Importing the same file again adds only the rest.",
                stayed,
            ) from exc

    def _complete_unfinished(
        self, profile_id: int, new: NewSession, finished: list[tuple[Any, ...]]
    ) -> bool | None:
        """A session saved elsewhere when the database could not take its end (trainer/session/rescue.py)
        finishes the unfinished copy here (in progress or interrupted, with the same
        before-ratings), noting in ``finished`` what it was before. ``None`` if it did not;
        else whether after-ratings already given here were kept in place of different ones in
        the file."""
        if new.status in (SessionStatus.IN_PROGRESS, SessionStatus.INTERRUPTED):
            return None
        found = self._db.execute(
            """
            SELECT id, ended_at, practised_s, status, post_tension, post_pain, utc_offset_min
            FROM sessions
            WHERE profile_id = ? AND started_at = ? AND exercise_id = ? AND status IN (?, ?)
                  AND pre_tension IS ? AND pre_pain IS ?
            """,
            [
                profile_id,
                *new.key,
                SessionStatus.IN_PROGRESS.value,
                SessionStatus.INTERRUPTED.value,
                new.before.tension,
                new.before.pain,
            ],
        ).fetchone()
        if found is None:
            return None
        session_id = found[0]
        given = [found[4], found[5]]
        after = new.after
        keep = given != [None, None]  # rated here (at a start, after a recovery): theirs stands
        if keep:
            after = Ratings(given[0], given[1])
        self._db.execute(
            """
            UPDATE sessions SET ended_at = ?, practised_s = ?, status = ?, post_tension = ?,
                                post_pain = ?, utc_offset_min = coalesce(utc_offset_min, ?)
            WHERE id = ?
            """,
            [
                iso_utc(new.ended_at) if new.ended_at is not None else None,
                max(0.0, new.practised_s),
                new.status.value,
                after.tension,
                after.pain,
                new.utc_offset_min,
                session_id,
            ],
        )
        finished.append(tuple(found))
        return keep and after != new.after
