"""Colours, type and space: a calm light theme, a dark one and a high-contrast one, applied through
Qt's palette, a style sheet and a small style of our own (check boxes, radio buttons, focus
outlines), with the few shared measures every screen and dialog is built from.

The visual language, defined once here:

- **A soft backdrop.** Every main window and dialog is painted with a gentle vertical gradient
  (:attr:`Theme.backdrop_top` through ``window`` to :attr:`Theme.backdrop_bottom`; high contrast
  stays plain). Screens, plain widgets and scroll areas are see-through, so it shows behind them.
  A window of another kind takes it with :func:`soft_backdrop`; a widget that paints its own
  background paints the part behind it with :func:`paint_backdrop`.
- **Type with a clear hierarchy**: :class:`TextRole` (title, section, lead, body, caption), given
  to a label with :func:`text_role` (or :func:`role_font` for a font).
- **One spacing scale**: :class:`Space` (4, 8, 12, 16, 24, 32 px). Screens use
  :func:`screen_layout`, dialogs :func:`dialog_layout`; Qt's default margins and gaps follow it.
- **Calm rounded buttons, one primary per screen**: :func:`primary` marks a screen's main action
  (filled with the accent; the style sheet's ``primary`` property).

A theme can be changed while the app runs (:func:`apply_theme` again). How screens follow:

- widgets that look colours up when they paint (``current_theme()`` in ``paintEvent``) or take
  them from the palette need nothing: a new palette repaints them;
- widgets that cache colours rebuild them on ``QEvent.PaletteChange``/``StyleChange`` (the
  pacers, the body map), which every widget gets when the application's palette changes;
- anything that is not a widget (the history's pyqtgraph items) or sets colours once listens to
  ``theme_signals().changed``, emitted after the new theme is fully in place.

:func:`current_theme` already answers with the new theme while those events are delivered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from functools import cache
from typing import Final

from PySide6.QtCore import QObject, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QLinearGradient,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleHintReturn,
    QStyleOption,
    QStyleOptionComplex,
    QStyleOptionSlider,
    QVBoxLayout,
    QWidget,
)

from trainer.app.settings import THEMES as SETTING_THEMES

MIN_BASE_POINT_SIZE = 11
FOCUS_WIDTH_PX: Final = 2  # the keyboard-focus outline, on every kind of control


class Space:
    """The one spacing scale (px): every margin and gap in the app is one of these."""

    XS: Final = 4
    S: Final = 8
    M: Final = 12
    L: Final = 16
    XL: Final = 24
    XXL: Final = 32


SPACING_SCALE_PX: Final = (Space.XS, Space.S, Space.M, Space.L, Space.XL, Space.XXL)
SCREEN_MARGINS_PX: Final = (Space.XXL, Space.XL, Space.XXL, Space.L)  # left, top, right, bottom
DIALOG_MARGINS_PX: Final = (Space.XL, Space.L, Space.XL, Space.L)
BUTTON_RADIUS_PX: Final = 10  # calm, rounded buttons


class TextRole(Enum):
    """The type hierarchy: each role's size (times the body size, so it follows the system font
    size) and whether it is bold. A screen has one title; sections head its parts; a lead is the
    sentence that says what the screen is for; captions are small notes."""

    TITLE = (1.8, True)
    SECTION = (1.3, True)
    LEAD = (1.15, False)
    BODY = (1.0, False)
    CAPTION = (0.9, False)

    @property
    def factor(self) -> float:
        """The size, times the body text's."""
        return self.value[0]

    @property
    def bold(self) -> bool:
        """Whether text in this role is bold."""
        return self.value[1]


@dataclass(frozen=True)
class Theme:
    """The few colours every screen draws with.

    ``border`` outlines controls (fields, check boxes, buttons) and stands out from ``window``
    and ``surface`` by at least 3:1; ``accent`` also marks keyboard focus. ``disabled_text`` is
    the text of controls that cannot be used now: still readable (4.5:1), but plainly fainter
    than ``text``. ``dark`` says the background is dark (for colours picked per background).
    """

    name: str
    window: str
    surface: str
    text: str
    muted_text: str
    accent: str
    accent_text: str
    pacer: str
    pacer_guide: str
    border: str
    disabled_text: str
    dark: bool
    backdrop_top: str
    backdrop_bottom: str


