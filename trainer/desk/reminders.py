"""Practice reminders for desk users: when the next one is due, as a pure function of the time.

A :class:`ReminderPlan` says when reminders come (at set times of day, or every N minutes within
working hours, on chosen weekdays). A :class:`ReminderState` says what has happened since (the
last reminder shown, a snooze, a pause); both are saved as text, so a restart neither forgets a
pause nor shifts the times. Nothing here keeps time: callers pass "now" in UTC and the person's
time zone (``trainer.session.clock.LocalZone`` or a ``zoneinfo.ZoneInfo``).

Times of day are wall-clock times in that zone, so 10:30 stays 10:30 across a change to or from
daylight saving. An interval counts from the start of the working day (09:00, 10:00, ... for
hourly reminders from 09:00), never from when the app started, so a restart does not move them.
Reminders missed while the computer slept or the app was closed are never shown in a burst: the
latest one is shown if it was missed by at most :data:`MISSED_GRACE_MIN` minutes, else the next
one is awaited.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Final

from trainer.app.settings import Preferences
from trainer.errors import ReminderError, SafeSignalError
from trainer.session.clock import iso_utc, parse_iso_utc

PLAN_KEY: Final = "reminder_plan"
STATE_KEY: Final = "reminder_state"
FORMAT_VERSION: Final = 1

MIN_INTERVAL_MIN: Final = 15
MAX_INTERVAL_MIN: Final = 240
MAX_TIMES: Final = 12
MIN_SNOOZE_MIN: Final = 5
MAX_SNOOZE_MIN: Final = 60
MISSED_GRACE_MIN: Final = 15  # a reminder missed by at most this long is still shown (once)
DAYS_SEARCHED: Final = 15  # every valid plan has a reminder within any 7 days

WEEKDAY_NAMES: Final = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
WEEKDAY_SHORT: Final = tuple(name[:3] for name in WEEKDAY_NAMES)

_CLOCK_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


class ReminderMode(StrEnum):
    """How the reminder times are chosen."""

    TIMES = "times"  # at set times of day
    INTERVAL = "interval"  # every N minutes within working hours


def clock_text(moment: time) -> str:
    """A time of day as ``HH:MM`` (24-hour), as the plan is saved and shown."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def parse_clock_text(text: object, what: str) -> time:
    """``HH:MM`` back into a time of day; anything else is a :class:`ReminderError`."""
    if not isinstance(text, str) or _CLOCK_TIME.fullmatch(text) is None:
        raise ReminderError(f"{what} must be a time of day such as 09:30; got {text!r}.")
    return time(int(text[:2]), int(text[3:]))


