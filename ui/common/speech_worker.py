"""The speech helper process: owns a QTextToSpeech and speaks for the window, which can kill it.

Started by :class:`ui.common.speech.ProcessChannel` as ``python -m ui.common.speech_worker``. It
reads one JSON command a line on stdin and writes one JSON event a line on stdout (see
:class:`ui.common.speech.SpeechServer`). It ends when stdin closes or the window's process dies
(on Linux even when stuck inside the engine, so a hung helper never outlives the app).
``--engine module:function`` makes another engine instead (the tests' stuck ones).
"""

from __future__ import annotations

import argparse
import importlib
import json
import signal
import sys
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from ui.common.speech import EngineFactory, SpeechServer, qt_engine


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the app's process ends, whatever this one is doing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _engine_factory(spec: str | None) -> EngineFactory:
    if not spec:
        return qt_engine
    module, _, name = spec.partition(":")
    factory: EngineFactory = getattr(importlib.import_module(module), name)
    return factory


class _Reader(QObject):
    """Reads commands from stdin in a plain thread and hands them to the Qt thread."""

    command = Signal(object)
    ended = Signal()

    def run(self) -> None:
        for line in sys.stdin.buffer:
            try:
                command = json.loads(line)
            except ValueError:
                continue
            if isinstance(command, dict):
                self.command.emit(command)
        self.ended.emit()


class _Writer(QObject):
    """Writes the server's events to stdout, one line each."""

    @Slot(object)
    def write(self, event: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(event) + "\n")
        sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    """Run the helper until stdin closes."""
    _die_with_parent()
    parser = argparse.ArgumentParser(prog="speech_worker")
    parser.add_argument("--engine", help="module:function making the engine (tests)")
    args = parser.parse_args(argv)
    app = QCoreApplication(sys.argv[:1])
    server = SpeechServer(_engine_factory(args.engine))
    writer = _Writer()
    server.reported.connect(writer.write)
    reader = _Reader()
    reader.command.connect(server.handle)  # queued into this (the Qt) thread
    reader.ended.connect(app.quit)
    threading.Thread(target=reader.run, name="commands", daemon=True).start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
