"""The icons and the launcher entry: the app's SVG loads and draws, it is found in a checkout and in
the installed layout, and the .desktop file has what the freedesktop spec asks for; every line
icon loads and is tinted in each theme's colours; and no button shows one of Qt's stock icons,
even on a desktop that would give them."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QWidget,
)

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


# -- the line icons ---------------------------------------------------------------------------------

LINE_FOLDER = REPO / "resources" / "icons" / "line"


def test_every_line_icon_has_its_file_and_every_file_is_listed() -> None:
    from ui.common.icons import LINE_ICONS, line_icon_path

    assert {p.stem for p in LINE_FOLDER.glob("*.svg")} == set(LINE_ICONS)
    for name in LINE_ICONS:
        assert line_icon_path(name).is_file()
    for needed in (
        "play", "pause", "stop", "sound_on", "sound_off", "history", "settings", "info",
        "back", "help", "keys", "edit", "duplicate", "delete", "add", "report", "export",
        "profile",
    ):  # fmt: skip
        assert needed in LINE_ICONS


@pytest.mark.parametrize("path", sorted(LINE_FOLDER.glob("*.svg")), ids=lambda p: p.stem)
def test_each_line_icon_is_plain_svg_drawn_in_black_strokes(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("version") == "1.1"
    assert root.get("viewBox") == "0 0 24 24"
    assert (root.find(f"{SVG_NS}title").text or "").strip()
    text = path.read_text(encoding="utf-8")
    for unsupported in ("<filter", "<mask", "<foreignObject", "<image", "<script", "<text"):
        assert unsupported not in text
    colours = set(re.findall(r"#[0-9a-fA-F]{6}", text))
    assert colours == {"#000000"}  # one ink, tinted when drawn


def drawn_colours(image: QImage) -> tuple[set[tuple[int, int, int]], int]:
    """The colours of the pixels drawn solidly (the edges' faint pixels are rounded off in
    premultiplied alpha), and how many pixels are drawn at all."""
    found: set[tuple[int, int, int]] = set()
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() > 0:
                count += 1
            if colour.alpha() >= 160:
                found.add((colour.red(), colour.green(), colour.blue()))
    return found, count


def rgb(colour: str) -> tuple[int, int, int]:
    c = QColor(colour)
    return c.red(), c.green(), c.blue()


def all_in(colours: set[tuple[int, int, int]], colour: str) -> bool:
    """Every colour in ``colours`` is ``colour`` (to within rounding)."""
    want = rgb(colour)
    return bool(colours) and all(
        all(abs(a - b) <= 2 for a, b in zip(c, want, strict=True)) for c in colours
    )


@pytest.mark.parametrize("theme_name", ["light", "dark", "high_contrast"])
def test_every_line_icon_loads_and_is_tinted_in_the_theme(qapp, ticker, theme_name) -> None:
    from ui.common.icons import ICON_NAME_PREFIX, LINE_ICONS, ON_ACCENT, icon
    from ui.common.theme import LIGHT, THEMES, apply_theme

    theme = THEMES[theme_name]
    apply_theme(qapp, theme)
    try:
        for name in LINE_ICONS:
            made = icon(name)
            assert not made.isNull()
            assert made.name() == ICON_NAME_PREFIX + name
            colours, count = drawn_colours(made.pixmap(24, 24).toImage())
            assert count > 20, f"{name} draws (almost) nothing"
            assert all_in(colours, theme.text), name  # every drawn pixel: the text colour
        disabled = icon("play").pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage()
        assert all_in(drawn_colours(disabled)[0], theme.disabled_text)
        checked = icon("play").pixmap(QSize(24, 24), QIcon.Mode.Normal, QIcon.State.On)
        assert all_in(drawn_colours(checked.toImage())[0], theme.accent_text)
        on_accent = icon("play", ON_ACCENT).pixmap(24, 24).toImage()
        assert all_in(drawn_colours(on_accent)[0], theme.accent_text)
    finally:
        apply_theme(qapp, LIGHT)


def test_an_icon_follows_a_change_of_theme(qapp, ticker) -> None:
    from ui.common.icons import icon
    from ui.common.theme import DARK, LIGHT, apply_theme

    made = icon("history")
    apply_theme(qapp, DARK)
    try:
        assert all_in(drawn_colours(made.pixmap(24, 24).toImage())[0], DARK.text)
    finally:
        apply_theme(qapp, LIGHT)
    assert all_in(drawn_colours(made.pixmap(24, 24).toImage())[0], LIGHT.text)


def test_icons_are_sharp_on_dense_screens(qapp, ticker) -> None:
    from ui.common.icons import icon

    pixmap = icon("add").pixmap(QSize(24, 24), 2.0)
    assert pixmap.devicePixelRatio() == 2.0
    assert pixmap.width() == 48  # drawn at twice the size, not scaled up


# -- no stock icons ---------------------------------------------------------------------------------


class DesktopLikeStyle(QProxyStyle):
    """Fusion as some desktops set it up: dialog buttons with icons, and Qt's stock pictures
    (drawn here in pure red, so any that gets through is seen)."""

    RED = QColor(255, 0, 0)

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def styleHint(self, hint, option=None, widget=None, returnData=None) -> int:  # noqa: N803
        if hint is QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 1
        return super().styleHint(hint, option, widget, returnData)

    def standardIcon(self, which, option=None, widget=None) -> QIcon:
        pixmap = QPixmap(32, 32)
        pixmap.fill(self.RED)
        return QIcon(pixmap)


@pytest.fixture
def desktop_style(qapp, ticker):
    """The app's style over a desktop that likes stock icons on buttons (as the generic Linux
    desktop does); the usual style comes back afterwards."""
    from ui.common.theme import LIGHT, _Style, apply_theme

    qapp.setStyle(_Style(DesktopLikeStyle()))
    apply_theme(qapp, LIGHT)
    yield
    qapp.setStyle(_Style())
    apply_theme(qapp, LIGHT)


def stock_icons(root: QWidget) -> list[str]:
    """Every button under ``root`` that shows an icon not drawn by us."""
    from ui.common.icons import ICON_NAME_PREFIX

    found = []
    for button in root.findChildren(QAbstractButton):
        shown = button.icon()
        if not shown.isNull() and not shown.name().startswith(ICON_NAME_PREFIX):
            found.append(f"{type(root).__name__}: {button.text()!r}")
    return found


def is_red(image: QImage) -> bool:
    return any(
        image.pixelColor(x, y) == DesktopLikeStyle.RED
        for y in range(image.height())
        for x in range(image.width())
    )


def test_the_desktop_style_would_show_stock_icons(qtbot, qapp, ticker) -> None:
    """The check below can fail: under this style alone, dialog buttons get stock icons."""
    qapp.setStyle(DesktopLikeStyle())
    try:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        qtbot.addWidget(buttons)
        assert stock_icons(buttons) != []
    finally:
        from ui.common.theme import LIGHT, _Style, apply_theme

        qapp.setStyle(_Style())
        apply_theme(qapp, LIGHT)


def test_no_dialog_button_shows_a_stock_icon(qtbot, desktop_style, window) -> None:
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from ui.common.dialogs import message_box, typed_confirmation
    from ui.shell.recover_db import DamagedDatabaseDialog

    boxes: list[QWidget] = []
    for kind in (QMessageBox.Icon.Question, QMessageBox.Icon.Warning, QMessageBox.Icon.Information):
        boxes.append(message_box(None, kind, "Title", "Words")[0])
    boxes.append(typed_confirmation(None, "Delete?", "Gone for good.", "Robin", "Delete")[0])
    standard = QMessageBox(
        QMessageBox.Icon.Critical,
        "Could not start",
        "Words",
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
    )  # as QMessageBox.critical and .warning would make them
    boxes.append(standard)
    asking = QInputDialog()  # Dialogs.ask_text and Dialogs.choose
    asking.setLabelText("Name")
    boxes.append(asking)
    every = QDialogButtonBox.StandardButton
    all_kinds = QDialogButtonBox(
        every.Ok | every.Cancel | every.Apply | every.Close | every.Yes | every.No | every.Save
        | every.Discard | every.Help | every.Reset | every.Open | every.Abort | every.Retry
    )  # fmt: skip
    boxes.append(all_kinds)
    boxes.append(DamagedDatabaseDialog("The database is damaged.", []))
    for box in boxes:
        qtbot.addWidget(box)
    window.open_settings()
    window.profiles_action.trigger()
    assert window.settings_dialog is not None
    assert window.profiles.dialog is not None
    boxes += [window.settings_dialog, window.profiles.dialog]
    found = [problem for box in boxes for problem in stock_icons(box)]
    assert found == []
    # The message boxes' own symbols are ours too, not the desktop's red stand-ins.
    for box in boxes:
        if isinstance(box, QMessageBox):
            assert not box.iconPixmap().isNull()
            assert not is_red(box.iconPixmap().toImage())


def test_the_file_dialog_buttons_show_our_icons(qtbot, desktop_style) -> None:
    from PySide6.QtWidgets import QFileDialog

    chooser = QFileDialog(None, "Export", str(REPO))
    chooser.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(chooser)
    assert chooser.findChildren(QAbstractButton)
    assert stock_icons(chooser) == []
