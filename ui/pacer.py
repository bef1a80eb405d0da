"""The breathing pacer: a soft circle that grows on the in-breath and shrinks on the out-breath."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QRadialGradient
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.theme import current_theme

MIN_RADIUS_SHARE = 0.32  # the smallest circle, as a share of the largest


class CirclePacer(QWidget):
    """Draws the pacer level (0..1) it is given; it keeps no time of its own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level = 0.0
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Breathing pacer")
        self.setAccessibleDescription(
            "A circle that grows as you breathe in and shrinks as you breathe out."
        )

    @property
    def level(self) -> float:
        """The level last set, 0 (smallest) to 1 (largest)."""
        return self._level

    def set_level(self, level: float) -> None:
        """Show ``level`` (clamped to 0..1); repaints only when it changed."""
        level = min(1.0, max(0.0, level))
        if level != self._level:
            self._level = level
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 420)

    def radius_px(self) -> float:
        """The circle's radius in pixels at the current level and size."""
        largest = min(self.width(), self.height()) * 0.46
        smallest = largest * MIN_RADIUS_SHARE
        return smallest + (largest - smallest) * self._level

    def paintEvent(self, event: QPaintEvent) -> None:
        theme = current_theme()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre = QPointF(self.width() / 2, self.height() / 2)
        largest = min(self.width(), self.height()) * 0.46

        guide = QPen(QColor(theme.pacer_guide))
        guide.setWidthF(max(1.5, largest * 0.012))
        painter.setPen(guide)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, largest, largest)

        radius = self.radius_px()
        colour = QColor(theme.pacer)
        gradient = QRadialGradient(centre, radius)
        inner = QColor(colour).lighter(135)
        gradient.setColorAt(0.0, inner)
        gradient.setColorAt(1.0, colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(gradient)
        painter.drawEllipse(
            QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        )
        painter.end()
