"""Fixtures for widget tests: a real store in a temporary folder, a fake clock, a manual ticker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from tests.ui.fakes import Factory, Preferences, started_session
from trainer.content.catalog import Catalog, load_catalog
from trainer.session.clock import FakeClock
from trainer.session.machine import Session, SessionPlan
from trainer.store.store import Store
from ui.common.dialogs import Dialogs
from ui.common.theme import LIGHT, apply_theme
from ui.common.ticker import ManualTicker
from ui.practice.session_screen import SessionScreen
from ui.shell.main_window import MainWindow


@pytest.fixture(autouse=True)
def no_real_message_boxes() -> Iterator[None]:
    """A message box, file or input dialog that no test answered would wait forever on the
    offscreen platform and hang the whole run: make it fail the test that reached it instead.
    (Tests answer them through the ``dialogs`` fixture, which replaces ``Dialogs``.) Uses its
    own patcher, so a test's ``monkeypatch.undo()`` cannot take it away."""

    def unanswered(*args: object, **kwargs: object) -> None:
        pytest.fail(f"a real modal dialog was opened and nobody would answer it: {args[1:3]}")

    with pytest.MonkeyPatch.context() as guard:
        for name in ("warning", "information", "critical", "question", "exec"):
            guard.setattr(QMessageBox, name, unanswered)
        for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
            guard.setattr(QFileDialog, name, unanswered)
        for name in ("getText", "getItem", "getInt"):
            guard.setattr(QInputDialog, name, unanswered)
        yield


@pytest.fixture(autouse=True)
def theme_choice_forgotten(qapp: QApplication) -> Iterator[None]:
    """Each test starts with no theme setting remembered by the app (as a fresh start does): a
    test that applied a choice and put back only the look must not leave its choice to the next
    test's Settings dialog."""
    yield
    qapp.setProperty("safesignal_theme_choice", None)


@pytest.fixture(autouse=True)
def no_speech_engine_for_the_sound_cues(monkeypatch: pytest.MonkeyPatch) -> None:
    """The breathing sound finds no speech engine unless a test gives it a fake one, so no test
    starts the system's speech helper by choosing the spoken cue (as M cycling through does)."""
    import ui.common.sound

    monkeypatch.setattr(ui.common.sound, "speech_installed", lambda: False)


class FakeUtc:
    """Wall-clock time for timestamps that moves with the fake monotonic clock."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.origin = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
        self.start_s = clock.now_s()

    def __call__(self) -> datetime:
        return self.origin + timedelta(seconds=self.clock.now_s() - self.start_s)


class DialogAnswers:
    """Records every dialog and answers confirmations with ``confirm_answer``."""

    def __init__(self) -> None:
        self.confirm_answer = True
        self.confirm_answers: list[bool] = []  # answers in turn; then ``confirm_answer``
        self.confirms: list[str] = []
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.save_path = ""  # what "save as" answers ("" = cancelled)
        self.save_titles: list[str] = []
        self.open_path = ""  # what "open a file" answers ("" = cancelled)
        self.text_answers: list[str | None] = []  # what "ask for a name" answers, in turn
        self.asked: list[str] = []
        self.typed = ""  # what the person types to confirm something destructive
        self.typed_confirms: list[tuple[str, str]] = []  # (title, what had to be typed)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> DialogAnswers:
    answers = DialogAnswers()

    def confirm(parent: object, title: str, text: str, yes: str, no: str) -> bool:
        answers.confirms.append(title)
        if answers.confirm_answers:
            return answers.confirm_answers.pop(0)
        return answers.confirm_answer

    def error(parent: object, title: str, text: str) -> None:
        answers.errors.append(f"{title}: {text}")

    def info(parent: object, title: str, text: str) -> None:
        answers.infos.append(f"{title}: {text}")

    def save_file(parent: object, title: str, suggested: str, kinds: str) -> str:
        answers.save_titles.append(title)
        return answers.save_path

    def open_file(parent: object, title: str, folder: str, kinds: str) -> str:
        answers.asked.append(title)
        return answers.open_path

    def ask_text(parent: object, title: str, label: str, text: str = "") -> str | None:
        answers.asked.append(title)
        return answers.text_answers.pop(0) if answers.text_answers else None

    def confirm_typed(parent: object, title: str, text: str, must_type: str, action: str) -> bool:
        answers.typed_confirms.append((title, must_type))
        return answers.typed.strip() == must_type

    monkeypatch.setattr(Dialogs, "ask_text", ask_text)
    monkeypatch.setattr(Dialogs, "confirm_typed", confirm_typed)
    monkeypatch.setattr(Dialogs, "confirm", confirm)
    monkeypatch.setattr(Dialogs, "error", error)
    monkeypatch.setattr(Dialogs, "info", info)
    monkeypatch.setattr(Dialogs, "save_file", save_file)
    monkeypatch.setattr(Dialogs, "open_file", open_file)
    return answers


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open_in(tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def ticker(qapp: QApplication) -> ManualTicker:
    apply_theme(qapp, LIGHT)
    return ManualTicker()


@pytest.fixture
def press(qtbot):
    """Press a key (with optional modifiers) in whatever widget has keyboard focus, as a person would."""

    def press_key(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
        target = QApplication.focusWidget()
        assert target is not None, "nothing has keyboard focus"
        qtbot.keyClick(target, key, modifier)

    return press_key


@pytest.fixture
def window(qtbot, store, catalog, clock, ticker, dialogs) -> MainWindow:
    win = MainWindow(
        store=store,
        catalog=catalog,
        clock=clock,
        utc_now=FakeUtc(clock),
        ticker=ticker,
        profile_id=store.profiles.default_id(),
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


@pytest.fixture
def preferences() -> Preferences:
    """Preferences in a dict (a module may define its own)."""
    return Preferences()


@pytest.fixture
def sound() -> Factory:
    """A sound output that records what it plays (a module may define its own)."""
    return Factory()


@pytest.fixture
def session_screen(qtbot, clock, ticker, preferences, sound):
    """Makes a shown :class:`SessionScreen` that has begun a session of a plan (its
    before-ratings skipped): ``session_screen(plan, factory=None) -> (screen, session)``."""

    def make_screen(plan: SessionPlan, factory=None) -> tuple[SessionScreen, Session]:
        session = started_session(plan, clock)
        screen = SessionScreen(
            ticker,
            preferences=preferences,
            sound_output_factory=factory if factory is not None else sound,
        )
        qtbot.addWidget(screen)
        screen.resize(800, 600)
        screen.show()
        qtbot.waitExposed(screen)
        screen.begin(session)
        return screen, session

    return make_screen
