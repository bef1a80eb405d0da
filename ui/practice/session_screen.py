"""The practice screen: the pacer, the phase word, time left, Pause/Resume and End.

The pacer can be drawn three ways (circle, column, wave; keys 1, 2, 3 or V), remembered in the
preferences, and opened alone full screen in focus mode (F; Esc comes back). A 3-2-1 lead-in comes
before the first breath and a quiet close after the last. Optional sound cues (M) follow the
breath; "eyes closed" (E) turns them on and dims the pacer.
"""

from __future__ import annotations

import logging
from typing import Final

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSlider,
    QWidget,
    QWidgetAction,
)

from trainer.app.frame import BREATHING_DETAILS, breathing_frame, pacer_schedule, practising
from trainer.app.profile import Change, ProfileInUse, screen_preferences
from trainer.app.settings import (
    AMBIENT,
    EYES_CLOSED,
    FOCUS_WORD,
    PACER_VISUAL,
    REDUCED_MOTION,
    SOUND_MODE,
    SOUND_VOLUME,
    Preferences,
    read_setting,
)
from trainer.app.words import (
    CLOSE_LINE,
    CLOSE_WORD,
    PAUSED_LINE,
    PAUSED_WORD,
    PHASE_SECONDS_NAME,
    TIME_LEFT_NAME,
    TOP_UP_WORD,
    WORD_NAME,
    rate_text,
    time_left_text,
)
from trainer.content.breathing import PacerState
from trainer.content.cues import CueMode
from trainer.session.machine import Session, SessionState
from ui.common.kept_settings import KeptSettings
from ui.common.keys import VISUAL_KEYS, KeysDialog, key_tip, open_keys, question_key
from ui.common.screen_keys import PRACTICE_KEYS, keys_sentence
from ui.common.sound import AMBIENT_TITLE, SOUND_TITLES, OutputFactory, SoundCues
from ui.common.theme import current_theme, muted, scaled_font, screen_layout
from ui.common.ticker import FrameTicker, ManualTicker
from ui.practice.controls import (
    ControlsNote,
    end_after_asking,
    pause_button,
    show_run_state,
    toggle_pause,
)
from ui.practice.focus_mode import FocusView
from ui.widgets.elided import ElidedLabel
from ui.widgets.level_badge import LevelBadge
from ui.widgets.pacer import VISUAL_CLASSES, VISUAL_NAMES, PacerStack, PacerVisual

__all__ = [
    "SessionScreen",
]

_log = logging.getLogger(__name__)

REDUCED_MOTION_TIP: Final = (
    "Reduced motion is on: the circle keeps one size and glows brighter as you breathe in. "
    "You can change this in Settings."
)
# Said for a moment when 1, 2, 3 or V are pressed under reduced motion (they change nothing).
STILL_PACER_LEVEL: Final = "Reduced motion is on: the still circle stays"
SOUND_SHORT: Final = {
    CueMode.OFF: "Off",
    CueMode.TONE: "Tone",
    CueMode.CHIME: "Chime",
    CueMode.VOICE: "Voice",
}
SURF_WORD: Final = "Surf"  # the Sound button's word with no cue but the background sound on
UNAVAILABLE_WORD: Final = "Silent"  # the Sound button's word while sound cannot work
SOUND_TIP: Final = "Sound cues (M changes the sound, + and - the volume, E eyes closed)"
# What the level badge says after M, for each sound.
SOUND_LEVEL: Final = {
    CueMode.OFF: "Sound off",
    CueMode.TONE: "Sound: tone",
    CueMode.CHIME: "Sound: chime",
    CueMode.VOICE: "Sound: voice",
}
SOUND_UNAVAILABLE_LEVEL: Final = "Sound unavailable"
CHOICES_KEPT: Final = "Your sound choices are kept. Choose a sound to try again."
SILENCE_GOES_ON: Final = "The practice goes on in silence, with the pacer in full view."
SOUND_BACK: Final = "Sound is working again."
VOLUME_STEP: Final = 10  # per cent, for the + and - keys
VOLUME_SAVE_DELAY_MS: Final = 500
SOUND_KEYS: Final = {
    int(Qt.Key.Key_M): "M",
    int(Qt.Key.Key_E): "E",
    int(Qt.Key.Key_Plus): "+",
    int(Qt.Key.Key_Equal): "+",
    int(Qt.Key.Key_Minus): "-",
    int(Qt.Key.Key_Underscore): "-",
}
COMPACT_SLACK_PX: Final = 24  # below the roomy layout's height plus this, use the compact one


