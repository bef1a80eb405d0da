"""Tests for trainer/safety/wal_check.py: a -wal whose saved tail SQLite would drop (damaged
bytes in committed frames, an unreadable header) is found before the store opens it, copied
aside once and said; what a kill normally leaves (a last frame cut short, frames of an older
salt after a checkpoint RESTART) is not. Every log is made by SQLite itself, and what the
reader says SQLite keeps is checked against SQLite's own count."""

from __future__ import annotations

import random
import shutil
import sqlite3
import stat
import struct
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

import trainer.safety.wal_check as wal_check
from tests.trainer.store.test_wal import save_sessions
from trainer.safety.lock import DataFolderLock
from trainer.safety.paths import DB_FILENAME
from trainer.safety.wal_check import (
    FRAME_HEADER_SIZE,
    WAL_HEADER_SIZE,
    find_lost_tail,
    scan_wal,
)
from trainer.store.store import Store

NOW = datetime(2026, 12, 7, 21, 30, 5, tzinfo=UTC)


def crashed(
    tmp_path: Path, sessions: int = 5, *, then: Callable[[Store], None] | None = None
) -> Path:
    """A data folder as a kill -9 leaves it: ``sessions`` sessions saved, all still only in
    the -wal (autocheckpoint off), the database not closed."""
    live = tmp_path / "live"
    store = Store.open_in(live, now=lambda: NOW)
    try:
        store.db.conn.execute("PRAGMA wal_autocheckpoint = 0")
        save_sessions(store, sessions)
        if then is not None:
            then(store)
        folder = tmp_path / "data"
        folder.mkdir()
        for part in ("", "-wal"):
            shutil.copyfile(live / f"{DB_FILENAME}{part}", folder / f"{DB_FILENAME}{part}")
    finally:
        store.close()
    return folder


def wal_of(folder: Path) -> Path:
    return folder / f"{DB_FILENAME}-wal"


def sqlite_keeps(folder: Path, tmp_path: Path) -> int:
    """How many frames of the -wal SQLite itself keeps (its recovery, on a copy)."""
    probe = tmp_path / "probe"
    shutil.rmtree(probe, ignore_errors=True)
    probe.mkdir()
    for part in ("", "-wal"):
        shutil.copyfile(folder / f"{DB_FILENAME}{part}", probe / f"{DB_FILENAME}{part}")
    with closing(sqlite3.connect(probe / DB_FILENAME)) as conn:
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        _busy, in_log, _copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(in_log)


def frame_size(folder: Path) -> int:
    page_size = struct.unpack(">I", wal_of(folder).read_bytes()[8:12])[0]
    return FRAME_HEADER_SIZE + int(page_size)


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


