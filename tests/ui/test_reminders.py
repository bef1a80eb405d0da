"""The reminder service (its one timer, driven by a fake wall clock), the quiet pop-up, the
presenter that chooses pop-up or tray message, and the reminder part of the settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt, QTime
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.fakes import Preferences
from trainer.desk.reminders import (
    PLAN_KEY,
    STATE_KEY,
    ReminderMode,
    ReminderPlan,
    ReminderState,
)
from trainer.errors import ReminderError, StoreError
from ui.shell.reminders import (
    AUTO_HIDE_MS,
    MAX_WAIT_MS,
    REMINDER_TEXT,
    REMINDER_TITLE,
    SCREEN_MARGIN_PX,
    ReminderEditor,
    ReminderPopup,
    ReminderPresenter,
    ReminderService,
)
from ui.shell.tray import TrayIcon

LONDON = ZoneInfo("Europe/London")
PLAN = ReminderPlan(enabled=True, times=(time(10, 30), time(15, 0)))  # Mon-Fri


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A London wall time in March 2026 (GMT, so also UTC); 2 March is a Monday."""
    return datetime(2026, 3, day, hour, minute, second, tzinfo=LONDON).astimezone(UTC)


class Wall:
    """The fake wall clock: ``utc_now`` for the service, moved by the test."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


class FailingPreferences(Preferences):
    """Preferences whose writes fail, as on a full disk."""

    def set(self, key: str, value: str) -> None:
        raise StoreError("The disk is full.")


def make_service(
    qtbot, prefs: Preferences, wall: Wall, plan: ReminderPlan | None = None
) -> tuple[ReminderService, list[datetime]]:
    """A service, and the wall-clock moments at which it said a reminder was due."""
    if plan is not None:
        prefs.values[PLAN_KEY] = plan.to_text()
    service = ReminderService(prefs, utc_now=wall, tz=LONDON)
    fired: list[datetime] = []
    service.due.connect(lambda: fired.append(wall.moment))
    return service, fired


def run(service: ReminderService, wall: Wall, until: datetime) -> None:
    """Let time pass as the timer would: jump to each moment it is armed for and fire it."""
    while True:
        wait_ms = service.timer_interval_ms
        assert wait_ms is not None, "the timer stopped"
        assert 0 <= wait_ms <= MAX_WAIT_MS
        step = timedelta(milliseconds=wait_ms)
        if wall.moment + step > until:
            wall.moment = until
            return
        wall.moment += step
        service.check()


# -- the service --------------------------------------------------------------------------------


def test_a_service_with_nothing_saved_is_off_and_keeps_no_timer(qtbot) -> None:
    service, fired = make_service(qtbot, Preferences(), Wall(at(2, 10, 30)))
    service.start()
    assert fired == []
    assert service.timer_interval_ms is None
    assert service.next_due_text() == "Reminders are off."


def test_the_timer_waits_until_due_but_never_more_than_a_minute(qtbot) -> None:
    wall = Wall(at(2, 10, 29, 30))
    service, fired = make_service(qtbot, Preferences(), wall, PLAN)
    service.start()
    assert fired == []
    assert service.timer_interval_ms == 30_000
    wall.moment = at(2, 10, 30)
    service.check()
    assert fired == [at(2, 10, 30)]
    assert service.timer_interval_ms == MAX_WAIT_MS  # 15:00 is hours away: look every minute
    assert service.next_due_text() == "Next reminder today at 15:00."


def test_a_day_of_reminders_each_once(qtbot) -> None:
    wall = Wall(at(2, 8))
    service, fired = make_service(qtbot, Preferences(), wall, PLAN)
    service.start()
    run(service, wall, at(3, 12))
    assert fired == [at(2, 10, 30), at(2, 15), at(3, 10, 30)]


def test_a_wall_clock_jump_is_caught_within_a_minute(qtbot) -> None:
    """After a sleep (or a clock put forward) the timer's next look sees the new time."""
    wall = Wall(at(2, 8))
    service, fired = make_service(qtbot, Preferences(), wall, PLAN)
    service.start()
    wall.moment = at(2, 10, 35)  # the laptop slept from 8:00 to 10:35
    service.check()  # the timer's next timeout, at most a minute later
    assert fired == [at(2, 10, 35)]  # 10:30 missed by five minutes: shown once, now


