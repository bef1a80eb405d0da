"""Tests for trainer/store/exchange.py: CSV and JSON exports, importing without duplicates or half
imports, the demo history, and the store methods they use."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from trainer.app.demo import create_demo_profile, delete_demo_profile, demo_history, demo_name
from trainer.content.bodymap import REGION_IDS
from trainer.content.breathing import BreathingPattern
from trainer.content.catalog import load_catalog
from trainer.content.scripts import load_scripts
from trainer.errors import StoreError
from trainer.session.machine import Ratings, SessionPlan, SessionStatus
from trainer.store.exchange import (
    COLUMN_DOCS,
    COLUMNS,
    FORMAT_NAME,
    FORMAT_VERSION,
    ExchangeError,
    ImportResult,
    csv_text,
    export_records,
    export_sessions,
    import_sessions,
    parse_export,
    read_text,
    write_export,
)
from trainer.store.profiles import DEMO_PREFERENCE
from trainer.store.sessions import NewSession, StoredSession
from trainer.store.store import Store

T0 = datetime(2024, 5, 1, 9, 30, 0, tzinfo=UTC)
NOTE = 'Sore after work, "tight" today\nsecond line; ümlaut'


@pytest.fixture
def plan(box: BreathingPattern) -> SessionPlan:
    return SessionPlan(exercise_id="box-4-4-4-4", title="Box breathing", pattern=box, cycles=19)


@pytest.fixture
def attention(coherent: BreathingPattern) -> SessionPlan:
    return SessionPlan(
        "somatic-tracking",
        "Somatic tracking",
        coherent,
        18,
        kind="attention",
        options={"script": "somatic-tracking", "length": {"minutes": 3}},
    )


def fill(store: Store, plan: SessionPlan, attention: SessionPlan) -> list[int]:
    """Four sessions through the app's own calls: finished, left, never finished, attention."""
    me = store.profiles.default_id()
    first = store.sessions.start_session(plan, me, T0, Ratings(6, 7))
    store.sessions.finish_session(
        first,
        ended_at=T0 + timedelta(minutes=6),
        practised_s=304.0,
        status=SessionStatus.COMPLETED,
        after=Ratings(4, 5),
    )
    store.regions.save(first, ["lower_back", "neck"])
    store.db.execute("UPDATE sessions SET notes = ? WHERE id = ?", [NOTE, first])
    left = store.sessions.start_session(plan, me, T0 + timedelta(days=1), Ratings(None, 6))
    store.sessions.finish_session(
        left,
        ended_at=T0 + timedelta(days=1, minutes=2),
        practised_s=61.25,
        status=SessionStatus.ABANDONED,
        after=Ratings(None, None),
    )
    unfinished = store.sessions.start_session(plan, me, T0 + timedelta(days=2), Ratings(3, None))
    focus = store.sessions.start_session(attention, me, T0 + timedelta(days=3), Ratings(5, 8))
    store.sessions.finish_session(
        focus,
        ended_at=T0 + timedelta(days=3, minutes=4),
        practised_s=180.0,
        status=SessionStatus.ENDED_EARLY,
        after=Ratings(3, 6),
    )
    store.regions.save(focus, ["left_knee"], ["right_hand"])
    return [first, left, unfinished, focus]


@pytest.fixture
def filled(store: Store, plan: SessionPlan, attention: SessionPlan) -> Store:
    fill(store, plan, attention)
    return store


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Store]:
    """A second, fresh database (another computer)."""
    opened = Store(tmp_path / "other.db", now=lambda: T0)
    yield opened
    opened.close()


def export_json(store: Store, path: Path) -> Path:
    export_sessions(store, store.profiles.default_id(), path, "json", now=lambda: T0)
    return path


def counts(store: Store) -> tuple[int, ...]:
    return tuple(
        store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("profiles", "sessions", "session_regions", "preferences")
    )


def comparable(store: Store) -> list[tuple[Any, ...]]:
    """Every session of the default profile, without its database ids, with its areas."""
    me = store.profiles.default_id()
    return [
        (
            s.exercise_id,
            s.kind,
            s.settings,
            s.started_at,
            s.ended_at,
            s.planned_s,
            s.practised_s,
            s.status,
            s.before,
            s.after,
            s.notes,
            store.regions.of_session(s.id),
        )
        for s in store.sessions.of_profile(me)
    ]


