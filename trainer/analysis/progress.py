"""Progress in numbers: the change within sessions and the long-term trend of before-ratings.

Two different questions, kept apart as CLINICAL.md asks:

* **Within-session change** (after minus before, per session, for pain and for tension): how
  practice feels in the moment. Negative means lower after practice. Only sessions with both
  ratings count; sessions where either was skipped are left out and counted (``left_out``).
* **Long-term trend** of the *before* ratings: whether the starting point moves over weeks.

Choices, so the numbers can be checked:

* Below a minimum number of sessions a figure is not computed: it carries a ``reason`` such as
  "not enough sessions yet: 3 of 5" instead of a value. Every figure carries its ``n``.
* The 95% CI of the mean change is a percentile bootstrap over sessions with
  :data:`RESAMPLES` resamples from ``numpy.random.Generator(PCG64(seed))``: the same data and seed
  give the same interval (each group's interval depends only on its own sessions and the seed).
  Ratings are whole numbers, so it is computed without drawing n x 10,000 indices: the exact
  distribution of a resample's mean comes from an FFT convolution, and the 2.5% and 97.5% points
  of 10,000 draws from it are drawn directly as order statistics. The result has the same
  distribution as scipy's ``bootstrap(..., method="percentile")``; the tests check it does.
  (``scipy.stats.bootstrap`` itself draws every index: about 10 s and, unbatched, 1.6 GB for
  one interval of 20,000 sessions.)
* The p value is a two-sided Wilcoxon signed-rank test, ``scipy.stats.wilcoxon`` with the method
  its default chooses: zero changes dropped; the exact null distribution for up to 50 sessions
  without ties or zeros, and every sign pattern (a permutation test) for up to 13 sessions with
  them; otherwise the normal approximation with the tie correction and no continuity
  correction. When every change is 0 there is nothing to test: no p value, a reason.
* "Dropped by 30%" means ``before - after >= 0.3 * before``, counted among sessions that
  started above 0 (a rating of 0 cannot drop), so that share has its own ``n``.
* The trend uses every session with that before-rating, rated afterwards or not.
* Days are calendar days in the time zone ``tz`` (UTC unless given). The first window is the
  14 days from the first session's day; the most recent window is the 14 days ending on ``today``
  (the day of the latest session unless given). Sessions after ``today`` are left out. The trend
  needs :data:`MIN_SESSIONS_TREND` sessions spanning :data:`MIN_DAYS_TREND` days, so the two
  windows never overlap.
* The slope is an ordinary least-squares fit of the before-rating on days since the first
  session (exact times), given per week. Its 95% CI uses Student's t with n - 2 degrees of
  freedom. Ratings on nearby days are not independent, so treat that interval as a minimum.

The distributions are scipy's (``scipy.stats``), imported inside the functions that compute a
figure: loading it takes most of a second, which start-up and too-few-sessions never pay.
Everything here is pure: no I/O, no clock, no Qt.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from typing import Final

import numpy as np
import numpy.typing as npt

from trainer.analysis.history import RatedSession, RegionMarks, SessionTable, as_marks
from trainer.content.bodymap import label as _body_label
from trainer.session.ratings import RATING_MAX, RATING_MIN

MEASURES: Final[tuple[str, ...]] = ("pain", "tension")
MIN_SESSIONS_CHANGE: Final = 5
MIN_SESSIONS_TREND: Final = 10
MIN_DAYS_TREND: Final = 28  # first to last session; keeps the two 14-day windows apart
WINDOW_DAYS: Final = 14
MIN_SESSIONS_WINDOW: Final = 3
RESAMPLES: Final = 10_000
DEFAULT_SEED: Final = 0x5AFE
CONFIDENCE: Final = 0.95
DROP_POINTS: Final = 2
DROP_PERCENT: Final = 30
EXACT_MAX_N: Final = 50  # scipy: exact test up to 50 differences without ties or zeros
PERMUTATION_MAX_N: Final = 13  # scipy: exact sign flips up to 13 differences with them

_TAIL: Final = 1e-15  # probability left outside the window of a wrapped (aliased) FFT
_CHUNK: Final = 2_000_000  # index draws per chunk in the bootstrap for non-integer data
_MAX_LATTICE_SPAN: Final = 1000  # whole numbers spread wider than this are resampled directly
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Figure:
    """One number with the sessions behind it (``n``), or the ``reason`` it is not shown.

    ``low`` and ``high`` are its 95% CI where it has one; ``count`` is the number of sessions
    that met the rule where the figure is a share (``value`` is then a fraction 0..1).
    """

    n: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    count: int | None = None
    reason: str = ""

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
    mean: Figure  # with its 95% bootstrap CI
    median: Figure
    test: SignedRankTest
    drop_points: Figure  # share of sessions that dropped by DROP_POINTS or more
    drop_percent: Figure  # share of sessions above 0 before that dropped by DROP_PERCENT %
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
    seed: int

    def change(self, measure: str) -> ChangeStats:
        """The within-session change of ``measure`` ("pain" or "tension")."""
        return {"pain": self.pain, "tension": self.tension}[measure]

    def trend(self, measure: str) -> TrendStats:
        """The long-term trend of ``measure``'s before-ratings."""
        return {"pain": self.pain_trend, "tension": self.tension_trend}[measure]


