"""The pattern editor: live rate and messages, a preview driven by the fake clock, save and cancel."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.errors import StoreError
from ui.library.pattern_editor import EditorMode, PatternEditor, copy_name

INHALE, HOLD, EXHALE = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE
SIGH = BreathingPattern([Phase(INHALE, 2.5, to_level=0.8), Phase(INHALE, 1), Phase(EXHALE, 6)])


class Saves:
    """Stands in for the store: records each save and answers with an id (or fails)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, BreathingPattern]] = []
        self.fail: Exception | None = None

    def __call__(self, name: str, pattern: BreathingPattern) -> int:
        if self.fail is not None:
            raise self.fail
        self.calls.append((name, pattern))
        return 41 + len(self.calls)


@pytest.fixture
def saves() -> Saves:
    return Saves()


@pytest.fixture
def make_editor(qtbot, clock, ticker, saves):
    def make(mode: EditorMode = EditorMode.NEW, **kwargs: Any) -> PatternEditor:
        kwargs.setdefault("taken_names", ["Box breathing", "Evening"])
        editor = PatternEditor(mode=mode, ticker=ticker, clock=clock, save=saves, **kwargs)
        qtbot.addWidget(editor)
        return editor

    return make


def shown(qtbot, editor: PatternEditor) -> PatternEditor:
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    return editor


def problems(editor: PatternEditor) -> list[str]:
    if editor.problems_label.isHidden():
        return []
    lines = editor.problems_label.text().splitlines()
    assert lines[0] == "To save this pattern:"
    return [line.removeprefix("•  ") for line in lines[1:]]


def test_a_new_pattern_starts_valid_but_for_its_name(make_editor):
    editor = make_editor()
    assert editor.windowTitle() == "New breathing pattern"
    assert [box.value() for box in editor.seconds_boxes()] == [4.0, 0.0, 6.0, 0.0]
    assert editor.summary.text() == "One breath: 10 s  ·  6 breaths a minute"
    assert problems(editor) == ["Give the pattern a name."]
    assert not editor.save_button.isEnabled()
    editor.name.setText("Wind-down")
    assert problems(editor) == []
    assert editor.save_button.isEnabled()


def test_the_boxes_step_by_half_seconds_and_name_their_units(qtbot, make_editor):
    editor = make_editor(name="Wind-down")
    buddies = {label.buddy(): label.text() for label in editor.findChildren(QLabel)}
    assert [buddies[box] for box in editor.seconds_boxes()] == [
        "Breathe &in (s)",
        "&Hold after breathing in (s)",
        "Breathe &out (s)",
        "Hold &after breathing out (s)",
    ]
    assert buddies[editor.name] == "&Name"
    for box in editor.seconds_boxes():
        assert box.singleStep() == 0.5
        assert box.decimals() == 1
    editor.inhale.setFocus()
    qtbot.keyClick(editor.inhale, Qt.Key.Key_Up)
    assert editor.inhale.value() == 4.5
    assert editor.summary.text() == "One breath: 10.5 s  ·  5.7 breaths a minute"


def test_rate_and_every_message_update_as_the_person_types(make_editor):
    editor = make_editor(name="Wind-down")
    editor.hold_in.setValue(7)
    editor.exhale.setValue(8)
    assert editor.summary.text() == "One breath: 19 s  ·  3.2 breaths a minute"
    editor.inhale.setValue(0.5)
    editor.hold_out.setValue(20.5)
    editor.name.setText("  evening ")  # taken, whatever the case and spaces
    assert problems(editor) == [
        "The name “evening” is already used; choose another.",
        "Breathing in needs at least 1 s.",
        "The hold after breathing out can last at most 20 s.",
    ]
    assert editor.summary.text() == "One breath: 36 s  ·  1.7 breaths a minute"
    assert not editor.save_button.isEnabled()
    editor.inhale.setValue(1.0)
    editor.hold_out.setValue(20.0)
    editor.name.setText("Evening, slower")
    assert problems(editor) == []
    assert editor.save_button.isEnabled()


def test_cycle_limits_and_half_second_steps_are_explained(make_editor):
    editor = make_editor(name="Quick")
    editor.inhale.setValue(1.0)
    editor.exhale.setValue(1.0)
    assert problems(editor) == []  # 2 s
    editor.inhale.setValue(20.0)
    editor.hold_in.setValue(20.0)
    editor.exhale.setValue(20.0)
    assert problems(editor) == []  # 60 s
    editor.hold_out.setValue(0.5)
    assert problems(editor) == [
        "One breath lasts 60.5 s; it must last from 2 s to 60 s (1 to 30 breaths a minute)."
    ]
    editor.hold_out.setValue(0.0)
    editor.exhale.setValue(19.7)  # typed, not stepped: tenths are fine
    assert problems(editor) == []


