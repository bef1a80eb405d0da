"""One Safe Signal per data folder: a second copy brings the first to the front and leaves.

The app that owns a data folder holds its lock (trainer/safety/lock.py) for its whole life and,
from its first paint on, listens on a local socket (QLocalServer) named after the folder, so
copies using different folders run side by side. A copy that starts later first tries the lock:
free, no other copy runs and there is nobody to knock on (QtNetwork is not even loaded before
the window paints). Held, it knocks on the socket (for up to 15 seconds, while the first may still
be starting): if the first answers, it is asked to come to the front and the second exits with
a one-line note. If the folder is locked but nobody answers (a command such as
``safesignal import`` is writing), the person is told the folder is in use. :func:`guard_app` is
the one call ``ui.shell.app`` makes for all of this; it also installs the crash reporter
(ui/shell/crash.py) so no traceback reaches the person.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from trainer.errors import FolderInUseError, SafeSignalError
from trainer.safety.lock import DataFolderLock
from ui.common.dialogs import Dialogs
from ui.shell.crash import CrashReporter

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

SHOW: Final = b"show\n"
SHOWN: Final = b"ok\n"
ALREADY_OPEN: Final = "Safe Signal is already open; it has been brought to the front."
STARTUP_PROBLEM: Final = "Safe Signal could not start"
# How long to knock while a first copy may still be starting: copies started together on a busy
# computer can take several seconds to paint (and so to listen).
STARTING_WAIT_S: Final = 15.0


def server_name(data_dir: Path) -> str:
    """The local socket's name for ``data_dir``: the same for every path to the same folder,
    different for different folders (and for different users)."""
    import hashlib  # only when a socket is wanted: after the first paint, or to knock

    resolved = Path(data_dir).expanduser().resolve()
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    digest = hashlib.sha256(f"{user}\0{resolved}".encode()).hexdigest()[:24]
    return f"safesignal-{digest}"


class InstanceServer(QObject):
    """Listens for later copies; emits :attr:`show_requested` when one asks for the window."""

    show_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        from PySide6.QtNetwork import QLocalServer

        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)

    def listen(self) -> bool:
        """Start listening. Only the holder of the folder's lock calls this, so a socket file
        left by a copy that crashed is stale and is removed first."""
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.name)
        return bool(self._server.listen(self.name))

    @property
    def listening(self) -> bool:
        """Whether later copies can reach this one."""
        return bool(self._server.isListening())

    def close(self) -> None:
        """Stop listening (the socket file goes with it)."""
        self._server.close()

    def _on_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_ready_read(socket)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        data = bytes(socket.readAll().data())
        if SHOW.strip() in data:
            socket.write(SHOWN)
            socket.flush()
            self.show_requested.emit()
        socket.disconnectFromServer()


def ask_to_show(name: str, timeout_ms: int = 2000) -> bool:
    """Knock on a first copy's socket and ask it to come to the front; whether it answered."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    try:
        socket.connectToServer(name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(SHOW)
        socket.waitForBytesWritten(timeout_ms)
        answer = b""
        while True:  # the answer may already be here (read while the request was written)
            answer += bytes(socket.readAll().data())
            if SHOWN in answer or not socket.waitForReadyRead(timeout_ms):
                answer += bytes(socket.readAll().data())
                return SHOWN in answer
    finally:
        socket.abort()


class AppGuard(QObject):
    """What the running app holds: the folder's lock, the crash reporter and, once the window has
    painted (:meth:`listen`), the socket later copies knock on."""

    def __init__(self, lock: DataFolderLock, crash: CrashReporter, name: str | None = None) -> None:
        super().__init__()
        self.lock, self.crash, self._name = lock, crash, name
        self.server: InstanceServer | None = None

    @property
    def name(self) -> str:
        """The socket's name (by default :func:`server_name` of the locked folder)."""
        if self._name is None:
            self._name = server_name(self.lock.data_dir)
        return self._name

    def listen(self) -> None:
        """Start answering later copies (again: nothing). Called once the window has painted, or
        before a question comes first; a copy started meanwhile keeps knocking until then."""
        if self.server is not None:
            return
        self.server = InstanceServer(self.name, self)
        self.server.show_requested.connect(self.bring_forward)
        if not self.server.listen():
            print(
                "safesignal: a second copy will not be able to bring this one to the front "
                "(the local socket could not be opened).",
                file=sys.stderr,
            )

    def bring_forward(self) -> None:
        """Bring the main window to the front (a second copy asked for it)."""
        from ui.shell.main_window import MainWindow

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.bring_forward()

    def release(self) -> None:
        """Stop listening, let the folder go and give back the error hooks (the app quits)."""
        if self.server is not None:
            self.server.close()
        self.lock.release()
        self.crash.uninstall()


def guard_app(data_dir: Path, *, quiet: bool = False) -> AppGuard | int:
    """Before the app opens its database: bring an open copy to the front (return 0), refuse a
    folder another program is writing (return 2, after saying so), or take the folder and return
    the guard the app keeps until it quits (it listens for later copies once :meth:`AppGuard.listen`
    is called). ``quiet``: no message boxes (start-up checks)."""
    lock = DataFolderLock(data_dir, "the app")
    try:
        if not _take(lock):
            print(ALREADY_OPEN)
            return 0
    except SafeSignalError as exc:
        message = " ".join(str(exc).split())
        print(f"safesignal: {message}", file=sys.stderr)
        if not quiet:
            in_use = isinstance(exc, FolderInUseError)
            title = "Safe Signal is already using this folder" if in_use else STARTUP_PROBLEM
            Dialogs.error(None, title, message)
        return 2
    crash = CrashReporter(data_dir)
    crash.install()
    guard = AppGuard(lock, crash)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(guard.release)
    return guard


def _take(lock: DataFolderLock) -> bool:
    """Take the folder's lock (``True``). Only the holder of the lock listens, so while it is
    free there is nobody to knock on; held, ask the holder to come to the front (``False`` when
    it does), then keep trying as :func:`_acquire_or_knock` does."""
    try:
        lock.acquire()
        return True
    except SafeSignalError:
        name = server_name(lock.data_dir)
        if ask_to_show(name):
            return False
    return _acquire_or_knock(lock, name)


def _acquire_or_knock(lock: DataFolderLock, name: str) -> bool:
    """Take the lock (``True``); while the app holds it, or may (it has taken the lock but not
    yet written who it is), it may still be starting, so keep knocking: ``False`` when it
    answers after all. Raises the lock's refusal when a command holds it, or when nobody has
    answered within :data:`STARTING_WAIT_S`."""
    deadline = time.monotonic() + STARTING_WAIT_S
    while True:
        try:
            lock.acquire()
            return True
        except SafeSignalError:
            if time.monotonic() >= deadline or not _holder_may_be_the_app(lock):
                raise
        if ask_to_show(name, 300):
            return False
        time.sleep(0.1)


def _holder_may_be_the_app(lock: DataFolderLock) -> bool:
    """Whether the lock file names the app as its holder, or names nobody yet (a holder writes
    its name just after taking the lock); not when it names a command."""
    try:
        note = lock.path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True  # unreadable: it may well be the app; the deadline still applies
    return "the app" in note or not note.strip()
