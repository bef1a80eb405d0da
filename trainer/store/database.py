"""The SQLite connection: opening a file, pragmas and WAL, transactions, damage and errors.

This is the one place that knows how Safe Signal's file is opened and how SQLite's failures are
told apart. Problems a person can act on (a damaged file, a full disk, a read-only folder, a file
of another program or of a newer Safe Signal) become :class:`~trainer.errors.StoreError` with a
plain message; anything else is a bug and propagates. The table groups
(:mod:`trainer.store.profiles`, :mod:`trainer.store.sessions`, ...) work through a
:class:`Database`; the schema's steps are in :mod:`trainer.store.migrations`.
"""

from __future__ import annotations

import gc
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

from trainer.errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    DiskFullError,
    NewerDatabaseError,
    StoreError,
)
from trainer.session.clock import utc_now
from trainer.store.lazy import LazyDatabase

if TYPE_CHECKING:  # sqlite-utils (and numpy, which it imports): when first needed
    import sqlite_utils

    from trainer.safety.wal_check import LostTail

# SQLite's own words for "this file is damaged" and "this file is not a database" (the names are
# in Python's sqlite3 from 3.11; the numbers are SQLite's and never change).
_DAMAGE_CODES: Final = frozenset(
    {getattr(sqlite3, "SQLITE_CORRUPT", 11), getattr(sqlite3, "SQLITE_NOTADB", 26)}
)

# How long closing waits for another reader (such as ``safesignal export``) before the log is
# emptied; what cannot wait is copied all the same, and SQLite finishes it when the last
# connection closes.
_CLOSING_WAIT_MS: Final = 200

# SQLite's "busy" and "locked": another connection (in practice another program: a database
# viewer, a backup or sync tool) holds the lock a write needs. And its "full": no room on disk.
_BUSY_CODES: Final = frozenset(
    {getattr(sqlite3, "SQLITE_BUSY", 5), getattr(sqlite3, "SQLITE_LOCKED", 6)}
)
_FULL_CODE: Final = getattr(sqlite3, "SQLITE_FULL", 13)
# The byte of the -shm file a writer locks in WAL mode (SQLite's WAL_WRITE_LOCK), and where
# Linux lists who holds which lock.
_WAL_WRITE_LOCK_BYTE: Final = 120
_PROC_LOCKS: Final = Path("/proc/locks")

# The longest the app's window waits for another program's lock before a write gives up (see
# Database.patience): what is written while a pacer runs (its progress every few seconds, a
# setting changed by a key) is tried again later, so it hardly waits at all; a save a person
# is waiting for (the start, the final save) waits a little longer, still far short of a freeze.
PACER_WAIT_MS: Final = 50
SAVE_WAIT_MS: Final = 250

_log = logging.getLogger(__name__)


def is_damage(exc: sqlite3.Error) -> bool:
    """Whether SQLite reported a damaged file or one that is not a database (not a bug in the
    caller, such as a closed connection or a wrong parameter, nor a file it could not open)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and (code & 0xFF) in _DAMAGE_CODES  # extended codes too


def _code(exc: sqlite3.Error) -> int | None:
    """SQLite's primary result code of ``exc`` (without the extended part), if it has one."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_busy(exc: sqlite3.Error) -> bool:
    """Whether SQLite gave up waiting for a lock that another connection holds ("database is
    locked"): nothing is wrong with the file or the disk, and the same write may work soon."""
    return _code(exc) in _BUSY_CODES


def busy_error(path: Path, doing: str) -> DatabaseBusyError:
    """The error for a write refused because another program holds the database's lock: it
    names that cause (and the program, where the system says which: see :func:`lock_holder`),
    says nothing was written, and that it may work soon."""
    holder = lock_holder(path)
    who = "another program" if holder is None else f"another program ({holder})"
    return DatabaseBusyError(
        f"Could not {doing}: {who} is using Safe Signal's database ({path}) right now, so "
        "nothing was written this time. This usually passes within moments."
    )