@dataclass(frozen=True)
class ReminderPlan:
    """When reminders come; every plan that exists is valid (see :meth:`__post_init__`).

    In ``times`` mode only ``times`` are used; in ``interval`` mode a reminder comes every
    ``interval_min`` minutes after ``work_start`` and strictly before ``work_end`` (hourly from
    09:00 to 17:00: 10:00 to 16:00). ``weekdays`` are 0 (Monday) to 6 (Sunday) in both modes.
    """

    enabled: bool = False
    mode: ReminderMode = ReminderMode.TIMES
    times: tuple[time, ...] = (time(10, 30), time(15, 0))
    interval_min: int = 60
    work_start: time = time(9, 0)
    work_end: time = time(17, 0)
    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    snooze_min: int = 10

    def __post_init__(self) -> None:
        """Check the plan (a :class:`ReminderError` names what is wrong); sort the times."""
        times = tuple(t.replace(second=0, microsecond=0, tzinfo=None) for t in self.times)
        object.__setattr__(self, "mode", ReminderMode(self.mode))
        object.__setattr__(self, "times", tuple(sorted(times)))
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        object.__setattr__(self, "work_start", self.work_start.replace(second=0, microsecond=0))
        object.__setattr__(self, "work_end", self.work_end.replace(second=0, microsecond=0))
        self._validate(times)

    def _validate(self, times_given: tuple[time, ...]) -> None:
        if not self.weekdays:
            raise ReminderError("Choose at least one day of the week for reminders.")
        odd_days = sorted(day for day in self.weekdays if not 0 <= day <= 6)
        if odd_days:
            raise ReminderError(
                f"Days of the week are numbered 0 (Monday) to 6 (Sunday); got {odd_days[0]}."
            )
        if not MIN_SNOOZE_MIN <= self.snooze_min <= MAX_SNOOZE_MIN:
            raise ReminderError(
                f"A snooze lasts {MIN_SNOOZE_MIN} to {MAX_SNOOZE_MIN} minutes; "
                f"{self.snooze_min} minutes is outside that."
            )
        if self.mode is ReminderMode.TIMES:
            if not times_given:
                raise ReminderError("Add at least one time of day for reminders.")
            seen: set[time] = set()
            for moment in times_given:
                if moment in seen:
                    raise ReminderError(
                        f"{clock_text(moment)} is in the list of times twice; keep it once."
                    )
                seen.add(moment)
            if len(times_given) > MAX_TIMES:
                raise ReminderError(
                    f"Reminders can come at up to {MAX_TIMES} times a day; "
                    f"there are {len(times_given)}."
                )
            return
        if not MIN_INTERVAL_MIN <= self.interval_min <= MAX_INTERVAL_MIN:
            raise ReminderError(
                f"Reminders can come every {MIN_INTERVAL_MIN} to {MAX_INTERVAL_MIN} minutes; "
                f"{self.interval_min} minutes is outside that."
            )
        start, end = clock_text(self.work_start), clock_text(self.work_end)
        if self.work_end <= self.work_start:
            raise ReminderError(
                f"Working hours must end after they start; {start} to {end} does not."
            )
        if _minutes(self.work_end) - _minutes(self.work_start) <= self.interval_min:
            raise ReminderError(
                f"From {start} to {end} there is no room for a reminder every "
                f"{self.interval_min} minutes; make the hours longer or the interval shorter."
            )

    # -- the times on one day -----------------------------------------------------------------------

    def times_of_day(self) -> tuple[time, ...]:
        """The wall-clock times of one chosen day's reminders, in order."""
        if self.mode is ReminderMode.TIMES:
            return self.times
        first, last = _minutes(self.work_start), _minutes(self.work_end)
        return tuple(
            time(*divmod(minute, 60))
            for minute in range(first + self.interval_min, last, self.interval_min)
        )

    def slots_on(self, day: date, tz: tzinfo) -> list[datetime]:
        """The moments (UTC) of the reminders on the local date ``day`` (none on a day off)."""
        if day.weekday() not in self.weekdays:
            return []
        local = (datetime.combine(day, moment, tzinfo=tz) for moment in self.times_of_day())
        return sorted({moment.astimezone(UTC) for moment in local})

    def describe(self) -> str:
        """A short summary such as ``Mon-Fri at 10:30 and 15:00``."""
        if not self.enabled:
            return "Reminders are off."
        days = weekdays_text(self.weekdays)
        if self.mode is ReminderMode.TIMES:
            listed = [clock_text(t) for t in self.times]
            when = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
            return f"{days} at {when}"
        start, end = clock_text(self.work_start), clock_text(self.work_end)
        return f"{days}, every {self.interval_min} minutes from {start} to {end}"

    # -- saving ---------------------------------------------------------------------------------

    def to_text(self) -> str:
        """The plan as JSON, for the settings."""
        return json.dumps(
            {
                "version": FORMAT_VERSION,
                "enabled": self.enabled,
                "mode": self.mode.value,
                "times": [clock_text(t) for t in self.times],
                "interval_min": self.interval_min,
                "work_start": clock_text(self.work_start),
                "work_end": clock_text(self.work_end),
                "weekdays": sorted(self.weekdays),
                "snooze_min": self.snooze_min,
            },
            sort_keys=True,
        )

    @classmethod
    def from_text(cls, text: str) -> ReminderPlan:
        """A plan saved by :meth:`to_text`; anything else is a :class:`ReminderError`."""
        data = _json_object(text, "reminder settings", _PLAN_KEYS)
        default = cls()
        mode_text = data.get("mode", default.mode.value)
        if not isinstance(mode_text, str) or mode_text not in {m.value for m in ReminderMode}:
            raise ReminderError(f"The saved reminder settings have an unknown mode {mode_text!r}.")
        mode = ReminderMode(str(mode_text))
        times = data.get("times", [clock_text(t) for t in default.times])
        if not isinstance(times, list):
            raise ReminderError(f"The saved reminder times must be a list; got {times!r}.")
        weekdays = data.get("weekdays", sorted(default.weekdays))
        if not isinstance(weekdays, list):
            raise ReminderError(f"The saved reminder days must be a list; got {weekdays!r}.")
        return cls(
            enabled=_boolean(data.get("enabled", default.enabled), "Whether reminders are on"),
            mode=mode,
            times=tuple(parse_clock_text(t, "A reminder time") for t in times),
            interval_min=_whole(data.get("interval_min", default.interval_min), "The interval"),
            work_start=parse_clock_text(
                data.get("work_start", clock_text(default.work_start)), "The start of work"
            ),
            work_end=parse_clock_text(
                data.get("work_end", clock_text(default.work_end)), "The end of work"
            ),
            weekdays=frozenset(_whole(day, "A day of the week") for day in weekdays),
            snooze_min=_whole(data.get("snooze_min", default.snooze_min), "The snooze"),
        )


