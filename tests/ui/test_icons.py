"""The icon and the launcher entry: the SVG loads and draws, it is found in a checkout and in the
installed layout, and the .desktop file has what the freedesktop spec asks for."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QIcon, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

import ui.common.icons
from trainer.content.catalog import resources_dir
from ui.common.icons import DRAWN_SIZES_PX, ICON_FILE, app_icon, icon_path

REPO = Path(__file__).resolve().parents[2]
DESKTOP = REPO / "resources" / "safesignal.desktop"
SVG_NS = "{http://www.w3.org/2000/svg}"


def desktop_entry() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_the_icon_is_in_the_resources_folder() -> None:
    assert icon_path() == resources_dir() / ICON_FILE
    assert icon_path().is_file()


def test_the_icon_is_plain_svg_1_1() -> None:
    root = ET.parse(icon_path()).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("version") == "1.1"
    assert root.get("viewBox") == "0 0 128 128"
    assert root.find(f"{SVG_NS}title").text == "Safe Signal"
    # Nothing Qt's SVG renderer (SVG Tiny) would leave out.
    text = icon_path().read_text(encoding="utf-8")
    for unsupported in ("<filter", "<mask", "<foreignObject", "<image", "<script"):
        assert unsupported not in text


def test_the_icon_draws_a_teal_disc_on_a_clear_background(qapp) -> None:
    renderer = QSvgRenderer(str(icon_path()))
    assert renderer.isValid()
    image = QImage(128, 128, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, 128, 128))
    painter.end()
    assert image.pixelColor(1, 1).alpha() == 0  # a corner stays transparent
    rim = image.pixelColor(64, 8)  # on the disc, outside the ring
    assert rim.alpha() == 255
    assert rim.green() > rim.red() + 40  # teal: green and blue well above red
    centre = image.pixelColor(64, 64)
    assert centre.lightness() > rim.lightness()  # the breath is the lightest part


def test_app_icon_is_not_null_and_draws(qapp) -> None:
    icon = app_icon()
    assert not icon.isNull()
    pixmap = icon.pixmap(32, 32)
    assert not pixmap.isNull()
    assert pixmap.toImage().pixelColor(16, 16).alpha() == 255


def test_a_missing_icon_gives_an_empty_one(qapp, tmp_path: Path) -> None:
    assert app_icon(tmp_path).isNull()


def test_without_the_svg_plugin_the_icon_is_drawn_here(qapp, monkeypatch) -> None:
    class NoPluginIcon(QIcon):
        """As QIcon where Qt cannot read SVG files: an icon from a file draws nothing."""

        def __init__(self, *args: object) -> None:
            super().__init__()

    monkeypatch.setattr(ui.common.icons, "QIcon", NoPluginIcon)
    icon = app_icon()
    assert not icon.isNull()
    assert sorted(s.width() for s in icon.availableSizes()) == sorted(DRAWN_SIZES_PX)
    assert icon.pixmap(48, 48).toImage().pixelColor(24, 24) != QColor(0, 0, 0, 0)


def test_the_icon_is_found_in_the_installed_layout(tmp_path: Path) -> None:
    """The wheel carries resources/ as trainer/_resources (pyproject's force-include)."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"] == {
        "resources": "trainer/_resources"
    }
    site = tmp_path / "site-packages"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "trainer", site / "trainer", ignore=ignore)
    shutil.copytree(REPO / "ui", site / "ui", ignore=ignore)
    shutil.copytree(REPO / "resources", site / "trainer" / "_resources")
    code = (
        "from ui.common.icons import icon_path, app_icon\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication([])\n"
        "print(icon_path())\n"
        "print(app_icon().isNull())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    where, null = done.stdout.split()
    assert Path(where) == site / "trainer" / "_resources" / ICON_FILE
    assert null == "False"


def test_the_desktop_file_has_the_required_keys() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Safe Signal"
    assert entry["GenericName"]
    assert entry["Comment"]
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert "MedicalSoftware" in entry["Categories"].split(";")
    # Exec is the command pip installs, Icon the name of our SVG.
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert entry["Exec"] in scripts["gui-scripts"]
    assert entry["Icon"] == Path(ICON_FILE).stem


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed"
)
def test_the_desktop_file_passes_the_freedesktop_validator() -> None:
    done = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""  # not even a hint
