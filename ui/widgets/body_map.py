"""The body map: front and back outlines with named regions, for marking where it hurts and for
showing where a guided exercise rests attention (a soft moving spotlight).

Two uses of one widget:

- *selection*: a click on a region marks it (or clears it) in the role being chosen, "pain" or
  "comfort". From the keyboard, Tab reaches the map, the arrow keys move a focus ring from
  region to region, and Space or Enter marks the one in the ring.
- *display*: :meth:`BodyMapView.set_spotlight` draws soft spots of light where the exercise says:
  a warm light, and a calm cool one on the comfortable area a person chose (the two blend while
  the light glides between them). :meth:`BodyMapView.set_projected` makes the light bright with a
  clear core, for a projector or a screen across a room (presentation mode).
  The body is drawn once into a cached image; each frame repaints only the squares the changed
  spots covered before and cover now, so it stays cheap at the display's frame rate. Where spots
  overlap the brighter one shows, never the sum (so light that splits in two or gathers into one
  never flashes): the light of a repainted square is built as a grey mask, each spot drawn into
  it from one cached sprite and kept with "lighten" (the maximum), and the mask then becomes the
  alpha of the spotlight's colour laid over the body.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, NamedTuple

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QColor,
    QFocusEvent,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QRadialGradient,
    QRegion,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from trainer.content.bodymap import BodyMap, Ellipse, Shape, label
from trainer.content.spotlight import FALLOFF, GLOW_REACH, SpotlightState
from ui.common.theme import Theme, current_theme, paint_backdrop, scaled_font

__all__ = ["ROLES", "BodyMapView", "Glow", "role_colour", "spotlight_colour"]

ROLES: Final = ("pain", "comfort")
VIEW_CAPTIONS: Final = {"front": "Front", "back": "Back"}
MARGIN_PX: Final = 8
EDGE_PX: Final = 3  # antialiasing reaches this far past a shape's edge (with a margin)
# Paths are kept in map units times this: Qt flattens curves for path arithmetic (union,
# subtraction) to a tolerance in the path's own units, far too coarse in map units.
FINE: Final = 1000.0
SEGMENTS: Final = 64  # corners of a capsule's outline
GLOW_SPRITE_PX: Final = 256  # the cached image of one spot, drawn scaled to each spot's reach
GLOW_PEAK: Final = 0.9  # a spot's opacity at its centre at full intensity
SPRITES_KEPT: Final = 64  # sprites of this many brightnesses are kept at once
# A calm second colour for "comfortable or neutral" areas, clearly apart from the accent.
COMFORT: Final = {"light": "#6d5fb3", "dark": "#b9aef0", "high_contrast": "#d9c7ff"}
DIRECTIONS: Final[dict[int, tuple[float, float]]] = {
    Qt.Key.Key_Left.value: (-1.0, 0.0),
    Qt.Key.Key_Right.value: (1.0, 0.0),
    Qt.Key.Key_Up.value: (0.0, -1.0),
    Qt.Key.Key_Down.value: (0.0, 1.0),
}
TOGGLE_KEYS: Final = (Qt.Key.Key_Space,)  # Enter is left to the screen: Next / Continue
# A warm, soft light (yellow in high contrast, where the accent marking pain is cyan).
SPOTLIGHT: Final = {"light": "#e8861a", "dark": "#ffd27a", "high_contrast": "#ffd84d"}
# On the comfortable area the light is cool and calm instead: a soft periwinkle blue, akin to
# the violet of a comfortable area's mark and far from the warm light and from the accent.
COMFORT_LIGHT: Final = {"light": "#4a6ad6", "dark": "#9fb6ff", "high_contrast": "#a9c2ff"}
# Projected (presentation mode): a light seen across a room. Brighter (a faint whole-body glow
# becomes a clear one), fully opaque at its centre, and flat out to a third of its reach so it
# has a clear core before its soft edge: (distance / reach, brightness), as FALLOFF.
PROJECTED_GAIN: Final = 2.8
PROJECTED_PEAK: Final = 1.0
PROJECTED_FALLOFF: Final[tuple[tuple[float, float], ...]] = (
    (0.0, 1.0),
    (0.33, 1.0),
    (0.55, 0.75),
    (0.8, 0.25),
    (1.0, 0.0),
)


def mix(colour: str | QColor, towards: str | QColor, share: float) -> QColor:
    a, b = QColor(colour), QColor(towards)
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * share,
        a.greenF() + (b.greenF() - a.greenF()) * share,
        a.blueF() + (b.blueF() - a.blueF()) * share,
    )


def _by_theme(colours: dict[str, str], theme: Theme) -> QColor:
    """The colour named for ``theme``, else the light or dark one to suit its background."""
    return QColor(colours.get(theme.name) or colours["dark" if theme.dark else "light"])


def role_colour(role: str, theme: Theme | None = None) -> QColor:
    """The colour a marked region is filled with: the accent for pain, a calm violet for comfort."""
    theme = theme or current_theme()
    if role == "comfort":
        return _by_theme(COMFORT, theme)
    return QColor(theme.accent)


def spotlight_colour(theme: Theme | None = None, comfort: float = 0.0) -> QColor:
    """The spotlight's warm light, or (``comfort`` 1) the calm cool light of a comfortable area;
    in between while the light glides from one to the other."""
    theme = theme or current_theme()
    warm = _by_theme(SPOTLIGHT, theme)
    if comfort <= 0.0:
        return warm
    return mix(warm, _by_theme(COMFORT_LIGHT, theme), min(1.0, comfort))


MARK_ALPHA: Final = 0.8  # a marked region's fill (the role being chosen, or on display)
OTHER_MARK_ALPHA: Final = 0.35  # marks of the other role while choosing: there, but fainter


def body_colours(theme: Theme) -> tuple[QColor, QColor, QColor]:
    """The figures' fill, their outline (at least 3:1 on the window and on the fill) and the
    faint seams between regions."""
    fill = mix(theme.surface, theme.pacer_guide, 0.45 if theme.dark else 0.6)
    return fill, mix(theme.border, theme.text, 0.2), mix(fill, theme.text, 0.22)


def role_words(role: str) -> str:
    """How a mark is read out: ``marked`` (pain) or ``marked as comfortable``."""
    return "marked as comfortable" if role == "comfort" else "marked"


class Glow(NamedTuple):
    """One spot of the spotlight as drawn: centre and radius in widget pixels, intensity 0..1,
    and how far its soft edge reaches (pixels)."""

    x: float
    y: float
    radius: float
    intensity: float
    reach: float


@dataclass(frozen=True, eq=False)
class _Item:
    """One region as drawn in one view (a region in both views is two items)."""

    view: str
    region: str
    path: QPainterPath  # in fine units (map units x FINE)
    centre: QPointF  # in map units


def _shape_path(shape: Shape) -> QPainterPath:
    """One shape of the body map data as a path in fine units (map units x ``FINE``)."""
    path = QPainterPath()
    if isinstance(shape, Ellipse):
        path.addEllipse(QPointF(shape.cx, shape.cy) * FINE, shape.rx * FINE, shape.ry * FINE)
    else:
        corners = shape.to_polygon(SEGMENTS)
        path.addPolygon(QPolygonF([QPointF(x * FINE, y * FINE) for x, y in corners]))
        path.closeSubpath()
    return path


def _union(paths: Iterable[QPainterPath]) -> QPainterPath:
    whole = QPainterPath()
    whole.setFillRule(Qt.FillRule.WindingFill)
    for path in paths:
        whole.addPath(path)
    return whole.simplified()


MARKING_DESCRIPTION: Final = (
    "Front and back of a body. Arrow keys move between areas; Space marks or clears one."
)


class BodyMapView(QWidget):
    """Draws a :class:`~trainer.content.bodymap.BodyMap`; marks regions on click or key, and shows a
    spotlight. ``selection_changed`` follows every change of the marks made here."""

    selection_changed = Signal()

    def __init__(
        self, body_map: BodyMap, parent: QWidget | None = None, *, interactive: bool = True
    ) -> None:
        super().__init__(parent)
        self.body_map = body_map
        self._marks: dict[str, str] = {}
        self._role = "pain"
        self._interactive = False
        self._hover: _Item | None = None
        self._focus_item: _Item | None = None
        self._ring_shown = False  # the focus ring shows for the keyboard, not after a click
        self._spotlight: SpotlightState | None = None
        self._spot_key: tuple[Glow, ...] = ()
        self._comfort = 0.0  # the light's share of the comfortable area's colour (2 decimals)
        self._projected = False
        self.drawn_spotlight: tuple[Glow, ...] = ()  # the spots the last paint drew
        self._theme: Theme | None = None
        self._fixed_theme: Theme | None = None  # None: the app's theme
        self._cache: QPixmap | None = None
        self._glow = _glow_sprite(FALLOFF)
        self._sprites: dict[int, QImage] = {}
        self._mask = QImage()  # the spotlight's brightness (see _draw_light)
        self._tint = QImage()  # the spotlight's colour with that brightness as its alpha
        self._transform = QTransform()  # map units -> widget pixels
        self._fine = QTransform()  # fine units -> widget pixels
        self._views: dict[str, QPainterPath] = {}
        self._items: list[_Item] = []
        self._load_shapes()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._light_words = ""  # what the description says is lit (only a display)
        self.set_interactive(interactive)

    # -- the data ---------------------------------------------------------------------------------

    def _load_shapes(self) -> None:
        """Paths in map units for each view's outline and each region in it.

        Each region keeps only the part no later region covers, so what is drawn as one region
        is exactly what a click there finds.
        """
        self._views.clear()
        self._items.clear()
        for view in self.body_map.views:
            outline, regions = self.body_map.shapes(view)
            self._views[view] = _union(_shape_path(s) for s in outline)
            paths = {r: _union(_shape_path(s) for s in shapes) for r, shapes in regions.items()}
            order = list(paths)
            for index, region in enumerate(order):
                above = _union(paths[r] for r in order[index + 1 :])
                path = paths[region].subtracted(above) if not above.isEmpty() else paths[region]
                centre = QPointF(*self.body_map.centre(region, view))
                self._items.append(_Item(view, region, path, centre))

    # -- marks ------------------------------------------------------------------------------------

    @property
    def marks(self) -> dict[str, str]:
        """Every marked region and its role (``pain`` or ``comfort``)."""
        return dict(self._marks)

    def marked(self, role: str = "pain") -> tuple[str, ...]:
        """The regions marked in ``role``, in the body map's order (head to feet)."""
        return tuple(r for r in self.body_map.regions if self._marks.get(r) == role)

    def set_marked(self, role: str, regions: Iterable[str]) -> None:
        """Mark exactly ``regions`` in ``role`` (replacing that role's marks)."""
        self._check_role(role)
        wanted = set(regions)
        unknown = wanted - set(self.body_map.regions)
        if unknown:
            raise ValueError(f"unknown body regions: {', '.join(sorted(unknown))}")
        marks = {r: m for r, m in self._marks.items() if m != role}
        marks.update({r: role for r in wanted})
        self._set_marks(marks)

    def clear_marks(self) -> None:
        """Clear every mark."""
        self._set_marks({})

    @property
    def marking_role(self) -> str:
        """What a click marks: ``pain`` or ``comfort``."""
        return self._role

    def set_marking_role(self, role: str) -> None:
        """Choose what a click marks. Areas marked in the other role stay as they are."""
        self._check_role(role)
        if role != self._role:
            self._role = role
            self._cache = None  # the other role's marks are drawn fainter
            self.update()
        self._announce()

    def toggle(self, region: str) -> bool:
        """Mark ``region`` in the current role, or clear it; False if it is marked in the other
        role (so choosing a comfortable area never loses a painful one)."""
        current = self._marks.get(region)
        if current is not None and current != self._role:
            return False
        marks = dict(self._marks)
        if current is None:
            marks[region] = self._role
        else:
            del marks[region]
        self._set_marks(marks)
        return True

    def _set_marks(self, marks: dict[str, str]) -> None:
        if marks == self._marks:
            return
        self._marks = marks
        self._cache = None
        self.update()
        self._announce()
        self.selection_changed.emit()

    @staticmethod
    def _check_role(role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}; got {role!r}")

    # -- interaction ------------------------------------------------------------------------------

    @property
    def interactive(self) -> bool:
        """Whether clicks and keys mark regions (off when the map only shows a spotlight)."""
        return self._interactive

    def set_interactive(self, on: bool) -> None:
        """Let the person mark regions, or only show the map."""
        self._interactive = on
        self.setMouseTracking(on)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if on else Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor if on else Qt.CursorShape.ArrowCursor)
        if not on:
            self._hover = None
        self._announce()
        if on:
            self.setAccessibleDescription(MARKING_DESCRIPTION)
        else:
            self._light_words = ""
            self._describe_light()
        self.update()

    @property
    def focused_region(self) -> str | None:
        """The region in the keyboard focus ring."""
        return None if self._focus_item is None else self._focus_item.region

    @property
    def focused_view(self) -> str | None:
        """Which view (``front`` or ``back``) the focus ring is in."""
        return None if self._focus_item is None else self._focus_item.view

    @property
    def focus_ring_shown(self) -> bool:
        """Whether the keyboard's focus ring is drawn (focused from the keyboard, not a click)."""
        return self._focus_item is not None and self.hasFocus() and self._ring_shown

    def set_focused(self, region: str, view: str | None = None) -> None:
        """Put the focus ring on ``region`` (in ``view``, or the first view that has it)."""
        for item in self._items:
            if item.region == region and view in (None, item.view):
                self._move_focus(item)
                return
        raise ValueError(f"no region {region!r} in the {view or 'body'} view")

    def region_at_point(self, point: QPointF) -> str | None:
        """The region under a point in widget pixels, if any."""
        inverse, ok = self._transform.inverted()
        if not ok:
            return None
        x, y = inverse.map(QPointF(point)).toTuple()
        return self.body_map.region_at(x, y)

    def point_of(self, x: float, y: float) -> QPointF:
        """Widget pixels of a point in map units."""
        return self._transform.map(QPointF(x, y))

    def region_centre(self, region: str, view: str | None = None) -> QPointF:
        """Widget pixels of ``region``'s centre: the body map's centre, or that of the copy of it
        drawn in ``view``."""
        if view is None:
            return self.point_of(*self.body_map.centre(region))
        for item in self._items:
            if item.region == region and item.view == view:
                return self._transform.map(item.centre)
        raise ValueError(f"no region {region!r} in the {view} view")

    def _item_at(self, point: QPointF) -> _Item | None:
        region = self.region_at_point(point)
        if region is None:
            return None
        inverse, _ = self._transform.inverted()
        where = inverse.map(QPointF(point))
        copies = [i for i in self._items if i.region == region]
        return min(
            copies,
            key=lambda i: 0.0 if i.path.contains(where * FINE) else _distance(i.centre, where),
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self._interactive or event.button() is not Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        if self._ring_shown:
            self._ring_shown = False
            self.update()
        item = self._item_at(event.position())
        if item is None:
            return
        self._move_focus(item)
        self.toggle(item.region)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if not self._interactive:
            return
        item = self._item_at(event.position())
        if item is not self._hover:
            self._hover = item
            self.update()
            if item is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPosition().toPoint(), self._describe(item.region))

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        if self._hover is not None:
            self._hover = None
            self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        keyboard = key in (*DIRECTIONS, *TOGGLE_KEYS, Qt.Key.Key_Home)
        if self._interactive and keyboard and not self._ring_shown:
            self._ring_shown = True  # working the map from the keyboard: show where the ring is
            self.update()
        if not self._interactive:
            super().keyPressEvent(event)
        elif key in DIRECTIONS:
            self._step_focus(*DIRECTIONS[key])
        elif key in TOGGLE_KEYS:
            if self._focus_item is None:
                self._move_focus(self._first_item())
            else:
                self.toggle(self._focus_item.region)
        elif key == Qt.Key.Key_Home:
            self._move_focus(self._first_item())
        else:
            super().keyPressEvent(event)

    def _step_focus(self, dx: float, dy: float) -> None:
        """Move the ring to the nearest region that way (nothing there: it stays)."""
        here = self._focus_item
        if here is None:
            self._move_focus(self._first_item())
            return
        best: tuple[float, _Item] | None = None
        for item in self._items:
            if item is here:
                continue
            vx, vy = item.centre.x() - here.centre.x(), item.centre.y() - here.centre.y()
            along = vx * dx + vy * dy
            across = abs(vx * dy - vy * dx)
            if along <= 1e-6 or across > 2.5 * along:
                continue
            score = along + 2.0 * across
            if best is None or score < best[0]:
                best = (score, item)
        if best is not None:
            self._move_focus(best[1])

    def _first_item(self) -> _Item:
        """Where the ring starts: the head in the front view."""
        return next(
            (i for i in self._items if (i.view, i.region) == ("front", "head")), self._items[0]
        )

    def _move_focus(self, item: _Item) -> None:
        if item is not self._focus_item:
            self._focus_item = item
            self.update()
        self._announce()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._ring_shown = event.reason() is not Qt.FocusReason.MouseFocusReason
        if self._focus_item is None and self._items:
            marked = [i for i in self._items if i.region in self._marks]
            self._focus_item = marked[0] if marked else self._first_item()
            self._announce()
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def _describe(self, region: str) -> str:
        role = self._marks.get(region)
        words = role_words(role) if role is not None else "not marked"
        return f"{label(region)}, {words}"

    def _announce(self) -> None:
        """The accessible name says where the ring is and whether that area is marked."""
        item = self._focus_item
        if not self._interactive:
            name = "Body map"
        elif item is None:
            name = "Body map: use the arrow keys to choose an area"
        else:
            name = self._describe(item.region)
        if name != self.accessibleName():
            self.setAccessibleName(name)
            if self.hasFocus():
                QAccessible.updateAccessibility(
                    QAccessibleEvent(self, QAccessible.Event.NameChanged)
                )

    def set_theme(self, theme: Theme | None) -> None:
        """Draw with ``theme`` whatever the app's theme is (``None`` follows the app again)."""
        if theme != self._fixed_theme:
            self._fixed_theme = theme
            self._theme = None
            self._cache = None
            self.update()

    # -- the spotlight ----------------------------------------------------------------------------

    @property
    def spotlight(self) -> SpotlightState | None:
        """The spotlight last given."""
        return self._spotlight

    def set_spotlight(self, state: SpotlightState | None) -> None:
        """Show the spotlight ``state`` (``None`` hides it), repainting only what it touches:
        where the spots that changed were and are."""
        self._spotlight = state
        if not self._interactive:
            self._describe_light()
        key = self._spot_geometry(state)
        comfort = round(state.comfort, 2) if state is not None else 0.0
        recoloured = comfort != self._comfort
        if key == self._spot_key and not recoloured:
            return
        old, self._spot_key, self._comfort = self._spot_key, key, comfort
        if self._cache is None:
            self.update()
            return
        kept = set() if recoloured else set(old) & set(key)
        for glow in (*old, *key):
            if glow not in kept:
                self.update(self._spot_rect(glow))

    @property
    def projected(self) -> bool:
        """Whether the light is drawn for a projector (bright, with a clear core)."""
        return self._projected

    def set_projected(self, on: bool) -> None:
        """Draw the light bright with a clear core, to be seen across a room (on), or soft."""
        if on == self._projected:
            return
        self._projected = on
        self._glow = _glow_sprite(PROJECTED_FALLOFF if on else FALLOFF)
        self._sprites.clear()
        self._spot_key = self._spot_geometry(self._spotlight)
        self.update()

    @property
    def light_colour(self) -> QColor:
        """The colour the light is drawn in now (warm, or calm on a comfortable area)."""
        return spotlight_colour(self._fixed_theme or current_theme(), self._comfort)

    def _describe_light(self) -> None:
        """Say where the light is (only when that changes, never frame by frame)."""
        state = self._spotlight
        if state is None or not any(spot.intensity > 0 for spot in state.spots):
            words = "No area is lit just now."
        elif not state.regions:
            words = "A soft light over the whole body."
        else:
            names = [label(region) for region in state.regions]
            joined = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            words = f"The light is on: {joined[0].upper()}{joined[1:].lower()}."
        if words != self._light_words:
            self._light_words = words
            self.setAccessibleDescription(words)

    def _spot_geometry(self, state: SpotlightState | None) -> tuple[Glow, ...]:
        """The spots in widget pixels (rounded, so a still light repaints nothing).

        A spot's soft edge reaches a little past its radius, but never past the widget's edge (a
        glow cut off there would show a hard line).
        """
        if state is None:
            return ()
        scale = self._scale()
        gain = PROJECTED_GAIN if self._projected else 1.0
        glows = []
        for spot in state.spots:
            if spot.intensity <= 0:
                continue
            centre = self.point_of(spot.x, spot.y)
            x, y = round(centre.x(), 1), round(centre.y(), 1)
            radius = round(spot.radius * scale, 1)
            room = min(x, y, self.width() - x, self.height() - y)
            reach = round(min(radius * GLOW_REACH, max(room, radius / 2)), 1)
            glows.append(Glow(x, y, radius, round(min(1.0, spot.intensity * gain), 3), reach))
        return tuple(glows)

    @staticmethod
    def _spot_rect(glow: Glow) -> QRect:
        reach = glow.reach + EDGE_PX
        return QRectF(glow.x - reach, glow.y - reach, 2 * reach, 2 * reach).toAlignedRect()

    def _draw_light(
        self, painter: QPainter, area: QRegion, glows: Iterable[Glow], colour: QColor
    ) -> None:
        """Lay the spotlight over the body already drawn in ``area`` (widget pixels).

        A grey mask holds, at each pixel, the brightest spot there: each spot is drawn into it
        from an opaque sprite already as bright as the spot, with "lighten", which for opaque
        greys keeps the maximum (so two spots in one place look exactly like one). The mask's
        grey then becomes the alpha of the spotlight's colour, laid over the body. Both images
        are kept from frame to frame and worked on only in ``area``.
        """
        ratio = self.devicePixelRatioF()
        device = QTransform.fromScale(ratio, ratio).map(area).intersected(self._mask.rect())
        if device.isEmpty():
            return
        bounds = device.boundingRect()
        mode = QPainter.CompositionMode
        on_mask = QPainter(self._mask)
        on_mask.setClipRegion(device)
        on_mask.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        on_mask.setCompositionMode(mode.CompositionMode_Source)
        on_mask.fillRect(bounds, Qt.GlobalColor.black)
        on_mask.setCompositionMode(mode.CompositionMode_Lighten)
        for glow in glows:
            side = 2 * glow.reach * ratio
            target = QRectF(
                (glow.x - glow.reach) * ratio, (glow.y - glow.reach) * ratio, side, side
            )
            peak = PROJECTED_PEAK if self._projected else GLOW_PEAK
            sprite = self._sprite(round(peak * glow.intensity * 255))
            on_mask.drawImage(target, sprite, QRectF(sprite.rect()))
        on_mask.end()
        mask = self._mask
        alpha = QImage(  # the same bytes, read as alpha
            mask.constBits(),
            mask.width(),
            mask.height(),
            mask.bytesPerLine(),
            QImage.Format.Format_Alpha8,
        )
        on_tint = QPainter(self._tint)
        on_tint.setClipRegion(device)
        on_tint.setCompositionMode(mode.CompositionMode_Source)
        on_tint.fillRect(bounds, colour)
        on_tint.setCompositionMode(mode.CompositionMode_DestinationIn)
        on_tint.drawImage(bounds, alpha, bounds)
        on_tint.end()
        where = QRectF(
            bounds.x() / ratio, bounds.y() / ratio, bounds.width() / ratio, bounds.height() / ratio
        )
        painter.drawImage(where, self._tint, QRectF(bounds))

    def _sprite(self, level: int) -> QImage:
        """The spot's sprite, opaque, as bright as ``level`` (0..255) at its centre (cached)."""
        sprite = self._sprites.get(level)
        if sprite is None:
            if len(self._sprites) >= SPRITES_KEPT:
                self._sprites.clear()
            sprite = QImage(self._glow.size(), QImage.Format.Format_ARGB32_Premultiplied)
            sprite.fill(Qt.GlobalColor.black)
            painter = QPainter(sprite)
            painter.setOpacity(level / 255)
            painter.drawImage(0, 0, self._glow)
            painter.end()
            self._sprites[level] = sprite
        return sprite

    # -- geometry and drawing ---------------------------------------------------------------------

    def _scale(self) -> float:
        return self._transform.m11()

    def _caption_h(self) -> float:
        return self.fontMetrics().height() + 6

    def _relayout(self) -> None:
        left, top, right, bottom = self.body_map.bounds
        map_w, map_h = right - left, bottom - top
        avail_w = max(1.0, self.width() - 2 * MARGIN_PX)
        avail_h = max(1.0, self.height() - 2 * MARGIN_PX - self._caption_h())
        scale = min(avail_w / map_w, avail_h / map_h)
        dx = (self.width() - map_w * scale) / 2 - left * scale
        dy = MARGIN_PX + (avail_h - map_h * scale) / 2 - top * scale
        self._transform = QTransform(scale, 0, 0, scale, dx, dy)
        self._fine = QTransform.fromScale(1 / FINE, 1 / FINE) * self._transform
        self._spot_key = self._spot_geometry(self._spotlight)
        self._cache = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.StyleChange,
            QEvent.Type.FontChange,
        ):
            self._theme = None
            self._relayout()
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(440, 420)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 160)

    def _build_cache(self) -> None:
        theme = self._fixed_theme or current_theme()
        self._theme = theme
        ratio = self.devicePixelRatioF()
        image = QPixmap(self.size() * ratio)
        image.setDevicePixelRatio(ratio)
        image.fill(QColor(theme.window))
        painter = QPainter(image)
        paint_backdrop(painter, self, theme=theme)  # the window's, behind the figure
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._draw_body(painter, theme)
        painter.end()
        self._cache = image
        self._mask = QImage(image.size(), QImage.Format.Format_Grayscale8)
        self._tint = QImage(image.size(), QImage.Format.Format_ARGB32_Premultiplied)
        for buffer in (self._mask, self._tint):
            buffer.fill(0)  # touch the memory now, not in the first frame

    def _draw_body(self, painter: QPainter, theme: Theme) -> None:
        """The outlines, the regions (marked ones filled) and the captions."""
        body_fill, outline, seam = body_colours(theme)
        t = self._fine
        outline_pen = QPen(outline, 1.6)
        outline_pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        for path in self._views.values():
            painter.setPen(outline_pen)
            painter.setBrush(body_fill)
            painter.drawPath(t.map(path))
        seam_pen = QPen(seam, 1.0)
        for item in self._items:
            role = self._marks.get(item.region)
            shape = t.map(item.path)
            if role is None:
                painter.setPen(seam_pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
            else:
                colour = role_colour(role, theme)
                fill = QColor(colour)
                # Marks of the role being chosen stand out; the others stay, fainter.
                chosen = role == self._role or not self._interactive
                fill.setAlphaF(MARK_ALPHA if chosen else OTHER_MARK_ALPHA)
                pen = QPen(colour if theme.dark else colour.darker(125), 1.4)
                if role == "comfort":
                    pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.setBrush(fill)
            painter.drawPath(shape)
        painter.setPen(QColor(theme.muted_text))
        painter.setFont(self.font())
        caption_h = self._caption_h()
        for view, path in self._views.items():
            box = t.map(path).boundingRect()
            area = QRectF(box.left() - 40, box.bottom() + 2, box.width() + 80, caption_h)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, VIEW_CAPTIONS.get(view, view))
        self._draw_sides(painter)

    def _draw_sides(self, painter: QPainter) -> None:
        """A small R and L beside each figure: the person's right and left."""
        font = scaled_font(self, 0.85)
        painter.setFont(font)
        half = QFontMetricsF(font).height()
        for view in self.body_map.views:
            body = self.body_map.view(view)
            middle = (body.x_min + body.x_max) / 2
            left_x = self.body_map.centre("left_hand", view)[0]
            for x, right_side in ((body.x_min + 0.1, False), (body.x_max - 0.1, True)):
                letter = "L" if (left_x > middle) == right_side else "R"
                at = self.point_of(x, 0.2)
                box = QRectF(at.x() - half, at.y() - half, 2 * half, 2 * half)
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, letter)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._cache is None or self._theme is None:
            self._build_cache()
        assert self._cache is not None
        assert self._theme is not None
        painter = QPainter(self)
        ratio = self._cache.devicePixelRatio()
        area = event.rect()
        source = QRectF(
            area.x() * ratio, area.y() * ratio, area.width() * ratio, area.height() * ratio
        )
        painter.drawPixmap(QRectF(area), self._cache, source)  # clipped to the region to paint
        glows = self._spot_key
        here = [g for g in glows if event.region().intersects(self._spot_rect(g))]
        if here:
            colour = spotlight_colour(self._theme, self._comfort)
            self._draw_light(painter, event.region(), here, colour)
        if here or not glows:
            self.drawn_spotlight = glows
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._interactive:
            self._draw_hover_and_focus(painter, self._theme)

    def _draw_hover_and_focus(self, painter: QPainter, theme: Theme) -> None:
        t = self._fine
        if self._hover is not None:
            pen = QPen(role_colour(self._role, theme), 2.0)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(t.map(self._hover.path))
        if self.focus_ring_shown and self._focus_item is not None:
            ring = QPen(QColor(theme.text), 2.5)
            ring.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            shape = t.map(self._focus_item.path)
            painter.drawRoundedRect(shape.boundingRect().adjusted(-4, -4, 4, 4), 5, 5)


def _glow_sprite(falloff: tuple[tuple[float, float], ...]) -> QImage:
    """One spot's light: white, its alpha falling from the centre to the edge as ``falloff``
    says (:data:`trainer.content.spotlight.FALLOFF`, or the projected light's)."""
    side = GLOW_SPRITE_PX
    sprite = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    sprite.fill(Qt.GlobalColor.transparent)
    gradient = QRadialGradient(QPointF(side / 2, side / 2), side / 2)
    for stop, alpha in falloff:
        shade = QColor(Qt.GlobalColor.white)
        shade.setAlphaF(alpha)
        gradient.setColorAt(stop, shade)
    painter = QPainter(sprite)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.drawEllipse(QRectF(0, 0, side, side))
    painter.end()
    return sprite


def _distance(a: QPointF, b: QPointF) -> float:
    return math.hypot(a.x() - b.x(), a.y() - b.y())
