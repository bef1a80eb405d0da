"""The data-folder lock: one holder at a time, across processes, and gone when its process dies."""

from __future__ import annotations

import errno
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import trainer.safety.lock
from trainer.errors import FolderInUseError, StoreError
from trainer.safety.lock import LOCK_FILENAME, DataFolderLock, holding

ROOT = Path(__file__).resolve().parents[3]


def hold_in_child(data_dir: Path) -> subprocess.Popen[str]:
    """A second process that takes the lock, says so, and waits to be told to stop."""
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from trainer.safety.lock import DataFolderLock
        lock = DataFolderLock(Path({str(data_dir)!r}), "the app")
        lock.acquire()
        print("held", flush=True)
        sys.stdin.readline()
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    return child


def test_the_lock_file_is_private_and_names_its_holder(tmp_path: Path) -> None:
    with DataFolderLock(tmp_path / "data", "an import") as lock:
        assert lock.held
        text = (tmp_path / "data" / LOCK_FILENAME).read_text()
        assert text.split()[1:] == ["an", "import"]
        if sys.platform != "win32":
            assert (tmp_path / "data" / LOCK_FILENAME).stat().st_mode & 0o777 == 0o600
    assert not lock.held


def test_another_process_holding_it_is_refused_with_a_message(tmp_path: Path) -> None:
    child = hold_in_child(tmp_path)
    try:
        with pytest.raises(FolderInUseError, match=r"already using .*process \d+, the app"):
            DataFolderLock(tmp_path).acquire()
    finally:
        child.communicate("stop\n", timeout=10)
    with DataFolderLock(tmp_path) as lock:  # free again once it has let go
        assert lock.held


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    child = hold_in_child(tmp_path)
    child.kill()
    child.communicate(timeout=10)
    with DataFolderLock(tmp_path) as lock:
        assert lock.held


def test_release_then_acquire_again_in_one_process(tmp_path: Path) -> None:
    lock = DataFolderLock(tmp_path)
    lock.acquire()
    lock.acquire()  # holding it already is fine
    lock.release()
    lock.release()
    lock.acquire()
    assert lock.held
    lock.release()


def test_a_folder_that_cannot_be_locked_at_all_says_so_not_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some network drives do not do locks: that is not "already using", and no traceback."""

    def unsupported(fd: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(trainer.safety.lock, "_lock", unsupported)
    with pytest.raises(StoreError, match="Could not lock the data folder") as raised:
        DataFolderLock(tmp_path).acquire()
    assert not isinstance(raised.value, FolderInUseError)


def test_a_full_disk_only_loses_the_note_of_who_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(trainer.safety.lock.os, "write", disk_full)
    lock = DataFolderLock(tmp_path)
    lock.acquire()
    assert lock.held
    monkeypatch.undo()
    with pytest.raises(FolderInUseError):  # still held: a second holder is refused
        DataFolderLock(tmp_path).acquire()
    lock.release()


def test_holding_takes_a_lock_of_its_own_for_the_block_only(tmp_path: Path):
    with holding(tmp_path, "a restore"), pytest.raises(FolderInUseError, match="a restore"):
        DataFolderLock(tmp_path, "an import").acquire()
    with DataFolderLock(tmp_path, "an import"):  # let go at the end of the block
        pass


def test_holding_keeps_the_callers_lock(tmp_path: Path):
    mine = DataFolderLock(tmp_path, "the app")
    mine.acquire()
    try:
        with holding(tmp_path, "a restore", mine):
            assert mine.held
        assert mine.held  # still the caller's to let go
        with pytest.raises(FolderInUseError, match="the app"):
            DataFolderLock(tmp_path, "an import").acquire()
    finally:
        mine.release()
