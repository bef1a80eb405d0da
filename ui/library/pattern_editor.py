"""The pattern editor: a name and seconds for each phase, with a live rate and a moving preview."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from trainer.app.words import PHASE_WORDS, describe_phases, rate_text, seconds_text
from trainer.content.breathing import BreathingPattern
from trainer.content.custom import ARROW_STEP_S, MAX_NAME_CHARS, PatternDraft
from trainer.errors import PatternError, SafeSignalError
from trainer.session.clock import Clock
from ui.common.dialogs import Dialogs
from ui.common.keys import click_focused_button, is_enter, key_tip
from ui.common.theme import muted, scaled_font
from ui.common.ticker import FrameTicker, ManualTicker
from ui.widgets.pacer import CirclePacer

FIELD_MAX_S = 60.0  # the boxes take anything up to a whole cycle; the rules say what fits
NEW_PATTERN_SECONDS = (4.0, 0.0, 6.0, 0.0)  # a gentle longer out-breath to start from

SaveFunction = Callable[[str, BreathingPattern], int]


class EditorMode(Enum):
    """Why the editor is open."""

    NEW = "new"
    EDIT = "edit"
    DUPLICATE = "duplicate"


def copy_name(name: str, taken_names: Iterable[str]) -> str:
    """``<name> (copy)``, or ``(copy 2)``, ``(copy 3)``... so it is not already taken.

    The name is shortened if need be so the whole fits the editor's limit.
    """
    taken = {t.strip().casefold() for t in taken_names}
    number = 1
    while True:
        suffix = " (copy)" if number == 1 else f" (copy {number})"
        candidate = name.strip()[: MAX_NAME_CHARS - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in taken:
            return candidate
        number += 1


def timing_problems(draft: PatternDraft) -> list[str]:
    """The draft's problems with its times only (its name left aside)."""
    return PatternDraft(
        "x", draft.inhale_s, draft.hold_in_s, draft.exhale_s, draft.hold_out_s
    ).problems()


def name_problems(name: str, taken_names: Iterable[str]) -> list[str]:
    """The problems with a name only (checked against a pattern that is surely fine)."""
    return PatternDraft(name, *NEW_PATTERN_SECONDS).problems(taken_names)


