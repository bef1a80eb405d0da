"""Breathing pacers: three pictures of the same pacer level (a circle, a column and a wave).

With reduced motion the circle keeps one size: its brightness follows the breath instead, and a
thin bar under it fills and empties (:meth:`CirclePacer.set_reduced_motion`); a
:class:`PacerStack` with reduced motion on shows only that circle, whatever visual is chosen.

Every visual draws the state it is handed (``show_state``, from the session, once per frame);
none keeps time, so all three always agree and switching between them never jumps.

They are cheap to run at the display's frame rate: what never changes (background, guides) is
drawn once into a cached image, and each frame asks Qt to repaint only the pixels that change
(the ring between the old and new circle, the top of the column, the strip around the wave's
ball after scrolling the rest). Qt clips every paint to that region.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import ClassVar, Final

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QGradient,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QRadialGradient,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QStackedWidget, QWidget

from trainer.app.words import PHASE_WORDS, SPOKEN_WORDS, TOP_UP_WORD, count_shown
from trainer.content.breathing import PacerState, PhaseKind
from ui.common.theme import Theme, current_theme, dimmed, paint_backdrop

LevelAt = Callable[[float], float]  # practice seconds -> pacer level 0..1 (also ahead of now)
Key = tuple[object, ...]  # the parts of the state a visual draws

ALL_KINDS: Final = (PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE)


MIN_RADIUS_SHARE = 0.32  # the smallest circle, as a share of the largest
STILL_MIN_OPACITY: Final = 0.22  # reduced motion: the circle's opacity at empty lungs (1 at full)
EDGE_PX: Final = 3  # antialiasing reaches this far past a shape's edge (with a margin)
MAX_WAVE_SPAN_S: Final = 90.0  # seconds across the wave, for the longest (60 s) breath
ARC_STEP_DEG: Final = 2.0  # the hold arc is drawn through points this far apart
HALO_REACH: Final = 1.16  # the circle's glow reaches this many radii from its centre
HALO_ALPHA: Final = 0.38  # the glow's strength at its inner edge (0..1)
CRISP_EDGE_SHARE: Final = 0.045  # high contrast: a solid edge this share of the radius wide


def _clamped(level: float) -> float:
    return min(1.0, max(0.0, level))


def _level_of(key: Key) -> float:
    level = key[0]
    assert isinstance(level, float)
    return level


class PacerVisual(QWidget):
    """What every pacer visual shares: the state it was last given, and what to repaint.

    A subclass says which parts of the state it draws (``_state_key``) and asks for the pixels
    a change touches (``_invalidate``); a state that draws the same picture repaints nothing.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level = 0.0
        self._kind: PhaseKind | None = None
        self._hold_share: float | None = None
        self._practice_s = 0.0
        self._level_at: LevelAt | None = None
        self._kinds: tuple[PhaseKind, ...] = ALL_KINDS
        self._cycle_s = 10.0
        self._key: Key | None = None
        self._theme: Theme | None = None
        self._backdrop: QPixmap | None = None
        self._dimmed = False
        self._fixed_theme: Theme | None = None  # None: the app's theme
        self.drawn_level: float | None = None  # the level recovered from the last painted shape
        self._spoken: tuple[int, int] | None = None  # (cycle, phase) the description tells of
        self._spoken_kind: PhaseKind | None = None
        # Every pixel is painted here, so Qt need not paint the screen behind the pacer first.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(self.minimum_size())
        self.setAccessibleName(f"Breathing pacer: {self.title.lower()}")
        self.setAccessibleDescription(self.description)

    # -- what to draw -----------------------------------------------------------------------------

    @property
    def level(self) -> float:
        """The level last given, 0 (empty lungs) to 1 (full)."""
        return self._level

    @property
    def kind(self) -> PhaseKind | None:
        """The phase last given (``None`` for a bare level)."""
        return self._kind

    @property
    def hold_share(self) -> float | None:
        """During a hold, the share of it still to come (1 at its start, 0 at its end)."""
        return self._hold_share

    def set_schedule(
        self,
        level_at: LevelAt | None,
        kinds: Iterable[PhaseKind] = ALL_KINDS,
        cycle_s: float = 10.0,
    ) -> None:
        """The pure level function (for looking ahead), the phases the breath uses, its length."""
        wanted = set(kinds)
        self._level_at = level_at
        self._kinds = tuple(k for k in ALL_KINDS if k in wanted) or ALL_KINDS
        self._cycle_s = cycle_s if cycle_s > 0 else 10.0
        self._restart()

    def show_state(self, state: PacerState, practice_s: float, *, idle: bool = False) -> None:
        """Draw ``state``, the pacer at ``practice_s`` seconds of practice.

        ``idle`` (the lead-in, the close) draws the level with no phase marked.
        """
        if idle:
            self._apply(_clamped(state.level), None, None, practice_s)
            self._describe(None)
            return
        hold = 1.0 - state.fraction if state.kind is PhaseKind.HOLD else None
        self._apply(_clamped(state.level), state.kind, hold, practice_s)
        self._describe(state)

    def set_level(self, level: float) -> None:
        """Draw a bare level with no phase (a preview, or a pacer without a session)."""
        self._apply(_clamped(level), None, None, self._practice_s)
        self._describe(None)

    def _describe(self, state: PacerState | None) -> None:
        """Tell screen readers the part of the breath and its length, once as each part
        begins (never frame by frame); with no phase, what the pacer is."""
        if state is None:
            if self._spoken is not None:
                self._spoken, self._spoken_kind = None, None
                self.setAccessibleDescription(self.description)
            return
        where = (state.cycle, state.phase_index)
        if where == self._spoken:
            return
        top_up = state.kind is PhaseKind.INHALE and self._spoken_kind is PhaseKind.INHALE
        word = TOP_UP_WORD if top_up else PHASE_WORDS[state.kind]
        seconds = count_shown(state.phase_remaining_s)
        self._spoken, self._spoken_kind = where, state.kind
        self.setAccessibleDescription(f"{word}, {seconds} second{'s' if seconds != 1 else ''}")

    @property
    def painted_theme(self) -> Theme | None:
        """The colours of the last paint (``None`` until the first paint after a change of
        theme, size or breath: the next paint takes the theme then in use)."""
        return self._theme

    @property
    def dimmed(self) -> bool:
        """Whether the pacer is drawn faintly (eyes closed: the sound leads)."""
        return self._dimmed

    def set_dimmed(self, dim: bool) -> None:
        """Draw the pacer faintly, or at full strength again."""
        if dim != self._dimmed:
            self._dimmed = dim
            self._theme = None
            self.update()

    @property
    def fixed_theme(self) -> Theme | None:
        """The theme this pacer always draws with (``None``: the app's theme)."""
        return self._fixed_theme

    def set_theme(self, theme: Theme | None) -> None:
        """Draw with ``theme`` whatever the app's theme is (``None`` follows the app again)."""
        if theme != self._fixed_theme:
            self._fixed_theme = theme
            self._theme = None
            self.update()

    def copy_state_from(self, other: PacerVisual) -> None:
        """Show exactly what ``other`` shows (used when switching visuals: no jump)."""
        self._level_at, self._kinds, self._cycle_s = other._level_at, other._kinds, other._cycle_s
        self._level, self._kind = other._level, other._kind
        self._hold_share, self._practice_s = other._hold_share, other._practice_s
        self._spoken, self._spoken_kind = other._spoken, other._spoken_kind
        spoken = other._spoken is not None
        self.setAccessibleDescription(other.accessibleDescription() if spoken else self.description)
        self._restart()

    def _apply(
        self, level: float, kind: PhaseKind | None, hold: float | None, practice_s: float
    ) -> None:
        self._level, self._kind, self._hold_share, self._practice_s = level, kind, hold, practice_s
        key = self._state_key()
        if key != self._key:
            old, self._key = self._key, key
            if old is None or self._theme is None:  # nothing drawn yet to build on
                self.update()
            else:
                self._invalidate(old, key)

    def _restart(self) -> None:
        """Forget every cache and repaint everything."""
        self._schedule_changed()
        self._relayout()
        self._theme = None
        self._key = self._state_key()
        self.update()

    # -- for subclasses ---------------------------------------------------------------------------

    @classmethod
    def minimum_size(cls) -> QSize:
        """The smallest size at which this visual still reads well."""
        return QSize(96, 96)

    def _state_key(self) -> Key:
        return (self._level,)

    def _invalidate(self, old: Key, new: Key) -> None:
        """Ask for a repaint of what changes from ``old`` to ``new`` (by default, everything)."""
        self.update()

    def _schedule_changed(self) -> None:
        """The level function or the phases changed."""

    def _relayout(self) -> None:
        """Recompute the geometry for the current size."""

    def _rebuild_paints(self, theme: Theme) -> None:
        """Recreate pens, brushes and cached images for ``theme`` at the current size."""

    def _draw_backdrop(self, painter: QPainter, theme: Theme) -> None:
        """Draw what does not change from frame to frame (over the theme's background)."""

    def _begin_paint(self, event: QPaintEvent, *, backdrop: bool = True) -> QPainter:
        """A painter with the cached backdrop already copied into the part being repainted.

        Pens, brushes and images are made on the first paint after a change of size, breath or
        theme. A visual that paints every pixel itself passes ``backdrop=False``.
        """
        if self._theme is None:
            base = self._fixed_theme or current_theme()
            theme = dimmed(base) if self._dimmed else base
            self._theme = theme
            self._rebuild_paints(theme)
            if backdrop:
                ratio = self.devicePixelRatioF()
                image = QPixmap(self.size() * ratio)
                image.setDevicePixelRatio(ratio)
                image.fill(QColor(theme.window))
                painter = QPainter(image)
                paint_backdrop(painter, self, theme=theme)  # the window's, behind the pacer
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                self._draw_backdrop(painter, theme)
                painter.end()
                self._backdrop = image
        painter = QPainter(self)
        if backdrop and self._backdrop is not None:
            area = event.rect()
            ratio = self._backdrop.devicePixelRatio()
            source = QRectF(
                area.x() * ratio, area.y() * ratio, area.width() * ratio, area.height() * ratio
            )
            painter.drawPixmap(QRectF(area), self._backdrop, source)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        return painter

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._theme = None  # a new theme: make everything again
            self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()
        self._theme = None

    def sizeHint(self) -> QSize:
        return QSize(420, 420)


