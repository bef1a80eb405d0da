"""A full disk or a read-only data folder when a session is saved: the message says so and offers
to save the session elsewhere as a JSON export, which imports later into the same session; until
it is written somewhere, nothing in memory is let go."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from trainer.content.catalog import END_CUE_S, LEAD_IN_S
from trainer.errors import DiskFullError, StoreError
from trainer.session.machine import Ratings, SessionState, SessionStatus
from trainer.store.exchange import import_sessions
from trainer.store.store import Store
from ui.common.dialogs import Dialogs
from ui.shell.main_window import MainWindow

FULL = "Could not save the session: the disk is full. Free some space and try again."


def run_to_after_ratings(qtbot, window: MainWindow, clock, ticker) -> None:
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    window.before.tension.set_value(6)
    window.before.pain.set_value(5)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.practice
    clock.advance(LEAD_IN_S + 90.0)
    ticker.fire()
    window.session.pause()
    clock.advance(30.0)  # paused: not practised
    window.session.resume()
    clock.advance(30.0)
    ticker.fire()
    window.session.end_early()
    assert window.stack.currentWidget() is window.after
    window.after.tension.set_value(3)
    window.after.pain.set_skipped(True)


@pytest.fixture
def full_disk(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The store refuses to finish sessions, as with a full disk; returns the refused ids."""
    refused: list[int] = []

    def finish_session(session_id: int, **kwargs: object) -> None:
        refused.append(session_id)
        raise DiskFullError(FULL)

    monkeypatch.setattr(store.sessions, "finish_session", finish_session)
    return refused


def test_a_refused_save_offers_another_place_and_keeps_everything(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, full_disk, tmp_path
):
    run_to_after_ratings(qtbot, window, clock, ticker)
    session = window.session
    dialogs.confirm_answer = False  # "Not now"
    qtbot.keyClick(window.after, Qt.Key.Key_Return)
    assert full_disk == [session.session_id]
    assert dialogs.confirms == ["Could not save the session"]
    assert window.session is session  # nothing let go
    assert session.state is SessionState.RATE_AFTER
    assert window.stack.currentWidget() is window.after
    assert dialogs.save_titles == []

    # Asked again, this time the person chooses a place, then cancels the file dialog.
    dialogs.confirm_answer = True
    dialogs.save_path = ""
    qtbot.keyClick(window.after, Qt.Key.Key_Return)
    assert dialogs.save_titles == ["Save this session elsewhere"]
    assert window.session is session
    assert window.stack.currentWidget() is window.after
    assert list(tmp_path.glob("*.json")) == []


def test_the_session_saved_elsewhere_imports_as_the_same_session(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, full_disk, tmp_path, monkeypatch
):
    run_to_after_ratings(qtbot, window, clock, ticker)
    session = window.session
    started_at = session.started_at
    out = tmp_path / "elsewhere" / "rescued.json"
    out.parent.mkdir()
    dialogs.save_path = str(out)
    qtbot.keyClick(window.after, Qt.Key.Key_Return)

    assert dialogs.confirms == ["Could not save the session"]
    assert out.is_file()
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["rescued.json"]  # no temporary left
    assert len(dialogs.infos) == 1
    assert str(out) in dialogs.infos[0]
    assert "Menu ▸ Import sessions… (Ctrl+I)" in dialogs.infos[0]
    assert "health information" in dialogs.infos[0]
    assert window.session is None
    assert window.stack.currentWidget() is window.home

    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == "safesignal-sessions"
    assert len(document["sessions"]) == 1

    fresh = Store.open_in(tmp_path / "fresh")
    try:
        result = import_sessions(fresh, fresh.profiles.default_id(), out)
        assert (result.added, result.skipped) == (1, 0)
        (row,) = fresh.sessions.of_profile(fresh.profiles.default_id())
    finally:
        fresh.close()
    assert row.exercise_id == session.plan.exercise_id == "coherent-5-5"
    assert row.title == session.plan.title
    assert row.kind == "breathing"
    assert row.status is SessionStatus.ENDED_EARLY
    assert row.practised_s == pytest.approx(120.0)  # 90 + 30, the pause not counted
    assert row.planned_s == pytest.approx(session.plan.planned_s)
    assert (row.before.tension, row.before.pain) == (6, 5)
    assert (row.after.tension, row.after.pain) == (3, None)
    assert row.started_at == started_at.replace(microsecond=0)
    assert row.ended_at is not None
    assert (row.ended_at - row.started_at).total_seconds() == pytest.approx(
        LEAD_IN_S + 150.0, abs=1.0
    )
    assert row.settings["pattern"] == session.plan.settings()["pattern"]


