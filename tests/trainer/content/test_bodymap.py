"""Tests for trainer/content/bodymap.py: the shipped geometry, hit-testing, anchors and clear file errors."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from trainer.content.bodymap import (
    BACK,
    BODY_MAP_FILE,
    BOUNDS,
    FRONT,
    GROUPS,
    REGION_IDS,
    VIEW_REGIONS,
    VIEW_X,
    BodyMap,
    Capsule,
    Ellipse,
    Polygon,
    expand,
    label,
    load_body_map,
    parse_body_map,
)
from trainer.content.catalog import resources_dir
from trainer.errors import BodyMapError

SHIPPED = resources_dir() / BODY_MAP_FILE
MIRROR = {"chest": "upper_back", "abdomen": "lower_back"}  # front region -> its back counterpart


@pytest.fixture(scope="module")
def body() -> BodyMap:
    return load_body_map()


def grid(x0: float, x1: float, step: float = 0.0125) -> list[tuple[float, float]]:
    """Points over a part of the map, offset so none falls exactly on a shape's edge."""
    xs = [x0 + 0.00317 + i * step for i in range(int((x1 - x0) / step))]
    ys = [0.00291 + j * step for j in range(int(2.4 / step))]
    return [(x, y) for x in xs for y in ys]


# -- names --------------------------------------------------------------------------------------


def test_region_ids_and_views() -> None:
    assert len(REGION_IDS) == 20
    assert "upper_back" not in VIEW_REGIONS[FRONT]
    assert "lower_back" not in VIEW_REGIONS[FRONT]
    assert "chest" not in VIEW_REGIONS[BACK]
    assert "abdomen" not in VIEW_REGIONS[BACK]
    assert len(VIEW_REGIONS[FRONT]) == len(VIEW_REGIONS[BACK]) == 18


def test_groups_expand() -> None:
    assert GROUPS["shoulders"] == ("left_shoulder", "right_shoulder")
    assert GROUPS["feet"] == ("left_foot", "right_foot")
    assert GROUPS["back"] == ("upper_back", "lower_back")
    assert set(GROUPS) == {"shoulders", "arms", "hands", "hips", "legs", "knees", "feet", "back"}
    assert expand(["neck", "knees", "back"]) == (
        "neck",
        "left_knee",
        "right_knee",
        "upper_back",
        "lower_back",
    )
    assert expand(["left_knee", "knees", "left_knee"]) == ("left_knee", "right_knee")
    assert expand([]) == ()


def test_expand_refuses_unknown_names() -> None:
    with pytest.raises(ValueError, match="'elbow' is not a body area or group"):
        expand(["neck", "elbow"])
    with pytest.raises(ValueError, match="'pain'"):
        expand(["pain"])  # "pain" is resolved by trainer.content.scripts, not here


def test_labels() -> None:
    assert label("left_shoulder") == "Left shoulder"
    assert label("lower_back") == "Lower back"
    assert label("head") == "Head"
    assert label("knees") == "Knees"
    with pytest.raises(ValueError, match="elbow"):
        label("elbow")


# -- the shipped geometry -----------------------------------------------------------------------


def test_bounds_and_views(body: BodyMap) -> None:
    assert body.bounds == BOUNDS == (0.0, 0.0, 2.25, 2.4)
    assert body.views == (FRONT, BACK)
    assert body.regions == REGION_IDS
    assert sorted(body.draw_order) == sorted(REGION_IDS)
    assert body.view(FRONT).x_min == 0.0
    assert body.view(BACK).x_max == 2.25
    with pytest.raises(ValueError, match="side"):
        body.view("side")


def test_every_region_is_in_its_views(body: BodyMap) -> None:
    for region in REGION_IDS:
        expected = tuple(v for v in (FRONT, BACK) if region in VIEW_REGIONS[v])
        assert body.views_of(region) == expected
    with pytest.raises(ValueError, match="elbow"):
        body.views_of("elbow")