# -- export -------------------------------------------------------------------------------------


def test_the_column_documentation_names_every_column() -> None:
    documented = [line.split()[0] for line in COLUMN_DOCS.splitlines() if line[:1].isalpha()]
    assert [c for c in documented if c in COLUMNS] == list(COLUMNS)


def test_json_export_document_and_fields(filled: Store, tmp_path: Path) -> None:
    document = json.loads(export_json(filled, tmp_path / "out.json").read_text(encoding="utf-8"))
    assert document["format"] == FORMAT_NAME
    assert document["version"] == FORMAT_VERSION == 2
    assert document["exported_at"] == "2024-05-01T09:30:00Z"
    assert document["profile"] == "Me"
    first, left, unfinished, focus = document["sessions"]  # oldest first
    assert list(first) == list(COLUMNS)
    assert first["started_at_utc"] == "2024-05-01T09:30:00Z"
    assert first["ended_at_utc"] == "2024-05-01T09:36:00Z"
    assert (first["exercise_id"], first["exercise_title"], first["kind"]) == (
        "box-4-4-4-4",
        "Box breathing",
        "breathing",
    )
    assert (first["tension_before"], first["pain_before"]) == (6, 7)
    assert (first["tension_after"], first["pain_after"]) == (4, 5)
    assert first["pain_regions"] == ["lower_back", "neck"]
    assert first["notes"] == NOTE
    assert first["settings"]["cycles"] == 19
    assert (left["status"], left["tension_before"], left["pain_after"]) == ("abandoned", None, None)
    assert left["practised_s"] == 61.25
    assert (unfinished["status"], unfinished["ended_at_utc"]) == ("in_progress", None)
    assert focus["comfort_regions"] == ["right_hand"]
    assert focus["kind"] == "attention"


def test_local_time_column_uses_the_given_zone(filled: Store) -> None:
    me = filled.profiles.default_id()
    fixed = export_records(filled, me, timezone(timedelta(hours=-5)))
    assert fixed[0]["started_at_local"] == "2024-05-01T04:30:00-05:00"
    berlin = export_records(filled, me, ZoneInfo("Europe/Berlin"))
    assert berlin[0]["started_at_local"] == "2024-05-01T11:30:00+02:00"  # summer time
    assert berlin[0]["started_at_utc"] == "2024-05-01T09:30:00Z"


def test_local_time_defaults_to_this_machine(filled: Store) -> None:
    (first, *_) = export_records(filled, filled.profiles.default_id())
    assert datetime.fromisoformat(first["started_at_local"]) == T0
    assert datetime.fromisoformat(first["started_at_local"]).utcoffset() is not None