def test_a_place_that_cannot_be_written_says_so_and_keeps_the_session(
    qtbot, window: MainWindow, clock, ticker, dialogs, full_disk, tmp_path
):
    run_to_after_ratings(qtbot, window, clock, ticker)
    session = window.session
    dialogs.save_path = str(tmp_path / "no-such-folder" / "rescued.json")
    qtbot.keyClick(window.after, Qt.Key.Key_Return)
    assert len(dialogs.errors) == 1
    assert dialogs.errors[0].startswith("Could not save the session there: ")
    assert "does not exist" in dialogs.errors[0]
    assert "still here" in dialogs.errors[0]
    assert dialogs.infos == []
    assert window.session is session
    assert window.stack.currentWidget() is window.after


def test_a_session_that_runs_to_its_end_is_rescued_as_completed(
    qtbot, window: MainWindow, clock, ticker, dialogs, full_disk, tmp_path
):
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    window.before.tension.set_value(4)
    window.before.pain.set_value(4)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    planned = window.session.plan.planned_s
    clock.advance(LEAD_IN_S + planned + END_CUE_S)
    ticker.fire()
    assert window.stack.currentWidget() is window.after
    window.after.tension.set_value(2)
    window.after.pain.set_value(2)
    dialogs.save_path = str(tmp_path / "done.json")
    qtbot.keyClick(window.after, Qt.Key.Key_Return)
    (record,) = json.loads((tmp_path / "done.json").read_text(encoding="utf-8"))["sessions"]
    assert record["status"] == "completed"
    assert record["practised_s"] == pytest.approx(planned)


def test_imported_back_into_the_same_database_it_finishes_the_unfinished_copy(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, full_disk, tmp_path, monkeypatch
):
    run_to_after_ratings(qtbot, window, clock, ticker)
    session_id = window.session.session_id
    dialogs.save_path = str(tmp_path / "rescued.json")
    qtbot.keyClick(window.after, Qt.Key.Key_Return)
    # the disk took the small change: the next start will not call it a crash
    assert store.sessions.get(session_id).status is SessionStatus.INTERRUPTED
    monkeypatch.undo()  # room again on the disk
    profile = store.profiles.default_id()
    result = import_sessions(store, profile, tmp_path / "rescued.json")
    assert (result.added, result.skipped) == (1, 0)
    (row,) = store.sessions.of_profile(profile)
    assert row.id == session_id
    assert row.status is SessionStatus.ENDED_EARLY
    assert (row.after.tension, row.after.pain) == (3, None)
    assert row.practised_s == pytest.approx(120.0)
    again = import_sessions(store, profile, tmp_path / "rescued.json")
    assert (again.added, again.skipped) == (0, 1)


def test_a_saved_session_that_cannot_be_read_back_is_not_offered_as_unsaved(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, monkeypatch
):
    run_to_after_ratings(qtbot, window, clock, ticker)
    session = window.session

    def unreadable(session_id: int) -> object:
        raise StoreError("Could not read a session: the disk is not answering.")

    monkeypatch.setattr(store.sessions, "get", unreadable)
    qtbot.keyClick(window.after, Qt.Key.Key_Return)
    monkeypatch.delattr(store.sessions, "get")
    assert dialogs.confirms == []  # no "save elsewhere": it is saved
    assert dialogs.errors[0].startswith("Your session is saved: ")
    assert window.session is None
    assert window.stack.currentWidget() is window.home
    stored = store.sessions.get(session.session_id)
    assert stored.status is SessionStatus.ENDED_EARLY
    assert stored.after.tension == 3


def test_import_sessions_from_the_menu_adds_the_saved_session(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, full_disk, tmp_path, monkeypatch
):
    run_to_after_ratings(qtbot, window, clock, ticker)
    session = window.session
    dialogs.confirm_answer = True
    dialogs.save_path = str(tmp_path / "kept.json")
    qtbot.keyClick(window.after, Qt.Key.Key_Return)
    assert window.session is None
    monkeypatch.delattr(store.sessions, "finish_session")  # the disk has room again
    dialogs.open_path = str(tmp_path / "kept.json")
    dialogs.confirm_answer = False  # asked first, with the profile it goes to: not now
    window.import_action.trigger()
    assert dialogs.asked[-1] == "Import sessions"
    assert dialogs.confirms[-1] == "Import sessions"
    assert store.sessions.get(session.session_id).status is SessionStatus.INTERRUPTED
    dialogs.confirm_answer = True
    window.import_action.trigger()
    assert dialogs.infos[-1] == "Sessions imported: Added 1 session to the history of Me."
    stored = store.sessions.get(session.session_id)  # the unfinished copy, now finished
    assert stored.status is SessionStatus.ENDED_EARLY
    assert stored.after.tension == 3
    assert len(store.sessions.of_profile(store.profiles.default_id())) == 1

    # The same file again: nothing added twice. A file that is not an export: nothing at all.
    window.import_action.trigger()
    assert dialogs.infos[-1].endswith("1 session already there stayed as they were.")
    (tmp_path / "notes.json").write_text("not json", encoding="utf-8")
    dialogs.open_path = str(tmp_path / "notes.json")
    window.import_action.trigger()
    assert dialogs.errors[-1].startswith(
        "Could not import the sessions: notes.json is not a Safe Signal export (it does not "
        "begin with {); an import reads the JSON form of an export"
    )
    assert dialogs.errors[-1].endswith("Nothing was imported.")
    assert len(store.sessions.of_profile(store.profiles.default_id())) == 1


