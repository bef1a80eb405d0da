"""Another program holding the database's write lock during a session (issue 17): the pacer
keeps moving, the final save is tried again quietly and kept once the lock is free, and only
if it stays locked is the person told, in words that name the real cause (not a full disk).

The lock is a real second SQLite connection (tests/trainer/other_program.py). ``time.monotonic``
only bounds how long one frame or key press blocks, with a wide margin (the old code: 5 s)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from tests.trainer.other_program import OtherProgram
from tests.ui.test_save_elsewhere import run_to_after_ratings
from trainer.content.catalog import LEAD_IN_S
from trainer.content.cues import CueMode
from trainer.errors import DiskFullError, StoreError
from trainer.session.checkpoint import CHECKPOINT_EVERY_S
from trainer.session.machine import Ratings, SessionState, SessionStatus
from ui.common.dialogs import Dialogs
from ui.shell.main_window import MainWindow
from ui.shell.practice_dialogs import QuietRetry

BLOCKS_AT_MOST_S = 1.0


@pytest.fixture
def texts(dialogs, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every confirmation asked (answered as ``dialogs`` answers)."""
    seen: list[str] = []
    answer = Dialogs.confirm  # the dialogs fixture's stand-in

    def confirm(parent: object, title: str, text: str, yes: str, no: str) -> bool:
        seen.append(text)
        return answer(parent, title, text, yes, no)

    monkeypatch.setattr(Dialogs, "confirm", confirm)
    return seen


def blocked_s(call: object) -> float:
    assert callable(call)
    started = time.monotonic()
    call()
    return time.monotonic() - started


def quiet_try(window: MainWindow) -> None:
    """The retry timer's moment comes (fired by hand: no test waits on the wall clock)."""
    timer = window.practice_view.retry.timer
    assert timer.isActive(), "no quiet try was waiting"
    timer.stop()
    timer.timeout.emit()


def test_the_pacer_keeps_moving_while_another_program_holds_the_database(
    qtbot, window: MainWindow, store, clock, ticker, dialogs
):
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    window.before.tension.set_value(6)
    window.before.pain.set_value(5)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    session = window.session
    assert session is not None
    clock.advance(LEAD_IN_S)
    ticker.fire()
    with OtherProgram(store.path):
        shown = []
        for _ in range(6):  # 30 s, a checkpoint due at every frame shown
            clock.advance(CHECKPOINT_EVERY_S)
            assert blocked_s(ticker.fire) < BLOCKS_AT_MOST_S
            shown.append(session.practice_s)
        assert shown == pytest.approx([5.0, 10.0, 15.0, 20.0, 25.0, 30.0])
        assert session.state is SessionState.RUNNING
        assert window.stack.currentWidget() is window.practice
    assert dialogs.confirms == []
    assert dialogs.errors == []  # a refused checkpoint is logged, never a dialog
    clock.advance(CHECKPOINT_EVERY_S)
    ticker.fire()
    assert session.session_id is not None
    assert store.sessions.get(session.session_id).practised_s == pytest.approx(35.0)


def test_the_final_save_is_tried_again_quietly_and_kept_once_the_lock_is_free(
    qtbot, window: MainWindow, store, clock, ticker, dialogs
):
    run_to_after_ratings(qtbot, window, clock, ticker)
    session = window.session
    other = OtherProgram(store.path)
    other.hold()
    try:
        assert blocked_s(lambda: qtbot.keyClick(window.after, Qt.Key.Key_Return)) < 1.0
        for _ in range(2):
            quiet_try(window)
        assert dialogs.confirms == []  # nothing asked yet
        assert dialogs.errors == []
        assert window.session is session
        assert session.state is SessionState.RATE_AFTER
        assert window.stack.currentWidget() is window.after
    finally:
        other.close()
    quiet_try(window)  # the lock is free now: saved, and the summary shows
    assert dialogs.confirms == []
    assert window.session is None
    assert window.stack.currentWidget() is window.summary
    assert not window.practice_view.retry.timer.isActive()
    assert session.session_id is not None
    row = store.sessions.get(session.session_id)
    assert row.status is SessionStatus.ENDED_EARLY
    assert row.after == Ratings(3, None)


def test_while_it_stays_locked_the_message_names_the_other_program_not_a_full_disk(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, texts
):
    run_to_after_ratings(qtbot, window, clock, ticker)
    session = window.session
    dialogs.confirm_answer = False  # "Not now"
    with OtherProgram(store.path):
        qtbot.keyClick(window.after, Qt.Key.Key_Return)
        for _ in range(QuietRetry.TRIES):
            assert dialogs.confirms == []
            quiet_try(window)
    assert dialogs.confirms == ["Could not save the session"]
    (text,) = texts
    assert "another program is using Safe Signal's database" in text
    assert "Nothing is lost" in text
    assert "press Save again" in text
    assert "room" not in text
    assert "full" not in text
    assert not window.practice_view.retry.timer.isActive()  # asked once: no more tries
    assert window.session is session
    assert window.stack.currentWidget() is window.after

    qtbot.keyClick(window.after, Qt.Key.Key_Return)  # Save again, the lock free
    assert window.session is None
    assert window.stack.currentWidget() is window.summary


