"""Sessions in and out: CSV and JSON exports, and importing a JSON export (the demo history is
in :mod:`trainer.app.demo`).

An export has one row (CSV) or object (JSON) per session, oldest first, with the fields in
:data:`COLUMN_DOCS`. Importing reads the JSON form back: every session is checked before anything
is stored, a mistake is reported with the file's line and the reason, and then nothing at all is
imported; sessions the profile already has are skipped and counted, so importing twice adds
nothing.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, Final, TextIO, cast

from trainer.content.bodymap import REGION_IDS
from trainer.errors import SafeSignalError
from trainer.safety.files import write_privately
from trainer.session.clock import iso_utc, utc_now
from trainer.session.machine import Ratings, SessionStatus
from trainer.store.database import collector_paused
from trainer.store.migrations import MAX_UTC_OFFSET_MIN
from trainer.store.sessions import (
    MAX_NOTES_CHARS,
    NewSession,
    StoredSession,
    check_utc_offset,
)
from trainer.store.store import Store

FORMAT_NAME: Final = "safesignal-sessions"
# 2: each session's offset from UTC (utc_offset_min). Files of version 1 import as before.
FORMAT_VERSION: Final = 2
FORMATS: Final = ("csv", "json")

COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "profile",
    "started_at_utc",
    "ended_at_utc",
    "started_at_local",
    "utc_offset_min",
    "exercise_id",
    "exercise_title",
    "kind",
    "status",
    "planned_s",
    "practised_s",
    "tension_before",
    "tension_after",
    "pain_before",
    "pain_after",
    "pain_regions",
    "comfort_regions",
    "notes",
    "settings",
)

COLUMN_DOCS: Final = """\
One row (CSV) or object (JSON) per session, oldest first. CSV is UTF-8 with a header row; a
field holding a comma, a quote or a line break is quoted. In CSV an empty field means "none";
in JSON that is null (or an empty list). In CSV, text that begins with =, +, -, @, a tab or a
carriage return starts with an apostrophe (') so that a spreadsheet shows it as text and never
runs it as a formula, and control characters are shown as symbols (␀, ␛); JSON keeps the text
exactly, so an import gives it back as it was.

id                the session's number in this database (a new number is given on import)
profile           the profile's name
started_at_utc    when the session started: UTC, ISO 8601, to the second (2024-05-01T09:30:00Z)
ended_at_utc      when it ended, after the after-ratings (same form); for an interrupted
                  session, its last saved progress; empty if it never ended
started_at_local  the start in local time with its UTC offset (2024-05-01T11:30:00+02:00):
                  the time on the clock where it was practised, when that was kept
utc_offset_min    that clock's offset from UTC in minutes, east positive (120 for +02:00,
                  -300 for -05:00); empty for sessions kept before Safe Signal noted it
exercise_id       the exercise's id, such as coherent-5-5 or body-scan (custom-N: an own pattern)
exercise_title    the exercise's name as it was when practised
kind              breathing or attention
status            completed, ended_early (stopped before the planned end), abandoned (left
                  during practice), interrupted (the app stopped during it: a crash or a
                  power cut), or in_progress (under way when exported; imported as
                  interrupted, since it is not under way on the computer it goes to)
planned_s         the planned practice, in seconds
practised_s       the practice actually done, in seconds (pauses and skipped prompts not counted)
tension_before    tension before practice, 0 (none) to 10; empty = the person skipped it
tension_after     tension after practice, 0 to 10; empty = skipped (or the session was left)
pain_before       pain before practice, 0 (none) to 10 (worst imaginable); empty = skipped
pain_after        pain after practice, 0 to 10; empty = skipped (or the session was left)
pain_regions      where it hurt, body-map areas such as lower_back; semicolon-separated in CSV,
                  a list in JSON; empty if none were marked
comfort_regions   the comfortable area chosen (same form)
notes             the person's own notes
settings          the breathing pattern, length and options used: JSON text in CSV, an object
                  in JSON
