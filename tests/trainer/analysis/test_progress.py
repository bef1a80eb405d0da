"""Tests for trainer/analysis/progress.py: the figures against scipy, the edge cases, the sentences.

The distributions are scipy's (imported by progress.py only when a figure is computed); these
tests check what the project adds: the choice of method, the rank sums of every sign pattern
computed at once, the coverage of the t interval, the least-squares slope, the tables, the words.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from trainer.analysis import progress
from trainer.analysis.history import SessionTable
from trainer.analysis.progress import (
    MIN_DAYS_TREND,
    MIN_SESSIONS_CHANGE,
    MIN_SESSIONS_TREND,
    Analysis,
    analyse,
    change_stats,
    least_squares_slope,
    mean_ci,
    signed_rank_test,
    summary,
    summary_text,
    welch_difference,
)
from trainer.session.machine import Ratings, SessionStatus
from trainer.store.sessions import StoredSession

START = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Session:
    """The fields the analysis reads (StoredSession has these and more)."""

    id: int
    exercise_id: str
    title: str
    started_at: datetime
    before: Ratings
    after: Ratings


def session(
    i: int,
    day: float,
    pain: tuple[int | None, int | None],
    tension: tuple[int | None, int | None] = (5, 4),
    exercise: str = "coherent-5-5",
) -> Session:
    """Session ``i`` on ``day`` days after START with (before, after) pain and tension."""
    return Session(
        i,
        exercise,
        exercise.replace("-", " ").capitalize(),
        START + timedelta(days=day),
        Ratings(tension[0], pain[0]),
        Ratings(tension[1], pain[1]),
    )


def daily(
    pairs: list[tuple[int | None, int | None]], exercise: str = "coherent-5-5"
) -> list[Session]:
    """One session a day with these (before, after) pain ratings."""
    return [session(i + 1, i, pair, exercise=exercise) for i, pair in enumerate(pairs)]


# The fixed small dataset for the summary: 14 sessions over 41 days.
# day, before pain, after pain, before tension, after tension (None = skipped)
PLAN: list[tuple[int, int, int, int, int | None]] = [
    (0, 7, 5, 6, 4), (3, 7, 6, 7, 5), (6, 6, 4, 6, 3), (9, 7, 5, 5, 4), (12, 6, 5, 6, None),
    (15, 6, 4, 5, 3), (18, 5, 4, 6, 4), (21, 6, 3, 5, 3), (24, 5, 4, 5, 4),
    (28, 5, 3, 4, 2), (31, 4, 3, 5, 3), (35, 5, 4, 4, 3), (38, 4, 2, 4, 2), (41, 4, 3, 3, 2),
]  # fmt: skip


@pytest.fixture
def six_weeks() -> list[Session]:
    return [
        session(i + 1, d, (bp, ap), (bt, at), "body-scan" if i % 2 else "coherent-5-5")
        for i, (d, bp, ap, bt, at) in enumerate(PLAN)
    ]


# -- Wilcoxon signed-rank test against scipy ---------------------------------------------------


def _check_against_scipy(d: np.ndarray, method: str) -> None:
    ours = signed_rank_test(d)
    theirs = stats.wilcoxon(d)
    assert ours.method == method
    assert ours.p_value == pytest.approx(float(theirs.pvalue), rel=1e-9, abs=1e-14)
    assert ours.statistic == pytest.approx(float(theirs.statistic))
    assert ours.n == d.size
    assert ours.n_nonzero == np.count_nonzero(d)


@pytest.mark.parametrize("n", [1, 2, 13, 14, 50])
def test_wilcoxon_small_samples_without_ties_are_exact_like_scipy(n: int) -> None:
    _check_against_scipy(np.random.default_rng(n).normal(0.4, 1.0, n), "exact")


# scipy enumerates all 2**n sign patterns here, which takes it seconds at n = 13: few samples.
@pytest.mark.parametrize(("n", "samples"), [(2, 10), (4, 10), (7, 5), (10, 2), (13, 1)])
def test_wilcoxon_up_to_13_with_ties_and_zeros_uses_exact_sign_flips_like_scipy(
    n: int, samples: int
) -> None:
    rng = np.random.default_rng(100 + n)
    checked = 0
    while checked < samples:
        d = rng.integers(-3, 3, n).astype(float)
        magnitudes = np.abs(d[d != 0])
        if magnitudes.size and (
            magnitudes.size < n or np.unique(magnitudes).size < magnitudes.size
        ):
            _check_against_scipy(d, "exact sign flips")
            checked += 1


@pytest.mark.parametrize(("n", "low", "high"), [(14, -3, 3), (50, -2, 2), (51, -4, 4)])
def test_wilcoxon_with_ties_or_zeros_above_13_is_the_normal_approximation(
    n: int, low: int, high: int
) -> None:
    rng = np.random.default_rng(n)
    _check_against_scipy(rng.integers(low, high + 1, n).astype(float), "normal approximation")


@pytest.mark.parametrize("n", [51, 5000])
def test_wilcoxon_above_50_is_the_normal_approximation_even_without_ties(n: int) -> None:
    _check_against_scipy(np.random.default_rng(n).normal(-0.1, 1.0, n), "normal approximation")


def test_wilcoxon_ties_without_zeros_and_zeros_without_ties() -> None:
    _check_against_scipy(np.array([1.0, -1.0, 2.0, 2.0, 3.0, -4.0]), "exact sign flips")
    _check_against_scipy(np.array([0.0, 1.0, -2.0, 3.0, 4.0, 5.0]), "exact sign flips")
    _check_against_scipy(np.array([0.0, *range(1, 20)], dtype=float), "normal approximation")
    _check_against_scipy(np.array([0.0, 0.0, 3.0]), "exact sign flips")  # one change to flip


def test_wilcoxon_of_rating_changes_from_the_tables_matches_scipy() -> None:
    rng = np.random.default_rng(7)
    for n in (5, 9, 14, 40, 51, 3000):
        before = rng.integers(0, 11, n)
        after = np.clip(before - rng.integers(-2, 4, n), 0, 10)
        ours = change_stats("pain", before, after).test
        theirs = stats.wilcoxon((after - before).astype(float))
        assert ours.p_value == pytest.approx(float(theirs.pvalue), rel=1e-9, abs=1e-14)
        assert ours.statistic == pytest.approx(float(theirs.statistic))


def test_wilcoxon_of_all_zero_changes_has_no_p_value_but_a_reason() -> None:
    result = signed_rank_test(np.zeros(8))
    assert result.p_value is None
    assert result.statistic is None
    assert result.reason == "every change was 0, so there is no difference to test"
    assert (result.n, result.n_nonzero) == (8, 0)
    assert signed_rank_test([]).reason == "no changes to test"


# -- scipy is loaded only when a figure is computed ----------------------------------------------


def test_scipy_is_imported_only_when_a_statistic_is_computed() -> None:
    """scipy.stats takes most of a second to import: not at start-up, nor for too few sessions."""
    code = (
        "import sys\n"
        "from trainer.analysis.progress import change_stats\n"
        "def scipy_loaded(): return any(m.split('.')[0] == 'scipy' for m in sys.modules)\n"
        "print(scipy_loaded())\n"
        "change_stats('pain', [5, 6, 7, 4], [4, 4, 5, 4])\n"
        "print(scipy_loaded())\n"
        "change_stats('pain', [5, 6, 7, 4, 6], [4, 4, 5, 4, 6])\n"
        "print(scipy_loaded())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True"]


# -- the least-squares slope -------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 10, 60, 5000])
def test_slope_and_its_interval_match_linregress(n: int) -> None:
    rng = np.random.default_rng(n)
    x = np.sort(rng.uniform(0, 90, n))
    y = np.clip(np.round(6 - 0.03 * x + rng.normal(0, 1.2, n)), 0, 10)
    slope, low, high = least_squares_slope(x, y)
    fit = stats.linregress(x, y)
    half = stats.t.ppf(0.975, n - 2) * fit.stderr
    assert slope == pytest.approx(fit.slope, rel=1e-9, abs=1e-12)
    assert low == pytest.approx(fit.slope - half, rel=1e-9, abs=1e-12)
    assert high == pytest.approx(fit.slope + half, rel=1e-9, abs=1e-12)


# -- the t interval of the mean change -----------------------------------------------------------

# Whole-number changes as sessions give them: one roughly normal around -1, one skewed (most
# sessions change a little, a few a lot). Their true means are known, so coverage can be counted.
_NORMAL_CHANGES = np.arange(-5, 4)
_NORMAL_WEIGHTS = np.exp(-0.5 * ((_NORMAL_CHANGES + 1) / 1.5) ** 2)
_SKEWED_CHANGES = np.array([-6, -4, -3, -2, -1, 0, 1])
_SKEWED_WEIGHTS = np.array([0.04, 0.06, 0.1, 0.2, 0.25, 0.25, 0.1])


@pytest.mark.parametrize(
    ("changes", "weights"),
    [(_NORMAL_CHANGES, _NORMAL_WEIGHTS), (_SKEWED_CHANGES, _SKEWED_WEIGHTS)],
    ids=["normal", "skewed"],
)
@pytest.mark.parametrize("n", [5, 8, 10, 20])
def test_the_95_percent_interval_covers_the_true_mean_about_95_percent_of_the_time(
    changes: np.ndarray, weights: np.ndarray, n: int
) -> None:
    """The issue's finding: a percentile bootstrap covered ~85% at n = 5 and ~90% at n = 10.
    Simulated with a fixed seed, 4,000 samples each (a binomial standard error of 0.35%)."""
    p = weights / weights.sum()
    true_mean = float(changes @ p)
    samples = np.random.default_rng(2026 + n).choice(changes, size=(4000, n), p=p)
    covered = 0
    for d in samples:
        ci = mean_ci(d)  # None (identical changes) counts as a miss
        covered += ci is not None and ci[0] <= true_mean <= ci[1]
    assert 0.92 <= covered / len(samples) <= 0.975


def test_the_issues_example_has_the_t_interval() -> None:
    # changes 0, -1, -1, -2, -3: the bootstrap showed "1.4 lower (95% CI 0.6 to 2.4)".
    c = change_stats("pain", [5, 5, 5, 5, 5], [5, 4, 4, 3, 2])
    assert c.mean.value == pytest.approx(-1.4)
    assert (c.mean.low, c.mean.high) == pytest.approx((-2.8157, 0.0157), abs=1e-4)
    assert c.test.p_value == pytest.approx(0.125)
    lines = summary(analyse(daily([(5, 5), (5, 4), (5, 4), (5, 3), (5, 2)])))
    assert lines[0] == (
        "Across 5 sessions, pain was on average 1.4 points lower after practice than before "
        "(95% CI from 2.82 lower to 0.02 higher; the range includes no change)."
    )


@pytest.mark.parametrize("n", [2, 5, 13, 400])
def test_the_interval_matches_scipys_t_interval(n: int) -> None:
    d = np.random.default_rng(n).integers(-4, 3, n).astype(float)
    expected = stats.t.interval(0.95, n - 1, loc=d.mean(), scale=stats.sem(d))
    assert mean_ci(d) == pytest.approx(expected, rel=1e-12)
    before = np.full(n, 5)
    c = change_stats("pain", before, before + d.astype(int))
    if n >= MIN_SESSIONS_CHANGE:
        assert (c.mean.low, c.mean.high) == pytest.approx(expected, rel=1e-9)


def test_identical_values_have_no_interval() -> None:
    assert mean_ci([-2, -2, -2, -2, -2]) is None
    assert mean_ci([3.0]) is None
    with pytest.raises(ValueError, match="at least one value"):
        mean_ci([])


def test_the_welch_interval_of_two_windows_matches_scipy() -> None:
    first, second = np.array([7, 6, 8, 7.0]), np.array([5, 4, 6, 4, 5.0])
    difference, low, high = welch_difference(first, second)
    result = stats.ttest_ind(second, first, equal_var=False)
    ci = result.confidence_interval(0.95)
    assert difference == pytest.approx(second.mean() - first.mean())
    assert (low, high) == pytest.approx((ci.low, ci.high), rel=1e-9)
    assert welch_difference([5, 5, 5], [3, 3, 3]) == (-2.0, None, None)


# -- the change figures -------------------------------------------------------------------------


def test_change_figures_for_a_small_set() -> None:
    before = [6, 0, 5, 3, 10, 4, 7]
    after = [4, 0, 5, 2, 7, 5, 6]  # changes -2, 0, 0, -1, -3, +1, -1
    c = change_stats("pain", before, after, left_out=2)
    assert (c.n, c.left_out, c.enough, c.reason) == (7, 2, True, "")
    assert c.mean.value == pytest.approx(-6 / 7)
    assert c.mean.n == 7
    assert c.mean.low is not None
    assert c.mean.high is not None
    assert c.mean.value is not None
    assert c.mean.low <= c.mean.value <= c.mean.high
    assert c.median.value == -1.0
    # 2 points: among the 6 sessions that started at 2 or more (0 cannot drop 2 points).
    assert (c.drop_points.count, c.drop_points.n) == (2, 6)
    assert c.drop_points.value == pytest.approx(2 / 6)
    # 30%: among the 6 sessions that started above 0; 6->4 (33%), 3->2 (33%), 10->7 (30%) count.
    assert (c.drop_percent.count, c.drop_percent.n) == (3, 6)
    assert c.drop_percent.value == pytest.approx(3 / 6)
    # Either: 6->4, 3->2, 10->7 (the 2-point drops are 30% drops too).
    assert (c.responders.count, c.responders.n) == (3, 6)


def test_median_of_an_even_number_of_changes_is_the_middle_pair_mean() -> None:
    c = change_stats("pain", [5, 5, 5, 5, 5, 5], [5, 4, 3, 2, 5, 5])  # 0 0 0 -1 -2 -3
    assert c.median.value == pytest.approx(np.median([0, -1, -2, -3, 0, 0]))


def test_30_percent_share_needs_enough_sessions_that_started_above_zero() -> None:
    c = change_stats("pain", [0, 0, 0, 4, 5, 6], [0, 1, 0, 2, 5, 3])
    assert c.enough
    assert c.drop_percent.value is None
    assert c.drop_percent.n == 3
    assert c.drop_percent.reason == "not enough sessions with pain above 0 yet: 3 of 5"


def test_below_the_minimum_every_figure_gives_the_reason_and_its_n() -> None:
    c = change_stats("tension", [5, 6, 7], [4, 4, 7])
    assert not c.enough
    assert c.reason == f"not enough sessions yet: 3 of {MIN_SESSIONS_CHANGE}"
    for figure in (c.mean, c.median, c.drop_points, c.drop_percent):
        assert figure.value is None
        assert not figure.shown
        assert figure.reason == c.reason
        assert figure.n == 3
    assert c.test.p_value is None
    assert c.test.reason == c.reason


def test_ratings_outside_the_scale_are_refused() -> None:
    with pytest.raises(ValueError, match="from 0 to 10"):
        change_stats("pain", [11, 2, 3, 4, 5], [1, 2, 3, 4, 5])
    with pytest.raises(ValueError, match="from 0 to 10"):
        analyse([session(1, 0, (12, 3))])


# -- analyse: edge cases ------------------------------------------------------------------------


def test_no_sessions() -> None:
    a = analyse([])
    assert a.n_sessions == 0
    assert (a.first_day, a.end_day) == (None, None)
    assert (a.pain.n, a.tension.n) == (0, 0)
    assert a.pain.reason == "not enough sessions yet: 0 of 5"
    assert a.pain_trend.n == 0
    assert a.pain_trend.reason == "not enough sessions yet: 0 of 10"
    assert (a.by_exercise, a.by_region) == ((), ())
    assert summary(a) == (
        "No sessions yet. Once you have practised with before and after ratings, this is where "
        "you will see how they compare.",
    )


def test_one_session() -> None:
    a = analyse([session(1, 0, (6, 4))])
    assert a.n_sessions == 1
    assert a.pain.n == 1
    assert a.pain.mean.value is None
    assert a.pain.mean.reason == "not enough sessions yet: 1 of 5"
    assert a.first_day == a.end_day == date(2026, 3, 2)
    assert a.pain_trend.span_days == 0
    assert [g.key for g in a.by_exercise] == ["coherent-5-5"]
    assert summary(a) == (
        "Pain: 1 session with before and after ratings so far. The average change appears once "
        "there are 5.",
        "Tension: 1 session with before and after ratings so far. The average change appears "
        "once there are 5.",
        "The long-term trend of before-practice pain is shown after 10 sessions over at least 4 "
        "weeks (so far 1 session, all on one day).",
        "The long-term trend of before-practice tension is shown after 10 sessions over at "
        "least 4 weeks (so far 1 session, all on one day).",
    )


def test_all_skipped_ratings_are_left_out_and_counted() -> None:
    rows = [
        Session(i, "box-4-4-4-4", "Box", START + timedelta(days=i), Ratings(None, None), after)
        for i, after in enumerate([Ratings(None, None), Ratings(3, 2), Ratings(None, None)])
    ]
    a = analyse(rows)
    assert a.n_sessions == 3
    assert (a.pain.n, a.pain.left_out) == (0, 3)
    assert (a.tension.n, a.tension.left_out) == (0, 3)
    assert a.pain_trend.n == 0
    assert a.pain.test.reason == "not enough sessions yet: 0 of 5"
    text = summary_text(a)
    assert "Pain: no sessions with before and after ratings yet." in text
    assert "(so far none)" in text
    assert text.endswith(
        "Sessions where a rating was skipped are left out of that rating's figures (pain: 3, "
        "tension: 3)."
    )


def test_a_skipped_after_rating_still_counts_in_the_trend_of_before_ratings() -> None:
    rows = daily([(6, None)] * 3 + [(6, 4)] * 5)
    a = analyse(rows)
    assert (a.pain.n, a.pain.left_out) == (5, 3)
    assert a.pain_trend.n == 8


def test_identical_ratings_have_no_p_value_and_read_as_about_the_same() -> None:
    a = analyse(daily([(5, 5)] * 8))
    assert a.pain.mean.value == 0.0
    assert (a.pain.mean.low, a.pain.mean.high) == (None, None)
    assert a.pain.mean.no_interval == "every change was the same, so no interval can be computed"
    assert a.pain.median.value == 0.0
    assert a.pain.test.p_value is None
    assert a.pain.test.reason == "every change was 0, so there is no difference to test"
    assert a.pain.drop_points.value == 0.0
    assert summary(a)[0] == (
        "Across 8 sessions, pain was about the same after practice as before (average change "
        "0.0 points, every change was the same, so no interval can be computed)."
    )
    assert "nan" not in summary_text(a).lower()


def test_ties_in_the_changes() -> None:
    pairs = [(6, 4), (6, 4), (5, 3), (7, 5), (6, 5), (6, 5), (5, 6), (6, 6)]
    a = analyse(daily([*pairs]))
    d = np.array([after - before for before, after in pairs], dtype=float)
    assert a.pain.test.method == "exact sign flips"
    assert a.pain.test.p_value == pytest.approx(float(stats.wilcoxon(d).pvalue), rel=1e-12)
    assert a.pain.mean.value == pytest.approx(d.mean())
    assert a.pain.median.value == pytest.approx(float(np.median(d)))


def test_a_larger_history_agrees_with_scipy() -> None:
    rng = np.random.default_rng(21)
    before = rng.integers(2, 10, 400)
    after = np.clip(before - rng.integers(-1, 4, 400), 0, 10)
    rows = daily([(int(b), int(x)) for b, x in zip(before, after, strict=True)])
    a = analyse(rows)
    d = (after - before).astype(float)
    assert a.pain.mean.value == pytest.approx(d.mean())
    assert a.pain.test.p_value == pytest.approx(float(stats.wilcoxon(d).pvalue), rel=1e-9)
    expected = stats.t.interval(0.95, d.size - 1, loc=d.mean(), scale=stats.sem(d))
    assert (a.pain.mean.low, a.pain.mean.high) == pytest.approx(expected, rel=1e-9)


def test_the_same_sessions_in_any_order_give_the_same_analysis(six_weeks: list[Session]) -> None:
    assert analyse(six_weeks) == analyse(list(reversed(six_weeks)))


def test_results_are_frozen(six_weeks: list[Session]) -> None:
    a = analyse(six_weeks)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.pain.mean.value = 0.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.n_sessions = 3  # type: ignore[misc]
    assert isinstance(a, Analysis)
    assert a.change("pain") is a.pain
    assert a.trend("tension") is a.tension_trend


def test_stored_sessions_can_be_analysed_directly() -> None:
    rows = [
        StoredSession(
            id=i + 1,
            profile_id=1,
            exercise_id="somatic-tracking",
            kind="attention",
            settings={"title": "Somatic tracking"},
            started_at=START + timedelta(days=i),
            ended_at=None,
            planned_s=600.0,
            practised_s=600.0,
            status=SessionStatus.COMPLETED,
            before=Ratings(5, 6),
            after=Ratings(3, 4),
            notes="",
        )
        for i in range(5)
    ]
    a = analyse(rows, {1: ("lower_back",)})
    assert a.pain.mean.value == -2.0
    assert a.by_exercise[0].label == "Somatic tracking"
    assert a.by_region[0].label == "Lower back"


# -- per exercise and per region ----------------------------------------------------------------


def test_per_exercise_figures_with_their_n() -> None:
    rows = daily([(6, 4)] * 6, exercise="coherent-5-5") + [
        session(100 + i, i, (5, 5), exercise="body-scan") for i in range(3)
    ]
    rows.append(
        Session(200, "body-scan", "Body scan (new name)", START + timedelta(days=9), Ratings(4, 5), Ratings(4, 5))
    )  # fmt: skip
    a = analyse(rows)
    assert [(g.key, g.n_sessions) for g in a.by_exercise] == [("coherent-5-5", 6), ("body-scan", 4)]
    coherent, scan = a.by_exercise
    assert coherent.label == "Coherent 5 5"
    assert scan.label == "Body scan (new name)"  # the title it had when last practised
    assert coherent.pain.mean.value == -2.0
    assert coherent.pain.n == 6
    assert scan.pain.n == 4
    assert scan.pain.mean.value is None
    assert scan.pain.reason == "not enough sessions yet: 4 of 5"


def test_per_region_figures_count_a_session_in_each_of_its_regions() -> None:
    rows = daily([(6, 3), (6, 4), (7, 5), (5, 4), (6, 4), (7, 6), (4, 4)])
    regions = {
        1: ("lower_back", "neck"),
        2: ("lower_back",),
        3: ("lower_back", "neck"),
        4: ("lower_back", "lower_back"),  # listed twice: counted once
        5: ("lower_back", "neck"),
        6: ("mystery_area",),
        99: ("neck",),  # not among the sessions: ignored
    }
    a = analyse(rows, regions)
    found = {g.key: g for g in a.by_region}
    assert set(found) == {"lower_back", "neck", "mystery_area"}
    back = found["lower_back"]
    assert (back.label, back.n_sessions, back.pain.n) == ("Lower back", 5, 5)
    assert back.pain.mean.value == pytest.approx(np.mean([-3, -2, -2, -1, -2]))
    assert (found["neck"].n_sessions, found["neck"].pain.reason) == (
        3,
        "not enough sessions yet: 3 of 5",
    )
    assert found["mystery_area"].label == "Mystery area"
    assert next(g.key for g in a.by_region) == "lower_back"  # most sessions first
    assert analyse(rows).by_region == ()


def test_per_group_figures_equal_the_figures_of_that_groups_sessions_alone(
    six_weeks: list[Session],
) -> None:
    a = analyse(six_weeks)
    for group in a.by_exercise:
        alone = analyse([s for s in six_weeks if s.exercise_id == group.key])
        assert group.pain == alone.pain
        assert group.tension == alone.tension


# -- the long-term trend ------------------------------------------------------------------------


def test_trend_windows_and_slope(six_weeks: list[Session]) -> None:
    t = analyse(six_weeks).pain_trend
    assert t.reason == ""
    assert (t.first_day, t.last_day, t.end_day) == (
        date(2026, 3, 2),
        date(2026, 4, 12),
        date(2026, 4, 12),
    )
    assert (t.span_days, t.weeks, t.n) == (41, 6, 14)
    first = [bp for d, bp, *_ in PLAN if d < 14]
    recent = [bp for d, bp, *_ in PLAN if d > 41 - 14]
    assert t.first_window.n == len(first)
    assert t.first_window.value == pytest.approx(np.mean(first))
    assert t.recent_window.n == len(recent)
    assert t.recent_window.value == pytest.approx(np.mean(recent))
    fit = stats.linregress([d for d, *_ in PLAN], [bp for _, bp, *_ in PLAN])
    half = stats.t.ppf(0.975, len(PLAN) - 2) * fit.stderr
    assert t.slope_per_week.value == pytest.approx(7 * fit.slope)
    assert t.slope_per_week.low == pytest.approx(7 * (fit.slope - half))
    assert t.slope_per_week.high == pytest.approx(7 * (fit.slope + half))
    assert t.slope_per_week.n == 14


def test_trend_needs_enough_sessions_and_enough_days() -> None:
    few = analyse([session(i, 4 * i, (6, 4)) for i in range(9)])  # 9 sessions over 32 days
    assert few.pain_trend.reason == f"not enough sessions yet: 9 of {MIN_SESSIONS_TREND}"
    assert few.pain_trend.slope_per_week.value is None
    assert few.pain_trend.first_window.reason == few.pain_trend.reason
    short = analyse([session(i, 2 * i, (6, 4)) for i in range(12)])  # 12 sessions over 22 days
    assert short.pain_trend.reason == f"not long enough yet: 22 of {MIN_DAYS_TREND} days"
    assert "so far 12 sessions over 22 days" in summary_text(short)
    enough = analyse([session(i, 3 * i, (6, 4)) for i in range(11)])  # 11 over 30 days
    assert enough.pain_trend.reason == ""
    assert enough.pain_trend.slope_per_week.value == pytest.approx(0.0, abs=1e-12)


def test_a_window_with_too_few_sessions_gives_a_reason_but_the_slope_stands() -> None:
    rows = [session(1, 0, (7, 5)), session(2, 1, (7, 5))]
    rows += [session(3 + i, 16 + 2 * i, (5, 4)) for i in range(10)]  # days 16..34
    t = analyse(rows).pain_trend
    assert t.first_window.value is None
    assert t.first_window.reason == "not enough sessions in the first 14 days yet: 2 of 3"
    assert t.recent_window.value == 5.0
    assert t.slope_per_week.value is not None
    assert "too few before-practice pain ratings in the first or the most recent 14 days" in (
        summary_text(analyse(rows))
    )


def test_today_ends_the_recent_window_and_leaves_later_sessions_out(
    six_weeks: list[Session],
) -> None:
    a = analyse(six_weeks, today=date(2026, 4, 5))  # day 34: days 35, 38 and 41 are left out
    assert a.n_sessions == 11
    assert a.end_day == date(2026, 4, 5)
    t = a.pain_trend
    assert t.recent_window.n == len([d for d, *_ in PLAN if 34 - 14 < d <= 34])
    later = analyse(six_weeks, today=date(2026, 6, 1))
    assert later.pain_trend.recent_window.value is None
    assert later.pain_trend.recent_window.reason == (
        "not enough sessions in the most recent 14 days yet: 0 of 3"
    )


class _FixedZone(tzinfo):
    """A time zone that is not a ``datetime.timezone``, to take the general path."""

    def __init__(self, hours: int) -> None:
        self._offset = timedelta(hours=hours)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._offset

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return f"UTC{self._offset}"


@pytest.mark.parametrize("zone", [timezone(timedelta(hours=-5)), _FixedZone(-5)])
def test_days_are_counted_in_the_given_time_zone(zone: tzinfo) -> None:
    late = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 21:00 on 2 March at UTC-5
    rows = [Session(1, "x", "X", late, Ratings(5, 5), Ratings(4, 4))]
    assert analyse(rows).first_day == date(2026, 3, 3)
    assert analyse(rows, tz=zone).first_day == date(2026, 3, 2)
    assert analyse(rows, tz=zone, today=date(2026, 3, 2)).n_sessions == 1
    assert analyse(rows, today=date(2026, 3, 2)).n_sessions == 0


# -- the summary in words -----------------------------------------------------------------------


def test_summary_of_a_fixed_history(six_weeks: list[Session]) -> None:
    assert summary(analyse(six_weeks)) == (
        "Across 14 sessions, pain was on average 1.6 points lower after practice than before "
        "(95% CI 1.2 to 1.9).",
        "Pain eased by 2 points or 30% or more in 7 of the 14 sessions that started above 0.",
        "Across 13 sessions, tension was on average 1.8 points lower after practice than before "
        "(95% CI 1.4 to 2.1).",
        "These figures compare just before with just after a session: they show how practice "
        "feels in the moment, not whether pain is changing over weeks.",
        "Before-practice pain has fallen from 6.6 to 4.4 over 6 weeks (averages of the first and "
        "the most recent 14 days).",
        "A fall of this size (2 points or more, or 30% or more from 4 or above) is what studies "
        "of chronic pain count as a meaningful change, and the fall's 95% CI (1.4 to 3.0 "
        "points) does not include no change.",
        "A straight line through all 14 before-practice pain ratings falls by 0.5 points a week "
        "(95% CI 0.4 to 0.7).",
        "Before-practice tension has fallen from 6.0 to 4.0 over 6 weeks (averages of the first "
        "and the most recent 14 days).",
        "A straight line through all 14 before-practice tension ratings falls by 0.5 points a "
        "week (95% CI 0.3 to 0.7).",
        "People often start practising when they feel at their worst, and ratings tend to drift "
        "back from a bad spell on their own (regression to the mean), so part of a fall since "
        "the first weeks can be that rather than practice.",
        "Ratings change over weeks for many reasons besides practice, so this shows what "
        "happened, not why.",
        "Sessions where a rating was skipped are left out of that rating's figures (tension: 1).",
    )
    assert summary_text(analyse(six_weeks)) == " ".join(summary(analyse(six_weeks)))


def test_summary_of_higher_ratings_after_practice_is_kind_and_honest() -> None:
    rows = daily([(3, 4), (4, 4), (3, 5), (2, 3), (4, 4), (3, 3), (5, 6), (3, 4)])
    lines = summary(analyse(rows))
    assert lines[0].startswith("Across 8 sessions, pain was on average 0.8 points higher after")
    assert (
        "Some sessions stir things up, and that is worth knowing; if it keeps happening, a "
        "different exercise or a word with your clinician may help."
    ) in lines


def test_summary_says_when_the_interval_includes_no_change() -> None:
    rows = daily([(6, 3), (5, 6), (6, 4), (4, 5), (7, 6), (5, 6)])
    pain = analyse(rows).pain
    assert pain.mean.low is not None
    assert pain.mean.high is not None
    assert pain.mean.low < 0 < pain.mean.high
    assert summary(analyse(rows))[0].endswith("; the range includes no change).")
    assert "95% CI from " in summary(analyse(rows))[0]


def test_summary_of_rising_before_ratings_points_to_a_clinician_gently() -> None:
    rows = [session(i, 3 * i, (3 + i // 4, 2 + i // 4)) for i in range(14)]  # days 0..39
    text = summary_text(analyse(rows))
    assert "Before-practice pain has risen from 3.2 to 5.4 over 6 weeks" in text
    assert "please check in with your clinician" in text
    assert "meaningful change" not in text


def test_summary_of_a_flat_trend() -> None:
    rows = [session(i, 3 * i, (5, 4)) for i in range(12)]
    text = summary_text(analyse(rows))
    assert "Before-practice pain has stayed at about 5.0 over 5 weeks" in text
    assert (
        "before-practice pain ratings is flat (0.0 points a week, every rating was the same, so "
        "no interval can be computed)"
    ) in text
    assert "0.0 to 0.0" not in text


def test_large_counts_are_written_with_separators() -> None:
    rows = daily([(6, 4)] * 1200)
    assert summary(analyse(rows))[0].startswith("Across 1,200 sessions, pain")


# -- what counts as a meaningful change over weeks ------------------------------------------------


def _windows(first: list[int], recent: list[int], middle: int = 5) -> list[Session]:
    """Sessions every 2 days from day 0 (the first window), four in the middle, then every 2
    days from day 30 to day 38 (the most recent window, which ends on the last session)."""
    days = [2 * i for i in range(len(first))] + [14, 17, 20, 23]
    days += [38 - 2 * i for i in reversed(range(len(recent)))]
    ratings = [*first, middle, middle, middle, middle, *recent]
    return [session(i + 1, d, (r, r)) for i, (d, r) in enumerate(zip(days, ratings, strict=True))]


MEANINGFUL = "what studies of chronic pain count as a meaningful change"


def test_a_fall_shown_as_2_points_counts_as_2_points() -> None:
    # 8.2 -> 6.2 is shown as a fall of 2.0; in floating point it is 1.9999999999999991.
    t = analyse(_windows([8, 8, 8, 9, 8], [6, 6, 6, 7, 6])).pain_trend
    assert (t.first_window.value, t.recent_window.value) == pytest.approx((8.2, 6.2))
    text = summary_text(analyse(_windows([8, 8, 8, 9, 8], [6, 6, 6, 7, 6])))
    assert "has fallen from 8.2 to 6.2" in text
    assert MEANINGFUL in text


def test_a_fall_shown_as_exactly_30_percent_counts() -> None:
    # 6.0 -> 4.2 is 30% as shown (1.7999999999999998 in floating point).
    text = summary_text(analyse(_windows([6, 5, 7, 6, 6], [4, 4, 5, 4, 4])))
    assert "has fallen from 6.0 to 4.2" in text
    assert MEANINGFUL in text
    assert progress.meets_drop(6.0, 4.2)
    assert progress.tenths(4.25) == 42  # shown as 4.2 (4.25 is exact in binary: half to even)
    assert progress.meets_drop(6.0, 4.25)
    assert not progress.meets_drop(6.0, 4.26)  # shown as 4.3


def test_the_30_percent_rule_applies_from_a_starting_point_of_4() -> None:
    # The issue's case: 1.0 -> 0.6 is a 40% fall, but of less than half a point.
    low = analyse(_windows([1, 1, 1, 1, 1], [1, 1, 1, 0, 0], middle=1))
    assert MEANINGFUL not in summary_text(low)
    # 3.0 -> 2.0 (33%), with an interval of the difference that leaves out 0: still not
    # meaningful, as the 30% rule is for starting points of 4 or more.
    rows = _windows([3, 4, 2, 3, 3, 4, 2], [2, 2, 1, 3, 2, 2, 2], middle=3)
    t = analyse(rows).pain_trend
    assert (t.first_window.value, t.recent_window.value) == pytest.approx((3.0, 2.0))
    assert t.window_change.high is not None
    assert t.window_change.high < 0
    assert MEANINGFUL not in summary_text(analyse(rows))
    assert not progress.meets_drop(3.0, 2.0)
    assert progress.meets_drop(3.0, 1.0)  # 2 points count from any starting point
    assert progress.meets_drop(4.0, 2.8)


def test_a_large_fall_whose_interval_includes_no_change_is_not_called_meaningful() -> None:
    # 6.0 -> 4.0 from three and four very different ratings.
    rows = _windows([9, 6, 3], [1, 4, 7, 4])
    t = analyse(rows).pain_trend
    assert (t.first_window.value, t.recent_window.value) == pytest.approx((6.0, 4.0))
    change = t.window_change
    assert change.value == pytest.approx(-2.0)
    assert change.n == 7
    result = stats.ttest_ind([1, 4, 7, 4], [9, 6, 3], equal_var=False).confidence_interval()
    assert (change.low, change.high) == pytest.approx((result.low, result.high))
    text = summary_text(analyse(rows))
    assert MEANINGFUL not in text
    assert "would count as a meaningful change in studies of chronic pain, but with these " in text
    assert "it could still be chance (95% CI from " in text


def test_a_fall_in_the_trend_names_regression_to_the_mean() -> None:
    fell = summary_text(analyse(_windows([8, 8, 8, 9, 8], [6, 6, 6, 7, 6])))
    assert "People often start practising when they feel at their worst" in fell
    assert "(regression to the mean)" in fell
    flat = summary_text(analyse(_windows([5, 5, 5, 6, 5], [5, 5, 5, 6, 5])))
    assert "regression to the mean" not in flat


# -- intervals in words -----------------------------------------------------------------------------


def test_interval_words_come_from_the_unrounded_ends() -> None:
    assert progress._interval(-0.21, 0.02) == (
        "95% CI from 0.21 lower to 0.02 higher; the range includes no change"
    )
    assert progress._interval(-0.21, -0.02) == "95% CI 0.02 to 0.21"
    assert progress._interval(-2.34, -1.06) == "95% CI 1.1 to 2.3"
    assert progress._interval(-0.04, 0.0) == (
        "95% CI from 0.04 lower to 0.00 higher; the range includes no change"
    )
    slope = progress._interval(-0.21, 0.02, down="a fall of {}", up="a rise of {}")
    assert slope == "95% CI from a fall of 0.21 to a rise of 0.02; the range includes no change"
    sided = progress._interval(-0.07, -0.01, sided=True, note=False)
    assert sided == "95% CI from 0.07 lower to 0.01 lower"


def test_a_slope_whose_interval_just_crosses_0_says_so() -> None:
    # before-pain 5 or 6, drifting down slowly: the interval's top end lies just above 0
    # (it read "falls by 0.1 points a week (95% CI 0.0 to 0.3)").
    ratings = [6, 6, 6, 6, 6, 6, 5, 6, 6, 5, 5, 6, 6, 5]
    rows = [session(i + 1, 3 * i, (r, r)) for i, r in enumerate(ratings)]
    slope = analyse(rows).pain_trend.slope_per_week
    assert slope.low is not None
    assert slope.high is not None
    assert slope.low < 0 < slope.high < 0.05
    assert (
        "A straight line through all 14 before-practice pain ratings falls by 0.1 points a week "
        "(95% CI from a fall of 0.27 to a rise of 0.02; the range includes no change)."
    ) in summary(analyse(rows))


# -- which sessions count ---------------------------------------------------------------------------


def _table(rows: list[tuple[str, int, int | None]], *, first_id: int = 1) -> SessionTable:
    """Sessions one a day from START, each (status, before pain, after pain); tension 5 -> 4
    (no after-rating of tension when pain has none)."""
    return SessionTable.from_rows(
        [
            (
                first_id + i,
                "coherent-5-5",
                "Coherent",
                (START + timedelta(days=i)).timestamp(),
                300.0,
                status,
                before,
                5,
                after,
                None if after is None else 4,
                "",
            )
            for i, (status, before, after) in enumerate(rows)
        ]
    )


def test_interrupted_sessions_are_left_out_of_the_change_and_completed_ones_get_their_own_line() -> (
    None
):
    rows = [("completed", 6, 5)] * 6 + [("ended_early", 8, 3)] * 3 + [("interrupted", 7, 2)] * 2
    rows.append(("interrupted", 7, None))  # no after-rating: nothing to leave out of the change
    a = analyse(_table(rows))
    assert a.n_sessions == 12
    assert (a.pain.n, a.pain.left_out) == (9, 0)
    assert a.pain.mean.value == pytest.approx((6 * -1 + 3 * -5) / 9)
    assert (a.interrupted, a.ended_early) == (2, 3)
    assert a.pain_completed.n == 6
    assert a.pain_completed.mean.value == -1.0
    assert a.completed_change("tension") is a.tension_completed
    assert a.by_exercise[0].pain.n == 9
    assert a.pain_trend.n == 12  # before-ratings were given at the start: they count
    text = summary_text(a)
    assert (
        "Of these, 3 sessions ended before the planned end. Completed sessions only: pain was "
        "on average 1.0 points lower after practice than before (every change was the same, so "
        "no interval can be computed), n = 6; tension was on average 1.0 points lower after "
        "practice than before (every change was the same, so no interval can be computed), n = 6."
    ) in text
    assert (
        "2 interrupted sessions are left out of the before-and-after figures: the after-ratings "
        "were given when the app next started, not just after practice."
    ) in text


def test_without_sessions_that_ended_early_there_is_no_separate_line() -> None:
    text = summary_text(analyse(_table([("completed", 6, 5), ("completed", 6, 4)] * 3)))
    assert "Completed sessions only" not in text
    assert "interrupted" not in text


def test_sessions_after_today_are_counted_and_said() -> None:
    table = _table([("completed", 6, 4)] * 8)
    a = analyse(table, today=(START + timedelta(days=5)).date())
    assert (a.n_sessions, a.after_today) == (6, 2)
    assert summary(a)[-1] == (
        "2 sessions dated after today are left out of every figure (a computer clock set wrong "
        "can do this)."
    )
    none_yet = analyse(table, today=(START - timedelta(days=1)).date())
    assert none_yet.n_sessions == 0
    assert "8 sessions dated after today" in summary_text(none_yet)
    assert analyse(table, today=(START - timedelta(days=1)).date(), after_today=3).after_today == 11
    assert analyse(table).after_today == 0


def test_baselines_of_0_and_1_are_not_in_the_2_point_share() -> None:
    c = change_stats("pain", [1, 1, 0, 5, 6, 7, 4, 3], [0, 0, 0, 3, 5, 4, 4, 1])
    assert (c.drop_points.count, c.drop_points.n) == (3, 5)  # 5->3, 7->4, 3->1
    assert (c.drop_percent.count, c.drop_percent.n) == (5, 7)  # and 1->0 twice
    assert (c.responders.count, c.responders.n) == (5, 7)
    text = summary_text(
        analyse(daily(list(zip([1, 1, 0, 5, 6, 7, 4, 3], [0, 0, 0, 3, 5, 4, 4, 1], strict=True))))
    )
    assert (
        "Pain eased by 2 points or 30% or more in 5 of the 7 sessions that started above 0 "
        "(2 points or more in 3 of the 5 that started at 2 or more)."
    ) in text


def test_a_session_left_during_practice_also_brings_the_completed_line() -> None:
    rows = [("completed", 6, 5)] * 5 + [("abandoned", 6, 1)]
    a = analyse(_table(rows))
    assert (a.pain.n, a.pain_completed.n, a.ended_early) == (6, 5, 1)
    assert "Of these, 1 session ended before the planned end. Completed sessions only:" in (
        summary_text(a)
    )
