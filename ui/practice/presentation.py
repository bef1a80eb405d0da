"""Presentation mode: a clinician shows exercises on a shared screen (a projector or a large
monitor), full screen, in high contrast, by keyboard alone.

No personal data can reach this screen, by construction: the window is given only what is the
same for everyone (the built-in breathing exercises, the guided attention scripts, the body map,
the clocks and the frame ticker) and never the store, a profile, anyone's own patterns, marked
areas, ratings or notes. Every exercise runs as a demonstration (:class:`trainer.session.machine.
NotRecorded`), so nothing is recorded either, and the before and after ratings are skipped.

Keys: Up and Down choose an exercise, Left and Right its length, Enter starts it; Space pauses
or carries on, Esc ends the exercise (and, on the list, leaves presentation mode); 1, 2, 3 or V
change the pacer's picture; N or the Right arrow moves a guided exercise on to its next prompt;
F1 or ? shows the keys. The mouse pointer is hidden over the window.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPolygonF,
    QResizeEvent,
    QScreen,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from trainer.app.frame import (
    BREATHING_DETAILS,
    BREATHING_WORDS,
    attention_frame,
    breathing_frame,
    pacer_schedule,
    practising,
    skip_prompt,
)
from trainer.app.words import (
    ATTENTION_CLOSE_LINE,
    ATTENTION_PAUSED_LINE,
    BREATHING_NOTE,
    CLOSE_WORD,
    HOLD_NOTE,
    LEAD_IN_WORD,
    PHASE_SECONDS_NAME,
    SPOTLIGHT_MAP_NAME,
    TIME_LEFT_NAME,
    WORD_NAME,
    describe_phases,
    minutes_text,
    rate_text,
    time_left_text,
)
from trainer.content.attention import attention_plan
from trainer.content.bodymap import BodyMap
from trainer.content.breathing import BreathingPattern
from trainer.content.catalog import CUSTOM_PREFIX, Catalog, Exercise
from trainer.content.scripts import Script, Step, resolve
from trainer.content.spotlight import CALM_BREATH, spotlight_at
from trainer.session.clock import Clock
from trainer.session.machine import Session, SessionPlan, SessionState, demonstration
from ui.common.dialogs import Dialogs
from ui.common.keys import VISUAL_KEYS
from ui.common.theme import DARK, Theme
from ui.common.ticker import FrameTicker, ManualTicker
from ui.practice.controls import toggle_pause
from ui.widgets.body_map import BodyMapView
from ui.widgets.elided import ElidedLabel
from ui.widgets.fading_text import SHRINK, FadingText
from ui.widgets.pacer import VISUAL_NAMES, CirclePacer, PacerStack

__all__ = [
    "DEMO_NOTE",
    "PRESENTATION_THEME",
    "PresentationWindow",
    "ScreenChoice",
    "choose_screen",
    "screen_choices",
]

# High contrast on any projector, whatever the app's own theme: white on black, a bright calm
# accent. Text reaches 21:1 (white) and 14:1 (secondary) on the black background. Made from
# DARK so that any colour a theme gains later keeps the dark theme's value.
PRESENTATION_THEME: Final = replace(
    DARK,
    name="presentation",
    window="#000000",
    surface="#1c1c1c",
    text="#ffffff",
    muted_text="#d6d6d6",
    accent="#5fe0d5",
    accent_text="#000000",
    pacer="#46c9bd",
    pacer_guide="#5d706e",
)
DEMO_NOTE: Final = "Demonstration: nothing is recorded"
DEMO_MINUTES: Final = 3  # a length suited to showing an exercise (the nearest one offered)
HEADING: Final = "Choose an exercise to show"
LIST_KEYS: Final = "Up/Down: choose · Left/Right: length · Enter: start · Esc: leave · F1: keys"
RUN_KEYS: Final = "Space: pause · Esc: end · F1: keys"
PAUSED_KEYS: Final = "Space: continue · Esc: end · F1: keys"
# A guided exercise also moves on with N.
GUIDED_RUN_KEYS: Final = "Space: pause · N: next prompt · Esc: end · F1: keys"
GUIDED_PAUSED_KEYS: Final = "Space: continue · N: next prompt · Esc: end · F1: keys"
HELP_LINES: Final = (
    ("Up / Down", "choose an exercise"),
    ("Left / Right", "a shorter or longer length"),
    ("Enter", "start the exercise"),
    ("Space", "pause, or continue"),
    ("1, 2, 3 or V", "circle, column or wave pacer"),
    ("N or Right", "the next prompt of a guided exercise"),
    ("Esc", "end the exercise; on the list, leave presentation mode"),
    ("F1 or ?", "show or hide these keys"),
)
# Type sizes as shares of the window's height, so they read from across a room on any screen.
HEADING_SHARE: Final = 0.06
ROW_TITLE_SHARE: Final = 0.05
ROW_DETAIL_SHARE: Final = 0.028
RUN_TITLE_SHARE: Final = 0.045
WORD_SHARE: Final = 0.13
SUB_SHARE: Final = 0.05
PROMPT_SHARE: Final = 0.06
COUNT_SHARE: Final = 0.16
FOOTER_SHARE: Final = 0.026
HELP_SHARE: Final = 0.04
MIN_PX: Final = 14
# A window at least this much wider than high shows the map and the words side by side.
WIDE_RATIO: Final = 1.25


def _px(height: int, share: float) -> int:
    return max(MIN_PX, round(height * share))


def _font(base: QFont, px: int, *, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPixelSize(max(1, px))
    font.setBold(bold)
    return font


# -- choosing a screen --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreenChoice:
    """A screen to present on, and how a chooser names it."""

    screen: QScreen
    label: str


def screen_choices() -> list[ScreenChoice]:
    """Every screen, named by number, model (or system name) and size, the main one marked."""
    primary = QGuiApplication.primaryScreen()
    choices = []
    for number, screen in enumerate(QGuiApplication.screens(), start=1):
        size = screen.geometry().size()
        name = screen.model().strip() or screen.name().strip() or "screen"
        main = " (main screen)" if screen is primary else ""
        label = f"Screen {number}: {name}, {size.width()} by {size.height()} pixels{main}"
        choices.append(ScreenChoice(screen, label))
    return choices


def choose_screen(parent: QWidget | None) -> QScreen | None:
    """The screen to present on: the only one, or the one picked (``None`` if cancelled).

    With several screens a projector is usually not the main one, so that is offered first.
    """
    choices = screen_choices()
    if len(choices) <= 1:
        return choices[0].screen if choices else None
    primary = QGuiApplication.primaryScreen()
    first = next((i for i, c in enumerate(choices) if c.screen is not primary), 0)
    index = Dialogs.choose(
        parent,
        "Present on which screen?",
        "Show the exercises full screen on:",
        [c.label for c in choices],
        first,
    )
    return None if index is None else choices[index].screen


# -- what can be shown --------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One exercise on the list: a built-in breathing exercise or a guided attention script."""

    title: str
    detail: str
    lengths_min: tuple[int, ...]
    exercise: Exercise | None = None
    script: Script | None = None

    @property
    def kind(self) -> str:
        """``breathing`` or ``attention``."""
        return "breathing" if self.exercise is not None else "attention"

    def plan(self, minutes: int) -> SessionPlan:
        """A session of this exercise lasting ``minutes``."""
        if self.exercise is not None:
            return self.exercise.plan(minutes)
        assert self.script is not None
        return attention_plan(self.script, minutes)


