"""What the clinician's PDF report says: which sessions it covers, the analysis of them, and every
figure as text with the number of sessions behind it. ``ui/report/document.py`` lays it out and draws it;
this part has no Qt, so the words and numbers are tested on their own.

A figure below the minimum number of sessions is never shown as a number: its cell holds the
reason instead ("not enough sessions yet: 3 of 5"), as :mod:`trainer.analysis.progress` gives it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

from trainer.analysis.history import (
    HistoryFilter,
    IntArray,
    RegionMarks,
    SessionTable,
    as_marks,
)
from trainer.analysis.progress import (
    DROP_PERCENT,
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
    summary,
)
from trainer.app.words import SKIPPED_MARK, sessions_text
from trainer.content.bodymap import label as region_label

TITLE: Final = "Safe Signal — practice report"
HEALTH_NOTE: Final = "This report contains personal health information. Please keep it private."
NOT_A_DIAGNOSIS: Final = (
    "This is a record of practice kept by the person themselves, not a diagnosis or an "
    "assessment. Ratings are their own, from 0 (none) to 10 (worst imaginable)."
)
ABOUT_FIGURES: Final = (
    "Within-session change is the rating just after a practice minus the rating just before it, "
    "so a negative number means lower after practice. It shows how practice feels in the "
    "moment; it is not evidence that pain is changing over weeks.",
    "The long-term trend follows the before-practice ratings over the weeks. They can move for "
    "many reasons besides practice, including natural ups and downs and regression to the mean, "
    "so the trend shows what happened, not why.",
    f"Every figure gives the number of sessions behind it (n). Below {MIN_SESSIONS_CHANGE} "
    f"sessions with both ratings, or {MIN_SESSIONS_TREND} sessions over {MIN_DAYS_TREND} days "
    "for the trend, the reason is shown instead of a number. Intervals of mean changes are 95% "
    "bootstrap intervals over sessions; the slope's interval treats ratings as independent, "
    "which nearby days are not, so read it as a minimum.",
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
    keep = HistoryFilter(first_day, end, exercise, region).select(table, days, where)
    chosen = table.take(keep)
    analysis = analyse(chosen, where, today=end, tz=tz, days=days[keep])
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


def change_text(figure: Figure) -> str:
    """A mean change with its 95% CI: ``-1.2 (95% CI -1.6 to -0.8)``, or the reason."""
    if figure.value is None:
        return figure.reason
    if figure.low is None or figure.high is None:
        return signed(figure.value)
    return f"{signed(figure.value)} (95% CI {signed(figure.low)} to {signed(figure.high)})"


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
    """``-0.12 points a week (95% CI -0.20 to -0.04)``, or the reason."""
    if figure.value is None or figure.low is None or figure.high is None:
        return figure.reason
    return (
        f"{signed(figure.value, 2)} points a week "
        f"(95% CI {signed(figure.low, 2)} to {signed(figure.high, 2)})"
    )


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


def _change_rows(pain: ChangeStats, tension: ChangeStats) -> tuple[FigureRow, ...]:
    def row(label: str, text: Callable[[ChangeStats], str]) -> FigureRow:
        return FigureRow(label, text(pain), text(tension))

    return (
        row("Sessions with both ratings (n)", lambda c: f"{c.n:,}"),
        row("Left out (a rating skipped)", lambda c: f"{c.left_out:,}"),
        row("Mean change", lambda c: change_text(c.mean)),
        row("Median change", lambda c: median_text(c.median)),
        row("Wilcoxon signed-rank test", lambda c: p_text(c.test)),
        row(f"Lower by {DROP_POINTS} points or more", lambda c: share_text(c.drop_points)),
        row(
            f"Lower by {DROP_PERCENT}% or more (of sessions above 0 before)",
            lambda c: share_text(c.drop_percent),
        ),
    )


def _trend_rows(pain: TrendStats, tension: TrendStats) -> tuple[FigureRow, ...]:
    def sessions(t: TrendStats) -> str:
        if t.n == 0:
            return "0"
        if t.span_days == 0:
            return f"{t.n:,}, all on one day"
        return f"{t.n:,}, over {t.span_days:,} day" + ("" if t.span_days == 1 else "s")

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
            _change_rows(analysis.pain, analysis.tension),
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
