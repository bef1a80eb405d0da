"""The 0-10 rating step shown before and after every practice."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from trainer.session.clock import Clock
from ui.common.keys import (
    KeysDialog,
    click_focused_button,
    is_enter,
    key_tip,
    keys_button,
    open_keys,
    question_key,
)
from ui.common.screen_keys import RATING_KEYS, keys_sentence
from ui.common.theme import muted, primary, scaled_font
from ui.widgets.action_page import ActionPage
from ui.widgets.rating_scale import RatingScale

FORM_MAX_WIDTH_PX = 880  # on a wide screen the two scales stay this wide, centred

# What "tension" asks about, in one plain line beside the first scale.
TENSION_MEANING = (
    "Tension: how tight, tense or on edge your body feels right now, whether or not it hurts."
)
# A quick reset asks one question (Settings: "Before a quick reset"); pain is stored as skipped.
QUICK_BEFORE = "One quick question: how tense do you feel right now?"
QUICK_AFTER = "And now, how tense do you feel?"
# The main button before the practice and after it: one place on both screens, as wide as the
# longer of the two, so a click aimed at Begin practice lands on Save.
BEGIN_PRACTICE = "Begin practice"
SAVE = "Save"
# After the practice, the way out in one step (and Esc): what is not rated yet is kept as
# skipped, never as 0.
NOT_NOW = "Not now"
NOT_NOW_TIP = "Save now; any scale not rated is kept as skipped, not as 0"


class SteadyButton(QPushButton):
    """A button as wide as the longest of ``room_for`` (its own text included), so it keeps
    one size and place whichever of them it says; it follows the theme's font."""

    def __init__(self, text: str, room_for: tuple[str, ...]) -> None:
        super().__init__(text)
        self._room_for = room_for

    def sizeHint(self) -> QSize:
        # (Qt's minimum size hint of a push button is this one, so it follows.)
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        widest_px = max(metrics.horizontalAdvance(t) for t in (self.text(), *self._room_for))
        return QSize(
            hint.width() + widest_px - metrics.horizontalAdvance(self.text()), hint.height()
        )