def test_quitting_while_it_is_tried_again_saves_the_after_ratings_first(
    qtbot, window: MainWindow, store, clock, ticker, dialogs
):
    """Found in review: the after-ratings lived only in the retry, and quitting saved the
    session without them (the lock already gone)."""
    run_to_after_ratings(qtbot, window, clock, ticker)
    session = window.session
    with OtherProgram(store.path):
        qtbot.keyClick(window.after, Qt.Key.Key_Return)
    assert window.practice_view.pending_after == Ratings(3, None)
    window.end_without_asking()  # as a logout does
    assert session.state is SessionState.SAVED
    assert not window.practice_view.retry.timer.isActive()  # nothing left to try
    assert dialogs.confirms == []
    assert session.session_id is not None
    assert store.sessions.get(session.session_id).after == Ratings(3, None)


def test_quitting_while_it_stays_locked_rescues_the_session_with_its_after_ratings(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, monkeypatch, tmp_path
):
    run_to_after_ratings(qtbot, window, clock, ticker)
    session = window.session
    rescued: list[Ratings] = []

    def save_elsewhere(parent: object, flow: object, after: Ratings) -> bool:
        rescued.append(after)
        return True

    import ui.shell.practice_dialogs

    monkeypatch.setattr(ui.shell.practice_dialogs, "save_elsewhere", save_elsewhere)
    dialogs.confirm_answer = True  # quit, and save it elsewhere
    with OtherProgram(store.path):
        qtbot.keyClick(window.after, Qt.Key.Key_Return)
        window.close()
    assert rescued == [Ratings(3, None)]  # not Ratings(None, None): nothing the person gave is lost
    assert session.session_id is not None


@pytest.mark.parametrize(
    ("refusal", "says_room"),
    [
        (DiskFullError("Could not save the session: the disk is full."), True),
        (StoreError("Could not save the session: the folder is read-only."), False),
    ],
)
def test_a_full_disk_has_its_own_words_and_only_it_says_once_there_is_room(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, texts, monkeypatch, refusal, says_room
):
    def finish_session(session_id: int, **kwargs: object) -> None:
        raise refusal

    monkeypatch.setattr(store.sessions, "finish_session", finish_session)
    run_to_after_ratings(qtbot, window, clock, ticker)
    dialogs.confirm_answer = False
    qtbot.keyClick(window.after, Qt.Key.Key_Return)
    assert not window.practice_view.retry.timer.isActive()  # no quiet tries for these
    (text,) = texts
    assert text.startswith(str(refusal))
    assert ("once there is room" in text) is says_room
    assert "another program" not in text


def test_beginning_while_it_is_locked_says_why_and_begins_when_asked_again(
    qtbot, window: MainWindow, store, dialogs
):
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    window.before.tension.set_value(6)
    window.before.pain.set_value(5)
    with OtherProgram(store.path):
        assert blocked_s(lambda: qtbot.keyClick(window.before, Qt.Key.Key_Return)) < 1.0
    (error,) = dialogs.errors
    assert error.startswith("Could not start the session: ")
    assert "another program is using Safe Signal's database" in error
    assert "press Begin practice again in a moment" in error
    assert window.stack.currentWidget() is window.before
    assert window.before.tension.value == 6  # the ratings are still there
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.practice
    assert window.session is not None
    assert window.session.before == Ratings(6, 5)


def test_choices_made_while_it_is_locked_are_kept_once_it_is_free(
    qtbot, window: MainWindow, store, clock, ticker, dialogs
):
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    window.before.tension.set_value(6)
    window.before.pain.set_value(5)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    screen = window.practice
    profile_id = store.profiles.default_id()

    def stored(key: str) -> str:
        return store.preferences.get(profile_id, key, "(not kept)")

    with OtherProgram(store.path):
        assert blocked_s(lambda: screen.set_sound_mode(CueMode.CHIME)) < BLOCKS_AT_MOST_S
        assert blocked_s(lambda: screen.set_visual("wave")) < BLOCKS_AT_MOST_S
        screen.set_visual("column")  # changed again: the latest is what is kept
        assert screen.sound_mode is CueMode.CHIME  # the choice holds at once
        assert screen.kept.waiting == 2
        screen.kept.timer.stop()
        screen.kept.timer.timeout.emit()  # a try while still held: still waiting
        assert screen.kept.waiting == 2
        assert screen.kept.timer.isActive()
        assert stored("sound_mode") == "(not kept)"
    screen.kept.timer.stop()
    screen.kept.timer.timeout.emit()
    assert screen.kept.waiting == 0
    assert not screen.kept.timer.isActive()
    assert stored("sound_mode") == "chime"
    assert stored("pacer_visual") == "column"
    assert dialogs.errors == []


def test_a_choice_waiting_for_the_lock_never_undoes_a_newer_one_saved_elsewhere(
    qtbot, window: MainWindow, store, clock, ticker, dialogs
):
    """Found in review: a volume refused while locked, then changed in Settings once the lock
    was gone, came back at the next quiet try and undid the newer choice."""
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    screen = window.practice
    profile_id = store.profiles.default_id()
    with OtherProgram(store.path):
        screen.set_sound_mode(CueMode.CHIME)
        assert screen.kept.waiting == 1
    store.preferences.set(profile_id, "sound_mode", "off")  # as the Settings dialog writes it
    screen.kept.timer.stop()
    screen.kept.timer.timeout.emit()
    assert screen.kept.waiting == 0
    assert store.preferences.get(profile_id, "sound_mode", "") == "off"
