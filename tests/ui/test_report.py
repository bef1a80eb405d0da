"""Tests for ui/report/document.py: the clinician's PDF report, read back with QtPdf (pages and text), its
edge cases, the atomic write, and ``safesignal report`` in-process and once as a real process."""

from __future__ import annotations

import errno
import math
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument

import trainer.safety.files
import ui.report.document
from trainer.analysis.history import SessionTable
from trainer.analysis.progress import MIN_SESSIONS_CHANGE
from trainer.analysis.report import (
    HEALTH_NOTE,
    change_text,
    moment_text,
    prepare_report,
    share_text,
)
from trainer.cli import main as cli_main
from trainer.safety.paths import DB_FILENAME, ENV_DATA_DIR
from trainer.store.store import Store
from ui.report.document import ReportError, render_report, write_report
from ui.shell.app import main as app_main

T0 = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
NOW = T0 + timedelta(days=40)
LATER = date(2025, 1, 1)  # a "today" after every session
REPO = Path(__file__).resolve().parents[2]

Row = tuple[object, ...]


def rows(
    n: int,
    *,
    start: datetime = T0,
    every_days: float = 1.0,
    pain: tuple[int | None, int | None] = (6, 4),
    tension: tuple[int | None, int | None] = (5, 3),
    exercise: str = "box",
    title: str = "Box breathing",
    notes: str = "",
    first_id: int = 1,
) -> list[Row]:
    """Rows for :meth:`SessionTable.from_rows`, one session a day (by default) from ``start``."""
    out: list[Row] = []
    for i in range(n):
        moment = start + timedelta(days=i * every_days)
        out.append(
            (
                first_id + i,
                exercise,
                title,
                moment.timestamp(),
                305.0,
                "completed",
                pain[0],
                tension[0],
                pain[1],
                tension[1],
                notes,
            )
        )
    return out


def varied(n: int) -> list[Row]:
    """Sessions whose changes vary, so the interval is not a single point."""
    out = []
    for i, row in enumerate(rows(n)):
        before = 5 + i % 3
        out.append((*row[:6], before, 6, before - i % 4, 4, row[10]))
    return out


class Pdf:
    """A written report read back: its bytes, pages and each page's text."""

    def __init__(self, path: Path) -> None:
        self.data = path.read_bytes()
        document = QPdfDocument()
        assert document.load(str(path)) == QPdfDocument.Error.None_
        self.pages = [document.getAllText(i).text() for i in range(document.pageCount())]
        document.close()
        self.text = "\n".join(self.pages)

    def __len__(self) -> int:
        return len(self.pages)


@pytest.fixture
def report(qapp: object, tmp_path: Path) -> Callable[..., Pdf]:
    """Writes a report of the rows given (UTC, created 40 days after the first) and reads it."""

    def make(table_rows: list[Row], **options: object) -> Pdf:
        path = tmp_path / "report.pdf"
        settings: dict[str, object] = {
            "profile_name": "Sam",
            "tz": UTC,
            "today": NOW.date(),
            "created_at": NOW,
        }
        settings.update(options)
        count = write_report(path, table=SessionTable.from_rows(table_rows), **settings)  # type: ignore[arg-type]
        pdf = Pdf(path)
        pdf.count = count  # type: ignore[attr-defined]
        return pdf

    return make


def body_text(pdf: Pdf) -> str:
    """The text of every page without its footer, on one line (text that runs on over a page
    break reads as one)."""
    bodies = [page.rsplit("Safe Signal practice report ·", 1)[0] for page in pdf.pages]
    return " ".join(" ".join(bodies).split())


def table_text(pdf: Pdf) -> str:
    """The text of the pages of the session table."""
    return "\n".join(page for page in pdf.pages if "How it went" in page)


# -- what the report says --------------------------------------------------------------------------


