"""An import's progress and its cancel (issue 17): reading, checking and adding a JSON export tell
a callback how far they are, with counts that only rise; the callback can cancel at any point,
and then the database is byte for byte as it was."""

from __future__ import annotations

import dataclasses
import gc
import json
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.content.breathing import BreathingPattern
from trainer.safety.paths import DB_FILENAME
from trainer.session.machine import Ratings, SessionPlan, SessionStatus
from trainer.store.exchange import (
    ADDING,
    CHECKING,
    FORMAT_NAME,
    FORMAT_VERSION,
    READING,
    ExchangeError,
    ImportCancelled,
    ImportProgress,
    _decode,
    add_imported,
    import_sessions,
    parse_export,
    read_export,
)
from trainer.store.sessions import PartlyAddedError
from trainer.store.store import Store

T0 = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def export_text(count: int, *, notes: str = "", first: datetime = T0) -> str:
    """A JSON export of ``count`` completed sessions, an hour apart from ``first``."""
    sessions = []
    for n in range(count):
        started = first + timedelta(hours=n)
        sessions.append(
            {
                "started_at_utc": started.isoformat().replace("+00:00", "Z"),
                "ended_at_utc": (started + timedelta(minutes=6)).isoformat().replace("+00:00", "Z"),
                "utc_offset_min": 120,
                "exercise_id": "box-4-4-4-4",
                "exercise_title": "Box breathing",
                "kind": "breathing",
                "status": "completed",
                "planned_s": 300,
                "practised_s": 300,
                "tension_before": 6,
                "tension_after": 4,
                "pain_before": 5,
                "pain_after": 4,
                "pain_regions": ["lower_back"],
                "comfort_regions": ["left_hand"],
                "notes": notes,
                "settings": {"minutes": 5},
            }
        )
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": "2024-06-01T00:00:00Z",
        "profile": "Me",
        "sessions": sessions,
    }
    return json.dumps(document, indent=2)


def write_export_file(path: Path, count: int, **kwargs: object) -> Path:
    """:func:`export_text` written to ``path``."""
    path.write_text(export_text(count, **kwargs), encoding="utf-8")  # type: ignore[arg-type]
    return path


def _rising(steps: list[ImportProgress], stage: str) -> list[ImportProgress]:
    mine = [step for step in steps if step.stage == stage]
    assert mine, f"no {stage} step"
    dones = [step.done for step in mine]
    assert dones == sorted(dones), f"{stage} went back: {dones}"
    assert all(0 <= step.done <= step.total for step in mine)
    assert mine[-1].done == mine[-1].total
    return mine


def test_an_import_reports_rising_counts_for_reading_checking_and_adding(
    tmp_path: Path, store: Store
) -> None:
    # 1,800 sessions with longer notes: some 2 MB, so reading reports as it goes too.
    path = write_export_file(tmp_path / "big.json", 1800, notes="A calm morning. " * 40)
    steps: list[ImportProgress] = []

    result = import_sessions(store, store.profiles.default_id(), path, steps.append)

    assert result.added == 1800
    stages = [step.stage for step in steps]
    assert stages == sorted(stages, key=[READING, CHECKING, ADDING].index)  # in this order
    reading = _rising(steps, READING)
    assert len(reading) >= 3  # the start, at least one megabyte, the end
    assert reading[-1].total == len(path.read_text(encoding="utf-8"))
    sessions_so_far = [step.sessions for step in reading]
    assert sessions_so_far == sorted(sessions_so_far)
    assert sessions_so_far[-1] == 1800
    checking = _rising(steps, CHECKING)
    assert [step.done for step in checking] == [500, 1000, 1500, 1800]
    assert {step.total for step in checking} == {1800}
    adding = _rising(steps, ADDING)
    assert [step.done for step in adding] == [0, 500, 1000, 1500, 1800]
    assert {step.total for step in adding} == {1800}


def _file_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def _contents(folder: Path) -> list[str]:
    """Everything the database holds, as SQL (every table's rows, the schema, its version)."""
    with closing(sqlite3.connect(folder / DB_FILENAME)) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        return [f"user_version {version}", *conn.iterdump()]


