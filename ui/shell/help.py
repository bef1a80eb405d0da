"""Help (F1): the keyboard shortcuts of every screen, what the history's figures mean, and the
sources behind the exercises.

The figures' thresholds come from ``trainer.analysis.progress`` and the exercises' sources from the
catalog and the guided scripts, so the help says what the program does. A button shows the
first-run welcome again.
"""

from __future__ import annotations

import html
from typing import Final

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from trainer.analysis.history import ROLLING_DAYS
from trainer.analysis.progress import (
    CONFIDENCE,
    DROP_PERCENT,
    DROP_POINTS,
    MIN_DAYS_TREND,
    MIN_SESSIONS_CHANGE,
    MIN_SESSIONS_TREND,
    MIN_SESSIONS_WINDOW,
    WINDOW_DAYS,
)
from trainer.app.words import BREATHING_NOTE
from trainer.content.catalog import Catalog
from trainer.content.scripts import Script
from ui.common.keys import key_tip, keys_table_html
from ui.common.screen_keys import (
    ATTENTION_HOME_KEYS,
    ATTENTION_KEYS,
    FINDER_KEYS,
    FOCUS_KEYS,
    HISTORY_KEYS,
    HOME_KEYS,
    KEPT_SESSION_KEYS,
    PRACTICE_KEYS,
    RATING_KEYS,
    SUMMARY_KEYS,
    WHERE_KEYS,
    ScreenKeys,
)

__all__ = [
    "REFERENCES",
    "SHORTCUTS",
    "HelpDialog",
    "figures_html",
    "shortcuts_html",
    "sources_html",
]

READING_WIDTH_CHARS: Final = 78  # lines no longer than this, however wide the window

# Every screen's keys, as the screens handle them (ui/*.py: QShortcut, setShortcut, keyPressEvent
# and the buttons' mnemonics). The main screens' lists live in ui/common/screen_keys.py, where
# each screen's "?" window reads them too. tests/ui/test_help.py checks that each Ctrl and F key
# the code binds is listed here.
SHORTCUTS: Final[tuple[ScreenKeys, ...]] = (
    (
        "Anywhere",
        (
            ("F1", "this help"),
            ("Ctrl+,", "settings"),
            ("F10 or Alt+M", "the menu: settings, profiles, presentation mode, help"),
            ("Alt+O", "whose practice this is (the profile list; not during a session)"),
            ("Ctrl+1 / Ctrl+2", "breathing exercises / attention exercises (from either list)"),
            ("F5", "presentation mode: a full screen for showing an exercise to others"),
            ("Ctrl+Shift+D", "a demonstration: run an exercise without recording it"),
            ("Ctrl+Shift+M", "the mini pacer, a small window that stays on top"),
            ("Ctrl+Shift+R", "a 1-minute reset: a minute of easy, even breathing"),
            ("Ctrl+I", "import sessions from a JSON export"),
            ("Ctrl+Q", "quit (a session or a pace run in progress is kept, after asking)"),
        ),
    ),
    HOME_KEYS,
    (
        "Pattern editor",
        (
            ("Tab", "between the fields"),
            ("↑ ↓", "half a second more or less"),
            ("Enter / Esc", "save / cancel"),
        ),
    ),
    RATING_KEYS,
    PRACTICE_KEYS,
    FOCUS_KEYS,
    FINDER_KEYS,
    ATTENTION_HOME_KEYS,
    WHERE_KEYS,
    ATTENTION_KEYS,
    SUMMARY_KEYS,
    KEPT_SESSION_KEYS,
    HISTORY_KEYS,
    (
        "Presentation mode",
        (
            ("↑ ↓ / ← →", "choose an exercise / its length"),
            ("Enter", "start (a demonstration: nothing is recorded)"),
            ("Space", "pause or resume"),
            ("1 2 3 / V", "choose the pacer"),
            ("N or →", "the next prompt of a guided exercise"),
            ("Esc", "end the exercise; on the list, leave presentation mode"),
            ("F1 or ?", "the keys, on screen"),
        ),
    ),
    (
        "Profiles window",
        (
            ("Ctrl+N / F2 / Del", "new / rename / delete (asks you to type the name)"),
            ("Enter", "use the highlighted profile"),
        ),
    ),
    (
        "Mini pacer and reminders",
        (
            ("Space / Esc", "pause / close the mini pacer"),
            ("Enter / S / Esc", "a reminder: a 1-minute reset / snooze / not now"),
        ),
    ),
    (
        "Welcome",
        (
            ("Enter", "next / start the suggested exercise"),
            ("Backspace", "back"),
            ("Esc", "not now"),
        ),
    ),
    (
        "Settings and this help",
        (
            ("Enter / Esc", "OK / cancel (settings)"),
            ("Esc", "close this help"),
            ("Alt + the underlined letter", "go to that setting"),
            ("Ctrl+Tab", "the next tab of this help"),
        ),
    ),
)