LIGHT = Theme(
    name="light",
    window="#f3f6f5",
    surface="#ffffff",
    text="#1d2a2f",
    muted_text="#4a5a60",
    accent="#1f6f6b",
    accent_text="#ffffff",
    pacer="#2f8a83",
    pacer_guide="#d0e3e0",
    border="#76898a",
    disabled_text="#5f6e73",
    dark=False,
    backdrop_top="#fafcfb",  # a little light from above
    backdrop_bottom="#e8f1ee",  # settling into a soft sea-green
)

DARK = Theme(
    name="dark",
    window="#162023",
    surface="#1f2b2f",
    text="#e8efee",
    muted_text="#b3c2c0",
    accent="#6cc3bb",
    accent_text="#0f1a1c",
    pacer="#5cb8ae",
    pacer_guide="#35514f",
    border="#6f8a87",
    disabled_text="#8c9c9a",
    dark=True,
    backdrop_top="#1c292d",
    backdrop_bottom="#10181a",
)

HIGH_CONTRAST = Theme(
    name="high_contrast",
    window="#0a0a0a",
    surface="#1a1a1a",
    text="#ffffff",
    muted_text="#d8d8d8",
    accent="#5ce1ff",
    accent_text="#000000",
    pacer="#ffd84d",
    pacer_guide="#666666",
    border="#e6e6e6",
    disabled_text="#9a9a9a",
    dark=True,
    backdrop_top="#0a0a0a",  # high contrast stays plain
    backdrop_bottom="#0a0a0a",
)

THEMES: Final = {theme.name: theme for theme in (LIGHT, DARK, HIGH_CONTRAST)}
SYSTEM: Final = "system"
THEME_CHOICES: Final = SETTING_THEMES  # the setting's values, from the Qt-free settings
THEME_TITLES: Final = {
    SYSTEM: "Follow the system",
    LIGHT.name: "Light",
    DARK.name: "Dark",
    HIGH_CONTRAST.name: "High contrast",
}


def resolve_theme(choice: str, app: QGuiApplication) -> Theme:
    """The theme for a setting: ``system`` follows the desktop's colour scheme (dark gives the
    dark theme, anything else the light one); a theme's name gives that theme; anything else
    gives the light theme."""
    if choice == SYSTEM:
        dark = app.styleHints().colorScheme() is Qt.ColorScheme.Dark
        return DARK if dark else LIGHT
    return THEMES.get(choice, LIGHT)


def apply_theme_choice(app: QApplication, choice: str) -> Theme:
    """Apply the theme a setting names (see :func:`resolve_theme`) and return it. While the
    setting is ``system``, a change of the desktop's colour scheme is followed as it happens."""
    app.setProperty("safesignal_theme_choice", choice)
    if not app.property("safesignal_follows_scheme"):
        app.setProperty("safesignal_follows_scheme", True)
        app.styleHints().colorSchemeChanged.connect(lambda scheme: _follow_scheme(app, scheme))
    theme = resolve_theme(choice, app)
    apply_theme(app, theme)
    return theme


def theme_choice(app: QApplication) -> str:
    """The theme setting last given to :func:`apply_theme_choice` (``system`` before any)."""
    choice = app.property("safesignal_theme_choice")
    return str(choice) if choice else SYSTEM


def _follow_scheme(app: QApplication, scheme: Qt.ColorScheme) -> None:
    """The desktop switched between light and dark: follow it if the setting says so."""
    if app.property("safesignal_theme_choice") == SYSTEM:
        apply_theme(app, DARK if scheme is Qt.ColorScheme.Dark else LIGHT)


class ThemeSignals(QObject):
    """Tells whoever listens that a new theme is in place (``changed(theme)``)."""

    changed = Signal(object)


@cache
def theme_signals() -> ThemeSignals:
    """The one :class:`ThemeSignals` of the application (made on first use)."""
    return ThemeSignals()


_LAYOUT_MARGINS: Final = (
    QStyle.PixelMetric.PM_LayoutLeftMargin,
    QStyle.PixelMetric.PM_LayoutTopMargin,
    QStyle.PixelMetric.PM_LayoutRightMargin,
    QStyle.PixelMetric.PM_LayoutBottomMargin,
)
_LAYOUT_GAPS: Final = (
    QStyle.PixelMetric.PM_LayoutHorizontalSpacing,
    QStyle.PixelMetric.PM_LayoutVerticalSpacing,
)


