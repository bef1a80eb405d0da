"""Tests for ``safesignal restore``: listing backups, restoring one by name or by path, and
refusing (in one line, changing nothing) a bad file or a folder in use."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.trainer.conftest import add_finished
from trainer.cli import main
from trainer.content.breathing import BreathingPattern
from trainer.safety.backup import backup_dir, make_daily_backup
from trainer.safety.lock import DataFolderLock
from trainer.safety.paths import DB_FILENAME, ENV_DATA_DIR
from trainer.store.store import Store

T0 = datetime(2026, 12, 6, 3, 10, 45, tzinfo=UTC)


def now() -> datetime:
    return T0 + timedelta(days=2)


@pytest.fixture(autouse=True)
def no_data_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)


@pytest.fixture
def data(tmp_path: Path, box: BreathingPattern) -> Path:
    """A data folder with backups of 2 (older) and 3 sessions, and 4 sessions in use."""
    folder = tmp_path / "data"
    store = Store.open_in(folder, now=lambda: T0)
    try:
        add_finished(store, box, 2, first=T0 - timedelta(days=9), step=timedelta(hours=1))
        make_daily_backup(store.db.conn, folder, lambda: T0 - timedelta(days=1))
        add_finished(store, box, 1, first=T0 - timedelta(days=5), step=timedelta(hours=1))
        make_daily_backup(store.db.conn, folder, lambda: T0)
        add_finished(store, box, 1, first=T0 - timedelta(days=3), step=timedelta(hours=1))
    finally:
        store.close()
    return folder


def sessions_in(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM sessions").fetchone()[0])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "safesignal.lock"
    }


def run(*argv: str | Path) -> int:
    return main([str(arg) for arg in argv], now=now, tz=UTC)


def test_list_shows_backups_newest_first(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("restore", "--list", "--data-dir", data) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Backups in {backup_dir(data)}, newest first:"
    assert out[1].startswith("  safesignal-2026-12-06T031045Z-daily.db  (2026-12-06 03:10 UTC,")
    assert "daily, 3 sessions" in out[1]
    assert out[2].startswith("  safesignal-2026-12-05T031045Z-daily.db")
    assert "2 sessions" in out[2]
    assert out[3] == "Restore one with: safesignal restore NAME"


def test_list_with_no_backups(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("restore", "--list", "--data-dir", tmp_path / "none") == 0
    assert "There are no backups" in capsys.readouterr().out
    assert not (tmp_path / "none").exists()


def test_restore_by_name(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = "safesignal-2026-12-05T031045Z-daily.db"
    assert run("restore", name, "--data-dir", data) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Restored {name} (2 sessions).")
    assert "-before-restore.db" in out
    assert sessions_in(data / DB_FILENAME) == 2
    [kept] = backup_dir(data).glob("*-before-restore.db")
    assert kept.name == "safesignal-2026-12-08T031045Z-before-restore.db"
    assert sessions_in(kept) == 4
    store = Store(data / DB_FILENAME)  # opens, checks and works
    store.close()


def test_restore_by_path(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "usb" / "copy.db"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(
        (backup_dir(data) / "safesignal-2026-12-06T031045Z-daily.db").read_bytes()
    )
    assert run("restore", elsewhere, "--data-dir", data) == 0
    assert sessions_in(data / DB_FILENAME) == 3
    assert "Restored copy.db (3 sessions)." in capsys.readouterr().out


@pytest.mark.parametrize("content", [b"", b"not a database" * 100], ids=["empty", "garbage"])
def test_a_bad_file_is_one_line_and_changes_nothing(
    data: Path, tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    before = snapshot(data)
    assert run("restore", bad, "--data-dir", data) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith("safesignal restore: ")
    assert "Nothing was changed" in err[0]
    assert snapshot(data) == before


def test_an_unknown_name_is_one_line_and_changes_nothing(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(data)
    assert run("restore", "safesignal-1999-01-01T000000Z-daily.db", "--data-dir", data) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "There is no backup called" in line
    assert "restore --list" in line
    assert snapshot(data) == before


def test_restore_is_refused_while_the_app_is_open(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(data)
    with DataFolderLock(data, "the app"):
        assert run("restore", "safesignal-2026-12-05T031045Z-daily.db", "--data-dir", data) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "already using" in line
    assert "Close it" in line
    assert snapshot(data) == before


@pytest.mark.parametrize("argv", [(), ("--list", "x.db")])
def test_list_or_a_file_but_not_both_or_neither(
    data: Path, argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("restore", *argv, "--data-dir", data) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "either --list or the backup" in line


def test_a_damaged_database_points_to_restore(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data / DB_FILENAME).write_bytes(b"broken" * 1000)
    for extra in ("-wal", "-shm"):
        Path(f"{data / DB_FILENAME}{extra}").unlink(missing_ok=True)
    assert run("export", "--data-dir", data, "--out", tmp_path / "x.csv") == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.endswith("To put back a backup: safesignal restore --list.")
    # ... and restore puts a backup back, keeping the damaged file aside.
    assert run("restore", "safesignal-2026-12-06T031045Z-daily.db", "--data-dir", data) == 0
    assert "moved aside" in capsys.readouterr().out
    assert sessions_in(data / DB_FILENAME) == 3
    [aside] = data.glob("safesignal.db.damaged-*")
    assert aside.read_bytes() == b"broken" * 1000


# Restores a backup in a process of its own, killed (no clean-up runs) just as the backup is
# about to be put in place over the damaged database, which has been moved aside.
KILLED_RESTORE = """
import os, sys
from pathlib import Path
from trainer.safety.backup import restore_backup

