"""What the clinician's PDF report says: which sessions it covers, the analysis of them, every
figure as text with the number of sessions behind it, and what came with the practice: how much
there was and on which days, how sessions ended, sessions where a rating rose, the areas marked
over time, and every note in full. ``ui/report/document.py`` lays it out and draws it;
this part has no Qt, so the words and numbers are tested on their own.

A figure below the minimum number of sessions is never shown as a number: its cell holds the
reason instead ("not enough sessions yet: 3 of 5"), as :mod:`trainer.analysis.progress` gives it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

import numpy as np

from trainer.analysis.history import (
    AFTER_PAIN,
    AFTER_TENSION,
    BEFORE_PAIN,
    BEFORE_TENSION,
    RATING_COLUMNS,
    SKIPPED,
    BoolArray,
    FloatArray,
    HistoryFilter,
    IntArray,
    RegionMarks,
    SessionTable,
    as_marks,
    daily_practice,
)
from trainer.analysis.progress import (
    DROP_PERCENT,
    DROP_PERCENT_FROM,
    DROP_POINTS,
    MIN_DAYS_TREND,
    MIN_SESSIONS_CHANGE,
    MIN_SESSIONS_TREND,
    WINDOW_DAYS,
    Analysis,
    ChangeStats,
    Figure,
    GroupChange,
    SignedRankTest,
    TrendStats,
    analyse,
    interval_digits,
    summary,
    tenths,
)
from trainer.app.words import SKIPPED_MARK, days_text, hours_text, sessions_text, status_text
from trainer.content.bodymap import label as region_label
from trainer.session.machine import SessionStatus

TITLE: Final = "Safe Signal — practice report"
HEALTH_NOTE: Final = "This report contains personal health information. Please keep it private."
NOT_A_DIAGNOSIS: Final = (
    "This is a record of practice kept by the person themselves, not a diagnosis or an "
    "assessment. Ratings are their own, from 0 (none) to 10 (worst imaginable)."
)
ABOUT_FIGURES: Final = (
    "Within-session change is the rating just after a practice minus the rating just before it, "
    "so a negative number means lower after practice. It shows how practice feels in the "
    "moment; it is not evidence that pain is changing over weeks. Interrupted sessions are left "
    "out of it, because their after-ratings were given when the app next started, and completed "
    "sessions are also shown on their own.",
    "The long-term trend follows the before-practice ratings over the weeks. They can move for "
    "many reasons besides practice, so the trend shows what happened, not why. Three matter "
    "most. People often start when they feel at their worst, and a bad spell tends to ease on "
    "its own (regression to the mean), so part of a fall since the first weeks can be that. "
    "Hoping to feel better can itself lower the ratings people give (expectation). And there is "
    "no comparison: no stretch of weeks without the exercises to set against these, so the "
    "figures cannot show what would have happened without them.",
    f"Every figure gives the number of sessions behind it (n). Below {MIN_SESSIONS_CHANGE} "
    f"sessions with both ratings, or {MIN_SESSIONS_TREND} sessions over {MIN_DAYS_TREND} days "
    "for the trend, the reason is shown instead of a number. Intervals of mean changes are 95% "
    "Student t intervals over sessions, and the difference of the first and most recent "
    f"{WINDOW_DAYS} days has a 95% Welch interval; where every value was the same, no interval "
    f"can be computed and the table says so. A fall counts as meaningful ({DROP_POINTS} points, "
    f"or {DROP_PERCENT}% from {DROP_PERCENT_FROM} or above) only when its interval leaves out no "
    "change. These intervals, and the "
    "slope's, treat ratings as independent, which ratings on nearby days are not, so read them "
    "as a minimum.",
)
MINUS: Final = "\u2212"
_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_OFFSET_NAME: Final = re.compile(r"((UTC|GMT)([+-][\d:]+)?)?")  # no more than the offset says
_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class ReportContent:
    """The sessions a report covers (oldest first, with their local days) and what they show."""

    profile_name: str
    created_at: datetime
    tz: tzinfo
    today: date
    first_day: date | None  # the range asked for (None: open)
    last_day: date | None
    exercise: str  # only this exercise's sessions (its id; "" for all)
    exercise_title: str
    region: str  # only sessions where this area hurt ("" for all)
    table: SessionTable
    days: IntArray
    regions: RegionMarks = field(repr=False)
    analysis: Analysis = field(repr=False)
    summary: tuple[str, ...]

    @property
    def n_sessions(self) -> int:
        """How many sessions the report covers."""
        return len(self.table)


def prepare_report(
    table: SessionTable,
    regions: Mapping[int, Collection[str]] | RegionMarks | None = None,
    *,
    profile_name: str,
    tz: tzinfo,
    today: date,
    created_at: datetime,
    first_day: date | None = None,
    last_day: date | None = None,
    exercise: str = "",
    region: str = "",
) -> ReportContent:
    """Pick the sessions from ``first_day`` to ``last_day`` (calendar days in ``tz``, both
    included; ``None`` leaves that end open) that are not after ``today``, and analyse them.
    With ``exercise`` (an exercise id) only that exercise's sessions count, and with ``region``
    only sessions where that area was marked as hurting."""
    end = today if last_day is None else min(today, last_day)
    days = table.local_days(tz)
    where = as_marks(regions)
    asked = HistoryFilter(first_day, last_day, exercise, region).select(table, days, where)
    keep = asked & (days <= end.toordinal())
    later = int(np.count_nonzero(asked & (days > today.toordinal())))  # said, not dropped silently
    chosen = table.take(keep)
    analysis = analyse(chosen, where, today=end, tz=tz, days=days[keep], after_today=later)
    return ReportContent(
        profile_name=profile_name,
        created_at=created_at,
        tz=tz,
        today=today,
        first_day=first_day,
        last_day=last_day,
        exercise=exercise,
        exercise_title=table.latest_titles().get(exercise, exercise) if exercise else "",
        region=region,
        table=chosen,
        days=days[keep],
        regions=where,
        analysis=analysis,
        summary=summary(analysis),
    )


# -- dates and times ----------------------------------------------------------------------------
# Written out here rather than with strftime, whose month names follow the process's locale
# (which Qt sets from the environment): the report is in English throughout.


def day_text(day: date, *, weekday: bool = False) -> str:
    """``3 Jun 2024`` (``Mon 3 Jun 2024``)."""
    text = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{_WEEKDAYS[day.weekday()]} {text}" if weekday else text


def short_day_text(day: date, *, year: bool = False) -> str:
    """``3 Jun`` (``3 Jun 2024``), for plot axes."""
    return f"{day.day} {_MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")


def month_text(day: date) -> str:
    """``Jun 2024``."""
    return f"{_MONTHS[day.month - 1]} {day.year}"


def moment_text(moment: datetime) -> str:
    """``Mon 03 Jun 2024 09:30``, the session table's local start."""
    return (
        f"{_WEEKDAYS[moment.weekday()]} {moment.day:02d} {_MONTHS[moment.month - 1]} "
        f"{moment.year} {moment.hour:02d}:{moment.minute:02d}"
    )


