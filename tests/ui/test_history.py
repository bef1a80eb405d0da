"""The history screen: plots made once and fed with setData, filters, pointing at a session,
the table (sorting, notes, delete and undo), and updating when a session is saved."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from trainer.analysis.history import SessionTable, changes, local_days, rolling_mean
from trainer.analysis.progress import MIN_SESSIONS_CHANGE, analyse
from trainer.app.profile import ProfileInUse
from trainer.app.words import STATUS_WORDS
from trainer.content.catalog import END_CUE_S, LEAD_IN_S, load_catalog
from trainer.errors import StoreError
from trainer.session.machine import Ratings, SessionStatus
from trainer.store.sessions import NewSession
from trainer.store.store import Store
from ui.common.dialogs import Dialogs
from ui.history.plots import thin_out
from ui.history.screen import SESSIONS_TAB, HistoryScreen
from ui.history.table import NOTES, PAIN, STATUS

TODAY = date(2026, 3, 31)
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def new(
    day: int,
    pain: tuple[int | None, int | None],
    tension: tuple[int | None, int | None] = (5, 4),
    exercise: str = "box",
    regions: tuple[str, ...] = (),
    minutes: float = 5.0,
) -> NewSession:
    titles = {"box": "Box breathing", "coherent": "Coherent breathing"}
    return NewSession(
        exercise_id=exercise,
        kind="breathing",
        settings={"title": titles.get(exercise, exercise)},
        started_at=START + timedelta(days=day, minutes=day),
        ended_at=START + timedelta(days=day, minutes=day + minutes),
        planned_s=300.0,
        practised_s=60.0 * minutes,
        status=SessionStatus.COMPLETED,
        before=Ratings(tension[0], pain[0]),
        after=Ratings(tension[1], pain[1]),
        pain_regions=regions,
    )


MONTH = [
    new(
        day,
        (6 - day // 10, 4 - day // 10 + (day % 3 == 0)),
        exercise="coherent" if day % 4 == 0 else "box",
        regions=("neck",) if day % 2 else ("lower_back",),
    )
    for day in range(29)
] + [new(29, (None, 3)), new(28, (5, None), minutes=0.0)]


@pytest.fixture
def filled(store: Store) -> Store:
    store.sessions.add(store.profiles.default_id(), MONTH)
    return store


@pytest.fixture
def in_use(filled: Store) -> ProfileInUse:
    profile = ProfileInUse(filled, filled.profiles.default_id(), load_catalog())
    # As the shell does: the one place a problem with the disk is shown.
    profile.problems.add(lambda it: Dialogs.problem(None, it.title, it.error, it.after))
    return profile


@pytest.fixture
def history(qtbot, in_use: ProfileInUse, dialogs) -> HistoryScreen:
    screen = HistoryScreen(in_use, tz=UTC, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.resize(1000, 760)
    screen.show()
    qtbot.waitExposed(screen)
    screen.reload()
    screen.update_all_plots()
    return screen


def items_of(screen: HistoryScreen) -> list[object]:
    """Every plot item the screen draws with."""
    found: list[object] = []
    for plot in screen.ratings_plots.values():
        found += [plot.before, plot.after, plot.trend]
    for plot in screen.change_plots.values():
        found += [plot.lower, plot.higher, plot.mean, plot.band]
    found += [*screen.exercise_plot.means.values(), *screen.exercise_plot.whiskers.values()]
    return [*found, screen.calendar_plot.image]


def test_ratings_over_time_show_every_rating_and_the_seven_day_average(
    history: HistoryScreen, filled: Store
) -> None:
    table = filled.sessions.table(filled.profiles.default_id())
    plot = history.ratings_plots["pain"]
    x, y = plot.before.getData()
    has = table.ratings[:, 0] >= 0
    assert x.tolist() == table.stamps[has].tolist()
    assert y.tolist() == table.ratings[has, 0].tolist()
    x, y = plot.after.getData()
    assert len(x) == int((table.ratings[:, 2] >= 0).sum()) == len(MONTH) - 1
    days, means = rolling_mean(local_days(table.stamps), table.ratings[:, 0])
    _, trend = plot.trend.getData()
    assert trend.tolist() == pytest.approx(means.tolist())
    assert len(trend) == len(days)
    _, tension = history.ratings_plots["tension"].before.getData()
    assert set(tension.tolist()) == {5.0}


def test_change_bars_mean_and_band_match_the_analysis(history: HistoryScreen, filled) -> None:
    table = filled.sessions.table(filled.profiles.default_id())
    rows, change = changes(table, "pain")
    plot = history.change_plots["pain"]
    x, heights = plot.bars()
    assert x.tolist() == table.stamps[rows].tolist()
    assert heights.tolist() == change.tolist()
    stats = history.analysis.pain
    assert stats.n == len(rows)
    assert plot.mean.isVisible()
    assert plot.mean.value() == pytest.approx(stats.mean.value)
    assert plot.band.getRegion() == pytest.approx((stats.mean.low, stats.mean.high))
    assert f"n = {stats.n}" in history.change_caption.text()


def test_too_few_sessions_show_the_reason_instead_of_a_mean(history: HistoryScreen) -> None:
    history.set_dates(date(2026, 3, 2), date(2026, 3, 4))  # three sessions
    history.update_all_plots()
    assert len(history.shown) == 3 < MIN_SESSIONS_CHANGE
    assert not history.change_plots["pain"].mean.isVisible()
    assert not history.change_plots["pain"].band.isVisible()
    assert "not enough sessions yet" in history.change_caption.text()
    assert history.period.currentText() == "Chosen dates"


def test_per_exercise_comparison_has_its_n_and_ci(history: HistoryScreen) -> None:
    plot = history.exercise_plot
    labels = [text for _, text in plot.widget.getPlotItem().getAxis("left")._tickLevels[0]]
    by_exercise = {g.label: g for g in history.analysis.by_exercise}
    assert labels == [f"{g.label} (n = {g.n_sessions})" for g in history.analysis.by_exercise]
    assert set(by_exercise) == {"Box breathing", "Coherent breathing"}
    x, _ = plot.means["pain"].getData()
    expected = [g.pain.mean.value for g in history.analysis.by_exercise]
    assert x.tolist() == pytest.approx(expected)
    whisker = plot.whiskers["pain"].opts
    first = history.analysis.by_exercise[0].pain.mean
    assert whisker["left"][0] == pytest.approx(first.value - first.low)
    assert whisker["right"][0] == pytest.approx(first.high - first.value)


def test_the_calendar_shows_minutes_per_day_and_the_streak(history: HistoryScreen) -> None:
    calendar = history.calendar_plot.calendar
    assert calendar is not None
    assert (calendar.first_day, calendar.last_day) == (date(2026, 3, 2), TODAY)
    march_2 = (date(2026, 3, 2) - calendar.grid_start).days
    assert calendar.minutes[march_2 // 7, march_2 % 7] == pytest.approx(5.0)
    # The last session was on 31 March (day 29): today, and every day before back to 2 March.
    assert calendar.streak == 30
    assert history.calendar_count.text() == "You practised on 30 of these 30 days."
    image = history.calendar_plot.image.image
    assert image.shape[:2] == calendar.minutes.shape
    after = image[-1, TODAY.weekday() + 1 :]
    assert (after[..., 3] == 0).all()  # days after the period are see-through, not "no practice"


def test_filters_narrow_every_view(history: HistoryScreen, filled) -> None:
    total = len(history.shown)
    history.set_exercise_filter("coherent")
    history.update_all_plots()
    assert len(history.shown) == 8
    assert history.count.text() == f"Showing 8 of {total} sessions."
    assert [g.key for g in history.analysis.by_exercise] == ["coherent"]
    assert len(history.ratings_plots["pain"].before.getData()[0]) == 8
    assert history.model.rowCount() == 8
    history.set_exercise_filter("")
    history.set_region_filter("neck")
    assert set(history.visible_sessions()) == set(
        filled.regions.pain_marks(filled.profiles.default_id()).sessions_with("neck").tolist()
    )
    history.set_region_filter("")
    history.set_period("Last 7 days")
    history.update_all_plots()
    assert {d.isoformat() for d in map(_day, history.shown.stamps)} <= {
        (TODAY - timedelta(days=k)).isoformat() for k in range(7)
    }
    assert history.first_day.date().toPython() == TODAY - timedelta(days=6)


def _day(stamp: float) -> date:
    return datetime.fromtimestamp(stamp, UTC).date()


def test_plot_items_are_made_once_and_fed_new_data(history: HistoryScreen) -> None:
    before = [id(item) for item in items_of(history)]
    history.set_exercise_filter("coherent")
    history.update_all_plots()
    history.set_period("Last 30 days")
    history.update_all_plots()
    history.reload()
    history.update_all_plots()
    assert [id(item) for item in items_of(history)] == before


def test_other_profiles_never_show(
    history: HistoryScreen, filled: Store, in_use: ProfileInUse
) -> None:
    other = filled.profiles.create("Robin")
    filled.sessions.add(other, [new(3, (9, 9)), new(4, (9, 8))])
    history.reload()
    assert 9.0 not in history.ratings_plots["pain"].before.getData()[1].tolist()
    in_use.switch_to(other)  # shown: it follows at once
    history.update_all_plots()
    assert history.profile_id == other
    assert len(history.shown) == 2
    assert history.ratings_plots["pain"].before.getData()[1].tolist() == [9.0, 9.0]
    assert set(history.visible_sessions()) == set(filled.sessions.table(other).ids.tolist())


def test_pointing_at_a_session_or_day_says_what_it_was(history: HistoryScreen) -> None:
    table = history.shown
    plot = history.ratings_plots["pain"].widget
    text = history.describe_point(plot, float(table.stamps[3]) + 60, 5.0, pixel_s=600.0)
    assert text.startswith("Thu 05 Mar 2026, 08:03 · Box breathing · 5.0 min · pain 6 → 5")
    assert "hurt: Neck" in text
    assert history.describe_point(plot, float(table.stamps[3]) + 86400 / 2, 5.0, 60.0) == ""
    calendar = history.calendar_plot
    week, weekday = divmod((date(2026, 3, 4) - calendar.calendar.grid_start).days, 7)
    day_text = history.describe_point(calendar.widget, week + 0.5, weekday + 0.5)
    assert day_text == "Wednesday 04 March 2026: 5 min practised"
    history.set_dates(date(2026, 3, 1), TODAY)  # a Sunday without practice
    history.update_all_plots()
    assert history.describe_point(calendar.widget, 0.5, 6.5).endswith("no practice")
    assert history.describe_point(calendar.widget, 0.5, 0.5) == ""  # before the period
    group_text = history.describe_point(history.exercise_plot.widget, 0, 0.1)
    assert group_text.startswith(f"{history.analysis.by_exercise[0].label}: ")
    assert "95% CI" in group_text


def test_moving_the_pointer_over_a_plot_shows_the_details(qtbot, history: HistoryScreen) -> None:
    plot = history.ratings_plots["pain"].widget
    view = plot.getPlotItem().getViewBox()
    stamp, rating = float(history.shown.stamps[10]), float(history.shown.ratings[10, 0])
    scene_point = view.mapViewToScene(pg_point(stamp, rating))
    history._on_pointer(plot, scene_point)
    assert history.details.text() == history.describe_session(10)


def pg_point(x: float, y: float):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_the_table_sorts_by_change(history: HistoryScreen) -> None:
    history.table.sortByColumn(PAIN, Qt.SortOrder.AscendingOrder)
    model = history.model
    shown = [model.index(r, PAIN).data() for r in range(model.rowCount())]
    pairs = [cell.split(" → ") for cell in shown if "–" not in cell]
    numbers = [int(after) - int(before) for before, after in pairs]
    assert numbers == sorted(numbers)
    assert "–" in shown[-1]  # without a change (a rating skipped): last
    history.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    ids = history.visible_sessions()
    stamps = dict(zip(history.shown.ids.tolist(), history.shown.stamps.tolist(), strict=True))
    assert [stamps[i] for i in ids] == sorted(stamps.values(), reverse=True)


def test_notes_are_edited_in_the_table_and_saved(history: HistoryScreen, filled: Store) -> None:
    model = history.model
    cell = model.index(0, NOTES)
    session_id = model.session_id(0)
    assert model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, PAIN)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(cell, "  Shoulders softer afterwards ")
    assert filled.sessions.get(session_id).notes == "Shoulders softer afterwards"
    assert cell.data() == "Shoulders softer afterwards"


def test_a_note_that_cannot_be_saved_is_not_shown_as_saved(
    history: HistoryScreen, filled: Store, dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(session_id: int, notes: str) -> None:
        raise StoreError("The disk is full; free some space and try again.")

    monkeypatch.setattr(filled.sessions, "set_notes", refuse)
    cell = history.model.index(0, NOTES)
    history.model.setData(cell, "lost?")
    assert cell.data() == ""
    assert dialogs.errors == [
        "Could not save the note: The disk is full; free some space and try again.\n\n"
        "The note was not changed."
    ]


def test_delete_and_undo_with_the_keyboard(qtbot, history: HistoryScreen, filled: Store) -> None:
    profile = filled.profiles.default_id()
    everything = filled.sessions.of_profile(profile)
    history.tabs.setCurrentIndex(SESSIONS_TAB)
    history.table.setFocus()
    history.table.selectRow(1)
    doomed = history.selected_session()
    assert doomed is not None
    qtbot.keyClick(history.table, Qt.Key.Key_Delete)
    assert doomed not in [s.id for s in filled.sessions.of_profile(profile)]
    assert doomed not in history.visible_sessions()
    assert history.undo_button.isVisible()
    assert len(history.shown) == len(everything) - 1
    assert len(history.ratings_plots["pain"].before.getData()[0]) < len(MONTH)
    qtbot.keyClick(history.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert filled.sessions.of_profile(profile) == everything
    assert history.selected_session() == doomed
    assert not history.undo_button.isVisible()


def test_thinning_out_keeps_one_dot_per_value_per_sliver() -> None:
    rng = np.random.default_rng(4)
    x = np.sort(rng.uniform(0, 1000, 5000))
    y = rng.integers(0, 11, 5000).astype(float)
    kept_x, kept_y = thin_out(x, y, 0, 1000, 100)
    expected = {(int(a // 10), b) for a, b in zip(x, y, strict=True)}
    assert {(int(a // 10), b) for a, b in zip(kept_x, kept_y, strict=True)} == expected
    assert len(kept_x) == len(expected) < 5000
    inside_x, _ = thin_out(x, y, 100, 200, 5000)  # zoomed in: every point in view
    assert inside_x.tolist() == x[(x >= 100) & (x <= 200)].tolist()


def test_an_analysis_of_the_table_matches_one_of_the_objects(filled: Store) -> None:
    profile = filled.profiles.default_id()
    table = filled.sessions.table(profile)
    objects = filled.sessions.of_profile(profile)
    marks = filled.regions.pain_marks(profile)
    by_table = analyse(table, marks, tz=UTC)
    by_objects = analyse(objects, filled.regions.pain_by_session(profile), tz=UTC)
    assert by_table == by_objects
    assert SessionTable.from_sessions(objects).ids.tolist() == table.ids.tolist()


def test_a_saved_session_appears_without_a_restart(
    qtbot, window, store: Store, clock, ticker, press
) -> None:
    window.show_history()
    history = window.history
    items = [id(item) for item in items_of(history)]
    assert history.empty.isVisible()
    press(Qt.Key.Key_Escape)
    press(Qt.Key.Key_Return)  # the first exercise
    press(Qt.Key.Key_6)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_7)
    press(Qt.Key.Key_Return)
    clock.advance(LEAD_IN_S + 5 * 60.0 + END_CUE_S)
    ticker.fire()
    press(Qt.Key.Key_3)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_4)
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.summary
    window.show_history()
    history.update_all_plots()
    assert window.history is history
    assert not history.empty_page.isVisible()  # the filters and files of the session instead
    assert history.filters.isVisible()
    assert history.report_button.isVisible()
    assert history.export_button.isVisible()
    assert [id(item) for item in items_of(history)] == items
    assert history.model.rowCount() == 1
    assert history.ratings_plots["pain"].before.getData()[1].tolist() == [7.0]
    assert history.change_plots["pain"].bars()[1].tolist() == [-3.0]


def test_a_new_persons_history_is_a_friendly_page_with_one_way_on(
    qtbot, window, dialogs, press
) -> None:
    """Found in a new-user review: no sessions showed date filters (From = To = today), Export,
    Report and one line with nothing to do next."""
    window.show_history()
    history = window.history
    assert history.empty_page.isVisible()
    assert history.empty.text().startswith("No sessions yet.")
    words = history.empty_text  # every line of it shown (a centred label once lost two)
    assert words.isVisible()
    assert words.height() >= words.heightForWidth(words.width())
    for hidden in (
        history.period,
        history.first_day,
        history.last_day,
        history.exercise,
        history.export_button,
        history.report_button,
        history.tabs,
    ):
        assert not hidden.isVisible(), hidden.accessibleName() or hidden.text()
    # Their keys do nothing either: there is nothing to report or export yet.
    press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    press(Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert dialogs.save_titles == []
    assert window.stack.currentWidget() is history
    # One clear way on, focused, and it goes home (by Enter, as by a click).
    button = history.exercises_button
    assert button.isVisible()
    assert button.text() == "Back to the exercises"
    assert QApplication.focusWidget() is button
    press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.home
    window.show_history()
    button.click()
    assert window.stack.currentWidget() is window.home


def test_with_one_session_the_filters_export_and_report_are_back(
    qtbot, window, store: Store
) -> None:
    store.sessions.add(store.profiles.default_id(), earlier(MONTH[:1], 40))
    window.show_history()
    history = window.history
    assert not history.empty_page.isVisible()
    assert not history.exercises_button.isVisible()
    for shown in (
        history.period,
        history.first_day,
        history.last_day,
        history.exercise,
        history.export_button,
        history.report_button,
        history.tabs,
    ):
        assert shown.isVisible(), shown.accessibleName() or shown.text()
    assert history.model.rowCount() == 1


def earlier(sessions: list[NewSession], days: int) -> list[NewSession]:
    """The same sessions ``days`` earlier (the main window's fake today is 1 March 2026)."""
    shift = timedelta(days=days)
    return [
        replace(s, started_at=s.started_at - shift, ended_at=(s.ended_at or s.started_at) - shift)
        for s in sessions
    ]


def test_report_saves_a_pdf_of_the_sessions_shown(
    qtbot, window, store: Store, dialogs, tmp_path
) -> None:
    store.sessions.add(store.profiles.default_id(), earlier(MONTH, 40))
    window.show_history()
    history = window.history
    history.set_exercise_filter("coherent")
    dialogs.save_path = str(tmp_path / "for my physio")  # ".pdf" is added
    qtbot.keyClick(history, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    saved = tmp_path / "for my physio.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert dialogs.errors == []
    assert dialogs.infos[0].startswith(f"Report saved: Saved a report of 8 sessions to {saved}.")


def test_a_cancelled_or_failed_report_leaves_nothing(
    qtbot, window, store: Store, dialogs, tmp_path
) -> None:
    store.sessions.add(store.profiles.default_id(), MONTH)
    window.show_history()
    window.history.report_button.click()
    assert dialogs.save_titles == ["Save the report for your clinician"]
    assert dialogs.infos == []
    dialogs.save_path = str(tmp_path / "no such folder" / "report.pdf")
    window.history.report_button.click()
    assert not (tmp_path / "no such folder").exists()
    assert len(dialogs.errors) == 1
    assert dialogs.errors[0].startswith("Could not save the report: ")
    assert "report.pdf" in dialogs.errors[0]


def test_the_keyboard_reaches_the_table_and_never_edits_a_filter_by_accident(
    qtbot, history: HistoryScreen, filled: Store
) -> None:
    history.activateWindow()
    qtbot.waitUntil(history.isActiveWindow)
    history.tabs.tabBar().setFocus()
    qtbot.keyClick(history, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert history.tabs.currentIndex() == SESSIONS_TAB
    assert history.table.hasFocus()
    first = history.selected_session()
    assert first == history.visible_sessions()[0]
    qtbot.keyClick(history.table, Qt.Key.Key_Down)
    assert history.selected_session() == history.visible_sessions()[1]
    period = history.period.currentText()
    history.tabs.tabBar().setFocus()
    qtbot.keyClick(history.tabs.tabBar(), Qt.Key.Key_Tab)
    assert history.table.hasFocus()
    assert history.period.currentText() == period


def test_how_it_went_is_wide_enough_for_every_status(history: HistoryScreen) -> None:
    """The column opens wide enough for the longest status (Left during practice) whole."""
    widest = max(history.fontMetrics().horizontalAdvance(w) for w in STATUS_WORDS.values())
    assert history.table.horizontalHeader().sectionSize(STATUS) >= widest