_PLAN_KEYS: Final = frozenset(
    {
        "version",
        "enabled",
        "mode",
        "times",
        "interval_min",
        "work_start",
        "work_end",
        "weekdays",
        "snooze_min",
    }
)
_STATE_KEYS: Final = frozenset({"version", "snoozed_until", "paused_until", "last_shown_at"})


@dataclass(frozen=True)
class ReminderState:
    """What must survive a restart: a snooze, a pause and the last reminder shown (all UTC).

    ``last_shown_at`` is also set when the plan changes, so that reminders from before the
    change are not owed.
    """

    snoozed_until: datetime | None = None
    paused_until: datetime | None = None
    last_shown_at: datetime | None = None

    def __post_init__(self) -> None:
        """Timestamps must carry a time zone; they are kept in UTC."""
        for name in ("snoozed_until", "paused_until", "last_shown_at"):
            moment = getattr(self, name)
            if moment is not None:
                object.__setattr__(self, name, _utc(moment))

    def to_text(self) -> str:
        """The state as JSON (to the second), for the settings."""

        def stamp(moment: datetime | None) -> str | None:
            return None if moment is None else iso_utc(moment)

        return json.dumps(
            {
                "version": FORMAT_VERSION,
                "snoozed_until": stamp(self.snoozed_until),
                "paused_until": stamp(self.paused_until),
                "last_shown_at": stamp(self.last_shown_at),
            },
            sort_keys=True,
        )

    @classmethod
    def from_text(cls, text: str) -> ReminderState:
        """A state saved by :meth:`to_text`; anything else is a :class:`ReminderError`."""
        data = _json_object(text, "reminder state", _STATE_KEYS)

        def moment(key: str) -> datetime | None:
            value = data.get(key)
            if value is None:
                return None
            if isinstance(value, str):
                try:
                    parsed = parse_iso_utc(value)
                except (ValueError, OverflowError):  # OverflowError: beyond the calendar in UTC
                    parsed = None
                # Years the app can reach: a year 9999 pause left no room to count days after it.
                if parsed is not None and _FIRST_YEAR <= parsed.year <= _LAST_YEAR:
                    return parsed
            raise ReminderError(f"The saved reminder state has a bad {key}: {value!r}.")

        return cls(
            snoozed_until=moment("snoozed_until"),
            paused_until=moment("paused_until"),
            last_shown_at=moment("last_shown_at"),
        )


DEFAULT_PLAN: Final = ReminderPlan()
_FIRST_YEAR: Final = 1970  # saved moments outside these years are from a broken clock or file
_LAST_YEAR: Final = 9000


# -- loading and saving through preferences ----------------------------------------------------------


