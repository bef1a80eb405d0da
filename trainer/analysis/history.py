"""A person's sessions as columns (numpy arrays), and what the history plots draw from them.

The history screen, the report and the analysis read sessions as one :class:`SessionTable`
rather than one object per session: 20,000 sessions load, filter and plot in milliseconds.
Everything here is pure: no I/O, no clock, no Qt. Calendar days are in a time zone the caller
passes (the person's own), and are proleptic Gregorian ordinals (``date.toordinal()``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from operator import itemgetter
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

from trainer.session.machine import Ratings, SessionStatus

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

SKIPPED: Final = -1  # a rating that was skipped, in :attr:`SessionTable.ratings`
# Columns of :attr:`SessionTable.ratings`.
BEFORE_PAIN, BEFORE_TENSION, AFTER_PAIN, AFTER_TENSION = 0, 1, 2, 3
RATING_COLUMNS: Final = {
    "pain": (BEFORE_PAIN, AFTER_PAIN),
    "tension": (BEFORE_TENSION, AFTER_TENSION),
}
ROLLING_DAYS: Final = 7
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
_DAY_S: Final = 86400.0
_WEEK_S: Final = 7 * _DAY_S


class RatedSession(Protocol):
    """What a table is built from (:class:`trainer.store.store.StoredSession` fits)."""

    @property
    def id(self) -> int: ...
    @property
    def exercise_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def before(self) -> Ratings: ...
    @property
    def after(self) -> Ratings: ...


@dataclass(frozen=True, eq=False)
class SessionTable:
    """Sessions as columns, in the order of their start (oldest first).

    ``ratings`` has one row per session: before pain, before tension, after pain, after tension,
    with :data:`SKIPPED` where a rating was skipped. ``exercise`` holds an index into
    ``exercise_ids``. Columns a caller does not have (from :meth:`from_sessions`) are empty
    strings and zeros.
    """

    ids: IntArray
    stamps: FloatArray  # start, seconds since 1970-01-01 UTC
    exercise: IntArray
    exercise_ids: tuple[str, ...]
    titles: tuple[str, ...]
    practised_s: FloatArray
    statuses: tuple[str, ...]
    ratings: IntArray
    notes: tuple[str, ...]
    # The clock's offset from UTC where each session started (minutes; NaN: not kept).
    offsets_min: FloatArray

    def __len__(self) -> int:
        return int(self.ids.size)

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[object]]) -> SessionTable:
        """Build from rows of (id, exercise id, title, start, practised seconds, status, before
        pain, before tension, after pain, after tension, notes[, offset from UTC in minutes]),
        with ``None`` for a skipped rating or an offset not kept. The start is seconds since
        1970 UTC, or UTC text "YYYY-MM-DDTHH:MM:SS" as the store keeps it. Rows are put in
        order of their start (cheaply when they already are)."""
        listed = rows if isinstance(rows, list) else list(rows)
        n = len(listed)
        if not n:
            return cls._empty()
        columns = list(zip(*listed, strict=True))
        ids = np.array(columns[0], dtype=np.int64)
        if isinstance(columns[3][0], str):
            stamps = np.array(columns[3], dtype="datetime64[s]").astype(np.int64).astype(float)
        else:
            stamps = np.array(columns[3], dtype=np.float64)
        ratings = np.array(columns[6:10], dtype=np.float64).T  # None becomes NaN
        code: dict[object, int] = {}
        exercise = np.fromiter(
            (code.setdefault(k, len(code)) for k in columns[1]), np.int64, count=n
        )
        titles, statuses, notes = columns[2], columns[5], columns[10]
        practised = np.array(columns[4], dtype=np.float64)
        offsets = (
            np.array(columns[11], dtype=np.float64) if len(columns) > 11 else np.full(n, np.nan)
        )  # None becomes NaN
        if n > 1 and not (
            np.all(np.diff(stamps) >= 0) and np.all((np.diff(stamps) > 0) | (np.diff(ids) > 0))
        ):
            order = np.lexsort((ids, stamps))
            ids, stamps, ratings = ids[order], stamps[order], ratings[order]
            exercise, practised, offsets = exercise[order], practised[order], offsets[order]
            pick = order.tolist()
            titles, statuses, notes = (tuple(c[i] for i in pick) for c in (titles, statuses, notes))
        return cls(
            ids=ids,
            stamps=stamps,
            exercise=exercise,
            exercise_ids=tuple(str(k) for k in code),
            titles=tuple(titles),  # text from SQLite or the caller
            practised_s=practised,
            statuses=tuple(statuses),
            ratings=np.where(np.isnan(ratings), SKIPPED, ratings).astype(np.int64),
            notes=tuple(notes),
            offsets_min=offsets,
        )

    @classmethod
    def _empty(cls) -> SessionTable:
        return cls(
            ids=np.zeros(0, dtype=np.int64),
            stamps=np.zeros(0),
            exercise=np.zeros(0, dtype=np.int64),
            exercise_ids=(),
            titles=(),
            practised_s=np.zeros(0),
            statuses=(),
            ratings=np.zeros((0, 4), dtype=np.int64),
            notes=(),
            offsets_min=np.zeros(0),
        )

    @classmethod
    def from_sessions(cls, sessions: Iterable[RatedSession]) -> SessionTable:
        """Build from session objects; practised time, status and notes are read when present."""
        return cls.from_rows(
            (
                s.id,
                s.exercise_id,
                s.title,
                s.started_at.timestamp(),
                getattr(s, "practised_s", 0.0),
                str(getattr(getattr(s, "status", ""), "value", getattr(s, "status", ""))),
                s.before.pain,
                s.before.tension,
                s.after.pain,
                s.after.tension,
                getattr(s, "notes", ""),
                getattr(s, "utc_offset_min", None),
            )
            for s in sessions
        )

    def take(self, index: npt.ArrayLike) -> SessionTable:
        """The sessions at ``index`` (positions in ascending order, or a boolean mask)."""
        at = np.asarray(index)
        if at.dtype == np.bool_:
            if at.all():
                return self
            at = np.flatnonzero(at)
        if at.size == 0:
            return SessionTable._empty()
        pick = at.tolist()
        get = itemgetter(*pick) if len(pick) > 1 else (lambda column: (column[pick[0]],))
        return SessionTable(
            ids=self.ids[at],
            stamps=self.stamps[at],
            exercise=self.exercise[at],
            exercise_ids=self.exercise_ids,
            titles=tuple(get(self.titles)),
            practised_s=self.practised_s[at],
            statuses=tuple(get(self.statuses)),
            ratings=self.ratings[at],
            notes=tuple(get(self.notes)),
            offsets_min=self.offsets_min[at],
        )

    def started_local(self, row: int, tz: tzinfo) -> datetime:
        """The start of the session at ``row`` on the clock where it was practised (its kept
        offset from UTC), or in ``tz`` when it kept none: a session at 21:30 in New York reads
        21:30 after a move to Berlin."""
        offset = float(self.offsets_min[row])
        zone = tz if np.isnan(offset) else timezone(timedelta(minutes=round(offset)))
        return datetime.fromtimestamp(float(self.stamps[row]), zone)

    def local_days(self, tz: tzinfo = UTC) -> IntArray:
        """Each session's calendar day as practised (date ordinals): by its kept offset from
        UTC, else in ``tz``; so the day agrees with the time :meth:`started_local` shows."""
        offsets_s = utc_offsets(self.stamps, tz)
        kept = ~np.isnan(self.offsets_min)
        if kept.any():
            offsets_s = np.where(kept, self.offsets_min * 60.0, offsets_s)
        days: IntArray = np.floor((self.stamps + offsets_s) / _DAY_S).astype(np.int64)
        return days + _EPOCH_ORDINAL

    def exercise_of(self, row: int) -> str:
        """The exercise id of the session at ``row``."""
        return self.exercise_ids[int(self.exercise[row])]

    def latest_titles(self) -> dict[str, str]:
        """Each exercise's title as it was last practised, by exercise id, most practised
        first."""
        codes, last_from_end, counts = np.unique(
            self.exercise[::-1], return_index=True, return_counts=True
        )
        last = len(self) - 1 - last_from_end
        ranked = sorted(
            zip(codes.tolist(), last.tolist(), counts.tolist(), strict=True),
            key=lambda c: (-c[2], c[0]),
        )
        return {self.exercise_ids[code]: self.titles[row] for code, row, _ in ranked}


def local_days(stamps: FloatArray, tz: tzinfo = UTC) -> IntArray:
    """Each moment's calendar day in ``tz``, as a date ordinal."""
    if stamps.size == 0:
        return np.zeros(0, dtype=np.int64)
    local = stamps + utc_offsets(stamps, tz)
    days: IntArray = np.floor(local / _DAY_S).astype(np.int64) + _EPOCH_ORDINAL
    return days


