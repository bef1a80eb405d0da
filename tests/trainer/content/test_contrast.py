"""WCAG contrast arithmetic against values everyone can check."""

from __future__ import annotations

import pytest

from trainer.content.contrast import channels, contrast_ratio, over, relative_luminance


def test_black_on_white_is_21_and_a_colour_on_itself_is_1() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)  # order does not matter
    for colour in ("#000000", "#1f6f6b", "#ffffff"):
        assert contrast_ratio(colour, colour) == pytest.approx(1.0)


def test_published_pairs() -> None:
    # #767676 is the lightest grey that passes 4.5:1 on white; #777777 just fails (4.48:1).
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # Pure red on white, as WCAG checkers report it.
    assert contrast_ratio("#ff0000", "#ffffff") == pytest.approx(4.0, abs=0.01)


def test_relative_luminance_uses_the_srgb_curve_and_weights() -> None:
    assert relative_luminance("#000") == 0.0
    assert relative_luminance("#fff") == pytest.approx(1.0)
    assert relative_luminance("#00ff00") == pytest.approx(0.7152)
    assert relative_luminance("#808080") == pytest.approx(0.2158605, abs=1e-6)
    assert relative_luminance("#0a0a0a") == pytest.approx(10 / 255 / 12.92)  # the linear part


def test_colours_are_read_in_both_hex_forms_and_nonsense_is_refused() -> None:
    assert channels("#1f6F6b") == (0x1F, 0x6F, 0x6B)
    assert channels("#abc") == (0xAA, 0xBB, 0xCC)
    with pytest.raises(ValueError, match="not a #rrggbb colour"):
        channels("#12345")


def test_a_translucent_colour_over_a_background() -> None:
    assert over("#000000", "#ffffff", 0.5) == "#808080"
    assert over("#1f6f6b", "#ffffff", 1.0) == "#1f6f6b"
    assert over("#1f6f6b", "#ffffff", 0.0) == "#ffffff"