def test_the_report_names_the_profile_and_gives_each_figure_with_its_n_and_ci(
    report: Callable[..., Pdf],
) -> None:
    table_rows = varied(30)
    pdf = report(table_rows, regions={1: ("lower_back",), 2: ("lower_back", "neck")})
    assert pdf.data.startswith(b"%PDF")
    assert pdf.count == 30  # type: ignore[attr-defined]
    text = pdf.text
    assert "Safe Signal — practice report" in text
    assert "Sam" in text
    assert "30 sessions, from 1 May 2024 to 30 May 2024" in text
    assert "Sessions with both ratings (n)" in text
    content = prepare_report(
        SessionTable.from_rows(table_rows),
        {},
        profile_name="Sam",
        tz=UTC,
        today=NOW.date(),
        created_at=NOW,
    )
    pain, tension = content.analysis.pain, content.analysis.tension
    assert pain.mean.low is not None
    assert pain.mean.low < pain.mean.high
    assert change_text(pain.mean) in text  # such as "-1.2 (95% CI -1.6 to -0.8)"
    assert change_text(tension.mean) in text
    assert share_text(pain.drop_points) in text
    assert "Wilcoxon signed-rank test" in text
    assert f"{change_text(pain.mean)}, n = 30" in text  # per exercise, with its n
    assert "Lower back (2 sessions)" in text  # where it hurt, with its n
    for sentence in content.summary[:2]:
        assert " ".join(sentence.split()[:6]) in " ".join(text.split())
    assert "not a diagnosis" in text
    assert "Ratings over time" in text
    assert "Pain: change within each session" in text
    assert "Pain: mean change by exercise" in text


def test_plots_are_drawn_as_vectors_not_pictures(report: Callable[..., Pdf]) -> None:
    pdf = report(varied(12))
    assert b"/Subtype /Image" not in pdf.data


def test_below_the_minimum_the_reason_is_shown_instead_of_a_number(
    report: Callable[..., Pdf],
) -> None:
    pdf = report(rows(3))
    assert f"not enough sessions yet: 3 of {MIN_SESSIONS_CHANGE}" in pdf.text
    assert not re.search(r"95% CI [\d+\u2212]", pdf.text)  # no interval anywhere
    assert "No mean is drawn" in pdf.text


def test_every_page_has_its_number_and_the_health_note(report: Callable[..., Pdf]) -> None:
    pdf = report(varied(160), today=LATER)
    total = len(pdf)
    assert total >= 5  # the first pages, then a table of 160 sessions over several pages
    for number, page in enumerate(pdf.pages, start=1):
        assert f"Page {number} of {total}" in page
        assert HEALTH_NOTE in " ".join(page.split())


def test_the_session_table_runs_over_pages_with_its_heads_repeated(
    report: Callable[..., Pdf],
) -> None:
    table_rows = varied(160)
    pdf = report(table_rows, today=LATER)
    table_pages = [page for page in pdf.pages if "How it went" in page]
    assert len(table_pages) >= 3
    for page in table_pages:
        assert "When" in page
        assert "Exercise" in page
        assert "Tension" in page
    text = table_text(pdf)
    for row in table_rows:
        moment = datetime.fromtimestamp(float(row[3]), UTC)  # type: ignore[arg-type]
        assert moment_text(moment)[4:] in text
    assert "160 sessions" in text


def test_no_sessions_gives_a_short_report_that_says_so(report: Callable[..., Pdf]) -> None:
    pdf = report([])
    assert pdf.count == 0  # type: ignore[attr-defined]
    assert len(pdf) == 1
    assert "No sessions in this range." in pdf.text
    assert "There are no sessions in this range" in pdf.text
    assert "Page 1 of 1" in pdf.text


def test_a_single_session(report: Callable[..., Pdf]) -> None:
    pdf = report(rows(1))
    assert "1 session, on Wed 1 May 2024" in pdf.text
    assert "not enough sessions yet: 1 of 5" in pdf.text
    assert "01 May 2024 09:30" in table_text(pdf)


def test_skipped_ratings_are_shown_as_skipped_never_as_numbers(
    report: Callable[..., Pdf],
) -> None:
    pdf = report(rows(6, pain=(None, None), tension=(None, 2)))
    text = pdf.text
    assert "– → –" in table_text(pdf)
    assert "– → 2" in table_text(pdf)
    assert "No pain ratings in this range (all skipped)." in text
    assert "No sessions with both pain ratings in this range." in text
    assert "Left out (a rating skipped)" in text