def start_and_practise(qtbot, window: MainWindow, clock, ticker) -> None:
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    window.before.tension.set_value(6)
    window.before.pain.set_value(5)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    clock.advance(LEAD_IN_S + 40.0)
    ticker.fire()


def test_quitting_when_the_disk_is_full_offers_to_save_the_session_elsewhere(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, full_disk, tmp_path
):
    start_and_practise(qtbot, window, clock, ticker)
    session = window.session

    # Quit, Save elsewhere, then cancel the file dialog: the app stays, with the session.
    dialogs.confirm_answers = [True, True]
    dialogs.save_path = ""
    assert not window.close()
    assert dialogs.confirms == ["Quit Safe Signal?", "Could not save the session"]
    assert window.session is session
    assert full_disk == [session.session_id]

    # Quit, Save elsewhere, a place: written, and the app closes.
    dialogs.confirm_answers = [True, True]
    dialogs.save_path = str(tmp_path / "kept.json")
    assert window.close()
    record = json.loads((tmp_path / "kept.json").read_text(encoding="utf-8"))["sessions"][0]
    assert record["status"] == "abandoned"
    assert (record["tension_before"], record["pain_before"]) == (6, 5)
    assert record["practised_s"] == pytest.approx(40.0)


def test_quitting_without_it_when_the_disk_is_full_still_closes(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, full_disk
):
    start_and_practise(qtbot, window, clock, ticker)
    dialogs.confirm_answers = [True, False]  # quit; then "Quit without it"
    assert window.close()
    assert dialogs.save_titles == []


def test_an_import_keeps_after_ratings_given_since_and_says_so(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, full_disk, tmp_path, monkeypatch
):
    run_to_after_ratings(qtbot, window, clock, ticker)
    session_id = window.session.session_id
    dialogs.confirm_answer = True
    dialogs.save_path = str(tmp_path / "kept.json")
    qtbot.keyClick(window.after, Qt.Key.Key_Return)
    monkeypatch.delattr(store.sessions, "finish_session")  # the disk has room again
    store.sessions.set_after_ratings(session_id, Ratings(7, 8))  # rated here since
    dialogs.open_path = str(tmp_path / "kept.json")
    window.import_action.trigger()
    assert dialogs.infos[-1] == (
        "Sessions imported: Added 1 session to the history of Me. 1 session already had "
        "after-ratings you gave here; yours were kept, not the ones in the file."
    )
    assert store.sessions.get(session_id).after == Ratings(7, 8)


def test_save_elsewhere_offers_the_folder_chosen_last_time(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, full_disk, tmp_path, monkeypatch
):
    # Kept in the app's own settings, as the export, report and import folders are (issue 17),
    # not by Qt's file dialog in ~/.config/QtProject.conf.
    home, usb = tmp_path / "home", tmp_path / "usb"
    home.mkdir()
    usb.mkdir()
    monkeypatch.setenv("HOME", str(home))
    suggested: list[Path] = []
    answer = Dialogs.save_file

    def save_file(parent: object, title: str, suggestion: str, kinds: str) -> str:
        suggested.append(Path(suggestion))
        return answer(parent, title, suggestion, kinds)

    monkeypatch.setattr(Dialogs, "save_file", save_file)
    run_to_after_ratings(qtbot, window, clock, ticker)
    dialogs.save_path = str(usb / "first.json")
    qtbot.keyClick(window.after, Qt.Key.Key_Return)
    assert (usb / "first.json").is_file()
    assert suggested[-1].parent == home  # the first time: the home folder
    assert suggested[-1].name.startswith("safesignal-session-")
    assert store.app_settings.get("last_folder_rescue", "") == str(usb)

    run_to_after_ratings(qtbot, window, clock, ticker)  # the disk is still full
    dialogs.save_path = str(usb / "second.json")
    qtbot.keyClick(window.after, Qt.Key.Key_Return)
    assert suggested[-1].parent == usb  # next time: where the person chose
    assert (usb / "second.json").is_file()
    assert store.app_settings.get("last_folder_export", "") == ""  # its own, not the export's


def test_a_folder_that_cannot_be_remembered_does_not_stop_the_rescue(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, full_disk, tmp_path, monkeypatch
):
    def refuse(key: str, value: str) -> None:
        raise StoreError(FULL)

    monkeypatch.setattr(store.app_settings, "set", refuse)  # the disk takes nothing at all
    run_to_after_ratings(qtbot, window, clock, ticker)
    dialogs.save_path = str(tmp_path / "rescued.json")
    qtbot.keyClick(window.after, Qt.Key.Key_Return)

    assert (tmp_path / "rescued.json").is_file()
    assert window.session is None
    assert dialogs.errors == []
    assert dialogs.infos[0].startswith("The session was saved elsewhere")
