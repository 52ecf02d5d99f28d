"""The influence/interest matrix as positions for a server-rendered SVG.

Interest runs along x, influence up y. "High" sits in the high half; "medium"
and "low" sit in the low half (medium near the middle line), so each
stakeholder falls in exactly one of the manual's four quadrants. Stakeholders
sharing a cell are spread on a small grid so none hides another.
"""

from collections import defaultdict
from dataclasses import dataclass

from counties.models import Level, OrganizationCategory, Quadrant, Stakeholder

WIDTH, HEIGHT, MARGIN = 640, 520, 48
PLOT_W, PLOT_H = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
# Centre of each level's band, as a fraction of the axis.
LEVEL_POSITION = {Level.LOW: 0.16, Level.MEDIUM: 0.35, Level.HIGH: 0.72}
CELL_X, CELL_Y = 0.36, 0.2  # the band used to spread a crowded cell
CATEGORY_COLOURS = dict(
    zip(
        OrganizationCategory.values,
        [
            "#0b6e4f",
            "#3d5a80",
            "#c8553d",
            "#7a4eab",
            "#2a9d8f",
            "#8d6e00",
            "#b5179e",
            "#6c757d",
            "#1b4965",
            "#9c6644",
        ],
        strict=True,
    )
)


@dataclass(frozen=True)
class Point:
    stakeholder: Stakeholder
    x: float
    y: float
    label: str
    colour: str
    label_y: float


def _spread(index: int, count: int) -> tuple[float, float, bool]:
    """Offsets (fractions of the axis) for the index-th of count points in one cell,
    and whether its label goes below the dot (alternating, so neighbours' labels
    do not collide)."""
    if count == 1:
        return 0.0, 0.0, False
    columns = min(count, 3)
    rows = -(-count // columns)
    col, row = index % columns, index // columns
    dx = (col - (columns - 1) / 2) * (CELL_X / columns)
    dy = (row - (rows - 1) / 2) * (CELL_Y / max(rows, 2))
    return dx, dy, col % 2 == 1


def matrix_points(stakeholders) -> list[Point]:
    cells = defaultdict(list)
    for stakeholder in stakeholders:
        cells[(stakeholder.interest, stakeholder.influence)].append(stakeholder)
    points = []
    for (interest, influence), members in cells.items():
        for index, stakeholder in enumerate(members):
            dx, dy, label_below = _spread(index, len(members))
            fx = LEVEL_POSITION[interest] + dx
            fy = LEVEL_POSITION[influence] + dy
            y = round(MARGIN + (1 - fy) * PLOT_H, 1)
            points.append(
                Point(
                    stakeholder=stakeholder,
                    x=round(MARGIN + fx * PLOT_W, 1),
                    y=y,
                    label=stakeholder.organization.short_name[:12],
                    colour=CATEGORY_COLOURS[stakeholder.organization.category],
                    label_y=y + 20 if label_below else y - 11,
                )
            )
    return points


def quadrant_boxes() -> list[dict]:
    """The four quadrants with their label positions (high influence on top)."""
    half_w, half_h = PLOT_W / 2, PLOT_H / 2
    layout = [
        (Quadrant.KEEP_SATISFIED, 0, 0),
        (Quadrant.MANAGE_CLOSELY, 1, 0),
        (Quadrant.MONITOR, 0, 1),
        (Quadrant.KEEP_INFORMED, 1, 1),
    ]
    return [
        {
            "quadrant": quadrant,
            "label": quadrant.label,
            "x": MARGIN + col * half_w,
            "y": MARGIN + row * half_h,
            "width": half_w,
            "height": half_h,
            "label_x": MARGIN + col * half_w + 8,
            # bottom quadrants carry their name at the bottom, away from the midline
            "label_y": MARGIN + row * half_h + (half_h - 10 if row else 20),
        }
        for quadrant, col, row in layout
    ]


def legend(points: list[Point]) -> list[dict]:
    present = {p.stakeholder.organization.category for p in points}
    return [
        {"label": label, "colour": CATEGORY_COLOURS[value]}
        for value, label in OrganizationCategory.choices
        if value in present
    ]


SVG_SIZE = {
    "width": WIDTH,
    "height": HEIGHT,
    "margin": MARGIN,
    "plot_w": PLOT_W,
    "plot_h": PLOT_H,
    "mid_x": MARGIN + PLOT_W / 2,
    "mid_y": MARGIN + PLOT_H / 2,
    "bottom": MARGIN + PLOT_H,
    "right": MARGIN + PLOT_W,
}
