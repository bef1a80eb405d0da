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
    QValidator,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
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
    RATE_UNIT,
    WHERE_IT_HURTS,
    breathe_for_text,
    breaths_text,
    duration_text,
    length_text,
    minutes_text,
    ramp_box_text,
    ramp_minutes_from_text,
    ramp_text,
    rate_text,
)
from trainer.content.breathing import MAX_RATE_BPM, BreathingPattern
from trainer.content.catalog import CUSTOM_PREFIX, Catalog, Exercise, custom_exercise
from trainer.errors import SafeSignalError
from trainer.session.clock import Clock
from trainer.session.machine import SessionPlan
from ui.common.dialogs import Dialogs
from ui.common.keys import (
    KeysDialog,
    click_focused_button,
    is_enter,
    key_tip,
    keys_button,
    open_keys,
)
from ui.common.screen_keys import HOME_KEYS
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
from ui.widgets.start_card import ArrowsChoose, FoldedOptions, StartCard, kicker_for, step_row

if TYPE_CHECKING:  # the editor (and its pacer) is imported when first opened
    from ui.library.pattern_editor import EditorMode, PatternEditor

__all__ = ["HOLD_NOTE", "HomeScreen"]

_Choice = TypeVar("_Choice", int, bool)  # a per-exercise choice: breaths, or a tick

BY_BREATHS = "breaths"  # the length box's entry for "a number of breaths"


class RampMinutesBox(QDoubleSpinBox):
    """The ease-in's length in the words of the line beside it: ``36 s`` under two minutes,
    ``2.5 min`` above (the value is in minutes; typing ``36 s`` or ``1 min 30 s`` works)."""

    def __init__(self) -> None:
        super().__init__()
        self.setDecimals(4)  # so the seconds shown are the plan's, not a tenth of a minute's
        self.setSingleStep(0.5)

    def textFromValue(self, value: float) -> str:
        return ramp_box_text(value)

    def valueFromText(self, text: str) -> float:
        minutes = ramp_minutes_from_text(text)
        return self.value() if minutes is None else minutes

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        minutes = ramp_minutes_from_text(text)
        if minutes is not None and self.minimum() <= minutes <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        if all(c.isdigit() or c in " .,minuteseconds" for c in text.lower()):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def fixup(self, text: str) -> str:
        return self.textFromValue(self.value())


def detail_text(plan: SessionPlan) -> str:
    """The rate and length line under an exercise, e.g. ``6 breaths a minute · 4 breaths (48 s)``."""
    rate = rate_text(plan.pattern.rate_bpm)
    if plan.ramp is not None:
        rate = ramp_text(plan.ramp.start_bpm, plan.ramp.target_bpm, plan.ramp.minutes)
    if plan.options.get("no_holds"):
        rate += " without holds"
    length = plan.options.get("length")
    if isinstance(length, dict) and "cycles" in length:
        size = f"{breaths_text(plan.cycles)} ({duration_text(plan.planned_s)})"
    else:
        size = f"{length_text(plan)} ({breaths_text(plan.cycles)})"
    return f"{rate}  ·  {size}"


SUGGESTED_ID = "coherent-5-5"  # offered first to someone who has not practised yet
MORE_TEXT = "&Choose another exercise, the length or options"


CONTENT_MAX_PX = 1100  # wider than this, the front door stays together in the middle


def column_layout(screen: QWidget) -> QVBoxLayout:
    """The screen's layout: one column, the width of the screen up to :data:`CONTENT_MAX_PX`
    and centred beyond it, so Start stays near the words it starts on a wide screen."""
    column = QWidget()
    column.setMaximumWidth(CONTENT_MAX_PX)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(column, 10_000)  # all the room there is, up to its maximum
    row.addStretch(1)
    screen_layout(screen).addLayout(row, 1)
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(12)
    return layout


