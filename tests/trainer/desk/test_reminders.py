"""Tests for trainer/desk/reminders.py: when reminders are due, as a pure function of a fake clock."""

from __future__ import annotations

import json
import time as time_module
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from trainer.desk.reminders import (
    DEFAULT_PLAN,
    PLAN_KEY,
    STATE_KEY,
    ReminderMode,
    ReminderPlan,
    ReminderState,
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
    weekdays_text,
    when_text,
)
from trainer.errors import ReminderError, SafeSignalError, StoreError
from trainer.session.clock import LocalZone

LONDON = ZoneInfo("Europe/London")
WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))
# 2 March 2026 is a Monday; London keeps GMT (= UTC) until 29 March.
MONDAY, FRIDAY, SATURDAY = 2, 6, 7


def at(day: int, hour: int, minute: int = 0, *, month: int = 3, second: int = 0) -> datetime:
    """A London wall time in 2026, as the UTC moment the fake wall clock reads."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=LONDON).astimezone(UTC)


def times_plan(*moments: str, days: frozenset[int] = WEEKDAYS, **extra: object) -> ReminderPlan:
    """An enabled plan at the given ``HH:MM`` times."""
    parsed = tuple(time.fromisoformat(m) for m in moments)
    return ReminderPlan(enabled=True, times=parsed, weekdays=days, **extra)  # type: ignore[arg-type]


def interval_plan(
    every_min: int, start: str = "09:00", end: str = "17:00", days: frozenset[int] = WEEKDAYS
) -> ReminderPlan:
    """An enabled plan every ``every_min`` minutes within working hours."""
    return ReminderPlan(
        enabled=True,
        mode=ReminderMode.INTERVAL,
        interval_min=every_min,
        work_start=time.fromisoformat(start),
        work_end=time.fromisoformat(end),
        weekdays=days,
    )


def due(plan: ReminderPlan, state: ReminderState, now: datetime) -> datetime | None:
    return next_due(plan, state, now, LONDON)


class Prefs:
    """Preferences in a dict, like the store's, optionally failing as a broken disk would."""

    def __init__(self, fail: bool = False) -> None:
        self.values: dict[str, str] = {}
        self.fail = fail

    def get(self, key: str, default: str) -> str:
        if self.fail:
            raise StoreError("The database could not be read.")
        return self.values.get(key, default)

    def set(self, key: str, value: str) -> None:
        if self.fail:
            raise StoreError("The disk is full.")
        self.values[key] = value


def run_app(
    plan: ReminderPlan, state: ReminderState, start: datetime, end: datetime, step_s: float = 60
) -> tuple[list[datetime], ReminderState]:
    """The reminders an app running from ``start`` to ``end`` shows (each as the moment it was
    due): it checks every ``step_s`` seconds and shows one whenever one is due (as
    ui.shell.reminders does with its timer)."""
    shown_at: list[datetime] = []
    now = start
    while now < end:
        moment = due(plan, state, now)
        if moment is not None and moment <= now:
            shown_at.append(moment)
            state = shown(state, now)
        now += timedelta(seconds=step_s)
    return shown_at, state


# -- the plan ---------------------------------------------------------------------------------


def test_the_default_plan_is_off_and_never_due() -> None:
    assert not DEFAULT_PLAN.enabled
    assert due(DEFAULT_PLAN, ReminderState(), at(MONDAY, 10, 30)) is None
    assert status_text(DEFAULT_PLAN, ReminderState(), at(MONDAY, 9), LONDON) == (
        "Reminders are off."
    )


