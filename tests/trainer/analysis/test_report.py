"""Tests for trainer/analysis/report.py: which sessions a report covers, and its figures and dates in words
(the PDF itself is drawn and tested in tests/ui/test_report.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from trainer.analysis.history import SKIPPED, RegionMarks, SessionTable
from trainer.analysis.progress import MIN_SESSIONS_CHANGE, Figure, SignedRankTest
from trainer.analysis.report import (
    ABOUT_FIGURES,
    MINUS,
    ReportContent,
    change_text,
    covered_text,
    created_text,
    day_text,
    figure_sections,
    group_rows,
    moment_text,
    p_text,
    prepare_report,
    range_text,
    rating_pair_text,
    share_text,
    signed,
    slope_text,
    window_text,
    zone_text,
)

T0 = datetime(2024, 5, 1, 22, 30, tzinfo=UTC)  # 00:30 the next day in Berlin (summer time)


def table(n: int, *, pain: tuple[int | None, int | None] = (6, 4)) -> SessionTable:
    return SessionTable.from_rows(
        [
            (
                i + 1,
                "box" if i % 2 else "coherent",
                "Box breathing" if i % 2 else "Coherent breathing",
                (T0 + timedelta(days=i)).timestamp(),
                300.0,
                "completed",
                pain[0],
                5,
                None if pain[1] is None else pain[1] - i % 3,
                3,
                "",
            )
            for i in range(n)
        ]
    )


def prepare(sessions: SessionTable, **options: object) -> ReportContent:
    settings: dict[str, object] = {
        "profile_name": "Sam",
        "tz": UTC,
        "today": date(2024, 12, 31),
        "created_at": datetime(2024, 12, 31, 12, tzinfo=UTC),
    }
    settings.update(options)
    return prepare_report(sessions, {}, **settings)  # type: ignore[arg-type]


def test_the_days_are_the_persons_own() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    in_utc = prepare(table(10), first_day=date(2024, 5, 2))
    in_berlin = prepare(table(10), first_day=date(2024, 5, 2), tz=berlin)
    assert in_utc.n_sessions == 9
    assert in_berlin.n_sessions == 10  # the first was on 2 May there
    assert covered_text(in_berlin) == "10 sessions, from 2 May 2024 to 11 May 2024"


def test_a_range_and_today_bound_the_sessions() -> None:
    content = prepare(table(20), first_day=date(2024, 5, 3), last_day=date(2024, 5, 9))
    assert content.n_sessions == 7
    assert range_text(content) == "Sessions from 3 May 2024 to 9 May 2024"
    assert content.analysis.end_day == date(2024, 5, 9)
    later = prepare(table(20), today=date(2024, 5, 4))
    assert later.n_sessions == 4
    assert range_text(later) == "All sessions"


def test_an_area_picks_the_sessions_where_it_hurt() -> None:
    content = prepare_report(
        table(10),
        {2: ("neck",), 5: ("neck", "lower_back"), 7: ("lower_back",)},
        profile_name="Sam",
        tz=UTC,
        today=date(2024, 12, 31),
        created_at=datetime(2024, 12, 31, tzinfo=UTC),
        region="neck",
        last_day=date(2024, 5, 31),
    )
    assert content.table.ids.tolist() == [2, 5]
    assert range_text(content) == "Sessions up to 31 May 2024 where the neck hurt"


def test_no_sessions() -> None:
    content = prepare(table(0))
    assert content.n_sessions == 0
    assert covered_text(content) == "No sessions in this range."
    assert content.summary[0].startswith("No sessions yet.")


def test_one_day() -> None:
    content = prepare(table(1))
    assert covered_text(content) == "1 session, on Wed 1 May 2024"


def test_below_the_minimum_every_figure_is_a_reason() -> None:
    content = prepare(table(MIN_SESSIONS_CHANGE - 1))
    sections = figure_sections(content.analysis)
    change_rows = sections[0].rows
    assert change_rows[0].pain == str(MIN_SESSIONS_CHANGE - 1)  # n is always shown
    for row in change_rows[2:]:
        for cell in (row.pain, row.tension):
            assert cell.startswith("not enough sessions yet"), (row.label, cell)
    for row in sections[1].rows[1:]:
        assert row.pain.startswith("not enough sessions yet")
    for row in group_rows(content.analysis.by_exercise):
        assert row.pain.startswith("not enough sessions yet")


def test_with_enough_sessions_the_figures_carry_n_and_ci() -> None:
    content = prepare(table(40))
    rows = {row.label: row for s in figure_sections(content.analysis) for row in s.rows}
    assert rows["Sessions with both ratings (n)"].pain == "40"
    assert rows["Left out (a rating skipped)"].pain == "0"
    assert rows["Mean change"].pain.startswith(f"{MINUS}3.0 (95% CI {MINUS}3.")
    assert rows["Wilcoxon signed-rank test"].pain == "p < 0.001 (normal approximation)"
    assert rows["Sessions with a before-rating (n)"].pain == "40, over 39 days"
    assert rows["Mean, first 14 days"].pain == "6.0 (n = 14)"
    # Every before-rating of pain is 6: no spread, so no interval (not "0.00 to 0.00").
    assert rows["Straight-line slope"].pain == (
        "0.00 points a week (every rating was the same, so no interval can be computed)"
    )
    assert "points a week (95% CI" in rows["Straight-line slope"].tension or (
        "no interval can be computed" in rows["Straight-line slope"].tension
    )
    labels = [row.label for row in group_rows(content.analysis.by_exercise)]
    assert labels == ["Box breathing (20 sessions)", "Coherent breathing (20 sessions)"]
    assert group_rows(content.analysis.by_exercise)[0].pain.endswith(", n = 20")


def test_skipped_ratings_are_left_out_and_counted() -> None:
    content = prepare(table(8, pain=(6, None)))
    rows = {row.label: row for s in figure_sections(content.analysis) for row in s.rows}
    assert rows["Sessions with both ratings (n)"].pain == "0"
    assert rows["Left out (a rating skipped)"].pain == "8"
    assert rating_pair_text(6, SKIPPED) == "6 → –"
    assert rating_pair_text(SKIPPED, SKIPPED) == "– → –"


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (-1.24, 1, f"{MINUS}1.2"),
        (0.75, 1, "+0.8"),
        (0.04, 1, "0.0"),
        (-0.04, 1, "0.0"),  # never a negative zero
        (-0.123, 2, f"{MINUS}0.12"),
        (3, 0, "+3"),
    ],
)
def test_signed(value: float, digits: int, text: str) -> None:
    assert signed(value, digits) == text


def test_figures_in_words() -> None:
    assert change_text(Figure(12, -1.25, -1.61, -0.8)) == (
        f"{MINUS}1.2 (95% CI {MINUS}1.6 to {MINUS}0.8)"
    )
    assert change_text(Figure(3, reason="not enough sessions yet: 3 of 5")) == (
        "not enough sessions yet: 3 of 5"
    )
    assert share_text(Figure(40, 0.3, count=12)) == "12 of 40 (30%)"
    assert window_text(Figure(12, 5.84)) == "5.8 (n = 12)"
    assert slope_text(Figure(50, -0.123, -0.2, -0.04)) == (
        f"{MINUS}0.12 points a week (95% CI {MINUS}0.20 to {MINUS}0.04)"
    )
    assert p_text(SignedRankTest(30, 28, 10.0, 0.0004, "exact")) == "p < 0.001 (exact)"
    assert p_text(SignedRankTest(30, 28, 10.0, 0.0312, "exact")) == "p = 0.031 (exact)"
    none = SignedRankTest(
        8, 0, None, None, "", "every change was 0, so there is no difference to test"
    )
    assert p_text(none) == none.reason


def test_interval_ends_are_never_shown_as_a_zero_they_are_not() -> None:
    # -0.21 to +0.02 read "-0.2 to 0.0", hiding that the interval includes no change.
    assert change_text(Figure(8, -0.1, -0.21, 0.02)) == f"{MINUS}0.1 (95% CI {MINUS}0.21 to +0.02)"
    assert change_text(Figure(8, -1.4, -2.8157, 0.0157)) == (
        f"{MINUS}1.4 (95% CI {MINUS}2.82 to +0.02)"
    )
    assert slope_text(Figure(50, -0.1, -0.2, 0.004)) == (
        f"{MINUS}0.10 points a week (95% CI {MINUS}0.200 to +0.004)"
    )
    assert change_text(Figure(8, 0.0, 0.0, 0.0)) == "0.0 (95% CI 0.0 to 0.0)"  # true zeros stay


def test_a_figure_without_an_interval_says_why() -> None:
    same = "every change was the same, so no interval can be computed"
    assert change_text(Figure(13, -2.0, no_interval=same)) == f"{MINUS}2.0 ({same})"
    content = prepare(table(13, pain=(6, 6)))  # after-pain 6, 5, 4, ...: varies
    constant = SessionTable.from_rows(
        [(i + 1, "box", "Box", (T0 + timedelta(days=i)).timestamp(), 300.0, "completed",
          6, 5, 4, 3, "") for i in range(13)]
    )  # fmt: skip
    rows = {r.label: r for s in figure_sections(prepare(constant).analysis) for r in s.rows}
    assert rows["Mean change"].pain == f"{MINUS}2.0 ({same})"
    assert "0.0 to 0.0" not in " ".join(r.pain + r.tension for r in rows.values())
    assert content.analysis.pain.mean.low is not None


def test_the_share_rows_say_what_they_count() -> None:
    content = prepare(table(40, pain=(6, 6)))  # after-pain 6, 5, 4, 6, 5, 4, ...
    rows = {row.label: row for s in figure_sections(content.analysis) for row in s.rows}
    label = (
        "Lower by 2 points or more (of sessions at 2 or more before; 0 and 1 cannot drop so far)"
    )
    assert rows[label].pain == "13 of 40 (32%)"
    either = rows["Lower by 2 points or 30% (either; of sessions above 0 before)"]
    assert either.pain == "13 of 40 (32%)"  # 6 -> 4 is both; 6 -> 5 (17%) is neither
    assert rows["Mean change, completed sessions only"].pain.endswith(", n = 40")


def test_interrupted_sessions_and_sessions_after_today_are_counted() -> None:
    rows = [
        (i + 1, "box", "Box", (T0 + timedelta(days=i)).timestamp(), 300.0,
         "interrupted" if i < 2 else "completed", 6, 5, 2 if i < 2 else 5, 4, "")
        for i in range(10)
    ]  # fmt: skip
    content = prepare(SessionTable.from_rows(rows), today=date(2024, 5, 8))  # days 0..7 of 10
    assert content.n_sessions == 8
    assert content.analysis.after_today == 2
    assert content.summary[-1] == (
        "2 sessions dated after today are left out of every figure (a computer clock set wrong "
        "can do this)."
    )
    assert content.analysis.pain.n == 6
    figures = {r.label: r for s in figure_sections(content.analysis) for r in s.rows}
    assert figures["Left out (interrupted: rated only when the app next started)"].pain == "2"
    # A range that ends before today leaves later sessions out because it was asked to.
    earlier = prepare(
        SessionTable.from_rows(rows), today=date(2024, 5, 8), last_day=date(2024, 5, 4)
    )
    assert (earlier.n_sessions, earlier.analysis.after_today) == (4, 0)
    assert prepare(SessionTable.from_rows(rows)).analysis.after_today == 0


def test_the_difference_of_the_windows_is_that_of_the_means_shown() -> None:
    # First 14 days average 6.67 (shown 6.7), the most recent 5.53 (shown 5.5): the difference
    # reads 1.2, as the two numbers beside it do, not the unrounded 1.13 (1.1).
    first = [7] * 10 + [6] * 5  # mean 6.67
    recent = [6] * 8 + [5] * 7  # mean 5.53
    days = [i * 13 / 15 for i in range(15)] + [14 + i * 0.7 for i in range(20)]
    days += [44 + i * 12 / 15 for i in range(15)]
    rows = [
        (i + 1, "box", "Box", (T0 + timedelta(days=d)).timestamp(), 300.0, "completed",
         p, 5, p, 4, "")
        for i, (d, p) in enumerate(zip(days, first + [6] * 20 + recent, strict=True))
    ]  # fmt: skip
    content = prepare(SessionTable.from_rows(rows), today=date(2024, 6, 27))
    t = content.analysis.pain_trend
    assert (t.first_window.n, t.recent_window.n) == (15, 15)
    assert f"{t.first_window.value:.1f} {t.recent_window.value:.1f}" == "6.7 5.5"
    assert t.window_change.value == pytest.approx(83 / 15 - 100 / 15)
    figures = {r.label: r for s in figure_sections(content.analysis) for r in s.rows}
    assert figures["Difference, most recent minus first 14 days (Welch)"].pain.startswith(
        f"{MINUS}1.2 (95% CI {MINUS}"
    )


def test_about_these_figures_names_what_else_can_move_ratings() -> None:
    about = " ".join(ABOUT_FIGURES)
    assert "regression to the mean" in about
    assert "Hoping to feel better can itself lower the ratings" in about
    assert "no comparison: no stretch of weeks without the exercises" in about
    assert "Student t" in about
    assert "bootstrap" not in about


def test_dates_and_times_do_not_depend_on_the_locale() -> None:
    assert day_text(date(2024, 6, 3)) == "3 Jun 2024"
    assert day_text(date(2024, 6, 3), weekday=True) == "Mon 3 Jun 2024"
    assert moment_text(datetime(2024, 6, 3, 9, 5)) == "Mon 03 Jun 2024 09:05"


def test_the_zone_is_named_with_its_offset() -> None:
    summer = datetime(2024, 7, 1, 12, tzinfo=UTC)
    assert zone_text(ZoneInfo("Europe/Berlin"), summer) == "Europe/Berlin, UTC+02:00"
    assert zone_text(UTC, summer) == "UTC+00:00"
    assert zone_text(timezone(timedelta(hours=-3, minutes=-30)), summer) == f"UTC{MINUS}03:30"
    content = prepare(table(2), tz=ZoneInfo("Europe/Berlin"), created_at=summer)
    assert created_text(content) == (
        "1 Jul 2024 at 14:00 (Europe/Berlin, UTC+02:00); all times are in this zone"
    )


def test_one_exercise_and_marks_that_list_by_session() -> None:
    content = prepare_report(
        table(10),
        RegionMarks.from_mapping({2: ("neck",), 4: ("neck",), 5: ("lower_back",)}),
        profile_name="Sam",
        tz=UTC,
        today=date(2024, 12, 31),
        created_at=datetime(2024, 12, 31, tzinfo=UTC),
        exercise="box",
        region="neck",
    )
    assert content.table.ids.tolist() == [2, 4]
    assert range_text(content) == "All sessions of Box breathing where the neck hurt"
    assert [g.label for g in content.analysis.by_region] == ["Neck"]
