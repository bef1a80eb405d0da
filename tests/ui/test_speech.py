"""The speech wrapper: the engine is called in a worker (a thread here, a helper process in the
app), never on the window's thread; a watchdog gives up on an engine that does not answer, on a
prompt never heard starting and on one that never ends; the volume reaches the engine; and a
helper process stuck inside its engine is killed."""

from __future__ import annotations

import math
import os
import threading
import time

import pytest
import shiboken6
from PySide6.QtCore import QObject, QProcess, QTimer

from tests.ui.speech_fakes import EngineFactory, EngineState, FakeEngine
from trainer.app.settings import DEFAULT_VOLUME_PCT
from ui.common import speech as speech_module
from ui.common.speech import (
    HUNG_REASON,
    MAX_VOLUME,
    ProcessChannel,
    Speech,
    speaking_s,
    speech_volume,
)

BOUND_S = 0.3  # the watchdog's bounds in these tests (the app's are seconds)
SLACK_S = 1.5  # a busy machine's lateness on top of a bound


def quick(engine: FakeEngine | None, **bounds: float) -> Speech:
    given = {"start_bound_s": BOUND_S, "answer_bound_s": BOUND_S, **bounds}
    return Speech(None, engine_factory=EngineFactory(engine), **given)


class Heard:
    """What a Speech said through its signals."""

    def __init__(self, speech: Speech) -> None:
        self.unavailable: list[str] = []
        self.not_heard = 0
        self.hung = 0
        speech.unavailable.connect(self.unavailable.append)
        speech.not_heard.connect(self._not_heard)
        speech.hung.connect(self._hung)

    def _not_heard(self) -> None:
        self.not_heard += 1

    def _hung(self) -> None:
        self.hung += 1


class Frames:
    """A 10 ms timer counting its ticks: the window's event loop going on."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))
        self.timer.start(10)

    def longest_gap_s(self) -> float:
        return max((b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)), default=0)


def test_the_volume_has_headroom_and_follows_the_sound_volume():
    # Measured through speech-dispatcher and espeak-ng on a null sink: Qt's volume 1.0 (and the
    # engine's default) peaks at full scale with 15-20 clipped samples a prompt; 0.5 peaks at
    # 0.82 of full scale, 0.4 at 0.65. So 100 % is 0.45.
    assert speech_volume(100) == MAX_VOLUME == 0.45
    assert speech_volume(0) == 0.0
    assert speech_volume(150) == MAX_VOLUME
    assert speech_volume(-5) == 0.0


def test_the_voice_steps_evenly_in_loudness_and_stays_clear_at_the_default():
    """Even steps in dB as the tone's (it was linear: 100 -> 90 % was -0.9 dB, 20 -> 10 % -6 dB),
    over 20 dB: on the tone's 40 dB the default 50 % gave 0.045, a voice hard to hear."""
    assert speech_volume(50) == pytest.approx(MAX_VOLUME / math.sqrt(10), rel=1e-3)  # -10 dB
    assert speech_volume(DEFAULT_VOLUME_PCT) >= 0.1
    top = 20 * math.log10(speech_volume(100) / speech_volume(90))
    bottom = 20 * math.log10(speech_volume(20) / speech_volume(10))
    assert top == pytest.approx(2.0, abs=0.05)  # each tenth of the slider is the same step
    assert bottom == pytest.approx(2.0, abs=0.05)
    volumes = [speech_volume(pct) for pct in range(101)]
    assert volumes == sorted(volumes)
    assert all(0.0 < v <= MAX_VOLUME for v in volumes[1:])  # never past the headroom


def test_the_engine_is_made_and_called_in_the_worker_with_the_volume_asked_for(qtbot):
    engine = FakeEngine()
    speech = quick(engine)
    speech.set_volume(0.3)
    speech.say("Notice the breath")
    assert engine.said == []  # nothing is called on this thread
    qtbot.waitUntil(lambda: engine.said == ["Notice the breath"])
    qtbot.waitUntil(lambda: not speech.waiting)
    assert engine.volume == 0.3
    assert threading.main_thread() not in engine.threads
    speech.set_volume(1.0)  # never beyond the headroom
    qtbot.waitUntil(lambda: engine.volume == MAX_VOLUME)
    speech.shutdown()


def test_a_missing_engine_is_said_once_and_later_calls_do_nothing(qtbot):
    speech = quick(None)
    heard = Heard(speech)
    speech.start()
    qtbot.waitUntil(lambda: not speech.available)
    speech.say("hello")
    speech.stop()
    assert heard.unavailable == ["Spoken prompts unavailable: no speech engine is installed."]
    assert heard.hung == 0


