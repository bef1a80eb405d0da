"""Tests for trainer/safety/backup.py and the store's health checks: backups (daily, before migrations,
rotation), the quick check at open, damaged files moved aside, newer files left alone, restore."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import trainer.safety.backup
from tests.trainer.conftest import add_finished, make_old_database
from trainer.content.breathing import BreathingPattern
from trainer.errors import CorruptDatabaseError, FolderInUseError, NewerDatabaseError, StoreError
from trainer.safety.backup import (
    KEEP,
    BackupPostponedError,
    back_up_before_migration,
    backup_connection,
    backup_dir,
    backup_name,
    daily_backup_due,
    keep_daily_backups,
    list_backups,
    make_daily_backup,
    reason_text,
    restore_backup,
    set_aside_damaged,
    verify_backup,
)
from trainer.safety.lock import LOCK_FILENAME, DataFolderLock
from trainer.safety.paths import DB_FILENAME
from trainer.store.database import Database
from trainer.store.migrations import SCHEMA_VERSION
from trainer.store.store import Store

DAY = timedelta(days=1)
T0 = datetime(2026, 12, 6, 3, 10, 45, tzinfo=UTC)


class Wall:
    """A wall clock the test moves."""

    def __init__(self) -> None:
        self.moment = T0

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def wall() -> Wall:
    return Wall()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def session_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM sessions").fetchone()[0])


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name -> bytes), for "nothing changed" checks."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# -- making backups ---------------------------------------------------------------------------


def test_daily_backup_is_a_whole_private_copy_named_by_time_and_reason(
    data: Path, wall: Wall, box: BreathingPattern
) -> None:
    store = Store.open_in(data, now=wall)
    add_finished(store, box, 3, first=T0 - DAY, step=-DAY)
    made = make_daily_backup(store.db.conn, data, wall)
    store.close()
    assert made == backup_dir(data) / "safesignal-2026-12-06T031045Z-daily.db"
    assert session_count(made) == 3
    # One file, no -wal: the backup stands on its own.
    assert sorted(p.name for p in backup_dir(data).iterdir()) == [made.name]
    with closing(sqlite3.connect(made)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    if os.name == "posix":
        assert stat.S_IMODE(backup_dir(data).stat().st_mode) == 0o700
        assert stat.S_IMODE(made.stat().st_mode) == 0o600
    [info] = list_backups(data)
    assert (info.reason, info.made_at, info.sessions) == ("daily", T0, 3)
    assert info.size_bytes == made.stat().st_size
    assert verify_backup(made) == 3


def test_daily_backup_is_made_once_per_utc_day(data: Path, wall: Wall) -> None:
    store = Store.open_in(data, now=wall)
    try:
        assert make_daily_backup(store.db.conn, data, wall) is not None
        wall.moment = T0 + timedelta(hours=20)  # 23:10 UTC, the same UTC day
        assert not daily_backup_due(data, wall.moment)
        assert make_daily_backup(store.db.conn, data, wall) is None
        wall.moment = T0 + timedelta(hours=21)  # 00:10 UTC the next day
        assert make_daily_backup(store.db.conn, data, wall) is not None
    finally:
        store.close()
    assert [b.made_at.day for b in list_backups(data)] == [7, 6]


WAIT_S = 5.0  # a bound on a backup that should return at once, never a sleep


def _in_another_thread(call: Callable[[], object]) -> list[object]:
    """Run ``call`` in a thread and wait at most :data:`WAIT_S`: what it returned or raised,
    or nothing if it had not returned by then (SQLite's backup of a connection with a write in
    its open transaction retries for ever)."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as exc:  # handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)  # daemon: a hung one cannot hold pytest
    thread.start()
    thread.join(WAIT_S)
    return outcome