def rhythm_text(pattern: BreathingPattern) -> str:
    """``in 4 s, out 6 s · 6 breaths/min`` (seconds to one decimal, for reading at a glance)."""
    return f"{describe_phases(pattern)} · {rate_text(pattern.rate_bpm)}"


def demo_length(lengths_min: Sequence[int]) -> int:
    """The length offered first: the one nearest :data:`DEMO_MINUTES` (the shorter on a tie)."""
    return min(lengths_min, key=lambda m: (abs(m - DEMO_MINUTES), m))


def choices_from(catalog: Catalog, scripts: Sequence[Script]) -> list[Choice]:
    """The built-in breathing exercises, then the attention scripts (never anyone's own
    patterns, even if a catalog with them were passed in)."""
    found = [
        Choice(
            e.title,
            f"Breathing · {rhythm_text(e.pattern)}",
            tuple(catalog.lengths_min),
            exercise=e,
        )
        for e in catalog.exercises
        if e.custom_id is None and not e.id.startswith(CUSTOM_PREFIX)
    ]
    found += [
        Choice(s.title, f"Attention · {s.description}", s.lengths_min, script=s) for s in scripts
    ]
    return found


# -- widgets ------------------------------------------------------------------------------------


class FittedText(FadingText):
    """Words drawn centred, as large as they fit (up to a size in pixels), at an opacity.

    Every text it is told it will show gets the same size, so a prompt or a phase word never
    jumps in size from one to the next.
    """

    def __init__(self, colour: QColor, *, bold: bool = False, name: str = "") -> None:
        super().__init__(name)
        self._colour = QColor(colour)
        self._bold = bold
        self._max_px = 40
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_max_px(self, px: int, height_px: int | None = None) -> None:
        """The largest type (pixels) and the height kept for the text (``None``: all there is)."""
        self._max_px = px
        if height_px is None:
            self.setMinimumHeight(0)
            self.setMaximumHeight(16777215)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        else:
            self.setFixedHeight(height_px)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.refit()

    def fit(self) -> QFont:
        px = float(self._max_px)
        while True:
            font = _font(self.font(), round(px), bold=self._bold)
            if self.fits(font) or px <= MIN_PX:
                return font
            px = max(MIN_PX, px * SHRINK)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.paint_text(self._colour)


