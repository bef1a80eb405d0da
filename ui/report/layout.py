"""The parts the clinician's PDF report is built from: blocks that are never split across
pages, table columns, fonts and colours, and :class:`Kit`, which measures text on the PDF device.
Lengths are device units of the PDF writer (``RESOLUTION_DPI`` per inch); :meth:`Kit.mm` converts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPdfWriter

from trainer.analysis.report import ReportContent

RESOLUTION_DPI: Final = 300
MARGIN_MM: Final = 15.0
FOOTER_MM: Final = 9.0  # kept free at the foot of each page for the footer

# Printable: dark text on white, one restrained accent; before and after tell apart in grey too
# (filled dots and rings).
INK: Final = "#1a1a1a"
MUTED: Final = "#5a5a5a"
RULE: Final = "#c4c4c4"
SHADE: Final = "#f1f3f3"
ACCENT: Final = "#1f6f6b"  # before practice, and headings
AFTER: Final = "#b0561a"  # after practice
BARS: Final = "#8fb5b1"
BAND: Final = "#1f6f6b"


class Block:
    """A piece of a page that is never split: its height (device units) and how to paint it
    with its top at ``y``. ``repeat`` is painted first when the block starts a new page (a
    table's column heads); ``keep`` is room it needs below it on the same page (a heading keeps
    with what follows); ``new_page`` starts it on a fresh page."""

    __slots__ = ("height", "keep", "new_page", "paint", "repeat")

    def __init__(
        self,
        height: float,
        paint: Callable[[QPainter, float], None],
        *,
        repeat: Block | None = None,
        keep: float = 0.0,
        new_page: bool = False,
    ) -> None:
        self.height = height
        self.paint = paint
        self.repeat = repeat
        self.keep = keep
        self.new_page = new_page


@dataclass(frozen=True)
class Column:
    """A column of a table: its heading, width (device units) and alignment."""

    heading: str
    width: float
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


def make_font(point_size: float, *, bold: bool = False, italic: bool = False) -> QFont:
    """The sans-serif of this system at ``point_size``."""
    font = QFont()
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    font.setItalic(italic)
    return font


def make_narrow_font(point_size: float, *, bold: bool = False) -> QFont:
    """A condensed sans where one is installed (the session table has many columns)."""
    font = make_font(point_size, bold=bold)
    font.setFamilies(
        ["DejaVu Sans Condensed", "Arial Narrow", "Liberation Sans Narrow", *font.families()]
    )
    return font


class Kit:
    """What every part of the report is drawn with: the page's size in device units, the
    fonts, and text measured and cut to fit on the PDF device."""

    def __init__(self, content: ReportContent, writer: QPdfWriter) -> None:
        self.content = content
        self.device = writer
        self.unit = RESOLUTION_DPI / 25.4  # device units per millimetre
        self.width = float(writer.width())
        self.body_height = float(writer.height()) - self.mm(FOOTER_MM)
        self.title_font = make_font(17, bold=True)
        self.heading_font = make_font(12, bold=True)
        self.subheading_font = make_font(9.5, bold=True)
        self.body_font = make_font(9)
        self.small_font = make_font(8)
        self.small_bold = make_font(8, bold=True)
        self.small_italic = make_font(8, italic=True)
        self.axis_font = make_font(7)
        self.table_font = make_narrow_font(7.5)
        self.table_bold = make_narrow_font(7.5, bold=True)
        self.footer_font = make_font(7)
        self._metrics: dict[str, QFontMetricsF] = {}
        self._elided: dict[tuple[str, str, float], str] = {}

    # -- units and text --------------------------------------------------------------------------

    def mm(self, value: float) -> float:
        """Millimetres in device units."""
        return value * self.unit

    def metrics(self, font: QFont) -> QFontMetricsF:
        """The metrics of ``font`` on the PDF device (made once per font)."""
        key = font.key()
        found = self._metrics.get(key)
        if found is None:
            found = self._metrics[key] = QFontMetricsF(font, self.device)
        return found

    def text_height(self, font: QFont, width: float, text: str) -> float:
        """The height ``text`` takes when wrapped to ``width``."""
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        return self.metrics(font).boundingRect(QRectF(0, 0, width, 1e7), flags, text).height()

    def at_most(self, font: QFont, width: float, text: str, lines: int) -> str:
        """``text`` cut short (…) to wrap into at most ``lines`` lines of ``width``."""
        most = lines * self.metrics(font).lineSpacing() + 1
        if self.text_height(font, width, text) <= most:
            return text
        low, high = 0, len(text)
        while low < high:  # the longest start of the text that fits, with its …
            middle = (low + high + 1) // 2
            if self.text_height(font, width, text[:middle].rstrip() + "…") <= most:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + "…"

    def elide(self, font: QFont, text: str, width: float) -> str:
        """One line of ``text`` that fits ``width``, ending in … when cut (remembered, since a
        long history repeats the same titles and areas)."""
        key = (font.key(), text, width)
        found = self._elided.get(key)
        if found is None:
            line = " ".join(text.split())
            found = self.metrics(font).elidedText(line, Qt.TextElideMode.ElideRight, width)
            self._elided[key] = found
        return found
