"""Speaks guided prompts aloud through QtTextToSpeech, where the system has a speech engine.

Speech is a nicety, never a requirement: when QtTextToSpeech cannot be loaded, no engine is
installed or the engine fails, :class:`Speech` says so once through its ``unavailable`` signal
and every later call does nothing. It never raises.

The engine is made only when speech is first wanted (``available`` or ``say``), so a screen
that never speaks costs nothing. Tests pass ``engine_factory`` to listen without a voice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

__all__ = ["EngineFactory", "Speech", "SpeechEngine", "SpeechUnavailableError"]

_log = logging.getLogger(__name__)

TEST_ENGINES = frozenset({"mock"})  # Qt's test engine says nothing aloud: not a real voice
CALM_RATE = -0.1  # a touch slower than the engine's normal pace (-1 slowest .. 1 fastest)


class SpeechUnavailableError(Exception):
    """No speech can be made; the message is a short reason for the person using the app."""


class SpeechEngine(Protocol):
    """What :class:`Speech` needs of an engine (QTextToSpeech, or a fake in tests)."""

    def say(self, text: str) -> None:
        """Start speaking ``text`` (the engine stops whatever it was saying)."""

    def stop(self) -> None:
        """Stop speaking at once."""

    def state(self) -> Any:
        """The engine's state; one named ``Error`` means it cannot speak."""


EngineFactory = Callable[[], SpeechEngine]  # raises SpeechUnavailableError when there is none


def _is_error(state: object) -> bool:
    return getattr(state, "name", str(state)) == "Error"


def qt_engine(parent: QObject | None = None) -> SpeechEngine:
    """The first system speech engine that starts (Qt's test engine is left out)."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as error:
        raise SpeechUnavailableError("the speech library could not be loaded") from error
    names = [name for name in QTextToSpeech.availableEngines() if name not in TEST_ENGINES]
    if not names:
        raise SpeechUnavailableError("no speech engine is installed")
    for name in names:
        engine = QTextToSpeech(name, parent)
        if not _is_error(engine.state()):
            engine.setRate(CALM_RATE)
            return engine
        _log.info("speech engine %s could not start: %s", name, engine.errorString())
        engine.deleteLater()
    raise SpeechUnavailableError("the speech engine could not start")


class Speech(QObject):
    """Says prompts aloud, or quietly does nothing once speech turns out not to work."""

    unavailable = Signal(str)

    def __init__(
        self, parent: QObject | None = None, engine_factory: EngineFactory | None = None
    ) -> None:
        super().__init__(parent)
        self._factory: EngineFactory = engine_factory or (lambda: qt_engine(self))
        self._engine: SpeechEngine | None = None
        self._failed = False
        self.unavailable_reason = ""

    @property
    def available(self) -> bool:
        """Whether prompts can be spoken (the first call looks for an engine)."""
        return self._ensure_engine() is not None

    @property
    def unavailable_message(self) -> str:
        """The line shown to the person, or ``""`` while speech works (or was never tried)."""
        return f"Spoken prompts unavailable: {self.unavailable_reason}." if self._failed else ""

    def say(self, text: str) -> None:
        """Speak ``text``, cutting off whatever was being said."""
        engine = self._ensure_engine()
        if engine is None:
            return
        try:
            engine.stop()
            engine.say(text)
            failed = _is_error(engine.state())
        except Exception:  # a speech fault must never end an exercise
            _log.exception("speaking a prompt failed")
            failed = True
        if failed:
            self._give_up("the speech engine stopped working")

    def stop(self) -> None:
        """Stop speaking (paused, ended, or the window is closing)."""
        if self._engine is None:
            return
        try:
            self._engine.stop()
        except Exception:
            _log.exception("stopping speech failed")
            self._give_up("the speech engine stopped working")

    def _ensure_engine(self) -> SpeechEngine | None:
        if self._failed:
            return None
        if self._engine is None:
            try:
                engine = self._factory()
                if _is_error(engine.state()):
                    raise SpeechUnavailableError("the speech engine could not start")
            except SpeechUnavailableError as error:
                self._give_up(str(error))
                return None
            except Exception:
                _log.exception("starting speech failed")
                self._give_up("the speech engine could not start")
                return None
            self._engine = engine
            error_signal = getattr(engine, "errorOccurred", None)
            if error_signal is not None:
                error_signal.connect(self._on_engine_error)
        return self._engine

    def _on_engine_error(self, *args: object) -> None:
        self._give_up("the speech engine stopped working")

    def _give_up(self, reason: str) -> None:
        if self._failed:
            return
        self._failed = True
        self.unavailable_reason = reason
        self._engine = None
        self.unavailable.emit(self.unavailable_message)