def utc_offsets(stamps: FloatArray, tz: tzinfo) -> FloatArray:
    """The offset from UTC (seconds) in ``tz`` at each moment.

    A fixed offset is plain arithmetic. For a zone with daylight saving the offset is looked up
    once a week across the span, and each change found between two looks is pinned to the
    second by bisection; so 20,000 sessions over years take milliseconds. (It assumes no zone
    changes its offset twice within one week, which none does.)
    """
    if stamps.size == 0:
        return np.zeros(0)
    if isinstance(tz, timezone):
        return np.full(stamps.shape, tz.utcoffset(None).total_seconds())
    start, end = float(stamps.min()), float(stamps.max())
    grid = np.arange(start, end + _WEEK_S, _WEEK_S)
    at_grid = [_offset_s(t, tz) for t in grid.tolist()]
    changes_at = [float(start)]
    offsets = [at_grid[0]]
    for i in range(len(at_grid) - 1):
        if at_grid[i] != at_grid[i + 1]:
            low, high = float(grid[i]), float(grid[i + 1])  # offset(low) != offset(high)
            while high - low > 1e-3:
                middle = (low + high) / 2
                if _offset_s(middle, tz) == at_grid[i]:
                    low = middle
                else:
                    high = middle
            changes_at.append(high)
            offsets.append(at_grid[i + 1])
    slot = np.searchsorted(np.array(changes_at), stamps, side="right") - 1
    return np.array(offsets)[np.clip(slot, 0, len(offsets) - 1)]


