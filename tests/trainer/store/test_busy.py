"""Tests for trainer/store/database.py's busy and full errors (issue 17): a write refused because
another program holds the lock, and one refused for want of room, are told apart by type and
words, and :meth:`Database.patience` bounds the wait for the lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.trainer.other_program import OtherProgram
from trainer.errors import DatabaseBusyError, DiskFullError, StoreError
from trainer.store.database import lock_holder
from trainer.store.store import Store


def busy_timeout_ms(store: Store) -> int:
    return int(store.db.execute("PRAGMA busy_timeout").fetchone()[0])


def test_a_locked_write_is_a_busy_error_naming_another_program_not_the_disk(store, db_path):
    with OtherProgram(db_path), pytest.raises(DatabaseBusyError) as refused:
        store.app_settings.set("theme", "dark")
    assert isinstance(refused.value, StoreError)  # callers that only know StoreError still work
    message = str(refused.value)
    assert message.startswith("Could not save the settings: another program is using")
    assert str(db_path) in message
    assert "full" not in message
    assert "room" not in message
    store.app_settings.set("theme", "dark")  # let go: it works, and a new key is kept
    assert store.app_settings.get("theme", "") == "dark"


def test_a_preference_refused_while_locked_is_kept_when_written_again(store, db_path):
    profile_id = store.profiles.default_id()
    with OtherProgram(db_path):
        started = time.monotonic()
        with pytest.raises(DatabaseBusyError, match="save your preferences: another program"):
            store.preferences.set(profile_id, "sound_volume", "40")
        assert time.monotonic() - started < 1.0
    store.preferences.set(profile_id, "sound_volume", "40")
    store.preferences.set(profile_id, "pacer_visual", "wave")
    assert store.preferences.get(profile_id, "sound_volume", "") == "40"
    assert store.preferences.get(profile_id, "pacer_visual", "") == "wave"


def test_patience_bounds_the_wait_for_the_lock_and_puts_the_old_wait_back(store, db_path):
    before = busy_timeout_ms(store)
    with OtherProgram(db_path):
        started = time.monotonic()
        with store.patience(100):
            assert busy_timeout_ms(store) == 100
            with pytest.raises(DatabaseBusyError):
                store.sessions.checkpoint_session(
                    1, practised_s=1.0, at=datetime(2024, 5, 1, tzinfo=UTC)
                )
        waited_s = time.monotonic() - started
    assert 0.05 <= waited_s < 1.0  # it did wait a little (SQLite retries), never 5 s
    assert busy_timeout_ms(store) == before


def test_a_full_disk_is_a_disk_full_error_that_says_so(store):
    pages = int(store.db.execute("PRAGMA page_count").fetchone()[0])
    store.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "database or disk is full"
    with pytest.raises(DiskFullError) as refused:
        store.app_settings.set("big", "x" * 200_000)
    assert "The disk is full; free some space and try again." in str(refused.value)
    assert not isinstance(refused.value, DatabaseBusyError)


HOLD_IN_ANOTHER_PROCESS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.read()  # until the test closes the pipe
"""


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="only Linux lists file locks")
def test_the_program_holding_the_lock_is_named_where_the_system_tells(store, db_path):
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_IN_ANOTHER_PROCESS, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as other:
        assert other.stdout is not None
        assert other.stdin is not None
        assert other.stdout.readline() == "held\n"
        name = Path(f"/proc/{other.pid}/comm").read_text(encoding="utf-8").strip()
        try:
            assert lock_holder(db_path) == f"{name}, process {other.pid}"
            with pytest.raises(DatabaseBusyError) as refused:
                store.app_settings.set("theme", "dark")
        finally:
            other.stdin.close()
            other.wait(timeout=30)
    assert f"another program ({name}, process {other.pid}) is using" in str(refused.value)
    assert lock_holder(db_path) is None  # it let go


def test_the_lock_list_is_read_for_the_writers_byte_of_this_file_only(store, db_path, tmp_path):
    shm = os.stat(f"{db_path}-shm")
    here = f"{os.major(shm.st_dev):02x}:{os.minor(shm.st_dev):02x}:{shm.st_ino}"
    elsewhere = f"{os.major(shm.st_dev):02x}:{os.minor(shm.st_dev):02x}:{shm.st_ino + 1}"
    me = os.getpid()
    locks = tmp_path / "locks"
    lines = [
        f"1: POSIX  ADVISORY  WRITE {me} {here} 120 120",  # this process's own connection
        f"2: POSIX  ADVISORY  READ 4242 {here} 120 120",  # a reader, not the writer
        f"3: POSIX  ADVISORY  WRITE 4243 {elsewhere} 120 120",  # another file
        f"4: POSIX  ADVISORY  WRITE 4244 {here} 128 128",  # another byte
        f"4: -> POSIX  ADVISORY  WRITE 4245 {here} 120 120",  # waiting for it, not holding
        "5: OFDLCK ADVISORY  WRITE -1 00:00:0 0 EOF",
        "garbage",
    ]
    locks.write_text("\n".join(lines) + "\n", encoding="ascii")
    assert lock_holder(db_path, locks) is None
    lines.append(f"6: POSIX  ADVISORY  WRITE 999999999 {here} 0 EOF")  # gone: no name to read
    locks.write_text("\n".join(lines) + "\n", encoding="ascii")
    assert lock_holder(db_path, locks) == "process 999999999"
    assert lock_holder(tmp_path / "no-such.db", locks) is None
    assert lock_holder(db_path, tmp_path / "no-such-list") is None
