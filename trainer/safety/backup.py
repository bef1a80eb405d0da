"""Backups of the database with SQLite's backup API: daily, before migrations and restores.

Backups live in ``<data_dir>/backups/`` (folder 0700, files 0600), named so that they sort by
time and say why they were made::

    safesignal-2026-12-06T031045Z-daily.db
    safesignal-2026-12-06T031045Z-before-migration-5.db   (before the update to schema 5)
    safesignal-2026-12-06T031045Z-before-restore.db

Each is written to a hidden temporary name and renamed when it is whole, so a half-written
backup is never listed or restored. Rotation keeps the newest few of each reason and deletes
only older backups of that reason, never any other file (nor the backup just made; one stamped
later than now, by a clock that was wrong, counts as the oldest). "Today" for the daily backup is the
UTC day. A damaged database is moved aside (``safesignal.db.damaged-<time>``), never deleted.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from trainer.app.words import sessions_text
from trainer.errors import CorruptDatabaseError, NewerDatabaseError, StoreError
from trainer.safety.lock import DataFolderLock, holding
from trainer.safety.paths import DB_FILENAME
from trainer.safety.restore_journal import (
    JOURNAL_FILENAME,
    RestoreJournal,
    fsync_folder,
    read_journal,
    remove_journal,
    restore_unfinished,
    write_journal,
)
from trainer.session.clock import utc_now
from trainer.store.database import is_damage
from trainer.store.migrations import SCHEMA_VERSION

BACKUP_DIRNAME: Final = "backups"
DAILY: Final = "daily"
BEFORE_RESTORE: Final = "before-restore"
BEFORE_MIGRATION: Final = "before-migration"
KEPT_DAILY: Final = "daily-kept"  # a daily backup taken out of rotation when damage was found
# Added to the reason of a backup that was restored: it is then out of rotation, for good.
RESTORED_SUFFIX: Final = "-restored"
# How many backups of each reason are kept (the newest ones).
KEEP: Final[dict[str, int]] = {DAILY: 7, BEFORE_MIGRATION: 5, BEFORE_RESTORE: 5}
_NAME_RE: Final = re.compile(
    r"^safesignal-(\d{4}-\d{2}-\d{2}T\d{6}Z)-([a-z]+(?:-[a-z]+)*(?:-\d+)?(?:-restored)?)(?:~(\d+))?\.db$"
)
_STAMP: Final = "%Y-%m-%dT%H%M%SZ"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as listed: when and why it was made, its size and its sessions."""

    path: Path
    made_at: datetime
    reason: str
    size_bytes: int
    sessions: int | None  # None when it could not be counted

    @property
    def name(self) -> str:
        """The file's name (what ``safesignal restore NAME`` takes)."""
        return self.path.name

    @property
    def kind(self) -> str:
        """The reason without a schema number (``before-migration-5`` -> ``before-migration``)."""
        return _kind_of(self.reason)

    def describe(self) -> str:
        """``made 2026-12-06 03:10 UTC, daily, 412 sessions, 1.2 MB`` for lists."""
        when = self.made_at.strftime("%Y-%m-%d %H:%M UTC")
        sessions = "" if self.sessions is None else f", {sessions_text(self.sessions)}"
        return f"{when}, {reason_text(self.reason)}{sessions}, {_size(self.size_bytes)}"


def _kind_of(reason: str) -> str:
    """What a reason is rotated with: itself, without a schema number."""
    return re.sub(r"-\d+$", "", reason)


def reason_text(reason: str) -> str:
    """The reason in words: ``before-migration-5`` -> ``before the update to schema 5``."""
    if reason == DAILY:
        return "daily"
    if reason == BEFORE_RESTORE:
        return "before a restore"
    if reason == KEPT_DAILY:
        return "daily, kept since the damage"
    if reason.endswith(RESTORED_SUFFIX):
        return f"{reason_text(reason.removesuffix(RESTORED_SUFFIX))}, kept since it was restored"
    found = re.fullmatch(rf"{BEFORE_MIGRATION}-(\d+)", reason)
    if found:
        return f"before the update to schema {found.group(1)}"
    return reason


def backup_dir(data_dir: Path) -> Path:
    """Where the backups of the database in ``data_dir`` are kept."""
    return Path(data_dir) / BACKUP_DIRNAME


