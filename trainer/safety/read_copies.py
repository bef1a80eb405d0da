"""The private temporary folders in which ``export`` and ``report`` read a read-only database.

SQLite's write-ahead log needs files beside a database even to read it, so a data folder this
user may not write to is read from a copy in a temporary folder (``safesignal-read-<pid>-...``,
0700). The copy is health data: it is removed when the command ends, also when it is told to end
(SIGTERM, SIGHUP). A command killed outright (SIGKILL, a power cut) cannot remove it, so every
command first removes the folders such commands left behind: each folder holds the data-folder
lock (:class:`~trainer.safety.lock.DataFolderLock`) of its own while in use, which the operating
system lets go when its process ends however it ends; a folder whose lock can be taken is
nobody's any more. Only this user's folders are looked at.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Final

from trainer.errors import FolderInUseError, StoreError
from trainer.safety.lock import DataFolderLock

PREFIX: Final = "safesignal-read-"
_ENDING_SIGNALS: Final = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)

_log = logging.getLogger(__name__)


def remove_stale_read_copies(temp_root: Path | None = None) -> list[Path]:
    """Remove the read folders of commands that were killed (their lock is free); the ones
    removed. A folder in use by a running command, or another user's, is left alone."""
    root = Path(tempfile.gettempdir() if temp_root is None else temp_root)
    removed: list[Path] = []
    try:
        candidates = [path for path in root.iterdir() if path.name.startswith(PREFIX)]
    except OSError:
        return removed
    uid = os.getuid() if hasattr(os, "getuid") else None
    for folder in candidates:
        try:
            found = folder.lstat()
            if not folder.is_dir() or folder.is_symlink():
                continue
            if uid is not None and found.st_uid != uid:
                continue
            if _maker_runs(folder.name):  # perhaps made a moment ago and not yet locked
                continue
            lock = DataFolderLock(folder, "a removal of a stale copy")
            lock.acquire()
        except (FolderInUseError, StoreError, OSError):
            continue  # in use, or not ours to take
        lock.release()
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
            _log.info("removed %s, left by a command that was stopped", folder)
    return removed


def _maker_runs(name: str) -> bool:
    """Whether the process that made the folder ``name`` (``safesignal-read-<pid>-…``) still
    runs: between making its folder and locking it, a command's folder looks stale."""
    pid_text = name[len(PREFIX) :].partition("-")[0]
    if not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # it runs, as another user (or the number cannot be asked about)
    return True


def _end_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # so that the folder is removed on the way out


@contextmanager
def read_folder(temp_root: Path | None = None) -> Iterator[Path]:
    """A new private temporary folder (0700) for a copy of the database, locked while in use
    and removed when the block ends, or when the process is told to end meanwhile."""
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=temp_root))  # mode 0700
    lock = DataFolderLock(folder, "a command reading a copy")
    previous: dict[int, object] = {}
    try:
        lock.acquire()
        with contextlib.suppress(ValueError):  # not the main thread: the default stays
            for sig in _ENDING_SIGNALS:
                previous[sig] = signal.signal(sig, _end_on_signal)
        yield folder
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        lock.release()
        shutil.rmtree(folder, ignore_errors=True)