# From ../shared/design/CLINICAL.md: (who and where, what it found).
REFERENCES: Final[tuple[tuple[str, str, str], ...]] = (
    (
        "Ashar et al. 2022, JAMA Psychiatry 79(1)",
        "https://doi.org/10.1001/jamapsychiatry.2021.2669",
        "Pain Reprocessing Therapy for chronic back pain: of 151 adults, after 4 weeks 66% of "
        "those who had it were pain-free or nearly (0–1 of 10), against 20% with a placebo and "
        "10% with usual care. Its core technique is somatic tracking. The trial gave eight "
        "sessions with a therapist to adults with back pain who had been screened for it; a "
        "guided exercise on your own is not the same thing. Safe Signal itself has not been "
        "tested in a trial.",
    ),
    (
        "Lehrer, Vaschillo & Vaschillo 2000, Applied Psychophysiology and Biofeedback 25(3)",
        "",
        "Breathing at about 6 breaths a minute makes the heart rate's natural rise and fall "
        "largest (resonance near 0.1 Hz).",
    ),
    (
        "Shaffer & Meehan 2020, Frontiers in Neuroscience 14:570400",
        "",
        "Most adults' resonance rate lies between 4.5 and 6.5 breaths a minute. They find it by "
        "breathing about 2 minutes at each rate and keeping the one with the largest heart-rate "
        "swing, measured with a sensor. Find my pace has no sensor: it keeps the pace that felt "
        "easiest and most calming to you, which finds a comfortable slow pace, not a measured "
        "resonance rate.",
    ),
    (
        "Balban et al. 2023, Cell Reports Medicine 4:100895",
        "",
        "Healthy volunteers practised breathing exercises or mindfulness 5 minutes a day for "
        "a month; those doing cyclic sighing reported improved mood, ahead of the others by a "
        "small margin. It was not a study of pain.",
    ),
    (
        "Kabat-Zinn 1982, General Hospital Psychiatry 4:33–47",
        "",
        "An outpatient mindfulness programme for people with chronic pain, in which the body "
        "scan is a core practice; an early study without a comparison group.",
    ),
    (
        "Levinson et al. 2014, Frontiers in Psychology 5:1202",
        "https://doi.org/10.3389/fpsyg.2014.01202",
        "Counting breaths from one to ten, studied as a measure of mindful attention.",
    ),
    (
        "Eccleston 1995, Behaviour Research and Therapy 33:391–405",
        "https://doi.org/10.1016/0005-7967(94)00057-Q",
        "Experiments on how people with chronic pain hold and shift their attention.",
    ),
    (
        "Farrar et al. 2001, Pain 94:149–158",
        "",
        "In chronic pain, a change of about 2 points or 30% over weeks is one that matters to "
        "people.",
    ),
    (
        "Dworkin et al. 2008 (IMMPACT), Journal of Pain 9:105–121",
        "",
        "10–20% less pain is a minimal improvement, 30% or more a moderate one and 50% or more "
        "a substantial one.",
    ),
)