def backup_name(made_at: datetime, reason: str) -> str:
    """The file name of a backup made at ``made_at`` (UTC) for ``reason``."""
    return f"safesignal-{made_at.astimezone(UTC).strftime(_STAMP)}-{reason}.db"


def _private_dir(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"Could not make the backup folder {folder} ({exc.strerror}). Check that the data "
            "folder can be written to."
        ) from exc


class BackupPostponedError(StoreError):
    """A backup was asked for while its connection was in the middle of a transaction: none
    was made, and nothing was changed; it can be made once the transaction has ended."""


def _not_in_transaction(source: sqlite3.Connection) -> None:
    """Refuse (:class:`BackupPostponedError`) a source connection inside a transaction.

    SQLite's backup of a connection whose own transaction has written is refused as busy, and
    Python's ``backup()`` tries again every 250 ms, for ever: the window would freeze for good
    (a timer of the window firing while an import held its transaction open did that)."""
    if source.in_transaction:
        raise BackupPostponedError(
            "The backup was put off: Safe Signal is in the middle of saving a change. It is "
            "made at the next try."
        )


def backup_connection(
    source: sqlite3.Connection, data_dir: Path, reason: str, made_at: datetime
) -> Path:
    """Copy the database open on ``source`` into a new backup; return its path.

    The copy is a consistent snapshot (SQLite's backup API), written to a temporary file,
    flushed to disk and only then given its name; the older backups of the same kind beyond
    :data:`KEEP` are then deleted. While ``source`` is inside a transaction nothing is done:
    :class:`BackupPostponedError` at once (see :func:`_not_in_transaction`).
    """
    _not_in_transaction(source)
    folder = backup_dir(data_dir)
    _private_dir(folder)
    target = _free_name(folder, backup_name(made_at, reason))
    with _temporary_copy(folder, f".{target.name}.", ".part") as temp:
        _copy_database(source, temp)
        try:
            os.replace(temp, target)
        except OSError as exc:
            raise StoreError(
                f"Could not save a backup in {folder} ({exc.strerror}). Check that there is space "
                "on the disk."
            ) from exc
    fsync_folder(folder)
    rotate(data_dir, _kind_of(reason), now=made_at, made=target)
    return target


def back_up_before_migration(
    source: sqlite3.Connection, db_path: Path, to_version: int, made_at: datetime
) -> Path:
    """A backup of the database at ``db_path`` as it is, before it is updated to schema
    ``to_version`` (the store's :data:`~trainer.store.migrations.BeforeMigration`)."""
    return backup_connection(source, db_path.parent, f"{BEFORE_MIGRATION}-{to_version}", made_at)


def backup_file(db_path: Path, data_dir: Path, reason: str, made_at: datetime) -> Path:
    """Back up the database file ``db_path`` (not open elsewhere in this process)."""
    try:
        with closing(sqlite3.connect(db_path)) as source:
            return backup_connection(source, data_dir, reason, made_at)
    except sqlite3.OperationalError as exc:  # cannot open or read it: not a sign of damage
        raise StoreError(
            f"Could not read the database {db_path} to back it up (SQLite said: {exc}). Check "
            "that it can be read and is not in use by another program. Nothing was changed."
        ) from exc
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        raise _damaged(db_path, exc) from exc


def _free_name(folder: Path, name: str) -> Path:
    """``name`` in ``folder``, or ``name`` with ``~2``, ``~3``... when it is taken."""
    target = folder / name
    number = 2
    while target.exists():
        target = folder / name.replace(".db", f"~{number}.db")
        number += 1
    return target


@contextmanager
def _temporary_copy(folder: Path, prefix: str, suffix: str) -> Iterator[Path]:
    """A new private (0600) empty file in ``folder``, removed unless it was renamed."""
    try:
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    except OSError as exc:
        raise StoreError(
            f"Could not write in {folder} ({exc.strerror}). Check that it can be written to "
            "and that there is space on the disk."
        ) from exc
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
        for extra in ("-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{temp}{extra}").unlink()


def _copy_database(source: sqlite3.Connection, temp: Path) -> None:
    """Copy ``source`` into the empty file ``temp`` as a single file (no WAL), on disk."""
    _not_in_transaction(source)  # backup() would never return
    try:
        with closing(sqlite3.connect(temp)) as target:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            target.commit()
    except sqlite3.OperationalError as exc:
        raise StoreError(
            f"Could not write a copy of the database in {temp.parent} (SQLite said: {exc}). "
            "Check that there is space on the disk."
        ) from exc
    with open(temp, "rb+") as stream:
        os.fsync(stream.fileno())


