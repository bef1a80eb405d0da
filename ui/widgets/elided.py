"""A one-line label that ends in "..." rather than push its window wider."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel


class ElidedLabel(QLabel):
    """Shows as much of its text as fits, then "..."; the whole text is its tooltip and its
    accessible name, so nothing is lost to a screen reader."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._full = ""
        self.set_full_text(text)

    def full_text(self) -> str:
        """The whole text (the label may show it shortened)."""
        return self._full

    def set_full_text(self, text: str) -> None:
        """Show ``text``, shortened to fit."""
        if text == self._full and text:
            return
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()
        self.updateGeometry()

    def _elide(self) -> None:
        self.setText(
            self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        )

    def sizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().horizontalAdvance(self._full) + 2, super().sizeHint().height()
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().horizontalAdvance("Abc..."), super().minimumSizeHint().height()
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._elide()
