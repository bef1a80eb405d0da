"""Tests for ui/shell/display.py: with no desktop to open a window on, the app says so in one
line and ends with status 2, not with Qt's "Reinstalling the application may fix this problem"
and an abort; nothing is written to the data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.safety.paths import ENV_DATA_DIR
from ui.shell.display import NO_DISPLAY_EXIT, display_problem

REPO = Path(__file__).resolve().parents[2]


def _start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", ENV_DATA_DIR}
    }
    environ.update({"PYTHONPATH": str(REPO), **env})
    return subprocess.run(
        [sys.executable, "-m", "ui", "--data-dir", str(tmp_path / "data")],
        env=environ,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == NO_DISPLAY_EXIT, result.stderr
    assert "Reinstalling" not in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("safesignal: Safe Signal could not open its window: ")
    return result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="DISPLAY is how Linux finds X")
def test_no_desktop_at_all_is_said_in_one_line(tmp_path: Path):
    line = _one_line(_start(tmp_path))
    assert "neither DISPLAY nor WAYLAND_DISPLAY is set" in line
    assert "safesignal-cli" in line
    assert not (tmp_path / "data").exists()  # nothing made before the window could open


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="DISPLAY is how Linux finds X")
def test_a_desktop_that_cannot_be_reached_is_named(tmp_path: Path):
    line = _one_line(_start(tmp_path, DISPLAY=":9731", QT_QPA_PLATFORM="xcb"))
    assert "the desktop at display :9731 could not be reached" in line


def test_a_display_plugin_qt_lacks_names_the_setting(tmp_path: Path):
    line = _one_line(_start(tmp_path, QT_QPA_PLATFORM="no-such-screen"))
    assert "QT_QPA_PLATFORM asks for a display plugin this Qt does not have" in line
    assert "(no-such-screen)" in line


def test_a_plugin_that_would_not_load_gives_qts_own_reason():
    said = ['Could not load the Qt platform plugin "xcb" in "" even though it was found.']
    line = display_problem(said, {"DISPLAY": ":0"})
    assert 'Qt could not load its display plugin (Could not load the Qt platform plugin "xcb"' in (
        line
    )
    assert "Quick start lists the system libraries" in line