def zone_text(tz: tzinfo, at: datetime) -> str:
    """The zone's name and its offset at ``at``: ``Europe/Berlin, UTC+02:00``."""
    local = at.astimezone(tz)
    name = getattr(tz, "key", None) or local.tzname() or ""
    offset = local.utcoffset() or timedelta(0)
    minutes = round(offset.total_seconds() / 60)
    sign = "+" if minutes >= 0 else MINUS
    hours, mins = divmod(abs(minutes), 60)
    utc = f"UTC{sign}{hours:02d}:{mins:02d}"
    return utc if _OFFSET_NAME.fullmatch(name) else f"{name}, {utc}"


def created_text(content: ReportContent) -> str:
    """When the report was made, in the person's zone."""
    local = content.created_at.astimezone(content.tz)
    return (
        f"{day_text(local.date())} at {local.hour:02d}:{local.minute:02d} "
        f"({zone_text(content.tz, content.created_at)}); all times are in this zone"
    )


def range_text(content: ReportContent) -> str:
    """The range of days asked for, in words."""
    first, last = content.first_day, content.last_day
    if first is None and last is None:
        text = "All sessions"
    elif last is None:
        assert first is not None
        text = f"Sessions since {day_text(first)}"
    elif first is None:
        text = f"Sessions up to {day_text(last)}"
    else:
        text = f"Sessions from {day_text(first)} to {day_text(last)}"
    if content.exercise:
        text += f" of {content.exercise_title}"
    if content.region:
        text += f" where the {_region_words(content.region)} hurt"
    return text


