"""The practice screen's sound as a person meets it: the tone after Pause and Resume (and after
"Keep going"), the Sound button, menu and keys when sound is unavailable or comes back, and the
volume shown briefly on screen. A recording output stands in for the speakers; time is a fake
clock and frames are fired by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import DialogAnswers
from tests.ui.fakes import SR, Factory, Preferences, Recorder
from trainer.content.catalog import LEAD_IN_S, Catalog
from trainer.content.cues import CueMode
from trainer.session.clock import FakeClock
from trainer.session.machine import Session, SessionPlan, SessionState
from ui.common.ticker import ManualTicker
from ui.practice.session_screen import SessionScreen

FRAME_S = 1 / 60


@pytest.fixture
def preferences() -> Preferences:
    return Preferences()


@pytest.fixture
def sound() -> Factory:
    return Factory()


def start_session(plan: SessionPlan, clock: FakeClock) -> Session:
    session = Session(
        plan,
        clock=clock,
        utc_now=lambda: datetime(2026, 3, 1, tzinfo=UTC),
        recorder=Recorder(),
        profile_id=1,
    )
    session.confirm_before(None, None)
    return session


@pytest.fixture
def make(qtbot, clock, ticker, preferences, sound):
    def make_screen(plan: SessionPlan, factory=None) -> tuple[SessionScreen, Session]:
        session = start_session(plan, clock)
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


def frame(clock: FakeClock, ticker: ManualTicker, seconds: float) -> None:
    clock.advance(seconds)
    ticker.fire()
    QApplication.processEvents()


def key(widget, which: Qt.Key) -> None:
    from pytestqt.qtbot import QtBot

    QtBot.keyClick(widget, which)


def coherent(catalog: Catalog) -> SessionPlan:
    return catalog.get("coherent-5-5").plan(1.0)  # 5 s in, 5 s out


# -- the tone after a pause ---------------------------------------------------------------------


def test_resume_picks_the_tone_up_at_once_mid_phase(make, catalog, clock, ticker, sound):
    screen, session = make(coherent(catalog))
    screen.set_sound_mode(CueMode.TONE)
    frame(clock, ticker, LEAD_IN_S)
    frame(clock, ticker, 2.0)  # 2 s into the first in-breath
    output = sound.output
    assert len(output.played) == 1
    key(screen, Qt.Key.Key_Space)
    assert session.state is SessionState.PAUSED
    assert output.fade_outs == 1
    frame(clock, ticker, 20.0)  # a long pause: nothing sounds, nothing new starts
    assert len(output.played) == 1
    key(screen, Qt.Key.Key_Space)
    frame(clock, ticker, FRAME_S)
    assert len(output.played) == 2  # at once, not at the out-breath 3 s later
    stream, replace = output.played[-1]
    assert replace  # a resumed cue: it takes over from whatever is fading
    assert stream.remaining / SR == pytest.approx(3.0, abs=2 * FRAME_S)
    frame(clock, ticker, 1.0)
    assert len(output.played) == 2  # and only once for that phase


def test_keep_going_after_esc_picks_the_tone_up_at_once(
    make, catalog, clock, ticker, sound, dialogs: DialogAnswers
):
    dialogs.confirm_answer = False  # "Keep going"
    screen, session = make(coherent(catalog))
    screen.set_sound_mode(CueMode.TONE)
    frame(clock, ticker, LEAD_IN_S)
    frame(clock, ticker, 5.0)
    frame(clock, ticker, 1.0)  # 1 s into the out-breath
    output = sound.output
    assert len(output.played) == 2
    key(screen, Qt.Key.Key_Escape)
    assert dialogs.confirms == ["End this session?"]
    assert session.state is SessionState.RUNNING
    assert output.fade_outs == 1  # silent while the question was asked
    frame(clock, ticker, FRAME_S)
    assert len(output.played) == 3
    stream, replace = output.played[-1]
    assert replace
    assert stream.remaining / SR == pytest.approx(4.0, abs=2 * FRAME_S)
