"""The timeline of a person's dates, laid out for drawing: where each mark and label goes.

Pure geometry, in no language and no file format: `geometry` takes the sheet's timeline
(webapp.sheet.InstructionSheet.timeline, sorted by date) and the renderer's units (pixels for the
result page's SVG, points for the PDF's Typst drawing) and gives the marks, proportionally
between the earliest and the latest date, each with its label (the date, then what it is) placed
above or below the line so that no two labels overlap and no two leader lines cross.
Text widths are estimated from a character count (`char`, a generous average glyph width).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date
from typing import Any

@dataclass(frozen=True, slots=True)
class Mark:
    """One date on the line: `x` its position on the axis (`y1`), its leader line from there
    to (`x2`, `y2`) at its label, `left` the label's left edge, `lines` the label's lines (the
    date written out first) with each one's `tops` (top edge) and `bases` (baseline), `kinds`
    what falls on that day."""

    x: float
    y1: float
    x2: float
    y2: float
    left: float
    lines: tuple[str, ...]
    tops: tuple[float, ...]
    bases: tuple[float, ...]
    kinds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Geometry:
    """The drawing: `width` and `height`, the axis at `axis` from `x0` to `x1`, the `marks`."""

    width: float
    height: float
    axis: float
    x0: float
    x1: float
    marks: tuple[Mark, ...]


def _groups(items: list[dict[str, Any]]) -> list[tuple[date, list[dict[str, Any]]]]:
    """The items by date, in date order (items of one day share one mark)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        out.setdefault(item["date"], []).append(item)
    return [(date.fromisoformat(d), out[d]) for d in sorted(out)]


def geometry(items: list[dict[str, Any]], *, width: float, char: float, line: float,
             pad: float = 8.0, ascent: float = 0.78, min_wrap: int = 12) -> Geometry | None:
    """The drawing of `items` (dicts with `date` ISO, `day` written out, `label`, `kind`) on a
    line `width` wide, in the renderer's unit: `char` an average character's width (generous:
    text is measured by counting characters), `line` the height of a line of text, `pad`
    around the drawing, `ascent` the baseline's depth in a line (a fraction of `line`). None
    without items. Items of one day share one mark and one label.

    Marks sit proportionally between the earliest and the latest date (one mark in the middle
    when there is one date). Labels alternate above and below the line, in date order, each in
    its own slot of the width (the side's width shared equally among its labels, wrapped to
    fit, never narrower than `min_wrap` characters), as near its mark as the slot allows; a
    leader line joins each mark to its label. Labels therefore never overlap, and since marks
    and slots are in the same order, no two leaders of a side cross."""
    groups = _groups(items)
    if not groups:
        return None
    first, last = groups[0][0], groups[-1][0]
    span = (last - first).days
    x0, x1 = pad, width - pad
    slots = {-1: (len(groups) + 1) // 2, 1: len(groups) // 2}
    slot_width = (x1 - x0) / max(slots.values())
    wrap = max(min_wrap, int(slot_width / char) - 1)
    placed = []
    for i, (day, group) in enumerate(groups):
        side = -1 if i % 2 == 0 else 1
        lines = [group[0]["day"]]
        for item in group:
            lines += textwrap.wrap(item["label"], wrap, break_on_hyphens=False) or [""]
        wide = max(len(s) for s in lines) * char
        x = x0 + (x1 - x0) * ((day - first).days / span if span else 0.5)
        each = (x1 - x0) / slots[side]
        slot_left = x0 + (i // 2) * each
        left = max(slot_left, min(x - char, slot_left + each - wide))
        placed.append((x, side, left, wide, lines, tuple(i["kind"] for i in group)))
    tall = {side: max((len(p[4]) for p in placed if p[1] == side), default=0) * line
            for side in (-1, 1)}
    reach = 2 * line  # room for the leaders between the line and the labels
    axis = pad + (tall[-1] + reach if tall[-1] else line / 2)
    height = axis + (reach + tall[1] if tall[1] else line / 2) + pad
    marks = []
    for x, side, left, wide, lines, kinds in placed:
        n = len(lines)
        top = axis + reach if side == 1 else axis - reach - n * line
        tops = tuple(top + k * line for k in range(n))
        edge = top - line / 4 if side == 1 else top + n * line
        marks.append(Mark(x, axis, min(max(x, left + char), left + wide), edge, left,
                          tuple(lines), tops, tuple(t + ascent * line for t in tops), kinds))
    return Geometry(width, height, axis, x0, x1, tuple(marks))
