"""The practice screen's sound as a person meets it: the tone after Pause and Resume (and after
"Keep going"), the Sound button, menu and keys when sound is unavailable or comes back, and the
volume shown briefly on screen. A recording output stands in for the speakers; time is a fake
clock and frames are fired by hand."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QAbstractAnimation, QPoint, QRect, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import DialogAnswers
from tests.ui.fakes import SR, Factory, started_session
from trainer.app.profile import ProfileInUse
from trainer.app.settings import DEFAULT_VOLUME_PCT, SOUND_MODE, write_setting
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.content.catalog import LEAD_IN_S, Catalog, load_catalog
from trainer.content.cues import CueMode
from trainer.session.clock import FakeClock
from trainer.session.machine import SessionPlan, SessionState
from ui.common.sound import SOUND_TITLES, SoundCues, SoundUnavailableError
from ui.common.ticker import ManualTicker
from ui.practice.session_screen import SessionScreen
from ui.widgets.level_badge import HOLD_MS, LevelBadge

FRAME_S = 1 / 60


@pytest.fixture
def make(session_screen):
    """The shared maker of a screen with a session begun (tests/ui/conftest.py)."""
    return session_screen


def frame(clock: FakeClock, ticker: ManualTicker, seconds: float) -> None:
    clock.advance(seconds)
    ticker.fire()
    QApplication.processEvents()


def key(widget, which: Qt.Key) -> None:
    from pytestqt.qtbot import QtBot

    QtBot.keyClick(widget, which)


def coherent(catalog: Catalog) -> SessionPlan:
    return catalog.get("coherent-5-5").plan(1.0)  # 5 s in, 5 s out


# -- the tone after a pause ---------------------------------------------------------------------


def test_resume_picks_the_tone_up_at_once_mid_phase(make, catalog, clock, ticker, sound):
    screen, session = make(coherent(catalog))
    screen.set_sound_mode(CueMode.TONE)
    frame(clock, ticker, LEAD_IN_S)
    frame(clock, ticker, 2.0)  # 2 s into the first in-breath
    output = sound.output
    assert len(output.played) == 1
    key(screen, Qt.Key.Key_Space)
    assert session.state is SessionState.PAUSED
    assert output.fade_outs == 1
    frame(clock, ticker, 20.0)  # a long pause: nothing sounds, nothing new starts
    assert len(output.played) == 1
    key(screen, Qt.Key.Key_Space)
    frame(clock, ticker, FRAME_S)
    assert len(output.played) == 2  # at once, not at the out-breath 3 s later
    stream, replace = output.played[-1]
    assert replace  # a resumed cue: it takes over from whatever is fading
    # The rest of the phase as it will be heard: the state is taken the output's lead ahead.
    assert stream.remaining / SR == pytest.approx(3.0 - screen.sound.lead_s, abs=2 * FRAME_S)
    frame(clock, ticker, 1.0)
    assert len(output.played) == 2  # and only once for that phase


def test_keep_going_after_esc_picks_the_tone_up_at_once(
    make, catalog, clock, ticker, sound, dialogs: DialogAnswers
):
    dialogs.confirm_answer = False  # "Keep going"
    screen, session = make(coherent(catalog))
    screen.set_sound_mode(CueMode.TONE)
    frame(clock, ticker, LEAD_IN_S)
    frame(clock, ticker, 5.0)
    frame(clock, ticker, 1.0)  # 1 s into the out-breath
    output = sound.output
    assert len(output.played) == 2
    key(screen, Qt.Key.Key_Escape)
    assert dialogs.confirms == ["End this session?"]
    assert session.state is SessionState.RUNNING
    assert output.fade_outs == 1  # silent while the question was asked
    frame(clock, ticker, FRAME_S)
    assert len(output.played) == 3
    stream, replace = output.played[-1]
    assert replace
    assert stream.remaining / SR == pytest.approx(4.0 - screen.sound.lead_s, abs=2 * FRAME_S)


# -- when sound is unavailable, and when it comes back ------------------------------------------


class Speakers:
    """An output factory whose sound server is down until ``working`` is set."""

    def __init__(self) -> None:
        self.working = False
        self.calls = 0
        self.output = Factory().output

    def __call__(self, sample_rate: int):
        self.calls += 1
        if not self.working:
            raise SoundUnavailableError("no speakers or headphones were found")
        return self.output


@pytest.fixture
def speakers() -> Speakers:
    return Speakers()


def menu_action(screen: SessionScreen, text: str) -> QAction:
    menu = screen.sound_button.menu()
    assert menu is not None
    (action,) = [a for a in menu.actions() if a.text() == text]
    return action


SAVED = {"sound_mode": "tone", "sound_volume": "40", "eyes_closed": "on"}


def test_unavailable_sound_shows_the_same_in_the_button_and_the_menu(
    make, catalog, preferences, speakers
):
    preferences.values.update(SAVED)
    screen, _ = make(coherent(catalog), factory=speakers)
    assert screen.sound_button.text() == "Silent"  # not "Off": nothing was turned off
    assert screen.sound_button.accessibleName() == "Sound unavailable"
    assert screen.sound_button.toolTip().startswith("Sound unavailable: no speakers")
    why = screen.sound_unavailable_action
    assert why.isVisible()
    assert not why.isEnabled()  # a line that says why, not a choice
    assert why.text() == "Sound unavailable: no speakers or headphones were found."
    # The choices are as saved, but shown as not in use.
    assert menu_action(screen, SOUND_TITLES[CueMode.TONE]).isChecked()
    assert screen.eyes_closed_action.isChecked()
    assert not screen.eyes_closed_action.isEnabled()
    assert not screen.eyes_closed  # not in use: the pacer stays bright
    assert not screen.pacer.dimmed
    assert screen.volume.value() == 40
    assert not screen.volume.isEnabled()
    assert preferences.values == SAVED  # nothing saved was changed by finding no sound


@pytest.mark.parametrize("which", [Qt.Key.Key_M, Qt.Key.Key_E, Qt.Key.Key_Plus, Qt.Key.Key_Minus])
def test_sound_keys_say_sound_is_unavailable_and_change_nothing_saved(
    make, catalog, preferences, speakers, which
):
    preferences.values.update(SAVED)
    screen, _ = make(coherent(catalog), factory=speakers)
    calls = speakers.calls
    key(screen, which)
    assert preferences.values == SAVED
    assert screen.sound_mode is CueMode.TONE
    assert screen.volume.value() == 40
    assert screen.eyes_closed_action.isChecked()
    note = screen.sound_note.full_text()
    name = {Qt.Key.Key_M: "M", Qt.Key.Key_E: "E", Qt.Key.Key_Plus: "+", Qt.Key.Key_Minus: "-"}
    assert note.startswith(f"Sound is unavailable: the {name[which]} key changes nothing")
    assert "choices are kept" in note
    assert "choose a sound in the Sound menu" in note
    assert screen.level_badge.text() == "Sound unavailable"
    assert speakers.calls == calls  # a key is no reason to knock again


def test_sound_comes_back_at_the_next_session_start(
    make, catalog, clock, ticker, preferences, speakers
):
    preferences.values.update(SAVED)
    screen, session = make(coherent(catalog), factory=speakers)
    assert not screen.sound.available
    frame(clock, ticker, LEAD_IN_S + 2.0)
    speakers.working = True  # the sound server is back
    session.end_early()
    screen.begin(started_session(coherent(catalog), clock))
    assert screen.sound.available
    assert screen.sound_note.full_text() == "Sound is working again."
    assert screen.sound_button.text() == "Tone"
    assert not screen.sound_unavailable_action.isVisible()
    assert screen.volume.isEnabled()
    assert screen.eyes_closed  # the saved choice is in use again
    assert screen.pacer.dimmed
    frame(clock, ticker, LEAD_IN_S)
    frame(clock, ticker, FRAME_S)
    assert len(speakers.output.played) == 1  # the in-breath's tone, without a restart
    assert preferences.values == SAVED


def test_choosing_a_sound_tries_again_and_the_tone_picks_up_mid_phase(
    make, catalog, clock, ticker, preferences, speakers
):
    preferences.values.update(SAVED)
    screen, _ = make(coherent(catalog), factory=speakers)
    frame(clock, ticker, LEAD_IN_S)
    frame(clock, ticker, 2.0)  # 2 s into the in-breath, in silence
    calls = speakers.calls
    menu_action(screen, SOUND_TITLES[CueMode.TONE]).trigger()  # still down: says so again
    assert speakers.calls == calls + 1
    assert not screen.sound.available
    assert screen.sound_note.full_text().startswith("Sound unavailable:")
    speakers.working = True
    menu_action(screen, SOUND_TITLES[CueMode.TONE]).trigger()
    assert speakers.calls == calls + 2
    assert screen.sound.available
    assert screen.sound_note.full_text() == "Sound is working again."
    assert screen.sound_button.text() == "Tone"
    frame(clock, ticker, FRAME_S)
    (played,) = speakers.output.played
    stream, _ = played
    rest = 3.0 - screen.sound.lead_s  # the rest of it as it will be heard
    assert stream.remaining / SR == pytest.approx(rest, abs=2 * FRAME_S)
    assert preferences.values["sound_mode"] == "tone"


def test_a_sound_that_fails_mid_session_can_come_back_when_chosen(
    make, catalog, clock, ticker, sound
):
    screen, _ = make(coherent(catalog))
    screen.set_sound_mode(CueMode.TONE)
    frame(clock, ticker, LEAD_IN_S)
    frame(clock, ticker, 1.0)
    sound.output.failure = "the speakers could not be opened"
    frame(clock, ticker, FRAME_S)
    assert not screen.sound.available
    assert screen.sound_button.text() == "Silent"
    sound.output.failure = None
    menu_action(screen, SOUND_TITLES[CueMode.CHIME]).trigger()
    assert screen.sound.available
    assert screen.sound_mode is CueMode.CHIME
    assert screen.sound_button.text() == "Chime"


def placed(widget: QWidget, screen: QWidget) -> QRect:
    return QRect(widget.mapTo(screen, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("which", [None, Qt.Key.Key_M])
def test_the_note_is_shown_whole_at_900_px_and_the_controls_stay_put(
    make, catalog, clock, ticker, sound, which
):
    """Found in a new-user review: the note was one line cut short ("...choose a sound in the
    Sou..."), and the Pause / End / Sound row moved up when it came (and sideways, as the
    Sound button's word became "Silent" beside its icon)."""
    screen, _ = make(coherent(catalog))
    screen.resize(900, 600)
    screen.set_sound_mode(CueMode.TONE)
    frame(clock, ticker, LEAD_IN_S)
    frame(clock, ticker, 1.0)
    note = screen.sound_note
    assert note.isHidden()
    buttons = (screen.pause_button, screen.end_button, screen.sound_button)
    before = [placed(button, screen) for button in buttons]
    sound.output.failure = "the speakers could not be opened"
    frame(clock, ticker, FRAME_S)
    if which is not None:
        key(screen, which)  # the longest note: the key changes nothing, and why
        assert note.full_text().startswith("Sound is unavailable: the M key")
    QApplication.processEvents()
    assert note.isVisible()
    assert [placed(button, screen) for button in buttons] == before
    lines = note.shown_lines()
    assert len(lines) == 2  # wider than the window: on two lines, every word of it
    assert " ".join(lines) == note.full_text()
    assert "…" not in note.text()
    metrics = note.fontMetrics()
    assert all(metrics.horizontalAdvance(line) <= note.contentsRect().width() for line in lines)
    assert note.contentsRect().height() >= len(lines) * metrics.lineSpacing()
    assert QRect(QPoint(0, 0), screen.size()).contains(placed(note, screen))
    # And when it goes (sound back at the next start, said, then let go), nothing moves either.
    note.hide()
    QApplication.processEvents()
    assert [placed(button, screen) for button in buttons] == before


# -- the level, shown for a moment --------------------------------------------------------------


def let_the_moment_pass(badge: LevelBadge) -> None:
    """What the badge's timers do after HOLD_MS and FADE_MS, without waiting for them."""
    assert badge.hold.isActive()
    assert badge.hold.interval() == HOLD_MS == 1500
    badge.hold.stop()
    badge.hold.timeout.emit()
    if badge.fade.state() is QAbstractAnimation.State.Running:
        badge.fade.setCurrentTime(badge.fade.duration())  # the fade runs to its end


def test_volume_keys_show_the_level_for_a_moment(make, catalog, clock, ticker):
    screen, _ = make(coherent(catalog))
    badge = screen.level_badge
    assert badge.isHidden()
    key(screen, Qt.Key.Key_Minus)
    assert badge.isVisible()
    lower = f"Volume {DEFAULT_VOLUME_PCT - 10}%"  # a step of 10 down from the default
    assert (badge.text(), badge.accessibleName()) == (lower, lower)
    assert badge.font().pointSizeF() > screen.font().pointSizeF()  # readable at a glance
    assert badge.focusPolicy() is Qt.FocusPolicy.NoFocus  # keys still reach the screen
    key(screen, Qt.Key.Key_Plus)
    key(screen, Qt.Key.Key_Plus)
    assert badge.text() == f"Volume {DEFAULT_VOLUME_PCT + 10}%"
    let_the_moment_pass(badge)
    assert badge.isHidden()
    for _ in range(DEFAULT_VOLUME_PCT // 10 + 1):
        key(screen, Qt.Key.Key_Minus)
    assert badge.text() == "Volume 0%: silent"
    assert badge.isVisible()


def test_m_shows_the_sound_chosen_for_a_moment(make, catalog):
    screen, _ = make(coherent(catalog))
    seen = []
    for _ in range(3):
        key(screen, Qt.Key.Key_M)
        seen.append(screen.level_badge.text())
    assert seen == ["Sound: tone", "Sound: chime", "Sound off"]
    let_the_moment_pass(screen.level_badge)
    assert screen.level_badge.isHidden()


def test_the_level_shows_in_focus_mode_too(make, catalog, clock, ticker):
    screen, _ = make(coherent(catalog))
    frame(clock, ticker, LEAD_IN_S + 1.0)
    key(screen, Qt.Key.Key_F)
    view = screen.focus_view
    assert view is not None
    assert screen.in_focus
    key(view, Qt.Key.Key_Minus)
    assert view.level_badge.isVisible()
    assert view.level_badge.text() == f"Volume {DEFAULT_VOLUME_PCT - 10}%"
    assert screen.level_badge.isHidden()  # not behind the full-screen window
    key(view, Qt.Key.Key_M)
    assert view.level_badge.text() == "Sound: tone"
    let_the_moment_pass(view.level_badge)
    assert view.level_badge.isHidden()


def test_e_in_focus_mode_without_a_device_says_so_there(
    make, catalog, clock, ticker, preferences, speakers
):
    """Eyes closed (E) with no speakers is never silent: focus mode, which covers the screen's
    note, says it on its own badge, and nothing chosen changes."""
    preferences.values.update(SAVED)
    screen, _ = make(coherent(catalog), factory=speakers)
    frame(clock, ticker, LEAD_IN_S + 1.0)
    key(screen, Qt.Key.Key_F)
    view = screen.focus_view
    assert view is not None
    key(view, Qt.Key.Key_E)
    assert view.level_badge.isVisible()
    assert view.level_badge.text() == "Sound unavailable"
    assert screen.sound_note.full_text().startswith("Sound is unavailable: the E key")
    assert preferences.values == SAVED
    assert not view.pacers.current.dimmed  # the pacer stays in full view


def test_with_reduced_motion_the_level_goes_without_fading(make, catalog, preferences):
    preferences.values["reduced_motion"] = "on"
    screen, _ = make(coherent(catalog))
    assert screen.reduced_motion
    key(screen, Qt.Key.Key_Minus)
    badge = screen.level_badge
    badge.hold.stop()
    badge.hold.timeout.emit()
    assert badge.fade.state() is QAbstractAnimation.State.Stopped
    assert badge.isHidden()


def test_trying_again_says_a_new_failure_but_not_the_same_one_twice(qapp, speakers):
    pattern = BreathingPattern([Phase(PhaseKind.INHALE, 4), Phase(PhaseKind.EXHALE, 4)])
    cues = SoundCues(output_factory=speakers)
    said: list[str] = []
    cues.unavailable.connect(said.append)
    cues.set_mode(CueMode.TONE)
    assert said == ["Sound unavailable: no speakers or headphones were found."]
    assert not cues.try_again()  # still down: not said a second time
    assert len(said) == 1
    speakers.working = True
    assert cues.try_again()
    assert cues.available
    assert cues.unavailable_reason == ""
    cues.on_frame(pattern.state_at(1.0), True)  # mid-breath: the tone picks up at once
    ((stream, _),) = speakers.output.played
    assert stream.remaining / SR == pytest.approx(3.0, abs=0.01)
    speakers.output.failure = "the speakers could not be opened"
    cues.on_frame(pattern.state_at(1.1), True)
    assert said[1:] == ["Sound unavailable: the speakers could not be opened."]  # a new failure


def test_a_sound_chosen_in_the_settings_tries_again(qtbot, ticker, store, speakers):
    profile = ProfileInUse(store, store.profiles.default_id(), load_catalog())
    write_setting(profile.preferences, SOUND_MODE, CueMode.TONE)
    screen = SessionScreen(ticker, profile=profile, sound_output_factory=speakers)
    qtbot.addWidget(screen)
    assert not screen.sound.available
    calls = speakers.calls
    profile.settings_changed()  # saved with nothing new about sound: no knocking
    assert speakers.calls == calls
    speakers.working = True
    write_setting(profile.preferences, SOUND_MODE, CueMode.CHIME)
    profile.settings_changed()
    assert speakers.calls == calls + 1
    assert screen.sound.available
    assert screen.sound_mode is CueMode.CHIME
    assert screen.sound_note.full_text() == "Sound is working again."


# -- heard with the pacer ------------------------------------------------------------------------


def test_each_phase_is_started_ahead_by_the_outputs_lead_so_it_is_heard_with_the_pacer(
    make, catalog, clock, ticker, sound
):
    """Found (benchmarks/sound.py): the tone followed the pacer 76-79 ms late and the chimes
    96 ms, the output's read-ahead and the sound server's latency; before the one long-lived
    stream, about 5 ms."""
    screen, session = make(coherent(catalog))
    screen.set_sound_mode(CueMode.TONE)
    lead = screen.sound.lead_s
    assert 0.05 <= lead <= 0.2  # the read-ahead (70 ms) and the server's (20 ms)
    frame(clock, ticker, LEAD_IN_S + FRAME_S)
    output = sound.output
    assert len(output.played) == 1  # the in-breath
    frame(clock, ticker, 5.0 - FRAME_S - lead / 2)  # half the lead before the out-breath shows
    assert session.pacer_state().phase_index == 0  # the pacer still shows the in-breath...
    assert len(output.played) == 2  # ...and the out-breath's cue is already on its way
    stream, _ = output.played[-1]
    assert stream.remaining / SR == pytest.approx(5.0, abs=lead)  # the whole out-breath
