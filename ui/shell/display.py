"""When there is no screen to open a window on, one line that says so, not Qt's abort.

Without a reachable display Qt prints several lines ending in "Reinstalling the application may
fix this problem" and aborts the process (exit 134), which sends a person after the wrong fix.
:func:`display_problems_said` is held around the making of the QApplication only: it keeps what
Qt says about its display plugins and, if Qt gives up, prints one line naming the real cause and
ends the process with exit status 2, as Safe Signal's other start-up refusals do. If the window
can be made, what Qt said is passed on as Qt would have printed it.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Final, TextIO

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

NO_DISPLAY_EXIT: Final = 2
_CLI_HINT: Final = "Commands such as export and report work without one (safesignal-cli --help)."
_NO_CONNECTION: Final = re.compile(r"could not connect to display\s*(\S*)", re.IGNORECASE)


def display_problem(said: list[str], environ: Mapping[str, str]) -> str:
    """The one line for a start that Qt gave up on, from what Qt said (``said``) and the
    environment (which display was asked for)."""
    platform = environ.get("QT_QPA_PLATFORM", "")
    display, wayland = environ.get("DISPLAY", ""), environ.get("WAYLAND_DISPLAY", "")
    connection = next((m for m in map(_NO_CONNECTION.search, said) if m), None)
    if sys.platform.startswith("linux") and not (display or wayland or platform):
        cause = "no desktop was found (neither DISPLAY nor WAYLAND_DISPLAY is set)"
        advice = "Start it from your desktop session."
    elif connection is not None:
        where = connection.group(1) or display or "(none given)"
        cause = f"the desktop at display {where} could not be reached"
        advice = "Start it from your desktop session, or check that DISPLAY names a running one."
    elif platform and any("could not find the qt platform plugin" in m.lower() for m in said):
        cause = f"QT_QPA_PLATFORM asks for a display plugin this Qt does not have ({platform})"
        advice = "Unset QT_QPA_PLATFORM, or set it to one Qt lists (xcb or wayland on Linux)."
    else:
        detail = next((line for line in said if line.strip()), "")
        first = detail.strip().splitlines()[0] if detail.strip() else ""
        cause = f"Qt could not load its display plugin{f' ({first})' if first else ''}"
        advice = "The README's Quick start lists the system libraries the window needs."
    return f"safesignal: Safe Signal could not open its window: {cause}. {advice} {_CLI_HINT}"


@contextmanager
def display_problems_said(
    stream: TextIO | None = None, environ: Mapping[str, str] | None = None
) -> Iterator[None]:
    """Hold this while the QApplication is made; see the module docstring."""
    said: list[tuple[str, str]] = []  # what Qt said about its display plugins, held back
    out = sys.stderr if stream is None else stream
    env = os.environ if environ is None else environ

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            print(display_problem([text for _, text in said], env), file=out, flush=True)
            os._exit(NO_DISPLAY_EXIT)  # Qt aborts once this returns; nothing is open yet
        category = context.category or "default"
        if category.startswith("qt.qpa"):
            said.append((category, message))
        else:
            _as_qt_prints(out, category, message)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
    for category, message in said:  # the window opened: Qt's notes were not about a failure
        _as_qt_prints(out, category, message)


def _as_qt_prints(out: TextIO, category: str, message: str) -> None:
    print(message if category == "default" else f"{category}: {message}", file=out)
