"""Tests for the app's care of the write-ahead log (ui/shell/app.py): a checkpoint at a quiet
moment after sessions are saved, and a clean close on SIGTERM / SIGHUP or a session logout
that keeps a session under way as interrupted, with the database file alone holding it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from tests.trainer.store.test_wal import save_sessions, sessions_in_file_alone
from tests.ui.test_startup import startup  # noqa: F401 - a fixture
from trainer.app.profile import Change
from trainer.store.store import Store
from ui.shell.app import QuietCheckpoints


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
