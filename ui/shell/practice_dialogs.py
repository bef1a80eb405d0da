"""The questions the practice flow needs a person for: keep a session elsewhere when the disk
refuses it (after a few quiet tries when another program only holds the database for a moment),
and the after-ratings of sessions found unfinished at start."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from trainer.errors import DatabaseBusyError, DiskFullError, SafeSignalError, StoreError
from trainer.session.clock import Clock
from trainer.session.machine import Ratings
from ui.common.dialogs import Dialogs, last_folder, remember_folder

if TYPE_CHECKING:
    from trainer.app.practice import PracticeFlow
    from trainer.session.recovery import RecoveredSession
    from ui.practice.finder_screen import FinderScreen

RESCUE_ACTION = "Save this session elsewhere…"


def may_quit(
    parent: QWidget,
    flow: PracticeFlow,
    finder: FinderScreen | None,
    after: Ratings | None = None,
) -> bool:
    """Whether the app may close now: ask before ending a pace-finder run (``finder``, while
    one runs) or a session under way, and keep (or rescue) what was done. ``after``: the
    after-ratings given but not yet saved (the database was busy), which a rescue keeps."""
    if finder is not None:
        text = "The pace finder is running. If you quit now, the paces you have finished "
        if not Dialogs.confirm(parent, "Quit Safe Signal?", text + "are kept.", "Quit", "Stay"):
            return False
        finder.stop_for_quit()
    if flow.recorded_session_under_way and not Dialogs.confirm(
        parent,
        "Quit Safe Signal?",
        "A session is in progress. If you quit now, the time you have practised is "
        "kept, without after-ratings.",
        "Quit",
        "Stay",
    ):
        return False
    try:
        flow.leave()
    except StoreError as exc:  # a full disk: keep it elsewhere, or stay
        return rescue_before_quitting(parent, flow, exc, after)
    except SafeSignalError as exc:
        Dialogs.problem(parent, "Could not save the session", exc)
    return True


class QuietRetry:
    """Tries a save again a few times, a moment apart, while another program holds the
    database: the window stays free meanwhile (a timer, never a wait), and the person is asked
    only if it still cannot be saved. Tests fire :attr:`timer` themselves."""

    EVERY_MS = 1_000
    TRIES = 4  # quiet tries after the first: about five seconds in all

    def __init__(self, parent: QObject) -> None:
        self.timer = QTimer(parent)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._fire)
        self._again: Callable[[], None] | None = None

    def later(self, again: Callable[[], None]) -> None:
        """Call ``again`` in a moment (instead of anything asked for before)."""
        self._again = again
        self.timer.start(self.EVERY_MS)

    def cancel(self) -> None:
        """Nothing more to try (the person pressed Save again, or the session is gone)."""
        self.timer.stop()
        self._again = None

    def _fire(self) -> None:
        again, self._again = self._again, None
        if again is not None:
            again()


def _what_next(problem: StoreError) -> str:
    """What a refused save means and what the person can do, in words for its cause."""
    kept = "Nothing is lost: the session is still here and your ratings are still on screen."
    elsewhere = (
        "save this session to a file somewhere else (another folder, a USB stick) and add it "
        "to your history later."
    )
    if isinstance(problem, DatabaseBusyError):
        return (
            f"{kept} Safe Signal tried again for a few seconds, but another program still has "
            "the database open for writing: perhaps a database viewer, or a backup or sync "
            "tool. When it has finished (or once you close it), press Save again. You can "
            f"also {elsewhere}"
        )
    if isinstance(problem, DiskFullError):
        return f"{kept} You can try Save again once there is room, or {elsewhere}"
    return f"{kept} You can try Save again, or {elsewhere}"


def offer_rescue(parent: QWidget, flow: PracticeFlow, after: Ratings, problem: StoreError) -> bool:
    """The database would not take the finished session: say why, and offer to save it as a
    file elsewhere (to import later). Returns whether it was saved there."""
    if not Dialogs.confirm(
        parent,
        "Could not save the session",
        f"{problem}\n\n{_what_next(problem)}",
        RESCUE_ACTION,
        "Not now",
    ):
        return False
    return save_elsewhere(parent, flow, after)


def rescue_before_quitting(
    parent: QWidget, flow: PracticeFlow, problem: StoreError, after: Ratings | None = None
) -> bool:
    """Quitting, and the database would not take the session's end: offer to save it to a
    file elsewhere first. Returns whether to go on quitting (saved, or the person chose to
    quit without it; what was saved every few seconds is kept either way)."""
    if Dialogs.confirm(
        parent,
        "Could not save the session",
        f"{problem}\n\nThe session is still here. You can save it to a file somewhere else "
        "(another folder, a USB stick) before Safe Signal closes, and add it to your "
        "history later. If you quit without it, the time saved every few seconds is kept "
        "and shows as interrupted.",
        RESCUE_ACTION,
        "Quit without it",
    ):
        return save_elsewhere(parent, flow, after if after is not None else Ratings(None, None))
    return True


def save_elsewhere(parent: QWidget, flow: PracticeFlow, after: Ratings) -> bool:
    """Ask where (first in the folder chosen last time, kept in the app's own settings), then
    write the session there. Returns whether it was written; if not, the session is still
    here."""
    settings = flow.app_preferences
    chosen = Dialogs.save_file(
        parent,
        "Save this session elsewhere",
        str(last_folder(settings, "rescue") / flow.rescue_file_name()),
        "Safe Signal sessions (*.json)",
    )
    if not chosen:
        return False
    try:
        flow.save_elsewhere(Path(chosen), after)
    except SafeSignalError as exc:
        Dialogs.problem(
            parent,
            "Could not save the session there",
            exc,
            "The session is still here; try another place.",
        )
        return False
    remember_folder(settings, "rescue", Path(chosen))  # once it is safe (the hint may fail)
    Dialogs.info(
        parent,
        "The session was saved elsewhere",
        f"This session was saved to {chosen}. When Safe Signal can save again, add it to "
        "your history with Menu ▸ Import sessions… (Ctrl+I).\n\nThe file holds health "
        "information: keep it private.",
    )
    return True


def offer_recovery(
    parent: QWidget,
    flow: PracticeFlow,
    clock: Clock,
    tz: tzinfo,
    recovered: list[RecoveredSession] | None = None,
) -> None:
    """At start: keep every session the app never finished (it crashed, or the computer
    stopped) as interrupted, and offer the after-ratings for those of the person using it.
    Other profiles' sessions are kept too, quietly: they show as interrupted in their
    history. ``recovered``: what ui.shell.app already closed before today's backup."""
    from ui.practice.recovery import AfterRatingsDialog

    try:
        mine = flow.recover(recovered)
    except SafeSignalError as exc:
        Dialogs.problem(
            parent,
            "Could not look at your last session",
            exc,
            "Nothing has been lost; Safe Signal will look again next time.",
        )
        return
    for found in mine:
        when = None  # one just found: "your last session"; else each by its start
        if len(mine) > 1 or found.carried_over:
            when = f"{found.started_at.astimezone(tz):%A %d %B, %H:%M}"
        after = AfterRatingsDialog.ask(parent, found, clock, when)
        if after is None:  # left empty: not offered again (an answer not given is)
            with suppress(SafeSignalError):  # if not noted, it is offered again: no harm
                flow.recovery_declined(found)
            continue
        try:
            flow.recovered_after(found, after)
        except SafeSignalError as exc:
            Dialogs.problem(
                parent,
                "Could not save the after-ratings",
                exc,
                "The session itself is kept, without after-ratings.",
            )
