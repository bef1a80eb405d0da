"""Tests for the restore's note (trainer/safety/restore_journal.py) and what it is for: a restore
cut short at any step (the process killed there) is finished at the next start, or undone
when its backup is gone, and never leaves an empty database; the backup restored is kept out
of rotation; a database of a newer Safe Signal is not replaced without saying so."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import trainer.safety.backup
from tests.trainer.conftest import add_finished
from trainer.content.breathing import BreathingPattern
from trainer.errors import CorruptDatabaseError, NewerDatabaseError, StoreError
from trainer.safety.backup import (
    KEEP,
    ReplacesNewerError,
    backup_dir,
    backup_name,
    finish_restore,
    list_backups,
    make_daily_backup,
    reason_text,
    restore_backup,
    verify_backup,
)
from trainer.safety.paths import DB_FILENAME
from trainer.safety.restore_journal import journal_path, read_journal, restore_unfinished
from trainer.store.migrations import SCHEMA_VERSION
from trainer.store.store import Store

DAY = timedelta(days=1)
T0 = datetime(2026, 12, 6, 3, 10, 45, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[3]

# Runs a restore in a process of its own and ends that process (as a kill would: no clean-up,
# no "finally") the moment the restore reaches the step named on the command line.
CRASH_AT_STEP = """
import os, sys
from datetime import datetime
from pathlib import Path
import trainer.safety.backup as backup

data, chosen, step, damaged = sys.argv[1:5]

def reached(name):
    if name == step:
        os._exit(9)