def covered_text(content: ReportContent) -> str:
    """How many sessions the report covers and from which day to which."""
    n = content.n_sessions
    if n == 0:
        return "No sessions in this range."
    first = date.fromordinal(int(content.days[0]))
    last = date.fromordinal(int(content.days[-1]))
    if first == last:
        return f"{sessions_text(n)}, on {day_text(first, weekday=True)}"
    return f"{sessions_text(n)}, from {day_text(first)} to {day_text(last)}"


def _region_words(region: str) -> str:
    try:
        return region_label(region).lower()
    except ValueError:
        return region.replace("_", " ")


# -- figures as text ----------------------------------------------------------------------------


def signed(value: float, digits: int = 1) -> str:
    """A change with its sign: ``-1.2``, ``+0.8``, ``0.0`` (with a true minus sign, U+2212)."""
    text = f"{abs(value):.{digits}f}"
    if float(text) == 0:
        return text
    return (MINUS if value < 0 else "+") + text


def _ci_text(low: float, high: float, digits: int) -> str:
    """``95% CI -1.6 to -0.8``: ends that are not 0 get the decimals to show their sign."""
    more = interval_digits(low, high, digits)
    return f"95% CI {signed(low, more)} to {signed(high, more)}"


def change_text(figure: Figure) -> str:
    """A mean change with its 95% CI: ``-1.2 (95% CI -1.6 to -0.8)``, why it has none, or the
    reason it is not shown."""
    if figure.value is None:
        return figure.reason
    if figure.low is None or figure.high is None:
        if figure.no_interval:
            return f"{signed(figure.value)} ({figure.no_interval})"
        return signed(figure.value)
    return f"{signed(figure.value)} ({_ci_text(figure.low, figure.high, 1)})"


def median_text(figure: Figure) -> str:
    """A median change with its sign, or the reason."""
    return figure.reason if figure.value is None else signed(figure.value)


def p_text(test: SignedRankTest) -> str:
    """``p = 0.003 (exact)``, ``p < 0.001 (normal approximation)``, or why there is none."""
    if test.p_value is None:
        return test.reason
    p = test.p_value
    shown = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
    return f"{shown} ({test.method})"


def share_text(figure: Figure) -> str:
    """``12 of 40 (30%)``, or the reason."""
    if figure.value is None or figure.count is None:
        return figure.reason
    return f"{figure.count:,} of {figure.n:,} ({100 * figure.value:.0f}%)"


def window_text(figure: Figure) -> str:
    """A window's mean before-rating: ``5.8 (n = 12)``, or the reason."""
    if figure.value is None:
        return figure.reason
    return f"{figure.value:.1f} (n = {figure.n:,})"


def slope_text(figure: Figure) -> str:
    """``-0.12 points a week (95% CI -0.20 to -0.04)``, why it has no interval, or the reason."""
    if figure.value is None:
        return figure.reason
    if figure.low is None or figure.high is None:
        why = figure.no_interval or "no interval"
        return f"{signed(figure.value, 2)} points a week ({why})"
    return f"{signed(figure.value, 2)} points a week ({_ci_text(figure.low, figure.high, 2)})"


@dataclass(frozen=True)
class FigureRow:
    """One row of the figures table: what it is, then pain's and tension's value."""

    label: str
    pain: str
    tension: str


@dataclass(frozen=True)
class FigureSection:
    """A titled group of rows of the figures table."""

    title: str
    rows: tuple[FigureRow, ...]


