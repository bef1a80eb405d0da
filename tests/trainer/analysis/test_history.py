"""Tests for trainer/analysis/history.py (sessions as columns, filters, rolling mean, calendar, streak)
and the store's table, notes, delete and undo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from trainer.analysis.history import (
    SKIPPED,
    HistoryFilter,
    SessionTable,
    changes,
    current_streak,
    daily_practice,
    local_days,
    practice_calendar,
    practice_glance,
    rolling_mean,
)
from trainer.content.breathing import BreathingPattern
from trainer.errors import StoreError
from trainer.session.machine import Ratings, SessionPlan, SessionStatus
from trainer.store.sessions import MAX_NOTES_CHARS, NewSession
from trainer.store.store import Store

START = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Row:
    id: int
    exercise_id: str
    title: str
    started_at: datetime
    before: Ratings
    after: Ratings
    practised_s: float = 300.0


def row(i: int, day: float, pain: tuple[int | None, int | None], exercise: str = "box") -> Row:
    return Row(
        i,
        exercise,
        exercise.title(),
        START + timedelta(days=day),
        Ratings(4, pain[0]),
        Ratings(3, pain[1]),
    )


def test_a_table_is_in_time_order_with_skips_marked() -> None:
    table = SessionTable.from_sessions(
        [row(1, 2, (6, 4)), row(2, 0, (None, 3), "coherent"), row(3, 1, (5, None))]
    )
    assert table.ids.tolist() == [2, 3, 1]
    assert table.ratings[:, 0].tolist() == [SKIPPED, 5, 6]
    assert table.ratings[:, 2].tolist() == [3, SKIPPED, 4]
    assert [table.exercise_of(i) for i in range(3)] == ["coherent", "box", "box"]
    assert table.titles == ("Coherent", "Box", "Box")
    rows, change = changes(table, "pain")
    assert rows.tolist() == [2]
    assert change.tolist() == [-2.0]
    assert len(table.take(np.array([0, 2]))) == 2


def test_an_empty_table_works_everywhere() -> None:
    table = SessionTable.from_sessions([])
    assert len(table) == 0
    days = local_days(table.stamps, ZoneInfo("Europe/London"))
    assert days.size == 0
    assert HistoryFilter(exercise="box").select(table, days).size == 0
    assert rolling_mean(days, table.ratings[:, 0])[0].size == 0
    calendar = practice_calendar(days, table.practised_s, date(2026, 3, 4), weeks=4)
    assert calendar.streak == 0
    assert calendar.days_practised == 0


def test_local_days_follow_daylight_saving_exactly() -> None:
    zone = ZoneInfo("Europe/London")
    # Every 37 minutes across the spring and autumn changes of 2026.
    moments = [
        datetime(2026, 3, 27, tzinfo=UTC) + timedelta(minutes=37 * k) for k in range(600)
    ] + [datetime(2026, 10, 23, tzinfo=UTC) + timedelta(minutes=37 * k) for k in range(600)]
    stamps = np.array([m.timestamp() for m in moments])
    expected = [m.astimezone(zone).toordinal() for m in moments]
    assert local_days(stamps, zone).tolist() == expected
    fixed = timezone(timedelta(hours=-5))
    assert local_days(stamps, fixed).tolist() == [m.astimezone(fixed).toordinal() for m in moments]


def test_filters_by_days_exercise_and_region() -> None:
    table = SessionTable.from_sessions(
        [row(i, i, (5, 4), "box" if i % 2 else "coherent") for i in range(10)]
    )
    days = local_days(table.stamps)
    first = START.date()
    span = HistoryFilter(first + timedelta(days=2), first + timedelta(days=5))
    assert table.ids[span.select(table, days)].tolist() == [2, 3, 4, 5]
    assert table.ids[HistoryFilter(exercise="box").select(table, days)].tolist() == [1, 3, 5, 7, 9]
    assert not HistoryFilter(exercise="nothing").select(table, days).any()
    where = {3: ("neck",), 4: ("neck", "left_knee"), 99: ("neck",)}
    chosen = HistoryFilter(region="neck", exercise="coherent").select(table, days, where)
    assert table.ids[chosen].tolist() == [4]


def test_the_rolling_mean_covers_seven_days_and_leaves_gaps() -> None:
    days = np.array([10, 10, 12, 16, 17, 30, 31], dtype=np.int64)
    values = np.array([6, 4, SKIPPED, 3, 8, 2, 4], dtype=np.int64)
    at, mean = rolling_mean(days, values)
    assert at.tolist() == [10, 16, 17, 30, 31]  # day 12's only rating was skipped
    # Day 16's window is days 10-16: 6, 4, 3; day 17's is 11-17: 3, 8.
    assert mean.tolist() == pytest.approx([5.0, 13 / 3, 5.5, 2.0, 3.0])


def test_the_calendar_counts_minutes_per_day_in_whole_weeks() -> None:
    today = date(2026, 3, 12)  # a Thursday
    days = np.array([today.toordinal(), today.toordinal(), today.toordinal() - 3], dtype=np.int64)
    calendar = practice_calendar(days, np.array([300.0, 120.0, 600.0]), today, weeks=2)
    assert calendar.first_day == date(2026, 3, 2)
    assert calendar.first_day.weekday() == 0
    assert calendar.minutes.shape == (2, 7)
    assert calendar.minutes[1, 3] == pytest.approx(7.0)  # Thursday of the second week
    assert calendar.minutes[1, 0] == pytest.approx(10.0)  # the Monday
    assert np.isnan(calendar.minutes[1, 4:]).all()  # days to come are empty, not zero
    assert calendar.day(1, 3) == today
    assert calendar.days_practised == 2


def test_the_streak_ends_today_or_yesterday() -> None:
    today = date(2026, 3, 12)
    run = np.array([today.toordinal() - k for k in (1, 2, 3, 5)], dtype=np.int64)
    assert current_streak(run, today) == 3  # today has no practice yet: still going
    assert current_streak(np.append(run, today.toordinal()), today) == 4
    assert current_streak(run - 1, today) == 0  # nothing yesterday or today
    days = np.array([today.toordinal()] * 2, dtype=np.int64)
    calendar = practice_calendar(days, np.array([0.0, 0.0]), today)
    assert calendar.streak == 0  # leaving straight away is not a day of practice


# -- the store ----------------------------------------------------------------------------------


@pytest.fixture
def plan(coherent: BreathingPattern) -> SessionPlan:
    return SessionPlan("coherent-5-5", "Coherent breathing", coherent, 18)


def new(day: int, pain: tuple[int | None, int | None], notes: str = "") -> NewSession:
    return NewSession(
        exercise_id="box",
        kind="breathing",
        settings={"title": "Box breathing"},
        started_at=START + timedelta(days=day),
        ended_at=START + timedelta(days=day, minutes=5),
        planned_s=300.0,
        practised_s=290.0,
        status=SessionStatus.COMPLETED,
        before=Ratings(5, pain[0]),
        after=Ratings(4, pain[1]),
        notes=notes,
        pain_regions=("neck",),
    )


def test_the_store_reads_a_table_matching_its_sessions(store: Store, plan: SessionPlan) -> None:
    profile = store.profiles.default_id()
    store.sessions.add(profile, [new(3, (6, 4), "calm"), new(1, (None, 2))])
    live = store.sessions.start_session(plan, profile, START + timedelta(days=2), Ratings(7, 8))
    other = store.profiles.create("Sam")
    store.sessions.add(other, [new(5, (1, 1))])
    table = store.sessions.table(profile)
    objects = sorted(store.sessions.of_profile(profile), key=lambda s: s.started_at)
    assert table.ids.tolist() == [s.id for s in objects]
    assert table.titles == ("Box breathing", "Coherent breathing", "Box breathing")
    assert table.stamps.tolist() == [s.started_at.timestamp() for s in objects]
    assert table.statuses == ("completed", "in_progress", "completed")
    assert table.notes == ("", "", "calm")
    assert table.ratings.tolist() == [[SKIPPED, 5, 2, 4], [8, 7, SKIPPED, SKIPPED], [6, 5, 4, 4]]
    assert live in table.ids.tolist()


def test_a_session_without_a_title_is_listed_by_its_exercise(store: Store) -> None:
    profile = store.profiles.default_id()
    store.sessions.add(profile, [new(1, (5, 4))])
    store.db.execute("UPDATE sessions SET title = ''")
    assert store.sessions.table(profile).titles == ("box",)


def test_notes_are_saved_and_limited(store: Store) -> None:
    profile = store.profiles.default_id()
    store.sessions.add(profile, [new(1, (5, 4))])
    (session_id,) = store.sessions.table(profile).ids.tolist()
    store.sessions.set_notes(session_id, "Felt lighter afterwards")
    assert store.sessions.get(session_id).notes == "Felt lighter afterwards"
    with pytest.raises(StoreError, match="up to"):
        store.sessions.set_notes(session_id, "x" * (MAX_NOTES_CHARS + 1))
    assert store.sessions.get(session_id).notes == "Felt lighter afterwards"
    with pytest.raises(StoreError, match="nothing was saved"):
        store.sessions.set_notes(session_id + 100, "lost?")


def test_a_deleted_session_comes_back_whole(store: Store) -> None:
    profile = store.profiles.default_id()
    store.sessions.add(profile, [new(1, (5, 4), "first"), new(2, (6, 3))])
    before = store.sessions.of_profile(profile)
    target = before[1].id
    deleted = store.sessions.delete(target)
    assert deleted.id == target
    assert [s.id for s in store.sessions.of_profile(profile)] == [before[0].id]
    assert store.regions.of_session(target) == ((), ())
    store.sessions.restore(deleted)
    assert store.sessions.of_profile(profile) == before
    assert store.regions.of_session(target) == (("neck",), ())
    with pytest.raises(StoreError, match="no session"):
        store.sessions.delete(9999)


def test_a_version_3_database_gains_titles_from_its_settings(
    db_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trainer.store.migrations

    with monkeypatch.context() as patch:
        patch.setattr(
            trainer.store.migrations, "MIGRATIONS", trainer.store.migrations.MIGRATIONS[:3]
        )
        patch.setattr(trainer.store.migrations, "SCHEMA_VERSION", 3)
        old = Store(db_path)
        profile = old.db.execute("SELECT min(id) FROM profiles").fetchone()[0]
        old.db.execute(
            "INSERT INTO sessions (profile_id, exercise_id, kind, settings_json, started_at, "
            "planned_s, status) VALUES (?, 'box', 'breathing', ?, '2026-03-01T09:00:00Z', 60, "
            "'completed')",
            [profile, '{"title": "Box breathing", "cycles": 4}'],
        )
        for settings in ('{"title": 7}', "not json", "{}"):
            old.db.execute(
                "INSERT INTO sessions (profile_id, exercise_id, kind, settings_json, started_at, "
                "planned_s, status) VALUES (?, 'odd', 'breathing', ?, '2026-03-02T09:00:00Z', 60, "
                "'completed')",
                [profile, settings],
            )
        old.close()
    new = Store(db_path)
    try:
        assert new.schema_version == trainer.store.migrations.SCHEMA_VERSION
        assert new.sessions.table(profile).titles == ("Box breathing", "odd", "odd", "odd")
    finally:
        new.close()


def test_the_calendar_shows_exactly_the_period_and_counts_its_days() -> None:
    first, last, today = date(2026, 3, 6), date(2026, 3, 18), date(2026, 3, 16)  # Fri, Wed, Mon
    practised = [first - timedelta(days=1), first, date(2026, 3, 10), last, last + timedelta(1)]
    days = np.array([d.toordinal() for d in practised], dtype=np.int64)
    calendar = practice_calendar(
        days, np.full(days.size, 300.0), today, first_day=first, last_day=last
    )
    assert (calendar.first_day, calendar.last_day) == (first, last)
    assert calendar.grid_start == date(2026, 3, 2)  # the Monday of the first week
    assert calendar.minutes.shape == (3, 7)
    shown = [
        calendar.day(w, d)
        for w in range(3)
        for d in range(7)
        if not np.isnan(calendar.minutes[w, d])
    ]
    # The period's days up to today, and the last day (practised, though after today).
    assert shown == [first + timedelta(days=k) for k in range(11)] + [last]
    assert calendar.days_practised == 3  # the day before and the day after do not count
    assert calendar.shown(0, 4)
    assert not calendar.shown(0, 3)


def test_the_glance_counts_the_last_seven_days_and_every_day() -> None:
    today = date(2026, 3, 12)
    ago = [0, 0, 1, 6, 7, 20]  # days before today; a week is today and the 6 days before
    days = np.array([today.toordinal() - k for k in ago], dtype=np.int64)
    seconds = np.array([300.0, 120.0, 0.0, 600.0, 900.0, 60.0])
    glance = practice_glance(days, seconds, today)
    assert glance.week_minutes == pytest.approx(17.0)
    assert glance.week_days == 2  # day 1 was left straight away: no practice
    assert glance.days_practised == 4
    assert glance.streak == 1


def test_the_change_leaves_out_interrupted_sessions_as_the_figures_do() -> None:
    from trainer.analysis.progress import analyse

    def stored(i: int, status: SessionStatus, before: int, after: int) -> tuple[object, ...]:
        at = (START + timedelta(days=i)).timestamp()
        return (i, "box", "Box", at, 300.0, status.value, before, 4, after, 3, "")

    statuses = [SessionStatus.COMPLETED] * 5 + [SessionStatus.INTERRUPTED]
    table = SessionTable.from_rows(
        [stored(i, status, 6, 4 if i < 5 else 9) for i, status in enumerate(statuses)]
    )
    rows, change = changes(table, "pain")
    assert rows.tolist() == [0, 1, 2, 3, 4]  # the late after-rating (6 -> 9) is not "just after"
    assert change.tolist() == [-2.0] * 5
    assert analyse(table).pain.n == rows.size  # the plots and the figures count alike


def test_daily_practice_counts_each_day_of_the_period_only() -> None:
    first = date(2026, 3, 2)
    day = first.toordinal()
    days = np.array([day - 1, day, day, day + 2, day + 3], dtype=np.int64)
    seconds = np.array([600.0, 300.0, 0.0, 0.0, 120.0])  # day + 3 lies past the 3 days asked
    daily = daily_practice(days, seconds, first, 3)
    assert daily.first == first
    assert daily.minutes.tolist() == [5.0, 0.0, 0.0]
    assert daily.sessions.tolist() == [2, 0, 1]
    # A session left straight away (0 s) is a session, not a day of practice.
    assert daily.practised.tolist() == [True, False, False]