backup._reached = reached
backup.restore_backup(
    Path(data), Path(chosen), now=lambda: datetime.fromisoformat("2026-12-07T08:00:00+00:00"),
    current_damaged=damaged == "1",
)
sys.exit(3)  # the step never came
"""


def crash_during_restore(data: Path, chosen: Path, step: str, *, damaged: bool) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CRASH_AT_STEP,
            str(data),
            str(chosen),
            step,
            "1" if damaged else "0",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 9, done.stderr


def session_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM sessions").fetchone()[0])


@pytest.fixture
def data(tmp_path: Path, box: BreathingPattern) -> Path:
    """A data folder with a daily backup of 40 sessions, and 45 sessions in the database."""
    folder = tmp_path / "data"
    store = Store.open_in(folder, now=lambda: T0)
    try:
        add_finished(store, box, 40, first=T0 - 50 * DAY, step=DAY)
        make_daily_backup(store.db.conn, folder, lambda: T0)
        add_finished(store, box, 5, first=T0 + DAY, step=DAY)
    finally:
        store.close()
    return folder


@pytest.fixture
def daily(data: Path) -> Path:
    [found] = list_backups(data)
    return found.path


def damage_header(data: Path) -> dict[str, bytes]:
    """Zero the database's header (as a failing drive might) and give it a -wal; return the
    bytes of both, which must never be lost."""
    db = data / DB_FILENAME
    content = bytearray(db.read_bytes())
    content[:100] = bytes(100)
    db.write_bytes(bytes(content))
    Path(f"{db}-wal").write_bytes(b"the damaged database's own wal")
    return {"": bytes(content), "-wal": b"the damaged database's own wal"}


def hidden_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- a crash at each step of a restore over a damaged database ---------------------------------

DAMAGED_STEPS = [
    "wrote the note",
    "moved-wal",
    "moved the database",
    "copied the backup",
    "put the backup in place",
]


@pytest.mark.parametrize("step", DAMAGED_STEPS)
def test_a_restore_over_a_damaged_database_killed_at_any_step_is_finished_next_start(
    data: Path, daily: Path, step: str
) -> None:
    kept = damage_header(data)
    crash_during_restore(data, daily, step, damaged=True)
    assert restore_unfinished(data)  # the note outlived the kill
    finished = finish_restore(data)
    assert finished is not None
    assert finished.restored
    assert "interrupted" in finished.message
    assert "40 sessions" in finished.message
    assert "damaged-" in finished.message  # where the damaged file is kept
    assert finished.message.count(". ") == 0  # one sentence
    # The backup's sessions are in place, and the store opens them (never an empty database).
    store = Store.open_in(data)
    try:
        assert store.db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 40
    finally:
        store.close()
    # The damaged file and its -wal are kept aside, every byte.
    [aside] = [p for p in data.glob("safesignal.db.damaged-*") if "-" not in p.name[-4:]]
    assert aside.read_bytes() == kept[""]
    assert Path(f"{aside}-wal").read_bytes() == kept["-wal"]
    assert not restore_unfinished(data)
    assert hidden_leftovers(data) == []  # no half-made copy of the backup left behind
    assert finish_restore(data) is None  # said once


def test_a_killed_restore_finished_after_its_copy_was_in_place_is_not_copied_again(
    data: Path, daily: Path
) -> None:
    damage_header(data)
    crash_during_restore(data, daily, "put the backup in place", damaged=True)
    before = (data / DB_FILENAME).stat().st_ino
    finished = finish_restore(data)
    assert finished is not None
    assert finished.restored
    assert (data / DB_FILENAME).stat().st_ino == before  # only the note was left to remove


@pytest.mark.parametrize("step", ["wrote the note", "copied the backup", "put the backup in place"])
def test_a_restore_over_a_healthy_database_killed_at_any_step_is_finished_next_start(
    data: Path, daily: Path, step: str
) -> None:
    crash_during_restore(data, daily, step, damaged=False)
    finished = finish_restore(data)
    assert finished is not None
    assert finished.restored
    assert session_count(data / DB_FILENAME) == 40
    [saved] = backup_dir(data).glob("*-before-restore.db")
    assert session_count(saved) == 45  # the data from before the restore, to switch back to
    assert not list(data.glob("*.damaged-*"))
    assert not restore_unfinished(data)
    assert hidden_leftovers(data) == []


@pytest.mark.parametrize("step", ["moved-wal", "moved the database", "copied the backup"])
def test_when_the_backup_is_gone_the_damaged_database_is_put_back(
    data: Path, daily: Path, step: str
) -> None:
    """Undone, not finished: the damaged database is where it was (so the person is asked
    again what to do), never replaced by an empty one."""
    kept = damage_header(data)
    crash_during_restore(data, daily, step, damaged=True)
    journal = read_journal(data)
    assert journal is not None
    journal.backup.unlink()  # the backup is gone (deleted by hand, or a failing drive)
    finished = finish_restore(data)
    assert finished is not None
    assert not finished.restored
    assert "could not be finished" in finished.message
    assert "left as it was" in finished.message
    assert (data / DB_FILENAME).read_bytes() == kept[""]
    assert Path(f"{data / DB_FILENAME}-wal").read_bytes() == kept["-wal"]
    assert not list(data.glob("*.damaged-*"))
    assert not restore_unfinished(data)
    with pytest.raises(CorruptDatabaseError):  # asked about again, not opened empty
        Store.open_in(data)


def test_when_nothing_can_be_found_the_note_stays_and_it_says_so(data: Path, daily: Path) -> None:
    damage_header(data)
    crash_during_restore(data, daily, "moved the database", damaged=True)
    journal = read_journal(data)
    assert journal is not None
    assert journal.aside is not None
    journal.backup.unlink()
    journal.aside.unlink()
    with pytest.raises(StoreError, match="cannot be found either"):
        finish_restore(data)
    assert restore_unfinished(data)  # asked again next time; never a quiet empty start
    assert not (data / DB_FILENAME).exists()


@pytest.mark.parametrize("content", [b"{not json", b'{"format": 99}', b"\xff\xfe"])
def test_a_note_that_cannot_be_read_changes_nothing(
    data: Path, daily: Path, content: bytes
) -> None:
    journal_path(data).write_bytes(content)
    before = (data / DB_FILENAME).read_bytes()
    with pytest.raises(StoreError, match="cannot be read"):
        finish_restore(data)
    assert (data / DB_FILENAME).read_bytes() == before
    assert journal_path(data).read_bytes() == content


def test_a_restore_is_refused_while_an_earlier_one_is_unfinished(data: Path, daily: Path) -> None:
    crash_during_restore(data, daily, "wrote the note", damaged=False)
    with pytest.raises(StoreError, match="earlier restore"):
        restore_backup(data, next(backup_dir(data).glob("*-before-restore.db")))


def test_a_failed_restore_leaves_no_note_and_gives_the_backup_its_name_back(
    data: Path, daily: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(source: object, temp: Path) -> None:
        raise StoreError("Could not write a copy of the database: the disk is full.")

    monkeypatch.setattr(trainer.safety.backup, "_copy_database", disk_full)
    with pytest.raises(StoreError, match="disk is full"):
        restore_backup(data, daily, now=lambda: T0 + DAY)
    assert not restore_unfinished(data)
    assert daily.exists()  # a restore that did not happen keeps nothing out of rotation


# -- the backup restored is kept out of rotation ----------------------------------------------


def test_daily_rotation_after_a_restore_keeps_the_backup_it_came_from(
    data: Path, daily: Path
) -> None:
    done = restore_backup(data, daily, now=lambda: T0 + DAY)
    assert done.kept_as is not None
    assert done.kept_as.name == daily.name.replace("-daily.db", "-daily-restored.db")
    store = Store.open_in(data)
    try:
        for day in range(1, 12):  # more than a week of daily backups after the restore
            make_daily_backup(store.db.conn, data, lambda day=day: T0 + day * DAY)
    finally:
        store.close()
    assert done.kept_as.exists()
    assert verify_backup(done.kept_as) == 40
    [info] = [b for b in list_backups(data) if b.path == done.kept_as]
    assert info.reason == "daily-restored"
    assert reason_text(info.reason) == "daily, kept since it was restored"
    assert len([b for b in list_backups(data) if b.reason == "daily"]) == KEEP["daily"]


def test_restoring_the_oldest_before_restore_backup_does_not_rotate_it_away(
    data: Path, daily: Path
) -> None:
    """The restore makes a "before-restore" backup of its own, and the rotation that follows
    must not delete the backup being restored, the oldest of five."""
    folder = backup_dir(data)
    olds = [folder / backup_name(T0 - n * DAY, "before-restore") for n in range(1, 6)]
    for old in olds:
        old.write_bytes(daily.read_bytes())
    oldest = olds[-1]
    done = restore_backup(data, oldest, now=lambda: T0 + DAY)
    assert session_count(data / DB_FILENAME) == 40
    assert done.kept_as is not None
    assert done.kept_as.exists()
    assert reason_text("before-migration-5-restored") == (
        "before the update to schema 5, kept since it was restored"
    )
    assert [b.reason for b in list_backups(data) if b.path == done.kept_as] == [
        "before-restore-restored"
    ]


# -- a database of a newer Safe Signal ----------------------------------------------------------


def make_newer(db: Path) -> None:
    with closing(sqlite3.connect(db)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()


def test_a_database_of_a_newer_version_is_not_replaced_without_saying_so(
    data: Path, daily: Path
) -> None:
    db = data / DB_FILENAME
    make_newer(db)
    before = db.read_bytes()
    with pytest.raises(ReplacesNewerError, match="newer version") as raised:
        restore_backup(data, daily, now=lambda: T0 + DAY)
    assert isinstance(raised.value, NewerDatabaseError)
    assert "Nothing was changed" in str(raised.value)
    assert db.read_bytes() == before
    assert daily.exists()  # not renamed either
    assert not list(backup_dir(data).glob("*-before-restore.db"))
    # Asked for, it goes ahead, keeping the newer database as a backup first.
    done = restore_backup(data, daily, now=lambda: T0 + DAY, replace_newer=True)
    assert session_count(db) == 40
    assert done.saved_as is not None
    with closing(sqlite3.connect(done.saved_as)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_a_damaged_newer_database_is_still_moved_aside(data: Path, daily: Path) -> None:
    """When the caller found it damaged, its version cannot be trusted; it is kept aside
    whole anyway."""
    db = data / DB_FILENAME
    make_newer(db)
    content = db.read_bytes()
    done = restore_backup(data, daily, now=lambda: T0 + DAY, current_damaged=True)
    assert done.set_aside is not None
    assert done.set_aside.read_bytes() == content


def test_the_note_is_private_and_whole(data: Path, daily: Path) -> None:
    crash_during_restore(data, daily, "wrote the note", damaged=True)
    journal = read_journal(data)
    assert journal is not None
    assert journal.backup.name.endswith("-daily-restored.db")
    assert journal.sessions == 40
    assert journal.aside is not None
    assert journal.aside.parent == data
    if os.name == "posix":
        assert journal_path(data).stat().st_mode & 0o077 == 0
