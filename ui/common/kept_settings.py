"""Small choices a screen remembers as the person makes them (the sound, the volume, the
pacer's look), kept even when another program holds the database for a while.

The choice holds on screen at once. Its write never waits long (the store gives up within
50 ms, see :mod:`trainer.store.database`); a write refused because the database is busy is
tried again every few seconds on a timer, the latest choice for each setting winning, until it
is kept. Any other refusal (a full disk, say) is logged and the choice holds for now, as with
:func:`trainer.app.settings.write_setting`.
"""

from __future__ import annotations

import logging
from typing import Final, TypeVar

from PySide6.QtCore import QObject, QTimer

from trainer.app.settings import Preferences, Setting
from trainer.errors import DatabaseBusyError, SafeSignalError

_log = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_MS: Final = 5_000  # as often as a running session saves its progress


class KeptSettings(QObject):
    """Writes a screen's settings, and tries again those refused while the database is busy;
    tests fire :attr:`timer` themselves."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(self._retry)
        # by (the preferences, the key): what is still to be written there (the latest only),
        # and what was stored there when it was refused
        self._waiting: dict[tuple[int, str], tuple[Preferences, str, str, str | None]] = {}

    @property
    def waiting(self) -> int:
        """How many settings are still to be kept."""
        return len(self._waiting)

    def write(self, prefs: Preferences, setting: Setting[T], value: T) -> bool:
        """Remember ``value`` for ``setting`` in ``prefs``; returns whether it is kept now
        (if not, a busy database is tried again later; this never raises)."""
        place = (id(prefs), setting.key)
        self._waiting.pop(place, None)  # this choice replaces one still waiting
        text = setting.text(value)
        if self._written(prefs, setting.key, text):
            return True
        self._waiting[place] = (prefs, setting.key, text, _stored(prefs, setting.key))
        self.timer.start()
        return False

    def _written(self, prefs: Preferences, key: str, text: str) -> bool:
        """Write one setting: whether it is done with (kept, or refused for good)."""
        try:
            prefs.set(key, text)
        except DatabaseBusyError:
            _log.info("the setting %s is saved later: the database is busy", key)
            return False
        except SafeSignalError:
            _log.warning("could not save the setting %s", key, exc_info=True)
            return True  # the choice holds for now; trying again would not help
        return True

    def _retry(self) -> None:
        for place, (prefs, key, text, seen) in list(self._waiting.items()):
            if seen is not None and _stored(prefs, key) != seen:
                del self._waiting[place]  # written elsewhere meanwhile (Settings): that wins
                continue
            if self._written(prefs, key, text):
                del self._waiting[place]
                continue
            break  # still busy: the rest wait for the next try too
        if self._waiting:
            self.timer.start()


_NOTHING: Final = "\0(nothing stored)"


def _stored(prefs: Preferences, key: str) -> str | None:
    """What ``prefs`` holds for ``key`` now (a read is not held up by another program's
    write lock), or ``None`` when it cannot be read."""
    try:
        return prefs.get(key, _NOTHING)
    except SafeSignalError:
        return None
