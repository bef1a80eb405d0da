"""The practice screen's Sound menu for the soft surf and the spoken cue, as a person meets
them: the surf's own on/off (remembered), the button's honest word, the voice offered only
where a speech engine exists (in the menu and with M), and the line that says it is missing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.speech_fakes import EngineFactory, FakeEngine
from trainer.content.ambient import ambient_loop
from trainer.content.catalog import LEAD_IN_S, Catalog
from trainer.content.cues import CueMode
from trainer.session.clock import FakeClock
from trainer.session.machine import SessionPlan
from ui.common.sound import AMBIENT_TITLE
from ui.common.speech import Speech
from ui.common.ticker import ManualTicker

SR = 44100


def frame(clock: FakeClock, ticker: ManualTicker, seconds: float) -> None:
    clock.advance(seconds)
    ticker.fire()
    QApplication.processEvents()


def key(widget, which: Qt.Key) -> None:
    from pytestqt.qtbot import QtBot

    QtBot.keyClick(widget, which)


def coherent(catalog: Catalog) -> SessionPlan:
    return catalog.get("coherent-5-5").plan(1.0)


@pytest.fixture
def with_voice(monkeypatch):
    """A speech engine is installed: a fake one, spoken to through a worker thread."""
    import ui.common.sound

    engine = FakeEngine()
    monkeypatch.setattr(ui.common.sound, "speech_installed", lambda: True)
    monkeypatch.setattr(
        ui.common.sound,
        "Speech",
        lambda parent: Speech(parent, engine_factory=EngineFactory(engine)),
    )
    return engine


def test_the_surf_has_its_own_switch_off_until_chosen_and_remembered(
    session_screen, catalog, preferences, clock, ticker, sound
):
    ambient_loop(SR)  # made here once, so the first frame need not wait for its thread
    screen, _ = session_screen(coherent(catalog))
    action = screen.ambient_action
    assert action.text() == AMBIENT_TITLE
    assert not action.isChecked()
    assert not screen.sound.ambient
    assert screen.sound_button.text() == "Off"
    action.trigger()  # the person ticks it in the Sound menu
    assert screen.sound.ambient
    assert screen.sound_button.text() == "Surf"  # not "Off" while the surf plays
    assert screen.sound_button.accessibleName() == "Sound: surf"
    QApplication.processEvents()
    frame(clock, ticker, LEAD_IN_S + 0.5)
    assert len(sound.output.played) == 1  # the surf, in the practice's one output
    # Remembered: the next screen starts with it on.
    again, _ = session_screen(coherent(catalog))
    assert again.sound.ambient
    assert again.ambient_action.isChecked()


def test_the_voice_is_not_offered_without_a_speech_engine(session_screen, catalog):
    screen, _ = session_screen(coherent(catalog))
    screen.sound_button.menu().aboutToShow.emit()
    assert not screen._mode_actions[CueMode.VOICE].isVisible()
    seen = []
    for _ in range(3):
        key(screen, Qt.Key.Key_M)
        seen.append(screen.sound_mode)
    assert seen == [CueMode.TONE, CueMode.CHIME, CueMode.OFF]


def test_the_voice_is_offered_where_a_speech_engine_exists(
    session_screen, catalog, with_voice, qtbot
):
    screen, _ = session_screen(coherent(catalog))
    screen.sound_button.menu().aboutToShow.emit()
    action = screen._mode_actions[CueMode.VOICE]
    assert action.isVisible()
    assert action.text() == "A voice saying in and out"
    seen = []
    for _ in range(4):
        key(screen, Qt.Key.Key_M)
        seen.append((screen.sound_mode, screen.level_badge.text()))
    assert seen == [
        (CueMode.TONE, "Sound: tone"),
        (CueMode.CHIME, "Sound: chime"),
        (CueMode.VOICE, "Sound: voice"),
        (CueMode.OFF, "Sound off"),
    ]
    action.trigger()
    assert screen.sound_button.text() == "Voice"
    speech = screen.sound.speech
    assert speech is not None
    qtbot.waitUntil(lambda: speech.ready)  # the voice looked for at once, not at the first word


def test_a_missing_voice_is_said_under_the_controls(session_screen, catalog, preferences):
    preferences.values["sound_mode"] = "voice"  # chosen on a computer that had a voice
    screen, _ = session_screen(coherent(catalog))
    assert screen.sound_note.isVisible()
    assert screen.sound_note.full_text() == (
        "Spoken cue unavailable: no speech engine is installed; a soft chime marks each change "
        "instead."
    )


class NoSpeakers:
    """An output factory that finds no speakers (until ``working`` is set)."""

    def __init__(self, output) -> None:
        self.working = False
        self.output = output

    def __call__(self, sample_rate: int):
        from ui.common.sound import SoundUnavailableError

        if not self.working:
            raise SoundUnavailableError("no speakers or headphones were found")
        return self.output


def test_without_speakers_the_surf_is_honest_and_kept(
    session_screen, catalog, preferences, clock, ticker, sound
):
    """The surf alone finds out there is no sound, says so, keeps the choice, tries again."""
    ambient_loop(SR)
    preferences.values["ambient_sound"] = "on"
    speakers = NoSpeakers(sound.output)
    screen, _ = session_screen(coherent(catalog), factory=speakers)
    frame(clock, ticker, LEAD_IN_S + 0.5)  # the first breath: the surf would start here
    assert screen.sound_button.text() == "Silent"
    assert screen.ambient_action.isChecked()  # kept as chosen ...
    assert not screen.ambient_action.isEnabled()  # ... but not in use
    assert preferences.values == {"ambient_sound": "on"}
    assert screen.sound_note.full_text().startswith("Sound unavailable: no speakers")
    # The next session tries again, with no cue chosen but the surf.
    speakers.working = True
    screen.begin(screen.session)
    assert screen.sound.available
    assert screen.sound_button.text() == "Surf"