def _change_rows(
    pain: ChangeStats,
    tension: ChangeStats,
    completed: tuple[ChangeStats, ChangeStats] | None = None,
    interrupted: int = 0,
) -> tuple[FigureRow, ...]:
    """The rows of the within-session change; with ``completed`` (pain's and tension's change
    over completed sessions only) a row of those, and a row of the ``interrupted`` sessions
    left out."""

    def row(label: str, text: Callable[[ChangeStats], str]) -> FigureRow:
        return FigureRow(label, text(pain), text(tension))

    rows = [
        row("Sessions with both ratings (n)", lambda c: f"{c.n:,}"),
        row("Left out (a rating skipped)", lambda c: f"{c.left_out:,}"),
    ]
    if interrupted:
        rows.append(
            FigureRow(
                "Left out (interrupted: rated only when the app next started)",
                f"{interrupted:,}",
                f"{interrupted:,}",
            )
        )
    rows += [
        row("Mean change", lambda c: change_text(c.mean)),
        row("Median change", lambda c: median_text(c.median)),
        row("Wilcoxon signed-rank test", lambda c: p_text(c.test)),
        row(
            f"Lower by {DROP_POINTS} points or more (of sessions at {DROP_POINTS} or more "
            "before; 0 and 1 cannot drop so far)",
            lambda c: share_text(c.drop_points),
        ),
        row(
            f"Lower by {DROP_PERCENT}% or more (of sessions above 0 before)",
            lambda c: share_text(c.drop_percent),
        ),
        row(
            f"Lower by {DROP_POINTS} points or {DROP_PERCENT}% (either; of sessions above 0 "
            "before)",
            lambda c: share_text(c.responders),
        ),
    ]
    if completed is not None:
        rows.append(
            FigureRow(
                "Mean change, completed sessions only",
                group_change_text(completed[0]),
                group_change_text(completed[1]),
            )
        )
    return tuple(rows)


def _trend_rows(pain: TrendStats, tension: TrendStats) -> tuple[FigureRow, ...]:
    def sessions(t: TrendStats) -> str:
        if t.n == 0:
            return "0"
        if t.span_days == 0:
            return f"{t.n:,}, all on one day"
        return f"{t.n:,}, over {days_text(t.span_days)}"

    def difference(t: TrendStats) -> str:
        # The difference of the two means as shown (6.7 and 5.5 differ by 1.2, whatever the
        # unrounded means), with the interval of the unrounded difference.
        first, recent, change = t.first_window.value, t.recent_window.value, t.window_change
        if change.value is None or first is None or recent is None:
            return change_text(change)
        shown = (tenths(recent) - tenths(first)) / 10
        return change_text(replace(change, value=shown))

    return (
        FigureRow("Sessions with a before-rating (n)", sessions(pain), sessions(tension)),
        FigureRow(
            f"Mean, first {WINDOW_DAYS} days",
            window_text(pain.first_window),
            window_text(tension.first_window),
        ),
        FigureRow(
            f"Mean, most recent {WINDOW_DAYS} days",
            window_text(pain.recent_window),
            window_text(tension.recent_window),
        ),
        FigureRow(
            f"Difference, most recent minus first {WINDOW_DAYS} days (Welch)",
            difference(pain),
            difference(tension),
        ),
        FigureRow(
            "Straight-line slope",
            slope_text(pain.slope_per_week),
            slope_text(tension.slope_per_week),
        ),
    )


def figure_sections(analysis: Analysis) -> tuple[FigureSection, ...]:
    """The figures table: within-session change, then the trend of before-ratings."""
    return (
        FigureSection(
            "Within-session change (after minus before; negative = lower after practice)",
            _change_rows(
                analysis.pain,
                analysis.tension,
                (analysis.pain_completed, analysis.tension_completed),
                analysis.interrupted,
            ),
        ),
        FigureSection(
            "Long-term trend of before-practice ratings",
            _trend_rows(analysis.pain_trend, analysis.tension_trend),
        ),
    )


