"""The home screen: exercises and own patterns, lengths in minutes or breaths, no-holds, editing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.errors import StoreError
from ui.library.home import BY_BREATHS, HomeScreen
from ui.library.pattern_editor import EditorMode

INHALE, HOLD, EXHALE = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE


def test_lists_required_exercises_with_descriptions(qtbot, catalog, ticker):
    home = HomeScreen(catalog)
    qtbot.addWidget(home)
    ids = [home.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(home.list.count())]
    assert {"coherent-5-5", "box-4-4-4-4", "extended-exhale-4-6"} <= set(ids)
    first = home.list.item(0)
    assert first.text() == "Coherent breathing"
    assert "6 breaths a minute" in first.data(Qt.ItemDataRole.UserRole + 2)
    assert "5 minutes" in first.data(Qt.ItemDataRole.UserRole + 2)
    offered = [home.length.itemData(i) for i in range(home.length.count())]
    assert offered == [1, 3, 5, 10, 15, BY_BREATHS]
    assert home.length.currentData() == 5


def test_each_exercise_keeps_its_own_length(qtbot, catalog, ticker):
    home = HomeScreen(catalog)
    qtbot.addWidget(home)
    home.length.setCurrentIndex(home.length.findData(10))
    qtbot.keyClick(home.list, Qt.Key.Key_Down)
    assert home.length.currentData() == 5
    home.length.setCurrentIndex(home.length.findData(1))
    qtbot.keyClick(home.list, Qt.Key.Key_Up)
    assert home.length.currentData() == 10
    with qtbot.waitSignal(home.start_requested) as blocker:
        qtbot.keyClick(home.list, Qt.Key.Key_Return)
    exercise, minutes = blocker.args
    assert (exercise.id, minutes.options["length"]) == ("coherent-5-5", {"minutes": 10})
    with qtbot.waitSignal(home.start_requested) as blocker:
        qtbot.mouseClick(home.start_button, Qt.MouseButton.LeftButton)
    assert blocker.args[1].options["length"] == {"minutes": 10}


def test_patterns_with_holds_carry_the_safety_note(qtbot, catalog, ticker):
    home = HomeScreen(catalog)
    qtbot.addWidget(home)
    notes = {}
    for row in range(home.list.count()):
        home.list.setCurrentRow(row)
        notes[home.current_exercise().id] = home.safety_note.text()
    assert "holds are optional" in notes["box-4-4-4-4"]
    assert "stop if you need to" in notes["box-4-4-4-4"]
    assert "holds are optional" not in notes["coherent-5-5"]
    assert notes["coherent-5-5"].startswith("Breathe gently, not deeply")


# -- lengths by breaths, and the no-holds choice -------------------------------------------------

DETAIL = Qt.ItemDataRole.UserRole + 2


def select(home: HomeScreen, exercise_id: str) -> None:
    for row in range(home.list.count()):
        if home.list.item(row).data(Qt.ItemDataRole.UserRole) == exercise_id:
            home.list.setCurrentRow(row)
            return
    raise AssertionError(f"{exercise_id} is not listed")


def started(qtbot, home: HomeScreen):
    with qtbot.waitSignal(home.start_requested) as blocker:
        qtbot.keyClick(home.list, Qt.Key.Key_Return)
    return blocker.args


def test_four_seven_eight_starts_with_its_suggested_four_breaths(qtbot, catalog, ticker):
    home = HomeScreen(catalog)
    qtbot.addWidget(home)
    select(home, "four-seven-eight")
    assert home.length.currentData() == BY_BREATHS
    assert home.breaths.value() == 4
    assert not home.breaths.isHidden()
    assert home.current_item_detail() == "3.2 breaths a minute  ·  4 breaths (1 min 16 s)"
    exercise, plan = started(qtbot, home)
    assert exercise.id == "four-seven-eight"
    assert (plan.cycles, plan.planned_s) == (4, 4 * 19)
    assert plan.options["length"] == {"cycles": 4}
    # Other exercises keep minutes, and the breaths box is out of the way.
    select(home, "coherent-5-5")
    assert home.length.currentData() == 5
    assert home.breaths.isHidden()


def test_a_length_in_breaths_is_kept_per_exercise(qtbot, catalog, ticker):
    home = HomeScreen(catalog)
    qtbot.addWidget(home)
    home.length.setCurrentIndex(home.length.findData(3))
    home.length.setCurrentIndex(home.length.findData(BY_BREATHS))
    assert home.breaths.value() == 18  # what 3 minutes of coherent breathing would be
    home.breaths.setValue(12)
    assert home.current_item_detail() == "6 breaths a minute  ·  12 breaths (2 min)"
    exercise, plan = started(qtbot, home)
    assert (exercise.id, plan.cycles, plan.planned_s) == ("coherent-5-5", 12, 120.0)
    assert plan.options["length"] == {"cycles": 12}

    select(home, "box-4-4-4-4")
    assert home.length.currentData() == 5
    assert started(qtbot, home)[1].options["length"] == {"minutes": 5}
    select(home, "coherent-5-5")
    assert (home.length.currentData(), home.breaths.value()) == (BY_BREATHS, 12)
    home.length.setCurrentIndex(home.length.findData(3))  # back to minutes: 3, as chosen
    assert started(qtbot, home)[1].options["length"] == {"minutes": 3}
    assert home.breaths.maximum() == 100
    assert home.breaths.minimum() == 1


def test_no_holds_drops_the_holds_for_this_session_only(qtbot, catalog, ticker):
    home = HomeScreen(catalog)
    qtbot.addWidget(home)
    assert home.no_holds.isHidden()  # coherent breathing has no holds
    select(home, "box-4-4-4-4")
    assert not home.no_holds.isHidden()
    assert "holds are optional" in home.safety_note.text()
    assert home.current_item_detail() == "3.8 breaths a minute  ·  5 minutes (19 breaths)"
    home.no_holds.setChecked(True)
    assert home.current_item_detail() == (
        "7.5 breaths a minute without holds  ·  5 minutes (38 breaths)"
    )
    exercise, plan = started(qtbot, home)
    assert exercise.pattern.has_holds  # the exercise itself is unchanged
    assert not plan.pattern.has_holds
    assert [p.seconds for p in plan.pattern.phases] == [4, 4]
    assert (plan.options["no_holds"], plan.cycles) == (True, 38)
    select(home, "four-seven-eight")
    assert not home.no_holds.isChecked()
    assert started(qtbot, home)[1].pattern.has_holds
    select(home, "box-4-4-4-4")
    assert home.no_holds.isChecked()


# -- the person's own patterns -------------------------------------------------------------------

CTRL = Qt.KeyboardModifier.ControlModifier
OWN = Qt.ItemDataRole.UserRole + 3


def listed(window) -> list[tuple[str, bool]]:
    home = window.home
    return [
        (home.list.item(row).text(), bool(home.list.item(row).data(OWN)))
        for row in range(home.list.count())
    ]


def open_editor(qtbot, window, press, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier):
    press(key, modifier)
    editor = window.home.editor
    assert editor is not None
    qtbot.waitUntil(editor.isActiveWindow)
    return editor


def type_text(qtbot, text: str) -> None:
    """Type into whatever has keyboard focus."""
    qtbot.keyClicks(QApplication.focusWidget(), text)


def finish(qtbot, window, press, key: Qt.Key = Qt.Key.Key_Return) -> None:
    press(key)
    qtbot.waitUntil(lambda: window.home.editor is None)
    window.activateWindow()
    # The keyboard goes back to Start (to the list while the other exercises are shown).
    home = window.home
    back = home.list if home.options_shown() else home.start_button
    qtbot.waitUntil(lambda: QApplication.focusWidget() is back)


def test_a_new_pattern_is_saved_listed_and_started_with_its_plan(
    qtbot, window, store, press, catalog
):
    presets = len(catalog.exercises)
    editor = open_editor(qtbot, window, press, Qt.Key.Key_N, CTRL)
    assert editor.mode is EditorMode.NEW
    type_text(qtbot, "Dusk")
    press(Qt.Key.Key_Tab)
    editor.inhale.selectAll()
    type_text(qtbot, "5")
    press(Qt.Key.Key_Tab)
    editor.hold_in.selectAll()
    type_text(qtbot, "2")
    assert editor.summary.text() == "One breath: 13 s  ·  4.6 breaths a minute"
    finish(qtbot, window, press)

    (saved,) = store.patterns.of_profile(window.profile_id)
    expected = BreathingPattern([Phase(INHALE, 5), Phase(HOLD, 2), Phase(EXHALE, 6)])
    assert (saved.name, saved.pattern) == ("Dusk", expected)
    assert listed(window)[presets:] == [("Dusk", True)]
    assert not any(own for _, own in listed(window)[:presets])
    home = window.home
    assert home.list.currentRow() == presets
    assert home.current_exercise().custom_id == saved.id
    assert home.current_item_detail() == "4.6 breaths a minute  ·  5 minutes (23 breaths)"
    assert "holds are optional" in home.safety_note.text()

    press(Qt.Key.Key_Return)  # Enter on the list starts it
    assert window.stack.currentWidget() is window.before
    plan = window.session.plan
    assert (plan.exercise_id, plan.title, plan.pattern) == (f"custom-{saved.id}", "Dusk", expected)
    assert (plan.cycles, plan.planned_s) == (23, 23 * 13)


def test_presets_can_be_duplicated_but_not_changed(qtbot, window, store, press, dialogs):
    home = window.home
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    assert home.current_exercise().id == "box-4-4-4-4"
    # Only what can be done is offered: no greyed-out Edit, Rename or Delete for a built-in.
    home.show_options()
    assert all(b.isHidden() for b in (home.edit_button, home.rename_button, home.delete_button))
    assert not home.duplicate_button.isHidden()
    assert "Duplicate" in home.pattern_note.text()
    press(Qt.Key.Key_E, CTRL)
    press(Qt.Key.Key_F2)
    press(Qt.Key.Key_Delete)
    assert home.editor is None
    assert dialogs.confirms == []

    editor = open_editor(qtbot, window, press, Qt.Key.Key_D, CTRL)
    assert editor.mode is EditorMode.DUPLICATE
    assert editor.name.text() == "Box breathing (copy)"
    assert [b.value() for b in editor.seconds_boxes()] == [4, 4, 4, 4]
    editor.exhale.setValue(6)
    finish(qtbot, window, press)
    (copy,) = store.patterns.of_profile(window.profile_id)
    assert copy.name == "Box breathing (copy)"
    assert [p.seconds for p in copy.pattern.phases] == [4, 4, 6, 4]
    assert home.current_exercise().custom_id == copy.id
    assert not any(b.isHidden() for b in (home.edit_button, home.rename_button, home.delete_button))
    assert home.pattern_note.isHidden()
    box = next(e for e in window.home._catalog.exercises if e.id == "box-4-4-4-4")
    assert box.pattern.phases[2].seconds == 4  # the preset itself is untouched


def test_edit_and_rename_change_the_pattern_in_place(qtbot, window, store, press):
    me = window.profile_id
    first = store.patterns.save(me, "Alpha", BreathingPattern([Phase(INHALE, 4), Phase(EXHALE, 6)]))
    second = store.patterns.save(me, "Beta", BreathingPattern([Phase(INHALE, 3), Phase(EXHALE, 3)]))
    window.home.reload_patterns(select_custom_id=first)
    home = window.home
    home.list.setFocus()

    editor = open_editor(qtbot, window, press, Qt.Key.Key_E, CTRL)
    assert editor.mode is EditorMode.EDIT
    assert QApplication.focusWidget() is editor.inhale
    assert [b.value() for b in editor.seconds_boxes()] == [4, 0, 6, 0]
    editor.exhale.setValue(8)
    finish(qtbot, window, press)
    assert [(p.id, p.name, p.pattern.cycle_s) for p in store.patterns.of_profile(me)] == [
        (first, "Alpha", 12.0),
        (second, "Beta", 6.0),
    ]
    assert home.current_exercise().custom_id == first
    assert home.current_item_detail().startswith("5 breaths a minute")

    editor = open_editor(qtbot, window, press, Qt.Key.Key_F2)
    assert QApplication.focusWidget() is editor.name
    assert editor.name.selectedText() == "Alpha"
    type_text(qtbot, "beta")
    assert "already used" in editor.problems_label.text()
    assert not editor.save_button.isEnabled()
    type_text(qtbot, "s")
    finish(qtbot, window, press)
    assert [(p.id, p.name) for p in store.patterns.of_profile(me)] == [
        (second, "Beta"),
        (first, "betas"),
    ]
    # The list is sorted by name again and the renamed pattern stays highlighted.
    assert [name for name, own in listed(window) if own] == ["Beta", "betas"]
    assert home.current_exercise().custom_id == first

    editor = open_editor(qtbot, window, press, Qt.Key.Key_E, CTRL)
    editor.exhale.setValue(10)
    finish(qtbot, window, press, Qt.Key.Key_Escape)  # cancelled: nothing changes
    assert store.patterns.of_profile(me)[1].pattern.cycle_s == 12.0


def test_delete_asks_by_name_and_keeps_a_sensible_selection(
    qtbot, window, store, press, dialogs, catalog
):
    me = window.profile_id
    ids = [
        store.patterns.save(me, name, BreathingPattern([Phase(INHALE, 4), Phase(EXHALE, 6)]))
        for name in ("A one", "B two", "C three")
    ]
    home = window.home
    home.reload_patterns(select_custom_id=ids[1])
    home.list.setFocus()

    # Del while typing a number of breaths edits the number, not the patterns.
    home.length.setCurrentIndex(home.length.findData(BY_BREATHS))
    home.breaths.setFocus()
    home.breaths.selectAll()
    press(Qt.Key.Key_Delete)
    assert dialogs.confirms == []
    assert home.breaths.text() == ""
    home.list.setFocus()

    dialogs.confirm_answer = False
    press(Qt.Key.Key_Delete)
    assert dialogs.confirms == ["Delete “B two”?"]
    assert len(store.patterns.of_profile(me)) == 3
    assert home.current_exercise().custom_id == ids[1]

    dialogs.confirm_answer = True
    press(Qt.Key.Key_Delete)
    assert [p.id for p in store.patterns.of_profile(me)] == [ids[0], ids[2]]
    assert [name for name, own in listed(window) if own] == ["A one", "C three"]
    assert home.current_exercise().custom_id == ids[2]  # the next one moved up
    press(Qt.Key.Key_Delete)
    assert home.current_exercise().custom_id == ids[0]  # the last went: the one before it
    press(Qt.Key.Key_Delete)
    assert store.patterns.of_profile(me) == []
    assert dialogs.confirms[1:] == ["Delete “B two”?", "Delete “C three”?", "Delete “A one”?"]
    assert home.list.count() == len(catalog.exercises)
    assert home.list.currentRow() == len(catalog.exercises) - 1
    assert home.delete_button.isHidden()
    assert QApplication.focusWidget() is home.start_button


def test_store_errors_are_shown_and_nothing_is_lost(
    qtbot, window, store, press, dialogs, monkeypatch
):
    me = window.profile_id
    kept = store.patterns.save(me, "Kept", BreathingPattern([Phase(INHALE, 4), Phase(EXHALE, 6)]))
    home = window.home
    home.reload_patterns(select_custom_id=kept)
    home.list.setFocus()

    def fail(*args, **kwargs):
        raise StoreError("Could not change the database. The disk is full.")

    monkeypatch.setattr(store.patterns, "delete", fail)
    press(Qt.Key.Key_Delete)
    assert dialogs.errors == [
        "Could not delete “Kept”: Could not change the database. The disk is full."
    ]
    assert [name for name, own in listed(window) if own] == ["Kept"]

    monkeypatch.setattr(store.patterns, "save", fail)
    editor = open_editor(qtbot, window, press, Qt.Key.Key_N, CTRL)
    type_text(qtbot, "New one")
    press(Qt.Key.Key_Return)
    assert len(dialogs.errors) == 2
    assert dialogs.errors[1].startswith(
        "Could not save the pattern: Could not change the database."
    )
    assert home.editor is editor
    assert editor.isVisible()
    assert editor.name.text() == "New one"

    monkeypatch.setattr(store.patterns, "of_profile", fail)
    home.reload_patterns()
    assert dialogs.errors[2] == (
        "Could not read your breathing patterns: Could not change the database. The disk is full."
    )
    assert [name for name, own in listed(window) if own] == ["Kept"]


def test_pattern_keys_only_work_on_the_home_screen(qtbot, window, press):
    press(Qt.Key.Key_H, CTRL)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.history)
    press(Qt.Key.Key_N, CTRL)
    press(Qt.Key.Key_D, CTRL)
    assert window.home.editor is None
    press(Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home
    press(Qt.Key.Key_D, CTRL)  # the same keys, waited for the same way, work at home
    assert window.home.editor is not None


def test_a_pattern_saved_elsewhere_appears_highlighted(qtbot, window, store):
    pattern_id = store.patterns.save(
        window.profile_id,
        "My resonance",
        BreathingPattern([Phase(INHALE, 5.5), Phase(EXHALE, 5.5)]),
    )
    window.finder.pattern_saved.emit(pattern_id)
    assert window.home.current_exercise().custom_id == pattern_id
    assert window.home.current_exercise().title == "My resonance"


def test_ease_in_plans_a_ramp_into_the_pace(qtbot, catalog, ticker):
    home = HomeScreen(catalog)
    qtbot.addWidget(home)
    home.list.setCurrentRow(0)  # coherent, 6 breaths a minute, 5 minutes
    home.ease_in.setChecked(True)
    with qtbot.waitSignal(home.start_requested) as blocker:
        home.start()
    plan = blocker.args[1]
    assert plan.ramp is not None
    assert (plan.ramp.start_bpm, plan.ramp.target_bpm, plan.ramp.minutes) == (7.5, 6.0, 2.5)
    assert "7.5 easing to 6 breaths a minute over 2.5 minutes" in home.current_item_detail()
    # The choice belongs to this exercise only.
    home.list.setCurrentRow(1)
    assert not home.ease_in.isChecked()
    with qtbot.waitSignal(home.start_requested) as blocker:
        home.start()
    assert blocker.args[1].ramp is None


def test_the_ease_in_can_be_chosen_and_never_outlasts_the_session(qtbot, catalog, ticker):
    home = HomeScreen(catalog)
    qtbot.addWidget(home)
    home.show()
    home.list.setCurrentRow(0)  # coherent, 6 breaths a minute
    home.length.setCurrentIndex(home.length.findData(10))
    assert home.ramp_row.isHidden()
    home.ease_in.setChecked(True)
    assert not home.ramp_row.isHidden()
    assert (home.ramp_start.value(), home.ramp_minutes.value()) == (7.5, 5.0)
    assert home.ramp_target.text() == "and slow to 6 breaths a minute over"
    home.ramp_start.setValue(7.0)
    home.ramp_minutes.setValue(8.0)
    ramp = home.plan_for(home.current_exercise()).ramp
    assert (ramp.start_bpm, ramp.target_bpm, ramp.minutes) == (7.0, 6.0, 8.0)
    assert "7 easing to 6 breaths a minute over 8 minutes" in home.current_item_detail()
    # A slower start than the pace is not offered: the ramp only ever slows the breath.
    home.ramp_start.setValue(4.0)
    assert home.ramp_start.value() == 6.0
    # A shorter session shortens the ramp with it.
    home.ramp_start.setValue(7.0)
    home.length.setCurrentIndex(home.length.findData(3))
    ramp = home.plan_for(home.current_exercise()).ramp
    assert ramp.minutes <= 3.0
    assert home.ramp_minutes.value() == ramp.minutes


def test_a_damaged_own_pattern_is_named_and_the_others_still_listed(qtbot, window, store, dialogs):
    from trainer.content.breathing import BreathingPattern, Phase, PhaseKind

    me = window.profile_id
    even = BreathingPattern([Phase(PhaseKind.INHALE, 5), Phase(PhaseKind.EXHALE, 5)])
    store.patterns.save(me, "Evening", even)
    broken = store.patterns.save(me, "Morning", even)
    store.db.execute("UPDATE custom_patterns SET pattern_json = '{' WHERE id = ?", [broken])
    window.home.reload_patterns()
    titles = [window.home.list.item(row).text() for row in range(window.home.list.count())]
    assert "Evening" in titles
    assert "Morning" not in titles
    assert len(dialogs.errors) == 1
    assert dialogs.errors[0].startswith("Some of your patterns could not be read: ")
    assert "“Morning”" in dialogs.errors[0]


def test_the_window_fits_a_small_laptop_screen(qtbot, window):
    # Every screen, home's pattern buttons and notes included, fits 1024x768 (the default
    # size is 960x720); long notes wrap rather than widen the window.
    hint = window.minimumSizeHint()
    assert hint.width() <= 960
    assert hint.height() <= 720