def copies(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{DB_FILENAME}-wal.damaged-*"))


def test_an_intact_log_loses_nothing_and_nothing_is_said_or_copied(tmp_path: Path) -> None:
    folder = crashed(tmp_path)
    scan = scan_wal(wal_of(folder))
    assert scan is not None
    assert scan.header_ok
    assert scan.frames > 5
    assert scan.kept_frames == scan.frames == sqlite_keeps(folder, tmp_path)
    assert not scan.loses_saved_data
    store = Store.open_in(folder, now=lambda: NOW)
    try:
        assert store.lost_tail is None
        assert store.db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 5
    finally:
        store.close()
    assert copies(folder) == []


def test_damaged_bytes_in_the_last_committed_frame_are_found_copied_aside_and_said(
    tmp_path: Path,
) -> None:
    folder = crashed(tmp_path)
    wal = wal_of(folder)
    flip(wal, wal.stat().st_size - 100)  # in the page of the last frame, a commit frame
    damaged = wal.read_bytes()
    scan = scan_wal(wal)
    assert scan is not None
    assert scan.first_bad == scan.frames
    assert scan.kept_frames == scan.frames - 1 == sqlite_keeps(folder, tmp_path)
    assert scan.lost_commits == 1
    assert scan.loses_saved_data

    store = Store.open_in(folder, now=lambda: NOW)
    try:
        lost = store.lost_tail
    finally:
        store.close()
    assert lost is not None
    [copy] = copies(folder)
    assert copy.name == f"{DB_FILENAME}-wal.damaged-20261207-213005"
    assert copy.read_bytes() == damaged  # set aside before SQLite touched the log
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert lost.copy == copy
    assert str(copy) in lost.message
    assert "could not be read" in lost.message
    assert "not something you did" in lost.message
    assert "Everything saved before them is kept" in lost.message


def test_it_is_said_once_for_the_same_log(tmp_path: Path) -> None:
    folder = crashed(tmp_path)
    flip(wal_of(folder), wal_of(folder).stat().st_size - 100)
    assert find_lost_tail(folder / DB_FILENAME, NOW) is not None
    # The app quit before SQLite emptied the log (a question it was not answered, say).
    assert find_lost_tail(folder / DB_FILENAME, NOW) is None
    assert len(copies(folder)) == 1


def test_damage_in_an_earlier_transaction_loses_every_commit_after_it(tmp_path: Path) -> None:
    folder = crashed(tmp_path)
    size = frame_size(folder)
    flip(wal_of(folder), WAL_HEADER_SIZE + 3 * size + FRAME_HEADER_SIZE + 10)  # frame 4's page
    scan = scan_wal(wal_of(folder))
    assert scan is not None
    assert scan.first_bad == 4
    assert scan.kept_frames == sqlite_keeps(folder, tmp_path) < 4
    assert scan.dropped_frames == scan.frames - 3
    assert scan.lost_commits >= 5  # each session's start and finish came after it


def test_a_last_frame_cut_short_is_what_a_kill_leaves_and_is_not_said(tmp_path: Path) -> None:
    folder = crashed(tmp_path)
    wal = wal_of(folder)
    data = wal.read_bytes()
    wal.write_bytes(data[: len(data) - frame_size(folder) // 2])  # the last write, cut short
    scan = scan_wal(wal)
    assert scan is not None
    assert scan.torn_bytes > 0
    assert scan.kept_frames == sqlite_keeps(folder, tmp_path)
    assert not scan.loses_saved_data
    assert find_lost_tail(folder / DB_FILENAME, NOW) is None
    assert copies(folder) == []


def restart_then_save_one(store: Store) -> None:
    """A checkpoint RESTART, then one more session: the log starts again from its beginning
    with a new salt, and the frames of the older round stay behind the new ones."""
    busy, _in_log, _copied = store.db.conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
    assert busy == 0
    save_sessions(store, 1)


def test_frames_of_an_older_salt_after_a_restart_are_not_said_even_when_damaged(
    tmp_path: Path,
) -> None:
    folder = crashed(tmp_path, 8, then=restart_then_save_one)
    scan = scan_wal(wal_of(folder))
    assert scan is not None
    assert scan.kept_frames < scan.frames  # the rest are the older round's
    assert scan.kept_frames == sqlite_keeps(folder, tmp_path)
    assert not scan.loses_saved_data
    flip(wal_of(folder), wal_of(folder).stat().st_size - 100)  # an old frame: never read
    assert scan_wal(wal_of(folder)) == scan
    assert find_lost_tail(folder / DB_FILENAME, NOW) is None


def test_an_unreadable_header_loses_the_whole_log(tmp_path: Path) -> None:
    folder = crashed(tmp_path)
    flip(wal_of(folder), 24)  # the header's own checksum
    scan = scan_wal(wal_of(folder))
    assert scan is not None
    assert not scan.header_ok
    assert scan.kept_frames == 0 == sqlite_keeps(folder, tmp_path)
    assert scan.loses_saved_data
    assert find_lost_tail(folder / DB_FILENAME, NOW) is not None


def test_no_log_an_empty_one_or_a_header_alone_is_nothing(tmp_path: Path) -> None:
    wal = tmp_path / f"{DB_FILENAME}-wal"
    assert scan_wal(wal) is None
    assert find_lost_tail(tmp_path / DB_FILENAME, NOW) is None
    wal.write_bytes(b"")
    assert find_lost_tail(tmp_path / DB_FILENAME, NOW) is None
    folder = crashed(tmp_path)
    wal_of(folder).write_bytes(wal_of(folder).read_bytes()[:WAL_HEADER_SIZE])
    scan = scan_wal(wal_of(folder))
    assert scan is not None
    assert scan.frames == 0
    assert not scan.loses_saved_data


@pytest.mark.parametrize("summed_by", ["python", "numpy"])
def test_what_it_says_sqlite_keeps_is_what_sqlite_keeps_after_any_one_damaged_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, summed_by: str
) -> None:
    monkeypatch.setattr(wal_check, "_numpy_pays", lambda frame_bytes: summed_by == "numpy")
    folder = crashed(tmp_path, 6)
    wal = wal_of(folder)
    whole = wal.read_bytes()
    chance = random.Random(17)
    for _ in range(12):
        wal.write_bytes(whole)
        flip(wal, chance.randrange(WAL_HEADER_SIZE, len(whole)))
        scan = scan_wal(wal)
        assert scan is not None
        assert scan.kept_frames == sqlite_keeps(folder, tmp_path)


def test_python_and_numpy_sums_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = crashed(tmp_path, 6)
    wal = wal_of(folder)
    found = {}
    for summed_by in ("python", "numpy"):
        monkeypatch.setattr(wal_check, "_numpy_pays", lambda frame_bytes, s=summed_by: s == "numpy")
        found[summed_by] = [scan_wal(wal)]
        flip(wal, wal.stat().st_size - 100)
        found[summed_by].append(scan_wal(wal))
        flip(wal, wal.stat().st_size - 100)  # back as it was
    assert found["python"] == found["numpy"]
    assert found["python"][1] is not None
    assert found["python"][1].loses_saved_data


def big_endian(wal: Path) -> None:
    """Rewrite ``wal`` with checksums of big-endian words (the other magic): SQLite reads
    either, whichever computer wrote it. Summed here independently of the reader under test."""
    data = bytearray(wal.read_bytes())

    def sums(chunk: bytes, s0: int, s1: int) -> tuple[int, int]:
        values = struct.unpack(f">{len(chunk) // 4}I", chunk)
        for i in range(0, len(values), 2):
            s0 = (s0 + values[i] + s1) % 2**32
            s1 = (s1 + values[i + 1] + s0) % 2**32
        return s0, s1

    struct.pack_into(">I", data, 0, 0x377F0683)
    previous = sums(bytes(data[:24]), 0, 0)
    struct.pack_into(">2I", data, 24, *previous)
    page_size = struct.unpack_from(">I", data, 8)[0]
    size = FRAME_HEADER_SIZE + page_size
    for start in range(WAL_HEADER_SIZE, len(data) - size + 1, size):
        body = bytes(data[start : start + 8]) + bytes(data[start + 24 : start + size])
        previous = sums(body, *previous)
        struct.pack_into(">2I", data, start + 16, *previous)
    wal.write_bytes(bytes(data))


@pytest.mark.parametrize("summed_by", ["python", "numpy"])
def test_a_log_written_with_big_endian_checksums_is_read_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, summed_by: str
) -> None:
    monkeypatch.setattr(wal_check, "_numpy_pays", lambda frame_bytes: summed_by == "numpy")
    folder = crashed(tmp_path)
    big_endian(wal_of(folder))
    scan = scan_wal(wal_of(folder))
    assert scan is not None
    assert scan.header_ok
    assert scan.kept_frames == scan.frames == sqlite_keeps(folder, tmp_path)
    flip(wal_of(folder), wal_of(folder).stat().st_size - 100)
    scan = scan_wal(wal_of(folder))
    assert scan is not None
    assert scan.loses_saved_data
    assert scan.kept_frames == scan.frames - 1 == sqlite_keeps(folder, tmp_path)


def test_a_copy_that_cannot_be_made_is_said_and_the_log_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = crashed(tmp_path)
    flip(wal_of(folder), wal_of(folder).stat().st_size - 100)

    def full(wal: Path, now: datetime) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(wal_check, "_copy_aside", full)
    lost = find_lost_tail(folder / DB_FILENAME, NOW)
    assert lost is not None
    assert lost.copy is None
    assert "could not be set aside (No space left on device)" in lost.message


def test_the_command_line_says_it_in_one_line_and_sets_the_log_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trainer.cli import main as run_command

    folder = crashed(tmp_path)
    flip(wal_of(folder), wal_of(folder).stat().st_size - 100)
    out = tmp_path / "out.csv"
    code = run_command(
        ["export", "--data-dir", str(folder), "--out", str(out)], now=lambda: NOW, tz=UTC
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    [said] = [line for line in captured.err.splitlines() if "could not be read" in line]
    assert said.startswith("safesignal: Some of your most recent changes")
    [copy] = copies(folder)
    assert str(copy) in said
    assert out.exists()
    # The next command finds the log emptied (the export's store closed cleanly): nothing more.
    assert (
        run_command(
            ["export", "--data-dir", str(folder), "--out", str(out)], now=lambda: NOW, tz=UTC
        )
        == 0
    )
    assert "could not be read" not in capsys.readouterr().err
    assert len(copies(folder)) == 1


def test_the_command_line_leaves_the_log_to_the_app_that_has_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trainer.cli import main as run_command

    folder = crashed(tmp_path)
    flip(wal_of(folder), wal_of(folder).stat().st_size - 100)
    with DataFolderLock(folder, "the app"):  # the app is open: its SQLite read the log already
        run_command(
            ["export", "--data-dir", str(folder), "--out", str(tmp_path / "o.csv")],
            now=lambda: NOW,
            tz=UTC,
        )
    assert "could not be read" not in capsys.readouterr().err
    assert copies(folder) == []


def test_a_folder_that_is_only_read_is_told_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import trainer.cli
    from trainer.cli import main as run_command

    folder = crashed(tmp_path)
    flip(wal_of(folder), wal_of(folder).stat().st_size - 100)
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    # As a read-only mount looks to the commands (they read a private copy of it).
    monkeypatch.setattr(trainer.cli.os, "access", lambda path, mode: False)
    code = run_command(
        ["export", "--data-dir", str(folder), "--out", str(tmp_path / "o.csv")],
        now=lambda: NOW,
        tz=UTC,
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    said = [line for line in captured.err.splitlines() if "could not be read" in line]
    assert len(said) == 1
    assert "the data folder is only read, so it is left as it was" in said[0]
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