def group_change_text(change: ChangeStats) -> str:
    """One group's mean change with its CI and n, or the reason."""
    if not change.enough:
        return change.reason
    return f"{change_text(change.mean)}, n = {change.n:,}"


def group_rows(groups: tuple[GroupChange, ...]) -> tuple[FigureRow, ...]:
    """Per exercise (or per area): its sessions, and its mean pain and tension change."""
    return tuple(
        FigureRow(
            f"{group.label} ({sessions_text(group.n_sessions)})",
            group_change_text(group.pain),
            group_change_text(group.tension),
        )
        for group in groups
    )


def rating_pair_text(before: int, after: int) -> str:
    """``6 → 3``; a skipped rating is ``–``."""

    def one(value: int) -> str:
        return SKIPPED_MARK if value < 0 else str(value)

    return f"{one(before)} → {one(after)}"


# -- practice: how much, how it went, and on which days -----------------------------------------
# What a clinician asks first: how often and how long the person practised over the report's
# period, how the sessions ended, and on which days. Counted from the sessions the report covers
# (its exercise and area filters included); minutes are the practice actually done.

_STATUS_ORDER: Final = (
    SessionStatus.COMPLETED.value,
    SessionStatus.ENDED_EARLY.value,
    SessionStatus.ABANDONED.value,
    SessionStatus.INTERRUPTED.value,
)
MAX_WEEK_ROWS: Final = 16  # weeks listed one by one; longer periods are listed by month
MAX_MONTH_ROWS: Final = 36  # months listed one by one; longer periods are listed by year


@dataclass(frozen=True)
class PracticeSpan:
    """One week, month or year of the report's period (clipped to it) and the practice in it."""

    first: date
    last: date
    sessions: int
    minutes: float
    days_practised: int

    @property
    def n_days(self) -> int:
        """Calendar days of this span inside the report's period."""
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class Adherence:
    """How much practice the report's period holds, and on which days.

    A day counts as practised when a session on it has some practice time (a session left
    straight away does not), as in the history's calendar. ``minutes_by_day[i]`` is the minutes
    practised on ``first_day + i`` days."""

    first_day: date
    last_day: date
    sessions: int
    minutes: float
    days_practised: int
    statuses: tuple[tuple[str, int], ...]  # (status, sessions): the four usual ones, then others
    minutes_by_day: FloatArray = field(repr=False)
    practised_by_day: BoolArray = field(repr=False)
    spans: tuple[PracticeSpan, ...]
    unit: str  # what each span is: "week", "month" or "year"

    @property
    def n_days(self) -> int:
        """Calendar days in the period."""
        return (self.last_day - self.first_day).days + 1

    @property
    def weeks(self) -> float:
        """The period's length in weeks (7 days each)."""
        return self.n_days / 7

    @property
    def sessions_per_week(self) -> float:
        """Sessions per week, averaged over the whole period."""
        return self.sessions / self.weeks

    @property
    def minutes_per_week(self) -> float:
        """Minutes practised per week, averaged over the whole period."""
        return self.minutes / self.weeks


def report_period(content: ReportContent) -> tuple[date, date] | None:
    """The days the report's practice figures cover: from the first day asked for (or the first
    session's day) to the last day asked for (or today, never later); ``None`` when there are
    no such days."""
    if content.first_day is not None:
        first = content.first_day
    elif content.n_sessions:
        first = date.fromordinal(int(content.days[0]))
    else:
        return None
    last = content.today if content.last_day is None else min(content.today, content.last_day)
    return (first, last) if first <= last else None