class CirclePacer(PacerVisual):
    """A soft circle that grows on the in-breath and shrinks on the out-breath.

    A faint ring around it marks how far it grows; during a hold an accent arc on that ring
    counts the hold down, sweeping from full to empty.

    The disc has soft depth: a deeper tone at the rim and a radial light over its middle,
    lightest a little above and left of centre; a gentle glow around it swells and shrinks with
    it. In high contrast there is no haze: the disc is one solid colour inside a clear, strong
    edge. All of it stays cheap at the display's frame rate (a gradient fill of the disc, or a
    textured one, costs several times more per frame): the disc is one solid antialiased shape,
    the light a cached image the size of the smallest disc copied over it, and the glow is drawn
    once at the largest size and copied scaled, without smoothing (it has no hard edge to
    alias), only in the four strips round the disc's middle. Each frame repaints only the square
    the glow covers or, during a hold, the little box where the arc's end moved.

    With reduced motion the disc fills the ring at one size and grows brighter on the in-breath
    and fainter on the out-breath, and a thin bar under it fills from the left as the lungs
    fill; the hold arc is the same.
    """

    name = "circle"
    title = "Circle"
    description = (
        "A circle that grows as you breathe in and shrinks as you breathe out. During a hold, "
        "an arc on the ring around it empties as the hold runs out."
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        self._centre = QPointF()
        self._largest = 1.0
        self._ring_r = 1.0
        self._ring_width = 1.0
        self._disc_colour = QColor()
        self._disc_brush = QBrush()  # the disc's deeper tone
        self._light = QPixmap()  # the light over its middle (none in high contrast)
        self._halo = QPixmap()  # the glow at the largest size (copied scaled to the disc)
        self._edge_colour: QColor | None = None  # high contrast: the solid edge, no glow
        self._arc_pen = QPen()
        self._still = False  # reduced motion: one size, brightness and a bar follow the breath
        self._bar = QRectF()
        self._bar_colours = (QColor(), QColor())  # track, fill
        super().__init__(parent)

    @property
    def reduced_motion(self) -> bool:
        """Whether the circle keeps one size (brightness and a thin bar follow the breath)."""
        return self._still

    def set_reduced_motion(self, on: bool) -> None:
        """Keep the circle at one size and show the breath by brightness and a thin bar (on),
        or let it grow and shrink again (off)."""
        if on != self._still:
            self._still = on
            self._restart()

    def _state_key(self) -> Key:
        return (self._level, self._hold_share)

    def _relayout(self) -> None:
        w, h = self.width(), self.height()
        if self._still:  # room for the bar under the circle
            bar_h = max(6.0, min(w, h) * 0.03)
            gap = max(8.0, min(w, h) * 0.04)
            side = max(1.0, min(w, h - bar_h - gap))
            top = (h - side - gap - bar_h) / 2
            self._centre = QPointF(w / 2, top + side / 2)
            self._bar = QRectF(w / 2 - side * 0.35, top + side + gap, side * 0.7, bar_h)
        else:
            side = min(w, h)
            self._centre = QPointF(w / 2, h / 2)
            self._bar = QRectF()
        self._ring_width = max(3.0, side * 0.016)
        self._ring_r = side / 2 - self._ring_width / 2 - EDGE_PX
        inside = self._ring_r - self._ring_width / 2 - max(2.0, side * 0.008)
        self._largest = max(1.0, inside / HALO_REACH)  # the glow at its fullest meets the ring

    def _square(self, reach: float) -> QRect:
        reach += EDGE_PX
        x, y = self._centre.x(), self._centre.y()
        return QRectF(x - reach, y - reach, 2 * reach, 2 * reach).toAlignedRect()

    def _invalidate(self, old: Key, new: Key) -> None:
        if self._still and old[0] != new[0]:  # the whole disc changes brightness; the bar
            self.update(self._bar.adjusted(-EDGE_PX, -EDGE_PX, EDGE_PX, EDGE_PX).toAlignedRect())
        if old[0] != new[0]:  # the disc and its glow moved (the glow's strength too)
            radius = max(self._radius_for(_level_of(old)), self.radius_px())
            self.update(self._square(radius * HALO_REACH))
        if old[1] == new[1]:
            return
        if isinstance(old[1], float) and isinstance(new[1], float):
            self.update(self._arc_end_box(old[1], new[1]))
        else:  # a hold begins or ends
            self.update(self._square(self._ring_r + self._ring_width / 2))

    def _ring_point(self, sweep_deg: float) -> QPointF:
        """The point on the ring ``sweep_deg`` degrees clockwise from 12 o'clock."""
        turn = math.radians(sweep_deg)
        return QPointF(
            self._centre.x() + self._ring_r * math.sin(turn),
            self._centre.y() - self._ring_r * math.cos(turn),
        )

    def _arc_end_box(self, old_share: float, new_share: float) -> QRect:
        """The pixels that change when the arc's end moves between two shares of a hold."""
        sweeps = (old_share * 360, new_share * 360, (old_share + new_share) * 180)
        xs, ys = zip(*((p.x(), p.y()) for p in map(self._ring_point, sweeps)), strict=True)
        reach = self._ring_width / 2 + EDGE_PX + 1
        return QRectF(
            min(xs) - reach,
            min(ys) - reach,
            max(xs) - min(xs) + 2 * reach,
            max(ys) - min(ys) + 2 * reach,
        ).toAlignedRect()

    def _arc(self, share: float, *, last_deg: float = 360.0) -> list[QPointF]:
        """The arc for ``share`` of a hold as points every 2 degrees from 12 o'clock (so a part
        of it, the last ``last_deg`` degrees, has exactly the same corners as the whole)."""
        end = share * 360
        first = max(0, math.floor((end - last_deg) / ARC_STEP_DEG))
        points = [
            self._ring_point(i * ARC_STEP_DEG)
            for i in range(first, math.floor(end / ARC_STEP_DEG) + 1)
        ]
        points.append(self._ring_point(end))
        return points

    def _rebuild_paints(self, theme: Theme) -> None:
        self._arc_pen = QPen(QColor(theme.accent), self._ring_width)
        self._arc_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._arc_pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        colour = QColor(theme.pacer)
        self._disc_colour = colour
        self._bar_colours = (QColor(theme.pacer_guide), colour)
        crisp = theme.name == "high_contrast"
        self._edge_colour = QColor(theme.text) if crisp else None
        if crisp:  # one clear colour and a strong edge: nothing soft to blur it
            self._disc_brush = QBrush(colour)
            self._halo = QPixmap()
            self._light = QPixmap()
            return
        ratio = self.devicePixelRatioF()
        largest = self._largest
        # The depth: the disc is filled in a deeper tone, and a light laid over it from a cached
        # image, lightest a little above and left of centre, fading into the deeper tone by the
        # rim (so it never shows outside the disc).
        deep = colour.darker(112 if theme.dark else 116)
        self._disc_brush = QBrush(deep)
        radius = max(1.0, largest)  # drawn at the largest size, copied scaled to the disc
        side = max(2, math.ceil(2 * radius))
        light = QPixmap(QSize(side, side) * ratio)
        light.setDevicePixelRatio(ratio)
        light.fill(Qt.GlobalColor.transparent)
        middle = QPointF(side / 2, side / 2)
        shading = QRadialGradient(middle, radius, middle + QPointF(-0.3 * radius, -0.35 * radius))
        shading.setColorAt(0.0, colour.lighter(145 if theme.dark else 135))
        shading.setColorAt(0.55, colour.lighter(106))
        clear = QColor(deep)
        clear.setAlpha(0)
        shading.setColorAt(0.95, clear)  # gone before the rim: the disc's own edge shows
        painter = QPainter(light)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(shading))
        painter.drawEllipse(QRectF(0, 0, side, side))
        painter.end()
        self._light = light
        # The glow: from the disc's edge out to HALO_REACH radii, in the disc's colour (a little
        # lighter on a dark background, where light glows), fading to nothing.
        reach = largest * HALO_REACH
        halo_side = max(2, math.ceil(2 * reach))
        halo = QPixmap(QSize(halo_side, halo_side) * ratio)
        halo.setDevicePixelRatio(ratio)
        halo.fill(Qt.GlobalColor.transparent)
        glow = colour.lighter(125) if theme.dark else QColor(colour)
        inner = largest / reach
        fading = QRadialGradient(QPointF(halo_side / 2, halo_side / 2), halo_side / 2)
        for stop, share in (
            (0.0, 1.0),
            (inner, 1.0),
            (inner + (1 - inner) * 0.4, 0.45),
            (1.0, 0.0),
        ):
            shade = QColor(glow)
            shade.setAlphaF(share * HALO_ALPHA)
            fading.setColorAt(stop, shade)
        painter = QPainter(halo)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(fading))
        painter.drawEllipse(QRectF(0, 0, halo_side, halo_side))
        painter.end()
        self._halo = halo

    def _draw_backdrop(self, painter: QPainter, theme: Theme) -> None:
        painter.setPen(QPen(QColor(theme.pacer_guide), self._ring_width))
        painter.drawEllipse(self._centre, self._ring_r, self._ring_r)

    def _radius_for(self, level: float) -> float:
        if self._still:
            return self._largest
        smallest = self._largest * MIN_RADIUS_SHARE
        return smallest + (self._largest - smallest) * level

    def radius_px(self) -> float:
        """The circle's radius in pixels at the current level and size."""
        return self._radius_for(self._level)

    def opacity(self) -> float:
        """How strongly the disc is drawn, 0..1: always 1, but with reduced motion it follows
        the level, from faint at empty lungs to full at full lungs."""
        if not self._still:
            return 1.0
        return STILL_MIN_OPACITY + (1.0 - STILL_MIN_OPACITY) * self._level

    def bar_rect(self) -> QRectF:
        """Where the reduced-motion bar lies (empty when motion is not reduced)."""
        return QRectF(self._bar)

    def bar_fill_px(self) -> float:
        """How much of the bar is filled, in pixels from its left end (0 without the bar)."""
        return self._bar.width() * self._level

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._begin_paint(event)
        centre, radius, area = self._centre, self.radius_px(), event.rect()
        near_x = max(area.left() - centre.x(), 0.0, centre.x() - area.right() - 1)
        near_y = max(area.top() - centre.y(), 0.0, centre.y() - area.bottom() - 1)
        if math.hypot(near_x, near_y) < radius * HALO_REACH + EDGE_PX:  # in the repainted part
            self._paint_disc(painter, radius)
        if self._still and area.intersects(self._bar.toAlignedRect()):
            self._paint_bar(painter)
        share = self._hold_share
        if share is not None and share > 0:
            # A small box is the arc's end moving: only the arc's last stretch reaches it,
            # unless the end is coming round to where the arc starts.
            small = max(area.width(), area.height()) < self._ring_r * 0.6 and share < 0.8
            painter.setPen(self._arc_pen)
            painter.drawPolyline(self._arc(share, last_deg=50.0 if small else 360.0))
        painter.end()
        if self._still:
            self.drawn_level = (self.opacity() - STILL_MIN_OPACITY) / (1.0 - STILL_MIN_OPACITY)
            return
        largest, smallest = self._largest, self._largest * MIN_RADIUS_SHARE
        self.drawn_level = (radius - smallest) / (largest - smallest)

    def glow_strength(self) -> float:
        """How strong the glow is at its inner edge, 0..1 (0 in high contrast, which has a solid
        edge instead). It breathes with the disc, swelling and shrinking with it; its strength
        stays the same (a changing strength would cost a slow blended copy every frame)."""
        if self._halo.isNull() and self._theme is not None:
            return 0.0
        return HALO_ALPHA

    def _paint_disc(self, painter: QPainter, radius: float) -> None:
        """The glow (or in high contrast the solid edge), then the disc over it."""
        centre, opacity = self._centre, self.opacity()
        painter.setPen(Qt.PenStyle.NoPen)
        if not self._halo.isNull():
            reach = radius * HALO_REACH
            painter.setOpacity(opacity)  # 1 unless motion is reduced: then the fast copy is not
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # the fast copy
            # Whole pixels, so a scaled copy of part of the square matches a whole one.
            whole = QRectF(centre.x() - reach, centre.y() - reach, 2 * reach, 2 * reach)
            square = whole.toAlignedRect()
            scale = self._halo.width() / max(1, square.width())
            # The glow only shows outside the disc: copy the four strips round the square
            # inside it, not the whole square (a third fewer pixels).
            inner = math.floor(radius * 0.7) - 1
            x0, y0 = square.left(), square.top()
            x1, y1 = square.right() + 1, square.bottom() + 1
            cx, cy = round(centre.x()), round(centre.y())
            ix0, iy0, ix1, iy1 = cx - inner, cy - inner, cx + inner, cy + inner
            strips = (
                (x0, y0, x1, iy0),  # top, full width
                (x0, iy1, x1, y1),  # bottom
                (x0, iy0, ix0, iy1),  # left, between them
                (ix1, iy0, x1, iy1),  # right
            )
            for left, top, right, bottom in strips if inner > 0 else ((x0, y0, x1, y1),):
                if right <= left or bottom <= top:
                    continue
                target = QRectF(left, top, right - left, bottom - top)
                source = QRectF(
                    (left - x0) * scale,
                    (top - y0) * scale,
                    (right - left) * scale,
                    (bottom - top) * scale,
                )
                painter.drawPixmap(target, self._halo, source)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(opacity)
        if self._edge_colour is not None:
            edge = max(2.0, radius * CRISP_EDGE_SHARE)
            painter.setBrush(self._edge_colour)
            painter.drawEllipse(centre, radius + edge, radius + edge)
        painter.setBrush(self._disc_brush)
        painter.drawEllipse(centre, radius, radius)
        if not self._light.isNull():
            # Scaled with the disc, without smoothing (the light has no edge to alias: it fades
            # into the disc's own tone), from whole pixels.
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            area = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
            source = QRectF(0, 0, self._light.width(), self._light.height())
            painter.drawPixmap(QRectF(area.toAlignedRect()), self._light, source)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(1.0)

    def _paint_bar(self, painter: QPainter) -> None:
        """The reduced-motion bar: a rounded track, filled from the left up to the level."""
        bar, (track, fill) = self._bar, self._bar_colours
        radius = bar.height() / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(bar, radius, radius)
        filled = self.bar_fill_px()
        if filled > 0:
            painter.setBrush(fill)
            painter.setClipRect(QRectF(bar.left(), bar.top(), filled, bar.height()))
            painter.drawRoundedRect(bar, radius, radius)
            painter.setClipping(False)


