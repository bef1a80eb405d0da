"""The guided attention screen, run through every shipped exercise with a fake clock: prompts
change at step boundaries and fade in and out, the spotlight is drawn where the pure function
says, pause freezes it and resume carries on without a jump, counting shows 1 to 10, Skip moves
on, large text and spoken prompts are remembered, and missing speech falls back to a chime."""

from __future__ import annotations

import itertools
import math
import threading
import time
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from tests.ui.fakes import Factory, Preferences, Recorder, started_session
from tests.ui.speech_fakes import EngineFactory, FakeEngine
from trainer.app.frame import fade_at
from trainer.app.words import ATTENTION_CLOSE_LINE as CLOSE_LINE
from trainer.app.words import ATTENTION_PAUSED_LINE as PAUSED_LINE
from trainer.app.words import CLOSE_WORD, LEAD_IN_WORD, time_left_text
from trainer.content.attention import attention_plan
from trainer.content.bodymap import BodyMap, load_body_map
from trainer.content.scripts import Script, Step, load_scripts, resolve, step_at
from trainer.content.spotlight import spotlight_at
from trainer.session.machine import Session, SessionState, SessionStatus
from ui.common import speech as speech_module
from ui.common.sound import SoundUnavailableError
from ui.practice.attention_screen import AttentionScreen
from ui.widgets.fading_text import needed_size

SCRIPTS = load_scripts()
FRAME_S = 0.25


def make_session(clock, script: Script | str, minutes: int | None = None) -> Session:
    """A running session of ``script`` (the first length it offers unless ``minutes``)."""
    if isinstance(script, str):
        script = next(s for s in SCRIPTS if s.id == script)
    minutes = minutes if minutes is not None else script.lengths_min[0]
    return started_session(attention_plan(script, minutes), clock)


@pytest.fixture(scope="module")
def body_map() -> BodyMap:
    return load_body_map()


@pytest.fixture
def preferences() -> Preferences:
    return Preferences()


@pytest.fixture
def sound() -> Factory:
    return Factory()


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def make(qtbot, clock, ticker, body_map, preferences, sound, engine):
    def make_screen(
        script: Script | str = "somatic-tracking",
        minutes: int | None = None,
        pain=("lower_back",),
        comfort=(),
        *,
        speech=None,
        sound_factory=None,
        size=(800, 600),
    ) -> tuple[AttentionScreen, Session, tuple[Step, ...]]:
        if isinstance(script, str):
            script = next(s for s in SCRIPTS if s.id == script)
        minutes = minutes if minutes is not None else script.lengths_min[0]
        session = make_session(clock, script, minutes)
        screen = AttentionScreen(
            ticker,
            body_map,
            preferences=preferences,
            speech_factory=speech if speech is not None else EngineFactory(engine),
            sound_output_factory=sound_factory if sound_factory is not None else sound,
        )
        qtbot.addWidget(screen)
        screen.resize(*size)
        screen.show()
        qtbot.waitExposed(screen)
        screen.activateWindow()
        steps = resolve(script.version(minutes), pain, comfort)
        screen.begin(session, steps)
        qtbot.waitUntil(screen.hasFocus)
        return screen, session, steps

    return make_screen


def frame(clock, ticker, seconds: float) -> None:
    clock.advance(seconds)
    ticker.fire()
    QApplication.processEvents()


def expected_glows(screen: AttentionScreen, steps, practice_s: float) -> list[tuple[float, float]]:
    state = spotlight_at(steps, screen.body.body_map, practice_s)
    points = [screen.body.point_of(s.x, s.y) for s in state.spots if s.intensity > 0]
    return [(p.x(), p.y()) for p in points]


def drawn_xy(screen: AttentionScreen) -> list[tuple[float, float]]:
    glows = screen.body.drawn_spotlight
    assert glows
    return [(glow.x, glow.y) for glow in glows]


def moved_px(before: list[tuple[float, float]], after: list[tuple[float, float]]) -> float:
    """How far the light moved between two frames: the furthest any spot is from the nearest
    spot of the other frame (spots appear and go where others are, so this is small unless
    the light jumps)."""
    return max(
        max(min(math.dist(a, b) for b in before) for a in after),
        max(min(math.dist(a, b) for b in after) for a in before),
    )


# -- a whole exercise, every one shipped ------------------------------------------------------


