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

from PySide6.QtCore import QEvent, QMargins, QPoint, QPointF, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
    QRadialGradient,
    QShortcut,
    QShowEvent,
)
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
from ui.common.icons import ON_ACCENT, icon
from ui.common.keys import click_focused_button, is_enter, key_tip
from ui.common.theme import (
    HIGH_CONTRAST,
    Space,
    TextRole,
    current_theme,
    heading,
    mix,
    muted,
    primary,
    text_role,
)

__all__ = [
    "EMBLEM_PX",
    "NOT_MEDICAL_ADVICE",
    "SUGGESTED_EXERCISE_ID",
    "WelcomeDialog",
    "WelcomeEmblem",
    "WelcomeScreen",
    "centred_over",
    "frame_edges",
    "suggested_exercise",
]

SUGGESTED_EXERCISE_ID: Final = "coherent-5-5"  # even 5-in, 5-out breaths: 6 a minute
TEXT_WIDTH_CHARS: Final = 60  # a comfortable line length for reading
SCROLL_BAR_ROOM_PX: Final = 24
EMBLEM_PX: Final = 132  # the calm picture beside the words
SCREEN_SHARE: Final = 0.92  # the dialog never grows past this share of the screen
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


class WelcomeEmblem(QWidget):
    """A calm picture beside the words, in the pacer's colours: ripples settling outwards (the
    alarm growing quieter) on the first page, the breathing circle in its ring on the second."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setFixedSize(EMBLEM_PX, EMBLEM_PX)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName(
            "Ripples growing calmer, a picture"
            if kind == "ripples"
            else "A breathing circle in its ring, a picture"
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        theme = current_theme()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre = QPointF(self.width() / 2, self.height() / 2)
        outer = min(self.width(), self.height()) / 2 - 2
        glow = QRadialGradient(centre, outer)
        soft = QColor(theme.pacer)
        soft.setAlphaF(0.0 if theme.name == HIGH_CONTRAST.name else 0.18)
        clear = QColor(soft)
        clear.setAlphaF(0.0)
        glow.setColorAt(0.0, soft)
        glow.setColorAt(1.0, clear)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(glow)
        painter.drawEllipse(centre, outer, outer)
        if self.kind == "ripples":
            for step, share in enumerate((0.92, 0.7, 0.48)):
                colour = QColor(theme.pacer)
                colour.setAlphaF((0.35, 0.6, 0.85)[step])
                painter.setPen(QPen(colour, 2.0 + step))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(centre, outer * share, outer * share)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.pacer))
            painter.drawEllipse(centre, outer * 0.22, outer * 0.22)
        else:
            painter.setPen(QPen(QColor(theme.pacer_guide), 3.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, outer * 0.85, outer * 0.85)
            breath = QRadialGradient(centre, outer * 0.62)
            plain = theme.name == HIGH_CONTRAST.name  # plain and strong, no soft shading
            breath.setColorAt(
                0.0, QColor(theme.pacer if plain else mix(theme.pacer, "#ffffff", 0.6))
            )
            breath.setColorAt(1.0, QColor(theme.pacer))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(breath)
            painter.drawEllipse(centre, outer * 0.62, outer * 0.62)
        painter.end()


class _TextArea(QScrollArea):
    """One screen's words in a frameless area that scrolls only when the window is too small;
    where there is room to spare, the words sit in the middle of it."""

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
        text_px = self.fontMetrics().averageCharWidth() * TEXT_WIDTH_CHARS
        width_px = text_px + EMBLEM_PX + Space.XL
        self.headings: list[QLabel] = []

        self.pages = QStackedWidget()
        self.pages.addWidget(_TextArea(self._pain_page(text_px), width_px))
        self.pages.addWidget(_TextArea(self._help_page(text_px), width_px))

        self.step = QLabel()
        text_role(self.step, TextRole.CAPTION)
        self.back_button = QPushButton("&Back")
        self.back_button.setIcon(icon("back"))
        key_tip(self.back_button, "The first page again", "Backspace")
        self.back_button.clicked.connect(self.back)
        self.not_now_button = QPushButton("Not now")
        key_tip(self.not_now_button, "Close the welcome; Help shows it again", "Esc")
        self.not_now_button.clicked.connect(self.not_now)
        self.next_button = QPushButton("&Next")
        self.next_button.setIcon(icon("forward", ON_ACCENT))
        key_tip(self.next_button, "On to how Safe Signal helps", "Enter")
        self.next_button.setAccessibleName("Next")
        self.next_button.clicked.connect(self.next)
        self.start_button = QPushButton("Start this exercise")
        self.start_button.setIcon(icon("play", ON_ACCENT))
        key_tip(self.start_button, f"Start {self.exercise.title} now", "Enter")
        self.start_button.clicked.connect(self.start)
        for main in (self.next_button, self.start_button):
            primary(main)
        buttons = QHBoxLayout()
        buttons.setSpacing(Space.M)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.step)
        buttons.addStretch(1)
        buttons.addWidget(self.not_now_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.start_button)

        # Words and buttons as one block, centred in a big window, the words scrolling in a
        # small one.
        block = QWidget()
        block.setMaximumWidth(width_px + SCROLL_BAR_ROOM_PX)
        column = QVBoxLayout(block)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(Space.L)
        column.addWidget(self.pages, 1)
        column.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(block, 100)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(Space.XL, Space.XL, Space.XL, Space.L)
        outer.addLayout(row)
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
            for emblem in self.findChildren(WelcomeEmblem):
                emblem.update()

    def _heading(self, text: str) -> QLabel:
        title = heading(text)
        self.headings.append(title)
        return title

    def _page(self, title: str, emblem: str, parts: list[QWidget]) -> QWidget:
        """A page: the calm picture beside a column of words, the two in the middle of the
        room there is (so neither page looks half empty when the other is longer)."""
        page = QWidget()
        page.setAccessibleName(title)
        words = QVBoxLayout()
        words.setContentsMargins(0, 0, 0, 0)
        words.setSpacing(Space.M)
        words.addWidget(self._heading(title))
        for part in parts:
            words.addWidget(part)
        picture = WelcomeEmblem(emblem)
        beside = QHBoxLayout()
        beside.setContentsMargins(0, 0, 0, 0)
        beside.setSpacing(Space.XL)
        beside.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        beside.addLayout(words, 1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        layout.addLayout(beside)
        layout.addStretch(1)
        return page

    def _pain_page(self, width_px: int) -> QWidget:
        self.pain_text = _text(PAIN_TEXT, width_px=width_px)
        return self._page(PAIN_TITLE, "ripples", [self.pain_text])

    def _help_page(self, width_px: int) -> QWidget:
        self.help_text = _text(HELP_TEXT, width_px=width_px)
        self.note = _text(NOT_MEDICAL_ADVICE, width_px=width_px)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        text_role(self.note, TextRole.CAPTION)

        exercise = self.exercise
        rate = rate_text(exercise.pattern.rate_bpm)
        self.suggestion = QLabel(
            f"<b>A gentle first exercise: {exercise.title}</b><br>"
            f"{exercise.description}<br>{rate} · {minutes_text(self._minutes)}"
        )
        self.suggestion.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion.setWordWrap(True)
        self.suggestion.setMaximumWidth(width_px)
        self.suggestion.setProperty("card", True)  # the theme's card: the surface, rounded
        self.suggestion.setMargin(Space.M)
        return self._page(HELP_TITLE, "circle", [self.help_text, self.suggestion, self.note])

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


def frame_edges(frame: QRect, inside: QRect) -> QMargins:
    """How far a window's frame (title bar, borders) reaches beyond its inside, on each side."""
    return QMargins(
        inside.left() - frame.left(),
        inside.top() - frame.top(),
        frame.right() - inside.right(),
        frame.bottom() - inside.bottom(),
    )