def adherence(content: ReportContent) -> Adherence | None:
    """How much practice the report's period holds (``None``: no period; see
    :func:`report_period`)."""
    period = report_period(content)
    if period is None:
        return None
    first, last = period
    n_days = (last - first).days + 1
    practised_s = content.table.practised_s
    daily = daily_practice(content.days, practised_s, first, n_days)
    minutes_by_day, practised_by_day = daily.minutes, daily.practised
    counts = Counter(content.table.statuses)
    statuses = [(status, counts.pop(status, 0)) for status in _STATUS_ORDER]
    statuses += sorted(counts.items())
    n_weeks = _span_count(first, last, "week")
    unit = "week" if n_weeks <= MAX_WEEK_ROWS else "month"
    if unit == "month" and _span_count(first, last, "month") > MAX_MONTH_ROWS:
        unit = "year"
    spans = []
    for start, end in calendar_spans(first, last, unit):
        at = slice((start - first).days, (end - first).days + 1)
        spans.append(
            PracticeSpan(
                first=start,
                last=end,
                sessions=int(daily.sessions[at].sum()),
                minutes=float(minutes_by_day[at].sum()),
                days_practised=int(np.count_nonzero(practised_by_day[at])),
            )
        )
    return Adherence(
        first_day=first,
        last_day=last,
        sessions=content.n_sessions,
        minutes=float(practised_s.sum() / 60.0),
        days_practised=int(np.count_nonzero(practised_by_day)),
        statuses=tuple(statuses),
        minutes_by_day=minutes_by_day.astype(np.float64),
        practised_by_day=practised_by_day,
        spans=tuple(spans),
        unit=unit,
    )


def calendar_spans(first: date, last: date, unit: str) -> list[tuple[date, date]]:
    """The calendar weeks (Monday to Sunday), months or years from ``first`` to ``last``, each
    clipped to those days: (first day, last day) pairs, oldest first."""
    spans = []
    start = first
    while start <= last:
        if unit == "week":
            end = start + timedelta(days=6 - start.weekday())
        elif unit == "month":
            following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
            end = following - timedelta(days=1)
        elif unit == "year":
            end = date(start.year, 12, 31)
        else:
            raise ValueError(f"unknown unit: {unit!r}")
        end = min(end, last)
        spans.append((start, end))
        start = end + timedelta(days=1)
    return spans


def _span_count(first: date, last: date, unit: str) -> int:
    if unit == "week":
        return (
            last - timedelta(days=last.weekday()) - (first - timedelta(first.weekday()))
        ).days // 7 + 1
    return (last.year - first.year) * 12 + last.month - first.month + 1


def span_text(first: date, last: date, unit: str) -> str:
    """A week, month or year of a table in words: ``12–18 Oct 2026`` (or the part of it in the
    period, ``9–11 Oct 2026``), ``Oct 2026`` (``9–31 Oct 2026``), ``2026``."""
    whole = {
        "week": first.weekday() == 0 and (last - first).days == 6,
        "month": first.day == 1 and (last + timedelta(days=1)).day == 1,
        "year": (first.month, first.day, last.month, last.day) == (1, 1, 12, 31),
    }[unit]
    if whole and unit == "month":
        return month_text(first)
    if whole and unit == "year":
        return str(first.year)
    if first == last:
        return day_text(first)
    if first.year != last.year:
        return f"{day_text(first)} – {day_text(last)}"
    if first.month != last.month:
        return f"{short_day_text(first)} – {day_text(last)}"
    return f"{first.day}–{day_text(last)}"


def adherence_lines(practice: Adherence) -> tuple[str, ...]:
    """The period's practice in a few plain lines."""
    days = practice.n_days
    lines = [
        f"Over {days_text(days)}, from {day_text(practice.first_day)} to "
        f"{day_text(practice.last_day)}: {sessions_text(practice.sessions)}, "
        f"{hours_text(practice.minutes)} of practice in all.",
        f"Practised on {practice.days_practised:,} of these {days:,} days "
        f"({100 * practice.days_practised / days:.0f}%).",
    ]
    if days >= 7:
        lines.append(
            f"On average {practice.sessions_per_week:.1f} sessions and "
            f"{hours_text(practice.minutes_per_week)} a week."
        )
    else:
        lines.append("The period is shorter than a week, so there is no weekly average.")
    return tuple(lines)


def practice_scope_text(content: ReportContent) -> str:
    """When the report covers only some sessions (one exercise, one area), a line saying the
    practice counts do too; otherwise ``""``."""
    if not content.exercise and not content.region:
        return ""
    which = f"of {content.exercise_title}" if content.exercise else ""
    if content.region:
        which += f"{' ' if which else ''}where the {_region_words(content.region)} hurt"
    return f"These counts cover only the sessions {which}, as this report was asked for."


