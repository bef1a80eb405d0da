"""The 0-10 rating step shown before and after every practice."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

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
from ui.common.theme import muted, scaled_font
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


class RatingScreen(QWidget):
    """Two scales (tension, pain) and a Continue button; Enter confirms. For a quick reset,
    one question (tension) alone: see :meth:`reset`.

    Emits ``confirmed(tension, pain)`` with ``None`` for a skipped rating (and for pain when it
    was not asked), or ``cancelled`` when the person goes back (only offered before the practice).
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
        # The keys are behind "?" (and in Help), not on a line always in view: the scales
        # already show their numbers and Skip, and a screen reader hears the keys from the
        # screen's description.
        self.keys_dialog: KeysDialog | None = None
        self.keys_button = keys_button(self.show_keys)
        question_key(self, self.show_keys)
        self.setAccessibleDescription(keys_sentence(RATING_KEYS[1]))

        self.continue_button = QPushButton(continue_text)
        self.continue_button.setFont(scaled_font(self, 1.1, bold=True))
        key_tip(self.continue_button, continue_text, "Enter")
        self.continue_button.clicked.connect(self.confirm)
        self.back_button = QPushButton("Back")
        key_tip(self.back_button, "Back", "Esc")
        self.back_button.clicked.connect(self.cancelled)
        self._can_cancel = can_cancel

        # The scales scroll on a small screen; Back and Begin practice (or Save) stay in sight.
        self.page = ActionPage(
            self, spacing=8, max_width_px=FORM_MAX_WIDTH_PX, margins=(32, 16, 32, 16), follow=True
        )
        buttons = self.page.actions
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.keys_button)
        buttons.addWidget(self.continue_button)

        layout = self.page.content
        layout.addWidget(self._heading)
        layout.addWidget(self._context)
        layout.addWidget(intro)
        layout.addWidget(self.tension_meaning)
        layout.addWidget(self.tension)
        layout.addWidget(self.pain)
        layout.addWidget(self._message)
        layout.addStretch(1)
        # Only now, in its place: shown before it had a parent, it would be a window of its own.
        self.back_button.setVisible(can_cancel)
        QWidget.setTabOrder(self.tension, self.pain)
        QWidget.setTabOrder(self.pain, self.continue_button)
        QWidget.setTabOrder(self.continue_button, self.back_button)
        QWidget.setTabOrder(self.back_button, self.keys_button)
        for scale in (self.tension, self.pain):
            scale.changed.connect(self._message.clear)

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
        self._message.clear()
        self.tension.setFocus()

    def confirm(self) -> None:
        """Emit ``confirmed`` if both scales are answered; otherwise say what is missing."""
        for scale in (self.tension,) if self._quick else (self.tension, self.pain):
            if not scale.answered:
                self._message.setText(
                    f"Please choose a number for {scale.name.lower()}, or skip it if you'd "
                    "rather not rate it now."
                )
                scale.setFocus()
                return
        self.confirmed.emit(self.tension.value, None if self._quick else self.pain.value)

    def show_keys(self) -> None:
        """The keys of this screen, in a small window (? or the "?" button)."""
        self.keys_dialog = open_keys(self, *RATING_KEYS)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event):
            if not click_focused_button(self):
                self.confirm()
        elif event.key() == Qt.Key.Key_Escape and self._can_cancel:
            self.cancelled.emit()
        else:
            super().keyPressEvent(event)