def test_state_is_saved_so_a_restart_shows_nothing_twice(qtbot) -> None:
    prefs, wall = Preferences(), Wall(at(2, 10, 30))
    first, fired = make_service(qtbot, prefs, wall, PLAN)
    first.start()
    assert fired == [at(2, 10, 30)]
    assert ReminderState.from_text(prefs.values[STATE_KEY]).last_shown_at == at(2, 10, 30)
    first.stop()
    wall.moment = at(2, 10, 32)  # the app is started again two minutes later
    second, fired_again = make_service(qtbot, prefs, wall)
    second.start()
    assert fired_again == []
    assert second.next_due_text() == "Next reminder today at 15:00."


def test_unreadable_saved_settings_fall_back_and_are_reported(qtbot) -> None:
    prefs = Preferences()
    prefs.values[PLAN_KEY] = "{broken"
    service, _ = make_service(qtbot, prefs, Wall(at(2, 9)))
    assert service.plan == ReminderPlan()
    assert len(service.load_problems) == 1
    assert service.load_problems[0].startswith("The reminder settings could not be read")


def test_snooze_reminds_again_after_the_snooze(qtbot) -> None:
    wall = Wall(at(2, 10, 30))
    plan = ReminderPlan(enabled=True, times=(time(10, 30), time(15, 0)), snooze_min=15)
    service, fired = make_service(qtbot, Preferences(), wall, plan)
    service.start()
    wall.moment = at(2, 10, 31)
    service.snooze()
    assert service.next_due_text() == "Snoozed: the next reminder is today at 10:46."
    run(service, wall, at(2, 11))
    assert fired == [at(2, 10, 30), at(2, 10, 46)]


def test_pause_for_an_hour_then_resume(qtbot) -> None:
    wall = Wall(at(2, 10))
    plan = ReminderPlan(
        enabled=True,
        mode=ReminderMode.INTERVAL,
        interval_min=15,
        work_start=time(9),
        work_end=time(17),
    )
    service, fired = make_service(qtbot, Preferences(), wall, plan)
    changes: list[bool] = []
    service.changed.connect(lambda: changes.append(service.is_paused()))
    service.start()
    assert fired == [at(2, 10)]
    service.pause_for(60)
    assert changes[-1] is True
    assert service.next_due_text() == "Reminders are paused until today at 11:00."
    run(service, wall, at(2, 10, 50))
    assert fired == [at(2, 10)]
    service.resume()
    assert changes[-1] is False
    run(service, wall, at(2, 11, 20))
    assert fired == [at(2, 10), at(2, 11), at(2, 11, 15)]  # 10:15-10:45 are not shown late


def test_pause_until_tomorrow(qtbot) -> None:
    wall = Wall(at(2, 9))
    service, fired = make_service(qtbot, Preferences(), wall, PLAN)
    service.start()
    service.pause_until_tomorrow()
    assert service.is_paused()
    assert service.next_due_text() == "Reminders are paused until tomorrow."
    run(service, wall, at(3, 11))
    assert fired == [at(3, 10, 30)]


def test_a_new_plan_is_saved_and_owes_nothing_from_before(qtbot) -> None:
    prefs, wall = Preferences(), Wall(at(2, 10, 40))
    service, fired = make_service(qtbot, prefs, wall)
    service.start()
    service.set_plan(PLAN)  # turned on at 10:40: 10:30 is not shown now
    assert fired == []
    assert ReminderPlan.from_text(prefs.values[PLAN_KEY]) == PLAN
    assert service.timer_interval_ms == MAX_WAIT_MS
    service.set_plan(ReminderPlan())  # off again: no timer
    assert service.timer_interval_ms is None


def test_setting_the_same_plan_keeps_a_snooze(qtbot) -> None:
    wall = Wall(at(2, 10, 30))
    service, _ = make_service(qtbot, Preferences(), wall, PLAN)
    service.start()
    service.snooze()
    service.set_plan(ReminderPlan.from_text(PLAN.to_text()))
    assert service.state.snoozed_until == at(2, 10, 40)


