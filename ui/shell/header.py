"""The window's frame: the pages under a header with the Breathing | Attention switch (over the
two exercise lists only), whose practice this is, the Menu button and the demonstration banner;
all of it in one column that stops at a readable width on a wide screen, centred."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.keys import key_tip
from ui.common.theme import SCREEN_MARGINS_PX, Space
from ui.shell.profiles import ProfileBar
from ui.shell.screens import PageArea, PageStack
from ui.widgets.action_page import CentredColumn, centre

# The widest the window's content grows (logical px): on a wide screen it stays this wide,
# centred, rather than stretch lines and rows across a 4K screen.
MAX_CONTENT_WIDTH_PX = 1280

DEMO_BANNER_TEXT = "Demonstration: nothing is recorded"
DEMO_BANNER_TIP = "No ratings are asked and nothing is kept. Ctrl+Shift+D goes back to recording."
END_DEMO_TEXT = "End demonstration"
SWITCH_STYLE = (
    "QPushButton[segment] { border-radius: 0; padding: 6px 14px; }"
    'QPushButton[segment="breathing"] {'
    " border-top-left-radius: 6px; border-bottom-left-radius: 6px; }"
    'QPushButton[segment="attention"] {'
    " border-top-right-radius: 6px; border-bottom-right-radius: 6px; }"
)


class DemoBanner(QFrame):
    """The strip that says a demonstration is on, with the button that ends it: it stays
    in sight from one demonstration to the next, so no one's practice is left unrecorded."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("demoBanner")
        self.setAccessibleName("Demonstration mode is on")
        self.setAccessibleDescription(DEMO_BANNER_TIP)
        self.label = QLabel(DEMO_BANNER_TEXT)
        self.label.setWordWrap(True)
        self.label.setToolTip(DEMO_BANNER_TIP)
        self.end_button = QPushButton(END_DEMO_TEXT)
        key_tip(self.end_button, "Go back to recording", "Ctrl+Shift+D")
        self.end_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Enter stays with the page
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 4, 4, 4)
        row.setSpacing(Space.M)
        row.addWidget(self.label, 1)
        row.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignVCenter)
        # A quiet strip, clear without shouting: the page's text on the card colour, marked at
        # its left edge with the accent (palette roles, so it follows a change of theme).
        self.setStyleSheet(
            "QFrame#demoBanner { background: palette(base); color: palette(text);"
            " border-left: 4px solid palette(highlight);"  # the page's margins either side
            f" margin: {Space.S}px {SCREEN_MARGINS_PX[2]}px 0 {SCREEN_MARGINS_PX[0]}px; }}"
        )

    def text(self) -> str:
        """What the strip says."""
        return self.label.text()


class Header(QWidget):
    """The header over ``stack``; emits ``exercises_chosen(0 or 1)`` from the switch and
    ``end_demonstration`` from the banner's button."""

    exercises_chosen = Signal(int)  # 0: breathing, 1: attention
    end_demonstration = Signal()

    def __init__(self, parent: QWidget, stack: PageStack, first: QWidget) -> None:
        super().__init__(parent)
        self.switch = QWidget()
        row = QHBoxLayout(self.switch)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.buttons = QButtonGroup(self)
        for index, (name, text) in enumerate(
            (("breathing", "Breathing"), ("attention", "Attention"))
        ):
            button = QPushButton(text)
            key_tip(button, f"{text} exercises", f"Ctrl+{index + 1}")
            button.setCheckable(True)
            button.setProperty("segment", name)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAccessibleName(f"{name.capitalize()} exercises")
            bold = QFont(button.font())
            bold.setBold(True)  # the chosen one is bold: leave it room
            button.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(text) + 32)
            self.buttons.addButton(button, index)
            row.addWidget(button)
        row.addStretch(1)
        self.switch.setStyleSheet(SWITCH_STYLE)
        self.buttons.idClicked.connect(self.exercises_chosen)
        self.profile_bar = ProfileBar()
        self.menu_button = QPushButton("Menu")
        self.menu_button.setAccessibleName("Main menu")
        self.menu_button.setToolTip("Settings, profiles, presentation mode and help (F10)")
        header = QHBoxLayout()
        header.setContentsMargins(SCREEN_MARGINS_PX[0], Space.M, SCREEN_MARGINS_PX[2], 0)
        header.addWidget(self.switch)
        header.addStretch(1)
        header.addWidget(self.profile_bar)
        header.addWidget(self.menu_button)
        self.demo_banner = DemoBanner()
        self.demo_banner.end_button.clicked.connect(self.end_demonstration)
        self.demo_banner.hide()
        self.pages = PageArea(stack)
        column = CentredColumn(MAX_CONTENT_WIDTH_PX)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.pages, 1)
        centre(self, column)
        # Tab goes through the first page (ending at ``first``), then the header, then round.
        chain = (
            first,
            self.buttons.button(0),
            self.buttons.button(1),
            self.profile_bar.choice,
            self.profile_bar.manage,
        )
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