def test_an_engine_in_error_or_reporting_an_error_is_unavailable(qtbot):
    broken = FakeEngine()
    broken.status = EngineState.Error
    speech = quick(broken)
    speech.start()
    qtbot.waitUntil(lambda: not speech.available)
    working = FakeEngine()
    speech = quick(working)
    speech.say("hello")
    qtbot.waitUntil(lambda: working.said == ["hello"])
    assert speech.available
    working.errorOccurred.emit()
    qtbot.waitUntil(lambda: not speech.available)
    assert speech.unavailable_reason == "the speech engine stopped working"


def test_an_engine_stuck_in_say_never_stops_the_window_and_is_given_up_within_its_bound(qtbot):
    engine = FakeEngine()
    engine.hold_on = "Notice the breath"
    speech = quick(engine)
    heard = Heard(speech)
    speech.start()
    qtbot.waitUntil(lambda: not speech.waiting)  # the engine answered its start
    frames = Frames()
    asked = time.monotonic()
    speech.say("Notice the breath")
    assert time.monotonic() - asked < 0.1  # asking never waits
    try:
        qtbot.waitUntil(lambda: not speech.available, timeout=int((BOUND_S + SLACK_S) * 1000))
        gave_up_s = time.monotonic() - asked
        assert engine.said == ["Notice the breath"]
        assert not engine.release.is_set()  # still stuck inside the engine
        assert BOUND_S * 0.9 <= gave_up_s < BOUND_S + SLACK_S
        assert frames.longest_gap_s() < 0.5  # the event loop never stopped
        assert len(frames.ticks) >= 10
        assert heard.unavailable == [f"Spoken prompts unavailable: {HUNG_REASON}."]
        assert heard.hung == 1
        assert heard.not_heard == 1  # the prompt asked for was never heard
        speech.say("And again")  # given up for the rest of the session: nothing is sent
        speech.stop()
    finally:
        frames.timer.stop()
        engine.release.set()
    assert engine.said == ["Notice the breath"]


def test_prompts_asked_for_while_the_engine_is_stuck_do_not_put_off_the_watchdog(qtbot):
    engine = FakeEngine()
    engine.hold_on = "one"
    speech = quick(engine)
    asked = time.monotonic()
    speech.say("one")
    again = QTimer()
    again.timeout.connect(lambda: speech.say("again"))  # a new prompt every half bound
    again.start(int(BOUND_S * 500))
    try:
        qtbot.waitUntil(lambda: not speech.available, timeout=int((BOUND_S + SLACK_S) * 1000))
        assert time.monotonic() - asked < BOUND_S + SLACK_S
    finally:
        again.stop()
        engine.release.set()


def test_an_engine_that_never_starts_speaking_counts_as_not_heard(qtbot):
    engine = FakeEngine()
    engine.silent = True  # takes the prompt, returns, and stays Ready: nothing is heard
    speech = quick(engine)
    heard = Heard(speech)
    speech.say("Notice the breath")
    qtbot.waitUntil(lambda: not speech.available, timeout=int((BOUND_S + SLACK_S) * 1000))
    assert engine.said == ["Notice the breath"]
    assert heard.not_heard == 1
    assert heard.hung == 1
    assert speech.unavailable_reason == HUNG_REASON


def test_a_prompt_that_never_ends_is_given_up_after_the_longest_it_may_take(qtbot, monkeypatch):
    monkeypatch.setattr(speech_module, "FINISH_MARGIN_S", 0.2)
    monkeypatch.setattr(speech_module, "SLOW_CHARS_PER_S", 1000.0)
    engine = FakeEngine()
    engine.endless = True  # Speaking, then never Ready (a daemon stuck mid-prompt)
    speech = quick(engine)
    heard = Heard(speech)
    speech.say("Notice the breath")
    qtbot.waitUntil(lambda: engine.status is EngineState.Speaking)
    assert speech.available
    qtbot.waitUntil(lambda: not speech.available, timeout=int((0.3 + SLACK_S) * 1000))
    assert heard.hung == 1
    assert heard.not_heard == 0  # it was heard starting: no chime on top of it


def test_a_prompt_said_to_its_end_sets_no_watchdog(qtbot):
    engine = FakeEngine()
    speech = quick(engine)
    for text in ("one", "two", "three"):
        speech.say(text)
    qtbot.waitUntil(lambda: not speech.waiting)
    assert engine.said == ["one", "two", "three"]
    assert engine.stops >= 3  # each prompt stops the one before first: no overlap
    assert speech.available


