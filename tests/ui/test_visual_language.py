"""The visual language defined once in ui/common/theme.py: the soft backdrop behind every window
(plain in high contrast), the type roles, the one spacing scale, and the primary button."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from trainer.content.contrast import contrast_ratio
from ui.common.theme import (
    DARK,
    DIALOG_MARGINS_PX,
    HIGH_CONTRAST,
    LIGHT,
    SCREEN_MARGINS_PX,
    SPACING_SCALE_PX,
    THEMES,
    TextRole,
    Theme,
    apply_theme,
    is_primary,
    paint_backdrop,
    primary,
    role_font,
    screen_layout,
    text_role,
)
from ui.shell.main_window import MainWindow

ALL = pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))


@pytest.fixture
def themed(qapp: QApplication, ticker) -> Iterator[None]:
    """Each test applies the theme it wants; the light one comes back after it."""
    yield
    apply_theme(qapp, LIGHT)


def near(a: QColor, b: str, slack: int = 3) -> bool:
    c = QColor(b)
    return all(abs(x - y) <= slack for x, y in zip(a.getRgb()[:3], c.getRgb()[:3], strict=True))


def grab(widget: QWidget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


# -- the backdrop ---------------------------------------------------------------------------------


@ALL
def test_the_window_is_painted_with_the_soft_backdrop(
    qtbot, qapp, themed, window: MainWindow, theme: Theme
) -> None:
    apply_theme(qapp, theme)
    window.resize(1024, 600)
    window.show()
    qtbot.waitExposed(window)
    image = grab(window)
    top, bottom = image.pixelColor(3, 1), image.pixelColor(3, image.height() - 2)
    assert near(top, theme.backdrop_top)
    assert near(bottom, theme.backdrop_bottom)
    if theme is HIGH_CONTRAST:
        assert top == bottom  # plain and strong
    else:
        assert contrast_ratio(top.name(), bottom.name()) > 1.05  # a gradient, gentle but there


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_dialogs_and_scroll_areas_let_the_backdrop_through(
    qtbot, qapp, themed, theme: Theme
) -> None:
    apply_theme(qapp, theme)
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(0, 0, 0, 0)
    area = QScrollArea()
    content = QWidget()
    content.setMinimumHeight(800)
    QVBoxLayout(content).addWidget(QLabel("words"))
    area.setWidget(content)
    area.setWidgetResizable(True)
    layout.addWidget(area)
    dialog.resize(300, 400)
    dialog.show()
    qtbot.waitExposed(dialog)
    image = grab(dialog)
    inside = QPoint(150, 380)  # in the scroll area, well below the words
    assert area.geometry().contains(inside)
    assert near(image.pixelColor(inside), theme.backdrop_bottom, slack=8)
    assert not near(image.pixelColor(inside), theme.window, slack=2)  # not a flat panel


def test_a_widget_that_paints_its_own_background_can_match_the_backdrop(
    qtbot, qapp, themed
) -> None:
    apply_theme(qapp, LIGHT)
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addStretch(1)
    part = QWidget()
    part.setFixedHeight(50)
    layout.addWidget(part)
    dialog.resize(200, 400)
    dialog.show()
    qtbot.waitExposed(dialog)
    behind = grab(dialog).pixelColor(100, 375)  # the dialog's own backdrop there
    image = QImage(part.size(), QImage.Format.Format_ARGB32)
    from PySide6.QtGui import QPainter

    painter = QPainter(image)
    paint_backdrop(painter, part)
    painter.end()
    assert near(image.pixelColor(100, 25), behind.name(), slack=2)


@ALL
def test_text_keeps_its_contrast_on_the_whole_backdrop(theme: Theme) -> None:
    for end in (theme.backdrop_top, theme.window, theme.backdrop_bottom):
        for name in ("text", "muted_text", "accent", "disabled_text"):
            assert contrast_ratio(getattr(theme, name), end) >= 4.5, (name, end)
        assert contrast_ratio(theme.border, end) >= 3.0


# -- type ---------------------------------------------------------------------------------------


def test_the_type_roles_step_down_from_title_to_caption(qtbot) -> None:
    label = QLabel("words")
    qtbot.addWidget(label)
    sizes = [role_font(label, role).pointSizeF() for role in TextRole]
    assert sizes == sorted(sizes, reverse=True)
    assert len(set(sizes)) == len(sizes)
    assert role_font(label, TextRole.TITLE).bold()
    assert not role_font(label, TextRole.BODY).bold()
    text_role(label, TextRole.CAPTION)
    assert label.property("muted") is True  # captions are in the secondary colour


def test_my_screens_titles_share_one_size(qtbot, catalog) -> None:
    from ui.practice.summary import SummaryScreen
    from ui.shell.welcome import WelcomeScreen

    summary, welcome = SummaryScreen(), WelcomeScreen(catalog)
    for widget in (summary, welcome):
        qtbot.addWidget(widget)
    titles = [summary.heading, *welcome.headings]
    expected = role_font(summary, TextRole.TITLE)
    assert {t.font().pointSizeF() for t in titles} == {expected.pointSizeF()}


# -- space ------------------------------------------------------------------------------------


def test_margins_come_from_the_one_scale() -> None:
    assert SPACING_SCALE_PX == (4, 8, 12, 16, 24, 32)
    assert set(SCREEN_MARGINS_PX) <= set(SPACING_SCALE_PX)
    assert set(DIALOG_MARGINS_PX) <= set(SPACING_SCALE_PX)


def test_every_screen_has_the_same_side_margins(qtbot, window: MainWindow) -> None:
    from ui.widgets import action_page

    window.show()
    qtbot.waitExposed(window)
    sides = {}
    for name in ("summary", "history", "finder", "attention"):  # (practice: roomy or compact)
        layout = getattr(window, name).layout()
        assert layout is not None
        m = layout.contentsMargins()
        sides[name] = (m.left(), m.right())
    # The screens whose actions stay in sight lay themselves out through ActionPage.
    sides["action pages"] = (action_page.MARGIN_PX, action_page.MARGIN_PX)
    assert sides == dict.fromkeys(sides, (SCREEN_MARGINS_PX[0], SCREEN_MARGINS_PX[2]))
    blank = QWidget()
    qtbot.addWidget(blank)
    m = screen_layout(blank).contentsMargins()
    assert (m.left(), m.top(), m.right(), m.bottom()) == SCREEN_MARGINS_PX
    page_top_bottom = (action_page.TOP_PX, action_page.BOTTOM_PX)
    assert page_top_bottom == (SCREEN_MARGINS_PX[1], SCREEN_MARGINS_PX[3])


def test_qt_default_margins_and_gaps_follow_the_scale(qtbot, ticker) -> None:
    style = QApplication.style()
    dialog = QDialog()
    qtbot.addWidget(dialog)
    child = QWidget(dialog)
    metric = QStyle.PixelMetric
    found = {
        style.pixelMetric(metric.PM_LayoutLeftMargin, None, dialog),
        style.pixelMetric(metric.PM_LayoutLeftMargin, None, child),
        style.pixelMetric(metric.PM_LayoutHorizontalSpacing, None, child),
        style.pixelMetric(metric.PM_LayoutVerticalSpacing, None, child),
    }
    assert found <= set(SPACING_SCALE_PX)


# -- buttons ----------------------------------------------------------------------------------


@ALL
def test_a_primary_button_is_filled_with_the_accent(qtbot, qapp, themed, theme: Theme) -> None:
    apply_theme(qapp, theme)
    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    plain, main = QPushButton("Later"), QPushButton("Start")
    for button in (plain, main):
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(button)
    assert primary(main) is main
    assert is_primary(main)
    assert not is_primary(plain)
    box.show()
    qtbot.waitExposed(box)

    def fill(button: QPushButton) -> QColor:
        return grab(button).pixelColor(6, button.height() // 2)

    assert near(fill(main), theme.accent)
    assert near(fill(plain), theme.surface)
    primary(main, on=False)
    assert near(fill(main), theme.surface)  # an ordinary button again
    assert contrast_ratio(theme.accent_text, theme.accent) >= 4.5


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_the_pacer_and_body_map_sit_on_the_backdrop_without_a_box(
    qtbot, qapp, themed, theme: Theme
) -> None:
    """They paint their own background for speed; it is the window's backdrop behind them, not
    a flat panel of the window colour (which would show as a box on the gradient)."""
    from trainer.content.bodymap import load_body_map
    from ui.widgets.body_map import BodyMapView
    from ui.widgets.pacer import CirclePacer, WavePacer

    apply_theme(qapp, theme)
    for make in (CirclePacer, WavePacer, lambda: BodyMapView(load_body_map())):
        dialog = QDialog()
        qtbot.addWidget(dialog)
        layout = QVBoxLayout(dialog)
        layout.setContentsMargins(0, 0, 0, 0)
        drawn = make()
        layout.addWidget(drawn)
        dialog.resize(400, 600)
        dialog.show()
        qtbot.waitExposed(dialog)
        image = grab(dialog)
        for y in (2, 597):  # the corners of the drawing, near the top and the bottom
            expected = theme.backdrop_top if y < 300 else theme.backdrop_bottom
            assert near(image.pixelColor(2, y), expected, slack=4), (type(drawn).__name__, y)


def test_a_window_without_the_backdrop_keeps_the_plain_colour(qtbot, qapp, themed) -> None:
    from ui.widgets.pacer import CirclePacer

    apply_theme(qapp, DARK)
    pacer = CirclePacer()  # a window of its own, as in focus mode: plain
    qtbot.addWidget(pacer)
    pacer.resize(300, 500)
    pacer.show()
    qtbot.waitExposed(pacer)
    image = grab(pacer)
    assert near(image.pixelColor(2, 2), DARK.window)
    assert near(image.pixelColor(2, 497), DARK.window)


def test_message_boxes_make_the_safe_or_only_answer_primary(qtbot, ticker) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui.common.dialogs import message_box, typed_confirmation

    role = QMessageBox.ButtonRole
    box, (delete, keep) = message_box(
        None,
        QMessageBox.Icon.Question,
        "Delete this pattern?",
        "It will be gone.",
        (("Delete", role.AcceptRole), ("Keep it", role.RejectRole)),
        default=1,
    )
    qtbot.addWidget(box)
    assert is_primary(keep)
    assert not is_primary(delete)
    assert box.defaultButton() is keep
    assert box.escapeButton() is keep
    alone, (ok,) = message_box(None, QMessageBox.Icon.Warning, "Could not export", "Words")
    qtbot.addWidget(alone)
    assert is_primary(ok)
    assert alone.escapeButton() is ok
    typed, _field, go = typed_confirmation(None, "Delete Robin?", "Gone.", "Robin", "Delete")
    qtbot.addWidget(typed)
    primaries = [b for b in typed.findChildren(QPushButton) if is_primary(b)]
    assert [b.text() for b in primaries] == ["Cancel"]
    assert not is_primary(go)
    margins = typed.layout().contentsMargins()
    assert (margins.left(), margins.top(), margins.right(), margins.bottom()) == DIALOG_MARGINS_PX