def status_counts_text(practice: Adherence) -> str:
    """``Completed 40 · Ended early 5 · Left during practice 1 · Interrupted 2``."""
    return " · ".join(f"{status_text(status)} {n:,}" for status, n in practice.statuses)


# -- sessions where a rating rose -----------------------------------------------------------------
# Counted among sessions rated just before and just after: an interrupted session is rated at the
# next start (perhaps days later), so it is left out here and counted apart.

MAX_RISES_LISTED: Final = 30


@dataclass(frozen=True)
class Rises:
    """Sessions where a rating was higher after practice than before."""

    measure: str  # "pain" or "tension"
    n: int  # sessions rated just before and just after (both ratings, not interrupted)
    rows: IntArray  # positions in the report's table of the sessions where it rose
    interrupted: int  # sessions with both ratings left out because they were interrupted

    @property
    def count(self) -> int:
        """How many sessions it rose in."""
        return int(self.rows.size)


def rises(content: ReportContent, measure: str) -> Rises:
    """The sessions of the report where ``measure`` ("pain" or "tension") rose."""
    before_col, after_col = RATING_COLUMNS[measure]
    ratings = content.table.ratings
    both = (ratings[:, before_col] != SKIPPED) & (ratings[:, after_col] != SKIPPED)
    interrupted = np.array(
        [s == SessionStatus.INTERRUPTED.value for s in content.table.statuses], dtype=np.bool_
    )
    counted = both & ~interrupted
    rose = counted & (ratings[:, after_col] > ratings[:, before_col])
    return Rises(
        measure=measure,
        n=int(np.count_nonzero(counted)),
        rows=np.flatnonzero(rose).astype(np.int64),
        interrupted=int(np.count_nonzero(both & interrupted)),
    )


RISE_KIND_WORDS: Final = (
    "Pain and tension move up and down for many reasons: sleep, the day's activity, stress, "
    "the weather and more. A session that ends with more of either is part of an honest record, "
    "not a failure. "
    "If it happens often with one exercise, a shorter or gentler one may suit better; pain that "
    "is new, severe or changing is worth talking over with a clinician."
)


def rise_lines(content: ReportContent) -> tuple[str, ...]:
    """The sessions where pain (and tension) rose, counted, with kind words."""
    pain, tension = rises(content, "pain"), rises(content, "tension")
    lines = []
    for found in (pain, tension):
        name = found.measure.capitalize()
        if found.n == 0:
            lines.append(
                f"No sessions have a {found.measure} rating just before and just after "
                "practice, so there is nothing to count here."
            )
        elif found.count == 0:
            lines.append(
                f"{name} was not higher after practice than before in any of the "
                f"{sessions_text(found.n)} rated both times."
            )
        else:
            lines.append(
                f"{name} was higher just after practice than just before in {found.count:,} of "
                f"{sessions_text(found.n)} rated both times ({100 * found.count / found.n:.0f}%)."
            )
    if pain.interrupted or tension.interrupted:
        lines.append(
            "Interrupted sessions are not counted here: their after-rating was given later, at "
            f"the next start ({sessions_text(max(pain.interrupted, tension.interrupted))})."
        )
    if pain.count or tension.count:
        lines.append(RISE_KIND_WORDS)
    return tuple(lines)


def rise_rows(content: ReportContent, found: Rises) -> tuple[str, ...]:
    """Each session where the rating rose: ``Thu 15 Oct 2026 07:55, Box breathing: 6 → 7``
    (at most :data:`MAX_RISES_LISTED`, the most recent; the session table has them all)."""
    before_col, after_col = RATING_COLUMNS[found.measure]
    table = content.table
    out = []
    for row in found.rows[-MAX_RISES_LISTED:].tolist():
        moment = datetime.fromtimestamp(float(table.stamps[row]), content.tz)
        pair = rating_pair_text(
            int(table.ratings[row, before_col]), int(table.ratings[row, after_col])
        )
        out.append(f"{moment_text(moment)}, {table.titles[row]}: {pair}")
    return tuple(out)