class PatternEditor(QDialog):
    """Make, change or copy a breathing pattern; ``save`` stores it and returns its id.

    A pattern timed more finely than tenths of a second (a pace kept by Find my pace: 4.615 s)
    opens rounded to tenths, which the note says, so it can be changed; it is stored rounded
    only when saved. A pattern of another shape (a double in-breath) keeps its timing; only its
    name can be changed or copied.
    """

    def __init__(
        self,
        *,
        mode: EditorMode,
        ticker: FrameTicker | ManualTicker,
        clock: Clock,
        save: SaveFunction,
        taken_names: Iterable[str] = (),
        name: str = "",
        pattern: BreathingPattern | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.mode = mode
        self._ticker = ticker
        self._clock = clock
        self._save = save
        self._taken = [t for t in taken_names]
        self._started_ticker = False
        self._preview_pattern: BreathingPattern | None = None
        self._preview_start_s = clock.now_s()
        self.saved_id: int | None = None
        self.saved_name: str | None = None

        draft = PatternDraft.from_pattern(name, pattern) if pattern is not None else None
        if pattern is None:
            draft = PatternDraft(name, *NEW_PATTERN_SECONDS)
        # Seconds finer than the boxes' tenths open rounded to them (and the note says so).
        self.rounded_from: BreathingPattern | None = None
        if draft is not None and timing_problems(draft):
            rounded = draft.rounded()
            if not timing_problems(rounded):
                draft, self.rounded_from = rounded, pattern
        # A pattern the boxes cannot show exactly keeps its timing as it is.
        self._fixed_pattern = pattern if draft is None or timing_problems(draft) else None
        if mode is EditorMode.DUPLICATE:
            name = copy_name(name, self._taken)
        titles = {
            EditorMode.NEW: "New breathing pattern",
            EditorMode.EDIT: f"Change “{name}”",
            EditorMode.DUPLICATE: "Copy a breathing pattern",
        }
        self.setWindowTitle(titles[mode])
        self.setModal(True)

        heading = QLabel(titles[mode])
        heading.setFont(scaled_font(self, 1.4, bold=True))

        self.name = QLineEdit(name)
        self.name.setAccessibleName("Pattern name")
        self.name.setPlaceholderText("For example: Evening wind-down")
        self.name.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.name.textChanged.connect(self._on_changed)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        name_label = QLabel("&Name")
        name_label.setBuddy(self.name)
        form.addRow(name_label, self.name)

        seconds = (
            (draft.inhale_s, draft.hold_in_s, draft.exhale_s, draft.hold_out_s)
            if draft is not None
            else NEW_PATTERN_SECONDS
        )
        labels = (
            "Breathe &in (s)",
            "&Hold after breathing in (s)",
            "Breathe &out (s)",
            "Hold &after breathing out (s)",
        )
        self.inhale, self.hold_in, self.exhale, self.hold_out = (
            self._seconds_box(text, value, form)
            for text, value in zip(labels, seconds, strict=True)
        )

        self.fixed_note = QLabel()
        self.fixed_note.setWordWrap(True)
        muted(self.fixed_note)
        if self._fixed_pattern is not None:
            self.fixed_note.setText(
                f"This pattern's breath ({describe_phases(self._fixed_pattern)}) has a shape "
                "the four boxes cannot show, so its timing stays exactly as it is. You can give "
                "it a new name."
            )
            for box in self.seconds_boxes():
                box.setEnabled(False)
                form.setRowVisible(box, False)
        elif self.rounded_from is not None:
            self.fixed_note.setText(
                "This pattern was timed more finely than tenths of a second, so each time is "
                "shown rounded to the nearest tenth; its pace hardly changes. Saving keeps the "
                "rounded times, and Cancel leaves the pattern as it was."
            )
        self.fixed_note.setVisible(self._fixed_pattern is not None or self.rounded_from is not None)

        self.summary = QLabel()
        self.summary.setFont(scaled_font(self, 1.1, bold=True))
        self.summary.setAccessibleName("Breath length and rate")
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setAccessibleName("What needs changing")
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)

        self.pacer = CirclePacer()
        self.pacer.setMinimumSize(180, 180)
        self.pacer.setAccessibleName("Preview of the pattern")
        self.preview_word = QLabel()
        self.preview_word.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_word.setFont(scaled_font(self, 1.2))
        preview = QVBoxLayout()
        preview.addWidget(self.pacer, 1)
        preview.addWidget(self.preview_word)

        self.save_button = QPushButton("Save")
        key_tip(self.save_button, "Save the pattern", "Enter")
        self.save_button.clicked.connect(self.try_save)
        self.cancel_button = QPushButton("Cancel")
        key_tip(self.cancel_button, "Close without saving", "Esc")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        for button in (self.save_button, self.cancel_button):
            button.setAutoDefault(False)  # Enter is handled in keyPressEvent

        fields = QVBoxLayout()
        fields.addLayout(form)
        fields.addWidget(self.fixed_note)
        fields.addWidget(self.summary)
        fields.addWidget(self.problems_label)
        fields.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(fields, 3)
        body.addLayout(preview, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        self.resize(720, 440)

        ticker.tick.connect(self.on_tick)
        self._on_changed()
        if mode is EditorMode.EDIT and self._fixed_pattern is None:
            self.inhale.setFocus()
        else:
            self.name.setFocus()
            self.name.selectAll()

    def _seconds_box(self, text: str, value: float, form: QFormLayout) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setDecimals(1)
        box.setSingleStep(ARROW_STEP_S)  # typing takes tenths
        box.setRange(0.0, FIELD_MAX_S)
        box.setValue(value)
        box.setAccessibleName(text.replace("&", ""))
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        box.valueChanged.connect(self._on_changed)
        label = QLabel(text)
        label.setBuddy(box)
        form.addRow(label, box)
        return box

    # -- reading the fields ---------------------------------------------------------------------

    def seconds_boxes(self) -> tuple[QDoubleSpinBox, ...]:
        """The four boxes, in breathing order."""
        return (self.inhale, self.hold_in, self.exhale, self.hold_out)

    def draft(self) -> PatternDraft:
        """What the fields say now."""
        seconds = [box.value() for box in self.seconds_boxes()]
        return PatternDraft(self.name.text(), *seconds)

    def pattern(self) -> BreathingPattern | None:
        """The pattern the fields make (the fixed one if timing is kept), or None if invalid."""
        if self._fixed_pattern is not None:
            return self._fixed_pattern
        draft = self.draft()
        if timing_problems(draft):
            return None
        try:
            return draft.to_pattern()
        except PatternError:
            return None

    def problems(self) -> list[str]:
        """Everything that stops the pattern being saved, in plain words."""
        if self._fixed_pattern is not None:
            return name_problems(self.name.text(), self._taken)
        return self.draft().problems(self._taken)

    # -- live feedback --------------------------------------------------------------------------

    def _on_changed(self) -> None:
        pattern = self.pattern()
        if pattern is not None:
            self.summary.setText(
                f"One breath: {seconds_text(pattern.cycle_s)}  ·  {rate_text(pattern.rate_bpm)}"
            )
        else:
            cycle = self.draft().cycle_s
            rate = f"  ·  {rate_text(60 / cycle)}" if cycle > 0 and math.isfinite(cycle) else ""
            self.summary.setText(f"One breath: {seconds_text(cycle)}{rate}")
        problems = self.problems()
        self.problems_label.setText(
            "To save this pattern:\n" + "\n".join(f"•  {p}" for p in problems) if problems else ""
        )
        self.problems_label.setVisible(bool(problems))
        self.save_button.setEnabled(not problems)
        if pattern != self._preview_pattern:
            self._preview_pattern = pattern
            self._preview_start_s = self._clock.now_s()
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Show where the preview breath is now (still, at rest, while the times need fixing)."""
        pattern = self._preview_pattern
        if pattern is None:
            self.pacer.set_level(0.0)
            self.preview_word.setText("Preview waits for valid times")
            return
        state = pattern.state_at(max(0.0, self._clock.now_s() - self._preview_start_s))
        self.pacer.set_level(state.level)
        self.preview_word.setText(PHASE_WORDS[state.kind])

    def on_tick(self) -> None:
        """One frame of the preview."""
        if self.isVisible():
            self.refresh_preview()

    # -- saving and leaving ---------------------------------------------------------------------

    def try_save(self) -> bool:
        """Save if every rule is met; a store failure is shown and the fields are kept."""
        pattern = self.pattern()
        if self.problems() or pattern is None:
            return False
        name = self.name.text().strip()
        try:
            self.saved_id = self._save(name, pattern)
        except SafeSignalError as exc:
            Dialogs.error(
                self, "Could not save the pattern", f"{exc}\n\nYour changes are still here."
            )
            return False
        self.saved_name = name
        self.accept()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter saves (when valid); on a focused button it presses that button. Esc cancels.
        if is_enter(event):
            if not click_focused_button(self) and self.save_button.isEnabled():
                self.try_save()
            event.accept()
        else:
            super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._preview_start_s = self._clock.now_s()
        self.refresh_preview()
        if not self._ticker.is_running():
            self._ticker.start()
            self._started_ticker = True

    def done(self, result: int) -> None:
        self._stop_preview()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop_preview()
        super().closeEvent(event)

    def _stop_preview(self) -> None:
        if self._started_ticker:
            self._ticker.stop()
            self._started_ticker = False
