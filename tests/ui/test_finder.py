"""The resonance-rate finder through the real widgets, with a fake clock and manual ticker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from trainer.session.resonance import EASE_CALM, FINDER_RATES_BPM, REST_S, STEP_S, FinderState
from ui.practice.finder_screen import MY_RESONANCE_NAME
from ui.shell.main_window import MainWindow

DIGITS = {n: getattr(Qt.Key, f"Key_{n}") for n in range(10)}


def open_finder(qtbot, window: MainWindow, press) -> None:
    press(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.finder)
    assert window.finder.pages.currentWidget() is window.finder.intro


def breathe_one_pace(window: MainWindow, clock, ticker) -> None:
    clock.advance(STEP_S / 2)
    ticker.fire()
    assert window.finder.pages.currentWidget() is window.finder.breathing
    clock.advance(STEP_S / 2)
    ticker.fire()


def test_a_whole_run_by_keyboard_saves_the_run_and_my_resonance(
    qtbot, window: MainWindow, store, clock, ticker, press
):
    profile = window.profile_id
    open_finder(qtbot, window, press)
    press(Qt.Key.Key_Return)
    finder = window.finder.finder
    assert finder is not None
    assert finder.state is FinderState.BREATHING
    assert window.finder.step_label.text() == "Pace 1 of 5: 6.5 breaths a minute"
    scores = [4, 6, 9, 7, 5]
    for index, score in enumerate(scores):
        assert finder.rate_bpm == FINDER_RATES_BPM[index]
        breathe_one_pace(window, clock, ticker)
        assert window.finder.pages.currentWidget() is window.finder.rating_page
        assert QApplication.focusWidget() is window.finder.scale
        press(DIGITS[score])
        press(Qt.Key.Key_Return)
        if index < len(scores) - 1:
            assert finder.state is FinderState.RESTING
            assert window.finder.phase_word.text() == "Rest"
            if index % 2:
                press(Qt.Key.Key_Return)  # Enter starts the next pace at once
            else:
                clock.advance(REST_S)
                ticker.fire()
            assert finder.state is FinderState.BREATHING
    assert finder.state is FinderState.DONE
    assert not ticker.is_running()
    assert window.finder.pages.currentWidget() is window.finder.results_page
    assert "5.5 breaths a minute" in window.finder.results_text.text()
    (run,) = store.resonance.runs(profile)
    assert run.completed
    assert [s.scores[EASE_CALM] for s in run.steps] == scores

    press(Qt.Key.Key_Return)  # keep the best as "My resonance"
    (saved,) = store.patterns.of_profile(profile)
    assert saved.name == MY_RESONANCE_NAME
    assert abs(saved.pattern.rate_bpm - 5.5) < 1e-9
    press(Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home


def test_space_pauses_and_the_pacer_holds_still(qtbot, window: MainWindow, clock, ticker, press):
    open_finder(qtbot, window, press)
    press(Qt.Key.Key_Return)
    clock.advance(2.0)
    ticker.fire()
    level = window.finder.pacer.level
    assert level > 0
    press(Qt.Key.Key_Space)
    assert not ticker.is_running()
    clock.advance(300.0)
    ticker.fire()
    assert window.finder.pacer.level == level
    assert window.finder.phase_word.text() == "Paused"
    press(Qt.Key.Key_Space)
    assert window.finder.finder.state is FinderState.BREATHING


def test_stopping_early_asks_and_keeps_the_rated_paces(
    qtbot, window: MainWindow, store, clock, ticker, press, dialogs
):
    open_finder(qtbot, window, press)
    press(Qt.Key.Key_Return)
    breathe_one_pace(window, clock, ticker)
    press(Qt.Key.Key_8)
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Return)  # skip the rest
    clock.advance(30.0)
    ticker.fire()
    dialogs.confirm_answer = False
    press(Qt.Key.Key_Escape)
    assert dialogs.confirms == ["Stop the finder?"]
    assert window.finder.finder.state is FinderState.BREATHING
    dialogs.confirm_answer = True
    press(Qt.Key.Key_Escape)
    (run,) = store.resonance.runs(window.profile_id)
    assert not run.completed
    assert [s.rate_bpm for s in run.steps] == [6.5, 6.0]
    assert run.steps[1].practised_s == 30.0
    assert "6.5 breaths a minute" in window.finder.results_text.text()


def test_a_rating_is_needed_or_skipped(qtbot, window: MainWindow, store, clock, ticker, press):
    open_finder(qtbot, window, press)
    press(Qt.Key.Key_Return)
    breathe_one_pace(window, clock, ticker)
    press(Qt.Key.Key_Return)
    assert window.finder.finder.state is FinderState.RATING
    assert "choose a number" in window.finder.rating_message.text()
    press(Qt.Key.Key_S)
    press(Qt.Key.Key_Return)
    assert window.finder.finder.results[0].scores == {}


def test_quitting_mid_run_asks_then_stores_what_was_done(
    qtbot, window: MainWindow, store, clock, ticker, press, dialogs
):
    open_finder(qtbot, window, press)
    press(Qt.Key.Key_Return)
    clock.advance(40.0)
    ticker.fire()
    dialogs.confirm_answer = False  # Stay
    window.close()
    assert dialogs.confirms == ["Quit Safe Signal?"]
    assert window.finder.running
    assert store.resonance.runs(window.profile_id) == []
    dialogs.confirm_answer = True
    window.close()
    (run,) = store.resonance.runs(window.profile_id)
    assert [(s.rate_bpm, s.practised_s) for s in run.steps] == [(6.5, 40.0)]


def test_a_pattern_already_called_my_resonance_is_replaced_only_when_agreed(
    qtbot, window: MainWindow, store, clock, ticker, press, dialogs
):
    from trainer.content.breathing import BreathingPattern, Phase, PhaseKind

    profile = window.profile_id
    mine = BreathingPattern([Phase(PhaseKind.INHALE, 4), Phase(PhaseKind.EXHALE, 8)])
    store.patterns.save(profile, MY_RESONANCE_NAME, mine)
    open_finder(qtbot, window, press)
    press(Qt.Key.Key_Return)
    breathe_one_pace(window, clock, ticker)
    press(DIGITS[8])
    press(Qt.Key.Key_Return)
    dialogs.confirm_answer = True  # stop the run after one pace
    press(Qt.Key.Key_Escape)
    assert window.finder.pages.currentWidget() is window.finder.results_page
    dialogs.confirm_answer = False  # keep the old one
    qtbot.mouseClick(window.finder.save_button, Qt.MouseButton.LeftButton)
    assert dialogs.confirms[-1] == f"Replace “{MY_RESONANCE_NAME}”?"
    (kept,) = store.patterns.of_profile(profile)
    assert kept.pattern.rate_bpm == 5.0
    dialogs.confirm_answer = True
    window.finder.save_best()
    (replaced,) = store.patterns.of_profile(profile)
    assert abs(replaced.pattern.rate_bpm - 6.5) < 1e-9


def rate_paces(window: MainWindow, clock, ticker, press, scores: list[int]) -> None:
    """Breathe and rate one pace per score, skipping the rests."""
    for index, score in enumerate(scores):
        breathe_one_pace(window, clock, ticker)
        press(DIGITS[score])
        press(Qt.Key.Key_Return)
        if index < len(scores) - 1:
            press(Qt.Key.Key_Return)  # skip the rest


def test_the_intro_says_plainly_it_finds_a_comfortable_pace_not_a_measured_one(
    qtbot, window: MainWindow, press
):
    open_finder(qtbot, window, press)
    intro = window.finder.intro_text.text()
    assert "comfortable slow pace" in intro
    assert "not a measured one" in intro


def test_stopped_after_one_pace_no_best_is_named_and_enter_does_not_keep(
    qtbot, window: MainWindow, store, clock, ticker, press, dialogs
):
    open_finder(qtbot, window, press)
    press(Qt.Key.Key_Return)
    rate_paces(window, clock, ticker, press, [8])
    press(Qt.Key.Key_Return)  # skip the rest
    dialogs.confirm_answer = True
    press(Qt.Key.Key_Escape)
    finder = window.finder
    assert finder.pages.currentWidget() is finder.results_page
    text = finder.results_text.text()
    assert "easiest and most calming was" not in text
    assert "too few to say which suits you best" in text
    assert finder.save_button.isVisible()  # it can still be kept, by choice
    assert "(Enter)" not in finder.save_button.text()
    assert QApplication.focusWidget() is finder.finish_button
    press(Qt.Key.Key_Return)
    assert store.patterns.of_profile(window.profile_id) == []
    assert window.stack.currentWidget() is window.home


def test_stopped_after_three_paces_a_best_is_named_and_keeping_is_the_default(
    qtbot, window: MainWindow, store, clock, ticker, press, dialogs
):
    open_finder(qtbot, window, press)
    press(Qt.Key.Key_Return)
    rate_paces(window, clock, ticker, press, [5, 8, 7])
    dialogs.confirm_answer = True
    press(Qt.Key.Key_Escape)
    finder = window.finder
    text = finder.results_text.text()
    assert "easiest and most calming was 6 breaths a minute" in text
    assert "5.5 breaths a minute felt nearly as good" in text
    assert "not a measured resonance rate" in text
    assert QApplication.focusWidget() is finder.save_button
    press(Qt.Key.Key_Return)
    (saved,) = store.patterns.of_profile(window.profile_id)
    assert abs(saved.pattern.rate_bpm - 6.0) < 1e-9
