"""The resonance-rate finder: breathe at five slow rates, say how each felt, keep the best."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from trainer.app.profile import Change, ProfileInUse
from trainer.app.words import (
    BREATHING_NOTE,
    PAUSE_KEY,
    PAUSED_LINE,
    PAUSED_WORD,
    PHASE_WORDS,
    pause_label,
    rate_text,
    time_left_text,
)
from trainer.session.clock import Clock
from trainer.session.resonance import (
    EASE_CALM,
    FINDER_RATES_BPM,
    MIN_RATED_FOR_BEST,
    REST_S,
    STEP_S,
    FinderState,
    ResonanceFinder,
    resonance_pattern,
)
from ui.common.dialogs import Dialogs
from ui.common.keys import (
    KeysDialog,
    click_focused_button,
    is_enter,
    key_tip,
    keys_button,
    open_keys,
    question_key,
)
from ui.common.screen_keys import FINDER_KEYS, keys_sentence
from ui.common.theme import muted, scaled_font, screen_layout
from ui.common.ticker import FrameTicker, ManualTicker
from ui.practice.controls import pause_button
from ui.widgets.action_page import ActionPage
from ui.widgets.pacer import CirclePacer
from ui.widgets.rating_scale import RatingScale

MY_RESONANCE_NAME = "My resonance"
KEEP_BEST = f"Keep as “{MY_RESONANCE_NAME}”"
KEEP_TIP = "Save this pace as a pattern of your own"


def _page() -> tuple[QWidget, QVBoxLayout]:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(12)
    return page, layout


def _action_page() -> tuple[QWidget, QVBoxLayout, QHBoxLayout]:
    """A page whose words scroll on a small screen, over its buttons, which stay in sight."""
    page = QWidget()
    fitted = ActionPage(page, margins=(0, 0, 0, 0), follow=True)
    return page, fitted.content, fitted.actions


class FinderScreen(QWidget):
    """Runs one :class:`ResonanceFinder`; emits ``done`` when the person leaves."""

    done = Signal()
    pattern_saved = Signal(int)  # the id of the saved "My resonance" pattern

    def __init__(
        self,
        *,
        ticker: FrameTicker | ManualTicker,
        clock: Clock,
        utc_now: Callable[[], datetime],
        profile: ProfileInUse,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ticker = ticker
        self._clock = clock
        self._utc_now = utc_now
        self._profile = profile
        self.finder: ResonanceFinder | None = None
        self._saved_run = False
        self._best_named = False  # a best pace was named, so keeping it is the default
        ticker.tick.connect(self.on_tick)
        profile.changed.add(self._on_profile_changed)

        heading = QLabel("Find my pace")
        heading.setFont(scaled_font(self, 1.9, bold=True))
        self.pages = QStackedWidget()

        # Intro
        self.intro, intro_layout, intro_buttons = _action_page()
        total_min = round(
            (len(FINDER_RATES_BPM) * STEP_S + (len(FINDER_RATES_BPM) - 1) * REST_S) / 60
        )
        rates = ", ".join(f"{r:g}" for r in FINDER_RATES_BPM)
        self.intro_text = explain = QLabel(
            "This finds a comfortable slow pace for you. We'll try five paces for about two "
            f"minutes each ({rates} breaths a minute), with a short rest between. After each one, "
            "say how easy and calming it felt. With a heart-rate sensor, studies pick the pace "
            "at which the heart rate swings most (the resonance rate); without one, this goes "
            "by how each pace felt, so it is a comfortable pace, not a measured one. It takes "
            "about "
            f"{total_min} minutes.\n\n{BREATHING_NOTE} You can stop at any time."
        )
        explain.setWordWrap(True)
        self.start_button = QPushButton("Start")
        self.start_button.setFont(scaled_font(self, 1.1, bold=True))
        key_tip(self.start_button, "Begin the first pace", "Enter")
        self.start_button.clicked.connect(self.start)
        self.back_button = QPushButton("Back")
        key_tip(self.back_button, "Back to the exercises", "Esc")
        self.back_button.clicked.connect(self.leave)
        self.keys_dialog: KeysDialog | None = None
        self.keys_button = keys_button(self.show_keys)
        intro_buttons.addWidget(self.back_button)
        intro_buttons.addStretch(1)
        intro_buttons.addWidget(self.keys_button)
        intro_buttons.addWidget(self.start_button)
        intro_layout.addWidget(explain)
        intro_layout.addStretch(1)

        # Breathing and resting share the pacer page.
        self.breathing, breathing_layout = _page()
        self.step_label = QLabel()
        self.step_label.setFont(scaled_font(self, 1.3, bold=True))
        self.time_left = QLabel()
        self.time_left.setFont(scaled_font(self, 1.2))
        self.time_left.setAccessibleName("Time left in this step")
        top = QHBoxLayout()
        top.addWidget(self.step_label)
        top.addStretch(1)
        top.addWidget(self.time_left)
        self.pacer = CirclePacer()
        self.phase_word = QLabel()
        self.phase_word.setFont(scaled_font(self, 2.4, bold=True))
        self.phase_word.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        muted(self.hint)
        self.pause_button = pause_button()
        self.pause_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.skip_rest_button = QPushButton("Next pace now")
        self.skip_rest_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        key_tip(self.skip_rest_button, "End the rest and start the next pace", "Enter")
        self.skip_rest_button.clicked.connect(self.skip_rest)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        key_tip(self.stop_button, "Stop the finder (asks first)", "Esc")
        self.stop_button.clicked.connect(self.stop)
        run_buttons = QHBoxLayout()
        run_buttons.addStretch(1)
        for button in (self.pause_button, self.skip_rest_button, self.stop_button):
            run_buttons.addWidget(button)
        run_buttons.addStretch(1)
        breathing_layout.addLayout(top)
        breathing_layout.addWidget(self.pacer, 1)
        breathing_layout.addWidget(self.phase_word)
        breathing_layout.addWidget(self.hint)
        breathing_layout.addLayout(run_buttons)

        # Rating after each step.
        self.rating_page, rating_layout, rating_buttons = _action_page()
        self.rating_prompt = QLabel()
        self.rating_prompt.setWordWrap(True)
        self.rating_prompt.setFont(scaled_font(self, 1.2))
        self.scale = RatingScale(
            "Easy and calming",
            clock,
            low_anchor="0 = not at all",
            high_anchor="10 = very easy and calming",
        )
        self.rating_message = QLabel()
        self.rating_message.setWordWrap(True)
        self.scale.changed.connect(self.rating_message.clear)
        self.continue_button = QPushButton("Continue")
        self.continue_button.setFont(scaled_font(self, 1.1, bold=True))
        key_tip(self.continue_button, "Keep this rating and go on", "Enter")
        self.continue_button.clicked.connect(self.confirm_rating)
        rating_buttons.addStretch(1)
        rating_buttons.addWidget(self.continue_button)
        rating_layout.addWidget(self.rating_prompt)
        rating_layout.addWidget(self.scale)
        rating_layout.addWidget(self.rating_message)
        rating_layout.addStretch(1)

        # Results.
        self.results_page, results_layout, results_buttons = _action_page()
        self.results_text = QLabel()
        self.results_text.setWordWrap(True)
        self.results_text.setTextFormat(Qt.TextFormat.PlainText)
        self.results_text.setFont(scaled_font(self, 1.15))
        self.results_text.setAccessibleName("Your results")
        self.save_button = QPushButton(KEEP_BEST)
        self.save_button.setFont(scaled_font(self, 1.1, bold=True))
        self.save_button.clicked.connect(self.save_best)
        self.finish_button = QPushButton("Back to exercises")
        key_tip(self.finish_button, "Back to the exercises", "Esc")
        self.finish_button.clicked.connect(self.leave)
        results_buttons.addWidget(self.finish_button)
        results_buttons.addStretch(1)
        results_buttons.addWidget(self.save_button)
        results_layout.addWidget(self.results_text)
        results_layout.addStretch(1)

        for page in (self.intro, self.breathing, self.rating_page, self.results_page):
            self.pages.addWidget(page)
        layout = screen_layout(self)
        layout.addWidget(heading)
        layout.addWidget(self.pages, 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Find my pace")
        self.setAccessibleDescription(keys_sentence(FINDER_KEYS[1]))
        question_key(self, self.show_keys)

    # -- flow -----------------------------------------------------------------------------------

    def _on_profile_changed(self, change: Change) -> None:
        if change is Change.PROFILE:  # the next runs (and their patterns) are the new profile's
            self.reset()

    def reset(self) -> None:
        """Show the introduction for a new run."""
        self.finder = ResonanceFinder(clock=self._clock, utc_now=self._utc_now)
        self.finder.subscribe(self._on_state)
        self._saved_run = False
        self.pages.setCurrentWidget(self.intro)
        self.setFocus()

    def start(self) -> None:
        """Begin the first pace."""
        if self.finder is not None and self.finder.state is FinderState.READY:
            self.finder.start()

    def _on_state(self, state: FinderState) -> None:
        finder = self.finder
        assert finder is not None
        if state in (FinderState.BREATHING, FinderState.RESTING):
            self._ticker.start()
        else:
            self._ticker.stop()
        if state in (FinderState.BREATHING, FinderState.RESTING, FinderState.PAUSED):
            self.pages.setCurrentWidget(self.breathing)
            label = pause_label(state is FinderState.PAUSED)
            self.pause_button.setText(label)
            key_tip(self.pause_button, label, PAUSE_KEY)
            self.skip_rest_button.setVisible(state is FinderState.RESTING)
            self.setFocus()
        elif state is FinderState.RATING:
            self.rating_prompt.setText(
                f"How easy and calming did {rate_text(finder.rate_bpm)} feel? "
                "There is no right answer; go by what felt comfortable."
            )
            self.scale.reset()
            self.rating_message.clear()
            self.pages.setCurrentWidget(self.rating_page)
            self.scale.setFocus()
        elif state in (FinderState.DONE, FinderState.STOPPED):
            self._finish()
        self.refresh()

    def on_tick(self) -> None:
        """One frame: let the finder move on when a step or rest is over, then draw."""
        finder = self.finder
        if finder is None or finder.state not in (FinderState.BREATHING, FinderState.RESTING):
            return
        finder.update()
        self.refresh()

    def refresh(self) -> None:
        """Draw the finder's current step."""
        finder = self.finder
        if finder is None or self.pages.currentWidget() is not self.breathing:
            return
        count = len(finder.rates_bpm)
        step = f"Pace {finder.step_index + 1} of {count}: {rate_text(finder.rate_bpm)}"
        self.step_label.setText(step)
        self.time_left.setText(time_left_text(finder.remaining_s))
        state = finder.pacer_state()
        self.pacer.set_level(state.level)
        if finder.state is FinderState.PAUSED:
            self.phase_word.setText(PAUSED_WORD)
            self.hint.setText(f"{PAUSED_LINE}.")
        elif finder.resting:
            self.phase_word.setText("Rest")
            self.hint.setText(f"Breathe however feels natural. Next: {rate_text(finder.rate_bpm)}.")
        else:
            self.phase_word.setText(PHASE_WORDS[state.kind])
            self.hint.setText("Follow the circle gently; there is no need to breathe deeply.")

    def confirm_rating(self) -> None:
        """Record the rating shown (a number, or skipped) and move on."""
        finder = self.finder
        if finder is None or finder.state is not FinderState.RATING:
            return
        if not self.scale.answered:
            self.rating_message.setText("Please choose a number, or skip it.")
            self.scale.setFocus()
            return
        finder.rate(self.scale.value)

    def skip_rest(self) -> None:
        """Start the next pace without waiting for the rest to end."""
        if self.finder is not None and self.finder.state is FinderState.RESTING:
            self.finder.skip_rest()

    def toggle_pause(self) -> None:
        """Pause or resume the current pace or rest."""
        finder = self.finder
        if finder is None:
            return
        if finder.state is FinderState.PAUSED:
            finder.resume()
        elif finder.state in (FinderState.BREATHING, FinderState.RESTING):
            finder.pause()

    def stop(self) -> None:
        """Ask, then end the run early, keeping the paces already rated."""
        finder = self.finder
        if finder is None or finder.state in (
            FinderState.READY,
            FinderState.DONE,
            FinderState.STOPPED,
        ):
            self.leave()
            return
        was_running = finder.state in (FinderState.BREATHING, FinderState.RESTING)
        if was_running:
            finder.pause()
        if Dialogs.confirm(
            self,
            "Stop the finder?",
            "Stop now? The paces you have already rated are kept.",
            "Stop",
            "Keep going",
        ):
            finder.stop()
        elif was_running:
            finder.resume()

    @property
    def running(self) -> bool:
        """Whether a run is under way (started, not yet done or stopped)."""
        finder = self.finder
        return finder is not None and finder.state in (
            FinderState.BREATHING,
            FinderState.RATING,
            FinderState.RESTING,
            FinderState.PAUSED,
        )

    def stop_for_quit(self) -> None:
        """The app is closing: end a run under way, keeping (and storing) what was done."""
        if self.running:
            assert self.finder is not None
            self.finder.stop()

    def _finish(self) -> None:
        finder = self.finder
        assert finder is not None
        run = finder.run()
        if run.steps and not self._saved_run:
            with self._profile.trying("Could not save this run"):
                self._profile.save_resonance_run(run)
                self._saved_run = True
        lines = []
        for step in run.steps:
            score = step.scores.get(EASE_CALM)
            felt = "skipped" if score is None else f"{score:g} out of 10"
            lines.append(f"{rate_text(step.rate_bpm)}:  {felt}")
        best, top = run.best_bpm(), run.top_rated_bpm()
        rated = len(run.rated())
        if top is None:
            summary = "No pace was rated, so there is no favourite yet. You can try again any time."
        elif best is None:
            paces = "one pace" if rated == 1 else f"{rated} paces"
            summary = (
                f"You rated {paces}: too few to say which suits you best (that needs at least "
                f"{MIN_RATED_FOR_BEST}). Of these, {rate_text(top)} felt the most comfortable. "
                "You can keep it as “My resonance” if you like, or try the finder again another "
                "day to compare more paces."
            )
        else:
            close = run.close_to_best_bpm()
            nearly = (
                f" {' and '.join(rate_text(r) for r in close)} felt nearly as good."
                if close
                else ""
            )
            summary = (
                f"The pace that felt easiest and most calming was {rate_text(best)}.{nearly} "
                "This is a comfortable slow pace for you; without a heart-rate sensor it is not "
                "a measured resonance rate. You can keep it as your own pattern, “My resonance”, "
                "and practise with it from the list."
            )
        self.results_text.setText("\n".join([*lines, "", summary]))
        self._best_named = best is not None
        self.save_button.setText(
            KEEP_BEST
            if best is not None or top is None
            else f"Keep {rate_text(top)} as “{MY_RESONANCE_NAME}”"
        )
        if best is not None:  # then Enter keeps it
            key_tip(self.save_button, KEEP_TIP, "Enter")
        else:
            self.save_button.setToolTip(KEEP_TIP)
            self.save_button.setAccessibleDescription("")
        self.save_button.setVisible(top is not None)
        self.pages.setCurrentWidget(self.results_page)
        # Keeping is the default (Enter) only when a best pace was named.
        (self.save_button if best is not None else self.finish_button).setFocus()

    def save_best(self) -> None:
        """Save (or update) the "My resonance" pattern at the highest-rated pace."""
        finder = self.finder
        best = finder.run().top_rated_bpm() if finder is not None and finder.started_at else None
        if best is None:
            return
        with self._profile.trying(f"Could not save “{MY_RESONANCE_NAME}”") as saved:
            existing = [
                p
                for p in self._profile.patterns()
                if p.name.casefold() == MY_RESONANCE_NAME.casefold()
            ]
            if existing and not Dialogs.confirm(
                self,
                f"Replace “{MY_RESONANCE_NAME}”?",
                f"You already have a pattern called “{MY_RESONANCE_NAME}”, at "
                f"{rate_text(existing[0].pattern.rate_bpm)}. Replace it with {rate_text(best)}?",
                "Replace",
                "Keep the old one",
            ):
                return
            pattern_id = self._profile.save_pattern(
                MY_RESONANCE_NAME,
                resonance_pattern(best),
                existing[0].id if existing else None,
            )
        if saved.failed:
            return
        self.pattern_saved.emit(pattern_id)
        self.save_button.setVisible(False)
        self.results_text.setText(
            self.results_text.text() + f"\n\nSaved: “{MY_RESONANCE_NAME}” at {rate_text(best)}."
        )
        self.finish_button.setFocus()

    def leave(self) -> None:
        """Back to the exercises (only when no pace is under way)."""
        self._ticker.stop()
        self.done.emit()

    def show_keys(self) -> None:
        """The keys of this screen, in a small window (? or the "?" button)."""
        self.keys_dialog = open_keys(self, *FINDER_KEYS)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        finder = self.finder
        state = finder.state if finder is not None else None
        if is_enter(event):
            if click_focused_button(self):
                return
            if state is FinderState.READY:
                self.start()
            elif state is FinderState.RATING:
                self.confirm_rating()
            elif state is FinderState.RESTING:
                self.skip_rest()
            elif state in (FinderState.DONE, FinderState.STOPPED):
                if self.save_button.isVisible() and self._best_named:
                    self.save_best()
                else:
                    self.leave()
        elif event.key() == Qt.Key.Key_Space and state in (
            FinderState.BREATHING,
            FinderState.RESTING,
            FinderState.PAUSED,
        ):
            self.toggle_pause()
        elif event.key() == Qt.Key.Key_Escape:
            self.stop()
        else:
            super().keyPressEvent(event)
