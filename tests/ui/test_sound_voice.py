"""The spoken breathing cue (ui/common/sound.py with ui/common/speech.py): a calm word at each
change of a box-breathing plan on the fake clock, said through the speech worker (a fake engine
in a thread), a word that would come late left unsaid, and a chime in its place (said once)
where there is no speech engine."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.fakes import SR, Factory
from tests.ui.speech_fakes import EngineFactory, FakeEngine
from trainer.content.audio import CHIME_HZ, VOICE_LATE_S
from trainer.content.breathing import BreathingPattern, Phase, PhaseKind
from trainer.content.cues import CueMode
from ui.common.sound import SOUND_TITLES, SoundCues
from ui.common.speech import Speech

INHALE, HOLD, EXHALE = PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE
FRAME_S = 1 / 60


class Driver:
    """Frames at 60 a second on practice time that stands still while paused; every ``say``
    sent to the worker is written down with the practice time it was sent at. Between frames
    the worker's answers are awaited, as 1/60 s of real time gives it time to answer."""

    def __init__(self, cues: SoundCues, pattern: BreathingPattern, qtbot=None) -> None:
        self.qtbot = qtbot
        self.cues = cues
        self.pattern = pattern
        self.practice_s = 0.0
        self.asked: list[tuple[str, float]] = []
        speech = cues.speech
        if speech is not None:
            say = speech.say

            def recording_say(text: str) -> None:
                self.asked.append((text, self.practice_s))
                say(text)

            speech.say = recording_say  # type: ignore[method-assign]

    def _await_worker(self) -> None:
        speech = self.cues.speech
        if self.qtbot is not None and speech is not None and speech.available:
            self.qtbot.waitUntil(lambda: not speech.waiting, timeout=2000)

    def run(self, seconds: float) -> None:
        for _ in range(round(seconds / FRAME_S)):
            self.cues.on_frame(self.pattern.state_at(self.practice_s), True)
            QApplication.processEvents()  # the worker's answers come back
            self._await_worker()
            self.practice_s += FRAME_S


@pytest.fixture
def box() -> BreathingPattern:
    return BreathingPattern([Phase(INHALE, 4), Phase(HOLD, 4), Phase(EXHALE, 4), Phase(HOLD, 4)])


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


def voiced(factory: Factory, box: BreathingPattern, engines: EngineFactory) -> SoundCues:
    speech = Speech(engine_factory=engines)
    cues = SoundCues(output_factory=factory, speech=speech, speech_found=lambda: True)
    cues.set_pattern(box)
    return cues


