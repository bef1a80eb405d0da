"""An import under way keeps the window busy (issue 17): while its file is read and its
sessions are added, the tray's "Start a 1-minute reset" and "Start last exercise" start nothing
and a due reminder waits, as while someone practises; after it, they work again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from tests.trainer.store.test_import_progress import write_export_file
from ui.shell.import_progress import ImportProgressDialog
from ui.shell.main_window import MainWindow


def test_the_window_is_busy_while_an_import_is_under_way(
    qtbot: QtBot, window: MainWindow, dialogs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ImportProgressDialog, "show_after_ms", 0)
    dialogs.open_path = str(write_export_file(tmp_path / "big.json", 1800))
    seen: dict[str, list[bool]] = {}

    def tick() -> None:  # the tray's menu, say, chosen while the import runs
        shown = [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
        if not shown:
            return
        stage = shown[0].labelText().split(" ", 1)[0]
        seen.setdefault(stage, []).append(window.busy())
        window.start_reset()
        window.start_last_exercise()

    timer = QTimer(window)
    timer.setInterval(0)
    timer.timeout.connect(tick)
    timer.start()
    assert not window.busy()

    window.import_action.trigger()
    timer.stop()

    assert dialogs.infos == ["Sessions imported: Added 1,800 sessions to the history of Me."]
    assert all(all(busy) for busy in seen.values())
    assert "Adding" in seen
    assert seen.keys() & {"Reading", "Checking"}  # both halves of it
    assert window.session is None  # nothing started during the import
    assert not window.busy()  # and the window is free again after it
    window.start_reset()
    assert window.session is not None