def test_times_are_sorted_and_trimmed_to_the_minute() -> None:
    plan = ReminderPlan(enabled=True, times=(time(15, 0, 30), time(10, 30)))
    assert plan.times == (time(10, 30), time(15, 0))
    assert plan.describe() == "Mon-Fri at 10:30 and 15:00"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weekdays": frozenset()}, "Choose at least one day of the week"),
        ({"weekdays": frozenset({7})}, r"numbered 0 \(Monday\) to 6 \(Sunday\); got 7"),
        ({"times": ()}, "Add at least one time of day"),
        ({"times": (time(10, 30), time(10, 30, 20))}, "10:30 is in the list of times twice"),
        ({"times": tuple(time(h) for h in range(13))}, "up to 12 times a day; there are 13"),
        ({"snooze_min": 0}, "A snooze lasts 5 to 60 minutes; 0 minutes is outside that"),
        ({"snooze_min": 61}, "61 minutes is outside that"),
        (
            {"mode": ReminderMode.INTERVAL, "interval_min": 10},
            "every 15 to 240 minutes; 10 minutes is outside that",
        ),
        (
            {"mode": ReminderMode.INTERVAL, "interval_min": 241},
            "241 minutes is outside that",
        ),
        (
            {"mode": ReminderMode.INTERVAL, "work_start": time(17), "work_end": time(9)},
            "Working hours must end after they start; 17:00 to 09:00 does not",
        ),
        (
            {"mode": ReminderMode.INTERVAL, "work_start": time(9), "work_end": time(9)},
            "09:00 to 09:00 does not",
        ),
        (
            {"mode": ReminderMode.INTERVAL, "work_start": time(9), "work_end": time(10)},
            "From 09:00 to 10:00 there is no room for a reminder every 60 minutes",
        ),
    ],
)
def test_a_plan_that_cannot_work_says_what_is_wrong(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ReminderError, match=message):
        replace(ReminderPlan(enabled=True), **changes)  # type: ignore[arg-type]


def test_each_mode_checks_only_what_it_uses() -> None:
    # An interval plan may keep an odd list of times (the editor keeps it for later) ...
    plan = interval_plan(60)
    assert replace(plan, times=()).mode is ReminderMode.INTERVAL
    # ... and a plan of set times ignores working hours.
    assert replace(times_plan("10:30"), work_start=time(17), work_end=time(9)).enabled


def test_a_plan_round_trips_through_text() -> None:
    for plan in (
        DEFAULT_PLAN,
        times_plan("08:05", "12:00", "23:59", days=frozenset({0, 6}), snooze_min=25),
        interval_plan(45, "07:30", "18:15", EVERY_DAY),
    ):
        assert ReminderPlan.from_text(plan.to_text()) == plan


def test_missing_entries_take_the_defaults() -> None:
    plan = ReminderPlan.from_text('{"enabled": true}')
    assert plan == replace(DEFAULT_PLAN, enabled=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "could not be read"),
        ("{not json", "could not be read"),
        ("[1, 2]", r"could not be read \(not a JSON object\)"),
        ('{"enabled": true, "colour": "red"}', "unknown entry 'colour'"),
        ('{"version": 2}', "format 2, from another version"),
        ('{"mode": "hourly"}', "unknown mode 'hourly'"),
        ('{"enabled": "yes"}', "Whether reminders are on must be true or false; got 'yes'"),
        ('{"times": "10:30"}', "times must be a list"),
        (
            '{"times": ["25:00"]}',
            "A reminder time must be a time of day such as 09:30; got '25:00'",
        ),
        ('{"times": ["9:30"]}', "got '9:30'"),
        ('{"weekdays": [0, "Tue"]}', "A day of the week must be a whole number; got 'Tue'"),
        ('{"weekdays": 3}', "days must be a list"),
        ('{"interval_min": 30.5}', "The interval must be a whole number; got 30.5"),
        ('{"snooze_min": true}', "The snooze must be a whole number; got True"),
        ('{"weekdays": []}', "Choose at least one day"),
    ],
)
def test_unreadable_plan_text_is_a_reminder_error(text: str, message: str) -> None:
    with pytest.raises(ReminderError, match=message) as caught:
        ReminderPlan.from_text(text)
    assert isinstance(caught.value, SafeSignalError)
    assert "\n" not in str(caught.value)


def test_load_plan_falls_back_to_off_when_the_saved_text_is_bad() -> None:
    prefs = Prefs()
    assert load_plan(prefs) == DEFAULT_PLAN  # nothing saved yet
    plan = times_plan("11:00")
    save_plan(prefs, plan)
    assert load_plan(prefs) == plan
    prefs.values[PLAN_KEY] = '{"enabled": true, "times": ["noon"]}'
    problems: list[str] = []
    assert load_plan(prefs, problems) == DEFAULT_PLAN
    assert problems == [
        "The reminder settings could not be read, so they are off: A reminder time must be a "
        "time of day such as 09:30; got 'noon'."
    ]
    assert load_plan(Prefs(fail=True)) == DEFAULT_PLAN


# -- the state --------------------------------------------------------------------------------


