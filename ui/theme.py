"""Colours and type: a calm light theme and a dark one, applied through Qt's palette."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

MIN_BASE_POINT_SIZE = 11


@dataclass(frozen=True)
class Theme:
    """The few colours every screen draws with."""

    name: str
    window: str
    surface: str
    text: str
    muted_text: str
    accent: str
    accent_text: str
    pacer: str
    pacer_guide: str


LIGHT = Theme(
    name="light",
    window="#f3f6f5",
    surface="#ffffff",
    text="#1d2a2f",
    muted_text="#4a5a60",
    accent="#1f6f6b",
    accent_text="#ffffff",
    pacer="#3d9a93",
    pacer_guide="#b9d3cf",
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
)

THEMES = {LIGHT.name: LIGHT, DARK.name: DARK}


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Use the Fusion style with this theme's palette and a comfortable base font size."""
    app.setStyle("Fusion")
    palette = QPalette()
    window, surface, text = QColor(theme.window), QColor(theme.surface), QColor(theme.text)
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.Base, surface),
        (QPalette.ColorRole.AlternateBase, window),
        (QPalette.ColorRole.Button, surface),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.ToolTipBase, surface),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, QColor(theme.muted_text)),
        (QPalette.ColorRole.Highlight, QColor(theme.accent)),
        (QPalette.ColorRole.HighlightedText, QColor(theme.accent_text)),
        (QPalette.ColorRole.Link, QColor(theme.accent)),
    ):
        palette.setColor(role, colour)
    app.setPalette(palette)
    font = app.font()
    if font.pointSize() < MIN_BASE_POINT_SIZE:
        font.setPointSize(MIN_BASE_POINT_SIZE)
        app.setFont(font)
    app.setStyleSheet(style_sheet(theme))
    app.setProperty("safesignal_theme", theme.name)


def style_sheet(theme: Theme) -> str:
    """Buttons large enough to hit, a clear keyboard-focus outline and a clear chosen state."""
    return f"""
    QPushButton {{
        background: {theme.surface}; color: {theme.text};
        border: 1px solid {theme.pacer_guide}; border-radius: 6px;
        padding: 6px 16px; min-height: 1.4em;
    }}
    QPushButton:hover {{ border-color: {theme.accent}; }}
    QPushButton:focus {{ border: 2px solid {theme.accent}; }}
    QPushButton:checked {{
        background: {theme.accent}; color: {theme.accent_text};
        border-color: {theme.accent}; font-weight: bold;
    }}
    QPushButton:disabled {{ color: {theme.muted_text}; background: {theme.window}; }}
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
    """The widget's font scaled by ``factor`` (so it follows the system font size)."""
    font = QFont(widget.font())
    font.setPointSizeF(max(1.0, font.pointSizeF() * factor))
    font.setBold(bold)
    return font


def muted(widget: QWidget) -> None:
    """Draw a label's text in the theme's secondary colour."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(current_theme().muted_text))
    widget.setPalette(palette)


def screen_layout(screen: QWidget, spacing: int = 12) -> QVBoxLayout:
    """The vertical layout every full-window screen uses, with the same generous margins."""
    layout = QVBoxLayout(screen)
    layout.setContentsMargins(32, 24, 32, 24)
    layout.setSpacing(spacing)
    return layout