class HomeScreen(QWidget):
    """One obvious Start for the last-used (or a suggested) breathing exercise, and one step
    away the other exercises, the length, the options and the person's own patterns; emits
    ``start_requested(exercise, plan)``.

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
        self._last_id: str | None = None  # the exercise of the profile's newest breathing session
        # The choices made for each exercise during this run of the app.
        self._minutes: dict[str, int] = {}
        self._breaths: dict[str, int] = {}
        self._by_breaths: dict[str, bool] = {}
        self._no_holds: dict[str, bool] = {}
        self._ease_in: dict[str, bool] = {}
        self._ramp_choice: dict[str, tuple[float, float]] = {}  # start rate, minutes
        self._default_minutes = catalog.default_minutes  # the profile's, once it is known
        self.editor: PatternEditor | None = None
        self.keys_dialog: KeysDialog | None = None

        # -- the top: a heading, and what else there is to do ------------------------------------
        self.heading = QLabel("Breathe")
        self.heading.setFont(scaled_font(self, 1.6, bold=True))
        self.history_button = QPushButton("History")
        self.history_button.setShortcut("Ctrl+H")
        key_tip(self.history_button, "Your sessions and how practice is going", "Ctrl+H")
        self.history_button.clicked.connect(self.history_requested)
        self.finder_button = QPushButton("Find my pace")
        key_tip(
            self.finder_button,
            "Try five slow paces for about two minutes each and keep the one that feels best",
            "Ctrl+R",
        )
        self.finder_button.clicked.connect(self.finder_requested)
        self.keys_button = keys_button(self.show_keys)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.finder_button)
        top.addWidget(self.history_button)
        top.addWidget(self.keys_button)

        # -- the front door: one exercise and one big Start --------------------------------------
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Rate and length")
        muted(self.detail)
        # With every breathing exercise: slow, not deep (and a word on holds where there are any).
        self.safety_note = QLabel()
        self.safety_note.setWordWrap(True)
        muted(self.safety_note)
        self.card = StartCard([self.detail, self.safety_note])
        self.kicker = self.card.kicker
        self.title = self.card.title
        self.info_button = self.card.info_button
        self.info_button.clicked.connect(self.show_source)
        self.description = self.card.description
        self.start_button = self.card.start_button
        self.start_button.clicked.connect(self.start)

        # -- one step away: the other exercises, the length, the options, own patterns -----------
        self.list = QListWidget()
        self.list.setItemDelegate(ExerciseDelegate(self.list))
        self.list.setAccessibleName("Breathing exercises")
        self.list.setSpacing(2)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setMinimumHeight(150)
        for exercise in catalog.exercises:
            self._add_item(exercise, own=False)
        # Double-click starts; Enter reaches keyPressEvent (the list passes it on). Not
        # ``activated``: some desktops activate on a single click, which would start by surprise.
        self.list.doubleClicked.connect(lambda _index: self.start())
        self.list.currentRowChanged.connect(self._on_current_changed)

        # The person's own patterns: only what can be done with the highlighted one.
        self.new_button = self._pattern_button("New pattern", "Ctrl+N", self.new_pattern)
        self.edit_button = self._pattern_button("Edit", "Ctrl+E", self.edit_pattern)
        self.duplicate_button = self._pattern_button("Duplicate", "Ctrl+D", self.duplicate_pattern)
        self.rename_button = self._pattern_button("Rename", "F2", self.rename_pattern)
        self.delete_button = self._pattern_button(
            "Delete", QKeySequence(Qt.Key.Key_Delete), self.delete_pattern
        )
        key_tip(self.new_button, "Make a breathing pattern of your own", "Ctrl+N")
        key_tip(self.edit_button, "Change the times of this pattern", "Ctrl+E")
        key_tip(self.duplicate_button, "Make your own copy to change", "Ctrl+D")
        key_tip(self.rename_button, "Give this pattern another name", "F2")
        key_tip(self.delete_button, "Delete this pattern (asks first)", "Del")
        self.pattern_note = QLabel()
        self.pattern_note.setWordWrap(True)  # under the buttons, so it never widens the window
        muted(self.pattern_note)
        pattern_rows = QGridLayout()
        pattern_rows.setContentsMargins(0, 0, 0, 0)
        pattern_rows.addWidget(self.new_button, 0, 0)
        pattern_rows.addWidget(self.duplicate_button, 0, 1)
        pattern_rows.addWidget(self.edit_button, 1, 0)
        pattern_rows.addWidget(self.rename_button, 1, 1)
        pattern_rows.addWidget(self.delete_button, 1, 2)
        pattern_rows.setColumnStretch(3, 1)
        self.patterns_box = QWidget()
        patterns_layout = QVBoxLayout(self.patterns_box)
        patterns_layout.setContentsMargins(0, 0, 0, 0)
        patterns_layout.setSpacing(4)
        patterns_layout.addLayout(pattern_rows)
        patterns_layout.addWidget(self.pattern_note)
        self.patterns_box.setVisible(self.can_edit_patterns())

        length_label = QLabel("Length")
        self.length = QComboBox()
        self.length.setAccessibleName("Session length")
        key_tip(self.length, "How long to breathe", "Alt+L")
        for minutes in catalog.lengths_min:
            self.length.addItem(minutes_text(minutes), minutes)
        self.length.addItem("A number of breaths", BY_BREATHS)
        length_label.setBuddy(self.length)
        self.length.currentIndexChanged.connect(self._on_length_changed)
        self.breaths_label = QLabel("Breaths")
        self.breaths = QSpinBox()
        self.breaths.setRange(MIN_BREATHS, MAX_BREATHS)
        self.breaths.setAccessibleName("Number of breaths")
        key_tip(self.breaths, "How many breaths", "Alt+B")
        self.breaths_label.setBuddy(self.breaths)
        self.breaths.valueChanged.connect(self._on_breaths_changed)
        self.no_holds = QCheckBox("No holds")
        self.no_holds.setAccessibleName("No holds this session")
        key_tip(
            self.no_holds,
            "Leave the holds out of this session and just breathe in and out",
            "Alt+N",
        )
        self.no_holds.toggled.connect(self._on_no_holds_toggled)
        self.ease_in = QCheckBox("Ease in")
        self.ease_in.setAccessibleName("Ease in: start a little quicker and slow to this pace")
        key_tip(
            self.ease_in,
            "Start 1.5 breaths a minute quicker and slow gently to this pace over the first "
            "half of the session (at most 5 minutes)",
            "Alt+E",
        )
        self.ease_in.toggled.connect(self._on_ease_in_toggled)
        self.where_first = QCheckBox(WHERE_IT_HURTS)  # Alt+W: a shortcut that unfolds it
        self.where_first.setAccessibleName("Mark where it hurts before starting")
        key_tip(
            self.where_first,
            "Before the practice, mark where you feel pain on a body map (it is kept with the "
            "session)",
            "Alt+W",
        )
        self.ramp_start = QDoubleSpinBox()
        self.ramp_start.setDecimals(1)
        self.ramp_start.setSingleStep(0.5)
        self.ramp_start.setSuffix(f" {RATE_UNIT}")
        self.ramp_start.setAccessibleName("Ease in: starting rate, breaths a minute")
        self.ramp_start.valueChanged.connect(self._on_ramp_changed)
        ramp_from = QLabel("Start at")
        ramp_from.setBuddy(self.ramp_start)
        self.ramp_target = QLabel()
        self.ramp_minutes = RampMinutesBox()
        self.ramp_minutes.setRange(0.5, 60.0)
        self.ramp_minutes.setAccessibleName("Ease in: minutes to reach the pace")
        self.ramp_minutes.valueChanged.connect(self._on_ramp_changed)
        self.ramp_row = QWidget()
        ramp_layout = QGridLayout(self.ramp_row)
        ramp_layout.setContentsMargins(24, 0, 0, 0)
        ramp_layout.addWidget(ramp_from, 0, 0)
        ramp_layout.addWidget(self.ramp_start, 0, 1)
        ramp_layout.addWidget(self.ramp_target, 1, 0)
        ramp_layout.addWidget(self.ramp_minutes, 1, 1)
        ramp_layout.setColumnStretch(2, 1)
        self.ramp_row.hide()

        length_row = QHBoxLayout()
        length_row.addWidget(length_label)
        length_row.addWidget(self.length)
        length_row.addWidget(self.breaths_label)
        length_row.addWidget(self.breaths)
        length_row.addStretch(1)
        ticks = QHBoxLayout()
        ticks.addWidget(self.ease_in)
        ticks.addWidget(self.no_holds)
        ticks.addWidget(self.where_first)
        ticks.addStretch(1)
        choices = QVBoxLayout()
        choices.setSpacing(8)
        choices.addLayout(length_row)
        choices.addLayout(ticks)
        choices.addWidget(self.ramp_row)
        choices.addSpacing(8)
        choices.addWidget(self.patterns_box)
        choices.addStretch(1)
        self.options = QWidget()
        options_layout = QHBoxLayout(self.options)
        options_layout.setContentsMargins(0, 0, 4, 0)
        options_layout.setSpacing(16)
        options_layout.addWidget(self.list, 1)
        options_layout.addLayout(choices, 1)

        layout = column_layout(self)
        layout.addLayout(top)
        layout.addWidget(self.card)
        self.fold = FoldedOptions(
            self,
            layout,
            self.options,
            text=MORE_TEXT,
            name="Choose another exercise, the length or options",
        )
        self.more_button = self.fold.button
        self.options_area = self.fold.area
        self.more_button.toggled.connect(self._on_more_toggled)

        for keys, action in (
            ("Alt+L", lambda: self._reveal(self.length)),
            ("Alt+B", self._choose_breaths),
            ("Alt+N", lambda: self._tick(self.no_holds)),
            ("Alt+E", lambda: self._tick(self.ease_in)),
            ("Alt+W", lambda: self._tick(self.where_first)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

        chain = [
            self.start_button,
            self.info_button,
            self.more_button,
            self.list,
            self.length,
            self.breaths,
            self.ease_in,
            self.no_holds,
            self.where_first,
            self.ramp_start,
            self.ramp_minutes,
            *self.pattern_buttons(),
            self.finder_button,
            self.history_button,
            self.keys_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        ArrowsChoose(self.list, (self.start_button, self.info_button, self.more_button))

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
        self._select_first_offered()
        self._size_start_button()

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
        # The button may be folded away with the options; what matters is that it applies to
        # the highlighted exercise (Edit, Rename and Delete to the person's own patterns only).
        if self.isVisible() and self.can_edit_patterns() and self._applies(button):
            slot()

    def _applies(self, button: QPushButton) -> bool:
        own = self.list.count() > 0 and self.current_exercise().custom_id is not None
        return own or button not in (self.edit_button, self.rename_button, self.delete_button)

    # -- the front door -------------------------------------------------------------------------

    def step_exercise(self, step: int) -> None:
        """Highlight the exercise ``step`` rows down (up if negative), the list shown or not."""
        step_row(self.list, step)

    def take_focus(self) -> None:
        """Give the keyboard to Start (or to the list while the options are open)."""
        (self.list if self.options_area.isVisibleTo(self) else self.start_button).setFocus()

    def options_shown(self) -> bool:
        """Whether the other exercises, the length and the options are unfolded."""
        return self.more_button.isChecked()

    def show_options(self, shown: bool = True) -> None:
        """Unfold (or fold away) the other exercises, the length and the options."""
        self.more_button.setChecked(shown)

    def _on_more_toggled(self, shown: bool) -> None:
        if shown:
            self.list.scrollToItem(self.list.currentItem())

    def _reveal(self, widget: QWidget) -> None:
        """Unfold the options and give ``widget`` the keyboard (Alt+L and the like)."""
        if not self.isVisible():
            return
        self.show_options()
        self.options_area.ensureWidgetVisible(widget)
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _tick(self, box: QCheckBox) -> None:
        """Alt+N, Alt+E, Alt+W: tick or untick ``box``, shown with the options. Enter still
        starts afterwards (a focused check box does not take Enter)."""
        if not self.isVisible() or box.isHidden():
            return
        self._reveal(box)
        box.toggle()

    def _choose_breaths(self) -> None:
        """Alt+B: count this session in breaths, and go to the number."""
        if not self.isVisible():
            return
        if self.length.currentData() != BY_BREATHS:
            self.length.setCurrentIndex(self.length.findData(BY_BREATHS))
        self._reveal(self.breaths)

    def _size_start_button(self) -> None:
        """Wide enough for the longest Start there can be, so it never changes size."""
        first = self._catalog.exercises[0]
        self.card.size_start_for(
            breathe_for_text(plan)
            for plan in (first.plan(max(self._catalog.lengths_min)), first.plan(cycles=MAX_BREATHS))
        )

    def _newest_breathing_id(self) -> str | None:
        """The listed exercise of the profile's newest breathing session, if any."""
        if self._profile is None:
            return None
        try:
            recent = self._profile.sessions(limit=50)
        except SafeSignalError:
            return None
        for stored in recent:
            if stored.kind != "attention" and stored.exercise_id in self._exercises:
                return stored.exercise_id
        return None

    def _select_first_offered(self) -> None:
        """Highlight the exercise practised last, or the suggested one for a new person."""
        self._last_id = self._newest_breathing_id()
        wanted = self._last_id or SUGGESTED_ID
        row = self._row_of(wanted)
        self.list.setCurrentRow(row if row is not None else 0)
        self._show_card()

    def _show_card(self) -> None:
        """Fill the front door with the highlighted exercise."""
        if self.list.count() == 0:
            return
        exercise = self.current_exercise()
        plan = self.plan_for(exercise)
        self.card.show_exercise(
            kicker=kicker_for(exercise.id, self._last_id, suggested=exercise.id == SUGGESTED_ID),
            title=exercise.title,
            description=exercise.description,
            has_source=bool(exercise.source),
            start=breathe_for_text(plan),
        )
        first = "  ·  you mark where it hurts first" if self.where_first.isChecked() else ""
        self.detail.setText(detail_text(plan) + first)
        notes = [BREATHING_NOTE]
        if exercise.pattern.has_holds:
            notes.append(HOLD_NOTE)
        self.safety_note.setText(" ".join(notes))

    def set_demonstrating(self, on: bool) -> None:
        """While a demonstration is on, the Start card says nothing will be recorded."""
        if self.card.set_demonstrating(on):
            self._show_card()

    def show_source(self) -> None:
        """Where the highlighted exercise comes from (the "i" beside its name)."""
        exercise = self.current_exercise()
        if exercise.source:
            Dialogs.info(self, "Where this comes from", f"{exercise.title}\n\n{exercise.source}")

    def show_keys(self) -> None:
        """The keys of this screen, in a small window (? or the "?" button)."""
        self.keys_dialog = open_keys(self, *HOME_KEYS)

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
        elif change is Change.SESSIONS:
            # A session was saved (or deleted, imported): "your last exercise" may be another.
            self._last_id = self._newest_breathing_id()
            self._show_card()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload_patterns()

    def _on_where_first_toggled(self, checked: bool) -> None:
        self._show_card()  # the card says so: the choice is kept while the options are folded
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
        self.set_default_minutes(self._profile.settings().default_length_min)
        self._select_first_offered()

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
        # Enter starts (from the list, the length, a check box...); on a focused button it
        # presses that button. Up and Down choose an exercise even with the list folded away.
        key = event.key()
        if is_enter(event):
            if not click_focused_button(self):
                self.start()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step_exercise(-1 if key == Qt.Key.Key_Up else 1)
        elif event.text() == "?":
            self.show_keys()
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

        own = exercise.custom_id is not None
        # Only what can be done: a built-in can be copied, not changed.
        for button in (self.edit_button, self.rename_button, self.delete_button):
            button.setVisible(own)
        self.pattern_note.setText(
            "" if own else "Built-in exercises stay as they are; Duplicate makes your own copy."
        )
        self.pattern_note.setVisible(not own)
        self._show_card()

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
        self._show_card()

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
        self.take_focus()

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
        self.take_focus()