def test_long_titles_are_cut_short_and_notes_given_in_full(report: Callable[..., Pdf]) -> None:
    title = "A breathing pattern with a name far longer than any column " * 4
    notes = "Slept badly.\nThen a long day, and these notes go on and on " * 10
    pdf = report(rows(8, title=title, notes=notes), profile_name="Sam " + "Longname " * 20)
    text = table_text(pdf)
    assert "…" in text  # the title, in its column
    assert title.strip() not in text
    assert "note 1" in text
    assert "note 8" in text
    assert "Slept badly." not in text
    flat = body_text(pdf)
    assert flat.count(" ".join(notes.split())) == 8  # each note in full, its lines in order


def test_since_leaves_out_the_sessions_before_that_day(report: Callable[..., Pdf]) -> None:
    pdf = report(varied(20), first_day=date(2024, 5, 11))
    text = table_text(pdf)
    assert "10 May 2024 09:30" not in text
    assert "11 May 2024 09:30" in text
    assert "Sessions since 11 May 2024" in pdf.text
    assert "10 sessions, from 11 May 2024 to 20 May 2024" in pdf.text


def test_a_range_and_an_area(report: Callable[..., Pdf]) -> None:
    regions = {3: ("neck",), 4: ("neck", "lower_back"), 9: ("neck",)}
    pdf = report(
        varied(20),
        regions=regions,
        first_day=date(2024, 5, 2),
        last_day=date(2024, 5, 8),
        region="neck",
    )
    assert pdf.count == 2  # type: ignore[attr-defined]
    assert "Sessions from 2 May 2024 to 8 May 2024 where the neck hurt" in pdf.text


def practice_rows() -> list[Row]:
    """Eight sessions over 9-22 Oct 2026 that ended in every way, two where pain rose."""
    start = datetime(2026, 10, 9, 8, 0, tzinfo=UTC)  # a Friday
    plan = [  # (day, minutes, status, pain before, pain after)
        (0, 5, "completed", 5, 7),
        (0, 10, "completed", 6, 4),
        (3, 3, "ended_early", 6, 6),
        (4, 0, "abandoned", 5, None),
        (6, 2, "interrupted", 3, 8),
        (8, 12, "completed", 4, 6),
        (10, 5, "completed", 6, 5),
        (13, 20, "completed", 6, 3),
    ]
    return [
        (i + 1, "box", "Box breathing", (start + timedelta(days=day, hours=i)).timestamp(),
         minutes * 60.0, status, before, 5, after, 3, "")
        for i, (day, minutes, status, before, after) in enumerate(plan)
    ]  # fmt: skip


PRACTICE = {"today": date(2026, 10, 22), "created_at": datetime(2026, 10, 22, 18, tzinfo=UTC)}


def test_the_report_shows_practice_over_its_period(report: Callable[..., Pdf]) -> None:
    pdf = report(practice_rows(), **PRACTICE)
    text = body_text(pdf)
    assert "Practice" in text
    assert (
        "Over 14 days, from 9 Oct 2026 to 22 Oct 2026: 8 sessions, 57 min of practice in all."
    ) in text
    assert "Practised on 6 of these 14 days (43%)." in text
    assert "On average 4.0 sessions and 28 min a week." in text
    assert (
        "How sessions went: Completed 5 · Ended early 1 · Left during practice 1 · Interrupted 1."
    ) in text
    # Sessions, minutes and days practised week by week.
    assert "9–11 Oct 2026 (3 days) 2 15 min 1 of 3" in text
    assert "12–18 Oct 2026 4 17 min 3 of 7" in text
    assert "19–22 Oct 2026 (4 days) 2 25 min 2 of 4" in text
    # The calendar of the period, with a key.
    assert "Days of practice" in text
    assert "Oct 2026 M T W T F S S" in text
    assert "no practice" in text
    assert "outside the period" in text