def test_a_calm_voice_is_given_time_for_the_whole_prompt():
    short, long = "Rest.", "Let your attention rest on the soles of your feet, noticing them."
    assert speaking_s(short) < speaking_s(long)
    assert speech_module.longest_speaking_s(long) > 2 * speaking_s(long)


# -- the helper process, as the app runs it ------------------------------------------------------


def process_speech(engine: str) -> tuple[Speech, list[ProcessChannel]]:
    made: list[ProcessChannel] = []

    def channel(on_event):
        made.append(ProcessChannel(on_event, engine=f"tests.ui.speech_fakes:{engine}"))
        return made[0]

    speech = Speech(None, channel_factory=channel, start_bound_s=2.0, answer_bound_s=2.0)
    return speech, made


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_helper_process_speaks_and_answers(qtbot):
    speech, made = process_speech("quiet_engine")
    speech.say("Notice the breath")
    qtbot.waitUntil(lambda: not speech.waiting, timeout=20_000)  # a cold Python start
    assert speech.available
    process = made[0].process
    assert process.state() is QProcess.ProcessState.Running
    pid = process.processId()
    speech.shutdown()
    assert process.state() is QProcess.ProcessState.NotRunning
    qtbot.waitUntil(lambda: not alive(pid))


def test_a_helper_process_stuck_in_its_engine_is_killed_and_the_window_goes_on(qtbot):
    speech, made = process_speech("stuck_engine")
    heard = Heard(speech)
    speech.start()
    qtbot.waitUntil(lambda: not speech.waiting, timeout=20_000)  # started and answered
    process = made[0].process
    pid = process.processId()
    frames = Frames()
    asked = time.monotonic()
    speech.say("Notice the breath")
    qtbot.waitUntil(lambda: not speech.available, timeout=10_000)
    frames.timer.stop()
    assert time.monotonic() - asked < 2.0 + SLACK_S
    assert frames.longest_gap_s() < 0.5
    assert heard.hung == 1
    assert heard.not_heard == 1
    qtbot.waitUntil(lambda: process.state() is QProcess.ProcessState.NotRunning)
    qtbot.waitUntil(lambda: not alive(pid))


def test_a_speech_thrown_away_without_shutdown_takes_its_helper_with_it(qtbot):
    owner = QObject()
    made: list[ProcessChannel] = []

    def channel(on_event):
        made.append(ProcessChannel(on_event, engine="tests.ui.speech_fakes:quiet_engine"))
        return made[0]

    speech = Speech(owner, channel_factory=channel)
    speech.start()
    qtbot.waitUntil(lambda: not speech.waiting, timeout=20_000)
    process = made[0].process
    pid = process.processId()
    shiboken6.delete(owner)  # the screen holding it goes (its Speech with it)
    assert process.state() is QProcess.ProcessState.NotRunning
    qtbot.waitUntil(lambda: not alive(pid))


def test_a_helper_process_that_dies_is_given_up_as_stopped_not_as_hung(qtbot):
    speech, made = process_speech("crashing_engine")
    heard = Heard(speech)
    speech.say("Notice the breath")
    qtbot.waitUntil(lambda: not speech.available, timeout=20_000)
    assert speech.unavailable_reason == "the speech engine stopped working"
    assert heard.hung == 0  # nothing to hold against the next start
    assert heard.not_heard == 1
    assert made[0].process.state() is QProcess.ProcessState.NotRunning


def test_the_real_speech_engine_is_found_or_declined_without_stopping_the_window(qtbot):
    speech = Speech(None)
    frames = Frames()
    speech.start()
    bound_ms = int((speech_module.ENGINE_START_BOUND_S + SLACK_S) * 1000)
    qtbot.waitUntil(lambda: not speech.waiting, timeout=bound_ms)
    frames.timer.stop()
    assert frames.longest_gap_s() < 0.5
    if not speech.available:
        assert speech.unavailable_reason
    speech.shutdown()


def test_the_helper_never_runs_modules_from_the_folder_the_app_started_in(
    qtbot, tmp_path, monkeypatch
):
    """Found in review: ``python -m`` puts the working folder first on the path, and the helper
    inherited the app's: a json.py there ran in place of Python's own."""
    marker = tmp_path / "ran"
    (tmp_path / "json.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nraise SystemExit(3)\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    speech, _made = process_speech("quiet_engine")
    speech.say("Notice the breath")
    qtbot.waitUntil(lambda: not speech.waiting, timeout=20_000)
    try:
        assert speech.available
        assert not marker.exists()
    finally:
        speech.shutdown()
