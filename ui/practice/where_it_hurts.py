"""Before an exercise: the person may mark where they feel pain on the body map, and, for
exercises that move between the two, choose an area that feels comfortable or neutral.

Marking is optional: Skip (or S) goes on with nothing marked, and Continue with nothing marked is
fine too. Enter continues, Esc goes back a step (from the first, it cancels).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from trainer.app.words import CLINICIAN_NOTE, WHERE_IT_HURTS, describe_regions, region_words
from trainer.content.bodymap import BodyMap
from ui.common.keys import (
    KeysDialog,
    click_focused_button,
    is_enter,
    key_tip,
    keys_button,
    open_keys,
    question_key,
)
from ui.common.screen_keys import WHERE_KEYS, keys_sentence
from ui.common.theme import muted, scaled_font
from ui.widgets.action_page import ActionPage
from ui.widgets.body_map import BodyMapView

__all__ = ["WhereItHurtsScreen"]

PAIN_HEADING: Final = WHERE_IT_HURTS
PAIN_LINE: Final = (
    "If you like, click the places where you feel pain or discomfort today. Marking is "
    "optional: you can skip it, and change it any time."
)
PAIN_NEEDED_LINE: Final = (
    "Click the place where you feel pain or discomfort today: this exercise moves your "
    "attention between it and an area that feels comfortable."
)
PAIN_NEEDED_NOTE: Final = "Mark at least one place first (or press Esc to go back)."
COMFORT_HEADING: Final = "Now choose an area that feels comfortable or neutral"
COMFORT_LINE: Final = (
    "Your attention will move between the area that hurts and this one. {default} chosen "
    "for now; click another area to choose it instead."
)
COMFORT_LINE_OWN: Final = (
    "Your attention will move between the area that hurts and this one. Click an area to "
    "choose it, or click it again to clear it."
)
# Where a calm area is looked for when the person has not chosen one: the hands, unless they
# hurt; then the feet, and so on.
DEFAULT_COMFORT: Final = (
    ("left_hand", "right_hand"),
    ("left_foot", "right_foot"),
    ("left_arm", "right_arm"),
    ("left_leg", "right_leg"),
    ("head",),
)


class WhereItHurtsScreen(QWidget):
    """Marks where it hurts (and, if the exercise uses one, a comfortable area).

    ``confirmed(pain, comfort)`` gives two tuples of region ids (either may be empty);
    ``cancelled()`` means the person went back.
    """

    confirmed = Signal(object, object)
    cancelled = Signal()

    def __init__(self, body_map: BodyMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._uses: tuple[str, ...] = ()
        self._step = "pain"
        self._comfort_default: tuple[str, ...] = ()  # the default on show, until changed
        self._comfort_wanted: tuple[str, ...] = ()  # chosen before (last time, or before Back)
        self._adjusting = False

        self.heading = QLabel(PAIN_HEADING)
        self.heading.setFont(scaled_font(self, 1.5, bold=True))
        self.heading.setWordWrap(True)
        self.intro = QLabel(PAIN_LINE)
        self.intro.setWordWrap(True)
        muted(self.intro)
        self.map = BodyMapView(body_map)
        self.map.selection_changed.connect(self._on_selection)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.summary.setMinimumWidth(150)
        self.summary.setMaximumWidth(240)
        self.note = QLabel(CLINICIAN_NOTE)
        self.note.setWordWrap(True)
        muted(self.note)

        self.back_button = QPushButton("Back")
        key_tip(self.back_button, "Back a step", "Esc")
        self.back_button.clicked.connect(self.back)
        self.skip_button = QPushButton("Skip")
        key_tip(self.skip_button, "Go on without marking anything", "S")
        self.skip_button.clicked.connect(self.skip)
        self.continue_button = QPushButton("Continue")
        self.continue_button.clicked.connect(self.go_on)
        self.keys_dialog: KeysDialog | None = None
        self.keys_button = keys_button(self.show_keys)
        self.keys_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        question_key(self, self.show_keys)
        # The map shrinks to the room there is (and the words scroll if even that is not
        # enough); Back, Skip and Continue stay in sight below.
        self.page = ActionPage(self, spacing=8, margins=(32, 16, 32, 16))
        buttons = self.page.actions
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.keys_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.continue_button)
        for button in (self.back_button, self.skip_button, self.continue_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        layout = self.page.content
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        # The map is taller than wide: the marked areas are listed in words beside it.
        middle = QHBoxLayout()
        middle.addWidget(self.map, 1)
        middle.addWidget(self.summary)
        layout.addLayout(middle, 1)
        layout.addWidget(self.note)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(WHERE_IT_HURTS)
        self.setAccessibleDescription(keys_sentence(WHERE_KEYS[1]))
        self.setTabOrder(self.map, self.back_button)
        self.setTabOrder(self.back_button, self.skip_button)
        self.setTabOrder(self.skip_button, self.continue_button)
        self.setTabOrder(self.continue_button, self.keys_button)
        self._show_step()

    # -- state ------------------------------------------------------------------------------------

    @property
    def step(self) -> str:
        """``pain`` (where it hurts) or ``comfort`` (a comfortable area)."""
        return self._step

    @property
    def pain(self) -> tuple[str, ...]:
        """The areas marked as hurting, head to feet."""
        return self.map.marked("pain")

    @property
    def comfort(self) -> tuple[str, ...]:
        """The comfortable areas chosen (the default counts as chosen)."""
        return self.map.marked("comfort")

    def begin(
        self,
        uses: Sequence[str],
        pain: Sequence[str] = (),
        comfort: Sequence[str] = (),
    ) -> None:
        """Start afresh for an exercise that ``uses`` these marks ("pain", "comfort"), with
        ``pain`` and ``comfort`` already marked (from last time, say)."""
        self._uses = tuple(uses)
        self.map.clear_marks()
        self.map.set_marked("pain", pain)
        # The comfortable area is shown only at its own step, so on this one every area can
        # be marked as hurting (even last time's comfortable one).
        self._comfort_wanted = tuple(comfort)
        self._comfort_default = ()
        self._step = "pain"
        self._show_step()
        self.setFocus()

    def _show_step(self) -> None:
        comfort = self._step == "comfort"
        self.map.set_marking_role(self._step)
        self.heading.setText(COMFORT_HEADING if comfort else PAIN_HEADING)
        if not comfort:
            self.intro.setText(PAIN_LINE if not self._pain_needed else PAIN_NEEDED_LINE)
        elif self._comfort_default:
            words = describe_regions(self._comfort_default).lower().removeprefix("both ")
            verb = "are" if len(self._comfort_default) > 1 else "is"
            self.intro.setText(COMFORT_LINE.format(default=f"Your {words} {verb}"))
        else:
            self.intro.setText(COMFORT_LINE_OWN)
        needs_comfort = "comfort" in self._uses and not comfort
        words = "Next" if needs_comfort else "Continue"
        self.continue_button.setText(words)
        key_tip(
            self.continue_button,
            "On to a comfortable area" if needs_comfort else "Go on",
            "Enter",
        )
        self.skip_button.setVisible(comfort or not self._pain_needed)
        self._show_summary()

    def _show_summary(self) -> None:
        """The marked areas in words, beside the map."""
        parts = [(WHERE_IT_HURTS, self.pain, "Nothing marked yet. That is fine too.")]
        if "comfort" in self._uses and self._step == "comfort":
            parts.append(("Comfortable area", self.comfort, "None chosen yet."))
        html = []
        spoken = []
        for title, regions, empty in parts:
            words = region_words(regions)
            items = "<br>".join(escape(w[0].upper() + w[1:]) for w in words) or escape(empty)
            html.append(f"<p><b>{escape(title)}</b><br>{items}</p>")
            spoken.append(f"{title}: {describe_regions(regions) or empty}")
        self.summary.setText("".join(html))
        self.summary.setAccessibleName(". ".join(spoken))

    def _on_selection(self) -> None:
        if self._adjusting:
            return
        if self._step == "comfort" and self._comfort_default:
            chosen = set(self.comfort)
            default = set(self._comfort_default)
            if chosen != default:
                # The first change of mind replaces the default rather than adding to it.
                self._comfort_default = ()
                added = chosen - default
                if added:
                    self._adjusting = True
                    try:
                        self.map.set_marked("comfort", added)
                    finally:
                        self._adjusting = False
                self._show_step()
                return
        self._show_summary()

    @property
    def _pain_needed(self) -> bool:
        """Attention shifting moves between the sore area and a comfortable one: it needs both."""
        return "pain" in self._uses and "comfort" in self._uses

    def _default_comfort(self) -> tuple[str, ...]:
        hurting = set(self.pain)
        for candidate in DEFAULT_COMFORT:
            if not hurting.intersection(candidate):
                return candidate
        return ()

    # -- actions ----------------------------------------------------------------------------------

    def go_on(self) -> None:
        """Continue: to the comfortable area if the exercise uses one, else done."""
        if self._step == "pain" and self._pain_needed and not self.pain:
            self._show_summary()
            self.summary.setText(self.summary.text() + f"<p>{escape(PAIN_NEEDED_NOTE)}</p>")
            self.map.setFocus()
            return
        if self._step == "pain" and "comfort" in self._uses:
            self._step = "comfort"
            hurting = set(self.pain)
            wanted = tuple(r for r in self._comfort_wanted if r not in hurting)
            self._comfort_default = () if wanted else self._default_comfort()
            self._adjusting = True
            try:
                self.map.set_marked("comfort", wanted or self._comfort_default)
            finally:
                self._adjusting = False
            self._show_step()
            self.setFocus()
            return
        self.confirmed.emit(self.pain, self.comfort if "comfort" in self._uses else ())

    def skip(self) -> None:
        """Go on without marking: nothing sore, or a comfortable area that does not hurt (the
        hands, else the feet...). Attention shifting cannot skip its sore area."""
        if self._step == "comfort":
            self.confirmed.emit(self.pain, self._default_comfort())
        elif self._pain_needed:
            self.go_on()  # says what is needed
        else:
            self.confirmed.emit((), ())

    def back(self) -> None:
        """Back a step; from the first, cancel."""
        if self._step == "comfort":
            self._comfort_wanted = self.comfort  # kept for when they come back to it
            self._adjusting = True
            try:
                self.map.set_marked("comfort", ())
            finally:
                self._adjusting = False
            self._comfort_default = ()
            self._step = "pain"
            self._show_step()
            self.setFocus()
            return
        self.cancelled.emit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() is QEvent.Type.PaletteChange:
            muted(self.intro)  # the secondary colour of the new theme

    def show_keys(self) -> None:
        """The keys of this screen, in a small window (? or the "?" button)."""
        self.keys_dialog = open_keys(self, *WHERE_KEYS)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if is_enter(event):
            if not click_focused_button(self):
                self.go_on()
        elif key == Qt.Key.Key_Escape:
            self.back()
        elif key == Qt.Key.Key_S:
            self.skip()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.map.setFocus(Qt.FocusReason.TabFocusReason)  # the arrows work the map
        else:
            super().keyPressEvent(event)
