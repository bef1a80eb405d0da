"""Tests that backups and exports never depend on the write-ahead log: made while the app is
open and its latest sessions are still only in ``safesignal.db-wal``, they hold those sessions,
and a backup is one self-contained file (no -wal of its own to go missing)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.trainer.store.test_wal import save_sessions, sessions_in_file_alone, wal_size
from trainer.cli import main as run_command
from trainer.safety.backup import (
    BEFORE_RESTORE,
    backup_connection,
    backup_file,
    make_daily_backup,
    verify_backup,
)
from trainer.safety.paths import DB_FILENAME
from trainer.store.store import Store

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def open_with_wal(tmp_path: Path) -> Iterator[tuple[Path, Store]]:
    """A data folder whose app is open, with 8 sessions saved that are still only in the -wal
    (no checkpoint yet: as after a kill, or just before the quiet moment after a save)."""
    folder = tmp_path / "data"
    Store.open_in(folder).close()
    store = Store.open_in(folder)
    save_sessions(store, 8)
    assert wal_size(folder) > 0
    assert sessions_in_file_alone(folder, tmp_path / "probe") == 0  # none in the file yet
    try:
        yield folder, store
    finally:
        store.close()


def on_its_own(backup: Path, tmp_path: Path) -> Path:
    """The backup copied alone to another folder (as to a USB stick)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    return Path(shutil.copy(backup, elsewhere / backup.name))


def is_one_file(path: Path) -> bool:
    """Whether the database at ``path`` is in rollback mode (its header's read and write
    versions are 1, not WAL's 2): it never looks for a -wal beside it."""
    return path.read_bytes()[18:20] == b"\x01\x01"


def test_the_daily_backup_holds_the_sessions_the_wal_holds_on_its_own(
    open_with_wal: tuple[Path, Store], tmp_path: Path
) -> None:
    folder, store = open_with_wal
    made = make_daily_backup(store.db.conn, folder, lambda: NOW)
    assert made is not None
    copy = on_its_own(made, tmp_path)
    assert is_one_file(copy)
    assert verify_backup(copy) == 8
    with closing(sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)) as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 8


def test_a_backup_of_the_file_reads_its_wal_and_is_one_file(
    open_with_wal: tuple[Path, Store], tmp_path: Path
) -> None:
    folder, _ = open_with_wal
    made = backup_file(folder / DB_FILENAME, folder, BEFORE_RESTORE, NOW)
    copy = on_its_own(made, tmp_path)
    assert is_one_file(copy)
    assert verify_backup(copy) == 8


def test_an_export_while_the_app_is_open_holds_what_the_wal_holds(
    open_with_wal: tuple[Path, Store], tmp_path: Path
) -> None:
    folder, _ = open_with_wal
    out = tmp_path / "sessions.json"
    assert run_command(["export", "--data-dir", str(folder), "--out", str(out)]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["sessions"]) == 8


def test_backups_made_with_the_backup_api_not_a_copy_of_the_file(
    open_with_wal: tuple[Path, Store], tmp_path: Path
) -> None:
    """What the tests above guard against: copying the file's bytes (as a person might, or a
    simpler backup would) loses what the -wal holds."""
    folder, store = open_with_wal
    made = backup_connection(store.db.conn, folder, "daily", NOW)
    assert verify_backup(on_its_own(made, tmp_path)) == 8
    assert sessions_in_file_alone(folder, tmp_path) == 0  # a copy of the file's bytes