@pytest.mark.parametrize("stage", [READING, CHECKING, ADDING])
def test_a_cancel_at_any_stage_leaves_the_database_as_it_was(tmp_path: Path, stage: str) -> None:
    # Reading and checking never write: the files stay byte for byte as they were. Adding goes
    # in committed steps (so that the window never handles its events inside a transaction), so
    # a cancel there takes the added sessions out again in a transaction of its own: the
    # database then holds exactly what it held (the file's free pages may differ).
    data = tmp_path / "data"
    store = Store.open_in(data)
    me = store.profiles.default_id()
    import_sessions(store, me, write_export_file(tmp_path / "first.json", 30))
    store.close()
    before = _file_bytes(data)
    later = write_export_file(tmp_path / "more.json", 1200, first=T0 + timedelta(days=400))
    seen: list[ImportProgress] = []

    def cancel(step: ImportProgress) -> None:
        seen.append(step)
        if step.stage == stage and step.done >= min(500, step.total) and step.done > 0:
            raise ImportCancelled

    contents = _contents(data)
    store = Store.open_in(data)
    with pytest.raises(ImportCancelled):
        import_sessions(store, me, later, cancel)
    assert seen[-1].stage == stage
    assert len(store.sessions.of_profile(me)) == 30
    store.close()

    if stage == ADDING:
        assert _contents(data) == contents
    else:
        assert _file_bytes(data) == before


def test_a_cancel_after_the_last_session_is_added_still_undoes_them_all(store: Store) -> None:
    me = store.profiles.default_id()
    sessions = parse_export(export_text(700))

    def cancel_at_the_end(step: ImportProgress) -> None:
        if step.done == step.total:
            raise ImportCancelled

    with pytest.raises(ImportCancelled):
        add_imported(store, me, sessions, cancel_at_the_end)

    assert store.sessions.of_profile(me) == []
    assert add_imported(store, me, sessions).added == 700  # and it can be imported after all


def test_progress_of_adding_is_never_told_inside_a_transaction(store: Store) -> None:
    # A window handles its events in the progress callback: whatever it writes there would
    # join an open transaction (and a backup of the connection would wait for ever).
    me = store.profiles.default_id()
    inside: list[tuple[int, bool]] = []

    def note(step: ImportProgress) -> None:
        if step.stage == ADDING:
            inside.append((step.done, store.db.conn.in_transaction))

    add_imported(store, me, parse_export(export_text(1200)), note)

    assert inside == [(0, False), (500, False), (1000, False), (1200, False)]


def test_adding_with_progress_inside_a_transaction_is_refused_as_a_bug(store: Store) -> None:
    # Its steps would not be committed, and the window's writes would join that transaction.
    me = store.profiles.default_id()
    store.db.execute("BEGIN")
    try:
        with pytest.raises(RuntimeError, match="inside a transaction"):
            add_imported(store, me, parse_export(export_text(3)), lambda step: None)
    finally:
        store.db.execute("ROLLBACK")
    assert add_imported(store, me, parse_export(export_text(3)), lambda step: None).added == 3


def test_a_setting_written_while_sessions_are_added_stays_when_the_import_is_cancelled(
    store: Store,
) -> None:
    me = store.profiles.default_id()
    add_imported(store, me, parse_export(export_text(3)))
    before = store.sessions.of_profile(me)

    def meanwhile(step: ImportProgress) -> None:
        # What a window does between the steps: the reminder timer, the mini pacer's place...
        if step.done == 500:
            store.preferences.set(me, "mini_pacer_position", "120,80")
            store.app_settings.set("reminders_paused_until", "2024-05-01T10:30:00Z")
        if step.done == 1000:
            raise ImportCancelled

    later = parse_export(export_text(1800, first=T0 + timedelta(days=400)))
    with pytest.raises(ImportCancelled):
        add_imported(store, me, later, meanwhile)

    assert store.sessions.of_profile(me) == before
    assert store.preferences.get(me, "mini_pacer_position", "") == "120,80"
    assert store.app_settings.get("reminders_paused_until", "") == "2024-05-01T10:30:00Z"