def local_noon(days: IntArray, tz: tzinfo = UTC) -> FloatArray:
    """Noon of each calendar day (ordinals) in ``tz``, as seconds since 1970 UTC."""
    noon_utc = (days - _EPOCH_ORDINAL).astype(np.float64) * _DAY_S + _DAY_S / 2
    result: FloatArray = noon_utc - utc_offsets(noon_utc, tz)
    return result


def _offset_s(stamp: float, tz: tzinfo) -> float:
    delta = datetime.fromtimestamp(stamp, tz).utcoffset()
    return delta.total_seconds() if delta is not None else 0.0


@dataclass(frozen=True, eq=False)
class RegionMarks:
    """Where it hurt for many sessions at once: one (session id, region) pair per mark, as
    arrays sorted by session id (``codes`` index ``names``)."""

    session_ids: IntArray
    codes: IntArray
    names: tuple[str, ...]

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[int, str]]) -> RegionMarks:
        """From (session id, region) pairs in any order; a pair given twice counts once."""
        listed = pairs if isinstance(pairs, list) else list(pairs)
        if not listed:
            return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), ())
        ids_column, regions_column = zip(*listed, strict=True)
        names, codes = np.unique(np.array(regions_column, dtype=object), return_inverse=True)
        ids = np.array(ids_column, dtype=np.int64)
        key = np.unique(ids * len(names) + codes.astype(np.int64))  # sorted, no repeats
        session_ids, codes = np.divmod(key, len(names))
        return cls(session_ids, codes, tuple(str(n) for n in names))

    @classmethod
    def from_mapping(cls, regions_by_session: Mapping[int, Collection[str]]) -> RegionMarks:
        """From a mapping of session id to the regions marked."""
        return cls.from_pairs(
            [
                (session_id, region)
                for session_id, regions in regions_by_session.items()
                for region in regions
            ]
        )

    def sessions_with(self, region: str) -> IntArray:
        """The ids of the sessions where ``region`` hurt."""
        if region not in self.names:
            return np.zeros(0, dtype=np.int64)
        ids: IntArray = self.session_ids[self.codes == self.names.index(region)]
        return ids

    def regions_of(self, session_id: int) -> tuple[str, ...]:
        """The regions marked in one session, in alphabetical order of their ids."""
        low, high = np.searchsorted(self.session_ids, [session_id, session_id + 1])
        return tuple(self.names[int(c)] for c in self.codes[low:high])

    def by_session(self) -> dict[int, tuple[str, ...]]:
        """The same as a mapping from session id to its regions."""
        found: dict[int, list[str]] = {}
        for session_id, code in zip(self.session_ids.tolist(), self.codes.tolist(), strict=True):
            found.setdefault(session_id, []).append(self.names[code])
        return {k: tuple(v) for k, v in found.items()}