def test_the_counts_round_up_at_fractional_times(make, clock, ticker):
    """Between whole seconds a count shows the second still under way, never one less."""
    screen, session, _ = make("somatic-tracking", minutes=3)
    assert session.plan.planned_s == 180.0
    frame(clock, ticker, 0.4)  # 2.6 s of the lead-in left
    assert screen.status.text() == "Starting in 3"
    frame(clock, ticker, 1.0)
    assert screen.status.text() == "Starting in 2"
    frame(clock, ticker, 1.6 + 1.3)  # 178.7 s of practice left
    assert screen.time_left.text() == "2:59 left"
    assert screen.ring.accessibleName() == "Time left: 2:59"
    frame(clock, ticker, 0.5)  # 178.2 s
    assert screen.time_left.text() == "2:59 left"
    frame(clock, ticker, 0.3)  # 177.9 s
    assert screen.time_left.text() == "2:58 left"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.id for s in SCRIPTS])
def test_each_exercise_runs_from_get_ready_to_the_after_ratings(
    qtbot, make, clock, ticker, script, engine, preferences
):
    preferences.values["speak_prompts"] = "on"
    screen, session, steps = make(script, pain=("left_shoulder",), comfort=("left_foot",))
    assert screen.prompt.text() == LEAD_IN_WORD
    assert screen.status.text() == "Starting in 3"
    assert not screen.skip_button.isEnabled()
    frame(clock, ticker, 1.0)
    assert screen.status.text() == "Starting in 2"
    frame(clock, ticker, 2.0)  # the lead-in is over: the first prompt begins
    seen_counts: dict[int, list[int]] = {}
    frames = 0
    while not session.closing:
        practice_s = session.practice_s
        index = step_at(steps, practice_s)
        step = steps[index]
        # The prompt on show is the step's, from its first frame to its last.
        assert screen.step_index == index
        assert screen.prompt.text() == step.text, f"at {practice_s} s"
        assert screen.prompt.opacity == pytest.approx(fade_at(step, practice_s), abs=1 / 64)
        # The spotlight is drawn where the pure function puts it.
        drawn, expected = drawn_xy(screen), expected_glows(screen, steps, practice_s)
        assert len(drawn) == len(expected)
        assert all(math.dist(a, b) <= 0.08 for a, b in zip(drawn, expected, strict=True))
        # The count and its pacer only while counting.
        assert screen.counter.isVisible() is step.counting
        if step.counting:
            seen_counts.setdefault(index, []).append(int(screen.counter.number.text()))
        assert screen.time_left.text() == time_left_text(session.remaining_s)
        assert screen.ring.share_left == pytest.approx(
            session.remaining_s / session.plan.planned_s, abs=1 / 720
        )
        frame(clock, ticker, FRAME_S)
        frames += 1
    assert frames == pytest.approx(session.plan.planned_s / FRAME_S, abs=1)
    assert screen.prompt.text() == CLOSE_WORD
    assert screen.status.text() == CLOSE_LINE
    assert not screen.counter.isVisible()
    for index, counts in seen_counts.items():
        distinct = [c for i, c in enumerate(counts) if i == 0 or counts[i - 1] != c]
        assert distinct == [n % 10 + 1 for n in range(len(distinct))]  # 1, 2, ... 10, 1, ...
        assert len(distinct) >= steps[index].length_s // 10
    if any(s.counting for s in steps):
        assert any(len(c) and max(c) == 10 for c in seen_counts.values())
    # Every prompt was spoken once, in order, and the close too (by the worker, a moment later).
    spoken = [s.text for s in steps] + [f"{CLOSE_WORD}. {CLOSE_LINE}"]
    qtbot.waitUntil(lambda: engine.said == spoken)
    frame(clock, ticker, 4.0)
    assert session.state is SessionState.RATE_AFTER
    assert session.status is SessionStatus.COMPLETED
    assert not ticker.is_running()


# -- skip, pause, end ------------------------------------------------------------------------------