class _Style(QProxyStyle):
    """Fusion with clear edges and a clear keyboard focus in every theme.

    Fusion draws the edges of fields, lists, check boxes and radio buttons a little darker than
    the window, which all but vanishes on a dark one. Here they are drawn in the theme's
    ``border`` colour; the control with keyboard focus gets a 2-pixel ``accent`` outline instead
    (fields, spin boxes, drop-down lists, lists and tables, the current tab), and so do the
    focus frames Qt draws in table cells. Sliders are a groove in the border colour filled with
    the accent up to a round handle (Fusion's are faint on dark backgrounds too). Push buttons, check boxes, radio buttons and sliders show their
    focus with the style sheet's outline.

    Layouts that set no margins or gaps of their own take them from the spacing scale
    (:class:`Space`). No button shows one of Qt's stock icons: dialog buttons (OK, Cancel...)
    carry words only, whatever the desktop prefers, and the symbols Qt asks the style for
    (message boxes, the file dialog's buttons) are our own line icons (:mod:`ui.common.icons`).
    """

    def __init__(self, base: QStyle | None = None) -> None:
        super().__init__(base if base is not None else QStyleFactory.create("Fusion"))

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        return_data: QStyleHintReturn | None = None,
    ) -> int:
        if hint is QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 0  # words alone: the desktop's stock OK/Cancel pictures are not ours
        return super().styleHint(hint, option, widget, return_data)

    def standardIcon(
        self,
        pixmap: QStyle.StandardPixmap,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> QIcon:
        from ui.common.icons import standard_icon  # icons draws in this module's colours

        ours = standard_icon(pixmap)
        if ours is not None:
            return ours
        return super().standardIcon(pixmap, option, widget)

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        size = super().pixelMetric(metric, option, widget)
        if metric in (
            QStyle.PixelMetric.PM_IndicatorWidth,
            QStyle.PixelMetric.PM_IndicatorHeight,
            QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
            QStyle.PixelMetric.PM_ExclusiveIndicatorHeight,
        ):
            font = widget.font() if widget is not None else QApplication.font()
            return max(size, round(QFontMetrics(font).height() * 0.9))  # follows the text size
        if metric is QStyle.PixelMetric.PM_DefaultFrameWidth and isinstance(
            widget, QAbstractScrollArea
        ):
            return max(size, FOCUS_WIDTH_PX)  # room for the whole focus outline of a list
        if metric in _LAYOUT_MARGINS:
            window = widget is not None and widget.isWindow()
            return Space.L if window else Space.S
        if metric in _LAYOUT_GAPS:
            return Space.S
        return size

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        kind = QStyle.PrimitiveElement
        if element is kind.PE_IndicatorCheckBox:
            _draw_indicator(option, painter, round_box=False)
        elif element is kind.PE_IndicatorRadioButton:
            _draw_indicator(option, painter, round_box=True)
        elif element is kind.PE_FrameFocusRect:
            keyboard = option.state & QStyle.StateFlag.State_KeyboardFocusChange
            if keyboard and not isinstance(widget, QAbstractButton):  # those have their own
                _draw_focus_frame(QRectF(option.rect), painter)
        elif element is kind.PE_FrameLineEdit or (
            element is kind.PE_Frame and isinstance(widget, QAbstractScrollArea)
        ):
            _draw_edge(option, painter)
        else:
            super().drawPrimitive(element, option, painter, widget)

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        if element is QStyle.ControlElement.CE_TabBarTabShape:
            focus = QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_KeyboardFocusChange
            if option.state & focus == focus:  # Fusion only tints the tab a little
                _draw_focus_frame(QRectF(option.rect).adjusted(1, 1, -1, 0), painter)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if control is QStyle.ComplexControl.CC_Slider and isinstance(option, QStyleOptionSlider):
            self._draw_slider(option, painter, widget)
            return
        super().drawComplexControl(control, option, painter, widget)
        if control in (QStyle.ComplexControl.CC_SpinBox, QStyle.ComplexControl.CC_ComboBox):
            _draw_edge(option, painter)

    def _draw_slider(
        self, option: QStyleOptionSlider, painter: QPainter, widget: QWidget | None
    ) -> None:
        """A groove in the border colour, filled with the accent up to a round handle."""
        theme = current_theme()
        control = QStyle.ComplexControl.CC_Slider
        # PySide6's stub wants a QWidget; Qt takes none (nullptr), as drawComplexControl gives.
        groove = QRectF(
            self.subControlRect(control, option, QStyle.SubControl.SC_SliderGroove, widget)  # type: ignore[arg-type]
        )
        handle = QRectF(
            self.subControlRect(control, option, QStyle.SubControl.SC_SliderHandle, widget)  # type: ignore[arg-type]
        )
        enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        horizontal = option.orientation is Qt.Orientation.Horizontal
        thick = max(4.0, min(groove.height() if horizontal else groove.width(), 6.0))
        centre = handle.center()
        if horizontal:
            track = QRectF(groove.left(), groove.center().y() - thick / 2, groove.width(), thick)
            filled = QRectF(track.left(), track.top(), centre.x() - track.left(), thick)
        else:
            track = QRectF(groove.center().x() - thick / 2, groove.top(), thick, groove.height())
            filled = QRectF(track.left(), centre.y(), thick, track.bottom() - centre.y())
        accent = theme.accent if enabled else mix(theme.border, theme.window, 0.5)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.border if enabled else mix(theme.border, theme.window, 0.5)))
        painter.drawRoundedRect(track, thick / 2, thick / 2)
        painter.setBrush(QColor(accent))
        painter.drawRoundedRect(filled, thick / 2, thick / 2)
        radius = min(handle.width(), handle.height()) / 2 - 1
        painter.setPen(QPen(QColor(accent), 2.0))
        painter.setBrush(QColor(theme.surface))
        painter.drawEllipse(centre, radius, radius)
        painter.restore()


