"""The screenshot tour (docs/screenshots.py): it runs as one command and writes each screen at
the size asked for, and its check of the main actions sees a button off screen or hidden."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea, QVBoxLayout, QWidget

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "screenshots.py"


@pytest.fixture(scope="module")
def tour() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshot_tour", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["screenshot_tour"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_one_size_one_theme_two_screens(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--sizes",
            "1024x600",
            "--themes",
            "dark",
            "--screens",
            "home,where-it-hurts",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    folder = tmp_path / "1024x600-dark"
    written = sorted(path.name for path in folder.iterdir())
    assert written == ["02-home.png", "10-where-it-hurts.png"]
    for name in written:
        image = QImage(str(folder / name))
        assert (image.width(), image.height()) == (1024, 600), name
    assert "the step failed" not in done.stdout
    assert not (tmp_path / "report").exists()  # only what was asked for


def test_the_list_names_every_screen_once(tour: ModuleType) -> None:
    assert len(set(tour.NAMES)) == len(tour.NAMES)
    assert tour.file_name("home") == "02-home.png"
    wanted = {"welcome", "home", "focus-mode", "eyes-closed", "settings", "mini-pacer", "report"}
    assert wanted <= set(tour.NAMES)


def test_the_check_sees_a_button_off_screen_or_scrolled_away(
    qtbot, qapp: QApplication, tour: ModuleType
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    inside = QPushButton("Start", window)
    inside.setGeometry(10, 10, 80, 30)
    below = QPushButton("Save", window)
    below.setGeometry(10, 560, 80, 30)
    area = QScrollArea(window)
    area.setGeometry(200, 10, 200, 100)
    content = QWidget()
    column = QVBoxLayout(content)
    column.addSpacing(400)
    scrolled = QPushButton("Continue")
    column.addWidget(scrolled)
    area.setWidget(content)
    hidden = QPushButton("Pause", window)
    hidden.hide()
    window.resize(500, 600)
    window.show()
    qtbot.waitExposed(window)
    screen = tour.Tour(qapp, window, None, None, None, (500, 400))  # 500x400 below a title bar
    view = tour.View(
        window,
        actions=[
            tour.button(window, "missing_button"),
            ("Start", inside),
            ("Save", below),
            ("Continue", scrolled),
            ("Pause", hidden),
        ],
    )
    found = tour.misplaced(screen, view, (0, tour.TITLE_BAR_PX))
    assert [line.split(" ", 1)[0] for line in found] == ["no", "'Save'", "'Continue'", "'Pause'"]
    assert "off screen" in found[1]
    assert "partly hidden" in found[2]
    assert "hidden" in found[3]
    assert tour.misplaced(screen, tour.View(window, actions=[("Start", inside)]), (0, 30)) == []


def test_findings_are_said_once_per_screen_with_their_themes(tour: ModuleType) -> None:
    finding = tour.Finding
    lines = tour.summary(
        [
            finding("summary", "1024x600", "light", "'Save' is off screen"),
            finding("home", "1024x600", "light", "'Start' is off screen"),
            finding("home", "1024x600", "dark", "'Start' is off screen"),
        ]
    )
    assert lines == [
        "home at 1024x600 (light, dark): 'Start' is off screen",
        "summary at 1024x600 (light): 'Save' is off screen",
    ]
