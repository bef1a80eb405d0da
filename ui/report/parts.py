"""The building blocks of the report's pages that every section uses: headings, paragraphs,
bullets, table heads and rows, and text laid out line by line so a long text can run on over
pages. Built on :class:`ui.report.layout.Kit`, which measures text on the PDF device."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QTextLayout, QTextOption

from ui.report.layout import ACCENT, BARS, INK, MUTED, RULE, SHADE, Block, Column, Kit


class Parts(Kit):
    """Makes the blocks sections are built from (the plots and the layout inherit these)."""

    def _heading(self, text: str, *, keep_lines: int = 2, new_page: bool = False) -> Block:
        before, after = self.mm(5), self.mm(1.5)
        line = self.metrics(self.heading_font).height()

        def paint(p: QPainter, y: float) -> None:
            p.setFont(self.heading_font)
            p.setPen(QColor(ACCENT))
            p.drawText(
                QRectF(0, y + before, self.width, line), int(Qt.AlignmentFlag.AlignLeft), text
            )

        keep = keep_lines * self.metrics(self.body_font).height()
        return Block(before + line + after, paint, keep=keep, new_page=new_page)

    def _paragraph(
        self, text: str, font: QFont, *, bar: bool = False, space_before: float = 0.0
    ) -> Block:
        indent = self.mm(3) if bar else 0.0
        width = self.width - indent
        text_h = self.text_height(font, width, text)
        top = self.mm(space_before)

        def paint(p: QPainter, y: float) -> None:
            if bar:
                p.fillRect(QRectF(0, y + top, self.mm(0.8), text_h + self.mm(0.4)), QColor(BARS))
            p.setFont(font)
            p.setPen(QColor(INK))
            flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
            p.drawText(QRectF(indent, y + top, width, text_h + 1), flags, text)

        return Block(top + text_h + self.mm(1.4), paint)

    def _bullet(self, text: str, *, font: QFont | None = None) -> Block:
        font = font or self.body_font
        indent = self.mm(4)
        width = self.width - indent
        text_h = self.text_height(font, width, text)

        def paint(p: QPainter, y: float) -> None:
            p.setFont(font)
            p.setPen(QColor(INK))
            flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
            p.drawText(QRectF(self.mm(1), y, indent, text_h), flags, "•")
            p.drawText(QRectF(indent, y, width, text_h + 1), flags, text)

        return Block(text_h + self.mm(1.2), paint)

    def _table_head(
        self, columns: Sequence[Column], font: QFont, *, space_before: float = 2
    ) -> Block:
        pad = self.mm(1)
        top = self.mm(space_before)
        text_h = max(self.text_height(font, col.width - 2 * pad, col.heading) for col in columns)
        height = top + text_h + 2 * pad

        def paint(p: QPainter, y: float) -> None:
            p.setFont(font)
            p.setPen(QColor(INK))
            x = 0.0
            for col in columns:
                flags = int(col.align | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap)
                p.drawText(
                    QRectF(x + pad, y + top + pad, col.width - 2 * pad, text_h), flags, col.heading
                )
                x += col.width
            p.setPen(QPen(QColor(INK), self.mm(0.3)))
            p.drawLine(QPointF(0, y + height), QPointF(self.width, y + height))

        return Block(height, paint)

    def _section_row(self, title: str) -> Block:
        pad = self.mm(1)
        text_h = self.text_height(self.small_bold, self.width - 2 * pad, title)
        height = text_h + 2 * pad

        def paint(p: QPainter, y: float) -> None:
            p.fillRect(QRectF(0, y, self.width, height), QColor(SHADE))
            p.setFont(self.small_bold)
            p.setPen(QColor(ACCENT))
            flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
            p.drawText(QRectF(pad, y + pad, self.width - 2 * pad, text_h + 1), flags, title)

        return Block(height, paint, keep=self.mm(6))

    def _cells_row(
        self,
        columns: Sequence[Column],
        cells: Sequence[str],
        *,
        font: QFont | None = None,
        muted: Sequence[bool] = (),
        shaded: bool = False,
    ) -> Block:
        """One row of a table, each cell wrapped in its column (muted cells in grey)."""
        pad = self.mm(1)
        font = font or self.small_font
        heights = [
            self.text_height(font, col.width - 2 * pad, text)
            for col, text in zip(columns, cells, strict=True)
        ]
        height = max(heights) + 2 * pad

        def paint(p: QPainter, y: float) -> None:
            if shaded:
                p.fillRect(QRectF(0, y, self.width, height), QColor(SHADE))
            p.setFont(font)
            x = 0.0
            for i, (col, text) in enumerate(zip(columns, cells, strict=True)):
                grey = i < len(muted) and muted[i]
                p.setPen(QColor(MUTED if grey else INK))
                flags = int(col.align | Qt.TextFlag.TextWordWrap)
                p.drawText(QRectF(x + pad, y + pad, col.width - 2 * pad, height), flags, text)
                x += col.width
            p.setPen(QPen(QColor(RULE), self.mm(0.15)))
            p.drawLine(QPointF(0, y + height), QPointF(self.width, y + height))

        return Block(height, paint)

    def _text_lines(
        self, text: str, font: QFont, *, indent: float = 0.0, colour: str = INK
    ) -> list[Block]:
        """``text`` wrapped to the page, one block per line, so it runs on over as many pages
        as it needs (its line breaks kept; nothing is cut)."""
        width = self.width - indent
        metrics = self.metrics(font)
        line_h = metrics.lineSpacing()
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        blocks: list[Block] = []
        for paragraph in text.split("\n"):
            layout = QTextLayout(paragraph, font, self.device)
            layout.setTextOption(option)
            layout.beginLayout()
            pieces: list[str] = []
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                start, length = line.textStart(), line.textLength()
                pieces.append(paragraph[start : start + length].rstrip())
            layout.endLayout()
            for piece in pieces or [""]:

                def paint(p: QPainter, y: float, piece: str = piece) -> None:
                    if piece:
                        p.setFont(font)
                        p.setPen(QColor(colour))
                        p.drawText(QPointF(indent, y + metrics.ascent()), piece)

                blocks.append(Block(line_h, paint))
        return blocks
