"""The history screen: what the ratings show in words, four plots, and the table of sessions,
all for one profile and narrowed by period, exercise and where it hurt.

It reads the store itself (one query for the sessions, one for the areas) and redraws when the
filters change or a session is saved. Only the visible tab's plots are updated at once; the
others are marked out of date and updated when they are shown (so a change costs one tab).
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Iterator
from datetime import date, timedelta, tzinfo
from itertools import pairwise
from typing import TYPE_CHECKING, Final, cast

import numpy as np
from PySide6.QtCore import QDate, QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from trainer.analysis.history import (
    SKIPPED,
    HistoryFilter,
    PracticeGlance,
    RegionMarks,
    SessionTable,
    practice_calendar,
    practice_glance,
)
from trainer.analysis.progress import MEASURES, MIN_SESSIONS_CHANGE, Analysis, analyse, summary
from trainer.app.profile import Change, DeletedSession, ProfileInUse
from trainer.app.words import (
    STATUS_WORDS,
    before_after_text,
    days_text,
    describe_regions,
    early_practice_text,
    practised_text,
)
from trainer.content.bodymap import REGION_IDS, label
from ui.common.keys import (
    KeysDialog,
    click_focused_button,
    is_enter,
    key_tip,
    keys_button,
    open_keys,
    question_key,
)
from ui.common.screen_keys import HISTORY_KEYS
from ui.common.theme import (
    Space,
    TextRole,
    Theme,
    current_theme,
    heading,
    muted,
    primary,
    scaled_font,
    screen_layout,
    text_role,
    theme_signals,
)
from ui.history.plots import CalendarPlot, ChangePlot, ExercisePlot, RatingsPlot
from ui.history.table import (
    DATE,
    EXERCISE,
    MINUTES,
    NOTES,
    PAIN,
    SESSION_TIME_FORMAT,
    STATUS,
    TENSION,
    WHERE,
    SessionTableModel,
    shown_note,
)

if TYPE_CHECKING:
    import pyqtgraph as pg
    from pyqtgraph.GraphicsScene.GraphicsScene import GraphicsScene

ANYWHERE: Final = ""
ALL_EXERCISES: Final = ""
# (label, days back from today; None = all time, 0 = chosen dates)
PERIODS: Final = (
    ("All time", None),
    ("Last 7 days", 7),
    ("Last 30 days", 30),
    ("Last 90 days", 90),
    ("Last 12 months", 365),
    ("Chosen dates", 0),
)
SUMMARY_TAB, RATINGS_TAB, CHANGE_TAB, EXERCISE_TAB, CALENDAR_TAB, SESSIONS_TAB = range(6)
PLOT_MIN_PX: Final = 190  # a plot over time stays readable; a small window scrolls instead
CALENDAR_MIN_PX: Final = 240  # seven rows of days (and the page buttons) big enough to read
HOVER_HINT: Final = "Point at a session in a plot to see its details here."
# A new person's history: what will come here, and one clear way on.
EMPTY_HEADING: Final = "No sessions yet."
EMPTY_TEXT: Final = (
    "When you finish a practice, it will appear here: how you felt before and after, and "
    "over the weeks how things change. Whenever you are ready, a few minutes is a fine start."
)
EXERCISES_WORDS: Final = "Back to the exercises"


def glance_text(glance: PracticeGlance) -> str:
    """The warm line at the top of the history: what was practised lately, in plain words and
    without pressure (a pause is fine; nothing is "lost")."""
    if glance.days_practised == 0:
        return "Whenever you are ready, a few minutes of practice is a fine start."
    if glance.week_days == 0:
        return (
            f"You have practised on {days_text(glance.days_practised)} so far. Nothing in the last "
            "7 days, and that is all right: you can pick it up whenever it suits you."
        )
    parts = [
        f"In the last 7 days you practised for {practised_text(glance.week_minutes)}, "
        f"on {days_text(glance.week_days)}."
    ]
    if glance.streak >= 2:
        parts.append(f"That is {glance.streak} days in a row.")
    if glance.days_practised > glance.week_days:
        parts.append(f"{days_text(glance.days_practised).capitalize()} of practice so far.")
    return " ".join(parts)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class HistoryScreen(QWidget):
    """One profile's practice so far; emits ``back``, and ``report_requested`` with the
    profile and the filter shown (the report is written by the main window)."""

    back = Signal()
    report_requested = Signal()
    export_requested = Signal()

    def __init__(
        self,
        profile: ProfileInUse,
        *,
        tz: tzinfo,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile, self._tz, self._today = profile, tz, today
        self._changing = False  # our own change (a note, a deletion): no need to hear it back
        self._all = SessionTable.from_rows([])
        self._all_days = np.zeros(0, dtype=np.int64)
        self._marks = RegionMarks.from_pairs([])
        self.shown = SessionTable.from_rows([])
        self._shown_days = np.zeros(0, dtype=np.int64)
        self.analysis: Analysis = analyse([])
        self._stale_tabs: set[int] = set()
        self._stale_data = False
        self.deleted: list[DeletedSession] = []
        profile.changed.add(self._on_profile_changed)
        theme = current_theme()

        title = QLabel("Your practice so far")
        title.setFont(scaled_font(self, 1.9, bold=True))
        self.report_button = QPushButton("Report…")
        key_tip(
            self.report_button, "Save a PDF of these figures and sessions for a clinician", "Ctrl+P"
        )
        self.report_button.clicked.connect(self.report_requested)
        self.export_button = QPushButton("Export…")
        key_tip(self.export_button, "Save every session of this profile as CSV or JSON", "Ctrl+E")
        self.export_button.clicked.connect(self.export_requested)
        self.back_button = QPushButton("Back")
        key_tip(self.back_button, "Back", "Esc")
        self.back_button.clicked.connect(self.back)
        self.keys_dialog: KeysDialog | None = None
        self.keys_button = keys_button(self.show_keys)
        self.glance = QLabel()
        self.glance.setWordWrap(True)
        self.glance.setFont(scaled_font(self, 1.1))
        self.glance.setAccessibleName("Your practice so far")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.report_button)
        top.addWidget(self.back_button)
        top.addWidget(self.keys_button)

        self.period = QComboBox()
        self.period.setAccessibleName("Period")
        for text, days in PERIODS:
            self.period.addItem(text, days)
        self.first_day = QDateEdit()
        self.last_day = QDateEdit()
        for edit, name in ((self.first_day, "From"), (self.last_day, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(f"{name} (date)")
        self.exercise = QComboBox()
        self.exercise.setAccessibleName("Exercise")
        self.region = QComboBox()
        self.region.setAccessibleName("Show sessions where this area hurt")
        # Hidden while there are no sessions at all: nothing to narrow, save or report yet.
        self.filters = QWidget()
        filters = QGridLayout(self.filters)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.setHorizontalSpacing(8)
        self.region_label = QLabel("&Where it hurt:")
        for column, (caption_text, widget) in enumerate(
            (
                ("&Period:", self.period),
                ("&From:", self.first_day),
                ("&To:", self.last_day),
                ("E&xercise:", self.exercise),
                (None, self.region),
            )
        ):
            caption = self.region_label if caption_text is None else QLabel(caption_text)
            caption.setBuddy(widget)
            filters.addWidget(caption, 0, column)
            filters.addWidget(widget, 1, column)
        filters.setColumnStretch(3, 1)
        self.count = QLabel()
        muted(self.count)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.summary.setFont(scaled_font(self, 1.1))
        self.summary.setAccessibleName("What your ratings show")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setContentsMargins(12, 8, 12, 8)
        summary_page = QScrollArea()
        summary_page.setWidgetResizable(True)
        summary_page.setFrameShape(QFrame.Shape.NoFrame)
        summary_page.setWidget(self.summary)
        summary_page.setAccessibleName("What your ratings show")
        self.empty = heading(EMPTY_HEADING, TextRole.SECTION)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.empty_text = empty_text = QLabel(EMPTY_TEXT)
        empty_text.setWordWrap(True)
        empty_text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        text_role(empty_text, TextRole.LEAD)
        empty_text.setMaximumWidth(empty_text.fontMetrics().averageCharWidth() * 64)  # readable
        self.exercises_button = primary(QPushButton(EXERCISES_WORDS))
        self.exercises_button.setToolTip("Back to the exercises, to begin a practice")
        self.exercises_button.clicked.connect(self.back)
        self.empty_page = QWidget()
        self.empty_page.setAccessibleName("No sessions yet")
        empty_column = QVBoxLayout(self.empty_page)
        empty_column.addStretch(1)
        empty_column.addWidget(self.empty)
        text_row = QHBoxLayout()  # centred, at most a readable width, and every line shown
        text_row.addStretch(1)
        text_row.addWidget(empty_text, 100)
        text_row.addStretch(1)
        empty_column.addLayout(text_row)
        empty_column.addSpacing(Space.M)
        empty_column.addWidget(self.exercises_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_column.addStretch(2)

        self.ratings_plots = {m: RatingsPlot(m, theme, tz) for m in MEASURES}
        self.change_plots = {m: ChangePlot(m, theme, tz) for m in MEASURES}
        self.exercise_plot = ExercisePlot(theme)
        self.calendar_plot = CalendarPlot(theme)
        theme_signals().changed.connect(self._recolour_plots)
        self.calendar_count = QLabel()
        self.calendar_count.setFont(scaled_font(self, 1.15, bold=True))
        self.calendar_count.setAccessibleName("Days practised in this period")
        self.change_caption = QLabel()
        self.change_caption.setWordWrap(True)
        muted(self.change_caption)

        self.model = SessionTableModel(tz)
        self.model.note_edited.connect(self._save_note)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Past sessions")
        self.table.setTabKeyNavigation(False)  # arrows move between sessions; Tab moves on
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        metrics = self.fontMetrics()
        for column, sample in (
            (DATE, "Wed 30 Sep 2026, 22:59"),
            (EXERCISE, "Mindful breath counting"),
            (MINUTES, "Minutes"),
            (TENSION, "Tension"),
            (PAIN, "10 → 10"),
            (WHERE, "Lower back and neck"),
            (STATUS, max(STATUS_WORDS.values(), key=metrics.horizontalAdvance)),
        ):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        header.setSectionResizeMode(NOTES, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(metrics.horizontalAdvance("Notes") + 24)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.delete_button = QPushButton("Delete session")
        key_tip(self.delete_button, "Delete the selected session (Undo puts it back)", "Del")
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_label = QLabel()
        self.undo_button = QPushButton("Undo")
        key_tip(self.undo_button, "Put the deleted session back", "Ctrl+Z")
        self.undo_button.clicked.connect(self.undo_delete)
        note_hint = QLabel("Double-click a note to write one.")
        key_tip(note_hint, "Double-click a note to write one", "F2")
        muted(note_hint)
        actions = QHBoxLayout()
        actions.addWidget(note_hint)
        actions.addStretch(1)
        actions.addWidget(self.undo_label)
        actions.addWidget(self.undo_button)
        actions.addWidget(self.delete_button)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Plots and sessions")
        self.tabs.tabBar().setAccessibleName("Plots and sessions")
        self.tabs.addTab(summary_page, "S&ummary")
        self.tabs.addTab(
            self._page(
                "Dots are your ratings before (filled) and after (open) each session; the line "
                "is the average of your before-ratings over the last 7 days.",
                self.ratings_plots["pain"].widget,
                self.ratings_plots["tension"].widget,
                plot_min_px=PLOT_MIN_PX,
            ),
            "&Ratings over time",
        )
        self.tabs.addTab(
            self._page(
                None,
                self.change_caption,
                self.change_plots["pain"].widget,
                self.change_plots["tension"].widget,
                plot_min_px=PLOT_MIN_PX,
            ),
            "&Change per session",
        )
        self.tabs.addTab(
            self._page(
                "Average change within a session (after - before) for each exercise, with its "
                "95% confidence interval and the number of sessions (n). Left of 0 means lower "
                "after practice. This is relief in the moment, not proof of change over weeks.",
                self.exercise_plot.widget,
                plot_min_px=PLOT_MIN_PX,  # and taller with many exercises: see ExercisePlot
            ),
            "&By exercise",
        )
        self.tabs.addTab(
            self._page(
                "Each square is a day of the period shown, Monday at the top, with its date; the "
                "stronger its colour, the more minutes you practised. A long period is shown half "
                "a year at a time.",
                self._calendar_heading(),
                self.calendar_plot.key,
                self.calendar_plot.view,
                plot_min_px=CALENDAR_MIN_PX,
            ),
            "C&alendar",
        )
        sessions_page = QWidget()
        sessions_layout = QVBoxLayout(sessions_page)
        sessions_layout.addWidget(self.table, 1)
        sessions_layout.addLayout(actions)
        self.tabs.addTab(sessions_page, "&Sessions")
        self.tabs.currentChanged.connect(self._on_tab)
        self.details = QLabel(HOVER_HINT)
        self.details.setAccessibleName("Details of the session under the pointer")
        self.details.setWordWrap(True)
        muted(self.details)

        layout = screen_layout(self, spacing=8)
        layout.addLayout(top)
        layout.addWidget(self.glance)
        layout.addWidget(self.filters)
        layout.addWidget(self.count)
        layout.addWidget(self.empty_page, 1)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.details)

        for plot in self._timelines():
            self._follow_pointer(plot.widget)
        self._follow_pointer(self.exercise_plot.widget)
        self._follow_pointer(self.calendar_plot.widget)
        self.period.currentIndexChanged.connect(self._on_period)
        self.first_day.dateChanged.connect(self._on_dates)
        self.last_day.dateChanged.connect(self._on_dates)
        self.exercise.currentIndexChanged.connect(self.apply_filters)
        self.region.currentIndexChanged.connect(self.apply_filters)
        for keys, slot, where in (
            (QKeySequence.StandardKey.Undo, self.undo_delete, self),
            (QKeySequence("Ctrl+P"), self._report_if_any, self),
            (QKeySequence("Ctrl+E"), self._export_if_any, self),
            (QKeySequence.StandardKey.Delete, self.delete_selected, self.table),
        ):
            shortcut = QShortcut(keys, where)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        chain = (
            self.period,
            self.first_day,
            self.last_day,
            self.exercise,
            self.region,
            self.tabs,
            self.table,
            self.undo_button,
            self.delete_button,
            self.export_button,
            self.report_button,
            self.exercises_button,
            self.back_button,
            self.keys_button,
        )
        question_key(self, self.show_keys)
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._show_undo()

    def _report_if_any(self) -> None:
        """Ctrl+P asks for the report only when there are sessions to report (as its button)."""
        if len(self._all):
            self.report_requested.emit()

    def _export_if_any(self) -> None:
        """Ctrl+E asks for the export only when there are sessions to export (as its button)."""
        if len(self._all):
            self.export_requested.emit()

    def _timelines(self) -> tuple[RatingsPlot | ChangePlot, ...]:
        """The plots whose x axis is time: one point per session."""
        return (*self.ratings_plots.values(), *self.change_plots.values())

    def _recolour_plots(self, theme: Theme) -> None:
        """Draw every plot in the new theme's colours (the same items: nothing is rebuilt)."""
        for plot in (*self._timelines(), self.exercise_plot, self.calendar_plot):
            plot.recolour(theme)

    def _calendar_heading(self) -> QWidget:
        """The days practised, with the page buttons of a long period beside them."""
        row = QWidget()
        row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.calendar_count)
        line.addStretch(1)
        line.addWidget(self.calendar_plot.pager)
        return row

    def _page(self, caption: str | None, *widgets: QWidget, plot_min_px: int = 0) -> QWidget:
        """A tab's page: the caption, then the widgets. With ``plot_min_px``, no widget that may
        grow (a plot; not a label, not a fixed row) gets shorter than that: on a small window
        the page scrolls instead of squashing them."""
        page = QWidget()
        column = QVBoxLayout(page)
        if caption:
            text = QLabel(caption)
            text.setWordWrap(True)
            muted(text)
            column.addWidget(text)
        for widget in widgets:
            column.addWidget(widget, 0 if isinstance(widget, QLabel) else 1)
            grows = widget.sizePolicy().verticalPolicy() != QSizePolicy.Policy.Fixed
            if plot_min_px and grows and not isinstance(widget, QLabel):
                widget.setMinimumHeight(plot_min_px)  # and its wish for more counts for nothing
                widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        if not plot_min_px:
            return page
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(page)
        scroll.setAccessibleName(" and ".join(w.accessibleName() for w in widgets[-2:]))
        return scroll

    # -- loading --------------------------------------------------------------------------------

    @property
    def all_sessions(self) -> SessionTable:
        """Every session of the profile shown (before the filters)."""
        return self._all

    @property
    def marks(self) -> RegionMarks:
        """Where it hurt in the profile's sessions."""
        return self._marks

    @property
    def profile_id(self) -> int:
        """The profile whose history is shown (the profile in use)."""
        return self._profile.profile_id

    def _on_profile_changed(self, change: Change) -> None:
        if change is Change.PROFILE:  # the undo of a deletion belongs to the profile it was in
            self.deleted.clear()
            self._show_undo()
            self.mark_stale()
        elif change is Change.SESSIONS and not self._changing:
            self.mark_stale()

    @contextlib.contextmanager
    def _own_change(self) -> Iterator[None]:
        self._changing = True
        try:
            yield
        finally:
            self._changing = False

    def mark_stale(self) -> None:
        """Sessions changed (one was saved): read them again now if shown, else when shown."""
        self._stale_data = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale_data:
            self.reload()

    def reload(self) -> None:
        """Read this profile's sessions and areas afresh and show them."""
        with self._profile.trying("Could not show your history") as read:
            table = self._profile.session_table()
            where = self._profile.pain_marks()
        if read.failed:
            return
        self._stale_data = False
        self._all, self._marks = table, where
        self._all_days = table.local_days(self._tz)  # as practised, like the times shown
        self._fill_exercises()
        self._fill_regions()
        self._sync_dates()
        self.apply_filters()

    def _fill_exercises(self) -> None:
        chosen = self.exercise.currentData()
        self.exercise.blockSignals(True)
        self.exercise.clear()
        self.exercise.addItem("All exercises", ALL_EXERCISES)
        for key, title in self._all.latest_titles().items():
            self.exercise.addItem(title, key)
        self.exercise.setCurrentIndex(max(0, self.exercise.findData(chosen)) if chosen else 0)
        self.exercise.blockSignals(False)

    def _fill_regions(self) -> None:
        """The area filter offers only the areas that were marked in some session."""
        chosen = self.region.currentData()
        marked = set(self._marks.names)
        self.region.blockSignals(True)
        self.region.clear()
        self.region.addItem("Anywhere", ANYWHERE)
        for region in REGION_IDS:
            if region in marked:
                self.region.addItem(label(region), region)
        self.region.setCurrentIndex(max(0, self.region.findData(chosen)) if chosen else 0)
        self.region.blockSignals(False)
        for widget in (self.region_label, self.region):
            widget.setVisible(bool(marked))

    # -- filters --------------------------------------------------------------------------------

    def _on_period(self, _index: int) -> None:
        self._sync_dates()
        self.apply_filters()

    def _on_dates(self, _day: QDate) -> None:
        custom = self.period.findData(0)
        if self.period.currentIndex() != custom:
            self.period.blockSignals(True)
            self.period.setCurrentIndex(custom)
            self.period.blockSignals(False)
        self.apply_filters()

    def _sync_dates(self) -> None:
        """Show the period's dates in the From and To boxes (chosen dates stay as they are)."""
        back = self.period.currentData()
        if back == 0:
            return
        today = self._today()
        if back is None:
            first = date.fromordinal(int(self._all_days.min())) if self._all_days.size else today
        else:
            first = today - timedelta(days=int(back) - 1)
        for edit, day in ((self.first_day, first), (self.last_day, max(today, first))):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)

    @property
    def filter(self) -> HistoryFilter:
        """What the filters choose now."""
        back = self.period.currentData()
        first = last = None
        if back == 0:
            first, last = _pydate(self.first_day.date()), _pydate(self.last_day.date())
        elif back is not None:
            first = self._today() - timedelta(days=int(back) - 1)
        return HistoryFilter(
            first_day=first,
            last_day=last,
            exercise=str(self.exercise.currentData() or ALL_EXERCISES),
            region=str(self.region.currentData() or ANYWHERE),
        )

    def set_period(self, text: str) -> None:
        """Choose a period by its label (such as "Last 30 days")."""
        self.period.setCurrentIndex(self.period.findText(text))

    def set_dates(self, first: date, last: date) -> None:
        """Choose the days from ``first`` to ``last``."""
        self.first_day.setDate(_qdate(first))
        self.last_day.setDate(_qdate(last))

    def set_exercise_filter(self, exercise_id: str) -> None:
        """Show only ``exercise_id``'s sessions (``""``: all)."""
        self.exercise.setCurrentIndex(max(0, self.exercise.findData(exercise_id)))

    @property
    def region_filter(self) -> str:
        """The area chosen in the filter (``""`` for anywhere)."""
        return str(self.region.currentData() or ANYWHERE)

    def set_region_filter(self, region: str) -> None:
        """Show only sessions where ``region`` hurt (``""``: all)."""
        self.region.setCurrentIndex(max(0, self.region.findData(region)))

    def apply_filters(self, _index: int = 0) -> None:
        """Narrow the sessions to the filters and redraw: the summary, the table, the plots."""
        chosen = self.filter
        mask = chosen.select(self._all, self._all_days, self._marks)
        self.shown = self._all.take(mask)
        self._shown_days = self._all_days[mask]
        today = self._today()  # sessions dated later (a clock set wrong) are counted and said
        end = today if chosen.last_day is None else min(chosen.last_day, today)
        self.analysis = analyse(
            self.shown, self._marks, today=end, tz=self._tz, days=self._shown_days
        )
        total, shown = len(self._all), len(self.shown)
        self.count.setText(
            ("Showing the 1 session." if total == 1 else f"Showing all {total} sessions.")
            if shown == total
            else f"Showing {shown} of {total} session{'' if total == 1 else 's'}."
        )
        sentences = (
            summary(self.analysis)
            if shown
            else ("No sessions match these filters. Try a longer period.",)
        )
        if shown and not (self.analysis.pain.enough or self.analysis.tension.enough):
            # Kind and useful, rather than only "the average change appears once there are 5".
            later = tuple(s for s in sentences if not s.startswith(("Pain: ", "Tension: ")))
            sentences = (*self._early_sentences(), *later)
        self.summary.setText("".join(f"<p>{html.escape(s)}</p>" for s in sentences))
        self.summary.setVisible(bool(total))
        # Over every session, whatever the filters: the practice is the person's, not the view's.
        glance = practice_glance(self._all_days, self._all.practised_s, self._today())
        self.glance.setText(glance_text(glance))
        # A new person sees a friendly page and one way on, not filters and files of nothing.
        for widget in (self.glance, self.count, self.filters, self.tabs):
            widget.setVisible(bool(total))
        for button in (self.export_button, self.report_button):
            button.setVisible(bool(total))
        self.empty_page.setVisible(not total)
        self.details.setText(HOVER_HINT)
        self.model.set_sessions(self.shown, self._marks)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._show_undo()
        self._stale_tabs = set(range(self.tabs.count()))
        self._on_tab(self.tabs.currentIndex())

    def _early_sentences(self) -> tuple[str, ...]:
        """For a new person: their latest session's ratings and when the figures will come."""
        newest = len(self.shown) - 1
        pain_b, tension_b, pain_a, tension_a = (
            None if value == SKIPPED else int(value) for value in self.shown.ratings[newest]
        )
        rated = max(self.analysis.pain.n, self.analysis.tension.n)
        return early_practice_text(
            self.shown.titles[newest],
            (tension_b, pain_b),
            (tension_a, pain_a),
            rated,
            MIN_SESSIONS_CHANGE,
        )

    # -- plots ----------------------------------------------------------------------------------

    def _on_tab(self, index: int) -> None:
        self.details.setVisible(bool(len(self._all)) and index not in (SUMMARY_TAB, SESSIONS_TAB))
        if index in self._stale_tabs:
            self._stale_tabs.discard(index)
            self._update_tab(index)
        if index == SESSIONS_TAB and self.tabs.tabBar().hasFocus() and self.model.rowCount():
            self.table.setFocus()  # the list is all there is on that tab: arrows work at once

    def update_all_plots(self) -> None:
        """Bring every tab up to date now (the report and tests read every plot)."""
        for index in sorted(self._stale_tabs):
            self._update_tab(index)
        self._stale_tabs.clear()

    def _update_tab(self, index: int) -> None:
        if index == RATINGS_TAB:
            for plot in self.ratings_plots.values():
                plot.update(self.shown, self._shown_days, self._tz)
        elif index == CHANGE_TAB:
            for measure, change_plot in self.change_plots.items():
                change_plot.update(self.shown, self.analysis.change(measure))
            self.change_caption.setText(self._change_caption())
        elif index == EXERCISE_TAB:
            self.exercise_plot.update(self.analysis)
        elif index == CALENDAR_TAB:
            self._update_calendar()

    def _change_caption(self) -> str:
        parts = [
            "Each bar is one session: its rating after minus before, so bars below 0 mean "
            "lower after practice."
        ]
        for measure in MEASURES:
            stats = self.analysis.change(measure)
            if stats.mean.value is not None and stats.mean.low is not None:
                assert stats.mean.high is not None
                parts.append(
                    f"{measure.capitalize()}: dashed line {stats.mean.value:+.1f}, the average "
                    f"change; band {stats.mean.low:+.1f} to {stats.mean.high:+.1f}, its 95% "
                    f"confidence interval (n = {stats.n})."
                )
            else:
                parts.append(f"{measure.capitalize()}: {stats.reason or 'no figure'}.")
        return " ".join(parts)

    def calendar_period(self) -> tuple[date, date]:
        """The first and last day the calendar shows: exactly the period of the filter. "All
        time" runs from the first session's day to today (or the last session's, if later)."""
        chosen, today = self.filter, self._today()
        days = self._all_days
        first = chosen.first_day
        if first is None:
            first = date.fromordinal(int(days.min())) if days.size else today
        last = chosen.last_day
        if last is None:
            latest = int(self._shown_days.max()) if self._shown_days.size else 0
            last = max(today, date.fromordinal(latest)) if latest else today
        return first, max(first, last)

    def _update_calendar(self) -> None:
        first, last = self.calendar_period()
        calendar = practice_calendar(
            self._shown_days,
            self.shown.practised_s,
            self._today(),
            first_day=first,
            last_day=last,
        )
        self.calendar_plot.update(calendar)
        span = (last - first).days + 1
        practised = calendar.days_practised
        self.calendar_count.setText(
            f"You practised on {practised} of these {span} days."
            if span > 1
            else "You practised on this day."
            if practised
            else "No practice on this day."
        )

    # -- pointing at a session ------------------------------------------------------------------

    def _follow_pointer(self, widget: pg.PlotWidget) -> None:
        scene = cast("GraphicsScene", widget.scene())  # pyqtgraph's, typed as Qt's
        scene.sigMouseMoved.connect(lambda pos, w=widget: self._on_pointer(w, pos))

    def _on_pointer(self, widget: pg.PlotWidget, scene_pos: QPointF) -> None:
        view = widget.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(scene_pos):
            return
        point = view.mapSceneToView(scene_pos)
        pixel_s = view.viewPixelSize()[0]
        text = self.describe_point(widget, point.x(), point.y(), pixel_s)
        if text:
            self.details.setText(text)

    def describe_point(self, widget: object, x: float, y: float, pixel_s: float = 3600.0) -> str:
        """Details of what is at (``x``, ``y``) in ``widget``'s coordinates ("" for nothing);
        ``pixel_s`` is how much of the x axis one pixel covers."""
        for plot in self._timelines():
            if plot.widget is widget:
                row = plot.hover_row(x, pixel_s)
                return "" if row is None else self.describe_session(row)
        if widget is self.exercise_plot.widget:
            group = self.exercise_plot.hover_row(y)
            if group is None:
                return ""
            parts = [f"{group.label}: {group.n_sessions} sessions"]
            for stats in (group.pain, group.tension):
                mean = stats.mean
                if mean.value is not None and mean.low is not None and mean.high is not None:
                    parts.append(
                        f"{stats.measure} {mean.value:+.1f} on average "
                        f"(95% CI {mean.low:+.1f} to {mean.high:+.1f}, n = {stats.n})"
                    )
                else:
                    parts.append(f"{stats.measure}: {stats.reason}")
            return " · ".join(parts)
        if widget is self.calendar_plot.widget:
            found = self.calendar_plot.hover_day(x, y)
            if found is None:
                return ""
            day, minutes = found
            practised = f"{minutes:.0f} min practised" if minutes else "no practice"
            return f"{day.strftime('%A %d %B %Y')}: {practised}"
        return ""

    def describe_session(self, row: int) -> str:
        """One line about the shown session at ``row`` (of :attr:`shown`)."""
        table = self.shown
        moment = table.started_local(row, self._tz)  # as on the clock where it was practised
        b_pain, b_tension, a_pain, a_tension = (
            None if v < 0 else int(v) for v in table.ratings[row].tolist()
        )
        parts = [
            moment.strftime(SESSION_TIME_FORMAT),
            table.titles[row],
            f"{table.practised_s[row] / 60:.1f} min",
            f"pain {before_after_text(b_pain, a_pain)}",
            f"tension {before_after_text(b_tension, a_tension)}",
        ]
        where = self._marks.regions_of(int(table.ids[row]))
        if where:
            parts.append(f"hurt: {describe_regions(where)}")
        note = shown_note(self.model.note(int(table.ids[row])))
        if note:
            parts.append(f"“{note if len(note) < 80 else note[:77] + '…'}”")
        return " · ".join(parts)

    # -- the table: notes, delete and undo ------------------------------------------------------

    def _save_note(self, session_id: int, text: str) -> None:
        with (
            self._own_change(),
            self._profile.trying("Could not save the note", "The note was not changed.") as saved,
        ):
            self._profile.set_notes(session_id, text)
        if saved.failed:
            return
        self.model.set_note(session_id, text)

    def select_session(self, session_id: int) -> None:
        """Select (and scroll to) a session in the table."""
        row = self.model.view_row(session_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def selected_session(self) -> int | None:
        """The id of the selected session, if one is."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.session_id(rows[0].row()) if rows else None

    def delete_selected(self) -> None:
        """Delete the selected session (it can be put back with Undo)."""
        session_id = self.selected_session()
        if session_id is None:
            return
        row = self.model.view_row(session_id) or 0
        title = self.model.text(self.model.table_row(row), EXERCISE)
        with self._own_change(), self._profile.trying("Could not delete the session") as done:
            deleted = self._profile.delete_session(session_id)
        if done.failed:
            return
        self.deleted.append(deleted)
        self._undo_text = f"Deleted the {title} session."
        self.reload()
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))
        self._show_undo()
        self.table.setFocus()

    def undo_delete(self) -> None:
        """Put back the last session deleted here."""
        if not self.deleted:
            return
        deleted = self.deleted[-1]
        with self._own_change(), self._profile.trying("Could not put the session back") as done:
            self._profile.restore_session(deleted)
        if done.failed:
            return
        self.deleted.pop()
        self._undo_text = "The session is back."
        self.reload()
        self.select_session(deleted.id)
        self._show_undo()

    def _show_undo(self) -> None:
        can_undo = bool(self.deleted)
        self.undo_button.setVisible(can_undo)
        self.undo_label.setText(getattr(self, "_undo_text", "") if can_undo else "")
        self.delete_button.setEnabled(self.model.rowCount() > 0)

    # -- moving around --------------------------------------------------------------------------

    def visible_sessions(self) -> list[int]:
        """The ids of the sessions listed now, in table order."""
        return self.model.ids_in_view_order()

    def take_focus(self) -> None:
        """Focus the tabs, or the way back to the exercises when there is nothing to show."""
        (self.tabs if len(self._all) else self.exercises_button).setFocus()

    def show_keys(self) -> None:
        """The keys of this screen, in a small window (? or the "?" button)."""
        self.keys_dialog = open_keys(self, *HISTORY_KEYS)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event) and click_focused_button(self):
            return
        if event.key() == Qt.Key.Key_Escape or (
            event.key() == Qt.Key.Key_Backspace and not self.table.hasFocus()
        ):
            self.back.emit()
        else:
            super().keyPressEvent(event)