def rotate(
    data_dir: Path, kind: str, *, now: datetime | None = None, made: Path | None = None
) -> list[Path]:
    """Delete the backups of ``kind`` beyond the newest :data:`KEEP` ones; return them.

    Only files named as backups of that kind are ever deleted, and never ``made`` (the backup
    just made). Backups stamped later than ``now`` (made while the clock was wrong) count as
    the oldest: they are the first to go once there are enough newer ones, and they cannot
    push out each new backup."""
    keep = KEEP.get(kind)
    if keep is None:
        return []
    moment = (utc_now() if now is None else now).astimezone(UTC)
    mine = [b for b in list_backups(data_dir, count_sessions=False) if b.kind == kind]
    mine.sort(key=lambda b: b.made_at > moment)  # stable: newest first within each group
    removed: list[Path] = []
    for old in mine[keep:]:
        if made is not None and old.path == made:
            continue
        with contextlib.suppress(OSError):
            old.path.unlink()
            removed.append(old.path)
    return removed


def list_backups(data_dir: Path, *, count_sessions: bool = True) -> list[BackupInfo]:
    """Every whole backup in the data folder, newest first."""
    folder = backup_dir(data_dir)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found: list[tuple[datetime, int, BackupInfo]] = []
    for path in entries:
        match = _NAME_RE.match(path.name)
        if match is None or not path.is_file():
            continue
        made_at = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
        try:
            size = path.stat().st_size
        except OSError:
            continue
        sessions = _session_count(path) if count_sessions else None
        info = BackupInfo(path, made_at, match.group(2), size, sessions)
        found.append((made_at, int(match.group(3) or 1), info))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [info for _, _, info in found]


def _session_count(path: Path) -> int | None:
    try:
        with closing(_read_only(path)) as conn:
            return int(conn.execute("SELECT count(*) FROM sessions").fetchone()[0])
    except sqlite3.Error:
        return None


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def daily_backup_due(data_dir: Path, now: datetime) -> bool:
    """Whether no daily backup was made on ``now``'s UTC day (or the clock was set back).
    A backup stamped later than ``now`` (the clock was fast then) is not today's."""
    moment = now.astimezone(UTC)
    return not any(
        b.kind == DAILY and b.made_at.date() == moment.date() and b.made_at <= moment
        for b in list_backups(data_dir, count_sessions=False)
    )


def make_daily_backup(
    source: sqlite3.Connection, data_dir: Path, now: Callable[[], datetime] = utc_now
) -> Path | None:
    """At start-up (and each hour after): a daily backup, unless one was made today (UTC);
    its path, if made. While ``source`` is inside a transaction (a write of the window's is
    under way) it is put off: ``None`` at once, and the next check makes it."""
    if source.in_transaction:
        return None
    moment = now()
    if not daily_backup_due(data_dir, moment):
        return None
    return backup_connection(source, data_dir, DAILY, moment)