def volume_level_text(percent: int) -> str:
    """What the level badge says for a volume: "Volume 60%", or that 0% is silent."""
    return "Volume 0%: silent" if percent <= 0 else f"Volume {percent}%"


def speaker_icon(colour: QColor, silent: bool, size: int = 16) -> QIcon:
    """A small speaker in the theme's text colour, with sound waves or, when silent, a cross."""
    ratio = 2.0  # drawn at twice the size, so it stays sharp on dense screens
    image = QPixmap(round(size * ratio), round(size * ratio))
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    s = size / 16
    body = [(1, 6), (4, 6), (8, 2.5), (8, 13.5), (4, 10), (1, 10)]
    painter.drawPolygon(QPolygonF([QPointF(x * s, y * s) for x, y in body]))
    pen = QPen(colour, 1.4 * s)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if silent:
        painter.drawLine(QPointF(10.5 * s, 5.5 * s), QPointF(14.5 * s, 10.5 * s))
        painter.drawLine(QPointF(14.5 * s, 5.5 * s), QPointF(10.5 * s, 10.5 * s))
    else:
        for radius in (3.0, 5.5):
            box = QRectF((8 - radius) * s, (8 - radius) * s, 2 * radius * s, 2 * radius * s)
            painter.drawArc(box, -45 * 16, 90 * 16)
    painter.end()
    return QIcon(image)