def test_a_failing_save_is_reported_once_and_reminders_go_on(qtbot) -> None:
    prefs, wall = FailingPreferences(), Wall(at(2, 10, 30))
    prefs.values[PLAN_KEY] = PLAN.to_text()
    service, fired = make_service(qtbot, prefs, wall)
    messages: list[str] = []
    service.save_failed.connect(messages.append)
    service.start()
    service.snooze()
    run(service, wall, at(2, 10, 45))
    assert fired == [at(2, 10, 30), at(2, 10, 40)]
    assert len(messages) == 1
    assert messages[0].startswith("The disk is full.")
    assert "may not be remembered" in messages[0]


# -- the pop-up -----------------------------------------------------------------------------------


@pytest.fixture
def popup(qtbot, ticker) -> ReminderPopup:
    widget = ReminderPopup()
    qtbot.addWidget(widget)
    return widget


def test_the_popup_does_not_take_the_keyboard_when_shown(popup: ReminderPopup) -> None:
    flags = popup.windowFlags()
    assert flags & Qt.WindowType.Tool == Qt.WindowType.Tool
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert flags & Qt.WindowType.FramelessWindowHint
    assert popup.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)


def test_the_popup_sits_in_the_bottom_right_corner_with_warm_words(qtbot, popup) -> None:
    popup.show_reminder(10)
    qtbot.waitExposed(popup)
    area = QGuiApplication.primaryScreen().availableGeometry()
    geometry = popup.geometry()
    assert geometry.right() == area.right() - SCREEN_MARGIN_PX
    assert geometry.bottom() == area.bottom() - SCREEN_MARGIN_PX
    assert popup.title.text() == REMINDER_TITLE
    assert popup.text.text() == REMINDER_TEXT
    assert popup.snooze_button.text() == "Snooze 10 min"
    assert "(S)" in popup.snooze_button.toolTip()
    for button in (popup.reset_button, popup.snooze_button, popup.not_now_button):
        assert button.width() >= button.sizeHint().width()  # no clipped words


def test_the_popup_says_the_plans_snooze_length(popup: ReminderPopup) -> None:
    popup.show_reminder(25)
    assert popup.snooze_button.text() == "Snooze 25 min"
    assert popup.snooze_button.accessibleName() == "Snooze for 25 minutes"


@pytest.mark.parametrize(
    ("button", "signal"),
    [
        ("reset_button", "reset_requested"),
        ("snooze_button", "snooze_requested"),
        ("not_now_button", "dismissed"),
    ],
)
def test_each_button_answers_and_hides_the_popup(qtbot, popup, button, signal) -> None:
    popup.show_reminder(10)
    with qtbot.waitSignal(getattr(popup, signal), timeout=100):
        qtbot.mouseClick(getattr(popup, button), Qt.MouseButton.LeftButton)
    assert not popup.isVisible()
    assert not popup.hide_timer.isActive()


@pytest.mark.parametrize(
    ("key", "signal"),
    [
        (Qt.Key.Key_Return, "reset_requested"),
        (Qt.Key.Key_S, "snooze_requested"),
        (Qt.Key.Key_Escape, "dismissed"),
    ],
)
def test_the_popup_answers_keys_once_the_person_goes_to_it(qtbot, popup, key, signal) -> None:
    popup.show_reminder(10)
    popup.activateWindow()
    with qtbot.waitSignal(getattr(popup, signal), timeout=100):
        qtbot.keyClick(popup, key)
    assert not popup.isVisible()


def test_an_unanswered_popup_goes_away_by_itself(qtbot, popup) -> None:
    popup.show_reminder(10)
    assert popup.hide_timer.isActive()
    assert popup.hide_timer.interval() == AUTO_HIDE_MS
    with qtbot.waitSignal(popup.expired, timeout=100):
        popup.hide_timer.timeout.emit()  # as the timer does after three minutes
    assert not popup.isVisible()


def test_closing_the_popup_is_not_now(qtbot, popup) -> None:
    popup.show_reminder(10)
    with qtbot.waitSignal(popup.dismissed, timeout=100):
        popup.close()
    assert not popup.isVisible()


