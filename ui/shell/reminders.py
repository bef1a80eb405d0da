"""Reminders on the desk: the service that keeps their timer, the quiet pop-up that shows one,
the presenter that chooses between pop-up and tray message, and the editor in the settings.

When reminders are due is decided by ``trainer.desk.reminders`` (pure functions of the wall clock);
this module only keeps a single timer, re-armed after every check to the next due moment or at
most a minute ahead, so a computer waking from sleep or a clock put right is noticed within a
minute.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import (
    QEvent,
    QObject,
    QPoint,
    QSize,
    Qt,
    QTime,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import (
    QCloseEvent,
    QFocusEvent,
    QGuiApplication,
    QKeyEvent,
    QResizeEvent,
    QScreen,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from trainer.app.settings import Preferences
from trainer.desk.reminders import (
    MAX_INTERVAL_MIN,
    MAX_SNOOZE_MIN,
    MAX_TIMES,
    MIN_INTERVAL_MIN,
    MIN_SNOOZE_MIN,
    WEEKDAY_NAMES,
    WEEKDAY_SHORT,
    ReminderMode,
    ReminderPlan,
    ReminderState,
    clock_text,
    is_paused,
    load_plan,
    load_state,
    next_due,
    pause_until,
    plan_changed,
    resume,
    save_plan,
    save_state,
    shown,
    snooze,
    start_of_tomorrow,
    status_text,
)
from trainer.errors import ReminderError, SafeSignalError
from ui.common.keys import click_focused_button, is_enter, key_tip
from ui.common.theme import current_theme, muted, scaled_font

if TYPE_CHECKING:
    from ui.shell.tray import TrayIcon

MAX_WAIT_MS: Final = 60_000  # the timer looks at the clock at least this often
AUTO_HIDE_MS: Final = 3 * 60_000  # an unanswered pop-up goes away after this long
SCREEN_MARGIN_PX: Final = 16
PAUSE_HOUR_MIN: Final = 60

REMINDER_TITLE: Final = "Time for a short pause?"
REMINDER_TEXT: Final = "A minute of slow breathing can help your body settle."
RESET_TEXT: Final = "Start a 1-minute reset"
NOT_NOW_TEXT: Final = "Not now"


def snooze_text(minutes: int) -> str:
    """The snooze button's words, such as ``Snooze 10 min`` (S is in its tooltip)."""
    return f"Snooze {minutes} min"