def test_skip_moves_on_to_the_next_prompt_and_is_not_counted_as_practice(
    make, clock, ticker, press
):
    screen, session, steps = make()
    frame(clock, ticker, 3.0 + 2.0)
    assert screen.prompt.text() == steps[0].text
    press(Qt.Key.Key_N)
    assert session.practice_s == pytest.approx(steps[1].start_s)
    assert screen.prompt.text() == steps[1].text
    assert screen.prompt.opacity == 0.0  # the new prompt fades in
    frame(clock, ticker, 1.0)
    assert screen.prompt.opacity == 1.0
    press(Qt.Key.Key_Right)
    assert screen.prompt.text() == steps[2].text
    assert session.skipped_s == pytest.approx(steps[2].start_s - 3.0)
    assert session.practised_s == pytest.approx(3.0)
    for _ in range(len(steps)):
        screen.skip_button.click()
    assert session.closing
    assert screen.prompt.text() == CLOSE_WORD
    assert not screen.skip_button.isEnabled()


def test_skip_does_nothing_during_get_ready(make, clock, ticker, press):
    screen, session, _ = make()
    frame(clock, ticker, 1.0)
    press(Qt.Key.Key_N)
    assert session.practice_s == 0.0
    assert screen.prompt.text() == LEAD_IN_WORD


def test_pause_freezes_the_spotlight_and_resume_carries_on_without_a_jump(
    make, clock, ticker, press
):
    screen, session, steps = make("body-scan")
    sweep = next(s for s in steps if s.spotlight == "sweep")
    frame(clock, ticker, 3.0 + sweep.start_s + 3.0)
    trail = [drawn_xy(screen)]
    for _ in range(30):
        frame(clock, ticker, 1 / 60)
        trail.append(drawn_xy(screen))
    press(Qt.Key.Key_Space)
    assert session.state is SessionState.PAUSED
    assert screen.status.text() == PAUSED_LINE
    frozen, practice_s = drawn_xy(screen), session.practice_s
    for _ in range(10):
        frame(clock, ticker, 5.0)  # the ticker is stopped: nothing moves
    screen.refresh()
    QApplication.processEvents()
    assert drawn_xy(screen) == frozen
    assert session.practice_s == practice_s
    press(Qt.Key.Key_Space)
    assert screen.status.text() == ""
    for _ in range(30):
        frame(clock, ticker, 1 / 60)
        trail.append(drawn_xy(screen))
    steps_px = [moved_px(a, b) for a, b in itertools.pairwise(trail)]
    assert max(steps_px) < 3.0  # a smooth glide, and no leap at the resume
    assert session.practice_s == pytest.approx(practice_s + 0.5)


def test_end_asks_first_and_keeps_going_if_the_answer_is_no(make, clock, ticker, dialogs, press):
    _screen, session, _ = make()
    frame(clock, ticker, 10.0)
    dialogs.confirm_answer = False
    press(Qt.Key.Key_Escape)
    assert dialogs.confirms == ["End this exercise?"]
    assert session.state is SessionState.RUNNING
    dialogs.confirm_answer = True
    press(Qt.Key.Key_Escape)
    assert session.state is SessionState.RATE_AFTER
    assert session.status is SessionStatus.ENDED_EARLY


def test_end_during_the_close_does_not_ask(make, clock, ticker, dialogs, press):
    _screen, session, _ = make()
    frame(clock, ticker, 3.0 + session.plan.planned_s + 1.0)
    assert session.closing
    press(Qt.Key.Key_Escape)
    assert dialogs.confirms == []
    assert session.status is SessionStatus.COMPLETED


# -- large text ------------------------------------------------------------------------------------


def test_large_text_makes_the_prompt_and_count_much_bigger_and_is_remembered(
    make, clock, ticker, preferences, press
):
    screen, _session, steps = make("breath-counting", size=(960, 720))
    counting = next(s for s in steps if s.counting)
    frame(clock, ticker, 3.0 + counting.start_s + 5.0)
    prompt_pt = screen.prompt.prompt_font().pointSizeF()
    count_pt = screen.counter.number.font().pointSizeF()
    press(Qt.Key.Key_L)
    assert screen.large_text
    assert screen.large_button.isChecked()
    assert preferences.values["large_text"] == "on"
    QApplication.processEvents()
    assert screen.prompt.prompt_font().pointSizeF() > 1.3 * prompt_pt
    assert screen.counter.number.font().pointSizeF() > 1.5 * count_pt
    again, *_ = make("breath-counting")
    assert again.large_text
    press(Qt.Key.Key_L)
    assert preferences.values["large_text"] == "off"


