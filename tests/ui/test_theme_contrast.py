"""Every theme meets WCAG contrast: 4.5:1 for text, 3:1 for graphics that carry meaning (the
pacer, plot lines and marks, control edges, the focus outline, marks on the body map)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette

from trainer.content.contrast import GRAPHIC_MIN, TEXT_MIN, contrast_ratio, over
from ui.common.theme import THEMES, Theme, palette_for
from ui.history.plots import calendar_colours, plot_colours
from ui.widgets.body_map import COMFORT, MARK_ALPHA, SPOTLIGHT, body_colours, role_colour

ALL = pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))
Role = QPalette.ColorRole
Group = QPalette.ColorGroup


def failing(pairs: dict[str, tuple[str, str]], least: float) -> dict[str, float]:
    """The pairs (foreground, background) below ``least``, with their ratios."""
    ratios = {name: contrast_ratio(a, b) for name, (a, b) in pairs.items()}
    return {name: round(ratio, 2) for name, ratio in ratios.items() if ratio < least}


@ALL
def test_text_colours_of_the_theme(theme: Theme) -> None:
    t = theme
    pairs = {
        "text on window": (t.text, t.window),
        "text on surface": (t.text, t.surface),
        "secondary text on window": (t.muted_text, t.window),
        "secondary text on surface": (t.muted_text, t.surface),
        "text on the accent (chosen buttons, selected rows)": (t.accent_text, t.accent),
        "accent as text on window (the pacer's current word)": (t.accent, t.window),
        "accent as text on surface (links, badges)": (t.accent, t.surface),
        "disabled text on window (buttons)": (t.disabled_text, t.window),
        "disabled text on surface (fields)": (t.disabled_text, t.surface),
    }
    assert failing(pairs, TEXT_MIN) == {}


@ALL
def test_text_roles_of_the_qt_palette(theme: Theme) -> None:
    palette = palette_for(theme)

    def pair(text: Role, background: Role, group: Group = Group.Active) -> tuple[str, str]:
        return palette.color(group, text).name(), palette.color(group, background).name()

    pairs = {
        "WindowText on Window": pair(Role.WindowText, Role.Window),
        "Text on Base": pair(Role.Text, Role.Base),
        "Text on AlternateBase": pair(Role.Text, Role.AlternateBase),
        "ButtonText on Button": pair(Role.ButtonText, Role.Button),
        "HighlightedText on Highlight": pair(Role.HighlightedText, Role.Highlight),
        "inactive HighlightedText on Highlight": pair(
            Role.HighlightedText, Role.Highlight, Group.Inactive
        ),
        "PlaceholderText on Base": pair(Role.PlaceholderText, Role.Base),
        "ToolTipText on ToolTipBase": pair(Role.ToolTipText, Role.ToolTipBase),
        "Link on Base": pair(Role.Link, Role.Base),
        "Link on Window": pair(Role.Link, Role.Window),
        "disabled ButtonText on Button": pair(Role.ButtonText, Role.Button, Group.Disabled),
        "disabled Text on Base": pair(Role.Text, Role.Base, Group.Disabled),
        "disabled WindowText on Window": pair(Role.WindowText, Role.Window, Group.Disabled),
    }
    assert failing(pairs, TEXT_MIN) == {}


@ALL
def test_graphics_of_the_theme(theme: Theme) -> None:
    t = theme
    pairs = {
        "pacer on window": (t.pacer, t.window),
        "pacer fill on its track (column, reduced-motion bar)": (t.pacer, t.pacer_guide),
        "hold arc on the ring": (t.accent, t.pacer_guide),
        "wave ball on window": (t.accent, t.window),
        "focus outline on window": (t.accent, t.window),
        "focus outline on surface": (t.accent, t.surface),
        "focus outline of a chosen button on window": (t.text, t.window),
        "control edges on window": (t.border, t.window),
        "control edges on surface": (t.border, t.surface),
        "check box or slider in the accent on surface": (t.accent, t.surface),
    }
    assert failing(pairs, GRAPHIC_MIN) == {}


@ALL
def test_history_plot_lines_and_marks(theme: Theme) -> None:
    colours = plot_colours(theme)
    text = {"axis_text": colours.pop("axis_text")}
    assert failing({k: (c, theme.surface) for k, c in text.items()}, TEXT_MIN) == {}
    assert failing({k: (c, theme.surface) for k, c in colours.items()}, GRAPHIC_MIN) == {}
    # Pain and tension are told apart by shape (dots and squares) as well as by colour.


@ALL
def test_calendar_days_with_practice_stand_out_and_more_stands_out_more(theme: Theme) -> None:
    none, *practised = calendar_colours(theme)
    assert contrast_ratio(none, theme.surface) > 1.1  # a day without practice is still there
    pairs = {f"shade {i + 1}": (shade, theme.surface) for i, shade in enumerate(practised)}
    assert failing(pairs, GRAPHIC_MIN) == {}
    ratios = [contrast_ratio(shade, theme.surface) for shade in (none, *practised)]
    assert ratios == sorted(ratios)
    assert len(set(calendar_colours(theme))) == 5


@ALL
def test_body_map_outlines_and_marks(theme: Theme) -> None:
    fill, outline, _seam = (colour.name() for colour in body_colours(theme))
    pairs = {
        "outline on window": (outline.lower(), theme.window),
        "outline on the figure": (outline, fill),
    }
    for role in ("pain", "comfort"):
        colour = role_colour(role, theme).name()
        pairs[f"{role} mark on the figure"] = (over(colour, fill, MARK_ALPHA), fill)
    assert failing(pairs, GRAPHIC_MIN) == {}


def test_every_theme_has_its_body_map_colours() -> None:
    assert set(COMFORT) == set(SPOTLIGHT) == set(THEMES)
