"""The first-run welcome: what neuroplastic pain is, how the app helps, and a first exercise.

Two short screens. The first says, warmly, that pain is real and that a nervous system which keeps
sounding an alarm may learn to quieten it, and that these exercises are for pain a clinician has
checked. The second says how the app helps, that it is a practice tool and not medical advice, and
suggests a gentle breathing exercise. It ends with
``finished(exercise_id)`` (start that exercise) or ``finished(None)`` (not now).

:class:`WelcomeScreen` is a page the main window can show in its stack; :class:`WelcomeDialog`
holds the same page in a window of its own (for showing it again from Help during anything).
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from trainer.app.words import minutes_text, rate_text
from trainer.content.catalog import Catalog, Exercise
from ui.common.keys import click_focused_button, is_enter
from ui.common.theme import muted, scaled_font

__all__ = [
    "NOT_MEDICAL_ADVICE",
    "SUGGESTED_EXERCISE_ID",
    "WelcomeDialog",
    "WelcomeScreen",
    "suggested_exercise",
]

SUGGESTED_EXERCISE_ID: Final = "coherent-5-5"  # even 5-in, 5-out breaths: 6 a minute
TEXT_WIDTH_CHARS: Final = 64  # a comfortable line length for reading
SCROLL_BAR_ROOM_PX: Final = 24
SCROLL_KEYS: Final = {
    Qt.Key.Key_Up: QAbstractSlider.SliderAction.SliderSingleStepSub,
    Qt.Key.Key_Down: QAbstractSlider.SliderAction.SliderSingleStepAdd,
    Qt.Key.Key_PageUp: QAbstractSlider.SliderAction.SliderPageStepSub,
    Qt.Key.Key_PageDown: QAbstractSlider.SliderAction.SliderPageStepAdd,
    Qt.Key.Key_Home: QAbstractSlider.SliderAction.SliderToMinimum,
    Qt.Key.Key_End: QAbstractSlider.SliderAction.SliderToMaximum,
}

PAIN_TITLE: Final = "Welcome to Safe Signal"
PAIN_TEXT: Final = (
    "<p><b>Your pain is real.</b> Pain is the nervous system's way of protecting you, and "
    "usually it eases as the body heals.</p>"
    "<p>Sometimes the nervous system keeps sounding the alarm after the tissue has healed, like a "
    "smoke alarm that goes off when there is no fire. This is called <i>neuroplastic</i> pain. "
    "It is made by the same nerves and hurts just as much, and it often changes with stress, "
    "attention and mood.</p>"
    "<p>What the nervous system has learned, it can learn again. With gentle, regular practice "
    "it may learn to treat these sensations as less of a threat, and for many people the alarm "
    "slowly grows quieter.</p>"
    "<p><b>Not all lasting pain is neuroplastic.</b> Some pain is a sign of a condition that "
    "needs its own care, so these exercises are for pain a clinician has checked. If nobody has "
    "looked at your pain yet, please talk to a clinician first.</p>"
)
HELP_TITLE: Final = "How Safe Signal helps"
HELP_TEXT: Final = (
    "<ul>"
    "<li><b>Slow breathing.</b> A pacer shows an unhurried rhythm, about six breaths a minute, "
    "which helps the body settle.</li>"
    "<li><b>Attention exercises.</b> A soft light on a body map guides your attention: toward a "
    "sensation with curiosity and a sense of safety, or between an area that hurts and one that "
    "feels comfortable.</li>"
    "<li><b>Ratings before and after.</b> Each time you rate tension and pain from 0 to 10, so "
    "over the weeks you can see how your ratings move alongside your practice.</li>"
    "</ul>"
)
NOT_MEDICAL_ADVICE: Final = (
    "Safe Signal is a practice tool, not medical advice. Please keep working with your doctor "
    "or therapist, and see a clinician for pain that is new, severe or changing."
)


def suggested_exercise(catalog: Catalog) -> Exercise:
    """The gentle exercise to start with: coherent breathing, else the catalog's first."""
    try:
        return catalog.get(SUGGESTED_EXERCISE_ID)
    except KeyError:
        return catalog.exercises[0]


class _TextArea(QScrollArea):
    """One screen's text in a frameless area that scrolls only when the window is too small."""

    def __init__(self, content: QWidget, width_px: int) -> None:
        super().__init__()
        self._width_px = width_px
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the buttons; arrows scroll
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        """The whole text at the reading width (QScrollArea alone would guess smaller)."""
        content = self.widget()
        layout = content.layout() if content is not None else None
        assert layout is not None, "the text and its layout are set in __init__"
        return QSize(
            self._width_px + SCROLL_BAR_ROOM_PX, layout.totalHeightForWidth(self._width_px)
        )


def _text(html: str, *, width_px: int) -> QLabel:
    label = QLabel(html)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setMaximumWidth(width_px)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