@pytest.mark.parametrize("size", [(800, 600), (640, 480)])
@pytest.mark.parametrize("large", [False, True])
def test_the_screen_fits_small_windows_and_the_longest_prompt_fits_in_it(
    make, clock, ticker, preferences, size, large
):
    preferences.values["large_text"] = "on" if large else "off"
    screen, _session, steps = make("breath-counting", size=size)
    assert screen.size().toTuple() == size
    frame(clock, ticker, 3.0 + 1.0)
    prompt = screen.prompt
    longest = max((s.text for s in steps), key=len)
    needed = needed_size(prompt.prompt_font(), prompt.width() - 8, [longest])
    assert needed.height() <= prompt.height()
    assert screen.body.height() >= 120
    for button in (screen.pause_button, screen.skip_button, screen.end_button):
        assert button.isVisible()
        assert button.geometry().bottom() < size[1]


# -- spoken prompts --------------------------------------------------------------------------------
# The engine runs in a worker thread: what it was asked is read once the worker has answered.


def settled(qtbot, screen: AttentionScreen) -> None:
    """Wait until the speech worker owes no answer and no prompt is under way."""
    qtbot.waitUntil(lambda: not screen.speech.waiting, timeout=3000)


def test_speak_prompts_is_off_by_default_then_t_speaks_the_prompt_on_show(
    qtbot, make, clock, ticker, engine, preferences, press, sound
):
    screen, _session, steps = make()
    frame(clock, ticker, 3.0 + 1.0)
    assert engine.said == []
    press(Qt.Key.Key_T)
    assert preferences.values["speak_prompts"] == "on"
    qtbot.waitUntil(lambda: engine.said == [steps[0].text])
    frame(clock, ticker, steps[1].start_s - 1.0)
    qtbot.waitUntil(lambda: engine.said == [steps[0].text, steps[1].text])
    frame(clock, ticker, 1.0)
    settled(qtbot, screen)
    assert engine.said == [steps[0].text, steps[1].text]  # once each
    stops = engine.stops
    press(Qt.Key.Key_T)
    assert preferences.values["speak_prompts"] == "off"
    qtbot.waitUntil(lambda: engine.stops > stops)
    assert sound.calls == 0  # the voice works: no chime
    assert all(thread is not threading.main_thread() for thread in engine.threads)


def test_pausing_stops_the_voice_and_a_prompt_skipped_to_while_paused_is_said_on_resume(
    qtbot, make, clock, ticker, engine, preferences, press
):
    preferences.values["speak_prompts"] = "on"
    screen, _session, steps = make()
    frame(clock, ticker, 3.0 + 1.0)
    qtbot.waitUntil(lambda: engine.said == [steps[0].text])
    settled(qtbot, screen)
    stops = engine.stops
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: engine.stops > stops)
    press(Qt.Key.Key_N)
    settled(qtbot, screen)
    assert engine.said == [steps[0].text]
    press(Qt.Key.Key_Space)
    frame(clock, ticker, 0.1)
    qtbot.waitUntil(lambda: engine.said == [steps[0].text, steps[1].text])


def test_switching_speech_on_just_before_a_prompt_changes_plays_no_fragment(
    qtbot, make, clock, ticker, engine, press
):
    screen, _session, steps = make()
    frame(clock, ticker, 3.0 + steps[1].start_s - 1.0)  # a second before the second prompt
    press(Qt.Key.Key_T)
    frame(clock, ticker, 0.5)
    settled(qtbot, screen)
    assert engine.said == []  # the first prompt would be cut off after a word or two
    frame(clock, ticker, 0.5)
    qtbot.waitUntil(lambda: engine.said == [steps[1].text])  # the next one, whole, at its step
    press(Qt.Key.Key_T)
    frame(clock, ticker, steps[2].start_s - steps[1].start_s - 0.5)
    press(Qt.Key.Key_T)  # off and on again just before the change: nothing until the change
    settled(qtbot, screen)
    assert engine.said == [steps[1].text]
    frame(clock, ticker, 0.5)
    qtbot.waitUntil(lambda: engine.said == [steps[1].text, steps[2].text])