def shortcuts_html() -> str:
    """The keyboard shortcuts, a small table per screen."""
    parts = ["<h2>Keyboard shortcuts</h2>"]
    parts.append(
        "<p>Everything can be done from the keyboard. Tab moves between controls; the underlined "
        "letter of a label, with Alt, goes straight to it.</p>"
    )
    for screen, keys in SHORTCUTS:
        parts.append(f"<h3>{html.escape(screen)}</h3>{keys_table_html(keys)}")
    return "".join(parts)


def figures_html() -> str:
    """What the numbers in History mean, simply and honestly."""
    level = round(CONFIDENCE * 100)
    return f"""
<h2>What the figures mean</h2>
<p>Every number in History comes from your own ratings, from 0 (none) to 10 (worst imaginable),
given just before and just after each practice. They are self-reports: honest and useful, but
not a measurement, and a change is not proof of what caused it. Each figure says how many
sessions are behind it (<i>n</i>). A rating you skipped is left out, never counted as 0.</p>

<h3>Change within a session</h3>
<p>For each session: the rating after practice minus the rating before. Below 0 means lower after
practice. This shows how practice feels in the moment, not whether pain is changing over the
weeks. These figures appear once there are {MIN_SESSIONS_CHANGE} sessions with both ratings;
until then History says how many more are needed.</p>
<ul>
<li><b>Average change, with its {level}% interval.</b> The mean of those changes. The interval
is the range the true average probably lies in, given how much your sessions differ from each
other (a Student t interval, which stays honest with few sessions). If the interval includes 0,
the sessions so far cannot tell a change apart from no change. When every change was the same,
no interval can be computed, and History says so.</li>
<li><b>Median.</b> The middle change when all of them are lined up: less swayed by a few unusual
sessions.</li>
<li><b>Wilcoxon p.</b> A test of whether the changes lean one way more than chance would
explain. It is the chance of changes at least this one-sided if, on average, practice made no
difference. A small p (below 0.05, say) suggests a real lean; it says nothing about how large
the change is or why it happened.</li>
<li><b>Sessions {DROP_POINTS} points or {DROP_PERCENT}% lower.</b> Studies of chronic pain count a
drop of about {DROP_POINTS} points or {DROP_PERCENT}% as one that matters to people. They measure
change over weeks; here it is counted per session, so read it as how often a practice brought
clear relief in the moment. The {DROP_POINTS}-point share counts only sessions that started at
{DROP_POINTS} or more, the {DROP_PERCENT}% share only those that started above 0.</li>
</ul>

<h3>The long-term trend</h3>
<p>Whether your <i>before-practice</i> ratings move over the weeks.</p>
<ul>
<li><b>{ROLLING_DAYS}-day average.</b> The line on "Ratings over time": the average
before-rating over the {ROLLING_DAYS} days up to each day you practised. Days without practice
leave a gap instead of a made-up value.</li>
<li><b>First and most recent {WINDOW_DAYS} days.</b> The average before-rating of each stretch
(each needs {MIN_SESSIONS_WINDOW} sessions).</li>
<li><b>Slope per week.</b> A straight line through all your before-ratings: how many points a
week it rises or falls, with its {level}% interval. Ratings on nearby days are related, so the
real uncertainty is wider than the interval shows.</li>
</ul>
<p>The trend appears after {MIN_SESSIONS_TREND} sessions spread over at least
{MIN_DAYS_TREND} days.</p>

<h3>Why a change is not proof</h3>
<ul>
<li>People often start practising when pain is at its worst, and bad spells tend to ease by
themselves (regression to the mean), so ratings can fall whatever we do.</li>
<li>Hoping to feel better can change how we rate.</li>
<li>Sleep, stress, medicines, activity, weather and life all move pain too.</li>
</ul>
<p>So the figures show what happened, not why. They can be a good start for a conversation with
your clinician; the PDF report (Ctrl+P in History) is made for that.</p>
"""