# -- where it hurt, over time ---------------------------------------------------------------------

MAX_AREA_WEEKS: Final = 8  # up to 8 weeks the areas are counted by week, then by month
MAX_AREA_MONTHS: Final = 24  # and beyond 24 months by year


@dataclass(frozen=True)
class AreasOverTime:
    """How often each body area was marked as hurting, per week, month or year of the period."""

    unit: str  # "week", "month" or "year"
    spans: tuple[tuple[date, date], ...]
    sessions: tuple[int, ...]  # sessions in each span
    marked: tuple[int, ...]  # of those, sessions with at least one area marked
    areas: tuple[tuple[str, tuple[int, ...]], ...]  # (area id, sessions per span), most first


def areas_over_time(content: ReportContent) -> AreasOverTime | None:
    """Which areas were marked in each part of the report's period (``None``: no period)."""
    period = report_period(content)
    if period is None:
        return None
    first, last = period
    if _span_count(first, last, "week") <= MAX_AREA_WEEKS:
        unit = "week"
    elif _span_count(first, last, "month") <= MAX_AREA_MONTHS:
        unit = "month"
    else:
        unit = "year"
    spans = calendar_spans(first, last, unit)
    starts = np.array([start.toordinal() for start, _end in spans], dtype=np.int64)
    span_of = np.searchsorted(starts, content.days, side="right") - 1
    n = len(spans)
    sessions = np.bincount(span_of, minlength=n)[:n]
    marks = content.regions
    in_report = np.isin(marks.session_ids, content.table.ids)
    ids, codes = marks.session_ids[in_report], marks.codes[in_report]
    order = np.argsort(content.table.ids, kind="stable")
    row_of = order[np.searchsorted(content.table.ids[order], ids)]  # each mark's session's row
    mark_span = span_of[row_of]
    has_mark = np.zeros(len(content.table), dtype=np.bool_)
    has_mark[row_of] = True
    marked = np.bincount(span_of[has_mark], minlength=n)[:n]
    areas = []
    for code in np.unique(codes).tolist():
        per_span = np.bincount(mark_span[codes == code], minlength=n)[:n]
        areas.append((marks.names[code], tuple(int(v) for v in per_span.tolist())))
    areas.sort(key=lambda item: (-sum(item[1]), _region_words(item[0])))
    return AreasOverTime(
        unit=unit,
        spans=tuple(spans),
        sessions=tuple(int(v) for v in sessions.tolist()),
        marked=tuple(int(v) for v in marked.tolist()),
        areas=tuple(areas),
    )


def area_label(region: str) -> str:
    """An area's name for a table: ``Lower back``."""
    try:
        return region_label(region)
    except ValueError:
        return region.replace("_", " ").capitalize()


# -- notes ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """One session's notes, in full, with what says which session it belongs to."""

    number: int  # 1, 2, ... in the order of the sessions
    row: int  # the session's position in the report's table
    heading: str  # ``Thu 15 Oct 2026 07:55 · Box breathing · pain 6 → 5, tension 7 → 4``
    text: str


def session_notes(content: ReportContent) -> tuple[Note, ...]:
    """Every note of the report's sessions, in full, numbered oldest first (blank notes have
    none)."""
    table = content.table
    out: list[Note] = []
    for row, text in enumerate(table.notes):
        if not text or not text.strip():
            continue
        rating = table.ratings[row]
        moment = datetime.fromtimestamp(float(table.stamps[row]), content.tz)
        heading = (
            f"{moment_text(moment)} · {table.titles[row]} · pain "
            f"{rating_pair_text(int(rating[BEFORE_PAIN]), int(rating[AFTER_PAIN]))}, tension "
            f"{rating_pair_text(int(rating[BEFORE_TENSION]), int(rating[AFTER_TENSION]))}"
        )
        out.append(Note(len(out) + 1, row, heading, text.strip()))
    return tuple(out)