@pytest.mark.parametrize("view", [FRONT, BACK])
def test_every_region_is_hit_at_its_centre(body: BodyMap, view: str) -> None:
    for region in VIEW_REGIONS[view]:
        x, y = body.centre(region, view)
        assert body.region_at(x, y) == region, (region, view)


def test_centre_prefers_the_front_view(body: BodyMap) -> None:
    head_x, _ = body.centre("head")
    assert head_x == pytest.approx(0.5)
    assert body.centre("head") == body.centre("head", FRONT)
    assert body.centre("head", BACK)[0] == pytest.approx(1.75)
    back_x, _ = body.centre("lower_back")  # only on the back
    assert 1.25 < back_x < 2.25
    assert body.centre("lower_back")[1] > body.centre("upper_back")[1]
    with pytest.raises(ValueError, match="not in the front view"):
        body.centre("lower_back", FRONT)


def test_regions_run_from_head_to_feet(body: BodyMap) -> None:
    order = ["head", "neck", "chest", "abdomen", "left_hip", "left_knee", "left_foot"]
    ys = [body.centre(r)[1] for r in order]
    assert ys == sorted(ys)
    assert body.centre("left_shoulder")[1] < body.centre("left_hand")[1]


@pytest.mark.parametrize("single", ["shoulder", "arm", "hand", "hip", "leg", "knee", "foot"])
def test_left_and_right_in_both_views(body: BodyMap, single: str) -> None:
    # Front view: the person faces us, so their left is on our right (x > 0.5).
    left_x, left_y = body.centre(f"left_{single}", FRONT)
    right_x, right_y = body.centre(f"right_{single}", FRONT)
    assert right_x < 0.5 < left_x
    assert left_y == pytest.approx(right_y)
    assert body.region_at(left_x, left_y) == f"left_{single}"
    # Back view: we see them from behind, so their left is on our left (x < 1.75).
    left_x, left_y = body.centre(f"left_{single}", BACK)
    right_x, right_y = body.centre(f"right_{single}", BACK)
    assert left_x < 1.75 < right_x
    assert body.region_at(left_x, left_y) == f"left_{single}"
    assert body.region_at(right_x, right_y) == f"right_{single}"


def test_the_back_view_mirrors_the_front(body: BodyMap) -> None:
    # Seen from behind, each side stays the person's own: the same region, mirrored in x.
    for x, y in grid(0.0, 1.0, step=0.02):
        front = body.region_at(x, y)
        back = body.region_at(2.25 - x, y)
        assert back == (MIRROR.get(front, front) if front else None), (x, y, front)


@pytest.mark.parametrize(
    "point",
    [
        (0.02, 0.02),  # top left corner
        (0.5, 0.03),  # above the head
        (0.3, 0.2),  # beside the head
        (0.27, 0.95),  # between the arm and the waist
        (0.5, 1.9),  # between the shins
        (0.05, 1.2),  # outside the hand
        (0.5, 2.38),  # below the feet
        (1.12, 1.0),  # between the two views
        (1.75, 2.38),  # below the back view's feet
        (2.2, 0.5),  # right of the back view
        (-0.5, 1.0),  # off the map
        (3.0, 1.0),
    ],
)
def test_points_off_the_body_hit_nothing(body: BodyMap, point: tuple[float, float]) -> None:
    assert body.region_at(*point) is None


def test_specific_regions_win_over_the_ones_beneath(body: BodyMap) -> None:
    # The knee lies on the leg, the hand overlaps the arm's end, the shoulder the arm's top.
    _, regions = body.shapes(FRONT)
    for top, beneath in (
        ("left_knee", "left_leg"),
        ("right_hand", "right_arm"),
        ("left_shoulder", "left_arm"),
    ):
        x0, y0, x1, y1 = regions[top][0].bbox
        both = [
            (x, y)
            for x in (x0 + (x1 - x0) * i / 20 for i in range(21))
            for y in (y0 + (y1 - y0) * j / 20 for j in range(21))
            if regions[top][0].contains(x, y) and any(s.contains(x, y) for s in regions[beneath])
        ]
        assert len(both) > 5, (top, beneath)
        assert {body.region_at(x, y) for x, y in both} == {top}
        assert body.draw_order.index(top) > body.draw_order.index(beneath)


