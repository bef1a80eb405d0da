"""When a running session writes down its progress, so a crash loses at most a few seconds.

A :class:`Checkpointer` is told the monotonic time on every frame and writes the seconds
practised at most once every :data:`CHECKPOINT_EVERY_S` seconds (never on every frame), and
once more whenever the practice stops (a pause, or the end before the after-ratings). A write
that fails (a full disk, or another program holding the database for a while) is logged once
and the practice goes on: the final save reports any problem the way it always has. The next try
comes one interval later, not on the next frame; the writer itself must not wait long (the
practice flow's gives up after a few milliseconds, see :mod:`trainer.app.practice`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final

from trainer.errors import StoreError

_log = logging.getLogger(__name__)

CHECKPOINT_EVERY_S: Final = 5.0  # monotonic seconds between two writes while running


class Checkpointer:
    """Decides when to call ``write(practised_s)``; see the module docstring."""

    def __init__(
        self,
        write: Callable[[float], None],
        *,
        started_s: float,
        every_s: float = CHECKPOINT_EVERY_S,
    ) -> None:
        if every_s <= 0:
            raise ValueError(f"checkpoints need a positive interval; got {every_s!r}")
        self._write = write
        self._every_s = every_s
        self._last_try_s = started_s
        self._written_s: float | None = None  # practised seconds last written, if any
        self.writes = 0  # successful writes, for tests and logs
        self.failures = 0
        self._failing = 0  # failed tries since the last write that worked

    def tick(self, now_s: float, practised_s: float) -> bool:
        """A frame while running: write if an interval has passed since the last try.

        Returns whether a write succeeded."""
        if now_s - self._last_try_s < self._every_s:
            return False
        return self._try(now_s, practised_s)

    def flush(self, now_s: float, practised_s: float) -> bool:
        """The practice stopped (paused, or over): write now unless nothing has changed.

        Returns whether a write succeeded."""
        if self._written_s is not None and practised_s <= self._written_s:
            self._last_try_s = now_s
            return False
        return self._try(now_s, practised_s)

    def restart(self, now_s: float) -> None:
        """The practice runs again after a pause: the next write is an interval from now."""
        self._last_try_s = now_s

    def _try(self, now_s: float, practised_s: float) -> bool:
        self._last_try_s = now_s  # a failure is retried an interval later, not every frame
        try:
            self._write(practised_s)
        except StoreError as exc:
            self.failures += 1
            self._failing += 1
            if self._failing == 1:  # once, not every few seconds while it lasts
                _log.warning(
                    "could not save the session's progress (it goes on, and is tried again "
                    "every %g s): %s",
                    self._every_s,
                    exc,
                )
            return False
        if self._failing:
            _log.info("the session's progress is saved again after %d failed tries", self._failing)
            self._failing = 0
        self._written_s = practised_s
        self.writes += 1
        return True