# -- statistics (scipy.stats is imported inside the functions that use it, never at the top) ----


def bootstrap_mean_ci(
    values: npt.ArrayLike,
    *,
    seed: int = DEFAULT_SEED,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
) -> tuple[float, float]:
    """Percentile bootstrap CI of the mean, reproducible for a given ``seed``.

    The interval is numpy's default (linear) percentile of ``resamples`` resampled means, as
    ``scipy.stats.bootstrap(..., method="percentile")`` takes it. Whole numbers (such as changes
    in ratings) take the exact route of :func:`_bootstrap_counts`; other values are resampled in
    chunks of indices.
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size == 0:
        raise ValueError("a bootstrap needs at least one value")
    if resamples < 2:
        raise ValueError("a bootstrap needs at least two resamples")
    if np.all(x == np.round(x)) and float(np.ptp(x)) <= _MAX_LATTICE_SPAN:
        uniq, counts = np.unique(x.astype(np.int64), return_counts=True)
        return _bootstrap_counts(uniq, counts, seed, resamples, confidence)
    rng = np.random.Generator(np.random.PCG64(seed))
    means = np.sort(_resampled_means(x, rng, resamples))
    low, high = (
        means[below] + weight * (means[above] - means[below])
        for below, above, weight in _percentile_ranks(resamples, confidence)
    )
    return float(low), float(high)


def _percentile_ranks(resamples: int, confidence: float) -> list[tuple[int, int, float]]:
    """For each end of the interval: the two order statistics (0-based) numpy's linear
    percentile interpolates between, and the weight of the upper one."""
    alpha = (1.0 - confidence) / 2.0
    ends = []
    for q in (alpha, 1.0 - alpha):
        position = q * (resamples - 1)
        below = math.floor(position)
        ends.append((below, min(below + 1, resamples - 1), position - below))
    return ends


def _bootstrap_counts(
    values: IntArray, counts: IntArray, seed: int, resamples: int, confidence: float
) -> tuple[float, float]:
    """Percentile bootstrap CI of the mean of whole numbers given as distinct ``values``
    (ascending) and how often each occurs.

    A resample's sum has the n-fold convolution of the values' distribution. It is computed by
    FFT, on a window wide enough that the probability outside it is below ``_TAIL`` when the full
    range would be large, and each resampled mean is drawn by inverting its CDF at a uniform draw.
    That has exactly the distribution of drawing n values with replacement, at a cost that does
    not grow with n. The inverse CDF is monotone, so the k-th smallest of the resampled means is
    the inverse CDF at the k-th smallest of the uniform draws, and only the few order statistics
    the percentiles need are drawn (:func:`_uniform_order_statistics`).
    """
    ends = _percentile_ranks(resamples, confidence)
    ranks = sorted({rank for below, above, _ in ends for rank in (below, above)})
    drawn = _uniform_order_statistics(np.random.Generator(np.random.PCG64(seed)), resamples, ranks)
    n = int(counts.sum())
    lo = int(values[0])
    span = int(values[-1]) - lo
    if span == 0:
        return float(lo), float(lo)
    shifted = values - lo
    probs = np.zeros(span + 1)
    probs[shifted] = counts / n
    mean = float(shifted @ counts) / n
    var = float((shifted - mean) ** 2 @ counts) / n
    full = n * span + 1
    log_tail = math.log(2.0 / _TAIL)
    # Bernstein's inequality: P(|S - E S| >= t) <= _TAIL for this t.
    t = log_tail * span / 3.0 + math.sqrt((log_tail * span / 3.0) ** 2 + 2.0 * log_tail * n * var)
    width = 1 << (2 * math.ceil(t) + 3).bit_length()
    if width >= full:  # the whole range fits: no wrapping at all
        size, start = 1 << (full - 1).bit_length(), 0
    else:
        size, start = width, round(n * mean) - width // 2
    single = np.zeros(size)
    single[: span + 1] = probs
    sums = np.fft.irfft(_power(np.fft.rfft(single), n), size)
    if start:
        sums = np.roll(sums, -(start % size))  # sums[j] is P(sum of shifted values = start + j)
    np.clip(sums, 0.0, None, out=sums)
    cdf = np.cumsum(sums)
    k = np.minimum(np.searchsorted(cdf, drawn * cdf[-1], side="right"), size - 1)
    mean_at = dict(zip(ranks, ((start + k + n * lo) / n).tolist(), strict=True))
    low, high = (
        mean_at[below] + weight * (mean_at[above] - mean_at[below]) for below, above, weight in ends
    )
    return low, high


def _power(z: npt.NDArray[np.complex128], n: int) -> npt.NDArray[np.complex128]:
    """``z ** n`` elementwise by repeated squaring (faster and more exact than numpy's pow)."""
    result = np.ones_like(z)
    base = z.copy()
    while n:
        if n & 1:
            result *= base
        n >>= 1
        if n:
            base *= base
    return result


def _uniform_order_statistics(rng: np.random.Generator, size: int, ranks: list[int]) -> FloatArray:
    """The values at 0-based ``ranks`` (ascending) among ``size`` sorted uniform draws.

    Drawn directly, with the same joint distribution as sorting ``size`` draws: the k-th
    smallest is S_k / S_(size + 1), where S_k is the sum of k independent unit exponentials
    (Renyi's representation), and the sums between the wanted ranks are gamma draws.
    """
    bounds = [0, *(rank + 1 for rank in ranks), size + 1]
    sums = np.cumsum(rng.standard_gamma(np.diff(bounds).astype(np.float64)), dtype=np.float64)
    return np.asarray(sums[:-1] / sums[-1], dtype=np.float64)


def _resampled_means(x: FloatArray, rng: np.random.Generator, resamples: int) -> FloatArray:
    """Means of ``resamples`` resamples with replacement, drawn in chunks to bound memory."""
    n = int(x.size)
    means = np.empty(resamples)
    chunk = max(1, _CHUNK // n)
    for first in range(0, resamples, chunk):
        rows = min(chunk, resamples - first)
        means[first : first + rows] = x[rng.integers(0, n, size=(rows, n))].mean(axis=1)
    return means


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
_BEFORE: Final = np.repeat(np.arange(_LEVELS), _LEVELS)
_AFTER: Final = np.tile(np.arange(_LEVELS), _LEVELS)
_CHANGE_INDEX: Final = _AFTER - _BEFORE + RATING_MAX  # 0..20 for a change of -10..10
_CHANGES: Final = np.arange(-RATING_MAX, RATING_MAX + 1)
_DROPPED_POINTS: Final = _BEFORE - _AFTER >= DROP_POINTS
_ABOVE_ZERO: Final = _BEFORE > 0
_DROPPED_PERCENT: Final = _ABOVE_ZERO & (100 * (_BEFORE - _AFTER) >= DROP_PERCENT * _BEFORE)


def _not_enough(n: int, needed: int, what: str = "sessions") -> str:
    return f"not enough {what} yet: {n} of {needed}"


def change_stats(
    measure: str,
    before: npt.ArrayLike,
    after: npt.ArrayLike,
    *,
    left_out: int = 0,
    seed: int = DEFAULT_SEED,
    resamples: int = RESAMPLES,
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
    return _change_from_table(measure, table, seed, resamples)


def _change_from_table(measure: str, table: IntArray, seed: int, resamples: int) -> ChangeStats:
    """The change figures from a group's table of (before, after) pairs."""
    pairs = table[:_SKIPPED_CELL]
    n = int(pairs.sum())
    left_out = int(table[_SKIPPED_CELL])
    above_zero = int(pairs[_ABOVE_ZERO].sum())
    by_change = np.bincount(_CHANGE_INDEX, weights=pairs, minlength=_CHANGES.size)
    by_change = by_change.astype(np.int64)
    if n < MIN_SESSIONS_CHANGE:
        reason = _not_enough(n, MIN_SESSIONS_CHANGE)
        missing = Figure(n, reason=reason)
        test = SignedRankTest(n, n - int(by_change[RATING_MAX]), None, None, "", reason)
        percent = Figure(above_zero, reason=reason)
        return ChangeStats(measure, n, left_out, missing, missing, test, missing, percent, reason)
    present = by_change > 0
    low, high = _bootstrap_counts(
        _CHANGES[present], by_change[present], seed, resamples, CONFIDENCE
    )
    mean = Figure(n, float(_CHANGES @ by_change) / n, low, high)
    cumulative = np.cumsum(by_change)
    middle = _CHANGES[np.searchsorted(cumulative, [(n - 1) // 2, n // 2], side="right")]
    median = Figure(n, float(middle.mean()))
    count = int(pairs[_DROPPED_POINTS].sum())
    drop_points = Figure(n, count / n, count=count)
    if above_zero < MIN_SESSIONS_CHANGE:
        what = f"sessions with {measure} above 0"
        drop_percent = Figure(above_zero, reason=_not_enough(above_zero, MIN_SESSIONS_CHANGE, what))
    else:
        count = int(pairs[_DROPPED_PERCENT].sum())
        drop_percent = Figure(above_zero, count / above_zero, count=count)
    test = signed_rank_test(np.repeat(_CHANGES, by_change))
    return ChangeStats(measure, n, left_out, mean, median, test, drop_points, drop_percent)


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
        return TrendStats(measure, 0, None, None, end_day, 0, none, none, none, reason)
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
    for label, mask in (
        ("the first", day < first + WINDOW_DAYS),
        ("the most recent", day > end - WINDOW_DAYS),
    ):
        k = int(np.count_nonzero(mask))
        if reason:
            windows.append(Figure(k, reason=reason))
        elif k < MIN_SESSIONS_WINDOW:
            what = f"sessions in {label} {WINDOW_DAYS} days"
            windows.append(Figure(k, reason=_not_enough(k, MIN_SESSIONS_WINDOW, what)))
        else:
            windows.append(Figure(k, float(y[mask].mean())))
    if reason:
        slope = Figure(n, reason=reason)
    else:
        per_day, low, high = least_squares_slope(x - x.min(), y)
        slope = Figure(n, 7 * per_day, 7 * low, 7 * high)
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
    """One (before, after) table per group: ``cells[i]`` counted in ``groups[i]``'s table."""
    flat = np.bincount(groups * _CELLS + cells, minlength=n_groups * _CELLS)
    return flat.reshape(n_groups, _CELLS)


def analyse(
    sessions: Iterable[RatedSession] | SessionTable,
    regions_by_session: Mapping[int, Collection[str]] | RegionMarks | None = None,
    *,
    today: date | None = None,
    tz: tzinfo = UTC,
    seed: int = DEFAULT_SEED,
    resamples: int = RESAMPLES,
    days: IntArray | None = None,
) -> Analysis:
    """Analyse one person's sessions (objects in any order, or a table); see the module
    docstring for the choices.

    ``regions_by_session`` maps a session id to the body regions marked as hurting (as from
    ``store.regions.pain_by_session``); a session counts towards each of its regions. ``today``
    is a calendar day in ``tz``: it ends the most recent window, and later sessions are left out.
    ``days`` may give a table's sessions' calendar days in ``tz``, when the caller has them.
    """
    table = sessions if isinstance(sessions, SessionTable) else SessionTable.from_sessions(sessions)
    if days is None or not isinstance(sessions, SessionTable):
        days = table.local_days(tz)
    if today is not None:
        table = table.take(days <= today.toordinal())
        days = days[days <= today.toordinal()]
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

    changes: dict[str, ChangeStats] = {}
    by_exercise: dict[str, list[ChangeStats]] = {key: [] for key in exercise_code}
    by_region: dict[str, list[ChangeStats]] = {key: [] for key in region_code}
    for col, measure in enumerate(MEASURES):
        before, after = ratings[:, col], ratings[:, col + 2]
        cells = np.where((before >= 0) & (after >= 0), before * _LEVELS + after, _SKIPPED_CELL)
        overall = np.bincount(cells, minlength=_CELLS)
        changes[measure] = _change_from_table(measure, overall, seed, resamples)
        for key, counts in zip(
            exercise_code, _tables(cells, exercise_of, len(exercise_code)), strict=True
        ):
            by_exercise[key].append(_change_from_table(measure, counts, seed, resamples))
        for key, counts in zip(
            region_code, _tables(cells[region_row], region_of_pair, len(region_code)), strict=True
        ):
            by_region[key].append(_change_from_table(measure, counts, seed, resamples))

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
        seed=seed,
    )


# -- in words -----------------------------------------------------------------------------------


def _num(value: float) -> str:
    """A change's size to one decimal (its direction is said in words)."""
    return f"{abs(value):.1f}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _with_ci(figure: Figure) -> tuple[float, float, float]:
    """A shown figure's value and 95% CI."""
    if figure.value is None or figure.low is None or figure.high is None:
        raise ValueError(f"this figure has no interval: {figure.reason}")
    return figure.value, figure.low, figure.high


def _interval(low: float, high: float, *, note: bool = True) -> str:
    """A 95% CI of a change in words: "1.1 to 2.1" when it lies on one side of 0."""
    lo, hi = round(low, 1), round(high, 1)
    if lo < 0 < hi:
        text = f"95% CI from {abs(lo):.1f} lower to {hi:.1f} higher"
        return text + "; the range includes no change" if note else text
    a, b = sorted((abs(lo), abs(hi)))
    return f"95% CI {a:.1f} to {b:.1f}"


def _change_sentence(c: ChangeStats) -> str:
    if not c.enough:
        so_far = (
            "no sessions with before and after ratings yet"
            if c.n == 0
            else f"{_plural(c.n, 'session')} with before and after ratings so far"
        )
        return (
            f"{c.measure.capitalize()}: {so_far}. The average change appears once there are "
            f"{MIN_SESSIONS_CHANGE}."
        )
    mean, low, high = _with_ci(c.mean)
    if round(mean, 1) == 0:
        ci = _interval(low, high, note=False)
        return (
            f"Across {_plural(c.n, 'session')}, {c.measure} was about the same after practice as "
            f"before (average change 0.0 points, {ci})."
        )
    ci = _interval(low, high)
    way = "lower" if mean < 0 else "higher"
    return (
        f"Across {_plural(c.n, 'session')}, {c.measure} was on average {_num(mean)} points {way} "
        f"after practice than before ({ci})."
    )


def _trend_sentences(t: TrendStats) -> list[str]:
    what = f"before-practice {t.measure}"
    if t.reason:
        if t.n == 0:
            so_far = "so far none"
        elif t.span_days == 0:
            so_far = f"so far {_plural(t.n, 'session')}, all on one day"
        else:
            so_far = f"so far {_plural(t.n, 'session')} over {_plural(t.span_days, 'day')}"
        return [
            f"The long-term trend of {what} is shown after {MIN_SESSIONS_TREND} sessions over "
            f"at least {MIN_DAYS_TREND // 7} weeks ({so_far})."
        ]
    out = []
    first, recent = t.first_window, t.recent_window
    over = f"over {_plural(t.weeks, 'week')}"
    windows = f"averages of the first and the most recent {WINDOW_DAYS} days"
    if first.value is None or recent.value is None:
        out.append(
            f"There are too few {what} ratings in the first or the most recent {WINDOW_DAYS} "
            f"days to compare them ({first.n} and {recent.n}; {MIN_SESSIONS_WINDOW} each are "
            "needed)."
        )
    elif round(first.value, 1) == round(recent.value, 1):
        out.append(f"{what.capitalize()} has stayed at about {first.value:.1f} {over} ({windows}).")
    else:
        way = "fallen" if recent.value < first.value else "risen"
        out.append(
            f"{what.capitalize()} has {way} from {first.value:.1f} to {recent.value:.1f} {over} "
            f"({windows})."
        )
        shown_first, shown_recent = round(first.value, 1), round(recent.value, 1)
        drop = shown_first - shown_recent
        if t.measure == "pain" and (
            drop >= DROP_POINTS or 100 * drop >= DROP_PERCENT * shown_first
        ):
            out.append(
                f"A fall of this size ({DROP_POINTS} points or {DROP_PERCENT}% or more) is what "
                "studies of chronic pain count as a meaningful change."
            )
        if t.measure == "pain" and way == "risen":
            out.append(
                "Pain often goes up and down; if it stays higher or feels different, please "
                "check in with your clinician."
            )
    slope, low, high = _with_ci(t.slope_per_week)
    line = f"A straight line through all {t.n:,} before-practice {t.measure} ratings"
    if round(slope, 1) == 0:
        ci = _interval(low, high, note=False)
        out.append(f"{line} is flat (0.0 points a week, {ci}).")
    else:
        way = "falls" if slope < 0 else "rises"
        out.append(f"{line} {way} by {_num(slope)} points a week ({_interval(low, high)}).")
    return out


def summary(analysis: Analysis) -> tuple[str, ...]:
    """The analysis in plain, careful sentences, each saying what its numbers are."""
    if analysis.n_sessions == 0:
        return (
            "No sessions yet. Once you have practised with before and after ratings, this is "
            "where you will see how they compare.",
        )
    out: list[str] = []
    changes = (analysis.pain, analysis.tension)
    for c in changes:
        out.append(_change_sentence(c))
        if c.measure == "pain" and c.enough and c.drop_points.count:
            out.append(
                f"In {c.drop_points.count:,} of the {c.n:,} sessions, pain eased by {DROP_POINTS} "
                "points or more."
            )
    if any(c.enough and c.mean.value is not None and round(c.mean.value, 1) > 0 for c in changes):
        out.append(
            "Some sessions stir things up, and that is worth knowing; if it keeps happening, a "
            "different exercise or a word with your clinician may help."
        )
    if any(c.enough for c in changes):
        out.append(
            "These figures compare just before with just after a session: they show how "
            "practice feels in the moment, not whether pain is changing over weeks."
        )
    trends = (analysis.pain_trend, analysis.tension_trend)
    for t in trends:
        out.extend(_trend_sentences(t))
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
    return tuple(out)


def summary_text(analysis: Analysis) -> str:
    """:func:`summary` as one paragraph."""
    return " ".join(summary(analysis))