class SessionScreen(QWidget):
    """Shows a running session; every frame it reads the session's state and draws it."""

    def __init__(
        self,
        ticker: FrameTicker | ManualTicker,
        parent: QWidget | None = None,
        *,
        preferences: Preferences | None = None,
        profile: ProfileInUse | None = None,
        sound_output_factory: OutputFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self._built = False
        self._ticker = ticker
        self._profile = profile
        self._preferences = screen_preferences(profile, preferences, self._on_profile_changed)
        self.kept = KeptSettings(self)  # choices made while a pacer runs: never waited for
        self._session: Session | None = None
        self._focus: FocusView | None = None
        self._planned_s = 1.0
        self._labels_shown: tuple[str, str, str] | None = None
        self._rate_shown = ""
        self._end_cue_played = False
        self._progress_px = -1
        ticker.tick.connect(self.on_tick)

        self._title = ElidedLabel()
        self.time_left = QLabel()
        self.time_left.setAccessibleName(TIME_LEFT_NAME)
        self.rate = QLabel()
        self.rate.setAccessibleName("Breathing rate now")
        self.rate.setToolTip("Breaths a minute right now (it changes as a ramp eases you in)")
        muted(self.rate)
        top = QHBoxLayout()
        top.addWidget(self._title)
        top.addStretch(1)
        top.addWidget(self.rate)
        top.addSpacing(12)
        top.addWidget(self.time_left)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.setAccessibleName("Progress through the session")

        self.pacers = PacerStack()
        self.phase_word = QLabel()
        self.phase_word.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phase_word.setAccessibleName(WORD_NAME)
        self.phase_seconds = QLabel()
        self.phase_seconds.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phase_seconds.setAccessibleName(PHASE_SECONDS_NAME)
        muted(self.phase_seconds)
        self._phase = QGridLayout()
        self._phase.setSpacing(4)

        self.visual_buttons = QButtonGroup(self)
        chooser = QHBoxLayout()
        chooser.setSpacing(0)
        for index, (name, cls) in enumerate(VISUAL_CLASSES.items()):
            button = QPushButton(cls.title)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAccessibleName(f"Show the pacer as a {cls.title.lower()}")
            key_tip(button, cls.title, str(index + 1))
            button.setProperty("segment", name)
            bold = QFont(button.font())
            bold.setBold(True)  # the chosen one is bold: leave it room
            button.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(cls.title) + 28)
            self.visual_buttons.addButton(button, index)
            chooser.addWidget(button)
        self.visual_buttons.idClicked.connect(lambda index: self.set_visual(VISUAL_NAMES[index]))
        self.focus_button = QPushButton("Focus")
        self.focus_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        key_tip(
            self.focus_button,
            "Only the pacer, full screen. Esc comes back, Space pauses, W shows or hides the words",
            "F",
        )
        self.focus_button.clicked.connect(self.open_focus)
        self._build_sound(sound_output_factory)
        view_row = QHBoxLayout()
        view_row.addStretch(1)
        view_row.addLayout(chooser)
        view_row.addSpacing(8)
        view_row.addWidget(self.focus_button)
        view_row.addStretch(1)

        self.pause_button = pause_button()
        self.pause_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.end_button = QPushButton("End")
        self.end_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        key_tip(self.end_button, "End the practice early (asks first)", "Esc")
        self.end_button.clicked.connect(self.end)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.end_button)
        buttons.addWidget(self.sound_button)
        buttons.addStretch(1)
        # Side by side when there is room, one above the other when narrow.
        self._controls = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._controls.addLayout(view_row)
        self._controls.addLayout(buttons)

        layout = screen_layout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.pacers, 1)
        layout.addLayout(self._phase)
        layout.addSpacing(8)
        layout.addLayout(self._controls)
        layout.addWidget(self.sound_note)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Breathing practice")
        self.setAccessibleDescription(keys_sentence(PRACTICE_KEYS[1]))
        self.keys_dialog: KeysDialog | None = None
        question_key(self, self.show_keys)
        self.setStyleSheet(
            "QPushButton[segment] { border-radius: 0; padding: 6px 10px; }"
            'QPushButton[segment="circle"] {'
            " border-top-left-radius: 6px; border-bottom-left-radius: 6px; }"
            'QPushButton[segment="wave"] {'
            " border-top-right-radius: 6px; border-bottom-right-radius: 6px; }"
        )
        self._compact: bool | None = None
        self._apply_sound_preferences()
        self._fit_limits()
        self._show_visual(read_setting(self._preferences, PACER_VISUAL))
        self._read_reduced_motion()
        self._built = True

    # -- sound ----------------------------------------------------------------------------------

    def _build_sound(self, output_factory: OutputFactory | None) -> None:
        """The sound cues, a Sound menu (mode, volume, eyes closed) and a note if it fails."""
        self.sound = SoundCues(self, output_factory=output_factory)
        self.sound.unavailable.connect(self._on_sound_unavailable)
        self.sound.voice_unavailable.connect(self._on_voice_unavailable)
        menu = QMenu(self)
        menu.aboutToShow.connect(self._offer_sound_modes)
        # While sound cannot work: why, and that the choices below are kept (not in use).
        self.sound_unavailable_action = QAction(self)
        self.sound_unavailable_action.setEnabled(False)
        self._choices_kept_action = QAction(CHOICES_KEPT, self)
        self._choices_kept_action.setEnabled(False)
        menu.addAction(self.sound_unavailable_action)
        menu.addAction(self._choices_kept_action)
        self._unavailable_separator = menu.addSeparator()
        self._mode_actions: dict[CueMode, QAction] = {}
        group = QActionGroup(self)
        for mode, title in SOUND_TITLES.items():
            action = QAction(title, self, checkable=True)
            action.triggered.connect(lambda _=False, m=mode: self.choose_sound_mode(m))
            group.addAction(action)
            menu.addAction(action)
            self._mode_actions[mode] = action
        menu.addSeparator()  # not one of the sounds above: it plays under any of them
        self.ambient_action = QAction(AMBIENT_TITLE, self, checkable=True)
        self.ambient_action.triggered.connect(self.set_ambient)  # the person's choice only
        menu.addAction(self.ambient_action)
        menu.addSeparator()
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setSingleStep(5)
        self.volume.setPageStep(VOLUME_STEP)
        self.volume.setMinimumWidth(160)
        self.volume.setAccessibleName("Sound volume, per cent")
        self.volume.valueChanged.connect(self._on_volume)
        # Saved once the slider settles, not at every step of a drag.
        self._volume_save = QTimer(self)
        self._volume_save.setSingleShot(True)
        self._volume_save.setInterval(VOLUME_SAVE_DELAY_MS)
        self._volume_save.timeout.connect(self._save_volume)
        self._volume_label = QLabel()
        row = self._volume_row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(12, 4, 12, 4)
        row_layout.addWidget(self._volume_label)
        row_layout.addWidget(self.volume, 1)
        volume_action = QWidgetAction(self)
        volume_action.setDefaultWidget(row)
        menu.addAction(volume_action)
        menu.addSeparator()
        # The key in the menu's own shortcut column (after the tab), not bound by the menu.
        self.eyes_closed_action = QAction("Eyes closed: sound leads, pacer dims\tE", self)
        self.eyes_closed_action.setCheckable(True)
        self.eyes_closed_action.toggled.connect(self.set_eyes_closed)
        menu.addAction(self.eyes_closed_action)
        self.sound_button = QPushButton()
        self.sound_button.setMenu(menu)
        self.sound_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.sound_button.setAccessibleName("Sound")
        self.sound_button.setToolTip(SOUND_TIP)
        widest = 0
        self.sound_button.setIcon(speaker_icon(QColor(current_theme().text), True))  # its room
        for word in (
            *SOUND_SHORT.values(),
            SURF_WORD,
            UNAVAILABLE_WORD,
        ):  # room for the longest word
            self.sound_button.setText(word)
            widest = max(widest, self.sound_button.sizeHint().width())
        self.sound_button.setMinimumWidth(widest)
        self.sound_note = ControlsNote()  # two lines kept under the controls: nothing jumps
        self.level_badge = LevelBadge(self.pacers)

    def _apply_sound_preferences(self) -> None:
        prefs = self._preferences
        mode = read_setting(prefs, SOUND_MODE)
        volume = read_setting(prefs, SOUND_VOLUME)
        self.volume.blockSignals(True)
        self.volume.setValue(volume)
        self.volume.blockSignals(False)
        self._show_volume(volume)
        self.set_sound_mode(mode, remember=False)
        self.set_ambient(read_setting(prefs, AMBIENT), remember=False)
        eyes_closed = read_setting(prefs, EYES_CLOSED)
        if self.sound.available:
            self.eyes_closed_action.setChecked(eyes_closed)
        else:  # kept as saved, not in use until sound works
            self.eyes_closed_action.blockSignals(True)
            self.eyes_closed_action.setChecked(eyes_closed)
            self.eyes_closed_action.blockSignals(False)
            self._show_eyes_closed()

    def _on_profile_changed(self, change: Change) -> None:
        if change is not Change.SETTINGS or self._profile is None:
            return
        settings = self._profile.settings()
        chosen = settings.sound_mode is not self.sound_mode  # a sound chosen in the settings
        self.set_sound_mode(settings.sound_mode, remember=False)
        if chosen and settings.sound_mode is not CueMode.OFF and not self.sound.available:
            self.try_sound_again()
        self.volume.setValue(settings.sound_volume_pct)
        self.set_ambient(settings.ambient_sound, remember=False)
        self.set_visual(settings.pacer_visual)
        self.set_reduced_motion(settings.reduced_motion)

    @property
    def sound_mode(self) -> CueMode:
        """The sound cue chosen: off, a tone or a chime."""
        return self.sound.mode

    @property
    def eyes_closed(self) -> bool:
        """Whether "eyes closed" is in use (sound leads, the pacer is dimmed). While sound is
        unavailable it is not, whatever was chosen (that choice is kept for when it works)."""
        return self.eyes_closed_action.isChecked() and self.sound.available

    def set_sound_mode(self, mode: CueMode, *, remember: bool = True) -> None:
        """Choose the sound cue (turning it off also leaves "eyes closed")."""
        self.sound.set_mode(mode)
        self._mode_actions[mode].setChecked(True)
        self._show_sound_state()
        if mode is CueMode.OFF and self.eyes_closed_action.isChecked():
            self.eyes_closed_action.setChecked(False)
        if remember:
            self.kept.write(self._preferences, SOUND_MODE, mode)

    def choose_sound_mode(self, mode: CueMode) -> None:
        """The person chose a sound in the Sound menu: use it and remember it. If sound was
        unavailable, try again (the sound server may be back), and say how that went."""
        self.set_sound_mode(mode)
        if mode is not CueMode.OFF and not self.sound.available:
            self.try_sound_again()

    def try_sound_again(self) -> bool:
        """After sound failed, try once more to reach the speakers; the note says how it went."""
        if self.sound.available:
            return True
        back = self.sound.try_again()
        self.sound_note.set_full_text(
            SOUND_BACK if back else f"{self.sound.unavailable_message} {SILENCE_GOES_ON}"
        )
        self.sound_note.show()
        self._show_sound_state()
        self._show_eyes_closed()
        return back

    def cycle_sound(self) -> None:
        """The next sound: off, tone, chime, (voice,) off..."""
        modes = list(self.sound.offered_modes())
        if self.sound_mode not in modes:
            modes.append(self.sound_mode)
        self.set_sound_mode(modes[(modes.index(self.sound_mode) + 1) % len(modes)])

    def set_ambient(self, on: bool, *, remember: bool = True) -> None:
        """The soft surf under the cues, on or off (and remembered)."""
        self.sound.set_ambient(on)
        self.ambient_action.setChecked(on)
        self._show_sound_state()
        if remember:
            self.kept.write(self._preferences, AMBIENT, on)

    def _offer_sound_modes(self) -> None:
        """The Sound menu offers the spoken cue only where a speech engine exists."""
        offered = self.sound.offered_modes()
        for mode, action in self._mode_actions.items():
            action.setVisible(mode in offered or mode is self.sound_mode)

    def _on_voice_unavailable(self, message: str) -> None:
        self.sound_note.set_full_text(message)
        self.sound_note.show()

    def set_eyes_closed(self, on: bool) -> None:
        """Eyes closed: turn a sound on (the tone if none was chosen) and dim the pacer."""
        if self.eyes_closed_action.isChecked() != on:
            self.eyes_closed_action.setChecked(on)  # comes back here through ``toggled``
            return
        if on and self.sound_mode is CueMode.OFF:
            self.set_sound_mode(CueMode.TONE)
        if on and not self.sound.available:  # no sound to follow: keep the pacer bright
            self.eyes_closed_action.setChecked(False)
            return
        self._show_eyes_closed()
        self.kept.write(self._preferences, EYES_CLOSED, on)

    def _show_eyes_closed(self) -> None:
        """Dim the pacer (here and in focus mode) while eyes closed is in use."""
        dim = self.eyes_closed
        self.pacers.set_dimmed(dim)
        if self._focus is not None:
            self._focus.pacers.set_dimmed(dim)

    def change_volume(self, step: int) -> None:
        """Louder (positive) or softer (negative) by ``step`` per cent."""
        self.volume.setValue(self.volume.value() + step)

    def _show_volume(self, value: int) -> None:
        self._volume_label.setText(f"Volume {value}%")
        self.sound.set_volume(value / 100)

    def _on_volume(self, value: int) -> None:
        self._show_volume(value)
        self._volume_save.start()

    def _save_volume(self) -> None:
        self._volume_save.stop()
        self.kept.write(self._preferences, SOUND_VOLUME, self.volume.value())

    def _on_sound_unavailable(self, message: str) -> None:
        self.sound_note.set_full_text(f"{message} {SILENCE_GOES_ON}")
        self.sound_note.show()
        self._show_sound_state()
        self._show_eyes_closed()  # the pacer stays bright; the choice is kept

    def _say_sound_keys_wait(self, key_name: str) -> None:
        """A sound key while sound is unavailable: say so, and change nothing that was chosen."""
        self.sound_note.set_full_text(
            f"Sound is unavailable: the {key_name} key changes nothing, and your choices are "
            "kept. To try again, choose a sound in the Sound menu."
        )
        self.sound_note.show()
        self.show_level(SOUND_UNAVAILABLE_LEVEL)

    def show_level(self, text: str) -> None:
        """Show ``text`` (such as "Volume 60%") for a moment over the pacer, or in focus mode."""
        badge = self._focus.level_badge if self.in_focus and self._focus else self.level_badge
        badge.reduced_motion = self.reduced_motion
        badge.show_text(text)

    def _show_sound_state(self) -> None:
        """The Sound button's icon and word: what is playing, or that sound is unavailable."""
        mode = self.sound_mode
        available = self.sound.available
        surf = mode is CueMode.OFF and self.sound.ambient
        silent = (mode is CueMode.OFF and not surf) or not available
        self.sound_button.setIcon(speaker_icon(QColor(current_theme().text), silent))
        word = (SURF_WORD if surf else SOUND_SHORT[mode]) if available else UNAVAILABLE_WORD
        self.sound_button.setText(word)
        self.sound_button.setAccessibleName(
            f"Sound: {word.lower()}" if available else "Sound unavailable"
        )
        self.sound_button.setToolTip(
            SOUND_TIP if available else f"{self.sound.unavailable_message} {CHOICES_KEPT}"
        )
        # The menu agrees: while sound cannot work it says why, and the choices in it are kept
        # but not in use (volume and eyes closed greyed out; choosing a sound tries again).
        self.sound_unavailable_action.setText(self.sound.unavailable_message)
        for item in (
            self.sound_unavailable_action,
            self._choices_kept_action,
            self._unavailable_separator,
        ):
            item.setVisible(not available)
        self._volume_row.setEnabled(available)
        self.ambient_action.setEnabled(available)
        self.eyes_closed_action.setEnabled(available)

    # -- fitting the window ---------------------------------------------------------------------

    def _set_compact(self, compact: bool) -> None:
        """Roomy: big words, generous margins. Compact (a small window): tighter, smaller type."""
        if compact == self._compact:
            return
        self._compact = compact
        layout = self.layout()
        assert layout is not None, "the screen's layout is set in __init__"
        if compact:
            layout.setContentsMargins(16, 8, 16, 8)
            layout.setSpacing(4)
        else:
            layout.setContentsMargins(32, 24, 32, 24)
            layout.setSpacing(12)
        self._title.setFont(scaled_font(self, 1.15 if compact else 1.4, bold=True))
        self.time_left.setFont(scaled_font(self, 1.05 if compact else 1.2))
        self.phase_word.setFont(scaled_font(self, 1.7 if compact else 2.6, bold=True))
        self.phase_seconds.setFont(scaled_font(self, 1.3 if compact else 1.6))
        self.sound_note.keep_room(not compact)  # a small window cannot give two lines away
        # The seconds sit under the word when roomy, beside it when compact.
        self._phase.removeWidget(self.phase_word)
        self._phase.removeWidget(self.phase_seconds)
        self._phase.addWidget(self.phase_word, 0, 0)
        self._phase.addWidget(self.phase_seconds, *((0, 1) if compact else (1, 0)))
        self.phase_word.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            if compact
            else Qt.AlignmentFlag.AlignCenter
        )
        self.phase_seconds.setAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            if compact
            else Qt.AlignmentFlag.AlignCenter
        )

    def _set_narrow(self, narrow: bool) -> None:
        self._controls.setDirection(
            QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        )

    def _fit_limits(self) -> None:
        """Measure both layouts once: the smallest window, and where the roomy one fits."""
        layout = self.layout()
        assert layout is not None, "the screen's layout is set in __init__"
        self.time_left.setText(time_left_text(15 * 60))  # the longest length offered in minutes
        self.rate.setText(rate_text(10.25))
        # The widest texts these labels show: the longest word with a count, or "Paused".
        sizes: dict[tuple[bool, bool], QSize] = {}
        for word, seconds in (
            (TOP_UP_WORD, BREATHING_DETAILS[-1]),
            (PAUSED_WORD, PAUSED_LINE),
            (CLOSE_WORD, CLOSE_LINE),
        ):
            self.phase_word.setText(word)
            self.phase_seconds.setText(seconds)
            for compact, narrow in ((False, False), (False, True), (True, True)):
                self._set_compact(compact)
                self._set_narrow(narrow)
                size = layout.minimumSize().expandedTo(sizes.get((compact, narrow), QSize()))
                sizes[compact, narrow] = size
        self._one_row_w = sizes[False, False].width()
        self._roomy_min_h = sizes[False, True].height()
        # The compact layout sets the smallest window; the roomy one is used only where it fits.
        self.setMinimumSize(sizes[True, True])
        for label in (self.time_left, self.rate, self.phase_word, self.phase_seconds):
            label.clear()
        self._fit(self.size())

    def _fit(self, size: QSize) -> None:
        self._set_compact(size.height() < self._roomy_min_h + COMPACT_SLACK_PX)
        narrow = size.width() < self._one_row_w
        if narrow != (self._controls.direction() is QBoxLayout.Direction.TopToBottom):
            self._set_narrow(narrow)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit(event.size())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() is QEvent.Type.PaletteChange and self._built:
            self._show_sound_state()  # the speaker is drawn in the theme's text colour

    # -- the session ----------------------------------------------------------------------------

    @property
    def session(self) -> Session | None:
        """The session on screen, if any."""
        return self._session

    @property
    def pacer(self) -> PacerVisual:
        """The pacer visual on show."""
        return self.pacers.current

    def begin(self, session: Session) -> None:
        """Show ``session`` (already running) and start the frame ticker."""
        self.close_focus()
        self._session = session
        self._planned_s = session.plan.planned_s  # worked out once: for a ramp it is a search
        self._labels_shown = None
        self._rate_shown = ""
        self._progress_px = -1
        self._end_cue_played = False
        self.sound.stop()
        self.sound.set_pattern(session.plan.pattern)
        self._sound_at_start()
        self._title.set_full_text(session.plan.title)
        self._read_reduced_motion()  # it may have been changed in the settings since
        self.pacers.set_schedule(*pacer_schedule(session))
        session.subscribe(self._on_state)
        self._on_state(session.state)
        self.setFocus()

    def _sound_at_start(self) -> None:
        """A new session: if sound failed before, try it again (the sound server may be back)."""
        if self.sound.available:
            if self.sound_note.full_text() == SOUND_BACK:
                self.sound_note.hide()  # said at the last start; no need to say it again
        elif self.sound_mode is not CueMode.OFF or self.sound.ambient:
            self.try_sound_again()

    def _on_state(self, state: SessionState) -> None:
        active = show_run_state(state, self._ticker, self.pause_button, self.end_button)
        self.focus_button.setEnabled(active)
        if not active:
            self.close_focus()
            self.sound.stop()
            if self._volume_save.isActive():
                self._save_volume()
        self.refresh()

    def on_tick(self) -> None:
        """One frame: let the session notice its end, then draw."""
        if self._session is None or self._session.state is not SessionState.RUNNING:
            return  # the ticker is shared: a finished session is not redrawn for others
        self._session.update()
        self.refresh()
        # Paint the frame now, while the state it shows is fresh, rather than after whatever
        # else the event loop has queued.
        window = self._focus if self.in_focus else self.window()
        QCoreApplication.sendPostedEvents(window, QEvent.Type.UpdateRequest)

    def refresh(self) -> None:
        """Draw the session's current state (in focus mode, only the focus view).

        Runs every frame, so it does little: the pacer repaints only what moved, and the labels
        are set only when the whole seconds they show change.
        """
        session = self._session
        if session is None:
            return
        practice_s = session.practice_s
        state = session.pacer_state()
        frame = breathing_frame(session, state)
        self._sound_frame(session, state, frame.paused or frame.idle, session.closing)
        focus = self._focus
        if focus is not None and focus.isVisible():
            focus.show_state(
                state, practice_s, frame.word, idle=frame.idle, time_left=frame.time_left
            )
            return
        self.pacers.show_state(state, practice_s, idle=frame.idle)
        labels = (frame.word, frame.detail, frame.time_left)
        if labels != self._labels_shown:
            self._labels_shown = labels
            self.phase_word.setText(frame.word)
            self.phase_seconds.setText(frame.detail)
            self.time_left.setText(frame.time_left)
            plan = session.plan
            rate = (
                rate_text(session.rate_bpm)
                if plan.ramp is not None
                else rate_text(plan.pattern.rate_bpm)
            )
            if rate != self._rate_shown:
                self._rate_shown = rate
                self.rate.setText(rate)
        share = practice_s / self._planned_s
        pixel = int(share * self.progress.width())
        if pixel != self._progress_px:  # the bar repaints at once when set: only on a change
            self._progress_px = pixel
            self.progress.setValue(round(1000 * share))

    def _sound_frame(self, session: Session, state: PacerState, quiet: bool, closing: bool) -> None:
        """Feed the sound cues this frame's breath; the close gets its gentle end cue once."""
        running = session.state is SessionState.RUNNING
        if closing and running and not self._end_cue_played:
            self._end_cue_played = True
            self.sound.stop()
            self.sound.play_end_cue()
            return
        if quiet:
            self.sound.on_frame(None, False)
        elif running and self.sound.audible:  # what the pacer shows once a cue is heard
            self.sound.on_frame(
                session.pacer_state_at(session.practice_s + self.sound.lead_s), True
            )
        else:
            self.sound.on_frame(state, running)

    def toggle_pause(self) -> None:
        """Pause or resume."""
        toggle_pause(self._session)

    def end(self) -> None:
        """Ask, then end the practice early (the after-ratings follow)."""
        end_after_asking(
            self,
            self._session,
            "End this session?",
            "End the practice now? The time you have practised so far will be kept.",
            "End session",
        )

    # -- choosing the visual --------------------------------------------------------------------

    @property
    def visual_name(self) -> str:
        """``circle``, ``column`` or ``wave``: the visual chosen (with reduced motion the still
        circle is shown instead, and this choice is kept for when motion is allowed again)."""
        return self.pacers.chosen_name

    @property
    def reduced_motion(self) -> bool:
        """Whether the pacer is the still circle (brightness and a thin bar, never a size)."""
        return self.pacers.reduced_motion

    def set_reduced_motion(self, on: bool) -> None:
        """Show the still circle instead of the chosen visual (on), or the chosen one again (off),
        here and in focus mode. The choice itself is the settings' to store."""
        self.pacers.set_reduced_motion(on)
        if self._focus is not None:
            self._focus.pacers.set_reduced_motion(on)
        for button in self.visual_buttons.buttons():
            button.setEnabled(not on)
            name = str(button.property("segment"))
            title = VISUAL_CLASSES[name].title
            tip = f"{title} ({VISUAL_NAMES.index(name) + 1})"
            button.setToolTip(REDUCED_MOTION_TIP if on else tip)

    def _read_reduced_motion(self) -> None:
        self.set_reduced_motion(read_setting(self._preferences, REDUCED_MOTION))

    def set_visual(self, name: str) -> None:
        """Draw the pacer as ``name`` from now on (same level, no jump), and remember it."""
        self._show_visual(name)
        self.kept.write(self._preferences, PACER_VISUAL, self.visual_name)

    def cycle_visual(self) -> None:
        """The next visual: circle, column, wave, circle..."""
        index = VISUAL_NAMES.index(self.visual_name)
        self.set_visual(VISUAL_NAMES[(index + 1) % len(VISUAL_NAMES)])

    def _show_visual(self, name: str) -> None:
        self.pacers.show_visual(name)
        button = self.visual_buttons.button(VISUAL_NAMES.index(self.visual_name))
        button.setChecked(True)
        if self._focus is not None:
            self._focus.pacers.show_visual(self.visual_name)

    def _on_focus_visual(self, index: int) -> None:
        """1, 2, 3 (``index`` 0..2) or V (-1), here or in focus mode. Under reduced motion the
        switcher is disabled and the keys leave it too: they change nothing and say why."""
        if self.reduced_motion:
            self.show_level(STILL_PACER_LEVEL)
        elif index < 0:
            self.cycle_visual()
        else:
            self.set_visual(VISUAL_NAMES[index])

    # -- focus mode -----------------------------------------------------------------------------

    @property
    def in_focus(self) -> bool:
        """Whether focus mode (the pacer alone, full screen) is open."""
        return self._focus is not None and self._focus.isVisible()

    @property
    def focus_view(self) -> FocusView | None:
        """The focus-mode window, once it has been opened."""
        return self._focus

    def _focus_view(self) -> FocusView:
        if self._focus is None:
            view = FocusView(self)
            view.leave_requested.connect(self.close_focus)
            view.pause_requested.connect(self.toggle_pause)
            view.visual_requested.connect(self._on_focus_visual)
            view.word_toggle_requested.connect(self.toggle_focus_word)
            view.other_key = self.sound_key
            self._focus = view
        return self._focus

    def open_focus(self) -> None:
        """Show the pacer alone, full screen (the session goes on; Esc comes back)."""
        session = self._session
        if self.in_focus or not practising(session):
            return
        view = self._focus_view()
        view.pacers.show_visual(self.visual_name)
        view.pacers.set_reduced_motion(self.reduced_motion)
        view.pacers.set_dimmed(self.eyes_closed)
        view.pacers.current.copy_state_from(self.pacer)
        view.set_word_shown(read_setting(self._preferences, FOCUS_WORD))
        view.showFullScreen()
        view.activateWindow()
        view.setFocus()
        self.refresh()

    def close_focus(self) -> None:
        """Leave focus mode for the normal screen (the session goes on)."""
        if not self.in_focus or self._focus is None:
            return
        self._focus.hide()
        self.pacers.current.copy_state_from(self._focus.pacers.current)
        self.refresh()
        self.window().activateWindow()
        self.setFocus()

    def toggle_focus_word(self) -> None:
        """Show or hide the phase word in focus mode, and remember it."""
        view = self._focus_view()
        shown = not view.word_shown
        view.set_word_shown(shown)
        self.kept.write(self._preferences, FOCUS_WORD, shown)

    # -- keys -----------------------------------------------------------------------------------

    def show_keys(self) -> None:
        """The keys of this screen, in a small window (?); the practice goes on meanwhile."""
        self.keys_dialog = open_keys(self, *PRACTICE_KEYS)

    def sound_key(self, key: int) -> bool:
        """Act on a sound key (M, E, + or -), here or in focus mode; False for any other key.

        M and +/- show the new level for a moment. While sound is unavailable the keys change
        nothing that was chosen and say so instead."""
        name = SOUND_KEYS.get(int(key))
        if name is None:
            return False
        if not self.sound.available:
            self._say_sound_keys_wait(name)
        elif name == "M":
            self.cycle_sound()
            available = self.sound.available  # choosing a sound may find that it cannot work
            self.show_level(SOUND_LEVEL[self.sound_mode] if available else SOUND_UNAVAILABLE_LEVEL)
        elif name == "E":
            self.set_eyes_closed(not self.eyes_closed)
        else:
            self.change_volume(VOLUME_STEP if name == "+" else -VOLUME_STEP)
            self.show_level(volume_level_text(self.volume.value()))
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.toggle_pause()
        elif key == Qt.Key.Key_Escape:
            self.end()
        elif key == Qt.Key.Key_F:
            self.open_focus()
        elif key in VISUAL_KEYS:
            self._on_focus_visual(VISUAL_KEYS[Qt.Key(key)])
        elif key == Qt.Key.Key_V:
            self._on_focus_visual(-1)
        elif not self.sound_key(key):
            super().keyPressEvent(event)
