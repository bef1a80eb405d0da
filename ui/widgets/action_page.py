"""A screen's page that fits any window: what it shows scrolls, its main actions stay in sight.

Small screens (1024x600 under a title bar, 1366x768 at 125%) leave about 500 px for a screen: the
content goes in a scroll area that asks for no height of its own, and the row of main actions
(Begin practice, Save, Pause / End...) is pinned below it, outside the scroll. On a wide screen
both keep a readable width, centred, rather than stretch across it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from ui.common.theme import SCREEN_MARGINS_PX

MARGIN_PX = SCREEN_MARGINS_PX[0]  # the screens' margins (as ui.common.theme.screen_layout)
TOP_PX = SCREEN_MARGINS_PX[1]
BOTTOM_PX = SCREEN_MARGINS_PX[3]
NO_LIMIT_PX = 16_777_215  # Qt's QWIDGETSIZE_MAX: as wide as the window


class ActionPage:
    """Lays out ``screen`` as a scrolling ``content`` column over a pinned ``actions`` row.

    ``max_width_px`` bounds both (centred). With ``follow``, the actions come right after the
    content when there is room (a form: no gap between the last answer and Continue on a tall
    screen), else the content fills the height (a body map that grows) over them.
    """

    def __init__(
        self,
        screen: QWidget,
        *,
        spacing: int = 12,
        max_width_px: int = NO_LIMIT_PX,
        margins: tuple[int, int, int, int] = (MARGIN_PX, TOP_PX, MARGIN_PX, BOTTOM_PX),
        follow: bool = False,
    ) -> None:
        left, top, right, bottom = margins
        outer = QVBoxLayout(screen)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        self.body = _Body()
        self.body.setObjectName("actionPageBody")
        self.body.setAutoFillBackground(False)
        self.content = QVBoxLayout()
        self.content.setContentsMargins(0, 0, 0, 0)
        self.content.setSpacing(spacing)
        _centred(self.body, self.content, max_width_px, (left, top, right, spacing // 2))
        self.scroll = ContentArea(self.body)
        outer.addWidget(self.scroll, 0 if follow else 1)

        self.actions_bar = QWidget()
        self.actions_bar.setObjectName("actionPageActions")
        self.actions = QHBoxLayout()
        self.actions.setContentsMargins(0, 0, 0, 0)
        _centred(self.actions_bar, self.actions, max_width_px, (left, spacing // 2, right, bottom))
        outer.addWidget(self.actions_bar)
        if follow:
            outer.addStretch(1)


class ContentArea(QScrollArea):
    """Scrolls ``body`` when the room is short, and asks for the height ``body`` would like at
    its width (a plain scroll area asks for at most 24 lines, whatever it holds)."""

    def __init__(self, body: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to what is in it
        self.viewport().setAutoFillBackground(False)  # the screen's own background shows
        self.setWidget(body)
        self._body = body

    def sizeHint(self) -> QSize:
        body = self._body
        hint = body.sizeHint()
        layout = body.layout()
        wrapped = layout is not None and layout.hasHeightForWidth()
        height = layout.heightForWidth(self.width()) if layout is not None and wrapped else -1
        return QSize(hint.width(), height if height > 0 else hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the words wrap anew: the height wanted changes


class _Body(QWidget):
    """What a :class:`ContentArea` scrolls. Asked its height for a width (as the scroll area
    does, to size it), it gives the least it needs: the words wrapped at that width, a map or
    pacer at its smallest. So it fills the room there is, and scrolls only when that is less
    (Qt would give it the height it would like, and scroll the rest: a shrinking map never
    shrank)."""

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return -1
        return layout.totalMinimumHeightForWidth(width)


class CentredColumn(QWidget):
    """A column at most ``max_width_px`` wide that, put in a row with :func:`centre`, takes the
    whole width below that and stays centred above it."""

    def __init__(self, max_width_px: int) -> None:
        super().__init__()
        self.setMaximumWidth(max_width_px)

    def sizeHint(self) -> QSize:
        # As wide as allowed: a centred item gets its size hint's width, bounded by the room.
        hint = super().sizeHint()
        return QSize(max(hint.width(), self.maximumWidth()), hint.height())


def centre(widget: QWidget, column: QWidget) -> None:
    """Lay out ``widget`` as one row holding ``column`` centred (and no wider than allowed)."""
    row = QHBoxLayout(widget)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(0)
    if column.maximumWidth() >= NO_LIMIT_PX:
        row.addWidget(column)
    else:
        row.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)


def _centred(
    widget: QWidget,
    inner: QVBoxLayout | QHBoxLayout,
    max_width_px: int,
    margins: tuple[int, int, int, int],
) -> None:
    """Put ``inner`` in ``widget``, at most ``max_width_px`` wide (margins included), centred."""
    column = CentredColumn(max_width_px)
    column.setLayout(inner)
    inner.setContentsMargins(*margins)
    centre(widget, column)