def test_the_preview_follows_the_fake_clock_and_restarts_on_a_change(
    qtbot, make_editor, clock, ticker
):
    editor = shown(qtbot, make_editor(name="Wind-down"))
    assert ticker.is_running()
    pattern = editor.pattern()
    assert pattern is not None
    levels = []
    for elapsed in (1.0, 2.0, 3.0, 5.0, 7.5, 11.0):
        clock.advance(elapsed - (levels[-1][0] if levels else 0.0))
        ticker.fire()
        levels.append((elapsed, editor.pacer.level, editor.preview_word.text()))
    assert [(e, pytest.approx(pattern.state_at(e).level), word) for e, _, word in levels] == [
        (e, level, word) for e, level, word in levels
    ]
    assert levels[1][1] == pytest.approx(0.5)  # half-way through a 4 s in-breath
    assert [word for *_, word in levels] == ["Breathe in"] * 3 + ["Breathe out"] * 2 + [
        "Breathe in"
    ]
    assert levels[2][1] > levels[1][1] > levels[0][1] > 0
    # Without a tick, nothing moves (the preview keeps no time of its own).
    clock.advance(2.0)
    assert editor.pacer.level == levels[-1][1]
    # A change starts the preview again from the first breath in.
    editor.hold_in.setValue(2.0)
    assert editor.pacer.level == 0.0
    clock.advance(5.0)
    ticker.fire()
    assert editor.preview_word.text() == "Hold"
    assert editor.pacer.level == 1.0


def test_the_preview_waits_while_the_times_are_wrong(qtbot, make_editor, clock, ticker):
    editor = shown(qtbot, make_editor(name="Wind-down"))
    editor.exhale.setValue(0.0)
    clock.advance(2.0)
    ticker.fire()
    assert editor.pacer.level == 0.0
    assert editor.preview_word.text() == "Preview waits for valid times"
    assert editor.summary.text() == "One breath: 4 s  ·  15 breaths a minute"


def test_closing_stops_the_ticker_it_started_but_not_one_already_running(
    qtbot, make_editor, ticker
):
    editor = shown(qtbot, make_editor())
    assert ticker.is_running()
    editor.reject()
    assert not ticker.is_running()

    ticker.start()  # something else (a session screen) is animating
    other = shown(qtbot, make_editor())
    other.reject()
    assert ticker.is_running()


def test_enter_saves_when_valid_and_does_nothing_when_not(qtbot, make_editor, saves, press):
    editor = shown(qtbot, make_editor())
    assert QApplication.focusWidget() is editor.name
    press(Qt.Key.Key_Return)  # no name yet
    assert saves.calls == []
    assert editor.isVisible()
    for key in (Qt.Key.Key_C, Qt.Key.Key_A, Qt.Key.Key_L, Qt.Key.Key_M):
        press(key)
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.inhale
    editor.inhale.selectAll()
    for key in (Qt.Key.Key_5, Qt.Key.Key_Period, Qt.Key.Key_5):
        press(key)
    assert editor.inhale.value() == 5.5
    press(Qt.Key.Key_Return)  # from inside a box
    assert saves.calls == [("calm", BreathingPattern([Phase(INHALE, 5.5), Phase(EXHALE, 6)]))]
    assert editor.result() == QDialog.DialogCode.Accepted
    assert (editor.saved_id, editor.saved_name) == (42, "calm")
    assert not editor.isVisible()


def test_escape_cancels_without_saving(qtbot, make_editor, saves, press):
    editor = shown(qtbot, make_editor(name="Keep me"))
    press(Qt.Key.Key_Escape)
    assert editor.result() == QDialog.DialogCode.Rejected
    assert saves.calls == []
    assert editor.saved_id is None


def test_enter_on_the_focused_cancel_button_cancels(qtbot, make_editor, saves, press):
    editor = shown(qtbot, make_editor(name="Keep me"))
    editor.cancel_button.setFocus()
    press(Qt.Key.Key_Return)
    assert editor.result() == QDialog.DialogCode.Rejected
    assert saves.calls == []


