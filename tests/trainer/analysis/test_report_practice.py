"""Tests for the report's practice content in trainer/analysis/report.py: how much was practised
and how sessions ended, the days of practice, sessions where a rating rose, the areas marked over
time, and notes in full (the PDF that shows them is tested in tests/ui/test_report.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np

from trainer.analysis.history import SessionTable
from trainer.analysis.report import (
    ReportContent,
    adherence,
    adherence_lines,
    area_label,
    areas_over_time,
    calendar_spans,
    practice_scope_text,
    prepare_report,
    report_period,
    rise_lines,
    rise_rows,
    rises,
    session_notes,
    span_text,
    status_counts_text,
)
from trainer.app.words import hours_text

T0 = datetime(2026, 10, 9, 8, 0, tzinfo=UTC)  # a Friday
TODAY = date(2026, 12, 7)

Row = tuple[object, ...]


def row(
    session_id: int,
    day: int,
    *,
    minutes: float = 5.0,
    status: str = "completed",
    pain: tuple[int | None, int | None] = (6, 4),
    tension: tuple[int | None, int | None] = (5, 3),
    notes: str = "",
    hour: float = 0.0,
) -> Row:
    """A session on day ``day`` after T0."""
    moment = T0 + timedelta(days=day, hours=hour)
    return (
        session_id,
        "box",
        "Box breathing",
        moment.timestamp(),
        minutes * 60,
        status,
        pain[0],
        tension[0],
        pain[1],
        tension[1],
        notes,
    )


def prepare(
    rows: list[Row], regions: dict[int, tuple[str, ...]] | None = None, **options: object
) -> ReportContent:
    settings: dict[str, object] = {
        "profile_name": "Sam",
        "tz": UTC,
        "today": TODAY,
        "created_at": datetime(2026, 12, 7, 12, tzinfo=UTC),
    }
    settings.update(options)
    return prepare_report(SessionTable.from_rows(rows), regions or {}, **settings)  # type: ignore[arg-type]


# -- practice ----------------------------------------------------------------------------------


def test_practice_is_counted_over_the_reports_period() -> None:
    rows = [
        row(1, 0, minutes=5),
        row(2, 0, minutes=10, hour=10),  # a second session on the same day
        row(3, 3, minutes=3, status="ended_early"),
        row(4, 4, minutes=0, status="abandoned"),  # left straight away: not a day practised
        row(5, 6, minutes=2, status="interrupted"),
        row(6, 13, minutes=20),
    ]
    content = prepare(rows, last_day=date(2026, 10, 22))
    assert report_period(content) == (date(2026, 10, 9), date(2026, 10, 22))
    practice = adherence(content)
    assert practice is not None
    assert practice.n_days == 14
    assert practice.sessions == 6
    assert practice.minutes == 40
    assert practice.days_practised == 4  # days 0, 3, 6 and 13
    assert practice.sessions_per_week == 3.0
    assert practice.minutes_per_week == 20.0
    assert practice.statuses == (
        ("completed", 3),
        ("ended_early", 1),
        ("abandoned", 1),
        ("interrupted", 1),
    )
    assert status_counts_text(practice) == (
        "Completed 3 · Ended early 1 · Left during practice 1 · Interrupted 1"
    )
    assert adherence_lines(practice) == (
        "Over 14 days, from 9 Oct 2026 to 22 Oct 2026: 6 sessions, 40 min of practice in all.",
        "Practised on 4 of these 14 days (29%).",
        "On average 3.0 sessions and 20 min a week.",
    )
    # Calendar weeks, Monday to Sunday, clipped to the period.
    assert practice.unit == "week"
    spans = [(span_text(s.first, s.last, "week"), s.sessions, s.minutes) for s in practice.spans]
    assert spans == [
        ("9–11 Oct 2026", 2, 15.0),
        ("12–18 Oct 2026", 3, 5.0),
        ("19–22 Oct 2026", 1, 20.0),
    ]
    assert [s.days_practised for s in practice.spans] == [1, 2, 1]
    # Each day of the period, for the calendar.
    assert practice.practised_by_day.size == 14
    assert np.flatnonzero(practice.practised_by_day).tolist() == [0, 3, 6, 13]
    assert practice.minutes_by_day[0] == 15.0
    assert practice.minutes_by_day[4] == 0.0


def test_a_period_asked_for_runs_from_its_first_day_to_today_at_the_latest() -> None:
    content = prepare([row(1, 20)], first_day=date(2026, 10, 1))
    practice = adherence(content)
    assert practice is not None
    assert (practice.first_day, practice.last_day) == (date(2026, 10, 1), TODAY)
    assert practice.days_practised == 1
    assert practice.n_days == 68
    assert adherence(prepare([])) is None  # no sessions, no period asked for


def test_long_periods_are_listed_by_month_then_by_year() -> None:
    rows = [row(i + 1, 3 * i) for i in range(60)]  # 180 days
    practice = adherence(prepare(rows, today=date(2027, 12, 31), last_day=date(2027, 4, 7)))
    assert practice is not None
    assert practice.unit == "month"
    assert span_text(practice.spans[0].first, practice.spans[0].last, "month") == "9–31 Oct 2026"
    assert span_text(practice.spans[1].first, practice.spans[1].last, "month") == "Nov 2026"
    assert sum(s.sessions for s in practice.spans) == 60
    years = adherence(prepare(rows, first_day=date(2020, 1, 1), today=date(2027, 1, 1)))
    assert years is not None
    assert years.unit == "year"
    assert [span_text(s.first, s.last, "year") for s in years.spans][:2] == ["2020", "2021"]
    assert span_text(date(2027, 1, 1), date(2027, 1, 1), "year") == "1 Jan 2027"


def test_calendar_spans_and_minutes_in_words() -> None:
    assert calendar_spans(date(2026, 12, 30), date(2027, 1, 2), "month") == [
        (date(2026, 12, 30), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 2)),
    ]
    assert span_text(date(2026, 12, 28), date(2027, 1, 3), "week") == ("28 Dec 2026 – 3 Jan 2027")
    assert hours_text(40) == "40 min"
    assert hours_text(200.4) == "3 h 20 min"
    assert hours_text(120) == "2 h"


# -- sessions where a rating rose ----------------------------------------------------------------


def test_sessions_where_pain_rose_are_counted_with_kind_words() -> None:
    rows = [
        row(1, 0, pain=(5, 7)),
        row(2, 1, pain=(5, 5)),
        row(3, 2, pain=(6, 4)),
        row(4, 3, pain=(4, 6), tension=(3, 4)),
        row(5, 4, pain=(4, None)),  # not rated after: not counted
        row(6, 5, pain=(3, 8), status="interrupted"),  # rated later: apart
    ]
    content = prepare(rows)
    pain = rises(content, "pain")
    assert (pain.n, pain.count, pain.interrupted) == (4, 2, 1)
    assert content.table.ids[pain.rows].tolist() == [1, 4]
    lines = rise_lines(content)
    assert lines[0] == (
        "Pain was higher just after practice than just before in 2 of 4 sessions rated both "
        "times (50%)."
    )
    assert lines[1].startswith("Tension was higher just after practice than just before in 1 of")
    assert "Interrupted sessions are not counted here" in lines[2]
    assert "not a failure" in lines[3]
    assert "imaginary" not in " ".join(lines)
    assert rise_rows(content, pain) == (
        "Fri 09 Oct 2026 08:00, Box breathing: 5 → 7",
        "Mon 12 Oct 2026 08:00, Box breathing: 4 → 6",
    )


def test_no_rise_is_said_plainly_without_the_kind_words() -> None:
    lines = rise_lines(prepare([row(1, 0), row(2, 1)]))
    assert lines == (
        "Pain was not higher after practice than before in any of the 2 sessions rated both times.",
        "Tension was not higher after practice than before in any of the 2 sessions rated both "
        "times.",
    )


# -- where it hurt, over time --------------------------------------------------------------------


def test_pain_areas_are_counted_per_month() -> None:
    rows = [row(i + 1, day) for i, day in enumerate((0, 5, 25, 30, 40, 55))]
    regions = {
        1: ("lower_back",),
        2: ("lower_back", "neck"),
        4: ("neck",),
        5: ("lower_back", "left_knee"),
        6: ("lower_back",),
        99: ("neck",),  # a session outside the report
    }
    found = areas_over_time(prepare(rows, regions))
    assert found is not None
    assert found.unit == "month"
    assert [span_text(a, b, "month") for a, b in found.spans] == [
        "9–31 Oct 2026",
        "Nov 2026",
        "1–7 Dec 2026",
    ]
    assert found.sessions == (2, 3, 1)  # days 0 and 5; 25, 30 and 40; 55
    assert found.marked == (2, 2, 1)  # session 3 had no area marked
    assert [(area_label(area), counts) for area, counts in found.areas] == [
        ("Lower back", (2, 1, 1)),
        ("Neck", (1, 1, 0)),
        ("Left knee", (0, 1, 0)),
    ]


def test_pain_areas_over_a_few_weeks_are_counted_per_week() -> None:
    found = areas_over_time(
        prepare([row(1, 0), row(2, 10)], {2: ("neck",)}, last_day=date(2026, 10, 25))
    )
    assert found is not None
    assert found.unit == "week"
    assert found.sessions == (1, 0, 1)  # day 10 is Monday 19 Oct
    assert found.areas == (("neck", (0, 0, 1)),)


# -- notes -----------------------------------------------------------------------------------------


def test_notes_are_kept_in_full() -> None:
    long_note = "Slept badly.\nThen a long day, and these notes go on and on. " * 40
    content = prepare([row(1, 0, notes=long_note), row(2, 1, notes="  "), row(3, 2, notes="Calm.")])
    notes = session_notes(content)
    assert [n.number for n in notes] == [1, 2]
    assert notes[0].text == long_note.strip()
    assert "…" not in notes[0].text
    assert notes[0].heading == ("Fri 09 Oct 2026 08:00 · Box breathing · pain 6 → 4, tension 5 → 3")
    assert notes[1].row == 2


def test_a_filtered_report_says_its_practice_counts_are_filtered_too() -> None:
    rows = [row(1, 0), (*row(2, 1)[:1], "coherent", "Coherent breathing", *row(2, 1)[3:])]
    assert practice_scope_text(prepare(rows)) == ""
    one = prepare(rows, {1: ("neck",)}, exercise="box", region="neck")
    assert one.n_sessions == 1
    assert practice_scope_text(one) == (
        "These counts cover only the sessions of Box breathing where the neck hurt, as this "
        "report was asked for."
    )
    practice = adherence(one)
    assert practice is not None
    assert practice.sessions == 1
