"""The completion screen: a calm "Well done", every fact it showed before (the exercise, the time
practised, before -> after for both ratings), the before/after as a gentle picture on a 0-10
line, one clear next step, and for a demonstration only what is true."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QPushButton

from trainer.app.words import before_after_text
from trainer.session.machine import Ratings, SessionStatus
from trainer.store.sessions import StoredSession
from ui.common.theme import TextRole, current_theme, is_primary, role_font
from ui.practice.summary import SummaryScreen

BEFORE, AFTER = Ratings(6, 5), Ratings(3, 4)


def stored(
    before: Ratings = BEFORE,
    after: Ratings = AFTER,
    status: SessionStatus = SessionStatus.COMPLETED,
    practised_s: float = 304.0,
) -> StoredSession:
    start = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    return StoredSession(
        id=1,
        profile_id=1,
        exercise_id="coherent-5-5",
        kind="breathing",
        settings={"title": "Coherent breathing"},
        started_at=start,
        ended_at=start,
        planned_s=300.0,
        practised_s=practised_s,
        status=status,
        before=before,
        after=after,
        notes="",
    )


@pytest.fixture
def summary(qtbot, ticker) -> SummaryScreen:
    screen = SummaryScreen()
    qtbot.addWidget(screen)
    screen.resize(1024, 560)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def visible_text(screen: SummaryScreen) -> str:
    from PySide6.QtWidgets import QLabel

    return " ".join(
        label.text() for label in screen.findChildren(QLabel) if label.isVisibleTo(screen)
    )


def test_it_keeps_every_fact_and_says_well_done(summary) -> None:
    summary.show_session(stored())
    assert summary.heading.text() == "Well done"
    assert summary.heading.font().pointSizeF() == role_font(summary, TextRole.TITLE).pointSizeF()
    assert summary.practised.text() == "You practised Coherent breathing for 5 min 4 s."
    assert summary.tension.text() == "6 → 3"
    assert summary.pain.text() == "5 → 4"
    assert summary.ratings.isVisible()
    assert summary.note.isVisible()
    assert (summary.tension_track.before, summary.tension_track.after) == (6, 3)
    assert summary.pain_track.accessibleDescription() == "Before 5, after 4, out of 10"


def test_it_never_claims_that_pain_went_away(summary) -> None:
    for before, after in ((Ratings(8, 8), Ratings(2, 0)), (Ratings(2, 1), Ratings(6, 7))):
        summary.show_session(stored(before, after))
        text = visible_text(summary).lower()
        for claim in ("gone", "better", "worse", "improv", "less pain", "reduced", "cured"):
            assert claim not in text
        assert "imaginary" not in text


def test_ending_early_is_met_kindly(summary) -> None:
    summary.show_session(stored(status=SessionStatus.ENDED_EARLY, practised_s=95))
    assert "Stopping early is fine: every minute of practice counts." in summary.practised.text()


def test_one_clear_next_step(qtbot, summary) -> None:
    summary.show_session(stored())
    buttons = [b for b in summary.findChildren(QPushButton) if b.isVisible()]
    assert [b for b in buttons if is_primary(b)] == [summary.done_button]
    assert summary.done_button.text() == "Done"
    assert "Enter" in summary.done_button.toolTip()
    assert not summary.done_button.icon().isNull()
    with qtbot.waitSignal(summary.done):
        qtbot.keyClick(summary, Qt.Key.Key_Return)
    with qtbot.waitSignal(summary.history_requested):
        qtbot.keyClick(summary, Qt.Key.Key_H)
    with qtbot.waitSignal(summary.done):
        qtbot.mouseClick(summary.done_button, Qt.MouseButton.LeftButton)


def test_a_demonstration_shows_only_what_is_true(summary) -> None:
    summary.show_demonstration("Coherent breathing", 183)
    assert "Nothing was recorded" in summary.practised.text()
    assert "3 min 3 s" in summary.practised.text()
    assert not summary.ratings.isVisible()
    assert not summary.note.isVisible()
    text = visible_text(summary)
    assert "not asked" not in text
    assert "before → after" not in text
    # A real session afterwards shows its ratings again.
    summary.show_session(stored())
    assert summary.ratings.isVisible()
    assert summary.tension.text() == "6 → 3"


@pytest.mark.parametrize("practised_s", [0.0, 12.0, 29.4])
def test_a_demonstration_ended_at_once_does_not_say_it_lasted_no_time(
    summary, practised_s: float
) -> None:
    """It read "Attention shifting (0 s)": a length under half a minute is left out."""
    summary.show_demonstration("Attention shifting", practised_s)
    text = summary.practised.text()
    assert text == "That was a demonstration of Attention shifting. Nothing was recorded."
    assert " s)" not in text


def test_a_demonstration_of_half_a_minute_says_its_length(summary) -> None:
    summary.show_demonstration("Attention shifting", 30.0)
    assert "Attention shifting (30 s)." in summary.practised.text()


def colour_at(widget, x: float) -> QColor:
    QApplication.processEvents()
    return widget.grab().toImage().pixelColor(round(x), widget.height() // 2)


def close_to(colour: QColor, name: str) -> bool:
    want = QColor(name)
    return all(abs(a - b) <= 6 for a, b in zip(colour.getRgb()[:3], want.getRgb()[:3], strict=True))


def test_the_picture_marks_before_and_after_on_the_line(summary) -> None:
    summary.show_session(stored(Ratings(8, 5), Ratings(3, 5)))
    track = summary.tension_track
    theme = current_theme()
    assert close_to(colour_at(track, track.x_of(3)), theme.accent)  # after: a filled dot
    assert close_to(colour_at(track, track.x_of(8)), theme.surface)  # before: an open ring
    ring = track.x_of(8) - track.height() * 0.32  # its edge, in the secondary text colour
    assert close_to(colour_at(track, ring), theme.muted_text)
    assert not close_to(colour_at(track, track.x_of(10)), theme.accent)  # nothing at 10


def test_the_same_number_before_and_after_shows_both_marks(summary) -> None:
    summary.show_session(stored(Ratings(5, 6), Ratings(5, 6)))
    track = summary.pain_track
    theme = current_theme()
    assert close_to(colour_at(track, track.x_of(6)), theme.accent)  # the dot...
    ring = track.x_of(6) - track.height() * 0.32
    assert close_to(colour_at(track, ring), theme.muted_text)  # ...inside the ring


def test_a_skipped_rating_has_no_mark(summary) -> None:
    summary.show_session(stored(Ratings(None, None), Ratings(None, 4)))
    assert summary.tension.text() == before_after_text(None, None)
    track = summary.tension_track
    for value in range(11):
        assert not close_to(colour_at(track, track.x_of(value)), current_theme().accent)
    assert (summary.pain_track.before, summary.pain_track.after) == (None, 4)
