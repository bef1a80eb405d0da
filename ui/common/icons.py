"""Safe Signal's icons: the app's own (``resources/icons/safesignal.svg``) and the set of line
icons drawn for it (``resources/icons/line/*.svg``), found in a checkout or inside the installed
package.

The line icons are simple rounded strokes on a 24-pixel grid, drawn in black in the files and
tinted when they are drawn: in the theme's text colour, its disabled colour for a control that
cannot be used, and the colour of text on the accent for a chosen (checked) button or a
selected row. They follow a change of theme by themselves. Use :func:`icon`::

    button.setIcon(icon("history"))
    primary(start_button).setIcon(icon("play", ON_ACCENT))

Qt's own stock pictures (message boxes, the file dialog's buttons) are replaced by these through
the app's style (:func:`standard_icon`).
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Final

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QStyle

from trainer.content.catalog import resources_dir
from ui.common.theme import current_theme

__all__ = [
    "ACCENT",
    "ICON_FILE",
    "ICON_NAME_PREFIX",
    "LINE_ICONS",
    "ON_ACCENT",
    "TEXT",
    "app_icon",
    "icon",
    "icon_path",
    "line_icon_path",
    "standard_icon",
    "tinted_pixmap",
]

_log = logging.getLogger(__name__)

ICON_FILE: Final = "icons/safesignal.svg"
LINE_ICON_FOLDER: Final = "icons/line"
DRAWN_SIZES_PX: Final = (16, 24, 32, 48, 64, 128, 256)  # if Qt's SVG icon plug-in is missing
ICON_NAME_PREFIX: Final = "safesignal-"  # QIcon.name() of every line icon: ours, not Qt's

# Every line icon, by name (the file is resources/icons/line/NAME.svg).
LINE_ICONS: Final = (
    "play",
    "pause",
    "stop",
    "sound_on",
    "sound_off",
    "history",
    "settings",
    "info",
    "help",
    "keys",
    "back",
    "forward",
    "up",
    "edit",
    "duplicate",
    "delete",
    "add",
    "report",
    "export",
    "import",
    "profile",
    "close",
    "check",
    "warning",
    "home",
    "menu",
    "folder_add",
    "list",
    "details",
    "focus",
    "breath",
    "attention",
)

TEXT: Final = "text"
ACCENT: Final = "accent"
ON_ACCENT: Final = "on_accent"
TONES: Final = (TEXT, ACCENT, ON_ACCENT)

_SP = QStyle.StandardPixmap
MESSAGE_BOX_ICONS: Final = (
    _SP.SP_MessageBoxInformation,
    _SP.SP_MessageBoxWarning,
    _SP.SP_MessageBoxCritical,
    _SP.SP_MessageBoxQuestion,
)
# Qt's stock pictures, each with the line icon drawn in its place (the app's style asks here).
STANDARD_ICONS: Final = {
    _SP.SP_MessageBoxInformation: "info",
    _SP.SP_MessageBoxWarning: "warning",
    _SP.SP_MessageBoxCritical: "warning",
    _SP.SP_MessageBoxQuestion: "help",
    _SP.SP_DialogOkButton: "check",
    _SP.SP_DialogApplyButton: "check",
    _SP.SP_DialogYesButton: "check",
    _SP.SP_DialogCancelButton: "close",
    _SP.SP_DialogCloseButton: "close",
    _SP.SP_DialogNoButton: "close",
    _SP.SP_DialogDiscardButton: "delete",
    _SP.SP_DialogHelpButton: "help",
    _SP.SP_DialogSaveButton: "export",
    _SP.SP_DialogOpenButton: "import",
    _SP.SP_DialogResetButton: "back",
    _SP.SP_TitleBarCloseButton: "close",
    _SP.SP_DockWidgetCloseButton: "close",
    _SP.SP_LineEditClearButton: "close",
    _SP.SP_ArrowBack: "back",
    _SP.SP_ArrowLeft: "back",
    _SP.SP_ArrowForward: "forward",
    _SP.SP_ArrowRight: "forward",
    _SP.SP_ArrowUp: "up",
    _SP.SP_FileDialogBack: "back",
    _SP.SP_FileDialogToParent: "up",
    _SP.SP_FileDialogNewFolder: "folder_add",
    _SP.SP_FileDialogListView: "list",
    _SP.SP_FileDialogDetailedView: "details",
    _SP.SP_FileDialogInfoView: "info",
    _SP.SP_FileDialogContentsView: "details",
    _SP.SP_MediaPlay: "play",
    _SP.SP_MediaPause: "pause",
    _SP.SP_MediaStop: "stop",
    _SP.SP_MediaVolume: "sound_on",
    _SP.SP_MediaVolumeMuted: "sound_off",
    _SP.SP_BrowserReload: "history",
}


def icon_path(root: Path | None = None) -> Path:
    """Where the icon is: under ``root``, by default the resources folder the catalog uses (the
    wheel carries ``resources/`` as ``trainer/_resources``)."""
    return (root or resources_dir()) / ICON_FILE


def app_icon(root: Path | None = None) -> QIcon:
    """The app's icon for windows, the tray and notifications (empty if the file is missing).

    Needs a QGuiApplication. Qt draws SVG icons through a plug-in; where a packaged build lacks
    it, the icon is drawn here at the usual sizes instead.
    """
    path = icon_path(root)
    if not path.is_file():
        _log.warning("the icon %s is missing", path)
        return QIcon()
    icon = QIcon(str(path))
    if not icon.pixmap(32, 32).isNull():
        return icon
    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        _log.warning("the icon %s could not be read", path)
        return QIcon()
    drawn = QIcon()
    for size in DRAWN_SIZES_PX:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        drawn.addPixmap(pixmap)
    return drawn


def line_icon_path(name: str, root: Path | None = None) -> Path:
    """Where the line icon ``name`` is (under ``root``, by default the resources folder)."""
    return (root or resources_dir()) / LINE_ICON_FOLDER / f"{name}.svg"


@cache
def _renderer(name: str) -> QSvgRenderer:
    """The line icon ``name``, read once (an unreadable file draws nothing, and says so)."""
    path = line_icon_path(name)
    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        _log.warning("the icon %s could not be read", path)
    return renderer


def tinted_pixmap(name: str, size: QSize, colour: QColor | str, ratio: float = 1.0) -> QPixmap:
    """The line icon ``name`` drawn ``size`` (device-independent pixels) in ``colour``."""
    pixmap = QPixmap(max(1, round(size.width() * ratio)), max(1, round(size.height() * ratio)))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    side = min(pixmap.width(), pixmap.height())  # square, centred
    box = QRectF((pixmap.width() - side) / 2, (pixmap.height() - side) / 2, side, side)
    _renderer(name).render(painter, box)
    # Keep the drawing's shape, take the colour: every drawn pixel becomes ``colour``.
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(pixmap.rect(), QColor(colour))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


class _LineIconEngine(QIconEngine):
    """Draws one line icon at any size, in the colours of the theme in use when it is drawn."""

    def __init__(self, name: str, tone: str) -> None:
        super().__init__()
        self._name = name
        self._tone = tone
        self._cache: dict[tuple[int, int, int, float, str], QPixmap] = {}

    def colour(self, mode: QIcon.Mode, state: QIcon.State) -> str:
        """The colour for a mode (disabled, selected...) and state (on: a checked button)."""
        theme = current_theme()
        if mode is QIcon.Mode.Disabled:
            return theme.disabled_text
        if self._tone == ON_ACCENT or mode is QIcon.Mode.Selected or state is QIcon.State.On:
            return theme.accent_text
        return theme.accent if self._tone == ACCENT else theme.text

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        colour = self.colour(mode, state)
        key = (size.width(), size.height(), int(mode.value), scale, colour)
        pixmap = self._cache.get(key)
        if pixmap is None:
            if len(self._cache) > 32:
                self._cache.clear()  # old themes and sizes
            pixmap = tinted_pixmap(self._name, size, colour, scale)
            self._cache[key] = pixmap
        return pixmap

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, ratio))

    def clone(self) -> QIconEngine:
        return _LineIconEngine(self._name, self._tone)

    def iconName(self) -> str:
        return ICON_NAME_PREFIX + self._name

    def key(self) -> str:
        return "safesignal-line"


def icon(name: str, tone: str = TEXT) -> QIcon:
    """The line icon ``name`` (one of :data:`LINE_ICONS`), tinted in the theme's colour for
    ``tone``: :data:`TEXT` (the text colour: most buttons), :data:`ACCENT` (a symbol that stands
    on its own, as in a message box) or :data:`ON_ACCENT` (the colour of text on the accent: a
    primary button). Needs a QGuiApplication when it is drawn."""
    if name not in LINE_ICONS:
        raise KeyError(f"no line icon called {name!r}")
    if tone not in TONES:
        raise ValueError(f"no icon tone called {tone!r}")
    return QIcon(_LineIconEngine(name, tone))


def standard_icon(which: QStyle.StandardPixmap) -> QIcon | None:
    """Our line icon in place of one of Qt's stock pictures, or None where we draw none. A
    message box's symbol is in the accent colour, calmer than the text's."""
    name = STANDARD_ICONS.get(which)
    if name is None:
        return None
    return icon(name, ACCENT if which in MESSAGE_BOX_ICONS else TEXT)