class ColumnPacer(PacerVisual):
    """A rounded column that rises on the in-breath and falls on the out-breath.

    A quiet scale stands beside it: "in" at the top, "hold" half way, "out" at the bottom (only
    the parts the breath uses), with a dot and the accent colour on the part now. It is a scale,
    not a second instruction: the phase word under the pacer says what to do, once, and the
    scale is always smaller than it (about the size of body text) and uses a word of it ("in"
    for "Breathe in" and for a cyclic sigh's "A little more in"). As the level moves, only the
    band between the column's old and new top is repainted.
    """

    name = "column"
    title = "Column"
    description = (
        "A column that rises as you breathe in and falls as you breathe out, with a small scale "
        "beside it: in at the top, hold, out at the bottom; the part of the breath now is marked."
    )
    SCALE_FACTOR: Final = 1.25  # the scale's words: at most this times the system's text

    def __init__(self, parent: QWidget | None = None) -> None:
        self._track = QRectF()
        self._label_x = 0.0
        self._label_ys: dict[PhaseKind, float] = {}
        self._font = QFont()
        self.painted_words: dict[str, bool] = {}  # the scale's words last painted: marked?
        self._fill_brush = QBrush()
        self._text_colour = QColor()
        self._now_colour = QColor()
        super().__init__(parent)

    @classmethod
    def minimum_size(cls) -> QSize:
        return QSize(200, 96)

    def _highlighted(self) -> PhaseKind | None:
        return self._kind if self._kind in self._kinds else None

    @property
    def scale_font(self) -> QFont:
        """The font of the scale's words at the current size."""
        return QFont(self._font)

    def _state_key(self) -> Key:
        return (self._level, self._highlighted())

    def _invalidate(self, old: Key, new: Key) -> None:
        if old[1] != new[1]:
            self.update()  # the highlighted word changed
            return
        track = self._track
        tops = sorted(track.bottom() - self._fill_for(_level_of(key)) for key in (old, new))
        band = QRectF(
            track.left() - EDGE_PX,
            tops[0] - EDGE_PX,
            track.width() + 2 * EDGE_PX,
            tops[1] - tops[0] + track.width() / 2 + 2 * EDGE_PX,
        )
        self.update(band.toAlignedRect())

    def _relayout(self) -> None:
        w, h = self.width(), self.height()
        font = QFont(self.font())
        base_px = QFontInfo(font).pixelSize()
        pixels = min(max(h * 0.03, base_px * 0.9), base_px * self.SCALE_FACTOR)
        font.setPixelSize(max(1, round(pixels)))
        self._font = font
        metrics = QFontMetricsF(font)
        text_w = max(metrics.horizontalAdvance(SPOKEN_WORDS[k]) for k in self._kinds)
        line_h = metrics.height()
        track_h = h * 0.84
        bar_w = min(max(18.0, min(w * 0.16, track_h * 0.24)), 140.0)
        gap = max(10.0, bar_w * 0.25)
        marker = line_h * 0.9
        x0 = max(4.0, (w - (bar_w + gap + marker + text_w)) / 2)
        self._track = QRectF(round(x0), round((h - track_h) / 2), round(bar_w), round(track_h))
        self._label_x = x0 + bar_w + gap + marker
        top = self._track.top() + line_h / 2
        bottom = self._track.bottom() - line_h / 2
        spots = {
            PhaseKind.INHALE: top,
            PhaseKind.HOLD: (top + bottom) / 2,
            PhaseKind.EXHALE: bottom,
        }
        self._label_ys = {k: spots[k] for k in self._kinds}

    def _rebuild_paints(self, theme: Theme) -> None:
        colour = QColor(theme.pacer)
        gradient = QLinearGradient(0.0, 0.0, 1.0, 0.0)
        gradient.setCoordinateMode(QGradient.CoordinateMode.ObjectBoundingMode)
        gradient.setColorAt(0.0, colour)
        gradient.setColorAt(0.5, colour.lighter(125))
        gradient.setColorAt(1.0, colour)
        self._fill_brush = QBrush(gradient)
        self._text_colour = QColor(theme.muted_text)
        self._now_colour = QColor(theme.accent)

    def _draw_backdrop(self, painter: QPainter, theme: Theme) -> None:
        radius = self._track.width() / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.pacer_guide))
        painter.drawRoundedRect(self._track, radius, radius)

    def _fill_for(self, level: float) -> float:
        track = self._track
        return track.width() + (track.height() - track.width()) * level

    def fill_height_px(self) -> float:
        """Height of the filled part of the column at the current level and size."""
        return self._fill_for(self._level)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._begin_paint(event)
        track = self._track
        radius = track.width() / 2
        fill_h = self.fill_height_px()
        fill = QRectF(track.left(), track.bottom() - fill_h, track.width(), fill_h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._fill_brush)
        painter.drawRoundedRect(fill, radius, radius)
        if event.rect().right() > track.right() + EDGE_PX:  # the words are being repainted
            now = self._highlighted()
            painter.setFont(self._font)
            words: dict[str, bool] = {}
            for kind, y in self._label_ys.items():
                current = kind is now
                painter.setPen(self._now_colour if current else self._text_colour)
                box = QRectF(self._label_x, y - track.height(), self.width(), 2 * track.height())
                flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                painter.drawText(box, flags, SPOKEN_WORDS[kind])
                words[SPOKEN_WORDS[kind]] = current
                if current:
                    size = QFontMetricsF(self._font).height() * 0.3
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(self._now_colour)
                    painter.drawEllipse(QPointF(self._label_x - size * 2.2, y), size, size)
            self.painted_words = words
        painter.end()
        span = track.height() - track.width()
        self.drawn_level = (fill_h - track.width()) / span if span > 0 else 0.0


