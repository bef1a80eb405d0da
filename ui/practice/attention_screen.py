"""The guided attention screen: a soft spotlight moving over the body map, the prompt of the
moment fading in and out, a ring showing the time left, and for breath counting a big count
beside a small breathing pacer.

Everything on it is a pure function of the session's practice time (the spotlight, the prompt
and its fade, the count), read once a frame from the shared frame ticker; so a pause freezes it
all and resuming carries on with no jump. Prompts can be spoken (T) where the system has a
speech engine, or else marked by a soft chime; large text (L) is for showing a patient across a
room. Space pauses, N or the Right arrow skips to the next prompt, Esc ends.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from trainer.app.frame import attention_frame, skip_prompt
from trainer.app.profile import Change, ProfileInUse, screen_preferences
from trainer.app.settings import (
    LARGE_TEXT,
    REDUCED_MOTION,
    SOUND_VOLUME,
    SPEAK_PROMPTS,
    SPEECH_HUNG,
    Preferences,
    read_setting,
)
from trainer.app.words import (
    ATTENTION_CLOSE_LINE,
    CLOSE_WORD,
    LEAD_IN_WORD,
    PAUSE_KEY,
    PAUSE_LABEL,
    RESUME_LABEL,
    SPOTLIGHT_MAP_NAME,
    TIME_LEFT_NAME,
    countdown_text,
)
from trainer.content.audio import chime_stream
from trainer.content.bodymap import BodyMap
from trainer.content.scripts import Step
from trainer.content.spotlight import CALM_BREATH, spotlight_at
from trainer.session.machine import Session, SessionState
from ui.common.kept_settings import KeptSettings
from ui.common.keys import KeysDialog, key_tip, open_keys, question_key
from ui.common.screen_keys import ATTENTION_KEYS, keys_sentence
from ui.common.sound import CueOutputOwner, OutputFactory, SoundUnavailableError
from ui.common.speech import HUNG_REASON, EngineFactory, Speech, speaking_s, speech_volume
from ui.common.theme import current_theme, muted, scaled_font, screen_layout
from ui.common.ticker import FrameTicker, ManualTicker
from ui.practice.controls import end_after_asking, show_run_state, toggle_pause
from ui.widgets.body_map import BodyMapView
from ui.widgets.elided import ElidedLabel
from ui.widgets.fading_text import SHRINK, FadingText, needed_size
from ui.widgets.pacer import CirclePacer

__all__ = ["AttentionScreen", "BreathCounter", "ProgressRing", "PromptChime", "PromptView"]

_log = logging.getLogger(__name__)

PROMPT_FACTOR: Final = {False: 1.6, True: 3.0}  # the prompt's largest type, x the base font
COUNT_FACTOR: Final = {False: 3.4, True: 6.0}
MIN_PROMPT_FACTOR: Final = 1.05  # the prompt shrinks to fit a small window, not below this
PROMPT_CHIME_HZ: Final = 554.37  # C#5: the middle note of the breathing chimes
PROMPT_CHIME_VOLUME: Final = 0.45
HUNG_BEFORE_REASON: Final = "the speech engine stopped answering last time"


class PromptView(FadingText):
    """A prompt in large type, word-wrapped and centred, drawn at an opacity (for the fade).

    The type is the largest (up to the chosen size) at which the longest text it will show fits,
    so every prompt of an exercise has the same size and none is cut off in a small window.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Prompt", parent)
        self._factor = PROMPT_FACTOR[False]
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_factor(self, factor: float) -> None:
        """The largest type, as a multiple of the base font (large text for across a room)."""
        self._factor = factor
        self.refit()

    def prompt_font(self) -> QFont:
        """The font the prompts are drawn in at the current size."""
        return self.fitted_font()

    def text_area(self) -> QRectF:
        return QRectF(self.rect()).adjusted(4, 2, -4, -2)

    def fit(self) -> QFont:
        factor = self._factor
        while True:
            font = scaled_font(self, factor)
            if self.fits(font) or factor <= MIN_PROMPT_FACTOR:
                return font
            factor = max(MIN_PROMPT_FACTOR, factor * SHRINK)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        """The height the longest prompt needs at full size when ``width`` wide."""
        needed = needed_size(scaled_font(self, self._factor), width - 8, self.texts())
        return max(self.minimumSizeHint().height(), needed.height() + 4)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self.refit()

    def sizeHint(self) -> QSize:
        return QSize(600, self.heightForWidth(600))

    def minimumSizeHint(self) -> QSize:
        line = QFontMetricsF(scaled_font(self, MIN_PROMPT_FACTOR)).lineSpacing()
        return QSize(200, math.ceil(3 * line + 4))

    def paintEvent(self, event: QPaintEvent) -> None:
        self.paint_text(QColor(current_theme().text))