def _draw_edge(option: QStyleOption, painter: QPainter) -> None:
    """A control's edge: the border colour, or the 2-pixel accent outline while it has focus."""
    if option.state & QStyle.StateFlag.State_HasFocus:
        _draw_focus_frame(QRectF(option.rect), painter)
        return
    theme = current_theme()
    enabled = option.state & QStyle.StateFlag.State_Enabled
    colour = theme.border if enabled else mix(theme.border, theme.window, 0.5)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(colour), 1.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), 2.5, 2.5)
    painter.restore()


def _draw_indicator(option: QStyleOption, painter: QPainter, *, round_box: bool) -> None:
    """A check box (or radio button) with a clear edge, filled with the accent when on."""
    theme = current_theme()
    state = option.state
    enabled = bool(state & QStyle.StateFlag.State_Enabled)
    on = bool(state & (QStyle.StateFlag.State_On | QStyle.StateFlag.State_NoChange))
    hover = enabled and bool(state & QStyle.StateFlag.State_MouseOver)
    edge = QColor(theme.accent if on or hover else theme.border)
    fill = QColor(theme.accent if on else theme.surface)
    if not enabled:
        edge, fill = QColor(mix(theme.border, theme.window, 0.5)), QColor(theme.window)
    side = min(option.rect.width(), option.rect.height())
    width = max(1.5, side / 9)
    box = QRectF(option.rect).adjusted(width / 2, width / 2, -width / 2, -width / 2)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(edge, width))
    painter.setBrush(fill)
    if round_box:
        painter.drawEllipse(box)
    else:
        painter.drawRoundedRect(box, side * 0.18, side * 0.18)
    mark = QColor(theme.accent_text if enabled else theme.disabled_text)
    x, y, w, h = box.x(), box.y(), box.width(), box.height()
    pen = QPen(mark, width * 1.3)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if round_box and on:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(mark)
        painter.drawEllipse(box.center(), w * 0.22, h * 0.22)
    elif state & QStyle.StateFlag.State_NoChange:
        painter.setPen(pen)
        painter.drawLine(QPointF(x + w * 0.25, y + h / 2), QPointF(x + w * 0.75, y + h / 2))
    elif on:
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolyline(
            [
                QPointF(x + w * 0.24, y + h * 0.52),
                QPointF(x + w * 0.43, y + h * 0.71),
                QPointF(x + w * 0.77, y + h * 0.3),
            ]
        )
    painter.restore()