@pytest.mark.parametrize("view", [FRONT, BACK])
def test_the_silhouette_is_exactly_the_regions(body: BodyMap, view: str) -> None:
    """Every point of the body belongs to a region and every region lies on the body."""
    outline, _ = body.shapes(view)
    x_min, x_max = VIEW_X[view]
    inside = 0
    for x, y in grid(x_min, x_max):
        on_body = any(s.contains(x, y) for s in outline)
        hit = body.region_at(x, y)
        assert on_body == (hit is not None), (x, y, hit)
        inside += on_body
    assert inside > 800  # the figure really covers part of the grid


@pytest.mark.parametrize("view", [FRONT, BACK])
def test_shapes_for_drawing(body: BodyMap, view: str) -> None:
    outline, regions = body.shapes(view)
    assert outline
    assert list(regions) == [r for r in body.draw_order if r in VIEW_REGIONS[view]]
    x_min, x_max = VIEW_X[view]
    for shape in [*outline, *(s for shapes in regions.values() for s in shapes)]:
        assert isinstance(shape, Ellipse | Capsule | Polygon)
        x0, y0, x1, y1 = shape.bbox
        assert x_min <= x0 < x1 <= x_max
        assert 0.0 <= y0 < y1 <= 2.4


def test_the_figure_is_a_person(body: BodyMap) -> None:
    """Rough proportions: a head about an eighth of the height, arms clear of the waist."""
    _, regions = body.shapes(FRONT)
    top = min(s.bbox[1] for s in regions["head"])
    bottom = max(s.bbox[3] for s in regions["left_foot"])
    head = max(s.bbox[3] for s in regions["head"]) - top
    assert 2.0 < bottom - top <= 2.4
    assert 6.5 < (bottom - top) / head < 9.0
    waist_y = body.centre("abdomen")[1]
    # A gap between the arm and the body below the chest: the arms hang slightly away.
    gap = [x / 1000 for x in range(700, 760)]
    assert any(body.region_at(x, waist_y + 0.05) is None for x in gap)


@pytest.mark.parametrize("region", REGION_IDS)
def test_extent_covers_the_main_shape(body: BodyMap, region: str) -> None:
    view = body.views_of(region)[0]
    _, regions = body.shapes(view)
    cx, cy = body.centre(region, view)
    reach = body.extent(region, view)
    for x, y in regions[region][0].to_polygon(64):
        assert math.hypot(x - cx, y - cy) <= reach + 1e-9
    assert reach > 0.05


def test_polygon_outlines_lie_on_the_shapes_edges() -> None:
    shapes = [
        Ellipse(0.5, 0.5, 0.2, 0.1),
        Capsule(0.2, 0.2, 0.4, 0.6, 0.05),
        Polygon(((0.0, 0.0), (1.0, 0.0), (0.5, 1.0))),
    ]
    for shape in shapes:
        for x, y in shape.to_polygon(40):
            cx, cy = shape.centre
            # A hair inward is inside, a hair outward is not.
            assert shape.contains(x + (cx - x) * 1e-6, y + (cy - y) * 1e-6)
            assert not shape.contains(x - (cx - x) * 1e-3, y - (cy - y) * 1e-3)