class _Line(ElidedLabel):
    """An elided line that gives way to the big pacer (its width is the layout's to decide)."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)


class ExerciseList(QWidget):
    """The exercises in very large type, one chosen, with its length; drawn, not clicked.

    The window passes it the arrow keys; it scrolls to keep the chosen one in view.
    """

    def __init__(self, choices: Sequence[Choice], theme: Theme) -> None:
        super().__init__()
        if not choices:
            raise ValueError("there is nothing to present")
        self._choices = tuple(choices)
        self._minutes = [demo_length(c.lengths_min) for c in self._choices]
        self._theme = theme
        self._current = 0
        self._top = 0
        self._title_px = 40
        self._detail_px = 22
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._announce()

    # -- what is chosen ---------------------------------------------------------------------------

    @property
    def choices(self) -> tuple[Choice, ...]:
        """Every exercise on the list, in order."""
        return self._choices

    @property
    def current_index(self) -> int:
        """The index of the chosen exercise."""
        return self._current

    @property
    def current(self) -> Choice:
        """The chosen exercise."""
        return self._choices[self._current]

    @property
    def minutes(self) -> int:
        """The chosen exercise's length in minutes."""
        return self._minutes[self._current]

    def row_texts(self) -> list[str]:
        """What each row says: title, detail and length."""
        return [
            f"{c.title}: {c.detail} ({minutes_text(m)})"
            for c, m in zip(self._choices, self._minutes, strict=True)
        ]

    def visible_rows(self) -> range:
        """The indexes of the rows on screen now."""
        return range(self._top, min(len(self._choices), self._top + self._rows_fitting()))

    def step_choice(self, step: int) -> None:
        """Choose the exercise ``step`` rows down (up when negative), stopping at the ends."""
        chosen = max(0, min(len(self._choices) - 1, self._current + step))
        if chosen != self._current:
            self._current = chosen
            self._scroll_into_view()
            self._announce()
            self.update()

    def change_length(self, step: int) -> None:
        """A longer (``step`` > 0) or shorter length of the chosen exercise, stopping at the ends."""
        lengths = self.current.lengths_min
        at = lengths.index(self.minutes) + step
        if 0 <= at < len(lengths):
            self._minutes[self._current] = lengths[at]
            self._announce()
            self.update()

    def _announce(self) -> None:
        self.setAccessibleName(f"Exercise: {self.current.title}, {minutes_text(self.minutes)}")
        self.setAccessibleDescription(self.current.detail)

    # -- drawing ----------------------------------------------------------------------------------

    def set_sizes(self, title_px: int, detail_px: int) -> None:
        """The type sizes of the rows, in pixels."""
        self._title_px, self._detail_px = title_px, detail_px
        self._scroll_into_view()
        self.update()

    def _row_h(self) -> float:
        return self._title_px * 1.35 + self._detail_px * 1.35 + self._title_px * 0.5

    def _rows_fitting(self) -> int:
        return max(1, math.floor(self.height() / self._row_h()))

    def _scroll_into_view(self) -> None:
        fitting = self._rows_fitting()
        if self._current < self._top:
            self._top = self._current
        elif self._current >= self._top + fitting:
            self._top = self._current - fitting + 1
        self._top = max(0, min(self._top, len(self._choices) - fitting))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scroll_into_view()

    def paintEvent(self, event: QPaintEvent) -> None:
        theme = self._theme
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(theme.window))
        title_font = _font(self.font(), self._title_px, bold=True)
        detail_font = _font(self.font(), self._detail_px)
        length_font = _font(self.font(), self._title_px)
        row_h = self._row_h()
        pad = self._title_px * 0.45
        arrow = self._title_px * 0.32
        length_texts = {minutes_text(m) for c in self._choices for m in c.lengths_min}
        widest = max(QFontMetricsF(length_font).horizontalAdvance(t) for t in length_texts)
        length_w = widest + 4 * arrow + pad
        y = (self.height() - row_h * len(self.visible_rows())) / 2 if self._top == 0 else 0.0
        for index in self.visible_rows():
            choice, minutes = self._choices[index], self._minutes[index]
            chosen = index == self._current
            box = QRectF(0, y, self.width(), row_h).adjusted(2, row_h * 0.06, -2, -row_h * 0.06)
            if chosen:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(theme.accent))
                painter.drawRoundedRect(box, pad * 0.6, pad * 0.6)
            ink = QColor(theme.accent_text if chosen else theme.text)
            soft = QColor(theme.accent_text if chosen else theme.muted_text)
            text_box = box.adjusted(pad, 0, -pad - length_w, 0)
            metrics_t, metrics_d = QFontMetricsF(title_font), QFontMetricsF(detail_font)
            block_h = metrics_t.height() + metrics_d.height()
            top = box.top() + (box.height() - block_h) / 2
            painter.setFont(title_font)
            painter.setPen(ink)
            title = metrics_t.elidedText(
                choice.title, Qt.TextElideMode.ElideRight, text_box.width()
            )
            painter.drawText(
                QRectF(text_box.left(), top, text_box.width(), metrics_t.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                title,
            )
            painter.setFont(detail_font)
            painter.setPen(soft)
            detail = metrics_d.elidedText(
                choice.detail, Qt.TextElideMode.ElideRight, text_box.width()
            )
            painter.drawText(
                QRectF(text_box.left(), top + metrics_t.height(), text_box.width(), block_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                detail,
            )
            length_box = QRectF(box.right() - pad - length_w, box.top(), length_w, box.height())
            painter.setFont(length_font)
            painter.setPen(ink if chosen else soft)
            painter.drawText(
                length_box.adjusted(2 * arrow, 0, -2 * arrow, 0),
                Qt.AlignmentFlag.AlignCenter,
                minutes_text(minutes),
            )
            if chosen:
                lengths = choice.lengths_min
                middle = length_box.center().y()
                if minutes != lengths[0]:
                    self._triangle(painter, length_box.left() + arrow, middle, arrow, -1, ink)
                if minutes != lengths[-1]:
                    self._triangle(painter, length_box.right() - arrow, middle, arrow, 1, ink)
            y += row_h
        self._more_marks(painter, arrow)

    def _more_marks(self, painter: QPainter, size: float) -> None:
        """Small triangles at the top and bottom edge when rows are out of view."""
        colour = QColor(self._theme.muted_text)
        rows = self.visible_rows()
        x = self.width() / 2
        if rows.start > 0:
            self._triangle(painter, x, size, size, 0, colour, up=True)
        if rows.stop < len(self._choices):
            self._triangle(painter, x, self.height() - size, size, 0, colour, up=False)

    @staticmethod
    def _triangle(
        painter: QPainter,
        x: float,
        y: float,
        size: float,
        sideways: int,
        colour: QColor,
        *,
        up: bool = False,
    ) -> None:
        if sideways:
            tip = QPointF(x + sideways * size, y)
            points = [
                tip,
                QPointF(x - sideways * size, y - size),
                QPointF(x - sideways * size, y + size),
            ]
        else:
            d = -1 if up else 1
            points = [
                QPointF(x, y + d * size * 0.7),
                QPointF(x - size, y - d * size * 0.7),
                QPointF(x + size, y - d * size * 0.7),
            ]
        path = QPainterPath()
        path.addPolygon(QPolygonF(points))
        path.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.fillPath(path, colour)


class BreathingView(QWidget):
    """A breathing exercise on show: a very large pacer with the phase word under it."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self._session: Session | None = None
        self.pacers = PacerStack()
        self.pacers.set_theme(theme)
        self.word = FittedText(QColor(theme.text), bold=True, name=WORD_NAME)
        self.word.set_fit_texts(BREATHING_WORDS)
        self.detail = FittedText(QColor(theme.muted_text), name=PHASE_SECONDS_NAME)
        self.detail.set_fit_texts(BREATHING_DETAILS)
        # The gentle note every breathing exercise carries, small and soft under the pacer.
        self.safety_note = QLabel(BREATHING_NOTE)
        self.safety_note.setWordWrap(True)
        self.safety_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.safety_note.setProperty("soft", True)
        self.safety_note.setAccessibleName("Breathing safely")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.pacers, 1)
        layout.addWidget(self.word)
        layout.addWidget(self.detail)
        layout.addWidget(self.safety_note)

    def set_sizes(self, height: int) -> None:
        """Type sized for a window ``height`` pixels high."""
        word_px, detail_px = _px(height, WORD_SHARE), _px(height, SUB_SHARE)
        self.word.set_max_px(word_px, round(word_px * 1.3))
        self.detail.set_max_px(detail_px, round(detail_px * 1.35))
        self.safety_note.setFont(_font(self.font(), _px(height, ROW_DETAIL_SHARE)))

    def begin(self, session: Session) -> None:
        """Show ``session`` from now on."""
        self._session = session
        holds = session.plan.pattern.has_holds
        self.safety_note.setText(f"{BREATHING_NOTE} {HOLD_NOTE}" if holds else BREATHING_NOTE)
        self.pacers.set_schedule(*pacer_schedule(session))
        self.refresh()

    def refresh(self) -> None:
        """Draw the session's state now."""
        session = self._session
        if session is None:
            return
        state = session.pacer_state()
        frame = breathing_frame(session, state)
        self.pacers.show_state(state, session.practice_s, idle=frame.idle)
        self.word.set_text(frame.word)
        self.detail.set_text(frame.detail)


class AttentionView(QWidget):
    """A guided attention exercise on show: the body map's spotlight, the prompt in large type
    and, for breath counting, a big count beside a small pacer."""

    def __init__(self, body_map: BodyMap, theme: Theme) -> None:
        super().__init__()
        self._session: Session | None = None
        self._steps: tuple[Step, ...] = ()
        self.body = BodyMapView(body_map, interactive=False)
        self.body.set_theme(theme)
        self.body.set_projected(True)  # a bright light with a clear core, seen across a room
        self.body.setAccessibleName(SPOTLIGHT_MAP_NAME)
        self.count = QLabel()
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count.setAccessibleName("Breath count")
        self.count_pacer = CirclePacer()
        self.count_pacer.set_theme(theme)
        self.counter = QWidget()
        pair = QHBoxLayout(self.counter)
        pair.setContentsMargins(0, 0, 0, 0)
        pair.addStretch(1)
        pair.addWidget(self.count, 0, Qt.AlignmentFlag.AlignVCenter)
        pair.addWidget(self.count_pacer, 0, Qt.AlignmentFlag.AlignVCenter)
        pair.addStretch(1)
        self.counter.hide()
        self.prompt = FittedText(QColor(theme.text), name="Prompt")
        self.status = FittedText(QColor(theme.muted_text), name="Status")
        words = QVBoxLayout()
        words.setContentsMargins(0, 0, 0, 0)
        words.setSpacing(0)
        words.addWidget(self.counter)
        words.addWidget(self.prompt, 1)
        words.addWidget(self.status)
        # The map beside the words on a wide screen (a projector), above them on a tall one.
        self._split = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._split.setContentsMargins(0, 0, 0, 0)
        self._split.addWidget(self.body, 5)
        self._split.addLayout(words, 6)

    @property
    def steps(self) -> tuple[Step, ...]:
        """The steps being followed."""
        return self._steps

    @property
    def side_by_side(self) -> bool:
        """Whether the map is beside the words (a wide window) rather than above them."""
        return self._split.direction() is QBoxLayout.Direction.LeftToRight

    def set_sizes(self, width: int, height: int) -> None:
        """Type sized for a window ``height`` pixels high; the layout for its shape."""
        wide = width >= height * WIDE_RATIO
        self._split.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )
        self._split.setSpacing(round(height * 0.03))
        prompt_px, status_px = _px(height, PROMPT_SHARE), _px(height, SUB_SHARE * 0.8)
        # Beside the map the prompt has the whole height; above it, room for three lines.
        self.prompt.set_max_px(prompt_px, None if wide else round(prompt_px * 1.25 * 3.2))
        self.status.set_max_px(status_px, round(status_px * 1.4))
        self.body.setFont(_font(self.font(), _px(height, FOOTER_SHARE)))  # Front, Back, L, R
        self.count.setFont(_font(self.font(), _px(height, COUNT_SHARE), bold=True))
        self.count.setMinimumWidth(
            math.ceil(QFontMetricsF(self.count.font()).horizontalAdvance("10")) + 8
        )
        side = round(height * 0.26)  # a real pacer beside the count, not a token
        self.count_pacer.setFixedSize(side, side)

    def begin(self, session: Session, steps: Sequence[Step]) -> None:
        """Show ``session`` following ``steps`` (resolved, ending when the session does)."""
        self._session = session
        self._steps = tuple(steps)
        self.prompt.set_fit_texts([s.text for s in self._steps] + [CLOSE_WORD, LEAD_IN_WORD])
        self.status.set_fit_texts([ATTENTION_PAUSED_LINE, ATTENTION_CLOSE_LINE])
        policy = self.counter.sizePolicy()
        policy.setRetainSizeWhenHidden(any(s.counting for s in self._steps))
        self.counter.setSizePolicy(policy)
        self.counter.setVisible(False)
        self.refresh()

    def skip(self) -> None:
        """Move on to the next prompt (after the last one, to the close)."""
        session = self._session
        if session is not None and skip_prompt(session, self._steps, session.plan.planned_s):
            self.refresh()

    def refresh(self) -> None:
        """Draw the session's state now: the spotlight, the prompt and its fade, the count."""
        session = self._session
        if session is None or not self._steps:
            return
        practice_s = session.practice_s
        light = spotlight_at(self._steps, self.body.body_map, practice_s)
        self.body.set_spotlight(light)
        frame = attention_frame(session, self._steps, light.step_index)
        self.prompt.set_text(frame.prompt)
        self.prompt.set_opacity(frame.opacity)
        self.status.set_text(frame.status)
        counting = light.count is not None and frame.step_index is not None
        if counting:
            self.count.setText(str(light.count))
            self.count.setAccessibleName(f"Breath count: {light.count}")
            self.count_pacer.show_state(CALM_BREATH.state_at(practice_s), practice_s)
        if counting != self.counter.isVisible():
            self.counter.setVisible(counting)


class PresentationWindow(QWidget):
    """Full-screen presentation mode (see the module docstring): it is given only what is the
    same for everyone, never the store or anything of a profile, so it cannot show personal data;
    it runs every exercise as a demonstration that records nothing.

    ``closed`` is emitted when it leaves presentation mode (Esc on the list, or the window is
    closed), so the main window can take the keyboard back.
    """

    closed = Signal()

    def __init__(
        self,
        *,
        catalog: Catalog,
        scripts: Sequence[Script],
        body_map: BodyMap,
        clock: Clock,
        utc_now: Callable[[], datetime],
        ticker: FrameTicker | ManualTicker,
        theme: Theme = PRESENTATION_THEME,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._clock = clock
        self._utc_now = utc_now
        self._ticker = ticker
        self._theme = theme
        self._session: Session | None = None
        ticker.tick.connect(self.on_tick)
        self.setWindowTitle("Safe Signal: presentation")
        self.setAccessibleName("Presentation mode")
        self.setAccessibleDescription(
            "Exercises shown full screen for a group; nothing is recorded. Press F1 for the keys."
        )
        self._apply_palette()

        self.heading = QLabel(HEADING)
        self.run_title = _Line()
        self.run_title.setAccessibleName("Exercise")
        self.time_left = QLabel()
        self.time_left.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.time_left.setAccessibleName(TIME_LEFT_NAME)
        header = QHBoxLayout()
        header.setSpacing(24)
        header.addWidget(self.heading, 1)
        header.addWidget(self.run_title, 1)
        header.addWidget(self.time_left)

        self.list = ExerciseList(choices_from(catalog, scripts), theme)
        self.breathing = BreathingView(theme)
        self.attention = AttentionView(body_map, theme)
        self.pages = QStackedWidget()
        for page in (self.list, self.breathing, self.attention):
            self.pages.addWidget(page)

        self.demo_note = QLabel(DEMO_NOTE)
        self.demo_note.setAccessibleName(DEMO_NOTE)
        self.keys_hint = _Line(LIST_KEYS)
        self.keys_hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._soften(self.keys_hint)
        footer = QHBoxLayout()
        footer.setSpacing(24)
        footer.addWidget(self.demo_note)
        footer.addWidget(self.keys_hint, 1)

        self._layout = QVBoxLayout(self)
        self._layout.addLayout(header)
        self._layout.addWidget(self.pages, 1)
        self._layout.addLayout(footer)

        self.help = self._build_help()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for widget in (self, *self.findChildren(QWidget)):
            if widget is not self:
                widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # every key comes to the window
            widget.setCursor(Qt.CursorShape.BlankCursor)  # keyboard only: no pointer on show
        self._show_page(self.list)
        self._apply_sizes()

    # -- looks ----------------------------------------------------------------------------------

    def _apply_palette(self) -> None:
        theme = self._theme
        palette = QPalette(self.palette())
        for role, colour in (
            (QPalette.ColorRole.Window, theme.window),
            (QPalette.ColorRole.Base, theme.surface),
            (QPalette.ColorRole.WindowText, theme.text),
            (QPalette.ColorRole.Text, theme.text),
            (QPalette.ColorRole.ToolTipBase, theme.surface),
            (QPalette.ColorRole.ToolTipText, theme.text),
        ):
            palette.setColor(role, QColor(colour))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        # A style sheet, not only the palette: the app's own style sheet would otherwise give
        # the labels the app theme's colours.
        self.setStyleSheet(
            f"QLabel {{ color: {theme.text}; background: transparent; }}"
            f' QLabel[soft="true"] {{ color: {theme.muted_text}; }}'
        )

    @staticmethod
    def _soften(label: QWidget) -> None:
        """Draw a label in the secondary text colour (see the style sheet)."""
        label.setProperty("soft", True)

    def _build_help(self) -> QFrame:
        frame = QFrame(self)
        frame.setObjectName("keys")
        frame.setStyleSheet(
            f"QFrame#keys {{ background: {self._theme.surface};"
            f" border: 3px solid {self._theme.accent}; border-radius: 16px; }}"
        )
        frame.setAccessibleName("Keys")
        layout = QGridLayout(frame)
        self._help_title = QLabel("Keys")
        layout.addWidget(self._help_title, 0, 0, 1, 2)
        self._help_rows: list[QLabel] = []
        for row, (keys, what) in enumerate(HELP_LINES, start=1):
            key_label, what_label = QLabel(keys), QLabel(what)
            key_label.setProperty("keys", True)
            key_label.setAccessibleName(f"{keys}: {what}")
            layout.addWidget(key_label, row, 0)
            layout.addWidget(what_label, row, 1)
            self._help_rows += [key_label, what_label]
        self._help_close = QLabel("Press F1, ? or Esc to close")
        self._soften(self._help_close)
        layout.addWidget(self._help_close, len(HELP_LINES) + 1, 0, 1, 2)
        frame.hide()
        return frame

    def _apply_sizes(self) -> None:
        height = max(1, self.height())
        margin = round(height * 0.03)
        self._layout.setContentsMargins(margin, round(margin * 0.7), margin, round(margin * 0.6))
        self._layout.setSpacing(round(height * 0.015))
        base = self.font()
        self.heading.setFont(_font(base, _px(height, HEADING_SHARE), bold=True))
        self.run_title.setFont(_font(base, _px(height, RUN_TITLE_SHARE), bold=True))
        self.time_left.setFont(_font(base, _px(height, RUN_TITLE_SHARE)))
        self.list.set_sizes(_px(height, ROW_TITLE_SHARE), _px(height, ROW_DETAIL_SHARE))
        self.breathing.set_sizes(height)
        self.attention.set_sizes(self.width(), height)
        footer = _font(base, _px(height, FOOTER_SHARE))
        self.demo_note.setFont(footer)
        self.keys_hint.setFont(footer)
        help_px = _px(height, HELP_SHARE)
        for label in (*self._help_rows, self._help_close):
            label.setFont(_font(base, help_px, bold=bool(label.property("keys"))))
        grid = self.help.layout()
        assert isinstance(grid, QGridLayout)
        grid.setHorizontalSpacing(round(help_px * 1.2))
        grid.setVerticalSpacing(round(help_px * 0.35))
        self._help_title.setFont(_font(base, _px(height, HEADING_SHARE), bold=True))
        grid.setContentsMargins(margin, margin, margin, margin)
        self._place_help()

    def _place_help(self) -> None:
        self.help.adjustSize()
        size = self.help.sizeHint().boundedTo(self.size())
        self.help.setGeometry(
            (self.width() - size.width()) // 2,
            (self.height() - size.height()) // 2,
            size.width(),
            size.height(),
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_sizes()

    # -- showing --------------------------------------------------------------------------------

    def present_on(self, screen: QScreen) -> None:
        """Fill ``screen`` with the window and take the keyboard."""
        if self.isFullScreen():
            self.showNormal()  # a full-screen window moves to another screen only when normal
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    @property
    def showing(self) -> str:
        """``list``, ``breathing`` or ``attention``."""
        page = self.pages.currentWidget()
        return (
            "list" if page is self.list else "breathing" if page is self.breathing else "attention"
        )

    @property
    def help_shown(self) -> bool:
        """Whether the keys are on screen."""
        return not self.help.isHidden()

    def toggle_help(self) -> None:
        """Show the keys, or hide them."""
        if self.help_shown:
            self.help.hide()
        else:
            self._place_help()
            self.help.show()
            self.help.raise_()

    def _show_page(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        on_list = page is self.list
        self.heading.setVisible(on_list)
        self.run_title.setVisible(not on_list)
        self.time_left.setVisible(not on_list)
        self.keys_hint.set_full_text(LIST_KEYS if on_list else self._run_keys(paused=False))

    # -- the exercise ---------------------------------------------------------------------------

    @property
    def session(self) -> Session | None:
        """The demonstration on show, if any."""
        return self._session

    def start(self) -> None:
        """Start the chosen exercise at the chosen length, as a demonstration (no ratings)."""
        if self._session is not None:
            return
        choice, minutes = self.list.current, self.list.minutes
        plan = choice.plan(minutes)
        session = demonstration(plan, clock=self._clock, utc_now=self._utc_now)
        self._session = session
        self.run_title.set_full_text(f"{plan.title} · {minutes_text(minutes)}")
        if choice.script is not None:
            # Nobody's marked areas: an exercise about "where it hurts" lights the whole body.
            self.attention.begin(session, resolve(choice.script.version(minutes), (), ()))
            self._show_page(self.attention)
        else:
            self.breathing.begin(session)
            self._show_page(self.breathing)
        session.subscribe(self._on_state)
        session.confirm_before(None, None)

    def toggle_pause(self) -> None:
        """Pause the exercise, or continue it."""
        toggle_pause(self._session)

    def end_exercise(self) -> None:
        """End the exercise now (a demonstration: no need to ask) and go back to the list."""
        session = self._session
        if practising(session):
            session.end_early()
            self._wrap_up()

    def _wrap_up(self) -> None:
        """The exercise is over: finish it without after-ratings and show the list again."""
        session = self._session
        if session is None:
            return
        if session.state is SessionState.RATE_AFTER:
            session.confirm_after(None, None)
        self._session = None
        self._show_page(self.list)

    def _on_state(self, state: SessionState) -> None:
        if state is SessionState.RUNNING:
            self._ticker.start()
        else:
            self._ticker.stop()
        self.refresh()

    def on_tick(self) -> None:
        """One frame: let the session notice its end, then draw."""
        session = self._session
        if session is None or session.state is not SessionState.RUNNING:
            return  # the ticker is shared: nothing of ours to draw
        session.update()
        state: SessionState = session.state  # read again: update() may have ended the practice
        if state is SessionState.RATE_AFTER:
            self._wrap_up()
            return
        self.refresh()
        QCoreApplication.sendPostedEvents(self, QEvent.Type.UpdateRequest)

    def refresh(self) -> None:
        """Draw the exercise's state now."""
        session = self._session
        if session is None:
            return
        if self.pages.currentWidget() is self.attention:
            self.attention.refresh()
        else:
            self.breathing.refresh()
        self.time_left.setText(time_left_text(session.remaining_s))
        self.keys_hint.set_full_text(self._run_keys(paused=session.state is SessionState.PAUSED))

    def _run_keys(self, *, paused: bool) -> str:
        """The keys line under an exercise (a guided one also names N)."""
        if self.pages.currentWidget() is self.attention:
            return GUIDED_PAUSED_KEYS if paused else GUIDED_RUN_KEYS
        return PAUSED_KEYS if paused else RUN_KEYS

    # -- keys and closing -----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_F1, Qt.Key.Key_Question):
            self.toggle_help()
        elif key == Qt.Key.Key_Escape and self.help_shown:
            self.help.hide()
        elif self._session is not None:
            self._running_key(key)
        elif key == Qt.Key.Key_Up:
            self.list.step_choice(-1)
        elif key == Qt.Key.Key_Down:
            self.list.step_choice(1)
        elif key == Qt.Key.Key_PageUp:
            self.list.step_choice(-len(self.list.visible_rows()))
        elif key == Qt.Key.Key_PageDown:
            self.list.step_choice(len(self.list.visible_rows()))
        elif key == Qt.Key.Key_Home:
            self.list.step_choice(-len(self.list.choices))
        elif key == Qt.Key.Key_End:
            self.list.step_choice(len(self.list.choices))
        elif key == Qt.Key.Key_Left:
            self.list.change_length(-1)
        elif key == Qt.Key.Key_Right:
            self.list.change_length(1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.start()
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def _running_key(self, key: int) -> None:
        if key == Qt.Key.Key_Space:
            self.toggle_pause()
        elif key == Qt.Key.Key_Escape:
            self.end_exercise()
        elif key in (Qt.Key.Key_N, Qt.Key.Key_Right) and self.showing == "attention":
            self.attention.skip()
        elif key in VISUAL_KEYS and self.showing == "breathing":
            self._show_visual(VISUAL_NAMES[VISUAL_KEYS[Qt.Key(key)]])
        elif key == Qt.Key.Key_V and self.showing == "breathing":
            names = VISUAL_NAMES
            self._show_visual(names[(names.index(self.breathing.pacers.current_name) + 1) % 3])

    def _show_visual(self, name: str) -> None:
        pacers = self.breathing.pacers
        pacers.show_visual(name)
        session = self._session
        if session is not None:
            pacers.set_schedule(*pacer_schedule(session))
            self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Leaving presentation mode ends any exercise (nothing to keep: it is a demonstration)."""
        session = self._session
        if session is not None:
            session.abandon()
            self._session = None
        self.help.hide()
        self._show_page(self.list)
        event.accept()
        self.closed.emit()