def sources_html(catalog: Catalog, scripts: tuple[Script, ...]) -> str:
    """Where each exercise comes from, and the studies the app rests on."""

    def entries(items: list[tuple[str, str]]) -> str:
        rows = "".join(
            f"<li><b>{html.escape(title)}.</b> {html.escape(source)}</li>"
            for title, source in items
            if source
        )
        return f"<ul>{rows}</ul>"

    breathing = [(e.title, e.source) for e in catalog.exercises if e.custom_id is None]
    attention = [(s.title, s.source) for s in scripts]
    studies = "".join(
        f"<li><b>{html.escape(who)}.</b> {html.escape(found)}"
        + (f" <a href='{html.escape(link)}'>{html.escape(link)}</a>" if link else "")
        + "</li>"
        for who, link, found in REFERENCES
    )
    return f"""
<h2>Sources behind the exercises</h2>
<p>The exercises are written for Safe Signal, following published techniques. The studies below
tested those techniques, not this app: Safe Signal itself has not been tested in a trial. It is a
practice tool, not medical advice; for pain that is new, severe or changing, please see a
clinician.</p>
<h3>Breathing exercises</h3>
{entries(breathing)}
<p>{html.escape(BREATHING_NOTE)}</p>
<p>Holds are optional: shorten them or leave them out (No holds), and stop if you feel dizzy or
light-headed.</p>
<h3>Attention exercises</h3>
{entries(attention)}
<h3>Studies</h3>
<ul>{studies}</ul>
"""


class _ReadingBrowser(QTextBrowser):
    """Read-only rich text whose lines never grow longer than a comfortable reading width."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__()
        self.setOpenExternalLinks(True)
        self.setAccessibleName(name)
        self.setHtml(text)
        self.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)
        self._fit_width()

    def reading_width_px(self) -> int:
        """The longest line allowed, in pixels, for the current font."""
        return self.fontMetrics().averageCharWidth() * READING_WIDTH_CHARS

    def _fit_width(self) -> None:
        margin = round(2 * self.document().documentMargin()) + 2
        self.setLineWrapColumnOrWidth(
            max(1, min(self.reading_width_px(), self.viewport().width() - margin))
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_width()


class HelpDialog(QDialog):
    """Help in three tabs; "Show the welcome again" asks for the first-run welcome."""

    welcome_requested = Signal()

    def __init__(
        self,
        catalog: Catalog,
        scripts: tuple[Script, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Safe Signal help")
        self.tabs = QTabWidget()
        self.tabs.tabBar().setAccessibleName("Help topics")
        self.keys = _ReadingBrowser(shortcuts_html(), "Keyboard shortcuts")
        self.figures = _ReadingBrowser(figures_html(), "What the figures mean")
        self.sources = _ReadingBrowser(sources_html(catalog, scripts), "Sources")
        self.tabs.addTab(self.keys, "&Keyboard")
        self.tabs.addTab(self.figures, "What the &figures mean")
        self.tabs.addTab(self.sources, "&Sources")

        self.welcome_button = QPushButton("Show the &welcome again")
        self.welcome_button.setAutoDefault(False)
        self.welcome_button.clicked.connect(self._on_welcome)
        self.close_button = QPushButton("Close")
        key_tip(self.close_button, "Close the help", "Esc")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.welcome_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        width = self.keys.reading_width_px() + 80
        self.resize(width, round(width * 0.85))
        self.tabs.currentChanged.connect(lambda _index: self.tabs.currentWidget().setFocus())
        self.keys.setFocus()

    def show_tab(self, index: int) -> None:
        """Open on one tab: 0 keyboard, 1 the figures, 2 the sources."""
        self.tabs.setCurrentIndex(index)

    def _on_welcome(self) -> None:
        self.welcome_requested.emit()
        self.accept()
