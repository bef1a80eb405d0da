"""The exercise list's item roles and the delegate that paints one exercise in it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui.common.theme import current_theme

DESCRIPTION_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
OWN_ROLE = Qt.ItemDataRole.UserRole + 3  # True for the person's own patterns
ID_ROLE = Qt.ItemDataRole.UserRole

OWN_BADGE = "Your pattern"


class ExerciseDelegate(QStyledItemDelegate):
    """Paints an exercise as a bold title, its description, and its rate and length."""

    PADDING = 12

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        title = option.fontMetrics.height() * 1.25
        line = option.fontMetrics.height()
        return QSize(300, int(title + 2 * line + 2 * self.PADDING + 8))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        theme = current_theme()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, QColor(theme.accent))
        text_colour = QColor(theme.accent_text if selected else theme.text)
        detail_colour = QColor(theme.accent_text if selected else theme.muted_text)
        inner = rect.adjusted(self.PADDING, self.PADDING // 2, -self.PADDING, -self.PADDING // 2)

        title_font = QFont(option.font)
        title_font.setPointSizeF(option.font.pointSizeF() * 1.2)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title_height = painter.fontMetrics().height()
        title = str(index.data())
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft, title)
        if index.data(OWN_ROLE):
            self._paint_badge(
                painter,
                option,
                inner.left() + painter.fontMetrics().horizontalAdvance(title),
                inner.top(),
                title_height,
                selected,
            )

        painter.setFont(option.font)
        line = painter.fontMetrics().height()
        description_rect = inner.adjusted(0, title_height + 2, 0, 0)
        description = painter.fontMetrics().elidedText(
            str(index.data(DESCRIPTION_ROLE)), Qt.TextElideMode.ElideRight, description_rect.width()
        )
        painter.setPen(text_colour)
        painter.drawText(description_rect, Qt.AlignmentFlag.AlignLeft, description)
        painter.setPen(detail_colour)
        detail = painter.fontMetrics().elidedText(
            str(index.data(DETAIL_ROLE)), Qt.TextElideMode.ElideRight, description_rect.width()
        )
        painter.drawText(
            inner.adjusted(0, title_height + line + 4, 0, 0), Qt.AlignmentFlag.AlignLeft, detail
        )
        if option.state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QColor(theme.accent_text if selected else theme.accent))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()

    @staticmethod
    def _paint_badge(
        painter: QPainter,
        option: QStyleOptionViewItem,
        left: int,
        top: int,
        title_height: int,
        selected: bool,
    ) -> None:
        """A small rounded "Your pattern" tag after the title."""
        theme = current_theme()
        font = QFont(option.font)
        font.setPointSizeF(option.font.pointSizeF() * 0.85)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width = metrics.horizontalAdvance(OWN_BADGE) + 14
        height = metrics.height() + 2
        badge = QRectF(left + 12, top + (title_height - height) / 2, width, height)
        painter.setPen(QColor(theme.accent_text if selected else theme.accent))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, OWN_BADGE)
