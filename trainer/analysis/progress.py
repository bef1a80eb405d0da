"""Progress in numbers: the change within sessions and the long-term trend of before-ratings.

Two different questions, kept apart as CLINICAL.md asks:

* **Within-session change** (after minus before, per session, for pain and for tension): how
  practice feels in the moment. Negative means lower after practice. Only sessions with both
  ratings count; sessions where either was skipped are left out and counted (``left_out``).
* **Long-term trend** of the *before* ratings: whether the starting point moves over weeks.

Choices, so the numbers can be checked:

* Below a minimum number of sessions a figure is not computed: it carries a ``reason`` such as
  "not enough sessions yet: 3 of 5" instead of a value. Every figure carries its ``n``.
* The 95% CI of the mean change is a Student t interval (mean +- t(n - 1) x standard error).
  With a handful of sessions it keeps close to its 95% coverage, where the percentile bootstrap
  used before covered only ~85% at n = 5 and ~90% at n = 10 (the tests simulate this). When
  every change is the same there is no spread to judge by: no interval, and the words say so
  (``Figure.no_interval``) rather than "0.0 to 0.0".
* The p value is a two-sided Wilcoxon signed-rank test, ``scipy.stats.wilcoxon`` with the method
  its default chooses: zero changes dropped; the exact null distribution for up to 50 sessions
  without ties or zeros, and every sign pattern (a permutation test) for up to 13 sessions with
  them; otherwise the normal approximation with the tie correction and no continuity
  correction. When every change is 0 there is nothing to test: no p value, a reason.
* Shares of sessions: "lower by 2 points" among sessions that started at 2 or more (0 and 1
  cannot drop 2 points); "lower by 30%" among sessions that started above 0; "2 points or 30%"
  (either) among sessions that started above 0. Each share has its own ``n``.
* Which sessions count towards the change: an interrupted session's after-ratings were given
  when the app next started, maybe days later, so they are not "just after" practice and are
  left out (``Analysis.interrupted`` counts them). Sessions that ended early count, and
  completed sessions also get figures of their own (``pain_completed``, ``tension_completed``).
* The trend uses every session with that before-rating, rated afterwards or not.
* Days are calendar days in the time zone ``tz`` (UTC unless given). The first window is the
  14 days from the first session's day; the most recent window is the 14 days ending on ``today``
  (the day of the latest session unless given). Sessions after ``today`` are left out and
  counted (``Analysis.after_today``). The trend needs :data:`MIN_SESSIONS_TREND` sessions
  spanning :data:`MIN_DAYS_TREND` days, so the two windows never overlap.
* The difference of the two windows' means has a 95% Welch interval (Student t with the
  Welch-Satterthwaite degrees of freedom). A fall counts as meaningful (2 points or more, or 30%
  or more from a starting average of 4 or more, judged on the values as shown, to one decimal)
  only when that interval excludes 0.
* The slope is an ordinary least-squares fit of the before-rating on days since the first
  session (exact times), given per week. Its 95% CI uses Student's t with n - 2 degrees of
  freedom. Ratings on nearby days are not independent, so treat that interval (and the
  windows') as a minimum.
* In words, whether an interval includes no change is judged on its unrounded ends, and an end
  that is not 0 is never shown as 0.0 (it gets a second decimal).

The distributions are scipy's (``scipy.stats``), imported inside the functions that compute a
figure: loading it takes most of a second, which start-up and too-few-sessions never pay.
Everything here is pure: no I/O, no clock, no Qt.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from typing import Final

import numpy as np
import numpy.typing as npt

from trainer.analysis.history import RatedSession, RegionMarks, SessionTable, as_marks
from trainer.app.words import count_text
from trainer.content.bodymap import label as _body_label
from trainer.session.machine import SessionStatus
from trainer.session.ratings import RATING_MAX, RATING_MIN

MEASURES: Final[tuple[str, ...]] = ("pain", "tension")
MIN_SESSIONS_CHANGE: Final = 5
MIN_SESSIONS_TREND: Final = 10
MIN_DAYS_TREND: Final = 28  # first to last session; keeps the two 14-day windows apart
WINDOW_DAYS: Final = 14
MIN_SESSIONS_WINDOW: Final = 3
CONFIDENCE: Final = 0.95
DROP_POINTS: Final = 2
DROP_PERCENT: Final = 30
DROP_PERCENT_FROM: Final = 4  # the 30% rule applies to a starting point of 4 or more
EXACT_MAX_N: Final = 50  # scipy: exact test up to 50 differences without ties or zeros
PERMUTATION_MAX_N: Final = 13  # scipy: exact sign flips up to 13 differences with them

_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Figure:
    """One number with the sessions behind it (``n``), or the ``reason`` it is not shown.

    ``low`` and ``high`` are its 95% CI where it has one; where a figure that should have one
    has none, ``no_interval`` says why ("every change was the same, ..."). ``count`` is the number
    of sessions that met the rule where the figure is a share (``value`` is then a fraction 0..1).
    """

    n: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    count: int | None = None
    reason: str = ""
    no_interval: str = ""

    @property
    def shown(self) -> bool:
        """True when there is a number to show."""
        return self.value is not None


@dataclass(frozen=True)
class SignedRankTest:
    """A two-sided Wilcoxon signed-rank test of within-session changes (scipy's default)."""

    n: int  # changes tested, zeros included
    n_nonzero: int  # changes that were not 0 (zeros are dropped)
    statistic: float | None  # the smaller of the two signed rank sums
    p_value: float | None
    method: str  # "exact", "exact sign flips" or "normal approximation"; "" when not run
    reason: str = ""


@dataclass(frozen=True)
class ChangeStats:
    """Within-session change (after minus before) of one rating over the sessions with both."""

    measure: str  # "pain" or "tension"
    n: int  # sessions with both ratings
    left_out: int  # sessions where this rating was skipped before or after
    mean: Figure  # with its 95% Student t CI
    median: Figure
    test: SignedRankTest
    drop_points: Figure  # share of sessions at DROP_POINTS or more before that dropped as much
    drop_percent: Figure  # share of sessions above 0 before that dropped by DROP_PERCENT %
    responders: Figure  # share of sessions above 0 before that did either
    reason: str = ""

    @property
    def enough(self) -> bool:
        """True when there are enough sessions for the figures."""
        return not self.reason


@dataclass(frozen=True)
class TrendStats:
    """The long-term trend of one before-practice rating."""

    measure: str
    n: int  # sessions with this before-rating
    first_day: date | None  # the first of those sessions' days
    last_day: date | None  # the last of them
    end_day: date | None  # the last day of the most recent window (``today``)
    span_days: int  # days from the first to the last of these sessions
    first_window: Figure  # mean before-rating over the first WINDOW_DAYS days
    recent_window: Figure  # mean before-rating over the most recent WINDOW_DAYS days
    slope_per_week: Figure  # least-squares slope, points per week, with its 95% t CI
    window_change: Figure = Figure(0)  # recent minus first window, with its 95% Welch CI
    reason: str = ""

    @property
    def weeks(self) -> int:
        """Whole weeks from the first day to the end of the most recent window."""
        if self.first_day is None or self.end_day is None:
            return 0
        return round((self.end_day - self.first_day).days / 7)


@dataclass(frozen=True)
class GroupChange:
    """The change figures of the sessions of one exercise or one body region."""

    key: str  # exercise id or region id
    label: str  # for people: the exercise's title or "Lower back"
    n_sessions: int
    pain: ChangeStats
    tension: ChangeStats


@dataclass(frozen=True)
class Analysis:
    """Everything :func:`analyse` finds in one person's sessions."""

    n_sessions: int
    first_day: date | None
    end_day: date | None
    pain: ChangeStats
    tension: ChangeStats
    pain_trend: TrendStats
    tension_trend: TrendStats
    by_exercise: tuple[GroupChange, ...]
    by_region: tuple[GroupChange, ...]
    pain_completed: ChangeStats  # the change over completed sessions only
    tension_completed: ChangeStats
    ended_early: int  # sessions in the change figures that ended early or were left
    interrupted: int  # interrupted sessions with an after-rating, left out of the change
    after_today: int  # sessions dated after ``end_day``, left out of everything

    def change(self, measure: str) -> ChangeStats:
        """The within-session change of ``measure`` ("pain" or "tension")."""
        return {"pain": self.pain, "tension": self.tension}[measure]

    def completed_change(self, measure: str) -> ChangeStats:
        """The within-session change of ``measure`` over completed sessions only."""
        return {"pain": self.pain_completed, "tension": self.tension_completed}[measure]

    def trend(self, measure: str) -> TrendStats:
        """The long-term trend of ``measure``'s before-ratings."""
        return {"pain": self.pain_trend, "tension": self.tension_trend}[measure]


# -- statistics (scipy.stats is imported inside the functions that use it, never at the top) ----


def t_interval(mean: float, variance: float, n: int) -> tuple[float, float] | None:
    """The 95% Student t interval of a mean from ``n`` values with this sample ``variance``
    (``n - 1`` in its denominator), or ``None`` when there is none to give: fewer than two
    values, or values that do not vary at all (a width of 0 would claim certainty)."""
    if n < 2 or not variance > 0:
        return None
    half = t_quantile(n - 1) * math.sqrt(variance / n)
    return mean - half, mean + half


@functools.lru_cache(maxsize=512)
def t_quantile(df: float) -> float:
    """Student's t at ``0.5 + CONFIDENCE / 2`` (1.96 and more): the half-width of a 95% interval
    in standard errors, for ``df`` degrees of freedom. Kept: groups and windows repeat them."""
    from scipy import stats

    return float(stats.t.ppf(0.5 + CONFIDENCE / 2, df))


def mean_ci(values: npt.ArrayLike) -> tuple[float, float] | None:
    """The 95% Student t interval of the mean of ``values`` (see :func:`t_interval`)."""
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size == 0:
        raise ValueError("a mean needs at least one value")
    variance = float(x.var(ddof=1)) if x.size > 1 else 0.0
    return t_interval(float(x.mean()), variance, int(x.size))


def welch_difference(
    first: npt.ArrayLike, second: npt.ArrayLike
) -> tuple[float, float | None, float | None]:
    """``mean(second) - mean(first)`` with its 95% Welch interval (Student t with the
    Welch-Satterthwaite degrees of freedom; each group needs two values). The interval is
    ``None, None`` when neither group varies, so there is no spread to judge it by."""
    a = np.asarray(first, dtype=np.float64).ravel()
    b = np.asarray(second, dtype=np.float64).ravel()
    if a.size < 2 or b.size < 2:
        raise ValueError("a Welch interval needs at least two values in each group")
    difference = float(b.mean() - a.mean())
    va, vb = float(a.var(ddof=1)) / a.size, float(b.var(ddof=1)) / b.size
    se2 = va + vb
    if not se2 > 0:
        return difference, None, None
    df = se2 * se2 / (va * va / (a.size - 1) + vb * vb / (b.size - 1))
    half = t_quantile(df) * math.sqrt(se2)
    return difference, difference - half, difference + half


def signed_rank_test(differences: npt.ArrayLike) -> SignedRankTest:
    """Two-sided Wilcoxon signed-rank test, as ``scipy.stats.wilcoxon(d)`` gives it.

    Zero changes are dropped. The method is chosen as scipy's default (``method="auto"``)
    chooses it and named in the result: the exact null distribution for up to
    :data:`EXACT_MAX_N` changes without ties or zeros, every sign pattern for up to
    :data:`PERMUTATION_MAX_N` changes with them, otherwise the normal approximation with the tie
    correction and no continuity correction.
    """
    d = np.asarray(differences, dtype=np.float64).ravel()
    n = int(d.size)
    sizes = np.abs(d[d != 0])
    m = int(sizes.size)
    if n == 0:
        return SignedRankTest(0, 0, None, None, "", "no changes to test")
    if m == 0:
        return SignedRankTest(
            n, 0, None, None, "", "every change was 0, so there is no difference to test"
        )
    from scipy import stats

    exact = n <= EXACT_MAX_N and m == n and int(np.unique(sizes).size) == m
    if exact or n > PERMUTATION_MAX_N:
        # scipy's default method is the one named here; it is left to the default because
        # scipy 1.15 renamed the normal approximation ("approx" became "asymptotic").
        result = stats.wilcoxon(d)
        name = "exact" if exact else "normal approximation"
        return SignedRankTest(n, m, float(result.statistic), float(result.pvalue), name)

    ranks = stats.rankdata(sizes)  # of the sizes of the nonzero changes, ties averaged
    r_plus = float(ranks[d[d != 0] > 0].sum())
    statistic = min(r_plus, m * (m + 1) / 2.0 - r_plus)

    # scipy's wilcoxon here runs a permutation test over every sign pattern, ranking each
    # pattern anew (about a second at n = 13, which would stall the history screen). The ranks
    # do not change when signs flip, so the same test is run with the rank sum of every pattern
    # computed at once. Zero changes add nothing but copies of each pattern, so they are left
    # out (the p value stays the same), unless scipy needs one to have two values to flip.
    keep = d != 0 if m > 1 else np.ones(n, dtype=np.bool_)
    kept_ranks = np.zeros(n)
    kept_ranks[d != 0] = ranks
    kept_ranks = kept_ranks[keep]

    def positive_rank_sum(x: FloatArray, axis: int) -> FloatArray:
        return np.asarray(np.sum((x > 0) * kept_ranks, axis=axis), dtype=np.float64)

    p = stats.permutation_test(
        (d[keep],), positive_rank_sum, permutation_type="samples", vectorized=True, axis=-1
    ).pvalue
    return SignedRankTest(n, m, statistic, float(p), "exact sign flips")


def least_squares_slope(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[float, float, float]:
    """Slope of ``y`` on ``x`` with its 95% CI (Student's t, n - 2 degrees of freedom)."""
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    n = int(xs.size)
    if n < 3:
        raise ValueError("a slope with a confidence interval needs at least three points")
    # Sums of products rather than ``@``: BLAS may split a long dot product across threads,
    # which costs more than it saves on a busy machine.
    dx = xs - xs.mean()
    sxx = float(np.sum(dx * dx))
    if sxx == 0:
        raise ValueError("a slope needs at least two different x values")
    slope = float(np.sum(dx * (ys - ys.mean()))) / sxx
    residual = ys - ys.mean() - slope * dx
    se = math.sqrt(float(np.sum(residual * residual)) / (n - 2) / sxx)
    from scipy import stats

    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 2)) * se
    return slope, slope - half, slope + half