def centred_over(owner: QRect, size: QSize, edges: QMargins, room: QRect) -> QRect:
    """Where the frame of a window ``size`` big inside (with frame ``edges``) goes: centred over
    ``owner`` (another window's frame), and whole within ``room`` (the screen's free area) even
    when the owner is bigger than the screen or partly off it."""
    width = size.width() + edges.left() + edges.right()
    height = size.height() + edges.top() + edges.bottom()
    middle = owner.center()
    left = middle.x() - width // 2
    top = middle.y() - height // 2
    left = max(room.left(), min(left, room.right() + 1 - width))
    top = max(room.top(), min(top, room.bottom() + 1 - height))
    return QRect(left, top, width, height)


class WelcomeDialog(QDialog):
    """The welcome in a window of its own, centred over the window it belongs to (and kept on
    the screen); ``exercise_chosen`` carries an id or None."""

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

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_and_centre()
        super().showEvent(event)
        # Once the desktop has put its frame round the dialog, centre the frame itself.
        QTimer.singleShot(0, self._fit_and_centre)

    def _fit_and_centre(self) -> None:
        """As big as the words want but within the screen, centred over the parent window."""
        parent = self.parentWidget()
        owner = parent.window() if parent is not None else None
        screen = (owner or self).screen()
        room = screen.availableGeometry() if screen is not None else QRect(0, 0, 1920, 1080)
        framed = self.frameGeometry() != self.geometry()
        # Until the desktop has framed the dialog, expect the frame its parent window has.
        model = self if framed or owner is None else owner
        edges = frame_edges(model.frameGeometry(), model.geometry())
        want = self.sizeHint()
        size = QSize(
            min(want.width(), round(room.width() * SCREEN_SHARE) - edges.left() - edges.right()),
            min(want.height(), round(room.height() * SCREEN_SHARE) - edges.top() - edges.bottom()),
        )
        if size != self.size():
            self.resize(size)
        over = owner.frameGeometry() if owner is not None else room
        frame = centred_over(over, size, edges, room)
        # Qt places a framed window by its frame, one not framed yet by its inside.
        target = frame.topLeft() if framed else frame.topLeft() + QPoint(edges.left(), edges.top())
        if target != self.pos():
            self.move(target)

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