def verify_backup(path: Path) -> int:
    """Check that ``path`` is a whole Safe Signal database this version can read; return its
    number of sessions. Raises :class:`CorruptDatabaseError` or :class:`StoreError` saying why
    not; the file is only read."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"There is no backup file {path}.")
    try:
        with closing(_read_only(path)) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise NewerDatabaseError(
                    f"The backup {path.name} was made by a newer version of Safe Signal (schema "
                    f"{version}; this version knows up to {SCHEMA_VERSION}). Update Safe Signal "
                    "to restore it. Nothing was changed."
                )
            result = conn.execute("PRAGMA quick_check").fetchone()
            if result is None or result[0] != "ok":
                raise CorruptDatabaseError(
                    f"The backup {path.name} is damaged (SQLite's check found a problem), so it "
                    "cannot be restored. Choose another backup. Nothing was changed."
                )
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if version < 1 or not {"profiles", "sessions"} <= tables:
                raise StoreError(
                    f"{path.name} is not a Safe Signal database, so it cannot be restored. "
                    "Nothing was changed."
                )
            return int(conn.execute("SELECT count(*) FROM sessions").fetchone()[0])
    except sqlite3.OperationalError as exc:
        raise StoreError(
            f"Could not read the backup {path.name} (SQLite said: {exc}). Check that it can be "
            "read. Nothing was changed."
        ) from exc
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        raise CorruptDatabaseError(
            f"The backup {path.name} is damaged or is not a database (SQLite said: {exc}), so "
            "it cannot be restored. Choose another backup. Nothing was changed."
        ) from exc


def find_backup(data_dir: Path, name_or_path: str) -> Path:
    """A backup given by its name in the backup folder, or by a path to any file."""
    text = name_or_path.strip()
    by_name = backup_dir(data_dir) / text
    if text and os.sep not in text and "/" not in text and by_name.is_file():
        return by_name
    path = Path(text).expanduser()
    if text and path.is_file():
        return path
    raise StoreError(
        f"There is no backup called “{name_or_path}” (see safesignal restore --list), and no "
        "such file. Nothing was changed."
    )


_PARTS: Final = ("-wal", "-shm", "-journal", "")  # the database's own file last


def _aside_name(db_path: Path, now: datetime) -> Path:
    """A free ``<name>.damaged-<time>`` beside the database (none of its parts taken)."""
    stamp = now.astimezone(UTC).strftime(_STAMP)
    target = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    number = 2
    while any(Path(f"{target}{extra}").exists() for extra in _PARTS):
        target = db_path.with_name(f"{db_path.name}.damaged-{stamp}~{number}")
        number += 1
    return target


def set_aside_damaged(db_path: Path, now: datetime) -> Path:
    """Move a damaged database (with its -wal and -shm) to ``<name>.damaged-<time>`` beside it,
    where it stays: it is never deleted. Returns where it went."""
    db_path = Path(db_path)
    target = _aside_name(db_path, now)
    _move_aside(db_path, target)
    return target


def _move_aside(db_path: Path, target: Path) -> None:
    """Move the database's parts to ``target`` (its -wal first, the file itself last). Parts
    already there are left (a move cut short is finished this way); once the file itself is at
    ``target`` there is nothing left to move. Nothing is ever overwritten; on failure what
    this call moved is moved back."""
    if target.exists():
        return
    moved: list[tuple[Path, Path]] = []
    try:
        for extra in _PARTS:
            source, there = Path(f"{db_path}{extra}"), Path(f"{target}{extra}")
            if not source.exists():
                continue
            if there.exists():  # never replace what was set aside
                raise OSError(17, f"{there.name} is already there")
            os.rename(source, there)
            moved.append((source, there))
            _reached(f"moved{extra or ' the database'}")
    except OSError as exc:
        _move_back(moved)  # never leave the database apart from its -wal
        raise StoreError(
            f"Could not move the damaged database {db_path} aside ({exc.strerror}). Move it "
            "yourself, then open Safe Signal again."
        ) from exc
    fsync_folder(db_path.parent)


def _move_back(moved: list[tuple[Path, Path]]) -> list[Path]:
    """Undo the renames ``(source, target)`` in ``moved``, last first; return the files that
    could not be moved back (still at their target)."""
    stuck: list[Path] = []
    for source, target in reversed(moved):
        try:
            os.rename(target, source)
        except OSError:
            stuck.append(target)
    return stuck


def put_back_damaged(db_path: Path, aside: Path) -> None:
    """Undo :func:`set_aside_damaged` when what was to replace the database could not be made:
    remove whatever is at ``db_path`` now (a new, empty database, or nothing), then move the
    database at ``aside`` (with its -wal and -shm) back. Raises :class:`StoreError` saying where
    the database is kept when that fails."""
    db_path = Path(db_path)
    kept = (
        f"Could not put the damaged database back in place. It is kept as {aside}, unchanged; "
        f"move it back to {db_path} yourself before opening Safe Signal again"
    )
    try:
        for extra in _PARTS:
            Path(f"{db_path}{extra}").unlink(missing_ok=True)
    except OSError as exc:
        raise StoreError(f"{kept} ({exc.strerror}).") from exc
    moved = [
        (Path(f"{db_path}{extra}"), Path(f"{aside}{extra}"))
        for extra in reversed(_PARTS)
        if Path(f"{aside}{extra}").exists()
    ]
    if _move_back(moved):  # the -wal first, the database last
        raise StoreError(f"{kept}.")
    fsync_folder(db_path.parent)


def keep_daily_backups(data_dir: Path) -> None:
    """Take the daily backups out of rotation (when a damaged database is replaced by a fresh
    one): they hold the sessions from before the damage, which a week of new, emptier daily
    backups would otherwise push out."""
    for backup in list_backups(data_dir, count_sessions=False):
        if backup.reason == DAILY:
            kept = backup.path.with_name(backup.path.name.replace(f"-{DAILY}", f"-{KEPT_DAILY}"))
            with contextlib.suppress(OSError):
                if not kept.exists():
                    os.rename(backup.path, kept)


def _keep_out_of_rotation(data_dir: Path, backup: Path) -> Path | None:
    """Before a backup is restored: give it a name rotation never deletes (``...-daily`` ->
    ``...-daily-restored``), so that it outlives the backups made after the restore. Returns its
    new path, or ``None`` when it was not one of the rotated backups (or could not be renamed,
    which does not stop the restore)."""
    folder = backup_dir(data_dir)
    match = _NAME_RE.match(backup.name)
    try:
        inside = backup.parent.resolve() == folder.resolve()
    except OSError:
        return None
    if not inside or match is None or _kind_of(match.group(2)) not in KEEP:
        return None
    target = _free_name(folder, f"safesignal-{match.group(1)}-{match.group(2)}{RESTORED_SUFFIX}.db")
    try:
        os.rename(backup, target)
    except OSError:
        return None
    fsync_folder(folder)
    return target


def _reached(step: str) -> None:
    """Called after each step of a restore that changes the data folder. Does nothing: the
    tests end the process here to show that a crash at any step is finished at the next
    start."""


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup restored, its sessions, and where the old data went."""

    backup: Path
    sessions: int
    saved_as: Path | None  # the "before-restore" backup of the database replaced
    set_aside: Path | None  # where the replaced database went, when it was damaged
    kept_as: Path | None = None  # the backup's new name, out of rotation


