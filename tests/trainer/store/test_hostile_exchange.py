"""Hostile input for importing sessions (trainer/store/exchange.py): whatever the file holds, it is
imported whole or refused with one line naming the line and the field, and a refused file changes
nothing in the database. An export imports back to the same sessions.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.trainer.hostile import JSON_VALUES, NUMBERS, db_contents, outcome
from trainer.session.machine import Ratings, SessionStatus
from trainer.store.exchange import (
    COLUMNS,
    ExchangeError,
    export_records,
    import_sessions,
    parse_export,
)
from trainer.store.sessions import NewSession
from trainer.store.store import Store

GOOD = {
    "started_at_utc": "2024-05-01T09:30:00Z",
    "exercise_id": "coherent-5-5",
    "kind": "breathing",
    "status": "completed",
    "planned_s": 300,
    "practised_s": 300,
}
FIELDS = list(COLUMNS)  # every column an export has
TIMES = st.sampled_from(
    [
        "2024-05-01T09:30:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "2024-05-01T09:30:00",
        "2024-05-01T09:30:00+25:00",
        "",
        " ",
    ]
) | st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())
ODD_TEXT = st.text(st.characters(codec=None), max_size=20) | st.sampled_from(["\ud800", "a\x00b"])
FIELD_VALUES = st.one_of(JSON_VALUES, TIMES, ODD_TEXT, NUMBERS)
# One good session with one field replaced by anything at all, or a few replaced (or removed).
ONE_FIELD = st.builds(
    lambda field, value: {**GOOD, field: value}, st.sampled_from([*FIELDS, "extra"]), FIELD_VALUES
)
SESSIONS = ONE_FIELD | st.builds(
    lambda changes, removed: {
        **{k: v for k, v in GOOD.items() if k not in removed},
        **changes,
    },
    st.dictionaries(st.sampled_from([*FIELDS, "extra"]), FIELD_VALUES, max_size=3),
    st.sets(st.sampled_from(list(GOOD)), max_size=1),
)
DOCUMENTS = st.one_of(
    st.builds(
        lambda sessions: {"format": "safesignal-sessions", "version": 1, "sessions": sessions},
        st.lists(SESSIONS | JSON_VALUES, max_size=3),
    ),
    st.dictionaries(
        st.sampled_from(["format", "version", "exported_at", "profile", "sessions", "x"]),
        FIELD_VALUES,
    ),
    JSON_VALUES,
)


def _json(document: object) -> str:
    return json.dumps(document, indent=1, allow_nan=True)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with one session already imported (shared: every example is refused or
    checked to change nothing that was there)."""
    folder = tmp_path_factory.mktemp("hostile-import")
    store = Store.open_in(folder)
    store.sessions.add(store.profiles.default_id(), parse_export(_json(_document([GOOD]))))
    store.close()
    return folder


def _document(sessions: list[object]) -> dict[str, object]:
    return {"format": "safesignal-sessions", "version": 1, "sessions": sessions}


LITERALS = st.sampled_from(
    [
        "9" * 5000,
        "-" + "9" * 400,
        "1e999",
        "-1e999",
        "NaN",
        "Infinity",
        "-0",
        "[" * 5000,
        "{" * 5000,
        '"\\ud800"',
        '"\\udfff x"',
        '"\\u0000"',
        "true",
        "null",
        "[]",
        "{}",
        '"5"',
    ]
) | st.text(max_size=20)


@given(st.sampled_from(FIELDS), LITERALS)
def test_any_text_for_a_field_is_parsed_or_refused_in_one_line(field: str, literal: str) -> None:
    good = {k: v for k, v in GOOD.items() if k != field}
    text = json.dumps(_document([good]))
    assert text.endswith("}]}")
    text = text[:-3] + f', "{field}": {literal}' + "}]}"
    result = outcome(lambda: parse_export(text, "export.json"), ExchangeError, "export.json")
    if field == "practised_s" and literal == "-0":  # a check that the text is the JSON meant
        assert isinstance(result, list)


@given(ONE_FIELD)
def test_a_session_the_check_accepts_is_stored(
    tmp_path_factory: pytest.TempPathFactory, session: dict[str, object]
) -> None:
    result = outcome(lambda: parse_export(_json(_document([session]))), ExchangeError, "line")
    if isinstance(result, ExchangeError):
        return
    store = Store.open_in(tmp_path_factory.mktemp("accepted", numbered=True))
    try:
        assert store.sessions.add(store.profiles.default_id(), result) == (1, 0)
        assert len(export_records(store, store.profiles.default_id())) == 1
    finally:
        store.close()


@given(DOCUMENTS)
def test_any_document_is_parsed_or_refused_in_one_line(document: object) -> None:
    text = _json(document)
    result = outcome(lambda: parse_export(text, "export.json"), ExchangeError, "export.json")
    if isinstance(result, ExchangeError):
        assert str(result).startswith("export.json")


