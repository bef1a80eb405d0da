"""The settings dialog: this computer's (theme, reminders, data folder) and one person's.

OK and Apply save through two prefs-like objects (the app's and the profile's) and emit
:attr:`SettingsDialog.applied`; a save that fails says why and keeps the dialog open with every
choice still in it. A theme chosen is shown at once (``preview_theme``), and Cancel puts back
the one in use.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from trainer.app.settings import (
    PACER_VISUALS,
    THEMES,
    VOLUME_MAX_PCT,
    VOLUME_MIN_PCT,
    WELCOME_SEEN_KEY,
    AppSettings,
    CheckIn,
    Lengths,
    Preferences,
    ProfileSettings,
    load_app_settings,
    load_profile_settings,
    save_app_settings,
    save_profile_settings,
    setting_names,
)
from trainer.app.words import minutes_text
from trainer.content.cues import CueMode
from trainer.errors import SafeSignalError
from ui.common.dialogs import Dialogs
from ui.common.keys import key_tip
from ui.common.sound import AMBIENT_TITLE, SOUND_TITLES, offered_sound_modes
from ui.common.theme import THEME_TITLES, muted, scaled_font

__all__ = ["CHECK_IN_TITLES", "PACER_TITLES", "THEME_TITLES", "SettingsDialog"]

PACER_TITLES: Final = {
    "circle": "A circle that grows and shrinks",
    "column": "A column that rises and falls",
    "wave": "A wave you can see coming",
}
CHECK_IN_TITLES: Final = {
    CheckIn.ONE_QUESTION: "Ask one question",
    CheckIn.NOTHING: "Ask nothing",
}
CHECK_IN_NOTE: Final = (
    "A 1-minute reset (from a reminder, the tray or the menu) asks how tense you feel, on one "
    "row from 0 to 10, or nothing at all; what is not asked is kept as skipped, never as 0. "
    "Other sessions ask about tension and pain."
)
REDUCED_MOTION_NOTE: Final = (
    "The pacer shows each breath by brightness or a thin bar instead of growing and shrinking."
)
TITLE_MAX_PX: Final = 360  # a long profile name is shortened in its section's title
VOLUME_PAGE_STEP: Final = 10  # per cent, for Page Up / Page Down on the slider
VOLUME_STEP: Final = 5  # per cent, for the arrow keys
COMBO_MIN_CHARS: Final = 14

OpenUrl = Callable[[QUrl], bool]
SaveSection = Callable[[], None]
PreviewTheme = Callable[[str], object]


class SettingsDialog(QDialog):
    """Settings for this computer and for one person, saved by OK or Apply."""

    applied = Signal(object, object)  # AppSettings, ProfileSettings, after they were saved

    def __init__(
        self,
        *,
        app_prefs: Preferences,
        profile_prefs: Preferences,
        profile_name: str,
        lengths: Lengths,
        data_dir: Path,
        open_url: OpenUrl | None = None,
        preview_theme: PreviewTheme | None = None,
        theme_in_use: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``preview_theme(choice)`` applies a theme setting to the app as it is chosen;
        ``theme_in_use`` is the one applied now (the saved one unless given), put back by
        Cancel."""
        super().__init__(parent)
        self._app_prefs = app_prefs
        self._profile_prefs = profile_prefs
        self._lengths = lengths
        self._data_dir = data_dir
        self._open_url: OpenUrl = open_url or QDesktopServices.openUrl
        self._section_savers: list[SaveSection] = []
        self._section_widgets: list[QWidget] = []
        self._fitted = False
        self.setWindowTitle("Settings")
        self.setModal(True)

        bad: list[str] = []
        app = load_app_settings(app_prefs, bad=bad)
        profile = load_profile_settings(profile_prefs, lengths, bad=bad)
        self.unreadable_keys = tuple(bad)

        self.problem_note = QLabel()
        self.problem_note.setWordWrap(True)
        names = setting_names()
        shown_bad = [names[key] for key in bad if key != WELCOME_SEEN_KEY]  # that one isn't shown
        if shown_bad:
            self.problem_note.setText(
                "Some settings could not be read, so they show their usual values: "
                + ", ".join(shown_bad)
                + ". OK saves them as shown."
            )
        self.problem_note.setVisible(bool(shown_bad))

        self._build_computer_section()
        self._build_profile_section(profile_name)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("OK")
        key_tip(self.ok_button, "Save the settings and close", "Enter")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Cancel")
        key_tip(self.cancel_button, "Close without saving", "Esc")
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setText("&Apply")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.apply_button.clicked.connect(self.apply)

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(16)
        body.addWidget(self.problem_note)
        body.addWidget(self.computer_box)
        body.addWidget(self.profile_box)
        body.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(content)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the controls inside

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.buttons)

        qt_app = QApplication.instance()
        if isinstance(qt_app, QApplication):  # a control reached by its Alt key is scrolled to
            qt_app.focusChanged.connect(self._follow_focus)
        self.ok_button.setDefault(True)  # once in the dialog: Enter is OK unless a button has focus
        self.show_settings(app, profile)
        self._preview_theme = preview_theme
        self._theme_in_use = app.theme if theme_in_use is None else theme_in_use
        self._theme_shown = self._theme_in_use  # what the app shows now
        self.theme.currentIndexChanged.connect(self._preview)
        self._fix_tab_order()
        self.theme.setFocus()

    # -- building ----------------------------------------------------------------------------

    def _build_computer_section(self) -> None:
        self.computer_box = QGroupBox("On this computer")
        self.theme = _combo()
        self.theme.setAccessibleName("Theme")
        for key in THEMES:
            self.theme.addItem(THEME_TITLES[key], key)
        theme_label = QLabel("&Theme:")
        theme_label.setBuddy(self.theme)

        self.folder = _PathField(str(self._data_dir))
        self.folder.setReadOnly(True)
        self.folder.setAccessibleName("Data folder")
        self.folder.setToolTip("Where your sessions and settings are kept")
        self.folder.setCursorPosition(0)
        self.folder.setMinimumWidth(self.folder.fontMetrics().averageCharWidth() * COMBO_MIN_CHARS)
        self.open_folder_button = QPushButton("Open &folder")
        self.open_folder_button.setAccessibleName("Open the data folder")
        self.open_folder_button.clicked.connect(self.open_folder)
        folder_label = QLabel("&Data folder:")
        folder_label.setBuddy(self.folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.open_folder_button)
        folder_note = QLabel("Your sessions and settings are kept here, readable only by you.")
        folder_note.setWordWrap(True)
        muted(folder_note)

        self._computer_form = QFormLayout(self.computer_box)
        self._computer_form.setVerticalSpacing(10)
        self._computer_form.addRow(theme_label, self.theme)
        self._computer_form.addRow(folder_label, folder_row)
        self._computer_form.addRow(folder_note)
        self._folder_row = 1  # added sections go in before the folder

    def _build_profile_section(self, profile_name: str) -> None:
        title = f"For {profile_name.strip()}"
        shown = self.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, TITLE_MAX_PX)
        self.profile_box = QGroupBox(shown)
        self.profile_box.setToolTip(title)
        self.profile_box.setAccessibleName(title)

        self.reduced_motion = QCheckBox("&Reduced motion")
        self.reduced_motion.setAccessibleDescription(REDUCED_MOTION_NOTE)
        motion_note = QLabel(REDUCED_MOTION_NOTE)
        motion_note.setWordWrap(True)
        muted(motion_note)

        self.pacer = _combo()
        self.pacer.setAccessibleName("Pacer")
        for name in PACER_VISUALS:
            self.pacer.addItem(PACER_TITLES[name], name)
        pacer_label = QLabel("&Pacer:")
        pacer_label.setBuddy(self.pacer)

        self.sound = _combo()
        self.sound.setAccessibleName("Sound")
        for mode in offered_sound_modes():  # the spoken cue only where a voice is installed
            self.sound.addItem(SOUND_TITLES[mode], mode.value)
        self.ambient = QCheckBox(AMBIENT_TITLE.replace("background", "&background"))
        sound_label = QLabel("&Sound:")
        sound_label.setBuddy(self.sound)

        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(VOLUME_MIN_PCT, VOLUME_MAX_PCT)
        self.volume.setSingleStep(VOLUME_STEP)
        self.volume.setPageStep(VOLUME_PAGE_STEP)
        self.volume.setAccessibleName("Volume (%)")
        self.volume_value = QLabel()
        self.volume_value.setMinimumWidth(self.fontMetrics().horizontalAdvance("100 %  "))
        self.volume.valueChanged.connect(self._show_volume)
        volume_label = QLabel("&Volume:")
        volume_label.setBuddy(self.volume)
        volume_row = QHBoxLayout()
        volume_row.addWidget(self.volume, 1)
        volume_row.addWidget(self.volume_value)

        self.length = _combo()
        self.length.setAccessibleName("Session length offered first (minutes)")
        for minutes in self._lengths.lengths_min:
            self.length.addItem(minutes_text(minutes), minutes)
        length_label = QLabel("&Length offered first:")
        length_label.setBuddy(self.length)

        self.check_in = _combo()
        self.check_in.setAccessibleName("Before a quick reset")
        self.check_in.setAccessibleDescription(CHECK_IN_NOTE)
        for choice in CheckIn:
            self.check_in.addItem(CHECK_IN_TITLES[choice], choice.value)
        check_in_label = QLabel("Before a &quick reset:")
        check_in_label.setBuddy(self.check_in)
        check_in_note = QLabel(CHECK_IN_NOTE)
        check_in_note.setWordWrap(True)
        muted(check_in_note)

        form = QFormLayout(self.profile_box)
        form.setVerticalSpacing(10)
        form.addRow(self.reduced_motion)
        form.addRow(motion_note)
        form.addRow(pacer_label, self.pacer)
        form.addRow(sound_label, self.sound)
        form.addRow(volume_label, volume_row)
        form.addRow(self.ambient)
        form.addRow(length_label, self.length)
        form.addRow(check_in_label, self.check_in)
        form.addRow(check_in_note)

    def add_section(self, title: str, widget: QWidget, *, save: SaveSection | None = None) -> None:
        """Add a part to "On this computer" (reminders, say), between the theme and the folder.

        ``save`` is called by OK and Apply after the settings are saved; if it raises
        :class:`SafeSignalError` the message is shown and the dialog stays open.
        """
        heading = QLabel(title)
        heading.setFont(scaled_font(self, 1.0, bold=True))
        if not widget.accessibleName():
            widget.setAccessibleName(title)
        self._computer_form.insertRow(self._folder_row, heading)
        self._computer_form.insertRow(self._folder_row + 1, widget)
        self._folder_row += 2
        self._section_widgets.append(widget)
        if save is not None:
            self._section_savers.append(save)
        self._fix_tab_order()

    def _fix_tab_order(self) -> None:
        """Top to bottom: theme, the added sections, the folder, the person's settings, buttons."""
        chain: list[QWidget] = [self.theme]
        for widget in self._section_widgets:
            chain.extend(_tab_stops(widget))
        chain += [
            self.folder,
            self.open_folder_button,
            self.reduced_motion,
            self.pacer,
            self.sound,
            self.volume,
            self.ambient,
            self.length,
            self.check_in,
        ]
        chain += [b for b in self.buttons.buttons() if b.focusPolicy() != Qt.FocusPolicy.NoFocus]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- values ------------------------------------------------------------------------------

    def show_settings(self, app: AppSettings, profile: ProfileSettings) -> None:
        """Put these settings into the controls."""
        self._welcome_seen = app.welcome_seen  # not shown here; kept as it is
        self.theme.setCurrentIndex(self.theme.findData(app.theme))
        self.reduced_motion.setChecked(profile.reduced_motion)
        self.pacer.setCurrentIndex(self.pacer.findData(profile.pacer_visual))
        sound = self.sound.findData(profile.sound_mode.value)  # no voice here: its stand-in
        self.sound.setCurrentIndex(sound if sound >= 0 else self.sound.findData(CueMode.CHIME))
        self.ambient.setChecked(profile.ambient_sound)
        self.volume.setValue(profile.sound_volume_pct)
        self._show_volume(profile.sound_volume_pct)
        index = self.length.findData(profile.default_length_min)
        if index < 0:
            index = self.length.findData(self._lengths.default_minutes)
        self.length.setCurrentIndex(index)
        self.check_in.setCurrentIndex(self.check_in.findData(profile.check_in.value))

    def app_settings(self) -> AppSettings:
        """The app-wide settings as the controls show them."""
        return AppSettings(theme=str(self.theme.currentData()), welcome_seen=self._welcome_seen)

    def profile_settings(self) -> ProfileSettings:
        """The person's settings as the controls show them."""
        return ProfileSettings(
            reduced_motion=self.reduced_motion.isChecked(),
            sound_mode=CueMode(self.sound.currentData()),
            sound_volume_pct=self.volume.value(),
            default_length_min=int(self.length.currentData()),
            pacer_visual=str(self.pacer.currentData()),
            ambient_sound=self.ambient.isChecked(),
            check_in=CheckIn(self.check_in.currentData()),
        )

    def _preview(self) -> None:
        """Show the theme chosen at once (OK keeps it, Cancel puts the one in use back)."""
        self._show_theme(str(self.theme.currentData()))

    def _show_theme(self, choice: str) -> None:
        if self._preview_theme is not None and choice != self._theme_shown:
            self._theme_shown = choice
            self._preview_theme(choice)

    def _show_volume(self, value: int) -> None:
        self.volume_value.setText(f"{value} %")
        self.volume.setAccessibleDescription(f"{value} per cent")

    # -- actions -----------------------------------------------------------------------------

    def apply(self) -> bool:
        """Save everything; emit :attr:`applied` and return True, or say what failed."""
        app, profile = self.app_settings(), self.profile_settings()
        try:
            save_app_settings(self._app_prefs, app)
            save_profile_settings(self._profile_prefs, profile, self._lengths)
            for save in self._section_savers:
                save()
        except SafeSignalError as exc:
            Dialogs.error(
                self,
                "Could not save the settings",
                f"{exc}\n\nYour choices are still here: try again, or Cancel to leave them.",
            )
            return False
        self.problem_note.hide()
        self._theme_in_use = app.theme  # saved: Cancel keeps it now
        self.applied.emit(app, profile)
        return True

    def accept(self) -> None:
        """OK: save, and close only if saving worked."""
        if self.apply():
            super().accept()

    def reject(self) -> None:
        """Cancel (Esc, or the window closed): nothing more is saved, and a theme only shown
        gives way to the one in use."""
        self._show_theme(self._theme_in_use)
        super().reject()

    def open_folder(self) -> None:
        """Show the data folder in the system's file manager."""
        if not self._open_url(QUrl.fromLocalFile(str(self._data_dir))):
            Dialogs.error(
                self,
                "Could not open the folder",
                f"The file manager could not be opened for {self._data_dir}. "
                "You can copy the folder's path from the box and open it yourself.",
            )

    # -- size ----------------------------------------------------------------------------------

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Keep the control with the keyboard focus in sight (Tab does this by itself; an Alt
        key, such as Alt+Q for the quick reset's choice, does not)."""
        content = self.scroll_area.widget()
        if new is not None and content is not None and content.isAncestorOf(new):
            self.scroll_area.ensureWidgetVisible(new)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            self._fit_to_screen()

    def _fit_to_screen(self) -> None:
        """As big as the content needs, up to nine tenths of the screen (then it scrolls)."""
        content = self.scroll_area.widget()
        layout = self.layout()
        assert content is not None, "the content is set in __init__"
        assert layout is not None, "the dialog's layout is set in __init__"
        inner = content.sizeHint()
        margins = layout.contentsMargins()
        width = inner.width() + margins.left() + margins.right() + 24  # room for a scroll bar
        height = (
            inner.height()
            + self.buttons.sizeHint().height()
            + layout.spacing()
            + margins.top()
            + margins.bottom()
        )
        # The primary screen, not self.screen(): under pytest-qt on the offscreen platform a
        # QScreen reached through QWidget.screen() in showEvent was later found destroyed
        # (a crash in QScreen::virtualSiblings when the next widget was made).
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, round(available.width() * 0.9))
            height = min(height, round(available.height() * 0.9))
        self.resize(max(width, self.minimumSizeHint().width()), height)


class _PathField(QLineEdit):
    """A read-only line for a folder's path that asks for room to show it whole."""

    def sizeHint(self) -> QSize:
        """Wide enough for the whole path (up to a long line), as tall as a line edit."""
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        wanted = metrics.horizontalAdvance(self.text()) + 16
        return QSize(max(hint.width(), min(wanted, metrics.averageCharWidth() * 80)), hint.height())


def _combo() -> QComboBox:
    """A choice box as wide as its longest entry when there is room, but allowed narrower (the
    open list still shows entries whole), so large system fonts never push the dialog wider
    than the screen."""
    combo = QComboBox()
    combo.setMinimumWidth(combo.fontMetrics().averageCharWidth() * COMBO_MIN_CHARS + 40)
    return combo


def _tab_stops(widget: QWidget) -> list[QWidget]:
    """``widget`` and its descendants that take focus from Tab, in their own focus order."""
    stops: list[QWidget] = []
    current: QWidget = widget
    while True:
        if current.focusPolicy().value & Qt.FocusPolicy.TabFocus.value:
            stops.append(current)
        following = current.nextInFocusChain()
        if following is None or following is widget or not widget.isAncestorOf(following):
            break
        current = following
    return stops
