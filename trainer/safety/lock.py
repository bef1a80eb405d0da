"""One Safe Signal at a time per data folder: an advisory lock on a file beside the database.

The app holds the lock for as long as it runs; a command that writes (import, demo, restore)
holds it while it writes. A second holder is refused at once with :class:`FolderInUseError`
rather than left to wait, so two processes never write the same database at the same time.
The operating system drops the lock when its process ends, however it ends (a crash or a kill
leaves no stale lock behind).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Final

from trainer.errors import FolderInUseError, StoreError

LOCK_FILENAME: Final = "safesignal.lock"
# What a lock held by another process looks like (EACCES on Windows and some Unixes).
_HELD_ELSEWHERE: Final = frozenset({errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES})


class DataFolderLock:
    """An exclusive lock on ``data_dir``; use it with ``with`` or :meth:`acquire`/:meth:`release`.

    ``what`` names the holder in the refusal another process gets ("the app", "an import"...).
    """

    def __init__(self, data_dir: Path, what: str = "Safe Signal") -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / LOCK_FILENAME
        self.what = what
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`FolderInUseError` when another process holds it."""
        if self._fd is not None:
            return
        try:
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(
                f"Could not use the data folder {self.data_dir} ({exc.strerror}). Check that it "
                "can be written to, or choose another with --data-dir."
            ) from exc
        try:
            _lock(fd)
        except OSError as exc:
            holder = _read_holder(fd)
            os.close(fd)
            if exc.errno not in _HELD_ELSEWHERE:  # locks unsupported here (some network drives)
                raise StoreError(
                    f"Could not lock the data folder {self.data_dir} ({exc.strerror}). Choose a "
                    "folder on this computer's own disk with --data-dir."
                ) from exc
            raise FolderInUseError(
                f"Safe Signal is already using {self.data_dir}{holder}. Close it (or wait for "
                "it to finish) and try again."
            ) from None
        self._fd = fd
        # Who holds it, for the message another process gets; a full disk only loses the note.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {self.what}\n".encode())

    def release(self) -> None:
        """Let the lock go (the file stays, empty; it is harmless)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> DataFolderLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


@contextlib.contextmanager
def holding(data_dir: Path, what: str, lock: DataFolderLock | None = None) -> Iterator[None]:
    """For the block: ``lock``, which the caller already holds (and keeps), or else a lock of
    its own on ``data_dir`` naming ``what``, taken at the start and let go at the end."""
    if lock is not None:
        yield
        return
    with DataFolderLock(data_dir, what):
        yield


def _read_holder(fd: int) -> str:
    """`` (process 123, the app)`` from the lock file, or nothing when it cannot be read."""
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except (OSError, AttributeError):
        return ""
    pid, _, what = text.partition(" ")
    if not pid.isdigit():
        return ""
    return f" (process {pid}, {what})" if what else f" (process {pid})"


if sys.platform.startswith("win"):  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
