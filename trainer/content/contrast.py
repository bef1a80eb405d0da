"""Colour contrast as WCAG 2.x defines it: relative luminance of sRGB colours and their ratio.

Pure arithmetic on ``#rrggbb`` strings (no Qt), so the themes' contrast can be checked anywhere.
Text needs at least :data:`TEXT_MIN` against its background, and graphics that carry meaning
(the pacer, plot lines, a focus outline) at least :data:`GRAPHIC_MIN`.
"""

from __future__ import annotations

from typing import Final

TEXT_MIN: Final = 4.5  # WCAG 2.x, 1.4.3 (AA) for ordinary text
GRAPHIC_MIN: Final = 3.0  # WCAG 2.x, 1.4.11: user-interface parts and meaningful graphics


def channels(colour: str) -> tuple[int, int, int]:
    """The red, green and blue (0..255) of ``#rrggbb`` (or ``#rgb``)."""
    digits = colour.strip().removeprefix("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    if len(digits) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    value = int(digits, 16)
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF


def _linear(channel_255: int) -> float:
    """One sRGB channel (0..255) as linear light (0..1), by the formula WCAG gives."""
    c = channel_255 / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of ``colour``: 0 for black, 1 for white."""
    r, g, b = (_linear(c) for c in channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, 1 (the same) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(colour: str, background: str, alpha: float) -> str:
    """``colour`` laid over ``background`` with opacity ``alpha`` (0..1), as one opaque colour."""
    share = min(1.0, max(0.0, alpha))
    mixed = (
        round(f * share + g * (1.0 - share))
        for f, g in zip(channels(colour), channels(background), strict=True)
    )
    return "#" + "".join(f"{c:02x}" for c in mixed)