def lock_holder(path: Path, locks: Path = _PROC_LOCKS) -> str | None:
    """The program holding the write lock of the database at ``path``, as "name, process N",
    where the system tells it cheaply: Linux lists every file lock in ``/proc/locks``, and a
    writer in WAL mode locks one byte of the ``-shm`` file. ``None`` elsewhere, when nobody
    else holds it, or when it cannot be told (this never raises)."""
    try:  # (no /proc/locks outside Linux: None before os.major, which is Unix's only)
        shm = os.stat(f"{path}-shm")
        lines = locks.read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return None
    for line in lines:
        # "7: POSIX  ADVISORY  WRITE 6354 fe:00:2679548 120 120"; one waiting for it has "->"
        fields = line.split()
        if len(fields) != 8 or fields[3] != "WRITE":
            continue
        try:
            pid = int(fields[4])
            major, minor, inode = fields[5].split(":")
            same_file = (int(major, 16), int(minor, 16), int(inode)) == (
                os.major(shm.st_dev),
                os.minor(shm.st_dev),
                shm.st_ino,
            )
            start = int(fields[6])
            end = None if fields[7] == "EOF" else int(fields[7])
        except ValueError:
            continue
        covers = start <= _WAL_WRITE_LOCK_BYTE and (end is None or end >= _WAL_WRITE_LOCK_BYTE)
        if not same_file or not covers or pid <= 0 or pid == os.getpid():
            continue  # not the writer's byte, or this process's own connection
        try:
            comm = Path(f"/proc/{pid}/comm").read_text(encoding="utf-8", errors="replace")
        except OSError:
            comm = ""
        name = "".join(ch for ch in comm.strip() if ch.isprintable())  # no escapes, no bidi
        return f"{name}, process {pid}" if name else f"process {pid}"
    return None