def as_marks(regions: Mapping[int, Collection[str]] | RegionMarks | None) -> RegionMarks:
    """``regions`` as :class:`RegionMarks` (none given: no marks)."""
    if isinstance(regions, RegionMarks):
        return regions
    return RegionMarks.from_mapping(regions or {})


@dataclass(frozen=True)
class HistoryFilter:
    """Which sessions to show: a span of calendar days (inclusive; ``None`` = open), one
    exercise and one body region where it hurt (``""`` = any)."""

    first_day: date | None = None
    last_day: date | None = None
    exercise: str = ""
    region: str = ""

    def select(
        self,
        table: SessionTable,
        days: IntArray,
        regions: Mapping[int, Collection[str]] | RegionMarks | None = None,
    ) -> BoolArray:
        """A mask of the sessions of ``table`` (with their local ``days``) that pass."""
        keep = np.ones(len(table), dtype=np.bool_)
        if self.first_day is not None:
            keep &= days >= self.first_day.toordinal()
        if self.last_day is not None:
            keep &= days <= self.last_day.toordinal()
        if self.exercise:
            if self.exercise in table.exercise_ids:
                keep &= table.exercise == table.exercise_ids.index(self.exercise)
            else:
                keep[:] = False
        if self.region:
            keep &= np.isin(table.ids, as_marks(regions).sessions_with(self.region))
        return keep


def changes(table: SessionTable, measure: str) -> tuple[IntArray, FloatArray]:
    """Positions of the sessions with both ratings of ``measure`` given around the practice, and
    their change (after minus before; negative means lower after practice). An interrupted
    session's after-rating was given when the app next started, not just after practice, so it
    is left out, as the change figures leave it out (``trainer.analysis.progress``)."""
    before_col, after_col = RATING_COLUMNS[measure]
    before, after = table.ratings[:, before_col], table.ratings[:, after_col]
    late = np.array([s == SessionStatus.INTERRUPTED.value for s in table.statuses], dtype=bool)
    rows = np.flatnonzero((before != SKIPPED) & (after != SKIPPED) & ~late)
    return rows, (after[rows] - before[rows]).astype(np.float64)


def rolling_mean(
    days: IntArray, values: IntArray, window_days: int = ROLLING_DAYS
) -> tuple[IntArray, FloatArray]:
    """The mean of ``values`` (skips left out) over each ``window_days``-day window ending on a
    day with a value: returns those days and the means. Days without a value get no point, so
    a gap in practice is a gap in the line, not a made-up figure."""
    has = values != SKIPPED
    if not has.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    d, v = days[has], values[has].astype(np.float64)
    first = int(d.min())
    span = int(d.max()) - first + 1
    sums = np.bincount(d - first, weights=v, minlength=span)
    counts = np.bincount(d - first, minlength=span).astype(np.float64)
    csum = np.concatenate(([0.0], np.cumsum(sums)))
    ccount = np.concatenate(([0.0], np.cumsum(counts)))
    ends = np.arange(1, span + 1)
    starts = np.maximum(ends - window_days, 0)
    window_sum, window_count = csum[ends] - csum[starts], ccount[ends] - ccount[starts]
    shown = counts > 0
    return (np.flatnonzero(shown) + first).astype(np.int64), window_sum[shown] / window_count[shown]


@dataclass(frozen=True)
class Calendar:
    """Minutes practised per day over a period (``first_day`` to ``last_day``, both shown), laid
    out in whole weeks, Monday first, from ``grid_start`` (the Monday of ``first_day``'s week).

    ``minutes[w, d]`` is week ``w`` (oldest first), weekday ``d`` (0 = Monday). Days outside the
    period, and days after today without practice, are NaN so they are drawn empty rather than
    as "no practice". ``days_practised`` counts the days of the period with practice.
    ``streak`` is the current run of days with practice: it ends today, or yesterday while today
    has none yet (the day is not over).
    """

    first_day: date
    last_day: date
    grid_start: date
    minutes: FloatArray
    streak: int
    days_practised: int

    def day(self, week: int, weekday: int) -> date:
        """The calendar day in the grid at (``week``, ``weekday``)."""
        return self.grid_start + timedelta(days=7 * week + weekday)

    def shown(self, week: int, weekday: int) -> bool:
        """Whether the grid's day at (``week``, ``weekday``) lies in the period."""
        return self.first_day <= self.day(week, weekday) <= self.last_day