data, chosen = Path(sys.argv[1]), Path(sys.argv[2])
real_replace = os.replace

def replace(source, target):
    if Path(target) == data / "safesignal.db":
        os._exit(9)
    real_replace(source, target)

os.replace = replace
restore_backup(data, chosen, current_damaged=True)
sys.exit(3)
"""


def test_the_next_command_finishes_a_restore_cut_short_and_says_so(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data / DB_FILENAME).write_bytes(b"broken" * 1000)
    chosen = backup_dir(data) / "safesignal-2026-12-06T031045Z-daily.db"
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_RESTORE, str(data), str(chosen)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert killed.returncode == 9, killed.stderr
    assert not (data / DB_FILENAME).exists()
    out = tmp_path / "sessions.json"
    assert run("export", "--data-dir", data, "--out", out) == 0
    told = capsys.readouterr()
    [line] = told.err.splitlines()
    assert line.startswith("safesignal: The restore of the backup safesignal-2026-12-06T031045Z")
    assert "interrupted" in line
    assert "(3 sessions)" in line
    assert told.out.startswith("Exported 3 sessions")  # the backup's, not an empty history
    [aside] = data.glob("safesignal.db.damaged-*")
    assert aside.read_bytes() == b"broken" * 1000


def test_a_newer_database_is_replaced_only_with_force(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with closing(sqlite3.connect(data / DB_FILENAME)) as conn:
        conn.execute("PRAGMA user_version = 999")
        conn.commit()
    before = snapshot(data)
    name = "safesignal-2026-12-05T031045Z-daily.db"
    assert run("restore", name, "--data-dir", data) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("safesignal restore: Your database was written by a newer version")
    assert line.endswith("To replace it anyway (it is backed up first), add --force.")
    assert snapshot(data) == before
    assert run("restore", name, "--data-dir", data, "--force") == 0
    assert sessions_in(data / DB_FILENAME) == 2
    [kept] = backup_dir(data).glob("*-before-restore.db")
    with closing(sqlite3.connect(kept)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 999


def test_the_restored_backup_is_kept_for_good(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("restore", "safesignal-2026-12-05T031045Z-daily.db", "--data-dir", data) == 0
    assert (
        "The backup is kept for good, as safesignal-2026-12-05T031045Z-daily-restored.db."
        in capsys.readouterr().out
    )
    assert run("restore", "--list", "--data-dir", data) == 0
    assert "daily, kept since it was restored, 2 sessions" in capsys.readouterr().out
