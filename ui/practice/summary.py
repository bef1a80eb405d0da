"""The summary after a practice: a calm ending that says what was done, shows before -> after
for both ratings in words and as a gentle picture, and offers one clear next step (Done).

It never claims a rating went down or pain went away: it shows the two numbers the person gave,
side by side on the same 0-10 line, in neutral colours. A demonstration rated nothing, so its
summary shows no ratings at all, only that nothing was recorded.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from trainer.app.profile import StoredSession
from trainer.app.words import before_after_text, duration_text, rating_text
from trainer.session.machine import SessionStatus
from ui.common.icons import ON_ACCENT, icon
from ui.common.keys import KeysDialog, click_focused_button, is_enter, key_tip, open_keys
from ui.common.screen_keys import SUMMARY_KEYS
from ui.common.theme import (
    Space,
    TextRole,
    current_theme,
    heading,
    mix,
    primary,
    screen_layout,
    text_role,
)

__all__ = ["COLUMN_MAX_PX", "RatingTrack", "SummaryScreen"]

COLUMN_MAX_PX: Final = 720  # the ending reads as one calm column, centred in a wide window
SCALE_MAX: Final = 10  # the 0-10 ratings
SHORTEST_SHOWN_S: Final = 30  # a demonstration ended sooner is named without its length
THANKS: Final = "Thank you for taking this time for yourself."
ABOUT_THE_FIGURES: Final = (
    "These are this session's before and after ratings: how you felt today, just before "
    "and just after. Over the weeks, the history shows how your ratings move alongside "
    "your practice, though not what caused a change; it keeps every session."
)


class RatingTrack(QWidget):
    """A rating before and after, drawn on one 0-10 line: an open ring where it was before, a
    smaller filled dot where it was after (inside the ring when they are the same), joined by a
    soft band. Neutral colours only: neither a
    higher nor a lower number is drawn as good or bad. A skipped rating has no mark."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self.before: int | None = None
        self.after: int | None = None
        self.setAccessibleName(f"{name}, before and after, on a line from 0 to 10")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_values(self, before: int | None, after: int | None) -> None:
        """Show these two ratings (None: skipped)."""
        self.before, self.after = before, after
        self.setAccessibleDescription(
            f"Before {rating_text(before)}, after {rating_text(after)}, out of {SCALE_MAX}"
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(240, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self._height())

    def _height(self) -> int:
        return max(22, round(self.fontMetrics().height() * 1.4))

    def x_of(self, value: float) -> float:
        """Where ``value`` (0-10) lies across the widget."""
        radius = self.height() * 0.32
        left, right = radius + 2.0, self.width() - radius - 2.0
        return left + (right - left) * value / SCALE_MAX

    def paintEvent(self, event: QPaintEvent) -> None:
        theme = current_theme()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        middle = self.height() / 2
        radius = self.height() * 0.32
        track = max(3.0, self.height() * 0.16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(mix(theme.surface, theme.border, 0.45)))
        left, right = self.x_of(0), self.x_of(SCALE_MAX)
        painter.drawRoundedRect(
            QRectF(left - track / 2, middle - track / 2, right - left + track, track),
            track / 2,
            track / 2,
        )
        if self.before is not None and self.after is not None and self.before != self.after:
            band = QColor(theme.accent)
            band.setAlphaF(0.35)
            a, b = sorted((self.x_of(self.before), self.x_of(self.after)))
            painter.setBrush(band)
            painter.drawRoundedRect(
                QRectF(a, middle - track * 0.75, b - a, track * 1.5), track * 0.75, track * 0.75
            )
        if self.before is not None:
            painter.setPen(QPen(QColor(theme.muted_text), max(2.0, radius * 0.35)))
            painter.setBrush(QColor(theme.surface))
            painter.drawEllipse(QPointF(self.x_of(self.before), middle), radius, radius)
        if self.after is not None:  # smaller than the ring: the same number shows both
            dot = radius * 0.62
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.accent))
            painter.drawEllipse(QPointF(self.x_of(self.after), middle), dot, dot)
        painter.end()