@dataclass(frozen=True)
class DailyPractice:
    """Practice per day over consecutive days from ``first``: minutes practised, sessions, and
    whether the day counts as a day of practice (a session with time practised; one left
    straight away does not). The one place the history's calendar and the report count days."""

    first: date
    minutes: FloatArray
    sessions: IntArray
    practised: npt.NDArray[np.bool_]


def daily_practice(
    days: IntArray, practised_s: FloatArray, first: date, n_days: int
) -> DailyPractice:
    """:class:`DailyPractice` of the sessions on local ``days`` (ordinals) with ``practised_s``
    seconds each, over ``n_days`` days from ``first``; sessions on other days are left out."""
    offset = days - first.toordinal()
    inside = (offset >= 0) & (offset < n_days)
    at, seconds = offset[inside], practised_s[inside]
    return DailyPractice(
        first=first,
        minutes=np.bincount(at, weights=seconds / 60.0, minlength=n_days).astype(np.float64),
        sessions=np.bincount(at, minlength=n_days),
        practised=np.bincount(at[seconds > 0], minlength=n_days) > 0,
    )


def practice_calendar(
    days: IntArray,
    practised_s: FloatArray,
    today: date,
    weeks: int = 26,
    *,
    first_day: date | None = None,
    last_day: date | None = None,
) -> Calendar:
    """Minutes practised per day from ``first_day`` to ``last_day`` (by default: the ``weeks``
    whole weeks up to ``today``); see :class:`Calendar`. A session with no time practised (left
    straight away) does not count as a day of practice."""
    last = today if last_day is None else last_day
    if first_day is None:
        first_day = last - timedelta(days=last.weekday() + 7 * (weeks - 1))
    first = min(first_day, last)
    grid_start = first - timedelta(days=first.weekday())
    weeks = (last - grid_start).days // 7 + 1
    daily = daily_practice(days, practised_s, grid_start, 7 * weeks)
    minutes = daily.minutes.copy()
    grid = np.arange(7 * weeks) + grid_start.toordinal()
    in_period = (grid >= first.toordinal()) & (grid <= last.toordinal())
    to_come = (grid > today.toordinal()) & (minutes == 0)
    minutes[~in_period | to_come] = np.nan
    return Calendar(
        first_day=first,
        last_day=last,
        grid_start=grid_start,
        minutes=minutes.reshape(weeks, 7),
        streak=current_streak(days[practised_s > 0], today),
        days_practised=int(np.count_nonzero(daily.practised[in_period])),
    )


def current_streak(practice_days: IntArray, today: date) -> int:
    """Days in a row with practice, ending today or (while today has none) yesterday."""
    practised = set(np.unique(practice_days).tolist())
    day = today.toordinal()
    if day not in practised:
        day -= 1
    streak = 0
    while day in practised:
        streak += 1
        day -= 1
    return streak


@dataclass(frozen=True)
class PracticeGlance:
    """The practice so far at a glance (the line at the top of the history): minutes and days
    of practice in the 7 days ending today, days of practice in all, and the current streak."""

    week_minutes: float
    week_days: int
    days_practised: int
    streak: int


def practice_glance(days: IntArray, practised_s: FloatArray, today: date) -> PracticeGlance:
    """:class:`PracticeGlance` of sessions on local ``days`` with ``practised_s`` seconds each;
    a session with no time practised (left straight away) makes no day of practice."""
    practised = practised_s > 0
    week = practised & (days > today.toordinal() - 7) & (days <= today.toordinal())
    return PracticeGlance(
        week_minutes=float(practised_s[week].sum() / 60.0),
        week_days=int(np.unique(days[week]).size),
        days_practised=int(np.unique(days[practised]).size),
        streak=current_streak(days[practised], today),
    )
