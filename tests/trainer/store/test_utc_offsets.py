"""Each session keeps the offset from UTC of the clock where it was practised (schema 7), so its
time reads the same after travel: recorded by the practice flow, migrated into older files as
empty, shown by the history table, carried by exports and imports, and absent from old files."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.trainer.conftest import FakeWallClock, make_old_database
from trainer.analysis.history import SessionTable
from trainer.app.practice import PracticeFlow
from trainer.app.profile import ProfileInUse
from trainer.content.breathing import BreathingPattern
from trainer.content.catalog import load_catalog
from trainer.session.clock import FakeClock
from trainer.session.machine import Ratings, SessionPlan, SessionStatus
from trainer.store.exchange import (
    COLUMNS,
    export_records,
    export_sessions,
    import_sessions,
    parse_export,
)
from trainer.store.migrations import MAX_UTC_OFFSET_MIN, SCHEMA_VERSION
from trainer.store.sessions import NewSession, utc_offset_min
from trainer.store.store import Store

NEW_YORK_WINTER = timezone(timedelta(hours=-5), "UTC-5")
BERLIN_WINTER = timezone(timedelta(hours=1), "UTC+1")
# 21:30 on a UTC-5 clock is 02:30 UTC the next day, and 03:30 on a UTC+1 clock.
EVENING_IN_NEW_YORK = datetime(2026, 1, 16, 2, 30, tzinfo=UTC)


@pytest.fixture
def plan(coherent: BreathingPattern) -> SessionPlan:
    return SessionPlan("coherent-5-5", "Coherent breathing", coherent, 3)  # 30 s


def practise_once(store: Store, plan: SessionPlan, tz: timezone | ZoneInfo, at: datetime) -> int:
    """One whole session through the practice flow, on a computer whose zone is ``tz``."""
    profile = ProfileInUse(store, store.profiles.default_id(), load_catalog())
    clock, wall = FakeClock(), FakeWallClock(at)
    flow = PracticeFlow(profile, clock=clock, utc_now=wall, tz=tz)
    flow.start_breathing(plan, "h", ask_where=False)
    flow.before_confirmed(5, 6)
    session = flow.session
    assert session is not None
    assert session.session_id is not None
    seconds = plan.planned_s + plan.lead_in_s + 1
    clock.advance(seconds)
    wall.advance(seconds)
    session.update()
    flow.after_confirmed(3, 4)
    return session.session_id


def new_session(started: datetime, offset: int | None) -> NewSession:
    return NewSession(
        exercise_id="box",
        kind="breathing",
        settings={"title": "Box breathing"},
        started_at=started,
        ended_at=started + timedelta(minutes=6),
        planned_s=300.0,
        practised_s=300.0,
        status=SessionStatus.COMPLETED,
        before=Ratings(5, 6),
        after=Ratings(3, 4),
        utc_offset_min=offset,
    )


# -- recorded at the start, shown as it was ------------------------------------------------------


def test_a_session_at_21_30_in_new_york_reads_21_30_in_berlin(
    store: Store, plan: SessionPlan
) -> None:
    session_id = practise_once(store, plan, NEW_YORK_WINTER, EVENING_IN_NEW_YORK)
    stored = store.sessions.get(session_id)
    assert stored.utc_offset_min == -300
    assert stored.started_local(BERLIN_WINTER).strftime("%H:%M") == "21:30"
    table = store.sessions.table(store.profiles.default_id())
    shown = table.started_local(0, BERLIN_WINTER)
    assert (shown.day, shown.strftime("%H:%M")) == (15, "21:30")
    assert shown.utcoffset() == timedelta(hours=-5)
    # The moment itself is unchanged: in Berlin it was 03:30 the next morning.
    assert shown.astimezone(BERLIN_WINTER).strftime("%d %H:%M") == "16 03:30"


def test_the_offset_follows_daylight_saving_where_it_was_practised(
    store: Store, plan: SessionPlan
) -> None:
    summer = datetime(2026, 7, 2, 1, 30, tzinfo=UTC)  # 21:30 EDT (UTC-4) on 1 July
    winter = datetime(2026, 1, 2, 2, 30, tzinfo=UTC)  # 21:30 EST (UTC-5) on 1 January
    new_york = ZoneInfo("America/New_York")
    ids = [practise_once(store, plan, new_york, at) for at in (winter, summer)]
    assert [store.sessions.get(i).utc_offset_min for i in ids] == [-300, -240]
    table = store.sessions.table(store.profiles.default_id())
    tokyo = ZoneInfo("Asia/Tokyo")
    assert [table.started_local(row, tokyo).strftime("%H:%M") for row in (0, 1)] == [
        "21:30",
        "21:30",
    ]


def test_a_session_without_an_offset_is_shown_in_the_zone_given(store: Store) -> None:
    me = store.profiles.default_id()
    store.sessions.add(me, [new_session(EVENING_IN_NEW_YORK, None)])
    table = store.sessions.table(me)
    assert table.started_local(0, BERLIN_WINTER).strftime("%d %H:%M") == "16 03:30"
    assert store.sessions.of_profile(me)[0].started_local(BERLIN_WINTER).hour == 3


def test_filtered_tables_keep_each_sessions_offset(store: Store) -> None:
    me = store.profiles.default_id()
    store.sessions.add(
        me,
        [
            new_session(EVENING_IN_NEW_YORK, -300),
            new_session(EVENING_IN_NEW_YORK + timedelta(days=1), None),
            new_session(EVENING_IN_NEW_YORK + timedelta(days=2), 60),
        ],
    )
    table = store.sessions.table(me).take([1, 2])
    assert [table.started_local(row, UTC).strftime("%H:%M") for row in (0, 1)] == [
        "02:30",
        "03:30",
    ]


def test_the_offset_is_taken_in_whole_minutes_of_the_zone() -> None:
    assert utc_offset_min(EVENING_IN_NEW_YORK, NEW_YORK_WINTER) == -300
    assert utc_offset_min(EVENING_IN_NEW_YORK, ZoneInfo("Asia/Kolkata")) == 330
    assert utc_offset_min(EVENING_IN_NEW_YORK, UTC) == 0


@pytest.mark.parametrize("bad", [MAX_UTC_OFFSET_MIN + 1, -MAX_UTC_OFFSET_MIN - 1, True, 1.5])
def test_an_impossible_offset_is_refused_and_nothing_is_stored(
    store: Store, plan: SessionPlan, bad: object
) -> None:
    me = store.profiles.default_id()
    with pytest.raises(ValueError, match="offset from UTC"):
        store.sessions.start_session(
            plan, me, EVENING_IN_NEW_YORK, Ratings(1, 1), utc_offset_min=bad
        )  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="offset from UTC"):
        store.sessions.add(me, [new_session(EVENING_IN_NEW_YORK, bad)])  # type: ignore[arg-type]
    assert store.sessions.count(me) == 0


def test_the_schema_itself_refuses_an_impossible_offset(store: Store, plan: SessionPlan) -> None:
    me = store.profiles.default_id()
    session_id = store.sessions.start_session(plan, me, EVENING_IN_NEW_YORK, Ratings(1, 1))
    for bad in (24 * 60, "west", 1.5):
        with pytest.raises(sqlite3.IntegrityError):
            store.db.execute(
                "UPDATE sessions SET utc_offset_min = ? WHERE id = ?", [bad, session_id]
            )


# -- older databases -----------------------------------------------------------------------------


def test_a_version_6_database_keeps_every_session_with_no_offset(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_old_database(db_path, 6, monkeypatch)
    with closing(sqlite3.connect(db_path)) as conn, conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
        assert "utc_offset_min" not in columns
        for day in range(1, 4):  # as Safe Signal of schema 6 wrote them
            conn.execute(
                "INSERT INTO sessions (profile_id, exercise_id, kind, settings_json, started_at, "
                "ended_at, planned_s, practised_s, status, pre_tension, pre_pain, post_tension, "
                "post_pain, title) VALUES (1, 'box', 'breathing', '{}', ?, ?, 300, 300, "
                "'completed', 5, 6, 3, 4, 'Box breathing')",
                [f"2026-01-0{day}T09:00:00Z", f"2026-01-0{day}T09:06:00Z"],
            )
    store = Store(db_path)
    try:
        assert store.schema_version == SCHEMA_VERSION == 7
        sessions = store.sessions.of_profile(store.profiles.default_id())
        assert [s.started_at.day for s in sessions] == [3, 2, 1]
        assert [s.utc_offset_min for s in sessions] == [None, None, None]
        assert [(s.before, s.after) for s in sessions] == [(Ratings(5, 6), Ratings(3, 4))] * 3
        table = store.sessions.table(store.profiles.default_id())
        assert table.started_local(0, BERLIN_WINTER).strftime("%H:%M") == "10:00"
    finally:
        store.close()


def test_a_newer_database_is_still_refused(db_path: Path) -> None:
    from trainer.errors import NewerDatabaseError

    Store(db_path).close()
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = db_path.read_bytes()
    with pytest.raises(NewerDatabaseError):
        Store(db_path)
    assert db_path.read_bytes() == before


# -- exports and imports ---------------------------------------------------------------------------


def test_export_carries_the_offset_and_the_local_time_as_practised(
    store: Store, plan: SessionPlan, tmp_path: Path
) -> None:
    practise_once(store, plan, NEW_YORK_WINTER, EVENING_IN_NEW_YORK)
    me = store.profiles.default_id()
    store.sessions.add(me, [new_session(EVENING_IN_NEW_YORK + timedelta(days=1), None)])
    kept, unknown = export_records(store, me, BERLIN_WINTER)
    assert kept["utc_offset_min"] == -300
    assert kept["started_at_local"] == "2026-01-15T21:30:00-05:00"
    assert kept["started_at_utc"] == "2026-01-16T02:30:00Z"
    assert unknown["utc_offset_min"] is None
    assert unknown["started_at_local"] == "2026-01-17T03:30:00+01:00"  # the zone given
    out = tmp_path / "out.csv"
    export_sessions(store, me, out, "csv", tz=BERLIN_WINTER)
    header, first, second = out.read_text(encoding="utf-8").splitlines()
    at = header.split(",").index("utc_offset_min")
    assert COLUMNS[at] == "utc_offset_min"
    assert (first.split(",")[at], second.split(",")[at]) == ("-300", "")


def test_export_and_import_round_trip_the_offset(
    store: Store, plan: SessionPlan, tmp_path: Path
) -> None:
    practise_once(store, plan, NEW_YORK_WINTER, EVENING_IN_NEW_YORK)
    me = store.profiles.default_id()
    store.sessions.add(me, [new_session(EVENING_IN_NEW_YORK + timedelta(days=1), None)])
    out = tmp_path / "out.json"
    export_sessions(store, me, out, "json", now=lambda: EVENING_IN_NEW_YORK)
    other = Store(tmp_path / "other.db")
    try:
        assert import_sessions(other, other.profiles.default_id(), out).added == 2
        again = other.sessions.of_profile(other.profiles.default_id())
        assert [s.utc_offset_min for s in reversed(again)] == [-300, None]
        table = other.sessions.table(other.profiles.default_id())
        assert table.started_local(0, BERLIN_WINTER).strftime("%H:%M") == "21:30"
    finally:
        other.close()


def version_1_document() -> dict[str, object]:
    """A session as Safe Signal exported it before offsets were kept (format version 1)."""
    return {
        "format": "safesignal-sessions",
        "version": 1,
        "exported_at": "2026-01-20T10:00:00Z",
        "profile": "Me",
        "sessions": [
            {
                "id": 4,
                "profile": "Me",
                "started_at_utc": "2026-01-16T02:30:00Z",
                "ended_at_utc": "2026-01-16T02:36:00Z",
                "started_at_local": "2026-01-15T21:30:00-05:00",
                "exercise_id": "box",
                "exercise_title": "Box breathing",
                "kind": "breathing",
                "status": "completed",
                "planned_s": 300,
                "practised_s": 300,
                "tension_before": 5,
                "tension_after": 3,
                "pain_before": 6,
                "pain_after": 4,
                "pain_regions": [],
                "comfort_regions": [],
                "notes": "",
                "settings": {},
            }
        ],
    }


def test_a_file_without_offsets_still_imports(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps(version_1_document()), encoding="utf-8")
    me = store.profiles.default_id()
    assert import_sessions(store, me, path).added == 1
    (stored,) = store.sessions.of_profile(me)
    assert stored.utc_offset_min is None
    assert stored.started_at == EVENING_IN_NEW_YORK


@pytest.mark.parametrize("bad", ["-300", 1.5, 24 * 60, True])
def test_an_impossible_offset_in_a_file_is_named_with_its_line(bad: object) -> None:
    document = version_1_document()
    document["version"] = 2
    session = document["sessions"][0]  # type: ignore[index]
    session["utc_offset_min"] = bad
    text = json.dumps(document, indent=2)
    with pytest.raises(Exception, match="utc_offset_min must be a whole number of minutes") as e:
        parse_export(text, "f.json")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if '"utc_offset_min"' in t)
    assert str(e.value).startswith(f"f.json, line {line}: session 1: ")


def test_a_rescued_session_keeps_its_offset(
    store: Store, plan: SessionPlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = ProfileInUse(store, store.profiles.default_id(), load_catalog())
    clock, wall = FakeClock(), FakeWallClock(EVENING_IN_NEW_YORK)
    flow = PracticeFlow(profile, clock=clock, utc_now=wall, tz=NEW_YORK_WINTER)
    flow.start_breathing(plan, "h", ask_where=False)
    flow.before_confirmed(4, 6)
    target = tmp_path / "elsewhere.json"
    flow.save_elsewhere(target, Ratings(2, 3))
    (record,) = json.loads(target.read_text())["sessions"]
    assert record["utc_offset_min"] == -300
    assert parse_export(target.read_text())[0].utc_offset_min == -300


def test_an_offset_coming_later_completes_an_unfinished_copy(store: Store) -> None:
    me = store.profiles.default_id()
    unfinished = new_session(EVENING_IN_NEW_YORK, None)
    unfinished = NewSession(
        **{**unfinished.__dict__, "status": SessionStatus.INTERRUPTED, "after": Ratings(None, None)}
    )
    store.sessions.add(me, [unfinished])
    assert store.sessions.add(me, [new_session(EVENING_IN_NEW_YORK, -300)]) == (1, 0)
    (stored,) = store.sessions.of_profile(me)
    assert (stored.status, stored.utc_offset_min) == (SessionStatus.COMPLETED, -300)


def test_a_table_built_from_sessions_keeps_their_offsets(store: Store) -> None:
    me = store.profiles.default_id()
    store.sessions.add(me, [new_session(EVENING_IN_NEW_YORK, -300)])
    table = SessionTable.from_sessions(store.sessions.of_profile(me))
    assert table.started_local(0, UTC).strftime("%H:%M") == "21:30"


def test_a_sessions_calendar_day_is_the_day_where_it_was_practised(store: Store) -> None:
    from datetime import date

    from trainer.analysis.progress import analyse

    me = store.profiles.default_id()
    store.sessions.add(
        me,
        [
            new_session(EVENING_IN_NEW_YORK, -300),
            new_session(EVENING_IN_NEW_YORK + timedelta(minutes=1), None),
        ],
    )
    table = store.sessions.table(me)
    days = [date.fromordinal(d) for d in table.local_days(BERLIN_WINTER).tolist()]
    assert days == [date(2026, 1, 15), date(2026, 1, 16)]  # kept offset; Berlin for the other
    # The analysis counts the New York evening on the 15th, as the history lists it.
    assert analyse(table, today=date(2026, 1, 15), tz=BERLIN_WINTER).n_sessions == 1