def test_a_session_started_while_sessions_are_added_stays_when_the_import_is_cancelled(
    store: Store, box: BreathingPattern
) -> None:
    # Only the rows the import added go: never one written meanwhile by someone else.
    me = store.profiles.default_id()
    started: list[int] = []

    def meanwhile(step: ImportProgress) -> None:
        if step.done == 500:
            plan = SessionPlan("coherent-5-5", "Coherent breathing", box, 1)
            started.append(store.sessions.start_session(plan, me, T0, Ratings(4, 4)))
        if step.done == 1000:
            raise ImportCancelled

    later = parse_export(export_text(1800, first=T0 + timedelta(days=400)))
    with pytest.raises(ImportCancelled):
        add_imported(store, me, later, meanwhile)

    assert [session.id for session in store.sessions.of_profile(me)] == started


def _regions_rows(store: Store) -> list[tuple[object, ...]]:
    return store.db.execute("SELECT * FROM session_regions ORDER BY 1, 2, 3").fetchall()


def test_a_cancel_takes_out_the_marked_areas_and_puts_back_a_session_it_finished(
    store: Store, box: BreathingPattern
) -> None:
    me = store.profiles.default_id()
    add_imported(store, me, parse_export(export_text(3, first=T0 - timedelta(days=30))))
    # Left in progress here (the disk was full at its end); the file holds it finished.
    plan = SessionPlan("box-4-4-4-4", "Box breathing", box, 19)
    unfinished = store.sessions.start_session(plan, me, T0 + timedelta(hours=800), Ratings(6, 5))
    store.sessions.checkpoint_session(unfinished, practised_s=120.0, at=T0)
    before, regions = store.sessions.of_profile(me), _regions_rows(store)
    assert len(regions) == 6

    def cancel_at_the_end(step: ImportProgress) -> None:
        if step.done == step.total:
            raise ImportCancelled

    sessions = parse_export(export_text(1200))
    with pytest.raises(ImportCancelled):
        add_imported(store, me, sessions, cancel_at_the_end)

    assert store.sessions.of_profile(me) == before
    assert store.sessions.get(unfinished).status is SessionStatus.IN_PROGRESS
    assert _regions_rows(store) == regions
    # Had it not been cancelled, it would have finished that session.
    assert add_imported(store, me, sessions).added == 1200
    assert store.sessions.get(unfinished).status is SessionStatus.COMPLETED


def test_a_step_that_fails_takes_out_what_the_earlier_steps_added(store: Store) -> None:
    me = store.profiles.default_id()
    sessions = parse_export(export_text(1200))
    broken = dataclasses.replace(sessions[700], kind="running")  # the database refuses it
    steps: list[int] = []

    with pytest.raises(sqlite3.IntegrityError):
        add_imported(store, me, [*sessions[:700], broken], lambda step: steps.append(step.done))

    assert steps == [0, 500]  # the first step was committed, then undone
    assert store.sessions.of_profile(me) == []


def test_when_the_undoing_fails_it_says_how_many_stayed(store: Store) -> None:
    me = store.profiles.default_id()

    def cancel_on_a_read_only_database(step: ImportProgress) -> None:
        if step.done == 1000:
            store.db.execute("PRAGMA query_only = ON")  # as a disk gone read-only would
            raise ImportCancelled

    with pytest.raises(PartlyAddedError) as stopped:
        add_imported(store, me, parse_export(export_text(1200)), cancel_on_a_read_only_database)

    assert stopped.value.stayed == 1000
    assert str(stopped.value).startswith("1,000 sessions of the import stayed in your history")
    assert str(stopped.value).endswith("Importing the same file again adds only the rest.")
    store.db.execute("PRAGMA query_only = OFF")
    assert len(store.sessions.of_profile(me)) == 1000


KILLED_IMPORT = """
import os, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from trainer.store.exchange import import_sessions
from trainer.store.store import Store

store = Store.open_in(Path({folder!r}))

def killed_after_two_steps(step):
    if step.stage == "adding" and step.done == 1000:
        os._exit(9)  # as a kill -9 between two steps leaves it

import_sessions(store, store.profiles.default_id(), Path({path!r}), killed_after_two_steps)
"""