# -- the presenter --------------------------------------------------------------------------------


class FakeTray(TrayIcon):
    """A tray icon that exists (as on a desktop with a tray) and keeps its messages."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[str, str]] = []

    def available(self) -> bool:
        return True

    def notify(self, title: str, text: str) -> None:
        self.messages.append((title, text))


def test_without_a_tray_a_due_reminder_shows_the_popup(qtbot, popup) -> None:
    wall = Wall(at(2, 10, 30))
    service, _ = make_service(qtbot, Preferences(), wall, PLAN)
    presenter = ReminderPresenter(service, popup)
    resets: list[bool] = []
    presenter.reset_requested.connect(lambda: resets.append(True))
    service.start()
    assert popup.isVisible()
    qtbot.mouseClick(popup.reset_button, Qt.MouseButton.LeftButton)
    assert resets == [True]


def test_snooze_in_the_popup_snoozes_the_service(qtbot, popup) -> None:
    wall = Wall(at(2, 10, 30))
    service, _ = make_service(qtbot, Preferences(), wall, PLAN)
    ReminderPresenter(service, popup)
    service.start()
    qtbot.mouseClick(popup.snooze_button, Qt.MouseButton.LeftButton)
    assert service.state.snoozed_until == at(2, 10, 40)


def test_no_reminder_while_practising(qtbot, popup) -> None:
    wall = Wall(at(2, 10, 30))
    service, fired = make_service(qtbot, Preferences(), wall, PLAN)
    ReminderPresenter(service, popup, busy=lambda: True)
    service.start()
    assert fired == [at(2, 10, 30)]  # counted as shown, so not repeated after the session
    assert not popup.isVisible()


def test_with_a_tray_a_due_reminder_is_a_tray_message(qtbot, popup) -> None:
    wall = Wall(at(2, 10, 30))
    service, _ = make_service(qtbot, Preferences(), wall, PLAN)
    tray = FakeTray()
    ReminderPresenter(service, popup, tray)
    service.start()
    assert tray.messages == [(REMINDER_TITLE, f"{REMINDER_TEXT} Click here for the choices.")]
    assert not popup.isVisible()
    tray.message_clicked.emit()
    assert popup.isVisible()


def test_the_tray_menu_pauses_and_resumes_and_shows_how_things_stand(qtbot, popup) -> None:
    wall = Wall(at(2, 9))
    service, _ = make_service(qtbot, Preferences(), wall, PLAN)
    tray = FakeTray()
    ReminderPresenter(service, popup, tray)
    service.start()
    assert tray.status_action.text() == "Next reminder today at 10:30."
    assert tray.pause_hour_action.isEnabled()
    assert not tray.resume_action.isEnabled()
    tray.pause_hour_action.trigger()
    assert service.is_paused()
    assert tray.status_action.text() == "Reminders are paused until today at 10:00."
    assert not tray.pause_hour_action.isEnabled()
    assert tray.resume_action.isEnabled()
    tray.resume_action.trigger()
    assert not service.is_paused()
    tray.pause_tomorrow_action.trigger()
    assert tray.status_action.text() == "Reminders are paused until tomorrow."
    wall.moment = at(3, 9)  # the next morning: the menu is brought up to date as it opens
    tray.menu_about_to_show.emit()
    assert tray.status_action.text() == "Next reminder today at 10:30."
    assert tray.pause_hour_action.isEnabled()


# -- the editor -----------------------------------------------------------------------------------


@pytest.fixture
def editor(qtbot, ticker) -> ReminderEditor:
    widget = ReminderEditor(PLAN)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_editor_shows_and_returns_a_plan(editor: ReminderEditor) -> None:
    assert editor.plan() == PLAN
    plan = ReminderPlan(
        enabled=True,
        mode=ReminderMode.INTERVAL,
        times=(time(8),),
        interval_min=45,
        work_start=time(8, 30),
        work_end=time(18),
        weekdays=frozenset({0, 2, 6}),
        snooze_min=20,
    )
    editor.set_plan(plan)
    assert editor.plan() == plan
    assert [box.isChecked() for box in editor.days] == [1, 0, 1, 0, 0, 0, 1]
    assert editor.problem.text() == ""


def test_the_editor_shows_only_what_the_chosen_way_uses(qtbot, editor) -> None:
    assert editor.times.isVisibleTo(editor)
    assert not editor.interval.isVisibleTo(editor)
    qtbot.mouseClick(editor.every, Qt.MouseButton.LeftButton)
    assert not editor.times.isVisibleTo(editor)
    assert editor.interval.isVisibleTo(editor)
    assert editor.work_start.isVisibleTo(editor)
    assert editor.plan().mode is ReminderMode.INTERVAL
    editor.enabled.click()  # off: the details go
    assert not editor.details.isVisibleTo(editor)
    assert editor.plan().enabled is False


def test_adding_and_removing_times(qtbot, editor) -> None:
    editor.new_time.setTime(QTime(12, 15))
    qtbot.mouseClick(editor.add_time, Qt.MouseButton.LeftButton)
    assert editor.shown_times() == (time(10, 30), time(12, 15), time(15))
    assert editor.times.currentItem().text() == "12:15"  # the new one is selected
    qtbot.mouseClick(editor.remove_time, Qt.MouseButton.LeftButton)
    assert editor.shown_times() == (time(10, 30), time(15))
    editor.new_time.setTime(QTime(10, 30))
    qtbot.mouseClick(editor.add_time, Qt.MouseButton.LeftButton)
    assert editor.shown_times() == (time(10, 30), time(15))
    assert editor.problem.text() == "10:30 is already in the list."


def test_removing_every_time_says_what_to_do(qtbot, editor) -> None:
    for _ in range(2):
        editor.times.setCurrentRow(0)
        qtbot.mouseClick(editor.remove_time, Qt.MouseButton.LeftButton)
    assert editor.shown_times() == ()
    assert not editor.remove_time.isEnabled()
    assert editor.problem.text() == "Add at least one time of day for reminders."
    with pytest.raises(ReminderError, match="Add at least one time of day"):
        editor.plan()


def test_no_day_chosen_is_a_clear_message(editor: ReminderEditor) -> None:
    for box in editor.days:
        box.setChecked(False)
    assert editor.problem.text() == "Choose at least one day of the week for reminders."
    with pytest.raises(ReminderError, match="Choose at least one day"):
        editor.plan()


def test_a_mistake_left_in_hidden_details_does_not_block_switching_off(editor) -> None:
    for box in editor.days:
        box.setChecked(False)
    editor.enabled.click()  # off: the details (and the mistake) are hidden
    assert editor.problem.text() == ""
    assert editor.plan() == replace(PLAN, enabled=False)
    editor.enabled.click()  # on again: the mistake is shown again
    assert editor.problem.text() == "Choose at least one day of the week for reminders."


def test_working_hours_that_end_first_are_a_clear_message(qtbot, editor) -> None:
    editor.every.click()
    editor.work_start.setTime(QTime(17, 0))
    editor.work_end.setTime(QTime(9, 0))
    assert editor.problem.text() == (
        "Working hours must end after they start; 17:00 to 09:00 does not."
    )


def test_edits_say_changed_but_set_plan_does_not(qtbot, editor) -> None:
    changes: list[bool] = []
    editor.changed.connect(lambda: changes.append(True))
    editor.set_plan(ReminderPlan(enabled=True, snooze_min=30))
    assert changes == []
    editor.snooze.setValue(25)
    editor.days[5].click()
    assert len(changes) == 2


def test_the_editor_by_keyboard(qtbot, editor, press) -> None:
    """Every control is reached with Tab; Enter in the time box adds it, Delete removes."""
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.enabled.setFocus()
    reached: list[QWidget] = []
    for _ in range(40):  # a time box takes a Tab for each of its parts (hours, minutes)
        reached.append(QApplication.focusWidget())
        press(Qt.Key.Key_Tab)
        if QApplication.focusWidget() is editor.enabled:
            break
    expected = [editor.enabled, editor.at_times, editor.times, editor.new_time, editor.add_time]
    expected += [*editor.days, editor.snooze]
    assert [w for w in expected if w not in reached] == []
    # The other way, by arrow key: its controls are reached too.
    editor.at_times.setFocus()
    press(Qt.Key.Key_Down)
    assert editor.every.isChecked()
    reached = []
    for _ in range(40):
        reached.append(QApplication.focusWidget())
        press(Qt.Key.Key_Tab)
        if QApplication.focusWidget() is editor.every:
            break
    assert {editor.interval, editor.work_start, editor.work_end} <= set(reached)
    editor.at_times.setChecked(True)
    editor.new_time.setFocus()
    editor.new_time.setTime(QTime(8, 45))
    press(Qt.Key.Key_Return)
    assert time(8, 45) in editor.shown_times()
    editor.times.setFocus()
    editor.times.setCurrentRow(0)
    press(Qt.Key.Key_Delete)
    assert time(8, 45) not in editor.shown_times()


def test_every_control_has_an_accessible_name(editor: ReminderEditor) -> None:
    controls = [editor.enabled, editor.times, editor.new_time, editor.add_time]
    controls += [editor.remove_time, editor.interval, editor.work_start, editor.work_end]
    controls += [editor.snooze, *editor.days]
    assert all(control.accessibleName() for control in controls)
    assert [box.accessibleName() for box in editor.days][:2] == ["Monday", "Tuesday"]
    assert editor.interval.suffix() == " min"
    assert editor.snooze.suffix() == " min"


def click_into(qtbot, edit, share: float) -> None:
    """Click into a time field as a person would, ``share`` of the way across its text."""
    line = edit.lineEdit()
    qtbot.mouseClick(
        line, Qt.MouseButton.LeftButton, pos=QPoint(round(line.width() * share), line.height() // 2)
    )


@pytest.mark.parametrize("share", [0.05, 0.3, 0.8])  # on the hour, between, on the minutes
def test_typing_a_time_into_a_clicked_time_field_gives_that_time(qtbot, editor, share) -> None:
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    assert editor.new_time.time() == QTime(12, 0)
    click_into(qtbot, editor.new_time, share)
    QTest.keyClicks(editor.new_time, "14:07")  # gave 12:07: the digits went in beside "12"
    assert editor.new_time.time() == QTime(14, 7)
    qtbot.keyClick(editor.new_time, Qt.Key.Key_Return)
    assert time(14, 7) in editor.shown_times()


def test_a_time_field_takes_a_time_typed_after_tab_or_select_all_and_minutes_alone(
    qtbot, editor, press
) -> None:
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.every.click()
    editor.work_start.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClicks(editor.work_start, "7:45")
    editor.work_start.interpretText()
    assert editor.work_start.time() == QTime(7, 45)
    editor.work_end.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(editor.work_end.lineEdit(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(editor.work_end, "16:30")
    assert editor.work_end.time() == QTime(16, 30)
    click_into(qtbot, editor.work_end, 0.8)  # the minutes alone
    QTest.keyClicks(editor.work_end, "05")
    assert editor.work_end.time() == QTime(16, 5)
    assert editor.plan().work_start == time(7, 45)


def test_the_status_line_follows_the_ticked_box_before_ok(qtbot) -> None:
    """Ticking "Remind me" in the settings no longer leaves "Reminders are off." beside it."""
    wall = Wall(at(2, 9))  # a Monday morning
    service, _fired = make_service(qtbot, Preferences(), wall)
    editor = ReminderEditor(service.plan)
    qtbot.addWidget(editor)
    editor.follow_status(service.status_with)
    assert editor.status.text() == "Reminders are off."
    editor.enabled.click()
    assert editor.status.text() == "Next reminder today at 10:30."  # the plan shown, at once
    assert not service.plan.enabled  # nothing is in use until OK
    editor.new_time.setTime(QTime(10, 15))
    editor.add_time.click()
    assert editor.status.text() == "Next reminder today at 10:15."
    for box in editor.days:
        box.setChecked(False)
    assert editor.status.text() == ""  # the problem line says what to change
    assert editor.problem.text() == "Choose at least one day of the week for reminders."
    editor.days[1].click()
    assert editor.status.text() == "Next reminder tomorrow at 10:15."
    editor.enabled.click()
    assert editor.status.text() == "Reminders are off."
