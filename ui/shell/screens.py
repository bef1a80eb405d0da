"""The window's screens, each made (with its imports: pyqtgraph, numpy, the body map...) the
first time it is wanted, so the window shows as soon as its first screen is ready."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QWidget

if TYPE_CHECKING:
    from ui.history.screen import HistoryScreen
    from ui.library.attention_home import AttentionHomeScreen
    from ui.practice.attention_screen import AttentionScreen
    from ui.practice.finder_screen import FinderScreen
    from ui.practice.rating import RatingScreen
    from ui.practice.session_screen import SessionScreen
    from ui.practice.summary import SummaryScreen
    from ui.practice.where_it_hurts import WhereItHurtsScreen
    from ui.shell.main_window import MainWindow

W = TypeVar("W", bound=QWidget)


class PageStack(QStackedWidget):
    """The screens, one at a time, asking only for the room the one showing needs.

    A plain stack asks for the largest room any of its pages ever needed, so one tall screen
    (or a long name on another) kept the window from shrinking, or widened it by itself.
    """

    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        if page is None:
            return QSize(0, 0)
        return page.minimumSizeHint().expandedTo(page.minimumSize())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return QSize(0, 0) if page is None else page.sizeHint()

    def hasHeightForWidth(self) -> bool:
        # A page's height for a width is the height it would like (all its wrapped lines at
        # ease), not the least it needs: the page fits itself to the height it is given.
        return False

    def heightForWidth(self, _width: int) -> int:
        return -1  # (asked by the scroll area around the stack all the same)


class PageArea(QScrollArea):
    """Holds the page stack: the window never grows for a page, and if a page ever needs more
    room than the window has, it scrolls rather than being cut off. Keys are left to the pages
    (a scroll area would take the arrows for itself)."""

    def __init__(self, stack: PageStack) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.viewport().setAutoFillBackground(False)  # the window's background shows through
        self.setWidget(stack)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.ignore()


class Screens:
    """Makes each screen on demand, puts it in the stack and connects it to the window.

    Each is made as a child of the stack: a screen made without a parent once the window is
    showing would be a window of its own for a moment, and take the focus from this one.
    """

    def __init__(self, window: MainWindow, stack: QStackedWidget) -> None:
        self._window = window
        self._stack = stack
        self._made: dict[str, QWidget] = {}

    def made(self, name: str) -> QWidget | None:
        """The screen called ``name`` if it has been made (without making it)."""
        return self._made.get(name)

    def forget(self, name: str) -> None:
        """Take the screen called ``name`` away; it is made afresh when next wanted."""
        screen = self._made.pop(name, None)
        if screen is not None:
            self._stack.removeWidget(screen)
            screen.deleteLater()

    def _get(self, name: str, make: Callable[[], W]) -> W:
        """The screen called ``name``, made (and put in the stack) the first time."""
        screen = self._made.get(name)
        if screen is None:
            screen = make()
            self._made[name] = screen
            self._stack.addWidget(screen)
        return cast(W, screen)

    @property
    def before(self) -> RatingScreen:
        """The before-ratings."""
        return self._get("before", self._make_before)

    @property
    def after(self) -> RatingScreen:
        """The after-ratings."""
        return self._get("after", self._make_after)

    @property
    def practice(self) -> SessionScreen:
        """The breathing practice screen (for the profile in use)."""
        return self._get("practice", self._make_practice)

    @property
    def attention(self) -> AttentionScreen:
        """The guided attention practice screen (for the profile in use)."""
        return self._get("attention", self._make_attention)

    @property
    def summary(self) -> SummaryScreen:
        """The summary after a practice."""
        return self._get("summary", self._make_summary)

    @property
    def where(self) -> WhereItHurtsScreen:
        """The "where it hurts" screen."""
        return self._get("where", self._make_where)

    @property
    def attention_home(self) -> AttentionHomeScreen:
        """The list of attention exercises."""
        return self._get("attention_home", self._make_attention_home)

    @property
    def finder(self) -> FinderScreen:
        """The resonance-rate finder."""
        return self._get("finder", self._make_finder)

    @property
    def history(self) -> HistoryScreen:
        """The history screen (pyqtgraph and numpy are imported only with it)."""
        return self._get("history", self._make_history)

    def _make_rating(self, heading: str, text: str, *, before: bool) -> RatingScreen:
        from ui.practice.rating import BEGIN_PRACTICE, SAVE, RatingScreen

        return RatingScreen(
            heading,
            text,
            self._window.clock,
            can_cancel=before,
            continue_text=BEGIN_PRACTICE if before else SAVE,
            parent=self._stack,
        )

    def _make_before(self) -> RatingScreen:
        text = "How do you feel right now? There are no right answers; a rough number is fine."
        screen = self._make_rating("Before you begin", text, before=True)
        screen.confirmed.connect(self._window.practice_view.before_confirmed)
        screen.cancelled.connect(self._window.flow.before_cancelled)
        return screen

    def _make_after(self) -> RatingScreen:
        text = "Take a moment to notice your body, then rate the same two things again."
        screen = self._make_rating("How do you feel now?", text, before=False)
        screen.confirmed.connect(self._window.practice_view.after_confirmed)
        return screen

    def _make_practice(self) -> SessionScreen:
        from ui.practice.session_screen import SessionScreen

        return SessionScreen(self._window.ticker, self._stack, profile=self._window.profile)

    def _make_attention(self) -> AttentionScreen:
        from ui.practice.attention_screen import AttentionScreen

        return AttentionScreen(
            self._window.ticker, self._window.body_map, self._stack, profile=self._window.profile
        )

    def _make_summary(self) -> SummaryScreen:
        from ui.practice.summary import SummaryScreen

        screen = SummaryScreen(self._stack)
        screen.done.connect(self._window.show_home)
        screen.history_requested.connect(self._window.show_history)
        return screen

    def _make_where(self) -> WhereItHurtsScreen:
        from ui.practice.where_it_hurts import WhereItHurtsScreen

        screen = WhereItHurtsScreen(self._window.body_map, self._stack)
        screen.confirmed.connect(self._window.flow.regions_confirmed)
        screen.cancelled.connect(self._window.show_home)
        return screen

    def _make_attention_home(self) -> AttentionHomeScreen:
        from ui.library.attention_home import AttentionHomeScreen

        screen = AttentionHomeScreen(
            self._window.scripts, self._stack, profile=self._window.profile
        )
        screen.start_requested.connect(self._window.prepare_attention)
        screen.history_requested.connect(self._window.show_history)
        return screen

    def _make_finder(self) -> FinderScreen:
        from ui.practice.finder_screen import FinderScreen

        clock, utc_now = self._window.clock, self._window.utc_now
        screen = FinderScreen(
            ticker=self._window.ticker,
            clock=clock,
            utc_now=utc_now,
            profile=self._window.profile,
            parent=self._stack,
        )
        screen.done.connect(self._window.show_home)
        screen.pattern_saved.connect(lambda saved: self._window.home.reload_patterns(saved))
        return screen

    def _make_history(self) -> HistoryScreen:
        from ui.history.screen import HistoryScreen

        today = lambda: self._window.utc_now().astimezone(self._window.tz).date()  # noqa: E731
        screen = HistoryScreen(
            self._window.profile, tz=self._window.tz, today=today, parent=self._stack
        )
        screen.back.connect(self._window.show_home)
        screen.report_requested.connect(lambda: self._window.files.save_report(screen))
        screen.export_requested.connect(self._window.files.export_history)
        return screen