@contextmanager
def store_errors(path: Path, doing: str) -> Iterator[None]:
    """Turn SQLite failures a person can act on into a :class:`StoreError` (``doing`` says what
    failed, as in "Could not save the session"); a bug propagates as it is."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise  # a constraint caught a bug in the caller: not the person's to fix
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise busy_error(path, doing) from exc
        text = str(exc).lower()
        if "readonly" in text or "read-only" in text:
            hint = "The folder or file is read-only; check its permissions."
        elif "full" in text or _code(exc) == _FULL_CODE:
            raise DiskFullError(
                f"Could not {doing} ({path}). The disk is full; free some space and try again."
            ) from exc
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


def _lost_tail(path: Path, now: Callable[[], datetime]) -> LostTail | None:
    """:func:`trainer.safety.wal_check.find_lost_tail`, read only when there is a -wal to read
    (a clean close leaves none, or an empty one: then this is one look at the folder)."""
    try:
        if os.stat(f"{path}-wal").st_size == 0:
            return None
    except OSError:
        return None
    from trainer.safety.wal_check import find_lost_tail

    return find_lost_tail(path, now())


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while many rows are read at once: the tuples made are
    kept, so its passes are wasted work (up to half the time of a large read)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class Database:
    """An open Safe Signal file: the connection (through sqlite-utils), its path and clock, and
    the error and transaction helpers every table group uses."""

    def __init__(
        self,
        path: Path,
        *,
        newest_version: int,
        now: Callable[[], datetime] = utc_now,
        check_later: bool = False,
        look_at_wal: bool = True,
    ) -> None:
        """Open ``path`` and check it before anything is read or written: a file of a newer
        Safe Signal (``user_version`` above ``newest_version``) or of another program is
        refused, a damaged one is found by SQLite's quick check; then WAL and foreign keys are
        switched on. The schema is not touched here (see :mod:`trainer.store.migrations`).

        ``check_later`` (the app's start, so that its window need not wait): a file already of
        ``newest_version`` opens read-only and unchecked until :meth:`finish_check`, and
        sqlite-utils is made on first need (plain reads go to the connection meanwhile).

        Before SQLite sees the file, its -wal is read (``look_at_wal``): saved changes SQLite
        would drop from a damaged log are found, the log is copied aside, and
        :attr:`lost_tail` says what to tell the person (see :mod:`trainer.safety.wal_check`)."""
        self.path = Path(path)
        self.now = now
        self.checked = True
        self.lost_tail: LostTail | None = _lost_tail(self.path, now) if look_at_wal else None
        with store_errors(self.path, "open the database"):
            conn = sqlite3.connect(str(self.path))
            try:
                lazy = LazyDatabase(conn)
                if not check_later:
                    lazy.real()
                self.db = cast("sqlite_utils.Database", lazy)
                found = self.user_version
                if found > newest_version:
                    raise NewerDatabaseError(
                        f"{self.path} was written by a newer version of Safe Signal (schema "
                        f"{found}; this version knows up to {newest_version}). Please update "
                        "Safe Signal to open it. The file has not been changed."
                    )
                if found == 0 and self._has_foreign_tables():
                    raise StoreError(
                        f"{self.path} is an SQLite database of some other program, not Safe "
                        "Signal's. Choose another folder with --data-dir. The file has not been "
                        "changed."
                    )
                if check_later and found == newest_version:
                    # Read now, check just after the window shows: SQLite refuses every write
                    # until finish_check() has found the file whole.
                    self.checked = False
                    self.db.execute("PRAGMA query_only = ON")
                elif found > 0:
                    self._quick_check()  # before a migration writes to it
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA foreign_keys = ON")
                if self.checked:  # whole: what a killed run left in the -wal goes in the file
                    self.checkpoint(truncate=True)
            except BaseException:
                conn.close()
                raise

    def finish_check(self) -> None:
        """The integrity check put off by ``check_later``; writes are allowed once it has
        passed. Raises :class:`CorruptDatabaseError` when the file is damaged, and the file
        stays read-only."""
        if self.checked:
            return
        with store_errors(self.path, "check the database"):
            self._quick_check()
            self.db.execute("PRAGMA query_only = OFF")
        # What sqlite-utils found out while the file was read-only (such as whether upserts
        # work) would be wrong now: it starts afresh.
        cast(LazyDatabase, self.db).forget()
        self.checked = True
        # What the last run left in the -wal (it was killed, or the computer went down) goes
        # into the file now that the file is known to be whole.
        self.checkpoint(truncate=True)

    @property
    def conn(self) -> sqlite3.Connection:
        """The plain connection (for SQLite's backup API)."""
        return self.db.conn

    @property
    def user_version(self) -> int:
        """The schema version of the file (``PRAGMA user_version``)."""
        row = self.db.execute("PRAGMA user_version").fetchone()
        return int(row[0])

    def set_user_version(self, version: int) -> None:
        """Record the schema version (inside the transaction of the step that reached it)."""
        self.db.execute(f"PRAGMA user_version = {int(version):d}")

    def errors(self, doing: str) -> AbstractContextManager[None]:
        """:func:`store_errors` for this file."""
        return store_errors(self.path, doing)

    @contextmanager
    def transaction(self, doing: str) -> Iterator[sqlite_utils.Database]:
        """One transaction (a savepoint when nested): all of it is kept, or on any failure none
        of it; SQLite failures a person can act on become a :class:`StoreError`."""
        if not self.checked:  # refused before sqlite-utils meets the read-only file
            raise StoreError(
                f"Could not {doing} yet: Safe Signal is still checking your data. Please try "
                "again in a moment."
            )
        with store_errors(self.path, doing), self.db.atomic():
            yield self.db

    @contextmanager
    def patience(self, wait_ms: int) -> Iterator[None]:
        """Inside, a write that finds another program holding the database's lock waits at most
        ``wait_ms`` for it (SQLite's busy timeout; Python's default is 5 s), then fails with
        :class:`~trainer.errors.DatabaseBusyError`: the window is never held up longer, and the
        caller tries again later. The wait before is put back on leaving."""
        conn = self.db.conn
        waited = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
        conn.execute(f"PRAGMA busy_timeout = {max(0, int(wait_ms)):d}")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA busy_timeout = {waited:d}")

    def checkpoint(self, *, truncate: bool = False, wait_ms: int = 0) -> bool:
        """Copy what the write-ahead log (``safesignal.db-wal``) holds into the database file
        itself, so that the file alone holds every saved session (a copy of it without its
        -wal, or a crash that loses the -wal, loses nothing). Returns whether all of it is in
        the file now.

        ``truncate`` also empties the -wal; it waits up to ``wait_ms`` for other readers (a
        command such as ``export``), and then copies what it can. Without it, nothing waits:
        it is quick and never holds up the window. Never before the integrity check (an
        unchecked file is left as it is), and a failure is not the person's to see: the
        sessions are still safe in the -wal, and the next checkpoint tries again."""
        if not self.checked:
            return False
        conn = self.db.conn
        try:
            if conn.in_transaction:
                return False  # a write under way: the next quiet moment does it
        except sqlite3.ProgrammingError:
            return False  # closed already (before a restore): nothing left to copy from here
        try:
            if not truncate:
                row = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            else:
                waited = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
                conn.execute(f"PRAGMA busy_timeout = {max(0, int(wait_ms)):d}")
                try:
                    row = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                finally:
                    conn.execute(f"PRAGMA busy_timeout = {waited:d}")
        except sqlite3.OperationalError as exc:  # locked, read-only, a full disk: later
            _log.info("could not checkpoint %s: %s", self.path, exc)
            return False
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            _log.warning("could not checkpoint %s: %s", self.path, exc)
            return False
        busy, in_log, copied = (int(value) for value in row)
        return busy == 0 and in_log == copied

    def close(self) -> None:
        """Copy the write-ahead log into the file (see :meth:`checkpoint`), then close the
        connection (writes are already committed)."""
        try:
            self.checkpoint(truncate=True, wait_ms=_CLOSING_WAIT_MS)
        finally:
            self.db.conn.close()

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

    def _has_foreign_tables(self) -> bool:
        row = self.db.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()
        return bool(row[0])