def test_shape_geometry() -> None:
    capsule = Capsule(0.0, 0.0, 0.0, 1.0, 0.1)
    assert capsule.contains(0.05, 0.5)
    assert capsule.contains(0.0, 1.09)
    assert not capsule.contains(0.0, 1.11)
    assert not capsule.contains(0.11, 0.5)
    assert capsule.centre == (0.0, 0.5)
    assert capsule.reach == pytest.approx(0.6)
    square = Polygon(((0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)))
    assert square.centre == pytest.approx((1.0, 1.0))
    assert square.area == pytest.approx(4.0)
    assert square.contains(1.0, 1.9)
    assert not square.contains(2.1, 1.0)
    ellipse = Ellipse(1.0, 1.0, 0.5, 0.25)
    assert ellipse.contains(1.45, 1.0)
    assert not ellipse.contains(1.0, 1.3)
    assert ellipse.reach == 0.5


# -- broken files -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_text() -> str:
    return SHIPPED.read_text(encoding="utf-8")


def edit(text: str, starts: str, old: str, new: str, occurrence: int = 1) -> tuple[str, int]:
    """Replace ``old`` with ``new`` on the ``occurrence``-th line starting with ``starts``.

    Returns the new text and the 1-based number of the line edited.
    """
    lines = text.splitlines()
    found = [i for i, line in enumerate(lines) if line.startswith(starts)]
    index = found[occurrence - 1]
    assert old in lines[index], (old, lines[index])
    lines[index] = lines[index].replace(old, new, 1)
    return "\n".join(lines) + "\n", index + 1


def map_error(text: str, name: str = "bodymap.toml") -> str:
    with pytest.raises(BodyMapError) as excinfo:
        parse_body_map(text, Path("somewhere") / name)
    return str(excinfo.value)


def line_of(text: str, starts: str, occurrence: int = 1) -> int:
    found = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(starts)]
    return found[occurrence - 1]


def test_the_shipped_text_parses(shipped_text: str) -> None:
    body = parse_body_map(shipped_text, SHIPPED)
    assert body.centre("head") == load_body_map().centre("head")


@pytest.mark.parametrize(
    ("starts", "old", "new", "problem"),
    [
        (
            "head = ",
            "rx = 0.108",
            "rx = -0.1",
            "head, shape 1: an ellipse's rx and ry must be more than 0.",
        ),
        ("head = ", '"ellipse"', '"circle"', "head, shape 1: shape 'circle' is not one of"),
        (
            "head = ",
            "ry = 0.14",
            "ry = 0.14, angle = 3",
            "head, shape 1: unknown keys ['angle']; the ellipse takes",
        ),
        ("head = ", ", ry = 0.14", "", "head, shape 1: the ellipse needs ['ry']."),
        ("head = ", "cy = 0.2", 'cy = "top"', "head, shape 1: the ellipse's cy must be a number"),
        (
            "head = ",
            "cx = 0.5",
            "cx = 0.95",
            "head, shape 1: the shape reaches outside the front view",
        ),
        (
            "head = ",
            '{ shape = "ellipse", cx = 0.5, cy = 0.2, rx = 0.108, ry = 0.14 }',
            "3",
            "head, shape 1: each shape must be a table",
        ),
        (
            "head = ",
            '{ shape = "ellipse", cx = 0.5, cy = 0.2, rx = 0.108, ry = 0.14 }',
            "",
            "'head' must be a list of one or more shapes.",
        ),
        (
            "neck = ",
            "[0.562, 0.45], [0.438, 0.45]",
            "[0.438, 0.45], [0.562, 0.45]",
            "neck, shape 1: the polygon's edges cross each other.",
        ),
        (
            "neck = ",
            ", [0.562, 0.45], [0.438, 0.45]",
            "",
            "neck, shape 1: a polygon's points must be at least three",
        ),
        (
            "neck = ",
            "[0.562, 0.45]",
            '[0.562, "low"]',
            "neck, shape 1: a polygon's points must be at least three",
        ),
        (
            "neck = ",
            "[0.562, 0.45], [0.438, 0.45]",
            "[0.5, 0.31], [0.5, 0.31]",
            "neck, shape 1: the polygon encloses no area.",
        ),
        ("neck = ", "neck", "throat", "'throat' is not a body area"),
        ("chest = ", "chest", "upper_back", "'upper_back' has no place in the front view."),
        (
            "right_hand = ",
            "cx = 0.182, cy = 1.225",
            "cx = 0.403, cy = 1.099",
            "the middle of 'right_hip' (0.403, 1.099) cannot be clicked: 'right_hand' covers it.",
        ),
    ],
)
def test_a_broken_shape_names_its_line(
    shipped_text: str, starts: str, old: str, new: str, problem: str
) -> None:
    text, line = edit(shipped_text, starts, old, new)
    if "right_hip" in problem:
        line = line_of(text, "right_hip = ")  # the hidden region is the one named
    message = map_error(text)
    assert message.startswith(f"bodymap.toml, line {line}: "), message
    assert problem in message


