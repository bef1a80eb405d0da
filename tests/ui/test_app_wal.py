"""Tests for the app's care of the write-ahead log (ui/shell/app.py): a checkpoint at a quiet
moment after sessions are saved, and a clean close on SIGTERM / SIGHUP or a session logout
that keeps a session under way as interrupted, with the database file alone holding it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import SIGNAL
from PySide6.QtWidgets import QApplication

from tests.trainer.store.test_wal import PLAN, save_sessions, sessions_in_file_alone
from tests.ui.test_startup import startup, unfinished_session  # noqa: F401 - a fixture
from trainer.app.profile import Change
from trainer.safety.paths import DB_FILENAME, ENV_DATA_DIR
from trainer.store.store import Store
from ui.shell.app import CleanExit, QuietCheckpoints


def test_sessions_saved_are_in_the_file_alone_at_the_next_quiet_moment(
    qapp: QApplication, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    store = Store.open_in(folder)
    busy = [True]
    checkpoints = QuietCheckpoints(store, lambda: busy[0], None)
    try:
        save_sessions(store, 6)
        checkpoints.on_change(Change.SETTINGS)
        assert not checkpoints.timer.isActive()  # only sessions matter here
        checkpoints.on_change(Change.SESSIONS)
        assert checkpoints.timer.isActive()
        assert checkpoints.timer.interval() == QuietCheckpoints.DELAY_MS  # after the summary
        checkpoints.timer.timeout.emit()  # someone started practising again meanwhile
        assert sessions_in_file_alone(folder, tmp_path) == 0
        assert checkpoints.timer.isActive()  # it waits for the practice to end
        assert checkpoints.timer.interval() == QuietCheckpoints.BUSY_RETRY_MS
        busy[0] = False
        checkpoints.timer.timeout.emit()
        assert sessions_in_file_alone(folder, tmp_path) == 6  # the app is still open
    finally:
        checkpoints.timer.stop()
        store.close()


def test_the_window_asks_for_a_checkpoint_when_its_sessions_change(
    qtbot: Any,
    startup: Any,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    run = startup(tmp_path / "data")
    assert run.open() is None
    qtbot.waitUntil(lambda: run.started, timeout=10_000)
    assert not run.checkpoints.timer.isActive()
    run.window.profile.sessions_changed()  # as after a save, a recovery or an import
    assert run.checkpoints.timer.isActive()
    run.checkpoints.timer.stop()


# Starts the app (offscreen) with a session under way, says so, and waits to be told to end.
UNDER_WAY = """
import sys
from PySide6.QtCore import QTimer
sys.path.insert(0, {root!r})
import ui.shell.app as app
from tests.trainer.store.test_wal import PLAN
from ui.shell.main_window import MainWindow

MainWindow.show_welcome = lambda self: None
finish = app._Startup.finish

def finished(startup):
    finish(startup)
    if not startup.started:
        return

    def begin():
        flow = startup.window.flow
        flow.start_breathing(PLAN, "Coherent breathing", ask_where=False)
        flow.before_confirmed(5, 6)
        print("UNDER WAY", flow.session.session_id, flow.session.state.name, flush=True)

    QTimer.singleShot(0, begin)

app._Startup.finish = finished
sys.exit(app.main(sys.argv[1:]))
"""


def run_until_told_to_end(folder: Path, signum: int) -> tuple[int, str, int]:
    """Start the app with a session under way, send ``signum`` once it runs; its exit code,
    what it wrote to stderr and the session's id."""
    root = str(Path(__file__).resolve().parents[2])
    env = {key: value for key, value in os.environ.items() if key != ENV_DATA_DIR}
    env["QT_QPA_PLATFORM"] = "offscreen"
    process = subprocess.Popen(
        [sys.executable, "-c", UNDER_WAY.format(root=root), "--data-dir", str(folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the session runs (or the app ends)
        assert line.startswith("UNDER WAY"), (line, process.stderr and process.stderr.read())
        _, _, number, state = line.split()
        assert state == "RUNNING"
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, stderr, int(number)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_told_to_end_the_app_keeps_the_session_and_the_file_alone_holds_it(
    tmp_path: Path, signum: int
) -> None:
    folder = tmp_path / "data"
    code, stderr, session_id = run_until_told_to_end(folder, signum)
    assert code == 0, stderr  # a clean exit, not killed by the signal
    assert "Traceback" not in stderr
    assert sessions_in_file_alone(folder, tmp_path) == 1
    with closing(sqlite3.connect(tmp_path / "copied" / DB_FILENAME)) as conn:
        status, practised_s = conn.execute(
            "SELECT status, practised_s FROM sessions WHERE id = ?", [session_id]
        ).fetchone()
    assert status == "interrupted"  # kept, without after-ratings
    assert practised_s >= 0
    wal = folder / f"{DB_FILENAME}-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # the database was closed


def test_a_logout_keeps_the_session_under_way_and_puts_it_in_the_file(
    qtbot: Any,
    startup: Any,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    run = startup(folder)
    assert run.open() is None
    qtbot.waitUntil(lambda: run.started, timeout=10_000)
    ended: list[str] = []
    logout, quitting = SIGNAL("commitDataRequest(QSessionManager&)"), SIGNAL("aboutToQuit()")
    before = run.app.receivers(logout), run.app.receivers(quitting)
    ending = CleanExit(run.app, lambda: ended.append("end"), run.keep_under_way)
    try:
        assert (run.app.receivers(logout), run.app.receivers(quitting)) == (
            before[0] + 1,
            before[1] + 1,
        )
        flow = run.window.flow
        flow.start_breathing(PLAN, "Coherent breathing", ask_where=False)
        flow.before_confirmed(5, 6)
        assert flow.session_under_way
        session_id = flow.session.session_id
        ending._logging_out(None)  # the desktop is logging out (commitDataRequest)
        assert not flow.session_under_way
        assert ended == []  # the desktop may still cancel: only kept, not ended
    finally:
        ending.uninstall()
    assert (run.app.receivers(logout), run.app.receivers(quitting)) == before
    assert sessions_in_file_alone(folder, tmp_path) == 1
    assert run.store.sessions.get(session_id).status.value == "interrupted"


def test_what_start_up_writes_is_in_the_file_alone_once_started(
    qtbot: Any,
    startup: Any,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    session_id = unfinished_session(folder)  # a crash left it in progress
    run = startup(folder)
    assert run.open() is None
    qtbot.waitUntil(lambda: run.started, timeout=10_000)
    assert sessions_in_file_alone(folder, tmp_path) == 1
    with closing(sqlite3.connect(tmp_path / "copied" / DB_FILENAME)) as conn:
        [status] = conn.execute("SELECT status FROM sessions WHERE id = ?", [session_id]).fetchone()
    assert status == "interrupted"  # closed at start, and in the file, not only in the -wal