def test_the_voice_follows_the_sound_volume_with_headroom(
    qtbot, make, clock, ticker, engine, preferences
):
    preferences.values["speak_prompts"] = "on"
    preferences.values["sound_volume"] = "50"
    screen, session, steps = make()
    qtbot.waitUntil(lambda: engine.volume == pytest.approx(0.1423, abs=1e-4))  # 20 dB range: -10 dB
    preferences.values["sound_volume"] = "100"
    session.end_early()
    screen.begin(make_session(clock, "somatic-tracking"), steps)
    qtbot.waitUntil(lambda: engine.volume == pytest.approx(0.45))  # never so loud it clips
    preferences.values["sound_volume"] = "0"
    screen.begin(make_session(clock, "somatic-tracking"), steps)
    qtbot.waitUntil(lambda: engine.volume == 0.0)


def test_without_a_voice_each_new_prompt_gets_a_chime_and_a_note_says_so_once(
    qtbot, make, clock, ticker, preferences, sound
):
    preferences.values["speak_prompts"] = "on"
    factory = EngineFactory(None)
    screen, _session, steps = make(speech=factory)
    said = []
    screen.speech.unavailable.connect(said.append)
    qtbot.waitUntil(screen.note.isVisible)
    assert screen.note.accessibleName().startswith("Spoken prompts unavailable")
    assert "chime" in screen.note.accessibleName()
    frame(clock, ticker, 3.0)
    frame(clock, ticker, steps[1].start_s)
    frame(clock, ticker, steps[2].start_s - steps[1].start_s)
    assert screen.prompt.text() == steps[2].text
    assert len(sound.output.played) == 3  # the first three prompts
    assert all(not replace for _, replace in sound.output.played)
    assert factory.calls == 1  # looked for once
    assert len(said) <= 1  # said once (here or before the test listened), and not again


def test_a_voice_that_fails_mid_way_falls_back_to_the_chime(
    qtbot, make, clock, ticker, engine, preferences, sound
):
    preferences.values["speak_prompts"] = "on"
    screen, _session, steps = make()
    frame(clock, ticker, 3.0)
    qtbot.waitUntil(lambda: engine.said == [steps[0].text])
    engine.fail_on_say = True
    frame(clock, ticker, steps[1].start_s)
    qtbot.waitUntil(screen.note.isVisible)
    assert engine.said == [steps[0].text, steps[1].text]
    assert len(sound.output.played) == 1  # the failed prompt is chimed instead
    frame(clock, ticker, steps[2].start_s - steps[1].start_s)
    assert len(engine.said) == 2
    assert len(sound.output.played) == 2


def test_a_voice_that_hangs_never_stops_the_window_and_the_chime_takes_over(
    qtbot, make, clock, ticker, engine, preferences, sound, monkeypatch
):
    monkeypatch.setattr(speech_module, "START_BOUND_S", 0.3)
    monkeypatch.setattr(speech_module, "ANSWER_BOUND_S", 0.3)
    preferences.values["speak_prompts"] = "on"
    screen, _session, steps = make()
    engine.hold_on = steps[1].text  # the engine will not return from saying the second prompt
    frame(clock, ticker, 3.0)
    qtbot.waitUntil(lambda: engine.said == [steps[0].text])
    frames = []
    timer = QTimer()
    timer.timeout.connect(lambda: frames.append(time.monotonic()))
    timer.start(10)
    started = time.monotonic()
    frame(clock, ticker, steps[1].start_s)  # the window asks, and carries on at once
    assert time.monotonic() - started < 0.3
    try:
        qtbot.waitUntil(screen.note.isVisible, timeout=3000)
        gave_up_s = time.monotonic() - started
        assert engine.said == [steps[0].text, steps[1].text]  # it is still stuck in say()
        assert not engine.release.is_set()
        assert gave_up_s < 0.3 + 0.3 + 1.0  # within its bounds (and some slack for a busy CPU)
        assert len(frames) >= 10  # the window went on with its frames all the while
        assert screen.note.accessibleName() == (
            "Spoken prompts unavailable: the speech engine stopped answering; "
            "a soft chime marks each step instead."
        )
        assert len(sound.output.played) == 1  # the prompt never heard is chimed
        assert preferences.values["speech_hung"] == "on"  # remembered for the next start
        frame(clock, ticker, steps[2].start_s - steps[1].start_s)
        assert len(sound.output.played) == 2  # the rest of the session is chimed
        assert engine.said == [steps[0].text, steps[1].text]
    finally:
        timer.stop()
        engine.release.set()