def _draw_focus_frame(rect: QRectF, painter: QPainter) -> None:
    """The keyboard-focus outline: the accent, 2 pixels wide, with rounded corners."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    half = FOCUS_WIDTH_PX / 2
    painter.setPen(QPen(QColor(current_theme().accent), FOCUS_WIDTH_PX))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect.adjusted(half, half, -half, -half), 3, 3)
    painter.restore()


def palette_for(theme: Theme) -> QPalette:
    """The Qt palette of ``theme`` (with its own text colour for disabled controls)."""
    palette = QPalette()
    window, surface, text = QColor(theme.window), QColor(theme.surface), QColor(theme.text)
    muted_text, disabled_text = QColor(theme.muted_text), QColor(theme.disabled_text)
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.Base, surface),
        (QPalette.ColorRole.AlternateBase, window),
        (QPalette.ColorRole.Button, surface),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, text),
        (QPalette.ColorRole.ToolTipBase, surface),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, muted_text),
        (QPalette.ColorRole.Highlight, QColor(theme.accent)),
        (QPalette.ColorRole.HighlightedText, QColor(theme.accent_text)),
        (QPalette.ColorRole.Link, QColor(theme.accent)),
        (QPalette.ColorRole.LinkVisited, QColor(theme.accent)),
        # Fusion draws frames, bevels and separators from these.
        (QPalette.ColorRole.Light, QColor(mix(theme.surface, theme.text, 0.08))),
        (QPalette.ColorRole.Midlight, QColor(mix(theme.surface, theme.border, 0.5))),
        (QPalette.ColorRole.Mid, QColor(theme.border)),
        (QPalette.ColorRole.Dark, QColor(theme.border)),
        (QPalette.ColorRole.Shadow, QColor(mix(theme.window, "#000000", 0.5))),
    ):
        palette.setColor(role, colour)
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(disabled, role, disabled_text)
    palette.setColor(disabled, QPalette.ColorRole.Button, window)
    palette.setColor(disabled, QPalette.ColorRole.Base, window)
    return palette


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Use ``theme`` from now on: our Fusion-based style, the theme's palette and style sheet and
    a comfortable base font size. Can be called again at any time; every screen follows."""
    app.setProperty("safesignal_theme", theme.name)  # before any widget hears of the change
    if not app.property("safesignal_style"):
        app.setStyle(_Style())
        app.setProperty("safesignal_style", True)
    app.setPalette(palette_for(theme))
    font = app.font()
    if font.pointSize() < MIN_BASE_POINT_SIZE:
        font.setPointSize(MIN_BASE_POINT_SIZE)
        app.setFont(font)
    app.setStyleSheet(style_sheet(theme))
    theme_signals().changed.emit(theme)


def backdrop_css(theme: Theme) -> str:
    """The backdrop as a style-sheet gradient (top to bottom, ``window`` half way down)."""
    return (
        "qlineargradient(x1:0, y1:0, x2:0, y2:1, "
        f"stop:0 {theme.backdrop_top}, stop:0.5 {theme.window}, stop:1 {theme.backdrop_bottom})"
    )