class SummaryScreen(QWidget):
    """Emits ``done`` (back to the exercises) or ``history_requested``."""

    done = Signal()
    history_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys_dialog: KeysDialog | None = None
        self.heading = heading("Well done")
        self.practised = QLabel()
        self.practised.setWordWrap(True)
        text_role(self.practised, TextRole.LEAD)
        self.thanks = QLabel(THANKS)
        self.thanks.setWordWrap(True)

        # Before -> after, in words and on a 0-10 line, on a card of its own.
        self.ratings = QFrame()
        self.ratings.setProperty("card", True)  # the theme's card: the surface, rounded
        self.ratings.setAccessibleName("Your ratings before and after")
        grid = QGridLayout(self.ratings)
        grid.setContentsMargins(Space.L, Space.M, Space.L, Space.M)
        grid.setHorizontalSpacing(Space.XL)
        grid.setVerticalSpacing(Space.S)
        self.header_before = QLabel("before → after")
        text_role(self.header_before, TextRole.CAPTION)
        grid.addWidget(self.header_before, 0, 1)
        self.tension = QLabel()
        self.pain = QLabel()
        self.tension_track = RatingTrack("Tension")
        self.pain_track = RatingTrack("Pain")
        rows = (("Tension", self.tension, self.tension_track), ("Pain", self.pain, self.pain_track))
        for line, (name, value, track) in enumerate(rows, 1):
            label = QLabel(name)
            text_role(label, TextRole.SECTION)
            text_role(value, TextRole.SECTION)
            value.setAccessibleName(f"{name} before and after")
            grid.addWidget(label, line, 0)
            grid.addWidget(value, line, 1)
            grid.addWidget(track, line, 2)
        grid.setColumnStretch(2, 1)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        text_role(self.legend, TextRole.CAPTION)
        self._colour_legend()
        grid.addWidget(self.legend, len(rows) + 1, 2, Qt.AlignmentFlag.AlignRight)

        self.note = QLabel(ABOUT_THE_FIGURES)
        self.note.setWordWrap(True)
        text_role(self.note, TextRole.CAPTION)

        self.done_button = QPushButton("Done")
        key_tip(self.done_button, "Back to the exercises", "Enter")
        self.done_button.setAccessibleName("Done: back to the exercises")
        self.done_button.setIcon(icon("check", ON_ACCENT))
        primary(self.done_button)
        self.done_button.clicked.connect(self.done)
        self.history_button = QPushButton("See history")
        key_tip(self.history_button, "Every session you have practised", "H")
        self.history_button.setAccessibleName("See history")
        self.history_button.setIcon(icon("history"))
        self.history_button.clicked.connect(self.history_requested)
        buttons = QHBoxLayout()
        buttons.setSpacing(Space.M)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)

        column = QWidget()
        column.setMaximumWidth(COLUMN_MAX_PX)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(Space.L)
        inner.addWidget(self.heading)
        inner.addWidget(self.practised)
        inner.addWidget(self.thanks)
        inner.addSpacing(Space.XS)
        inner.addWidget(self.ratings)
        inner.addWidget(self.note)
        inner.addSpacing(Space.S)
        inner.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 100)
        row.addStretch(1)

        layout = screen_layout(self, spacing=0)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)  # a little above the middle, where the eye rests
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Session summary")

    def _colour_legend(self) -> None:
        """The legend's marks in the colours the line draws them in (this theme's)."""
        theme = current_theme()
        self.legend.setText(
            f'<span style="color:{theme.muted_text}">○</span> before &nbsp; '
            f'<span style="color:{theme.accent}">●</span> after &nbsp; '
            f"on a line from 0 to {SCALE_MAX}"
        )
        self.legend.setAccessibleName(f"Open ring: before; dot: after; 0 to {SCALE_MAX}")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() is QEvent.Type.PaletteChange:
            self._colour_legend()

    def show_session(self, session: StoredSession) -> None:
        """Fill in the figures of a saved session."""
        self.tension.setText(before_after_text(session.before.tension, session.after.tension))
        self.pain.setText(before_after_text(session.before.pain, session.after.pain))
        self.tension_track.set_values(session.before.tension, session.after.tension)
        self.pain_track.set_values(session.before.pain, session.after.pain)
        text = f"You practised {session.title} for {duration_text(session.practised_s)}."
        if session.status is SessionStatus.ENDED_EARLY:
            text += " Stopping early is fine: every minute of practice counts."
        self.practised.setText(text)
        self.ratings.show()
        self.note.show()
        self.setFocus()

    def show_demonstration(self, title: str, practised_s: float) -> None:
        """A demonstration ended: nothing was rated or kept, so no ratings are shown at all."""
        for label in (self.tension, self.pain):
            label.setText("")
        for track in (self.tension_track, self.pain_track):
            track.set_values(None, None)
        # Under half a minute (ended at once, or in the lead-in) its length says nothing true.
        length = f" ({duration_text(practised_s)})" if practised_s >= SHORTEST_SHOWN_S else ""
        self.practised.setText(
            f"That was a demonstration of {title}{length}. Nothing was recorded."
        )
        self.ratings.hide()
        self.note.hide()
        self.setFocus()

    def clear(self) -> None:
        """Forget the last session's figures (another profile is now in use)."""
        for label in (self.tension, self.pain, self.practised):
            label.setText("")
        for track in (self.tension_track, self.pain_track):
            track.set_values(None, None)

    def show_keys(self) -> None:
        """The keys of this screen, in a small window (?)."""
        self.keys_dialog = open_keys(self, *SUMMARY_KEYS)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event):
            if not click_focused_button(self):
                self.done.emit()
        elif event.key() == Qt.Key.Key_Escape:
            self.done.emit()
        elif event.key() == Qt.Key.Key_H:
            self.history_requested.emit()
        elif event.text() == "?":
            self.show_keys()
        else:
            super().keyPressEvent(event)