# -- change and trend ---------------------------------------------------------------------------

# A group's ratings of one measure are tallied in a table of (before, after) pairs: cell
# ``before * 11 + after``, plus one last cell for sessions where either rating was skipped.
_LEVELS: Final = RATING_MAX + 1
_SKIPPED_CELL: Final = _LEVELS * _LEVELS
_CELLS: Final = _SKIPPED_CELL + 1
_LATE_CELL: Final = _CELLS  # after-ratings given later: counted apart, outside the table
_BEFORE: Final = np.repeat(np.arange(_LEVELS), _LEVELS)
_AFTER: Final = np.tile(np.arange(_LEVELS), _LEVELS)
_CHANGE_INDEX: Final = _AFTER - _BEFORE + RATING_MAX  # 0..20 for a change of -10..10
_CHANGES: Final = np.arange(-RATING_MAX, RATING_MAX + 1)
_DROPPED_POINTS: Final = _BEFORE - _AFTER >= DROP_POINTS
_CAN_DROP_POINTS: Final = _BEFORE >= DROP_POINTS  # a rating of 0 or 1 cannot drop 2 points
_ABOVE_ZERO: Final = _BEFORE > 0
_DROPPED_PERCENT: Final = _ABOVE_ZERO & (100 * (_BEFORE - _AFTER) >= DROP_PERCENT * _BEFORE)
_RESPONDED: Final = _DROPPED_POINTS | _DROPPED_PERCENT
SAME_CHANGES: Final = "every change was the same, so no interval can be computed"