def load_plan(prefs: Preferences, problems: list[str] | None = None) -> ReminderPlan:
    """The saved plan, or the default one (off) when none is saved or it cannot be read.

    What went wrong, if anything, is appended to ``problems``.
    """
    try:
        text = prefs.get(PLAN_KEY, "")
        return ReminderPlan.from_text(text) if text else DEFAULT_PLAN
    except SafeSignalError as exc:
        if problems is not None:
            problems.append(f"The reminder settings could not be read, so they are off: {exc}")
        return DEFAULT_PLAN


def load_state(prefs: Preferences, problems: list[str] | None = None) -> ReminderState:
    """The saved state, or a fresh one when none is saved or it cannot be read."""
    try:
        text = prefs.get(STATE_KEY, "")
        return ReminderState.from_text(text) if text else ReminderState()
    except SafeSignalError as exc:
        if problems is not None:
            problems.append(f"The reminder state could not be read and was reset: {exc}")
        return ReminderState()


def save_plan(prefs: Preferences, plan: ReminderPlan) -> None:
    """Save ``plan`` (a :class:`SafeSignalError` if the settings cannot be written)."""
    prefs.set(PLAN_KEY, plan.to_text())


def save_state(prefs: Preferences, state: ReminderState) -> None:
    """Save ``state`` (a :class:`SafeSignalError` if the settings cannot be written)."""
    prefs.set(STATE_KEY, state.to_text())


# -- when the next reminder is due ---------------------------------------------------------------


def next_due(
    plan: ReminderPlan, state: ReminderState, now_utc: datetime, tz: tzinfo
) -> datetime | None:
    """The moment (UTC) the next reminder is due; ``None`` when reminders are off.

    A moment at or before ``now_utc`` means "show one now": it is the latest reminder missed
    by at most :data:`MISSED_GRACE_MIN` minutes, strictly after the last one shown. Older ones
    are dropped, as are those during a pause (even one that has ended). A pending snooze stands
    in for every regular reminder before it.
    """
    if not plan.enabled:
        return None
    now = _utc(now_utc)
    floor = now - timedelta(minutes=MISSED_GRACE_MIN)  # nothing older is owed
    if state.paused_until is not None:
        floor = max(floor, state.paused_until)
    # A last reminder "in the future" means the clock was put back: count from now instead.
    after = None if state.last_shown_at is None else min(state.last_shown_at, now)
    snooze = state.snoozed_until
    # A snooze further ahead than any snooze can be was made by a clock that was wrong.
    if snooze is not None and floor <= snooze <= now + timedelta(minutes=MAX_SNOOZE_MIN):
        return snooze
    missed = None
    for slot in _slots_from(plan, tz, floor if after is None else max(floor, after)):
        if slot < floor or (after is not None and slot <= after):
            continue
        if slot <= now:
            missed = slot  # keep only the latest one
            continue
        return missed if missed is not None else slot
    return missed


def _slots_from(plan: ReminderPlan, tz: tzinfo, moment: datetime) -> Iterator[datetime]:
    """Every reminder moment (UTC) from the local day of ``moment`` on, for a few weeks."""
    first_day = moment.astimezone(tz).date()
    for offset in range(DAYS_SEARCHED):
        yield from plan.slots_on(first_day + timedelta(days=offset), tz)


def shown(state: ReminderState, now_utc: datetime) -> ReminderState:
    """The state after a reminder was shown at ``now_utc`` (any snooze is used up)."""
    return replace(state, last_shown_at=_utc(now_utc), snoozed_until=None)


def snooze(state: ReminderState, now_utc: datetime, minutes: int) -> ReminderState:
    """The state after "snooze": remind again ``minutes`` from now, and not before."""
    now = _utc(now_utc)
    return replace(state, snoozed_until=now + timedelta(minutes=minutes), last_shown_at=now)


def pause_until(state: ReminderState, until_utc: datetime) -> ReminderState:
    """The state after pausing reminders until ``until_utc`` (a pending snooze is dropped)."""
    return replace(state, paused_until=_utc(until_utc), snoozed_until=None)


def resume(state: ReminderState, now_utc: datetime) -> ReminderState:
    """The state after resuming: the pause ends now; what it covered is not shown later."""
    now = _utc(now_utc)
    if state.paused_until is None or state.paused_until <= now:
        return state
    return replace(state, paused_until=now)


