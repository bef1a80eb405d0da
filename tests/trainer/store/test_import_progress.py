"""An import's progress and its cancel (issue 17): reading, checking and adding a JSON export tell
a callback how far they are, with counts that only rise; the callback can cancel at any point,
and then the database is byte for byte as it was."""

from __future__ import annotations

import gc
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@pytest.mark.parametrize("stage", [READING, CHECKING, ADDING])
def test_a_cancel_at_any_stage_leaves_the_database_byte_identical(
    tmp_path: Path, stage: str
) -> None:
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

    store = Store.open_in(data)
    with pytest.raises(ImportCancelled):
        import_sessions(store, me, later, cancel)
    assert seen[-1].stage == stage
    assert len(store.sessions.of_profile(me)) == 30
    store.close()

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