class WavePacer(PacerVisual):
    """A wave of the breath scrolling right to left, with a ball riding it at "now".

    The wave's height at a point is the pacer level that many seconds ahead (or behind), so the
    next breath can be seen coming; breaths already taken are drawn faintly. Samples lie on a
    fixed time grid. Strips half as wide again as the widget are drawn from them once, on a
    whole-pixel grid; each frame Qt scrolls what is on screen by whole pixels and only the strip
    around the ball (and the newly uncovered edge) is repainted from them.
    """

    name = "wave"
    title = "Wave"
    description = (
        "A wave that scrolls from right to left with a ball riding it: the ball rises as you "
        "breathe in and sinks as you breathe out, and the breaths to come can be seen ahead."
    )

    NOW_AT: Final = 0.3  # the ball's place, as a share of the width
    SAMPLE_PX: Final = 3.0  # one sample every this many pixels

    def __init__(self, parent: QWidget | None = None) -> None:
        self._span_s = 16.0
        self._px_per_s = 1.0
        self._step_s = 0.05
        self._x_now = 0  # whole pixels
        self._y0 = 0.0  # level 0
        self._amp = 1.0  # pixels from level 0 to level 1
        self._ball_r = 6.0
        self._line_width = 2.0
        self._chunk_i0 = 0  # grid index of the first cached sample
        self._chunk_levels: list[float] = []
        self._strips: tuple[QPixmap, QPixmap] | None = None  # breaths taken, breaths to come
        self._strip_x0 = 0  # the strips' left edge, in whole pixels of practice time
        self._shown_x: int | None = None  # practice time on screen now, in whole pixels
        self._now_colour = QColor()
        self._ball_colour = QColor()
        self._ball_rim_colour = QColor()
        super().__init__(parent)

    @classmethod
    def minimum_size(cls) -> QSize:
        return QSize(160, 96)

    def _state_key(self) -> Key:
        return (self._level, self._practice_s)

    def _schedule_changed(self) -> None:
        # At least one whole breath ahead of the ball (70% of the width), even for a 60 s cycle.
        self._span_s = min(MAX_WAVE_SPAN_S, max(10.0, self._cycle_s * 1.6))
        self._chunk_levels = []
        self._shown_x = None

    def _relayout(self) -> None:
        w, h = max(1, self.width()), max(1, self.height())
        self._px_per_s = w / self._span_s
        step = max(1.0 / 120.0, self.SAMPLE_PX / self._px_per_s)
        self._step_s = step
        self._chunk_levels = []
        self._strips = None
        self._shown_x = None
        self._x_now = round(w * self.NOW_AT)
        self._ball_r = max(6.0, min(h * 0.05, 28.0))
        self._line_width = max(2.0, min(h * 0.012, 6.0))
        pad = self._ball_r + max(4.0, h * 0.06)
        self._y0 = h - pad
        self._amp = max(1.0, h - 2 * pad)

    def _rebuild_paints(self, theme: Theme) -> None:
        self._now_colour = QColor(theme.pacer_guide)
        self._ball_colour = QColor(theme.accent)
        self._ball_rim_colour = QColor(theme.surface)
        self._strips = None

    def _time_px(self) -> int:
        """Practice time now, in whole pixels of scrolling."""
        return round(self._practice_s * self._px_per_s)

    def _invalidate(self, old: Key, new: Key) -> None:
        shown, now = self._shown_x, self._time_px()
        if shown is None or not 0 <= now - shown < self.width() // 3:
            self.update()
            return
        moved = now - shown
        if moved:
            self.scroll(-moved, 0)  # Qt moves the pixels and repaints the uncovered edge
            self._shown_x = now
        # The ball and the now-line stay put: repaint the band around them (where faint and
        # bright meet) and anything the scroll carried across it.
        reach = self._ball_r + self._rim_px() + EDGE_PX
        left = math.floor(self._x_now - reach - moved)
        self.update(QRect(left, 0, math.ceil(self._x_now + reach) - left + 1, self.height()))

    # -- sampling -------------------------------------------------------------------------------

    def _sample(self, practice_s: float) -> float:
        if self._level_at is None:
            return self._level
        return _clamped(self._level_at(max(0.0, practice_s)))

    def _ensure_samples(self) -> None:
        """Make the cached samples cover everything visible now (plus half as much ahead)."""
        step, now = self._step_s, self._practice_s
        first = math.floor((now - self._x_now / self._px_per_s) / step) - 1
        last = math.ceil((now + (self.width() - self._x_now) / self._px_per_s) / step) + 1
        old_i0, old = self._chunk_i0, self._chunk_levels
        covered = bool(old) and old_i0 <= first and old_i0 + len(old) > last
        flat = self._level_at is None
        if covered and not (flat and old[0] != self._level):
            return
        levels: list[float] = []
        for i in range(first, last + 1 + (last - first) // 2):
            j = i - old_i0
            # Samples lie on a fixed grid, so those already taken are still right.
            levels.append(old[j] if 0 <= j < len(old) and not flat else self._sample(i * step))
        self._chunk_i0, self._chunk_levels = first, levels
        self._strips = None

    def _make_strips(self, theme: Theme) -> tuple[QPixmap, QPixmap]:
        """The wave over all cached samples, on the whole-pixel grid of practice time."""
        first_px = self._chunk_i0 * self._step_s * self._px_per_s
        self._strip_x0 = math.floor(first_px)
        offset, dx = first_px - self._strip_x0, self._step_s * self._px_per_s
        levels, y0, amp = self._chunk_levels, self._y0, self._amp
        line = QPainterPath()
        line.moveTo(offset, y0 - amp * levels[0])
        for i in range(1, len(levels)):
            line.lineTo(offset + i * dx, y0 - amp * levels[i])
        end = offset + (len(levels) - 1) * dx
        area = QPainterPath(line)
        area.lineTo(end, y0 + amp * 0.05)
        area.lineTo(offset, y0 + amp * 0.05)
        area.closeSubpath()
        ratio = self.devicePixelRatioF()
        size = QSize(math.ceil(end) + 1, max(1, self.height())) * ratio
        strips = []
        for line_colour, fill_alpha in ((theme.pacer_guide, 0.0), (theme.pacer, 0.16)):
            strip = QPixmap(size)
            strip.setDevicePixelRatio(ratio)
            strip.fill(QColor(theme.window))
            painter = QPainter(strip)
            paint_backdrop(painter, self, QRectF(0, 0, size.width() / ratio, self.height()), theme)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            if fill_alpha > 0:
                fill = QColor(theme.pacer)
                fill.setAlphaF(fill_alpha)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(fill)
                painter.drawPath(area)
            pen = QPen(QColor(line_colour), self._line_width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(line)
            painter.end()
            strips.append(strip)
        return strips[0], strips[1]

    def samples_ahead(self) -> list[tuple[float, float]]:
        """The cached samples as (seconds from now, level), covering what is on screen."""
        self._ensure_samples()
        first_s = self._chunk_i0 * self._step_s
        return [
            (first_s + i * self._step_s - self._practice_s, level)
            for i, level in enumerate(self._chunk_levels)
        ]

    def path_level(self, ahead_s: float) -> float:
        """The level the drawn wave shows ``ahead_s`` seconds from now (negative: behind)."""
        self._ensure_samples()
        position = (self._practice_s + ahead_s) / self._step_s - self._chunk_i0
        i = min(max(0, math.floor(position)), len(self._chunk_levels) - 2)
        a, b = self._chunk_levels[i], self._chunk_levels[i + 1]
        return a + (b - a) * (position - i)

    def _rim_px(self) -> float:
        return max(2.0, self._ball_r * 0.2)

    def ball_y(self) -> float:
        """The ball centre's height in pixels at the current level."""
        return self._y0 - self._level * self._amp

    # -- painting -------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._begin_paint(event, backdrop=False)  # the strips cover every pixel
        assert self._theme is not None
        self._ensure_samples()
        if self._strips is None:
            self._strips = self._make_strips(self._theme)
        taken, to_come = self._strips
        ratio = taken.devicePixelRatio()
        now_px = self._time_px()
        self._shown_x = now_px
        w, h, x_now = self.width(), self.height(), self._x_now
        left = now_px - x_now - self._strip_x0  # the strips' x at the widget's left edge
        # One copy per rectangle of the region (after a scroll: the band and the uncovered
        # edge), each clipped to a plain rectangle, so Qt copies pixels instead of clipping.
        # A QRegion iterates over its rectangles; PySide6's stub lacks __iter__.
        for area in event.region():  # type: ignore[attr-defined]
            painter.setClipRect(area)
            for strip, x1, x2 in ((taken, 0, x_now), (to_come, x_now, w)):
                x1, x2 = max(x1, area.left()), min(x2, area.right() + 1)
                if x2 > x1:
                    source = QRectF((left + x1) * ratio, 0.0, (x2 - x1) * ratio, h * ratio)
                    painter.drawPixmap(QRectF(x1, 0.0, x2 - x1, h), strip, source)
        painter.setClipping(False)
        painter.fillRect(x_now, 0, 1, h, self._now_colour)  # "now": a hairline under the ball
        # The ball: a rim of the surface colour round a disc of the accent (two fills are
        # cheaper than a stroked outline).
        y, ball = self.ball_y(), QPointF(x_now + 0.5, self.ball_y())
        painter.setPen(Qt.PenStyle.NoPen)
        rim = self._ball_r + self._rim_px() / 2
        painter.setBrush(self._ball_rim_colour)
        painter.drawEllipse(ball, rim, rim)
        inner = self._ball_r - self._rim_px() / 2
        painter.setBrush(self._ball_colour)
        painter.drawEllipse(ball, inner, inner)
        painter.end()
        self.drawn_level = (self._y0 - y) / self._amp


VISUAL_CLASSES: Final[dict[str, type[PacerVisual]]] = {
    cls.name: cls for cls in (CirclePacer, ColumnPacer, WavePacer)
}
VISUAL_NAMES: Final = tuple(VISUAL_CLASSES)


class PacerStack(QStackedWidget):
    """All three visuals in one place; only the one on show is drawn each frame."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.visuals: dict[str, PacerVisual] = {}
        for name, cls in VISUAL_CLASSES.items():
            visual = cls()
            self.visuals[name] = visual
            self.addWidget(visual)
        self._current = self.visuals["circle"]
        self._chosen = self._current.name
        self._still = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def current(self) -> PacerVisual:
        """The visual on show."""
        return self._current

    @property
    def current_name(self) -> str:
        """``circle``, ``column`` or ``wave``: the visual on show."""
        return self.current.name

    @property
    def chosen_name(self) -> str:
        """The visual last asked for (on show unless motion is reduced)."""
        return self._chosen

    @property
    def reduced_motion(self) -> bool:
        """Whether only the still circle is shown (see :meth:`set_reduced_motion`)."""
        return self._still

    def set_reduced_motion(self, on: bool) -> None:
        """Show the circle at one size, its brightness and a thin bar following the breath,
        whatever visual is chosen (on); or the chosen visual as it is (off). No jump."""
        if on == self._still:
            return
        self._still = on
        circle = self.visuals["circle"]
        assert isinstance(circle, CirclePacer)
        circle.set_reduced_motion(on)
        self._show(circle.name if on else self._chosen)

    def show_visual(self, name: str) -> None:
        """Show the visual called ``name`` (unknown names show the circle), at the same level.

        With reduced motion the choice is remembered and shown once motion is allowed again.
        """
        self._chosen = name if name in self.visuals else "circle"
        if not self._still:
            self._show(self._chosen)

    def _show(self, name: str) -> None:
        visual = self.visuals[name]
        if visual is not self._current:
            visual.copy_state_from(self._current)
            self.setCurrentWidget(visual)
            self._current = visual

    def set_schedule(
        self,
        level_at: LevelAt | None,
        kinds: Iterable[PhaseKind] = ALL_KINDS,
        cycle_s: float = 10.0,
    ) -> None:
        """Tell the visual on show about the breath (the others learn it when they are shown)."""
        self.current.set_schedule(level_at, tuple(kinds), cycle_s)

    def set_theme(self, theme: Theme | None) -> None:
        """Draw every visual with ``theme`` whatever the app's theme (``None``: the app's)."""
        for visual in self.visuals.values():
            visual.set_theme(theme)

    def set_dimmed(self, dim: bool) -> None:
        """Draw every visual faintly (eyes closed), or at full strength again."""
        for visual in self.visuals.values():
            visual.set_dimmed(dim)

    def show_state(self, state: PacerState, practice_s: float, *, idle: bool = False) -> None:
        """Draw ``state`` on the visual on show (``idle``: no phase marked)."""
        self._current.show_state(state, practice_s, idle=idle)