class ReplacesNewerError(NewerDatabaseError):
    """The database a restore would replace was written by a newer Safe Signal."""


def newer_database_version(db_path: Path) -> int | None:
    """The schema version of the database at ``db_path`` when a newer Safe Signal wrote it
    (``None`` when this version can read it, or it cannot be read at all). The file is only
    read: its header, and SQLite (read-only) only when a -wal and its index are there already,
    so no file is made beside it."""
    db_path = Path(db_path)
    try:
        with open(db_path, "rb") as stream:
            header = stream.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None  # empty, damaged or not a database: met as such by the restore
    version = int.from_bytes(header[60:64], "big", signed=True)
    wal, shm = Path(f"{db_path}-wal"), Path(f"{db_path}-shm")
    if wal.is_file() and wal.stat().st_size > 0 and shm.is_file():  # it may hold a newer one
        with contextlib.suppress(sqlite3.Error), closing(_read_only(db_path)) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    return version if version > SCHEMA_VERSION else None


def refuse_newer(db_path: Path) -> None:
    """Raise :class:`ReplacesNewerError` when the database at ``db_path`` was written by a newer
    Safe Signal: a restore would replace it with older data, and this version cannot read it."""
    newer = newer_database_version(db_path)
    if newer is not None:
        raise ReplacesNewerError(
            f"Your database was written by a newer version of Safe Signal (schema {newer}; this "
            f"version knows up to {SCHEMA_VERSION}), and restoring would replace it with older "
            "data. Nothing was changed."
        )


