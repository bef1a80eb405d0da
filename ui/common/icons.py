"""Safe Signal's icon, found in ``resources/icons`` in a checkout or inside the installed package."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from trainer.content.catalog import resources_dir

__all__ = ["ICON_FILE", "app_icon", "icon_path"]

_log = logging.getLogger(__name__)

ICON_FILE: Final = "icons/safesignal.svg"
DRAWN_SIZES_PX: Final = (16, 24, 32, 48, 64, 128, 256)  # if Qt's SVG icon plug-in is missing


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