def test_the_second_shape_of_a_region_is_named_by_its_own_line(shipped_text: str) -> None:
    # right_arm lists two capsules on their own lines; break the second.
    start = line_of(shipped_text, "right_arm = ")
    lines = shipped_text.splitlines()
    assert "capsule" in lines[start + 1]  # line start + 2 (1-based): the second shape
    lines[start + 1] = lines[start + 1].replace("r = 0.047", "r = 0")
    message = map_error("\n".join(lines))
    assert message.startswith(f"bodymap.toml, line {start + 2}: right_arm, shape 2: "), message
    assert "a capsule's r must be more than 0." in message


def test_a_missing_region_names_the_view(shipped_text: str) -> None:
    lines = shipped_text.splitlines()
    back_foot = line_of(shipped_text, "left_foot = ", occurrence=2)
    del lines[back_foot - 1]
    text = "\n".join(lines)
    message = map_error(text)
    assert message == (
        f"bodymap.toml, line {line_of(text, '[back.regions]')}: the back view has no ['left_foot']."
    )


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('    "neck",\n', "", "draw_order leaves out ['neck']."),
        (
            '    "neck",\n',
            '    "neck",\n    "neck",\n',
            "draw_order names ['neck'] more than once.",
        ),
        ('    "neck",\n', '    "throat",\n', "draw_order: 'throat' is not a body area."),
        ("draw_order = [", "draw_order = 3\nunused = [", "unknown top-level entries ['unused']."),
    ],
)
def test_a_broken_draw_order(shipped_text: str, old: str, new: str, problem: str) -> None:
    text = shipped_text.replace(old, new, 1)
    message = map_error(text)
    key = "unused" if "unused" in problem else "draw_order"
    assert message == f"bodymap.toml, line {line_of(text, key)}: {problem}"


def test_an_unknown_key_in_a_view(shipped_text: str) -> None:
    text = shipped_text.replace("[back]\n", "[back]\ncolour = 3\n", 1)
    assert map_error(text) == (
        f"bodymap.toml, line {line_of(text, 'colour')}: unknown keys ['colour'] in [back]."
    )


def test_a_missing_view(shipped_text: str) -> None:
    text = shipped_text[
        : shipped_text.index("# ------------------------------------------------ back")
    ]
    assert map_error(text) == "bodymap.toml, line 1: there is no [back] view."


def test_not_toml() -> None:
    message = map_error("draw_order = []\nfront = = 2\n")
    assert re.match(r"^bodymap\.toml: not valid TOML: .*line 2", message), message


def test_load_body_map_reads_a_given_file(shipped_text: str, tmp_path: Path) -> None:
    path = tmp_path / "my-map.toml"
    path.write_text(shipped_text, encoding="utf-8")
    assert load_body_map(path).region_at(0.5, 0.2) == "head"
    text, line = edit(shipped_text, "head = ", "rx = 0.108", "rx = 0")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BodyMapError, match=rf"^my-map\.toml, line {line}: head, shape 1: "):
        load_body_map(path)
    with pytest.raises(BodyMapError, match="Could not read the body map file"):
        load_body_map(tmp_path / "missing.toml")