def test_csv_columns_quoting_and_empty_cells(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert export_sessions(filled, filled.profiles.default_id(), out, "csv") == 4
    text = out.read_text(encoding="utf-8")
    assert '"Sore after work, ""tight"" today\nsecond line; ümlaut"' in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == list(COLUMNS)
    first, left, unfinished, focus = rows
    assert first["notes"] == NOTE
    assert first["pain_regions"] == "lower_back;neck"
    assert first["planned_s"] == "304"
    assert left["practised_s"] == "61.25"
    assert (left["tension_before"], left["tension_after"], left["pain_after"]) == ("", "", "")
    assert left["pain_before"] == "6"
    assert unfinished["ended_at_utc"] == ""
    assert focus["comfort_regions"] == "right_hand"
    assert json.loads(first["settings"])["title"] == "Box breathing"


def test_csv_to_a_stream(filled: Store) -> None:
    stream = io.StringIO(newline="")
    assert write_export(filled, filled.profiles.default_id(), stream, "csv") == 4
    assert stream.getvalue().startswith(",".join(COLUMNS) + "\r\n")
    with pytest.raises(ExchangeError, match="csv or json"):
        write_export(filled, filled.profiles.default_id(), stream, "xml")


def test_an_empty_profile_exports_a_header(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "empty.csv"
    assert export_sessions(store, store.profiles.default_id(), out, "csv") == 0
    assert out.read_bytes() == (",".join(COLUMNS) + "\r\n").encode()


def test_export_replaces_an_old_file_and_leaves_no_temporary_files(
    filled: Store, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    export_json(filled, out)
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == FORMAT_NAME
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_exports_are_private_to_this_user(filled: Store, tmp_path: Path) -> None:
    out = export_json(filled, tmp_path / "out.json")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_export_to_a_missing_folder_or_a_folder_is_a_clear_error(
    filled: Store, tmp_path: Path
) -> None:
    me = filled.profiles.default_id()
    with pytest.raises(ExchangeError, match="does not exist"):
        export_sessions(filled, me, tmp_path / "nope" / "out.csv", "csv")
    with pytest.raises(ExchangeError, match="is a folder"):
        export_sessions(filled, me, tmp_path, "csv")
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_export_to_a_folder_that_takes_no_files_says_so(filled: Store) -> None:
    """/proc is there, but no file can be made in it: "does not exist" would be untrue."""
    me = filled.profiles.default_id()
    with pytest.raises(ExchangeError, match="/proc does not take new files"):
        export_sessions(filled, me, Path("/proc/out.csv"), "csv")


# -- import -------------------------------------------------------------------------------------


def test_round_trip_into_a_fresh_database(filled: Store, other: Store, tmp_path: Path) -> None:
    path = export_json(filled, tmp_path / "out.json")
    result = import_sessions(other, other.profiles.default_id(), path)
    assert result == ImportResult(added=4, skipped=0)

    def as_interrupted(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        # the session under way where it was exported is kept as interrupted here
        unfinished = SessionStatus.IN_PROGRESS
        return [
            (*r[:7], SessionStatus.INTERRUPTED, *r[8:]) if r[7] is unfinished else r for r in rows
        ]

    assert comparable(other) == as_interrupted(comparable(filled))
    again = tmp_path / "again.json"
    export_sessions(other, other.profiles.default_id(), again, "json", now=lambda: T0)

    def without_ids(exported: Path) -> list[dict[str, Any]]:
        sessions = json.loads(exported.read_text(encoding="utf-8"))["sessions"]
        return [
            {k: ("interrupted" if v == "in_progress" else v) for k, v in s.items() if k != "id"}
            for s in sessions
        ]

    assert without_ids(again) == without_ids(path)


def test_a_session_under_way_in_the_file_is_never_taken_for_a_crash_here(
    filled: Store, other: Store, tmp_path: Path
) -> None:
    from trainer.session.recovery import recover_unfinished

    path = export_json(filled, tmp_path / "out.json")
    import_sessions(other, other.profiles.default_id(), path)
    assert other.sessions.unfinished_sessions() == []
    assert recover_unfinished(other.sessions) == []  # no "stopped unexpectedly" at next start
    statuses = [s.status for s in other.sessions.of_profile(other.profiles.default_id())]
    assert SessionStatus.INTERRUPTED in statuses
    assert SessionStatus.IN_PROGRESS not in statuses


def test_importing_twice_adds_nothing(filled: Store, other: Store, tmp_path: Path) -> None:
    path = export_json(filled, tmp_path / "out.json")
    me = other.profiles.default_id()
    import_sessions(other, me, path)
    before = counts(other)
    assert import_sessions(other, me, path) == ImportResult(added=0, skipped=4)
    assert counts(other) == before
    # importing into the very database it came from adds nothing either
    assert import_sessions(filled, filled.profiles.default_id(), path) == ImportResult(0, 4)


def test_merging_keeps_both_sides_without_duplicates(
    filled: Store, other: Store, plan: SessionPlan, tmp_path: Path
) -> None:
    me = other.profiles.default_id()
    other.sessions.start_session(
        plan, me, T0, Ratings(1, 1)
    )  # the same start and exercise as one export
    other.sessions.start_session(
        plan, me, T0 - timedelta(days=9), Ratings(2, 2)
    )  # only on this side
    path = export_json(filled, tmp_path / "out.json")
    assert import_sessions(other, me, path) == ImportResult(added=3, skipped=1)
    assert len(other.sessions.of_profile(me)) == 5
    kept = [s for s in other.sessions.of_profile(me) if s.started_at == T0]
    assert [s.before for s in kept] == [Ratings(1, 1)]  # what was there stays as it was


def test_a_session_twice_in_one_file_is_imported_once(filled: Store, other: Store) -> None:
    records = export_records(filled, filled.profiles.default_id())
    text = json.dumps({"format": FORMAT_NAME, "version": 1, "sessions": [records[0], records[0]]})
    sessions = parse_export(text)
    assert other.sessions.add(other.profiles.default_id(), sessions) == (1, 1)


def test_imports_go_to_the_profile_asked_for(filled: Store, other: Store, tmp_path: Path) -> None:
    sam = other.profiles.create("Sam")
    import_sessions(other, sam, export_json(filled, tmp_path / "out.json"))
    assert len(other.sessions.of_profile(sam)) == 4
    assert other.sessions.of_profile(other.profiles.default_id()) == []


def test_optional_fields_may_be_left_out(other: Store) -> None:
    text = json.dumps(
        {
            "format": FORMAT_NAME,
            "version": 1,
            "sessions": [
                {
                    "started_at_utc": "2024-05-01T11:30:00+02:00",
                    "exercise_id": "coherent-5-5",
                    "exercise_title": "Coherent breathing",
                    "kind": "breathing",
                    "status": "completed",
                    "planned_s": 300,
                    "practised_s": 300,
                    "pain_before": 5,
                }
            ],
        }
    )
    (session,) = parse_export(text)
    assert session.started_at == T0
    assert session.before == Ratings(None, 5)
    assert session.after == Ratings(None, None)
    assert session.settings == {"title": "Coherent breathing"}
    assert (session.notes, session.pain_regions, session.ended_at) == ("", (), None)


def test_a_byte_order_mark_is_accepted(filled: Store, other: Store, tmp_path: Path) -> None:
    path = export_json(filled, tmp_path / "out.json")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert import_sessions(other, other.profiles.default_id(), path).added == 4


def nth_line(text: str, needle: str, n: int = 1) -> int:
    """The line of the n-th occurrence of ``needle``."""
    at = -1
    for _ in range(n):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


Change = Callable[[dict[str, Any]], None]


def set_field(field: str, value: Any) -> Change:
    def change(document: dict[str, Any]) -> None:
        document["sessions"][-1][field] = value

    return change


def drop_field(field: str) -> Change:
    def change(document: dict[str, Any]) -> None:
        del document["sessions"][-1][field]

    return change


def set_top(key: str, value: Any) -> Change:
    def change(document: dict[str, Any]) -> None:
        document[key] = value

    return change


# (name, a change to the last of four sessions of a valid export, its field, the reason)
SESSION_CASES: list[tuple[str, Change, str | None, str]] = [
    (
        "rating 11",
        set_field("pain_after", 11),
        "pain_after",
        "pain_after must be a whole number from 0 to 10",
    ),
    ("rating -1", set_field("tension_before", -1), "tension_before", "tension_before must be"),
    ("rating 3.5", set_field("pain_before", 3.5), "pain_before", "got 3.5"),
    ("rating text", set_field("pain_before", "5"), "pain_before", 'got "5"'),
    ("rating bool", set_field("pain_before", True), "pain_before", "got true"),
    (
        "status",
        set_field("status", "done"),
        "status",
        "status must be one of in_progress, completed",
    ),
    ("kind", set_field("kind", "yoga"), "kind", "kind must be breathing or attention"),
    (
        "naive time",
        set_field("started_at_utc", "2024-05-03T09:30:00"),
        "started_at_utc",
        "time zone",
    ),
    ("bad time", set_field("started_at_utc", "yesterday"), "started_at_utc", "ISO 8601"),
    ("time number", set_field("started_at_utc", 1714555800), "started_at_utc", "time as text"),
    (
        "end before start",
        set_field("ended_at_utc", "2024-05-01T00:00:00Z"),
        "ended_at_utc",
        "before started_at_utc",
    ),
    ("planned 0", set_field("planned_s", 0), "planned_s", "more than 0"),
    ("planned text", set_field("planned_s", "600"), "planned_s", "number of seconds"),
    ("planned NaN", set_field("planned_s", float("nan")), "planned_s", "number of seconds"),
    ("practised < 0", set_field("practised_s", -1), "practised_s", "0 or more"),
    (
        "unknown region",
        set_field("pain_regions", ["left_ear"]),
        "pain_regions",
        '"left_ear" is not one of the body-map areas',
    ),
    ("regions text", set_field("comfort_regions", "neck"), "comfort_regions", "must be a list"),
    ("notes number", set_field("notes", 5), "notes", "notes must be text"),
    ("settings list", set_field("settings", [1]), "settings", "settings must be an object"),
    ("settings NaN", set_field("settings", {"rate_bpm": float("inf")}), "settings", "finite"),
    ("empty exercise", set_field("exercise_id", " "), "exercise_id", "exercise_id must be"),
    ("id text", set_field("id", "x"), "id", "id must be a whole number"),
    ("unknown field", set_field("pain_befor", 3), "pain_befor", 'unknown field "pain_befor"'),
    ("missing field", drop_field("status"), None, 'the field "status" is missing'),
]


@pytest.mark.parametrize(
    ("change", "needle", "reason"),
    [case[1:] for case in SESSION_CASES],
    ids=[case[0] for case in SESSION_CASES],
)
def test_a_bad_session_is_rejected_with_its_line_and_nothing_is_imported(
    filled: Store, other: Store, tmp_path: Path, change: Change, needle: str | None, reason: str
) -> None:
    document = json.loads(export_json(filled, tmp_path / "good.json").read_text())
    change(document)
    text = json.dumps(document, indent=2)
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    # the last session's own field (its keys are indented by 6), or the line where it begins
    at = text.rindex(f'\n      "{needle}":' if needle else "\n    {\n") + 1
    line = text.count("\n", 0, at) + 1
    before = counts(other)
    with pytest.raises(ExchangeError) as caught:
        import_sessions(other, other.profiles.default_id(), bad)
    message = str(caught.value)
    assert message.startswith(f"bad.json, line {line}: session 4: "), message
    assert reason in message
    assert "\n" not in message
    assert counts(other) == before  # the three good sessions before it are not imported either


def test_a_session_that_is_not_an_object(other: Store) -> None:
    text = '{"format": "safesignal-sessions", "version": 1,\n "sessions": [\n  {},\n  42\n]}'
    with pytest.raises(ExchangeError, match=r"^x.json, line 3: session 1: the field"):
        parse_export(text, "x.json")
    text = text.replace("{},", "")
    with pytest.raises(ExchangeError, match=r"^x.json, line 4: session 1: a session must be"):
        parse_export(text, "x.json")


TOP_CASES: list[tuple[str, Change, str | None, str]] = [
    ("format", set_top("format", "csv"), '"format"', "not a Safe Signal sessions export"),
    ("version text", set_top("version", "1"), '"version"', '"version" must be a whole number'),
    ("version 0", set_top("version", 0), '"version"', '"version" must be a whole number'),
    ("newer", set_top("version", 3), '"version"', "newer Safe Signal (export format version 3"),
    ("unknown", set_top("comment", "hi"), '"comment"', 'unknown entry "comment"'),
    ("profile", set_top("profile", 3), '"profile": 3', '"profile" must be text'),
    ("sessions", set_top("sessions", {}), '"sessions"', '"sessions" must be a list'),
]


@pytest.mark.parametrize(
    ("change", "needle", "reason"),
    [case[1:] for case in TOP_CASES],
    ids=[case[0] for case in TOP_CASES],
)
def test_a_bad_document_is_rejected_with_its_line(
    filled: Store, other: Store, tmp_path: Path, change: Change, needle: str, reason: str
) -> None:
    document = json.loads(export_json(filled, tmp_path / "good.json").read_text())
    change(document)
    text = json.dumps(document, indent=2)
    (tmp_path / "bad.json").write_text(text, encoding="utf-8")
    before = counts(other)
    with pytest.raises(ExchangeError) as caught:
        import_sessions(other, other.profiles.default_id(), tmp_path / "bad.json")
    assert str(caught.value).startswith(f"bad.json, line {nth_line(text, needle)}: ")
    assert reason in str(caught.value)
    assert counts(other) == before


def test_a_newer_version_asks_for_an_update() -> None:
    with pytest.raises(ExchangeError, match="Please update Safe Signal"):
        parse_export('{"format": "safesignal-sessions", "version": 7, "sessions": []}')


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            '{\n  "format": "safesignal-sessions",\n  "version": 1,\n  "sessions": [\n',
            "line 5, column 1",
        ),
        ('{\n  "format": "safesignal-sessions"\n  "version": 1}', "line 3, column 3"),
        ('{"a": 1', "line 1, column 8"),  # an empty file says it is empty (test_cli_outputs)
        ("[1, 2,]", "line 1, column 7"),
    ],
)
def test_json_syntax_errors_give_jsons_line_and_column(
    other: Store, tmp_path: Path, text: str, where: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    before = counts(other)
    with pytest.raises(ExchangeError, match=rf"^broken.json, {where}: not valid JSON \("):
        import_sessions(other, other.profiles.default_id(), path)
    assert counts(other) == before


@pytest.mark.parametrize("text", ["[]", '"hello"', "42", "null"])
def test_a_document_that_is_not_an_object(text: str) -> None:
    with pytest.raises(ExchangeError, match=r"^f, line 1: this is not a Safe Signal"):
        parse_export(text, "f")


def test_missing_format_points_at_the_start(other: Store) -> None:
    with pytest.raises(ExchangeError, match=r"^f, line 2: this is not a Safe Signal"):
        parse_export('\n{"version": 1, "sessions": []}', "f")


def test_unreadable_files_give_one_clear_line(tmp_path: Path) -> None:
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"notes": "Schmerz: ä"}'.encode("latin-1"))
    cases = {
        tmp_path / "missing.json": "There is no file",
        tmp_path: "is a folder, not a file",
        latin: "is not UTF-8 text",
    }
    for path, expected in cases.items():
        with pytest.raises(ExchangeError) as caught:
            read_text(path)
        assert expected in str(caught.value)
        assert str(path) in str(caught.value)
        assert "\n" not in str(caught.value)


def test_repeated_keys_are_located_where_json_reads_them() -> None:
    text = (
        '{"format": "safesignal-sessions", "version": 1,\n'
        '"sessions": [],\n'
        '"sessions": [\n{"status": "x"}\n]}'
    )
    with pytest.raises(ExchangeError, match=r"^f, line 4: session 1: the field"):
        parse_export(text, "f")


# -- the store's part ---------------------------------------------------------------------------


def new_session(**changes: Any) -> NewSession:
    values: dict[str, Any] = {
        "exercise_id": "coherent-5-5",
        "kind": "breathing",
        "settings": {"title": "Coherent breathing"},
        "started_at": T0,
        "ended_at": T0 + timedelta(minutes=6),
        "planned_s": 300.0,
        "practised_s": 300.0,
        "status": SessionStatus.COMPLETED,
        "before": Ratings(5, 6),
        "after": Ratings(3, 4),
        "pain_regions": ("neck",),
    }
    values.update(changes)
    return NewSession(**values)


def test_adding_sessions_is_all_or_nothing(store: Store) -> None:
    me = store.profiles.default_id()
    before = counts(store)
    good = [new_session(started_at=T0 + timedelta(hours=h)) for h in range(3)]
    broken = new_session(started_at=T0 + timedelta(hours=9), planned_s=0.0)  # CHECK fails
    with pytest.raises(Exception, match="CHECK"):
        store.sessions.add(me, [*good, broken])
    assert counts(store) == before
    with pytest.raises(StoreError, match="body region"):
        store.sessions.add(me, [*good, new_session(pain_regions=("Neck!",))])
    with pytest.raises(StoreError, match="no profile 999"):
        store.sessions.add(999, good)
    assert counts(store) == before
    assert store.sessions.add(me, good) == (3, 0)


def test_session_keys_match_stored_sessions(store: Store, plan: SessionPlan) -> None:
    me = store.profiles.default_id()
    store.sessions.start_session(plan, me, T0.replace(microsecond=500), Ratings(1, 1))
    (stored,) = store.sessions.of_profile(me)
    assert store.sessions.keys(me) == {("2024-05-01T09:30:00Z", "box-4-4-4-4")}
    assert isinstance(stored, StoredSession)
    assert stored.key == new_session(exercise_id="box-4-4-4-4").key


def test_profiles_by_name_create_and_refuse_clashes(store: Store) -> None:
    assert [(p.name, p.demo) for p in store.profiles.all()] == [("Me", False)]
    sam = store.profiles.create("  Sam ")
    assert store.profiles.by_name("Sam") == store.profiles.get(sam)
    assert store.profiles.get(sam).created_at == T0
    assert store.profiles.by_name("sam") is None
    with pytest.raises(StoreError, match="already a profile"):
        store.profiles.create("Sam")
    with pytest.raises(StoreError, match="needs a name"):
        store.profiles.create("  ")
    with pytest.raises(StoreError, match="no profile 999"):
        store.profiles.get(999)


def test_only_a_demo_profile_can_be_deleted(filled: Store) -> None:
    me = filled.profiles.default_id()
    before = counts(filled)
    with pytest.raises(StoreError, match="“Me” is not a demo profile"):
        filled.profiles.delete_demo(me)
    sam = filled.profiles.create("Sam")
    with pytest.raises(StoreError, match="not a demo"):
        filled.profiles.delete_demo(sam)
    assert counts(filled)[1:] == before[1:]


# -- demo ---------------------------------------------------------------------------------------

END = datetime(2026, 3, 31, 20, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def history() -> list[NewSession]:
    return demo_history(load_catalog(), load_scripts(), end=END, tz=UTC)


def test_the_demo_history_is_reproducible(history: list[NewSession]) -> None:
    assert demo_history(load_catalog(), load_scripts(), end=END, tz=UTC) == history
    assert demo_history(load_catalog(), load_scripts(), end=END, tz=UTC, seed=1) != history


def test_the_demo_history_is_plausible(history: list[NewSession]) -> None:
    days = {s.started_at.date() for s in history}
    assert 45 <= len(days) <= 60  # most days
    assert len(history) >= 50
    assert min(days) == END.date() - timedelta(days=59)
    assert all(s.ended_at is not None and s.started_at < s.ended_at <= END for s in history)
    breathing = {e.id for e in load_catalog().exercises}
    attention = {s.id for s in load_scripts()}
    kinds = {s.kind for s in history}
    assert kinds == {"breathing", "attention"}
    for s in history:
        assert s.exercise_id in (breathing if s.kind == "breathing" else attention)
        assert 0 < s.practised_s <= s.planned_s
        assert set(s.pain_regions) | set(s.comfort_regions) <= set(REGION_IDS)
        if s.before.pain is not None and s.after.pain is not None:
            assert -3 <= s.after.pain - s.before.pain <= 2  # mostly lower, sometimes higher
    assert any(s.before.pain is None for s in history)
    assert any(s.after.tension is None for s in history)
    assert any(s.pain_regions for s in history)
    assert any(not s.pain_regions for s in history)
    assert any(s.notes for s in history)
    first = [s.before.pain for s in history[:14] if s.before.pain is not None]
    last = [s.before.pain for s in history[-14:] if s.before.pain is not None]
    assert abs(sum(first) / len(first) - sum(last) / len(last)) < 1.5  # a modest drift at most


def test_the_demo_profile_is_labelled_and_deleted_in_one_step(filled: Store) -> None:
    before = counts(filled)
    label, count = create_demo_profile(
        filled, "Alex", load_catalog(), load_scripts(), now=lambda: END
    )
    assert label == "Alex (demo)" == demo_name("Alex") == demo_name("Alex (demo)")
    profile = filled.profiles.by_name(label)
    assert profile is not None
    assert profile.demo
    assert filled.preferences.get(profile.id, DEMO_PREFERENCE, "") == "on"
    assert len(filled.sessions.of_profile(profile.id)) == count > 40
    assert filled.regions.by_session(profile.id)
    with pytest.raises(ExchangeError, match="already a demo profile"):
        create_demo_profile(filled, "Alex", load_catalog(), load_scripts(), now=lambda: END)
    assert delete_demo_profile(filled, "Alex") == (label, count)
    assert counts(filled) == before
    with pytest.raises(ExchangeError, match="no demo profile called “Alex \\(demo\\)”"):
        delete_demo_profile(filled, "Alex")


def test_deleting_a_real_profile_by_name_is_refused(filled: Store) -> None:
    before = counts(filled)
    with pytest.raises(StoreError, match="not a demo profile"):
        delete_demo_profile(filled, "Me")
    assert counts(filled) == before


@pytest.mark.parametrize("depth", [25, 995, 5000])
def test_deeply_nested_files_are_refused_not_crashed_on(depth: int) -> None:
    session = (
        '{"started_at_utc": "2024-05-01T09:30:00Z", "exercise_id": "a", "kind": "breathing", '
        '"status": "completed", "planned_s": 1, "practised_s": 1, '
        f'"settings": {{"x": {"[" * depth}{"]" * depth}}}}}'
    )
    text = f'{{"format": "safesignal-sessions", "version": 1, "sessions": [{session}]}}'
    with pytest.raises(ExchangeError, match="nested"):
        parse_export(text, "f")


# -- text a spreadsheet or a terminal would act on (issue 17) -----------------------------------

HOSTILE_NOTES = [
    '=HYPERLINK("http://example.invalid","click")',
    "+1+2",
    "-2 better than yesterday",
    "@SUM(A1:A2)",
    "\tindented",
    "\rcarriage",
    "a\x00b",
    "\x1b[31mred\x1b[0m and \x1b]0;title\x07",
    "C1 \x9b31m and DEL \x7f",
    "\u202eevil\u202c and a line\u2028separator",
    "plain, with = inside",
]


@pytest.fixture
def hostile(store: Store, plan: SessionPlan) -> Store:
    """One session for each of :data:`HOSTILE_NOTES`."""
    me = store.profiles.default_id()
    for day, note in enumerate(HOSTILE_NOTES):
        started = T0 + timedelta(days=day)
        session = store.sessions.start_session(plan, me, started, Ratings(5, 6))
        store.sessions.finish_session(
            session,
            ended_at=started + timedelta(minutes=5),
            practised_s=300.0,
            status=SessionStatus.COMPLETED,
            after=Ratings(4, 5),
        )
        store.sessions.set_notes(session, note)
    return store


def test_csv_quotes_formulas_and_shows_control_characters(hostile: Store) -> None:
    """Found: notes starting with = + - @ went into CSV as they were (a spreadsheet runs them),
    and NUL and terminal escape codes went raw into CSV and stdout."""
    stream = io.StringIO(newline="")
    write_export(hostile, hostile.profiles.default_id(), stream, "csv")
    text = stream.getvalue()
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)
    notes = [row["notes"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    assert notes == [
        '\'=HYPERLINK("http://example.invalid","click")',
        "'+1+2",
        "'-2 better than yesterday",
        "'@SUM(A1:A2)",
        "'\tindented",
        "'\rcarriage",
        "a\u2400b",
        "\u241b[31mred\u241b[0m and \u241b]0;title\u2407",
        "C1 \ufffd31m and DEL \u2421",
        "\u202eevil\u202c and a line\u2028separator",
        "plain, with = inside",
    ]
    for row in csv.DictReader(io.StringIO(text, newline="")):
        for column, cell in row.items():
            if column not in ("utc_offset_min",):
                assert not cell.startswith(("=", "+", "-", "@")), (column, cell)


def test_a_profile_name_and_title_that_look_like_formulas_are_quoted() -> None:
    assert csv_text("=1+1") == "'=1+1"
    assert csv_text("-") == "'-"
    assert csv_text("Me") == "Me"
    assert csv_text("") == ""


def test_json_escapes_what_a_terminal_acts_on_and_imports_the_text_back(
    hostile: Store, other: Store
) -> None:
    stream = io.StringIO()
    write_export(hostile, hostile.profiles.default_id(), stream, "json", now=lambda: T0)
    text = stream.getvalue()
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", text)
    sessions = parse_export(text)
    assert [s.notes for s in sessions] == HOSTILE_NOTES
    added, _ = other.sessions.add(other.profiles.default_id(), sessions)
    assert added == len(HOSTILE_NOTES)
    back = [s.notes for s in reversed(other.sessions.of_profile(other.profiles.default_id()))]
    assert back == HOSTILE_NOTES