class RatingScreen(QWidget):
    """Two scales (tension, pain) and a Continue button; Enter confirms. For a quick reset,
    one question (tension) alone: see :meth:`reset`.

    Emits ``confirmed(tension, pain)`` with ``None`` for a skipped rating (and for pain when it
    was not asked), or ``cancelled`` when the person goes back (only offered before the practice).
    After the practice (no going back) *Not now* and Esc confirm at once, what is not rated
    yet skipped: see :meth:`not_now`.
    """

    confirmed = Signal(object, object)
    cancelled = Signal()

    def __init__(
        self,
        heading: str,
        prompt: str,
        clock: Clock,
        *,
        can_cancel: bool,
        continue_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._heading = QLabel(heading)
        self._heading.setFont(scaled_font(self, 1.9, bold=True))
        self._context = QLabel()
        self._context.setWordWrap(True)  # a long exercise name wraps; the window keeps its size
        muted(self._context)
        self._prompt = prompt
        self._intro = intro = QLabel(prompt)
        intro.setWordWrap(True)
        self._quick = False

        self.tension_meaning = QLabel(TENSION_MEANING)
        self.tension_meaning.setWordWrap(True)
        muted(self.tension_meaning)
        self.tension = RatingScale("Tension", clock)
        self.tension.setToolTip(TENSION_MEANING)
        self.pain = RatingScale("Pain", clock)
        self._message = QLabel()
        self._message.setWordWrap(True)
        self._message.hide()  # takes room only when it has something to say
        # The keys are behind "?" (and in Help), not on a line always in view: the scales
        # already show their numbers and Skip, and a screen reader hears the keys from the
        # screen's description.
        self.keys_dialog: KeysDialog | None = None
        self.keys_button = keys_button(self.show_keys)
        question_key(self, self.show_keys)
        self.setAccessibleDescription(keys_sentence(RATING_KEYS[1]))

        self.continue_button = SteadyButton(continue_text, (BEGIN_PRACTICE, SAVE))
        self.continue_button.setFont(scaled_font(self, 1.1, bold=True))
        primary(self.continue_button)
        key_tip(self.continue_button, continue_text, "Enter")
        self.continue_button.clicked.connect(self.confirm)
        self.back_button = QPushButton("Back")
        key_tip(self.back_button, "Back", "Esc")
        self.back_button.clicked.connect(self.cancelled)
        self.not_now_button = QPushButton(NOT_NOW)
        key_tip(self.not_now_button, NOT_NOW_TIP, "Esc")
        self.not_now_button.clicked.connect(self.not_now)
        self._can_cancel = can_cancel

        # The scales scroll on a small screen; Back and Begin practice (or Save) stay in sight.
        self.page = ActionPage(
            self, spacing=8, max_width_px=FORM_MAX_WIDTH_PX, margins=(32, 16, 32, 16), follow=True
        )
        buttons = self.page.actions
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.keys_button)
        buttons.addWidget(self.not_now_button)
        buttons.addWidget(self.continue_button)

        layout = self.page.content
        # The exercise's name beside the heading, not under it: a line more for the scales on
        # a small screen (the filled Begin practice / Save is taller than a plain button).
        head = QHBoxLayout()
        head.setSpacing(16)
        head.addWidget(self._heading, 0, Qt.AlignmentFlag.AlignBottom)
        head.addWidget(self._context, 1, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(head)
        layout.addWidget(intro)
        layout.addWidget(self.tension_meaning)
        layout.addWidget(self.tension)
        layout.addWidget(self.pain)
        layout.addWidget(self._message)
        layout.addStretch(1)
        # Only now, in its place: shown before it had a parent, it would be a window of its own.
        self.back_button.setVisible(can_cancel)
        self.not_now_button.setVisible(not can_cancel)
        QWidget.setTabOrder(self.tension, self.pain)
        QWidget.setTabOrder(self.pain, self.continue_button)
        QWidget.setTabOrder(self.continue_button, self.not_now_button)
        QWidget.setTabOrder(self.not_now_button, self.back_button)
        QWidget.setTabOrder(self.back_button, self.keys_button)
        for scale in (self.tension, self.pain):
            scale.changed.connect(lambda: self._say(""))

    def reset(self, context: str, *, question: str | None = None) -> None:
        """Clear both scales for a new session; ``context`` names the exercise. With a
        ``question`` (a quick reset) only tension is asked, in those words."""
        self._context.setText(context)
        self._quick = question is not None
        self._intro.setText(question or self._prompt)
        self._intro.setFont(scaled_font(self, 1.3 if self._quick else 1.0, bold=self._quick))
        self.pain.setHidden(self._quick)
        self.tension.reset()
        self.pain.reset()
        self._say("")
        self.tension.setFocus()

    def confirm(self) -> None:
        """Emit ``confirmed`` if both scales are answered; otherwise say what is missing."""
        for scale in (self.tension,) if self._quick else (self.tension, self.pain):
            if not scale.answered:
                self._say(
                    f"Please choose a number for {scale.name.lower()}, or skip it if you'd "
                    "rather not rate it now."
                )
                scale.setFocus()
                return
        self.confirmed.emit(self.tension.value, None if self._quick else self.pain.value)

    def not_now(self) -> None:
        """Confirm at once (after the practice only): each scale not rated yet is skipped
        (stored as skipped, never as 0), a number already chosen is kept, nothing is asked."""
        if self._can_cancel:
            return
        for scale in (self.tension,) if self._quick else (self.tension, self.pain):
            if not scale.answered:
                scale.set_skipped(True)
        self.confirm()

    def _say(self, text: str) -> None:
        """Show ``text`` under the scales, or take the line away when there is nothing to say."""
        self._message.setText(text)
        self._message.setVisible(bool(text))

    def show_keys(self) -> None:
        """The keys of this screen, in a small window (? or the "?" button)."""
        self.keys_dialog = open_keys(self, *RATING_KEYS)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event):
            if not click_focused_button(self):
                self.confirm()
        elif event.key() == Qt.Key.Key_Escape:
            if self._can_cancel:
                self.cancelled.emit()
            else:
                self.not_now()
        else:
            super().keyPressEvent(event)
