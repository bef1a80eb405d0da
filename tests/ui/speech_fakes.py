"""Speech engines for tests: one that writes down what it is asked to say, and can be made to
hang (its ``say`` blocks the calling thread on an event the test controls), to stay silent (never
reaches Speaking) or to fail. ``stuck_engine``, ``crashing_engine`` and ``quiet_engine`` are made
inside the speech helper process (``--engine tests.ui.speech_fakes:stuck_engine``)."""

from __future__ import annotations

import os
import threading
import time
from enum import Enum

from PySide6.QtCore import QObject, Signal

from ui.common.speech import SpeechUnavailableError

HOLD_S = 10.0  # the longest a held say() blocks: so code that waits on it fails, not hangs


class EngineState(Enum):
    """Stands in for QTextToSpeech.State (the wrapper reads only the name)."""

    Ready = 0
    Speaking = 1
    Paused = 2
    Error = 3


class FakeEngine(QObject):
    """A speech engine that writes down what it is asked to say (and the thread that asked)."""

    errorOccurred = Signal()  # noqa: N815 (the names QTextToSpeech uses)
    stateChanged = Signal(object)  # noqa: N815

    def __init__(self) -> None:
        super().__init__()
        self.said: list[str] = []
        self.stops = 0
        self.status = EngineState.Ready
        self.fail_on_say = False
        self.silent = False  # accepts prompts but never starts speaking them
        self.endless = False  # starts speaking and never finishes
        self.hold_on: str | None = None  # say(this text) blocks until ``release`` is set
        self.release = threading.Event()
        self.volume: float | None = None
        self.threads: set[threading.Thread] = set()

    def say(self, text: str) -> None:
        self.threads.add(threading.current_thread())
        self.said.append(text)
        if text == self.hold_on:
            self.release.wait(HOLD_S)
        if self.fail_on_say:
            self.status = EngineState.Error
            self.errorOccurred.emit()
            return
        if self.silent:
            return
        self._become(EngineState.Speaking)
        if not self.endless:
            self._become(EngineState.Ready)

    def stop(self) -> None:
        self.threads.add(threading.current_thread())
        self.stops += 1
        if self.status is EngineState.Speaking:
            self._become(EngineState.Ready)

    def state(self) -> EngineState:
        return self.status

    def setVolume(self, volume: float) -> None:
        self.volume = volume

    def _become(self, state: EngineState) -> None:
        self.status = state
        self.stateChanged.emit(state)


class EngineFactory:
    """Hands out one FakeEngine (or finds none) and counts how often it was asked."""

    def __init__(self, engine: FakeEngine | None = None) -> None:
        self.engine = engine
        self.calls = 0

    def __call__(self) -> FakeEngine:
        self.calls += 1
        if self.engine is None:
            raise SpeechUnavailableError("no speech engine is installed")
        return self.engine


class _StuckEngine(FakeEngine):
    """Hangs in say() for good, as libspeechd does when the speech daemon deadlocks."""

    def say(self, text: str) -> None:
        while True:
            time.sleep(60)


class _CrashingEngine(FakeEngine):
    """Takes the whole process down in say(), as a fault inside a native library would."""

    def say(self, text: str) -> None:
        os._exit(3)


def crashing_engine() -> FakeEngine:
    """An engine that ends its process at the first prompt (made in the helper process)."""
    return _CrashingEngine()


def stuck_engine() -> FakeEngine:
    """An engine that starts, then never returns from say() (made in the helper process)."""
    return _StuckEngine()


def quiet_engine() -> FakeEngine:
    """An engine that speaks each prompt at once, silently (made in the helper process)."""
    return FakeEngine()
