"""Tests for trainer/safety/read_copies.py: the private copy a read-only ``export`` or
``report`` reads is never left in the temporary folder for long. Told to end (SIGTERM) the
command removes it itself; killed outright (SIGKILL) it cannot, and the next command removes
it, while a copy still in use, and anything else in the temporary folder, is left alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainer.safety.lock import LOCK_FILENAME
from trainer.safety.read_copies import PREFIX, read_folder, remove_stale_read_copies

ROOT = str(Path(__file__).resolve().parents[3])

# Makes a read folder with a "copy" in it, says where, and waits (for stdin) to be stopped.
READING = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from trainer.safety.read_copies import read_folder

with read_folder(Path({temp!r})) as folder:
    (folder / "safesignal.db").write_bytes(b"health data")
    print(folder, flush=True)
    sys.stdin.read()
"""


def reading(temp: Path) -> tuple[subprocess.Popen[str], Path]:
    process = subprocess.Popen(
        [sys.executable, "-c", READING.format(root=ROOT, temp=str(temp))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    assert line, process.stderr and process.stderr.read()
    return process, Path(line)


def stop(process: subprocess.Popen[str], signum: int) -> int:
    process.send_signal(signum)
    try:
        return process.wait(timeout=30)
    finally:
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_a_copy_left_by_a_kill_is_removed_by_the_next_look_but_not_while_in_use(
    tmp_path: Path,
) -> None:
    process, folder = reading(tmp_path)
    assert folder.parent == tmp_path
    assert folder.name.startswith(f"{PREFIX}{process.pid}-")
    assert (folder.stat().st_mode & 0o777) == 0o700
    assert remove_stale_read_copies(tmp_path) == []  # in use: left alone
    assert (folder / "safesignal.db").exists()
    assert stop(process, signal.SIGKILL) == -signal.SIGKILL
    assert (folder / "safesignal.db").read_bytes() == b"health data"  # what a kill leaves
    assert remove_stale_read_copies(tmp_path) == [folder]
    assert not folder.exists()


def test_a_command_told_to_end_removes_its_copy_itself(tmp_path: Path) -> None:
    process, folder = reading(tmp_path)
    assert stop(process, signal.SIGTERM) == 128 + signal.SIGTERM
    assert not folder.exists()


def test_a_copy_is_removed_when_the_block_ends_and_its_signals_are_put_back(
    tmp_path: Path,
) -> None:
    before = signal.getsignal(signal.SIGTERM)
    with read_folder(tmp_path) as folder:
        assert (folder / LOCK_FILENAME).exists()
        assert signal.getsignal(signal.SIGTERM) is not before
    assert not folder.exists()
    assert signal.getsignal(signal.SIGTERM) is before


def test_the_next_command_removes_a_stale_copy_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from trainer.cli import main as run_command

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    stale = Path(tempfile.mkdtemp(prefix=f"{PREFIX}999999-"))  # killed before it locked
    (stale / "safesignal.db").write_bytes(b"health data")
    locked_once = Path(tempfile.mkdtemp(prefix=f"{PREFIX}999998-"))
    (locked_once / LOCK_FILENAME).write_text("999998 a command reading a copy")
    (locked_once / "safesignal.db-wal").write_bytes(b"health data")
    others = [temp / "safesignal-read-notes.txt", temp / "someone-elses"]
    others[0].write_text("a file, not a folder")
    others[1].mkdir()
    code = run_command(
        ["restore", "--list", "--data-dir", str(tmp_path / "data")],
        now=lambda: datetime(2026, 12, 7, tzinfo=UTC),
    )
    assert code == 0, capsys.readouterr().err
    assert not stale.exists()
    assert not locked_once.exists()
    assert all(path.exists() for path in others)


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_another_users_copy_is_left_alone(tmp_path: Path) -> None:
    theirs = Path(tempfile.mkdtemp(prefix=PREFIX, dir=tmp_path))
    os.chown(theirs, 65534, -1)
    assert remove_stale_read_copies(tmp_path) == []
    assert theirs.exists()


def test_a_read_only_export_reads_its_copy_in_such_a_folder_and_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import trainer.cli
    from tests.trainer.safety.test_wal_check import crashed
    from trainer.cli import main as run_command

    folder = crashed(tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(trainer.cli.os, "access", lambda path, mode: False)  # read-only
    seen: list[tuple[list[str], list[Path]]] = []
    profile = trainer.cli._profile

    def looking(store: object, name: str | None) -> object:
        copies = [path.name for path in temp.iterdir()]
        seen.append((copies, remove_stale_read_copies(temp)))  # another command starting now
        return profile(store, name)  # type: ignore[arg-type]

    monkeypatch.setattr(trainer.cli, "_profile", looking)
    code = run_command(
        ["export", "--data-dir", str(folder), "--out", str(tmp_path / "o.csv")],
        now=lambda: datetime(2026, 12, 7, tzinfo=UTC),
        tz=UTC,
    )
    assert code == 0, capsys.readouterr().err
    [(names, removed)] = seen
    assert len(names) == 1
    assert names[0].startswith(f"{PREFIX}{os.getpid()}-")
    assert removed == []  # in use: another command leaves it
    assert list(temp.iterdir()) == []  # and it is gone at the end


def test_a_folder_just_made_and_not_yet_locked_is_left_to_its_maker(tmp_path: Path) -> None:
    """Found in review: between making its folder and locking it, a running command's folder
    looked stale, and another command could remove it under it."""
    mine = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=tmp_path))  # not locked
    assert remove_stale_read_copies(tmp_path) == []
    assert mine.exists()
