"""Profiles in the window: the switcher, the profiles dialog, and isolation (nothing of one
profile is shown, plotted or exported while another is in use)."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.session.machine import Ratings, SessionState, SessionStatus
from trainer.store.sessions import NewSession
from trainer.store.store import Store
from ui.shell.main_window import MainWindow
from ui.shell.profiles import ProfilesDialog, profile_to_open

START = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def sessions(pain_before: int, count: int, note: str) -> list[NewSession]:
    return [
        NewSession(
            exercise_id="box-4-4-4-4",
            kind="breathing",
            settings={"title": "Box breathing"},
            started_at=START + timedelta(days=day),
            ended_at=START + timedelta(days=day, minutes=5),
            planned_s=300.0,
            practised_s=300.0,
            status=SessionStatus.COMPLETED,
            before=Ratings(5, pain_before),
            after=Ratings(4, pain_before - 1),
            notes=note,
        )
        for day in range(count)
    ]


@pytest.fixture
def two_people(store: Store) -> tuple[int, int]:
    """ "Me" (pain 3, five sessions, a pattern) and "Robin" (pain 9, three sessions, a pattern)."""
    me = store.profiles.default_id()
    store.sessions.add(me, sessions(3, 5, "my own note"))
    robin = store.profiles.create("Robin", sessions=sessions(9, 3, "Robin's private note"))
    slow = BreathingPattern([Phase(PhaseKind.INHALE, 4), Phase(PhaseKind.EXHALE, 6)])
    store.patterns.save(me, "My morning", slow)
    store.patterns.save(robin, "Robin's evening", slow)
    return me, robin


def visible_text(root: QWidget) -> str:
    """Every piece of text a person could see in ``root`` (labels, buttons, lists, tables)."""
    parts = [root.windowTitle()]
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        for attribute in ("text", "currentText", "toPlainText"):
            getter = getattr(widget, attribute, None)
            if callable(getter):
                with contextlib.suppress(TypeError):
                    parts.append(str(getter()))
        model = getattr(widget, "model", None)
        if isinstance(widget, QLabel) or not callable(model):
            continue
        data = model()
        if data is None:
            continue
        try:
            columns = data.columnCount()
        except TypeError:  # a list model has one column
            columns = 1
        for row in range(data.rowCount()):
            for column in range(columns):
                parts.append(str(data.index(row, column).data() or ""))
    return "\n".join(parts)


def test_the_switcher_lists_profiles_in_use_and_shows_who_is_active(
    window: MainWindow, store: Store, two_people: tuple[int, int]
) -> None:
    _me, _robin = two_people
    window._refresh_profiles()
    choice = window.profile_bar.choice
    assert [choice.itemText(i) for i in range(choice.count())] == ["Me", "Robin"]
    assert choice.currentText() == "Me"
    assert window.windowTitle() == "Safe Signal · Me"
    assert window.profile_bar.isVisible()


def test_switching_shows_only_the_new_profiles_patterns_history_and_plots(
    qtbot, window: MainWindow, store: Store, two_people: tuple[int, int]
) -> None:
    _me, robin = two_people
    window.home.reload_patterns()
    window.show_history()
    window.history.update_all_plots()
    assert 3.0 in window.history.ratings_plots["pain"].before.getData()[1].tolist()

    window._refresh_profiles()
    window.profile_bar.choice.setCurrentIndex(window.profile_bar.choice.findData(robin))
    window.profile_bar.choice.activated.emit(window.profile_bar.choice.currentIndex())

    assert window.profile_id == robin
    assert window.windowTitle() == "Safe Signal · Robin"
    assert window.stack.currentWidget() is window.home  # a switch starts afresh
    own = [e.title for e in window.home.own_exercises()]
    assert own == ["Robin's evening"]
    assert "My morning" not in visible_text(window)

    window.show_history()
    window.history.update_all_plots()
    history = window.history
    assert set(history.visible_sessions()) == set(store.sessions.table(robin).ids.tolist())
    for plot in history.ratings_plots.values():
        shown = plot.before.getData()[1]
        assert shown is None or 3.0 not in shown.tolist()
    assert history.ratings_plots["pain"].before.getData()[1].tolist() == [9.0, 9.0, 9.0]
    history.tabs.setCurrentIndex(history.tabs.count() - 1)  # the sessions table
    text = visible_text(window)
    assert "Robin's private note" in text
    assert "my own note" not in text


def test_a_session_after_a_switch_is_saved_for_the_new_profile(
    qtbot, window: MainWindow, store: Store, two_people: tuple[int, int], clock, ticker, press
) -> None:
    me, robin = two_people
    window.switch_profile(robin)
    window.home.list.setFocus()
    press(Qt.Key.Key_Return)
    for key in (Qt.Key.Key_7, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return):
        press(key)
    assert window.session is not None
    assert store.sessions.get(window.session.session_id).profile_id == robin
    assert (len(store.sessions.of_profile(me)), len(store.sessions.of_profile(robin))) == (5, 4)


def test_the_profile_cannot_change_while_a_session_runs(
    qtbot, window: MainWindow, store: Store, two_people: tuple[int, int], press
) -> None:
    me, robin = two_people
    press(Qt.Key.Key_Return)
    for key in (Qt.Key.Key_5, Qt.Key.Key_Tab, Qt.Key.Key_S, Qt.Key.Key_Return):
        press(key)
    assert window.session is not None
    assert window.session.state is SessionState.RUNNING
    assert not window.profile_bar.choice.isEnabled()
    assert not window.profile_bar.manage.isEnabled()
    assert "Finish the session" in window.profile_bar.choice.toolTip()
    window.switch_profile(robin)
    assert window.profile_id == me
    assert window.stack.currentWidget() is window.practice


def test_the_export_of_one_profile_holds_none_of_anothers(
    window: MainWindow, store: Store, two_people: tuple[int, int], dialogs, tmp_path: Path
) -> None:
    _me, robin = two_people
    window.switch_profile(robin)
    window.show_history()
    dialogs.save_path = str(tmp_path / "robin.json")
    window.export_history()
    exported = json.loads((tmp_path / "robin.json").read_text(encoding="utf-8"))
    assert exported["profile"] == "Robin"
    assert [s["pain_before"] for s in exported["sessions"]] == [9, 9, 9]
    assert "my own note" not in (tmp_path / "robin.json").read_text(encoding="utf-8")
    assert any("health" in text for text in dialogs.infos)


def test_the_last_profile_used_opens_next_time(store: Store, two_people: tuple[int, int]) -> None:
    me, robin = two_people
    assert profile_to_open(store) == me
    store.app_settings.set("active_profile", str(robin))
    assert profile_to_open(store) == robin
    store.profiles.set_archived(robin, True)
    assert profile_to_open(store) == me
    store.app_settings.set("active_profile", "not a number")
    assert profile_to_open(store) == me


# -- the profiles dialog -------------------------------------------------------------------------


@pytest.fixture
def manage(qtbot, window: MainWindow, two_people: tuple[int, int]) -> ProfilesDialog:
    window.manage_profiles()
    dialog = window.profiles.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def select(dialog: ProfilesDialog, profile_id: int) -> None:
    for row in range(dialog.list.count()):
        if dialog.list.item(row).data(Qt.ItemDataRole.UserRole) == profile_id:
            dialog.list.setCurrentRow(row)
            return
    raise AssertionError(f"profile {profile_id} is not listed")


def test_the_dialog_lists_profiles_with_their_sessions(manage: ProfilesDialog) -> None:
    rows = [manage.list.item(i).text() for i in range(manage.list.count())]
    assert rows == ["Me  (5 sessions, in use now)", "Robin  (3 sessions)"]


def test_a_new_profile_is_made_and_put_in_use(
    manage: ProfilesDialog, window: MainWindow, store: Store, dialogs
) -> None:
    dialogs.text_answers = ["  Kim  "]
    manage.create_profile()
    kim = store.profiles.by_name("Kim")
    assert kim is not None
    assert window.profile_id == kim.id
    assert window.home.own_exercises() == []
    dialogs.text_answers = ["kim"]  # the same name in other letters is refused, said plainly
    manage.create_profile()
    assert dialogs.errors[-1].startswith("Could not add the profile: There is already")
    assert len(store.profiles.all()) == 3


def test_rename_shows_the_new_name_in_the_switcher(
    manage: ProfilesDialog, window: MainWindow, store: Store, two_people, dialogs
) -> None:
    me, _robin = two_people
    select(manage, me)
    dialogs.text_answers = ["Alex"]
    manage.rename_selected()
    assert store.profiles.get(me).name == "Alex"
    assert window.profile_bar.choice.currentText() == "Alex"
    assert window.windowTitle() == "Safe Signal · Alex"


def test_archiving_the_profile_in_use_moves_to_another_and_hides_it(
    manage: ProfilesDialog, window: MainWindow, store: Store, two_people
) -> None:
    me, robin = two_people
    select(manage, me)
    manage.toggle_archive_selected()
    assert store.profiles.get(me).archived
    assert window.profile_id == robin
    choice = window.profile_bar.choice
    assert [choice.itemText(i) for i in range(choice.count())] == ["Robin"]
    assert store.sessions.count(me) == 5  # archived, not deleted
    select(manage, me)
    assert manage.archive_button.text() == "Bring &back"
    manage.use_selected()  # brings it back and uses it
    assert window.profile_id == me
    assert not store.profiles.get(me).archived


def test_delete_needs_the_name_typed_and_takes_the_whole_history(
    manage: ProfilesDialog, window: MainWindow, store: Store, two_people, dialogs
) -> None:
    me, robin = two_people
    window.switch_profile(robin)
    select(manage, robin)
    dialogs.typed = "robin"  # not exactly the name: nothing happens
    manage.delete_selected()
    assert store.sessions.count(robin) == 3
    dialogs.typed = "Robin"
    manage.delete_selected()
    assert dialogs.typed_confirms == [("Delete Robin?", "Robin")] * 2
    assert [p.name for p in store.profiles.all()] == ["Me"]
    assert window.profile_id == me  # the one in use went: the next one in use takes over
    select(manage, me)
    dialogs.typed = "Me"
    manage.delete_selected()
    assert "only profile" in dialogs.errors[-1]
    assert store.sessions.count(me) == 5


def test_the_typed_confirmation_only_lets_the_exact_name_through(qtbot) -> None:
    """The real dialog: its destructive button stays off until the name is typed."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit

    from ui.common.dialogs import Dialogs

    seen: dict[str, bool] = {}

    def answer() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog))
        typed = box.findChild(QLineEdit)
        go = next(
            b for b in box.findChild(QDialogButtonBox).buttons() if b.text() == "Delete for good"
        )
        seen["at first"] = go.isEnabled()
        qtbot.keyClicks(typed, "Robi")
        seen["partly"] = go.isEnabled()
        qtbot.keyClicks(typed, "n")
        seen["exactly"] = go.isEnabled()
        go.click()

    QTimer.singleShot(0, answer)
    assert Dialogs.confirm_typed(
        None, "Delete Robin?", "Gone for good.", "Robin", "Delete for good"
    )
    assert seen == {"at first": False, "partly": False, "exactly": True}


def test_rename_names_f2_in_its_tooltip_not_its_label(manage: ProfilesDialog) -> None:
    assert manage.rename_button.text() == "&Rename…"
    assert "(F2)" in manage.rename_button.toolTip()
    assert manage.rename_button.accessibleDescription() == "Shortcut: F2"