def test_a_state_round_trips_through_text_to_the_second() -> None:
    state = ReminderState(
        snoozed_until=at(MONDAY, 10, 40),
        paused_until=None,
        last_shown_at=at(MONDAY, 10, 30, second=7),
    )
    assert ReminderState.from_text(state.to_text()) == state
    assert ReminderState.from_text(ReminderState().to_text()) == ReminderState()
    assert json.loads(state.to_text())["snoozed_until"] == "2026-03-02T10:40:00Z"


def test_state_times_are_kept_in_utc_and_must_carry_a_zone() -> None:
    state = ReminderState(last_shown_at=datetime(2026, 6, 1, 10, 30, tzinfo=LONDON))
    assert state.last_shown_at == datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="naive"):
        ReminderState(paused_until=datetime(2026, 6, 1, 10, 30))
    with pytest.raises(ValueError, match="naive"):
        due(times_plan("10:30"), ReminderState(), datetime(2026, 6, 1, 10, 30))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("null", "not a JSON object"),
        ('{"paused_until": "soon"}', "bad paused_until: 'soon'"),
        ('{"last_shown_at": 12}', "bad last_shown_at: 12"),
        ('{"snoozed": null}', "unknown entry 'snoozed'"),
    ],
)
def test_unreadable_state_text_is_a_reminder_error(text: str, message: str) -> None:
    with pytest.raises(ReminderError, match=message):
        ReminderState.from_text(text)


def test_load_state_falls_back_to_a_fresh_state() -> None:
    prefs = Prefs()
    state = ReminderState(paused_until=at(MONDAY, 12))
    save_state(prefs, state)
    assert load_state(prefs) == state
    prefs.values[STATE_KEY] = "garbage"
    problems: list[str] = []
    assert load_state(prefs, problems) == ReminderState()
    assert problems[0].startswith("The reminder state could not be read and was reset:")
    assert load_state(Prefs(fail=True)) == ReminderState()


# -- times of day, intervals, weekdays --------------------------------------------------------


def test_times_of_day_come_in_order_then_the_next_day() -> None:
    plan = times_plan("10:30", "15:00")
    state = ReminderState()
    assert due(plan, state, at(MONDAY, 9)) == at(MONDAY, 10, 30)
    state = shown(state, at(MONDAY, 10, 30))
    assert due(plan, state, at(MONDAY, 10, 30, second=1)) == at(MONDAY, 15)
    state = shown(state, at(MONDAY, 15))
    assert due(plan, state, at(MONDAY, 15, 1)) == at(MONDAY + 1, 10, 30)


def test_a_due_reminder_is_strictly_after_the_last_one_shown() -> None:
    plan = times_plan("10:30", "15:00")
    state = shown(ReminderState(), at(MONDAY, 10, 30))
    assert due(plan, state, at(MONDAY, 10, 30)) == at(MONDAY, 15)


def test_weekends_are_skipped() -> None:
    plan = times_plan("10:30", "15:00")
    state = shown(ReminderState(), at(FRIDAY, 15))
    assert due(plan, state, at(FRIDAY, 15, 5)) == at(FRIDAY + 3, 10, 30)  # Monday
    assert due(plan, ReminderState(), at(SATURDAY, 9)) == at(SATURDAY + 2, 10, 30)


def test_only_the_chosen_weekdays() -> None:
    plan = times_plan("12:00", days=frozenset({2, 5}))  # Wednesday and Saturday
    assert due(plan, ReminderState(), at(MONDAY, 9)) == at(MONDAY + 2, 12)
    state = shown(ReminderState(), at(MONDAY + 2, 12))
    assert due(plan, state, at(MONDAY + 2, 13)) == at(SATURDAY, 12)


def test_an_interval_counts_from_the_start_of_the_working_day() -> None:
    plan = interval_plan(60)
    shows, _ = run_app(plan, ReminderState(), at(MONDAY, 8), at(MONDAY, 20))
    assert shows == [at(MONDAY, hour) for hour in range(10, 17)]  # not at 9:00 nor at 17:00


def test_an_interval_that_does_not_divide_the_day() -> None:
    plan = interval_plan(45, "09:00", "12:00")
    assert plan.times_of_day() == (time(9, 45), time(10, 30), time(11, 15))