def _not_enough(n: int, needed: int, what: str = "sessions") -> str:
    return f"not enough {what} yet: {n} of {needed}"


def change_stats(
    measure: str, before: npt.ArrayLike, after: npt.ArrayLike, *, left_out: int = 0
) -> ChangeStats:
    """The within-session change figures of paired 0-10 ratings (both given for every session)."""
    b = np.asarray(before, dtype=np.int64).ravel()
    a = np.asarray(after, dtype=np.int64).ravel()
    if b.shape != a.shape:
        raise ValueError("before and after need one rating each per session")
    if b.size and (min(b.min(), a.min()) < RATING_MIN or max(b.max(), a.max()) > RATING_MAX):
        raise ValueError(f"ratings go from {RATING_MIN} to {RATING_MAX}")
    table = np.bincount(b * _LEVELS + a, minlength=_CELLS)
    table[_SKIPPED_CELL] = left_out
    return _change_from_table(measure, table)


def _share(
    pairs: IntArray, met: npt.NDArray[np.bool_], among: npt.NDArray[np.bool_], what: str
) -> Figure:
    """The share of the sessions ``among`` (cells of the table) whose cell is ``met``, or the
    reason it is not shown when fewer than :data:`MIN_SESSIONS_CHANGE` are among them."""
    n = int(pairs[among].sum())
    if n < MIN_SESSIONS_CHANGE:
        return Figure(n, reason=_not_enough(n, MIN_SESSIONS_CHANGE, what))
    count = int(pairs[met & among].sum())
    return Figure(n, count / n, count=count)