class ReminderService(QObject):
    """Keeps the reminder plan and state (saved through a prefs-like object), one timer, and
    emits ``due`` when a reminder should be shown.

    Every due reminder is counted as shown the moment ``due`` is emitted, so a reminder nobody
    answers is not repeated and a restart does not show it again.
    """

    due = Signal()
    changed = Signal()  # the plan or the state changed (the status line may read differently)
    save_failed = Signal(str)  # the settings could not be written; the message says why

    def __init__(
        self,
        prefs: Preferences,
        *,
        utc_now: Callable[[], datetime],
        tz: tzinfo,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._prefs = prefs
        self._utc_now = utc_now
        self._tz = tz
        self.load_problems: list[str] = []  # what could not be read at start-up (then reset)
        self._plan = load_plan(prefs, self.load_problems)
        self._state = load_state(prefs, self.load_problems)
        self._save_failing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check)

    # -- reading --------------------------------------------------------------------------------

    @property
    def plan(self) -> ReminderPlan:
        """The plan in use."""
        return self._plan

    @property
    def state(self) -> ReminderState:
        """The current state (snooze, pause, last shown)."""
        return self._state

    @property
    def timer_interval_ms(self) -> int | None:
        """How long until the timer looks again (``None`` when it is stopped)."""
        return self._timer.interval() if self._timer.isActive() else None

    def next_due(self) -> datetime | None:
        """When the next reminder is due (UTC), or ``None`` when reminders are off."""
        return next_due(self._plan, self._state, self._utc_now(), self._tz)

    def is_paused(self) -> bool:
        """Whether reminders are paused now."""
        return is_paused(self._state, self._utc_now())

    def next_due_text(self) -> str:
        """One line for the settings or the tray: off, paused until when, or the next one."""
        return status_text(self._plan, self._state, self._utc_now(), self._tz)

    def status_with(self, plan: ReminderPlan) -> str:
        """The line :meth:`next_due_text` would give once ``plan`` is in use (the settings show
        it as the person edits, before OK)."""
        if plan == self._plan:
            return self.next_due_text()
        now = self._utc_now()
        return status_text(plan, plan_changed(self._state, now), now, self._tz)

    # -- the timer ------------------------------------------------------------------------------

    def start(self) -> None:
        """Look at the clock now (showing a reminder missed only a little) and keep looking."""
        self.check()

    def stop(self) -> None:
        """Stop looking at the clock (at quit)."""
        self._timer.stop()

    def check(self) -> None:
        """The timer's slot: emit ``due`` if a reminder is due, then re-arm the timer."""
        now = self._utc_now()
        moment = next_due(self._plan, self._state, now, self._tz)
        if moment is not None and moment <= now:
            self._set_state(shown(self._state, now))
            self.due.emit()
            now = self._utc_now()
            moment = next_due(self._plan, self._state, now, self._tz)
        self._arm(moment, now)

    def _arm(self, moment: datetime | None, now: datetime) -> None:
        if moment is None:  # reminders are off: nothing to wait for
            self._timer.stop()
            return
        wait_ms = math.ceil((moment - now) / timedelta(milliseconds=1))
        self._timer.start(max(0, min(MAX_WAIT_MS, wait_ms)))

    # -- what the person asks -------------------------------------------------------------------

    def set_plan(self, plan: ReminderPlan) -> None:
        """Use and save a new plan; reminders from before it are not owed."""
        if plan == self._plan:
            return
        self._plan = plan
        self._save(lambda: save_plan(self._prefs, plan))
        self._set_state(plan_changed(self._state, self._utc_now()))
        self.check()

    def snooze(self) -> None:
        """Remind again after the plan's snooze length."""
        self._change(snooze(self._state, self._utc_now(), self._plan.snooze_min))

    def pause_for(self, minutes: int) -> None:
        """Pause reminders for ``minutes`` from now."""
        until = self._utc_now() + timedelta(minutes=minutes)
        self._change(pause_until(self._state, until))

    def pause_until_tomorrow(self) -> None:
        """Pause reminders until local midnight."""
        self._change(pause_until(self._state, start_of_tomorrow(self._utc_now(), self._tz)))

    def resume(self) -> None:
        """End a pause now (what it covered is not shown late)."""
        self._change(resume(self._state, self._utc_now()))

    def _change(self, state: ReminderState) -> None:
        self._set_state(state)
        self.check()

    def _set_state(self, state: ReminderState) -> None:
        if state != self._state:
            self._state = state
            self._save(lambda: save_state(self._prefs, state))
        self.changed.emit()

    def _save(self, write: Callable[[], None]) -> None:
        """Save through the preferences; a failure is reported once, and reminders go on."""
        try:
            write()
        except SafeSignalError as exc:
            if not self._save_failing:
                self._save_failing = True
                self.save_failed.emit(
                    f"{exc}\n\nReminders go on as you set them, but may not be remembered "
                    "after Safe Signal is closed."
                )
            return
        self._save_failing = False