def test_an_interval_does_not_follow_when_the_app_started() -> None:
    plan = interval_plan(60)
    # Started at 10:17: 10:00 was missed by more than 15 minutes, so the next is 11:00.
    assert due(plan, ReminderState(), at(MONDAY, 10, 17)) == at(MONDAY, 11)
    shows, _ = run_app(plan, ReminderState(), at(MONDAY, 10, 17), at(MONDAY, 13, 30), 7)
    assert shows == [at(MONDAY, 11), at(MONDAY, 12), at(MONDAY, 13)]


def test_the_next_day_after_the_last_interval() -> None:
    plan = interval_plan(120, "08:00", "18:30")
    state = shown(ReminderState(), at(FRIDAY, 18))
    assert due(plan, state, at(FRIDAY, 18, 1)) == at(FRIDAY + 3, 10)


# -- missed reminders: never a burst ------------------------------------------------------------


def test_one_missed_reminder_is_shown_if_missed_by_a_little() -> None:
    plan = times_plan("10:30", "15:00")
    state = shown(ReminderState(), at(MONDAY, 8))
    assert due(plan, state, at(MONDAY, 10, 45)) == at(MONDAY, 10, 30)  # due now
    assert due(plan, state, at(MONDAY, 10, 46)) == at(MONDAY, 15)  # too late: wait for 15:00


def test_several_missed_reminders_give_at_most_one() -> None:
    plan = times_plan("10:30", "10:35", "10:40", "15:00")
    state = shown(ReminderState(), at(MONDAY, 8))
    assert due(plan, state, at(MONDAY, 10, 42)) == at(MONDAY, 10, 40)  # the latest only
    shows, _ = run_app(plan, state, at(MONDAY, 10, 42), at(MONDAY, 14))
    assert shows == [at(MONDAY, 10, 40)]


def test_a_closed_app_shows_no_burst_the_next_morning() -> None:
    plan = interval_plan(15, "09:00", "17:00", EVERY_DAY)
    state = shown(ReminderState(), at(MONDAY, 10))
    # Closed at 10:00 on Monday, opened on Tuesday at 11:07: 11:00 is shown, once.
    shows, _ = run_app(plan, state, at(MONDAY + 1, 11, 7), at(MONDAY + 1, 11, 40))
    assert shows == [at(MONDAY + 1, 11), at(MONDAY + 1, 11, 15), at(MONDAY + 1, 11, 30)]


# -- snooze and pause ---------------------------------------------------------------------------


def test_snooze_reminds_again_after_the_snooze() -> None:
    plan = times_plan("10:30", "10:35", "15:00")
    state = snooze(shown(ReminderState(), at(MONDAY, 10, 30)), at(MONDAY, 10, 31), 10)
    # The snooze stands in for 10:35, which comes before it.
    assert due(plan, state, at(MONDAY, 10, 32)) == at(MONDAY, 10, 41)
    assert status_text(plan, state, at(MONDAY, 10, 32), LONDON) == (
        "Snoozed: the next reminder is today at 10:41."
    )
    state = shown(state, at(MONDAY, 10, 41))
    assert state.snoozed_until is None
    assert due(plan, state, at(MONDAY, 10, 42)) == at(MONDAY, 15)


def test_a_snooze_is_kept_even_outside_the_chosen_hours() -> None:
    plan = interval_plan(60)
    state = snooze(shown(ReminderState(), at(FRIDAY, 16)), at(FRIDAY, 16, 55), 10)
    assert due(plan, state, at(FRIDAY, 16, 56)) == at(FRIDAY, 17, 5)


def test_a_snooze_left_from_long_ago_is_dropped() -> None:
    plan = times_plan("10:30", "15:00")
    state = snooze(ReminderState(), at(MONDAY, 10, 30), 10)
    assert due(plan, state, at(MONDAY, 10, 50)) == at(MONDAY, 10, 40)  # missed a little
    assert due(plan, state, at(MONDAY, 11, 30)) == at(MONDAY, 15)  # missed by far


def test_pause_holds_reminders_back_and_drops_what_it_covered() -> None:
    plan = times_plan("10:30", "15:00")
    state = pause_until(ReminderState(), at(MONDAY, 10, 40))
    assert is_paused(state, at(MONDAY, 10, 20))
    assert due(plan, state, at(MONDAY, 10, 20)) == at(MONDAY, 15)
    # Once the pause has ended, 10:30 (missed by only 11 minutes) is still not shown.
    assert not is_paused(state, at(MONDAY, 10, 41))
    assert due(plan, state, at(MONDAY, 10, 41)) == at(MONDAY, 15)


