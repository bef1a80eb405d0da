"""The body map: named areas of the body in a front and a back view, read from resources/.

The geometry is data (``resources/body/bodymap.toml``): each region of each view is a list of
ellipses, capsules and polygons in "map units". The front view fills x 0..1 and the back view x
1.25..2.25 of one coordinate space, both y 0..2.4 with y growing downwards (head at the top). A
region's first shape is its main shape: the spotlight centres on it. Regions are drawn in the
file's ``draw_order`` (bottom first); a later region wins a click where two overlap, so a knee
drawn over its leg is what a click on the knee finds.

A mistake in the file is reported with the file, the line and what is wrong.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Final

from trainer.content.catalog import resources_dir
from trainer.errors import BodyMapError

Point = tuple[float, float]

REGION_IDS: Final[tuple[str, ...]] = (
    "head",
    "neck",
    "left_shoulder",
    "right_shoulder",
    "chest",
    "abdomen",
    "upper_back",
    "lower_back",
    "left_arm",
    "right_arm",
    "left_hand",
    "right_hand",
    "left_hip",
    "right_hip",
    "left_leg",
    "right_leg",
    "left_knee",
    "right_knee",
    "left_foot",
    "right_foot",
)
GROUPS: Final[dict[str, tuple[str, ...]]] = {
    **{
        plural: (f"left_{single}", f"right_{single}")
        for plural, single in (
            ("shoulders", "shoulder"),
            ("arms", "arm"),
            ("hands", "hand"),
            ("hips", "hip"),
            ("legs", "leg"),
            ("knees", "knee"),
            ("feet", "foot"),
        )
    },
    "back": ("upper_back", "lower_back"),
}
FRONT: Final = "front"
BACK: Final = "back"
VIEW_NAMES: Final[tuple[str, ...]] = (FRONT, BACK)
VIEW_X: Final[dict[str, tuple[float, float]]] = {FRONT: (0.0, 1.0), BACK: (1.25, 2.25)}
MAP_HEIGHT: Final = 2.4
BOUNDS: Final[tuple[float, float, float, float]] = (0.0, 0.0, 2.25, MAP_HEIGHT)
VIEW_REGIONS: Final[dict[str, tuple[str, ...]]] = {
    FRONT: tuple(r for r in REGION_IDS if r not in ("upper_back", "lower_back")),
    BACK: tuple(r for r in REGION_IDS if r not in ("chest", "abdomen")),
}
BODY_MAP_FILE: Final = "body/bodymap.toml"
_EPS: Final = 1e-9


def label(region_id: str) -> str:
    """A region's or group's name for people: ``left_shoulder`` -> ``Left shoulder``."""
    if region_id not in REGION_IDS and region_id not in GROUPS:
        raise ValueError(f"{region_id!r} is not a body area or group")
    return region_id.replace("_", " ").capitalize()


def expand(names: Iterable[str]) -> tuple[str, ...]:
    """Region ids for region ids and groups, in order and without repeats (``ValueError``)."""
    out: list[str] = []
    for name in names:
        if name in GROUPS:
            ids = GROUPS[name]
        elif name in REGION_IDS:
            ids = (name,)
        else:
            raise ValueError(f"{name!r} is not a body area or group")
        out.extend(i for i in ids if i not in out)
    return tuple(out)


# -- shapes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ellipse:
    """An axis-aligned ellipse: centre ``cx, cy``, half-width ``rx``, half-height ``ry``."""

    kind: ClassVar[str] = "ellipse"
    cx: float
    cy: float
    rx: float
    ry: float

    def contains(self, x: float, y: float) -> bool:
        """Whether the point lies inside (or on the edge)."""
        return ((x - self.cx) / self.rx) ** 2 + ((y - self.cy) / self.ry) ** 2 <= 1.0

    @property
    def centre(self) -> Point:
        """The middle of the shape."""
        return (self.cx, self.cy)

    @property
    def reach(self) -> float:
        """The radius around :attr:`centre` that covers the whole shape."""
        return max(self.rx, self.ry)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """``(x_min, y_min, x_max, y_max)``."""
        return (self.cx - self.rx, self.cy - self.ry, self.cx + self.rx, self.cy + self.ry)

    def to_polygon(self, segments: int = 48) -> tuple[Point, ...]:
        """The outline as a polygon of ``segments`` corners (for drawing or union)."""
        return tuple(
            (
                self.cx + self.rx * math.cos(2 * math.pi * i / segments),
                self.cy + self.ry * math.sin(2 * math.pi * i / segments),
            )
            for i in range(segments)
        )


@dataclass(frozen=True)
class Capsule:
    """Every point within ``r`` of the segment ``(x1, y1)-(x2, y2)``: a rod with round ends."""

    kind: ClassVar[str] = "capsule"
    x1: float
    y1: float
    x2: float
    y2: float
    r: float

    def contains(self, x: float, y: float) -> bool:
        """Whether the point lies inside (or on the edge)."""
        dx, dy = self.x2 - self.x1, self.y2 - self.y1
        length_sq = dx * dx + dy * dy
        t = 0.0 if length_sq == 0 else ((x - self.x1) * dx + (y - self.y1) * dy) / length_sq
        t = min(1.0, max(0.0, t))
        return math.hypot(x - (self.x1 + t * dx), y - (self.y1 + t * dy)) <= self.r

    @property
    def centre(self) -> Point:
        """The middle of the shape."""
        return ((self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2)

    @property
    def reach(self) -> float:
        """The radius around :attr:`centre` that covers the whole shape."""
        return math.hypot(self.x2 - self.x1, self.y2 - self.y1) / 2 + self.r

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """``(x_min, y_min, x_max, y_max)``."""
        return (
            min(self.x1, self.x2) - self.r,
            min(self.y1, self.y2) - self.r,
            max(self.x1, self.x2) + self.r,
            max(self.y1, self.y2) + self.r,
        )

    def to_polygon(self, segments: int = 48) -> tuple[Point, ...]:
        """The outline as a polygon: two half circles of ``segments // 2`` steps joined."""
        half = max(2, segments // 2)
        angle = math.atan2(self.y2 - self.y1, self.x2 - self.x1)
        out: list[Point] = []
        for cx, cy, start in (
            (self.x2, self.y2, angle - math.pi / 2),
            (self.x1, self.y1, angle + math.pi / 2),
        ):
            for i in range(half + 1):
                a = start + math.pi * i / half
                out.append((cx + self.r * math.cos(a), cy + self.r * math.sin(a)))
        return tuple(out)


@dataclass(frozen=True)
class Polygon:
    """A simple polygon through ``points`` (closed: the last corner joins the first)."""

    kind: ClassVar[str] = "polygon"
    points: tuple[Point, ...]

    def contains(self, x: float, y: float) -> bool:
        """Whether the point lies inside (even-odd rule)."""
        inside = False
        n = len(self.points)
        for i in range(n):
            (xa, ya), (xb, yb) = self.points[i], self.points[(i + 1) % n]
            if (ya > y) != (yb > y) and x < xa + (y - ya) * (xb - xa) / (yb - ya):
                inside = not inside
        return inside

    @property
    def area(self) -> float:
        """The enclosed area (always positive)."""
        return abs(_signed_area(self.points))

    @property
    def centre(self) -> Point:
        """The centroid of the enclosed area."""
        a = _signed_area(self.points)
        n = len(self.points)
        sx = sy = 0.0
        for i in range(n):
            (xa, ya), (xb, yb) = self.points[i], self.points[(i + 1) % n]
            cross = xa * yb - xb * ya
            sx += (xa + xb) * cross
            sy += (ya + yb) * cross
        return (sx / (6 * a), sy / (6 * a))

    @property
    def reach(self) -> float:
        """The radius around :attr:`centre` that covers the whole shape."""
        cx, cy = self.centre
        return max(math.hypot(x - cx, y - cy) for x, y in self.points)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """``(x_min, y_min, x_max, y_max)``."""
        xs = [x for x, _ in self.points]
        ys = [y for _, y in self.points]
        return (min(xs), min(ys), max(xs), max(ys))

    def to_polygon(self, segments: int = 48) -> tuple[Point, ...]:
        """The corners (``segments`` is ignored: a polygon is drawn as it is)."""
        return self.points


Shape = Ellipse | Capsule | Polygon


def _signed_area(corners: Sequence[Point]) -> float:
    n = len(corners)
    return (
        sum(
            corners[i][0] * corners[(i + 1) % n][1] - corners[(i + 1) % n][0] * corners[i][1]
            for i in range(n)
        )
        / 2
    )


def _segments_cross(p1: Point, p2: Point, p3: Point, p4: Point) -> bool:
    def side(a: Point, b: Point, c: Point) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = side(p3, p4, p1), side(p3, p4, p2)
    d3, d4 = side(p1, p2, p3), side(p1, p2, p4)
    return ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and 0 not in (d1, d2, d3, d4)


def _self_crossing(corners: Sequence[Point]) -> bool:
    n = len(corners)
    edges = [(corners[i], corners[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # neighbours through the closing edge
            if _segments_cross(*edges[i], *edges[j]):
                return True
    return False


# -- the map ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BodyView:
    """One view of the body (front or back): its silhouette and its regions' shapes."""

    name: str
    x_min: float
    x_max: float
    outline: tuple[Shape, ...]
    regions: Mapping[str, tuple[Shape, ...]]


class BodyMap:
    """The body's regions in a front and a back view: hit-testing, anchors and shapes to draw."""

    def __init__(self, views: Sequence[BodyView], draw_order: Sequence[str]) -> None:
        self._views = {view.name: view for view in views}
        if tuple(self._views) != VIEW_NAMES:
            raise ValueError(f"a body map has the views {VIEW_NAMES}")
        if sorted(draw_order) != sorted(REGION_IDS):
            raise ValueError("the draw order must name every region exactly once")
        self.draw_order: tuple[str, ...] = tuple(draw_order)
        self.regions: tuple[str, ...] = REGION_IDS
        self.views: tuple[str, ...] = VIEW_NAMES
        self.bounds: tuple[float, float, float, float] = BOUNDS
        self._views_of = {
            r: tuple(v for v in VIEW_NAMES if r in self._views[v].regions) for r in REGION_IDS
        }
        self._anchors: dict[tuple[str, str], tuple[Point, float]] = {}
        for view in views:
            for region_id, shapes in view.regions.items():
                main = shapes[0]  # the main shape: the spotlight's anchor
                self._anchors[region_id, view.name] = (main.centre, main.reach)

    def view(self, name: str) -> BodyView:
        """The view called ``name`` (``front`` or ``back``)."""
        try:
            return self._views[name]
        except KeyError:
            raise ValueError(f"there is no {name!r} view; use one of {VIEW_NAMES}") from None

    def views_of(self, region_id: str) -> tuple[str, ...]:
        """The views in which a region appears (``front``, ``back`` or both)."""
        try:
            return self._views_of[region_id]
        except KeyError:
            raise ValueError(f"{region_id!r} is not a body area") from None

    def shapes(self, view: str) -> tuple[tuple[Shape, ...], dict[str, tuple[Shape, ...]]]:
        """What to draw for one view: its silhouette, then each region's shapes in drawing order.

        Fill the silhouette's shapes as one body first; then draw the regions in the order given
        (a later region lies over an earlier one, as :meth:`region_at` finds them).
        """
        body = self.view(view)
        regions = {r: body.regions[r] for r in self.draw_order if r in body.regions}
        return body.outline, regions

    def region_at(self, x: float, y: float) -> str | None:
        """The region under a point in map units (either view), or ``None`` off the body."""
        for region_id in reversed(self.draw_order):
            for view in self._views.values():
                if any(shape.contains(x, y) for shape in view.regions.get(region_id, ())):
                    return region_id
        return None

    def _anchor(self, region_id: str, view: str | None) -> tuple[Point, float]:
        names = self.views_of(region_id)
        if view is None:
            view = names[0]
        elif view not in names:
            raise ValueError(f"{region_id!r} is not in the {view} view")
        return self._anchors[region_id, view]

    def centre(self, region_id: str, view: str | None = None) -> Point:
        """Where the spotlight centres on a region: the middle of its main (first) shape.

        Without ``view``: in the front view if the region is there, else in the back view.
        """
        return self._anchor(region_id, view)[0]

    def extent(self, region_id: str, view: str | None = None) -> float:
        """The radius around :meth:`centre` that covers the region's main shape."""
        return self._anchor(region_id, view)[1]


# -- reading the file ---------------------------------------------------------------------------

_SECTION_RE: Final = re.compile(r"^\s*\[\s*([A-Za-z0-9_.]+)\s*\]")
_SHAPE_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "ellipse": ("cx", "cy", "rx", "ry"),
    "capsule": ("x1", "y1", "x2", "y2", "r"),
    "polygon": ("points",),
}


class _BodyMapLineFinder:
    """Finds the line of a section, a key in it and the n-th shape under that key, for messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.sections: dict[str | None, tuple[int, int]] = {}
        starts: list[tuple[str | None, int]] = [(None, 0)]
        for number, line in enumerate(self.lines):
            match = _SECTION_RE.match(line)
            if match:
                starts.append((match.group(1), number))
        for i, (name, start) in enumerate(starts):
            end = starts[i + 1][1] if i + 1 < len(starts) else len(self.lines)
            self.sections.setdefault(name, (start, end))

    def error(
        self, section: str | None, key: str | None, item: int | None, problem: str
    ) -> BodyMapError:
        line = self._line(section, key, item)
        where = f"{self.path.name}, line {line}" if line else self.path.name
        return BodyMapError(f"{where}: {problem}")

    def _line(self, section: str | None, key: str | None, item: int | None) -> int | None:
        if section not in self.sections:
            return None
        start, end = self.sections[section]
        found = start + 1 if section is not None else 1  # the top of the file
        if key is None:
            return found
        key_re = re.compile(rf"^\s*{re.escape(key)}\s*=")
        key_line = next((n for n in range(start, end) if key_re.match(self.lines[n])), None)
        if key_line is None:
            return found
        if item is None:
            return key_line + 1
        seen = 0
        next_key = re.compile(r"^\s*[A-Za-z0-9_]+\s*=")
        for number in range(key_line, end):
            if number > key_line and next_key.match(self.lines[number]):
                break
            seen += self.lines[number].count("{")
            if seen > item:
                return number + 1
        return key_line + 1


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # a whole number such as 10**400
        return None
    return number if math.isfinite(number) else None


def _parse_shape(raw: object, fail: Callable[[str], BodyMapError]) -> Shape:
    if not isinstance(raw, Mapping):
        raise fail('each shape must be a table such as { shape = "ellipse", ... }.')
    kind = raw.get("shape")
    if kind not in _SHAPE_KEYS:
        raise fail(f"shape {kind!r} is not one of {sorted(_SHAPE_KEYS)}.")
    wanted = _SHAPE_KEYS[kind]
    unknown = sorted(set(raw) - {"shape", *wanted})
    if unknown:
        raise fail(f"unknown keys {unknown}; the {kind} takes {list(wanted)}.")
    missing = [key for key in wanted if key not in raw]
    if missing:
        raise fail(f"the {kind} needs {missing}.")
    if kind == "polygon":
        points = raw["points"]
        corners: list[Point] = []
        if isinstance(points, list):
            for point in points:
                if not isinstance(point, list) or len(point) != 2:
                    break
                x, y = _number(point[0]), _number(point[1])
                if x is None or y is None:
                    break
                corners.append((x, y))
        if not isinstance(points, list) or len(corners) != len(points) or len(corners) < 3:
            raise fail("a polygon's points must be at least three [x, y] pairs of numbers.")
        if abs(_signed_area(corners)) <= _EPS:
            raise fail("the polygon encloses no area.")
        if _self_crossing(corners):
            raise fail("the polygon's edges cross each other.")
        return Polygon(tuple(corners))
    values: dict[str, float] = {}
    for key in wanted:
        number = _number(raw[key])
        if number is None:
            raise fail(f"the {kind}'s {key} must be a number; got {raw[key]!r}.")
        values[key] = number
    if kind == "ellipse":
        if values["rx"] <= 0 or values["ry"] <= 0:
            raise fail("an ellipse's rx and ry must be more than 0.")
        return Ellipse(**values)
    if values["r"] <= 0:
        raise fail("a capsule's r must be more than 0.")
    return Capsule(**values)


def _shape_list(
    raw: object,
    view: str,
    section: str,
    key: str,
    loc: _BodyMapLineFinder,
) -> tuple[Shape, ...]:
    if not isinstance(raw, list) or not raw:
        raise loc.error(section, key, None, f"'{key}' must be a list of one or more shapes.")
    x_min, x_max = VIEW_X[view]
    shapes: list[Shape] = []
    for index, item in enumerate(raw):

        def fail(problem: str, index: int = index) -> BodyMapError:
            return loc.error(section, key, index, f"{key}, shape {index + 1}: {problem}")

        shape = _parse_shape(item, fail)
        x0, y0, x1, y1 = shape.bbox
        if x0 < x_min - _EPS or x1 > x_max + _EPS or y0 < -_EPS or y1 > MAP_HEIGHT + _EPS:
            raise fail(
                f"the shape reaches outside the {view} view (x {x_min:g} to {x_max:g}, "
                f"y 0 to {MAP_HEIGHT:g})."
            )
        shapes.append(shape)
    return tuple(shapes)


def _parse_view(data: Mapping[str, Any], name: str, loc: _BodyMapLineFinder) -> BodyView:
    table = data.get(name)
    if not isinstance(table, Mapping):
        raise loc.error(None, None, None, f"there is no [{name}] view.")
    unknown = sorted(set(table) - {"outline", "regions"})
    if unknown:
        raise loc.error(name, unknown[0], None, f"unknown keys {unknown} in [{name}].")
    outline = _shape_list(table.get("outline"), name, name, "outline", loc)
    raw_regions = table.get("regions")
    section = f"{name}.regions"
    if not isinstance(raw_regions, Mapping):
        raise loc.error(name, None, None, f"there is no [{section}] table.")
    regions: dict[str, tuple[Shape, ...]] = {}
    for region_id, raw in raw_regions.items():
        if region_id not in REGION_IDS:
            raise loc.error(
                section,
                region_id,
                None,
                f"{region_id!r} is not a body area; use one of {', '.join(REGION_IDS)}.",
            )
        if region_id not in VIEW_REGIONS[name]:
            raise loc.error(
                section, region_id, None, f"'{region_id}' has no place in the {name} view."
            )
        regions[region_id] = _shape_list(raw, name, section, region_id, loc)
    missing = [r for r in VIEW_REGIONS[name] if r not in regions]
    if missing:
        raise loc.error(section, None, None, f"the {name} view has no {missing}.")
    x_min, x_max = VIEW_X[name]
    return BodyView(name, x_min, x_max, outline, regions)


def parse_body_map(text: str, path: Path) -> BodyMap:
    """Parse and check the text of a body map file (``path`` names it in errors)."""
    loc = _BodyMapLineFinder(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BodyMapError(f"{path.name}: not valid TOML: {exc}") from None
    except (ValueError, RecursionError):  # a number of 5000 digits; "[" nested 5000 deep
        raise BodyMapError(
            f"{path.name}: not valid TOML: a value is far too long or too deep."
        ) from None
    unknown = sorted(set(data) - {"draw_order", *VIEW_NAMES})
    if unknown:
        raise loc.error(None, unknown[0], None, f"unknown top-level entries {unknown}.")
    order = data.get("draw_order")
    if not isinstance(order, list) or not all(isinstance(r, str) for r in order):
        raise loc.error(None, "draw_order", None, "'draw_order' must list the region ids.")
    strangers = [r for r in order if r not in REGION_IDS]
    if strangers:
        raise loc.error(
            None, "draw_order", None, f"draw_order: {strangers[0]!r} is not a body area."
        )
    twice = sorted({r for r in order if order.count(r) > 1})
    if twice:
        raise loc.error(None, "draw_order", None, f"draw_order names {twice} more than once.")
    absent = [r for r in REGION_IDS if r not in order]
    if absent:
        raise loc.error(None, "draw_order", None, f"draw_order leaves out {absent}.")
    body = BodyMap([_parse_view(data, name, loc) for name in VIEW_NAMES], order)
    for name in VIEW_NAMES:
        for region_id in VIEW_REGIONS[name]:
            x, y = body.centre(region_id, name)
            hit = body.region_at(x, y)
            if hit != region_id:
                covered = f"'{hit}' covers it" if hit else "it lies outside every shape"
                raise loc.error(
                    f"{name}.regions",
                    region_id,
                    0,
                    f"the middle of '{region_id}' ({x:.3f}, {y:.3f}) cannot be clicked: {covered}.",
                )
    return body


def load_body_map(path: Path | None = None) -> BodyMap:
    """Load the body map from ``path`` (default: ``body/bodymap.toml`` in :func:`resources_dir`)."""
    path = path or resources_dir() / BODY_MAP_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BodyMapError(f"Could not read the body map file {path}: {exc}") from None
    return parse_body_map(text, path)
