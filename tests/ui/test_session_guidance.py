"""The session screen around the breath: the 3-2-1 lead-in, the quiet close, the rate shown
during a ramp, the top-up word of cyclic sighing, and the sound controls (mode, volume, eyes
closed, and silence said once when sound cannot work)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from trainer.app.words import (
    CLOSE_LINE,
    CLOSE_WORD,
    LEAD_IN_WORD,
    TOP_UP_WORD,
    rate_text,
)
from trainer.content.audio import end_chime
from trainer.content.breathing import PhaseKind, ease_in_ramp
from trainer.content.catalog import END_CUE_S, LEAD_IN_S, Catalog
from trainer.content.cues import CueMode
from trainer.session.machine import SessionPlan, SessionState
from ui.common.sound import SoundUnavailableError
from ui.common.theme import DARK, LIGHT, dimmed


@pytest.fixture
def make(session_screen):
    """The shared maker of a screen with a session begun (tests/ui/conftest.py)."""
    return session_screen


def frame(clock, ticker, seconds: float) -> None:
    clock.advance(seconds)
    ticker.fire()
    QApplication.processEvents()


def coherent(catalog: Catalog, minutes: float = 1.0, **options) -> SessionPlan:
    return catalog.get("coherent-5-5").plan(minutes, **options)


# -- lead-in and close --------------------------------------------------------------------------


def test_the_lead_in_counts_3_2_1_with_the_pacer_waiting_at_empty(make, catalog, clock, ticker):
    screen, session = make(coherent(catalog))
    seen = []
    for _ in range(3):
        assert screen.pacer.kind is None  # no phase is marked before the first breath
        seen.append((screen.phase_word.text(), screen.phase_seconds.text(), screen.pacer.level))
        frame(clock, ticker, 1.0)
    assert seen == [(LEAD_IN_WORD, "3", 0.0), (LEAD_IN_WORD, "2", 0.0), (LEAD_IN_WORD, "1", 0.0)]
    assert session.practice_s == 0.0
    assert screen.phase_word.text() == "Breathe in"  # the first breath begins at 3 s
    assert screen.pacer.kind is PhaseKind.INHALE
    frame(clock, ticker, 0.5)
    assert screen.pacer.level > 0.0


def test_pausing_in_the_lead_in_says_paused_and_holds_the_count(make, catalog, clock, ticker):
    screen, session = make(coherent(catalog))
    frame(clock, ticker, 1.2)
    qtbot_key(screen, Qt.Key.Key_Space)
    assert screen.phase_word.text() == "Paused"
    frame(clock, ticker, 30.0)
    qtbot_key(screen, Qt.Key.Key_Space)
    frame(clock, ticker, 0.0)
    assert (screen.phase_word.text(), screen.phase_seconds.text()) == (LEAD_IN_WORD, "2")
    assert session.practice_s == 0.0


def test_counts_round_up_at_fractional_times(make, catalog, clock, ticker):
    """Between whole seconds every count shows the second still under way, never one less: 2.6 s
    of lead-in left reads 3, 3.7 s of the breath reads 4, 58.7 s of practice reads 0:59."""
    screen, session = make(coherent(catalog))  # 5 s in, 5 s out, 60 s of practice
    frame(clock, ticker, 0.4)
    assert (screen.phase_word.text(), screen.phase_seconds.text()) == (LEAD_IN_WORD, "3")
    frame(clock, ticker, LEAD_IN_S - 0.4 + 1.3)
    assert session.practice_s == pytest.approx(1.3)
    assert (screen.phase_word.text(), screen.phase_seconds.text()) == ("Breathe in", "4")
    assert screen.time_left.text() == "0:59 left"
    frame(clock, ticker, 4.5)  # 5.8 s: 4.2 s of the out-breath and 54.2 s of practice left
    assert (screen.phase_word.text(), screen.phase_seconds.text()) == ("Breathe out", "5")
    assert screen.time_left.text() == "0:55 left"


def test_the_close_says_well_done_plays_the_end_cue_once_then_asks(
    make, catalog, clock, ticker, sound
):
    screen, session = make(coherent(catalog))
    screen.set_sound_mode(CueMode.CHIME)
    frame(clock, ticker, LEAD_IN_S + session.plan.planned_s - 0.5)
    before_close = len(sound.output.played)
    frame(clock, ticker, 1.0)
    assert session.closing
    assert session.state is SessionState.RUNNING
    assert (screen.phase_word.text(), screen.phase_seconds.text()) == (CLOSE_WORD, CLOSE_LINE)
    assert screen.time_left.text() == "0:00 left"
    assert len(sound.output.played) == before_close + 1  # the end cue
    end_cue, replace = sound.output.played[-1]
    assert replace
    assert end_cue.remaining == len(end_chime(volume=0.7))  # the two falling notes, whole
    frame(clock, ticker, 1.0)
    assert len(sound.output.played) == before_close + 1  # only once
    assert screen.pacer.kind is None
    frame(clock, ticker, END_CUE_S)
    assert session.state is SessionState.RATE_AFTER
    # The ticker is shared (the finder, the editor's preview): a finished session stays still.
    screen.phase_word.setText("untouched")
    frame(clock, ticker, 1.0)
    assert screen.phase_word.text() == "untouched"


def test_no_end_cue_and_no_output_while_sound_is_off(make, catalog, clock, ticker, sound):
    screen, session = make(coherent(catalog))
    assert screen.sound_mode is CueMode.OFF
    frame(clock, ticker, LEAD_IN_S + session.plan.planned_s + END_CUE_S)
    assert session.state is SessionState.RATE_AFTER
    assert sound.calls == 0


# -- what the screen says -----------------------------------------------------------------------


def test_cyclic_sighing_says_a_little_more_in_for_the_top_up(make, catalog, clock, ticker):
    exercise = catalog.get("cyclic-sighing")
    screen, _session = make(exercise.plan(1.0))
    phases = exercise.pattern.phases
    assert [p.kind.value for p in phases[:2]] == ["inhale", "inhale"]
    words = []
    frame(clock, ticker, LEAD_IN_S + phases[0].seconds / 2)
    words.append(screen.phase_word.text())
    frame(clock, ticker, phases[0].seconds / 2 + phases[1].seconds / 2)
    words.append(screen.phase_word.text())
    frame(clock, ticker, phases[1].seconds / 2 + phases[2].seconds / 2)
    words.append(screen.phase_word.text())
    assert words == ["Breathe in", TOP_UP_WORD, "Breathe out"]


def test_the_rate_shown_follows_a_ramp_down_to_its_target(make, catalog, clock, ticker):
    exercise = catalog.get("coherent-5-5")
    ramp = ease_in_ramp(exercise.pattern, 10.0)
    screen, _session = make(exercise.plan(10.0, ramp=ramp))
    frame(clock, ticker, LEAD_IN_S)
    assert screen.rate.text() == rate_text(ramp.start_bpm) == "7.5 breaths a minute"
    shown = []
    for _ in range(12):
        frame(clock, ticker, 30.0)
        shown.append(float(screen.rate.text().split()[0]))
    assert shown == sorted(shown, reverse=True)  # only ever slower
    assert shown[-1] == 6.0
    assert screen.rate.text() == "6 breaths a minute"


def test_a_plain_pattern_shows_its_own_rate(make, catalog):
    screen, _ = make(catalog.get("resonance-5-5").plan(3.0))
    assert screen.rate.text() == "5.5 breaths a minute"
    screen2, _ = make(catalog.get("box-4-4-4-4").plan(3.0))
    assert screen2.rate.text() == "3.8 breaths a minute"  # as on the home screen


# -- sound ----------------------------------------------------------------------------------------


def qtbot_key(widget, key) -> None:
    from pytestqt.qtbot import QtBot

    QtBot.keyClick(widget, key)


def test_m_cycles_the_sound_and_it_is_remembered(make, catalog, preferences):
    screen, _ = make(coherent(catalog))
    seen = []
    for _ in range(3):
        qtbot_key(screen, Qt.Key.Key_M)
        seen.append((screen.sound_mode, screen.sound_button.text()))
    assert seen == [(CueMode.TONE, "Tone"), (CueMode.CHIME, "Chime"), (CueMode.OFF, "Off")]
    qtbot_key(screen, Qt.Key.Key_M)
    assert preferences.values["sound_mode"] == "tone"
    again, _ = make(coherent(catalog))
    assert again.sound_mode is CueMode.TONE


def test_a_tone_plays_with_the_breath_and_fades_when_paused(make, catalog, clock, ticker, sound):
    screen, _ = make(coherent(catalog))
    qtbot_key(screen, Qt.Key.Key_M)
    frame(clock, ticker, 1.0)
    assert sound.output.played == []  # silent through the lead-in
    frame(clock, ticker, LEAD_IN_S)
    assert len(sound.output.played) == 1  # the in-breath's tone
    qtbot_key(screen, Qt.Key.Key_Space)
    frame(clock, ticker, 0.0)
    assert sound.output.fade_outs >= 1


def test_volume_keys_change_the_volume_in_steps_and_stay_within_0_and_100(
    qtbot, make, catalog, preferences
):
    screen, _ = make(coherent(catalog))
    assert screen.volume.value() == 50
    qtbot_key(screen, Qt.Key.Key_Minus)
    assert (screen.volume.value(), screen.sound.volume) == (40, pytest.approx(0.4))
    for _ in range(8):
        qtbot_key(screen, Qt.Key.Key_Plus)
    assert (screen.volume.value(), screen.sound.volume) == (100, pytest.approx(1.0))
    assert "sound_volume" not in preferences.values  # saved once it settles, not at each step
    qtbot.waitUntil(lambda: preferences.values.get("sound_volume") == "100", timeout=2000)


def test_eyes_closed_turns_the_tone_on_and_dims_the_pacer(make, catalog, preferences):
    screen, _ = make(coherent(catalog))
    qtbot_key(screen, Qt.Key.Key_E)
    assert screen.eyes_closed
    assert screen.sound_mode is CueMode.TONE
    assert all(visual.dimmed for visual in screen.pacers.visuals.values())
    assert preferences.values["eyes_closed"] == "on"
    again, _ = make(coherent(catalog))
    assert again.eyes_closed
    assert again.pacer.dimmed
    qtbot_key(again, Qt.Key.Key_E)
    assert not again.pacer.dimmed
    assert again.sound_mode is CueMode.TONE  # the sound stays as it was


def test_eyes_closed_keeps_a_chosen_chime_and_turning_sound_off_opens_the_eyes(make, catalog):
    screen, _ = make(coherent(catalog))
    screen.set_sound_mode(CueMode.CHIME)
    screen.set_eyes_closed(True)
    assert screen.sound_mode is CueMode.CHIME
    screen.set_sound_mode(CueMode.OFF)
    assert not screen.eyes_closed
    assert not screen.pacer.dimmed


def test_the_dimmed_theme_fades_the_pacer_towards_the_background():
    for theme in (LIGHT, DARK):
        faint = dimmed(theme)
        window = QColor(theme.window)
        for name in ("pacer", "pacer_guide", "accent"):
            full, dim = QColor(getattr(theme, name)), QColor(getattr(faint, name))

            def distance(a: QColor, b: QColor) -> int:
                return sum(abs(x - y) for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))

            assert 0 < distance(dim, window) < distance(full, window) * 0.5
        assert faint.window == theme.window


def test_sound_unavailable_is_said_once_and_the_session_goes_on(make, catalog, clock, ticker):
    calls = []

    def broken(sample_rate: int):
        calls.append(sample_rate)
        raise SoundUnavailableError("no audio device was found")

    screen, session = make(coherent(catalog), factory=broken)
    assert screen.sound_note.isHidden()
    qtbot_key(screen, Qt.Key.Key_M)
    assert not screen.sound_note.isHidden()
    assert "Sound unavailable: no audio device was found." in screen.sound_note.toolTip()
    assert screen.sound_button.accessibleName() == "Sound unavailable"
    qtbot_key(screen, Qt.Key.Key_M)
    frame(clock, ticker, LEAD_IN_S + 10.0)
    assert len(calls) == 1
    assert session.state is SessionState.RUNNING
    assert session.practice_s == pytest.approx(10.0)


def test_esc_in_the_close_goes_straight_to_the_after_ratings(
    make, catalog, clock, ticker, monkeypatch
):
    from ui.common.dialogs import Dialogs

    asked = []
    monkeypatch.setattr(Dialogs, "confirm", lambda *args: asked.append(args) or False)
    screen, session = make(coherent(catalog))
    frame(clock, ticker, LEAD_IN_S + session.plan.planned_s + 1.0)
    qtbot_key(screen, Qt.Key.Key_Escape)
    assert asked == []
    assert session.state is SessionState.RATE_AFTER
    assert session.status.value == "completed"


def test_eyes_closed_reaches_focus_mode_and_its_keys_work_there(make, catalog, clock, ticker):
    screen, _ = make(coherent(catalog))
    qtbot_key(screen, Qt.Key.Key_E)
    qtbot_key(screen, Qt.Key.Key_F)
    view = screen.focus_view
    assert view is not None
    assert screen.in_focus
    assert view.pacers.current.dimmed
    qtbot_key(view, Qt.Key.Key_E)  # opening the eyes from focus mode
    assert not screen.eyes_closed
    assert not view.pacers.current.dimmed
    assert not screen.pacer.dimmed
    qtbot_key(view, Qt.Key.Key_M)  # tone -> chime
    assert screen.sound_mode is CueMode.CHIME
    qtbot_key(view, Qt.Key.Key_Minus)
    assert screen.volume.value() == 40
    assert screen.in_focus


def test_eyes_closed_is_refused_without_sound_so_the_pacer_stays_bright(make, catalog, preferences):
    def broken(sample_rate: int):
        raise SoundUnavailableError("no audio device was found")

    preferences.values.update(sound_mode="tone", eyes_closed="on")  # chosen on another machine
    screen, _ = make(coherent(catalog), factory=broken)
    assert not screen.eyes_closed
    assert not screen.pacer.dimmed
    assert "in full view" in screen.sound_note.toolTip()
    qtbot_key(screen, Qt.Key.Key_E)
    assert not screen.eyes_closed
    assert not screen.pacer.dimmed