def restore_backup(
    data_dir: Path,
    backup: Path,
    *,
    now: Callable[[], datetime] = utc_now,
    lock: DataFolderLock | None = None,
    current_damaged: bool = False,
    replace_newer: bool = False,
) -> Restored:
    """Make the backup at ``backup`` the database of ``data_dir``.

    The backup is checked first; then the data folder is locked (``lock`` when the caller
    already holds it, else a lock of its own, refused while Safe Signal is open), the backup is
    renamed out of rotation, and the current database is backed up ("before-restore") or, when
    it is damaged, marked to be moved aside. Then, before anything is moved, the restore's note
    (:mod:`trainer.safety.restore_journal`) is written; the damaged database is moved aside, the
    backup is copied in whole (into a temporary file beside the database, flushed, and renamed
    over it) and the note is removed. A crash anywhere in between is finished at the next start
    by :func:`finish_restore`. If anything fails on the way, the current database is as it was
    (one moved aside is put back). ``current_damaged`` (the caller found it damaged) moves it
    aside without trying to back it up, so it is never deleted by the rotation of backups.

    A healthy database written by a newer Safe Signal is not replaced (:class:`ReplacesNewerError`)
    unless ``replace_newer``.
    """
    data_dir = Path(data_dir)
    db_path = data_dir / DB_FILENAME
    backup = Path(backup)
    if db_path.exists() and backup.resolve() == db_path.resolve():
        raise StoreError(
            "That is the database in use, not a backup. Choose a backup from safesignal "
            "restore --list. Nothing was changed."
        )
    sessions = verify_backup(backup)
    with holding(data_dir, "a restore", lock):
        if restore_unfinished(data_dir):
            raise StoreError(
                "An earlier restore was cut short and is not finished yet; open Safe Signal "
                "to finish it first. Nothing was changed."
            )
        if not (current_damaged or replace_newer):
            refuse_newer(db_path)
        moment = now()
        # First out of rotation: the backup made next ("before-restore") may rotate its kind.
        kept_as = _keep_out_of_rotation(data_dir, backup)
        try:
            saved_as, damaged = _keep_current(db_path, data_dir, moment, current_damaged)
            journal = RestoreJournal(
                backup=kept_as or backup,
                sessions=sessions,
                aside=_aside_name(db_path, moment) if damaged else None,
                saved_as=saved_as,
                replaces=db_path.stat().st_ino if db_path.exists() else None,
                started_at=moment,
            )
            write_journal(data_dir, journal)
        except BaseException:
            if kept_as is not None:
                with contextlib.suppress(OSError):
                    os.rename(kept_as, backup)
            raise
        try:
            _reached("wrote the note")
            _carry_out(db_path, journal)
        except BaseException:
            _call_off(db_path, journal, backup)
            raise
        remove_journal(data_dir)
    return Restored(backup, sessions, saved_as, journal.aside, kept_as)


def _carry_out(db_path: Path, journal: RestoreJournal) -> None:
    """The steps of a restore after its note: move a damaged database aside, copy the backup
    in. Each can be run again after a crash: it carries on from where it was."""
    if journal.aside is not None:
        _move_aside(db_path, journal.aside)
    _copy_in(journal.backup, db_path)


def _copy_in(backup: Path, db_path: Path) -> None:
    """Copy ``backup`` over the database whole: into a temporary file, flushed, renamed."""
    with (
        _temporary_copy(db_path.parent, f".{db_path.name}.", ".restoring") as temp,
        closing(_read_only(backup)) as source,
    ):
        _copy_database(source, temp)
        _reached("copied the backup")
        try:
            os.replace(temp, db_path)
        except OSError as exc:
            raise StoreError(
                f"Could not put the backup in place ({exc.strerror}). The database is as it was."
            ) from exc
    fsync_folder(db_path.parent)
    _reached("put the backup in place")


def _call_off(db_path: Path, journal: RestoreJournal, given: Path) -> None:
    """A restore failed (not a crash): put the database back as it was, give the backup its
    name back, and remove the note. When the damaged database cannot be put back, the note
    stays, so the next start finishes the restore rather than start empty."""
    if journal.aside is not None and any(
        Path(f"{journal.aside}{extra}").exists() for extra in _PARTS
    ):
        put_back_damaged(db_path, journal.aside)  # raises, keeping the note, when it cannot
    if journal.backup != given:
        with contextlib.suppress(OSError):
            os.rename(journal.backup, given)
    remove_journal(db_path.parent)


def _clear_temporaries(data_dir: Path) -> None:
    """The copy a restore cut short was making (a hidden, whole or partial copy of a backup)."""
    for leftover in data_dir.glob(f".{DB_FILENAME}.*.restoring"):
        with contextlib.suppress(OSError):
            leftover.unlink()


@dataclass(frozen=True)
class Finished:
    """How a restore cut short ended at the next start, and the sentence that says so."""

    restored: bool  # the backup is in place (else the database is as it was before)
    message: str


def finish_restore(data_dir: Path, *, lock: DataFolderLock | None = None) -> Finished | None:
    """At start-up, before the database is opened: finish a restore that was cut short (its
    note is still there), or, when its backup is gone or damaged, put the database back as it
    was. Returns what happened in one sentence for the person, or ``None`` when no restore
    was under way. Raises :class:`StoreError` (and keeps the note) when neither can be done,
    so Safe Signal never starts quietly with an empty history."""
    data_dir = Path(data_dir)
    with holding(data_dir, "a restore", lock):
        journal = read_journal(data_dir)
        if journal is None:
            return None
        _clear_temporaries(data_dir)
        finished = _finish(data_dir / DB_FILENAME, journal)
        remove_journal(data_dir)
        return finished