def _writing(db: Path) -> sqlite3.Connection:
    """A connection to ``db`` with a write in its open transaction (usable from a thread)."""
    conn = sqlite3.connect(db, check_same_thread=False)
    conn.execute("INSERT INTO app_settings (key, value) VALUES ('theme', 'dark')")
    assert conn.in_transaction
    return conn


def test_the_daily_backup_is_put_off_while_its_connection_is_in_a_transaction(
    data: Path, wall: Wall
) -> None:
    Store.open_in(data, now=wall).close()
    conn = _writing(data / DB_FILENAME)
    try:
        assert _in_another_thread(lambda: make_daily_backup(conn, data, wall)) == [None]
        assert list_backups(data) == []  # put off: nothing made, nothing half-made
        assert not backup_dir(data).exists() or list(backup_dir(data).iterdir()) == []
        assert conn.in_transaction  # and the write under way is left as it is
        conn.commit()
        made = make_daily_backup(conn, data, wall)  # the next check makes it
    finally:
        conn.close()
    assert made is not None
    assert [b.path for b in list_backups(data)] == [made]


def test_no_backup_of_a_connection_in_a_transaction_is_tried(data: Path, wall: Wall) -> None:
    Store.open_in(data, now=wall).close()
    conn = _writing(data / DB_FILENAME)
    try:
        [refused] = _in_another_thread(lambda: backup_connection(conn, data, "daily", T0))
        assert isinstance(refused, BackupPostponedError)
        assert isinstance(refused, StoreError)  # said and logged as other backup problems
        assert "put off" in str(refused)
        assert not backup_dir(data).exists() or list(backup_dir(data).iterdir()) == []
    finally:
        conn.close()


def test_rotation_keeps_the_last_seven_dailies_and_deletes_nothing_else(
    data: Path, wall: Wall
) -> None:
    store = Store.open_in(data, now=wall)
    folder = backup_dir(data)
    folder.mkdir()
    keepers = [folder / "notes.txt", folder / "safesignal-copy.db", folder / ".half.db.part"]
    for path in keepers:
        path.write_text("mine")
    other = folder / backup_name(T0 - timedelta(days=30), "before-restore")
    other.write_bytes(b"")
    try:
        for day in range(10):
            wall.moment = T0 + timedelta(days=day)
            make_daily_backup(store.db.conn, data, wall)
    finally:
        store.close()
    dailies = [b for b in list_backups(data) if b.reason == "daily"]
    assert KEEP["daily"] == 7
    assert [b.made_at for b in dailies] == [T0 + timedelta(days=d) for d in range(9, 2, -1)]
    for path in [*keepers, other]:
        assert path.exists(), path


def test_two_backups_in_one_second_do_not_overwrite_each_other(data: Path, wall: Wall) -> None:
    store = Store.open_in(data, now=wall)
    try:
        from trainer.safety.backup import backup_connection

        first = backup_connection(store.db.conn, data, "before-restore", T0)
        second = backup_connection(store.db.conn, data, "before-restore", T0)
    finally:
        store.close()
    assert first != second
    assert first.exists()
    assert second.exists()
    assert [b.path for b in list_backups(data)] == [second, first]


