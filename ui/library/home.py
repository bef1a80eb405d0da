"""The home screen: the breathing exercises and the person's own patterns, a length, and Start."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from trainer.app.plan import (
    MAX_BREATHS,
    MIN_BREATHS,
    PlanChoices,
    breaths_for,
    build_plan,
    counts_breaths,
)
from trainer.app.profile import Change, ProfileInUse
from trainer.app.settings import WHERE_FIRST, read_setting, write_setting
from trainer.app.words import (
    BREATHING_NOTE,
    HOLD_NOTE,
    WHERE_IT_HURTS,
    breaths_text,
    duration_text,
    length_text,
    minutes_text,
    rate_text,
)
from trainer.content.breathing import MAX_RATE_BPM, BreathingPattern
from trainer.content.catalog import CUSTOM_PREFIX, Catalog, Exercise, custom_exercise
from trainer.session.clock import Clock
from trainer.session.machine import SessionPlan
from ui.common.dialogs import Dialogs
from ui.common.keys import click_focused_button, is_enter
from ui.common.theme import muted, scaled_font, screen_layout
from ui.common.ticker import FrameTicker, ManualTicker
from ui.widgets.exercise_list import (
    DESCRIPTION_ROLE,
    DETAIL_ROLE,
    ID_ROLE,
    OWN_BADGE,
    OWN_ROLE,
    ExerciseDelegate,
)

if TYPE_CHECKING:  # the editor (and its pacer) is imported when first opened
    from ui.library.pattern_editor import EditorMode, PatternEditor

__all__ = ["HOLD_NOTE", "HomeScreen"]

_Choice = TypeVar("_Choice", int, bool)  # a per-exercise choice: breaths, or a tick

BY_BREATHS = "breaths"  # the length box's entry for "a number of breaths"


def detail_text(plan: SessionPlan) -> str:
    """The rate and length line under an exercise, e.g. ``5 breaths/min · 4 breaths (48 s)``."""
    rate = rate_text(plan.pattern.rate_bpm)
    if plan.ramp is not None:
        rate = (
            f"{rate_text(plan.ramp.start_bpm).removesuffix(' breaths/min')} easing to {rate} "
            f"over {plan.ramp.minutes:g} min"
        )
    if plan.options.get("no_holds"):
        rate += " without holds"
    length = plan.options.get("length")
    if isinstance(length, dict) and "cycles" in length:
        size = f"{breaths_text(plan.cycles)} ({duration_text(plan.planned_s)})"
    else:
        size = f"{length_text(plan)} ({breaths_text(plan.cycles)})"
    return f"{rate}  ·  {size}"


class HomeScreen(QWidget):
    """Lists exercises and the person's own patterns; emits ``start_requested(exercise, plan)``.

    With a store, a ticker and a clock it also makes, changes, copies and deletes the
    person's own patterns (the ticker and clock drive the editor's preview).
    """

    start_requested = Signal(object, object)  # (Exercise, SessionPlan)
    history_requested = Signal()
    finder_requested = Signal()

    def __init__(
        self,
        catalog: Catalog,
        parent: QWidget | None = None,
        *,
        profile: ProfileInUse | None = None,
        ticker: FrameTicker | ManualTicker | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._profile = profile
        self._dirty = False  # the profile's patterns changed while hidden: read them when shown
        self._saving = False  # our own change: no need to hear it back
        self._ticker = ticker
        self._clock = clock
        self._exercises: dict[str, Exercise] = {e.id: e for e in catalog.exercises}
        # The choices made for each exercise during this run of the app.
        self._minutes: dict[str, int] = {}
        self._breaths: dict[str, int] = {}
        self._by_breaths: dict[str, bool] = {}
        self._no_holds: dict[str, bool] = {}
        self._ease_in: dict[str, bool] = {}
        self._ramp_choice: dict[str, tuple[float, float]] = {}  # start rate, minutes
        self._default_minutes = catalog.default_minutes  # the profile's, once it is known
        self.editor: PatternEditor | None = None

        heading = QLabel("Choose a breathing exercise")
        heading.setFont(scaled_font(self, 1.9, bold=True))
        intro = QLabel(
            "Slow, easy breathing can help your nervous system feel safe. Pick a pattern that "
            "feels comfortable; you can stop whenever you like."
        )
        intro.setWordWrap(True)
        muted(intro)
        self.history_button = QPushButton("History (Ctrl+H)")
        self.history_button.setShortcut("Ctrl+H")
        self.history_button.clicked.connect(self.history_requested)
        self.finder_button = QPushButton("Find my pace (Ctrl+R)")
        self.finder_button.setToolTip(
            "Try five slow paces for about two minutes each and keep the one that feels best."
        )
        self.finder_button.clicked.connect(self.finder_requested)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.finder_button)
        top.addWidget(self.history_button)

        self.list = QListWidget()
        self.list.setItemDelegate(ExerciseDelegate(self.list))
        self.list.setAccessibleName("Breathing exercises")
        self.list.setSpacing(2)
        for exercise in catalog.exercises:
            self._add_item(exercise, own=False)
        # Double-click starts; Enter reaches keyPressEvent (the list passes it on). Not
        # ``activated``: some desktops activate on a single click, which would start by surprise.
        self.list.doubleClicked.connect(lambda _index: self.start())
        self.list.currentRowChanged.connect(self._on_current_changed)

        # The person's own patterns.
        self.new_button = self._pattern_button("New pattern (Ctrl+N)", "Ctrl+N", self.new_pattern)
        self.edit_button = self._pattern_button("Edit (Ctrl+E)", "Ctrl+E", self.edit_pattern)
        self.duplicate_button = self._pattern_button(
            "Duplicate (Ctrl+D)", "Ctrl+D", self.duplicate_pattern
        )
        self.rename_button = self._pattern_button("Rename (F2)", "F2", self.rename_pattern)
        self.delete_button = self._pattern_button(
            "Delete (Del)", QKeySequence(Qt.Key.Key_Delete), self.delete_pattern
        )
        self.pattern_note = QLabel()
        self.pattern_note.setWordWrap(True)  # under the buttons, so it never widens the window
        muted(self.pattern_note)
        patterns_row = QHBoxLayout()
        for button in self.pattern_buttons():
            patterns_row.addWidget(button)
        patterns_row.addStretch(1)
        patterns_box = QWidget()
        patterns_layout = QVBoxLayout(patterns_box)
        patterns_layout.setContentsMargins(0, 0, 0, 0)
        patterns_layout.setSpacing(4)
        patterns_layout.addLayout(patterns_row)
        patterns_layout.addWidget(self.pattern_note)
        patterns_box.setVisible(self.can_edit_patterns())

        length_label = QLabel("&Length:")
        self.length = QComboBox()
        self.length.setAccessibleName("Session length")
        for minutes in catalog.lengths_min:
            self.length.addItem(minutes_text(minutes), minutes)
        self.length.addItem("A number of breaths", BY_BREATHS)
        length_label.setBuddy(self.length)
        self.length.currentIndexChanged.connect(self._on_length_changed)
        self.breaths_label = QLabel("&Breaths:")
        self.breaths = QSpinBox()
        self.breaths.setRange(MIN_BREATHS, MAX_BREATHS)
        self.breaths.setAccessibleName("Number of breaths")
        self.breaths_label.setBuddy(self.breaths)
        self.breaths.valueChanged.connect(self._on_breaths_changed)
        self.no_holds = QCheckBox("&No holds")
        self.no_holds.setAccessibleName("No holds this session")
        self.no_holds.setToolTip("Leave the holds out of this session and just breathe in and out.")
        self.no_holds.toggled.connect(self._on_no_holds_toggled)
        self.ease_in = QCheckBox("&Ease in")
        self.ease_in.setAccessibleName("Ease in: start a little quicker and slow to this pace")
        self.ease_in.setToolTip(
            "Start 1.5 breaths a minute quicker and slow gently to this pace over the first half "
            "of the session (at most 5 minutes)."
        )
        self.ease_in.toggled.connect(self._on_ease_in_toggled)
        self.where_first = QCheckBox(f"&{WHERE_IT_HURTS}")
        self.where_first.setAccessibleName("Mark where it hurts before starting")
        self.where_first.setToolTip(
            "Before the practice, mark where you feel pain on a body map (it is kept with the "
            "session)."
        )
        self.ramp_start = QDoubleSpinBox()
        self.ramp_start.setDecimals(1)
        self.ramp_start.setSingleStep(0.5)
        self.ramp_start.setSuffix(" breaths/min")
        self.ramp_start.setAccessibleName("Ease in: starting rate, breaths a minute")
        self.ramp_start.valueChanged.connect(self._on_ramp_changed)
        ramp_from = QLabel("Start at")
        ramp_from.setBuddy(self.ramp_start)
        self.ramp_target = QLabel()
        self.ramp_minutes = QDoubleSpinBox()
        self.ramp_minutes.setDecimals(1)
        self.ramp_minutes.setSingleStep(0.5)
        self.ramp_minutes.setRange(0.5, 60.0)
        self.ramp_minutes.setSuffix(" min")
        self.ramp_minutes.setAccessibleName("Ease in: minutes to reach the pace")
        self.ramp_minutes.valueChanged.connect(self._on_ramp_changed)
        self.ramp_row = QWidget()
        ramp_layout = QHBoxLayout(self.ramp_row)
        ramp_layout.setContentsMargins(0, 0, 0, 0)
        ramp_layout.addWidget(ramp_from)
        ramp_layout.addWidget(self.ramp_start)
        ramp_layout.addWidget(self.ramp_target)
        ramp_layout.addWidget(self.ramp_minutes)
        ramp_layout.addStretch(1)
        self.ramp_row.hide()
        self.start_button = QPushButton("Start (Enter)")
        self.start_button.setFont(scaled_font(self, 1.1, bold=True))
        self.start_button.clicked.connect(self.start)
        self.source_note = QLabel()
        self.source_note.setWordWrap(True)
        muted(self.source_note)

        bottom = QHBoxLayout()
        bottom.addWidget(length_label)
        bottom.addWidget(self.length)
        bottom.addWidget(self.breaths_label)
        bottom.addWidget(self.breaths)
        bottom.addSpacing(16)
        bottom.addWidget(self.no_holds)
        bottom.addWidget(self.ease_in)
        bottom.addWidget(self.where_first)
        bottom.addStretch(1)
        bottom.addWidget(self.start_button)

        layout = screen_layout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(patterns_box)
        layout.addWidget(self.source_note)
        layout.addLayout(bottom)
        layout.addWidget(self.ramp_row)
        hint = QLabel(
            "Keys: ↑ ↓ choose, Alt+L length, Alt+E ease in, Alt+W where it hurts, Enter start, "
            "Ctrl+R find my pace, "
            "Ctrl+H history."
        )
        hint.setWordWrap(True)
        muted(hint)
        layout.addWidget(hint)

        QWidget.setTabOrder(self.list, self.new_button)
        chain = [
            *self.pattern_buttons(),
            self.length,
            self.breaths,
            self.no_holds,
            self.ease_in,
            self.ramp_start,
            self.ramp_minutes,
            self.where_first,
            self.start_button,
            self.finder_button,
            self.history_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

        if self.can_edit_patterns():
            self.reload_patterns()
        self._refresh_details()
        self.list.setCurrentRow(0)
        self._on_current_changed(0)
        if profile is not None:
            self.where_first.setChecked(read_setting(profile.preferences, WHERE_FIRST))
            self.set_default_minutes(profile.settings().default_length_min)
            profile.changed.add(self._on_profile_changed)
        self.where_first.toggled.connect(self._on_where_first_toggled)

    def _pattern_button(
        self, text: str, keys: str | QKeySequence, slot: Callable[[], None]
    ) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        # A shortcut of its own rather than the button's (which clicks after a 100 ms flash);
        # it works while the home screen is showing and the button could be pressed.
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.activated.connect(lambda: self._press_by_key(button, slot))
        return button

    def _press_by_key(self, button: QPushButton, slot: Callable[[], None]) -> None:
        if button.isEnabled() and button.isVisibleTo(self):
            slot()

    def pattern_buttons(self) -> tuple[QPushButton, ...]:
        """New, Edit, Duplicate, Rename and Delete, in order."""
        return (
            self.new_button,
            self.edit_button,
            self.duplicate_button,
            self.rename_button,
            self.delete_button,
        )

    def _on_profile_changed(self, change: Change) -> None:
        if change is Change.PROFILE:
            self._use_profile()
        elif change is Change.SETTINGS and self._profile is not None:
            self.set_default_minutes(self._profile.settings().default_length_min)
        elif change is Change.PATTERNS and not self._saving:
            if self.isVisible():
                self.reload_patterns()
            else:
                self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload_patterns()

    def _on_where_first_toggled(self, checked: bool) -> None:
        if self._profile is not None:
            write_setting(self._profile.preferences, WHERE_FIRST, checked)

    def _use_profile(self) -> None:
        """Show the profile in use: its own patterns, its settings; forget the lengths chosen
        for the last one."""
        if self._profile is None:
            return
        self.where_first.blockSignals(True)
        self.where_first.setChecked(read_setting(self._profile.preferences, WHERE_FIRST))
        self.where_first.blockSignals(False)
        for choices in (
            self._minutes,
            self._breaths,
            self._by_breaths,
            self._no_holds,
            self._ease_in,
            self._ramp_choice,
        ):
            choices.clear()
        self.reload_patterns()
        self.list.setCurrentRow(0)
        self.set_default_minutes(self._profile.settings().default_length_min)

    def can_edit_patterns(self) -> bool:
        """Whether this screen was given what the pattern editor needs."""
        return self._profile is not None and self._ticker is not None and self._clock is not None

    # -- the list -------------------------------------------------------------------------------

    def _add_item(self, exercise: Exercise, *, own: bool) -> None:
        item = QListWidgetItem(exercise.title)
        item.setData(ID_ROLE, exercise.id)
        item.setData(DESCRIPTION_ROLE, exercise.description)
        item.setData(OWN_ROLE, own)
        item.setData(DETAIL_ROLE, detail_text(self.plan_for(exercise)))
        if own:
            item.setToolTip(exercise.description)
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole, f"{exercise.title}, {OWN_BADGE.lower()}"
            )
        else:
            item.setToolTip(f"{exercise.description}\n\nSource: {exercise.source}")
        self.list.addItem(item)

    def own_exercises(self) -> list[Exercise]:
        """The person's own patterns as listed, in order."""
        return [e for e in self._exercises.values() if e.custom_id is not None]

    def reload_patterns(self, select_custom_id: int | None = None) -> None:
        """Read the person's own patterns again and list them after the presets.

        The highlight goes to ``select_custom_id`` if given, else stays on the same exercise,
        else on the row where it was (the next one moves up into the place of a deleted one).
        """
        if self._profile is None:
            return
        self._dirty = False
        unreadable: list[str] = []
        stored = []
        with self._profile.trying("Could not read your breathing patterns") as read:
            stored = self._profile.patterns(unreadable=unreadable)
        if read.failed:
            return
        if unreadable:
            names = ", ".join(f"“{name}”" for name in unreadable)
            Dialogs.error(
                self,
                "Some of your patterns could not be read",
                f"The timing saved for {names} is damaged, so it is not listed. It has been "
                "left as it was in the database; your other patterns are listed as usual.",
            )
        current = self.list.currentItem()
        current_id = str(current.data(ID_ROLE)) if current is not None else None
        current_row = self.list.currentRow()
        own = [custom_exercise(p.id, p.name, p.pattern) for p in stored]
        self._exercises = {e.id: e for e in (*self._catalog.exercises, *own)}

        self.list.blockSignals(True)
        for old_row in range(self.list.count() - 1, len(self._catalog.exercises) - 1, -1):
            self.list.takeItem(old_row)
        for exercise in own:
            self._add_item(exercise, own=True)
        wanted = (
            f"{CUSTOM_PREFIX}{select_custom_id}" if select_custom_id is not None else current_id
        )
        row = self._row_of(wanted) if wanted is not None else None
        if row is None:
            row = min(max(current_row, 0), self.list.count() - 1)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self._on_current_changed(row)

    def _row_of(self, exercise_id: str) -> int | None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == exercise_id:
                return row
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter from the list or the length box starts; on a focused button it presses that button.
        if is_enter(event):
            if not click_focused_button(self):
                self.start()
        else:
            super().keyPressEvent(event)

    def current_item_detail(self) -> str:
        """The rate and length line shown under the highlighted exercise."""
        item = self.list.currentItem()
        return str(item.data(DETAIL_ROLE)) if item is not None else ""

    def set_default_minutes(self, minutes: int) -> None:
        """The length offered for an exercise not yet given one (the profile's setting)."""
        if minutes not in self._catalog.lengths_min or minutes == self._default_minutes:
            return
        self._default_minutes = minutes
        self._on_current_changed(self.list.currentRow())

    def exercise_by_id(self, exercise_id: str) -> Exercise | None:
        """The listed exercise with this id (highlighted, so its choices show), if any."""
        row = self._row_of(exercise_id)
        if row is None:
            return None
        self.list.setCurrentRow(row)
        return self._exercises[exercise_id]

    def current_exercise(self) -> Exercise:
        """The highlighted exercise."""
        item = self.list.currentItem() or self.list.item(0)
        return self._exercises[str(item.data(ID_ROLE))]

    # -- lengths and options --------------------------------------------------------------------

    def minutes_for(self, exercise_id: str) -> int:
        """The length in minutes chosen for this exercise (used when not counting breaths)."""
        return self._minutes.get(exercise_id, self._default_minutes)

    def choices_for(self, exercise: Exercise) -> PlanChoices:
        """What the person chose for ``exercise`` during this run of the app."""
        return PlanChoices(
            minutes=self._minutes.get(exercise.id),
            breaths=self._breaths.get(exercise.id),
            by_breaths=self._by_breaths.get(exercise.id),
            no_holds=self._no_holds.get(exercise.id, False),
            ease_in=self._ease_in.get(exercise.id, False),
            ramp=self._ramp_choice.get(exercise.id),
        )

    def breaths_for(self, exercise: Exercise) -> int:
        """The number of breaths chosen for this exercise (its suggestion, or its minutes)."""
        return breaths_for(exercise, self.choices_for(exercise), self._default_minutes)

    def counts_breaths(self, exercise: Exercise) -> bool:
        """Whether this exercise's length is a number of breaths (4-7-8 starts that way)."""
        return counts_breaths(exercise, self.choices_for(exercise))

    def plan_for(self, exercise: Exercise) -> SessionPlan:
        """The session the current choices for ``exercise`` would give."""
        return build_plan(exercise, self.choices_for(exercise), self._default_minutes)

    def start(self) -> None:
        """Ask to start the highlighted exercise with its chosen length and options."""
        exercise = self.current_exercise()
        self.start_requested.emit(exercise, self.plan_for(exercise))

    def _on_current_changed(self, _row: int) -> None:
        if self.list.count() == 0:
            return
        exercise = self.current_exercise()
        by_breaths = self.counts_breaths(exercise)
        blocked = (
            self.length,
            self.breaths,
            self.no_holds,
            self.ease_in,
            self.ramp_start,
            self.ramp_minutes,
        )
        for widget in blocked:
            widget.blockSignals(True)
        self.length.setCurrentIndex(
            self.length.findData(BY_BREATHS if by_breaths else self.minutes_for(exercise.id))
        )
        self.breaths.setValue(self.breaths_for(exercise))
        self.no_holds.setChecked(self._no_holds.get(exercise.id, False))
        self.ease_in.setChecked(self._ease_in.get(exercise.id, False))
        self._show_ramp(exercise)
        for widget in blocked:
            widget.blockSignals(False)
        self.breaths.setVisible(by_breaths)
        self.breaths_label.setVisible(by_breaths)
        self.no_holds.setVisible(exercise.pattern.has_holds)

        lines = [f"Source: {exercise.source}"] if exercise.source else []
        lines.append(BREATHING_NOTE)
        if exercise.pattern.has_holds:
            lines.append(HOLD_NOTE)
        self.source_note.setText("\n".join(lines))
        self.source_note.setVisible(True)

        own = exercise.custom_id is not None
        for button in (self.edit_button, self.rename_button, self.delete_button):
            button.setEnabled(own)
        self.pattern_note.setText(
            "" if own else "Built-in exercises stay as they are; Duplicate makes your own copy."
        )

    def _on_length_changed(self, _index: int) -> None:
        exercise = self.current_exercise()
        choice = self.length.currentData()
        by_breaths = choice == BY_BREATHS
        if by_breaths:
            self._breaths.setdefault(exercise.id, self.breaths_for(exercise))
        else:
            self._minutes[exercise.id] = int(choice)
        self._by_breaths[exercise.id] = by_breaths
        self._on_current_changed(self.list.currentRow())
        self._refresh_details()

    def _on_breaths_changed(self, value: int) -> None:
        self._choose_for_current(self._breaths, value)

    def _choose_for_current(self, choices: dict[str, _Choice], value: _Choice) -> None:
        """Keep ``value`` as the current exercise's choice, then redraw its ease-in and details."""
        exercise = self.current_exercise()
        choices[exercise.id] = value
        self._show_ramp(exercise)
        self._refresh_details()

    def _show_ramp(self, exercise: Exercise) -> None:
        """Fill the ease-in row for ``exercise`` (shown only while Ease in is ticked)."""
        eased = self._ease_in.get(exercise.id, False)
        self.ramp_row.setVisible(eased)
        if not eased:
            return
        plan = self.plan_for(exercise)
        assert plan.ramp is not None
        target = plan.ramp.target_bpm
        spins = (self.ramp_start, self.ramp_minutes)
        for spin in spins:
            spin.blockSignals(True)
        self.ramp_start.setRange(round(target, 1), min(MAX_RATE_BPM, 20.0))
        self.ramp_start.setValue(plan.ramp.start_bpm)
        self.ramp_target.setText(f"and slow to {rate_text(target)} over")
        self.ramp_minutes.setMaximum(max(0.5, plan.planned_s / 60))
        self.ramp_minutes.setValue(plan.ramp.minutes)
        for spin in spins:
            spin.blockSignals(False)

    def _on_ease_in_toggled(self, checked: bool) -> None:
        self._choose_for_current(self._ease_in, checked)

    def _on_ramp_changed(self, _value: float) -> None:
        exercise = self.current_exercise()
        self._ramp_choice[exercise.id] = (self.ramp_start.value(), self.ramp_minutes.value())
        self._refresh_details()

    def _on_no_holds_toggled(self, checked: bool) -> None:
        self._choose_for_current(self._no_holds, checked)

    def _refresh_details(self) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            exercise = self._exercises[str(item.data(ID_ROLE))]
            item.setData(DETAIL_ROLE, detail_text(self.plan_for(exercise)))

    # -- the person's own patterns ---------------------------------------------------------------

    def _taken_names(self, except_id: str | None = None) -> list[str]:
        return [e.title for e in self._exercises.values() if e.id != except_id]

    def _open_editor(self, mode: EditorMode, exercise: Exercise | None) -> None:
        profile = self._profile
        if (
            self.editor is not None
            or profile is None
            or self._ticker is None
            or self._clock is None
        ):
            return
        from ui.library.pattern_editor import EditorMode, PatternEditor

        pattern_id = exercise.custom_id if mode is EditorMode.EDIT and exercise else None

        def save(name: str, pattern: BreathingPattern) -> int:
            self._saving = True
            try:
                return profile.save_pattern(name, pattern, pattern_id)
            finally:
                self._saving = False

        self.editor = PatternEditor(
            mode=mode,
            ticker=self._ticker,
            clock=self._clock,
            save=save,
            taken_names=self._taken_names(
                exercise.id if mode is EditorMode.EDIT and exercise else None
            ),
            name=exercise.title if exercise is not None else "",
            pattern=exercise.pattern if exercise is not None else None,
            parent=self,
        )
        self.editor.finished.connect(self._on_editor_finished)
        self.editor.open()

    def _on_editor_finished(self, _result: int) -> None:
        editor = self.editor
        self.editor = None
        if editor is None:
            return
        if editor.saved_id is not None:
            self.reload_patterns(select_custom_id=editor.saved_id)
        editor.deleteLater()
        self.list.setFocus()

    def new_pattern(self) -> None:
        """Open the editor for a new pattern."""
        from ui.library.pattern_editor import EditorMode

        self._open_editor(EditorMode.NEW, None)

    def edit_pattern(self) -> None:
        """Change the highlighted own pattern (presets cannot be changed; duplicate them)."""
        from ui.library.pattern_editor import EditorMode

        exercise = self.current_exercise()
        if exercise.custom_id is not None:
            self._open_editor(EditorMode.EDIT, exercise)

    def rename_pattern(self) -> None:
        """Change the highlighted own pattern's name (the editor, with the name ready to type)."""
        self.edit_pattern()
        if self.editor is not None:
            self.editor.name.setFocus()
            self.editor.name.selectAll()

    def duplicate_pattern(self) -> None:
        """Copy the highlighted exercise (a preset too) into a new own pattern."""
        from ui.library.pattern_editor import EditorMode

        self._open_editor(EditorMode.DUPLICATE, self.current_exercise())

    def delete_pattern(self) -> None:
        """Delete the highlighted own pattern, after asking."""
        exercise = self.current_exercise()
        if exercise.custom_id is None or self._profile is None:
            return
        if not Dialogs.confirm(
            self,
            f"Delete “{exercise.title}”?",
            f"“{exercise.title}” will be removed from your patterns. Sessions you have already "
            "practised with it stay in your history.",
            "Delete",
            "Keep it",
        ):
            return
        self._saving = True
        with self._profile.trying(f"Could not delete “{exercise.title}”") as deleted:
            self._profile.delete_pattern(exercise.custom_id)
        self._saving = False
        if deleted.failed:
            return
        self.reload_patterns()
        self.list.setFocus()