def test_a_long_period_draws_the_last_three_years_of_days_and_says_so(
    report: Callable[..., Pdf],
) -> None:
    from ui.report.practice import MAX_CALENDAR_MONTHS

    pdf = report(rows(3), first_day=date(2019, 1, 1))
    text = body_text(pdf)
    assert f"Only the last {MAX_CALENDAR_MONTHS} months are drawn" in text
    assert "Over 1,988 days, from 1 Jan 2019 to 10 Jun 2024: 3 sessions" in text
    assert "Jun 2024 M T W T F S S" in text
    assert "Jul 2021 M T W T F S S" in text
    assert "Jun 2021 M T W T F S S" not in text
    assert "Year Sessions" in text  # six years are listed one to a row
    assert "2019 0 0 min 0 of 365" in text


def light_pixels(pdf_path: Path) -> int:
    """How much of the first page is drawn in the calendar's colour for a short practice."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor

    from ui.report.practice import LIGHT

    document = QPdfDocument()
    document.load(str(pdf_path))
    size = document.pagePointSize(0)
    image = document.render(0, QSize(int(size.width()), int(size.height())))
    document.close()
    light = QColor(LIGHT).rgb()
    return sum(
        image.pixel(x, y) == light for y in range(image.height()) for x in range(image.width())
    )


def test_the_calendar_fills_the_days_with_practice(
    report: Callable[..., Pdf], tmp_path: Path
) -> None:
    report(practice_rows(), **PRACTICE)
    short = light_pixels(tmp_path / "report.pdf")  # days 3 (3 min) and 6 (2 min) are short
    longer = [(*row[:4], max(float(row[4]), 600.0) if row[4] else 0.0, *row[5:])
              for row in practice_rows()]  # fmt: skip
    report(longer, **PRACTICE)
    only_the_key = light_pixels(tmp_path / "report.pdf")  # every day 10 minutes or more
    assert only_the_key > 0
    assert short > 2 * only_the_key  # the key's swatch and two days as large


def test_tension_change_is_plotted_as_pain_is(report: Callable[..., Pdf]) -> None:
    text = body_text(report(varied(12)))
    for measure in ("Pain", "Tension"):
        assert f"{measure}: change within each session" in text
        assert f"{measure}: mean change by exercise" in text
    assert "Sessions with both tension ratings, oldest first (n = 12)" in text
    assert "mean change in tension, points (95% CI)" in text


def test_sessions_where_pain_rose_are_counted_with_kind_words(
    report: Callable[..., Pdf],
) -> None:
    text = body_text(report(practice_rows(), **PRACTICE))
    assert "Sessions where pain or tension rose" in text
    assert (
        "Pain was higher just after practice than just before in 2 of 6 sessions rated both "
        "times (33%)."
    ) in text
    assert "Interrupted sessions are not counted here" in text
    assert "is part of an honest record, not a failure" in text
    assert "Fri 09 Oct 2026 08:00, Box breathing: 5 → 7" in text
    assert "Sat 17 Oct 2026 13:00, Box breathing: 4 → 6" in text


def test_pain_areas_are_shown_over_time(report: Callable[..., Pdf]) -> None:
    regions = {1: ("lower_back",), 2: ("neck", "lower_back"), 6: ("lower_back",), 8: ("neck",)}
    text = body_text(report(practice_rows(), regions=regions, **PRACTICE))
    assert "Where it hurt, over time" in text
    assert "9–11 Oct 2026 12–18 Oct 2026 19–22 Oct 2026" in text  # week by week
    assert "Sessions 2 4 2" in text
    assert "With an area marked 2 1 1" in text
    assert "Lower back 2 1 –" in text
    assert "Neck 1 – 1" in text


def test_a_long_note_runs_on_over_pages_in_full(report: Callable[..., Pdf]) -> None:
    words = [f"word{k:04d}" for k in range(1500)]
    note = "First line of a long note.\n" + " ".join(words)
    pdf = report(rows(3, notes="") + rows(1, notes=note, first_id=4, start=T0 + timedelta(days=3)))
    text = body_text(pdf)
    assert "Notes, in full" in text
    assert "Note 1 · Sat 04 May 2024 09:30 · Box breathing · pain 6 → 4, tension 5 → 3" in text
    assert " ".join(note.split()) in text  # every word, in order, across the page break
    pages_with_it = [i for i, page in enumerate(pdf.pages) if "word0" in page]
    assert len(pages_with_it) >= 2
    assert "note 1" in table_text(pdf)


def test_sessions_after_today_are_not_reported(report: Callable[..., Pdf]) -> None:
    pdf = report(varied(20), today=date(2024, 5, 5))
    assert pdf.count == 5  # type: ignore[attr-defined]


def test_thousands_of_sessions_fill_as_many_pages_as_they_need(qapp: object) -> None:
    table = SessionTable.from_rows(varied(3_000))
    content = prepare_report(
        table, {}, profile_name="Sam", tz=UTC, today=date(2100, 1, 1), created_at=NOW
    )
    data = render_report(content)
    assert data.startswith(b"%PDF")
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert math.ceil(3_000 / 70) < pages < math.ceil(3_000 / 40)  # 40 to 70 rows a page


# -- writing the file ------------------------------------------------------------------------------


def test_the_file_is_private_to_its_owner(report: Callable[..., Pdf], tmp_path: Path) -> None:
    report(rows(2))
    if os.name == "posix":
        assert (tmp_path / "report.pdf").stat().st_mode & 0o077 == 0


def test_a_failure_part_way_leaves_no_file_and_keeps_an_older_report(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = SessionTable.from_rows(varied(30))
    options = {"profile_name": "Sam", "tz": UTC, "today": NOW.date(), "created_at": NOW}
    fresh, older = tmp_path / "fresh.pdf", tmp_path / "older.pdf"
    older.write_bytes(b"%PDF an older report")

    def disk_full(stream: object, data: bytes) -> None:
        stream.write(data[: len(data) // 2])  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ui.report.document, "_write_all", disk_full)
    for path in (fresh, older):
        with pytest.raises(ReportError, match=f"Could not write the report to {path}") as caught:
            write_report(path, table=table, **options)  # type: ignore[arg-type]
        assert "No space left on device" in str(caught.value)
    assert not fresh.exists()
    assert older.read_bytes() == b"%PDF an older report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["older.pdf"]  # no part-written file


def test_a_missing_folder_is_a_clear_error(qapp: object, tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "r.pdf"
    with pytest.raises(ReportError, match=r"the folder .*nowhere does not exist"):
        write_report(
            path,
            table=SessionTable.from_rows(rows(2)),
            profile_name="Sam",
            tz=UTC,
            today=NOW.date(),
            created_at=NOW,
        )


# -- safesignal report -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_data_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    """A data folder with the made-up 60-day demo history of "Sam (demo)"."""
    folder = tmp_path / "data"
    assert cli_main(["demo", "--data-dir", str(folder), "--profile", "Sam"], now=lambda: NOW) == 0
    return folder


def run(*argv: str | Path) -> int:
    """``safesignal report`` in-process, as ``ui.shell.app`` runs it but with a fixed clock."""
    return cli_main(
        [str(a) for a in argv],
        now=lambda: NOW,
        tz=UTC,
        write_report=ui.report.document.write_report,
    )


def test_report_command_writes_the_pdf_and_says_so_in_one_line(
    qapp: object, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sam.pdf"
    capsys.readouterr()
    assert run("report", "--data-dir", data, "--profile", "Sam (demo)", "--out", out) == 0
    said = capsys.readouterr()
    store = Store(data / DB_FILENAME)
    count = len(store.sessions.table(store.profiles.by_name("Sam (demo)").id))  # type: ignore[union-attr]
    store.close()
    assert said.out.splitlines() == [
        f"Wrote the report of {count} sessions of “Sam (demo)” to {out}. It holds health "
        "information: keep it private."
    ]
    assert said.err == ""
    assert "Sam (demo)" in Pdf(out).text


def test_report_command_since(
    qapp: object, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(data / DB_FILENAME)
    table = store.sessions.table(store.profiles.by_name("Sam (demo)").id)  # type: ignore[union-attr]
    store.close()
    since = (NOW - timedelta(days=20)).date()
    out = tmp_path / "since.pdf"
    argv = ["--data-dir", data, "--profile", "Sam (demo)", "--out", out, "--since", since]
    assert run("report", *argv) == 0
    text = table_text(Pdf(out))
    kept = 0
    for stamp in table.stamps.tolist():
        moment = datetime.fromtimestamp(stamp, UTC)
        assert (moment_text(moment)[4:] in text) == (moment.date() >= since)
        kept += moment.date() >= since
    assert f"Wrote the report of {kept} sessions" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--profile", "Nobody"], "There is no profile called “Nobody”"),
        (["--since", "1/5/2024"], "“1/5/2024” is not a date; use YYYY-MM-DD"),
        (["--since", "2024-02-30"], "use YYYY-MM-DD"),
        (["--timezone", "Mars/Olympus"], "Unknown time zone"),
    ],
)
def test_report_command_mistakes_are_one_line_and_exit_2(
    qapp: object,
    data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    expected: str,
) -> None:
    out = tmp_path / "r.pdf"
    capsys.readouterr()
    assert run("report", "--data-dir", data, "--out", out, *argv) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith("safesignal report: ")
    assert expected in err[0]
    assert not out.exists()


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        ("report.txt", "Give --out a file name ending in .pdf"),
        ("missing/r.pdf", "Could not write the report to "),
        (".", "Give --out a file name ending in .pdf"),
    ],
)
def test_report_command_refuses_a_bad_out(
    qapp: object,
    data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    out: str,
    expected: str,
) -> None:
    capsys.readouterr()
    assert run("report", "--data-dir", data, "--out", tmp_path / out) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert len(err.splitlines()) == 1


def test_report_command_into_a_folder_it_may_not_write(
    qapp: object,
    data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As a read-only folder would (the tests may run as root, who can write anywhere).
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(trainer.safety.files.tempfile, "mkstemp", refuse)
    out = tmp_path / "r.pdf"
    capsys.readouterr()
    assert run("report", "--data-dir", data, "--out", out) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"safesignal report: Could not write the report to {out}: permission denied; choose a "
        "folder you may write to."
    ]
    assert not out.exists()


def test_the_apps_entry_runs_the_report(
    qapp: object, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "app.pdf"
    capsys.readouterr()
    code = app_main(
        ["report", "--data-dir", str(data), "--profile", "Sam (demo)", "--out", str(out)]
    )
    assert code == 0
    assert "Wrote the report of" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")


def test_python_m_ui_report_runs_without_a_display(data: Path, tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != ENV_DATA_DIR}
    for key in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(key, None)
    out = tmp_path / "headless.pdf"
    argv = ["report", "--data-dir", str(data), "--profile", "Sam (demo)", "--out", str(out)]
    result = subprocess.run(
        [sys.executable, "-m", "ui", *argv],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote the report of ")
    assert len(result.stdout.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_a_session_with_no_change_is_drawn_as_a_ring_on_the_line(qapp: object) -> None:
    from unittest import mock

    from PySide6.QtCore import QBuffer
    from PySide6.QtGui import QPdfWriter

    from ui.report.document import _Layout

    changes = [0, -1, 0, -2, 0, -1, 1]
    table_rows = [(*row[:6], 6, 5, 6 + change, 5, "") for row, change in zip(rows(7), changes)]  # noqa: B905
    content = prepare_report(
        SessionTable.from_rows(table_rows),
        {},
        profile_name="Sam",
        tz=UTC,
        today=NOW.date(),
        created_at=NOW,
    )
    layout = _Layout(content, QPdfWriter(QBuffer()))
    for measure, rings in (("pain", 3), ("tension", 7)):  # tension never changed
        painter = mock.MagicMock()
        layout._change_plot(measure).paint(painter, 0.0)
        assert painter.drawEllipse.call_count == rings
        assert painter.drawRect.call_count >= 7 - rings  # a bar for each change
