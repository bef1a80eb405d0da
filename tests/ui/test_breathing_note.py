"""Every breathing exercise carries one gentle note (slow, not deep; what to do if light-headed),
where it is chosen, in presentation mode, in help and in the pace finder; holds add their own."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import FakeUtc
from trainer.app.words import BREATHING_NOTE, HOLD_NOTE
from trainer.content.bodymap import load_body_map
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.content.scripts import load_scripts
from ui.practice.presentation import PresentationWindow
from ui.shell.help import sources_html


def test_the_note_says_gently_not_deeply_and_what_to_do_if_light_headed() -> None:
    note = BREATHING_NOTE.lower()
    assert "gently, not deeply" in note
    assert "light-headed or tingly" in note
    assert "breathe normally" in note


def test_every_exercise_on_the_home_screen_shows_it_own_patterns_too(window, store) -> None:
    mine = BreathingPattern([Phase(PhaseKind.INHALE, 4), Phase(PhaseKind.EXHALE, 8)])
    store.patterns.save(window.profile_id, "Dusk", mine)
    home = window.home
    home.reload_patterns()
    seen = []
    for row in range(home.list.count()):
        home.list.setCurrentRow(row)
        exercise = home.current_exercise()
        seen.append(exercise.id)
        assert home.safety_note.isVisible(), exercise.id
        text = home.safety_note.text()
        assert BREATHING_NOTE in text, exercise.id
        assert (HOLD_NOTE in text) == exercise.pattern.has_holds, exercise.id
    assert {"coherent-5-5", "extended-exhale-7-11", "cyclic-sighing", "four-seven-eight"} <= set(
        seen
    )
    assert any(s.startswith("custom-") for s in seen)


def test_every_breathing_exercise_in_presentation_mode_shows_it(
    qtbot, catalog, clock, ticker
) -> None:
    window = PresentationWindow(
        catalog=catalog,
        scripts=load_scripts(),
        body_map=load_body_map(),
        clock=clock,
        utc_now=FakeUtc(clock),
        ticker=ticker,
    )
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    for _ in window.list.choices:
        qtbot.keyClick(window, Qt.Key.Key_Up)
    shown = []
    for choice in window.list.choices:
        if choice.exercise is not None:
            qtbot.keyClick(window, Qt.Key.Key_Return)
            assert window.showing == "breathing"
            note = window.breathing.safety_note
            assert note.isVisible(), choice.title
            assert BREATHING_NOTE in note.text(), choice.title
            assert (HOLD_NOTE in note.text()) == choice.exercise.pattern.has_holds
            shown.append(choice.exercise.id)
            qtbot.keyClick(window, Qt.Key.Key_Escape)
            assert window.showing == "list"
        qtbot.keyClick(window, Qt.Key.Key_Down)
    assert "four-seven-eight" in shown
    assert len(shown) == len([e for e in catalog.exercises if e.custom_id is None])


def test_help_and_the_pace_finder_carry_it(window, catalog, press, qtbot) -> None:
    assert BREATHING_NOTE in sources_html(catalog, load_scripts())
    press(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.finder)
    assert window.finder.intro_text.isVisible()
    assert BREATHING_NOTE in window.finder.intro_text.text()
