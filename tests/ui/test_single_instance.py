"""Tests for ui/shell/single_instance.py: a second copy of the app brings the first to the front and
leaves; a folder a command is writing is refused; copies with different folders live side by
side; a socket left by a crashed copy does not stand in the way."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalServer

from trainer.errors import StoreError
from trainer.safety.lock import LOCK_FILENAME, DataFolderLock
from trainer.safety.paths import ENV_DATA_DIR
from ui.shell.main_window import MainWindow
from ui.shell.single_instance import (
    ALREADY_OPEN,
    AppGuard,
    InstanceServer,
    ask_to_show,
    guard_app,
    server_name,
)

REPO = Path(__file__).resolve().parents[2]


def unique_name() -> str:
    return f"safesignal-test-{uuid.uuid4().hex[:12]}"


def knock(name: str) -> subprocess.Popen[str]:
    """:func:`ask_to_show` from another process, as a second copy runs it (in this process, its
    blocking wait would hold the interpreter while the first needs it to answer)."""
    code = f"from ui.shell.single_instance import ask_to_show; print(ask_to_show({name!r}, 5000))"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=_env(),
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_the_name_follows_the_folder_not_the_path_to_it(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert server_name(tmp_path / "a") == server_name(tmp_path / "b" / ".." / "a")
    if os.name == "posix":
        (tmp_path / "link").symlink_to(tmp_path / "a")
        assert server_name(tmp_path / "link") == server_name(tmp_path / "a")
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a").startswith("safesignal-")


def test_a_second_copy_asks_the_first_to_come_forward(qtbot):
    name = unique_name()
    first = InstanceServer(name)
    assert first.listen()
    try:
        with qtbot.waitSignal(first.show_requested, timeout=20000):
            second = knock(name)
            qtbot.waitUntil(lambda: second.poll() is not None, timeout=20000)
        assert second.communicate()[0] == "True\n"
    finally:
        first.close()


def test_nobody_answers_when_no_first_copy_listens(qapp):
    started = time.monotonic()
    assert ask_to_show(unique_name(), 2000) is False
    assert time.monotonic() - started < 1.5  # no server: it says so at once


def test_copies_of_different_folders_do_not_hear_each_other(qtbot):
    one, other = InstanceServer(unique_name()), InstanceServer(unique_name())
    assert one.listen()
    assert other.listen()
    heard: list[str] = []
    one.show_requested.connect(lambda: heard.append("one"))
    other.show_requested.connect(lambda: heard.append("other"))
    try:
        with qtbot.waitSignal(other.show_requested, timeout=20000):
            second = knock(other.name)
            qtbot.waitUntil(lambda: second.poll() is not None, timeout=20000)
        assert second.communicate()[0] == "True\n"
        assert heard == ["other"]
    finally:
        one.close()
        other.close()


@pytest.mark.skipif(os.name != "posix", reason="a Unix socket file")
def test_a_socket_file_left_by_a_crashed_copy_is_cleared(qapp):
    name = unique_name()
    path = os.path.join(QDir.tempPath(), name)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(path)  # bound and never unlinked: what a killed copy leaves
    stale.close()
    try:
        assert os.path.exists(path)
        plain = QLocalServer()
        assert not plain.listen(name)  # without clearing it, the name is taken
        server = InstanceServer(name)
        assert server.listen()
        assert server.listening
        server.close()
    finally:
        if os.path.exists(path):
            os.unlink(path)


def test_the_guard_brings_the_main_window_forward(qtbot, window: MainWindow, tmp_path: Path):
    lock = DataFolderLock(tmp_path / "folder", "the app")
    from ui.shell.crash import CrashReporter

    guard = AppGuard(lock, CrashReporter(tmp_path), unique_name())
    guard.listen()
    assert guard.server is not None
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    guard.server.show_requested.emit()
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert window.isVisible()
    guard.release()


def test_a_folder_a_command_is_writing_is_refused(qapp, tmp_path: Path, capsys):
    data = tmp_path / "data"
    with DataFolderLock(data, "an import"):
        started = time.monotonic()
        result = guard_app(data, quiet=True)
        assert time.monotonic() - started < 2.5  # not the app: no point waiting for it
    assert result == 2
    err = capsys.readouterr().err
    assert err.startswith(f"safesignal: Safe Signal is already using {data}")
    assert "an import" in err
    assert err.count("\n") == 1


def test_a_folder_that_cannot_be_used_is_not_called_in_use(
    qapp, tmp_path: Path, capsys, dialogs, monkeypatch
):
    """A read-only or missing folder is a reason not to start, said as such: not "in use"."""

    def refuse(self: DataFolderLock) -> None:
        raise StoreError(f"Could not use the data folder {self.data_dir} (Permission denied).")

    monkeypatch.setattr(DataFolderLock, "acquire", refuse)
    assert guard_app(tmp_path / "data", quiet=False) == 2
    assert dialogs.errors == [
        f"Safe Signal could not start: Could not use the data folder {tmp_path / 'data'} "
        "(Permission denied)."
    ]
    assert "Permission denied" in capsys.readouterr().err


def test_the_guard_holds_the_folder_until_released(qapp, tmp_path: Path):
    data = tmp_path / "data"
    guard = guard_app(data, quiet=True)
    assert isinstance(guard, AppGuard)
    try:
        assert guard.lock.held
        assert guard.server is None  # it listens once the window has painted
        guard.listen()
        assert guard.server is not None
        assert guard.server.listening
        assert "the app" in (data / LOCK_FILENAME).read_text()
        with pytest.raises(Exception, match="already using"):
            DataFolderLock(data, "an import").acquire()
    finally:
        guard.release()
    with DataFolderLock(data, "an import"):
        pass


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != ENV_DATA_DIR}
    env.update({"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)})
    return env


def _wait_for_the_app(data: Path, first: subprocess.Popen[str]) -> None:
    """Until the first copy holds the folder (and has had a moment to listen)."""
    deadline = time.monotonic() + 60
    lock = data / LOCK_FILENAME
    while time.monotonic() < deadline:
        assert first.poll() is None, first.communicate()
        if lock.exists() and "the app" in lock.read_text(errors="replace"):
            return
        time.sleep(0.1)
    raise AssertionError("the first copy never took its data folder")


def test_a_second_copy_of_the_app_brings_the_first_forward_and_exits(tmp_path: Path):
    data = tmp_path / "data"
    first = subprocess.Popen(
        [sys.executable, "-m", "ui", "--data-dir", str(data)],
        env=_env(),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_the_app(data, first)
        started = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "ui", "--data-dir", str(data)],
            env=_env(),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        took_s = time.monotonic() - started
        assert second.returncode == 0, second.stderr
        assert second.stdout == ALREADY_OPEN + "\n"
        assert "Traceback" not in second.stderr
        assert took_s < 20
        assert first.poll() is None  # the first is still running
        # A command that writes is refused while the app is open.
        demo = subprocess.run(
            [sys.executable, "-m", "ui", "demo", "--data-dir", str(data)],
            env=_env(),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert demo.returncode == 2
        assert "Safe Signal is already using" in demo.stderr
        assert "the app" in demo.stderr
    finally:
        first.kill()
        first.communicate(timeout=30)


SLOW_FIRST = """
import fcntl, os, sys, time
from PySide6.QtCore import QCoreApplication, QTimer
from ui.shell.single_instance import InstanceServer, server_name
from pathlib import Path
data = Path(sys.argv[1])
data.mkdir(mode=0o700, parents=True, exist_ok=True)
fd = os.open(data / "safesignal.lock", os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the lock is taken; its note not yet written
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
os.write(fd, f"{os.getpid()} the app\\n".encode())
time.sleep(float(sys.argv[3]))  # a slow start (three copies at once on a busy computer)
app = QCoreApplication([])
server = InstanceServer(server_name(data))
server.show_requested.connect(lambda: (print("shown", flush=True), QTimer.singleShot(200, app.quit)))
assert server.listen()
print("listening", flush=True)
app.exec()
"""


@pytest.mark.skipif(os.name != "posix", reason="the first copy is played with flock")
def test_a_copy_started_with_a_slow_first_waits_for_it_to_answer(qapp, tmp_path: Path, capsys):
    """Copies started together: the first has taken the folder but has not yet written who it
    is, and takes longer than a few seconds to listen. The second must not call the folder
    "in use" (3 in 37 such starts did): it keeps knocking until the first answers."""
    data = tmp_path / "data"
    first = subprocess.Popen(
        [sys.executable, "-c", SLOW_FIRST, str(data), "0.4", "3.5"],
        env=_env(),
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stdout is not None
        assert first.stdout.readline() == "locked\n"
        assert guard_app(data, quiet=True) == 0
        assert capsys.readouterr().out == ALREADY_OPEN + "\n"
        assert first.communicate(timeout=30)[0] == "listening\nshown\n"
    finally:
        first.kill()
        first.communicate()
