"""Where file dialogs keep their state (issue 17): Qt's own file dialog writes the folders last
visited (the export and rescue folders) to ``~/.config/QtProject.conf``, readable by everyone;
the app keeps Qt's state in its private data folder and its last folders in its own settings."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from trainer.app.profile import ProfileInUse
from trainer.content.catalog import load_catalog
from trainer.store.store import Store
from ui.common.dialogs import Dialogs
from ui.shell.file_actions import FileActions

REPO = Path(__file__).resolve().parents[2]

_DIALOG = """
import sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from ui.common.dialogs import Dialogs, keep_qt_state_in

app = QApplication(["safesignal"])
if sys.argv[1] == "private":
    keep_qt_state_in(Path(sys.argv[2]))

def close() -> None:
    for widget in app.topLevelWidgets():
        if isinstance(widget, QFileDialog):
            widget.reject()

QTimer.singleShot(300, close)
Dialogs.save_file(None, "Export sessions", sys.argv[3] + "/a.json", "JSON (*.json)")
"""


def _dialog(tmp_path: Path, how: str) -> Path:
    """Show and close an export dialog in a fresh process; return its config folder."""
    config, home, data, exports = (tmp_path / how / name for name in ("cfg", "home", "d", "x"))
    for folder in (config, home, data, exports):
        folder.mkdir(parents=True, mode=0o700)
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(config),
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
    }
    subprocess.run(
        [sys.executable, "-c", _DIALOG.format(repo=str(REPO)), how, str(data), str(exports)],
        env=env,
        cwd=str(tmp_path),
        check=True,
        timeout=60,
        capture_output=True,
    )
    return config


def test_the_file_dialog_writes_nothing_to_the_shared_config_folder(tmp_path: Path) -> None:
    # Without the app's setting, Qt writes it (so this test can tell the difference):
    assert (_dialog(tmp_path, "plain") / "QtProject.conf").exists()

    config = _dialog(tmp_path, "private")

    assert list(config.rglob("*")) == []
    kept = tmp_path / "private" / "d" / "QtProject.conf"  # in the data folder (0700) instead
    assert str(tmp_path / "private" / "x") in kept.read_text()


def test_the_last_export_folder_is_kept_in_the_apps_settings(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, chosen = tmp_path / "home", tmp_path / "exports"
    home.mkdir()
    chosen.mkdir()
    monkeypatch.setenv("HOME", str(home))
    store = Store.open_in(tmp_path / "data")
    profile = ProfileInUse(store, store.profiles.default_id(), load_catalog())
    suggested: list[str] = []
    answers = [str(chosen / "mine.json"), ""]  # the person chooses a folder, then cancels

    def save_file(parent: object, title: str, suggestion: str, kinds: str) -> str:
        suggested.append(suggestion)
        return answers.pop(0)

    def open_file(parent: object, title: str, folder: str, kinds: str) -> str:
        suggested.append(folder)
        return ""

    monkeypatch.setattr(Dialogs, "save_file", save_file)
    monkeypatch.setattr(Dialogs, "open_file", open_file)
    monkeypatch.setattr(Dialogs, "info", lambda *_: None)
    parent = QWidget()
    qtbot.addWidget(parent)
    now = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    actions = FileActions(parent, profile, utc_now=lambda: now, tz=UTC)

    actions.export_history()  # the first time: the home folder
    assert Path(suggested[-1]).parent == home
    assert (chosen / "mine.json").is_file()
    actions.export_history()  # next time: where the person chose, from the app's settings
    assert Path(suggested[-1]).parent == chosen
    assert store.app_settings.get("last_folder_export", "") == str(chosen)
    actions.import_history(busy=False)  # each kind of file has its own folder
    assert Path(suggested[-1]) == home
    store.close()