def test_after_a_hang_the_next_start_chimes_without_touching_the_engine_and_says_why(
    qtbot, make, clock, ticker, engine, preferences, sound, press
):
    preferences.values["speak_prompts"] = "on"
    preferences.values["speech_hung"] = "on"
    factory = EngineFactory(engine)
    screen, _session, steps = make(speech=factory)
    assert screen.note.isVisible()
    assert "stopped answering last time" in screen.note.accessibleName()
    assert "press T twice" in screen.note.accessibleName()
    frame(clock, ticker, 3.0)
    frame(clock, ticker, steps[1].start_s)
    assert len(sound.output.played) == 2  # each prompt chimed
    assert factory.calls == 0  # no engine, no worker
    assert engine.said == []
    assert screen.speech.waiting is False
    press(Qt.Key.Key_T)
    press(Qt.Key.Key_T)  # asked for again: a fresh worker, which cannot freeze the window
    assert preferences.values["speech_hung"] == "off"
    assert not screen.note.isVisible()
    qtbot.waitUntil(lambda: engine.said == [steps[1].text])  # the prompt just begun, whole
    frame(clock, ticker, steps[2].start_s - steps[1].start_s)
    qtbot.waitUntil(lambda: engine.said == [steps[1].text, steps[2].text])
    assert factory.calls == 1


def test_no_voice_and_no_sound_still_runs_the_exercise_in_text(
    qtbot, make, clock, ticker, preferences
):
    preferences.values["speak_prompts"] = "on"

    def no_sound(rate: int):
        raise SoundUnavailableError("no speakers or headphones were found")

    screen, session, steps = make(speech=EngineFactory(None), sound_factory=no_sound)
    frame(clock, ticker, 3.0)
    frame(clock, ticker, steps[1].start_s)
    assert screen.prompt.text() == steps[1].text
    qtbot.waitUntil(lambda: "shown as text" in screen.note.accessibleName())
    frame(clock, ticker, session.plan.planned_s + 5.0)
    assert session.state is SessionState.RATE_AFTER


def test_the_chime_comes_back_at_the_next_exercise_when_sound_does(
    qtbot, make, clock, ticker, preferences
):
    """No voice, and the sound server down: prompts are text. Once it is back, the next
    exercise chimes again without a restart, and the note says so."""
    preferences.values["speak_prompts"] = "on"
    server = {"up": False}
    speakers = Factory()

    def sound_factory(rate: int):
        if not server["up"]:
            raise SoundUnavailableError("no speakers or headphones were found")
        return speakers(rate)

    screen, session, steps = make(speech=EngineFactory(None), sound_factory=sound_factory)
    frame(clock, ticker, 3.0)
    qtbot.waitUntil(lambda: "shown as text" in screen.note.accessibleName())
    session.end_early()
    server["up"] = True
    again = Session(
        session.plan,
        clock=clock,
        utc_now=lambda: datetime(2026, 3, 1, tzinfo=UTC),
        recorder=Recorder(),
        profile_id=1,
    )
    again.confirm_before(None, None)
    screen.begin(again, steps)
    assert screen.chime.available
    assert "chime" in screen.note.accessibleName()
    frame(clock, ticker, 3.0)
    frame(clock, ticker, 0.25)
    qtbot.waitUntil(lambda: len(speakers.output.played) == 1)  # the first prompt's chime


# -- the breath-counting pacer ---------------------------------------------------------------------


def test_the_breath_counting_pacer_is_centred_and_grows_with_the_screen(make, clock, ticker):
    sides = []
    for size in ((1024, 600), (1920, 1080)):
        screen, _session, steps = make("breath-counting", size=size)
        counting = next(s for s in steps if s.counting)
        frame(clock, ticker, 3.0 + counting.start_s + 5.0)
        counter = screen.counter
        assert counter.isVisible()
        pacer = counter.pacer
        side = min(pacer.width(), pacer.height())
        # Not a small circle in a corner: a real share of the window, centred under the count.
        assert side >= 0.3 * size[1], (size, side)
        pacer_x = pacer.mapTo(screen, pacer.rect().center()).x()
        number_x = counter.number.mapTo(screen, counter.number.rect().center()).x()
        assert abs(pacer_x - number_x) <= 2
        middle = pacer.mapTo(counter, pacer.rect().center())
        assert abs(middle.x() - counter.width() / 2) <= 2
        sides.append(side)
        screen.close()
    assert sides[1] > 1.5 * sides[0]