def plan_changed(state: ReminderState, now_utc: datetime) -> ReminderState:
    """The state after the person saved a new plan: nothing from before now is owed."""
    return replace(state, last_shown_at=_utc(now_utc), snoozed_until=None)


def is_paused(state: ReminderState, now_utc: datetime) -> bool:
    """Whether reminders are paused at ``now_utc``."""
    return state.paused_until is not None and state.paused_until > _utc(now_utc)


def start_of_tomorrow(now_utc: datetime, tz: tzinfo) -> datetime:
    """Local midnight at the start of the day after ``now_utc``'s, in UTC."""
    today = _utc(now_utc).astimezone(tz).date()
    return datetime.combine(today + timedelta(days=1), time(0, 0), tzinfo=tz).astimezone(UTC)


# -- words --------------------------------------------------------------------------------------------


def weekdays_text(weekdays: Iterable[int]) -> str:
    """``Mon-Fri``, ``Every day``, ``Mon, Wed and Fri``, ``Sat-Sun``."""
    days = sorted(set(weekdays))
    if len(days) == 7:
        return "Every day"
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAY_SHORT[days[0]]}-{WEEKDAY_SHORT[days[-1]]}"
    names = [WEEKDAY_SHORT[day] for day in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def when_text(moment_utc: datetime, now_utc: datetime, tz: tzinfo) -> str:
    """``today at 15:00``, ``tomorrow at 10:30`` or ``on Monday at 10:30`` (within a week),
    else ``on 3 March at 10:30``."""
    local, today = moment_utc.astimezone(tz), _utc(now_utc).astimezone(tz).date()
    at = f"at {clock_text(local.time())}"
    days = (local.date() - today).days
    if days <= 0:
        return f"today {at}"
    if days == 1:
        return f"tomorrow {at}"
    if days < 7:
        return f"on {WEEKDAY_NAMES[local.weekday()]} {at}"
    return f"on {local.day} {local.strftime('%B')} {at}"


def status_text(plan: ReminderPlan, state: ReminderState, now_utc: datetime, tz: tzinfo) -> str:
    """One line on what comes next: off, paused until when, snoozed, or the next reminder."""
    if not plan.enabled:
        return "Reminders are off."
    now = _utc(now_utc)
    if is_paused(state, now):
        assert state.paused_until is not None
        if state.paused_until == start_of_tomorrow(now, tz):
            return "Reminders are paused until tomorrow."
        return f"Reminders are paused until {when_text(state.paused_until, now, tz)}."
    due = next_due(plan, state, now, tz)
    if due is None:  # a valid plan always has one; kept for safety
        return "No reminder is planned."
    if due <= now:
        return "A reminder is due now."
    if due == state.snoozed_until:
        return f"Snoozed: the next reminder is {when_text(due, now, tz)}."
    return f"Next reminder {when_text(due, now, tz)}."


# -- helpers ------------------------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"reminder times must carry a time zone; got the naive {moment!r}")
    return moment.astimezone(UTC)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _json_object(text: str, what: str, keys: frozenset[str]) -> dict[str, object]:
    try:
        data = json.loads(text)
    except (ValueError, TypeError) as exc:
        raise ReminderError(f"The saved {what} could not be read ({exc}).") from None
    except RecursionError:
        raise ReminderError(f"The saved {what} could not be read (nested far too deep).") from None
    if not isinstance(data, dict):
        raise ReminderError(f"The saved {what} could not be read (not a JSON object).")
    unknown = sorted(set(data) - keys)
    if unknown:
        raise ReminderError(f"The saved {what} could not be read (unknown entry {unknown[0]!r}).")
    version = data.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise ReminderError(
            f"The saved {what} could not be read (format {version!r}, from another version "
            f"of Safe Signal; this one reads format {FORMAT_VERSION})."
        )
    return data


def _boolean(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise ReminderError(f"{what} must be true or false; got {value!r}.")
    return value


def _whole(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReminderError(f"{what} must be a whole number; got {value!r}.")
    return value