def test_a_reminder_right_at_the_end_of_a_pause_comes() -> None:
    plan = interval_plan(60)
    state = pause_until(ReminderState(), at(MONDAY, 11))
    assert due(plan, state, at(MONDAY, 10)) == at(MONDAY, 11)


def test_pause_drops_a_pending_snooze() -> None:
    plan = times_plan("10:30", "15:00")
    state = snooze(ReminderState(), at(MONDAY, 10, 30), 10)
    state = pause_until(state, at(MONDAY, 11, 30))
    assert state.snoozed_until is None
    assert due(plan, state, at(MONDAY, 10, 31)) == at(MONDAY, 15)


def test_pause_until_tomorrow_and_resume() -> None:
    plan = times_plan("10:30", "15:00")
    tomorrow = start_of_tomorrow(at(MONDAY, 10), LONDON)
    assert tomorrow == at(MONDAY + 1, 0)
    state = pause_until(ReminderState(), tomorrow)
    assert due(plan, state, at(MONDAY, 10)) == at(MONDAY + 1, 10, 30)
    assert status_text(plan, state, at(MONDAY, 10), LONDON) == (
        "Reminders are paused until tomorrow."
    )
    early = resume(state, at(MONDAY, 10, 20))
    assert not is_paused(early, at(MONDAY, 10, 20))
    assert due(plan, early, at(MONDAY, 10, 20)) == at(MONDAY, 10, 30)
    # Resumed after 10:30: the reminder the pause covered is not shown late.
    late = resume(state, at(MONDAY, 10, 35))
    assert due(plan, late, at(MONDAY, 10, 35)) == at(MONDAY, 15)
    assert resume(late, at(MONDAY, 11)) == late  # not paused: nothing to resume


def test_a_pause_for_an_hour_says_until_when() -> None:
    plan = times_plan("10:30", "15:00")
    state = pause_until(ReminderState(), at(MONDAY, 11, 15))
    assert status_text(plan, state, at(MONDAY, 10, 15), LONDON) == (
        "Reminders are paused until today at 11:15."
    )


def test_a_new_plan_owes_nothing_from_before_it() -> None:
    plan = times_plan("10:30", "15:00")
    state = plan_changed(snooze(ReminderState(), at(MONDAY, 10), 10), at(MONDAY, 10, 40))
    assert state.snoozed_until is None
    assert due(plan, state, at(MONDAY, 10, 40)) == at(MONDAY, 15)  # 10:30 is not shown now


# -- a restart in between -------------------------------------------------------------------------


def test_a_restart_changes_nothing() -> None:
    """A day run in one go shows the same reminders as the same day with the app closed and
    opened again (the plan and state saved as text and read back) at several moments."""
    plan = interval_plan(30, "09:00", "12:00")
    start, end = at(MONDAY, 8), at(MONDAY, 13)
    whole_day, _ = run_app(plan, ReminderState(), start, end)
    for restart in (at(MONDAY, 9, 40), at(MONDAY, 10, 0, second=30), at(MONDAY, 11, 31)):
        prefs = Prefs()
        first, state = run_app(plan, ReminderState(), start, restart)
        save_plan(prefs, plan)
        save_state(prefs, state)
        # ... the app quits and starts again straight away ...
        second, _ = run_app(load_plan(prefs), load_state(prefs), restart, end)
        assert first + second == whole_day


def test_a_restart_keeps_a_snooze_and_a_pause() -> None:
    plan = times_plan("10:30", "15:00")
    prefs = Prefs()
    save_state(prefs, snooze(shown(ReminderState(), at(MONDAY, 10, 30)), at(MONDAY, 10, 30), 10))
    assert due(plan, load_state(prefs), at(MONDAY, 10, 35)) == at(MONDAY, 10, 40)
    save_state(prefs, pause_until(load_state(prefs), at(MONDAY, 16)))
    assert due(plan, load_state(prefs), at(MONDAY, 10, 35)) == at(MONDAY + 1, 10, 30)


def test_a_clock_put_back_does_not_silence_reminders() -> None:
    plan = times_plan("10:30", "15:00")
    state = shown(ReminderState(), at(MONDAY + 1, 15))  # shown while the clock ran a day ahead
    assert due(plan, state, at(MONDAY, 10)) == at(MONDAY, 10, 30)
    # A snooze set by a clock that was wrong is not waited for either.
    state = snooze(ReminderState(), at(MONDAY + 1, 10), 10)
    assert due(plan, state, at(MONDAY, 10)) == at(MONDAY, 10, 30)