class ProgressRing(QWidget):
    """A small ring whose accent arc shows the share of the time still to go."""

    STEPS: Final = 720  # the arc is redrawn when it changes by half a degree

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._left = 1.0
        side = max(28, round(QFontMetricsF(self.font()).height() * 2.2))
        self.setFixedSize(side, side)
        self.setAccessibleName(TIME_LEFT_NAME)

    @property
    def share_left(self) -> float:
        """The share of the practice still to come, 0..1 (as drawn)."""
        return self._left

    def set_share_left(self, share: float) -> None:
        """Show ``share`` of the time left (a repaint only when the arc visibly moves)."""
        stepped = round(max(0.0, min(1.0, share)) * self.STEPS) / self.STEPS
        if stepped != self._left:
            self._left = stepped
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        theme = current_theme()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = max(3.0, self.width() * 0.12)
        box = QRectF(self.rect()).adjusted(
            width / 2 + 1, width / 2 + 1, -width / 2 - 1, -width / 2 - 1
        )
        painter.setPen(QPen(QColor(theme.pacer_guide), width))
        painter.drawEllipse(box)
        if self._left > 0:
            pen = QPen(QColor(theme.accent), width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            # From 12 o'clock, clockwise, as much of the circle as there is time left.
            painter.drawArc(box, 90 * 16, -round(self._left * 360 * 16))


class BreathCounter(QWidget):
    """The breath count 1..10 in big type over a breathing pacer that follows the calm breath.

    The pacer is a proper one, centred and as large as the room beside the map allows (never a
    small circle in a corner); with large text the count stands beside it instead of above.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = QLabel()
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setAccessibleName("Breath count")
        self.pacer = CirclePacer()
        self.caption = QLabel("Count each breath\nfrom 1 to 10")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        muted(self.caption)
        # The number above the pacer; side by side when large (the map has less height then).
        self._pair = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._pair.setSpacing(6)
        self._pair.addWidget(self.number, 0, Qt.AlignmentFlag.AlignCenter)
        self._pair.addWidget(self.pacer, 1)  # the pacer takes all the room there is
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._pair, 1)
        layout.addWidget(self.caption, 0, Qt.AlignmentFlag.AlignHCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.set_large(False)

    def set_large(self, large: bool) -> None:
        """Bigger for showing across a room (the caption goes: the prompt says it too)."""
        font = scaled_font(self, COUNT_FACTOR[large], bold=True)
        self.number.setFont(font)
        metrics = QFontMetricsF(font)
        self.number.setMinimumWidth(math.ceil(metrics.horizontalAdvance("10") + 8))
        line = QFontMetricsF(self.font()).height()
        self.pacer.setMinimumSize(round(line * 6), round(line * 6))
        self._pair.setDirection(
            QBoxLayout.Direction.LeftToRight if large else QBoxLayout.Direction.TopToBottom
        )
        self.caption.setVisible(not large)

    def sizeHint(self) -> QSize:
        line = QFontMetricsF(self.font()).height()
        return QSize(round(line * 18), round(line * 18))

    def show_count(self, count: int, practice_s: float) -> None:
        """Show breath ``count`` and the pacer at ``practice_s`` of the calm breath."""
        text = str(count)
        if text != self.number.text():
            self.number.setText(text)
            self.number.setAccessibleName(f"Breath count: {count}")
        self.pacer.show_state(CALM_BREATH.state_at(practice_s), practice_s)


class PromptChime(CueOutputOwner):
    """A soft chime for each new prompt when prompts cannot be spoken.

    The output is made on first use, and a failure is said once through ``unavailable`` (with
    the reason) and never raised.
    """

    def play(self) -> None:
        """Ring the chime once (nothing happens once sound has failed)."""
        try:
            output = self._ensure_output()
            if output is None:
                return
            failure = output.poll()
            if failure:
                raise SoundUnavailableError(failure)
            stream = chime_stream(
                PROMPT_CHIME_HZ, volume=PROMPT_CHIME_VOLUME, sample_rate=self.sample_rate
            )
            output.play(stream, replace=False)
        except SoundUnavailableError as error:
            self._give_up(str(error))
        except Exception:  # a sound fault must never end an exercise
            _log.exception("the prompt chime failed")
            self._give_up("the sound stopped working")

    def stop(self) -> None:
        """Let a sounding chime fade out, then let go of the output (the next chime reopens it)."""
        if self._output is not None:
            self._output.fade_out()
            self._output.close()  # else the device stays awake until a minute of silence


class AttentionScreen(QWidget):
    """Shows a running guided attention exercise, frame by frame from the session's clock."""

    def __init__(
        self,
        ticker: FrameTicker | ManualTicker,
        body_map: BodyMap,
        parent: QWidget | None = None,
        *,
        preferences: Preferences | None = None,
        profile: ProfileInUse | None = None,
        speech_factory: EngineFactory | None = None,
        sound_output_factory: OutputFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self._ticker = ticker
        self._profile = profile
        self._preferences = screen_preferences(profile, preferences, self._on_profile_changed)
        self.kept = KeptSettings(self)  # choices made while a pacer runs: never waited for
        self._session: Session | None = None
        self._steps: tuple[Step, ...] = ()
        self._planned_s = 1.0
        self._step_index: int | None = None
        self._announced: int | str | None = None  # the step index (or "close") last spoken
        self._joining = False  # speech just switched on: say the prompt on show only if time allows
        self._left_shown = ""
        ticker.tick.connect(self.on_tick)

        self._title = ElidedLabel()
        self.ring = ProgressRing()
        self.time_left = QLabel()
        self.time_left.setAccessibleName(TIME_LEFT_NAME)
        self.body = BodyMapView(body_map, interactive=False)
        self.body.setAccessibleName(SPOTLIGHT_MAP_NAME)
        self.counter = BreathCounter()
        policy = self.counter.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the map never shifts when the count comes and goes
        self.counter.setSizePolicy(policy)
        middle = QHBoxLayout()
        middle.addWidget(self.body, 3)
        middle.addWidget(self.counter, 2)  # a pacer sized with the screen, beside the map

        self.prompt = PromptView()
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setAccessibleName("Status")
        muted(self.status)

        self.pause_button = self._button(
            PAUSE_LABEL, self.toggle_pause, widest=max(PAUSE_LABEL, RESUME_LABEL, key=len)
        )
        key_tip(self.pause_button, PAUSE_LABEL, PAUSE_KEY)
        self.skip_button = self._button("Skip prompt", self.skip)
        key_tip(self.skip_button, "Move on to the next prompt", "N or the Right arrow")
        self.end_button = self._button("End", self.end)
        key_tip(self.end_button, "End the exercise early (asks first)", "Esc")
        self.large_button = self._button("Large text", self._on_large_clicked, option=True)
        key_tip(self.large_button, "Much larger words, for reading across a room", "L")
        self.speak_button = self._button("Speak prompts", self._on_speak_clicked, option=True)
        key_tip(
            self.speak_button,
            "Read each prompt aloud (where there is no voice, a soft chime marks each prompt)",
            "T",
        )
        # The options sit up top with the time; the three actions along the bottom.
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self._title, 1)
        top.addWidget(self.large_button)
        top.addWidget(self.speak_button)
        top.addSpacing(10)
        top.addWidget(self.ring)
        top.addWidget(self.time_left)
        self._controls = QHBoxLayout()
        self._controls.addStretch(1)
        for button in (self.pause_button, self.skip_button, self.end_button):
            self._controls.addWidget(button)
        self._controls.addStretch(1)

        self.note = ElidedLabel()
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        muted(self.note)
        self.note.hide()

        layout = screen_layout(self)
        layout.setContentsMargins(32, 16, 32, 16)  # the same sides as every screen
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.prompt)
        layout.addWidget(self.status)
        layout.addLayout(self._controls)
        layout.addWidget(self.note)

        self.speech = Speech(self, engine_factory=speech_factory)
        self.speech.unavailable.connect(self._on_speech_unavailable)
        self.speech.not_heard.connect(self._on_not_heard)
        self.speech.hung.connect(self._on_speech_hung)
        self.chime = PromptChime(self, output_factory=sound_output_factory)
        self.chime.unavailable.connect(self._on_chime_unavailable)

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Attention practice")
        self.setAccessibleDescription(keys_sentence(ATTENTION_KEYS[1]))
        self.keys_dialog: KeysDialog | None = None
        question_key(self, self.show_keys)
        self._large = False
        self.set_large_text(read_setting(self._preferences, LARGE_TEXT), remember=False)
        self.speak_button.setChecked(read_setting(self._preferences, SPEAK_PROMPTS))
        self._set_fonts()
        self.counter.hide()
        self._still = False
        self._read_reduced_motion()

    def _button(
        self, text: str, slot: object, *, option: bool = False, widest: str = ""
    ) -> QPushButton:
        """A button at least as wide as ``text`` (or ``widest``, the longest it will say) in
        bold, so it never changes width."""
        button = QPushButton(text)
        padding = 24 if option else 36
        if option:  # the options share the top row with the title: a little slimmer
            button.setCheckable(True)
            button.setStyleSheet("QPushButton { padding: 4px 10px; }")
        bold = QFont(button.font())
        bold.setBold(True)  # a checked button is bold: leave it room
        button.setMinimumWidth(
            math.ceil(QFontMetricsF(bold).horizontalAdvance(widest or text)) + padding
        )
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(slot)
        return button

    # -- fitting the window -----------------------------------------------------------------------

    def _set_fonts(self) -> None:
        self._title.setFont(scaled_font(self, 1.2, bold=True))
        self.time_left.setFont(scaled_font(self, 1.1))
        self.status.setFont(scaled_font(self, 1.1))
        self.status.setMinimumHeight(math.ceil(QFontMetricsF(self.status.font()).lineSpacing()))

    # -- options ----------------------------------------------------------------------------------

    @property
    def large_text(self) -> bool:
        """Whether the prompt and the count are drawn much larger."""
        return self._large

    def set_large_text(self, on: bool, *, remember: bool = True) -> None:
        """Much larger prompt and count (for a clinician showing a patient across a room)."""
        self._large = on
        self.large_button.setChecked(on)
        self.prompt.set_factor(PROMPT_FACTOR[on])
        self.counter.set_large(on)
        if remember:
            self.kept.write(self._preferences, LARGE_TEXT, on)

    def _on_large_clicked(self) -> None:
        self.set_large_text(self.large_button.isChecked())

    @property
    def speak_prompts(self) -> bool:
        """Whether new prompts are spoken (or chimed, where no voice is available)."""
        return self.speak_button.isChecked()

    def set_speak_prompts(self, on: bool) -> None:
        """Speak each new prompt from now on (the one on show is spoken at once), or stop."""
        self.speak_button.setChecked(on)
        self.kept.write(self._preferences, SPEAK_PROMPTS, on)
        if on:
            if not self.speech.available:  # asked for anew: try a fresh worker (it cannot freeze)
                self.kept.write(self._preferences, SPEECH_HUNG, False)
                self.speech.retry()
                self.note.hide()
            self._announced = None  # the prompt on show is said on the next running frame
            self._joining = True
            self.refresh()
        else:
            self.speech.stop()

    def _on_speak_clicked(self) -> None:
        self.set_speak_prompts(self.speak_button.isChecked())

    def _on_speech_unavailable(self, message: str) -> None:
        self._show_note()

    def _on_not_heard(self) -> None:
        if self.speak_prompts:
            self.chime.play()  # the prompt the voice never started: a chime marks it instead

    def _on_speech_hung(self) -> None:
        self.kept.write(self._preferences, SPEECH_HUNG, True)  # no waiting on it at the next start

    def _on_chime_unavailable(self, reason: str) -> None:
        self._show_note()

    def _show_note(self) -> None:
        """Say once, quietly, that prompts cannot be spoken (and what happens instead)."""
        if self.speech.unavailable_reason == "":
            return
        reason = self.speech.unavailable_reason
        if reason == HUNG_BEFORE_REASON:
            text = (
                "The speech engine stopped answering last time, so a soft chime marks each step;"
                " press T twice to try the voice again."
            )
        elif reason == HUNG_REASON and self.chime.available:
            text = (
                "Spoken prompts unavailable: the speech engine stopped answering;"
                " a soft chime marks each step instead."
            )
        elif self.chime.available:
            text = "Spoken prompts unavailable here: a soft chime marks each new prompt instead."
        else:
            text = "Spoken prompts unavailable here: the prompts are shown as text."
        self.note.set_full_text(text)
        sound = self.chime.unavailable_reason
        self.note.setToolTip(
            self.speech.unavailable_message + (f" Sound unavailable: {sound}." if sound else "")
        )
        self.note.show()

    # -- the session ------------------------------------------------------------------------------

    @property
    def session(self) -> Session | None:
        """The session on screen, if any."""
        return self._session

    @property
    def steps(self) -> tuple[Step, ...]:
        """The resolved steps being followed."""
        return self._steps

    @property
    def step_index(self) -> int | None:
        """The step whose prompt is on show (``None`` before the first or after the last)."""
        return self._step_index

    @property
    def reduced_motion(self) -> bool:
        """Whether nothing changes size with the breath (the light and the small pacer only
        brighten and fade)."""
        return self._still

    def _on_profile_changed(self, change: Change) -> None:
        if change is Change.SETTINGS and self._profile is not None:
            self.set_reduced_motion(self._profile.settings().reduced_motion)
            self._read_volume()

    def _read_volume(self) -> None:
        """The voice follows the sound volume (with headroom, so it never clips)."""
        self.speech.set_volume(speech_volume(read_setting(self._preferences, SOUND_VOLUME)))

    def set_reduced_motion(self, on: bool) -> None:
        """Pulse the spotlight and the breath-counting pacer in brightness only (on), or in size
        and brightness (off). The choice itself is the settings' to store."""
        self._still = on
        self.counter.pacer.set_reduced_motion(on)
        self.refresh()

    def _read_reduced_motion(self) -> None:
        self.set_reduced_motion(read_setting(self._preferences, REDUCED_MOTION))

    def begin(self, session: Session, steps: Sequence[Step]) -> None:
        """Show ``session`` (already running) following ``steps`` (from ``scripts.resolve``)."""
        steps = tuple(steps)
        if not steps:
            raise ValueError("an attention exercise needs at least one step")
        planned_s = session.plan.planned_s
        if abs(steps[-1].end_s - planned_s) > 1e-6:
            raise ValueError(
                f"the steps end at {steps[-1].end_s:g} s but the session lasts {planned_s:g} s"
            )
        self.speech.stop()
        if not self.chime.available:  # the sound server may be back since the last exercise
            self.chime.try_again()
            self._show_note()
        self._read_reduced_motion()  # it may have been changed in the settings since
        self._read_volume()
        self._session = session
        self._steps = steps
        self._planned_s = planned_s
        self._step_index = None
        self._announced = None
        self._left_shown = ""
        self._title.set_full_text(session.plan.title)
        self.prompt.set_fit_texts([s.text for s in steps] + [CLOSE_WORD, LEAD_IN_WORD])
        counts = any(s.counting for s in steps)
        policy = self.counter.sizePolicy()
        policy.setRetainSizeWhenHidden(counts)
        self.counter.setSizePolicy(policy)
        self.counter.hide()
        if self.speak_prompts:
            if read_setting(self._preferences, SPEECH_HUNG):
                self.speech.decline(HUNG_BEFORE_REASON)  # not even the worker: chimes, and why
            else:
                self.speech.start()  # look for a voice now (in the worker), so a note comes early
        session.subscribe(self._on_state)
        self._on_state(session.state)
        self.setFocus()

    def _on_state(self, state: SessionState) -> None:
        active = show_run_state(state, self._ticker, self.pause_button, self.end_button)
        if state is not SessionState.RUNNING:
            self.speech.stop()
        if not active:
            self.chime.stop()
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() is QEvent.Type.PaletteChange:
            for label in (self.status, self.note, self.counter.caption):
                muted(label)  # the secondary colour of the new theme

    def on_tick(self) -> None:
        """One frame: let the session notice its end, then draw."""
        if self._session is None or self._session.state is not SessionState.RUNNING:
            return  # the ticker is shared: a finished session is not redrawn for others
        self._session.update()
        self.refresh()
        QCoreApplication.sendPostedEvents(self.window(), QEvent.Type.UpdateRequest)

    def refresh(self) -> None:
        """Draw the session's state now: spotlight, prompt and fade, count, time left."""
        session = self._session
        if session is None or not self._steps:
            return
        practice_s = session.practice_s
        running = session.state is SessionState.RUNNING
        paused = session.state is SessionState.PAUSED
        state = spotlight_at(
            self._steps, self.body.body_map, practice_s, reduced_motion=self._still
        )
        self.body.set_spotlight(state)
        frame = attention_frame(session, self._steps, state.step_index)
        self._step_index = frame.step_index
        self.prompt.set_text(frame.prompt)
        self.prompt.set_opacity(frame.opacity)
        if frame.status != self.status.text():
            self.status.setText(frame.status)
        counting = state.count is not None and frame.step_index is not None
        if counting and state.count is not None:
            self.counter.show_count(state.count, practice_s)
        if counting != self.counter.isVisible():
            self.counter.setVisible(counting)
        in_a_step = frame.step_index is not None
        self.skip_button.setEnabled((running or paused) and in_a_step)
        self._show_time_left(session.remaining_s, frame.time_left)
        if running and session.lead_in_left_s <= 0:
            self._announce("close" if session.closing else state.step_index)

    def _show_time_left(self, left_s: float, text: str) -> None:
        self.ring.set_share_left(left_s / self._planned_s)
        if text != self._left_shown:
            self._left_shown = text
            self.time_left.setText(text)
            self.ring.setAccessibleName(f"Time left: {countdown_text(left_s)}")

    def _announce(self, what: int | str) -> None:
        """Speak (or chime) a prompt the first frame it is on show."""
        if what == self._announced:
            return
        self._announced = what
        if not self.speak_prompts:
            return
        text = (
            f"{CLOSE_WORD}. {ATTENTION_CLOSE_LINE}"
            if what == "close"
            else self._steps[int(what)].text
        )
        joining, self._joining = self._joining, False
        if not self.speech.available:  # no voice here (or it failed): a chime instead
            self.chime.play()
        elif not joining or self._left_in_prompt_s(what) >= speaking_s(text):
            self.speech.say(text)
        # else: switched on just before the prompt changes; the voice starts at the next one

    def _left_in_prompt_s(self, what: int | str) -> float:
        session = self._session
        if session is None:
            return 0.0
        if what == "close":
            return session.remaining_s
        return self._steps[int(what)].end_s - session.practice_s

    # -- actions ----------------------------------------------------------------------------------

    def toggle_pause(self) -> None:
        """Pause or resume."""
        toggle_pause(self._session)

    def skip(self) -> None:
        """Move on to the next prompt (after the last one, to the close)."""
        if skip_prompt(self._session, self._steps, self._planned_s):
            self.speech.stop()
            self.refresh()

    def end(self) -> None:
        """Ask, then end the exercise early (the after-ratings follow)."""
        end_after_asking(
            self,
            self._session,
            "End this exercise?",
            "End the exercise now? The time you have practised so far will be kept.",
            "End exercise",
        )

    def shutdown(self) -> None:
        """Silence speech and chimes and let go of the sound device (the window is closing)."""
        self.speech.shutdown()
        self.chime.close()

    # -- keys -------------------------------------------------------------------------------------

    def show_keys(self) -> None:
        """The keys of this screen, in a small window (?); the exercise goes on meanwhile."""
        self.keys_dialog = open_keys(self, *ATTENTION_KEYS)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.toggle_pause()
        elif key == Qt.Key.Key_Escape:
            self.end()
        elif key in (Qt.Key.Key_N, Qt.Key.Key_Right):
            self.skip()
        elif key == Qt.Key.Key_L:
            self.set_large_text(not self._large)
        elif key == Qt.Key.Key_T:
            self.set_speak_prompts(not self.speak_prompts)
        else:
            super().keyPressEvent(event)