def style_sheet(theme: Theme) -> str:
    """The soft backdrop behind windows and dialogs (screens and scroll areas let it through);
    calm rounded buttons large enough to hit, one filled primary action, a clear chosen state,
    and a 2-pixel outline on the buttons, check boxes, radio buttons and sliders that have
    keyboard focus (the other controls get theirs from the style: :class:`_Style`)."""
    t = theme
    hover = mix(t.surface, t.accent, 0.08)
    pressed = mix(t.surface, t.accent, 0.16)
    return f"""
    QMainWindow, QDialog, *[backdrop="true"] {{ background: {backdrop_css(t)}; }}
    QScrollArea {{ background: transparent; }}
    QScrollArea > QWidget#qt_scrollarea_viewport > QWidget {{ background: transparent; }}
    QPushButton {{
        background: {t.surface}; color: {t.text};
        border: 1px solid {t.border}; border-radius: {BUTTON_RADIUS_PX}px;
        padding: 6px 16px; min-height: 1.4em;
    }}
    QPushButton[scale="true"] {{ padding: 6px 2px; border-radius: 6px; }}
    QPushButton:hover {{ border-color: {t.accent}; background: {hover}; }}
    QPushButton:pressed {{ background: {pressed}; }}
    QPushButton:focus {{ border: 2px solid {t.accent}; padding: 5px 15px; }}
    QPushButton[scale="true"]:focus {{ padding: 5px 1px; }}
    QPushButton:checked {{
        background: {t.accent}; color: {t.accent_text};
        border-color: {t.accent}; font-weight: bold;
    }}
    QPushButton:checked:focus {{ border: 2px solid {t.text}; }}
    QPushButton:disabled {{
        color: {t.disabled_text}; background: {t.window};
        border: 1px solid {mix(t.border, t.window, 0.5)};
    }}
    QSlider, QCheckBox, QRadioButton {{
        border: 2px solid transparent; border-radius: 4px; padding: 1px 3px;
    }}
    QSlider:focus, QCheckBox:focus, QRadioButton:focus {{ border-color: {t.accent}; }}
    QToolButton:focus {{ border: 2px solid {t.accent}; border-radius: 4px; }}
    QPushButton[primary="true"] {{
        background: {t.accent}; color: {t.accent_text}; border: 3px solid {t.accent};
        border-radius: 10px; padding: 10px 28px; font-weight: bold; min-height: 1.8em;
    }}
    QPushButton[primary="true"]:hover {{ background: {mix(t.accent, t.text, 0.15)}; }}
    QPushButton[primary="true"]:pressed {{ background: {mix(t.accent, t.text, 0.3)}; }}
    QPushButton[primary="true"]:focus {{ border-color: {t.text}; }}
    QPushButton[primary="true"]:disabled {{
        color: {t.disabled_text}; background: {t.window};
        border: 3px solid {mix(t.border, t.window, 0.5)};
    }}
    QToolButton[round="true"] {{
        border: 1px solid {t.border}; border-radius: 14px; background: {t.surface};
        min-width: 26px; max-width: 26px; min-height: 26px; max-height: 26px; padding: 0;
    }}
    QToolButton[round="true"]:focus {{ border: 2px solid {t.accent}; }}
    QFrame[card="true"] {{
        background: {t.surface}; border: 1px solid {t.border}; border-radius: 12px;
    }}
    QToolTip {{
        background: {t.surface}; color: {t.text}; border: 1px solid {t.border};
        border-radius: 6px; padding: 4px 8px;
    }}
    *[muted="true"] {{ color: {t.muted_text}; }}
    """


def current_theme() -> Theme:
    """The theme last applied to the application (light if none)."""
    app = QApplication.instance()
    name = app.property("safesignal_theme") if app is not None else None
    return THEMES.get(str(name), LIGHT)


def mix(colour: str, towards: str, share: float) -> str:
    """``colour`` moved ``share`` of the way to ``towards`` (0 keeps it, 1 gives ``towards``)."""
    a, b = QColor(colour), QColor(towards)
    mixed = QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * share,
        a.greenF() + (b.greenF() - a.greenF()) * share,
        a.blueF() + (b.blueF() - a.blueF()) * share,
    )
    return str(mixed.name())


def dimmed(theme: Theme, strength: float = 0.3) -> Theme:
    """``theme`` with the pacer's colours faded towards the background ("eyes closed")."""
    fade = 1.0 - strength
    return replace(
        theme,
        pacer=mix(theme.pacer, theme.window, fade),
        pacer_guide=mix(theme.pacer_guide, theme.window, fade),
        accent=mix(theme.accent, theme.window, fade),
        text=mix(theme.text, theme.window, fade),
        muted_text=mix(theme.muted_text, theme.window, fade),
    )


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    """The widget's font scaled by ``factor`` (so it follows the system font size). For text
    with a place in the hierarchy, use :func:`role_font` or :func:`text_role` instead."""
    font = QFont(widget.font())
    font.setPointSizeF(max(1.0, font.pointSizeF() * factor))
    font.setBold(bold)
    return font


def role_font(widget: QWidget, role: TextRole) -> QFont:
    """The font of ``role`` (:class:`TextRole`), from the widget's font."""
    return scaled_font(widget, role.factor, bold=role.bold)