def test_a_migration_is_preceded_by_a_backup_of_the_old_file(
    data: Path, wall: Wall, monkeypatch: pytest.MonkeyPatch
) -> None:
    data.mkdir()
    path = data / DB_FILENAME
    make_old_database(path, 3, monkeypatch)
    before = path.read_bytes()
    assert not backup_dir(data).exists()  # a new file is made, not migrated: no backup
    store = Store(path, now=wall, before_migration=back_up_before_migration)
    store.close()
    [backup] = list_backups(data)
    assert backup.name == f"safesignal-2026-12-06T031045Z-before-migration-{SCHEMA_VERSION}.db"
    with closing(sqlite3.connect(backup.path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert len(before) > 0
    # Opening again does not migrate, so makes no other backup.
    Store(path, now=wall, before_migration=back_up_before_migration).close()
    assert len(list_backups(data)) == 1


def test_the_commands_back_up_an_old_file_before_updating_it(
    data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from trainer.cli import main

    data.mkdir()
    make_old_database(data / DB_FILENAME, 4, monkeypatch)
    out = tmp_path / "sessions.json"
    assert main(["export", "--data-dir", str(data), "--out", str(out)], now=lambda: T0) == 0
    [backup] = list_backups(data)
    assert backup.reason == f"before-migration-{SCHEMA_VERSION}"


def test_before_migration_backups_are_rotated_to_five(
    data: Path, wall: Wall, monkeypatch: pytest.MonkeyPatch
) -> None:
    data.mkdir()
    for n in range(7):
        path = data / DB_FILENAME
        for extra in ("", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        make_old_database(path, 2, monkeypatch)
        wall.moment = T0 + timedelta(minutes=n)
        Store(path, now=wall, before_migration=back_up_before_migration).close()
    kept = list_backups(data)
    assert KEEP["before-migration"] == 5
    assert [b.made_at for b in kept] == [T0 + timedelta(minutes=n) for n in range(6, 1, -1)]


# -- damaged and newer files ------------------------------------------------------------------


@pytest.fixture
def real_db(data: Path, box: BreathingPattern) -> Path:
    store = Store.open_in(data, now=lambda: T0)
    add_finished(store, box, 40, first=T0 - DAY, step=-DAY)
    store.close()
    return data / DB_FILENAME


def test_garbage_in_the_file_is_a_corrupt_database(real_db: Path) -> None:
    real_db.write_bytes(b"this is not a database at all\n" * 100)
    with pytest.raises(CorruptDatabaseError, match="damaged") as excinfo:
        Store(real_db)
    assert isinstance(excinfo.value, StoreError)


def test_garbage_over_the_pages_is_found_by_the_quick_check(real_db: Path) -> None:
    content = bytearray(real_db.read_bytes())
    assert len(content) > 4 * 4096
    content[2 * 4096 : 4 * 4096] = b"\xa5" * (2 * 4096)  # keep page 1 (the header) whole
    real_db.write_bytes(bytes(content))
    with pytest.raises(CorruptDatabaseError, match="damaged"):
        Store(real_db)


def test_a_truncated_database_is_corrupt(real_db: Path) -> None:
    content = real_db.read_bytes()
    real_db.write_bytes(content[: len(content) // 2 + 100])
    with pytest.raises(CorruptDatabaseError):
        Store(real_db)


def test_a_healthy_database_passes_the_quick_check(real_db: Path) -> None:
    store = Store(real_db)
    try:
        assert store.db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        store.close()


def test_daily_backups_from_before_damage_outlive_a_week_of_starting_fresh(
    data: Path, wall: Wall, box: BreathingPattern
) -> None:
    """When a damaged database is replaced by a fresh one, the dailies that hold the sessions
    from before the damage are no longer rotated away by the new, empty dailies of the next
    days."""
    store = Store.open_in(data, now=wall)
    try:
        add_finished(store, box, 3, first=T0 - DAY, step=-DAY)
        for day in range(3):
            wall.moment = T0 + timedelta(days=day)
            make_daily_backup(store.db.conn, data, wall)
    finally:
        store.close()
    wall.moment = T0 + timedelta(days=3)
    set_aside_damaged(data / DB_FILENAME, wall.moment)
    assert [b.reason for b in list_backups(data)] == ["daily"] * 3  # still there to restore
    keep_daily_backups(data)  # the person chose to start fresh
    fresh = Store.open_in(data, now=wall)
    try:
        for day in range(4, 14):
            wall.moment = T0 + timedelta(days=day)
            make_daily_backup(fresh.db.conn, data, wall)
    finally:
        fresh.close()
    backups = list_backups(data)
    kept = [b for b in backups if b.reason == "daily-kept"]
    assert [b.made_at for b in kept] == [T0 + timedelta(days=d) for d in (2, 1, 0)]
    assert all(b.sessions == 3 for b in kept)
    assert reason_text("daily-kept") == "daily, kept since the damage"
    assert len([b for b in backups if b.reason == "daily"]) == KEEP["daily"]
    assert verify_backup(kept[0].path) == 3  # whole, and restorable


def test_moving_a_damaged_database_aside_keeps_every_byte(data: Path) -> None:
    data.mkdir()
    path = data / DB_FILENAME
    path.write_bytes(b"damaged")
    Path(f"{path}-wal").write_bytes(b"wal")
    Path(f"{path}-shm").write_bytes(b"shm")
    moved = set_aside_damaged(path, T0)
    assert moved.name == "safesignal.db.damaged-2026-12-06T031045Z"
    assert moved.read_bytes() == b"damaged"
    assert Path(f"{moved}-wal").read_bytes() == b"wal"
    assert Path(f"{moved}-shm").read_bytes() == b"shm"
    assert not path.exists()
    assert not Path(f"{path}-wal").exists()
    # A second damaged file in the same second does not replace the first.
    path.write_bytes(b"again")
    second = set_aside_damaged(path, T0)
    assert second != moved
    assert second.read_bytes() == b"again"
    assert moved.read_bytes() == b"damaged"


def test_a_newer_database_is_refused_and_nothing_touches_it(data: Path, wall: Wall) -> None:
    data.mkdir()
    path = data / DB_FILENAME
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE future (x)")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer version"):
        Store.open_in(data, now=wall)
    assert path.read_bytes() == before
    assert sorted(p.name for p in data.iterdir()) == [DB_FILENAME]  # no backup, no -wal


# -- verifying and restoring ------------------------------------------------------------------


@pytest.fixture
def backed_up(real_db: Path, data: Path, box: BreathingPattern) -> Path:
    """A daily backup of 40 sessions, after which the database gained 5 more."""
    store = Store(real_db, now=lambda: T0)
    try:
        made = make_daily_backup(store.db.conn, data, lambda: T0)
        add_finished(store, box, 5, first=T0 + timedelta(days=59), step=-DAY)
    finally:
        store.close()
    assert made is not None
    return made


def test_verify_refuses_garbage_other_programs_and_newer_files(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"nope" * 1000)
    with pytest.raises(CorruptDatabaseError, match="Nothing was changed"):
        verify_backup(garbage)
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE recipes (x)")
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
    with pytest.raises(StoreError, match="not a Safe Signal database"):
        verify_backup(other)
    newer = tmp_path / "newer.db"
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()
    with pytest.raises(NewerDatabaseError):
        verify_backup(newer)


def test_restore_puts_the_backup_in_place_and_keeps_the_current_data(
    data: Path, real_db: Path, backed_up: Path
) -> None:
    assert session_count(real_db) == 45
    done = restore_backup(data, backed_up, now=lambda: T0 + timedelta(days=1))
    assert done.sessions == 40
    assert done.saved_as is not None
    assert done.saved_as.name.endswith("-before-restore.db")
    assert session_count(done.saved_as) == 45
    assert not Path(f"{real_db}-wal").exists()
    store = Store(real_db)
    try:
        assert store.db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 40
    finally:
        store.close()
    if os.name == "posix":
        assert stat.S_IMODE(real_db.stat().st_mode) == 0o600
    assert not [p for p in data.iterdir() if p.name.startswith(".")]  # no temporary left


def test_restore_over_a_damaged_database_moves_it_aside(
    data: Path, real_db: Path, backed_up: Path
) -> None:
    real_db.write_bytes(b"garbage" * 500)
    done = restore_backup(data, backed_up, now=lambda: T0)
    assert done.saved_as is None
    assert done.set_aside is not None
    assert done.set_aside.read_bytes() == b"garbage" * 500
    assert session_count(real_db) == 40


def test_a_bad_backup_changes_nothing(data: Path, real_db: Path, backed_up: Path) -> None:
    bad = backup_dir(data) / "safesignal-2026-12-07T000000Z-daily.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000)
    before = folder_bytes(data)
    with pytest.raises(CorruptDatabaseError):
        restore_backup(data, bad, now=lambda: T0)
    assert folder_bytes(data) == before


def test_restore_is_refused_while_the_folder_is_locked(
    data: Path, real_db: Path, backed_up: Path
) -> None:
    before = folder_bytes(data)
    with DataFolderLock(data, "the app"), pytest.raises(FolderInUseError):
        restore_backup(data, backed_up, now=lambda: T0)
    after = folder_bytes(data)
    after.pop("safesignal.lock", None)
    before.pop("safesignal.lock", None)
    assert after == before


def test_restore_under_a_lock_the_caller_holds(data: Path, real_db: Path, backed_up: Path) -> None:
    with DataFolderLock(data, "the app") as lock:
        done = restore_backup(data, backed_up, now=lambda: T0, lock=lock)
        assert lock.held
    assert done.sessions == 40
    assert session_count(real_db) == 40


def test_the_database_itself_is_not_a_backup(data: Path, real_db: Path) -> None:
    before = real_db.read_bytes()
    with pytest.raises(StoreError, match="database in use"):
        restore_backup(data, real_db, now=lambda: T0)
    assert real_db.read_bytes() == before


def test_a_failed_move_aside_puts_back_what_it_had_moved(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data.mkdir()
    path = data / DB_FILENAME
    path.write_bytes(b"damaged")
    Path(f"{path}-wal").write_bytes(b"wal")
    Path(f"{path}-shm").write_bytes(b"shm")
    real_rename = os.rename

    def rename(source: object, target: object) -> None:
        if str(source) == str(path):  # the main file, moved last
            raise OSError(28, "No space left on device")
        real_rename(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(StoreError, match="Could not move the damaged database"):
        set_aside_damaged(path, T0)
    monkeypatch.undo()
    # The database is still together with its -wal and -shm, where it was.
    assert folder_bytes(data) == {
        DB_FILENAME: b"damaged",
        f"{DB_FILENAME}-wal": b"wal",
        f"{DB_FILENAME}-shm": b"shm",
    }


@pytest.mark.parametrize("current_damaged", [False, True])
def test_a_failed_copy_in_puts_a_damaged_database_back(
    data: Path,
    real_db: Path,
    backed_up: Path,
    monkeypatch: pytest.MonkeyPatch,
    current_damaged: bool,
) -> None:
    real_db.write_bytes(b"garbage" * 500)
    Path(f"{real_db}-wal").write_bytes(b"its wal")
    before = folder_bytes(data)

    def disk_full(source: object, temp: Path) -> None:
        raise StoreError("Could not write a copy of the database: the disk is full.")

    monkeypatch.setattr(trainer.safety.backup, "_copy_database", disk_full)
    with pytest.raises(StoreError, match="disk is full"):
        restore_backup(data, backed_up, now=lambda: T0, current_damaged=current_damaged)
    after = folder_bytes(data)
    after.pop(LOCK_FILENAME)  # the restore's lock file (left for the next lock, empty)
    assert after == before  # the damaged file and its -wal, where they were


# -- damage is only what SQLite calls damage ---------------------------------------------------


def test_a_closed_store_is_a_bug_not_a_damaged_database(data: Path) -> None:
    store = Store.open_in(data)
    store.close()
    with pytest.raises(sqlite3.ProgrammingError, match="closed database"):
        store.profiles.all()


@pytest.mark.parametrize(
    "error", [sqlite3.ProgrammingError, sqlite3.DataError, sqlite3.NotSupportedError]
)
def test_a_bug_at_open_time_is_not_a_damaged_database(
    data: Path, monkeypatch: pytest.MonkeyPatch, error: type[sqlite3.Error]
) -> None:
    Store.open_in(data).close()

    def buggy(self: Database) -> int:
        raise error("Error binding parameter 1: type 'object' is not supported")

    monkeypatch.setattr(Database, "user_version", property(buggy))
    with pytest.raises(error):
        Store.open_in(data)


def test_garbage_and_a_truncated_file_are_still_damaged(real_db: Path) -> None:
    content = real_db.read_bytes()
    real_db.write_bytes(b"\x00garbage" * 700)
    with pytest.raises(CorruptDatabaseError):
        Store(real_db)
    real_db.write_bytes(content[: len(content) // 3])
    with pytest.raises(CorruptDatabaseError):
        Store(real_db)


def test_a_folder_where_the_database_should_be_is_not_damage(data: Path) -> None:
    (data / DB_FILENAME).mkdir(parents=True)
    with pytest.raises(StoreError) as raised:
        Store.open_in(data)
    assert not isinstance(raised.value, CorruptDatabaseError)


def test_a_database_that_cannot_be_opened_is_not_moved_aside_by_a_restore(
    data: Path, real_db: Path, backed_up: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = folder_bytes(data)
    real_connect = sqlite3.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if str(database) == str(real_db):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(trainer.safety.backup.sqlite3, "connect", connect)
    with pytest.raises(StoreError, match="unable to open") as raised:
        restore_backup(data, backed_up, now=lambda: T0)
    assert not isinstance(raised.value, CorruptDatabaseError)
    monkeypatch.undo()
    after = folder_bytes(data)
    after.pop(LOCK_FILENAME)
    assert after == before  # the healthy database was not moved aside
    assert not list(data.glob("*.damaged-*"))


# -- backups stamped by a clock that was wrong --------------------------------------------------


def fake_backups(data: Path, stamps: list[datetime]) -> None:
    folder = backup_dir(data)
    folder.mkdir(parents=True, exist_ok=True)
    for stamp in stamps:
        (folder / backup_name(stamp, "daily")).write_bytes(b"")


def test_backups_from_a_clock_once_set_forward_do_not_crowd_out_new_ones(
    data: Path, wall: Wall
) -> None:
    future = [datetime(2030, 1, day, 9, 0, tzinfo=UTC) for day in range(1, 8)]
    store = Store.open_in(data, now=wall)
    fake_backups(data, future)
    try:
        made = make_daily_backup(store.db.conn, data, wall)
        assert made is not None
        assert made.exists()  # not deleted as "the 8th newest"
        for day in range(1, 7):
            wall.moment = T0 + timedelta(days=day)
            assert make_daily_backup(store.db.conn, data, wall) is not None
    finally:
        store.close()
    dailies = [b.made_at for b in list_backups(data) if b.reason == "daily"]
    # A week of correct backups, and the ones stamped in the future were rotated out first.
    assert sorted(dailies, reverse=True) == [T0 + timedelta(days=d) for d in range(6, -1, -1)]


def test_backups_after_the_clock_was_set_back_are_kept(data: Path, wall: Wall) -> None:
    real = [T0 - timedelta(days=d) for d in range(7)]
    store = Store.open_in(data, now=wall)
    fake_backups(data, real)
    wall.moment = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)  # a flat clock battery
    try:
        made = make_daily_backup(store.db.conn, data, wall)
    finally:
        store.close()
    assert made is not None
    assert made.exists()
    dailies = {b.made_at for b in list_backups(data) if b.reason == "daily"}
    assert dailies == {wall.moment, *real[:6]}  # the oldest "future" one made room


def test_a_backup_stamped_later_today_does_not_count_as_todays(data: Path) -> None:
    fake_backups(data, [T0 + timedelta(hours=2)])  # made while the clock was 2 hours fast
    assert daily_backup_due(data, T0)
    assert not daily_backup_due(data, T0 + timedelta(hours=3))