# -- daylight saving ---------------------------------------------------------------------------


def test_set_times_stay_at_the_same_wall_time_across_daylight_saving() -> None:
    plan = times_plan("10:30", days=EVERY_DAY)
    state = shown(ReminderState(), at(28, 10, 30))  # Saturday, GMT
    sunday = due(plan, state, at(28, 10, 31))
    assert sunday == datetime(2026, 3, 29, 9, 30, tzinfo=UTC)  # 10:30 BST, 23 hours later
    assert sunday is not None
    assert sunday.astimezone(LONDON).hour == 10


def test_an_interval_keeps_round_wall_times_on_the_day_the_clocks_change() -> None:
    plan = interval_plan(60, "09:00", "12:00", EVERY_DAY)
    shows, _ = run_app(plan, ReminderState(), at(29, 0), at(29, 13))
    assert [s.astimezone(LONDON).strftime("%H:%M %Z") for s in shows] == [
        "10:00 BST",
        "11:00 BST",
    ]


def test_a_time_in_the_hour_that_repeats_comes_once() -> None:
    plan = times_plan("01:30", days=EVERY_DAY)
    shows, _ = run_app(plan, ReminderState(), at(25, 0, month=10), at(25, 4, month=10))
    assert shows == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]  # 01:30 BST, the first one


def test_a_time_in_the_hour_that_is_skipped_still_comes_once() -> None:
    plan = times_plan("01:30", days=EVERY_DAY)
    shows, _ = run_app(plan, ReminderState(), at(28, 23), at(29, 4))
    assert len(shows) == 1
    assert datetime(2026, 3, 29, 1, tzinfo=UTC) <= shows[0] <= datetime(2026, 3, 29, 2, tzinfo=UTC)


@pytest.fixture
def london_local_zone() -> Iterator[LocalZone]:
    """This computer's own zone (trainer.session.clock.LocalZone), set to London for the test."""
    mp = pytest.MonkeyPatch()
    mp.setenv("TZ", "Europe/London")
    time_module.tzset()
    yield LocalZone()
    mp.undo()
    time_module.tzset()


def test_the_computers_own_zone_gives_the_same_times(london_local_zone: LocalZone) -> None:
    plans = (times_plan("10:30", "15:00", days=EVERY_DAY), interval_plan(45, days=EVERY_DAY))
    state = ReminderState()
    for plan in plans:
        for now in (at(27, 16), at(28, 9), at(28, 22), at(29, 9), at(24, 18, month=10)):
            assert next_due(plan, state, now, london_local_zone) == due(plan, state, now)
    assert start_of_tomorrow(at(28, 12), london_local_zone) == at(29, 0)


# -- words --------------------------------------------------------------------------------------


def test_status_lines() -> None:
    plan = times_plan("10:30", "15:00")
    state = ReminderState()
    assert status_text(plan, state, at(MONDAY, 9), LONDON) == "Next reminder today at 10:30."
    assert status_text(plan, state, at(MONDAY, 10, 35), LONDON) == "A reminder is due now."
    assert status_text(plan, shown(state, at(FRIDAY, 15)), at(FRIDAY, 16), LONDON) == (
        "Next reminder on Monday at 10:30."
    )
    assert status_text(plan, shown(state, at(MONDAY, 15)), at(MONDAY, 16), LONDON) == (
        "Next reminder tomorrow at 10:30."
    )


def test_when_text_far_ahead_names_the_date() -> None:
    assert when_text(at(20, 9), at(MONDAY, 9), LONDON) == "on 20 March at 09:00"


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (range(7), "Every day"),
        (range(5), "Mon-Fri"),
        ({5, 6}, "Sat and Sun"),
        ({0, 2, 4}, "Mon, Wed and Fri"),
        ({3}, "Thu"),
        ({1, 2, 3}, "Tue-Thu"),
    ],
)
def test_weekdays_text(days: set[int], text: str) -> None:
    assert weekdays_text(days) == text


def test_describe_an_interval_plan() -> None:
    assert interval_plan(45, "08:30", "17:00", EVERY_DAY).describe() == (
        "Every day, every 45 minutes from 08:30 to 17:00"
    )