def _finish(db_path: Path, journal: RestoreJournal) -> Finished:
    name = journal.backup.name
    done = Finished(
        True,
        f"The restore of the backup {name} was interrupted last time and has now been "
        f"finished: your data is as it was in that backup ({sessions_text(journal.sessions)})"
        + (
            f", and the damaged database is kept as {journal.aside.name}."
            if journal.aside is not None
            else "."
        ),
    )
    # Nothing but the copy of the backup is put where the database was, and it is a file of its
    # own (another file id) while the database it replaces is still there or kept aside.
    in_place = db_path.exists() and (
        journal.replaces is None or db_path.stat().st_ino != journal.replaces
    )
    if in_place:
        return done  # only the note was left to remove
    try:
        verify_backup(journal.backup)
        usable = True
    except StoreError:
        usable = False
    old_kept = journal.aside is not None or journal.saved_as is None or journal.saved_as.exists()
    if usable and old_kept:
        _carry_out(db_path, journal)
        return done
    # The backup is gone (or the only copy of the data it would replace): undo.
    if journal.aside is not None:
        for extra in reversed(_PARTS):  # whatever was moved aside goes back
            source, there = Path(f"{db_path}{extra}"), Path(f"{journal.aside}{extra}")
            if there.exists() and not source.exists():
                try:
                    os.rename(there, source)
                except OSError as exc:
                    raise StoreError(
                        f"A restore was interrupted and its backup {journal.backup} cannot be "
                        f"used, and the database could not be put back from {there} "
                        f"({exc.strerror}); move it back to {source} yourself, then open Safe "
                        "Signal again."
                    ) from exc
        fsync_folder(db_path.parent)
    if not db_path.exists() and journal.replaces is not None:
        raise StoreError(
            f"A restore was interrupted, its backup {journal.backup} is missing or damaged, "
            f"and the database it was to replace cannot be found either. Put one of them back, "
            f"or delete {JOURNAL_FILENAME} in {db_path.parent} to start with an empty history."
        )
    why = (
        f"its backup {name} is missing or damaged"
        if not usable
        else f"the backup of your data from before it, {journal.saved_as}, is missing"
    )
    return Finished(
        False,
        f"A restore was interrupted last time and could not be finished, because {why}, so "
        "your database was left as it was before.",
    )


def _keep_current(
    db_path: Path, data_dir: Path, moment: datetime, damaged: bool = False
) -> tuple[Path | None, bool]:
    """Before a restore: back the current database up and leave it as one file with no -wal
    or -shm (so none is applied to the restored file). Returns that backup and whether the
    database must be moved aside instead (it is damaged); nothing is moved here."""
    if damaged and any(Path(f"{db_path}{extra}").exists() for extra in ("", "-wal", "-shm")):
        return None, True
    if not db_path.exists() or db_path.stat().st_size == 0:
        for extra in ("-wal", "-shm"):  # an empty file's leftovers hold nothing
            if Path(f"{db_path}{extra}").exists():
                return None, True
        return None, False
    try:
        saved = backup_file(db_path, data_dir, BEFORE_RESTORE, moment)
    except CorruptDatabaseError:
        return None, True
    try:
        with closing(sqlite3.connect(db_path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode = DELETE")  # SQLite removes the -wal itself
    except sqlite3.OperationalError as exc:
        raise StoreError(
            f"Could not restore: the database is in use by another program (SQLite said: "
            f"{exc}). Close it and try again. Nothing was changed; a copy was kept as "
            f"{saved.name}."
        ) from exc
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        return saved, True
    for extra in ("-wal", "-shm"):
        leftover = Path(f"{db_path}{extra}")
        if leftover.exists() and extra == "-wal" and leftover.stat().st_size > 0:
            return saved, True  # never apply it to the backup
        with contextlib.suppress(OSError):
            leftover.unlink()  # empty, or the index of a closed WAL: nothing of the data
    return saved, False


def _damaged(db_path: Path, exc: sqlite3.DatabaseError) -> CorruptDatabaseError:
    return CorruptDatabaseError(
        f"{db_path} is damaged or is not a Safe Signal database (SQLite said: {exc})."
    )


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