def _change_from_table(measure: str, table: IntArray) -> ChangeStats:
    """The change figures from a group's table of (before, after) pairs."""
    pairs = table[:_SKIPPED_CELL]
    n = int(pairs.sum())
    left_out = int(table[_SKIPPED_CELL])
    by_change = np.bincount(_CHANGE_INDEX, weights=pairs, minlength=_CHANGES.size)
    by_change = by_change.astype(np.int64)
    if n < MIN_SESSIONS_CHANGE:
        reason = _not_enough(n, MIN_SESSIONS_CHANGE)
        test = SignedRankTest(n, n - int(by_change[RATING_MAX]), None, None, "", reason)
        can_drop, above_zero = (
            Figure(int(pairs[among].sum()), reason=reason)
            for among in (_CAN_DROP_POINTS, _ABOVE_ZERO)
        )
        missing = Figure(n, reason=reason)
        return ChangeStats(
            measure, n, left_out, missing, missing, test, can_drop, above_zero, above_zero, reason
        )
    mean_change = float(_CHANGES @ by_change) / n
    variance = float((_CHANGES - mean_change) ** 2 @ by_change) / (n - 1)
    interval = t_interval(mean_change, variance, n)
    if interval is None:
        mean = Figure(n, mean_change, no_interval=SAME_CHANGES)
    else:
        mean = Figure(n, mean_change, *interval)
    cumulative = np.cumsum(by_change)
    middle = _CHANGES[np.searchsorted(cumulative, [(n - 1) // 2, n // 2], side="right")]
    median = Figure(n, float(middle.mean()))
    drop_points = _share(
        pairs, _DROPPED_POINTS, _CAN_DROP_POINTS, f"sessions with {measure} {DROP_POINTS} or more"
    )
    above = f"sessions with {measure} above 0"
    drop_percent = _share(pairs, _DROPPED_PERCENT, _ABOVE_ZERO, above)
    responders = _share(pairs, _RESPONDED, _ABOVE_ZERO, above)
    test = signed_rank_test(np.repeat(_CHANGES, by_change))
    return ChangeStats(
        measure, n, left_out, mean, median, test, drop_points, drop_percent, responders
    )


def trend_stats(
    measure: str,
    days: npt.ArrayLike,
    elapsed_days: npt.ArrayLike,
    ratings: npt.ArrayLike,
    end_day: date | None,
) -> TrendStats:
    """The trend of before-ratings given each session's calendar day (ordinal), its exact time
    in days since any fixed moment, and the rating."""
    day = np.asarray(days, dtype=np.int64).ravel()
    x = np.asarray(elapsed_days, dtype=np.float64).ravel()
    y = np.asarray(ratings, dtype=np.float64).ravel()
    n = int(y.size)
    if n == 0:
        reason = _not_enough(0, MIN_SESSIONS_TREND)
        none = Figure(0, reason=reason)
        return TrendStats(measure, 0, None, None, end_day, 0, none, none, none, none, reason)
    first, last = int(day.min()), int(day.max())
    span = last - first
    end = end_day.toordinal() if end_day is not None else last
    if n < MIN_SESSIONS_TREND:
        reason = _not_enough(n, MIN_SESSIONS_TREND)
    elif span < MIN_DAYS_TREND:
        reason = f"not long enough yet: {span} of {MIN_DAYS_TREND} days"
    else:
        reason = ""
    windows = []
    masks = (day < first + WINDOW_DAYS, day > end - WINDOW_DAYS)
    for label, mask in zip(("the first", "the most recent"), masks, strict=True):
        k = int(np.count_nonzero(mask))
        if reason:
            windows.append(Figure(k, reason=reason))
        elif k < MIN_SESSIONS_WINDOW:
            what = f"sessions in {label} {WINDOW_DAYS} days"
            windows.append(Figure(k, reason=_not_enough(k, MIN_SESSIONS_WINDOW, what)))
        else:
            windows.append(Figure(k, float(y[mask].mean())))
    both = windows[0].n + windows[1].n
    if reason:
        slope = Figure(n, reason=reason)
        window_change = Figure(both, reason=reason)
    else:
        per_day, low, high = least_squares_slope(x - x.min(), y)
        if high > low:
            slope = Figure(n, 7 * per_day, 7 * low, 7 * high)
        else:
            why = "every rating was the same" if np.ptp(y) == 0 else "the ratings lie on a line"
            slope = Figure(n, 7 * per_day, no_interval=f"{why}, so no interval can be computed")
        if windows[0].value is None or windows[1].value is None:
            window_change = Figure(both, reason=windows[0].reason or windows[1].reason)
        else:
            difference, d_low, d_high = welch_difference(y[masks[0]], y[masks[1]])
            if d_low is None or d_high is None:
                same = "the ratings did not vary within either window"
                window_change = Figure(
                    both, difference, no_interval=f"{same}, so no interval can be computed"
                )
            else:
                window_change = Figure(both, difference, d_low, d_high)
    return TrendStats(
        measure,
        n,
        date.fromordinal(first),
        date.fromordinal(last),
        date.fromordinal(end),
        span,
        windows[0],
        windows[1],
        slope,
        window_change,
        reason,
    )


# -- the entry point ----------------------------------------------------------------------------


def _region_label(region: str) -> str:
    try:
        return _body_label(region)
    except ValueError:
        return region.replace("_", " ").capitalize()


def _region_pairs(ids: IntArray, marks: RegionMarks) -> tuple[dict[str, int], IntArray, IntArray]:
    """Codes for the regions marked, and one (region code, row) pair per session and region.

    Regions of sessions not among ``ids`` are ignored; a region listed twice counts once.
    """
    n = int(ids.size)
    by_id = np.argsort(ids, kind="stable")
    if n:
        found = np.clip(np.searchsorted(ids[by_id], marks.session_ids), 0, n - 1)
        present = ids[by_id][found] == marks.session_ids
        region_rows = by_id[found[present]]
    else:
        present = np.zeros(marks.session_ids.size, dtype=np.bool_)
        region_rows = np.zeros(0, dtype=np.int64)
    used, codes = np.unique(marks.codes[present], return_inverse=True)
    region_code = {marks.names[int(c)]: i for i, c in enumerate(used)}
    pairs = np.sort(codes.astype(np.int64) * n + region_rows)
    pairs = pairs[np.diff(pairs, prepend=-1) != 0]
    region_of_pair, region_row = np.divmod(pairs, max(n, 1))
    return region_code, region_of_pair, region_row


def _tables(cells: IntArray, groups: IntArray, n_groups: int) -> IntArray:
    """One (before, after) table per group: ``cells[i]`` counted in ``groups[i]``'s table
    (sessions in the late cell are not counted)."""
    flat = np.bincount(groups * (_CELLS + 1) + cells, minlength=n_groups * (_CELLS + 1))
    return flat.reshape(n_groups, _CELLS + 1)[:, :_CELLS]


def analyse(
    sessions: Iterable[RatedSession] | SessionTable,
    regions_by_session: Mapping[int, Collection[str]] | RegionMarks | None = None,
    *,
    today: date | None = None,
    tz: tzinfo = UTC,
    days: IntArray | None = None,
    after_today: int = 0,
) -> Analysis:
    """Analyse one person's sessions (objects in any order, or a table); see the module
    docstring for the choices.

    ``regions_by_session`` maps a session id to the body regions marked as hurting (as from
    ``store.regions.pain_by_session``); a session counts towards each of its regions. ``today``
    is a calendar day in ``tz``: it ends the most recent window, and later sessions are left out.
    ``days`` may give a table's sessions' calendar days in ``tz``, when the caller has them.
    ``after_today`` adds to the count of later sessions a caller has already left out.
    """
    table = sessions if isinstance(sessions, SessionTable) else SessionTable.from_sessions(sessions)
    if days is None or not isinstance(sessions, SessionTable):
        days = table.local_days(tz)
    if today is not None:
        until_today = days <= today.toordinal()
        after_today += int(until_today.size - np.count_nonzero(until_today))
        table = table.take(until_today)
        days = days[until_today]
    stamps, n = table.stamps, len(table)
    ratings = table.ratings
    if n and int(ratings.max()) > RATING_MAX:
        raise ValueError(f"ratings go from {RATING_MIN} to {RATING_MAX}")
    end_day = today if today is not None else (date.fromordinal(int(days.max())) if n else None)

    trends = []
    for col, measure in enumerate(MEASURES):
        has = ratings[:, col] >= 0
        trends.append(
            trend_stats(measure, days[has], stamps[has] / 86400.0, ratings[has, col], end_day)
        )

    present, first_seen, exercise_of = np.unique(
        table.exercise, return_index=True, return_inverse=True
    )
    in_order = np.argsort(first_seen, kind="stable")  # exercises in order of first practice
    exercise_of = np.argsort(in_order)[exercise_of].astype(np.int64)
    exercise_code = {table.exercise_ids[int(present[i])]: c for c, i in enumerate(in_order)}
    region_code, region_of_pair, region_row = _region_pairs(table.ids, as_marks(regions_by_session))

    # An interrupted session's after-ratings were given when the next session started, maybe
    # days later: they are not "just after" practice, so they stay out of the change figures
    # (group 1 below, counted apart). Completed sessions also get figures of their own.
    status = np.array(table.statuses, dtype=np.str_)
    late = status == SessionStatus.INTERRUPTED.value
    completed = status == SessionStatus.COMPLETED.value
    short = (status == SessionStatus.ENDED_EARLY.value) | (status == SessionStatus.ABANDONED.value)
    rated_after = (ratings[:, 2:] >= 0).any(axis=1)
    interrupted = int(np.count_nonzero(late & rated_after))
    ended_early = 0
    changes: dict[str, ChangeStats] = {}
    completed_changes: dict[str, ChangeStats] = {}
    by_exercise: dict[str, list[ChangeStats]] = {key: [] for key in exercise_code}
    by_region: dict[str, list[ChangeStats]] = {key: [] for key in region_code}
    for col, measure in enumerate(MEASURES):
        before, after = ratings[:, col], ratings[:, col + 2]
        both = (before >= 0) & (after >= 0)
        cells = np.where(both, before * _LEVELS + after, _SKIPPED_CELL)
        cells[late] = _LATE_CELL
        ended_early = max(ended_early, int(np.count_nonzero(both & short)))
        overall = np.bincount(cells, minlength=_LATE_CELL + 1)[:_CELLS]
        changes[measure] = _change_from_table(measure, overall)
        finished = np.bincount(cells[completed], minlength=_LATE_CELL + 1)[:_CELLS]
        completed_changes[measure] = _change_from_table(measure, finished)
        for key, counts in zip(
            exercise_code, _tables(cells, exercise_of, len(exercise_code)), strict=True
        ):
            by_exercise[key].append(_change_from_table(measure, counts))
        for key, counts in zip(
            region_code, _tables(cells[region_row], region_of_pair, len(region_code)), strict=True
        ):
            by_region[key].append(_change_from_table(measure, counts))

    exercises = []
    for key, code in exercise_code.items():
        members = np.flatnonzero(exercise_of == code)
        latest = table.titles[int(members[np.argmax(stamps[members])])]  # as last practised
        exercises.append(GroupChange(key, latest, int(members.size), *by_exercise[key]))
    in_region = np.bincount(region_of_pair, minlength=len(region_code))
    regions = [
        GroupChange(key, _region_label(key), int(in_region[code]), *by_region[key])
        for key, code in region_code.items()
    ]

    def ordered(groups: list[GroupChange]) -> tuple[GroupChange, ...]:
        return tuple(sorted(groups, key=lambda g: (-g.n_sessions, g.label.casefold(), g.key)))

    return Analysis(
        n_sessions=n,
        first_day=date.fromordinal(int(days.min())) if n else None,
        end_day=end_day,
        pain=changes["pain"],
        tension=changes["tension"],
        pain_trend=trends[0],
        tension_trend=trends[1],
        by_exercise=ordered(exercises),
        by_region=ordered(regions),
        pain_completed=completed_changes["pain"],
        tension_completed=completed_changes["tension"],
        ended_early=ended_early,
        interrupted=interrupted,
        after_today=after_today,
    )


# -- in words -----------------------------------------------------------------------------------


def _num(value: float) -> str:
    """A change's size to one decimal (its direction is said in words)."""
    return f"{abs(value):.1f}"


def tenths(value: float) -> int:
    """``value`` in tenths as it is shown to one decimal (8.16 is shown as 8.2: 82), so that
    rules such as "2 points or 30%" judge the numbers people see."""
    return round(float(f"{value:.1f}") * 10)


def meets_drop(first: float, recent: float) -> bool:
    """Whether a fall from ``first`` to ``recent`` (as shown, to one decimal) is
    :data:`DROP_POINTS` points or more, or :data:`DROP_PERCENT` % or more from a starting point
    of :data:`DROP_PERCENT_FROM` or more."""
    start, drop = tenths(first), tenths(first) - tenths(recent)
    if drop >= 10 * DROP_POINTS:
        return True
    return start >= 10 * DROP_PERCENT_FROM and 100 * drop >= DROP_PERCENT * start


def _is_are(n: int) -> str:
    return "is" if n == 1 else "are"


def interval_digits(low: float, high: float, digits: int = 1) -> int:
    """Decimals to show an interval's ends with: ``digits``, or one or two more where an end
    that is not 0 would otherwise read as 0 (so -0.21 to +0.02 does not read "0.0" at one end,
    which hides that the interval includes no change)."""
    for more in range(digits, digits + 2):
        if not any(end != 0 and abs(end) < 0.5 * 10.0**-more for end in (low, high)):
            return more
    return digits + 2


def includes_no_change(low: float, high: float) -> bool:
    """Whether an interval includes 0, judged on its unrounded ends."""
    return low <= 0 <= high


def _interval(
    low: float,
    high: float,
    *,
    note: bool = True,
    down: str = "{} lower",
    up: str = "{} higher",
    sided: bool = False,
) -> str:
    """A 95% CI of a change in words, chosen from its unrounded ends: "95% CI 1.1 to 2.1" when
    it lies on one side of 0 (``sided``: with its direction), "95% CI from 0.21 lower to 0.02
    higher; the range includes no change" when it does not."""
    digits = interval_digits(low, high)

    def size(value: float) -> str:
        return f"{abs(value):.{digits}f}"

    if includes_no_change(low, high):
        text = f"95% CI from {down.format(size(low))} to {up.format(size(high))}"
        return text + "; the range includes no change" if note else text
    if sided:
        way = down if high < 0 else up
        near, far = (high, low) if high < 0 else (low, high)
        return f"95% CI from {way.format(size(far))} to {way.format(size(near))}"
    a, b = sorted((size(low), size(high)), key=float)
    return f"95% CI {a} to {b}"


def _ci_words(figure: Figure, **options: object) -> str:
    """A figure's interval in words, or why it has none."""
    if figure.low is None or figure.high is None:
        return figure.no_interval or "no interval"
    return _interval(figure.low, figure.high, **options)  # type: ignore[arg-type]


def _change_sentence(c: ChangeStats) -> str:
    if not c.enough:
        so_far = (
            "no sessions with before and after ratings yet"
            if c.n == 0
            else f"{count_text(c.n, 'session')} with before and after ratings so far"
        )
        return (
            f"{c.measure.capitalize()}: {so_far}. The average change appears once there are "
            f"{MIN_SESSIONS_CHANGE}."
        )
    return f"Across {count_text(c.n, 'session')}, {c.measure} {_change_words(c)}."


def _change_words(c: ChangeStats) -> str:
    """ "was on average 1.6 points lower after practice than before (95% CI ...)"."""
    mean = c.mean.value
    assert mean is not None
    if round(mean, 1) == 0:
        ci = _ci_words(c.mean, note=False, sided=True)
        return f"was about the same after practice as before (average change 0.0 points, {ci})"
    way = "lower" if mean < 0 else "higher"
    return (
        f"was on average {_num(mean)} points {way} after practice than before ({_ci_words(c.mean)})"
    )


def _completed_words(c: ChangeStats) -> str:
    if not c.enough:
        return f"{c.measure}, {c.reason}"
    return f"{c.measure} {_change_words(c)}, n = {c.n:,}"


def _trend_sentences(t: TrendStats) -> list[str]:
    what = f"before-practice {t.measure}"
    if t.reason:
        if t.n == 0:
            so_far = "so far none"
        elif t.span_days == 0:
            so_far = f"so far {count_text(t.n, 'session')}, all on one day"
        else:
            so_far = f"so far {count_text(t.n, 'session')} over {count_text(t.span_days, 'day')}"
        return [
            f"The long-term trend of {what} is shown after {MIN_SESSIONS_TREND} sessions over "
            f"at least {MIN_DAYS_TREND // 7} weeks ({so_far})."
        ]
    out = []
    first, recent = t.first_window, t.recent_window
    over = f"over {count_text(t.weeks, 'week')}"
    windows = f"averages of the first and the most recent {WINDOW_DAYS} days"
    if first.value is None or recent.value is None:
        out.append(
            f"There are too few {what} ratings in the first or the most recent {WINDOW_DAYS} "
            f"days to compare them ({first.n} and {recent.n}; {MIN_SESSIONS_WINDOW} each are "
            "needed)."
        )
    elif tenths(first.value) == tenths(recent.value):
        out.append(f"{what.capitalize()} has stayed at about {first.value:.1f} {over} ({windows}).")
    else:
        way = "fallen" if recent.value < first.value else "risen"
        out.append(
            f"{what.capitalize()} has {way} from {first.value:.1f} to {recent.value:.1f} {over} "
            f"({windows})."
        )
        change = t.window_change
        if t.measure == "pain" and way == "fallen" and meets_drop(first.value, recent.value):
            size = (
                f"{DROP_POINTS} points or more, or {DROP_PERCENT}% or more from "
                f"{DROP_PERCENT_FROM} or above"
            )
            if change.low is not None and change.high is not None and change.high < 0:
                out.append(
                    f"A fall of this size ({size}) is what studies of chronic pain count as a "
                    f"meaningful change, and the fall's 95% CI "
                    f"({_interval(change.low, change.high).removeprefix('95% CI ')} points) "
                    "does not include no change."
                )
            else:
                out.append(
                    f"A fall of this size ({size}) would count as a meaningful change in studies "
                    "of chronic pain, but with these ratings it could still be chance "
                    f"({_ci_words(change)})."
                )
        if t.measure == "pain" and way == "risen":
            out.append(
                "Pain often goes up and down; if it stays higher or feels different, please "
                "check in with your clinician."
            )
    slope = t.slope_per_week.value
    assert slope is not None
    line = f"A straight line through all {t.n:,} before-practice {t.measure} ratings"
    ci = _ci_words(t.slope_per_week, down="a fall of {}", up="a rise of {}", sided=True)
    if round(slope, 1) == 0:
        out.append(f"{line} is flat (0.0 points a week, {ci}).")
    else:
        way = "falls" if slope < 0 else "rises"
        ci = _ci_words(t.slope_per_week, down="a fall of {}", up="a rise of {}")
        out.append(f"{line} {way} by {_num(slope)} points a week ({ci}).")
    return out


def _fell(t: TrendStats) -> bool:
    first, recent = t.first_window.value, t.recent_window.value
    return (
        not t.reason
        and first is not None
        and recent is not None
        and (tenths(recent) < tenths(first))
    )


def summary(analysis: Analysis) -> tuple[str, ...]:
    """The analysis in plain, careful sentences, each saying what its numbers are."""
    if analysis.n_sessions == 0:
        out_of_range = (
            (_after_today_sentence(analysis.after_today),) if analysis.after_today else ()
        )
        return (
            "No sessions yet. Once you have practised with before and after ratings, this is "
            "where you will see how they compare.",
            *out_of_range,
        )
    out: list[str] = []
    changes = (analysis.pain, analysis.tension)
    for c in changes:
        out.append(_change_sentence(c))
        points, either = c.drop_points, c.responders
        if c.measure == "pain" and either.shown and either.count:
            text = (
                f"Pain eased by {DROP_POINTS} points or {DROP_PERCENT}% or more in "
                f"{either.count:,} of the {either.n:,} sessions that started above 0"
            )
            if points.shown and (points.count, points.n) != (either.count, either.n):
                text += (
                    f" ({DROP_POINTS} points or more in {points.count:,} of the {points.n:,} "
                    f"that started at {DROP_POINTS} or more)"
                )
            out.append(text + ".")
    if any(c.enough and c.mean.value is not None and round(c.mean.value, 1) > 0 for c in changes):
        out.append(
            "Some sessions stir things up, and that is worth knowing; if it keeps happening, a "
            "different exercise or a word with your clinician may help."
        )
    if analysis.ended_early and any(c.enough for c in changes):
        completed = (analysis.pain_completed, analysis.tension_completed)
        out.append(
            f"Of these, {count_text(analysis.ended_early, 'session')} ended before the planned end. "
            "Completed sessions only: " + "; ".join(_completed_words(c) for c in completed) + "."
        )
    if analysis.interrupted:
        k = analysis.interrupted
        out.append(
            f"{count_text(k, 'interrupted session')} {_is_are(k)} left out of the before-and-after "
            "figures: the after-ratings were given when the app next started, not just after "
            "practice."
        )
    if any(c.enough for c in changes):
        out.append(
            "These figures compare just before with just after a session: they show how "
            "practice feels in the moment, not whether pain is changing over weeks."
        )
    trends = (analysis.pain_trend, analysis.tension_trend)
    for t in trends:
        out.extend(_trend_sentences(t))
    if any(_fell(t) for t in trends):
        out.append(
            "People often start practising when they feel at their worst, and ratings tend to "
            "drift back from a bad spell on their own (regression to the mean), so part of a "
            "fall since the first weeks can be that rather than practice."
        )
    if any(
        not t.reason and t.first_window.value is not None and t.recent_window.value is not None
        for t in trends
    ):
        out.append(
            "Ratings change over weeks for many reasons besides practice, so this shows what "
            "happened, not why."
        )
    left = [f"{c.measure}: {c.left_out}" for c in changes if c.left_out]
    if left:
        out.append(
            "Sessions where a rating was skipped are left out of that rating's figures ("
            + ", ".join(left)
            + ")."
        )
    if analysis.after_today:
        out.append(_after_today_sentence(analysis.after_today))
    return tuple(out)


def _after_today_sentence(k: int) -> str:
    return (
        f"{count_text(k, 'session')} dated after today {_is_are(k)} left out of every figure "
        "(a computer clock set wrong can do this)."
    )


def summary_text(analysis: Analysis) -> str:
    """:func:`summary` as one paragraph."""
    return " ".join(summary(analysis))
