"""Shows what the practice flow asks for: where it hurts, the ratings, the practice, the
summary; and turns the person's answers into calls on the flow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.app.practice import (
    AskAfter,
    AskBefore,
    AskWhere,
    DemonstrationOver,
    PracticeFlow,
    Practise,
    Saved,
    Stage,
)
from trainer.app.settings import CheckIn
from trainer.errors import DatabaseBusyError, SafeSignalError, StoreError
from trainer.session.machine import Ratings, Session, SessionState
from ui.common.dialogs import Dialogs
from ui.practice.rating import QUICK_AFTER, QUICK_BEFORE
from ui.shell import practice_dialogs

if TYPE_CHECKING:
    from ui.practice.attention_screen import AttentionScreen
    from ui.practice.session_screen import SessionScreen
    from ui.shell.main_window import MainWindow


class PracticeView:
    """The window's side of the practice flow: one screen for each step the flow announces."""

    def __init__(self, window: MainWindow, flow: PracticeFlow) -> None:
        self._window = window
        self._flow = flow
        self.retry = practice_dialogs.QuietRetry(window)  # the final save, when busy
        self.pending_after: Ratings | None = None  # after-ratings a quiet retry still holds
        flow.stages.add(self.show)

    def show(self, stage: Stage) -> None:
        """Show what the practice flow asks for."""
        w = self._window
        if isinstance(stage, AskWhere):
            w.where.begin(stage.uses, stage.pain, stage.comfort)
            w.show_screen(w.where)
        elif isinstance(stage, AskBefore):
            if stage.quick is CheckIn.NOTHING:  # a quick reset that asks nothing: begin
                self.before_confirmed(None, None)
                return
            w.before.reset(stage.heading, question=QUICK_BEFORE if stage.quick else None)
            w.show_screen(w.before)
            w.before.tension.setFocus()
        elif isinstance(stage, Practise):
            if stage.regions_problem is not None:
                after = "The practice goes on; only the marked areas were not kept."
                Dialogs.problem(w, "Could not save where it hurts", stage.regions_problem, after)
            screen: SessionScreen | AttentionScreen = w.practice
            if stage.steps is None:
                w.practice.begin(stage.session)
            else:
                screen = w.attention
                screen.begin(stage.session, stage.steps)
            w.show_screen(screen)
        elif isinstance(stage, AskAfter):
            w.after.reset(stage.title, question=QUICK_AFTER if stage.quick else None)
            if stage.quick is CheckIn.NOTHING:  # saved at once; if it cannot be, Save is here
                self.after_confirmed(None, None)
                if self._flow.session is None:
                    return
            w.show_screen(w.after)
            w.after.tension.setFocus()
        elif isinstance(stage, DemonstrationOver):
            w.summary.show_demonstration(stage.title, stage.practised_s)
            w.show_screen(w.summary)
        elif isinstance(stage, Saved) and stage.stored is not None:
            w.summary.show_session(stage.stored)
            w.show_screen(w.summary)
        else:
            if isinstance(stage, Saved):  # saved, but not read back: no summary this time
                Dialogs.error(
                    w,
                    "Your session is saved",
                    f"The session and your ratings are saved, but they could not be read back "
                    f"to show the summary ({stage.problem}). You will find it in your history.",
                )
            w.show_home()

    def before_confirmed(self, tension: int | None, pain: int | None) -> None:
        """Begin the practice with the before-ratings (or say why it could not start)."""
        w = self._window
        asked = w.stack.currentWidget() is w.before  # else nothing was asked (a quick reset)
        try:
            self._flow.before_confirmed(tension, pain)
        except DatabaseBusyError as exc:  # nothing started: the ratings are still on screen
            after = "Your ratings are still on screen: press Begin practice again in a moment."
            if not asked:
                after = "Nothing was started: please try again in a moment."
            Dialogs.problem(w, "Could not start the session", exc, after)
        except SafeSignalError as exc:
            Dialogs.problem(w, "Could not start the session", exc)
        else:
            return
        if not asked:  # nothing on screen to try again from: let the prepared session go
            self._flow.before_cancelled()

    def after_confirmed(self, tension: int | None, pain: int | None) -> None:
        """Save the session with the after-ratings; when another program holds the database,
        try again quietly a few times; when the disk refuses, offer another place."""
        self.retry.cancel()  # pressed Save (again): this try, with these ratings, counts
        self._save(Ratings(tension, pain), practice_dialogs.QuietRetry.TRIES)

    def _save(self, after: Ratings, tries_left: int) -> None:
        w = self._window
        session = self._flow.session
        self.pending_after = None
        try:
            self._flow.after_confirmed(after.tension, after.pain)
        except DatabaseBusyError as exc:
            if tries_left > 0:
                self.pending_after = after
                self.retry.later(lambda: self._save_again(session, after, tries_left - 1))
            elif practice_dialogs.offer_rescue(w, self._flow, after, exc):
                w.show_home()
        except StoreError as exc:  # a full disk, a read-only folder: offer another place
            if practice_dialogs.offer_rescue(w, self._flow, after, exc):
                w.show_home()
        except SafeSignalError as exc:
            text = "Your ratings are still on screen; try Save again."
            Dialogs.problem(w, "Could not save the session", exc, text)

    def save_pending(self) -> Ratings | None:
        """Quitting while a quiet retry still holds the after-ratings: try their save once
        more now. Returns the ratings when it still cannot be saved (for the rescue, so they
        are not lost), else ``None``."""
        after, self.pending_after = self.pending_after, None
        self.retry.cancel()
        session = self._flow.session
        if after is None or session is None or session.state is not SessionState.RATE_AFTER:
            return None
        try:
            self._flow.after_confirmed(after.tension, after.pain)
        except SafeSignalError:
            return after
        return None

    def _save_again(self, session: Session | None, after: Ratings, tries_left: int) -> None:
        """A quiet try, unless the session has gone meanwhile (quit, or saved elsewhere)."""
        if session is None or self._flow.session is not session:
            return
        if session.state is not SessionState.RATE_AFTER:
            return
        self._save(after, tries_left)
