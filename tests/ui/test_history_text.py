"""What History says in words (issue 17): a note with direction controls (a right-to-left
override shows "evil" as "live") is shown with visible marks, and the count says "the 1 session"
rather than "all 1 sessions"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from trainer.app.profile import ProfileInUse
from trainer.content.catalog import load_catalog
from trainer.session.machine import Ratings, SessionStatus
from trainer.store.sessions import NewSession
from trainer.store.store import Store
from ui.history.screen import HistoryScreen
from ui.history.table import NOTES, shown_note

TODAY = date(2026, 3, 31)
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
RLO, PDF = "\u202e", "\u202c"
TRICK = f"feeling {RLO}live{PDF} today"  # reads "feeling evil today" where it is acted on


def session(day: int, notes: str = "") -> NewSession:
    return NewSession(
        exercise_id="box",
        kind="breathing",
        settings={"title": "Box breathing"},
        started_at=START + timedelta(days=day),
        ended_at=START + timedelta(days=day, minutes=5),
        planned_s=300.0,
        practised_s=300.0,
        status=SessionStatus.COMPLETED,
        before=Ratings(5, 6),
        after=Ratings(3, 4),
        notes=notes,
    )


def screen_of(qtbot: QtBot, store: Store, sessions: list[NewSession]) -> HistoryScreen:
    store.sessions.add(store.profiles.default_id(), sessions)
    profile = ProfileInUse(store, store.profiles.default_id(), load_catalog())
    screen = HistoryScreen(profile, tz=UTC, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.reload()
    return screen


@pytest.mark.parametrize(
    ("note", "shown"),
    [
        (TRICK, "feeling ⟨RLO⟩live⟨PDF⟩ today"),
        ("a\u2067b\u2069c\u200fd", "a⟨RLI⟩b⟨PDI⟩c⟨RLM⟩d"),
        ("bell\x07 and \x1b[31mred", "bell\ufffd and \ufffd[31mred"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("plain words, עברית too", "plain words, עברית too"),
    ],
)
def test_a_note_is_shown_with_its_controls_visible(note: str, shown: str) -> None:
    assert shown_note(note) == shown


def test_history_shows_a_right_to_left_override_as_a_mark_in_the_table_and_details(
    qtbot, store: Store, dialogs
) -> None:
    history = screen_of(qtbot, store, [session(0, TRICK)])
    model = history.model
    cell = model.index(0, NOTES)

    shown = model.data(cell, Qt.ItemDataRole.DisplayRole)
    assert RLO not in shown
    assert "⟨RLO⟩live⟨PDF⟩" in shown
    assert RLO not in model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert model.data(cell, Qt.ItemDataRole.EditRole) == TRICK  # edited as it is, not changed
    details = history.describe_session(0)
    assert RLO not in details
    assert "⟨RLO⟩live⟨PDF⟩" in details


def test_one_session_is_counted_in_good_english(qtbot, store: Store, dialogs) -> None:
    history = screen_of(qtbot, store, [session(0)])
    assert history.count.text() == "Showing the 1 session."


def test_many_sessions_are_still_all_of_them(qtbot, store: Store, dialogs) -> None:
    history = screen_of(qtbot, store, [session(0), session(1)])
    assert history.count.text() == "Showing all 2 sessions."
