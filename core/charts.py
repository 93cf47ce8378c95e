"""Bar charts drawn on the server, their numbers also in a table: the impact summary's attendance
over time (upright bars, core/partials/bar_chart_svg.html) and every report's chart (one row a
bar, core/partials/bar_rows.html).

No JavaScript and no chart library: it prints, it works offline, and a screen reader gets a
one-sentence summary plus the table. `chart()` and `bar_rows()` compute the geometry; each
page's inclusion tag (programs' attendance_chart, reports' report_chart) wraps it with its own
caption.
"""

import math
from collections.abc import Iterable
from typing import Any

WIDTH = 720
HEIGHT = 260
SIDE = 8
BOTTOM = 36
# Room above the tallest bar for its value, written across, or upwards when bars are narrow.
TOP_ACROSS, TOP_UPWARDS = 24, 44
# Past this many bars a value written across would not fit above its bar.
MAX_ACROSS = 24
# Rough width of one character of the 11px axis labels, for thinning them out.
CHAR_WIDTH = 6.2
LABEL_GAP = 8
LONGEST_LABEL = 18


def _value(value: Any) -> int:
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


def _short(label: str) -> str:
    return label if len(label) <= LONGEST_LABEL else label[: LONGEST_LABEL - 1] + "…"


def _summary(title: str, points: list[tuple[str, int]], totalled: bool = True) -> str:
    total = sum(value for _label, value in points)
    if len(points) == 1:
        label, value = points[0]
        return f"{title}, {label}: {value:,}."
    best_label, best = max(points, key=lambda point: point[1])
    in_total = f"{total:,} in total, " if totalled else ""
    return (
        f"{title}, {points[0][0]} to {points[-1][0]}: {in_total}highest {best:,} in {best_label}."
    )


def chart(points: Iterable[tuple[Any, Any]], caption: str = "") -> dict[str, Any]:
    """The geometry of the bars and labels, in the SVG's own units."""
    cleaned = [(str(label), _value(value)) for label, value in points]
    title = caption or "Attendance"
    total = sum(value for _label, value in cleaned)
    context: dict[str, Any] = {"title": title, "points": cleaned, "total": total}
    if not cleaned or total == 0:
        return context | {"empty": True}

    count = len(cleaned)
    across = count <= MAX_ACROSS
    top = TOP_ACROSS if across else TOP_UPWARDS
    # Room at the sides for half of the first and last axis labels, centred under their bars.
    longest = max(len(_short(label)) for label, _value in cleaned)
    side = max(SIDE, math.ceil(longest * CHAR_WIDTH / 2))
    plot_width = WIDTH - 2 * side
    plot_height = HEIGHT - top - BOTTOM
    slot = plot_width / count
    bar_width = min(slot * 0.7, 64)
    highest = max(value for _label, value in cleaned)
    # Thin the axis labels so the longest one fits in the room its neighbours leave.
    fits = max(int(plot_width // (longest * CHAR_WIDTH + LABEL_GAP)), 1)
    every = math.ceil(count / fits)

    bars = []
    for i, (label, value) in enumerate(cleaned):
        height = value / highest * plot_height
        if value and height < 1:
            height = 1  # still visible, unlike a true zero
        x = side + i * slot + (slot - bar_width) / 2
        y = top + plot_height - height
        middle = x + bar_width / 2
        bars.append(
            {
                "label": label,
                "value": value,
                "x": round(x, 1),
                "y": round(y, 1),
                "width": round(bar_width, 1),
                "height": round(height, 1),
                "middle": round(middle, 1),
                "value_y": round(y - 4, 1),
                "axis_label": _short(label) if i % every == 0 else "",
            }
        )
    return context | {
        "empty": False,
        "summary": _summary(title, cleaned),
        "bars": bars,
        "across": across,
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": top + plot_height,
        "axis_y": top + plot_height + 16,
        "side": side,
        "right": WIDTH - side,
        "value_size": 12 if count <= 12 else 10,
    }


def bar_rows(
    points: Iterable[tuple[Any, Any]], title: str, *, totalled: bool = True
) -> dict[str, Any]:
    """One row a bar, its label before it and its value after it, as wide as the page.
    `totalled`: whether the bars add up (counts of events), not a level each (a share).

    Every bar keeps its label, however long the labels or many the bars (stage names, kinds
    of organization, months of a long period), and the text stays the page's own size at
    any width: the rows are HTML and only each bar's length, a percentage, is drawn.
    """
    cleaned = [(str(label), _value(value)) for label, value in points]
    total = sum(value for _label, value in cleaned)
    context: dict[str, Any] = {
        "title": title,
        "points": cleaned,
        "total": total,
        "totalled": totalled,
    }
    if not cleaned or total == 0:
        return context | {"empty": True}
    highest = max(value for _label, value in cleaned)
    rows = []
    for label, value in cleaned:
        length = value / highest * 100
        if value and length < 0.5:
            length = 0.5  # still visible, unlike a true zero
        rows.append({"label": label, "value": value, "length": f"{length:.1f}"})
    summary = _summary(title, cleaned, totalled)
    return context | {"empty": False, "summary": summary, "rows": rows}
