"""No traceback reaches the person: unexpected errors in the app are logged (trainer/safety/errorlog.py)
and shown as a short, calm message that says their sessions are safe and where the log is.

:class:`CrashReporter` replaces ``sys.excepthook`` (errors in Qt's event handlers and slots end
there) and ``threading.excepthook`` (errors in worker threads). A message raised in another
thread is carried to the GUI thread by a queued signal; only one message is on screen at a time,
and after a few the rest only go to the log, so an error that repeats on every frame cannot bury
the person in boxes. Installing it costs start-up nothing: the log (and its logging machinery)
and the message are only imported when an error happens.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

TITLE: Final = "Something went wrong"
MAX_MESSAGES: Final = 3  # then errors only go to the log

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


class CrashReporter(QObject):
    """Logs unexpected errors to the data folder's log and shows a short message about them."""

    message_ready = Signal(str)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.shown = 0
        self._showing = False
        self._old_hook: ExceptHook | None = None
        self._old_thread_hook: Callable[[threading.ExceptHookArgs], Any] | None = None
        self.message_ready.connect(self._show)

    def install(self) -> None:
        """Take over ``sys.excepthook`` and ``threading.excepthook`` (until :meth:`uninstall`)."""
        if self._old_hook is not None:
            return
        self._old_hook, sys.excepthook = sys.excepthook, self.report
        self._old_thread_hook, threading.excepthook = threading.excepthook, self._report_thread

    def uninstall(self) -> None:
        """Give the hooks back to whoever had them before."""
        if self._old_hook is None:
            return
        if sys.excepthook == self.report:
            sys.excepthook = self._old_hook
        if threading.excepthook == self._report_thread and self._old_thread_hook is not None:
            threading.excepthook = self._old_thread_hook
        self._old_hook = self._old_thread_hook = None

    def report(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        traceback: TracebackType | None,
    ) -> None:
        """Log the error with its traceback; one line on stderr; the message on screen."""
        from trainer.safety.errorlog import log_unexpected, unexpected_message

        if issubclass(exc_type, KeyboardInterrupt) and self._old_hook is not None:
            self._old_hook(exc_type, exc, traceback)  # Ctrl+C in a terminal: as usual
            return
        log = log_unexpected(self.data_dir, exc_type, exc, traceback, "the app")
        where = f"details in {log}" if log else "the details could not be logged"
        print(f"safesignal: something unexpected went wrong ({where}).", file=sys.stderr)
        self.message_ready.emit(unexpected_message(log))  # queued when from another thread

    def _report_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self.report(args.exc_type, args.exc_value, args.exc_traceback)

    def _show(self, message: str) -> None:
        if self._showing or self.shown >= MAX_MESSAGES:
            return
        from ui.common.dialogs import Dialogs

        self._showing = True
        self.shown += 1
        try:
            Dialogs.error(QApplication.activeWindow(), TITLE, message)
        finally:
            self._showing = False