"""

HEALTH_DATA_WARNING: Final = (
    "This file holds health information (pain and tension ratings, where it hurts, notes). "
    "Keep it private and share it only with people you trust, such as your clinician."
)

_KINDS: Final = ("breathing", "attention")
_MAX_PLANNED_S: Final = 86_400.0  # a day: anything longer is a mistake in the file

_RATING_FIELDS: Final = ("tension_before", "tension_after", "pain_before", "pain_after")
_REGION_FIELDS: Final = ("pain_regions", "comfort_regions")
_REQUIRED: Final = ("started_at_utc", "exercise_id", "kind", "status", "planned_s", "practised_s")
_TOP_KEYS: Final = ("format", "version", "exported_at", "profile", "sessions")
_KNOWN_REGIONS: Final = frozenset(REGION_IDS)
_FIRST_YEAR: Final = 1970  # the store writes 4-digit years; no session is older than this
_LAST_YEAR: Final = 9998  # so that the time and its local form stay within the calendar


class ExchangeError(SafeSignalError):
    """A file that cannot be read, written or imported; the message says which and why."""


class ImportCancelled(Exception):  # noqa: N818 (not an error: the person chose it)
    """The person cancelled an import (a progress callback raised it): nothing of it was kept."""


READING: Final = "reading"
CHECKING: Final = "checking"
ADDING: Final = "adding"


@dataclass(frozen=True)
class ImportProgress:
    """How far an import has come, for a progress bar: in ``stage`` :data:`READING`, ``done`` of
    ``total`` characters of the file are read, and ``sessions`` sessions so far; in
    :data:`CHECKING` and :data:`ADDING`, ``done`` of ``total`` sessions are checked, or added
    to the database."""

    stage: str
    done: int
    total: int
    sessions: int = 0


ImportProgressCallback = Callable[[ImportProgress], None]
"""Told how far an import has come, now and then (from the thread that imports); to cancel,
it raises :class:`ImportCancelled`, and then nothing is kept."""

_REPORT_CHARS: Final = 1 << 20  # reading: a report about every megabyte
_REPORT_SESSIONS: Final = 500  # checking and adding: a report every 500 sessions


@dataclass(frozen=True)
class ImportResult:
    """What an import did: sessions added, sessions skipped as already there, and sessions whose
    after-ratings given here were kept in place of different ones in the file."""

    added: int
    skipped: int
    kept_after: int = 0


# -- export -------------------------------------------------------------------------------------


def session_record(
    session: StoredSession,
    profile: str,
    regions: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
    tz: tzinfo | None = None,
) -> dict[str, Any]:
    """One session as an export object (JSON types; ``None`` for a skipped rating).

    ``started_at_local`` is on the clock where the session was practised when its offset from
    UTC was kept; else in ``tz`` (``None``: this machine's local zone).
    """
    if session.utc_offset_min is not None:
        local = session.started_local(UTC)  # the zone is not used: the kept offset is
    else:
        local = session.started_at.astimezone(tz)  # astimezone(None) is the machine's zone
    return {
        "id": session.id,
        "profile": profile,
        "started_at_utc": iso_utc(session.started_at),
        "ended_at_utc": iso_utc(session.ended_at) if session.ended_at else None,
        "started_at_local": local.isoformat(timespec="seconds"),
        "utc_offset_min": session.utc_offset_min,
        "exercise_id": session.exercise_id,
        "exercise_title": session.title,
        "kind": session.kind,
        "status": session.status.value,
        "planned_s": session.planned_s,
        "practised_s": session.practised_s,
        "tension_before": session.before.tension,
        "tension_after": session.after.tension,
        "pain_before": session.before.pain,
        "pain_after": session.after.pain,
        "pain_regions": list(regions[0]),
        "comfort_regions": list(regions[1]),
        "notes": session.notes,
        "settings": session.settings,
    }


def export_records(store: Store, profile_id: int, tz: tzinfo | None = None) -> list[dict[str, Any]]:
    """A profile's sessions as export objects, oldest first."""
    name = store.profiles.get(profile_id).name
    regions = store.regions.by_session(profile_id)
    return [
        session_record(session, name, regions.get(session.id, ((), ())), tz)
        for session in reversed(store.sessions.of_profile(profile_id))
    ]


def _csv_number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# A spreadsheet takes a cell that starts with one of these for a formula (or the start of one).
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
# Control characters a terminal or a spreadsheet may act on: C0 (but tab and line breaks), DEL
# and C1. In CSV each is written as its visible picture (U+2400...) or U+FFFD.
_CONTROL_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What JSON (with ensure_ascii=False) would leave raw, though a terminal or an editor acts on it:
# DEL and C1, the line and paragraph separators, and the marks that turn text right to left.
_JSON_RAW_RE: Final = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # NUL -> ␀, ESC -> ␛
    return "\u2421" if code == 0x7F else "\ufffd"  # DEL -> ␡; C1 -> �


def csv_text(text: str) -> str:
    """``text`` as a CSV cell may safely hold it: control characters made visible (never raw in
    the file or on a terminal), and a leading =, +, -, @, tab or CR quoted with an apostrophe, as
    spreadsheet makers advise, so that a spreadsheet shows it as text instead of running it."""
    text = _CONTROL_RE.sub(lambda found: _visible(found.group()), text)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv_cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column in _REGION_FIELDS:
        return ";".join(value)
    if column == "settings":
        return csv_text(json.dumps(value, sort_keys=True, ensure_ascii=False))
    if isinstance(value, float):
        return _csv_number(value)
    if isinstance(value, str):
        return csv_text(value)
    return str(value)


def write_csv(records: Iterable[Mapping[str, Any]], stream: TextIO) -> None:
    """Write export objects as CSV with a header row (``stream`` opened with ``newline=""``)."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([_csv_cell(column, record[column]) for column in COLUMNS])


def write_json(
    records: Sequence[Mapping[str, Any]], stream: TextIO, *, profile: str, exported_at: datetime
) -> None:
    """Write export objects as the JSON export document."""
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": iso_utc(exported_at),
        "profile": profile,
        "sessions": list(records),
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    # Only inside strings can these be (JSON's own syntax is ASCII): their escapes read back the
    # same, so an import gives the text back unchanged.
    stream.write(_JSON_RAW_RE.sub(lambda found: f"\\u{ord(found.group()):04x}", text))
    stream.write("\n")


def write_export(
    store: Store,
    profile_id: int,
    stream: TextIO,
    fmt: str,
    *,
    tz: tzinfo | None = None,
    now: Callable[[], datetime] = utc_now,
) -> int:
    """Write a profile's sessions to ``stream`` as ``fmt`` (csv or json); return how many."""
    if fmt not in FORMATS:
        raise ExchangeError(f"An export is csv or json, not {fmt!r}.")
    records = export_records(store, profile_id, tz)
    if fmt == "csv":
        write_csv(records, stream)
    else:
        write_json(records, stream, profile=store.profiles.get(profile_id).name, exported_at=now())
    return len(records)


def export_sessions(
    store: Store,
    profile_id: int,
    out: Path,
    fmt: str,
    *,
    tz: tzinfo | None = None,
    now: Callable[[], datetime] = utc_now,
) -> int:
    """Write a profile's sessions to the file ``out``; return how many.

    The file is written beside ``out`` and then moved into place, readable only by this user, so
    a failed export never leaves half a file (nor a half-overwritten older export).
    """
    out = Path(out)
    if out.is_dir():
        raise ExchangeError(f"{out} is a folder; give a file name for the export.")

    def failed(reason: str) -> ExchangeError:
        return ExchangeError(f"Could not write {out}: {reason}")

    with write_privately(out, failed) as stream:  # a text stream: not binary
        return write_export(store, profile_id, cast(TextIO, stream), fmt, tz=tz, now=now)


# -- import -------------------------------------------------------------------------------------


MAX_IMPORT_BYTES: Final = 50 * 1024 * 1024
"""The largest file an import reads (50 MB, some 60,000 sessions): checked before reading."""


def read_text(path: Path, max_bytes: int = MAX_IMPORT_BYTES) -> str:
    """A file's text, or an :class:`ExchangeError` saying in one line why it cannot be read.

    Only a regular file of at most ``max_bytes`` is read: a folder, a device (/dev/zero), a pipe
    (which could wait for a writer for ever) or a larger file is refused before reading it."""
    path = Path(path)
    try:
        # Non-blocking: opening a pipe with no writer returns at once instead of waiting.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ExchangeError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise ExchangeError(f"{path} is a folder, not a file.") from None
    except PermissionError:
        if path.is_dir():
            raise ExchangeError(f"{path} is a folder, not a file.") from None
        raise ExchangeError(f"{path} cannot be read: permission denied.") from None
    except OSError as exc:
        raise ExchangeError(f"Could not read {path}: {exc.strerror or exc}.") from None
    try:
        found = os.fstat(fd)
        if stat.S_ISDIR(found.st_mode):
            raise ExchangeError(f"{path} is a folder, not a file.")
        if not stat.S_ISREG(found.st_mode):
            raise ExchangeError(
                f"{path} is not a regular file (a device or a pipe, say), so it cannot be an "
                "export; give the file an export was saved to."
            )
        if found.st_size > max_bytes:
            raise ExchangeError(
                f"{path} is {_megabytes(found.st_size)}; Safe Signal imports files of at most "
                f"{_megabytes(max_bytes)}, so this is not one of its exports."
            )
        with open(fd, "rb", closefd=False) as stream:
            data = stream.read(max_bytes + 1)  # a file that grew since: still never more
    except OSError as exc:
        raise ExchangeError(f"Could not read {path}: {exc.strerror or exc}.") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise ExchangeError(
            f"{path} is larger than {_megabytes(max_bytes)}; Safe Signal imports files of at "
            "most that size, so this is not one of its exports."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExchangeError(
            f"{path} is not UTF-8 text, so it is not a Safe Signal export."
        ) from None


def _megabytes(size: int) -> str:
    """A file size in megabytes, for a message (50 MB, 3,072 MB)."""
    return f"{math.ceil(size / (1024 * 1024)):,} MB"


class _ExportLineFinder:
    """Finds the line of the export's top-level keys, of each session, and of a session's keys.

    It walks text that :func:`json.loads` has already accepted, using json's own decoder for the
    values, so its positions are those of the document json read (the last of repeated keys).
    """

    _WS = re.compile(r"[ \t\n\r]*")

    def __init__(self, text: str) -> None:
        self.text = text
        self.top: dict[str, int] = {}
        self.sessions: list[int] = []
        self.fields: list[dict[str, int]] = []
        self._decoder = json.JSONDecoder()
        self.start = self._skip(0)
        if self.text.startswith("{", self.start):
            self._object(self.start, self._top_value)

    def line(self, offset: int) -> int:
        """The 1-based line of a character offset."""
        return self.text.count("\n", 0, offset) + 1

    def _skip(self, i: int) -> int:
        match = self._WS.match(self.text, i)
        assert match is not None
        return match.end()

    def _value_end(self, i: int) -> int:
        _, end = self._decoder.raw_decode(self.text, i)
        return int(end)

    def _object(self, i: int, on_value: Callable[[str, int, int], int]) -> int:
        """Walk the object at ``i`` (a ``{``), calling ``on_value(key, key_at, value_at)`` which
        returns where that value ends; return where the object ends."""
        i = self._skip(i + 1)
        if self.text.startswith("}", i):
            return i + 1
        while True:
            key_at = i
            key, i = self._decoder.raw_decode(self.text, i)
            i = self._skip(self._skip(i) + 1)  # past the colon
            i = self._skip(on_value(key, key_at, i))
            if self.text.startswith(",", i):
                i = self._skip(i + 1)
                continue
            return i + 1

    def _top_value(self, key: str, key_at: int, value_at: int) -> int:
        self.top[key] = key_at
        if key != "sessions" or not self.text.startswith("[", value_at):
            return self._value_end(value_at)
        self.sessions, self.fields = [], []  # a repeated "sessions" key: json keeps the last
        i = self._skip(value_at + 1)
        if self.text.startswith("]", i):
            return i + 1
        while True:
            self.sessions.append(i)
            fields: dict[str, int] = {}
            self.fields.append(fields)
            if self.text.startswith("{", i):
                i = self._object(i, functools.partial(self._field, fields))
            else:
                i = self._value_end(i)
            i = self._skip(i)
            if self.text.startswith(",", i):
                i = self._skip(i + 1)
                continue
            return i + 1

    def _field(self, fields: dict[str, int], key: str, key_at: int, value_at: int) -> int:
        fields[key] = key_at
        return self._value_end(value_at)


class _CheckError(Exception):
    """A mistake found while checking: where (top-level key, or session and field) and why."""

    def __init__(self, reason: str, *, top: str | None = None, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.top = top
        self.field = field


def _show(value: object, limit: int = 60) -> str:
    """A value as it looks in JSON, shortened for a one-line message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_text(value: str) -> bool:
    """Whether ``value`` can be stored as UTF-8 (JSON's "\\ud800", a lone surrogate, cannot)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _finite(value: float) -> bool:
    """Whether a number is finite; a whole number too large for a float (10**400) is not."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _plain_json(value: object, max_depth: int = 20) -> bool:
    """Whether ``value`` holds only finite numbers and storable text, nested at most
    ``max_depth`` deep."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return False
        if isinstance(item, str) and not _is_text(item):
            return False
        if isinstance(item, dict | list):
            if depth >= max_depth:
                return False
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return True


def _time(data: Mapping[str, Any], key: str) -> datetime | None:
    value = data.get(key)
    if value is None and key != "started_at_utc":
        return None
    example = "like 2024-05-01T09:30:00Z"
    if not isinstance(value, str):
        raise _CheckError(
            f"{key} must be a time as text, {example}; got {_show(value)}.", field=key
        )
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise _CheckError(
            f"{key} must be an ISO 8601 time, {example}; got {_show(value)}.", field=key
        ) from None
    if moment.tzinfo is None:
        raise _CheckError(
            f"{key} must say its time zone (a Z for UTC), {example}; got {_show(value)}.", field=key
        )
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before the calendar starts, in UTC
        moment = datetime.min.replace(tzinfo=UTC)
    if not _FIRST_YEAR <= moment.year <= _LAST_YEAR:
        raise _CheckError(
            f"{key} must be a time from the year {_FIRST_YEAR} to {_LAST_YEAR}; "
            f"got {_show(value)}.",
            field=key,
        )
    return moment


def _rating(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise _CheckError(
            f"{key} must be a whole number from 0 to 10, or null when it was skipped; "
            f"got {_show(value)}.",
            field=key,
        )
    return value


def _regions(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _CheckError(f"{key} must be a list of body-map areas; got {_show(value)}.", field=key)
    for region in value:
        if not isinstance(region, str) or region not in _KNOWN_REGIONS:
            raise _CheckError(
                f"{key}: {_show(region)} is not one of the body-map areas "
                "(such as lower_back, neck or left_knee).",
                field=key,
            )
    return tuple(dict.fromkeys(value))


def _offset(data: Mapping[str, Any]) -> int | None:
    value = data.get("utc_offset_min")
    try:
        return check_utc_offset(value)
    except ValueError:
        raise _CheckError(
            f"utc_offset_min must be a whole number of minutes from -{MAX_UTC_OFFSET_MIN} to "
            f"{MAX_UTC_OFFSET_MIN} (such as -300 for UTC-05:00), or null when it is not known; "
            f"got {_show(value)}.",
            field="utc_offset_min",
        ) from None


def _seconds(data: Mapping[str, Any], key: str, *, zero_ok: bool) -> float:
    value: object = data.get(key)
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and _finite(value)
        and (value > 0 or (zero_ok and value == 0))
        and value <= _MAX_PLANNED_S
    ):
        return float(value)
    low = "0 or more" if zero_ok else "more than 0"
    raise _CheckError(
        f"{key} must be a number of seconds, {low} and at most {_MAX_PLANNED_S:.0f}; "
        f"got {_show(value)}.",
        field=key,
    )


def _imported_status(status: SessionStatus) -> SessionStatus:
    """How a session from a file is kept: one under way where it was exported is not under way
    here, so it is kept as ``interrupted`` (never taken for a crash on this computer)."""
    return SessionStatus.INTERRUPTED if status is SessionStatus.IN_PROGRESS else status


def _session(raw: object) -> NewSession:
    """Check one session object and build what the store adds (raises :class:`_CheckError`)."""
    if not isinstance(raw, dict):
        raise _CheckError(
            f"a session must be an object {{...}} of fields; got {type(raw).__name__}."
        )
    for key in raw:
        if key not in COLUMNS:
            raise _CheckError(f"unknown field {_show(key)}.", field=key)
    for key in _REQUIRED:
        if key not in raw:
            raise _CheckError(f"the field {_show(key)} is missing.")
    for key, value in raw.items():
        if isinstance(value, str) and not _is_text(value):
            raise _CheckError(
                f"{key} holds a broken character (a lone surrogate such as \\ud800).", field=key
            )
    for key, kinds, what in (
        ("id", (int,), "a whole number or null"),
        ("profile", (str,), "text or null"),
        ("started_at_local", (str,), "text or null"),
        ("exercise_title", (str,), "text or null"),
        ("notes", (str,), "text"),
    ):
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, kinds)):
            raise _CheckError(f"{key} must be {what}; got {_show(value)}.", field=key)
    exercise_id = raw["exercise_id"]
    if not isinstance(exercise_id, str) or not exercise_id.strip() or len(exercise_id) > 200:
        raise _CheckError(
            f"exercise_id must be an exercise's id as text; got {_show(exercise_id)}.",
            field="exercise_id",
        )
    if raw["kind"] not in _KINDS:
        raise _CheckError(
            f"kind must be breathing or attention; got {_show(raw['kind'])}.", field="kind"
        )
    statuses = [s.value for s in SessionStatus]
    if raw["status"] not in statuses:
        raise _CheckError(
            f"status must be one of {', '.join(statuses)}; got {_show(raw['status'])}.",
            field="status",
        )
    started = _time(raw, "started_at_utc")
    assert started is not None
    ended = _time(raw, "ended_at_utc")
    if ended is not None and ended < started:
        raise _CheckError("ended_at_utc is before started_at_utc.", field="ended_at_utc")
    planned_s = _seconds(raw, "planned_s", zero_ok=False)
    practised_s = _seconds(raw, "practised_s", zero_ok=True)
    ratings = {key: _rating(raw, key) for key in _RATING_FIELDS}
    pain_regions, comfort_regions = (_regions(raw, key) for key in _REGION_FIELDS)
    notes = raw.get("notes") or ""
    if len(notes) > MAX_NOTES_CHARS:
        raise _CheckError(f"notes are longer than {MAX_NOTES_CHARS} characters.", field="notes")
    settings = raw.get("settings")
    if settings is None:
        settings = {}
    if not isinstance(settings, dict) or not _plain_json(settings):
        raise _CheckError(
            "settings must be an object {...} with finite numbers, nested at most 20 deep.",
            field="settings",
        )
    title = raw.get("exercise_title")
    if "title" not in settings and title and title != exercise_id:
        settings = {**settings, "title": title}
    return NewSession(
        exercise_id=exercise_id,
        kind=raw["kind"],
        settings=settings,
        started_at=started,
        ended_at=ended,
        planned_s=planned_s,
        practised_s=practised_s,
        status=_imported_status(SessionStatus(raw["status"])),
        before=Ratings(ratings["tension_before"], ratings["pain_before"]),
        after=Ratings(ratings["tension_after"], ratings["pain_after"]),
        notes=notes,
        pain_regions=pain_regions,
        comfort_regions=comfort_regions,
        utc_offset_min=_offset(raw),
    )


def _top(document: object) -> list[object]:
    """Check the document around the sessions; return the raw session list."""
    if not isinstance(document, dict):
        raise _CheckError("this is not a Safe Signal sessions export (it is not a JSON object).")
    if document.get("format") != FORMAT_NAME:
        raise _CheckError(
            f'this is not a Safe Signal sessions export ("format" should be "{FORMAT_NAME}").',
            top="format" if "format" in document else None,
        )
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _CheckError(
            f'"version" must be a whole number from 1; got {_show(version)}.',
            top="version" if "version" in document else None,
        )
    if version > FORMAT_VERSION:
        raise _CheckError(
            f"it was written by a newer Safe Signal (export format version {version}; this "
            f"version reads up to {FORMAT_VERSION}). Please update Safe Signal to import it.",
            top="version",
        )
    for key in document:
        if key not in _TOP_KEYS:
            raise _CheckError(f"unknown entry {_show(key)}.", top=key)
    for key in ("exported_at", "profile"):
        value = document.get(key)
        if value is not None and not isinstance(value, str):
            raise _CheckError(f'"{key}" must be text; got {_show(value)}.', top=key)
    sessions = document.get("sessions")
    if not isinstance(sessions, list):
        raise _CheckError(
            '"sessions" must be a list [...] of sessions.',
            top="sessions" if "sessions" in document else None,
        )
    return sessions


class _NotPlainError(Exception):
    """The text is not laid out as an export object; :func:`json.loads` is left to read it."""


_WS_RE: Final = re.compile(r"[ \t\n\r]*")


def _decode(text: str, progress: ImportProgressCallback | None) -> object:
    """What ``json.loads(text)`` gives (or raises), read one session at a time.

    An export is one object whose "sessions" list holds an object per session: each value, and
    each session, is read with json's own decoder, so the document is json's (the last of
    repeated keys, the same numbers), the reading can report how far it is and be cancelled,
    and a thread reading a large file lets the window's thread run between sessions. Text of
    any other shape, or a mistake, is read by :func:`json.loads` itself: the same error."""
    try:
        return _decode_export(text, progress)
    except (_NotPlainError, ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return json.loads(text)


def _decode_export(text: str, progress: ImportProgressCallback | None) -> dict[str, object]:
    # json.loads keeps one copy of each key for the whole document; decoding a session at a time
    # would keep one per session (some 50 MB more for a 50 MB file), so the keys are shared here.
    keys: dict[str, str] = {}

    def shared_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        return {keys.setdefault(key, key): value for key, value in pairs}

    decoder = json.JSONDecoder(object_pairs_hook=shared_keys)
    size = len(text)
    reported = 0

    def skip(i: int) -> int:
        match = _WS_RE.match(text, i)
        assert match is not None
        return match.end()

    def read_sessions(i: int) -> tuple[list[object], int]:
        nonlocal reported
        sessions: list[object] = []
        i = skip(i + 1)
        if text.startswith("]", i):
            return sessions, i + 1
        while True:
            value, i = decoder.raw_decode(text, i)
            sessions.append(value)
            if progress is not None and i - reported >= _REPORT_CHARS:
                reported = i
                progress(ImportProgress(READING, i, size, len(sessions)))
            i = skip(i)
            if text.startswith(",", i):
                i = skip(i + 1)
            elif text.startswith("]", i):
                return sessions, i + 1
            else:
                raise _NotPlainError

    document: dict[str, object] = {}
    i = skip(0)
    if not text.startswith("{", i):
        raise _NotPlainError
    i = skip(i + 1)
    while not text.startswith("}", i):  # "{}"; else only the "break" below ends it
        if not text.startswith('"', i):
            raise _NotPlainError
        key, i = decoder.raw_decode(text, i)
        i = skip(i)
        if not text.startswith(":", i):
            raise _NotPlainError
        i = skip(i + 1)
        if key == "sessions" and text.startswith("[", i):
            value, i = read_sessions(i)
        else:
            value, i = decoder.raw_decode(text, i)
        document[key] = value
        i = skip(i)
        if text.startswith(",", i):
            i = skip(i + 1)
            if not text.startswith('"', i):
                raise _NotPlainError  # such as a comma before the "}"
        elif text.startswith("}", i):
            break
        else:
            raise _NotPlainError
    if skip(i + 1) != size:
        raise _NotPlainError  # more after the object: json says what
    if progress is not None:
        found = document.get("sessions")
        progress(ImportProgress(READING, size, size, len(found) if isinstance(found, list) else 0))
    return document


def parse_export(
    text: str, name: str = "the file", progress: ImportProgressCallback | None = None
) -> list[NewSession]:
    """Check a JSON export completely and return its sessions; any mistake raises an
    :class:`ExchangeError` naming ``name``, the line and the reason. ``progress`` hears how
    far the reading and the check have come, and may cancel (see
    :data:`ImportProgressCallback`)."""
    try:
        document = _decode(text, progress)
    except json.JSONDecodeError as exc:
        raise ExchangeError(_not_json(text, name, exc)) from None
    except RecursionError:
        raise ExchangeError(f"{name}: not a Safe Signal export (nested far too deeply).") from None
    except ValueError:  # a whole number of more than 4300 digits
        raise ExchangeError(
            f"{name}: not a Safe Signal export (a number in it has thousands of digits)."
        ) from None
    index: int | None = None
    try:
        raw_sessions = _top(document)
        sessions = []
        total = len(raw_sessions)
        for index, raw in enumerate(raw_sessions):  # index: read in the handler
            if progress is not None and index and index % _REPORT_SESSIONS == 0:
                progress(ImportProgress(CHECKING, index, total))
            sessions.append(_session(raw))
        if progress is not None:
            progress(ImportProgress(CHECKING, total, total))
    except _CheckError as problem:
        try:
            where = _ExportLineFinder(text)
        except RecursionError:
            raise ExchangeError(
                f"{name}: not a Safe Signal export (nested far too deeply)."
            ) from None
        offset = where.start
        if problem.top is not None:
            offset = where.top.get(problem.top, offset)
        elif index is not None and index < len(where.sessions):
            offset = where.sessions[index]
            if problem.field is not None:
                offset = where.fields[index].get(problem.field, offset)
        prefix = f"{name}, line {where.line(offset)}: "
        if index is not None and problem.top is None:
            prefix += f"session {index + 1}: "
        raise ExchangeError(prefix + problem.reason) from None
    return sessions


def _not_json(text: str, name: str, exc: json.JSONDecodeError) -> str:
    """Why ``text`` is no JSON export, in one line: what it looks like, and what an import reads."""
    wanted = (
        "an import reads the JSON form of an export (Export… as JSON in History, or "
        "safesignal export --format json)."
    )
    first_line = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
    if first_line.rstrip("\r").startswith(",".join(COLUMNS[:3])):
        return f"{name} is a CSV export, made for spreadsheets; {wanted}"
    if not first_line.startswith(("{", "[")):
        looks = "is empty" if not first_line.strip() else "does not begin with {"
        return f"{name} is not a Safe Signal export (it {looks}); {wanted}"
    return f"{name}, line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})."


def read_export(path: Path, progress: ImportProgressCallback | None = None) -> list[NewSession]:
    """Read and check a JSON export file whole (nothing is stored); its sessions. ``progress``
    hears how far it has come and may cancel (see :data:`ImportProgressCallback`); a window
    calls this from a thread of its own."""
    path = Path(path)
    # Every object made is kept, so the cycle collector's passes are wasted work; in a thread
    # they would also hold up the window's thread for up to half a second each (50 MB).
    with collector_paused():
        if progress is not None:
            progress(ImportProgress(READING, 0, 1))
        return parse_export(read_text(path), path.name, progress)


def add_imported(
    store: Store,
    profile_id: int,
    sessions: Sequence[NewSession],
    progress: ImportProgressCallback | None = None,
) -> ImportResult:
    """Add checked sessions to a profile, none twice. Without ``progress``, in one
    transaction. With it, in committed steps of 500 sessions: ``progress`` hears how many are
    added between two steps, never inside a transaction (a window handles its events there,
    and what it writes then is its own); if it raises (:class:`ImportCancelled`), the sessions
    the earlier steps added are taken out again, and none are kept (see
    :meth:`~trainer.store.sessions.SessionsTable.add_counted`). A kill between two steps keeps
    the steps before it: importing the same file again adds only the rest."""
    report = None
    if progress is not None:
        callback = progress

        def report(done: int, total: int) -> None:
            callback(ImportProgress(ADDING, done, total))

    with collector_paused():  # as in read_export: here it would stop the window
        if report is not None:
            report(0, len(sessions))
        counted = store.sessions.add_counted(profile_id, sessions, report, _REPORT_SESSIONS)
    return ImportResult(counted.added, counted.skipped, counted.kept_after)


def import_sessions(
    store: Store, profile_id: int, path: Path, progress: ImportProgressCallback | None = None
) -> ImportResult:
    """Import a JSON export into a profile, all or nothing, skipping sessions already there;
    ``progress`` as in :func:`read_export` and :func:`add_imported`."""
    return add_imported(store, profile_id, read_export(path, progress), progress)