def text_role(label: QWidget, role: TextRole) -> QWidget:
    """Give ``label`` the size and weight of ``role``; captions are also in the secondary
    colour. Returns the label, so it can be used where the label is made."""
    label.setFont(role_font(label, role))
    label.setProperty("text_role", role.name.lower())
    if role is TextRole.CAPTION:
        muted(label)
    return label


def heading(text: str, role: TextRole = TextRole.TITLE) -> QLabel:
    """A new label in a heading role (the screen's title by default), wrapping if need be."""
    label = QLabel(text)
    label.setWordWrap(True)
    text_role(label, role)
    return label


def primary(button: QAbstractButton, on: bool = True) -> QAbstractButton:
    """Mark ``button`` as its screen's (or dialog's) main action: filled with the accent, in
    bold. One per screen. The style sheet reads the ``primary`` property, so it follows a change
    of theme by itself; ``on=False`` makes it an ordinary button again."""
    if button.property("primary") is on:
        return button
    button.setProperty("primary", on)
    if button.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        button.style().unpolish(button)
        button.style().polish(button)
        button.updateGeometry()  # bold words are wider
    return button


def is_primary(button: QAbstractButton) -> bool:
    """Whether ``button`` is marked as the main action (:func:`primary`)."""
    return button.property("primary") is True


def muted(widget: QWidget) -> None:
    """Draw a label's text in the theme's secondary colour (the style sheet's ``muted`` rule, so
    it follows a change of theme by itself)."""
    if widget.property("muted") is True:
        return
    widget.setProperty("muted", True)
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def soft_backdrop(window: QWidget) -> None:
    """Paint the theme's backdrop behind ``window``, a top-level widget that is neither a main
    window nor a dialog (those have it already). Follows a change of theme by itself."""
    window.setProperty("backdrop", True)
    window.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    if window.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        window.style().unpolish(window)
        window.style().polish(window)


def backdrop_gradient(theme: Theme, top_y: float, height: float) -> QLinearGradient:
    """The backdrop of a window ``height`` pixels tall whose top is at ``top_y`` (in the
    coordinates it will be painted in)."""
    gradient = QLinearGradient(0.0, top_y, 0.0, top_y + max(1.0, height))
    gradient.setColorAt(0.0, QColor(theme.backdrop_top))
    gradient.setColorAt(0.5, QColor(theme.window))
    gradient.setColorAt(1.0, QColor(theme.backdrop_bottom))
    return gradient


def has_backdrop(window: QWidget) -> bool:
    """Whether the top-level ``window`` is painted with the backdrop (main windows, dialogs and
    those given :func:`soft_backdrop`); others (full-screen focus and presentation windows) keep
    the plain ``window`` colour."""
    return isinstance(window, (QMainWindow, QDialog)) or window.property("backdrop") is True


def paint_backdrop(
    painter: QPainter,
    widget: QWidget,
    rect: QRect | QRectF | None = None,
    theme: Theme | None = None,
) -> None:
    """Fill ``rect`` (the whole widget by default) of ``widget`` with what its window paints
    behind it: the part of the backdrop that lies there, or the plain ``window`` colour in a
    window without one. For widgets that paint their own background (or an image of it), so
    they sit on the backdrop without a seam."""
    theme = theme or current_theme()
    area = QRectF(rect if rect is not None else widget.rect())
    window = widget.window()
    if not has_backdrop(window):
        painter.fillRect(area, QColor(theme.window))
        return
    offset = widget.mapTo(window, QPoint(0, 0)) if window is not widget else QPoint(0, 0)
    painter.fillRect(area, backdrop_gradient(theme, -offset.y(), window.height()))


def screen_layout(screen: QWidget, spacing: int = Space.M) -> QVBoxLayout:
    """The vertical layout every full-window screen uses: the same margins on every screen
    (:data:`SCREEN_MARGINS_PX`) and a gap from the spacing scale."""
    layout = QVBoxLayout(screen)
    layout.setContentsMargins(*SCREEN_MARGINS_PX)
    layout.setSpacing(spacing)
    return layout


def dialog_layout(dialog: QWidget, spacing: int = Space.M) -> QVBoxLayout:
    """The vertical layout of a dialog: its margins and gap from the spacing scale."""
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(*DIALOG_MARGINS_PX)
    layout.setSpacing(spacing)
    return layout