def test_a_kill_while_adding_keeps_whole_steps_and_importing_again_adds_the_rest(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    path = write_export_file(tmp_path / "big.json", 1800)
    root = str(Path(__file__).resolve().parents[3])
    script = KILLED_IMPORT.format(root=root, folder=str(data), path=str(path))
    killed = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], timeout=60)
    assert killed.returncode == 9

    store = Store.open_in(data)
    try:
        me = store.profiles.default_id()
        assert len(store.sessions.of_profile(me)) == 1000  # two whole steps, no half one
        again = import_sessions(store, me, path)
        assert (again.added, again.skipped) == (800, 1000)
        kept = store.sessions.of_profile(me)
        assert len(kept) == 1800
        assert len({session.key for session in kept}) == 1800  # none twice
    finally:
        store.close()


def test_a_mistake_is_reported_as_before_when_progress_is_followed(tmp_path: Path) -> None:
    text = export_text(3).replace('"kind": "breathing"', '"kind": "running"', 1)
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ExchangeError) as without:
        read_export(path)
    with pytest.raises(ExchangeError) as followed:
        read_export(path, lambda step: None)

    assert str(followed.value) == str(without.value)
    assert "session 1: kind must be breathing or attention" in str(followed.value)


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        " { } \n",
        '{"a": 1,}',
        '{"sessions": [1, 2,]}',
        '{"sessions": []}',
        '{"sessions": [{"a": 1}], "sessions": [2]}',  # json keeps the last
        '{"a": 1, "a": 2}',
        '{"a": NaN, "b": -Infinity}',
        '{"a": 1} extra',
        '{"a": 1}}',
        '{"a" 1}',
        "{1: 2}",
        '{"sessions": [1 2]}',
        '{"sessions": [1, 2}',
        '{"sessions": "none"}',
        "[1, 2]",
        "",
        "   ",
        '"text"',
        '{"a": "\\ud800"}',
        '{"sessions": [' + "[" * 3000 + "]" * 3000 + "]}",
        '{"a": 1' + "0" * 5000 + "}",
        export_text(2),
    ],
)
def test_reading_a_session_at_a_time_gives_what_json_gives(text: str) -> None:
    def outcome(read: object) -> tuple[str, object]:
        try:
            return "ok", read()  # type: ignore[operator]
        except (ValueError, RecursionError) as exc:
            return type(exc).__name__, str(exc)

    assert outcome(lambda: _decode(text, lambda step: None)) == outcome(lambda: json.loads(text))


def test_the_cycle_collector_waits_while_an_import_reads_and_adds(
    tmp_path: Path, store: Store
) -> None:
    # Each pass of it over 50 MB of sessions takes a third of a second; in the reading thread
    # it would stop the window as long (the sessions are all kept, so the passes find nothing).
    path = write_export_file(tmp_path / "big.json", 600)
    collector_on: list[bool] = []

    def note(step: ImportProgress) -> None:
        collector_on.append(gc.isenabled())

    assert gc.isenabled()
    import_sessions(store, store.profiles.default_id(), path, note)

    assert len(collector_on) > 4
    assert not any(collector_on)
    assert gc.isenabled()  # and back on after


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)


@given(
    top=st.dictionaries(st.sampled_from(["format", "version", "sessions", "x"]), _JSON),
    sessions=st.lists(_JSON, max_size=4),
    indent=st.sampled_from([None, 0, 2]),
    cut=st.integers(min_value=0, max_value=10_000),
    insert=st.sampled_from(["", ",", "}", "]", "{", "[", '"', ":", " ", "\n", "x", "1"]),
    drop=st.booleans(),
)
def test_reading_any_export_like_text_gives_what_json_gives(
    top: dict[str, object],
    sessions: list[object],
    indent: int | None,
    cut: int,
    insert: str,
    drop: bool,
) -> None:
    text = json.dumps({**top, "sessions": sessions}, indent=indent)
    marks = [i for i, char in enumerate(text) if char in "{}[],:"] + [len(text)]  # where it matters
    at = marks[cut % len(marks)]
    text = text[:at] + insert + text[at + (1 if drop else 0) :]  # one mistake, or none

    def outcome(read: object) -> tuple[str, str]:
        try:
            return "ok", repr(read())  # type: ignore[operator]  (repr: NaN equals itself)
        except (ValueError, RecursionError) as exc:
            return type(exc).__name__, str(exc)

    assert outcome(lambda: _decode(text, lambda step: None)) == outcome(lambda: json.loads(text))
