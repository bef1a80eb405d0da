"""The error log: unexpected errors (bugs) go, with their traceback, to ``safesignal.log`` in the
data folder, so the person sees a short message and never a traceback.

The log rotates (about 1 MB, three old files kept) and, like the database, is readable only by
this user (0600): a traceback can hold bits of health data. It is opened only when the first
error is written, so a healthy run leaves no file behind. If the log itself cannot be written
(a full disk, a read-only folder) :func:`log_unexpected` says so by returning ``None`` rather than
raising a second error on top of the first.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Final

LOG_FILENAME: Final = "safesignal.log"
LOG_MAX_BYTES: Final = 1_000_000
LOG_BACKUPS: Final = 3
LOGGER_NAME: Final = "safesignal"
EXIT_UNEXPECTED: Final = 70  # EX_SOFTWARE: an internal error (a bug), not the person's mistake

_guard = threading.Lock()


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose files are created 0600, and which remembers (instead of printing a
    traceback to stderr) when it could not write."""

    failed = False

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:
        self.failed = True


def log_path(data_dir: Path) -> Path:
    """Where the error log of ``data_dir`` is."""
    return Path(data_dir) / LOG_FILENAME


def _handler_for(data_dir: Path) -> _PrivateRotatingFileHandler:
    """The logger's handler for ``data_dir`` (made on first use, replacing one of another folder)."""
    logger = logging.getLogger(LOGGER_NAME)
    path = str(log_path(data_dir).absolute())
    for handler in logger.handlers:
        if isinstance(handler, _PrivateRotatingFileHandler) and handler.baseFilename == path:
            return handler
    close_log()  # the log of another folder
    handler = _PrivateRotatingFileHandler(
        path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler


def log_unexpected(
    data_dir: Path | None,
    exc_type: type[BaseException],
    exc: BaseException,
    traceback: TracebackType | None,
    where: str = "Safe Signal",
) -> Path | None:
    """Write an unexpected error with its traceback to the log of ``data_dir``; return the log's
    path, or ``None`` when there is no data folder or the log could not be written."""
    if data_dir is None:
        return None
    with _guard:
        try:
            Path(data_dir).mkdir(mode=0o700, parents=True, exist_ok=True)
            handler = _handler_for(Path(data_dir))
        except OSError:
            return None
        handler.failed = False
        logging.getLogger(LOGGER_NAME).error(
            "Unexpected error in %s (Safe Signal %s, Python %s)",
            where,
            _version(),
            sys.version.split()[0],
            exc_info=(exc_type, exc, traceback),
        )
        handler.flush()
        if handler.failed:
            return None
        return Path(handler.baseFilename)


def close_log() -> None:
    """Close the log file (tests, and the end of the app)."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if isinstance(handler, _PrivateRotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()


def unexpected_message(log: Path | None) -> str:
    """What the person is told about an unexpected error: what happened, that their sessions are
    safe, and where the details are."""
    text = (
        "Something unexpected went wrong in Safe Signal. This is a mistake in the program, not "
        "something you did. The sessions you recorded are safe."
    )
    if log is None:
        return text + " The details could not be written to a log file."
    return text + (
        f" The details are in {log}. If you report this to the developers, you can send that "
        "file; it may hold some of your own information (such as exercise names and ratings), "
        "so look it over first."
    )


def _version() -> str:
    from trainer import __version__

    return __version__
