"""Words drawn centred and word-wrapped, as large as they fit, at an opacity (for a fade).

The attention screen's prompt and presentation mode's words and prompts are both this: every text
the widget is told it will show gets one size, so nothing jumps in size from one to the next, and
the fade is drawn in steps so a repaint happens only when the step changes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QResizeEvent
from PySide6.QtWidgets import QWidget

OPACITY_STEPS: Final = 64  # the fade is drawn in this many steps (a repaint only on a change)
SHRINK: Final = 0.93  # each try at fitting is this much smaller than the last
WRAP: Final = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)


def needed_size(font: QFont, width: float, texts: Sequence[str]) -> QSize:
    """The room ``texts`` need in ``font`` when wrapped at ``width`` pixels: the widest and the
    tallest of them."""
    metrics = QFontMetricsF(font)
    area = QRectF(0, 0, max(1.0, width), 1e6)
    w = h = 0.0
    for text in texts:
        box = metrics.boundingRect(area, WRAP, text)
        w, h = max(w, box.width()), max(h, box.height())
    return QSize(math.ceil(w), math.ceil(h))


class FadingText(QWidget):
    """The text, its opacity and the one size that suits every text it will show.

    A subclass says where the text goes (:meth:`text_area`) and how large it may be
    (:meth:`fit`), and paints with :meth:`paint_text` in its colour.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._text = ""
        self._opacity = 1.0
        self._fit_texts: tuple[str, ...] = ()
        self._fitted: QFont | None = None
        self.setAccessibleName(name)

    def text(self) -> str:
        """The text on show (it may be faded out)."""
        return self._text

    @property
    def opacity(self) -> float:
        """How visible the text is drawn, 0..1 (in steps of 1/64)."""
        return self._opacity

    def set_text(self, text: str) -> None:
        """Show ``text`` (a repaint only when it changes)."""
        if text != self._text:
            self._text = text
            self.setAccessibleName(text or self._name)
            if text not in self._fit_texts:
                self._fitted = None
            self.update()

    def set_opacity(self, opacity: float) -> None:
        """Draw the text ``opacity`` visible (0 hidden .. 1 full)."""
        stepped = round(max(0.0, min(1.0, opacity)) * OPACITY_STEPS) / OPACITY_STEPS
        if stepped != self._opacity:
            self._opacity = stepped
            self.update()

    def set_fit_texts(self, texts: Sequence[str]) -> None:
        """The texts the size must suit (every prompt or word it will show)."""
        self._fit_texts = tuple(texts)
        self.refit()

    def refit(self) -> None:
        """Work the size out again (after a change of room, font or largest size)."""
        self._fitted = None
        self.updateGeometry()
        self.update()

    def fitted_font(self) -> QFont:
        """The font the text is drawn in at the current size."""
        if self._fitted is None:
            self._fitted = self.fit()
        return self._fitted

    def texts(self) -> list[str]:
        """Every text the size must suit, the one on show among them."""
        return [t for t in (*self._fit_texts, self._text) if t]

    def fits(self, font: QFont) -> bool:
        """Whether every text fits the area in ``font``."""
        area = self.text_area()
        needed = needed_size(font, area.width(), self.texts())
        return needed.height() <= area.height() and needed.width() <= area.width() + 0.5

    def text_area(self) -> QRectF:
        """Where the text is drawn."""
        return QRectF(self.rect()).adjusted(4, 0, -4, 0)

    def fit(self) -> QFont:
        """The largest font in which every text fits."""
        raise NotImplementedError

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fitted = None

    def paint_text(self, colour: QColor) -> None:
        """Draw the text in ``colour`` at its opacity (called from a subclass's paintEvent)."""
        if not self._text or self._opacity <= 0:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setOpacity(self._opacity)
        painter.setFont(self.fitted_font())
        painter.setPen(colour)
        painter.drawText(self.text_area(), WRAP, self._text)