@given(DOCUMENTS)
def test_any_document_is_imported_whole_or_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory, store_dir: Path, document: object
) -> None:
    folder = tmp_path_factory.mktemp("import", numbered=True)
    shutil.copy(store_dir / "safesignal.db", folder / "safesignal.db")
    path = folder / "import.json"
    path.write_text(_json(document), encoding="utf-8")
    before = db_contents(folder / "safesignal.db")
    store = Store.open_in(folder)
    try:
        result = outcome(
            lambda: import_sessions(store, store.profiles.default_id(), path),
            ExchangeError,
            "import.json",
        )
        if not isinstance(result, ExchangeError):  # what was added can be exported again
            export_records(store, store.profiles.default_id())
    finally:
        store.close()
    if isinstance(result, ExchangeError):
        assert db_contents(folder / "safesignal.db") == before


@settings(max_examples=60)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-16")))
def test_any_bytes_are_parsed_or_refused(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    folder = tmp_path_factory.mktemp("bytes", numbered=True)
    path = folder / "file.json"
    path.write_bytes(data)
    store = Store.open_in(folder)
    try:
        outcome(
            lambda: import_sessions(store, store.profiles.default_id(), path), ExchangeError, "file"
        )
    finally:
        store.close()


RATINGS = st.none() | st.integers(0, 10)
MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))
VALID = st.builds(
    NewSession,
    exercise_id=st.text(min_size=1, max_size=20)
    .filter(str.strip)
    .filter(lambda t: t.isprintable()),
    kind=st.sampled_from(["breathing", "attention"]),
    settings=st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=3),
    started_at=MOMENTS,
    ended_at=st.none(),
    planned_s=st.integers(1, 86_400).map(float),
    practised_s=st.integers(0, 86_400).map(float),
    status=st.sampled_from(list(SessionStatus)),
    before=st.builds(Ratings, RATINGS, RATINGS),
    after=st.builds(Ratings, RATINGS, RATINGS),
    notes=st.text(max_size=40),
    pain_regions=st.just(()),
    comfort_regions=st.just(()),
)


@settings(max_examples=60)  # each example opens a new database
@given(st.lists(VALID, min_size=1, max_size=4, unique_by=lambda s: s.started_at))
def test_an_export_imports_back_to_the_same_sessions(
    tmp_path_factory: pytest.TempPathFactory, sessions: list[NewSession]
) -> None:
    folder = tmp_path_factory.mktemp("round-trip", numbered=True)
    store = Store.open_in(folder)
    try:
        profile = store.profiles.default_id()
        store.sessions.add(profile, sessions)
        records = export_records(store, profile)
        text = json.dumps(_document(records))
        again = parse_export(text)
        assert [export_records_key(s) for s in again] == [
            export_records_key(s) for s in sorted(sessions, key=lambda s: s.started_at)
        ]
        assert store.sessions.add(profile, again) == (0, len(sessions))
    finally:
        store.close()


def export_records_key(session: NewSession) -> tuple[object, ...]:
    return (
        session.exercise_id,
        session.kind,
        session.started_at,
        session.planned_s,
        session.practised_s,
        # one under way where it was exported is kept as interrupted where it is imported
        SessionStatus.INTERRUPTED
        if session.status is SessionStatus.IN_PROGRESS
        else session.status,
        session.before,
        session.after,
        session.notes,
        {k: v for k, v in session.settings.items() if k != "title"},
    )


# -- the bugs these properties found ----------------------------------------------------------


def _one(**changes: object) -> str:
    return _json(_document([{**GOOD, **changes}]))


def test_a_huge_whole_number_of_seconds_is_refused() -> None:
    """Found: planned_s = 10**400 raised OverflowError (int too large to convert to float)."""
    with pytest.raises(ExchangeError, match="line 10: session 1: planned_s"):
        parse_export(_one(planned_s=10**400), "x.json")


def test_a_number_of_5000_digits_is_refused() -> None:
    """Found: json.loads raised a bare ValueError (Exceeds the limit (4300 digits))."""
    with pytest.raises(ExchangeError, match=r"^x\.json: "):
        parse_export('{"format": "safesignal-sessions", "planned_s": ' + "9" * 5000 + "}", "x.json")


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_a_time_beyond_the_calendar_in_utc_is_refused(moment: str) -> None:
    """Found: a start in year 1 at +01:00 passed the check, then the store raised OverflowError
    (date value out of range) turning it into UTC."""
    with pytest.raises(ExchangeError, match="session 1: started_at_utc"):
        parse_export(_one(started_at_utc=moment), "x.json")


def test_a_lone_surrogate_in_text_is_refused() -> None:
    """Found: "\\ud800" (valid JSON) in exercise_id passed the check, then the store raised
    UnicodeEncodeError."""
    with pytest.raises(ExchangeError, match="session 1: exercise_id"):
        parse_export(_one(exercise_id="\ud800"), "x.json")


def test_a_year_before_1000_is_refused() -> None:
    """Found: "0001-01-01000-0000" (year 1, which fromisoformat reads) was stored as
    "1-01-01T00:00:00Z", which the store could not read back (ValueError on every history view)."""
    with pytest.raises(ExchangeError, match="session 1: started_at_utc must be a time from"):
        parse_export(_one(started_at_utc="0001-01-01000-0000"), "x.json")


def test_a_lone_surrogate_in_the_settings_is_refused() -> None:
    """The same as exercise_id, inside the settings object (a key or a value)."""
    with pytest.raises(ExchangeError, match="session 1: settings"):
        parse_export(_one(settings={"\udc80": 1}), "x.json")