def chimes(factory: Factory) -> list[float]:
    """The pitch of each chime played (each starts with its own attack)."""
    pitches = []
    for stream, _ in factory.output.played:
        samples = stream.read_all()
        spectrum = np.abs(np.fft.rfft(samples[: SR // 4], SR))
        pitches.append(float(np.argmax(spectrum)))
    return pitches


def test_the_voice_is_offered_only_where_a_speech_engine_exists(qapp) -> None:
    assert CueMode.VOICE in SoundCues(speech_found=lambda: True).offered_modes()
    assert SoundCues(speech_found=lambda: False).offered_modes() == (
        CueMode.OFF,
        CueMode.TONE,
        CueMode.CHIME,
    )
    assert SOUND_TITLES[CueMode.VOICE] == "A voice saying in and out"


def test_the_words_of_box_breathing_are_said_at_each_change(qtbot, box, engine) -> None:
    factory = Factory()
    cues = voiced(factory, box, EngineFactory(engine))
    cues.set_mode(CueMode.VOICE)
    qtbot.waitUntil(lambda: cues.speech is not None and cues.speech.ready)
    driver = Driver(cues, box, qtbot)
    driver.run(2 * box.cycle_s + 0.5)  # two cycles and the third in-breath
    words = [text for text, _ in driver.asked]
    assert words == ["In", "Hold", "Out", "Hold"] * 2 + ["In"]
    # Each asked for on the first frame of its phase, not a frame later.
    for (_, at_s), change_s in zip(driver.asked, np.arange(0, 33, 4), strict=True):
        assert change_s - 1e-6 <= at_s < change_s + FRAME_S + 1e-6
    qtbot.waitUntil(lambda: engine.said == words)  # and the engine said them, in order
    assert factory.output.played == []  # no chime: each change had its word


def test_a_word_that_would_come_late_is_left_unsaid(qtbot, box, engine) -> None:
    factory = Factory()
    cues = voiced(factory, box, EngineFactory(engine))
    cues.set_mode(CueMode.VOICE)
    qtbot.waitUntil(lambda: cues.speech is not None and cues.speech.ready)
    driver = Driver(cues, box, qtbot)
    driver.run(3.9)  # "In", then just before the hold
    driver.practice_s = 4.0 + VOICE_LATE_S + 0.05  # the window stalled over the change
    driver.run(4.0)  # on to the out-breath, in time
    assert [text for text, _ in driver.asked] == ["In", "Out"]  # "Hold" would be out of step
    assert factory.output.played == []  # nor a chime in its place


def test_with_no_speech_engine_a_chime_marks_each_change_and_says_so_once(qtbot, box) -> None:
    factory = Factory()
    cues = voiced(factory, box, EngineFactory(None))  # the worker finds no engine
    notes: list[str] = []
    cues.voice_unavailable.connect(notes.append)
    cues.set_mode(CueMode.VOICE)
    qtbot.waitUntil(lambda: len(notes) == 1)
    Driver(cues, box).run(box.cycle_s + 0.5)
    assert notes == [
        "Spoken cue unavailable: no speech engine is installed; a soft chime marks each change "
        "instead."
    ]
    assert chimes(factory) == [
        pytest.approx(CHIME_HZ[kind], abs=2) for kind in (INHALE, HOLD, EXHALE, HOLD, INHALE)
    ]


def test_without_any_engine_installed_the_worker_is_not_even_started(qapp, box) -> None:
    factory = Factory()
    engines = EngineFactory(FakeEngine())
    cues = SoundCues(output_factory=factory, speech_found=lambda: False)
    notes: list[str] = []
    cues.voice_unavailable.connect(notes.append)
    cues.set_pattern(box)
    cues.set_mode(CueMode.VOICE)  # a choice kept from elsewhere, say
    Driver(cues, box).run(4.5)
    assert engines.calls == 0
    assert len(notes) == 1
    assert "a soft chime marks each change instead" in notes[0]
    assert chimes(factory) == [pytest.approx(CHIME_HZ[k], abs=2) for k in (INHALE, HOLD)]


def test_while_the_voice_is_still_starting_a_chime_marks_the_change(qapp, box) -> None:
    """The engine takes a few seconds to start: a word then would come late, so a chime."""
    factory = Factory()

    class Silent:
        def send(self, command: dict[str, object]) -> None:
            pass  # never answers (yet)

        def close(self, *, stuck: bool) -> None:
            pass

    speech = Speech(channel_factory=lambda on_event: Silent())
    cues = SoundCues(output_factory=factory, speech=speech, speech_found=lambda: True)
    cues.set_pattern(box)
    cues.set_mode(CueMode.VOICE)
    driver = Driver(cues, box)
    driver.run(4.5)
    assert driver.asked == []
    assert chimes(factory) == [pytest.approx(CHIME_HZ[k], abs=2) for k in (INHALE, HOLD)]


def test_a_pause_stops_the_voice_and_the_volume_reaches_it(qtbot, box, engine) -> None:
    cues = voiced(Factory(), box, EngineFactory(engine))
    cues.set_mode(CueMode.VOICE)
    qtbot.waitUntil(lambda: cues.speech is not None and cues.speech.ready)
    Driver(cues, box, qtbot).run(1.0)
    stops = engine.stops
    cues.on_frame(None, False)  # paused
    qtbot.waitUntil(lambda: engine.stops > stops)
    cues.set_volume(1.0)
    qtbot.waitUntil(lambda: engine.volume == pytest.approx(0.45))