class WelcomeScreen(QWidget):
    """Two short screens for a first start; ``finished`` carries the exercise to start or None."""

    finished = Signal(object)  # str (an exercise id to start) or None (not now)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exercise = suggested_exercise(catalog)
        self._minutes = catalog.default_minutes
        self.setAccessibleName("Welcome")
        width_px = self.fontMetrics().averageCharWidth() * TEXT_WIDTH_CHARS

        self.pages = QStackedWidget()
        self.pages.addWidget(_TextArea(self._pain_page(width_px), width_px))
        self.pages.addWidget(_TextArea(self._help_page(width_px), width_px))

        self.step = QLabel()
        muted(self.step)
        self.back_button = QPushButton("&Back")
        self.back_button.clicked.connect(self.back)
        self.not_now_button = QPushButton("Not now (Esc)")
        self.not_now_button.clicked.connect(self.not_now)
        self.next_button = QPushButton("&Next (Enter)")
        self.next_button.clicked.connect(self.next)
        self.start_button = QPushButton("Start this exercise (Enter)")
        self.start_button.clicked.connect(self.start)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.step)
        buttons.addStretch(1)
        buttons.addWidget(self.not_now_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.start_button)

        # Text and buttons as one block, centred in a big window, the text scrolling in a small one.
        block = QWidget()
        block.setMaximumWidth(width_px + SCROLL_BAR_ROOM_PX)
        block.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        column = QVBoxLayout(block)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(16)
        column.addWidget(self.pages, 1)
        column.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(block, 100)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        # Shortcuts, not keyPressEvent: a focused button would take the arrows to move focus.
        for key, action in SCROLL_KEYS.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(
                lambda action=action: self.current_scroll_bar().triggerAction(action)
            )
        self.show_page(0)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() is QEvent.Type.PaletteChange:
            muted(self.step)  # the secondary colour of the new theme

    def _heading(self, text: str) -> QLabel:
        heading = QLabel(text)
        heading.setFont(scaled_font(self, 1.6, bold=True))
        heading.setWordWrap(True)
        return heading

    def _pain_page(self, width_px: int) -> QWidget:
        page = QWidget()
        page.setAccessibleName(PAIN_TITLE)
        self.pain_text = _text(PAIN_TEXT, width_px=width_px)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self._heading(PAIN_TITLE))
        layout.addWidget(self.pain_text)
        layout.addStretch(1)
        return page

    def _help_page(self, width_px: int) -> QWidget:
        page = QWidget()
        page.setAccessibleName(HELP_TITLE)
        self.help_text = _text(HELP_TEXT, width_px=width_px)
        self.note = _text(NOT_MEDICAL_ADVICE, width_px=width_px)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setFrameShape(QFrame.Shape.StyledPanel)
        self.note.setMargin(8)

        exercise = self.exercise
        rate = rate_text(exercise.pattern.rate_bpm)
        self.suggestion = QLabel(
            f"<b>A gentle first exercise: {exercise.title}</b><br>"
            f"{exercise.description}<br>{rate} · {minutes_text(self._minutes)}"
        )
        self.suggestion.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion.setWordWrap(True)
        self.suggestion.setMaximumWidth(width_px)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self._heading(HELP_TITLE))
        layout.addWidget(self.help_text)
        layout.addWidget(self.note)
        layout.addSpacing(4)
        layout.addWidget(self.suggestion)
        layout.addStretch(1)
        return page

    # -- moving through it ---------------------------------------------------------------------

    @property
    def page(self) -> int:
        """0 on "what neuroplastic pain is", 1 on "how the app helps"."""
        return self.pages.currentIndex()

    def show_page(self, index: int) -> None:
        """Show the first (0) or the second (1) screen, with its own buttons."""
        self.pages.setCurrentIndex(index)
        first = index == 0
        self.step.setText(f"{index + 1} of {self.pages.count()}")
        self.back_button.setVisible(not first)
        self.next_button.setVisible(first)
        self.start_button.setVisible(not first)
        main = self.next_button if first else self.start_button
        page = self.pages.currentWidget()
        self.setAccessibleDescription(page.accessibleName() if page is not None else "")
        if self.isVisible():
            main.setFocus()

    def start_again(self) -> None:
        """Back to the first screen (when the welcome is shown again)."""
        self.show_page(0)
        self.next_button.setFocus()

    def next(self) -> None:
        """On to the second screen."""
        self.show_page(1)

    def back(self) -> None:
        """Back to the first screen."""
        self.show_page(0)

    def start(self) -> None:
        """Start the suggested exercise."""
        self.finished.emit(self.exercise.id)

    def not_now(self) -> None:
        """Close the welcome without starting anything."""
        self.finished.emit(None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        (self.next_button if self.page == 0 else self.start_button).setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event):
            if not click_focused_button(self):
                (self.next if self.page == 0 else self.start)()
        elif event.key() == Qt.Key.Key_Escape:
            self.not_now()
        elif event.key() == Qt.Key.Key_Backspace and self.page == 1:
            self.back()
        else:
            super().keyPressEvent(event)

    def current_scroll_bar(self) -> QScrollBar:
        """The scroll bar of the screen on show (it moves only when the text does not fit)."""
        area = self.pages.currentWidget()
        assert isinstance(area, QScrollArea)
        return area.verticalScrollBar()


class WelcomeDialog(QDialog):
    """The welcome in a window of its own; ``exercise_chosen`` carries an id or None."""

    exercise_chosen = Signal(object)  # str or None, like WelcomeScreen.finished

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Safe Signal")
        self.setModal(True)
        self.welcome = WelcomeScreen(catalog)
        self.chosen_id: str | None = None
        self._answered = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.welcome)
        self.welcome.finished.connect(self._on_finished)

    def _on_finished(self, exercise_id: str | None) -> None:
        self._answered = True
        self.chosen_id = exercise_id
        self.exercise_chosen.emit(exercise_id)
        if exercise_id is None:
            self.reject()
        else:
            self.accept()

    def reject(self) -> None:
        """Closed from the title bar (or Esc reaching the dialog): the same as "Not now"."""
        if not self._answered:
            self._answered = True
            self.exercise_chosen.emit(None)
        super().reject()