def test_a_store_error_is_shown_and_nothing_typed_is_lost(qtbot, make_editor, saves, dialogs):
    editor = shown(qtbot, make_editor(name="Steady"))
    editor.exhale.setValue(7.5)
    saves.fail = StoreError("Could not save the breathing pattern. The disk is full.")
    assert not editor.try_save()
    assert dialogs.errors == [
        "Could not save the pattern: Could not save the breathing pattern. The disk is full.\n\n"
        "Your changes are still here."
    ]
    assert editor.isVisible()
    assert (editor.name.text(), editor.exhale.value()) == ("Steady", 7.5)
    saves.fail = None
    assert editor.try_save()
    assert saves.calls == [("Steady", BreathingPattern([Phase(INHALE, 4), Phase(EXHALE, 7.5)]))]


def test_edit_mode_is_prefilled_and_may_keep_its_own_name(make_editor, saves):
    box = BreathingPattern([Phase(INHALE, 4), Phase(HOLD, 4), Phase(EXHALE, 4), Phase(HOLD, 4)])
    editor = make_editor(EditorMode.EDIT, name="My box", pattern=box, taken_names=["Evening"])
    assert editor.windowTitle() == "Change “My box”"
    assert editor.name.text() == "My box"
    assert [b.value() for b in editor.seconds_boxes()] == [4.0, 4.0, 4.0, 4.0]
    assert editor.summary.text() == "One breath: 16 s  ·  3.8 breaths a minute"
    assert problems(editor) == []
    editor.name.setText("MY BOX")
    assert editor.try_save()
    assert saves.calls == [("MY BOX", box)]


def test_duplicate_mode_offers_a_free_copy_name(make_editor):
    evening = BreathingPattern([Phase(INHALE, 4), Phase(EXHALE, 8)])
    editor = make_editor(
        EditorMode.DUPLICATE,
        name="Evening",
        pattern=evening,
        taken_names=["Evening", "evening (COPY)", "Box breathing"],
    )
    assert editor.name.text() == "Evening (copy 2)"
    assert editor.pattern() == evening
    assert problems(editor) == []


def test_copy_names_stay_within_the_limit():
    assert copy_name("Box breathing", []) == "Box breathing (copy)"
    assert copy_name("Box breathing", ["box breathing (copy)"]) == "Box breathing (copy 2)"
    long = copy_name("x" * 40, [])
    assert long == "x" * 33 + " (copy)"
    assert len(long) == 40


def test_a_pattern_that_does_not_fit_the_boxes_keeps_its_timing(make_editor, saves):
    editor = make_editor(EditorMode.DUPLICATE, name="Cyclic sighing", pattern=SIGH)
    assert editor.name.text() == "Cyclic sighing (copy)"
    assert not editor.fixed_note.isHidden()
    assert "in 2.5 s, in 1 s, out 6 s" in editor.fixed_note.text()
    assert all(box.isHidden() and not box.isEnabled() for box in editor.seconds_boxes())
    assert editor.summary.text() == "One breath: 9.5 s  ·  6.3 breaths a minute"
    editor.name.setText("")
    assert problems(editor) == ["Give the pattern a name."]
    editor.name.setText("Sigh")
    assert editor.try_save()
    assert saves.calls == [("Sigh", SIGH)]


def test_a_pace_from_find_my_pace_opens_rounded_to_tenths_and_can_be_changed(make_editor, saves):
    """Found: "My resonance" (4.61538 s in and out) could only be renamed: the editor's
    half-second steps refused its times. It now opens rounded to tenths, says so, and can be
    changed; the stored pattern changes only when saved."""
    resonance = BreathingPattern([Phase(INHALE, 60 / 6.5 / 2), Phase(EXHALE, 60 / 6.5 / 2)])
    editor = make_editor(EditorMode.EDIT, name="My resonance", pattern=resonance)
    assert all(box.isEnabled() and not box.isHidden() for box in editor.seconds_boxes())
    assert [box.value() for box in editor.seconds_boxes()] == [4.6, 0.0, 4.6, 0.0]
    assert not editor.fixed_note.isHidden()
    assert "rounded to the nearest tenth" in editor.fixed_note.text()
    assert editor.summary.text() == "One breath: 9.2 s  ·  6.5 breaths a minute"
    assert problems(editor) == []
    editor.exhale.setValue(5.6)
    assert problems(editor) == []
    assert editor.try_save()
    assert saves.calls == [
        ("My resonance", BreathingPattern([Phase(INHALE, 4.6), Phase(EXHALE, 5.6)]))
    ]


def test_an_even_pattern_opens_without_the_rounding_note(make_editor):
    editor = make_editor(
        EditorMode.EDIT,
        name="Even",
        pattern=BreathingPattern([Phase(INHALE, 5.0), Phase(EXHALE, 5.0)]),
    )
    assert editor.fixed_note.isHidden()