class ReminderPopup(QWidget):
    """A small window in the bottom-right corner that offers a short pause.

    It is shown without taking the keyboard from what the person is doing (a tool window, on
    top, shown without activating). It does accept focus when clicked, so once there the keys
    work: Enter starts the reset, S snoozes, Esc is "not now". It hides itself after a few
    minutes if nobody answers.
    """

    reset_requested = Signal()
    snooze_requested = Signal()
    dismissed = Signal()  # "Not now", or Esc
    expired = Signal()  # nobody answered in time

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint,
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_MacAlwaysShowToolWindow)
        self.setWindowTitle("Safe Signal: a short pause?")
        self.setAccessibleName("Safe Signal reminder")
        self.setAccessibleDescription(f"{REMINDER_TITLE} {REMINDER_TEXT}")
        theme = current_theme()
        frame = QFrame(self)
        frame.setObjectName("reminderFrame")
        frame.setStyleSheet(
            f"QFrame#reminderFrame {{ background: {theme.surface};"
            f" border: 2px solid {theme.accent}; }}"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        self.caption = QLabel("Safe Signal")
        muted(self.caption)
        self.title = QLabel(REMINDER_TITLE)
        self.title.setFont(scaled_font(self.title, 1.15, bold=True))
        self.text = QLabel(REMINDER_TEXT)
        self.text.setWordWrap(True)
        self.reset_button = QPushButton(RESET_TEXT)
        self.reset_button.setDefault(True)
        self.snooze_button = QPushButton(snooze_text(10))
        self.not_now_button = QPushButton(NOT_NOW_TEXT)
        key_tip(self.reset_button, "A minute of easy, even breathing", "Enter")
        key_tip(self.not_now_button, "Close this reminder", "Esc")
        layout.addWidget(self.caption)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addSpacing(4)
        layout.addWidget(self.reset_button)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.snooze_button)
        row.addWidget(self.not_now_button)
        layout.addLayout(row)
        self.reset_button.clicked.connect(lambda: self._answer(self.reset_requested))
        self.snooze_button.clicked.connect(lambda: self._answer(self.snooze_requested))
        self.not_now_button.clicked.connect(lambda: self._answer(self.dismissed))
        self.hide_timer = QTimer(self)
        self.hide_timer.setSingleShot(True)
        self.hide_timer.setInterval(AUTO_HIDE_MS)
        self.hide_timer.timeout.connect(self.expire)
        self._frame = frame

    def show_reminder(self, snooze_min: int, screen: QScreen | None = None) -> None:
        """Show the reminder in the bottom-right corner of ``screen`` (the primary one if
        none), without taking the keyboard, and start the auto-hide timer."""
        self.snooze_button.setText(snooze_text(snooze_min))
        self.snooze_button.setAccessibleName(f"Snooze for {snooze_min} minutes")
        key_tip(self.snooze_button, f"Remind me again in {snooze_min} minutes", "S")
        self.setFixedWidth(self.natural_width())
        self.adjustSize()
        self.move(self.corner_position(screen))
        self.show()
        self.raise_()
        self.hide_timer.start()

    def natural_width(self) -> int:
        """Wide enough for the buttons' words (which grow with the system font), at least 340."""
        layout = self._frame.layout()
        assert layout is not None, "the frame's layout is set in __init__"
        margins = layout.contentsMargins()
        row = self.snooze_button.sizeHint().width() + self.not_now_button.sizeHint().width() + 8
        buttons = max(row, self.reset_button.sizeHint().width())
        return max(340, buttons + margins.left() + margins.right() + 4)

    def corner_position(self, screen: QScreen | None = None) -> QPoint:
        """Where the pop-up's top-left goes: the bottom-right of the screen's free area."""
        screen = screen or QGuiApplication.primaryScreen()
        if screen is None:  # PySide6's stub says never; Qt gives None when no screen is attached
            return QPoint(0, 0)  # type: ignore[unreachable]
        area = screen.availableGeometry()
        size = self.size()
        return QPoint(
            area.right() + 1 - size.width() - SCREEN_MARGIN_PX,
            area.bottom() + 1 - size.height() - SCREEN_MARGIN_PX,
        )

    def expire(self) -> None:
        """Nobody answered: go away quietly."""
        if self.isVisible():
            self._answer(self.expired)

    def _answer(self, signal: SignalInstance) -> None:
        self.hide_timer.stop()
        self.hide()
        signal.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if is_enter(event):
            if not click_focused_button(self):
                self.reset_button.click()
        elif key == Qt.Key.Key_S:
            self.snooze_button.click()
        elif key == Qt.Key.Key_Escape:
            self.not_now_button.click()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closed by the window manager: the same as "Not now"."""
        event.ignore()
        if self.isVisible():
            self._answer(self.dismissed)


class ReminderPresenter(QObject):
    """Shows each due reminder and passes on the answers.

    With a system tray the reminder is a tray message (the desktop's own quiet notification);
    clicking it opens the pop-up with its choices. Without a tray the pop-up itself is shown.
    While ``busy()`` says the person is already practising, a due reminder is let go silently.
    The tray's pause and resume items go to the service, and its status line follows it.
    """

    reset_requested = Signal()  # start a 1-minute reset (the integrator decides which exercise)

    def __init__(
        self,
        service: ReminderService,
        popup: ReminderPopup,
        tray: TrayIcon | None = None,
        *,
        busy: Callable[[], bool] = lambda: False,
        screen: Callable[[], QScreen | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else service)  # lives as long as it
        self.service = service
        self.popup = popup
        self.tray = tray if tray is not None and tray.available() else None
        self._busy = busy
        self._screen = screen
        service.due.connect(self.present)
        popup.reset_requested.connect(self.reset_requested)
        popup.snooze_requested.connect(service.snooze)
        if tray is not None and self.tray is not None:
            tray.pause_hour_requested.connect(lambda: service.pause_for(PAUSE_HOUR_MIN))
            tray.pause_tomorrow_requested.connect(service.pause_until_tomorrow)
            tray.resume_requested.connect(service.resume)
            tray.message_clicked.connect(self.show_popup)
            tray.menu_about_to_show.connect(self.refresh_tray)
            service.changed.connect(self.refresh_tray)
            self.refresh_tray()

    def present(self) -> None:
        """Show the reminder that just became due (unless the person is practising)."""
        if self._busy():
            return
        if self.tray is not None:
            self.tray.notify(REMINDER_TITLE, f"{REMINDER_TEXT} Click here for the choices.")
        else:
            self.show_popup()

    def show_popup(self) -> None:
        """Show the pop-up with its choices."""
        self.popup.show_reminder(self.service.plan.snooze_min, self._screen())

    def refresh_tray(self) -> None:
        """Bring the tray menu's reminder items up to date."""
        tray = self.tray
        if tray is not None:
            service = self.service
            tray.set_reminder_status(
                enabled=service.plan.enabled,
                paused=service.is_paused(),
                text=service.next_due_text(),
            )


class ReminderEditor(QWidget):
    """The reminder part of the settings: on or off, when, which days, how long a snooze.

    ``plan()`` returns the plan shown, or raises :class:`ReminderError` saying what to change;
    the same message is shown below the controls as the person edits. ``changed`` is emitted
    on every edit by the person (never by ``set_plan``).
    """

    changed = Signal()

    def __init__(self, plan: ReminderPlan | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Reminders")
        self.enabled = QCheckBox("Remind me to take a short pause")
        self.enabled.setAccessibleName("Reminders on")

        self.at_times = QRadioButton("At set times of day")
        self.every = QRadioButton("Every few minutes during working hours")
        self._mode_group = QButtonGroup(self)
        self._mode_group.addButton(self.at_times)
        self._mode_group.addButton(self.every)

        self.times = QListWidget()
        self.times.setAccessibleName("Reminder times")
        self.times.setAccessibleDescription("Select a time and press Delete to remove it.")
        self.times.setMaximumHeight(96)
        self.new_time = _time_edit("New reminder time")
        self.new_time.setTime(QTime(12, 0))
        self.add_time = QPushButton("Add time")
        self.add_time.setAccessibleName("Add this time")
        self.remove_time = QPushButton("Remove time")
        self.remove_time.setAccessibleName("Remove the selected time")

        self.interval = QSpinBox()
        self.interval.setRange(MIN_INTERVAL_MIN, MAX_INTERVAL_MIN)
        self.interval.setSingleStep(15)
        self.interval.setSuffix(" min")
        self.interval.setAccessibleName("Minutes between reminders")
        self.work_start = _time_edit("Working hours start")
        self.work_end = _time_edit("Working hours end")

        self.days: list[QCheckBox] = []
        for short, name in zip(WEEKDAY_SHORT, WEEKDAY_NAMES, strict=True):
            box = QCheckBox(short)
            box.setAccessibleName(name)
            self.days.append(box)

        self.snooze = QSpinBox()
        self.snooze.setRange(MIN_SNOOZE_MIN, MAX_SNOOZE_MIN)
        self.snooze.setSuffix(" min")
        self.snooze.setAccessibleName("Snooze length in minutes")

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem with the reminder settings")
        self.problem.setFont(scaled_font(self.problem, 1.0, bold=True))
        self.status = QLabel()
        self.status.setWordWrap(True)
        muted(self.status)
        self._status_of: Callable[[ReminderPlan], str] | None = None

        self._build_layout()
        self._connect()
        self.set_plan(plan or ReminderPlan())

    def _build_layout(self) -> None:
        times_row = QHBoxLayout()
        times_row.addWidget(self.new_time)
        times_row.addWidget(self.add_time)
        times_row.addWidget(self.remove_time)
        times_row.addStretch(1)
        times_box = QVBoxLayout()
        times_box.setContentsMargins(0, 0, 0, 0)
        times_box.addWidget(self.times)
        times_box.addLayout(times_row)
        hours_row = QHBoxLayout()
        hours_row.addWidget(self.work_start)
        hours_row.addWidget(QLabel("to"))
        hours_row.addWidget(self.work_end)
        hours_row.addStretch(1)
        self.day_boxes = DayBoxes(self.days)
        mode_box = QVBoxLayout()
        mode_box.addWidget(self.at_times)
        mode_box.addWidget(self.every)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # large text: labels above
        form.addRow("When:", mode_box)
        self._times_label = QLabel("Times of day:")
        form.addRow(self._times_label, times_box)
        self._interval_label = QLabel("Every:")
        form.addRow(self._interval_label, _left(self.interval))
        self._hours_label = QLabel("Working hours:")
        form.addRow(self._hours_label, hours_row)
        form.addRow("Days:", self.day_boxes)
        form.addRow("Snooze for:", _left(self.snooze))
        self._form = form

        # The details are shown only while reminders are on (greyed-out controls that do
        # nothing would only be something more to read).
        self.details = QWidget()
        self.details.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.details)
        layout.addWidget(self.problem)
        layout.addWidget(self.status)
        layout.addStretch(1)
        for label, buddy in (
            (self._times_label, self.times),
            (self._interval_label, self.interval),
            (self._hours_label, self.work_start),
        ):
            label.setBuddy(buddy)

    def _connect(self) -> None:
        self.enabled.toggled.connect(self._edited)
        self.at_times.toggled.connect(self._edited)
        self.add_time.clicked.connect(self._add_time)
        self.remove_time.clicked.connect(self._remove_time)
        self.times.currentRowChanged.connect(lambda _row: self._update_enabled())
        for spin in (self.interval, self.snooze):
            spin.valueChanged.connect(self._edited)
        for edit in (self.work_start, self.work_end):
            edit.timeChanged.connect(self._edited)
        for box in self.days:
            box.toggled.connect(self._edited)

    # -- the plan ---------------------------------------------------------------------------------

    def set_plan(self, plan: ReminderPlan) -> None:
        """Show ``plan`` (emits no ``changed``)."""
        self._plan_set = plan
        widgets: list[QObject] = [self.enabled, self.at_times, self.every, self.interval]
        widgets += [self.snooze, self.work_start, self.work_end, *self.days]
        blocked = [(w, w.blockSignals(True)) for w in widgets]
        try:
            self.enabled.setChecked(plan.enabled)
            self.at_times.setChecked(plan.mode is ReminderMode.TIMES)
            self.every.setChecked(plan.mode is ReminderMode.INTERVAL)
            self._set_times(plan.times)
            self.interval.setValue(plan.interval_min)
            self.work_start.setTime(_qtime(plan.work_start))
            self.work_end.setTime(_qtime(plan.work_end))
            for day, box in enumerate(self.days):
                box.setChecked(day in plan.weekdays)
            self.snooze.setValue(plan.snooze_min)
        finally:
            for widget, was in blocked:
                widget.blockSignals(was)
        self._refresh()

    def plan(self) -> ReminderPlan:
        """The plan shown; a :class:`ReminderError` says what must change first.

        With reminders off the details are hidden, so nothing hidden can be wrong: a mistake
        left in them gives the plan last set with :meth:`set_plan`, switched off.
        """
        try:
            return self._plan_shown()
        except ReminderError:
            if self.enabled.isChecked():
                raise
            return replace(self._plan_set, enabled=False)

    def _plan_shown(self) -> ReminderPlan:
        return ReminderPlan(
            enabled=self.enabled.isChecked(),
            mode=ReminderMode.TIMES if self.at_times.isChecked() else ReminderMode.INTERVAL,
            times=self.shown_times(),
            interval_min=self.interval.value(),
            work_start=_pytime(self.work_start.time()),
            work_end=_pytime(self.work_end.time()),
            weekdays=frozenset(day for day, box in enumerate(self.days) if box.isChecked()),
            snooze_min=self.snooze.value(),
        )

    def problem_text(self) -> str:
        """What must change before the plan can be used ("" when nothing)."""
        try:
            self.plan()
        except ReminderError as exc:
            return str(exc)
        return ""

    def shown_times(self) -> tuple[time, ...]:
        """The times in the list, in order."""
        items = (self.times.item(row) for row in range(self.times.count()))
        return tuple(item.data(Qt.ItemDataRole.UserRole) for item in items if item is not None)

    def set_status(self, text: str) -> None:
        """A line under the controls, such as the service's "Next reminder today at 15:00"."""
        self.status.setText(text)

    def follow_status(self, status_of: Callable[[ReminderPlan], str]) -> None:
        """Keep the line under the controls saying what ``status_of`` says of the plan shown,
        at every edit (such as :meth:`ReminderService.status_with`); while the plan has a
        mistake the line is empty and the problem line says what to change."""
        self._status_of = status_of
        self._refresh()

    # -- editing --------------------------------------------------------------------------------

    def _set_times(self, times: tuple[time, ...]) -> None:
        current = self.times.currentItem()
        keep = None if current is None else current.data(Qt.ItemDataRole.UserRole)
        self.times.clear()
        for moment in sorted(times):
            item = QListWidgetItem(clock_text(moment))
            item.setData(Qt.ItemDataRole.UserRole, moment)
            self.times.addItem(item)
            if moment == keep:
                self.times.setCurrentItem(item)

    def _add_time(self) -> None:
        self.new_time.interpretText()  # "9:5" still being typed is 09:05
        moment = _pytime(self.new_time.time())
        times = self.shown_times()
        if moment in times:
            self.problem.setText(f"{clock_text(moment)} is already in the list.")
            return
        if len(times) >= MAX_TIMES:
            self.problem.setText(f"There can be up to {MAX_TIMES} times a day.")
            return
        self._set_times((*times, moment))
        for row in range(self.times.count()):
            item = self.times.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == moment:
                self.times.setCurrentRow(row)
        self._edited()

    def _remove_time(self) -> None:
        row = self.times.currentRow()
        if row < 0:
            return
        self.times.takeItem(row)
        self.times.setCurrentRow(min(row, self.times.count() - 1))
        self._edited()

    def _edited(self) -> None:
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        self._update_enabled()
        self.problem.setText(self.problem_text())
        if self._status_of is not None:
            try:
                self.status.setText(self._status_of(self.plan()))
            except ReminderError:
                self.status.clear()

    def _update_enabled(self) -> None:
        self.details.setVisible(self.enabled.isChecked())
        # Only the rows of the chosen way are shown.
        by_times = self.at_times.isChecked()
        self._form.setRowVisible(self._times_label, by_times)
        self._form.setRowVisible(self._interval_label, not by_times)
        self._form.setRowVisible(self._hours_label, not by_times)
        self.remove_time.setEnabled(self.times.currentRow() >= 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and self.times.hasFocus():
            self._remove_time()
        elif is_enter(event) and self.new_time.hasFocus():
            self._add_time()
        else:
            super().keyPressEvent(event)

    def sizeHint(self) -> QSize:
        # As wide as the details want even while they are hidden: the settings are sized when
        # they open, and ticking "Remind me" must not make them scroll sideways.
        details = self.details.sizeHint().width()
        return super().sizeHint().expandedTo(QSize(max(480, details), 0))


class DayBoxes(QWidget):
    """The seven day boxes: in one row where there is room, else in two (Monday to Thursday,
    then Friday to Sunday), so every day stays whole on a narrow screen or with large text."""

    SPACING_PX: Final = 8

    def __init__(self, boxes: list[QCheckBox], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._boxes = boxes
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(self.SPACING_PX)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.columns = 0
        self._place(len(boxes))
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _place(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for box in self._boxes:
            self._grid.removeWidget(box)
        for index, box in enumerate(self._boxes):
            self._grid.addWidget(box, index // columns, index % columns)

    def _width_for(self, columns: int) -> int:
        widest = max(box.sizeHint().width() for box in self._boxes)
        return columns * widest + (columns - 1) * self.SPACING_PX

    def _columns_for(self, width: int) -> int:
        return len(self._boxes) if width >= self._width_for(len(self._boxes)) else 4

    def sizeHint(self) -> QSize:
        return QSize(self._width_for(len(self._boxes)), self._height(1))

    def minimumSizeHint(self) -> QSize:
        return QSize(self._width_for(4), self._height(1))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._height(1 if self._columns_for(width) == len(self._boxes) else 2)

    def _height(self, rows: int) -> int:
        tallest = max(box.sizeHint().height() for box in self._boxes)
        return rows * tallest + (rows - 1) * self._grid.verticalSpacing()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place(self._columns_for(event.size().width()))
        super().resizeEvent(event)


class TimeField(QTimeEdit):
    """A 24-hour time field where typing replaces the hour or the minutes under the cursor.

    Qt's own, clicked into, only places a cursor: typed digits then go in beside the old ones,
    are refused, and the old hour stays (typing 14:07 gave 12:07). Here the first digit typed
    in a part after a click, the keyboard focus or a move to another part replaces that part,
    so typing "14:07" gives 14:07; the digits after it add to it as usual. A whole time typed
    into the minutes (clicked into them) is read as a whole time too."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._typing_in: int | None = None  # the part being typed in, once a digit went in
        line = self.lineEdit()
        if line is not None:
            line.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress:
            self._typing_in = None  # a click: the next digit starts the part afresh
        return super().eventFilter(watched, event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._typing_in = None
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        line = self.lineEdit()
        part = self.currentSectionIndex()
        minutes = QTimeEdit.Section.MinuteSection
        if event.text() == ":" and self._typing_in == part and self.currentSection() == minutes:
            self.interpretText()  # "14" went into the minutes: it was the hour
            if self.time().minute() < 24:
                self.setTime(QTime(self.time().minute(), 0))
            self.setSelectedSection(minutes)
            self._typing_in = None
            return
        if event.text().isdigit() and line is not None:
            if line.hasSelectedText() and line.selectedText() == line.text():
                part = 0  # all of it chosen (Ctrl+A): a new time, from the hour
                self.setSelectedSection(self.sectionAt(0))
            elif not line.hasSelectedText() and self._typing_in != part:
                self.setSelectedSection(self.currentSection())
        super().keyPressEvent(event)
        # Still in the part typed in (not moved on by itself once full): the next digit adds.
        typed = event.text().isdigit() and self.currentSectionIndex() == part
        self._typing_in = part if typed else None


def _time_edit(name: str) -> QTimeEdit:
    edit = TimeField()
    edit.setDisplayFormat("HH:mm")
    edit.setAccessibleName(name)
    edit.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
    return edit


def _left(widget: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


def _qtime(moment: time) -> QTime:
    return QTime(moment.hour, moment.minute)


def _pytime(moment: QTime) -> time:
    return time(moment.hour(), moment.minute())
