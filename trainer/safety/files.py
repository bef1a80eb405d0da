"""Writing a file whole or not at all, readable only by this user (exports and the report)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def write_privately(
    path: Path, fail: Callable[[str], Exception], *, binary: bool = False
) -> Iterator[IO[Any]]:
    """A stream to a temporary file beside ``path`` (mode 0600; UTF-8 text unless ``binary``).

    When the block ends without an error the file is flushed to disk and moved into place. On
    any failure the temporary file is removed, so nothing is half written and an older file at
    ``path`` stays as it was; an ``OSError`` becomes the error ``fail(reason)`` builds, the
    reason said in plain words ("the folder ... does not exist.").

    Only a regular file is ever replaced: a folder, a device (/dev/full, /dev/null), a pipe or a
    socket at ``path`` is refused the same way, and a symbolic link is followed, so its target is
    written and the link stays a link (as other tools do).
    """
    path = regular_target(path, fail)
    folder = path.parent
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise fail(_why(exc, folder)) from None
    try:
        with open(
            handle,
            "wb" if binary else "w",
            encoding=None if binary else "utf-8",
            newline=None if binary else "",
        ) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except OSError as exc:
        _remove_quietly(temp_name)
        raise fail(_why(exc, folder)) from None
    except BaseException:
        _remove_quietly(temp_name)
        raise


def regular_target(path: Path, fail: Callable[[str], Exception]) -> Path:
    """Where writing ``path`` should go: the file itself, or a symbolic link's target (which
    need not exist yet). Anything there but a regular file raises ``fail(reason)``."""
    target = Path(os.path.realpath(path))
    try:
        found = os.stat(target)
    except FileNotFoundError:
        return target  # a new file (or a link to one): nothing to replace
    except OSError as exc:  # a loop of links, a folder we may not look into...
        raise fail(_why(exc, target.parent)) from None
    if stat.S_ISDIR(found.st_mode):
        raise fail("that is a folder; give a file name.")
    if stat.S_ISCHR(found.st_mode) or stat.S_ISBLK(found.st_mode):
        raise fail("that is a device, not a file; give a file name.")
    if stat.S_ISFIFO(found.st_mode):
        raise fail("that is a pipe (a FIFO), not a file; give a file name.")
    if not stat.S_ISREG(found.st_mode):
        raise fail("that is not a regular file (a socket, say); give a file name.")
    return target


def _why(exc: OSError, folder: Path) -> str:
    if isinstance(exc, FileNotFoundError):
        if folder.is_dir():  # there, but it takes no new files (/proc, say)
            return f"the folder {folder} does not take new files; choose another folder."
        return f"the folder {folder} does not exist."
    if isinstance(exc, PermissionError):
        return "permission denied; choose a folder you may write to."
    return f"{exc.strerror or exc}."


def _remove_quietly(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)
